"""Award computation (中选), volume allocation and publication of an opened round.

An officer asks for a computation (``award_compute``): a run row is written first, then one Celery task per group
(``award_group_compute``) runs the pure engines on that group's opened bids and demand and writes its outcomes and
allocation lines in one transaction; the task that completes the last group closes the run with its totals. Asking
again with unchanged inputs returns the same run, so re-compute is idempotent until publication. A what-if run
(another rule set, or parameter overrides) is stored alike and compared side by side, but only an official run (the
round's rule set, no overrides) can be published (``award_publish``): the round moves to awarded, the run is frozen
and winners, losers and hospitals are notified.
"""

import hashlib
import json
from collections import defaultdict
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access, audit
from accounts.models import Organisation
from accounts.notifications import notify
from core.bulk import copy_rows

from .. import hooks
from ..engines.award_rules import BidInput, RuleSetError
from ..engines.group import compute_group_award
from ..engines.rule_sets import UNIVERSAL_PARAMETERS, ParameterError, check_parameters
from ..exceptions import ProcurementError
from ..io.award_preview import compute_group
from ..models import (
    AllocationLine,
    AwardGroupResult,
    AwardOutcome,
    AwardRun,
    DemandReport,
    OpenedBid,
    Product,
    ProductGroup,
    RevivalAcceptance,
    RuleSet,
    TenderRound,
)
from ..models.catalog import SmallestUnit
from ..models.rounds import RoundStatus
from .rounds import _move, lock_round

# Invalid at the opening for a reason the engine calls "ineligible" (above the ceiling it judges itself).
ENGINE_INELIGIBLE = {"ineligible", "no_commitment", "credit_restricted", "capacity_below_minimum", "hash_mismatch"}
ORAL_SOLID_UNITS = {SmallestUnit.TABLET, SmallestUnit.CAPSULE}
# Allocation modes: the rule-based round robin or the optimiser (procurement/optimiser.py).
MODES = AwardRun.Mode


def _require_opened(tender_round: TenderRound) -> None:
    if not tender_round.is_opened:
        raise ProcurementError(_("The award can be computed only after the opening."), code="not_opened")


def _merged_parameters(rule_set: RuleSet, overrides: dict) -> dict:
    unknown = sorted(set(overrides) - set(rule_set.parameters) - set(UNIVERSAL_PARAMETERS))
    if unknown:
        raise ProcurementError(
            _("Unknown parameters for rule set %(rule_set)s: %(names)s")
            % {"rule_set": rule_set, "names": ", ".join(unknown)},
            code="unknown_parameter",
        )
    try:
        check_parameters(rule_set.code, rule_set.parameters, overrides, path=_("parameters"))
    except ParameterError as error:
        raise ProcurementError(str(error), code="parameter") from None
    return {**rule_set.parameters, **overrides}


