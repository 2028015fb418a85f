"""State changes of price governance, each audited: listing applications and their review, price changes (each
checked against the warning thresholds), suspension by the officer or by a credit measure, payment standards when a
round is awarded, and the warning workflow (inquiry → answer → interview → outcome)."""

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access, audit
from accounts.notifications import notify
from core.errors import DomainError
from core.money import InvalidPrice, parse_unit_price, round_unit_price

from .engines import rules
from .models import (
    LISTING_WORKFLOW,
    WARNING_WORKFLOW,
    Listing,
    ListingChange,
    OffPlatformPurchase,
    PaymentStandard,
    PriceWarning,
)


class PricingError(DomainError):
    """A pricing rule refused the action."""


def _price(value) -> Decimal:
    try:
        return parse_unit_price(value)
    except InvalidPrice as problem:
        raise PricingError(problem.message, code=problem.code) from None


def _winning(product):
    """The product's agreement price in the newest round it won, with that round and the group's highest price."""
    from procurement.models import Contract

    contract = (
        Contract.objects.filter(product=product, status__in=["pending", "confirmed"])
        .select_related("round", "group")
        .order_by("-cycle_start", "-pk")
        .first()
    )
    if contract is None:
        return None
    highest = Contract.objects.filter(round=contract.round, group=contract.group).aggregate(m=Max("unit_price"))["m"]
    regions = set(
        Contract.objects.filter(round=contract.round, group=contract.group, supplier=contract.supplier).values_list(
            "region_id", flat=True
        )
    )
    return contract, highest, regions


def listing_apply(*, actor, product, price, region=None, reason: str = "") -> Listing:
    """A supplier applies to list its product: a VBP winner at its winning price in its supply regions, capped
    elsewhere; any other product at a price the officer reviews. A credit measure restricting listing refuses it."""
    from credit.eligibility import listing_eligibility

    if not (access.is_supplier_user(actor) and actor.organisation_id == product.holder_id):
        raise PricingError(_("A supplier lists its own products."), code="not_own_product")
    price = _price(price)
    eligibility = listing_eligibility(supplier=product.holder, product=product)
    if not eligibility.allowed:
        raise PricingError(
            _("A credit measure bars this listing: %(reasons)s") % {"reasons": "; ".join(eligibility.reasons)},
            code="credit_restricted",
        )
    won = _winning(product)
    basis, round_ = Listing.Basis.NON_VBP, None
    if won is not None:
        contract, highest, regions = won
        in_region = region is not None and region.pk in regions
        cap, _rule = rules.listing_cap(
            winning_price=contract.unit_price, highest_group_price=highest, in_supply_region=in_region
        )
        if in_region and price != cap:
            raise PricingError(
                _("In its supply regions a winner lists at its winning price, %(price)s.") % {"price": cap},
                code="winning_price",
            )
        if not in_region and price > cap:
            raise PricingError(
                _("Outside its supply regions this winner lists at %(cap)s at most.") % {"cap": cap}, code="cap"
            )
        basis = Listing.Basis.VBP_WINNER if in_region else Listing.Basis.VBP_OTHER_REGION
        round_ = contract.round
    try:
        with transaction.atomic():
            listing = Listing.objects.create(
                supplier=product.holder, product=product, region=region, price=price, basis=basis, round=round_
            )
            ListingChange.objects.create(
                listing=listing, kind=ListingChange.Kind.APPLY, new_price=price, reason=reason, actor=actor
            )
            audit.record(
                actor=actor,
                action="listing.apply",
                instance=listing,
                after={
                    "product": product.national_drug_code,
                    "price": price,
                    "region": region.code if region else None,
                    "basis": basis,
                },
            )
    except IntegrityError:
        raise PricingError(_("This product already has a listing here."), code="duplicate") from None
    return listing


