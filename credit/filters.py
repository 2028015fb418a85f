"""The filters of credit's lists, one per resource, used alike by its pages and its API lists."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.filters import FilterSet
from core.widgets import SearchableSelect

from .engines.rating import NONE, levels_of
from .models import CreditRecord, Item, Level, RatingSnapshot


def levels_in_force():
    """The levels of the catalog edition in force (2020: four, 2025: three), with none: the two editions' levels
    are never offered together."""
    from .services import catalog_in_force

    return [(code, Level(code).label) for code in (NONE, *levels_of(catalog_in_force().family))]


class RatingFilter(FilterSet):
    level = django_filters.ChoiceFilter(choices=levels_in_force)

    class Meta:
        model = RatingSnapshot
        fields = ["as_of", "level", "supplier"]


class CreditRecordFilter(FilterSet):
    """Records by status, catalog item, supplier and source, and a search in the supplier's name and the document
    number (the list is already narrowed to what the user may see)."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=CreditRecord.Status.choices)
    item = django_filters.ChoiceFilter(label=_("Catalog item"), choices=Item.choices)
    supplier = django_filters.ModelChoiceFilter(
        label=_("Supplier"), queryset=Organisation.objects.suppliers(), widget=SearchableSelect
    )
    source = django_filters.ChoiceFilter(label=_("Source"), choices=CreditRecord.Source.choices)
    q = django_filters.CharFilter(label=_("Supplier or document number"), method="filter_text")

    class Meta:
        model = CreditRecord
        fields = ["status", "item", "supplier", "source", "q"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(supplier__name__icontains=value) | Q(document_number__icontains=value))
