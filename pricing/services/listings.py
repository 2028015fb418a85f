"""Listings (挂网): applications and their review, price changes (each checked against the warning thresholds),
suspension by the officer or by a credit measure, and its lifting. Each state change is audited."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts import access, audit
from accounts.notifications import notify
from core.money import InvalidPrice, parse_unit_price

from ..engines import rules
from ..exceptions import PricingError
from ..models import (
    LISTING_WORKFLOW,
    Listing,
    ListingChange,
    PriceWarning,
)
from .price_warnings import check_price_change


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
    from credit.selectors.eligibility import listing_eligibility

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
    from credit.selectors.eligibility import restrictions

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
