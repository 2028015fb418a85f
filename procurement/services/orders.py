"""Purchase orders (采购订单, trading-rules.md "Orders"): the buyer's draft plan, its sending (split per distributor,
each line's price and response deadline stored), the buyer's withdrawal before an answer, the distributor's answer
line by line (confirmed quantity with its delivery deadline, or a refusal with its reason), and the scheduler's
cancellation of lines not answered in time, each recorded as a supply event against the distributor.

Deadlines are stored on the rows and compared in the database: an answer after its deadline is refused even if
the expiry task has not run yet."""

import secrets
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access, audit
from accounts.models import Organisation, Role
from credit.selectors.eligibility import purchase_eligibility

from .. import hooks
from ..exceptions import ProcurementError
from ..models import Contract, DistributionRelation, Product
from ..models.trading import (
    LINE_WORKFLOW,
    AgreementLink,
    DeliveryAddress,
    LineRefusal,
    LineStatus,
    OrderLine,
    OrderStatus,
    PurchaseOrder,
    SupplyEvent,
    Urgency,
)
from .distribution import default_rule_set
from .trading_clock import Calendar, due

CENT = Decimal("0.01")
ORDER_FIELDS = ["number", "buyer_id", "address_id", "distributor_id", "urgency", "emergency_reason", "status"]
LINE_FIELDS = [
    "order_id", "product_id", "distributor_id", "quantity", "pack_price", "amount", "agreement_link", "order_class",
    "status", "response_due", "confirmed_quantity", "refusal_reason", "refusal_text", "delivery_due",
]  # fmt: skip


def new_number(now) -> str:
    """``PO`` + the day + 8 random hexadecimal characters: not a count of anyone's orders."""
    return f"PO{timezone.localtime(now):%Y%m%d}{secrets.token_hex(4).upper()}"


def halfway(start, end):
    """When to remind the party that a deadline approaches: half-way between the event and the deadline."""
    return start + (end - start) / 2


def _require_buyer(actor, order: PurchaseOrder) -> None:
    if not access.is_hospital_user(actor) or actor.organisation_id != order.buyer_id:
        raise ProcurementError(_("Only the buyer changes or sends its orders."), code="not_buyer")


def _require_draft(order: PurchaseOrder) -> None:
    if order.status != OrderStatus.DRAFT:
        raise ProcurementError(_("The order has been sent: it can no longer be changed."), code="bad_status")


@transaction.atomic
def order_create(*, actor, address: DeliveryAddress, urgency: str = Urgency.GENERAL, emergency_reason: str = ""):
    """A draft order for one of the buyer's delivery addresses (the buyer's plan until it is sent)."""
    if not access.is_hospital_user(actor) or address.organisation_id != actor.organisation_id:
        raise ProcurementError(_("Order for one of your own delivery addresses."), code="not_buyer")
    if not address.is_active:
        raise ProcurementError(_("This delivery address is not in use."), code="address_inactive")
    emergency_reason = emergency_reason.strip()
    if urgency not in Urgency.values:
        raise ProcurementError(_("Choose general or emergency."), code="bad_urgency")
    if urgency == Urgency.EMERGENCY and not emergency_reason:
        raise ProcurementError(_("Say why the order is an emergency."), code="no_reason")
    now = timezone.now()
    order = PurchaseOrder.objects.create(
        number=new_number(now),
        buyer_id=actor.organisation_id,
        address=address,
        urgency=urgency,
        emergency_reason=emergency_reason if urgency == Urgency.EMERGENCY else "",
        rule_set=default_rule_set(),
        created_by=actor,
        created_at=now,
    )
    audit.record(actor=actor, action="order.create", instance=order, after=audit.snapshot(order, ORDER_FIELDS))
    return order


def _lock_order(order: PurchaseOrder) -> PurchaseOrder:
    return (
        PurchaseOrder.objects.select_for_update(of=("self",))
        .select_related("address__county", "rule_set")
        .get(pk=order.pk)
    )


@transaction.atomic
def line_add(*, actor, order: PurchaseOrder, product: Product, distributor: Organisation, quantity: int) -> OrderLine:
    order = _lock_order(order)
    _require_buyer(actor, order)
    _require_draft(order)
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 0 < quantity <= 10_000_000:
        raise ProcurementError(_("Order a whole number of packs, at least 1."), code="bad_quantity")
    line = OrderLine.objects.create(
        order=order, product=product, distributor=distributor, beneficiary_id=order.buyer_id, quantity=quantity
    )
    audit.record(actor=actor, action="order.line_add", instance=line, after=audit.snapshot(line, LINE_FIELDS))
    return line