def listing_review(*, actor, listing: Listing, approve: bool, reason: str) -> Listing:
    access.require_procurement_officer(actor, PricingError)
    if not (reason or "").strip():
        raise PricingError(_("Give the reasons for the review."), code="reason")
    with transaction.atomic():
        listing = Listing.objects.select_for_update().get(pk=listing.pk)
        before = LISTING_WORKFLOW.move(listing, "approve" if approve else "reject", PricingError)
        listing.save(update_fields=["status"])
        kind = ListingChange.Kind.APPROVE if approve else ListingChange.Kind.REJECT
        ListingChange.objects.create(listing=listing, kind=kind, new_price=listing.price, reason=reason, actor=actor)
        audit.record(
            actor=actor,
            action=f"listing.{kind}",
            instance=listing,
            before={"status": before},
            after={"status": listing.status},
            reason=reason,
        )
        notify(
            [
                (
                    listing.supplier_id,
                    "listing.reviewed",
                    {"product": listing.product.national_drug_code, "status": listing.status},
                    "/pricing/",
                )
            ]
        )
    return listing


def listing_price_request(*, actor, listing: Listing, price, reason: str) -> ListingChange:
    """The supplier asks to change its listed price (with reasons); the officer decides."""
    if not (access.is_supplier_user(actor) and actor.organisation_id == listing.supplier_id):
        raise PricingError(_("Only the listing's supplier changes its price."), code="not_own_product")
    price = _price(price)
    if not (reason or "").strip():
        raise PricingError(_("Give the reasons for the change."), code="reason")
    with transaction.atomic():
        listing = Listing.objects.select_for_update().get(pk=listing.pk)
        if listing.status != Listing.Status.LISTED:
            raise PricingError(_("Only a listed price can be changed."), code="bad_status")
        if listing.basis == Listing.Basis.VBP_WINNER:
            raise PricingError(
                _("A winner's price in its supply regions is its winning price for the whole cycle."),
                code="winning_price",
            )
        if listing.changes.filter(pending=True).exists():
            raise PricingError(_("A price change is already waiting for review."), code="duplicate")
        change = ListingChange.objects.create(
            listing=listing,
            kind=ListingChange.Kind.PRICE_REQUEST,
            old_price=listing.price,
            new_price=price,
            reason=reason,
            actor=actor,
            pending=True,
        )
        audit.record(
            actor=actor,
            action="listing.price_request",
            instance=listing,
            before={"price": listing.price},
            after={"requested": price},
            reason=reason,
        )
    return change


def listing_price_review(*, actor, change: ListingChange, approve: bool, reason: str) -> list[PriceWarning]:
    """Approve or reject a price change; an approved change is checked against the warning thresholds and opens
    the warnings it triggers."""
    access.require_procurement_officer(actor, PricingError)
    if not (reason or "").strip():
        raise PricingError(_("Give the reasons for the review."), code="reason")
    with transaction.atomic():
        change = ListingChange.objects.select_for_update().select_related("listing__product").get(pk=change.pk)
        if not change.pending:
            raise PricingError(_("This change was already decided."), code="bad_status")
        listing = Listing.objects.select_for_update().get(pk=change.listing_id)
        change.pending = False
        change.save(update_fields=["pending"])
        kind = ListingChange.Kind.PRICE_APPROVE if approve else ListingChange.Kind.PRICE_REJECT
        ListingChange.objects.create(
            listing=listing,
            kind=kind,
            old_price=change.old_price,
            new_price=change.new_price,
            reason=reason,
            actor=actor,
        )
        warnings = []
        if approve:
            before = listing.price
            listing.price = change.new_price
            listing.save(update_fields=["price"])
            warnings = check_price_change(listing=listing, old_price=before)
        audit.record(
            actor=actor,
            action=f"listing.{kind}",
            instance=listing,
            before={"price": change.old_price},
            after={"price": listing.price, "warnings": [w.kind for w in warnings]},
            reason=reason,
        )
    return warnings


