"""Ratings (评级) and measures (分级处置): the quarterly run as a Celery group of supplier chunks, the immediate
re-rating of one supplier, and the set-based store that writes only what changed.

A chunk loads the judged records of its suppliers in one query, runs the pure engine (credit/rating.py), and then,
in one transaction: upserts each supplier's snapshot for the date, brings its measures in line (create, extend,
lift), audits every change and notifies every supplier whose rating changed. Running the same date again computes
the same content and therefore writes nothing and notifies nobody.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access, audit
from accounts.models import Organisation
from accounts.notifications import notify
from core.bulk import bulk_insert

from ..engines import rating as engine
from ..exceptions import CreditError
from ..models import CatalogVersion, CreditRecord, Measure, MeasureKind, RatingRun, RatingRunChunk, RatingSnapshot
from .records import catalog_in_force

CHUNK_SIZE = 1000
RESTRICT = {
    MeasureKind.RESTRICT_LISTING,
    MeasureKind.RESTRICT_BIDDING,
    MeasureKind.RESTRICT_DELIVERY,
    MeasureKind.RESTRICT_PURCHASE,
}
SUSPEND_ALL = {
    MeasureKind.SUSPEND_LISTING_ALL,
    MeasureKind.SUSPEND_BIDDING_ALL,
    MeasureKind.SUSPEND_DELIVERY_ALL,
    MeasureKind.SUSPEND_PURCHASE_ALL,
}


@dataclass
class RecordFacts:
    """What the store needs of a counted record beyond the engine: its dates and products."""

    pk: int
    measures_from: date
    expires_on: date
    product_ids: set


def _reference(pk: int) -> str:
    return f"CR-{pk:06d}"


def records_load(supplier_ids: list[int], as_of: date) -> tuple[list[engine.Record], dict[str, RecordFacts]]:
    """The engine's records for these suppliers at a date, and the dates and products of each."""
    rows = list(
        CreditRecord.objects.judged()
        .filter(supplier_id__in=supplier_ids, confirmed_on__lte=as_of)
        .values_list(
            "pk",
            "supplier_id",
            "item",
            "amount",
            "facts",
            "confirmed_on",
            "revoked_on",
            "repaired_on",
            "catalog_version_id",
        )
    )
    procedures = dict(CatalogVersion.objects.values_list("pk", "procedure"))
    products = defaultdict(set)
    if rows:
        through = CreditRecord.products.through
        for record_id, product_id in through.objects.filter(
            creditrecord__supplier_id__in=supplier_ids, creditrecord__confirmed_on__lte=as_of
        ).values_list("creditrecord_id", "product_id"):
            products[record_id].add(product_id)
    records, facts = [], {}
    for pk, supplier_id, item, amount, record_facts, confirmed, revoked, repaired, version_id in rows:
        procedure = procedures[version_id]
        reference = _reference(pk)
        records.append(
            engine.stored_record(
                id=reference,
                supplier=str(supplier_id),
                item=item,
                amount=amount,
                facts=record_facts,
                confirmed=confirmed,
                revoked_on=revoked,
                repaired_on=repaired,
                as_of=as_of,
            )
        )
        facts[reference] = RecordFacts(
            pk=pk,
            measures_from=confirmed + timezone.timedelta(days=int(procedure["rectification_days"])),
            expires_on=engine.anniversary(confirmed, int(procedure["retention_years"])),
            product_ids=products[pk],
        )
    return records, facts


def _content(rating: engine.Rating, version: CatalogVersion) -> dict:
    return {
        "catalog_version": version.code,
        "level": rating.level,
        "score": str(rating.score),
        "counted_records": list(rating.counted_records),
        "expired_records": list(rating.expired_records),
        "revoked_records": list(rating.revoked_records),
        "repaired_records": list(rating.repaired_records),
        "measures": list(rating.measures),
        "explanation": [{"record": record, "rule": rule} for record, rule in rating.explanation],
    }


