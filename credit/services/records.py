"""State changes of the record database (失信信息库): entry, platform events, self-reports and public tips; the
notice and the supplier's defence (申辩); the officer's decision; revocation; active repair (信用修复); and the
acknowledgement of a written warning. Every change is audited; a confirmation, revocation or repair re-rates the
supplier at once (credit-rules.md, Procedure 4)."""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access, audit
from accounts.models import Organisation
from accounts.notifications import notify

from ..engines import rating as engine
from ..exceptions import CreditError
from ..models import CatalogVersion, CreditRecord, Item, Measure, MeasureKind, RepairApplication, Tip
from ..models.records import RECORD_WORKFLOW, REPAIR_WORKFLOW, TIP_WORKFLOW

RECORD_FIELDS = [
    "supplier",
    "item",
    "catalog_version",
    "amount",
    "facts",
    "description",
    "source",
    "document_number",
    "occurred_on",
    "status",
    "judged_level",
    "judged_rule",
    "decision",
    "decision_reason",
    "confirmed_on",
    "revoked_on",
    "repaired_on",
]
# Facts each item's benchmark reads (credit-rating-format.md), with their kind.
FACT_KINDS = {
    "cumulative": "decimal",
    "abnormal_sales": "decimal",
    "delivery_rate": "decimal",
    "penalised_price_months": "int",
    "abnormal_price_months": "int",
    "rounds": "int",
    "interruption_days": "int",
    "organiser": "bool",
    "minor": "bool",
    "refused_to_sign": "bool",
    "abandoned_region": "bool",
    "bribed_staff": "bool",
    "national_bid_rigging": "bool",
    "level": "level",
}
ITEM_FACTS = {
    "kickback": ["cumulative", "bribed_staff", "national_bid_rigging"],
    "tax": [],
    "unfair_price": ["penalised_price_months", "abnormal_price_months", "abnormal_sales"],
    "monopoly": ["penalised_price_months"],
    "disrupt_procurement": ["rounds", "organiser", "minor"],
    "breach_contract": ["delivery_rate", "interruption_days", "refused_to_sign", "abandoned_region"],
    "other": ["level"],
}
# Items judged by an amount (the top-level ``amount``).
AMOUNT_ITEMS = {"kickback", "tax"}


def catalog_in_force() -> CatalogVersion:
    version = CatalogVersion.objects.filter(in_force=True).first()
    if version is None:
        raise CreditError(_("No catalog version is in force."), code="no_catalog")
    return version


def _require_credit_officer(actor) -> None:
    if not access.is_credit_officer(actor):
        raise CreditError(_("Only a credit officer may do this."), code="not_credit_officer")


def _require_own_supplier(actor, record: CreditRecord) -> None:
    if not access.is_supplier_user(actor) or actor.organisation_id != record.supplier_id:
        raise CreditError(_("Only the supplier concerned may do this."), code="not_own_record")


def clean_facts(item: str, facts: dict | None) -> dict:
    """The item's benchmark facts, typed; anything else is refused with the fact's name."""
    facts = dict(facts or {})
    allowed = ITEM_FACTS.get(item)
    if allowed is None:
        raise CreditError(_("Unknown catalog item."), code="item")
    unknown = sorted(set(facts) - set(allowed))
    if unknown:
        raise CreditError(
            _("Facts not read by this item's benchmark: %(facts)s") % {"facts": ", ".join(unknown)}, code="facts"
        )
    cleaned = {}
    for name, value in facts.items():
        if value in (None, ""):
            continue
        kind = FACT_KINDS[name]
        if kind == "bool":
            if not isinstance(value, bool):
                raise CreditError(_("%(fact)s: not true or false") % {"fact": name}, code="facts")
            if value:
                cleaned[name] = True
        elif kind == "int":
            try:
                number = int(value)
            except (TypeError, ValueError):
                raise CreditError(_("%(fact)s: not a whole number") % {"fact": name}, code="facts") from None
            if isinstance(value, bool) or number < 0 or str(number) != str(value).strip():
                raise CreditError(_("%(fact)s: not a whole number") % {"fact": name}, code="facts")
            cleaned[name] = number
        elif kind == "decimal":
            try:
                number = Decimal(str(value).strip())
            except InvalidOperation:
                raise CreditError(_("%(fact)s: not a decimal number") % {"fact": name}, code="facts") from None
            if not number.is_finite() or number < 0:
                raise CreditError(_("%(fact)s: not a decimal number") % {"fact": name}, code="facts")
            cleaned[name] = str(number)
        else:
            if value not in engine.LEVELS_2020 + engine.LEVELS_2025:
                raise CreditError(_("%(fact)s: not a level") % {"fact": name}, code="facts")
            cleaned[name] = value
    return cleaned


