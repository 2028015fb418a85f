"""The Chinese working-day calendar (工作日) that defence windows are counted on: public holidays and the adjusted
working days (调休) from the `chinesecalendar` package, overridden by the authority's own entries
(``WorkdayAdjustment``), and Monday to Friday for a year the package does not cover yet and nobody has entered."""

from datetime import date, timedelta

import chinese_calendar


def _package_says(day: date) -> bool | None:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the installed package has no schedule for
        return None


def is_workday(day: date, adjustments: dict[date, bool] | None = None) -> bool:
    if adjustments is None:
        adjustments = _adjustments(day, day)
    if day in adjustments:
        return adjustments[day]
    known = _package_says(day)
    return known if known is not None else day.weekday() < 5


def _adjustments(start: date, end: date) -> dict[date, bool]:
    from .models import WorkdayAdjustment

    return dict(WorkdayAdjustment.objects.filter(day__range=(start, end)).values_list("day", "is_workday"))


def all_adjustments() -> dict[date, bool]:
    """Every entered adjustment (a few days a year): one query for a list of records that each count a window."""
    from .models import WorkdayAdjustment

    return dict(WorkdayAdjustment.objects.values_list("day", "is_workday"))


def add_working_days(start: date, count: int, adjustments: dict[date, bool] | None = None) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself is not counted); ``adjustments`` (from
    :func:`all_adjustments`) saves the query when many windows are counted at once."""
    if adjustments is None:
        # Holidays never exceed a few weeks in a row: a generous horizon for one query of adjustments.
        adjustments = _adjustments(start, start + timedelta(days=count * 3 + 40))
    day, left = start, count
    while left > 0:
        day += timedelta(days=1)
        if is_workday(day, adjustments):
            left -= 1
    return day


def covered_until() -> int:
    """The last year the installed package knows the holiday schedule of."""
    return max(chinese_calendar.holidays).year


def loaded_years(adjustments: dict[date, bool]) -> set[int]:
    """The years whose holiday schedule is known: those the installed package covers and those the authority has
    entered adjustments for."""
    known = {day.year for day in chinese_calendar.holidays} | {day.year for day in chinese_calendar.workdays}
    return known | {day.year for day in adjustments}
