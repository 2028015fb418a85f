"""Money and unit prices: the platform's one place that decides how a Decimal is rounded and what a price may be.

Amounts in yuan are kept to the fen (0.01) and unit prices to 0.0001 yuan, both rounded half up (四舍五入), which
is how published procurement prices and settlement statements round. A price typed by a person or sent by a
system is parsed here, never rounded: more than 4 decimal places is refused, not silently cut.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import connection
from django.db.models import DecimalField
from django.utils.translation import gettext as _

from .errors import DomainError

FEN = Decimal("0.01")
UNIT_PRICE_QUANTUM = Decimal("0.0001")
# Prices are stored with 14 digits, 4 of them decimals: a price is below 10^10 yuan.
MAX_UNIT_PRICE = Decimal(10) ** 10
# The type of money sums made by the database: wide enough for any round's Σ quantity × price.
SUM_FIELD = DecimalField(max_digits=38, decimal_places=4)


def database_sums_money_exactly() -> bool:
    """Whether sums of amounts and of quantity × price may be left to the database: PostgreSQL's numeric is exact
    decimal arithmetic; the embedded SQLite database keeps decimals as floating point, so there the readers add the
    rows' own values in Python instead (demo-sized data)."""
    return connection.vendor == "postgresql"


def to_decimal(value) -> Decimal:
    """A Decimal from a string, int or Decimal; floats are refused because they carry binary noise."""
    if isinstance(value, float):
        raise TypeError("money is never a float; pass a string or Decimal")
    return value if isinstance(value, Decimal) else Decimal(str(value))


def round_money(value) -> Decimal:
    return to_decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def round_unit_price(value) -> Decimal:
    return to_decimal(value).quantize(UNIT_PRICE_QUANTUM, rounding=ROUND_HALF_UP)


class InvalidPrice(DomainError):
    """A price that is not a number, not above zero, too large or more precise than 4 decimal places."""

    def __init__(self, message) -> None:
        super().__init__(message, code="price")


def has_unit_price_places(value: Decimal) -> bool:
    """Whether ``value`` has at most 4 decimal places (trailing zeros do not count)."""
    return value == value.quantize(UNIT_PRICE_QUANTUM)


def parse_unit_price(value, *, maximum: Decimal = MAX_UNIT_PRICE) -> Decimal:
    """A price from a form, file or request: a number above zero and below ``maximum`` with at most 4 decimal
    places, returned with exactly 4. Raises :class:`InvalidPrice` with a message for the person who typed it."""
    try:
        price = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidPrice(_("The price is not a number.")) from None
    if not price.is_finite() or price <= 0:
        raise InvalidPrice(_("The price must be greater than zero."))
    if price >= maximum:
        raise InvalidPrice(_("The price is too large: it must be below %(max)s yuan.") % {"max": f"{maximum:,}"})
    if not has_unit_price_places(price):
        raise InvalidPrice(_("A price has at most 4 decimal places."))
    return price.quantize(UNIT_PRICE_QUANTUM)