@transaction.atomic
def line_remove(*, actor, line: OrderLine) -> None:
    order = _lock_order(line.order)
    _require_buyer(actor, order)
    _require_draft(order)
    audit.record(actor=actor, action="order.line_remove", instance=line, before=audit.snapshot(line, LINE_FIELDS))
    OrderLine.objects.filter(pk=line.pk, order=order).delete()


def area_of(address: DeliveryAddress, level: str):
    """The region of the rule set's relation level that holds the address (its county, city or province)."""
    return next((region for region in address.county.lineage() if region.level == level), None)


def offered_distributors(address: DeliveryAddress, product_ids=None, day=None) -> dict[int, list[Organisation]]:
    """The distributors an order to ``address`` may go to for each product (of ``product_ids``, or every product):
    accepted relations in force on the day for the address's area."""
    rule_set = default_rule_set()
    area = area_of(address, rule_set.parameters["relation_area_level"])
    relations = (
        DistributionRelation.objects.effective_on(day or timezone.localdate())
        .filter(area=area, product__is_active=True)
        .select_related("distributor")
        .order_by("distributor__name")
    )
    if product_ids is not None:
        relations = relations.filter(product_id__in=list(product_ids))
    offered = defaultdict(list)
    for relation in relations:
        offered[relation.product_id].append(relation.distributor)
    return dict(offered)


def _pack_price(product: Product, beneficiary: Organisation, prices) -> Decimal | None:
    """The listed price per smallest unit in the beneficiary's city (else province-wide), per pack."""
    listed = prices.get((product.pk, beneficiary.region_id)) or prices.get((product.pk, None))
    if listed is None or listed.suspended:
        return None
    return (Decimal(listed.price) * product.pack_size).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _agreement(line: OrderLine, today) -> tuple[Contract | None, str]:
    contracts = Contract.objects.filter(
        hospital_id=line.beneficiary_id,
        status=Contract.Status.CONFIRMED,
        cycle_start__lte=today,
        cycle_end__gte=today,
        group__eligible_products=line.product_id,
    ).order_by("pk")
    own = contracts.filter(product_id=line.product_id).first()
    if own is not None:
        return own, AgreementLink.CONTRACTED
    other = contracts.first()
    if other is not None:
        return other, AgreementLink.SUBSTITUTION
    return None, AgreementLink.NONE


@transaction.atomic
def order_send(*, actor, order: PurchaseOrder) -> list[PurchaseOrder]:
    """Send a draft: every line is checked (a relation in force for its product, distributor and the address's area;
    the product listed and not suspended; the manufacturer allowed to sell), priced and given its response deadline;
    the lines are split into one order per distributor. All or nothing: one refused line refuses the sending."""
    order = _lock_order(order)
    _require_buyer(actor, order)
    _require_draft(order)
    lines = list(order.lines.select_related("product__holder", "distributor", "beneficiary").order_by("pk"))
    if not lines:
        raise ProcurementError(_("Add at least one product before sending."), code="empty")
    now = timezone.now()
    today = timezone.localdate(now)
    parameters = order.rule_set.parameters
    area = area_of(order.address, parameters["relation_area_level"])
    relations = {
        (relation.product_id, relation.distributor_id): relation
        for relation in DistributionRelation.objects.effective_on(today).filter(
            product_id__in=[line.product_id for line in lines], area=area
        )
    }
    prices = hooks.listed_prices({line.product_id for line in lines})
    calendar = Calendar()
    remote = order.address.is_remote(parameters)
    response_dues = {}
    problems = []
    for line in lines:
        relation = relations.get((line.product_id, line.distributor_id))
        pack_price = _pack_price(line.product, line.beneficiary, prices)
        eligibility = purchase_eligibility(supplier=line.product.holder, product=line.product, at=today)
        if relation is None:
            problems.append(
                _("%(product)s: %(distributor)s has no distribution relation in force for %(area)s.")
                % {"product": line.product, "distributor": line.distributor.name, "area": area.name}
            )
        elif pack_price is None:
            problems.append(_("%(product)s: not listed, or its listing is suspended.") % {"product": line.product})
        elif not eligibility.allowed:
            problems.append(
                _("%(product)s: purchases are restricted (%(reasons)s).")
                % {"product": line.product, "reasons": "; ".join(eligibility.reasons)}
            )
        else:
            line.relation, line.pack_price = relation, pack_price
            line.amount = (pack_price * line.quantity).quantize(CENT, rounding=ROUND_HALF_UP)
            line.contract, line.agreement_link = _agreement(line, today)
            # A remote town or a cold-chain product: the longer deadlines of the order's urgency.
            order_class = f"{order.urgency}{'_remote' if remote or line.product.cold_chain else ''}"
            if order_class not in response_dues:
                response_dues[order_class] = due(parameters, "response", order_class, now, calendar)
            line.order_class, line.response_due = order_class, response_dues[order_class]
            line.response_remind_at = halfway(now, line.response_due)
    if problems:
        raise ProcurementError(" ".join(problems), code="not_sendable")
    by_distributor = defaultdict(list)
    for line in lines:
        by_distributor[line.distributor_id].append(line)
    sent = []
    for index, (distributor_id, group) in enumerate(sorted(by_distributor.items())):
        if index == 0:
            target = order
        else:
            target = PurchaseOrder.objects.create(
                number=new_number(now),
                buyer_id=order.buyer_id,
                address_id=order.address_id,
                urgency=order.urgency,
                emergency_reason=order.emergency_reason,
                rule_set_id=order.rule_set_id,
                created_by=order.created_by,
                created_at=order.created_at,
                split_from=order,
            )
        before = audit.snapshot(target, ORDER_FIELDS)
        target.distributor_id, target.status, target.sent_at, target.sent_by = (
            distributor_id,
            OrderStatus.SENT,
            now,
            actor,
        )
        target.save()
        for line in group:
            LINE_WORKFLOW.move(line, "send", ProcurementError)
            line.order = target
            line.save()
        audit.record(
            actor=actor,
            action="order.send",
            instance=target,
            before=before,
            after=audit.snapshot(target, ORDER_FIELDS),
        )
        sent.append(target)
    return sent


