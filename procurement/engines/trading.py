"""Trading rule sets and their clocks (shared/domain/trading-rules.md, "Deadlines" and "Distribution relations").

No national order life cycle or deadline exists, so each province's numbers are the parameters of a named, versioned
trading rule set kept as data, stored with the orders and relations they governed; a change is a new version, never
an edit. The clocks are pure: the working-day calendar comes in as a function, so the same rules run in tests, in
the services (credit's calendar of holidays and adjusted working days) and in the benchmark.
"""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext_lazy as _

# The three clocks of trading-rules.md: N working days end at 24:00 of the N-th working day after the event's day
# (which never counts); hours on working days only (time on non-working days is not counted); all hours.
WORKING_DAYS = "working_days"
HOURS_EXCL_HOLIDAYS = "hours_excl_holidays"
CLOCK_HOURS = "clock_hours"
CLOCKS = (WORKING_DAYS, HOURS_EXCL_HOLIDAYS, CLOCK_HOURS)
CLOCK_LABELS = {
    WORKING_DAYS: _("working days (ending at 24:00)"),
    HOURS_EXCL_HOLIDAYS: _("hours, not counting non-working days"),
    CLOCK_HOURS: _("hours"),
}

# Order classes: emergency or general, each plain or for a remote town / cold-chain product.
GENERAL, GENERAL_REMOTE, EMERGENCY, EMERGENCY_REMOTE = "general", "general_remote", "emergency", "emergency_remote"
ORDER_CLASSES = (GENERAL, GENERAL_REMOTE, EMERGENCY, EMERGENCY_REMOTE)
ORDER_CLASS_LABELS = {
    GENERAL: _("general"),
    GENERAL_REMOTE: _("general, remote town or cold chain"),
    EMERGENCY: _("emergency"),
    EMERGENCY_REMOTE: _("emergency, remote town or cold chain"),
}

AREA_LEVELS = ("province", "city", "county")

# A calendar longer than this without a working day is not a calendar (and would loop for ever).
_MAX_DAYS_WITHOUT_WORK = 60


class CalendarError(ValueError):
    """The working-day calendar cannot answer (a year not loaded, or no working day for weeks)."""


def _span(clock: str, amount: int) -> dict:
    return {"clock": clock, "amount": amount}


def _hunan_2025() -> dict:
    return {
        "response": {
            GENERAL: _span(WORKING_DAYS, 2),
            GENERAL_REMOTE: _span(WORKING_DAYS, 2),
            EMERGENCY: _span(CLOCK_HOURS, 2),
            EMERGENCY_REMOTE: _span(CLOCK_HOURS, 2),
        },
        "delivery": {
            GENERAL: _span(HOURS_EXCL_HOLIDAYS, 48),
            GENERAL_REMOTE: _span(HOURS_EXCL_HOLIDAYS, 72),
            EMERGENCY: _span(CLOCK_HOURS, 12),
            EMERGENCY_REMOTE: _span(CLOCK_HOURS, 24),
        },
        "remote_km": 50,
        "relation_area_level": "county",
        "max_distributors_per_area": 3,
        "officer_approval": False,
        "distributor_choice": "per_line",
        "relation_default_years": 1,
        "two_invoice_drugs": True,
        "two_invoice_consumables": False,
        "two_invoice_extra_for_primary": False,
        "receipt_working_days": 3,
        "return_decision_working_days": 5,
        "short_shelf_life_months": 6,
    }


def _shandong_2024() -> dict:
    parameters = _hunan_2025()
    two_days = _span(WORKING_DAYS, 2)
    parameters["response"] = {order_class: dict(two_days) for order_class in ORDER_CLASSES}
    parameters["delivery"] = {order_class: dict(two_days) for order_class in ORDER_CLASSES}
    parameters["distributor_choice"] = "per_product"
    return parameters


