"""Pages of trading: the distribution relations (配送关系) a manufacturer proposes and a distributor answers, and the
trading rule sets they follow. Views parse and present; services decide."""

import secrets

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, Min, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access, audit
from accounts.models import Region, Role
from core.params import InvalidParameter, filtered, id_list_param
from core.web import perform, refusals_on

from ..engines.trading import CLOCK_LABELS, ORDER_CLASS_LABELS, ORDER_CLASSES
from ..exceptions import ProcurementError
from ..filters import DistributionRelationFilter
from ..models import DeliveryAddress, DistributionRelation, OrderLine, Product, PurchaseOrder, TradingRuleSet
from ..models.trading import (
    LINE_WORKFLOW,
    SHIPPABLE_LINE_STATUSES,
    LineStatus,
    OrderStatus,
    RelationStatus,
    ReturnRequest,
    ReturnStatus,
    Shipment,
    ShipmentLine,
    ShipmentStatus,
)
from ..services import addresses as address_services
from ..services import distribution as services
from ..services import orders as order_services
from ..services import shipments as shipment_services
from .forms import (
    ArriveForm,
    DeliveryAddressForm,
    LineConfirmForm,
    LineRefuseForm,
    OrderForm,
    OrderLineForm,
    ReceiptForm,
    RelationForm,
    RelationRefuseForm,
    RelationRevokeForm,
    ReturnForm,
    ReturnRefuseForm,
    ShipLineForm,
    ShortCloseForm,
)

RELATION_ROLES = access.AUTHORITY_ROLES | {Role.SUPPLIER_USER, Role.DISTRIBUTOR_USER}


def _relations(request):
    return DistributionRelation.objects.visible_to(request.user).select_related(
        "product", "area__parent", "manufacturer", "distributor"
    )


def _relation(request, pk) -> DistributionRelation:
    return get_object_or_404(_relations(request).select_related("rule_set"), pk=pk)


@access.require_roles(RELATION_ROLES)
def relation_list(request):
    relations = filtered(DistributionRelationFilter(request.GET, queryset=_relations(request)))
    page = Paginator(relations, 50).get_page(request.GET.get("page"))
    user = request.user
    return render(
        request,
        "procurement/relation_list.html",
        {
            "page": page,
            "statuses": RelationStatus.choices,
            "can_propose": access.is_supplier_user(user),
            "can_revoke_bulk": access.is_procurement_officer(user),
            "revoke_form": RelationRevokeForm(initial={"from_day": timezone.localdate()}),
        },
    )


@access.require_roles({Role.SUPPLIER_USER})
def relation_create(request):
    rule_set = services.default_rule_set()
    form = RelationForm(
        request.POST or None,
        manufacturer=request.user.organisation,
        area_level=rule_set.parameters["relation_area_level"],
        initial={"valid_from": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        propose = request.POST.get("action") != "draft"
        relation = None
        with refusals_on(form):
            relation = services.relation_create(actor=request.user, propose=propose, **form.cleaned_data)
        if form.is_valid() and relation is not None:
            messages.success(
                request,
                _("The relation was proposed to %(name)s.") % {"name": relation.distributor.name}
                if propose
                else _("The relation was saved as a draft."),
            )
            return redirect("trading:relation_detail", pk=relation.pk)
    area_level = Region.Level(rule_set.parameters["relation_area_level"]).label
    return render(
        request, "procurement/relation_form.html", {"form": form, "rule_set": rule_set, "area_level": area_level}
    )


@access.require_roles(RELATION_ROLES)
def relation_detail(request, pk):
    relation = _relation(request, pk)
    user = request.user
    steps = relation.steps()
    is_manufacturer = access.is_supplier_user(user) and user.organisation_id == relation.manufacturer_id
    is_distributor = user.organisation_id == relation.distributor_id and access.has_role(
        user, Role.DISTRIBUTOR_USER, Role.SUPPLIER_USER
    )
    return render(
        request,
        "procurement/relation_detail.html",
        {
            "relation": relation,
            "can_propose": is_manufacturer and "propose" in steps,
            "can_delete": is_manufacturer and relation.status == RelationStatus.DRAFT,
            "can_answer": is_distributor and "accept" in steps,
            "can_revoke": "revoke" in steps and services.may_revoke(user, relation),
            "refuse_form": RelationRefuseForm(),
            "revoke_form": RelationRevokeForm(initial={"from_day": timezone.localdate()}),
            "trail": audit.trail(relation),
            "same_area": _relations(request)
            .filter(product_id=relation.product_id, area_id=relation.area_id)
            .exclude(pk=relation.pk)[:20],
        },
    )


def _submit(request, form, action, success) -> None:
    """A small form posted from a page's button (refuse, revoke, answer): run ``action(**cleaned_data)`` and say
    ``success`` (a text, or a function of the action's result), or say why not; the page redirects either way."""
    result = None
    if form.is_valid():
        with refusals_on(form):
            result = action(**form.cleaned_data)
    if form.is_valid():
        messages.success(request, success(result) if callable(success) else success)
    else:
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))


