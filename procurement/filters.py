import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation

from .models import Product


class ProductFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Generic name or code"), method="filter_text")
    holder = django_filters.ModelChoiceFilter(label=_("Holder"), queryset=Organisation.objects.suppliers())

    class Meta:
        model = Product
        fields = ["q", "dosage_form", "quality_tier", "holder", "smallest_unit", "is_active"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(generic_name__icontains=value) | Q(national_drug_code__icontains=value))
