"""Query parameters are checked against what the schema says of them: a value outside a documented choice, a
boolean that is neither true nor false, a page that is not a number is a 400 (``invalid_parameter``), not
silently ignored (django-filter's boolean and choice filters drop such values and list everything)."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django_filters import filters
from django_filters.rest_framework import DjangoFilterBackend

from core.params import InvalidParameter

BOOLEAN_VALUES = {"true", "false", "True", "False", "1", "0"}


def _refuse(name: str, value: str):
    raise InvalidParameter(_("The parameter “%(name)s” cannot be “%(value)s”.") % {"name": name, "value": value[:100]})


def _model_choices(filterset, flt) -> set[str] | None:
    model = filterset._meta.model
    if model is None or flt.lookup_expr != "exact" or "__" in flt.field_name:
        return None
    try:
        field = model._meta.get_field(flt.field_name)
    except FieldDoesNotExist:
        return None
    return {str(value) for value, _label in field.flatchoices} if field.choices else None


def check_page(request) -> None:
    """``?page=`` is a page number (DRF would also take ``last``, which the schema does not offer)."""
    page = request.query_params.get("page")
    if page is not None and not (page.isascii() and page.isdigit() and 0 < int(page) < 10**9):
        _refuse("page", page)


class StrictDjangoFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        check_page(request)
        filterset = self.get_filterset(request, queryset, view)
        if filterset is not None:
            for name, flt in filterset.filters.items():
                value = request.query_params.get(name)
                if value is None:
                    continue
                choices = _model_choices(filterset, flt) if isinstance(flt, filters.CharFilter) else None
                # Only free text may be empty: an empty number, id, switch or choice is not one the schema allows.
                if value == "" and not (isinstance(flt, filters.CharFilter) and choices is None):
                    _refuse(name, value)
                if isinstance(flt, filters.BooleanFilter) and value not in BOOLEAN_VALUES:
                    _refuse(name, value)
                if choices is not None and value not in choices:  # a choice filter checks its own choices
                    _refuse(name, value)
        return super().filter_queryset(request, queryset, view)