def _go_back(relation):
    return f"/trading/relations/{relation.pk}/"


@require_POST
@access.require_roles({Role.SUPPLIER_USER})
def relation_propose(request, pk):
    relation = _relation(request, pk)
    return perform(
        request,
        lambda: services.relation_propose(actor=request.user, relation=relation),
        _("The relation was proposed to %(name)s.") % {"name": relation.distributor.name},
        _go_back(relation),
    )


@require_POST
@access.require_roles({Role.SUPPLIER_USER})
def relation_delete(request, pk):
    relation = _relation(request, pk)
    return perform(
        request,
        lambda: services.relation_delete_draft(actor=request.user, relation=relation),
        _("The draft was deleted."),
        "trading:relation_list",
    )


@require_POST
@access.require_roles({Role.DISTRIBUTOR_USER, Role.SUPPLIER_USER})
def relation_accept(request, pk):
    relation = _relation(request, pk)
    return perform(
        request,
        lambda: services.relation_accept(actor=request.user, relation=relation),
        _("You accepted the relation: orders for this product in this area can be sent to you."),
        _go_back(relation),
    )


@require_POST
@access.require_roles({Role.DISTRIBUTOR_USER, Role.SUPPLIER_USER})
def relation_refuse(request, pk):
    relation = _relation(request, pk)
    _submit(
        request,
        RelationRefuseForm(request.POST),
        lambda **values: services.relation_refuse(actor=request.user, relation=relation, **values),
        _("You refused the relation; the manufacturer is told why."),
    )
    return redirect(_go_back(relation))


@require_POST
@access.require_roles(access.PROCUREMENT_OFFICER_ROLES | {Role.SUPPLIER_USER, Role.DISTRIBUTOR_USER})
def relation_revoke(request, pk):
    relation = _relation(request, pk)
    _submit(
        request,
        RelationRevokeForm(request.POST),
        lambda **values: services.relation_revoke(actor=request.user, relation=relation, **values),
        lambda revoked: _("The relation is revoked from %(day)s.") % {"day": revoked.revoked_from},
    )
    return redirect(_go_back(relation))


@require_POST
@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
def relations_revoke_bulk(request):
    ids = id_list_param(request.POST, "relation", label=_("Relations"))
    _submit(
        request,
        RelationRevokeForm(request.POST),
        lambda **values: services.relations_revoke_bulk(actor=request.user, relation_ids=ids, **values),
        lambda count: _("%(count)s relations revoked.") % {"count": count},
    )
    return redirect("trading:relation_list")


@access.require_roles(RELATION_ROLES | {Role.HOSPITAL_USER})
def trading_rule_sets(request):
    rule_sets = TradingRuleSet.objects.all()
    rows = []
    for rule_set in rule_sets:
        parameters = rule_set.parameters
        spans = [
            {
                "label": ORDER_CLASS_LABELS[order_class],
                "response": _span_text(parameters["response"][order_class]),
                "delivery": _span_text(parameters["delivery"][order_class]),
            }
            for order_class in ORDER_CLASSES
        ]
        rows.append(
            {
                "rule_set": rule_set,
                "spans": spans,
                "parameters": parameters,
                "area_level": Region.Level(parameters["relation_area_level"]).label,
            }
        )
    return render(request, "procurement/trading_rule_sets.html", {"rows": rows})


