"""Distribution relations (配送关系, trading-rules.md): a manufacturer names the distributor of one of its listed
products in an area for a period; the distributor accepts or refuses; either party revokes with a reason, from a day
not in the past; the scheduler marks relations past their dates expired. Never edited: new dates or areas are a new
relation. Every step is audited and the other party is notified."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access, audit
from accounts.models import Organisation, Region, Role
from accounts.notifications import notify
from credit.selectors.eligibility import delivery_eligibility

from .. import hooks
from ..engines.trading import DEFAULT_TRADING_RULE_SET
from ..exceptions import IdempotencyKeyReused, ProcurementConflict, ProcurementError
from ..models import Contract, Product
from ..models.trading import RELATION_WORKFLOW, DistributionRelation, RefusalReason, RelationStatus, TradingRuleSet

RELATION_FIELDS = [
    "manufacturer_id",
    "product_id",
    "area_id",
    "distributor_id",
    "valid_from",
    "valid_to",
    "rule_set_id",
    "letter_reference",
    "status",
    "refusal_reason",
    "refusal_text",
    "revoked_from",
    "revocation_reason",
]
# Relations that count against the area limit and block a duplicate: accepted, or revoked from a later day.
HELD = [RelationStatus.ACCEPTED, RelationStatus.REVOKED]


def default_rule_set() -> TradingRuleSet:
    rule_set = TradingRuleSet.objects.filter(is_default=True).first()
    if rule_set is None:
        code, version = DEFAULT_TRADING_RULE_SET
        rule_set = TradingRuleSet.objects.get(code=code, version=version)
    return rule_set


def _snapshot(relation: DistributionRelation) -> dict:
    return audit.snapshot(relation, RELATION_FIELDS)


def _link(relation: DistributionRelation) -> str:
    return reverse("trading:relation_detail", kwargs={"pk": relation.pk})


def _params(relation: DistributionRelation) -> dict:
    return {
        "product": str(relation.product),
        "area": relation.area.name,
        "manufacturer": relation.manufacturer.name,
        "distributor": relation.distributor.name,
        "from": relation.valid_from.isoformat(),
        "to": relation.valid_to.isoformat(),
    }


def may_distribute(organisation: Organisation) -> bool:
    """A distributor, or a manufacturer that holds a trading licence and delivers itself."""
    return organisation.kind in (Organisation.Kind.DISTRIBUTOR, Organisation.Kind.SUPPLIER) and bool(
        organisation.licence_number
    )


def default_valid_to(manufacturer: Organisation, product: Product, valid_from: date, rule_set: TradingRuleSet) -> date:
    """The end of the manufacturer's agreement cycle for the product (a VBP winner), else the rule set's years."""
    cycle_end = (
        Contract.objects.filter(
            supplier=manufacturer,
            product=product,
            status__in=[Contract.Status.PENDING, Contract.Status.CONFIRMED],
            cycle_end__gte=valid_from,
        )
        .order_by("-cycle_end")
        .values_list("cycle_end", flat=True)
        .first()
    )
    if cycle_end is not None:
        return cycle_end
    years = rule_set.parameters["relation_default_years"]
    return valid_from + relativedelta(years=years) - timedelta(days=1)


def _require_manufacturer(actor, product: Product) -> None:
    if not access.is_supplier_user(actor):
        raise ProcurementError(_("Only the manufacturer proposes a distribution relation."), code="not_manufacturer")
    if product.holder_id != actor.organisation_id:
        raise ProcurementError(
            _("Only the product's manufacturer (its marketing authorisation holder) names its distributors."),
            code="not_manufacturer",
        )


def _eligibility_problems(relation: DistributionRelation, day: date) -> list[str]:
    """Why this distributor may not take this relation (licence, credit measures) and why the product may not be
    distributed (not listed, suspended, the manufacturer's delivery restricted); empty when it may."""
    problems = []
    distributor, product = relation.distributor, relation.product
    if not may_distribute(distributor):
        problems.append(
            _("%(name)s is neither a distributor nor a manufacturer with a trading licence.")
            % {"name": distributor.name}
        )
    elif not distributor.licence_covers(Organisation.LicenceScope.DRUGS, day):
        problems.append(
            _("The trading licence of %(name)s does not cover drugs on %(day)s.")
            % {"name": distributor.name, "day": day.isoformat()}
        )
    elif distributor.licence_expires < relation.valid_to:
        problems.append(
            _("The trading licence of %(name)s expires on %(expiry)s: the relation must end by then.")
            % {"name": distributor.name, "expiry": distributor.licence_expires.isoformat()}
        )
    if not distributor.is_active:
        problems.append(_("%(name)s is not active on the platform.") % {"name": distributor.name})
    for party in {relation.manufacturer, distributor}:
        eligibility = delivery_eligibility(supplier=party, product=product, at=day)
        if not eligibility.allowed:
            problems.append(
                _("%(name)s may not deliver this product: %(reasons)s")
                % {"name": party.name, "reasons": "; ".join(eligibility.reasons)}
            )
    listed = [price for (product_id, _region), price in hooks.listed_prices([product.pk]).items()]
    if not any(not price.suspended for price in listed):
        problems.append(_("The product is not listed (or its listing is suspended)."))
    return problems


def _overlapping(relation: DistributionRelation):
    return DistributionRelation.objects.filter(
        product_id=relation.product_id,
        area_id=relation.area_id,
        status__in=HELD,
        valid_from__lte=relation.ends_on,
        valid_to__gte=relation.valid_from,
    ).exclude(Q(pk=relation.pk) | Q(revoked_from__lte=relation.valid_from))


@transaction.atomic
def relation_create(
    *,
    actor,
    product: Product,
    area: Region,
    distributor: Organisation,
    valid_from: date,
    letter_reference: str,
    valid_to: date | None = None,
    propose: bool = True,
    request_key: str = "",
) -> DistributionRelation:
    """A manufacturer's new relation, proposed to the distributor at once unless kept as a draft. A request
    retried with the same ``request_key`` returns the relation it made (the same content) or is refused."""
    _require_manufacturer(actor, product)
    if request_key:
        earlier = DistributionRelation.objects.filter(
            manufacturer_id=product.holder_id, request_key=request_key
        ).first()
        if earlier is not None:
            same = (earlier.product_id, earlier.area_id, earlier.distributor_id, earlier.valid_from) == (
                product.pk,
                area.pk,
                distributor.pk,
                valid_from,
            ) and (valid_to is None or valid_to == earlier.valid_to)
            if not same:
                raise IdempotencyKeyReused(
                    _("This Idempotency-Key was used for another relation."), code="idempotency_key_reused"
                )
            return earlier
    rule_set = default_rule_set()
    today = timezone.localdate()
    if valid_from < today:
        raise ProcurementError(_("A relation cannot start in the past."), code="in_the_past")
    level = rule_set.parameters["relation_area_level"]
    if area.level != level:
        raise ProcurementError(
            _("Under %(rule_set)s relations are made per %(level)s; %(area)s is a %(its)s.")
            % {
                "rule_set": rule_set.label,
                "level": Region.Level(level).label,
                "area": area.name,
                "its": area.get_level_display(),
            },
            code="area_level",
        )
    manufacturer = product.holder
    relation = DistributionRelation(
        manufacturer=manufacturer,
        product=product,
        area=area,
        distributor=distributor,
        valid_from=valid_from,
        valid_to=valid_to or default_valid_to(manufacturer, product, valid_from, rule_set),
        rule_set=rule_set,
        letter_reference=letter_reference.strip(),
        created_by=actor,
        request_key=request_key,
    )
    if relation.valid_to < relation.valid_from:
        raise ProcurementError(_("The relation must end on or after its first day."), code="bad_dates")
    if not relation.letter_reference:
        raise ProcurementError(_("Give the number of the signed authorisation letter."), code="no_letter")
    problems = _eligibility_problems(relation, valid_from)
    if problems:
        raise ProcurementError(" ".join(problems), code="not_eligible")
    relation.save()
    audit.record(actor=actor, action="relation.create", instance=relation, after=_snapshot(relation))
    if propose:
        relation = relation_propose(actor=actor, relation=relation)
    return relation


def _lock(relation: DistributionRelation) -> DistributionRelation:
    # The relation's row only: without ``of`` PostgreSQL would also lock the joined rows, the rule set's among them,
    # and every relation change in the province would wait for every other.
    return (
        DistributionRelation.objects.select_for_update(of=("self",))
        .select_related("product", "area", "manufacturer", "distributor", "rule_set")
        .get(pk=relation.pk)
    )


def _move(actor, relation: DistributionRelation, step: str, action: str, reason: str = "", **changes):
    before = _snapshot(relation)
    RELATION_WORKFLOW.move(relation, step, ProcurementError)
    for name, value in changes.items():
        setattr(relation, name, value)
    relation.save()
    audit.record(
        actor=actor, action=action, instance=relation, before=before, after=_snapshot(relation), reason=reason
    )
    return relation


@transaction.atomic
def relation_propose(*, actor, relation: DistributionRelation) -> DistributionRelation:
    relation = _lock(relation)
    _require_manufacturer(actor, relation.product)
    if relation.valid_from < timezone.localdate():
        raise ProcurementError(_("A relation cannot start in the past: make a new one."), code="in_the_past")
    duplicate = _overlapping(relation).filter(distributor_id=relation.distributor_id).first()
    if duplicate is not None:
        raise ProcurementConflict(
            _("%(name)s already holds a relation for this product and area from %(start)s to %(end)s.")
            % {"name": relation.distributor.name, "start": duplicate.valid_from, "end": duplicate.ends_on},
            code="duplicate",
        )
    _move(actor, relation, "propose", "relation.propose", proposed_at=timezone.now())
    notify([(relation.distributor_id, "relation.proposed", _params(relation), _link(relation))])
    return relation


@transaction.atomic
def relation_delete_draft(*, actor, relation: DistributionRelation) -> None:
    relation = _lock(relation)
    _require_manufacturer(actor, relation.product)
    if relation.status != RelationStatus.DRAFT:
        raise ProcurementError(_("Only a draft relation can be deleted."), code="bad_status")
    audit.record(actor=actor, action="relation.delete", instance=relation, before=_snapshot(relation))
    relation.delete()


def _require_distributor(actor, relation: DistributionRelation) -> None:
    if actor.organisation_id != relation.distributor_id or not access.has_role(
        actor, Role.DISTRIBUTOR_USER, Role.SUPPLIER_USER
    ):
        raise ProcurementError(_("Only the distributor named in the relation answers it."), code="not_distributor")


@transaction.atomic
def relation_accept(*, actor, relation: DistributionRelation) -> DistributionRelation:
    """The distributor accepts; refused beyond the area's limit of distributors (relations overlapping in time)."""
    # One product at a time: concurrent acceptances for the same product wait here, so the limit holds.
    Product.objects.select_for_update().filter(pk=relation.product_id).first()
    relation = _lock(relation)
    _require_distributor(actor, relation)
    today = timezone.localdate()
    if relation.valid_to < today:
        raise ProcurementError(
            _("The relation's dates have passed; the manufacturer must make a new one."), code="past"
        )
    problems = _eligibility_problems(relation, max(today, relation.valid_from))
    if problems:
        raise ProcurementError(" ".join(problems), code="not_eligible")
    limit = relation.rule_set.parameters["max_distributors_per_area"]
    held = set(_overlapping(relation).values_list("distributor_id", flat=True))
    if relation.distributor_id in held:
        raise ProcurementConflict(
            _("You already hold a relation for this product and area in these dates."), code="duplicate"
        )
    if limit is not None and len(held) >= limit:
        raise ProcurementError(
            _(
                "%(area)s already has %(count)s distributors for this product in these dates, the most "
                "%(rule_set)s allows."
            )
            % {"area": relation.area.name, "count": len(held), "rule_set": relation.rule_set.label},
            code="area_limit",
        )
    _move(actor, relation, "accept", "relation.accept", decided_at=timezone.now(), decided_by=actor)
    notify([(relation.manufacturer_id, "relation.accepted", _params(relation), _link(relation))])
    return relation


@transaction.atomic
def relation_refuse(*, actor, relation: DistributionRelation, reason: str, text: str = "") -> DistributionRelation:
    relation = _lock(relation)
    _require_distributor(actor, relation)
    if reason not in RefusalReason.values:
        raise ProcurementError(_("Choose a reason for the refusal."), code="no_reason")
    text = text.strip()
    if reason == RefusalReason.OTHER and not text:
        raise ProcurementError(_("Explain the refusal when the reason is “other”."), code="no_reason")
    _move(
        actor,
        relation,
        "refuse",
        "relation.refuse",
        reason=text,
        decided_at=timezone.now(),
        decided_by=actor,
        refusal_reason=reason,
        refusal_text=text,
    )
    params = _params(relation) | {"refusal": reason, "reason": text}
    notify([(relation.manufacturer_id, "relation.refused", params, _link(relation))])
    return relation


def may_revoke(actor, relation: DistributionRelation) -> bool:
    if access.is_procurement_officer(actor):
        return True
    return access.has_role(actor, Role.SUPPLIER_USER, Role.DISTRIBUTOR_USER) and actor.organisation_id in (
        relation.manufacturer_id,
        relation.distributor_id,
    )


@transaction.atomic
def relation_revoke(*, actor, relation: DistributionRelation, from_day: date, reason: str) -> DistributionRelation:
    """Either party (or an officer) ends an accepted relation from ``from_day``, not in the past. Orders already
    sent through it keep their distributor."""
    relation = _lock(relation)
    if not may_revoke(actor, relation):
        raise ProcurementError(_("Only the relation's parties or an officer may revoke it."), code="not_party")
    reason = reason.strip()
    if not reason:
        raise ProcurementError(_("Give the reason for the revocation."), code="no_reason")
    if from_day < timezone.localdate():
        raise ProcurementError(_("A revocation cannot take effect in the past."), code="in_the_past")
    _move(
        actor,
        relation,
        "revoke",
        "relation.revoke",
        reason=reason,
        revoked_at=timezone.now(),
        revoked_by=actor,
        revoked_from=from_day,
        revocation_reason=reason,
    )
    params = _params(relation) | {"reason": reason, "day": from_day.isoformat()}
    notify(
        (party, "relation.revoked", params, _link(relation))
        for party in sorted({relation.manufacturer_id, relation.distributor_id} - {actor.organisation_id})
    )
    return relation


def relations_revoke_bulk(*, actor, relation_ids, from_day: date, reason: str) -> int:
    """An officer revokes many accepted relations at once (e.g. a distributor's qualification withdrawn): all or
    none."""
    access.require_procurement_officer(actor, ProcurementError)
    with transaction.atomic():
        relations = list(DistributionRelation.objects.filter(pk__in=list(relation_ids)).order_by("pk"))
        if not relations:
            raise ProcurementError(_("Choose the relations to revoke."), code="none_chosen")
        for relation in relations:
            relation_revoke(actor=actor, relation=relation, from_day=from_day, reason=reason)
    return len(relations)


def relations_expire(today: date | None = None) -> int:
    """Mark accepted relations whose last day has passed expired (the scheduler runs this daily)."""
    today = today or timezone.localdate()
    expired = 0
    for relation in DistributionRelation.objects.filter(status=RelationStatus.ACCEPTED, valid_to__lt=today):
        with transaction.atomic():
            locked = _lock(relation)
            if locked.status == RelationStatus.ACCEPTED and locked.valid_to < today:
                _move(None, locked, "expire", "relation.expire")
                expired += 1
    return expired
