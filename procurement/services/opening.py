"""Bid opening (开标): decrypt every bid at the opening time, verify each against its receipt, flag invalid bids,
and publish the opening table."""

from collections import defaultdict
from decimal import Decimal

from cryptography.exceptions import InvalidTag
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access, audit, audit_chain
from credit.models import Commitment
from credit.selectors.eligibility import restrictions

from .. import participation
from ..exceptions import ProcurementError
from ..models import Bid, BidVersion, DemandReport, OpenedBid, Product, TenderRound
from ..models.bids import InvalidReason
from ..models.rounds import RoundStatus
from ..sealing import associated_data, receipt_hash, unseal
from .bidding import MAX_PRICE, group_comparable_price
from .rounds import _move, advance_round, lock_round

# The opening table's capacity column is a signed 64-bit integer.
MAX_STORED_CAPACITY = 2**63 - 1


def _invalid_reason(
    *, content, product, group, bid, comparable, committed, demand_base, min_share, credit_barred
) -> str:
    if product is None or product.pk not in group.eligible_product_ids or product.holder_id != bid.supplier_id:
        return InvalidReason.INELIGIBLE
    if not product.is_active or product.quality_tier not in group.qualifying_tiers:
        return InvalidReason.INELIGIBLE
    if bid.supplier_id not in committed:
        return InvalidReason.NO_COMMITMENT
    barred = credit_barred.get(bid.supplier_id)
    if barred is not None and barred.covers(product.pk):
        return InvalidReason.CREDIT_RESTRICTED
    if min_share and content.get("capacity") is not None and content["capacity"] < demand_base * min_share:
        return InvalidReason.CAPACITY_BELOW_MINIMUM
    if comparable is None or comparable > group.ceiling_for(product.strength_amount, product.strength_unit):
        return InvalidReason.ABOVE_CEILING
    return ""


def _storable(content: dict) -> bool:
    """Whether opened content can be stored in the opening table as it is: a bid sealed before the bounds on
    submission existed (or written beside the platform) must not make the whole round impossible to open."""
    try:
        price = Decimal(str(content["price"]))
        capacity = content.get("capacity")
        regions = content.get("regions", [])
        return (
            isinstance(content.get("product"), str)
            and price.is_finite()
            and 0 < price < MAX_PRICE
            and price == price.quantize(Decimal("0.0001"))
            and (capacity is None or (type(capacity) is int and 0 < capacity <= MAX_STORED_CAPACITY))
            and isinstance(regions, list)
            and all(isinstance(region, str) for region in regions)
        )
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return False


def round_open(*, actor, tender_round: TenderRound) -> TenderRound:
    """Open the round's bids at or after the opening time; the opening table becomes visible to every participant."""
    access.require_procurement_officer(actor, ProcurementError)
    with transaction.atomic():
        tender_round = advance_round(lock_round(tender_round), locked=True)
        if not tender_round.awaits_opening:
            raise ProcurementError(_("Only a round whose bids are closed can be opened."), code="not_closed")
        now = timezone.now()
        if now < tender_round.opening_at:
            raise ProcurementError(_("The opening time has not come yet."), code="before_opening")
        # The sealed participation of every supplier becomes rows: commitments, bids, versions, audit rows.
        unreadable = participation.write_out(tender_round)
        groups = {group.pk: group for group in tender_round.groups.all()}
        for group in groups.values():
            group.eligible_product_ids = set(group.eligible_products.values_list("pk", flat=True))
        committed = set(Commitment.objects.filter(round=tender_round).values_list("supplier_id", flat=True))
        # A credit measure barring a supplier's bidding (for the product, or for all) at the close voids its bid.
        credit_barred = restrictions("bidding", committed, tender_round.bid_closes_at)
        demand = dict(
            DemandReport.objects.filter(group__round=tender_round)
            .values_list("group_id")
            .annotate(total=Sum("quantity"))
            .values_list("group_id", "total")
        )
        min_share = Decimal(str(tender_round.rule_set.parameters.get("min_capacity_share") or 0))
        bids = list(
            Bid.objects.filter(round=tender_round, status=Bid.Status.ACTIVE).select_related("supplier", "group")
        )
        current = {(bid.pk, bid.current_version) for bid in bids}
        versions = {
            version.bid_id: version
            for version in BidVersion.objects.filter(bid__in=bids)
            if (version.bid_id, version.number) in current
        }
        contents = {}
        for bid in bids:
            version = versions[bid.pk]
            aad = associated_data(
                round_code=tender_round.code,
                group_code=bid.group.code,
                supplier_code=bid.supplier.code,
                version=version.number,
            )
            try:
                contents[bid.pk] = unseal(tender_round, version.sealed_content, aad, actor=actor)
            except InvalidTag:
                contents[bid.pk] = None
        products = Product.objects.in_bulk(
            [content["product"] for content in contents.values() if content and _storable(content)],
            field_name="national_drug_code",
        )
        tally = defaultdict(int)
        for bid in bids:
            version, content, group = versions[bid.pk], contents[bid.pk], groups[bid.group_id]
            verified = content is not None and receipt_hash(content) == version.receipt_hash
            readable = verified and _storable(content)
            product = products.get(content["product"]) if readable else None
            comparable = None
            if readable and product is not None:
                comparable = group_comparable_price(group, product, Decimal(content["price"]))
                if comparable >= MAX_PRICE:
                    readable, comparable, product = False, None, None
            reason = (
                InvalidReason.HASH_MISMATCH
                if not verified
                else InvalidReason.UNREADABLE
                if not readable
                else _invalid_reason(
                    content=content,
                    product=product,
                    group=group,
                    bid=bid,
                    comparable=comparable,
                    committed=committed,
                    demand_base=demand.get(group.pk, 0),
                    min_share=min_share,
                    credit_barred=credit_barred,
                )
            )
            OpenedBid.objects.create(
                round=tender_round,
                group=group,
                bid=bid,
                version=version,
                supplier=bid.supplier,
                product=product if readable else None,
                pack_price=Decimal(content["price"]) if readable else None,
                comparable_price=comparable,
                capacity=content.get("capacity") if readable else None,
                regions=content.get("regions", []) if readable else [],
                submitted_at=version.submitted_at,
                receipt_hash=version.receipt_hash,
                hash_verified=verified,
                valid=not reason,
                invalid_reason=reason,
            )
            tally[reason or "valid"] += 1
        tender_round.opened_at = now
        tender_round.save(update_fields=["opened_at"])
        _move(tender_round, RoundStatus.OPENED, actor=actor, reason="bids opened", at=now)
        audit.record(
            actor=actor,
            action="round.open",
            instance=tender_round,
            after={
                "bids": len(bids),
                "outcomes": dict(sorted(tally.items())),
                **({"unreadable_participation_rows": unreadable} if unreadable else {}),
            },
        )
        # The chain's head, this opening and the bids' and commitments' audit rows included, is published with the
        # opening table.
        audit_chain.publish_checkpoint(opening_checkpoint_label(tender_round))
    return tender_round


def opening_checkpoint_label(tender_round: TenderRound) -> str:
    return f"opening {tender_round.code}"