def _span_text(span: dict) -> str:
    return f"{span['amount']} {CLOCK_LABELS[span['clock']]}"


ADDRESS_ROLES = access.AUTHORITY_ROLES | {Role.HOSPITAL_USER}
ADDRESS_EDITORS = access.PROCUREMENT_OFFICER_ROLES | {Role.HOSPITAL_USER}


@access.require_roles(ADDRESS_ROLES)
def address_list(request):
    addresses = DeliveryAddress.objects.visible_to(request.user).select_related("organisation", "county__parent")
    query = (request.GET.get("q") or "").strip()[:100]
    if query:
        addresses = addresses.filter(Q(organisation__name__icontains=query) | Q(name__icontains=query))
    return render(
        request,
        "procurement/address_list.html",
        {
            "page": Paginator(addresses, 50).get_page(request.GET.get("page")),
            "can_edit": access.has_role(request.user, *ADDRESS_EDITORS),
            "remote_km": services.default_rule_set().parameters["remote_km"],
        },
    )


@access.require_roles(ADDRESS_EDITORS)
def address_create(request):
    officer = access.is_procurement_officer(request.user)
    form = DeliveryAddressForm(request.POST or None, choose_institution=officer)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        organisation = values.pop("organisation", None) or request.user.organisation
        with refusals_on(form):
            address_services.address_create(actor=request.user, organisation=organisation, **values)
        if form.is_valid():
            messages.success(request, _("The delivery address was added."))
            return redirect("trading:address_list")
    return render(request, "procurement/address_form.html", {"form": form})


@access.require_roles(ADDRESS_EDITORS)
def address_edit(request, pk):
    address = get_object_or_404(DeliveryAddress.objects.visible_to(request.user), pk=pk)
    form = DeliveryAddressForm(request.POST or None, instance=address)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            address_services.address_update(actor=request.user, address=address, **form.cleaned_data)
        if form.is_valid():
            messages.success(request, _("The delivery address was saved."))
            return redirect("trading:address_list")
    return render(
        request, "procurement/address_form.html", {"form": form, "address": address, "trail": audit.trail(address)}
    )


ORDER_ROLES = access.AUTHORITY_ROLES | {Role.HOSPITAL_USER, Role.DISTRIBUTOR_USER, Role.SUPPLIER_USER}


def _orders(request):
    return PurchaseOrder.objects.visible_to(request.user).select_related("buyer", "distributor", "address__county")


@access.require_roles(ORDER_ROLES)
def order_list(request):
    orders = (
        _orders(request)
        .annotate(
            line_count=Count("lines"),
            awaiting=Count("lines", filter=Q(lines__status=LineStatus.SENT)),
            next_due=Min("lines__response_due", filter=Q(lines__status=LineStatus.SENT)),
            total=Sum("lines__amount"),
        )
        .order_by("-created_at", "-pk")
    )
    status = request.GET.get("status") or ""
    if status == "awaiting":
        orders = orders.filter(awaiting__gt=0)
    elif status == "to_ship":
        orders = orders.filter(
            pk__in=OrderLine.objects.visible_to(request.user)
            .filter(
                status__in=SHIPPABLE_LINE_STATUSES,
                confirmed_quantity__gt=F("shipped_quantity") + F("short_closed_quantity"),
            )
            .values("order_id")
        )
    elif status in OrderStatus.values:
        orders = orders.filter(status=status)
    elif status:
        raise InvalidParameter(_("Unknown status “%(value)s”.") % {"value": status[:40]})
    return render(
        request,
        "procurement/order_list.html",
        {
            "page": Paginator(orders, 50).get_page(request.GET.get("page")),
            "can_order": access.is_hospital_user(request.user),
            "now": timezone.now(),
        },
    )


