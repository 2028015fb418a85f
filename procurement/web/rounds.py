"""Pages of a tender round: set-up (officer), demand (hospital), commitment and sealed bids (supplier), opening."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts import access
from accounts.models import Organisation, Role
from core.errors import DomainError
from core.params import id_param
from core.spreadsheets import build_workbook
from core.web import perform, refusals_on, xlsx_download
from credit.services import current_commitment_text

from .. import services
from ..io.exports import opening_table_workbook
from ..models import DemandReport, Product, ProductGroup, RuleSet, TenderRound
from ..models.rounds import RoundStatus
from ..selectors import rounds as selectors
from ..services.demand import DEMAND_COLUMNS, demand_template_rows
from .forms import (
    BidForm,
    DemandForm,
    ExtendDemandForm,
    GroupForm,
    RoundEditForm,
    RoundForm,
    SpreadsheetUploadForm,
    TransitionForm,
)


def _round(request, pk) -> TenderRound:
    """The round if the user may see it (404 otherwise), moved along its timetable first."""
    tender_round = get_object_or_404(TenderRound.objects.visible_to(request.user), pk=pk)
    return services.advance_round(tender_round)


def _key() -> str:
    return uuid.uuid4().hex


@login_required
def round_list(request):
    rounds = TenderRound.objects.visible_to(request.user).select_related("rule_set")
    return render(
        request,
        "procurement/round_list.html",
        {"rounds": rounds, "can_create": access.has_role(request.user, *access.PROCUREMENT_OFFICER_ROLES)},
    )


@login_required
def round_detail(request, pk):
    tender_round = _round(request, pk)
    user = request.user
    is_officer = access.has_role(user, *access.PROCUREMENT_OFFICER_ROLES)
    manual = tender_round.manual_moves if is_officer else []
    context = {
        "round": tender_round,
        "groups": selectors.visible_groups(tender_round),
        "is_officer": is_officer,
        "manual_moves": manual,
        "status_changes": tender_round.status_changes.select_related("changed_by") if is_officer else [],
        "participation": selectors.round_participation(tender_round, user),
        "now": timezone.now(),
        "regions": tender_round.supply_regions(),
    }
    return render(request, "procurement/round_detail.html", context)


@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
def round_edit(request, pk=None):
    tender_round = get_object_or_404(TenderRound, pk=pk) if pk else None
    form_class = RoundEditForm if tender_round else RoundForm
    form = form_class(request.POST or None, instance=tender_round)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        regions = values.pop("regions")
        with refusals_on(form):
            if tender_round:
                tender_round = services.round_update(
                    actor=request.user, tender_round=tender_round, regions=regions, **values
                )
            else:
                tender_round = services.round_create(actor=request.user, regions=regions, **values)
        if form.is_valid():
            messages.success(request, _("The round was saved."))
            return redirect("procurement:round_detail", pk=tender_round.pk)
    return render(request, "procurement/round_form.html", {"form": form, "round": tender_round})


@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
@require_POST
def round_transition(request, pk):
    tender_round = get_object_or_404(TenderRound, pk=pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.round_transition(
                actor=request.user,
                tender_round=tender_round,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The round's status was changed."))
    return redirect("procurement:round_detail", pk=pk)


@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
def round_extend_demand(request, pk):
    tender_round = get_object_or_404(TenderRound, pk=pk)
    form = ExtendDemandForm(request.POST or None, initial={"closes_at": tender_round.demand_closes_at})
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            services.demand_window_extend(actor=request.user, tender_round=tender_round, **form.cleaned_data)
        if form.is_valid():
            messages.success(request, _("The demand window was extended."))
            return redirect("procurement:round_demand_summary", pk=pk)
    return render(request, "procurement/round_extend_demand.html", {"form": form, "round": tender_round})


@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
def group_edit(request, pk, group_pk=None):
    tender_round = get_object_or_404(TenderRound, pk=pk)
    group = get_object_or_404(ProductGroup, pk=group_pk, round=tender_round) if group_pk else None
    initial = {} if group else {"qualifying_tiers": ["originator_reference", "consistency_passed"]}
    form = GroupForm(request.POST or None, instance=group, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        eligible = values.pop("eligible_products")
        with refusals_on(form):
            services.group_save(
                actor=request.user, tender_round=tender_round, group=group, eligible_products=eligible, **values
            )
        if form.is_valid():
            messages.success(request, _("The group was saved."))
            return redirect("procurement:round_detail", pk=pk)
    return render(request, "procurement/group_form.html", {"form": form, "round": tender_round, "group": group})


@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
def round_spec_ceilings(request, pk):
    """Per-specification ceilings of the round's groups from a spreadsheet (before bidding), all or nothing."""
    tender_round = _round(request, pk)
    form = SpreadsheetUploadForm(request.POST or None, request.FILES or None)
    result, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            file = form.cleaned_data["file"]
            with refusals_on(form, "file"):
                result = services.spec_ceilings_upload(
                    actor=request.user, tender_round=tender_round, filename=file.name, content=file.read()
                )
        if result and result["accepted"]:
            messages.success(
                request,
                _("The ceilings per specification of %(groups)s groups were saved.") % {"groups": result["groups"]},
            )
            return redirect("procurement:round_detail", pk=pk)
        status = 400
    groups = [group for group in tender_round.groups.order_by("code") if group.spec_ceilings]
    return render(
        request,
        "procurement/round_spec_ceilings.html",
        {
            "round": tender_round,
            "form": form,
            "result": result,
            "groups": groups,
            "columns": services.spec_ceiling_columns(),
        },
        status=status,
    )