def _lock_line(line: OrderLine) -> OrderLine:
    return (
        OrderLine.objects.select_for_update(of=("self",))
        .select_related("order__rule_set", "order__buyer", "product")
        .get(pk=line.pk)
    )


def _move_line(actor, line: OrderLine, step: str, action: str, reason: str = "", **changes) -> OrderLine:
    before = audit.snapshot(line, LINE_FIELDS)
    LINE_WORKFLOW.move(line, step, ProcurementError)
    for name, value in changes.items():
        setattr(line, name, value)
    line.save()
    audit.record(
        actor=actor,
        action=action,
        instance=line,
        before=before,
        after=audit.snapshot(line, LINE_FIELDS),
        reason=reason,
    )
    return line


@transaction.atomic
def line_withdraw(*, actor, line: OrderLine) -> OrderLine:
    """The buyer takes back a line the distributor has not answered yet (it counts in no rate)."""
    line = _lock_line(line)
    _require_buyer(actor, line.order)
    return _move_line(actor, line, "withdraw", "order.line_withdraw")


def _require_distributor(actor, line: OrderLine) -> None:
    if actor.organisation_id != line.distributor_id or not access.has_role(
        actor, Role.DISTRIBUTOR_USER, Role.SUPPLIER_USER
    ):
        raise ProcurementError(_("Only the distributor the order was sent to answers it."), code="not_distributor")


def _require_in_time(line: OrderLine, now) -> None:
    if line.status == LineStatus.SENT and line.response_due <= now:
        raise ProcurementError(
            _("The time to answer ended at %(due)s: the line is cancelled.")
            % {"due": timezone.localtime(line.response_due).strftime("%Y-%m-%d %H:%M")},
            code="too_late",
        )


@transaction.atomic
def line_confirm(*, actor, line: OrderLine, quantity: int, reason: str = "", text: str = "") -> OrderLine:
    """The distributor confirms 1 … the ordered packs before the deadline; a shortfall is refused with a reason. The
    delivery deadline starts now."""
    line = _lock_line(line)
    _require_distributor(actor, line)
    now = timezone.now()
    _require_in_time(line, now)
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 0 < quantity <= line.quantity:
        raise ProcurementError(
            _("Confirm between 1 and %(ordered)s packs (refuse the line to deliver none).")
            % {"ordered": line.quantity},
            code="bad_quantity",
        )
    text = text.strip()
    if quantity < line.quantity and (reason not in LineRefusal.values or (reason == LineRefusal.OTHER and not text)):
        raise ProcurementError(_("Give the reason why the rest cannot be delivered."), code="no_reason")
    delivery_due = due(line.order.rule_set.parameters, "delivery", line.order_class, now)
    shortfall = quantity < line.quantity
    return _move_line(
        actor,
        line,
        "confirm",
        "order.line_confirm",
        reason=text,
        confirmed_quantity=quantity,
        refusal_reason=reason if shortfall else "",
        refusal_text=text if shortfall else "",
        responded_at=now,
        responded_by=actor,
        delivery_due=delivery_due,
        delivery_remind_at=halfway(now, delivery_due),
    )


