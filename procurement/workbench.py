"""Procurement's part of a user's home page (registered with ``accounts.workbench`` when the app is ready): a
supplier's own products, the size of the catalog for everyone else, and the tasks of rounds and agreements that
wait for the user (the rules of when a step is due stay with the round and agreement models and services)."""

from collections.abc import Iterator
from datetime import datetime

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import access
from accounts.workbench import Task


def catalog_panel(user) -> dict:
    from .models import Product

    if access.is_supplier_user(user):
        return {"own_products": Product.objects.visible_to(user).filter(holder_id=user.organisation_id)}
    return {"product_count": Product.objects.visible_to(user).count()}


def tasks(user, now: datetime) -> Iterator[Task]:
    if access.is_supplier_user(user) or access.is_distributor_user(user):
        yield from _relations_to_answer(user.organisation)
        yield from _order_lines_to_answer(user.organisation, now)
        yield from _order_lines_to_ship(user.organisation)
        yield from _returns_to_decide(user.organisation)
    if access.is_supplier_user(user):
        yield from _supplier_bidding(user.organisation, now)
        yield from _agreements_to_confirm(user, supplier=user.organisation, supplier_confirmed_at=None)
    elif access.is_hospital_user(user):
        yield from _hospital_demand(user.organisation, now)
        yield from _agreements_to_confirm(user, hospital=user.organisation, hospital_confirmed_at=None)
        yield from _deliveries_to_receive(user.organisation)
        yield from _shipments_to_receive(user.organisation)
    elif access.is_procurement_officer(user):
        yield from _officer_rounds(now)
        yield from _returns_overdue(now)


def _relations_to_answer(organisation) -> Iterator[Task]:
    """Distribution relations proposed to the organisation (a distributor, or a manufacturer delivering itself)."""
    from .models.trading import DistributionRelation, RelationStatus

    waiting = DistributionRelation.objects.filter(distributor=organisation, status=RelationStatus.PROPOSED)
    summary = waiting.aggregate(count=Count("pk"), starts=Min("valid_from"))
    if summary["count"]:
        yield Task(
            "distribution",
            ngettext(
                "Answer %(count)d proposed distribution relation",
                "Answer %(count)d proposed distribution relations",
                summary["count"],
            )
            % {"count": summary["count"]},
            reverse("trading:relation_list") + "?" + urlencode({"status": RelationStatus.PROPOSED}),
            None,
            _("Manufacturers wait for your acceptance before hospitals can send you orders."),
            summary["count"],
        )


def _order_lines_to_answer(organisation, now: datetime) -> Iterator[Task]:
    """Order lines sent to the distributor and not answered yet, the earliest deadline first (a line past its
    deadline is cancelled by the scheduler within a minute)."""
    from .models.trading import LineStatus, OrderLine

    waiting = OrderLine.objects.filter(distributor=organisation, status=LineStatus.SENT, response_due__gt=now)
    summary = waiting.aggregate(count=Count("pk"), due=Min("response_due"))
    if summary["count"]:
        yield Task(
            "orders",
            ngettext("Answer %(count)d order line", "Answer %(count)d order lines", summary["count"])
            % {"count": summary["count"]},
            reverse("trading:order_list") + "?" + urlencode({"status": "awaiting"}),
            summary["due"],
            _("Confirm or refuse each line before its deadline; a line not answered is cancelled and counted."),
            summary["count"],
        )


def _order_lines_to_ship(organisation) -> Iterator[Task]:
    """Confirmed lines with packs still owed, the earliest delivery deadline first."""
    from django.db.models import F

    from .models.trading import SHIPPABLE_LINE_STATUSES, OrderLine

    waiting = OrderLine.objects.filter(
        distributor=organisation,
        status__in=SHIPPABLE_LINE_STATUSES,
        confirmed_quantity__gt=F("shipped_quantity") + F("short_closed_quantity"),
    )
    summary = waiting.aggregate(count=Count("pk"), due=Min("delivery_due"))
    if summary["count"]:
        yield Task(
            "orders",
            ngettext("Ship %(count)d confirmed order line", "Ship %(count)d confirmed order lines", summary["count"])
            % {"count": summary["count"]},
            reverse("trading:order_list") + "?" + urlencode({"status": "to_ship"}),
            summary["due"],
            _("Goods must arrive by each line's delivery deadline; late arrivals are recorded against you."),
            summary["count"],
        )


