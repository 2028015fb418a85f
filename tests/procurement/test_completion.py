"""Completion, delivery and settlement rules: time-adjusted expectations, alerts, delivery rate, prepayment and
savings retention to the cent."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procurement import completion

START, END = date(2026, 1, 1), date(2026, 12, 31)


def test_expected_progress_is_a_straight_line():
    assert completion.expected_progress(START, START, END) == 0
    assert completion.expected_progress(date(2026, 7, 2), START, END) == Decimal(182) / Decimal(364)
    assert completion.expected_progress(END, START, END) == 1
    assert completion.expected_progress(date(2027, 3, 1), START, END) == 1


@pytest.mark.parametrize(
    ("purchased", "day", "behind", "will_miss"),
    [
        (399, date(2026, 7, 2), True, True),  # 39.9 % < 50 % − 10 points
        (400, date(2026, 7, 2), False, True),  # exactly at the margin is not behind
        (500, date(2026, 7, 2), False, False),
        (0, date(2026, 2, 28), False, False),  # within the first 60 days nobody is behind
        (1200, date(2026, 7, 2), False, False),  # over-completion
    ],
)
def test_behind_the_curve_after_the_grace_period(purchased, day, behind, will_miss):
    progress = completion.progress(purchased=purchased, agreed=1000, start=START, end=END, today=day)
    assert (progress.behind, progress.will_miss) == (behind, will_miss)


@given(st.integers(0, 10**9), st.integers(1, 10**9), st.integers(0, 400))
def test_forecast_is_rate_over_expected(purchased, agreed, days):
    today = START + timedelta(days=days)
    progress = completion.progress(purchased=purchased, agreed=agreed, start=START, end=END, today=today)
    expected = completion.expected_progress(today, START, END)
    if expected:
        assert progress.forecast == Decimal(purchased) / Decimal(agreed) / expected


def test_lead_time_and_delivery_rate():
    assert completion.lead_time_days(same_city=True) == 3 and completion.lead_time_days(same_city=False) == 5
    assert completion.delivery_rate(95, 100) == Decimal("0.95") and completion.delivery_rate(0, 0) is None


def test_prepayment_to_the_fen():
    assert completion.prepayment(Decimal("123456.785")) == Decimal("37037.04")  # 37037.0355 → half up


@pytest.mark.parametrize(
    ("purchased", "share", "retained"),
    [(1000, "0.50", "2250.00"), (999, "0.40", "1801.40"), (900, "0.40", "1940.00"), (899, "0.30", "1456.05"),
     (799, "0", "0.00")],
)  # fmt: skip
def test_savings_retention_by_completion_band(purchased, share, retained):
    # Budget 1000 × 8.0000 = 8000.00; spending = purchased × 3.5.
    result = completion.savings_retention(
        reference_price=Decimal("8.0000"), agreed=1000, spending=Decimal("3.5") * purchased, purchased=purchased
    )
    assert result.budget == Decimal("8000.00")
    assert result.savings == Decimal("8000.00") - (Decimal("3.5") * purchased).quantize(Decimal("0.01"))
    assert (result.share, result.retained) == (Decimal(share), Decimal(retained))


def test_overspending_retains_nothing():
    result = completion.savings_retention(
        reference_price=Decimal("1"), agreed=100, spending=Decimal("150"), purchased=100
    )
    assert result.savings == Decimal("-50.00") and result.retained == Decimal("0.00")


def test_round_parameters_override_the_defaults():
    params = completion.parameters({"completion_margin": "0.05", "unknown": 1})
    assert params["completion_margin"] == "0.05" and "unknown" not in params