@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
@require_safe
def round_spec_ceilings_template(request, pk):
    tender_round = _round(request, pk)
    rows = services.spec_ceiling_template_rows(tender_round)
    columns = services.spec_ceiling_columns()
    return xlsx_download(build_workbook(columns, rows, title=tender_round.code), f"ceilings-{tender_round.code}.xlsx")


@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
def round_demand_summary(request, pk):
    tender_round = _round(request, pk)
    return render(
        request,
        "procurement/round_demand_summary.html",
        {"round": tender_round, "summary": selectors.demand_summary(tender_round)},
    )


@access.require_roles({Role.HOSPITAL_USER})
def round_demand(request, pk):
    tender_round = _round(request, pk)
    hospital = request.user.organisation
    reports = {
        report.group_id: report for report in DemandReport.objects.filter(group__round=tender_round, hospital=hospital)
    }
    groups = tender_round.groups.all()
    form = DemandForm(request.POST or None, groups=groups, reports=reports)
    upload_form = SpreadsheetUploadForm(initial={"idempotency_key": _key()})
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            for group, quantity, brand in form.rows():
                value, chosen = form.cleaned_data[quantity.name], form.cleaned_data[brand.name]
                if value:
                    services.demand_report(actor=request.user, group=group, quantity=value, brand=chosen)
                elif group.pk in reports:
                    services.demand_withdraw(actor=request.user, group=group)
        if form.is_valid():
            messages.success(request, _("Your demand was saved."))
            return redirect("procurement:round_demand", pk=pk)
    return render(
        request,
        "procurement/round_demand.html",
        {
            "round": tender_round,
            "form": form,
            "upload_form": upload_form,
            "window_open": tender_round.demand_window_open(),
        },
    )