def engine_record(record: CreditRecord, *, supplier: str = "", as_of: date | None = None) -> engine.Record:
    """The engine's view of a stored record at a date (a revocation or repair after that date does not count)."""
    return engine.stored_record(
        id=record.reference,
        supplier=supplier or str(record.supplier_id),
        item=record.item,
        amount=record.amount,
        facts=record.facts,
        confirmed=record.confirmed_on,
        revoked_on=record.revoked_on,
        repaired_on=record.repaired_on,
        as_of=as_of or timezone.localdate(),
    )


def judge(record: CreditRecord) -> tuple[str, str]:
    """The level and rule the record's own catalog version gives its facts."""
    version = record.catalog_version
    return engine.judge(engine_record(record), version.family, version.benchmark)


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else 0))
    except InvalidOperation:
        raise CreditError(_("The amount is not a number."), code="amount") from None
    if not amount.is_finite() or amount < 0:
        raise CreditError(_("The amount must be zero or more."), code="amount")
    return amount.quantize(Decimal("0.01"))


def _products_of(supplier: Organisation, products) -> list:
    products = list(products or [])
    foreign = [product for product in products if product.holder_id != supplier.pk]
    if foreign:
        raise CreditError(_("Products in the case must be the supplier's own."), code="products")
    return products


def _judged(record: CreditRecord) -> None:
    level, rule = judge(record)
    if level == engine.NONE:
        raise CreditError(
            _("These facts reach no level of the benchmark; there is nothing to record."), code="no_level"
        )
    record.judged_level, record.judged_rule = level, rule


def _publish_notice(record: CreditRecord) -> None:
    RECORD_WORKFLOW.move(record, "notify", CreditError)
    record.notice_published_at = timezone.now()


def _send_notice(record: CreditRecord) -> None:
    """The notice of the proposed rating, in the platform (a row of the same transaction as the record)."""
    notify(
        [
            (
                record.supplier_id,
                "credit.notice",
                {
                    "record": record.reference,
                    "item": record.item,
                    "level": record.judged_level,
                    "due": record.defence_due().isoformat(),
                },
                f"/credit/records/{record.pk}/",
            )
        ]
    )


def record_create(
    *,
    actor,
    supplier: Organisation,
    item: str,
    occurred_on: date,
    source: str,
    amount=0,
    facts: dict | None = None,
    description: str = "",
    document_number: str = "",
    evidence=None,
    products=(),
    event_key: str = "",
) -> CreditRecord:
    """Enter a record. An officer's entry (judgment, penalty, reviewed tip or platform event) publishes the notice at
    once; a self-report waits for an officer's review. A retried request with the same ``event_key`` returns the
    first record."""
    self_report = source == CreditRecord.Source.SELF_REPORT
    if self_report:
        if not access.is_supplier_user(actor) or actor.organisation_id != supplier.pk:
            raise CreditError(_("A supplier reports only its own conduct."), code="not_own_record")
    elif actor is not None:
        _require_credit_officer(actor)
    if source not in CreditRecord.Source.values:
        raise CreditError(_("Unknown source."), code="source")
    if not supplier.is_supplier:
        raise CreditError(_("Records are kept for suppliers only."), code="not_supplier")
    if item not in Item.values:
        raise CreditError(_("Unknown catalog item."), code="item")
    if (
        source in (CreditRecord.Source.COURT_JUDGMENT, CreditRecord.Source.ADMINISTRATIVE_PENALTY)
        and not (document_number or "").strip()
    ):
        raise CreditError(_("A judgment or penalty needs its document number."), code="document_number")
    if occurred_on > timezone.localdate():
        raise CreditError(_("The conduct cannot have occurred in the future."), code="occurred_on")
    if event_key:
        existing = CreditRecord.objects.filter(event_key=event_key).first()
        if existing is not None:
            return existing
    record = CreditRecord(
        supplier=supplier,
        item=item,
        catalog_version=catalog_in_force(),
        amount=_amount(amount) if item in AMOUNT_ITEMS else Decimal(0),
        facts=clean_facts(item, facts),
        description=description.strip(),
        source=source,
        document_number=(document_number or "").strip(),
        occurred_on=occurred_on,
        event_key=event_key,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        status=CreditRecord.Status.PENDING_REVIEW,
    )
    products = _products_of(supplier, products)
    _judged(record)
    if evidence:
        record.evidence = evidence
    try:
        with transaction.atomic():
            if source not in (CreditRecord.Source.SELF_REPORT, CreditRecord.Source.PLATFORM_EVENT):
                _publish_notice(record)
            record.save()
            record.products.set(products)
            if record.status == CreditRecord.Status.NOTIFIED:
                _send_notice(record)
            audit.record(
                actor=actor,
                action="credit.record.create",
                instance=record,
                after={**audit.snapshot(record, RECORD_FIELDS), "products": sorted(p.pk for p in products)},
            )
    except IntegrityError:
        if event_key:
            return CreditRecord.objects.get(event_key=event_key)
        raise
    return record


