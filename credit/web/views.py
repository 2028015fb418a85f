"""Pages of the credit rating: the credit officer's records, review queue, quarterly runs and distribution; the
supplier's standing, notices, defence, self-report and repair; hospitals' risk notices; the public disclosure list
and tip form. Every page goes through the services and the ``visible_to`` scopes."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access, audit
from accounts.models import Organisation, Role
from accounts.throttling import allows
from core.params import InvalidParameter, filtered
from core.web import perform, refusals_on, xlsx_download

from .. import selectors, services
from ..engines.rating import COUNTED
from ..filters import CreditRecordFilter
from ..io.exports import ratings_workbook, records_workbook
from ..labels import FACTS, REPAIR_STEPS, rule_text, standing_label
from ..models import CatalogVersion, CreditRecord, Item, Measure, RatingRun, RepairApplication, Tip, catalog_products
from ..selectors.eligibility import risk_notice_suppliers
from .forms import (
    DecisionForm,
    DefenceForm,
    ReasonForm,
    RecordForm,
    RepairForm,
    RunForm,
    SelfReportForm,
    TipForm,
    TipReviewForm,
)


def _page(request, queryset, size=50):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


@login_required
def credit_home(request):
    """Each role's credit page: officers the distribution and queue, a supplier its standing, a hospital the risk
    notices."""
    user = request.user
    if access.is_supplier_user(user):
        return _standing_page(request, user.organisation)
    if access.is_hospital_user(user):
        return risk_notices(request)
    if not access.is_authority_staff(user):
        raise Http404
    queue = selectors.review_queue()
    distribution = selectors.level_distribution()
    return render(
        request,
        "credit/home_officer.html",
        {
            "queue": queue,
            "distribution": distribution,
            "chart": json.dumps(distribution["chart"], ensure_ascii=False),
            "can_act": access.is_credit_officer(user),
        },
    )


def _standing_page(request, supplier):
    from ..models import RatingSnapshot

    trail = None
    if access.is_authority_staff(request.user):
        snapshots = RatingSnapshot.objects.filter(supplier=supplier).only("pk")
        trail = audit.trail(supplier, *snapshots).filter(action="credit.rating")
    return render(
        request,
        "credit/standing.html",
        {
            "supplier": supplier,
            **selectors.standing(supplier),
            "own": access.is_supplier_user(request.user),
            "today": timezone.localdate(),
            "rating_trail": trail,
        },
    )


@access.require_roles(access.AUTHORITY_ROLES)
def supplier_standing(request, pk):
    supplier = get_object_or_404(Organisation.objects.suppliers(), pk=pk)
    return _standing_page(request, supplier)


def catalog(request):
    """The catalog of dishonest conduct and every edition's discretion benchmark (public)."""
    editions = selectors.catalog_editions(CatalogVersion.objects.all())
    return render(request, "credit/catalog.html", {"editions": editions, "items": Item.choices})


@access.require_roles(access.AUTHORITY_ROLES | {Role.SUPPLIER_USER})
def record_list(request):
    filterset = CreditRecordFilter(request.GET, queryset=CreditRecord.objects.visible_to(request.user))
    records = filtered(filterset).select_related("supplier")
    return render(
        request,
        "credit/record_list.html",
        {
            "page": _page(request, records),
            "statuses": CreditRecord.Status.choices,
            "items": Item.choices,
            "filters": filterset.form.cleaned_data,
            "can_enter": access.is_credit_officer(request.user),
            "is_supplier": access.is_supplier_user(request.user),
        },
    )


@access.require_roles(access.CREDIT_OFFICER_ROLES)
def record_create(request):
    form = RecordForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_on(form):
            record = services.record_create(
                actor=request.user,
                supplier=data["supplier"],
                item=data["item"],
                occurred_on=data["occurred_on"],
                source=data["source"],
                amount=data["amount"] or 0,
                facts=form.facts_for(data["item"]),
                description=data["description"],
                document_number=data["document_number"],
                evidence=data.get("evidence"),
                products=data["products"],
            )
        if form.is_valid():
            messages.success(request, _("The record was entered and the notice sent to the supplier."))
            return redirect("credit:record_detail", pk=record.pk)
    return render(request, "credit/record_form.html", {"form": form, "title": _("Enter a record")})