@access.require_roles({Role.HOSPITAL_USER})
def order_create(request):
    form = OrderForm(request.POST or None, buyer=request.user.organisation)
    if request.method == "POST" and form.is_valid():
        order = None
        with refusals_on(form):
            order = order_services.order_create(actor=request.user, **form.cleaned_data)
        if form.is_valid() and order is not None:
            return redirect("trading:order_detail", pk=order.pk)
    return render(request, "procurement/order_form.html", {"form": form})


def _order(request, pk) -> PurchaseOrder:
    return get_object_or_404(_orders(request).select_related("rule_set"), pk=pk)


def _line_form(order, data=None):
    lines = order_services.offered_distributors(order.address)
    products = Product.objects.in_bulk(list(lines))
    offers = [
        (products[product_id], distributor)
        for product_id, distributors in sorted(lines.items(), key=lambda item: str(products[item[0]]))
        for distributor in distributors
    ]
    return OrderLineForm(data, offers=offers)


@access.require_roles(ORDER_ROLES)
def order_detail(request, pk):
    order = _order(request, pk)
    user = request.user
    is_buyer = access.is_hospital_user(user) and user.organisation_id == order.buyer_id
    lines = order.lines.visible_to(user).select_related("product", "distributor", "contract").order_by("pk")
    now = timezone.now()
    rows = [
        {
            "line": line,
            "can_withdraw": is_buyer and "withdraw" in LINE_WORKFLOW.steps_from(line.status),
            "can_answer": line.status == LineStatus.SENT
            and line.response_due > now
            and user.organisation_id == line.distributor_id
            and access.has_role(user, Role.DISTRIBUTOR_USER, Role.SUPPLIER_USER),
            "overdue": line.status == LineStatus.SENT and line.response_due <= now,
        }
        for line in lines
    ]
    is_shipper = access.has_role(user, *SHIPPER_ROLES)
    for row in rows:
        line = row["line"]
        open_line = line.status in SHIPPABLE_LINE_STATUSES and line.confirmed_quantity > line.shipped_quantity
        row["can_close"] = open_line and (
            (is_shipper and user.organisation_id == line.distributor_id)
            or (is_buyer and line.delivery_due is not None and line.delivery_due <= now)
        )
    draft = order.status == OrderStatus.DRAFT
    shipments = (
        Shipment.objects.visible_to(user)
        .filter(lines__order_line__order=order)
        .distinct()
        .order_by("dispatched_at", "pk")
    )
    return render(
        request,
        "procurement/order_detail.html",
        {
            "order": order,
            "rows": rows,
            "is_buyer": is_buyer,
            "can_edit": is_buyer and draft,
            "can_reorder": is_buyer and not draft,
            "line_form": _line_form(order) if is_buyer and draft else None,
            "can_ship": is_shipper
            and any(
                row["line"].distributor_id == user.organisation_id
                and row["line"].status in SHIPPABLE_LINE_STATUSES
                and row["line"].confirmed_quantity > row["line"].shipped_quantity
                for row in rows
            ),
            "shipments": shipments,
            "close_form": ShortCloseForm(),
            "confirm_form": LineConfirmForm(),
            "refuse_form": LineRefuseForm(),
            "total": sum((row["line"].amount or 0) for row in rows),
            "trail": audit.trail(order, *lines),
        },
    )


@require_POST
@access.require_roles({Role.HOSPITAL_USER})
def order_line_add(request, pk):
    order = _order(request, pk)
    _submit(
        request,
        _line_form(order, request.POST),
        lambda offer, quantity: order_services.line_add(
            actor=request.user, order=order, product=offer[0], distributor=offer[1], quantity=quantity
        ),
        _("The product was added."),
    )
    return redirect("trading:order_detail", pk=order.pk)


def _line(request, pk) -> OrderLine:
    return get_object_or_404(OrderLine.objects.visible_to(request.user).select_related("order", "product"), pk=pk)


@require_POST
@access.require_roles({Role.HOSPITAL_USER})
def order_line_remove(request, pk):
    line = _line(request, pk)
    return perform(
        request,
        lambda: order_services.line_remove(actor=request.user, line=line),
        _("The line was removed."),
        "trading:order_detail",
        pk=line.order_id,
    )


