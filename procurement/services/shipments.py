"""Shipments, receipts and returns (trading-rules.md, "Shipments, receipts, returns"): the distributor's delivery
note of order lines × batches, its arrival, the receiver's receipt of each line (packs received, the rest rejected
with a reason), the buyer's closing of a line short, and returns of received packs that the distributor approves or
refuses.

Every change locks the order line's row first (then the shipment line's), checks and writes, so the running
quantities stay in order under concurrent requests: ordered ≥ confirmed ≥ shipped + short-closed and shipped ≥
received ≥ returned, which the database enforces as well. Shipped is net of packs rejected at receipt: those may be
shipped again. Late arrivals and lines closed short are recorded as supply events against the distributor."""

import calendar
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access, audit
from accounts.models import Role
from accounts.notifications import notify
from core.money import round_money

from ..exceptions import ProcurementError
from ..models.trading import (
    LINE_WORKFLOW,
    RETURN_WORKFLOW,
    SHIPPABLE_LINE_STATUSES,
    AgreementLink,
    LineStatus,
    OrderLine,
    ReturnRequest,
    ReturnStatus,
    Shipment,
    ShipmentLine,
    ShipmentStatus,
    SupplyEvent,
)
from .trading_clock import working_days_after

MAX_SHIPMENT_LINES = 500
# A clock a few minutes ahead of the server's is not an arrival in the future.
CLOCK_SKEW = timedelta(minutes=5)
QUANTITY_FIELDS = [
    "status", "confirmed_quantity", "shipped_quantity", "received_quantity", "returned_quantity",
    "short_closed_quantity",
]  # fmt: skip
SHIPMENT_FIELDS = ["number", "distributor_id", "buyer_id", "address_id", "status", "arrived_at", "receipt_due"]
RECEIPT_FIELDS = ["quantity", "received_quantity", "rejection_reason", "accepted_at", "returned_quantity"]
RETURN_FIELDS = ["shipment_line_id", "quantity", "reason", "status", "refusal_text"]


@dataclass(frozen=True)
class ShipLine:
    """One batch of one order line in a delivery note."""

    order_line: OrderLine
    quantity: int
    batch_number: str
    expiry_date: date
    upstream_invoice: str = ""


def new_number(prefix: str, now) -> str:
    """The prefix, the day and 8 random hexadecimal characters: not a count of anyone's documents."""
    return f"{prefix}{timezone.localtime(now):%Y%m%d}{secrets.token_hex(4).upper()}"


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _lock_lines(ids) -> dict[int, OrderLine]:
    """The order lines' rows locked in one order (by id), so two requests never wait on each other crosswise."""
    return {
        line.pk: line
        for line in OrderLine.objects.select_for_update(of=("self",))
        .select_related("order__rule_set", "order__address", "product", "beneficiary")
        .filter(pk__in=list(ids))
        .order_by("pk")
    }


def _may_act_as_distributor(actor, distributor_id: int) -> bool:
    return actor.organisation_id == distributor_id and access.has_role(
        actor, Role.DISTRIBUTOR_USER, Role.SUPPLIER_USER
    )


def _is_receiver(actor, shipment: Shipment) -> bool:
    return access.is_hospital_user(actor) and actor.organisation_id == shipment.buyer_id


def _check_time(value: datetime | None, *, not_before: datetime, now: datetime, what: str) -> datetime:
    if value is None:
        return now
    if value > now + CLOCK_SKEW:
        raise ProcurementError(_("The %(what)s cannot be in the future.") % {"what": what}, code="bad_time")
    # Pages give times to the minute: the minute of the earliest time is allowed.
    if value < not_before.replace(second=0, microsecond=0):
        raise ProcurementError(
            _("The %(what)s cannot be before %(time)s.")
            % {"what": what, "time": timezone.localtime(not_before).strftime("%Y-%m-%d %H:%M")},
            code="bad_time",
        )
    return value


def _record_line(actor, line: OrderLine, before: dict, action: str, reason: str = "") -> None:
    audit.record(
        actor=actor,
        action=action,
        instance=line,
        before=before,
        after=audit.snapshot(line, QUANTITY_FIELDS),
        reason=reason,
    )


def _shipment_link(shipment_id: int) -> str:
    return f"/trading/shipments/{shipment_id}/"