def _returns_to_decide(organisation) -> Iterator[Task]:
    from .models.trading import ReturnRequest, ReturnStatus

    waiting = ReturnRequest.objects.filter(
        shipment_line__shipment__distributor=organisation, status=ReturnStatus.REQUESTED
    )
    summary = waiting.aggregate(count=Count("pk"), due=Min("decision_due"))
    if summary["count"]:
        yield Task(
            "orders",
            ngettext("Decide on %(count)d return", "Decide on %(count)d returns", summary["count"])
            % {"count": summary["count"]},
            reverse("trading:return_list") + "?" + urlencode({"status": ReturnStatus.REQUESTED}),
            summary["due"],
            _("Approve or refuse each return; one left undecided past its deadline goes to the officer."),
            summary["count"],
        )


def _shipments_to_receive(hospital) -> Iterator[Task]:
    from .models.trading import Shipment, ShipmentStatus

    waiting = Shipment.objects.filter(buyer=hospital).exclude(status=ShipmentStatus.RECEIVED)
    summary = waiting.aggregate(count=Count("pk"), due=Min("receipt_due"))
    if summary["count"]:
        yield Task(
            "orders",
            ngettext("Receive %(count)d delivery note", "Receive %(count)d delivery notes", summary["count"])
            % {"count": summary["count"]},
            reverse("trading:shipment_list") + "?" + urlencode({"status": "to_receive"}),
            summary["due"],
            _("Record what you accepted and reject the rest with a reason, within the receipt window."),
            summary["count"],
        )


def _returns_overdue(now: datetime) -> Iterator[Task]:
    """Returns the distributor left undecided past their deadline: escalated to the procurement officer."""
    from .models.trading import ReturnRequest, ReturnStatus

    waiting = ReturnRequest.objects.filter(status=ReturnStatus.REQUESTED, decision_due__lte=now)
    summary = waiting.aggregate(count=Count("pk"), due=Min("decision_due"))
    if summary["count"]:
        yield Task(
            "distribution",
            ngettext(
                "%(count)d return left undecided by its distributor",
                "%(count)d returns left undecided by their distributors",
                summary["count"],
            )
            % {"count": summary["count"]},
            reverse("trading:return_list") + "?" + urlencode({"status": ReturnStatus.REQUESTED}),
            summary["due"],
            _("Contact the distributors: the institutions wait for an answer past the deadline."),
            summary["count"],
        )


def _round_name(tender_round) -> str:
    return f"{tender_round.name} ({tender_round.code})"


def _supplier_bidding(supplier, now: datetime) -> Iterator[Task]:
    """In every round whose bid window is open: the commitment to sign, and the groups the supplier may bid in
    without a bid of its own (read from its sealed part in the round)."""
    from . import participation
    from .models import Product
    from .models.rounds import RoundStatus, TenderRound

    rounds = TenderRound.objects.filter(status=RoundStatus.BIDDING, bid_opens_at__lte=now, bid_closes_at__gt=now)
    for tender_round in rounds:
        eligible = {
            group_id
            for group_id, tier, tiers in Product.objects.filter(
                holder=supplier, is_active=True, groups__round=tender_round
            ).values_list("groups__pk", "quality_tier", "groups__qualifying_tiers")
            if tier in tiers
        }
        if not eligible:
            continue
        part = participation.own_part(tender_round, supplier.pk)
        if part.commitment is None:
            yield Task(
                "rounds",
                _("Sign the credit commitment of %(round)s") % {"round": _round_name(tender_round)},
                reverse("procurement:round_commitment", args=[tender_round.pk]),
                tender_round.bid_closes_at,
                _("Bids are accepted only after the commitment is signed."),
            )
        missing = eligible - {group_id for group_id, bid in part.bids.items() if bid.is_active}
        if missing:
            yield Task(
                "rounds",
                ngettext(
                    "Bid in %(count)d group of %(round)s",
                    "Bid in %(count)d groups of %(round)s",
                    len(missing),
                )
                % {"count": len(missing), "round": _round_name(tender_round)},
                reverse("procurement:round_bids", args=[tender_round.pk]),
                tender_round.bid_closes_at,
                _("Your products may bid in these groups and no bid of yours is sealed yet."),
                count=len(missing),
            )


