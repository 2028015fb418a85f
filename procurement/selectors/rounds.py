"""Reads that the round pages and the API share."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from accounts.models import Organisation

from .. import participation
from ..models import Bid, BidVersion, DemandReport, OpenedBid, ProductGroup, TenderRound
from ..services.bidding import eligible_products_for


@dataclass
class DemandSummary:
    groups: list[dict]
    by_region: list[dict]
    missing_hospitals: list[Organisation]
    hospitals_total: int
    hospitals_reported: int


def round_hospitals(tender_round: TenderRound):
    """The hospitals expected to report: those in the round's regions (every hospital when none are set)."""
    hospitals = Organisation.objects.hospitals().filter(is_active=True)
    region_ids = list(tender_round.regions.values_list("pk", flat=True))
    return hospitals.filter(region_id__in=region_ids) if region_ids else hospitals


def demand_summary(tender_round: TenderRound) -> DemandSummary:
    """Completeness of demand reporting: totals per group and per region, and who has not reported."""
    reports = DemandReport.objects.filter(group__round=tender_round)
    groups = list(
        ProductGroup.objects.filter(round=tender_round)
        .annotate(total=Sum("demand_reports__quantity"), hospitals=Count("demand_reports"))
        .order_by("code")
        .values("pk", "code", "generic_name", "dosage_form", "total", "hospitals")
    )
    by_region = list(
        reports.values("group__code", "hospital__region__name", "hospital__region__code")
        .annotate(total=Sum("quantity"), hospitals=Count("id"))
        .order_by("group__code", "hospital__region__code")
    )
    expected = round_hospitals(tender_round)
    reported_ids = set(reports.values_list("hospital_id", flat=True))
    missing = list(expected.exclude(pk__in=reported_ids).select_related("region").order_by("region__code", "code"))
    return DemandSummary(
        groups=groups,
        by_region=by_region,
        missing_hospitals=missing,
        hospitals_total=expected.count(),
        hospitals_reported=expected.filter(pk__in=reported_ids).count(),
    )


@dataclass
class GroupBidState:
    group: ProductGroup
    products: list
    bid: Bid | None
    versions: list[BidVersion] = field(default_factory=list)


def supplier_bid_overview(tender_round: TenderRound, supplier: Organisation) -> list[GroupBidState]:
    """For each group the supplier may bid in: its eligible products and its bid's versions (receipts only)."""
    part = participation.own_part(tender_round, supplier.pk)
    states = []
    for group in tender_round.groups.all():
        products = list(eligible_products_for(supplier, group))
        bid = part.bids.get(group.pk)
        if products or bid:
            states.append(GroupBidState(group, products, bid, part.versions.get(group.pk, [])))
    return states


def opening_table(tender_round: TenderRound, user):
    """The published opening table; empty for everyone before the opening."""
    return (
        OpenedBid.objects.visible_to(user)
        .filter(round=tender_round)
        .select_related("group", "supplier", "product", "version")
        .order_by("group__code", "-valid", "comparable_price", "submitted_at", "supplier__code")
    )


def round_participation(tender_round: TenderRound, user) -> dict:
    """What the round page shows a supplier or hospital about its own part in the round."""
    organisation = user.organisation
    if organisation is None:
        return {}
    if organisation.is_supplier:
        part = participation.own_part(tender_round, organisation.pk)
        return {
            "commitment": part.commitment,
            "bid_count": sum(bid.status == Bid.Status.ACTIVE for bid in part.bids.values()),
        }
    if organisation.is_hospital:
        return {
            "demand_count": DemandReport.objects.filter(group__round=tender_round, hospital=organisation).count(),
            "demand_total": DemandReport.objects.filter(group__round=tender_round, hospital=organisation).aggregate(
                total=Sum("quantity")
            )["total"],
        }
    return {}


def visible_groups(tender_round: TenderRound):
    return tender_round.groups.annotate(
        eligible=Count("eligible_products", filter=Q(eligible_products__is_active=True))
    )


def own_receipts(supplier_id: int, *, round_id: int | None = None, group_id: int | None = None) -> list[BidVersion]:
    """A supplier's bid versions with their receipts, in every round: rows once a round is opened, its sealed part
    in the round before (``participation``). Never the contents."""
    opened = BidVersion.objects.filter(supplier_id=supplier_id).select_related("bid__group").defer("sealed_content")
    if round_id is not None:
        opened = opened.filter(bid__round_id=round_id)
    if group_id is not None:
        opened = opened.filter(bid__group_id=group_id)
    versions = list(opened)
    for tender_round, part in participation.sealed_parts(supplier_id):
        if round_id is None or tender_round.pk == round_id:
            versions += [v for v in part.all_versions() if group_id is None or v.bid.group_id == group_id]
    return sorted(versions, key=lambda version: (version.bid.group.code, version.number))


def own_commitments(supplier_id: int, *, round_id: int | None = None) -> list:
    """A supplier's signed commitments, in every round (sealed ones from its part in the round)."""
    from credit.models import Commitment

    signed = Commitment.objects.filter(supplier_id=supplier_id).select_related("text", "round")
    if round_id is not None:
        signed = signed.filter(round_id=round_id)
    commitments = list(signed)
    for tender_round, part in participation.sealed_parts(supplier_id):
        if part.commitment and (round_id is None or tender_round.pk == round_id):
            commitments.append(part.commitment)
    return sorted(commitments, key=lambda commitment: commitment.signed_at, reverse=True)