def _open_warning(*, kind, supplier, details, product=None, group=None, listing=None) -> PriceWarning | None:
    existing = PriceWarning.objects.filter(kind=kind, supplier=supplier, product=product, group=group).exclude(
        status=PriceWarning.Status.CLOSED
    )
    if existing.exists():
        return None
    warning = PriceWarning.objects.create(
        kind=kind, supplier=supplier, product=product, group=group, listing=listing, details=details
    )
    audit.record(actor=None, action="warning.open", instance=warning, after={"kind": kind, **details})
    notify([(supplier.pk, "warning.opened", {"kind": kind}, "/pricing/")])
    return warning


def check_price_change(*, listing: Listing, old_price: Decimal | None) -> list[PriceWarning]:
    """Open the warnings a new listed price raises (rules.price_change_warnings)."""
    product = listing.product
    year_ago = timezone.now() - timedelta(days=365)
    changes = ListingChange.objects.filter(
        listing__product=product, kind=ListingChange.Kind.PRICE_APPROVE, at__gte=year_ago
    ).count()
    others = Listing.objects.filter(product=product, status=Listing.Status.LISTED).exclude(pk=listing.pk)
    lowest_elsewhere = others.exclude(region=listing.region).aggregate(m=Min("price"))["m"]
    # Equivalent products: same generic name and dosage form, compared per unit of strength (comparable price of
    # the same reference presentation: the price per mg of active substance where units match).
    own_per_unit = _per_strength(product, listing.price)
    equivalents = (
        Listing.objects.filter(
            status=Listing.Status.LISTED,
            product__generic_name=product.generic_name,
            product__dosage_form=product.dosage_form,
        )
        .exclude(product=product)
        .select_related("product")
    )
    per_units = [_per_strength(other.product, other.price) for other in equivalents]
    per_units = [value for value in per_units if value is not None]
    found = rules.price_change_warnings(
        old_price=old_price,
        new_price=listing.price,
        changes_last_12_months=changes,
        lowest_other_region=lowest_elsewhere,
        lowest_equivalent_comparable=min(per_units) if per_units else None,
        own_comparable=own_per_unit,
    )
    opened = []
    for kind, details in found:
        warning = _open_warning(
            kind=kind, supplier=listing.supplier, details=details, product=product, listing=listing
        )
        if warning is not None:
            opened.append(warning)
    return opened


def _per_strength(product, price_per_smallest_unit: Decimal) -> Decimal | None:
    """Price per mg (or per ml, IU) of active substance: the unit-comparable basis between strengths."""
    from pricing.engines.comparable import MASS_IN_MG

    amount = Decimal(product.strength_amount)
    unit = product.strength_unit
    if unit in MASS_IN_MG:
        amount = amount * MASS_IN_MG[unit]
    if amount <= 0:
        return None
    return round_unit_price(Decimal(price_per_smallest_unit) / amount)


def listing_suspend(*, actor, listing: Listing, reason: str, by_credit: bool = False) -> Listing:
    if not by_credit:
        access.require_procurement_officer(actor, PricingError)
    if not (reason or "").strip():
        raise PricingError(_("Give the reasons for the suspension."), code="reason")
    with transaction.atomic():
        listing = Listing.objects.select_for_update().get(pk=listing.pk)
        if not LISTING_WORKFLOW.allows(listing.status, "suspend"):
            return listing  # already suspended, or not listed: nothing to do (the credit scan calls it again)
        before = LISTING_WORKFLOW.move(listing, "suspend", PricingError)
        listing.suspended_by_credit = by_credit
        listing.save(update_fields=["status", "suspended_by_credit"])
        ListingChange.objects.create(listing=listing, kind=ListingChange.Kind.SUSPEND, reason=reason, actor=actor)
        audit.record(
            actor=actor,
            action="listing.suspend",
            instance=listing,
            before={"status": before},
            after={"status": listing.status, "by_credit": by_credit},
            reason=reason,
        )
        notify(
            [(listing.supplier_id, "listing.suspended", {"product": listing.product.national_drug_code}, "/pricing/")]
        )
    return listing


