"""Round set-up and the round's status machine (draft → demand → bidding → bids closed → opened → awarded →
in effect → closed; cancel before the award)."""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access, audit
from core.money import MAX_UNIT_PRICE, UNIT_PRICE_QUANTUM, has_unit_price_places
from core.spreadsheets import (
    Column,
    RowError,
    parse_choice,
    parse_positive_decimal,
    parse_sheet,
    parse_text,
    stored_errors,
)

from .. import participation
from ..engines.comparable import Presentation, same_strength, strength_ratio
from ..exceptions import ProcurementError
from ..models import GROUP_FIELDS, ROUND_FIELDS, ProductGroup, RoundStatusChange, RuleSet, TenderRound
from ..models.rounds import MANUAL_STEPS, REASONED_STEPS, ROUND_WORKFLOW, RoundStatus
from ..sealing import new_round_salt

S = RoundStatus
# The round's workflow (ROUND_WORKFLOW) read as a table: which statuses each status leads to, and the manual moves.
TRANSITIONS: dict[str, set[str]] = ROUND_WORKFLOW.transitions(S.values)
MANUAL = ROUND_WORKFLOW.moves(MANUAL_STEPS)


def _check_timetable(values: dict) -> None:
    order = ["demand_opens_at", "demand_closes_at", "bid_opens_at", "bid_closes_at", "opening_at"]
    times = [values[name] for name in order]
    if not (times[0] < times[1] <= times[2] < times[3] <= times[4]):
        raise ProcurementError(
            _("The timetable must run: demand opens < demand closes ≤ bids open < bids close ≤ opening."),
            code="timetable_order",
        )


# Advisory lock namespace of tender rounds (PostgreSQL's two-key advisory locks: namespace, round id).
ROUND_LOCK_NAMESPACE = 7301


def lock_round(tender_round: TenderRound, *, shared: bool = False) -> TenderRound:
    """Serialise bids against status changes of one round.

    Bids take the round's advisory lock shared (many bidders at once), status changes take it exclusively and then
    the row FOR UPDATE. An exclusive holder therefore waits until every bid in flight has committed, and a bid that
    starts afterwards sees the new status and the server clock past the deadline. Advisory locks stay clear of the
    row locks that the bids' foreign-key checks take, which a FOR SHARE row lock did not (it deadlocked under load).
    SQLite serialises writers anyway. Must be called inside a transaction.
    """
    if connection.vendor == "postgresql":
        function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {function}(%s, %s)", [ROUND_LOCK_NAMESPACE, tender_round.pk])
    if shared:
        return TenderRound.objects.get(pk=tender_round.pk)
    return TenderRound.objects.select_for_update().get(pk=tender_round.pk)


@transaction.atomic
def round_create(*, actor, rule_set: RuleSet, regions=(), **values) -> TenderRound:
    """Set up a round in draft. The coefficients default to the rule set's parameters and are stored on the round."""
    access.require_procurement_officer(actor, ProcurementError)
    _check_timetable(values)
    values.setdefault("k_strength", Decimal(str(rule_set.parameters.get("K_strength", "1.7"))))
    values.setdefault("k_pack", Decimal(str(rule_set.parameters.get("K_pack", "2"))))
    tender_round = TenderRound(rule_set=rule_set, sealing_salt=new_round_salt(), **values)
    try:
        tender_round.full_clean(exclude=["sealing_salt"])
    except ValidationError as error:
        raise ProcurementError("; ".join(error.messages), code="invalid_round") from None
    tender_round.save()
    tender_round.regions.set(regions)
    audit.record(
        actor=actor, action="round.create", instance=tender_round, after=audit.snapshot(tender_round, ROUND_FIELDS)
    )
    return tender_round


@transaction.atomic
def round_update(*, actor, tender_round: TenderRound, regions=None, **values) -> TenderRound:
    """Change a round's set-up; only before bidding starts (the timetable is what bidders rely on)."""
    access.require_procurement_officer(actor, ProcurementError)
    tender_round = lock_round(tender_round)
    if not tender_round.set_up_editable:
        raise ProcurementError(_("A round can be changed only before bidding starts."), code="round_frozen")
    before = audit.snapshot(tender_round, ROUND_FIELDS)
    for name, value in values.items():
        setattr(tender_round, name, value)
    _check_timetable({name: getattr(tender_round, name) for name in ROUND_FIELDS})
    tender_round.save()
    if regions is not None:
        tender_round.regions.set(regions)
    after = audit.snapshot(tender_round, ROUND_FIELDS)
    if before != after:
        audit.record(actor=actor, action="round.update", instance=tender_round, before=before, after=after)
    return tender_round


