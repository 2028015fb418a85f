import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet

from .models import AuditEntry, Organisation, Region


class OrganisationFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Name or code"), method="filter_text")
    region = django_filters.ModelChoiceFilter(label=_("Region"), queryset=Region.objects.all(), method="filter_region")

    class Meta:
        model = Organisation
        fields = ["kind", "region", "hospital_level", "ownership", "is_active"]

    def filter_text(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))

    def filter_region(self, queryset, name, value):
        """A province matches the organisations of all its cities."""
        from django.db.models import Q

        return queryset.filter(Q(region=value) | Q(region__parent=value))


class AuditEntryFilter(FilterSet):
    action = django_filters.CharFilter(label=_("Action"), lookup_expr="startswith")
    object_type = django_filters.CharFilter(label=_("Object type"))
    object_id = django_filters.CharFilter(label=_("Object id"))
    actor_name = django_filters.CharFilter(label=_("Actor"), lookup_expr="icontains")

    class Meta:
        model = AuditEntry
        fields = ["action", "object_type", "object_id", "actor_name"]