def shipment_create(
    *, actor, lines: list[ShipLine], arrived_at: datetime | None = None, request_key: str = ""
) -> tuple[Shipment, bool, list[str]]:
    """A delivery note of the distributor for one delivery address: each line one order line × one batch. Returns
    the shipment, whether an earlier request with the same ``request_key`` made it (a retry changes nothing), and
    warnings (batches with little shelf life left)."""

    def earlier():
        return Shipment.objects.filter(distributor_id=actor.organisation_id, request_key=request_key).first()

    if request_key and (found := earlier()):
        return found, True, []
    try:
        with transaction.atomic():
            shipment, warnings = _create(actor, lines, arrived_at, request_key)
            return shipment, False, warnings
    except IntegrityError:
        if request_key and (found := earlier()):
            return found, True, []
        raise


def _create(actor, lines: list[ShipLine], arrived_at, request_key) -> tuple[Shipment, list[str]]:
    if not lines:
        raise ProcurementError(_("Ship at least one line."), code="empty")
    if len(lines) > MAX_SHIPMENT_LINES:
        raise ProcurementError(
            _("A delivery note holds at most %(count)s lines.") % {"count": MAX_SHIPMENT_LINES}, code="too_many"
        )
    locked = _lock_lines(ship.order_line.pk for ship in lines)
    now = timezone.now()
    today = timezone.localdate(now)
    first = locked[lines[0].order_line.pk]
    owed = {
        pk: line.confirmed_quantity - line.shipped_quantity - line.short_closed_quantity for pk, line in locked.items()
    }
    warnings = []
    for number, ship in enumerate(lines, start=1):
        line = locked[ship.order_line.pk]

        def refuse(message, code, number=number):
            raise ProcurementError(
                _("Line %(number)s: %(message)s") % {"number": number, "message": message}, code=code
            )

        if not _may_act_as_distributor(actor, line.distributor_id):
            refuse(_("only the distributor the order was sent to ships it."), "not_distributor")
        if line.status not in SHIPPABLE_LINE_STATUSES:
            refuse(_("the order line is %(status)s.") % {"status": line.get_status_display()}, "bad_status")
        if line.order.address_id != first.order.address_id:
            refuse(_("a delivery note goes to one delivery address."), "mixed_address")
        if not _is_count(ship.quantity) or ship.quantity <= 0:
            refuse(_("ship at least one pack."), "bad_quantity")
        owed[line.pk] -= ship.quantity
        if owed[line.pk] < 0:
            refuse(
                _("more than the %(owed)s packs still owed on the order line.")
                % {"owed": owed[line.pk] + ship.quantity},
                "bad_quantity",
            )
        if not ship.batch_number.strip():
            refuse(_("give the batch number."), "no_batch")
        if ship.expiry_date <= today:
            refuse(_("the batch has expired."), "expired_batch")
        parameters = line.order.rule_set.parameters
        if (
            parameters.get("two_invoice_drugs")
            and line.distributor_id != line.product.holder_id
            and not ship.upstream_invoice.strip()
        ):
            refuse(_("give the manufacturer's invoice number (two-invoice rule)."), "no_upstream_invoice")
        months = parameters.get("short_shelf_life_months") or 0
        if months and ship.expiry_date < _add_months(today, months):
            warnings.append(
                _("Line %(number)s: batch %(batch)s expires on %(date)s, less than %(months)s months from now.")
                % {"number": number, "batch": ship.batch_number, "date": ship.expiry_date, "months": months}
            )
    arrived_at = (
        None
        if arrived_at is None
        else _check_time(arrived_at, not_before=now - timedelta(days=1), now=now, what=_("arrival time"))
    )
    shipment = Shipment.objects.create(
        number=new_number("SH", now),
        distributor_id=first.distributor_id,
        buyer_id=first.order.buyer_id,
        address_id=first.order.address_id,
        dispatched_at=now,
        dispatched_by=actor,
        rule_set=first.order.rule_set,
        request_key=request_key,
        status=ShipmentStatus.IN_TRANSIT,
    )
    ShipmentLine.objects.bulk_create(
        [
            ShipmentLine(
                shipment=shipment,
                order_line_id=ship.order_line.pk,
                quantity=ship.quantity,
                pack_price=locked[ship.order_line.pk].pack_price,
                batch_number=ship.batch_number.strip(),
                expiry_date=ship.expiry_date,
                upstream_invoice=ship.upstream_invoice.strip(),
            )
            for ship in lines
        ]
    )
    audit.record(
        actor=actor, action="shipment.dispatch", instance=shipment, after=audit.snapshot(shipment, SHIPMENT_FIELDS)
    )
    shipped: dict[int, int] = {}
    for ship in lines:
        shipped[ship.order_line.pk] = shipped.get(ship.order_line.pk, 0) + ship.quantity
    for pk, quantity in shipped.items():
        line = locked[pk]
        before = audit.snapshot(line, QUANTITY_FIELDS)
        LINE_WORKFLOW.move(line, "dispatch", ProcurementError)
        line.shipped_quantity += quantity
        line.save(update_fields=["status", "shipped_quantity"])
        _record_line(actor, line, before, "order.line_ship", shipment.number)
    if arrived_at is not None:
        _arrive(actor, shipment, arrived_at)
    notify(
        [
            (
                shipment.buyer_id,
                "shipment.dispatched",
                {"number": shipment.number, "distributor": str(actor.organisation)},
                _shipment_link(shipment.pk),
            )
        ]
    )
    return shipment, warnings