def listing_lift(*, actor, listing: Listing, reason: str, by_credit: bool = False) -> Listing:
    if not by_credit:
        access.require_procurement_officer(actor, PricingError)
    with transaction.atomic():
        listing = Listing.objects.select_for_update().get(pk=listing.pk)
        if not LISTING_WORKFLOW.allows(listing.status, "lift"):
            return listing  # not suspended: nothing to lift
        before = LISTING_WORKFLOW.move(listing, "lift", PricingError)
        listing.suspended_by_credit = False
        listing.save(update_fields=["status", "suspended_by_credit"])
        ListingChange.objects.create(listing=listing, kind=ListingChange.Kind.LIFT, reason=reason, actor=actor)
        audit.record(
            actor=actor,
            action="listing.lift",
            instance=listing,
            before={"status": before},
            after={"status": listing.status},
            reason=reason,
        )
    return listing


def sync_credit_suspensions() -> tuple[int, int]:
    """Suspend the listed products a credit measure restricts today, lift those whose measure ended (idempotent;
    beat runs it daily, the re-rating pages may run it at once)."""
    from credit.eligibility import restrictions

    listings = list(
        Listing.objects.filter(status__in=[Listing.Status.LISTED, Listing.Status.SUSPENDED]).select_related("product")
    )
    barred = restrictions("listing", {listing.supplier_id for listing in listings})
    suspended = lifted = 0
    for listing in listings:
        restriction = barred.get(listing.supplier_id)
        covered = restriction is not None and restriction.covers(listing.product_id)
        if covered and listing.status == Listing.Status.LISTED:
            records = sorted({r for m in restriction.measures for r in m.records})
            listing_suspend(
                actor=None,
                listing=listing,
                by_credit=True,
                reason=_("Credit measure (records %(records)s)") % {"records": ", ".join(records)},
            )
            suspended += 1
        elif not covered and listing.status == Listing.Status.SUSPENDED and listing.suspended_by_credit:
            listing_lift(actor=None, listing=listing, by_credit=True, reason=_("The credit measure ended."))
            lifted += 1
    return suspended, lifted


# Payment standards.


def payment_standards_compute(*, tender_round, actor=None) -> int:
    """When a round is awarded: every product of its groups gets its payment standard (winners at their price,
    others by the 2019 rule against their listed price), effective from the cycle start. Computing again updates
    the same rows."""
    from procurement.models import AwardOutcome, AwardRun, Product
    from procurement.services.bidding import group_comparable_price

    run = AwardRun.objects.published().filter(round=tender_round).first()
    if run is None:
        raise PricingError(_("Payment standards follow a published award."), code="not_awarded")
    params = rules.parameters(tender_round.rule_set.parameters)
    start = tender_round.cycle_starts_on or timezone.localdate()
    count = 0
    with transaction.atomic():
        for group in tender_round.groups.all():
            winners = {
                o.opened_bid.product_id: o
                for o in AwardOutcome.objects.filter(run=run, group=group, won=True).select_related("opened_bid")
            }
            if not winners:
                continue
            lowest_win = min(o.winning_price for o in winners.values())
            products = Product.objects.filter(generic_name=group.generic_name, dosage_form=group.dosage_form)
            for product in products:
                outcome = winners.get(product.pk)
                listed = Listing.objects.filter(product=product, status=Listing.Status.LISTED).aggregate(
                    m=Min("price")
                )["m"]
                # The comparable price of a pack priced at one yuan: converts pack prices to comparable units.
                try:
                    factor = group_comparable_price(group, product, Decimal(1))
                except ValueError:  # strengths in units that do not convert
                    factor = None
                product_price = None
                if listed is not None and factor:
                    product_price = round_unit_price(listed * product.pack_size * factor)
                winning = outcome.winning_price if outcome else lowest_win
                standard = rules.payment_standard(
                    winning_price=winning,
                    product_price=product_price,
                    won=outcome is not None,
                    consistency_evaluated=product.quality_tier != "other",
                    params=params,
                )
                PaymentStandard.objects.update_or_create(
                    round=tender_round,
                    product=product,
                    defaults={
                        "group": group,
                        "basis": standard.basis,
                        "winning_price": standard.final,
                        "product_price": product_price,
                        "initial_standard": standard.initial,
                        "effective_from": start,
                        "convergence_years": int(params["convergence_years"]),
                        "per_pack_factor": factor,
                    },
                )
                count += 1
        audit.record(
            actor=actor,
            action="payment_standard.compute",
            instance=tender_round,
            after={"round": tender_round.code, "products": count},
        )
    return count