def input_fingerprint(tender_round: TenderRound, rule_set: RuleSet, overrides: dict, mode: str) -> str:
    """SHA-256 of everything the engines read: rule set and parameters, mode, the opened bids (fixed at the
    opening), the demand with the hospitals' choices, revival acceptances and the supply regions."""
    demand = DemandReport.objects.filter(group__round=tender_round).aggregate(
        rows=Count("id"), total=Sum("quantity"), changed=Max("updated_at")
    )
    bids = OpenedBid.objects.filter(round=tender_round).aggregate(rows=Count("id"), last=Max("id"))
    document = {
        "round": tender_round.pk,
        "rule_set": [rule_set.pk, rule_set.code, rule_set.version],
        "parameters": _merged_parameters(rule_set, overrides),
        "overrides": overrides,
        "mode": mode,
        "coefficients": [str(tender_round.k_strength), str(tender_round.k_pack)],
        "regions": sorted(region.code for region in tender_round.supply_regions()),
        "bids": [bids["rows"], bids["last"]],
        "demand": [demand["rows"], demand["total"], demand["changed"].isoformat() if demand["changed"] else None],
        "revivals": sorted(
            RevivalAcceptance.objects.filter(group__round=tender_round).values_list("group_id", "supplier_id")
        ),
    }
    encoded = json.dumps(document, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


def award_compute(
    *,
    actor,
    tender_round: TenderRound,
    rule_set: RuleSet | None = None,
    overrides: dict | None = None,
    mode=MODES.RULES,
) -> AwardRun:
    """Ask for a computation; returns the run (an existing one when the inputs have not changed)."""
    access.require_procurement_officer(actor, ProcurementError)
    _require_opened(tender_round)
    if mode not in MODES.values:
        raise ProcurementError(_("Unknown allocation mode."), code="bad_mode")
    rule_set = rule_set or tender_round.rule_set
    overrides = dict(overrides or {})
    parameters = _merged_parameters(rule_set, overrides)
    fingerprint = input_fingerprint(tender_round, rule_set, overrides, mode)
    with transaction.atomic():
        tender_round = lock_round(tender_round)
        existing = AwardRun.objects.filter(round=tender_round, input_hash=fingerprint).first()
        if existing is not None and existing.status != AwardRun.Status.FAILED:
            return existing
        if tender_round.status != RoundStatus.OPENED and (existing is None or existing.published_at is None):
            official = rule_set.pk == tender_round.rule_set_id and not overrides
            if official:
                raise ProcurementError(
                    _("The award of this round is published; only what-if computations remain possible."),
                    code="already_awarded",
                )
        groups = list(tender_round.groups.values_list("pk", flat=True))
        if existing is not None:  # a failed run: start it again from nothing
            existing.group_results.all().delete()
            existing.outcomes.all().delete()
            existing.lines.all().delete()
            run = existing
            run.status, run.error, run.requested_by = AwardRun.Status.PENDING, "", actor
            run.groups_total = len(groups)
            run.save(update_fields=["status", "error", "requested_by", "groups_total"])
        else:
            try:
                with transaction.atomic():
                    run = AwardRun.objects.create(
                        round=tender_round,
                        rule_set=rule_set,
                        overrides=overrides,
                        parameters=parameters,
                        mode=mode,
                        input_hash=fingerprint,
                        groups_total=len(groups),
                        requested_by=actor,
                    )
            except IntegrityError:  # the same request at the same moment
                return AwardRun.objects.get(round=tender_round, input_hash=fingerprint)
        audit.record(
            actor=actor,
            action="award.compute",
            instance=run,
            after={
                "round": tender_round.code,
                "rule_set": str(rule_set),
                "overrides": overrides,
                "mode": mode,
                "input_hash": fingerprint,
            },
        )
        transaction.on_commit(lambda: dispatch_award_run(run.pk, groups))
    if not groups:
        finish_award_run(run.pk)
        run.refresh_from_db()
    return run


def dispatch_award_run(run_id: int, group_ids: list[int]) -> None:
    """One Celery task per group (a Celery group): more workers finish a national round sooner."""
    from celery import group

    from ..tasks import compute_award_group

    if group_ids:
        AwardRun.objects.filter(pk=run_id).update(progressed_at=timezone.now())
        group(compute_award_group.si(run_id, group_id) for group_id in group_ids).apply_async()


def redispatch_stale_award_runs(*, older_than_seconds: int | None = None) -> int:
    """Re-send the groups of runs that made no progress for the staleness threshold (their tasks vanished: the
    broker restarted empty). Safe: each group's computation replaces whatever a previous attempt wrote."""
    from django.conf import settings
    from django.db.models.functions import Coalesce

    if older_than_seconds is None:
        older_than_seconds = settings.JOB_STALE_AFTER_SECONDS
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    stale = AwardRun.objects.annotate(last=Coalesce("progressed_at", "requested_at")).filter(
        status__in=[AwardRun.Status.PENDING, AwardRun.Status.RUNNING], last__lt=cutoff
    )
    count = 0
    for run in stale:
        done = set(run.group_results.values_list("group_id", flat=True))
        missing = [pk for pk in run.round.groups.values_list("pk", flat=True) if pk not in done]
        dispatch_award_run(run.pk, missing)
        count += 1
    return count


class Directory:
    """Codes the engines work with (they rank and break ties by code), for the ids stored in demand rows: every
    hospital with its region, every supplier, the holder of every product a hospital may report as its brand.
    Built once per round and computation; a worker computing many groups of one run keeps it."""

    _cache: dict = {}

    def __init__(self, tender_round: TenderRound):
        hospitals = Organisation.objects.filter(kind=Organisation.Kind.HOSPITAL)
        self.hospitals = {
            pk: (code, region) for pk, code, region in hospitals.values_list("pk", "code", "region__code")
        }
        suppliers = Organisation.objects.filter(kind=Organisation.Kind.SUPPLIER)
        self.suppliers = dict(suppliers.values_list("pk", "code"))
        names = tender_round.groups.values_list("generic_name", flat=True)
        self.brands = dict(Product.objects.filter(generic_name__in=names).values_list("pk", "holder__code"))

    @classmethod
    def for_run(cls, run: AwardRun) -> "Directory":
        # Keyed by the run and its request time: a run id is unique in one database, but a database rebuilt (a
        # restore, the tests) may give a new run an id the cache has seen.
        key = (run.pk, run.requested_at)
        if key not in cls._cache:
            cls._cache.clear()
            cls._cache[key] = cls(run.round)
        return cls._cache[key]


def group_inputs(group: ProductGroup, directory: Directory):
    """The engines' inputs for one group: (bids, demand, supplier code → (opened bid id, supplier id), hospital
    code → id, revived supplier codes). Demand rows are read with one plain query, without joins."""
    opened = list(
        OpenedBid.objects.filter(group=group).values_list(
            "pk", "supplier_id", "supplier__code", "comparable_price", "submitted_at", "capacity", "regions",
            "invalid_reason", "product__strength_amount", "product__strength_unit",
        )
    )  # fmt: skip

    def own_ceiling(strength, unit):
        # Only a group with per-specification ceilings gives a bid a ceiling of its own.
        return group.ceiling_for(strength, unit) if group.spec_ceilings and strength is not None else None

    bids = [
        (
            BidInput(
                code,
                comparable,
                submitted_at,
                capacity,
                eligible=invalid not in ENGINE_INELIGIBLE,
                ceiling=own_ceiling(strength, unit),
            ),
            tuple(bid_regions) or None,
        )
        for _pk, _supplier, code, comparable, submitted_at, capacity, bid_regions, invalid, strength, unit in opened
    ]
    suppliers = {code: (pk, supplier) for pk, supplier, code, *_rest in opened}
    table = DemandReport._meta.db_table
    hospitals, demand = {}, []
    known_hospitals, brands, supplier_codes = directory.hospitals, directory.brands, directory.suppliers
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT hospital_id, quantity, brand_id, chosen_supplier_id FROM {table} WHERE group_id = %s", [group.pk]
        )
        for hospital_id, quantity, brand_id, chosen_id in cursor.fetchall():
            code, region = known_hospitals[hospital_id]
            hospitals[code] = hospital_id
            brand = brands.get(brand_id) if brand_id is not None else None
            choice = supplier_codes.get(chosen_id) if chosen_id is not None else None
            demand.append((code, region, quantity, brand, choice))
    revived = frozenset(RevivalAcceptance.objects.filter(group=group).values_list("supplier__code", flat=True))
    return bids, demand, suppliers, hospitals, revived