def _arrive(actor, shipment: Shipment, arrived_at: datetime) -> None:
    before = audit.snapshot(shipment, SHIPMENT_FIELDS)
    shipment.arrived_at = arrived_at
    shipment.receipt_due = working_days_after(
        shipment.rule_set.parameters.get("receipt_working_days") or 3, arrived_at
    )
    if shipment.status == ShipmentStatus.IN_TRANSIT:
        shipment.status = ShipmentStatus.ARRIVED
    shipment.save(update_fields=["arrived_at", "receipt_due", "status"])
    audit.record(
        actor=actor,
        action="shipment.arrive",
        instance=shipment,
        before=before,
        after=audit.snapshot(shipment, SHIPMENT_FIELDS),
    )


def _lock_shipment(shipment: Shipment) -> Shipment:
    return Shipment.objects.select_for_update(of=("self",)).select_related("rule_set").get(pk=shipment.pk)


@transaction.atomic
def shipment_arrive(*, actor, shipment: Shipment, arrived_at: datetime | None = None) -> Shipment:
    """The distributor states when the goods arrived (now unless said); the receipt window starts then."""
    shipment = _lock_shipment(shipment)
    if not _may_act_as_distributor(actor, shipment.distributor_id):
        raise ProcurementError(_("Only the distributor states the arrival."), code="not_distributor")
    if shipment.status != ShipmentStatus.IN_TRANSIT:
        raise ProcurementError(_("The arrival has been stated already."), code="bad_status")
    now = timezone.now()
    _arrive(
        actor, shipment, _check_time(arrived_at, not_before=shipment.dispatched_at, now=now, what=_("arrival time"))
    )
    return shipment