def record_platform_event(
    *,
    event_key: str,
    supplier: Organisation,
    item: str,
    occurred_on: date,
    facts: dict,
    description: str,
    products=(),
) -> CreditRecord | None:
    """The procurement app's own evidence (supply failure, refusal to sign, late deliveries): a record waiting for a
    credit officer's review, made once per event. Facts below every threshold make no record (None)."""
    if not event_key:
        raise CreditError(_("A platform event needs its key."), code="event_key")
    try:
        return record_create(
            actor=None,
            supplier=supplier,
            item=item,
            occurred_on=occurred_on,
            source=CreditRecord.Source.PLATFORM_EVENT,
            facts=facts,
            description=description,
            products=products,
            event_key=event_key,
        )
    except CreditError as error:
        if error.code == "no_level":
            return None
        raise


def record_notify(*, actor, record: CreditRecord) -> CreditRecord:
    """An officer has reviewed a self-report or platform event: publish the notice to the supplier."""
    _require_credit_officer(actor)
    with transaction.atomic():
        record = CreditRecord.objects.select_for_update().get(pk=record.pk)
        before = audit.snapshot(record, ["status"])
        _publish_notice(record)
        record.save(update_fields=["status", "notice_published_at"])
        _send_notice(record)
        audit.record(
            actor=actor, action="credit.record.notify", instance=record, before=before, after={"status": record.status}
        )
    return record


def notice_open(*, actor, record: CreditRecord) -> CreditRecord:
    """The supplier opens the notice: it is served that day (the defence window starts)."""
    if not access.is_supplier_user(actor) or actor.organisation_id != record.supplier_id:
        return record
    if record.notice_published_at is None or record.notice_opened_at is not None:
        return record
    with transaction.atomic():
        updated = CreditRecord.objects.filter(pk=record.pk, notice_opened_at__isnull=True).update(
            notice_opened_at=timezone.now()
        )
        record.refresh_from_db()
        if updated:
            audit.record(
                actor=actor,
                action="credit.notice.open",
                instance=record,
                after={"served_on": record.served_on().isoformat(), "defence_due": record.defence_due().isoformat()},
            )
    return record


def defence_file(*, actor, record: CreditRecord, statement: str, evidence=None) -> CreditRecord:
    """The supplier's written defence (申辩), within the window counted in working days."""
    _require_own_supplier(actor, record)
    if not (statement or "").strip():
        raise CreditError(_("Write the defence statement."), code="statement")
    with transaction.atomic():
        record = CreditRecord.objects.select_for_update().get(pk=record.pk)
        before = RECORD_WORKFLOW.move(record, "defend", CreditError)
        if record.notice_opened_at is None:
            record.notice_opened_at = timezone.now()
        due = record.defence_due()
        today = timezone.localdate()
        if today > due:
            raise CreditError(
                _("The defence window closed on %(due)s; the defence is waived.") % {"due": due.isoformat()},
                code="defence_window_closed",
            )
        record.defence_statement = statement.strip()
        record.defence_filed_at = timezone.now()
        if evidence:
            record.defence_evidence = evidence
        record.save()
        audit.record(
            actor=actor,
            action="credit.defence.file",
            instance=record,
            before={"status": before},
            after={"status": record.status, "statement": record.defence_statement, "due": due.isoformat()},
        )
    return record


def may_decide(record: CreditRecord, today: date | None = None) -> bool:
    """An officer decides once the supplier has defended, or once the window has passed without a defence."""
    return record.awaits_decision(today or timezone.localdate())


