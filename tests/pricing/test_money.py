from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pricing.money import round_money, round_unit_price


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.005", "0.01"), ("0.004", "0.00"), ("2.675", "2.68"), ("-0.005", "-0.01"), ("10", "10.00"), (3, "3.00")],
)
def test_round_money_half_up(value, expected):
    assert round_money(value) == Decimal(expected)


@pytest.mark.parametrize(("value", "expected"), [("55.23535", "55.2354"), ("0.00004", "0.0000"), ("1.2", "1.2000")])
def test_round_unit_price(value, expected):
    assert str(round_unit_price(value)) == expected


def test_float_is_refused():
    with pytest.raises(TypeError):
        round_money(0.1)


@given(st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False, places=6))
def test_rounding_moves_less_than_half_a_fen(value):
    assert abs(round_money(value) - value) <= Decimal("0.005")
