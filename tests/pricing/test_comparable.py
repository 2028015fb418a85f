from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pricing.comparable import Coefficients, IncomparableStrength, Presentation, coefficient_power, comparable_price

REF = Presentation(Decimal("20"), "mg", 7)


def test_published_ceiling_pair_reproduces():
    # 93.9 per 40 mg unit ↔ 55.2353 per 20 mg unit (K_strength 1.7), per unit so pack 1 against pack 1.
    assert comparable_price("93.9", Presentation(Decimal(40), "mg", 1), Presentation(Decimal(20), "mg", 1)) == Decimal(
        "55.2353"
    )


def test_reference_presentation_is_price_per_unit():
    assert comparable_price("7.00", REF, REF) == Decimal("1.0000")


def test_pack_size_is_linear_by_default():
    assert comparable_price("28.00", Presentation(Decimal(20), "mg", 28), REF) == Decimal("1.0000")
    assert comparable_price("14.00", Presentation(Decimal(20), "mg", 14), REF) == Decimal("1.0000")


def test_units_convert():
    in_grams = comparable_price("10", Presentation(Decimal("0.02"), "g", 7), REF)
    assert in_grams == comparable_price("10", REF, REF)


def test_strength_not_power_of_two_uses_logarithms():
    # 30 mg against 20 mg: 1.7 ** log2(1.5) = 1.3639...; 7 / 7 / that
    value = comparable_price("7", Presentation(Decimal(30), "mg", 7), REF)
    assert value == Decimal("0.7332")


def test_pack_factor_parameter():
    # 2011 listing rule: 1.95 per doubling; 14 against 7 is one doubling.
    value = comparable_price("19.5", Presentation(Decimal(20), "mg", 14), REF, Coefficients(k_pack=Decimal("1.95")))
    assert value == Decimal("1.4286")  # 19.5 / 1.95 / 7


def test_incomparable_units():
    with pytest.raises(IncomparableStrength):
        comparable_price("1", Presentation(Decimal(5), "ml", 1), REF)


def test_exact_integer_exponents():
    assert coefficient_power(Decimal("1.7"), Decimal(4)) == Decimal("2.89")
    assert coefficient_power(Decimal("1.7"), Decimal("0.5")) == Decimal(1) / Decimal("1.7")


prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10000), places=2)


@given(prices, st.integers(min_value=1, max_value=200))
@example(Decimal("0.01"), 40)  # exactly half a ten-thousandth: rounds up only if 2 ** log2(40) is exactly 40
def test_linear_pack_means_price_per_unit(price, pack):
    bid = Presentation(Decimal(20), "mg", pack)
    expected = (price / pack).quantize(Decimal("0.0001"), rounding="ROUND_HALF_UP")
    assert comparable_price(price, bid, Presentation(Decimal(20), "mg", 1)) == expected


@given(prices, prices)
def test_monotonic_in_price(low, high):
    bid = Presentation(Decimal(40), "mg", 28)
    if low <= high:
        assert comparable_price(low, bid, REF) <= comparable_price(high, bid, REF)