# The warning workflow.


def warning_inquire(*, actor, warning: PriceWarning, text: str) -> PriceWarning:
    access.require_procurement_officer(actor, PricingError)
    if not (text or "").strip():
        raise PricingError(_("Write the inquiry letter."), code="text")
    with transaction.atomic():
        warning = PriceWarning.objects.select_for_update().get(pk=warning.pk)
        before = WARNING_WORKFLOW.move(warning, "inquire", PricingError)
        warning.inquiry_text = text.strip()
        warning.inquiry_due = timezone.localdate() + timedelta(days=int(rules.DEFAULTS["inquiry_days"]))
        warning.save()
        audit.record(
            actor=actor,
            action="warning.inquiry",
            instance=warning,
            before={"status": before},
            after={"status": warning.status, "due": warning.inquiry_due.isoformat()},
        )
        notify(
            [
                (
                    warning.supplier_id,
                    "warning.inquiry",
                    {"kind": warning.kind, "due": warning.inquiry_due.isoformat()},
                    "/pricing/",
                )
            ]
        )
    return warning


def warning_answer(*, actor, warning: PriceWarning, text: str) -> PriceWarning:
    if not (access.is_supplier_user(actor) and actor.organisation_id == warning.supplier_id):
        raise PricingError(_("Only the supplier concerned answers."), code="not_own")
    if not (text or "").strip():
        raise PricingError(_("Write your answer."), code="text")
    with transaction.atomic():
        warning = PriceWarning.objects.select_for_update().get(pk=warning.pk)
        before = WARNING_WORKFLOW.move(warning, "answer", PricingError)
        if timezone.localdate() > warning.inquiry_due:
            raise PricingError(
                _("The answer was due on %(due)s.") % {"due": warning.inquiry_due.isoformat()}, code="late"
            )
        warning.response_text, warning.responded_at = text.strip(), timezone.now()
        warning.save()
        audit.record(
            actor=actor,
            action="warning.answer",
            instance=warning,
            before={"status": before},
            after={"status": warning.status, "answer": warning.response_text},
        )
    return warning


def warning_interview(*, actor, warning: PriceWarning, on, notes: str = "") -> PriceWarning:
    access.require_procurement_officer(actor, PricingError)
    with transaction.atomic():
        warning = PriceWarning.objects.select_for_update().get(pk=warning.pk)
        before = WARNING_WORKFLOW.move(warning, "interview", PricingError)
        warning.interview_on, warning.interview_notes = on, notes.strip()
        warning.save()
        audit.record(
            actor=actor,
            action="warning.interview",
            instance=warning,
            before={"status": before},
            after={"status": warning.status, "on": str(on)},
        )
        notify([(warning.supplier_id, "warning.interview", {"kind": warning.kind, "on": str(on)}, "/pricing/")])
    return warning


def warning_close(*, actor, warning: PriceWarning, outcome: str, reason: str) -> PriceWarning:
    """Dismiss, expose publicly, or suspend the listing concerned."""
    access.require_procurement_officer(actor, PricingError)
    if outcome not in PriceWarning.Outcome.values:
        raise PricingError(_("Unknown outcome."), code="outcome")
    if not (reason or "").strip():
        raise PricingError(_("Give the reasons."), code="reason")
    with transaction.atomic():
        warning = PriceWarning.objects.select_for_update().get(pk=warning.pk)
        before = WARNING_WORKFLOW.move(warning, "close", PricingError)
        warning.outcome, warning.outcome_reason = outcome, reason.strip()
        warning.closed_at = timezone.now()
        warning.save()
        if outcome == PriceWarning.Outcome.SUSPENDED:
            listings = Listing.objects.filter(status=Listing.Status.LISTED).filter(
                Q(pk=warning.listing_id) | Q(product=warning.product, product__isnull=False)
            )
            for listing in listings:
                listing_suspend(actor=actor, listing=listing, reason=reason)
        audit.record(
            actor=actor,
            action="warning.close",
            instance=warning,
            before={"status": before},
            after={"status": warning.status, "outcome": outcome},
            reason=reason,
        )
        notify([(warning.supplier_id, "warning.closed", {"kind": warning.kind, "outcome": outcome}, "/pricing/")])
    return warning


