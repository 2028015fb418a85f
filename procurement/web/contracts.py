"""Pages after the award: agreements (each party its own), purchase reports (hospitals), deliveries, the officers'
completion dashboard with drill-down and alerts, supply failures, settlement. Views parse and present; services and
selectors decide."""

import json
import secrets
from datetime import date, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import Region, Role
from core.errors import DomainError
from core.params import filtered, id_param, month_param
from core.spreadsheets import build_workbook
from core.web import perform, refusals_on, xlsx_download

from ..filters import ContractFilter
from ..io.exports import contracts_workbook, prepayments_workbook, settlement_workbook
from ..models import Contract, Delivery, PurchaseLine, PurchaseUpload, TenderRound
from ..models.contracts import CONTRACT_WORKFLOW
from ..models.rounds import RoundStatus
from ..selectors import contracts as selectors
from ..services import contracts as contract_services
from ..services import deliveries as delivery_services
from ..services import purchases as purchase_services
from .forms import DeliveryForm, PurchaseLineForm, RenewForm, SpreadsheetUploadForm, SupplyFailureForm
from .rounds import _round


def _contracts(request):
    contracts = Contract.objects.visible_to(request.user).select_related(
        "round__rule_set", "group", "hospital", "supplier", "product", "region"
    )
    return filtered(ContractFilter(request.GET, queryset=contracts))


@access.require_roles(access.AUTHORITY_ROLES | access.PARTY_ROLES)
def contract_list(request):
    from credit.selectors.eligibility import risk_notice_suppliers

    contracts = _contracts(request)
    page = Paginator(contracts, 50).get_page(request.GET.get("page"))
    rows = selectors.contract_rows(page.object_list)
    risk = set(risk_notice_suppliers({c.supplier_id for c in rows}))
    rounds = TenderRound.objects.visible_to(request.user).filter(
        status__in=[RoundStatus.AWARDED, RoundStatus.IN_EFFECT, RoundStatus.CLOSED]
    )
    # A party's own agreements as a chart: completion and expected progress; deliveries on time for a supplier.
    chart = None
    if not access.is_authority_staff(request.user) and rows:
        datasets = [
            {
                "label": _("Completion %"),
                "data": [float(c.progress.rate * 100) if c.progress.rate else 0 for c in rows],
            },
            {"label": _("Expected %"), "data": [float(c.progress.expected * 100) for c in rows]},
        ]
        if access.is_supplier_user(request.user):
            datasets.append(
                {
                    "label": _("Delivered on time %"),
                    "data": [float(c.delivery_rate * 100) if c.delivery_rate else 0 for c in rows],
                }
            )
        chart = json.dumps(
            {"type": "bar", "labels": [f"{c.group.code} {c.hospital.name}"[:30] for c in rows], "datasets": datasets},
            ensure_ascii=False,
        )
    return render(
        request,
        "procurement/contract_list.html",
        {
            "page": page,
            "rows": rows,
            "risk_suppliers": risk,
            "rounds": rounds,
            "statuses": Contract.Status.choices,
            "is_officer": access.is_procurement_officer(request.user),
            "chart": chart,
        },
    )


@access.require_roles(access.AUTHORITY_ROLES | access.PARTY_ROLES)
def contract_export(request):
    return xlsx_download(contracts_workbook(_contracts(request).iterator(2000)), "agreements.xlsx")


def _contract(request, pk) -> Contract:
    return get_object_or_404(
        Contract.objects.visible_to(request.user).select_related(
            "round__rule_set", "group", "hospital", "supplier", "product", "region"
        ),
        pk=pk,
    )


@access.require_roles(access.AUTHORITY_ROLES | access.PARTY_ROLES)
def contract_detail(request, pk):
    contract = selectors.contract_rows([_contract(request, pk)])[0]
    user = request.user
    delivery_form = DeliveryForm(request.POST or None) if access.is_supplier_user(user) else None
    if request.method == "POST" and delivery_form is not None and delivery_form.is_valid():
        data = delivery_form.cleaned_data
        with refusals_on(delivery_form):
            delivery_services.delivery_record(actor=user, contract=contract, **data)
        if delivery_form.is_valid():
            messages.success(request, _("The delivery was recorded."))
            return redirect("contracts:contract_detail", pk=contract.pk)
    return render(
        request,
        "procurement/contract_detail.html",
        {
            "contract": contract,
            "deliveries": contract.deliveries.order_by("-shipped_on", "-id"),
            "lines": PurchaseLine.objects.filter(contract=contract).order_by("-ordered_on", "-id")[:50],
            "delivery_form": delivery_form,
            "renew_form": RenewForm() if access.is_procurement_officer(user) else None,
            "can_confirm": access.has_role(user, *access.PARTY_ROLES)
            and contract.awaits_confirmation_by(user.organisation_id),
            "is_hospital": access.is_hospital_user(user),
        },
    )