@require_POST
@access.require_roles({Role.HOSPITAL_USER})
def order_send(request, pk):
    order = _order(request, pk)
    sent = []

    def send():
        sent.extend(order_services.order_send(actor=request.user, order=order))

    response = perform(request, send, _("The order was sent."), "trading:order_detail", pk=order.pk)
    if len(sent) > 1:
        messages.info(
            request,
            _("It went out as %(count)s orders, one per distributor: %(numbers)s.")
            % {"count": len(sent), "numbers": ", ".join(o.number for o in sent)},
        )
    return response


@require_POST
@access.require_roles({Role.HOSPITAL_USER})
def order_line_withdraw(request, pk):
    line = _line(request, pk)
    return perform(
        request,
        lambda: order_services.line_withdraw(actor=request.user, line=line),
        _("The line was withdrawn."),
        "trading:order_detail",
        pk=line.order_id,
    )


def _answer(request, line, form, action, success):
    _submit(request, form, action, success)
    return redirect("trading:order_detail", pk=line.order_id)


@require_POST
@access.require_roles({Role.DISTRIBUTOR_USER, Role.SUPPLIER_USER})
def order_line_confirm(request, pk):
    line = _line(request, pk)
    return _answer(
        request,
        line,
        LineConfirmForm(request.POST),
        lambda **values: order_services.line_confirm(actor=request.user, line=line, **values),
        _("You confirmed the line: deliver it by the delivery deadline shown."),
    )


@require_POST
@access.require_roles({Role.DISTRIBUTOR_USER, Role.SUPPLIER_USER})
def order_line_refuse(request, pk):
    line = _line(request, pk)
    return _answer(
        request,
        line,
        LineRefuseForm(request.POST),
        lambda **values: order_services.line_refuse(actor=request.user, line=line, **values),
        _("You refused the line; the buyer sees why."),
    )


SHIPPER_ROLES = {Role.DISTRIBUTOR_USER, Role.SUPPLIER_USER}


@require_POST
@access.require_roles({Role.HOSPITAL_USER} | SHIPPER_ROLES)
def order_line_short_close(request, pk):
    line = _line(request, pk)
    return _answer(
        request,
        line,
        ShortCloseForm(request.POST),
        lambda reason: shipment_services.line_short_close(actor=request.user, line=line, reason=reason),
        _("The line was closed short: the packs not shipped will not be delivered."),
    )


def _owed(line: OrderLine) -> int:
    return line.confirmed_quantity - line.shipped_quantity - line.short_closed_quantity


@access.require_roles(SHIPPER_ROLES)
def order_ship(request, pk):
    """The distributor's delivery note for an order: packs, batch, expiry and the manufacturer's invoice per line."""
    order = _order(request, pk)
    lines = [
        line
        for line in order.lines.visible_to(request.user).select_related("product").order_by("pk")
        if line.distributor_id == request.user.organisation_id
        and line.status in SHIPPABLE_LINE_STATUSES
        and _owed(line) > 0
    ]
    if not lines:
        messages.error(request, _("Nothing of this order is waiting to be shipped by you."))
        return redirect("trading:order_detail", pk=order.pk)
    data = request.POST if request.method == "POST" else None
    rows = [
        (line, _owed(line), ShipLineForm(data, prefix=f"line-{line.pk}", initial={"quantity": _owed(line)}))
        for line in lines
    ]
    error = ""
    if data is not None and all(form.is_valid() for _line, _owed_packs, form in rows):
        ships = [
            shipment_services.ShipLine(
                order_line=line,
                quantity=form.cleaned_data["quantity"],
                batch_number=form.cleaned_data["batch_number"],
                expiry_date=form.cleaned_data["expiry_date"],
                upstream_invoice=form.cleaned_data["upstream_invoice"],
            )
            for line, _owed_packs, form in rows
            if form.cleaned_data["quantity"]
        ]
        if not ships:
            error = _("Enter the packs of at least one line.")
        else:
            try:
                shipment, _replayed, warnings = shipment_services.shipment_create(
                    actor=request.user, lines=ships, request_key=request.POST.get("request_key", "")[:100]
                )
            except ProcurementError as refusal:
                error = refusal.message
            else:
                for warning in warnings:
                    messages.warning(request, warning)
                messages.success(request, _("Delivery note %(number)s is on its way.") % {"number": shipment.number})
                return redirect("trading:shipment_detail", pk=shipment.pk)
    return render(
        request,
        "procurement/order_ship.html",
        {
            "order": order,
            "rows": rows,
            "error": error,
            "request_key": request.POST.get("request_key") if data is not None else secrets.token_hex(16),
        },
    )


