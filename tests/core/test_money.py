from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.money import InvalidPrice, has_unit_price_places, parse_unit_price, round_money, round_unit_price


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


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("12.5", "12.5000"), (" 0.0001 ", "0.0001"), ("3.10000", "3.1000"), ("9999999999.9999", "9999999999.9999")],
)
def test_a_typed_price_keeps_its_value_with_four_places(typed, expected):
    assert str(parse_unit_price(typed)) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "not a number"),
        ("", "not a number"),
        ("NaN", "greater than zero"),
        ("-Infinity", "greater than zero"),
        ("0", "greater than zero"),
        ("-1", "greater than zero"),
        ("10000000000", "too large"),
        ("1.00001", "at most 4 decimal places"),
    ],
)
def test_a_price_that_cannot_be_a_price_is_refused_with_a_reason(typed, message):
    with pytest.raises(InvalidPrice) as refused:
        parse_unit_price(typed)
    assert message in refused.value.message and refused.value.code == "price"


def test_the_ceiling_of_a_price_is_the_callers():
    assert parse_unit_price("99.9999", maximum=Decimal(100)) == Decimal("99.9999")
    with pytest.raises(InvalidPrice, match="below 100 yuan"):
        parse_unit_price("100", maximum=Decimal(100))


@given(st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("9999999999.9999"), places=4))
def test_every_four_place_price_parses_to_itself(value):
    assert parse_unit_price(str(value)) == value and has_unit_price_places(value)