@transaction.atomic
def line_refuse(*, actor, line: OrderLine, reason: str, text: str = "") -> OrderLine:
    line = _lock_line(line)
    _require_distributor(actor, line)
    now = timezone.now()
    _require_in_time(line, now)
    text = text.strip()
    if reason not in LineRefusal.values or (reason == LineRefusal.OTHER and not text):
        raise ProcurementError(_("Choose the reason for the refusal (and explain “other”)."), code="no_reason")
    return _move_line(
        actor,
        line,
        "refuse",
        "order.line_refuse",
        reason=text,
        refusal_reason=reason,
        refusal_text=text,
        responded_at=now,
        responded_by=actor,
    )


def lines_expire(now=None, chunk: int = 5000) -> int:
    """Cancel every line still awaiting its answer at its deadline, and record a ``response_expired`` supply event
    against its distributor (the scheduler runs this every minute; running it twice changes nothing)."""
    now = now or timezone.now()
    expired = 0
    while True:
        with transaction.atomic():
            rows = list(
                OrderLine.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(status=LineStatus.SENT, response_due__lte=now)
                .order_by("response_due", "pk")
                .values_list("pk", "distributor_id", "product__holder_id", "response_due", "order__number")[:chunk]
            )
            if not rows:
                return expired
            ids = [row[0] for row in rows]
            OrderLine.objects.filter(pk__in=ids, status=LineStatus.SENT).update(status=LineStatus.EXPIRED)
            SupplyEvent.objects.bulk_create(
                [
                    SupplyEvent(
                        kind=SupplyEvent.Kind.RESPONSE_EXPIRED,
                        line_id=pk,
                        distributor_id=distributor_id,
                        manufacturer_id=manufacturer_id,
                        occurred_at=response_due,
                    )
                    for pk, distributor_id, manufacturer_id, response_due, _number in rows
                ],
                ignore_conflicts=True,
            )
            audit.record_many(
                [
                    audit.entry_for(
                        actor=None,
                        action="order.line_expire",
                        instance=OrderLine(pk=pk, order=PurchaseOrder(number=number)),
                        before={"status": LineStatus.SENT},
                        after={"status": LineStatus.EXPIRED},
                    )
                    for pk, _distributor, _manufacturer, _due, number in rows
                ]
            )
            expired += len(rows)


def order_submit(
    *,
    actor,
    address: DeliveryAddress,
    lines: list[tuple[Product, Organisation, int]],
    urgency: str = Urgency.GENERAL,
    emergency_reason: str = "",
    send: bool = True,
    request_key: str = "",
) -> tuple[list[PurchaseOrder], bool]:
    """An order with its lines in one request (the hospital information system's message), sent at once unless
    ``send`` is false. All or nothing. Returns the orders (one per distributor once sent) and whether they were made
    by an earlier request with the same ``request_key`` (a retry changes nothing)."""

    def earlier():
        first = PurchaseOrder.objects.filter(buyer_id=actor.organisation_id, request_key=request_key).first()
        return None if first is None else [first, *PurchaseOrder.objects.filter(split_from=first).order_by("pk")]

    if request_key and (found := earlier()):
        return found, True
    if not lines:
        raise ProcurementError(_("Add at least one product."), code="empty")
    try:
        with transaction.atomic():
            order = order_create(actor=actor, address=address, urgency=urgency, emergency_reason=emergency_reason)
            if request_key:
                PurchaseOrder.objects.filter(pk=order.pk).update(request_key=request_key)
            for product, distributor, quantity in lines:
                line_add(actor=actor, order=order, product=product, distributor=distributor, quantity=quantity)
            return (order_send(actor=actor, order=order) if send else [order]), False
    except IntegrityError:
        # The same request arrived twice at once: the other one made the orders.
        if request_key and (found := earlier()):
            return found, True
        raise


