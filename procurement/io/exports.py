"""The Excel exports of procurement's pages: the catalog, agreements, the opening table, prepayments and retention,
and the monthly settlement. Each takes the rows its page shows (already narrowed to what the user may see) and
returns the workbook; every cell goes through ``core.spreadsheets`` (formula cells neutralised)."""

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.spreadsheets import Column, build_workbook

from .catalog_import import PRODUCT_COLUMNS


def products_workbook(products) -> bytes:
    """The catalog in the import format, so that an export edited and uploaded again updates the same products."""
    rows = (
        [
            product.national_drug_code,
            product.generic_name,
            product.dosage_form,
            product.strength_amount,
            product.strength_unit,
            product.pack_size,
            product.smallest_unit,
            product.quality_tier,
            product.holder.code,
        ]
        for product in products
    )
    return build_workbook(PRODUCT_COLUMNS, rows, title=_("Products"))


def product_template_workbook(example_rows) -> bytes:
    return build_workbook(PRODUCT_COLUMNS, example_rows, title=_("Products"))


def contracts_workbook(contracts) -> bytes:
    columns = [
        Column(key, header, str)
        for key, header in [
            ("round", _("Round")), ("group", _("Group")), ("hospital", _("Hospital")), ("supplier", _("Supplier")),
            ("product", _("Product")), ("agreed", _("Agreed quantity")), ("price", _("Price per smallest unit")),
            ("start", _("Cycle start")), ("end", _("Cycle end")), ("status", _("Status")),
            ("purchased", _("Purchased quantity")), ("amount", _("Purchased amount")),
        ]
    ]  # fmt: skip
    rows = (
        [c.round.code, c.group.code, c.hospital.name, c.supplier.name, c.product.national_drug_code,
         c.agreed_quantity, c.unit_price, c.cycle_start, c.cycle_end, str(c.get_status_display()),
         c.purchased_quantity, c.purchased_amount]
        for c in contracts
    )  # fmt: skip
    return build_workbook(columns, rows, _("Agreements"))


OPENING_COLUMNS = [
    Column("group", gettext_lazy("Group"), str),
    Column("supplier", gettext_lazy("Supplier"), str),
    Column("product", gettext_lazy("Product"), str),
    Column("price", gettext_lazy("Price per pack"), str),
    Column("comparable", gettext_lazy("Unit-comparable price"), str),
    Column("valid", gettext_lazy("Valid"), str),
    Column("reason", gettext_lazy("Reason"), str),
    Column("receipt", gettext_lazy("Receipt hash"), str),
]


def opening_table_workbook(tender_round, opened_bids) -> bytes:
    rows = [
        [
            row.group.code,
            row.supplier.name,
            str(row.product or ""),
            row.pack_price or "",
            row.comparable_price or "",
            _("yes") if row.valid else _("no"),
            row.get_invalid_reason_display(),
            row.receipt_hash,
        ]
        for row in opened_bids
    ]
    return build_workbook(OPENING_COLUMNS, rows, title=tender_round.code)


def prepayments_workbook(per_round) -> bytes:
    """Each round's prepayments per hospital, then its savings retention per group (a hospital's own page)."""
    columns = [
        Column("round", _("Round"), str), Column("hospital", _("Hospital"), str),
        Column("annual", _("Annual agreed amount"), str), Column("share", _("Share"), str),
        Column("prepayment", _("Prepayment"), str), Column("group", _("Group"), str),
        Column("budget", _("Budget"), str), Column("spending", _("Actual spending"), str),
        Column("savings", _("Savings"), str), Column("retained", _("Retained"), str),
    ]  # fmt: skip
    rows = []
    for entry in per_round:
        for p in entry["prepayments"]:
            rows.append([entry["round"].code, p["hospital"], p["annual_agreed_amount"], p["share"], p["prepayment"]])
        for r in entry.get("retention", []):
            if not r["missing_reference"]:
                result = r["result"]
                rows.append([entry["round"].code, "", "", "", "", r["group"].code, result.budget, result.spending,
                             result.savings, result.retained])  # fmt: skip
    return build_workbook(columns, rows, _("Prepayment and retention"))


def settlement_workbook(statements) -> bytes:
    columns = [
        Column("supplier", _("Supplier"), str), Column("code", _("Unified social credit code"), str),
        Column("deliveries", _("Deliveries"), str), Column("quantity", _("Quantity"), str),
        Column("amount", _("Amount to settle"), str),
    ]  # fmt: skip
    rows = (
        [row["supplier"].name, row["supplier"].code, row["deliveries"], row["quantity"], row["amount"]]
        for row in statements
    )
    return build_workbook(columns, rows, _("Settlement"))


def allocation_lines_workbook(lines, reasons) -> bytes:
    """A computation's allocation lines as the lines page filters them: group, hospital, supplier, quantity, reason."""
    columns = [
        Column("group", _("Group"), str), Column("hospital", _("Hospital"), str),
        Column("hospital_code", _("Hospital code"), str), Column("supplier", _("Supplier"), str),
        Column("supplier_code", _("Supplier code"), str), Column("quantity", _("Agreed quantity"), str),
        Column("reason", _("Reason"), str),
    ]  # fmt: skip
    rows = (
        [line.group.code, line.hospital.name, line.hospital.code, line.supplier.name, line.supplier.code,
         line.quantity, str(reasons.get(line.reason, line.reason))]
        for line in lines
    )  # fmt: skip
    return build_workbook(columns, rows, _("Allocation lines"))


def trading_figures_workbook(rows, total, grouping_label) -> bytes:
    """The trading figures as shown, each figure with its numerator and denominator (the exact ratio's parts)."""
    from ..engines.trading_metrics import METRIC_LABELS, METRICS

    columns = [Column("subject", grouping_label, str), Column("code", gettext_lazy("Code"), str)]
    for metric in METRICS:
        label = METRIC_LABELS[metric]
        columns += [
            Column(f"{metric}_percent", format_lazy("{} (%)", label), str),
            Column(f"{metric}_numerator", format_lazy("{} · {}", label, gettext_lazy("numerator")), str),
            Column(f"{metric}_denominator", format_lazy("{} · {}", label, gettext_lazy("denominator")), str),
        ]

    def cells(row):
        values = [row.name, row.code]
        for metric in METRICS:
            figure = row.figures.get(metric)
            values += [None, None, None] if figure is None else [figure.percent, figure.numerator, figure.denominator]
        return values

    return build_workbook(columns, [*(cells(row) for row in rows), cells(total)], _("Trading figures"))
