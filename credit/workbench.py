"""Credit's tasks on a user's workbench (registered with ``accounts.workbench`` when the app is ready): a
supplier's notices to answer and warnings to acknowledge, the credit officer's review queue. Which record waits
for whom is the records' rule (``defence_open``, ``awaits_decision``) and the review queue's."""

from collections.abc import Iterator
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import access
from accounts.workbench import Task


def tasks(user, now: datetime) -> Iterator[Task]:
    if access.is_supplier_user(user):
        yield from _supplier(user.organisation, now)
    elif access.is_credit_officer(user):
        yield from _officer(now)


def _supplier(supplier, now: datetime) -> Iterator[Task]:
    from .models import CreditRecord, Measure, MeasureKind

    today = now.date()
    notified = CreditRecord.objects.filter(supplier=supplier, status=CreditRecord.Status.NOTIFIED).select_related(
        "catalog_version"
    )
    for record in notified:
        if record.defence_open(today):
            yield Task(
                "credit",
                _("Read the notice of record %(reference)s and file a defence if you disagree")
                % {"reference": record.reference},
                reverse("credit:record_detail", args=[record.pk]),
                record.defence_due(),
                record.get_item_display(),
            )
    warnings = Measure.objects.in_force(today).filter(
        supplier=supplier, kind=MeasureKind.WRITTEN_WARNING, acknowledged_at__isnull=True
    )
    for _warning in warnings:
        yield Task(
            "credit",
            _("Acknowledge the written warning"),
            reverse("credit:home"),
            detail=_("The authority reminds you of your credit commitment."),
        )


def _officer(now: datetime) -> Iterator[Task]:
    from .selectors.records import review_queue

    queue = review_queue(now.date())
    review = reverse("credit:review")
    waiting = [
        (queue["tips"].count(), lambda n: ngettext("Review %(count)d public tip", "Review %(count)d public tips", n)),
        (
            queue["pending_review"].count(),
            lambda n: ngettext("Review %(count)d new record", "Review %(count)d new records", n),
        ),
        (
            queue["defences"].count() + len(queue["window_passed"]),
            lambda n: ngettext(
                "Decide on %(count)d record after its defence window",
                "Decide on %(count)d records after their defence window",
                n,
            ),
        ),
        (
            queue["repairs"].count(),
            lambda n: ngettext("Decide on %(count)d repair application", "Decide on %(count)d repair applications", n),
        ),
    ]
    for count, title in waiting:
        if count:
            yield Task("credit", title(count) % {"count": count}, review, count=count)
