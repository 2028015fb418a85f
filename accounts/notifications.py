"""Notifications to organisations: the wording of each kind, and the one service that sends them.

A notification stores its kind and parameters; the text is chosen here at display time in the reader's language.
"""

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext_lazy

from .models import Notification

WORDING = {
    "award.won": gettext_lazy(
        "Round %(round)s, group %(group)s: your bid won at %(price)s per comparable unit (rank %(rank)s); "
        "agreed volume %(allocated)s."
    ),
    "award.lost": gettext_lazy("Round %(round)s, group %(group)s: your bid did not win (%(reason)s)."),
    "award.allocated": gettext_lazy(
        "Round %(round)s: the award is published; your agreed volumes cover %(groups)s groups, %(quantity)s units."
    ),
    "contract.generated": gettext_lazy(
        "Round %(round)s: your purchase agreements are ready for confirmation; the cycle starts on %(start)s."
    ),
    "supply.failure": gettext_lazy(
        "Round %(round)s, group %(group)s: your open volume in the region was moved to %(backup)s after a supply "
        "failure."
    ),
    "supply.moved": gettext_lazy(
        "Round %(round)s, group %(group)s: %(supplier)s cannot supply; %(backup)s now supplies your open volume."
    ),
    "supply.backup": gettext_lazy(
        "Round %(round)s, group %(group)s: you take over %(quantity)s units from %(supplier)s as the backup winner."
    ),
    "listing.reviewed": gettext_lazy("Your listing of %(product)s was reviewed: %(status)s."),
    "listing.suspended": gettext_lazy("Your listing of %(product)s is suspended."),
    "warning.opened": gettext_lazy("A price or supply warning was opened: %(kind)s."),
    "warning.inquiry": gettext_lazy("Inquiry letter (函询) about %(kind)s: please answer by %(due)s."),
    "warning.interview": gettext_lazy("Interview (约谈) about %(kind)s on %(on)s."),
    "warning.closed": gettext_lazy("The warning about %(kind)s is closed: %(outcome)s."),
    "credit.notice": gettext_lazy(
        "Credit record %(record)s: the authority proposes a rating (%(level)s). You may file a written defence "
        "until %(due)s."
    ),
    "credit.decision": gettext_lazy(
        "Credit record %(record)s: the authority's decision is “%(decision)s” (%(level)s)."
    ),
    "credit.level": gettext_lazy("Your credit rating on %(as_of)s is %(level)s."),
    "credit.warning": gettext_lazy(
        "A written warning (书面提醒告诫) concerning %(records)s: please read and acknowledge it."
    ),
    "credit.repair": gettext_lazy("Credit repair of record %(record)s: %(status)s."),
}

# Parameters that are codes, worded in the reader's language at display time.
_CODED_PARAMS = {"level", "decision", "status"}


def wording(notification: Notification) -> str:
    template = WORDING.get(notification.kind)
    if template is None:
        return notification.kind
    params = dict(notification.params)
    if "reason" in params:
        from procurement.award_labels import reason_label

        params["reason"] = reason_label(params["reason"])
    if notification.kind.startswith(("listing.", "warning.")):
        from pricing.models import Listing, PriceWarning

        for name, choices in (
            ("kind", PriceWarning.Kind),
            ("outcome", PriceWarning.Outcome),
            ("status", Listing.Status),
        ):
            if params.get(name) in choices.values:
                params[name] = str(choices(params[name]).label)
    if notification.kind.startswith("credit.") and _CODED_PARAMS & set(params):
        from credit.labels import code_label

        for name in _CODED_PARAMS & set(params):
            params[name] = code_label(params[name])
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