def _desired_measures(rating: engine.Rating, facts: dict[str, RecordFacts], family: str) -> dict[str, dict]:
    """Per measure kind: the records that require it, the highest level among them, its term and its products.

    Measures are cumulative by level, so a kind is required by every record at or above the lowest level that
    carries it: aggregate per level once, then accumulate from the top level down."""
    if not rating.record_levels:
        return {}
    order = engine.levels_of(family)
    per_level: dict[str, dict] = {}
    for reference, level in rating.record_levels:
        record = facts[reference]
        group = per_level.setdefault(
            level, {"records": [], "starts_on": record.measures_from, "ends_on": record.expires_on,
                    "products": set(), "unnamed": False},
        )  # fmt: skip
        group["records"].append(reference)
        group["starts_on"] = min(group["starts_on"], record.measures_from)
        group["ends_on"] = max(group["ends_on"], record.expires_on)
        if record.product_ids:
            group["products"] |= record.product_ids
        else:
            group["unnamed"] = True
    desired: dict[str, dict] = {}
    running = None
    for level in sorted(per_level, key=order.index, reverse=True):
        group = per_level[level]
        if running is None:
            running = {**group, "records": list(group["records"]), "products": set(group["products"]), "top": level}
        else:
            running["records"] = running["records"] + group["records"]  # a new list: kinds keep their own
            running["starts_on"] = min(running["starts_on"], group["starts_on"])
            running["ends_on"] = max(running["ends_on"], group["ends_on"])
            running["products"] = running["products"] | group["products"]
            running["unnamed"] = running["unnamed"] or group["unnamed"]
        # Lower levels come later and include every record above them: their entry for a kind replaces the earlier.
        for kind in engine.MEASURES.get(level, ()):
            all_products = kind in SUSPEND_ALL or (kind in RESTRICT and running["unnamed"])
            desired[kind] = {
                "records": running["records"],
                "level": running["top"],
                "starts_on": running["starts_on"],
                "ends_on": running["ends_on"],
                "products": set() if all_products or kind not in RESTRICT else running["products"],
                "all": all_products,
            }
    # Each kind's records: all records at or above the lowest level carrying it, in id order.
    for want in desired.values():
        want["records"] = sorted(want["records"])
    return desired


MEASURE_COLUMNS = ("pk", "supplier_id", "kind", "level", "records", "all_products", "starts_on", "ends_on")
SNAPSHOT_CONTENT = (
    "catalog_version", "level", "score", "counted_records", "expired_records", "revoked_records", "repaired_records",
    "measures", "explanation",
)  # fmt: skip


def _measure_state(measure: Measure, product_ids: set) -> dict:
    return {
        "records": measure.records,
        "level": measure.level,
        "ends_on": measure.ends_on,
        "all": measure.all_products,
        "products": product_ids,
    }


@dataclass(slots=True)
class OpenMeasure:
    """An open measure as a plain row: building tens of thousands of model instances only to compare them costs
    more than the whole engine. ``to_model`` makes the instance ``bulk_update`` needs, for the changed ones."""

    pk: int
    supplier_id: int
    kind: str
    level: str
    records: list
    all_products: bool
    starts_on: date
    ends_on: date | None
    lifted_on: date | None = None
    lift_reason: str = ""

    def to_model(self) -> Measure:
        measure = Measure(
            pk=self.pk, supplier_id=self.supplier_id, kind=self.kind, level=self.level, records=self.records,
            all_products=self.all_products, starts_on=self.starts_on, ends_on=self.ends_on, lifted_on=self.lifted_on,
            lift_reason=self.lift_reason,
        )  # fmt: skip
        measure._state.adding = False
        return measure


@dataclass(slots=True)
class MeasureProductRow:
    """A link of a measure to a product in its case, as a plain row for ``bulk_insert``."""

    measure_id: int
    product_id: int
    id: int | None = None

    @property
    def pk(self) -> int | None:
        return self.id

    @pk.setter
    def pk(self, value: int) -> None:
        self.id = value


@dataclass(slots=True)
class NewMeasure:
    """A measure to insert, as the plain row ``bulk_insert`` writes (its fields are Measure's columns)."""

    supplier_id: int
    kind: str
    level: str
    records: list
    all_products: bool
    starts_on: date
    ends_on: date | None
    id: int | None = None
    lifted_on: date | None = None
    lift_reason: str = ""
    acknowledged_at: None = None
    acknowledged_by_id: None = None
    created_at: object = None

    @property
    def pk(self) -> int | None:
        return self.id

    @pk.setter
    def pk(self, value: int) -> None:
        self.id = value