def award_group_compute(run_id: int, group_id: int) -> None:
    """Compute one group of a run and store it, replacing any earlier attempt; close the run after the last group."""
    run = AwardRun.objects.select_related("round", "rule_set").get(pk=run_id)
    if run.status in (AwardRun.Status.DONE, AwardRun.Status.FAILED):
        return
    AwardRun.objects.filter(pk=run_id, status=AwardRun.Status.PENDING).update(status=AwardRun.Status.RUNNING)
    group = ProductGroup.objects.get(pk=group_id)
    regions = [region.code for region in run.round.supply_regions()]
    bids, demand, suppliers, hospitals, revived = group_inputs(group, Directory.for_run(run))
    try:
        computation = compute_group_award(
            group.ceiling_price,
            run.rule_set.family,
            run.parameters,
            bids,
            demand,
            regions,
            oral_solid=group.smallest_unit in ORAL_SOLID_UNITS,
            revived=revived,
            optimised=run.mode == MODES.OPTIMISED,
        )
    except (RuleSetError, KeyError, ValueError) as error:
        AwardRun.objects.filter(pk=run_id).update(
            status=AwardRun.Status.FAILED,
            error=_("Group %(group)s: the rule set cannot be applied (%(error)s).")
            % {"group": group.code, "error": error},
            finished_at=timezone.now(),
        )
        return
    try:
        with transaction.atomic():
            group_store(run, group, computation, suppliers, hospitals)
            AwardRun.objects.filter(pk=run_id).update(progressed_at=timezone.now())
    except IntegrityError:
        # A redelivered copy of this task stored the group at the same moment; its result is the same.
        if not AwardGroupResult.objects.filter(run=run, group=group).exists():
            raise
    finish_award_run(run_id)