@transaction.atomic
def order_reorder(*, actor, order: PurchaseOrder) -> tuple[PurchaseOrder, list[Product]]:
    """A new draft for the same address and urgency with the lines of a sent order (same products, distributors and
    quantities), for the buyer to check and send. Lines whose distributor no longer serves the address for the product
    are left out and returned, so the page can say which."""
    _require_buyer(actor, order)
    if order.status == OrderStatus.DRAFT:
        raise ProcurementError(_("This order is still a draft: send it or change it."), code="bad_status")
    lines = list(order.lines.select_related("product", "distributor").order_by("pk"))
    offered = offered_distributors(order.address, {line.product_id for line in lines})
    kept = [line for line in lines if line.distributor in offered.get(line.product_id, [])]
    if not kept:
        raise ProcurementError(
            _("None of these products is offered for this address any more: start a new order."), code="not_offered"
        )
    draft = order_create(
        actor=actor, address=order.address, urgency=order.urgency, emergency_reason=order.emergency_reason
    )
    for line in kept:
        line_add(actor=actor, order=draft, product=line.product, distributor=line.distributor, quantity=line.quantity)
    return draft, [line.product for line in lines if line not in kept]


def order_template_rows(buyer: Organisation) -> list[list]:
    """The order spreadsheet's rows: each delivery address in use × each product offered there × its distributors."""
    rows = []
    for address in buyer.delivery_addresses.filter(is_active=True).order_by("name"):
        offered = offered_distributors(address)
        products = Product.objects.in_bulk(list(offered))
        for product_id, distributors in sorted(offered.items(), key=lambda item: str(products[item[0]])):
            for distributor in distributors:
                product = products[product_id]
                rows.append([address.name, product.national_drug_code, str(product), distributor.code,
                             distributor.name, None])  # fmt: skip
    return rows


def order_upload(*, actor, filename: str, content: bytes, request_key: str = "") -> tuple[list[PurchaseOrder], list]:
    """Draft orders from the order spreadsheet, one per delivery address, for the buyer to check and send. Every row
    is checked first; any error stores nothing and is returned with its line. A second upload under the same
    ``request_key`` (a double submit) returns the drafts of the first."""
    from core.spreadsheets import RowError, parse_sheet

    from ..io.order_upload import ORDER_COLUMNS

    if not access.is_hospital_user(actor):
        raise ProcurementError(_("Only an institution orders."), code="not_buyer")
    if request_key and (
        earlier := list(
            PurchaseOrder.objects.filter(buyer_id=actor.organisation_id, request_key__startswith=f"{request_key}:")
        )
    ):
        return earlier, []
    parsed = parse_sheet(filename, content, ORDER_COLUMNS)
    errors = list(parsed.errors)
    addresses = {address.name: address for address in actor.organisation.delivery_addresses.filter(is_active=True)}
    codes = {row["product"] for _line, row in parsed.rows}
    products = {
        product.national_drug_code: product for product in Product.objects.filter(national_drug_code__in=codes)
    }
    distributors = {
        organisation.code: organisation
        for organisation in Organisation.objects.filter(code__in={row["distributor"] for _line, row in parsed.rows})
    }
    offers = {name: offered_distributors(address) for name, address in addresses.items()}
    plan: dict[str, list] = defaultdict(list)
    headers = {column.key: str(column.header) for column in ORDER_COLUMNS}
    for line, row in parsed.rows:
        address, product = addresses.get(row["address"]), products.get(row["product"])
        distributor = distributors.get(row["distributor"])
        if address is None:
            errors.append(RowError(line, headers["address"], _("Not one of your delivery addresses in use.")))
        elif product is None:
            errors.append(RowError(line, headers["product"], _("No product with this code.")))
        elif distributor is None or distributor not in offers[row["address"]].get(product.pk, []):
            errors.append(
                RowError(
                    line, headers["distributor"], _("This distributor does not serve the address for the product.")
                )
            )
        else:
            plan[row["address"]].append((product, distributor, row["quantity"]))
    if errors:
        return [], errors
    made = []
    with transaction.atomic():
        for index, (name, lines) in enumerate(sorted(plan.items())):
            order = order_create(actor=actor, address=addresses[name])
            if request_key:
                PurchaseOrder.objects.filter(pk=order.pk).update(request_key=f"{request_key}:{index}"[:100])
            for product, distributor, quantity in lines:
                line_add(actor=actor, order=order, product=product, distributor=distributor, quantity=quantity)
            made.append(order)
    return made, []
