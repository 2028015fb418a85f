"""Money and unit-price rounding: the platform's one place that decides how a Decimal is rounded.

Amounts in yuan are kept to the fen (0.01) and unit prices to 0.0001 yuan, both rounded half up (四舍五入), which
is how published procurement prices and settlement statements round.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import DecimalField

FEN = Decimal("0.01")
UNIT_PRICE_QUANTUM = Decimal("0.0001")
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