def _heilongjiang_2017() -> dict:
    parameters = _hunan_2025()
    parameters["response"] = {
        GENERAL: _span(CLOCK_HOURS, 24),
        GENERAL_REMOTE: _span(CLOCK_HOURS, 24),
        EMERGENCY: _span(CLOCK_HOURS, 2),
        EMERGENCY_REMOTE: _span(CLOCK_HOURS, 2),
    }
    parameters["delivery"] = {
        GENERAL: _span(HOURS_EXCL_HOLIDAYS, 24),
        GENERAL_REMOTE: _span(HOURS_EXCL_HOLIDAYS, 48),
        EMERGENCY: _span(CLOCK_HOURS, 4),
        EMERGENCY_REMOTE: _span(CLOCK_HOURS, 4),
    }
    return parameters


DEFAULT_TRADING_RULE_SETS = [
    {
        "code": "trade-hunan-2025",
        "version": 1,
        "name": "Hunan 2025 trading rules (platform default)",
        "label": _("Hunan 2025 trading rules (the platform's default)"),
        "source": _(
            "Delivery limits: Hunan 2025 (48 h, 72 h for remote towns, emergency 12 h / 24 h); response: "
            "Shandong 2024 (2 working days); receipt within 3 working days: Shanxi 2011; the rest are platform "
            "defaults (trading-rules.md)."
        ),
        "inferred": _(
            "Remote-town and cold-chain classes are read from a news report; the emergency response of 2 hours, the "
            "county as the relation area, at most 3 distributors per area and product, relations of one year."
        ),
        "parameters": _hunan_2025(),
    },
    {
        "code": "trade-shandong-2024",
        "version": 1,
        "name": "Shandong 2024 trading rules",
        "label": _("Shandong 2024 trading rules"),
        "source": _("Shandong 2024: response and delivery within 2 working days each; one distributor per product."),
        "inferred": _("Emergency orders keep the 2-working-day limits; relation limits are the platform's defaults."),
        "parameters": _shandong_2024(),
    },
    {
        "code": "trade-heilongjiang-2017",
        "version": 1,
        "name": "Heilongjiang 2017 consumables trading rules",
        "label": _("Heilongjiang 2017 consumables trading rules"),
        "source": _("Heilongjiang 2017 (consumables): response 24 h, delivery 24–48 h, emergency delivery 4 h."),
        "inferred": _(
            "24–48 h read as 24 h general and 48 h remote, not counting non-working days; the emergency response of "
            "2 hours is the platform's default."
        ),
        "parameters": _heilongjiang_2017(),
    },
]
TRADING_RULE_SETS_BY_KEY = {(entry["code"], entry["version"]): entry for entry in DEFAULT_TRADING_RULE_SETS}
DEFAULT_TRADING_RULE_SET = ("trade-hunan-2025", 1)


def described(code: str, version: int) -> dict | None:
    return TRADING_RULE_SETS_BY_KEY.get((code, version))


class ParameterError(ValueError):
    """``parameters.NAME…: problem``."""


