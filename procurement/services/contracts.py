"""Purchase agreements (采购协议) after the award: generated from the published allocation, confirmed by both parties
(or by an officer in bulk), moved to the backup winner when a winner cannot supply a region, and renewed at the
cycle's end. Every change is audited; rollups follow the agreed volumes in the same transaction."""

from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access, audit
from accounts.models import Organisation, Region
from accounts.notifications import notify
from core.bulk import bulk_insert
from core.money import round_unit_price

from ..exceptions import ProcurementError
from ..models import (
    AllocationLine,
    AwardOutcome,
    AwardRun,
    CompletionRollup,
    Contract,
    HospitalRollup,
    ProductGroup,
    SupplyFailure,
    TenderRound,
)
from ..models.contracts import CONTRACT_WORKFLOW
from ..models.rounds import RoundStatus
from .rounds import _move, lock_round


def winning_unit_price(outcome: AwardOutcome) -> Decimal:
    """The winning price per smallest unit of the winner's product: its pack price over its pack size, scaled to an
    accepted revival price (which is stated per comparable unit)."""
    bid = outcome.opened_bid
    price = Decimal(bid.pack_price) / bid.product.pack_size
    if outcome.revived and outcome.comparable:
        price = price * Decimal(outcome.revival_price) / Decimal(outcome.comparable)
    return round_unit_price(price)


def cycle_of(tender_round: TenderRound, today: date | None = None) -> tuple[date, date]:
    start = tender_round.cycle_starts_on or (today or timezone.localdate())
    return start, start + relativedelta(months=tender_round.cycle_months) - timedelta(days=1)


def contracts_generate(*, actor, tender_round: TenderRound) -> int:
    """Turn the published award into agreements (hospital × group × winner); the round comes into effect. Asking
    again changes nothing and returns 0."""
    access.require_procurement_officer(actor, ProcurementError)
    with transaction.atomic():
        tender_round = lock_round(tender_round)
        if tender_round.contracts.exists():
            return 0
        if not tender_round.awaits_agreements:
            raise ProcurementError(_("Agreements are made from a published award."), code="not_awarded")
        run = AwardRun.objects.published().get(round=tender_round)
        outcomes = {
            (outcome.group_id, outcome.supplier_id): outcome
            for outcome in AwardOutcome.objects.filter(run=run, won=True).select_related("opened_bid__product")
        }
        regions = dict(Organisation.objects.hospitals().values_list("pk", "region_id"))
        start, end = cycle_of(tender_round)
        contracts = []
        for group_id, hospital_id, supplier_id, quantity in (
            AllocationLine.objects.filter(run=run).values_list("group_id", "hospital_id", "supplier_id", "quantity")
        ).iterator(5000):
            outcome = outcomes[(group_id, supplier_id)]
            contracts.append(
                Contract(
                    round_id=tender_round.pk,
                    group_id=group_id,
                    hospital_id=hospital_id,
                    supplier_id=supplier_id,
                    product_id=outcome.opened_bid.product_id,
                    region_id=regions[hospital_id],
                    agreed_quantity=quantity,
                    unit_price=winning_unit_price(outcome),
                    comparable_price=outcome.winning_price,
                    cycle_start=start,
                    cycle_end=end,
                    source_run_id=run.pk,
                )
            )
        bulk_insert(Contract, contracts)
        rollups_rebuild(tender_round)
        now = timezone.now()
        _move(tender_round, RoundStatus.IN_EFFECT, actor=actor, reason="purchase agreements generated", at=now)
        audit.record(
            actor=actor,
            action="contract.generate",
            instance=tender_round,
            after={"round": tender_round.code, "contracts": len(contracts), "cycle": [start, end], "run": run.pk},
        )
        link = "/contracts/"
        parties = {c.hospital_id for c in contracts} | {c.supplier_id for c in contracts}
        notify(
            (party, "contract.generated", {"round": tender_round.code, "start": start.isoformat()}, link)
            for party in sorted(parties)
        )
    return len(contracts)