def _open_measures(supplier_ids: list[int]) -> dict[int, dict[str, OpenMeasure]]:
    """The open measures of these suppliers, locked."""
    measures: dict[int, dict[str, OpenMeasure]] = defaultdict(dict)
    rows = (
        Measure.objects.select_for_update()
        .filter(supplier_id__in=supplier_ids, lifted_on__isnull=True)
        .values_list(*MEASURE_COLUMNS)
    )
    for row in rows:
        measure = OpenMeasure(*row)
        measures[measure.supplier_id][measure.kind] = measure
    return measures


def _existing_snapshots(supplier_ids: list[int], as_of: date) -> dict[int, tuple[int, dict]]:
    """(pk, content) of the snapshot each supplier already has at the date."""
    rows = RatingSnapshot.objects.filter(supplier_id__in=supplier_ids, as_of=as_of).values_list(
        "pk", "supplier_id", *SNAPSHOT_CONTENT
    )
    existing = {}
    for pk, supplier_id, *values in rows:
        content = dict(zip(SNAPSHOT_CONTENT, values, strict=True))
        content["score"] = str(content["score"])
        existing[supplier_id] = (pk, content)
    return existing


def rate_on(supplier_ids: list[int], day: date, version: CatalogVersion):
    """The engine's ratings of these suppliers on a day under a catalog edition, with their records' facts."""
    records, facts = records_load(supplier_ids, day)
    ratings = engine.rate(
        records,
        day,
        catalog_version=version.family,
        retention_years=version.period("retention_years"),
        suppliers=[str(pk) for pk in supplier_ids],
        benchmark=version.benchmark,
    )
    return ratings, facts