@transaction.atomic
def receipt_record(
    *,
    actor,
    line: ShipmentLine,
    received: int,
    reason: str = "",
    arrived_at: datetime | None = None,
    correction: str = "",
) -> ShipmentLine:
    """The receiver accepts ``received`` packs of a shipment line (0 … shipped; the rest is rejected with a reason)
    and confirms or corrects the arrival time. A receipt already given is corrected only with a reason and only
    while none of its packs is being returned."""
    order_line = _lock_lines([line.order_line_id])[line.order_line_id]
    shipment = _lock_shipment(line.shipment)
    line = ShipmentLine.objects.select_for_update().get(pk=line.pk)
    if not _is_receiver(actor, shipment):
        raise ProcurementError(_("Only the receiving institution records the receipt."), code="not_receiver")
    if not _is_count(received) or not 0 <= received <= line.quantity:
        raise ProcurementError(
            _("Receive between 0 and the %(shipped)s packs shipped.") % {"shipped": line.quantity}, code="bad_quantity"
        )
    reason, correction = reason.strip(), correction.strip()
    if received < line.quantity and not reason:
        raise ProcurementError(_("Say why the rest was rejected."), code="no_reason")
    earlier = line.received_quantity
    if earlier is not None:
        if not correction:
            raise ProcurementError(
                _("The receipt was recorded already: give a reason to correct it."), code="already_received"
            )
        if order_line.status in (LineStatus.DELIVERED, LineStatus.SHORT_CLOSED):
            raise ProcurementError(_("The order line is closed: correct the receipt by a return."), code="line_closed")
        if line.returned_quantity or line.returns.filter(status=ReturnStatus.REQUESTED).exists():
            raise ProcurementError(
                _("Packs of this line are being or have been returned: correct it by a return."), code="has_returns"
            )
    now = timezone.now()
    arrival = _check_time(
        arrived_at or shipment.arrived_at, not_before=shipment.dispatched_at, now=now, what=_("arrival time")
    )
    if shipment.arrived_at != arrival:
        _arrive(actor, shipment, arrival)
    before_line = audit.snapshot(line, RECEIPT_FIELDS)
    before_order_line = audit.snapshot(order_line, QUANTITY_FIELDS)
    earlier_rejected = 0 if earlier is None else line.quantity - earlier
    line.received_quantity = received
    line.rejection_reason = reason if received < line.quantity else ""
    line.accepted_at = line.stored_at = now
    line.received_by = actor
    line.save()
    order_line.received_quantity += received - (earlier or 0)
    order_line.shipped_quantity -= (line.quantity - received) - earlier_rejected
    if order_line.shipped_quantity + order_line.short_closed_quantity > order_line.confirmed_quantity:
        raise ProcurementError(
            _("The packs rejected earlier have been shipped again: correct this receipt by a return."),
            code="reshipped",
        )
    _feed_completion(order_line, received - (earlier or 0), timezone.localdate(now))
    _deliver_if_complete(order_line, now)
    order_line.save(update_fields=["received_quantity", "shipped_quantity", "status", "delivered_at"])
    audit.record(
        actor=actor,
        action="shipment.receipt" if earlier is None else "shipment.receipt_correct",
        instance=line,
        before=before_line,
        after=audit.snapshot(line, RECEIPT_FIELDS),
        reason=correction or reason,
    )
    _record_line(actor, order_line, before_order_line, "order.line_receive", shipment.number)
    if order_line.delivery_due and arrival > order_line.delivery_due:
        SupplyEvent.objects.bulk_create(
            [
                SupplyEvent(
                    kind=SupplyEvent.Kind.LATE_ARRIVAL,
                    line=order_line,
                    distributor_id=order_line.distributor_id,
                    manufacturer_id=order_line.product.holder_id,
                    occurred_at=arrival,
                )
            ],
            ignore_conflicts=True,
        )
    if (
        not shipment.lines.filter(received_quantity__isnull=True).exists()
        and shipment.status != ShipmentStatus.RECEIVED
    ):
        before = audit.snapshot(shipment, SHIPMENT_FIELDS)
        shipment.status = ShipmentStatus.RECEIVED
        shipment.save(update_fields=["status"])
        audit.record(
            actor=actor,
            action="shipment.received",
            instance=shipment,
            before=before,
            after=audit.snapshot(shipment, SHIPMENT_FIELDS),
        )
    return line


def _feed_completion(order_line: OrderLine, packs: int, day: date) -> None:
    """Received packs (negative: taken back by a return or a corrected receipt) of a line within or substituting an
    agreement count toward the agreement and its rollups, in smallest units, at the acceptance (trading-rules.md,
    "Feeding completion"); lines outside any agreement count nowhere."""
    from ..models import Contract, PurchaseLine
    from .purchases import OrderLine as Counted
    from .purchases import add_to_rollups

    if not packs or order_line.contract_id is None or order_line.agreement_link == AgreementLink.NONE:
        return
    contract = Contract.objects.select_related("group").get(pk=order_line.contract_id)
    contracted = order_line.agreement_link == AgreementLink.CONTRACTED
    counted = Counted(
        hospital_id=order_line.beneficiary_id,
        supplier_id=order_line.product.holder_id,
        product_id=order_line.product_id,
        contract_id=contract.pk if contracted else None,
        group_id=contract.group_id,
        order_number=order_line.order.number,
        ordered_on=day,
        quantity=packs * order_line.product.pack_size,
        unit_price=order_line.pack_price,
        amount=round_money(packs * order_line.pack_price),
        kind=PurchaseLine.Kind.CONTRACT if contracted else PurchaseLine.Kind.SUBSTITUTION,
    )
    add_to_rollups(
        [counted],
        {contract.pk: contract},
        {contract.group_id: contract.group.round_id},
        order_line.beneficiary,
        months=False,
    )


def _deliver_if_complete(order_line: OrderLine, now) -> None:
    """In delivery → delivered once every shipment line is received and the received packs equal the confirmed."""
    if (
        order_line.status == LineStatus.IN_DELIVERY
        and order_line.received_quantity == order_line.confirmed_quantity
        and not order_line.shipment_lines.filter(received_quantity__isnull=True).exists()
    ):
        LINE_WORKFLOW.move(order_line, "deliver", ProcurementError)
        order_line.delivered_at = now


