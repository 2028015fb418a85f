"""Reads of records: the officers' review queue and a record's history."""

from datetime import date

from django.db.models import Q
from django.utils import timezone

from ..models import (
    CreditRecord,
    RepairApplication,
    Tip,
)
from ..workdays import all_adjustments


def review_queue(on: date | None = None) -> dict:
    on = on or timezone.localdate()
    adjustments = all_adjustments()  # one query for every record's defence window
    notified = list(
        CreditRecord.objects.filter(status=CreditRecord.Status.NOTIFIED).select_related("supplier", "catalog_version")
    )
    return {
        "pending_review": CreditRecord.objects.filter(status=CreditRecord.Status.PENDING_REVIEW).select_related(
            "supplier"
        ),
        "defences": CreditRecord.objects.filter(status=CreditRecord.Status.DEFENCE_FILED).select_related("supplier"),
        "window_passed": [record for record in notified if record.awaits_decision(on, adjustments)],
        "window_open": [record for record in notified if not record.awaits_decision(on, adjustments)],
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


def catalog_editions(versions) -> list[dict]:
    """Each edition of the catalog as the public page reads it: every threshold and period by its name (the code
    as secondary text), amounts in yuan, a threshold table as "≥ amount → level", repair steps by their words."""
    from core.templatetags.numbers import yuan

    from ..labels import BENCHMARK, MONEY_THRESHOLDS, PROCEDURE, item_label, level_label, repair_step_label

    def written(name, value) -> str:
        if isinstance(value, list):
            return "; ".join(
                f"≥ {yuan(amount) if name in MONEY_THRESHOLDS else amount} → {level_label(level)}"
                for amount, level in value
            )
        return yuan(value) if name in MONEY_THRESHOLDS else str(value)

    editions = []
    for version in versions:
        thresholds = [
            (code, BENCHMARK.get(code, code), written(code, value))
            for code, value in version.benchmark.items()
            if code != "base_2020"  # the 2025 edition's copy of the 2020 thresholds, for records judged under it
        ]
        periods = [(code, PROCEDURE.get(code, code), value) for code, value in version.procedure.items()]
        repairs = [
            (item, item_label(item), "、".join(str(repair_step_label(step)) for step in steps))
            for item, steps in version.repair_steps.items()
        ]
        editions.append({"version": version, "thresholds": thresholds, "periods": periods, "repairs": repairs})
    return editions
