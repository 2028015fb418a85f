"""Price governance rules as pure functions (vbp-rules.md, Pricing): payment standards linked to the winning price,
listing price caps, and the abnormal price and supply change warnings. Numbers are parameters with the documented
defaults (the *(platform default)* ones were not found in a national source)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.money import round_unit_price

DEFAULTS = {
    # Payment standard (医保支付标准), 2019 national rule.
    "non_winner_multiple": "2",  # a non-winner priced at 2 × the winning price or more ...
    "non_winner_cut": "0.30",  # ... gets its own price − 30 %
    "convergence_years": 3,  # standards converge on the winning price over 3 years (yearly steps)
    # Listing (挂网).
    "other_region_multiple": "1.5",  # outside its supply regions a winner lists at most at 1.5 × its winning price
    # Abnormal price changes (platform defaults).
    "rise_threshold": "0.10",  # a listed price rise above 10 % in one change
    "max_changes_12_months": 2,  # more than 2 changes in 12 months
    "regional_gap_multiple": "1.5",  # above 1.5 × the lowest listed price of the same product in other regions
    "comparable_gap_multiple": "1.5",  # above 1.5 × the lowest unit-comparable price of equivalent products
    # Supply anomalies (platform defaults).
    "delivery_rate_warning": "0.95",
    "substitution_share_warning": "0.20",  # a fifth of a group's purchases are substitutes
    "delivery_drop_warning": "0.30",  # deliveries of the last 30 days fell by 30 % against the 30 days before
    # The warning workflow's deadlines (days).
    "inquiry_days": 10,
    "interview_days": 15,
}


def parameters(overrides: dict | None = None) -> dict:
    merged = dict(DEFAULTS)
    merged.update({key: value for key, value in (overrides or {}).items() if key in DEFAULTS})
    return merged


def _d(value) -> Decimal:
    return Decimal(str(value))


@dataclass(frozen=True)
class Standard:
    """A product's payment standard per comparable unit: the first year's value, the winning price it converges
    on, and the rule that gave it."""

    initial: Decimal
    final: Decimal
    basis: str

    def on(self, start: date, day: date, years: int) -> Decimal:
        """The standard in force on ``day``: yearly steps from the initial value to the winning price."""
        if self.initial == self.final or years <= 0:
            return self.final
        elapsed = max(0, (day - start).days) // 365
        if elapsed >= years:
            return self.final
        step = (self.initial - self.final) * elapsed / years
        return round_unit_price(self.initial - step)


def payment_standard(
    *,
    winning_price: Decimal,
    product_price: Decimal | None,
    won: bool,
    consistency_evaluated: bool,
    params: dict | None = None,
) -> Standard:
    """The standard of one product of a group, per comparable unit (2019 rule): winners at their own winning price
    (the group's standard is the winning price); a non-winner priced at ``multiple`` × the winning price or more:
    its own price − ``cut``; below that: the winning price; a product without the consistency evaluation at most the
    winning price. A non-winner with no known price gets the winning price."""
    params = params or DEFAULTS
    winning_price = _d(winning_price)
    if won:
        return Standard(winning_price, winning_price, "winner")
    if not consistency_evaluated:
        return Standard(winning_price, winning_price, "not_evaluated")
    if product_price is None:
        return Standard(winning_price, winning_price, "no_price")
    product_price = _d(product_price)
    if product_price >= winning_price * _d(params["non_winner_multiple"]):
        own = round_unit_price(product_price * (1 - _d(params["non_winner_cut"])))
        return Standard(own, winning_price, "far_above")
    return Standard(winning_price, winning_price, "near")


def listing_cap(
    *, winning_price: Decimal, highest_group_price: Decimal, in_supply_region: bool, params: dict | None = None
) -> tuple[Decimal, str]:
    """The highest price a winner may list at (per smallest unit): its winning price in its supply regions;
    elsewhere at most 1.5 × its winning price or the group's highest winning price, whichever is lower."""
    params = params or DEFAULTS
    if in_supply_region:
        return _d(winning_price), "winning_price"
    cap = min(_d(winning_price) * _d(params["other_region_multiple"]), _d(highest_group_price))
    return round_unit_price(cap), "other_region_cap"


def price_change_warnings(
    *,
    old_price: Decimal | None,
    new_price: Decimal,
    changes_last_12_months: int,
    lowest_other_region: Decimal | None,
    lowest_equivalent_comparable: Decimal | None,
    own_comparable: Decimal | None,
    params: dict | None = None,
) -> list[tuple[str, dict]]:
    """The abnormal price change warnings a new listed price raises, each with the figures that triggered it."""
    params = params or DEFAULTS
    new_price = _d(new_price)
    found = []
    if old_price is not None and _d(old_price) > 0:
        rise = (new_price - _d(old_price)) / _d(old_price)
        if rise > _d(params["rise_threshold"]):
            found.append(
                (
                    "price_rise",
                    {"old": str(old_price), "new": str(new_price), "rise": str(rise.quantize(Decimal("0.0001")))},
                )
            )
    if changes_last_12_months > int(params["max_changes_12_months"]):
        found.append(("frequent_changes", {"changes": changes_last_12_months}))
    if lowest_other_region is not None and new_price > _d(lowest_other_region) * _d(params["regional_gap_multiple"]):
        found.append(("regional_gap", {"price": str(new_price), "lowest_elsewhere": str(lowest_other_region)}))
    if (
        own_comparable is not None
        and lowest_equivalent_comparable is not None
        and _d(own_comparable) > _d(lowest_equivalent_comparable) * _d(params["comparable_gap_multiple"])
    ):
        found.append(
            (
                "comparable_gap",
                {"comparable": str(own_comparable), "lowest_equivalent": str(lowest_equivalent_comparable)},
            )
        )
    return found


def supply_warnings(
    *,
    delivery_rate: Decimal | None,
    substitution_share: Decimal | None,
    deliveries_recent: int,
    deliveries_before: int,
    params: dict | None = None,
) -> list[tuple[str, dict]]:
    """Supply anomalies of a winner in a group: delivery rate under the threshold, hospitals switching to
    substitutes, deliveries falling."""
    params = params or DEFAULTS
    found = []
    if delivery_rate is not None and delivery_rate < _d(params["delivery_rate_warning"]):
        found.append(("low_delivery_rate", {"rate": str(delivery_rate.quantize(Decimal("0.0001")))}))
    if substitution_share is not None and substitution_share > _d(params["substitution_share_warning"]):
        found.append(("substitution_switch", {"share": str(substitution_share.quantize(Decimal("0.0001")))}))
    if deliveries_before > 0:
        drop = Decimal(deliveries_before - deliveries_recent) / Decimal(deliveries_before)
        if drop > _d(params["delivery_drop_warning"]):
            found.append(("delivery_drop", {"recent": deliveries_recent, "before": deliveries_before}))
    return found