@transaction.atomic
def demand_window_extend(*, actor, tender_round: TenderRound, closes_at: datetime, reason: str) -> TenderRound:
    """Give hospitals more time to report demand (up to the start of bidding)."""
    access.require_procurement_officer(actor, ProcurementError)
    tender_round = lock_round(tender_round)
    if not tender_round.set_up_editable:
        raise ProcurementError(_("The demand window can be extended only before bidding."), code="round_frozen")
    if closes_at <= tender_round.demand_closes_at:
        raise ProcurementError(_("The new closing time must be later than the current one."), code="not_later")
    if closes_at > tender_round.bid_opens_at:
        raise ProcurementError(
            _("The demand window cannot run into the bid window; move the bid window first."), code="overlaps_bidding"
        )
    before = {"demand_closes_at": tender_round.demand_closes_at.isoformat()}
    tender_round.demand_closes_at = closes_at
    tender_round.save(update_fields=["demand_closes_at"])
    audit.record(
        actor=actor,
        action="round.extend_demand",
        instance=tender_round,
        before=before,
        after={"demand_closes_at": closes_at.isoformat()},
        reason=reason,
    )
    return tender_round


def _refuse_transition(source: str, target: str):
    raise ProcurementError(
        _("A round cannot go from “%(source)s” to “%(target)s”.")
        % {"source": S(source).label, "target": S(target).label},
        code="bad_transition",
    )


def _move(tender_round: TenderRound, to_status: str, *, actor, reason: str, at: datetime) -> None:
    """The one guarded transition: the caller holds the row lock."""
    step = ROUND_WORKFLOW.step_between(tender_round.status, to_status)
    if step is None:
        _refuse_transition(tender_round.status, to_status)
    source = ROUND_WORKFLOW.move(tender_round, step, ProcurementError)
    tender_round.save(update_fields=["status"])
    RoundStatusChange.objects.create(
        round=tender_round, from_status=source, to_status=to_status, changed_at=at, changed_by=actor, reason=reason
    )
    if to_status in (S.DEMAND, S.BIDDING):
        # Every possible bidder's sealed part exists before anyone acts (procurement.participation).
        participation.ensure_slots(tender_round)
    elif to_status == S.BIDS_CLOSED:
        # At the close every part is rewritten, so that which ones changed in the window cannot be told.
        participation.refresh(tender_round)
    audit.record(
        actor=actor,
        action="round.transition",
        instance=tender_round,
        before={"status": source},
        after={"status": to_status},
        reason=reason,
    )


@transaction.atomic
def round_transition(*, actor, tender_round: TenderRound, to_status: str, reason: str = "") -> TenderRound:
    """An officer's manual move: publish a draft for demand collection, or cancel before the award."""
    access.require_procurement_officer(actor, ProcurementError)
    tender_round = lock_round(tender_round)
    step = ROUND_WORKFLOW.step_between(tender_round.status, to_status)
    if step is None:
        _refuse_transition(tender_round.status, to_status)
    if step not in MANUAL_STEPS:
        raise ProcurementError(_("This step follows the timetable or its own workflow."), code="not_manual")
    if to_status == S.DEMAND and not tender_round.groups.exists():
        raise ProcurementError(_("Add at least one product group before publishing."), code="no_groups")
    if step in REASONED_STEPS and not reason.strip():
        raise ProcurementError(_("Give the reason for cancelling."), code="reason_required")
    _move(tender_round, to_status, actor=actor, reason=reason, at=timezone.now())
    return advance_round(tender_round, now=timezone.now(), locked=True)


def advance_round(tender_round: TenderRound, *, now: datetime | None = None, locked: bool = False) -> TenderRound:
    """Move a published round along its timetable (demand → bidding → bids closed). Idempotent; safe to call from
    a page view, the beat task and the management command at once."""
    now = now or timezone.now()
    due = (tender_round.status == S.DEMAND and now >= tender_round.bid_opens_at) or (
        tender_round.status == S.BIDDING and now >= tender_round.bid_closes_at
    )
    if not due:
        return tender_round
    with transaction.atomic():
        if not locked:
            tender_round = lock_round(tender_round)
        if tender_round.status == S.DEMAND and now >= tender_round.bid_opens_at:
            _move(tender_round, S.BIDDING, actor=None, reason="bid window opened", at=tender_round.bid_opens_at)
        if tender_round.status == S.BIDDING and now >= tender_round.bid_closes_at:
            _move(tender_round, S.BIDS_CLOSED, actor=None, reason="bid window closed", at=tender_round.bid_closes_at)
    return tender_round


