"""The home page's workbench (待办): each domain app registers, from its AppConfig.ready, what its part of a user's
home shows (panels) and what waits for the user (task sources); the home page and the menu gather them, so that
accounts imports no domain app."""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

PANELS: list[Callable[[object], dict]] = []
TASK_SOURCES: list[Callable[[object, datetime], Iterable["Task"]]] = []

# A task due within this many days is marked as urgent.
SOON = timedelta(days=3)


def register(panel: Callable[[object], dict]) -> None:
    """``panel(user)`` returns the template context its part of the user's home needs (empty when it shows
    nothing to this user)."""
    if panel not in PANELS:
        PANELS.append(panel)


def register_tasks(source: Callable[[object, datetime], Iterable["Task"]]) -> None:
    """``source(user, now)`` yields the tasks waiting for this user in one app (none for other roles)."""
    if source not in TASK_SOURCES:
        TASK_SOURCES.append(source)


def context_for(user) -> dict:
    context = {}
    for panel in PANELS:
        context.update(panel(user))
    return context


@dataclass(frozen=True)
class Task:
    """One thing waiting for a user: what to do, to what, by when, and the page where it is done.

    ``section`` names the menu entry that counts it (``rounds``, ``agreements``, ``purchases``, ``prices``,
    ``credit``); ``count`` is how many objects the task stands for (a task may gather several agreements)."""

    section: str
    title: str
    url: str
    due: date | datetime | None = None
    detail: str = ""
    count: int = 1

    @property
    def due_at(self) -> datetime | None:
        """The deadline as a moment: a day's deadline is the end of that day."""
        if self.due is None or isinstance(self.due, datetime):
            return self.due
        return timezone.make_aware(datetime.combine(self.due, time.max))

    def urgency(self, now: datetime) -> str:
        """``overdue``, ``soon`` (within ``SOON``) or ``""``: how the workbench marks the deadline."""
        due = self.due_at
        if due is None:
            return ""
        if due < now:
            return "overdue"
        return "soon" if due - now <= SOON else ""


def tasks_for(user, now: datetime | None = None) -> list[Task]:
    """Everything waiting for the user, most urgent first (tasks without a deadline last)."""
    if not getattr(user, "is_authenticated", False):
        return []
    now = now or timezone.now()
    tasks = [task for source in TASK_SOURCES for task in source(user, now)]
    far = datetime.max.replace(tzinfo=now.tzinfo)
    # Sorting is stable: tasks due at the same moment keep the order their app gave them (sign, then bid).
    return sorted(tasks, key=lambda task: (task.due_at is None, task.due_at or far))


def counts(tasks: Iterable[Task]) -> Counter:
    """How many tasks wait in each menu section: the numbers the workbench lists (a task may stand for several
    objects, which its title counts)."""
    return Counter(task.section for task in tasks)