def record_decide(
    *,
    actor,
    record: CreditRecord,
    decision: str,
    reason: str,
    item: str | None = None,
    amount=None,
    facts: dict | None = None,
    products=None,
) -> CreditRecord:
    """Uphold, amend or dismiss, with reasons. An upheld or amended record is confirmed today and the supplier is
    re-rated at once; its measures take effect after the rectification period. A review may dismiss a self-report
    or platform event before any notice."""
    _require_credit_officer(actor)
    if decision not in CreditRecord.Decision.values:
        raise CreditError(_("Unknown decision."), code="decision")
    if not (reason or "").strip():
        raise CreditError(_("Give the reasons for the decision."), code="reason")
    with transaction.atomic():
        record = CreditRecord.objects.select_for_update().get(pk=record.pk)
        if record.status == CreditRecord.Status.NOTIFIED and not may_decide(record):
            raise CreditError(
                _("The supplier may defend until %(due)s; decide after that date or after its defence.")
                % {"due": record.defence_due().isoformat()},
                code="defence_window_open",
            )
        step = "dismiss" if decision == CreditRecord.Decision.DISMISSED else "confirm"
        if not RECORD_WORKFLOW.allows(record.status, step):
            raise CreditError(RECORD_WORKFLOW.steps[step].refusal, code="bad_status")
        before = {
            **audit.snapshot(record, RECORD_FIELDS),
            "products": sorted(record.products.values_list("pk", flat=True)),
        }
        today = timezone.localdate()
        if decision == CreditRecord.Decision.AMENDED:
            record.item = item or record.item
            if item is not None or facts is not None:
                record.facts = clean_facts(record.item, facts if facts is not None else record.facts)
            if amount is not None:
                record.amount = _amount(amount) if record.item in AMOUNT_ITEMS else Decimal(0)
            # An amended record is judged under the edition in force on the day of the decision.
            record.catalog_version = catalog_in_force()
            _judged(record)
            if products is not None:
                record.products.set(_products_of(record.supplier, products))
        record.decision = decision
        record.decision_reason = reason.strip()
        record.decided_by, record.decided_at = actor, timezone.now()
        RECORD_WORKFLOW.move(record, step, CreditError)
        if step == "confirm":
            record.confirmed_on = today
        record.save()
        after = {
            **audit.snapshot(record, RECORD_FIELDS),
            "products": sorted(record.products.values_list("pk", flat=True)),
        }
        audit.record(actor=actor, action=f"credit.record.{decision}", instance=record, before=before, after=after)
        notify(
            [
                (
                    record.supplier_id,
                    "credit.decision",
                    {"record": record.reference, "decision": decision, "level": record.judged_level},
                    f"/credit/records/{record.pk}/",
                )
            ]
        )
        if record.status == CreditRecord.Status.CONFIRMED:
            from .ratings import supplier_rerate

            supplier_rerate(supplier=record.supplier, trigger="confirmed", actor=actor)
    return record


def record_revoke(*, actor, record: CreditRecord, reason: str) -> CreditRecord:
    """The judgment or penalty behind the record was revoked: it stops counting today (kept and marked)."""
    _require_credit_officer(actor)
    if not (reason or "").strip():
        raise CreditError(_("Give the reasons for the revocation."), code="reason")
    with transaction.atomic():
        record = CreditRecord.objects.select_for_update().get(pk=record.pk)
        before = RECORD_WORKFLOW.move(record, "revoke", CreditError)
        record.revoked_on = timezone.localdate()
        record.revocation_reason = reason.strip()
        record.save(update_fields=["status", "revoked_on", "revocation_reason"])
        audit.record(
            actor=actor,
            action="credit.record.revoke",
            instance=record,
            before={"status": before},
            after={"status": record.status, "revoked_on": record.revoked_on.isoformat()},
            reason=record.revocation_reason,
        )
        from .ratings import supplier_rerate

        supplier_rerate(supplier=record.supplier, trigger="revoked", actor=actor)
    return record


# Public tips (举报线索).