def group_store(run: AwardRun, group: ProductGroup, computation, suppliers: dict, hospitals: dict) -> None:
    """Write one group's computation: its result, the outcome of every bid and the allocation lines (by COPY),
    replacing what an earlier attempt of the same run wrote. With :func:`group_inputs` and the engine it is one of
    the award task's three phases, which ``bench_award`` times separately."""
    AwardGroupResult.objects.filter(run=run, group=group).delete()
    AwardOutcome.objects.filter(run=run, group=group).delete()
    AllocationLine.objects.filter(run=run, group=group).delete()
    allocation = computation.allocation
    prices = computation.prices()
    regions_of = defaultdict(list)
    total_cost = ceiling_cost = Decimal(0)
    allocated = allocation.allocated_by_supplier() if allocation else {}
    for supplier, quantity in allocated.items():
        total_cost += prices[supplier] * quantity
        ceiling_cost += group.ceiling_price * quantity
    for region, supplier in (allocation.regions if allocation else {}).items():
        regions_of[supplier].append(region)
    AwardOutcome.objects.bulk_create(
        [
            AwardOutcome(
                run=run,
                group=group,
                opened_bid_id=suppliers[outcome.supplier][0],
                supplier_id=suppliers[outcome.supplier][1],
                comparable=outcome.comparable,
                rank=outcome.rank,
                won=outcome.won,
                reason=outcome.reason,
                revival_price=outcome.revival_price,
                revived=outcome.revived,
                justification_required=outcome.justification_required,
                allocated=allocated.get(outcome.supplier, 0),
                regions=sorted(regions_of.get(outcome.supplier, [])),
            )
            for outcome in computation.award.outcomes
        ]
    )
    supplier_ids = {code: ids[1] for code, ids in suppliers.items()}
    rows = (
        (run.pk, group.pk, hospital, supplier, quantity, reason)
        for hospital, supplier, quantity, reason in (allocation.rows(hospitals, supplier_ids) if allocation else ())
    )
    write_allocation_lines(rows)
    award = computation.award
    AwardGroupResult.objects.create(
        run=run,
        group=group,
        bidders=award.bidders,
        valid_bidders=award.valid_bidders,
        max_winners=award.max_winners,
        lowest_comparable=award.lowest_comparable,
        anchor=award.anchor,
        demand_base=computation.demand_base,
        ratio=computation.ratio,
        agreed_total=computation.agreed_total,
        unallocated=allocation.unallocated_total() if allocation else 0,
        regions=allocation.regions if allocation else {},
        unallocated_lines=[
            {"hospital": item.hospital, "quantity": item.quantity}
            for item in (allocation.unallocated if allocation else [])
        ],
        optimiser_status=computation.optimiser_status,
        total_cost=total_cost,
        ceiling_cost=ceiling_cost,
    )


LINE_COLUMNS = ("run_id", "group_id", "hospital_id", "supplier_id", "quantity", "reason")


def write_allocation_lines(rows) -> int:
    """Insert allocation lines given as tuples in ``LINE_COLUMNS`` order (COPY on PostgreSQL: millions of rows)."""
    return copy_rows(AllocationLine, LINE_COLUMNS, rows)


def finish_award_run(run_id: int) -> bool:
    """Close the run once every group is stored (called by each group's task; only the last one acts)."""
    with transaction.atomic():
        run = AwardRun.objects.select_for_update().get(pk=run_id)
        if run.status in (AwardRun.Status.DONE, AwardRun.Status.FAILED):
            return False
        results = run.group_results.aggregate(
            groups=Count("id"),
            agreed=Sum("agreed_total"),
            unallocated=Sum("unallocated"),
            cost=Sum("total_cost"),
            ceiling=Sum("ceiling_cost"),
        )
        if results["groups"] < run.groups_total:
            return False
        run.status = AwardRun.Status.DONE
        run.finished_at = timezone.now()
        run.winners = run.outcomes.filter(won=True).count()
        run.agreed_total = results["agreed"] or 0
        run.unallocated = results["unallocated"] or 0
        run.total_cost = results["cost"] or Decimal(0)
        run.ceiling_cost = results["ceiling"] or Decimal(0)
        run.save()
        audit.record(
            actor=None,
            action="award.computed",
            instance=run,
            after={
                "round": run.round.code,
                "winners": run.winners,
                "agreed_total": run.agreed_total,
                "unallocated": run.unallocated,
                "total_cost": str(run.total_cost),
                "input_hash": run.input_hash,
            },
        )
    return True


