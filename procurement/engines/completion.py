"""Completion, supply and settlement rules as pure functions (vbp-rules.md: Contract and purchase completion,
Supply, Settlement). Plain values in, plain values out; the numbers are parameters with the documented defaults,
overridable per round through its rule set's parameters."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core.money import round_money

DEFAULTS = {
    "completion_margin": "0.10",  # warn when actual < expected − 10 percentage points
    "completion_grace_days": 60,  # ... after the first 60 days of the cycle
    "no_report_days": 35,  # a hospital with no report for 35 days is flagged
    "lead_time_city_days": 3,  # delivery lead time in the supplier's own city
    "lead_time_other_days": 5,  # elsewhere
    "delivery_rate_warning": "0.95",  # monthly delivery rate below 95 % → warning
    "prepayment_share": "0.30",  # the fund prepays at least 30 % of the annual agreed amount
    # Savings retention (结余留用): the hospital's share by completion band, highest band first.
    "retention_bands": [["1.00", "0.50"], ["0.90", "0.40"], ["0.80", "0.30"], ["0", "0"]],
}


def parameters(overrides: dict | None = None) -> dict:
    """The defaults with a round's rule-set parameters laid over them (only the keys named here)."""
    merged = dict(DEFAULTS)
    for name, value in (overrides or {}).items():
        if name in DEFAULTS:
            merged[name] = value
    return merged


def expected_progress(day: date, start: date, end: date) -> Decimal:
    """Straight line: the share of the cycle elapsed at ``day`` (0 before the start, 1 at and after the end)."""
    total = (end - start).days
    if total <= 0:
        return Decimal(1)
    elapsed = min(max((day - start).days, 0), total)
    return Decimal(elapsed) / Decimal(total)


def completion_rate(purchased: int, agreed: int) -> Decimal | None:
    """Purchased winner volume / agreed volume (over-completion above 1 is allowed); None without agreed volume."""
    if agreed <= 0:
        return None
    return Decimal(purchased) / Decimal(agreed)


@dataclass(frozen=True)
class Progress:
    rate: Decimal | None
    expected: Decimal
    behind: bool
    forecast: Decimal | None
    will_miss: bool


def progress(
    *, purchased: int, agreed: int, start: date, end: date, today: date, params: dict | None = None
) -> Progress:
    """Time-adjusted completion: behind when actual is below the expected curve by more than the margin (after the
    grace period); the forecast extends the run rate to the cycle end and flags who will miss 100 %."""
    params = params or DEFAULTS
    rate = completion_rate(purchased, agreed)
    expected = expected_progress(today, start, end)
    margin = Decimal(str(params["completion_margin"]))
    grace_over = today >= start + timedelta(days=int(params["completion_grace_days"]))
    behind = rate is not None and grace_over and rate < expected - margin
    forecast = None
    if rate is not None and expected > 0:
        forecast = rate / expected
    will_miss = forecast is not None and grace_over and forecast < 1
    return Progress(rate=rate, expected=expected, behind=behind, forecast=forecast, will_miss=will_miss)


def lead_time_days(*, same_city: bool, params: dict | None = None) -> int:
    params = params or DEFAULTS
    return int(params["lead_time_city_days"] if same_city else params["lead_time_other_days"])


def delivery_rate(on_time: int, ordered: int) -> Decimal | None:
    """Delivered on time / ordered."""
    if ordered <= 0:
        return None
    return Decimal(on_time) / Decimal(ordered)


def prepayment(annual_agreed_amount: Decimal, params: dict | None = None) -> Decimal:
    """The fund's prepayment to a hospital at cycle start: the share of its annual agreed purchase amount, to the
    fen."""
    params = params or DEFAULTS
    return round_money(Decimal(annual_agreed_amount) * Decimal(str(params["prepayment_share"])))


def retention_share(rate: Decimal | None, params: dict | None = None) -> Decimal:
    """The hospital's share of its savings by completion band."""
    params = params or DEFAULTS
    if rate is None:
        return Decimal(0)
    for minimum, share in params["retention_bands"]:
        if rate >= Decimal(str(minimum)):
            return Decimal(str(share))
    return Decimal(0)


@dataclass(frozen=True)
class Retention:
    budget: Decimal
    spending: Decimal
    savings: Decimal
    rate: Decimal | None
    share: Decimal
    retained: Decimal


def savings_retention(
    *, reference_price: Decimal, agreed: int, spending: Decimal, purchased: int, params: dict | None = None
) -> Retention:
    """结余留用: budget = pre-VBP reference price × agreed quantity; savings = budget − actual spending; the hospital
    keeps the share of its completion band. Money to the fen, rounded half up."""
    budget = round_money(Decimal(reference_price) * agreed)
    spending = round_money(spending)
    savings = budget - spending
    rate = completion_rate(purchased, agreed)
    share = retention_share(rate, params)
    retained = round_money(max(savings, Decimal(0)) * share)
    return Retention(budget=budget, spending=spending, savings=savings, rate=rate, share=share, retained=retained)