def store_ratings(
    *,
    supplier_ids: list[int],
    as_of: date,
    version: CatalogVersion,
    trigger: str,
    run: RatingRun | None = None,
    actor=None,
) -> int:
    """Rate these suppliers at ``as_of`` and write what changed; returns how many ratings changed."""
    ratings, facts = rate_on(supplier_ids, as_of, version)
    # Measures follow the supplier's standing today, whatever date is rated: a run dated in the past writes that
    # date's snapshots but never ends a measure that today's records still require, nor dates an end before today.
    measure_day = max(as_of, timezone.localdate())
    if measure_day == as_of:
        current, current_facts = ratings, facts
    else:
        current, current_facts = rate_on(supplier_ids, measure_day, version)
    current_by_supplier = {rating.supplier: rating for rating in current}
    suppliers = {org.pk: org for org in Organisation.objects.filter(pk__in=supplier_ids).only("pk", "name", "code")}
    with transaction.atomic():
        existing = _existing_snapshots(supplier_ids, as_of)
        previous = _previous_levels(supplier_ids, as_of)
        measures = _open_measures(supplier_ids)
        products_of = defaultdict(set)
        through = Measure.products.through
        for measure_id, product_id in through.objects.filter(
            measure__supplier_id__in=supplier_ids, measure__lifted_on__isnull=True
        ).values_list("measure_id", "product_id"):
            products_of[measure_id].add(product_id)

        new_snapshots, changed_snapshots, entries, messages = [], [], [], []
        new_measures, changed_measures, product_links, cleared_links = [], [], [], []
        for rating in ratings:
            supplier_id = int(rating.supplier)
            content = _content(rating, version)
            stored = existing.get(supplier_id)
            changed = stored is None or stored[1] != content
            if changed:
                snapshot = RatingSnapshot(supplier_id=supplier_id, as_of=as_of, trigger=trigger, run=run, **content)
                snapshot.score = Decimal(content["score"])
                if stored is None:
                    new_snapshots.append(snapshot)
                else:
                    snapshot.pk, snapshot._state.adding = stored[0], False
                    changed_snapshots.append((snapshot, stored[1]))
            if changed and previous.get(supplier_id, engine.NONE) != rating.level:
                messages.append(
                    (
                        supplier_id,
                        "credit.level",
                        {"level": rating.level, "as_of": as_of.isoformat(), "previous": previous.get(supplier_id)},
                        "/credit/",
                    )
                )
            desired = _desired_measures(current_by_supplier[rating.supplier], current_facts, version.family)
            open_measures = measures.get(supplier_id, {})
            for kind, measure in list(open_measures.items()):
                if measure.ends_on is not None and measure.ends_on <= measure_day:
                    before = {"lifted_on": None}
                    measure.lifted_on, measure.lift_reason = max(measure.ends_on, measure.starts_on), "term ended"
                    changed_measures.append((measure.to_model(), before, "credit.measure.end"))
                    del open_measures[kind]
            for kind, measure in open_measures.items():
                if kind not in desired:
                    # Lifted today (or on the run's later date): never backdated to a past run's date.
                    measure.lifted_on = measure_day
                    measure.lift_reason = "no longer required by the rating"
                    changed_measures.append((measure.to_model(), {"lifted_on": None}, "credit.measure.lift"))
            for kind, want in desired.items():
                measure = open_measures.get(kind)
                if measure is None:
                    measure = NewMeasure(
                        supplier_id=supplier_id,
                        kind=kind,
                        level=want["level"],
                        records=want["records"],
                        all_products=want["all"],
                        starts_on=want["starts_on"],
                        ends_on=want["ends_on"],
                    )
                    new_measures.append((measure, want["products"]))
                    continue
                current = _measure_state(measure, products_of[measure.pk])
                target = {
                    "records": want["records"],
                    "level": want["level"],
                    "ends_on": want["ends_on"],
                    "all": want["all"],
                    "products": want["products"],
                }
                # A measure already in effect keeps its start; one not started yet follows its records (and starts
                # today at the latest once they say it should have started).
                starts_on = max(want["starts_on"], measure_day) if measure.starts_on > measure_day else None
                if current == target and (starts_on is None or starts_on == measure.starts_on):
                    continue
                before = {**current, "products": sorted(current["products"]), "starts_on": measure.starts_on}
                measure.records, measure.level, measure.ends_on = want["records"], want["level"], want["ends_on"]
                measure.all_products = want["all"]
                if starts_on is not None:
                    measure.starts_on = starts_on
                changed_measures.append((measure.to_model(), before, "credit.measure.change"))
                if current["products"] != want["products"]:
                    cleared_links.append(measure.pk)
                    product_links.extend((measure, product) for product in want["products"])

        bulk_insert(RatingSnapshot, new_snapshots, assign_ids=True)
        if changed_snapshots:
            RatingSnapshot.objects.bulk_update(
                [snapshot for snapshot, _before in changed_snapshots],
                [
                    "catalog_version",
                    "level",
                    "score",
                    "counted_records",
                    "expired_records",
                    "revoked_records",
                    "repaired_records",
                    "measures",
                    "explanation",
                    "trigger",
                    *(["run"] if run is not None else []),
                ],
                batch_size=2000,
            )
        # One audit row per supplier whose rating or measures changed: the rating before and after, and every
        # measure started, changed, lifted or ended with its values before and after.
        changes: dict[int, dict] = defaultdict(lambda: {"before": {}, "after": {}, "measures": []})
        rated: dict[int, RatingSnapshot] = {}
        for snapshot in new_snapshots:
            rated[snapshot.supplier_id] = snapshot
            changes[snapshot.supplier_id]["after"] = snapshot.content()
        for snapshot, before in changed_snapshots:
            rated[snapshot.supplier_id] = snapshot
            changes[snapshot.supplier_id].update(before=before, after=snapshot.content())
        bulk_insert(Measure, [measure for measure, _products in new_measures], assign_ids=True)
        for measure, product_ids in new_measures:
            product_links.extend((measure, product) for product in product_ids)
        if changed_measures:
            Measure.objects.bulk_update(
                [measure for measure, _before, _action in changed_measures],
                ["records", "level", "ends_on", "all_products", "starts_on", "lifted_on", "lift_reason"],
                batch_size=2000,
            )
        if cleared_links:
            through.objects.filter(measure_id__in=cleared_links).delete()
        bulk_insert(
            through, [through(measure_id=measure.pk, product_id=product) for measure, product in product_links]
        )
        for measure, _products in new_measures:
            changes[measure.supplier_id]["measures"].append(
                {"action": "start", "id": measure.pk, "after": _measure_audit(measure)}
            )
        for measure, before, action in changed_measures:
            changes[measure.supplier_id]["measures"].append(
                {
                    "action": action.rsplit(".", 1)[1],
                    "id": measure.pk,
                    "before": before,
                    "after": _measure_audit(measure),
                }
            )
        for supplier_id, change in changes.items():
            subject = rated.get(supplier_id)
            if subject is None:  # measures changed, the rating did not: the row names the supplier
                subject = suppliers[supplier_id]
            if isinstance(subject, RatingSnapshot):
                subject.supplier = suppliers[supplier_id]
            entries.append(
                audit.entry_for(
                    actor=actor,
                    action="credit.rating",
                    instance=subject,
                    before=change["before"] or None,
                    after={**change["after"], "as_of": as_of.isoformat(), "measures_changed": change["measures"]},
                )
            )
        audit.record_many(entries)
        warnings = [
            (m.supplier_id, "credit.warning", {"records": ", ".join(m.records)}, "/credit/")
            for m, _products in new_measures
            if m.kind == MeasureKind.WRITTEN_WARNING
        ]
        notify(messages + warnings)
    return len(new_snapshots) + len(changed_snapshots)