@access.require_roles({Role.SUPPLIER_USER})
def self_report(request):
    supplier = request.user.organisation
    form = SelfReportForm(request.POST or None, request.FILES or None, supplier=supplier)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_on(form):
            record = services.record_create(
                actor=request.user,
                supplier=supplier,
                item=data["item"],
                occurred_on=data["occurred_on"],
                source=CreditRecord.Source.SELF_REPORT,
                amount=data["amount"] or 0,
                facts=form.facts_for(data["item"]),
                description=data["description"],
                evidence=data.get("evidence"),
                products=data["products"],
            )
        if form.is_valid():
            messages.success(request, _("Your self-report was received; a credit officer will review it."))
            return redirect("credit:record_detail", pk=record.pk)
    return render(request, "credit/record_form.html", {"form": form, "title": _("Self-report (主动报告)")})


def _record(request, pk) -> CreditRecord:
    return get_object_or_404(
        CreditRecord.objects.visible_to(request.user).select_related("supplier", "catalog_version", "decided_by"),
        pk=pk,
    )


# The evidence files a page links to, and where they hang: each is served only to who may see its record or tip.
EVIDENCE_FILES = {
    "record": (CreditRecord, "evidence"),
    "defence": (CreditRecord, "defence_evidence"),
    "repair": (RepairApplication, "evidence"),
    "tip": (Tip, "evidence"),
}


@login_required
def evidence_download(request, kind, pk):
    """An evidence file, to the users who may see the record, repair application or tip (404 for anyone else)."""
    from pathlib import PurePath

    from django.http import FileResponse

    if kind not in EVIDENCE_FILES:
        raise Http404
    model, field = EVIDENCE_FILES[kind]
    document = get_object_or_404(model.objects.visible_to(request.user), pk=pk)
    stored = getattr(document, field)
    if not stored:
        raise Http404
    name = f"{kind}-{pk}{PurePath(stored.name).suffix}"
    return FileResponse(stored.open("rb"), as_attachment=True, filename=name)


@access.require_roles(access.AUTHORITY_ROLES | {Role.SUPPLIER_USER})
def record_detail(request, pk):
    record = _record(request, pk)
    is_supplier = access.is_supplier_user(request.user)
    is_officer = access.is_credit_officer(request.user)
    today = timezone.localdate()
    standing = record.standing_on(today)
    repairs = record.repair_applications.all()
    history = selectors.record_history(record)
    return render(
        request,
        "credit/record_detail.html",
        {
            "record": record,
            "standing": standing,
            "standing_label": standing_label(standing),
            "judged_rule": rule_text(record.judged_rule),
            "due": record.defence_due(),
            "facts": [(FACTS.get(name, name), value) for name, value in record.facts.items()],
            "products": record.products.all(),
            "repairs": repairs,
            "repair_steps": REPAIR_STEPS,
            "history": history,
            # Reading the page changes nothing: the supplier acknowledges the notice with a button (a POST), which
            # serves it that day; unacknowledged, it is served after the deemed-served period.
            "can_acknowledge": is_supplier
            and record.notice_published_at is not None
            and record.notice_opened_at is None,
            "can_defend": is_supplier and record.defence_open(today),
            "can_repair": is_supplier and standing == COUNTED and not record.repair_pending,
            "can_decide": is_officer and record.awaits_decision(today),
            "can_dismiss_review": is_officer and record.awaits_review,
            "can_revoke": is_officer and "revoke" in record.next_steps,
            "is_officer": is_officer,
            "decision_form": DecisionForm(initial={"item": record.item, "amount": record.amount}),
            "defence_form": DefenceForm(),
            "reason_form": ReasonForm(),
        },
    )


