"""Notifications to organisations: the registry of each kind's wording, and the one service that sends them.

A notification stores its kind and parameters; the text is chosen here at display time in the reader's language,
from the wording the sending app registered (``procurement/notifications.py``, ``pricing/notifications.py``,
``credit/notifications.py``).
"""

from collections.abc import Callable, Iterable

from django.utils import timezone

from .models import Notification

# The wording of each kind, registered by the app that sends it (its AppConfig.ready), with the function that words
# the kind's coded parameters in the reader's language: accounts sits below the domain apps and imports none.
WORDING: dict[str, tuple[object, Callable[[dict], None] | None]] = {}


def register(wording: dict, label_params: Callable[[dict], None] | None = None) -> None:
    """Register notification kinds: ``wording`` maps each kind to its lazily translated template; ``label_params``
    (optional) replaces coded parameters by their labels in place, at display time."""
    for kind, template in wording.items():
        WORDING[kind] = (template, label_params)


def wording(notification: Notification) -> str:
    template, label_params = WORDING.get(notification.kind, (None, None))
    if template is None:
        return notification.kind
    params = dict(notification.params)
    if label_params is not None:
        label_params(params)
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return notification.kind


def notify(messages: Iterable[tuple[int, str, dict, str]]) -> int:
    """Send (organisation id, kind, params, link) messages in one insert; returns how many."""
    rows = [
        Notification(organisation_id=organisation, kind=kind, params=params, link=link)
        for organisation, kind, params, link in messages
    ]
    from core.bulk import bulk_insert

    return bulk_insert(Notification, rows)


def mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    notifications = Notification.objects.visible_to(user).unread()
    if notification_ids is not None:
        notifications = notifications.filter(pk__in=list(notification_ids))
    return notifications.update(read_at=timezone.now())


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.visible_to(user).unread().count()
