"""The trading rule sets' clocks (trading-rules.md, "Deadlines"): the worked example's deadlines, the three clocks'
properties on random calendars, and the rule-set library's parameter checks."""

import copy
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procurement.engines.trading import (
    CLOCK_HOURS,
    DEFAULT_TRADING_RULE_SETS,
    GENERAL_REMOTE,
    HOURS_EXCL_HOLIDAYS,
    WORKING_DAYS,
    CalendarError,
    ParameterError,
    check_parameters,
    deadline,
    span_for,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
HUNAN = DEFAULT_TRADING_RULE_SETS[0]["parameters"]
# 2026: the Dragon Boat holiday is Fri 19 June – Sun 21 June; May's weekends are the only days off in the example.
HOLIDAYS_2026 = {date(2026, 6, 19)}


def workday(day: date) -> bool:
    return day.weekday() < 5 and day not in HOLIDAYS_2026


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def test_worked_example_response_ends_at_midnight_of_the_second_working_day():
    clock, amount = span_for(HUNAN, "response", GENERAL_REMOTE)
    assert deadline(at(2026, 5, 12, 10), clock, amount, workday) == at(2026, 5, 15, 0)  # Thu 14 May 24:00


def test_worked_example_remote_delivery_skips_the_weekend():
    clock, amount = span_for(HUNAN, "delivery", GENERAL_REMOTE)
    assert (clock, amount) == (HOURS_EXCL_HOLIDAYS, 72)
    assert deadline(at(2026, 5, 13, 9), clock, amount, workday) == at(2026, 5, 18, 9)  # Mon 18 May 09:00


def test_working_days_skip_a_holiday_and_never_count_the_event_day():
    # Thu 18 June 23:59 + 1 working day: Fri 19 June is the Dragon Boat holiday → Mon 22 June 24:00.
    assert deadline(at(2026, 6, 18, 23, 59), WORKING_DAYS, 1, workday) == at(2026, 6, 23, 0)


def test_an_event_on_a_holiday_starts_counting_hours_at_the_next_working_day():
    assert deadline(at(2026, 5, 16, 15), HOURS_EXCL_HOLIDAYS, 10, workday) == at(2026, 5, 18, 10)


def test_clock_hours_count_every_hour():
    assert deadline(at(2026, 5, 16, 15), CLOCK_HOURS, 12, workday) == at(2026, 5, 17, 3)


def test_a_calendar_without_working_days_is_an_error_not_a_loop():
    with pytest.raises(CalendarError):
        deadline(at(2026, 5, 12, 10), WORKING_DAYS, 2, lambda day: False)
    with pytest.raises(CalendarError):
        deadline(at(2026, 5, 12, 10), HOURS_EXCL_HOLIDAYS, 2, lambda day: False)


def test_an_unloaded_year_is_an_error_from_the_calendar():
    def loaded_2026_only(day):
        if day.year != 2026:
            raise CalendarError(f"{day.year} is not loaded")
        return workday(day)

    with pytest.raises(CalendarError):
        deadline(at(2026, 12, 31, 10), WORKING_DAYS, 2, loaded_2026_only)


calendars = st.frozensets(st.integers(min_value=0, max_value=120), max_size=60)
moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 3, 1)).map(
    lambda moment: moment.replace(tzinfo=SHANGHAI, microsecond=0)
)
START = date(2026, 1, 1)


def calendar_of(days_off):
    return lambda day: (day - START).days not in days_off


@given(moments, st.integers(min_value=1, max_value=100), calendars)
def test_working_hours_count_exactly_the_hours_on_working_days(event, hours, days_off):
    is_workday = calendar_of(days_off)
    end = deadline(event, HOURS_EXCL_HOLIDAYS, hours, is_workday)
    assert end >= event + timedelta(hours=hours)
    counted, moment = timedelta(0), event
    while moment < end:
        step = min(end, datetime.combine(moment.date() + timedelta(days=1), datetime.min.time(), tzinfo=SHANGHAI))
        if is_workday(moment.date()):
            counted += step - moment
        moment = step
    assert counted == timedelta(hours=hours)


@given(moments, st.integers(min_value=1, max_value=20), calendars)
def test_working_days_end_at_midnight_after_exactly_n_working_days(event, days, days_off):
    is_workday = calendar_of(days_off)
    end = deadline(event, WORKING_DAYS, days, is_workday)
    assert end.time() == datetime.min.time()
    between = [event.date() + timedelta(days=offset) for offset in range(1, (end.date() - event.date()).days)]
    assert sum(is_workday(day) for day in between) == days
    assert is_workday(between[-1])


@given(moments, st.integers(min_value=1, max_value=20), st.integers(min_value=1, max_value=20), calendars)
def test_a_longer_span_never_ends_earlier(event, shorter, extra, days_off):
    is_workday = calendar_of(days_off)
    for clock in (WORKING_DAYS, HOURS_EXCL_HOLIDAYS, CLOCK_HOURS):
        assert deadline(event, clock, shorter, is_workday) <= deadline(event, clock, shorter + extra, is_workday)


def test_every_library_rule_set_passes_its_own_checks():
    for entry in DEFAULT_TRADING_RULE_SETS:
        assert check_parameters(copy.deepcopy(entry["parameters"])) == entry["parameters"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: p.update(remote_kms=50), "parameters.remote_kms: not a trading parameter"),
        (lambda p: p.pop("remote_km"), "parameters.remote_km: missing"),
        (lambda p: p["response"].pop("emergency"), "parameters.response: one entry for each"),
        (lambda p: p["delivery"]["general"].update(clock="days"), "parameters.delivery.general.clock"),
        (lambda p: p["delivery"]["general"].update(amount=0), "parameters.delivery.general.amount"),
        (lambda p: p.update(max_distributors_per_area="3"), "parameters.max_distributors_per_area"),
        (lambda p: p.update(relation_area_level="town"), "parameters.relation_area_level"),
        (lambda p: p.update(officer_approval="no"), "parameters.officer_approval"),
        (lambda p: p.update(receipt_working_days=True), "parameters.receipt_working_days"),
    ],
)
def test_bad_parameters_are_named(change, message):
    parameters = copy.deepcopy(HUNAN)
    change(parameters)
    with pytest.raises(ParameterError, match=message):
        check_parameters(parameters)


def test_no_limit_is_allowed():
    parameters = copy.deepcopy(HUNAN)
    parameters["max_distributors_per_area"] = None
    assert check_parameters(parameters)["max_distributors_per_area"] is None
