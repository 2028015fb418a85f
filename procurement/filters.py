"""The filters of procurement's lists, one per resource, used alike by its page and its API list."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Region
from core.filters import FilterSet
from core.widgets import SearchableSelect

from .award_labels import REASON_LABELS
from .models import AllocationLine, Contract, DistributionRelation, Product, ProductGroup, RelationStatus, TenderRound


class ProductFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Generic name or code"), method="filter_text")
    holder = django_filters.ModelChoiceFilter(
        label=_("Holder"), queryset=Organisation.objects.suppliers(), widget=SearchableSelect
    )

    class Meta:
        model = Product
        fields = ["q", "dosage_form", "quality_tier", "holder", "smallest_unit", "is_active"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(generic_name__icontains=value) | Q(national_drug_code__icontains=value))


class ContractFilter(FilterSet):
    """Agreements by round, status, group and party (the list is already narrowed to what the user may see)."""

    round = django_filters.ModelChoiceFilter(label=_("Round"), queryset=TenderRound.objects.all())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Contract.Status.choices)
    group = django_filters.ModelChoiceFilter(label=_("Group"), queryset=ProductGroup.objects.all())
    hospital = django_filters.ModelChoiceFilter(
        label=_("Hospital"), queryset=Organisation.objects.hospitals(), widget=SearchableSelect
    )
    supplier = django_filters.ModelChoiceFilter(
        label=_("Supplier"), queryset=Organisation.objects.suppliers(), widget=SearchableSelect
    )
    q = django_filters.CharFilter(label=_("Hospital, supplier or product"), method="filter_text")

    class Meta:
        model = Contract
        fields = ["round", "status", "group", "hospital", "supplier", "q"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(hospital__name__icontains=value)
            | Q(supplier__name__icontains=value)
            | Q(product__generic_name__icontains=value)
            | Q(product__national_drug_code__icontains=value)
        )


class AllocationLineFilter(FilterSet):
    """Allocation lines by round, group, supplier and hospital (by their codes, as officers read them) and reason."""

    run__round = django_filters.ModelChoiceFilter(label=_("Round"), queryset=TenderRound.objects.all())
    group__code = django_filters.CharFilter(label=_("Group"))
    supplier__code = django_filters.CharFilter(label=_("Supplier code"))
    hospital__code = django_filters.CharFilter(label=_("Hospital code"))
    reason = django_filters.ChoiceFilter(label=_("Reason"), choices=list(REASON_LABELS.items()))

    class Meta:
        model = AllocationLine
        fields = ["run__round", "group__code", "supplier__code", "hospital__code", "reason"]


class DistributionRelationFilter(FilterSet):
    """Distribution relations by status, product, area and party (the list is already narrowed to what the user may
    see), and those effective on a day."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=RelationStatus.choices)
    product = django_filters.ModelChoiceFilter(
        label=_("Product"), queryset=Product.objects.all(), widget=SearchableSelect
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), queryset=Region.objects.exclude(level=Region.Level.PROVINCE), widget=SearchableSelect
    )
    manufacturer = django_filters.ModelChoiceFilter(
        label=_("Manufacturer"), queryset=Organisation.objects.suppliers(), widget=SearchableSelect
    )
    distributor = django_filters.ModelChoiceFilter(
        label=_("Distributor"),
        queryset=Organisation.objects.filter(kind__in=["distributor", "supplier"]).exclude(licence_number=""),
        widget=SearchableSelect,
    )
    effective_on = django_filters.DateFilter(label=_("Effective on (YYYY-MM-DD)"), method="filter_effective")
    q = django_filters.CharFilter(label=_("Product, area or party"), method="filter_text")

    class Meta:
        model = DistributionRelation
        fields = ["status", "product", "area", "manufacturer", "distributor", "effective_on", "q"]

    def filter_effective(self, queryset, name, value):
        return queryset.effective_on(value)

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(product__generic_name__icontains=value)
            | Q(product__national_drug_code__icontains=value)
            | Q(area__name__icontains=value)
            | Q(manufacturer__name__icontains=value)
            | Q(distributor__name__icontains=value)
        )
