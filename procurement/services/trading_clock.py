"""Trading deadlines on the platform's calendar: the pure clocks of ``engines.trading`` bound to credit's working-day
calendar (holidays and adjusted working days), in Asia/Shanghai. A deadline that falls in a year whose holiday
schedule is not loaded is refused, not guessed (trading-rules.md, "Deadlines")."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from credit import workdays

from ..engines.trading import WORKING_DAYS, CalendarError, deadline, span_for
from ..exceptions import ProcurementError

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Calendar:
    """The working-day calendar as the clocks ask it, with the authority's adjustments read once."""

    def __init__(self) -> None:
        self.adjustments = workdays.all_adjustments()
        self.years = workdays.loaded_years(self.adjustments)

    def __call__(self, day: date) -> bool:
        if day.year not in self.years:
            raise CalendarError(str(day.year))
        return workdays.is_workday(day, self.adjustments)


def due(parameters: dict, table: str, order_class: str, event: datetime, calendar: Calendar | None = None) -> datetime:
    """When the ``table`` span (``response`` or ``delivery``) of ``order_class`` that starts at ``event`` ends."""
    clock, amount = span_for(parameters, table, order_class)
    return after(clock, amount, event, calendar)


def working_days_after(days: int, event: datetime, calendar: Calendar | None = None) -> datetime:
    """24:00 of the ``days``-th working day after the event's day (receipt and return-decision windows)."""
    return after(WORKING_DAYS, days, event, calendar)


def after(clock: str, amount: int, event: datetime, calendar: Calendar | None = None) -> datetime:
    try:
        return deadline(event.astimezone(SHANGHAI), clock, amount, calendar or Calendar())
    except CalendarError as error:
        year = str(error.args[0]) if error.args else ""
        if not year.isdigit():  # weeks without a working day: the calendar's entries are wrong
            raise ProcurementError(
                _("The working-day calendar has no working day for weeks: check its adjustments."),
                code="calendar_not_loaded",
            ) from error
        raise ProcurementError(
            _(
                "The holiday schedule of %(year)s is not loaded yet, so the deadline cannot be computed: the "
                "authority enters it under working-day adjustments."
            )
            % {"year": year},
            code="calendar_not_loaded",
        ) from error