def rollups_rebuild(tender_round: TenderRound) -> None:
    """(Re)build the agreed side of the rollups of a round from its active agreements; purchased figures stay."""
    from django.db.models import Sum

    active = Contract.objects.filter(
        round=tender_round, status__in=[Contract.Status.PENDING, Contract.Status.CONFIRMED]
    )
    by_region = active.values("group_id", "region_id", "supplier_id").annotate(agreed=Sum("agreed_quantity"))
    by_hospital = active.values("hospital_id", "region_id").annotate(agreed=Sum("agreed_quantity"))
    CompletionRollup.objects.filter(round=tender_round).update(agreed_quantity=0)
    HospitalRollup.objects.filter(round=tender_round).update(agreed_quantity=0)
    existing = {
        (r.group_id, r.region_id, r.supplier_id): r for r in CompletionRollup.objects.filter(round=tender_round)
    }
    create, update = [], []
    for row in by_region:
        key = (row["group_id"], row["region_id"], row["supplier_id"])
        rollup = existing.get(key)
        if rollup is None:
            create.append(
                CompletionRollup(
                    round=tender_round,
                    group_id=key[0],
                    region_id=key[1],
                    supplier_id=key[2],
                    agreed_quantity=row["agreed"],
                )
            )
        else:
            rollup.agreed_quantity = row["agreed"]
            update.append(rollup)
    CompletionRollup.objects.bulk_create(create, batch_size=2000)
    CompletionRollup.objects.bulk_update(update, ["agreed_quantity"], batch_size=2000)
    hospitals = {r.hospital_id: r for r in HospitalRollup.objects.filter(round=tender_round)}
    create, update = [], []
    for row in by_hospital:
        rollup = hospitals.get(row["hospital_id"])
        if rollup is None:
            create.append(
                HospitalRollup(
                    round=tender_round,
                    hospital_id=row["hospital_id"],
                    region_id=row["region_id"],
                    agreed_quantity=row["agreed"],
                )
            )
        else:
            rollup.agreed_quantity = row["agreed"]
            update.append(rollup)
    HospitalRollup.objects.bulk_create(create, batch_size=2000)
    HospitalRollup.objects.bulk_update(update, ["agreed_quantity"], batch_size=2000)


def contract_confirm(*, actor, contract: Contract) -> Contract:
    """The hospital or the supplier confirms its side; with both sides the agreement is confirmed."""
    side = None
    if access.is_hospital_user(actor) and actor.organisation_id == contract.hospital_id:
        side = "hospital_confirmed_at"
    elif access.is_supplier_user(actor) and actor.organisation_id == contract.supplier_id:
        side = "supplier_confirmed_at"
    if side is None:
        raise ProcurementError(_("Only the parties confirm an agreement."), code="not_party")
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract.pk)
        if not contract.is_active:
            raise ProcurementError(_("This agreement is no longer in force."), code="not_active")
        if getattr(contract, side) is not None:
            return contract
        setattr(contract, side, timezone.now())
        before = contract.status
        if contract.hospital_confirmed_at and contract.supplier_confirmed_at:
            CONTRACT_WORKFLOW.move(contract, "confirm", ProcurementError)
        contract.save(update_fields=[side, "status"])
        audit.record(
            actor=actor,
            action="contract.confirm",
            instance=contract,
            before={"status": before},
            after={"status": contract.status, "side": side.split("_")[0]},
        )
    return contract


def contracts_confirm_bulk(*, actor, contracts) -> int:
    """An officer confirms pending agreements on both parties' behalf (e.g. after a paper signing)."""
    access.require_procurement_officer(actor, ProcurementError)
    with transaction.atomic():
        # A bulk move through the workflow: the rows in the step's sources move to its target.
        confirm = CONTRACT_WORKFLOW.steps["confirm"]
        pending = list(contracts.select_for_update().filter(status__in=confirm.sources).values_list("pk", flat=True))
        now = timezone.now()
        Contract.objects.filter(pk__in=pending).update(status=confirm.target, confirmed_by_officer=actor)
        Contract.objects.filter(pk__in=pending, hospital_confirmed_at__isnull=True).update(hospital_confirmed_at=now)
        Contract.objects.filter(pk__in=pending, supplier_confirmed_at__isnull=True).update(supplier_confirmed_at=now)
        confirmed = Contract.objects.filter(pk__in=pending).select_related("round", "group", "hospital", "supplier")
        entries = [
            audit.entry_for(
                actor=actor,
                action="contract.confirm_bulk",
                instance=contract,
                before={"status": "pending"},
                after={"status": "confirmed"},
            )
            for contract in confirmed
        ]
        audit.record_many(entries)
    return len(pending)