def _check_tip_evidence_room(evidence) -> None:
    """Tips come from anyone: each evidence file is bounded, and so is what the tip box stores a day."""
    if evidence.size > settings.TIP_EVIDENCE_MAX_BYTES:
        raise CreditError(
            _("A tip's evidence file can be at most %(max)s MB.")
            % {"max": settings.TIP_EVIDENCE_MAX_BYTES // (1024 * 1024)},
            code="evidence",
        )
    since = timezone.now() - timezone.timedelta(days=1)
    if Tip.objects.filter(submitted_at__gte=since).exclude(evidence="").count() >= settings.TIP_EVIDENCE_DAILY_FILES:
        raise CreditError(
            _("The tip box takes no more evidence files today: send your tip without the file, or try tomorrow."),
            code="evidence_full",
        )


def tip_submit(
    *,
    supplier_name: str,
    item: str,
    description: str,
    supplier: Organisation | None = None,
    evidence=None,
    reporter_name: str = "",
    reporter_contact: str = "",
) -> Tip:
    """Anyone may send a tip; it becomes a record only after a credit officer's review."""
    if supplier is not None and not supplier.is_supplier:
        raise CreditError(_("Choose a supplier."), code="supplier")
    name = (supplier_name or (supplier.name if supplier else "")).strip()
    if not name:
        raise CreditError(_("Name the supplier."), code="supplier")
    if item not in Item.values:
        raise CreditError(_("Unknown catalog item."), code="item")
    if len((description or "").strip()) < 10:
        raise CreditError(_("Describe what happened (at least 10 characters)."), code="description")
    if evidence:
        _check_tip_evidence_room(evidence)
    with transaction.atomic():
        tip = Tip.objects.create(
            supplier=supplier,
            supplier_name=name,
            item=item,
            description=description.strip(),
            evidence=evidence or "",
            reporter_name=reporter_name.strip(),
            reporter_contact=reporter_contact.strip(),
        )
        audit.record(actor=None, action="credit.tip.submit", instance=tip, after={"item": item, "supplier": name})
    return tip


def tip_review(
    *,
    actor,
    tip: Tip,
    accept: bool,
    reason: str,
    supplier: Organisation | None = None,
    occurred_on: date | None = None,
    amount=0,
    facts: dict | None = None,
    products=(),
) -> Tip:
    """Reject a tip, or accept it as a record (the notice goes to the supplier at once)."""
    _require_credit_officer(actor)
    if not (reason or "").strip():
        raise CreditError(_("Give the reasons for the review."), code="reason")
    with transaction.atomic():
        tip = Tip.objects.select_for_update().get(pk=tip.pk)
        step = "accept" if accept else "reject"
        if not TIP_WORKFLOW.allows(tip.status, step):  # refused before a record is created for it
            raise CreditError(TIP_WORKFLOW.steps[step].refusal, code="bad_status")
        if accept:
            supplier = supplier or tip.supplier
            if supplier is None:
                raise CreditError(_("Choose the supplier the tip concerns."), code="supplier")
            tip.record = record_create(
                actor=actor,
                supplier=supplier,
                item=tip.item,
                occurred_on=occurred_on or timezone.localdate(),
                source=CreditRecord.Source.PUBLIC_TIP,
                amount=amount,
                facts=facts,
                description=tip.description,
                products=products,
            )
            tip.supplier = supplier
        before = TIP_WORKFLOW.move(tip, step, CreditError)
        tip.reviewed_by, tip.reviewed_at, tip.review_reason = actor, timezone.now(), reason.strip()
        tip.save()
        audit.record(
            actor=actor,
            action="credit.tip.review",
            instance=tip,
            before={"status": before},
            after={"status": tip.status, "record": tip.record.reference if tip.record else None},
            reason=tip.review_reason,
        )
    return tip


# Active repair (信用修复).


def repair_steps_for(record: CreditRecord) -> list[str]:
    return list(record.catalog_version.repair_steps.get(record.item, []))


def repair_apply(
    *, actor, record: CreditRecord, steps, statement: str, commitment_accepted: bool, evidence=None
) -> RepairApplication:
    """The supplier applies to clear a counted record, proving each rectification step its item requires."""
    _require_own_supplier(actor, record)
    today = timezone.localdate()
    if record.standing_on(today) != "counted":
        raise CreditError(_("Only a record that counts can be repaired."), code="not_counted")
    waiting = record.catalog_version.period("repair_waiting_days")
    if today < record.confirmed_on + timedelta(days=waiting):
        raise CreditError(
            _("Repair may be applied for from %(day)s.")
            % {"day": (record.confirmed_on + timedelta(days=waiting)).isoformat()},
            code="too_early",
        )
    required = repair_steps_for(record)
    missing = [step for step in required if step not in set(steps or [])]
    if missing:
        from ..labels import repair_step_label

        raise CreditError(
            _("Show every step the benchmark requires: %(steps)s")
            % {"steps": "; ".join(str(repair_step_label(step)) for step in missing)},
            code="steps",
        )
    if not (statement or "").strip():
        raise CreditError(_("Attach the rectification report."), code="statement")
    if not commitment_accepted:
        raise CreditError(_("Accept the commitment not to repeat the conduct."), code="commitment")
    try:
        with transaction.atomic():
            application = RepairApplication.objects.create(
                record=record,
                supplier_id=record.supplier_id,
                steps=sorted(set(steps) & set(required)),
                statement=statement.strip(),
                evidence=evidence or "",
                commitment_accepted=True,
                submitted_by=actor,
            )
            audit.record(
                actor=actor,
                action="credit.repair.apply",
                instance=application,
                after={"record": record.reference, "steps": application.steps},
            )
    except IntegrityError:
        raise CreditError(_("A repair application for this record is already waiting."), code="duplicate") from None
    return application


def repair_decide(*, actor, application: RepairApplication, approve: bool, reason: str) -> RepairApplication:
    """Approve (the record is cleared, 清零, from today and the supplier re-rated at once) or reject, with reasons."""
    _require_credit_officer(actor)
    if not (reason or "").strip():
        raise CreditError(_("Give the reasons for the decision."), code="reason")
    with transaction.atomic():
        application = RepairApplication.objects.select_for_update().select_related("record").get(pk=application.pk)
        before = REPAIR_WORKFLOW.move(application, "approve" if approve else "reject", CreditError)
        record = CreditRecord.objects.select_for_update().get(pk=application.record_id)
        application.decided_by, application.decided_at = actor, timezone.now()
        application.decision_reason = reason.strip()
        application.save()
        if approve:
            if record.standing_on(timezone.localdate()) != "counted":
                raise CreditError(_("The record no longer counts; nothing to repair."), code="not_counted")
            record.repaired_on = timezone.localdate()
            record.save(update_fields=["repaired_on"])
        audit.record(
            actor=actor,
            action=f"credit.repair.{application.status}",
            instance=application,
            before={"status": before},
            after={"status": application.status, "record": record.reference, "repaired_on": record.repaired_on},
            reason=application.decision_reason,
        )
        notify(
            [
                (
                    record.supplier_id,
                    "credit.repair",
                    {"record": record.reference, "status": application.status},
                    f"/credit/records/{record.pk}/",
                )
            ]
        )
        if approve:
            from .ratings import supplier_rerate

            supplier_rerate(supplier=record.supplier, trigger="repaired", actor=actor)
    return application


def warning_acknowledge(*, actor, measure: Measure) -> Measure:
    """The supplier acknowledges a written warning (书面提醒告诫)."""
    if not access.is_supplier_user(actor) or actor.organisation_id != measure.supplier_id:
        raise CreditError(_("Only the supplier warned may acknowledge."), code="not_own_record")
    if measure.kind != MeasureKind.WRITTEN_WARNING:
        raise CreditError(_("Only a written warning is acknowledged."), code="bad_kind")
    with transaction.atomic():
        updated = Measure.objects.filter(pk=measure.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=timezone.now(), acknowledged_by=actor
        )
        measure.refresh_from_db()
        if updated:
            audit.record(
                actor=actor,
                action="credit.warning.acknowledge",
                instance=measure,
                after={"acknowledged_at": measure.acknowledged_at.isoformat()},
            )
    return measure


def catalog_version_put_in_force(*, actor, version: CatalogVersion) -> CatalogVersion:
    """A new edition replaces the one in force: new records and ratings are judged under it from now on; records
    keep the edition they were judged under."""
    if not access.has_role(actor, "administrator", "credit_officer"):
        raise CreditError(_("Only a credit officer may do this."), code="not_credit_officer")
    with transaction.atomic():
        previous = CatalogVersion.objects.select_for_update().filter(in_force=True).first()
        if previous is not None and previous.pk == version.pk:
            return version
        CatalogVersion.objects.filter(in_force=True).update(in_force=False)
        CatalogVersion.objects.filter(pk=version.pk).update(in_force=True)
        version.refresh_from_db()
        audit.record(
            actor=actor,
            action="credit.catalog.in_force",
            instance=version,
            before={"in_force": previous.code if previous else None},
            after={"in_force": version.code},
        )
    return version
