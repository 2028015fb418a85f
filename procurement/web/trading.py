"""Pages of trading: the distribution relations (配送关系) a manufacturer proposes and a distributor answers, and the
trading rule sets they follow. Views parse and present; services decide."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Min, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access, audit
from accounts.models import Region, Role
from core.params import InvalidParameter, filtered, id_list_param
from core.web import perform, refusals_on

from ..engines.trading import CLOCK_LABELS, ORDER_CLASS_LABELS, ORDER_CLASSES
from ..filters import DistributionRelationFilter
from ..models import DeliveryAddress, DistributionRelation, OrderLine, Product, PurchaseOrder, TradingRuleSet
from ..models.trading import LINE_WORKFLOW, LineStatus, OrderStatus, RelationStatus
from ..services import addresses as address_services
from ..services import distribution as services
from ..services import orders as order_services
from .forms import (
    DeliveryAddressForm,
    LineConfirmForm,
    LineRefuseForm,
    OrderForm,
    OrderLineForm,
    RelationForm,
    RelationRefuseForm,
    RelationRevokeForm,
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
    draft = order.status == OrderStatus.DRAFT
    return render(
        request,
        "procurement/order_detail.html",
        {
            "order": order,
            "rows": rows,
            "is_buyer": is_buyer,
            "can_edit": is_buyer and draft,
            "line_form": _line_form(order) if is_buyer and draft else None,
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