@require_POST
@access.require_roles(access.PARTY_ROLES)
def contract_confirm(request, pk):
    contract = _contract(request, pk)
    return perform(
        request,
        lambda: contract_services.contract_confirm(actor=request.user, contract=contract),
        _("You confirmed the agreement."),
        f"/contracts/{contract.pk}/",
    )


@require_POST
@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
def contracts_confirm_bulk(request):
    contracts = _contracts(request)
    round_id = id_param(request.POST, "round", label=_("Round"))
    if round_id:
        contracts = contracts.filter(round_id=round_id)
    count = contract_services.contracts_confirm_bulk(actor=request.user, contracts=contracts)
    messages.success(request, _("%(count)s agreements confirmed.") % {"count": count})
    return redirect("contracts:contract_list")


@require_POST
@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
def contract_renew(request, pk):
    contract = _contract(request, pk)
    form = RenewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the renewed quantity."))
        return redirect("contracts:contract_detail", pk=pk)
    return perform(
        request,
        lambda: contract_services.contract_renew(
            actor=request.user, contract=contract, quantity=form.cleaned_data["quantity"]
        ),
        _("The agreement was renewed for the next cycle."),
        f"/contracts/{contract.pk}/",
    )


@require_POST
@access.require_roles({Role.HOSPITAL_USER})
def delivery_receive(request, pk):
    delivery = get_object_or_404(Delivery.objects.visible_to(request.user), pk=pk)
    return perform(
        request,
        lambda: delivery_services.delivery_confirm(actor=request.user, delivery=delivery),
        _("You confirmed the receipt."),
        f"/contracts/{delivery.contract_id}/",
    )


@require_POST
@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
def contracts_generate(request, pk):
    tender_round = _round(request, pk)
    try:
        count = contract_services.contracts_generate(actor=request.user, tender_round=tender_round)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(count)s purchase agreements generated.") % {"count": count})
    return redirect(f"/contracts/?round={tender_round.pk}")


# Purchase reports (hospitals).


@access.require_roles({Role.HOSPITAL_USER})
def purchase_report(request):
    hospital = request.user.organisation
    line_form = PurchaseLineForm(request.POST if "single" in request.POST else None)
    upload_form = SpreadsheetUploadForm(
        request.POST if "file" in request.FILES else None, request.FILES if "file" in request.FILES else None
    )
    if request.method == "POST":
        result = None
        if "single" in request.POST and line_form.is_valid():
            data = line_form.cleaned_data
            rows, errors = purchase_services.rows_from_records(
                [{**data, "ordered_on": data["ordered_on"].isoformat(), "unit_price": str(data["unit_price"])}]
            )
            # A refused line is not stored: the form comes back as typed, each error beside its field.
            result = _report(request, hospital, rows, errors, "form", data["idempotency_key"], keep_refused=False)
            if result is not None and result.upload is None:
                for error in result.errors:
                    line_form.add_error(error.column if error.column in line_form.fields else None, error.message)
                result = None
        elif "file" in request.FILES and upload_form.is_valid():
            upload = upload_form.cleaned_data["file"]
            rows, errors = purchase_services.rows_from_file(upload.name, upload.read())
            key = upload_form.cleaned_data["idempotency_key"]
            result = _report(request, hospital, rows, errors, "spreadsheet", key)
        if result is not None:
            return redirect("contracts:purchase_upload", pk=result.upload.pk)
    uploads = PurchaseUpload.objects.visible_to(request.user)[:20]
    agreed = (
        Contract.objects.visible_to(request.user)
        .filter(status__in=CONTRACT_WORKFLOW.steps["end"].sources)
        .select_related("product", "supplier")
        .order_by("product__generic_name", "product__national_drug_code")
    )
    return render(
        request,
        "procurement/purchase_report.html",
        {
            "agreed": agreed,
            "line_form": line_form,
            "upload_form": upload_form,
            "uploads": uploads,
            "key": secrets.token_hex(16),
            "columns": purchase_services.PURCHASE_COLUMNS,
        },
        # Reaching the page after a POST means the report was refused: a 400 with the errors on the form.
        status=400 if request.method == "POST" else 200,
    )


def _report(request, hospital, rows, errors, source, key, keep_refused=True):
    try:
        return purchase_services.purchase_report(
            actor=request.user, hospital=hospital, rows=rows, errors=errors, source=source,
            idempotency_key=key or secrets.token_hex(16), keep_refused=keep_refused,
        )  # fmt: skip
    except DomainError as error:
        messages.error(request, error.message)
        return None


