"""The defence window is counted on the Chinese working-day calendar."""

from datetime import date

import pytest

from credit.models import WorkdayAdjustment
from credit.workdays import add_working_days, is_workday

pytestmark = pytest.mark.django_db


def test_window_across_national_day_counts_the_adjusted_saturday():
    # 1–7 Oct 2026 are holidays and Saturday 10 Oct is an adjusted working day (调休).
    assert add_working_days(date(2026, 9, 28), 10) == date(2026, 10, 16)


def test_plain_weeks_skip_weekends():
    assert add_working_days(date(2026, 11, 2), 10) == date(2026, 11, 16)


def test_a_year_the_package_does_not_cover_falls_back_to_monday_to_friday_unless_entered():
    assert is_workday(date(2027, 1, 1))  # a Friday: no schedule known yet
    WorkdayAdjustment.objects.create(day=date(2027, 1, 1), is_workday=False, name="元旦")
    assert not is_workday(date(2027, 1, 1))
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_an_entered_adjustment_overrides_the_package():
    WorkdayAdjustment.objects.create(day=date(2026, 11, 3), is_workday=False, name="local holiday")
    assert add_working_days(date(2026, 11, 2), 1) == date(2026, 11, 4)
