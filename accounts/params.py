"""Query parameters and form values read by pages: each is checked, and a bad one is a 400 with a message that
names it (``InvalidParameter``, shown by ``BadRequestMiddleware`` in the platform's layout), never a 500."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

# The largest id any table hands out (a signed 64-bit key): beyond it a lookup would overflow the database's integer.
MAX_ID = 2**63 - 1


class InvalidParameter(BadRequest):
    """A value the user (or a link) gave that the page cannot use; its message is shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def id_param(data, name: str, *, label: str, required: bool = False) -> int | None:
    """A positive whole number naming a row (``?round=12``); empty means none."""
    value = (data.get(name) or "").strip()
    if not value:
        if required:
            raise InvalidParameter(_("%(field)s is required.") % {"field": label})
        return None
    if not value.isascii() or not value.isdigit() or not 0 < int(value) <= MAX_ID:
        raise InvalidParameter(_("%(field)s must be chosen from the list (got “%(value)s”).") % _shown(label, value))
    return int(value)


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