def refresh_open_participation() -> int:
    """Rewrite the sealed parts of every round taking bids (periodically: see ``participation.refresh``)."""
    refreshed = 0
    for tender_round in TenderRound.objects.filter(status__in=[S.DEMAND, S.BIDDING]):
        with transaction.atomic():
            refreshed += participation.refresh(tender_round)
    return refreshed


def advance_due_rounds(*, now: datetime | None = None) -> int:
    """Advance every round whose deadline has passed; returns how many moved."""
    now = now or timezone.now()
    moved = 0
    for tender_round in TenderRound.objects.filter(status__in=[S.DEMAND, S.BIDDING]):
        before = tender_round.status
        moved += int(advance_round(tender_round, now=now).status != before)
    return moved


MAX_SPEC_CEILINGS = 20


def clean_spec_ceilings(items, *, reference_strength, reference_unit) -> list[dict]:
    """The per-specification ceilings of a group, checked and normalised (strings, 4 decimals): each names a
    strength (convertible to the group's strength unit, not the representative strength itself, whose ceiling is
    the group's) and a ceiling per smallest unit of that strength, greater than zero; one per strength."""
    from ..models.catalog import StrengthUnit

    if items in (None, ""):
        return []
    if not isinstance(items, list) or len(items) > MAX_SPEC_CEILINGS:
        raise ProcurementError(
            _("Give at most %(count)s ceilings per specification as a list.") % {"count": MAX_SPEC_CEILINGS},
            code="spec_ceilings",
        )
    cleaned, seen = [], []
    reference = Presentation(Decimal(reference_strength), reference_unit, 1)
    for number, item in enumerate(items, start=1):
        problem = _("Ceiling per specification %(number)s: ") % {"number": number}
        if not isinstance(item, dict) or set(item) - {"strength", "strength_unit", "ceiling"}:
            raise ProcurementError(problem + _("give strength, strength unit and ceiling."), code="spec_ceilings")
        values = {}
        for name in ("strength", "ceiling"):
            try:
                value = Decimal(str(item.get(name, "")).strip())
            except ArithmeticError:
                value = None
            if value is None or not value.is_finite() or value <= 0 or value >= MAX_UNIT_PRICE:
                raise ProcurementError(problem + _("the strength and the ceiling must be numbers above zero."),
                                       code="spec_ceilings")  # fmt: skip
            if not has_unit_price_places(value):
                raise ProcurementError(problem + _("at most 4 decimal places."), code="spec_ceilings")
            values[name] = value.quantize(UNIT_PRICE_QUANTUM)
        unit = item.get("strength_unit") or reference_unit
        if unit not in StrengthUnit.values:
            raise ProcurementError(problem + _("unknown strength unit."), code="spec_ceilings")
        own = Presentation(values["strength"], unit, 1)
        try:
            strength_ratio(own, reference)
        except ValueError:
            raise ProcurementError(
                problem
                + _("%(unit)s does not convert to the group's %(reference)s.")
                % {"unit": unit, "reference": reference_unit},
                code="spec_ceilings",
            ) from None
        if same_strength(own, reference):
            raise ProcurementError(
                problem + _("this is the representative strength, whose ceiling is the group's ceiling."),
                code="spec_ceilings",
            )
        if any(same_strength(own, other) for other in seen):
            raise ProcurementError(problem + _("a second ceiling for the same strength."), code="spec_ceilings")
        seen.append(own)
        cleaned.append(
            {"strength": f"{values['strength']:f}", "strength_unit": unit, "ceiling": f"{values['ceiling']:f}"}
        )
    return cleaned


def spec_ceiling_columns():
    from django.utils.translation import gettext_lazy

    from ..models.catalog import StrengthUnit

    return [
        Column("group", gettext_lazy("Group code"), parse_text),
        Column("generic_name", gettext_lazy("Generic name"), parse_text, required=False),
        Column("strength", gettext_lazy("Strength"), parse_positive_decimal),
        Column("strength_unit", gettext_lazy("Strength unit"), parse_choice(StrengthUnit), required=False),
        Column("ceiling", gettext_lazy("Ceiling per smallest unit (yuan)"), parse_positive_decimal),
    ]