def _shipments(request):
    return Shipment.objects.visible_to(request.user).select_related("distributor", "buyer", "address__county")


@access.require_roles(ORDER_ROLES)
def shipment_list(request):
    shipments = _shipments(request).annotate(
        line_count=Count("lines"),
        packs=Sum("lines__quantity"),
        waiting=Count("lines", filter=Q(lines__received_quantity__isnull=True)),
    )
    status = request.GET.get("status") or ""
    if status in ShipmentStatus.values:
        shipments = shipments.filter(status=status)
    elif status == "to_receive":
        shipments = shipments.exclude(status=ShipmentStatus.RECEIVED)
    elif status:
        raise InvalidParameter(_("Unknown status “%(value)s”.") % {"value": status[:40]})
    return render(
        request,
        "procurement/shipment_list.html",
        {
            "page": Paginator(shipments.order_by("-dispatched_at", "-pk"), 50).get_page(request.GET.get("page")),
            "status": status,
            "statuses": ShipmentStatus.choices,
        },
    )


def _shipment(request, pk) -> Shipment:
    return get_object_or_404(_shipments(request).select_related("rule_set"), pk=pk)


@access.require_roles(ORDER_ROLES)
def shipment_detail(request, pk):
    shipment = _shipment(request, pk)
    user = request.user
    is_receiver = access.is_hospital_user(user) and user.organisation_id == shipment.buyer_id
    is_shipper = access.has_role(user, *SHIPPER_ROLES) and user.organisation_id == shipment.distributor_id
    lines = list(
        shipment.lines.select_related("order_line__product", "order_line__order")
        .prefetch_related("returns")
        .order_by("pk")
    )
    now = timezone.now()
    rows = []
    for line in lines:
        returns = sorted(line.returns.all(), key=lambda item: item.pk)
        pending = sum(item.quantity for item in returns if item.status == ReturnStatus.REQUESTED)
        returnable = (line.received_quantity or 0) - line.returned_quantity - pending
        rows.append(
            {
                "line": line,
                "returns": returns,
                "can_receive": is_receiver and line.received_quantity is None,
                "can_correct": is_receiver
                and line.received_quantity is not None
                and not returns
                and line.order_line.status not in (LineStatus.DELIVERED, LineStatus.SHORT_CLOSED),
                "returnable": returnable if is_receiver else 0,
            }
        )
    arrival = shipment.arrived_at or now
    return render(
        request,
        "procurement/shipment_detail.html",
        {
            "shipment": shipment,
            "rows": rows,
            "is_receiver": is_receiver,
            "is_shipper": is_shipper,
            "can_arrive": is_shipper and shipment.status == ShipmentStatus.IN_TRANSIT,
            "arrive_form": ArriveForm(initial={"arrived_at": timezone.localtime(now)}),
            "arrival_value": timezone.localtime(arrival).strftime("%Y-%m-%dT%H:%M"),
            "receipt_form": ReceiptForm(),
            "return_form": ReturnForm(),
            "refuse_form": ReturnRefuseForm(),
            "total": sum(line.quantity * line.pack_price for line in lines),
            "trail": audit.trail(shipment, *lines),
        },
    )


def _back_to(shipment_id):
    return redirect("trading:shipment_detail", pk=shipment_id)