def _measure_audit(measure: Measure) -> dict:
    return {
        "kind": measure.kind,
        "level": measure.level,
        "records": measure.records,
        "all_products": measure.all_products,
        "starts_on": measure.starts_on,
        "ends_on": measure.ends_on,
        "lifted_on": measure.lifted_on,
        "lift_reason": measure.lift_reason,
    }


def _previous_levels(supplier_ids: list[int], as_of: date) -> dict[int, str]:
    """Each supplier's level in its latest snapshot before the date (what a change is measured against)."""
    from django.db import connection

    levels = {}
    rows = RatingSnapshot.objects.filter(supplier_id__in=supplier_ids, as_of__lt=as_of).order_by(
        "supplier_id", "-as_of"
    )
    if connection.vendor == "postgresql":  # one row per supplier however long the history
        rows = rows.distinct("supplier_id")
    rows = rows.values_list("supplier_id", "level")
    for supplier_id, level in rows:
        levels.setdefault(supplier_id, level)
    return levels


def supplier_rerate(*, supplier: Organisation, trigger: str, actor=None, as_of: date | None = None) -> RatingSnapshot:
    """Re-rate one supplier today (a record was confirmed, revoked or repaired): snapshot and measures at once."""
    as_of = as_of or timezone.localdate()
    store_ratings(supplier_ids=[supplier.pk], as_of=as_of, version=catalog_in_force(), trigger=trigger, actor=actor)
    return RatingSnapshot.objects.get(supplier=supplier, as_of=as_of)


# The quarterly run.


