"""The order spreadsheet of a small institution without an information system: one row per product to order, named
by delivery address, national drug code and distributor code, with the packs wanted. The template lists, for each
delivery address in use, every product with each distributor serving it there; rows left without packs are skipped."""

from django.utils.translation import gettext_lazy as _

from core.spreadsheets import Column, Validation, parse_positive_int, parse_text

ORDER_COLUMNS = [
    Column("address", _("Delivery address"), parse_text, prefilled=True),
    Column("product", _("National drug code"), parse_text, prefilled=True),
    Column("product_name", _("Product"), parse_text, required=False, prefilled=True),
    Column("distributor", _("Distributor code"), parse_text, prefilled=True),
    Column("distributor_name", _("Distributor"), parse_text, required=False, prefilled=True),
    Column("quantity", _("Packs"), parse_positive_int, validation=Validation("whole", "1")),
]