def _agreements_to_confirm(user, **awaiting) -> Iterator[Task]:
    from .models import Contract

    pending = (
        Contract.objects.visible_to(user)
        .filter(status=Contract.Status.PENDING, **awaiting)
        .values("round_id", "round__name", "round__code")
        .annotate(count=Count("id"))
        .order_by("round__code")
    )
    for row in pending:
        query = urlencode({"round": row["round_id"], "status": Contract.Status.PENDING})
        yield Task(
            "agreements",
            ngettext(
                "Confirm %(count)d agreement of %(round)s",
                "Confirm %(count)d agreements of %(round)s",
                row["count"],
            )
            % {"count": row["count"], "round": f"{row['round__name']} ({row['round__code']})"},
            f"{reverse('contracts:contract_list')}?{query}",
            detail=_("Agreements take effect once both parties have confirmed them."),
            count=row["count"],
        )


def _hospital_demand(hospital, now: datetime) -> Iterator[Task]:
    """Rounds collecting demand from this hospital (its region is among the round's, or the round names none)
    for which it has reported nothing yet: the same rule as the officers' list of hospitals missing."""
    from .models import DemandReport
    from .models.rounds import RoundStatus, TenderRound

    rounds = (
        TenderRound.objects.filter(status=RoundStatus.DEMAND, demand_opens_at__lte=now, demand_closes_at__gt=now)
        .filter(Q(regions=None) | Q(regions=hospital.region_id))
        .exclude(pk__in=DemandReport.objects.filter(hospital=hospital).values("group__round_id"))
        .distinct()
    )
    for tender_round in rounds:
        yield Task(
            "rounds",
            _("Report your demand for %(round)s") % {"round": _round_name(tender_round)},
            reverse("procurement:round_demand", args=[tender_round.pk]),
            tender_round.demand_closes_at,
            _("Agreed volumes are computed from the demand hospitals report."),
        )


def _deliveries_to_receive(hospital) -> Iterator[Task]:
    from .models import Delivery

    waiting = (
        Delivery.objects.filter(hospital=hospital, received_on__isnull=True)
        .values("contract_id", "contract__product__generic_name", "supplier__name")
        .annotate(count=Count("id"), due=Min("due_on"))
        .order_by("due", "contract_id")
    )
    for row in waiting:
        yield Task(
            "agreements",
            ngettext(
                "Receive %(count)d delivery of %(product)s from %(supplier)s",
                "Receive %(count)d deliveries of %(product)s from %(supplier)s",
                row["count"],
            )
            % {
                "count": row["count"],
                "product": row["contract__product__generic_name"],
                "supplier": row["supplier__name"],
            },
            reverse("contracts:contract_detail", args=[row["contract_id"]]),
            row["due"],
            _("Confirm what arrived, so that on-time delivery is measured."),
            count=row["count"],
        )


def _officer_rounds(now: datetime) -> Iterator[Task]:
    """The rounds waiting for an officer's step: publishing a draft, opening bids, the award, the agreements."""
    from .models.rounds import RoundStatus, TenderRound

    waiting = {
        RoundStatus.DRAFT: (
            _("Publish %(round)s for demand collection"),
            "procurement:round_detail",
            "demand_opens_at",
        ),
        RoundStatus.BIDS_CLOSED: (_("Open the bids of %(round)s"), "procurement:round_detail", "opening_at"),
        RoundStatus.OPENED: (_("Compute and publish the award of %(round)s"), "procurement:round_award", None),
        RoundStatus.AWARDED: (_("Generate and confirm the agreements of %(round)s"), "procurement:round_detail", None),
    }
    for tender_round in TenderRound.objects.filter(status__in=list(waiting)).order_by("bid_closes_at", "code"):
        title, view, due = waiting[tender_round.status]
        yield Task(
            "rounds",
            title % {"round": _round_name(tender_round)},
            reverse(view, args=[tender_round.pk]),
            getattr(tender_round, due) if due else None,
            tender_round.get_status_display(),
        )
