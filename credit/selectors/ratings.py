"""Reads of ratings: a supplier's standing, the distribution of levels, and the public list of serious cases."""

from collections import Counter
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from ..labels import rule_text
from ..models import (
    SERIOUS_LEVELS,
    CreditRecord,
    Level,
    Measure,
    MeasureKind,
    RatingRun,
    RatingSnapshot,
)


def standing(supplier, on: date | None = None) -> dict:
    """What a supplier's credit page shows: the latest rating with the rule behind each counted record, the
    measures in force and to come, warnings to acknowledge, and every record with its standing today."""
    on = on or timezone.localdate()
    snapshot = RatingSnapshot.objects.filter(supplier=supplier, as_of__lte=on).order_by("-as_of").first()
    records = list(
        CreditRecord.objects.filter(supplier=supplier).select_related("catalog_version").prefetch_related("products")
    )
    by_reference = {record.reference: record for record in records}
    explanation = []
    if snapshot:
        for row in snapshot.explanation:
            record = by_reference.get(row["record"])
            explanation.append({**row, "record_obj": record, "rule_text": rule_text(row["rule"])})
    measures = list(
        Measure.objects.filter(supplier=supplier).prefetch_related("products").order_by("lifted_on", "kind")
    )
    in_force = list(Measure.objects.in_force(on).filter(supplier=supplier).values_list("pk", flat=True))
    for measure in measures:
        measure.is_in_force = measure.pk in in_force
        measure.is_upcoming = measure.lifted_on is None and measure.starts_on > on
    from ..labels import standing_label

    for record in records:
        record.standing = record.standing_on(on)
        record.standing_label = standing_label(record.standing)
    return {
        "snapshot": snapshot,
        "explanation": explanation,
        "records": records,
        "measures": measures,
        "warnings_to_acknowledge": [
            m for m in measures if m.kind == MeasureKind.WRITTEN_WARNING and m.is_in_force and not m.acknowledged_at
        ],
        "history": RatingSnapshot.objects.filter(supplier=supplier).order_by("-as_of")[:12],
    }


def level_distribution(on: date | None = None) -> dict:
    """Suppliers per level in their current standing, and per level in each of the last quarterly runs."""
    current = Counter(
        dict(
            RatingSnapshot.objects.latest_per_supplier(on)
            .values_list("level")
            .annotate(count=Count("id"))
            .values_list("level", "count")
        )
    )
    runs = list(RatingRun.objects.filter(finished_at__isnull=False).order_by("-as_of")[:4])[::-1]
    per_run = {
        run.as_of: dict(
            RatingSnapshot.objects.filter(as_of=run.as_of)
            .values_list("level")
            .annotate(count=Count("id"))
            .values_list("level", "count")
        )
        for run in runs
    }
    levels = [
        code
        for code in Level.values
        if code != Level.NONE and (current.get(code) or any(counts.get(code) for counts in per_run.values()))
    ]
    chart = {
        "type": "bar",
        "labels": [str(run.as_of) for run in runs],
        "datasets": [
            {"label": str(Level(code).label), "data": [per_run[run.as_of].get(code, 0) for run in runs]}
            for code in levels
        ],
        "stacked": True,
        "integer": True,  # counts of suppliers
    }
    return {
        "current": [(Level(code), current.get(code, 0)) for code in Level.values if current.get(code)],
        "chart": chart,
        "runs": runs,
    }


def disclosure(as_of: date | None = None):
    """The quarterly list of serious and particularly serious cases (严重/特别严重失信): the snapshots of a run's
    date at those levels, with the counted records behind them."""
    # A run that finished once is published, also while it is being recomputed.
    runs = RatingRun.objects.filter(finished_at__isnull=False).order_by("-as_of")
    dates = sorted({run.as_of for run in runs}, reverse=True)
    if as_of is None and dates:
        as_of = dates[0]
    snapshots = (
        list(
            RatingSnapshot.objects.filter(as_of=as_of, level__in=SERIOUS_LEVELS)
            .select_related("supplier")
            .order_by("supplier__name")
        )
        if as_of
        else []
    )
    references = {ref for snapshot in snapshots for ref in snapshot.counted_records}
    pks = [int(ref.split("-")[1]) for ref in references]
    records = {
        record.reference: record
        for record in CreditRecord.objects.filter(pk__in=pks).filter(Q(judged_level__in=SERIOUS_LEVELS))
    }
    for snapshot in snapshots:
        snapshot.cases = [records[ref] for ref in snapshot.counted_records if ref in records]
    return {"as_of": as_of, "dates": dates, "snapshots": snapshots}