@transaction.atomic
def line_short_close(*, actor, line: OrderLine, reason: str = "") -> OrderLine:
    """Cancel the packs of a confirmed line not shipped yet: the distributor at any time, the buyer once the delivery
    deadline has passed. Packs on their way are still received. Recorded as ``delivery_short`` against the
    distributor and the manufacturer."""
    line = _lock_lines([line.pk])[line.pk]
    now = timezone.now()
    is_buyer = access.is_hospital_user(actor) and actor.organisation_id == line.order.buyer_id
    if not (is_buyer or _may_act_as_distributor(actor, line.distributor_id)):
        raise ProcurementError(_("Only the buyer or the distributor closes a line short."), code="not_party")
    if line.status not in SHIPPABLE_LINE_STATUSES:
        raise ProcurementError(LINE_WORKFLOW.steps["short_close"].refusal, code="bad_status")
    if is_buyer and not _may_act_as_distributor(actor, line.distributor_id) and line.delivery_due > now:
        raise ProcurementError(
            _("The distributor has until %(due)s to deliver: close the line short after that.")
            % {"due": timezone.localtime(line.delivery_due).strftime("%Y-%m-%d %H:%M")},
            code="too_early",
        )
    rest = line.confirmed_quantity - line.shipped_quantity
    if rest <= 0:
        raise ProcurementError(
            _("Every confirmed pack has been shipped: receive or reject them instead."), code="nothing_left"
        )
    reason = reason.strip()
    if not reason:
        raise ProcurementError(_("Say why the line is closed short."), code="no_reason")
    before = audit.snapshot(line, QUANTITY_FIELDS)
    LINE_WORKFLOW.move(line, "short_close", ProcurementError)
    line.short_closed_quantity = rest
    line.short_closed_at = now
    line.short_closed_by = actor
    line.save(update_fields=["status", "short_closed_quantity", "short_closed_at", "short_closed_by"])
    _record_line(actor, line, before, "order.line_short_close", reason)
    SupplyEvent.objects.bulk_create(
        [
            SupplyEvent(
                kind=SupplyEvent.Kind.DELIVERY_SHORT,
                line=line,
                distributor_id=line.distributor_id,
                manufacturer_id=line.product.holder_id,
                occurred_at=now,
            )
        ],
        ignore_conflicts=True,
    )
    other = line.distributor_id if is_buyer else line.order.buyer_id
    notify(
        [
            (
                other,
                "order.line_short_closed",
                {"number": line.order.number, "product": str(line.product), "packs": rest},
                f"/trading/orders/{line.order_id}/",
            )
        ]
    )
    return line


def _returnable(line: ShipmentLine) -> int:
    pending = sum(line.returns.filter(status=ReturnStatus.REQUESTED).values_list("quantity", flat=True))
    return (line.received_quantity or 0) - line.returned_quantity - pending


def return_request(
    *, actor, line: ShipmentLine, quantity: int, reason: str, request_key: str = ""
) -> tuple[ReturnRequest, bool]:
    """The receiver asks to return received packs of a shipment line; the distributor decides within the rule
    set's working days. Returns the request and whether an earlier request with the same key made it."""

    def earlier():
        return ReturnRequest.objects.filter(requested_by=actor, request_key=request_key).first()

    if request_key and (found := earlier()):
        return found, True
    try:
        with transaction.atomic():
            return _request_return(actor, line, quantity, reason, request_key), False
    except IntegrityError:
        if request_key and (found := earlier()):
            return found, True
        raise


def _request_return(actor, line: ShipmentLine, quantity: int, reason: str, request_key: str) -> ReturnRequest:
    _lock_lines([line.order_line_id])
    line = ShipmentLine.objects.select_for_update(of=("self",)).select_related("shipment__rule_set").get(pk=line.pk)
    if not _is_receiver(actor, line.shipment):
        raise ProcurementError(_("Only the receiving institution returns goods."), code="not_receiver")
    if line.received_quantity is None:
        raise ProcurementError(
            _("Record the receipt first; goods not accepted are rejected there."), code="not_received"
        )
    returnable = _returnable(line)
    if not _is_count(quantity) or not 0 < quantity <= returnable:
        raise ProcurementError(
            _("Return between 1 and the %(count)s packs received and not returned or being returned.")
            % {"count": returnable},
            code="bad_quantity",
        )
    reason = reason.strip()
    if not reason:
        raise ProcurementError(_("Say why the goods are returned."), code="no_reason")
    now = timezone.now()
    days = line.shipment.rule_set.parameters.get("return_decision_working_days") or 5
    request = ReturnRequest.objects.create(
        shipment_line=line,
        quantity=quantity,
        reason=reason,
        requested_at=now,
        requested_by=actor,
        decision_due=working_days_after(days, now),
        request_key=request_key,
    )
    audit.record(actor=actor, action="return.request", instance=request, after=audit.snapshot(request, RETURN_FIELDS))
    notify(
        [
            (
                line.shipment.distributor_id,
                "return.requested",
                {"number": line.shipment.number, "batch": line.batch_number, "packs": quantity},
                _shipment_link(line.shipment_id),
            )
        ]
    )
    return request