def _backup_for(run: AwardRun, group: ProductGroup, failing: Organisation, region: Region) -> Organisation | None:
    """The next winner in rank order whose bid accepts the region (vbp-rules.md, Supply)."""
    for outcome in (
        AwardOutcome.objects.filter(run=run, group=group, won=True)
        .exclude(supplier=failing)
        .select_related("opened_bid", "supplier")
        .order_by("rank", "supplier__code")
    ):
        regions = outcome.opened_bid.regions
        if not regions or region.code in regions:
            return outcome.supplier
    return None


def supply_failure_record(
    *,
    actor,
    tender_round: TenderRound,
    group: ProductGroup,
    supplier: Organisation,
    region: Region,
    reason: str,
    backup: Organisation | None = None,
    interruption_days: int | None = None,
) -> SupplyFailure:
    """A winner cannot supply a region: the open volume of its agreements there (agreed − purchased) moves to the
    backup winner — the next in rank order that accepts the region, or the officer's choice — and the event becomes
    a credit record for review. Volume is conserved: the failing agreements keep what was bought."""
    declared = access.is_supplier_user(actor) and actor.organisation_id == supplier.pk
    if not declared:
        access.require_procurement_officer(actor, ProcurementError)
    if backup is not None and not access.is_procurement_officer(actor):
        raise ProcurementError(_("Only an officer chooses the backup supplier."), code="not_officer")
    if not (reason or "").strip():
        raise ProcurementError(_("Say why the supplier cannot supply."), code="reason")
    with transaction.atomic():
        tender_round = lock_round(tender_round)
        run = AwardRun.objects.published().get(round=tender_round)
        backup = backup or _backup_for(run, group, supplier, region)
        if backup is None:
            raise ProcurementError(
                _("No other winner supplies this region: choose the backup supplier."), code="no_backup"
            )
        won = (
            AwardOutcome.objects.filter(run=run, group=group, supplier=backup, won=True)
            .select_related("opened_bid__product")
            .first()
        )
        if won is None:
            raise ProcurementError(_("The backup supplier did not win this group."), code="backup_not_winner")
        failing = list(
            Contract.objects.select_for_update().filter(
                round=tender_round,
                group=group,
                supplier=supplier,
                region=region,
                status__in=[Contract.Status.PENDING, Contract.Status.CONFIRMED],
            )
        )
        failure = SupplyFailure.objects.create(
            round=tender_round, group=group, supplier=supplier, region=region, backup=backup, reason=reason.strip(),
            declared_by_supplier=declared, recorded_by=actor,
        )  # fmt: skip
        existing = {
            c.hospital_id: c
            for c in Contract.objects.select_for_update().filter(
                round=tender_round, group=group, supplier=backup, region=region,
                status__in=[Contract.Status.PENDING, Contract.Status.CONFIRMED],
            )
        }  # fmt: skip
        moved, created, entries = 0, [], []
        unit_price = winning_unit_price(won)
        for contract in failing:
            open_quantity = contract.open_quantity
            before = {"agreed_quantity": contract.agreed_quantity, "status": contract.status}
            contract.agreed_quantity = contract.purchased_quantity
            CONTRACT_WORKFLOW.move(contract, "terminate", ProcurementError)
            contract.save(update_fields=["agreed_quantity", "status"])
            entries.append(
                audit.entry_for(
                    actor=actor, action="contract.terminate", instance=contract, before=before,
                    after={"agreed_quantity": contract.agreed_quantity, "status": contract.status,
                           "moved_to": backup.code, "moved_quantity": open_quantity},
                    reason=failure.reason,
                )
            )  # fmt: skip
            if open_quantity == 0:
                continue
            moved += open_quantity
            target = existing.get(contract.hospital_id)
            if target is not None:
                Contract.objects.filter(pk=target.pk).update(agreed_quantity=F("agreed_quantity") + open_quantity)
                continue
            created.append(
                Contract(
                    round=tender_round, group=group, hospital_id=contract.hospital_id, supplier=backup,
                    product_id=won.opened_bid.product_id, region=region, agreed_quantity=open_quantity,
                    unit_price=unit_price, comparable_price=won.winning_price, cycle_start=contract.cycle_start,
                    cycle_end=contract.cycle_end, source_run=run, moved_from=contract,
                )
            )  # fmt: skip
        Contract.objects.bulk_create(created, batch_size=2000)
        for contract in created:
            entries.append(
                audit.entry_for(
                    actor=actor, action="contract.backup", instance=contract,
                    after={"agreed_quantity": contract.agreed_quantity, "moved_from": contract.moved_from_id},
                )
            )  # fmt: skip
        failure.moved_quantity, failure.contracts_moved = moved, len(failing)
        failure.save(update_fields=["moved_quantity", "contracts_moved"])
        entries.append(
            audit.entry_for(
                actor=actor, action="supply.failure", instance=failure,
                after={"group": group.code, "supplier": supplier.code, "region": region.code, "backup": backup.code,
                       "moved_quantity": moved, "contracts": len(failing)},
                reason=failure.reason,
            )
        )  # fmt: skip
        audit.record_many(entries)
        rollups_rebuild(tender_round)
        failure.credit_record = _credit_event(failure, interruption_days)
        failure.save(update_fields=["credit_record"])
        hospitals = sorted({c.hospital_id for c in failing})
        params = {"round": tender_round.code, "group": group.code, "supplier": supplier.name, "backup": backup.name}
        notify(
            [(h, "supply.moved", params, "/contracts/") for h in hospitals]
            + [(backup.pk, "supply.backup", params | {"quantity": moved}, "/contracts/")]
            + [(supplier.pk, "supply.failure", params, "/contracts/")]
        )
    return failure


