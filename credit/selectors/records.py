"""Reads of records: the officers' review queue and a record's history."""

from datetime import date

from django.db.models import Q
from django.utils import timezone

from ..models import (
    CreditRecord,
    RepairApplication,
    Tip,
)


def review_queue(on: date | None = None) -> dict:
    on = on or timezone.localdate()
    notified = list(
        CreditRecord.objects.filter(status=CreditRecord.Status.NOTIFIED).select_related("supplier", "catalog_version")
    )
    return {
        "pending_review": CreditRecord.objects.filter(status=CreditRecord.Status.PENDING_REVIEW).select_related(
            "supplier"
        ),
        "defences": CreditRecord.objects.filter(status=CreditRecord.Status.DEFENCE_FILED).select_related("supplier"),
        "window_passed": [record for record in notified if record.awaits_decision(on)],
        "window_open": [record for record in notified if not record.awaits_decision(on)],
        "tips": Tip.objects.filter(status=Tip.Status.NEW),
        "repairs": RepairApplication.objects.filter(status=RepairApplication.Status.SUBMITTED).select_related(
            "record", "supplier"
        ),
    }


def record_history(record: CreditRecord):
    """The audit rows of a record and of its repair applications, oldest first: the full history, never deleted."""
    from accounts.models import AuditEntry

    repairs = [str(pk) for pk in record.repair_applications.values_list("pk", flat=True)]
    return AuditEntry.objects.filter(
        Q(object_type="credit.creditrecord", object_id=str(record.pk))
        | Q(object_type="credit.repairapplication", object_id__in=repairs)
    ).order_by("created_at", "id")
