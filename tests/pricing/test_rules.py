"""Price governance rules at their thresholds: payment standards, listing caps, price and supply warnings."""

from datetime import date
from decimal import Decimal as D

import pytest

from pricing.engines import rules


@pytest.mark.parametrize(
    ("price", "won", "evaluated", "initial", "basis"),
    [
        (None, True, True, "1.0000", "winner"),
        ("2.0000", False, True, "1.4000", "far_above"),  # exactly 2 × the winning price: own price − 30 %
        ("1.9999", False, True, "1.0000", "near"),  # below 2 ×: the winning price
        ("5.0000", False, False, "1.0000", "not_evaluated"),  # no consistency evaluation: at most the winning price
        (None, False, True, "1.0000", "no_price"),
    ],
)
def test_payment_standard(price, won, evaluated, initial, basis):
    standard = rules.payment_standard(
        winning_price=D("1.0000"), product_price=D(price) if price else None, won=won, consistency_evaluated=evaluated
    )
    assert (standard.initial, standard.final, standard.basis) == (D(initial), D("1.0000"), basis)


def test_standard_converges_in_yearly_steps():
    standard = rules.Standard(D("1.4000"), D("1.0000"), "far_above")
    start = date(2026, 1, 1)
    assert standard.on(start, date(2026, 12, 31), 3) == D("1.4000")
    assert standard.on(start, date(2027, 1, 1), 3) == D("1.2667")
    assert standard.on(start, date(2028, 1, 1), 3) == D("1.1333")
    assert standard.on(start, date(2029, 1, 1), 3) == D("1.0000")


def test_listing_cap_inside_and_outside_the_supply_regions():
    assert rules.listing_cap(winning_price=D("0.5"), highest_group_price=D("0.9"), in_supply_region=True) == (
        D("0.5"), "winning_price"
    )  # fmt: skip
    assert rules.listing_cap(winning_price=D("0.5"), highest_group_price=D("0.9"), in_supply_region=False)[0] == D(
        "0.75"
    )
    assert rules.listing_cap(winning_price=D("0.5"), highest_group_price=D("0.6"), in_supply_region=False)[0] == D(
        "0.6"
    )


def kinds(**values):
    base = {"old_price": None, "new_price": D("1"), "changes_last_12_months": 0, "lowest_other_region": None,
            "lowest_equivalent_comparable": None, "own_comparable": None}  # fmt: skip
    return [kind for kind, _details in rules.price_change_warnings(**{**base, **values})]


def test_price_warning_thresholds():
    assert kinds(old_price=D("1.0000"), new_price=D("1.1000")) == []  # exactly 10 %: no warning
    assert kinds(old_price=D("1.0000"), new_price=D("1.1001")) == ["price_rise"]
    assert kinds(changes_last_12_months=2) == [] and kinds(changes_last_12_months=3) == ["frequent_changes"]
    assert kinds(new_price=D("1.5"), lowest_other_region=D("1")) == []
    assert kinds(new_price=D("1.5001"), lowest_other_region=D("1")) == ["regional_gap"]
    assert kinds(own_comparable=D("0.15"), lowest_equivalent_comparable=D("0.1")) == []
    assert kinds(own_comparable=D("0.1501"), lowest_equivalent_comparable=D("0.1")) == ["comparable_gap"]


def test_supply_warning_thresholds():
    def supply(**values):
        base = {"delivery_rate": None, "substitution_share": None, "deliveries_recent": 0, "deliveries_before": 0}
        return [kind for kind, _d in rules.supply_warnings(**{**base, **values})]

    assert supply(delivery_rate=D("0.95")) == [] and supply(delivery_rate=D("0.9499")) == ["low_delivery_rate"]
    assert supply(substitution_share=D("0.20")) == [] and supply(substitution_share=D("0.2001")) == [
        "substitution_switch"
    ]
    assert supply(deliveries_recent=70, deliveries_before=100) == []
    assert supply(deliveries_recent=69, deliveries_before=100) == ["delivery_drop"]