def award_publish(*, actor, run: AwardRun) -> AwardRun:
    """Publish an official computation: the round becomes awarded and every party is told its result."""
    access.require_procurement_officer(actor, ProcurementError)
    with transaction.atomic():
        tender_round = lock_round(run.round)
        run = AwardRun.objects.select_for_update().select_related("rule_set").get(pk=run.pk)
        if tender_round.status != RoundStatus.OPENED:
            raise ProcurementError(_("Only an opened round can have its award published."), code="not_opened")
        if run.status != AwardRun.Status.DONE:
            raise ProcurementError(_("The computation has not finished."), code="not_computed")
        if run.rule_set_id != tender_round.rule_set_id or run.overrides:
            raise ProcurementError(
                _("A what-if computation cannot be published: use the round's rule set without overrides."),
                code="what_if",
            )
        if input_fingerprint(tender_round, run.rule_set, run.overrides, run.mode) != run.input_hash:
            raise ProcurementError(
                _("Demand, hospital choices or revival acceptances changed after this computation: compute again."),
                code="stale",
            )
        now = timezone.now()
        run.published_at, run.published_by = now, actor
        run.save(update_fields=["published_at", "published_by"])
        _move(tender_round, RoundStatus.AWARDED, actor=actor, reason=f"award run {run.pk} published", at=now)
        audit.record(
            actor=actor,
            action="award.publish",
            instance=run,
            before={"published_at": None},
            after={
                "round": tender_round.code,
                "published_at": now.isoformat(),
                "mode": run.mode,
                "input_hash": run.input_hash,
                "winners": run.winners,
                "total_cost": str(run.total_cost),
            },
        )
        _notify_published(run, tender_round)
        # Payment standards follow the winning prices as soon as the award is published (pricing connects to it).
        hooks.award_published.send(sender=AwardRun, run=run, tender_round=tender_round, actor=actor)
    return run


def _notify_published(run: AwardRun, tender_round: TenderRound) -> None:
    results_link = reverse("procurement:round_results", args=[tender_round.pk])
    messages = []
    for outcome in run.outcomes.select_related("group"):
        params = {"round": tender_round.code, "group": outcome.group.code}
        if outcome.won:
            params |= {"price": str(outcome.winning_price), "rank": outcome.rank, "allocated": outcome.allocated}
            messages.append((outcome.supplier_id, "award.won", params, results_link))
        else:
            messages.append((outcome.supplier_id, "award.lost", params | {"reason": outcome.reason}, results_link))
    allocations_link = reverse("procurement:round_allocations", args=[tender_round.pk])
    per_hospital = run.lines.values("hospital_id").annotate(
        groups=Count("group_id", distinct=True), quantity=Sum("quantity")
    )
    for row in per_hospital.order_by("hospital_id"):
        params = {"round": tender_round.code, "groups": row["groups"], "quantity": row["quantity"]}
        messages.append((row["hospital_id"], "award.allocated", params, allocations_link))
    notify(messages)


def award_compare(first: AwardRun, second: AwardRun) -> dict:
    """Side by side per group: winners added and removed, cost and savings at the agreed volumes."""

    def by_group(run):
        winners = defaultdict(dict)
        for outcome in run.outcomes.filter(won=True).select_related("supplier"):
            winners[outcome.group_id][outcome.supplier.code] = outcome
        return {result.group_id: result for result in run.group_results.select_related("group")}, winners

    results_a, winners_a = by_group(first)
    results_b, winners_b = by_group(second)
    groups = []
    for group_id in sorted(
        set(results_a) | set(results_b), key=lambda pk: (results_a.get(pk) or results_b[pk]).group.code
    ):
        a, b = results_a.get(group_id), results_b.get(group_id)
        suppliers_a, suppliers_b = set(winners_a.get(group_id, {})), set(winners_b.get(group_id, {}))
        cost_a = a.total_cost if a else None
        cost_b = b.total_cost if b else None
        groups.append(
            {
                "group": (a or b).group.code,
                "winners_a": sorted(suppliers_a),
                "winners_b": sorted(suppliers_b),
                "added": sorted(suppliers_b - suppliers_a),
                "removed": sorted(suppliers_a - suppliers_b),
                "agreed_a": a.agreed_total if a else None,
                "agreed_b": b.agreed_total if b else None,
                "cost_a": cost_a,
                "cost_b": cost_b,
                "cost_difference": (cost_b - cost_a) if a and b else None,
                "savings_a": (a.ceiling_cost - a.total_cost) if a else None,
                "savings_b": (b.ceiling_cost - b.total_cost) if b else None,
                "regions_changed": sorted(
                    region
                    for region in set(a.regions if a else {}) | set(b.regions if b else {})
                    if (a.regions if a else {}).get(region) != (b.regions if b else {}).get(region)
                ),
            }
        )
    return {
        "a": first.pk,
        "b": second.pk,
        "total_cost_a": first.total_cost,
        "total_cost_b": second.total_cost,
        "savings_a": first.savings,
        "savings_b": second.savings,
        "groups": groups,
    }


