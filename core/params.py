"""Query parameters and form values read by pages: each is checked, and a bad one is a 400 with a message that
names it (``InvalidParameter``, shown by ``BadRequestMiddleware`` in the platform's layout), never a 500."""

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext as _

# The largest id any table hands out (a signed 64-bit key): beyond it a lookup would overflow the database's integer.
MAX_ID = 2**63 - 1


class InvalidParameter(BadRequest):
    """A value the user (or a link) gave that the page cannot use; its message is shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def id_param(data, name: str, *, label: str, required: bool = False, empty: bool = True) -> int | None:
    """A positive whole number naming a row (``?round=12``); empty means none (a page's form sends empty fields),
    unless ``empty=False`` (the API, whose schema documents a number)."""
    if not empty and name in data and not (data.get(name) or "").strip():
        raise InvalidParameter(_("%(field)s must be chosen from the list (got “%(value)s”).") % _shown(label, ""))
    value = (data.get(name) or "").strip()
    if not value:
        if required:
            raise InvalidParameter(_("%(field)s is required.") % {"field": label})
        return None
    if not value.isascii() or not value.isdigit() or not 0 < int(value) <= MAX_ID:
        raise InvalidParameter(_("%(field)s must be chosen from the list (got “%(value)s”).") % _shown(label, value))
    return int(value)


def id_list_param(data, name: str, *, label: str, most: int = 1000) -> list[int]:
    """Several row ids under one name (checkboxes ``?relation=3&relation=8``), each checked like ``id_param``; at
    most ``most`` of them."""
    values = data.getlist(name) if hasattr(data, "getlist") else list(data.get(name) or [])
    if len(values) > most:
        raise InvalidParameter(_("Choose at most %(most)s of %(field)s at once.") % {"most": most, "field": label})
    ids = []
    for value in values:
        value = str(value).strip()
        if not value.isascii() or not value.isdigit() or not 0 < int(value) <= MAX_ID:
            raise InvalidParameter(
                _("%(field)s must be chosen from the list (got “%(value)s”).") % _shown(label, value)
            )
        ids.append(int(value))
    return ids


def bool_param(data, name: str, *, label: str) -> bool | None:
    """A yes/no switch (``?in_force=true``): true, false, 1 or 0; empty means not given."""
    value = (data.get(name) or "").strip()
    if not value:
        return None
    if value.lower() not in ("true", "false", "1", "0"):
        raise InvalidParameter(_("%(field)s must be true or false (got “%(value)s”).") % _shown(label, value))
    return value.lower() in ("true", "1")


def month_param(data, name: str, *, label: str) -> datetime.date | None:
    """A month as YYYY-MM (``?month=2026-11``), as its first day; empty means none."""
    value = (data.get(name) or "").strip()
    if not value:
        return None
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise InvalidParameter(
            _("%(field)s must be a month written as YYYY-MM (got “%(value)s”).") % _shown(label, value)
        ) from None


def decimal_param(data, name: str, *, label: str, places: int = 4, maximum: Decimal = Decimal("1e10")):
    """A positive decimal with at most ``places`` decimal places and below ``maximum``; empty means none."""
    value = (data.get(name) or "").strip()
    if not value:
        return None
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or not 0 < number < maximum:
        raise InvalidParameter(_("%(field)s must be a positive number (got “%(value)s”).") % _shown(label, value))
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise InvalidParameter(
            _("%(field)s has at most %(places)s decimal places.") % {"field": label, "places": places}
        )
    return number


def _shown(label: str, value: str) -> dict:
    return {"field": label, "value": value if len(value) <= 40 else value[:40] + "…"}


# Whole numbers a form may take: quantities, days and counts never come near 10^12; above it a value could not be
# stored (SQLite and PostgreSQL integers are 64-bit) and would fail on the database instead of in the form.
MAX_FORM_INTEGER = 10**12


def bounded_formfield(db_field, **kwargs):
    """``Meta.formfield_callback`` of model forms: an integer field without an upper bound gets one (SQLite reports
    no range for its integers, so Django adds none), and choices of rows refuse numbers no key can have, so an
    overflowing number is a form error, not a server error."""
    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
    elif isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", BoundedModelChoiceField)
    field = db_field.formfield(**kwargs)
    if isinstance(field, forms.IntegerField) and field.max_value is None:
        field.max_value = MAX_FORM_INTEGER
        field.validators.append(MaxValueValidator(MAX_FORM_INTEGER))
        field.widget.attrs.setdefault("max", MAX_FORM_INTEGER)
    return field


def _key_in_range(value) -> bool:
    """A choice naming a row by a number that no key can have (beyond 64 bits) is refused before the database sees
    it: SQLite raises OverflowError and PostgreSQL an out-of-range error instead of finding nothing."""
    text = str(value).strip()
    if text[:1] == "-":
        text = text[1:]
    return not (text.isascii() and text.isdigit()) or int(text) <= MAX_ID


class BoundedModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not _key_in_range(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value or ():
            if not _key_in_range(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": str(item)[:40]}
                )
        return super()._check_values(value)


def filtered(filterset):
    """A page's list narrowed by its FilterSet, the same one its API list uses: a value a filter cannot take is a
    400 naming the filter and the parameter, as in the API, never silently ignored."""
    if not filterset.is_valid():
        name, errors = next(iter(filterset.errors.items()))
        label = filterset.filters[name].label or name
        raise InvalidParameter(
            _("%(field)s (%(name)s): %(error)s") % {"field": label, "name": name, "error": errors[0]}
        )
    return filterset.qs
