"""Completion, delivery and settlement rules: time-adjusted expectations, alerts, delivery rate, prepayment and
savings retention to the cent."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procurement.engines import completion

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


def test_a_hospital_without_agreed_volume_is_neither_behind_nor_forecast():
    """A hospital that reported no demand has no agreed volume: no rate, no forecast, no alert, even when it buys."""
    progress = completion.progress(purchased=50, agreed=0, start=START, end=END, today=date(2026, 9, 1))
    assert progress == completion.Progress(
        rate=None, expected=Decimal(243) / Decimal(364), behind=False, forecast=None, will_miss=False
    )


def test_the_grace_period_ends_on_its_sixtieth_day():
    """60 days after 1 January is 2 March: from that day a hospital far behind is flagged, the day before not."""
    day_59, day_60 = START + timedelta(days=59), START + timedelta(days=60)
    before = completion.progress(purchased=0, agreed=1000, start=START, end=END, today=day_59)
    on = completion.progress(purchased=0, agreed=1000, start=START, end=END, today=day_60)
    assert (before.behind, before.will_miss) == (False, False)
    assert on == completion.Progress(
        rate=Decimal(0), expected=Decimal(60) / Decimal(364), behind=True, forecast=Decimal(0), will_miss=True
    )


def test_no_forecast_on_the_first_day_of_the_cycle():
    progress = completion.progress(purchased=10, agreed=1000, start=START, end=END, today=START)
    assert progress == completion.Progress(
        rate=Decimal("0.01"), expected=Decimal(0), behind=False, forecast=None, will_miss=False
    )


def test_short_and_empty_cycles():
    """A one-day cycle expects nothing on its first day and everything on its last; a cycle that ends when it
    starts (an agreement signed for a day that is over) expects everything, even before it."""
    one_day = date(2026, 1, 2)
    assert completion.expected_progress(START, START, one_day) == 0
    assert completion.expected_progress(one_day, START, one_day) == 1
    assert completion.expected_progress(date(2025, 12, 31), START, START) == 1


def test_one_order_delivered_on_time_is_a_full_delivery_rate():
    assert completion.delivery_rate(1, 1) == Decimal(1)
    assert completion.delivery_rate(0, 1) == Decimal(0)


def test_retention_bands_of_the_round():
    """A round that pays retention only from 90 % completion (40 %) and 100 % (60 %): at 85 % nothing is retained,
    and a hospital without agreed volume retains nothing either."""
    params = completion.parameters({"retention_bands": [["1.00", "0.60"], ["0.90", "0.40"]]})
    assert completion.retention_share(Decimal("0.85"), params) == Decimal(0)
    result = completion.savings_retention(
        reference_price=Decimal("8.0000"), agreed=1000, spending=Decimal("3500.00"), purchased=1000, params=params
    )
    assert result == completion.Retention(
        budget=Decimal("8000.00"),
        spending=Decimal("3500.00"),
        savings=Decimal("4500.00"),
        rate=Decimal(1),
        share=Decimal("0.60"),
        retained=Decimal("2700.00"),
    )
    no_volume = completion.savings_retention(
        reference_price=Decimal("8.0000"), agreed=0, spending=Decimal("120.004"), purchased=15
    )
    assert no_volume == completion.Retention(
        budget=Decimal("0.00"),
        spending=Decimal("120.00"),
        savings=Decimal("-120.00"),
        rate=None,
        share=Decimal(0),
        retained=Decimal("0.00"),
    )
