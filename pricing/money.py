"""Money and unit-price rounding: the platform's one place that decides how a Decimal is rounded.

Amounts in yuan are kept to the fen (0.01) and unit prices to 0.0001 yuan, both rounded half up (四舍五入), which
is how published procurement prices and settlement statements round.
"""

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
UNIT_PRICE_QUANTUM = Decimal("0.0001")


def to_decimal(value) -> Decimal:
    """A Decimal from a string, int or Decimal; floats are refused because they carry binary noise."""
    if isinstance(value, float):
        raise TypeError("money is never a float; pass a string or Decimal")
    return value if isinstance(value, Decimal) else Decimal(str(value))


def round_money(value) -> Decimal:
    return to_decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def round_unit_price(value) -> Decimal:
    return to_decimal(value).quantize(UNIT_PRICE_QUANTUM, rounding=ROUND_HALF_UP)