def latest_official_run(tender_round: TenderRound) -> AwardRun | None:
    """The published run, else the latest finished official computation (the preliminary winners, 拟中选)."""
    runs = AwardRun.objects.filter(round=tender_round, status=AwardRun.Status.DONE, rule_set=tender_round.rule_set_id)
    published = runs.filter(published_at__isnull=False).first()
    if published:
        return published
    return runs.filter(overrides={}).order_by("-finished_at", "-pk").first()


@transaction.atomic
def revival_accept(*, actor, run: AwardRun, supplier: Organisation) -> RevivalAcceptance:
    """Record that a supplier accepted the revival price it was offered in a computed official run."""
    access.require_procurement_officer(actor, ProcurementError)
    tender_round = lock_round(run.round)
    if tender_round.status != RoundStatus.OPENED:
        raise ProcurementError(_("Revival can be recorded only before the award is published."), code="not_opened")
    outcome = run.outcomes.filter(supplier=supplier, revival_price__isnull=False, won=False).first()
    if outcome is None:
        raise ProcurementError(_("This supplier was not offered a revival in this computation."), code="no_revival")
    acceptance, created = RevivalAcceptance.objects.get_or_create(
        group_id=outcome.group_id, supplier=supplier, defaults={"recorded_by": actor}
    )
    if created:
        audit.record(
            actor=actor,
            action="award.revival_accept",
            instance=acceptance,
            after={
                "round": tender_round.code,
                "group": outcome.group.code,
                "supplier": supplier.code,
                "revival_price": str(outcome.revival_price),
            },
        )
    return acceptance


@transaction.atomic
def winner_choose(*, actor, report: DemandReport, supplier: Organisation | None) -> DemandReport:
    """A hospital chooses among the preliminary winners of a group for its demand (or clears its choice)."""
    if not (access.is_hospital_user(actor) and report.hospital_id == actor.organisation_id):
        raise ProcurementError(_("Only the hospital that reported this demand may choose."), code="not_owner")
    tender_round = lock_round(report.group.round)
    if tender_round.status != RoundStatus.OPENED:
        raise ProcurementError(_("Winners can be chosen only between the opening and the award."), code="not_opened")
    if supplier is not None:
        run = latest_official_run(tender_round)
        outcome = run and run.outcomes.filter(group_id=report.group_id, supplier=supplier, won=True).first()
        if not outcome:
            raise ProcurementError(_("Choose one of the preliminary winners of this group."), code="not_a_winner")
        bid_regions = outcome.opened_bid.regions
        if bid_regions and report.hospital.region.code not in bid_regions:
            raise ProcurementError(_("This winner does not supply your region."), code="region_not_supplied")
    before = {"chosen_supplier": report.chosen_supplier_id}
    report.chosen_supplier = supplier
    report.save(update_fields=["chosen_supplier", "updated_at"])
    audit.record(
        actor=actor,
        action="demand.choose_winner",
        instance=report,
        before=before,
        after={"chosen_supplier": supplier.pk if supplier else None, "round": tender_round.code},
    )
    return report


def round_award_preview(*, tender_round: TenderRound, rule_set: RuleSet | None = None, parameters=None) -> dict:
    """The exchange-format result for every group of an opened round, computed on demand and stored nowhere."""
    _require_opened(tender_round)
    rule_set = rule_set or tender_round.rule_set
    merged = {**rule_set.parameters, **(parameters or {})}
    regions = [region.code for region in tender_round.supply_regions()]
    groups = tender_round.groups.order_by("code")
    directory = Directory(tender_round)
    results = []
    for group in groups:
        bids, demand, _suppliers, _hospitals, revived = group_inputs(group, directory)
        try:
            results.append(
                compute_group(
                    group.code,
                    group.ceiling_price,
                    rule_set.family,
                    merged,
                    bids,
                    demand,
                    regions,
                    oral_solid=group.smallest_unit in ORAL_SOLID_UNITS,
                    revived=revived,
                )
            )
        except (RuleSetError, KeyError) as error:
            raise ProcurementError(
                _("The rule set %(rule_set)s cannot be applied: %(error)s") % {"rule_set": rule_set, "error": error},
                code="rule_set",
            ) from None
    return {"rule_set": rule_set.code, "rule_set_version": str(rule_set.version), "groups": results}