def scan_supply(*, today=None) -> int:
    """Supply anomalies from the procurement data (idempotent: one open warning per supplier, group and kind):
    a winner's delivery rate under the threshold, hospitals switching to substitutes, deliveries falling."""
    from django.db.models import Sum

    from procurement.models import CompletionRollup, Delivery, ProductGroup

    today = today or timezone.localdate()
    opened = 0
    rows = (
        CompletionRollup.objects.filter(round__status="in_effect")
        .values("group_id", "supplier_id")
        .annotate(
            purchased=Sum("purchased_quantity"),
            on_time=Sum("delivered_on_time_quantity"),
            agreed=Sum("agreed_quantity"),
            substitution=Sum("substitution_quantity"),
        )
    )
    substitution_by_group = {}
    for row in rows:
        entry = substitution_by_group.setdefault(row["group_id"], [0, 0])
        entry[0] += row["substitution"] or 0
        entry[1] += (row["purchased"] or 0) + (row["substitution"] or 0)
    groups = {g.pk: g for g in ProductGroup.objects.filter(pk__in=substitution_by_group)}
    from accounts.models import Organisation

    suppliers = {o.pk: o for o in Organisation.objects.filter(pk__in={r["supplier_id"] for r in rows})}
    for row in rows:
        if not row["agreed"]:
            continue
        rate = Decimal(row["on_time"] or 0) / Decimal(row["purchased"]) if row["purchased"] else None
        sub, total = substitution_by_group[row["group_id"]]
        share = Decimal(sub) / Decimal(total) if total else None
        window = Delivery.objects.filter(contract__group_id=row["group_id"], supplier_id=row["supplier_id"])
        recent = window.filter(received_on__gt=today - timedelta(days=30)).aggregate(q=Sum("quantity"))["q"] or 0
        before = (
            window.filter(
                received_on__gt=today - timedelta(days=60), received_on__lte=today - timedelta(days=30)
            ).aggregate(q=Sum("quantity"))["q"]
            or 0
        )
        for kind, details in rules.supply_warnings(
            delivery_rate=rate, substitution_share=share, deliveries_recent=recent, deliveries_before=before
        ):
            if _open_warning(
                kind=kind, supplier=suppliers[row["supplier_id"]], details=details, group=groups.get(row["group_id"])
            ):
                opened += 1
    return opened


def off_platform_declare(*, actor, month, category: str, amount) -> OffPlatformPurchase:
    """A hospital declares what it bought outside the platform in a month (the online-purchase rate's rest)."""
    if not access.is_hospital_user(actor):
        raise PricingError(_("A hospital declares its own purchases."), code="not_hospital")
    try:
        amount = Decimal(str(amount))
    except InvalidOperation:
        raise PricingError(_("The amount is not a number."), code="amount") from None
    if not amount.is_finite() or amount < 0:
        raise PricingError(_("The amount must be zero or more."), code="amount")
    with transaction.atomic():
        declaration, _created = OffPlatformPurchase.objects.update_or_create(
            hospital_id=actor.organisation_id,
            month=month.replace(day=1),
            category=category,
            defaults={"amount": amount.quantize(Decimal("0.01")), "declared_by": actor},
        )
        audit.record(
            actor=actor,
            action="offplatform.declare",
            instance=declaration,
            after={"month": month.replace(day=1), "category": category, "amount": declaration.amount},
        )
    return declaration
