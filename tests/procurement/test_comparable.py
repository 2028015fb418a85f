from decimal import ROUND_DOWN, Context, Decimal, localcontext

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from procurement.engines.comparable import (
    Coefficients,
    IncomparableStrength,
    Presentation,
    SpecCeiling,
    coefficient_power,
    comparable_price,
    spec_ceiling_comparable,
)

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


def test_a_reference_product_in_grams_converts_too():
    """The reference is 0.5 g × 10; a bid of 250 mg × 10 is half its strength: 17 × 1.7 / 10 per 0.5 g unit."""
    reference = Presentation(Decimal("0.5"), "g", 10)
    assert comparable_price("17", Presentation(Decimal(250), "mg", 10), reference) == Decimal("2.8900")
    assert comparable_price("17", Presentation(Decimal(1), "g", 10), Presentation(Decimal(500), "mg", 10)) == Decimal(
        "1.0000"
    )  # twice the strength: 17 / 1.7 / 10


def test_sub_milligram_strengths():
    """Levothyroxine-like strengths: 0.05 mg against a 0.1 mg reference, and micrograms against milligrams."""
    reference = Presentation(Decimal("0.1"), "mg", 1)
    assert comparable_price("1.7", Presentation(Decimal("0.05"), "mg", 1), reference) == Decimal("2.8900")
    assert comparable_price("1.7", Presentation(Decimal(50), "μg", 1), reference) == Decimal("2.8900")
    assert comparable_price("1", Presentation(Decimal("0.1"), "mg", 1), Presentation(Decimal("0.1"), "mg", 1)) == 1


@pytest.mark.parametrize(
    ("bid", "reference", "message"),
    [
        (Presentation(Decimal(0), "mg", 7), REF, "strengths must be positive"),
        (REF, Presentation(Decimal(0), "mg", 7), "strengths must be positive"),
        (Presentation(Decimal(20), "mg", 0), REF, "packs must be positive"),
        (REF, Presentation(Decimal(20), "mg", 0), "packs must be positive"),
    ],
)
def test_zero_strengths_and_packs_are_refused(bid, reference, message):
    with pytest.raises(ValueError, match=f"^{message}$"):
        comparable_price("1", bid, reference)


def test_incomparable_units_name_both():
    with pytest.raises(IncomparableStrength, match=r"^ml does not convert to mg$"):
        comparable_price("1", Presentation(Decimal(5), "ml", 1), REF)


def test_whole_exponents_are_exact_not_approximations():
    """2 ** -1 is 0.5 and 1.7 ** 2 is 2.89 exactly (as shown in an explanation), not 28 digits from logarithms."""
    assert str(coefficient_power(Decimal("2"), Decimal("0.5"))) == "0.5"
    assert str(coefficient_power(Decimal("1.7"), Decimal(4))) == "2.89"
    assert str(coefficient_power(Decimal("1.95"), Decimal(16))) == "14.45900625"
    assert str(coefficient_power(Decimal("2"), Decimal("0.125"))) == "0.125"


def test_the_callers_decimal_context_does_not_change_a_price():
    """A view or export working at 4 digits rounding down gets the same comparable price."""
    expected = comparable_price("7", Presentation(Decimal(30), "mg", 7), REF)
    with localcontext(Context(prec=4, rounding=ROUND_DOWN)):
        assert comparable_price("7", Presentation(Decimal(30), "mg", 7), REF) == expected == Decimal("0.7332")


def test_ceilings_per_specification_in_comparable_units():
    """Round 2 candesartan: the 4 mg reference (× 14) has its own ceiling 0.80 per tablet, 8 mg has 1.10 (not
    0.80 × 1.7). An 8 mg bid is measured against 1.10 / 1.7 = 0.6471 per 4 mg unit; a 2 mg bid, one in ml, or a
    specification with no strength name no ceiling of their own."""
    reference = Presentation(Decimal(4), "mg", 14)
    ceilings = [
        SpecCeiling(Decimal(0), "mg", Decimal("9")),
        SpecCeiling(Decimal(4), "mg", Decimal("0.80")),
        SpecCeiling(Decimal("0.008"), "g", Decimal("1.10")),
    ]
    assert spec_ceiling_comparable(ceilings, Presentation(Decimal(8), "mg", 28), reference) == Decimal("0.6471")
    assert spec_ceiling_comparable(ceilings, Presentation(Decimal(4), "mg", 7), reference) == Decimal("0.8000")
    assert spec_ceiling_comparable(ceilings, Presentation(Decimal(2), "mg", 14), reference) is None
    assert spec_ceiling_comparable(ceilings, Presentation(Decimal(4), "ml", 14), reference) is None
    k_strength_2 = Coefficients(k_strength=Decimal(2))
    assert spec_ceiling_comparable(ceilings, Presentation(Decimal(8), "mg", 28), reference, k_strength_2) == Decimal(
        "0.5500"
    )