@require_POST
@access.require_roles(SHIPPER_ROLES)
def shipment_arrive(request, pk):
    shipment = _shipment(request, pk)
    _submit(
        request,
        ArriveForm(request.POST),
        lambda arrived_at: shipment_services.shipment_arrive(
            actor=request.user, shipment=shipment, arrived_at=arrived_at
        ),
        _("The arrival is stated: the receiver confirms it at receipt."),
    )
    return _back_to(shipment.pk)


def _shipment_line(request, pk) -> ShipmentLine:
    return get_object_or_404(ShipmentLine.objects.visible_to(request.user).select_related("shipment"), pk=pk)


@require_POST
@access.require_roles({Role.HOSPITAL_USER})
def shipment_line_receive(request, pk):
    line = _shipment_line(request, pk)
    _submit(
        request,
        ReceiptForm(request.POST),
        lambda **values: shipment_services.receipt_record(actor=request.user, line=line, **values),
        _("The receipt is recorded."),
    )
    return _back_to(line.shipment_id)


@require_POST
@access.require_roles({Role.HOSPITAL_USER})
def shipment_line_return(request, pk):
    line = _shipment_line(request, pk)
    _submit(
        request,
        ReturnForm(request.POST),
        lambda **values: shipment_services.return_request(actor=request.user, line=line, **values),
        _("The return is asked: the distributor approves or refuses it."),
    )
    return _back_to(line.shipment_id)


def _return(request, pk) -> ReturnRequest:
    return get_object_or_404(
        ReturnRequest.objects.visible_to(request.user).select_related("shipment_line__shipment"), pk=pk
    )


@require_POST
@access.require_roles(SHIPPER_ROLES)
def return_approve(request, pk):
    returned = _return(request, pk)
    return perform(
        request,
        lambda: shipment_services.return_approve(actor=request.user, request=returned),
        _("The return is approved."),
        "trading:shipment_detail",
        pk=returned.shipment_line.shipment_id,
    )


@require_POST
@access.require_roles(SHIPPER_ROLES)
def return_refuse(request, pk):
    returned = _return(request, pk)
    _submit(
        request,
        ReturnRefuseForm(request.POST),
        lambda text: shipment_services.return_refuse(actor=request.user, request=returned, text=text),
        _("The return is refused; the institution sees why."),
    )
    return _back_to(returned.shipment_line.shipment_id)


@require_POST
@access.require_roles({Role.HOSPITAL_USER})
def return_withdraw(request, pk):
    returned = _return(request, pk)
    return perform(
        request,
        lambda: shipment_services.return_withdraw(actor=request.user, request=returned),
        _("The return is withdrawn."),
        "trading:shipment_detail",
        pk=returned.shipment_line.shipment_id,
    )


@access.require_roles(ORDER_ROLES)
def return_list(request):
    returns = ReturnRequest.objects.visible_to(request.user).select_related(
        "shipment_line__shipment__buyer", "shipment_line__shipment__distributor", "shipment_line__order_line__product"
    )
    status = request.GET.get("status") or ""
    if status in ReturnStatus.values:
        returns = returns.filter(status=status)
    elif status:
        raise InvalidParameter(_("Unknown status “%(value)s”.") % {"value": status[:40]})
    return render(
        request,
        "procurement/return_list.html",
        {
            "page": Paginator(returns.order_by("-requested_at", "-pk"), 50).get_page(request.GET.get("page")),
            "status": status,
            "statuses": ReturnStatus.choices,
            "now": timezone.now(),
        },
    )