def _lock_return(request: ReturnRequest) -> tuple[ReturnRequest, ShipmentLine, OrderLine]:
    order_line = _lock_lines([request.shipment_line.order_line_id])[request.shipment_line.order_line_id]
    line = (
        ShipmentLine.objects.select_for_update(of=("self",))
        .select_related("shipment")
        .get(pk=request.shipment_line_id)
    )
    request = ReturnRequest.objects.select_for_update().get(pk=request.pk)
    return request, line, order_line


def _decide(actor, request: ReturnRequest, step: str, action: str, reason: str = "", **changes) -> ReturnRequest:
    before = audit.snapshot(request, RETURN_FIELDS)
    RETURN_WORKFLOW.move(request, step, ProcurementError)
    for name, value in changes.items():
        setattr(request, name, value)
    request.save()
    audit.record(
        actor=actor,
        action=action,
        instance=request,
        before=before,
        after=audit.snapshot(request, RETURN_FIELDS),
        reason=reason,
    )
    return request


@transaction.atomic
def return_approve(*, actor, request: ReturnRequest) -> ReturnRequest:
    """The distributor approves: the packs count as returned on the shipment line and its order line."""
    request, line, order_line = _lock_return(request)
    if not _may_act_as_distributor(actor, line.shipment.distributor_id):
        raise ProcurementError(_("Only the distributor decides on a return."), code="not_distributor")
    now = timezone.now()
    _decide(actor, request, "approve", "return.approve", decided_at=now, decided_by=actor)
    before_line = audit.snapshot(line, RECEIPT_FIELDS)
    before_order_line = audit.snapshot(order_line, QUANTITY_FIELDS)
    line.returned_quantity += request.quantity
    line.save(update_fields=["returned_quantity"])
    order_line.returned_quantity += request.quantity
    order_line.save(update_fields=["returned_quantity"])
    _feed_completion(order_line, -request.quantity, timezone.localdate(now))
    audit.record(
        actor=actor,
        action="shipment.return",
        instance=line,
        before=before_line,
        after=audit.snapshot(line, RECEIPT_FIELDS),
    )
    _record_line(actor, order_line, before_order_line, "order.line_return", line.shipment.number)
    notify(
        [
            (
                line.shipment.buyer_id,
                "return.approved",
                {"number": line.shipment.number, "batch": line.batch_number, "packs": request.quantity},
                _shipment_link(line.shipment_id),
            )
        ]
    )
    return request


@transaction.atomic
def return_refuse(*, actor, request: ReturnRequest, text: str) -> ReturnRequest:
    request, line, _order_line = _lock_return(request)
    if not _may_act_as_distributor(actor, line.shipment.distributor_id):
        raise ProcurementError(_("Only the distributor decides on a return."), code="not_distributor")
    text = text.strip()
    if not text:
        raise ProcurementError(_("Say why the return is refused."), code="no_reason")
    _decide(
        actor, request, "refuse", "return.refuse", text, decided_at=timezone.now(), decided_by=actor, refusal_text=text
    )
    notify(
        [
            (
                line.shipment.buyer_id,
                "return.refused",
                {"number": line.shipment.number, "batch": line.batch_number, "reason": text},
                _shipment_link(line.shipment_id),
            )
        ]
    )
    return request


@transaction.atomic
def return_withdraw(*, actor, request: ReturnRequest) -> ReturnRequest:
    request, line, _order_line = _lock_return(request)
    if not _is_receiver(actor, line.shipment):
        raise ProcurementError(_("Only the institution that asked withdraws the return."), code="not_receiver")
    return _decide(actor, request, "withdraw", "return.withdraw")