def quarter_start(day: date) -> date:
    """The first day of the quarter a date falls in (1 Jan, 1 Apr, 1 Jul, 1 Oct)."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def rating_run_start(*, actor=None, as_of: date | None = None, chunk_size: int = CHUNK_SIZE) -> RatingRun:
    """Start the re-rating of every supplier at ``as_of`` (the current quarter's first day by default). A run
    already under way for that date is returned as it is; a finished or failed one computes again, which changes
    nothing when nothing changed."""
    if actor is not None and not access.is_credit_officer(actor):
        raise CreditError(_("Only a credit officer may do this."), code="not_credit_officer")
    as_of = as_of or quarter_start(timezone.localdate())
    if as_of > timezone.localdate():
        raise CreditError(_("A rating date cannot be in the future."), code="future")
    version = catalog_in_force()
    supplier_ids = list(Organisation.objects.suppliers().order_by("pk").values_list("pk", flat=True))
    bounds = [
        [chunk[0], chunk[-1]]
        for chunk in (supplier_ids[i : i + chunk_size] for i in range(0, len(supplier_ids), chunk_size))
    ]
    with transaction.atomic():
        try:
            with transaction.atomic():
                run, created = RatingRun.objects.select_for_update().get_or_create(
                    as_of=as_of, catalog_version=version, defaults={"requested_by": actor}
                )
        except IntegrityError:  # the same request at the same moment
            return RatingRun.objects.get(as_of=as_of, catalog_version=version)
        if not created and run.status in (RatingRun.Status.PENDING, RatingRun.Status.RUNNING):
            return run
        run.chunks.all().delete()
        # finished_at keeps the last completion: the published list of that date stays up while it recomputes.
        run.status, run.error, run.changed = RatingRun.Status.RUNNING, "", 0
        run.requested_by = actor if actor is not None else run.requested_by
        run.requested_at = timezone.now()
        run.chunk_bounds, run.chunks_total, run.suppliers_total = bounds, len(bounds), len(supplier_ids)
        run.save()
        audit.record(
            actor=actor,
            action="credit.run.start",
            instance=run,
            after={"as_of": as_of.isoformat(), "catalog_version": version.code, "suppliers": len(supplier_ids)},
        )
        transaction.on_commit(lambda: dispatch_rating_run(run.pk, list(range(len(bounds)))))
    if not bounds:
        finish_rating_run(run.pk)
    run.refresh_from_db()
    return run


def dispatch_rating_run(run_id: int, chunk_indexes: list[int]) -> None:
    """One Celery task per chunk of suppliers (a Celery group): more workers finish sooner."""
    from celery import group

    from ..tasks import rate_chunk

    if chunk_indexes:
        RatingRun.objects.filter(pk=run_id).update(progressed_at=timezone.now())
        group(rate_chunk.si(run_id, index) for index in chunk_indexes).apply_async()


def rating_chunk_compute(run_id: int, index: int) -> None:
    """Rate one chunk; a chunk already done is skipped, so a redelivered task changes nothing."""
    run = RatingRun.objects.select_related("catalog_version").get(pk=run_id)
    if run.status not in (RatingRun.Status.RUNNING, RatingRun.Status.PENDING):
        return
    if RatingRunChunk.objects.filter(run=run, index=index).exists():
        return
    first, last = run.chunk_bounds[index]
    supplier_ids = list(
        Organisation.objects.suppliers()
        .filter(pk__gte=first, pk__lte=last)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    try:
        with transaction.atomic():
            changed = store_ratings(
                supplier_ids=supplier_ids,
                as_of=run.as_of,
                version=run.catalog_version,
                trigger="quarterly",
                run=run,
            )
            RatingRunChunk.objects.create(run=run, index=index, changed=changed)
            RatingRun.objects.filter(pk=run_id).update(progressed_at=timezone.now())
    except IntegrityError:  # the same chunk finished by another delivery
        return
    except Exception as error:
        RatingRun.objects.filter(pk=run_id).update(status=RatingRun.Status.FAILED, error=str(error)[:2000])
        raise
    finish_rating_run(run_id)


def finish_rating_run(run_id: int) -> bool:
    """Close the run once every chunk is stored (called after each chunk; only the last one acts)."""
    from django.db.models import Count, Sum

    with transaction.atomic():
        run = RatingRun.objects.select_for_update().get(pk=run_id)
        if run.status in (RatingRun.Status.DONE, RatingRun.Status.FAILED):
            return False
        done = run.chunks.aggregate(count=Count("id"), changed=Sum("changed"))
        if done["count"] < run.chunks_total:
            return False
        run.status, run.finished_at, run.changed = RatingRun.Status.DONE, timezone.now(), done["changed"] or 0
        run.save(update_fields=["status", "finished_at", "changed"])
        audit.record(
            actor=None,
            action="credit.run.done",
            instance=run,
            after={"as_of": run.as_of.isoformat(), "suppliers": run.suppliers_total, "changed": run.changed},
        )
    return True


def redispatch_stale_rating_runs(*, older_than_seconds: int | None = None) -> int:
    """Re-send the chunks of runs that made no progress for the staleness threshold (their tasks vanished)."""
    from django.conf import settings
    from django.db.models.functions import Coalesce

    if older_than_seconds is None:
        older_than_seconds = settings.JOB_STALE_AFTER_SECONDS
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    count = 0
    runs = RatingRun.objects.annotate(last=Coalesce("progressed_at", "requested_at"))
    for run in runs.filter(status=RatingRun.Status.RUNNING, last__lt=cutoff):
        done = set(run.chunks.values_list("index", flat=True))
        missing = [index for index in range(run.chunks_total) if index not in done]
        if missing:
            dispatch_rating_run(run.pk, missing)
            count += 1
        else:
            finish_rating_run(run.pk)
    return count