def check_parameters(parameters: dict) -> dict:
    """A whole trading rule set's parameters, checked; raises ParameterError naming the first bad field."""
    if not isinstance(parameters, dict):
        raise ParameterError("parameters: not an object")
    known = _hunan_2025()
    for name in parameters:
        if name not in known:
            raise ParameterError(f"parameters.{name}: not a trading parameter (known: {', '.join(sorted(known))})")
    for name in known:
        if name not in parameters:
            raise ParameterError(f"parameters.{name}: missing")
    for table in ("response", "delivery"):
        spans = parameters[table]
        if not isinstance(spans, dict) or set(spans) != set(ORDER_CLASSES):
            raise ParameterError(f"parameters.{table}: one entry for each of {', '.join(ORDER_CLASSES)}")
        for order_class, span in spans.items():
            path = f"parameters.{table}.{order_class}"
            if not isinstance(span, dict) or set(span) != {"clock", "amount"}:
                raise ParameterError(f'{path}: {{"clock": …, "amount": …}} is expected')
            if span["clock"] not in CLOCKS:
                raise ParameterError(f"{path}.clock: one of {', '.join(CLOCKS)}")
            if not _whole(span["amount"], minimum=1):
                raise ParameterError(f"{path}.amount: a whole number ≥ 1 is expected")
    for name in ("remote_km", "relation_default_years", "receipt_working_days", "return_decision_working_days"):
        if not _whole(parameters[name], minimum=1):
            raise ParameterError(f"parameters.{name}: a whole number ≥ 1 is expected")
    if not _whole(parameters["short_shelf_life_months"], minimum=0):
        raise ParameterError("parameters.short_shelf_life_months: a whole number ≥ 0 is expected")
    limit = parameters["max_distributors_per_area"]
    if limit is not None and not _whole(limit, minimum=1):
        raise ParameterError("parameters.max_distributors_per_area: a whole number ≥ 1, or null for no limit")
    if parameters["relation_area_level"] not in AREA_LEVELS:
        raise ParameterError(f"parameters.relation_area_level: one of {', '.join(AREA_LEVELS)}")
    if parameters["distributor_choice"] not in ("per_line", "per_product"):
        raise ParameterError("parameters.distributor_choice: per_line or per_product")
    for name in ("officer_approval", "two_invoice_drugs", "two_invoice_consumables", "two_invoice_extra_for_primary"):
        if not isinstance(parameters[name], bool):
            raise ParameterError(f"parameters.{name}: true or false is expected")
    return parameters


def _whole(value, *, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def span_for(parameters: dict, table: str, order_class: str) -> tuple[str, int]:
    span = parameters[table][order_class]
    return span["clock"], span["amount"]


def deadline(event: datetime, clock: str, amount: int, is_workday: Callable[[date], bool]) -> datetime:
    """When a span of ``amount`` on ``clock`` that starts at ``event`` (an aware datetime in the calendar's zone)
    ends. ``is_workday`` answers for a calendar day, or raises CalendarError for a year it does not know."""
    if clock == CLOCK_HOURS:
        return event + timedelta(hours=amount)
    if clock == WORKING_DAYS:
        return _after_working_days(event, amount, is_workday)
    if clock == HOURS_EXCL_HOLIDAYS:
        return _after_working_hours(event, amount, is_workday)
    raise ValueError(f"unknown clock {clock!r}")


def _midnight(day: date, like: datetime) -> datetime:
    return datetime.combine(day, time.min, tzinfo=like.tzinfo)


def _after_working_days(event: datetime, amount: int, is_workday) -> datetime:
    day, left, idle = event.date(), amount, 0
    while left:
        day += timedelta(days=1)
        if is_workday(day):
            left, idle = left - 1, 0
        else:
            idle += 1
            if idle > _MAX_DAYS_WITHOUT_WORK:
                raise CalendarError(f"no working day in the {_MAX_DAYS_WITHOUT_WORK} days after {day}")
    return _midnight(day + timedelta(days=1), event)  # 24:00 of the last working day


def _after_working_hours(event: datetime, amount: int, is_workday) -> datetime:
    left = timedelta(hours=amount)
    moment, idle = event, 0
    while True:
        day_end = _midnight(moment.date() + timedelta(days=1), event)
        if is_workday(moment.date()):
            idle = 0
            if moment + left <= day_end:
                return moment + left
            left -= day_end - moment
        else:
            idle += 1
            if idle > _MAX_DAYS_WITHOUT_WORK:
                raise CalendarError(f"no working day in the {_MAX_DAYS_WITHOUT_WORK} days after {moment.date()}")
        moment = day_end


def ensure_default_trading_rule_sets(rule_set_model) -> None:
    """Create the library's trading rule sets that are missing and mark the default one if none is (after a test
    flush; existing databases get them from migration 0017)."""
    for entry in DEFAULT_TRADING_RULE_SETS:
        rule_set_model.objects.get_or_create(
            code=entry["code"],
            version=entry["version"],
            defaults={"name": entry["name"], "parameters": entry["parameters"]},
        )
    if not rule_set_model.objects.filter(is_default=True).exists():
        code, version = DEFAULT_TRADING_RULE_SET
        rule_set_model.objects.filter(code=code, version=version).update(is_default=True)
