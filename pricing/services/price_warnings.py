"""Price and supply warnings (价格和供应异常变动): opened by the price-change check and the supply scan, then the
workflow — inquiry letter → answer → interview → outcome (``WARNING_WORKFLOW``). Each state change is audited."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access, audit
from accounts.notifications import notify
from core.money import round_unit_price

from ..engines import rules
from ..exceptions import PricingError
from ..models import (
    WARNING_WORKFLOW,
    Listing,
    ListingChange,
    PriceWarning,
)
from . import listings as listing_services


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
    from procurement.engines.comparable import MASS_IN_MG

    amount = Decimal(product.strength_amount)
    unit = product.strength_unit
    if unit in MASS_IN_MG:
        amount = amount * MASS_IN_MG[unit]
    if amount <= 0:
        return None
    return round_unit_price(Decimal(price_per_smallest_unit) / amount)


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
                listing_services.listing_suspend(actor=actor, listing=listing, reason=reason)
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