def _credit_event(failure: SupplyFailure, interruption_days: int | None):
    """The failure as a platform event for the credit rating (恶意违反合同约定): abandoning the region, or an
    interruption of the given length."""
    from credit.services import record_platform_event

    facts = {"interruption_days": interruption_days} if interruption_days else {"abandoned_region": True}
    return record_platform_event(
        event_key=f"supply-failure:{failure.pk}",
        supplier=failure.supplier,
        item="breach_contract",
        occurred_on=timezone.localdate(),
        facts=facts,
        description=f"{failure.round.code} {failure.group.code} {failure.region.name}: {failure.reason}",
        products=[p for p in failure.group.eligible_products.filter(holder=failure.supplier)],
    )


def contract_renew(*, actor, contract: Contract, quantity: int) -> Contract:
    """Renewal (续约) at the cycle's end: the agreement carries into the next cycle of the same length with a new
    quantity, at the same price; the old one ends."""
    access.require_procurement_officer(actor, ProcurementError)
    if not isinstance(quantity, int) or quantity <= 0:
        raise ProcurementError(_("The renewed quantity must be a whole number greater than zero."), code="quantity")
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract.pk)
        if not contract.is_active:
            raise ProcurementError(_("This agreement is no longer in force."), code="not_active")
        if timezone.localdate() < contract.cycle_end - timedelta(days=90):
            raise ProcurementError(
                _("An agreement is renewed in the last 90 days of its cycle (it ends on %(end)s).")
                % {"end": contract.cycle_end.isoformat()},
                code="too_early",
            )
        length = contract.cycle_end - contract.cycle_start
        start = contract.cycle_end + timedelta(days=1)
        renewal = Contract.objects.create(
            round=contract.round, group=contract.group, hospital=contract.hospital, supplier=contract.supplier,
            product=contract.product, region=contract.region, agreed_quantity=quantity,
            unit_price=contract.unit_price, comparable_price=contract.comparable_price, cycle_start=start,
            cycle_end=start + length, source_run=contract.source_run, renewal_of=contract,
        )  # fmt: skip
        CONTRACT_WORKFLOW.move(contract, "end", ProcurementError)
        contract.save(update_fields=["status"])
        audit.record(
            actor=actor, action="contract.renew", instance=renewal,
            before={"contract": contract.pk, "agreed_quantity": contract.agreed_quantity},
            after={"agreed_quantity": quantity, "cycle": [renewal.cycle_start, renewal.cycle_end]},
        )  # fmt: skip
        rollups_rebuild(contract.round)
    return renewal