@require_POST
@access.require_roles(access.CREDIT_OFFICER_ROLES)
def record_decide(request, pk):
    record = _record(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the decision and its reasons."))
        return redirect("credit:record_detail", pk=pk)
    data = form.cleaned_data
    amended = data["decision"] == CreditRecord.Decision.AMENDED
    item = data["item"] or record.item
    return perform(
        request,
        lambda: services.record_decide(
            actor=request.user,
            record=record,
            decision=data["decision"],
            reason=data["reason"],
            item=item if amended else None,
            amount=data["amount"] if amended else None,
            facts=form.facts_for(item) if amended else None,
        ),
        _("The decision was recorded."),
        "credit:record_detail",
        pk=pk,
    )


@require_POST
@access.require_roles(access.CREDIT_OFFICER_ROLES)
def record_notify(request, pk):
    record = _record(request, pk)
    return perform(
        request,
        lambda: services.record_notify(actor=request.user, record=record),
        _("The notice was sent."),
        "credit:record_detail",
        pk=pk,
    )


@require_POST
@access.require_roles({Role.SUPPLIER_USER})
def record_acknowledge(request, pk):
    record = _record(request, pk)
    return perform(
        request,
        lambda: services.notice_open(actor=request.user, record=record),
        _("You acknowledged the notice: the defence window runs from today."),
        "credit:record_detail",
        pk=pk,
    )


@require_POST
@access.require_roles(access.CREDIT_OFFICER_ROLES)
def record_revoke(request, pk):
    record = _record(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return perform(
        request,
        lambda: services.record_revoke(actor=request.user, record=record, reason=reason),
        _("The record was revoked and the supplier re-rated."),
        "credit:record_detail",
        pk=pk,
    )


@require_POST
@access.require_roles({Role.SUPPLIER_USER})
def record_defend(request, pk):
    record = _record(request, pk)
    form = DefenceForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("credit:record_detail", pk=pk)
    return perform(
        request,
        lambda: services.defence_file(
            actor=request.user,
            record=record,
            statement=form.cleaned_data["statement"],
            evidence=form.cleaned_data.get("evidence"),
        ),
        _("Your defence was filed."),
        "credit:record_detail",
        pk=pk,
    )


@access.require_roles({Role.SUPPLIER_USER})
def repair_apply(request, pk):
    record = _record(request, pk)
    steps = services.repair_steps_for(record)
    form = RepairForm(request.POST or None, request.FILES or None, steps=steps)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_on(form):
            services.repair_apply(
                actor=request.user,
                record=record,
                steps=data["steps"],
                statement=data["statement"],
                commitment_accepted=data["commitment_accepted"],
                evidence=data.get("evidence"),
            )
        if form.is_valid():
            messages.success(request, _("Your repair application was submitted."))
            return redirect("credit:record_detail", pk=record.pk)
    return render(request, "credit/repair_form.html", {"form": form, "record": record})


@require_POST
@access.require_roles(access.CREDIT_OFFICER_ROLES)
def repair_decide(request, pk):
    application = get_object_or_404(RepairApplication.objects.visible_to(request.user), pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    approve = request.POST.get("approve") == "1"
    return perform(
        request,
        lambda: services.repair_decide(actor=request.user, application=application, approve=approve, reason=reason),
        _("The repair was approved and the supplier re-rated.") if approve else _("The repair was rejected."),
        "credit:record_detail",
        pk=application.record_id,
    )


@require_POST
@access.require_roles({Role.SUPPLIER_USER})
def measure_acknowledge(request, pk):
    measure = get_object_or_404(Measure.objects.visible_to(request.user), pk=pk)
    return perform(
        request,
        lambda: services.warning_acknowledge(actor=request.user, measure=measure),
        _("You acknowledged the written warning."),
        "credit:home",
    )


@access.require_roles(access.CREDIT_OFFICER_ROLES)
def review(request):
    return render(request, "credit/review.html", selectors.review_queue())


@access.require_roles(access.CREDIT_OFFICER_ROLES)
def tip_detail(request, pk):
    tip = get_object_or_404(Tip.objects.visible_to(request.user), pk=pk)
    form = TipReviewForm(request.POST or None, initial={"supplier": tip.supplier})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_on(form):
            tip = services.tip_review(
                actor=request.user,
                tip=tip,
                accept=data["accept"],
                reason=data["reason"],
                supplier=data["supplier"],
                occurred_on=data["occurred_on"],
                amount=data["amount"] or 0,
                facts=form.facts_for(tip.item),
            )
        if form.is_valid():
            messages.success(request, _("The tip was reviewed."))
            if tip.record:
                return redirect("credit:record_detail", pk=tip.record.pk)
            return redirect("credit:review")
    return render(request, "credit/tip_detail.html", {"tip": tip, "form": form})


@access.require_roles(access.AUTHORITY_ROLES)
def run_list(request):
    form = RunForm(request.POST or None)
    if request.method == "POST":
        if not access.is_credit_officer(request.user):
            raise PermissionDenied
        if form.is_valid():
            with refusals_on(form):
                run = services.rating_run_start(actor=request.user, as_of=form.cleaned_data["as_of"])
            if form.is_valid():
                return redirect("credit:run_detail", pk=run.pk)
    runs = RatingRun.objects.visible_to(request.user).select_related("catalog_version", "requested_by")
    return render(
        request,
        "credit/run_list.html",
        {"form": form, "page": _page(request, runs, 20), "can_run": access.is_credit_officer(request.user)},
    )


def _run(request, pk) -> RatingRun:
    return get_object_or_404(RatingRun.objects.visible_to(request.user).select_related("catalog_version"), pk=pk)


@access.require_roles(access.AUTHORITY_ROLES)
def run_detail(request, pk):
    run = _run(request, pk)
    from django.db.models import Count

    from ..models import Level, RatingSnapshot

    counts = dict(
        RatingSnapshot.objects.filter(as_of=run.as_of)
        .values_list("level")
        .annotate(count=Count("id"))
        .values_list("level", "count")
    )
    rows = [(Level(code), counts[code]) for code in Level.values if code in counts]
    chart = {
        "type": "bar",
        "labels": [str(level.label) for level, _count in rows],
        "datasets": [{"label": _("Suppliers"), "data": [count for _level, count in rows]}],
        "integer": True,  # a count of suppliers: no 0.2 steps on the axis
    }
    return render(
        request,
        "credit/run_detail.html",
        {
            "run": run,
            "done": run.chunks_done,
            "rows": rows,
            "chart": json.dumps(chart, ensure_ascii=False),
            "trail": audit.trail(run),
        },
    )


@access.require_roles(access.AUTHORITY_ROLES)
def run_progress(request, pk):
    run = _run(request, pk)
    return render(request, "credit/_run_progress.html", {"run": run, "done": run.chunks_done})


@access.require_roles(access.AUTHORITY_ROLES)
def record_export(request):
    return xlsx_download(records_workbook(CreditRecord.objects.visible_to(request.user)), "credit-records.xlsx")


@access.require_roles(access.AUTHORITY_ROLES)
def rating_export(request):
    from ..models import RatingSnapshot

    snapshots = RatingSnapshot.objects.latest_per_supplier().select_related("supplier")
    return xlsx_download(ratings_workbook(snapshots), "credit-ratings.xlsx")


@access.require_roles({Role.HOSPITAL_USER} | access.AUTHORITY_ROLES)
def risk_notices(request):
    """Suppliers whose products carry a risk notice to purchasers (风险提示), and the restrictions in force."""
    notices = risk_notice_suppliers(Organisation.objects.suppliers().values_list("pk", flat=True))
    suppliers = Organisation.objects.filter(pk__in=notices).order_by("name")
    restrictions = (
        Measure.objects.in_force()
        .visible_to(request.user)
        .filter(supplier__in=suppliers)
        .exclude(kind__in=["risk_notice", "public_disclosure"])
        .prefetch_related("products")
    )
    by_supplier = {}
    for measure in restrictions:
        by_supplier.setdefault(measure.supplier_id, []).append(measure)
    rows = [
        {
            "supplier": supplier,
            "notice": notices[supplier.pk],
            "level": notices[supplier.pk].get_level_display(),
            "restrictions": by_supplier.get(supplier.pk, []),
            "products": catalog_products().filter(holder=supplier, is_active=True),
        }
        for supplier in suppliers
    ]
    return render(request, "credit/risk_notices.html", {"rows": rows})


# Public pages.


def disclosure(request):
    """The public list of serious and particularly serious cases, per quarterly run (no login)."""
    as_of = request.GET.get("as_of")
    from datetime import date

    try:
        as_of = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise InvalidParameter(_("The date must be written as YYYY-MM-DD.")) from None
    return render(request, "credit/disclosure.html", selectors.disclosure(as_of))


def tip_submit(request):
    """Anyone may tell the authority of dishonest conduct; the tip is reviewed before it becomes a record."""
    if request.method == "POST" and not request.user.is_authenticated and not allows(request):
        return render(
            request,
            "429.html",
            {"message": _("Too many tips from this address: please try again in an hour.")},
            status=429,
        )
    form = TipForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        supplier = Organisation.objects.suppliers().filter(name=data["supplier_name"].strip()).first()
        with refusals_on(form):
            services.tip_submit(supplier=supplier, **{k: v for k, v in data.items()})
        if form.is_valid():
            messages.success(request, _("Thank you. Your tip was received and will be reviewed."))
            return redirect("credit:tip_submit")
    return render(request, "credit/tip_form.html", {"form": form})
