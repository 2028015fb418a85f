"""Trading deadlines on the real calendar (chinesecalendar plus the authority's adjustments): the worked example of
trading-rules.md in 2026, the Dragon Boat holiday, and a year whose schedule is not loaded."""

from datetime import date, datetime

import pytest

from credit.models import WorkdayAdjustment
from procurement.engines.trading import DEFAULT_TRADING_RULE_SETS
from procurement.exceptions import ProcurementError
from procurement.services.trading_clock import SHANGHAI, due

HUNAN = DEFAULT_TRADING_RULE_SETS[0]["parameters"]
pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def test_the_worked_example_on_the_2026_calendar():
    assert due(HUNAN, "response", "general_remote", at(2026, 5, 12, 10)) == at(2026, 5, 15, 0)
    assert due(HUNAN, "delivery", "general_remote", at(2026, 5, 13, 9)) == at(2026, 5, 18, 9)


def test_the_dragon_boat_holiday_is_not_a_working_day():
    # Thu 18 June 2026 + 2 working days: Fri 19 June is the Dragon Boat holiday → Mon 22, Tue 23 → Wed 24 00:00.
    assert due(HUNAN, "response", "general", at(2026, 6, 18, 15)) == at(2026, 6, 24, 0)


def test_an_event_given_in_utc_is_counted_in_shanghai():
    # 17:00 UTC on Tue 12 May is 01:00 on Wed 13 May in Shanghai: the day that never counts is Wednesday.
    from datetime import UTC

    assert due(HUNAN, "response", "general", datetime(2026, 5, 12, 17, tzinfo=UTC)) == at(2026, 5, 16, 0)


def test_a_year_without_its_schedule_is_refused_until_the_authority_enters_it():
    with pytest.raises(ProcurementError) as refused:
        due(HUNAN, "response", "general", at(2026, 12, 30, 10))
    assert refused.value.code == "calendar_not_loaded"
    WorkdayAdjustment.objects.create(day=date(2027, 1, 1), is_workday=False, name="元旦")
    assert due(HUNAN, "response", "general", at(2026, 12, 30, 10)) == at(2027, 1, 5, 0)