@access.require_roles({Role.HOSPITAL_USER})
@require_POST
def round_demand_upload(request, pk):
    tender_round = _round(request, pk)
    form = SpreadsheetUploadForm(request.POST, request.FILES)
    upload = None
    if form.is_valid():
        file = form.cleaned_data["file"]
        with refusals_on(form, "file"):
            upload = services.demand_upload(
                actor=request.user,
                tender_round=tender_round,
                filename=file.name,
                content=file.read(),
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
    if upload and upload.accepted:
        messages.success(request, _("The file was accepted: %(rows)s groups reported.") % {"rows": upload.rows})
        return redirect("procurement:round_demand", pk=pk)
    return render(
        request,
        "procurement/round_demand_upload_result.html",
        {"round": tender_round, "upload": upload, "form": form, "columns": DEMAND_COLUMNS},
        status=400,
    )


@access.require_roles({Role.HOSPITAL_USER})
def round_demand_template(request, pk):
    tender_round = _round(request, pk)
    rows = demand_template_rows(tender_round, request.user.organisation)
    content = build_workbook(DEMAND_COLUMNS, rows, title=tender_round.code)
    return xlsx_download(content, f"demand-{tender_round.code}.xlsx")


@access.require_roles({Role.SUPPLIER_USER})
def round_commitment(request, pk):
    tender_round = _round(request, pk)
    if request.method == "POST":
        try:
            services.commitment_sign(actor=request.user, tender_round=tender_round)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The credit commitment was signed."))
            return redirect("procurement:round_bids", pk=pk)
    participation = selectors.round_participation(tender_round, request.user)
    return render(
        request,
        "procurement/round_commitment.html",
        {"round": tender_round, "text": current_commitment_text(), "commitment": participation.get("commitment")},
    )


@require_safe
@access.require_roles({Role.SUPPLIER_USER})
def round_bid_receipts(request, pk):
    """The supplier's receipts of its bid versions in the round, to print or keep: round, group, version, time,
    receipt number and hash — never the price, the product or the capacity (sealed until the opening)."""
    tender_round = _round(request, pk)
    versions = selectors.own_receipts(request.user.organisation_id, round_id=tender_round.pk)
    return render(
        request,
        "procurement/round_bid_receipts.html",
        {"round": tender_round, "versions": versions, "supplier": request.user.organisation, "now": timezone.now()},
    )


@access.require_roles({Role.SUPPLIER_USER})
def round_bids(request, pk):
    tender_round = _round(request, pk)
    supplier = request.user.organisation
    regions = tender_round.supply_regions()
    states = selectors.supplier_bid_overview(tender_round, supplier)
    forms = {}
    for state in states:
        forms[state.group.pk] = BidForm(
            prefix=f"g{state.group.pk}",
            products=Product.objects.filter(pk__in=[product.pk for product in state.products]),
            regions=regions,
            initial={"idempotency_key": _key()},
        )
    if request.method == "POST":
        group = get_object_or_404(ProductGroup, pk=request.POST.get("group"), round=tender_round)
        form = BidForm(
            request.POST,
            prefix=f"g{group.pk}",
            products=services.eligible_products_for(supplier, group),
            regions=regions,
        )
        forms[group.pk] = form
        if form.is_valid():
            with refusals_on(form):
                version = services.bid_submit(
                    actor=request.user,
                    group=group,
                    product=form.cleaned_data["product"],
                    price=form.cleaned_data["price"],
                    capacity=form.cleaned_data["capacity"],
                    regions=form.cleaned_data["regions"],
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            if form.is_valid():
                messages.success(
                    request,
                    _("Bid for %(group)s sealed (version %(version)s). Receipt: %(hash)s")
                    % {"group": group.code, "version": version.number, "hash": version.receipt_hash},
                )
                return redirect("procurement:round_bids", pk=pk)
    participation = selectors.round_participation(tender_round, request.user)
    return render(
        request,
        "procurement/round_bids.html",
        {
            "round": tender_round,
            "states": [(state, forms[state.group.pk]) for state in states],
            "commitment": participation.get("commitment"),
            "window_open": tender_round.bid_window_open()
            or (tender_round.status == RoundStatus.DEMAND and tender_round.bid_opens_at <= timezone.now()),
        },
    )


@access.require_roles({Role.SUPPLIER_USER})
@require_POST
def round_bid_withdraw(request, pk, group_pk):
    tender_round = _round(request, pk)
    group = get_object_or_404(ProductGroup, pk=group_pk, round=tender_round)
    return perform(
        request,
        lambda: services.bid_withdraw(
            actor=request.user, group=group, idempotency_key=request.POST.get("idempotency_key", "")
        ),
        _("Your bid for %(group)s was withdrawn.") % {"group": group.code},
        "procurement:round_bids",
        pk=pk,
    )


@access.require_roles({Role.SUPPLIER_USER})
@require_POST
def round_bid_preview(request, pk, group_pk):
    """htmx: the comparable price of the price being typed, computed on the server and stored nowhere. By POST:
    a typed price never travels in a URL (access logs, proxies, browser history)."""
    tender_round = _round(request, pk)
    group = get_object_or_404(ProductGroup, pk=group_pk, round=tender_round)
    prefix = f"g{group.pk}-"
    product_id = id_param(request.POST, prefix + "product", label=_("Product"))
    product = (
        services.eligible_products_for(request.user.organisation, group).filter(pk=product_id).first()
        if product_id
        else None
    )
    comparable, ceiling, error = None, group.ceiling_price, ""
    if product is not None:
        try:
            comparable = services.group_comparable_price(
                group, product, services.bidding.parse_price(request.POST.get(prefix + "price", ""))
            )
        except DomainError as problem:
            error = problem.message
        ceiling = group.ceiling_for(product.strength_amount, product.strength_unit)
    context = {"comparable": comparable, "ceiling": ceiling, "group": group, "error": error}
    return render(request, "procurement/_comparable_preview.html", context)


@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
@require_POST
def round_open(request, pk):
    tender_round = get_object_or_404(TenderRound, pk=pk)
    try:
        services.round_open(actor=request.user, tender_round=tender_round)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("procurement:round_detail", pk=pk)
    messages.success(request, _("The bids were opened and the opening table is published."))
    return redirect("procurement:round_opening", pk=pk)


@login_required
def round_opening(request, pk):
    tender_round = _round(request, pk)
    rows = list(selectors.opening_table(tender_round, request.user))
    receipt = request.GET.get("receipt", "").strip().lower()
    match = next((row for row in rows if row.receipt_hash == receipt), None) if receipt else None
    from accounts.models import AuditCheckpoint

    from ..services.opening import opening_checkpoint_label

    checkpoint = (
        AuditCheckpoint.objects.filter(label=opening_checkpoint_label(tender_round)).first()
        if tender_round.is_opened
        else None
    )
    return render(
        request,
        "procurement/round_opening.html",
        {"round": tender_round, "rows": rows, "receipt": receipt, "match": match, "checkpoint": checkpoint},
    )


@login_required
def round_opening_export(request, pk):
    tender_round = _round(request, pk)
    content = opening_table_workbook(tender_round, selectors.opening_table(tender_round, request.user))
    return xlsx_download(content, f"opening-{tender_round.code}.xlsx")


@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
def round_award_preview(request, pk):
    """What-if: the award under the round's rule set or another, computed on demand and stored nowhere."""
    from ..services.award import round_award_preview as compute

    tender_round = _round(request, pk)
    rule_sets = RuleSet.objects.order_by("code", "-version")
    requested = id_param(request.GET, "rule_set", label=_("Rule set"))
    chosen = rule_sets.filter(pk=requested or tender_round.rule_set_id).first() or tender_round.rule_set
    preview, error = None, ""
    try:
        preview = compute(tender_round=tender_round, rule_set=chosen)
    except DomainError as problem:
        error = problem.message
    # Bidders are named only from the opening table: before the opening nothing names or counts them.
    suppliers = (
        {
            organisation.code: organisation.name
            for organisation in Organisation.objects.suppliers()
            .filter(pk__in=tender_round.opened_bids.values("supplier_id"))
            .distinct()
        }
        if tender_round.is_opened
        else {}
    )
    if preview:
        _name_preview(preview, tender_round, suppliers)
    return render(
        request,
        "procurement/round_award_preview.html",
        {
            "round": tender_round,
            "preview": preview,
            "error": error,
            "rule_sets": rule_sets,
            "chosen": chosen,
            "suppliers": suppliers,
        },
    )


def _name_preview(preview: dict, tender_round: TenderRound, suppliers: dict[str, str]) -> None:
    """The exchange-format preview names groups, bidders and hospitals by code: add the names people read and the
    words for the outcome and allocation reasons beside them (the codes stay as secondary text)."""
    from ..award_labels import reason_label

    groups = dict(tender_round.groups.values_list("code", "generic_name"))
    hospital_codes = {line["hospital"] for group in preview["groups"] for line in group.get("allocations", [])}
    hospitals = dict(Organisation.objects.hospitals().filter(code__in=hospital_codes).values_list("code", "name"))
    for group in preview["groups"]:
        group["name"] = groups.get(group["id"], "")
        for bid in group.get("bids", []):
            bid["supplier_name"] = suppliers.get(bid["supplier"], "")
            bid["reason_label"] = reason_label(bid["reason"]) if bid.get("reason") else ""
        for line in group.get("allocations", []):
            line["hospital_name"] = hospitals.get(line["hospital"], "")
            line["supplier_name"] = suppliers.get(line["supplier"], "")
            line["reason_label"] = reason_label(line["reason"]) if line.get("reason") else ""