def spec_ceilings_upload(*, actor, tender_round: TenderRound, filename: str, content: bytes) -> dict:
    """Set the per-specification ceilings of the groups a spreadsheet names (one row per group and strength; each
    named group's list is replaced whole), or reject the file with line-numbered errors and change nothing.
    Uploading the same file again leaves the same ceilings: a retry duplicates nothing."""
    access.require_procurement_officer(actor, ProcurementError)
    columns = spec_ceiling_columns()
    with transaction.atomic():
        tender_round = lock_round(tender_round)
        if not tender_round.set_up_editable:
            raise ProcurementError(_("Groups can be changed only before bidding starts."), code="round_frozen")
        parsed = parse_sheet(filename, content, columns)
        errors = list(parsed.errors)
        groups = {group.code: group for group in tender_round.groups.all()}
        by_group: dict[str, list[tuple[int, dict]]] = {}
        for line, values in parsed.rows:
            if values["group"] not in groups:
                errors.append(RowError(line, str(columns[0].header), _("No group with this code in the round.")))
                continue
            by_group.setdefault(values["group"], []).append((line, values))
        cleaned = {}
        for code, rows in by_group.items():
            group = groups[code]
            items = [
                {
                    "strength": str(v["strength"]),
                    "strength_unit": v["strength_unit"] or "",
                    "ceiling": str(v["ceiling"]),
                }
                for _line, v in rows
            ]
            try:
                cleaned[code] = clean_spec_ceilings(
                    items, reference_strength=group.reference_strength, reference_unit=group.reference_strength_unit
                )
            except ProcurementError as error:
                errors.append(RowError(rows[0][0], str(columns[2].header), f"{code}: {error.message}"))
        if errors:
            return {"accepted": False, "groups": 0, "rows": 0, "errors": stored_errors(errors)}
        for code, items in cleaned.items():
            group = groups[code]
            before = audit.snapshot(group, GROUP_FIELDS)
            group.spec_ceilings = items
            group.save(update_fields=["spec_ceilings"])
            audit.record(
                actor=actor,
                action="group.update",
                instance=group,
                before=before,
                after={**audit.snapshot(group, GROUP_FIELDS), "source": filename[:200]},
            )
    return {"accepted": True, "groups": len(cleaned), "rows": len(parsed.rows), "errors": []}


def spec_ceiling_template_rows(tender_round: TenderRound) -> list[list]:
    """The template an officer downloads: the groups' current per-specification ceilings, or one row per group to
    fill in."""
    rows = []
    for group in tender_round.groups.order_by("code"):
        name = f"{group.generic_name} {group.dosage_form}"
        for item in group.spec_ceilings or [
            {"strength": "", "strength_unit": group.reference_strength_unit, "ceiling": ""}
        ]:
            rows.append([group.code, name, item["strength"], item["strength_unit"], item["ceiling"]])
    return rows


@transaction.atomic
def group_save(*, actor, tender_round: TenderRound, group: ProductGroup | None = None, eligible_products=(), **values):
    """Add or change a product group: reference presentation, ceiling price and eligible products."""
    access.require_procurement_officer(actor, ProcurementError)
    tender_round = lock_round(tender_round)
    if not tender_round.set_up_editable:
        raise ProcurementError(_("Groups can be changed only before bidding starts."), code="round_frozen")
    before = audit.snapshot(group, GROUP_FIELDS) if group else None
    group = group or ProductGroup(round=tender_round)
    for name, value in values.items():
        setattr(group, name, value)
    if group.reference_strength is not None and group.reference_strength > 0:
        group.spec_ceilings = clean_spec_ceilings(
            group.spec_ceilings,
            reference_strength=group.reference_strength,
            reference_unit=group.reference_strength_unit,
        )
    products = list(eligible_products)
    wrong = [p for p in products if (p.generic_name, p.dosage_form) != (group.generic_name, group.dosage_form)]
    if wrong:
        raise ProcurementError(
            _("Eligible products must have the group's generic name and dosage form: %(products)s")
            % {"products": ", ".join(p.national_drug_code for p in wrong)},
            code="product_outside_group",
        )
    try:
        group.full_clean(exclude=["round"])
    except ValidationError as error:
        raise ProcurementError("; ".join(error.messages), code="invalid_group") from None
    group.save()
    group.eligible_products.set(products)
    if tender_round.status == S.DEMAND:
        participation.ensure_slots(tender_round)
    after = {**audit.snapshot(group, GROUP_FIELDS), "eligible_products": sorted(p.pk for p in products)}
    audit.record(
        actor=actor, action="group.update" if before else "group.create", instance=group, before=before, after=after
    )
    return group