@access.require_roles(ORDER_ROLES)
def trading_figures(request):
    """A month's trading figures per distributor, manufacturer, institution, city or product over the lines the
    reader may see, each row drilling down to the next grouping; ``?format=xlsx`` downloads them."""
    from core.params import id_param, month_param
    from core.web import xlsx_download

    from ..engines.trading_metrics import METRIC_DEFINITIONS, METRIC_LABELS, METRICS
    from ..io.exports import trading_figures_workbook
    from ..selectors import trading as figures

    today = timezone.localdate()
    month = month_param(request.GET, "month", label=_("Month")) or today.replace(day=1)
    default = "city" if access.is_authority_staff(request.user) else "product"
    by = request.GET.get("by") or default
    if by not in figures.GROUPINGS:
        raise InvalidParameter(_("Unknown grouping “%(value)s”.") % {"value": by[:40]})
    filters = {}
    for name in figures.FILTERS:
        value = id_param(request.GET, name, label=str(figures.GROUPING_LABELS[name]))
        if value is not None:
            filters[name] = value
    rows, total = figures.trading_figures(request.user, month, by, filters)
    if request.GET.get("format") == "xlsx":
        return xlsx_download(
            trading_figures_workbook(rows, total, figures.GROUPING_LABELS[by]), f"trading-figures-{month:%Y-%m}.xlsx"
        )
    if request.GET.get("format"):
        raise InvalidParameter(_("Unknown format “%(value)s”.") % {"value": request.GET["format"][:20]})
    drill = figures.GROUPINGS[by][1]
    base = {"month": f"{month:%Y-%m}", **{name: value for name, value in filters.items()}}
    return render(
        request,
        "procurement/trading_figures.html",
        {
            "month": month,
            "by": by,
            "groupings": [(key, label) for key, label in figures.GROUPING_LABELS.items()],
            "filters": [(figures.GROUPING_LABELS[name], value) for name, value in filters.items()],
            "rows": [
                (row, [row.figures[metric] for metric in METRICS], _drill_link(base, by, drill, row.key))
                for row in rows
            ],
            "total": [total.figures[metric] for metric in METRICS],
            "metrics": [(METRIC_LABELS[metric], METRIC_DEFINITIONS[metric]) for metric in METRICS],
            "query": urlencode({**base, "by": by}),
            "base_query": urlencode(base),
        },
    )


def _drill_link(base: dict, by: str, drill: str | None, key) -> str:
    if drill is None or key is None:
        return ""
    return "?" + urlencode({**base, by: key, "by": drill})


@require_POST
@access.require_roles({Role.HOSPITAL_USER})
def order_reorder(request, pk):
    order = _order(request, pk)
    try:
        draft, skipped = order_services.order_reorder(actor=request.user, order=order)
    except ProcurementError as refusal:
        messages.error(request, refusal.message)
        return redirect("trading:order_detail", pk=order.pk)
    messages.success(request, _("A new draft with the same products: check the quantities and send it."))
    if skipped:
        messages.warning(
            request,
            _("Left out, as their distributor no longer serves this address: %(products)s.")
            % {"products": ", ".join(str(product) for product in skipped)},
        )
    return redirect("trading:order_detail", pk=draft.pk)


@access.require_roles({Role.HOSPITAL_USER})
def order_upload(request):
    """Draft orders from a spreadsheet (small institutions without an information system): every row checked, any
    error stores nothing and is listed by line; the drafts are then checked and sent one by one."""
    from .forms import SpreadsheetUploadForm

    form = SpreadsheetUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        made, errors = order_services.order_upload(
            actor=request.user,
            filename=upload.name,
            content=upload.read(),
            request_key=form.cleaned_data["idempotency_key"],
        )
        if made:
            messages.success(
                request,
                _("%(count)s draft orders made: check each and send it.") % {"count": len(made)}
                if len(made) > 1
                else _("A draft order was made: check it and send it."),
            )
            return (
                redirect("trading:order_detail", pk=made[0].pk)
                if len(made) == 1
                else redirect(reverse("trading:order_list") + "?status=draft")
            )
    return render(
        request,
        "procurement/order_upload.html",
        {"form": form, "errors": errors, "key": secrets.token_hex(16)},
    )


@access.require_roles({Role.HOSPITAL_USER})
def order_upload_template(request):
    from core.spreadsheets import build_workbook
    from core.web import xlsx_download

    from ..io.order_upload import ORDER_COLUMNS

    rows = order_services.order_template_rows(request.user.organisation)
    return xlsx_download(build_workbook(ORDER_COLUMNS, rows, _("Orders")), "order-template.xlsx")