@access.require_roles({Role.HOSPITAL_USER})
def purchase_template(request):
    rows = purchase_services.purchase_template_rows(request.user.organisation)
    return xlsx_download(
        build_workbook(purchase_services.PURCHASE_COLUMNS, rows, _("Purchases")), "purchase-report-template.xlsx"
    )


@access.require_roles({Role.HOSPITAL_USER} | access.AUTHORITY_ROLES)
def purchase_upload(request, pk):
    upload = get_object_or_404(PurchaseUpload.objects.visible_to(request.user), pk=pk)
    lines = PurchaseLine.objects.filter(upload_id=upload.pk).select_related("product", "supplier")[:200]
    return render(
        request,
        "procurement/purchase_upload.html",
        {"upload": upload, "lines": lines, "columns": purchase_services.PURCHASE_COLUMNS},
    )


# Completion (officers).


@access.require_roles(access.AUTHORITY_ROLES)
def completion_dashboard(request, pk):
    tender_round = _round(request, pk)
    overview = selectors.completion_overview(tender_round)
    chart = {
        "type": "bar",
        "labels": [row.label for row in overview["cities"]],
        "datasets": [
            {"label": _("Completion %"), "data": [float(row.rate_percent or 0) for row in overview["cities"]]},
            {"label": _("Expected %"), "data": [float(overview["expected"] * 100)] * len(overview["cities"])},
        ],
    }
    return render(
        request,
        "procurement/completion.html",
        {
            "round": tender_round,
            **overview,
            "alerts": selectors.alerts(tender_round),
            "chart": json.dumps(chart, ensure_ascii=False),
        },
    )


@access.require_roles(access.AUTHORITY_ROLES)
def completion_city(request, pk, region_pk):
    tender_round = _round(request, pk)
    region = get_object_or_404(Region, pk=region_pk)
    return render(
        request,
        "procurement/completion_city.html",
        {"round": tender_round, "region": region, "rows": selectors.city_hospitals(tender_round, region)},
    )


@access.require_roles({*access.PROCUREMENT_OFFICER_ROLES, Role.SUPPLIER_USER})
def supply_failure(request, pk):
    tender_round = _round(request, pk)
    user = request.user
    supplier = user.organisation if access.is_supplier_user(user) else None
    form = SupplyFailureForm(request.POST or None, tender_round=tender_round, supplier=supplier)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_on(form):
            failure = contract_services.supply_failure_record(
                actor=user, tender_round=tender_round, group=data["group"], supplier=supplier or data["supplier"],
                region=data["region"], reason=data["reason"], backup=data.get("backup"),
                interruption_days=data.get("interruption_days"),
            )  # fmt: skip
        if form.is_valid():
            messages.success(
                request,
                _("%(quantity)s units moved to %(backup)s.")
                % {"quantity": failure.moved_quantity, "backup": failure.backup.name},
            )
            return redirect(f"/contracts/?round={tender_round.pk}")
    return render(request, "procurement/supply_failure.html", {"round": tender_round, "form": form})


# Settlement.


def _month(request) -> tuple[date, date]:
    first = month_param(request.GET, "month", label=_("Month")) or timezone.localdate().replace(day=1)
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return first, last


@access.require_roles(access.AUTHORITY_ROLES | access.PARTY_ROLES)
def settlement(request):
    user = request.user
    first, last = _month(request)
    supplier = user.organisation if access.is_supplier_user(user) else None
    statements = [] if access.is_hospital_user(user) else selectors.direct_settlement(first, last, supplier)
    rounds = TenderRound.objects.visible_to(user).filter(status__in=[RoundStatus.IN_EFFECT, RoundStatus.CLOSED])
    hospital = user.organisation if access.is_hospital_user(user) else None
    per_round = []
    for tender_round in rounds:
        if supplier is not None:
            continue
        entry = {"round": tender_round, "prepayments": selectors.prepayments(tender_round, hospital)}
        if hospital is not None:
            entry["retention"] = selectors.savings_retention(tender_round, hospital)
        per_round.append(entry)
    if request.GET.get("export") == "prepayments" and per_round:
        return xlsx_download(prepayments_workbook(per_round), "prepayment-retention.xlsx")
    if request.GET.get("export") and statements:
        return xlsx_download(settlement_workbook(statements), f"settlement-{first:%Y-%m}.xlsx")
    return render(
        request,
        "procurement/settlement.html",
        {"first": first, "last": last, "statements": statements, "per_round": per_round, "month": f"{first:%Y-%m}"},
    )
