"""Pages of the award: computations, preview, what-if comparison and publication (officer); results (supplier);
winner choice and allocations (hospital); the public award announcement (中选结果公告)."""

import json

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access, audit
from accounts.models import Organisation, Region, Role
from core.params import filtered, id_param
from core.web import perform, refusals_on, xlsx_download
from credit.selectors.eligibility import risk_notice_suppliers

from ..award_labels import REASON_LABELS
from ..engines.rule_sets import tie_rule_text
from ..filters import AllocationLineFilter
from ..io.exports import allocation_lines_workbook
from ..models import AllocationLine, AwardOutcome, AwardRun, DemandReport, TenderRound
from ..models.rounds import RoundStatus
from ..services import award as award_services
from .forms import AwardComputeForm
from .rounds import _round

PUBLIC_STATUSES = [RoundStatus.AWARDED, RoundStatus.IN_EFFECT, RoundStatus.CLOSED]


def _officer_run(request, pk, run_pk) -> tuple[TenderRound, AwardRun]:
    tender_round = _round(request, pk)
    run = get_object_or_404(
        AwardRun.objects.visible_to(request.user).select_related("rule_set"), pk=run_pk, round=tender_round
    )
    return tender_round, run


@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
def round_award(request, pk):
    """The round's computations, and the form to ask for one (rule set, allocation mode, parameter overrides)."""
    tender_round = _round(request, pk)
    form = AwardComputeForm(request.POST or None, tender_round=tender_round)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            run = award_services.award_compute(
                actor=request.user,
                tender_round=tender_round,
                rule_set=form.cleaned_data["rule_set"],
                overrides=form.cleaned_data["overrides"],
                mode=form.cleaned_data["mode"],
            )
        if form.is_valid():
            return redirect("procurement:award_run", pk=tender_round.pk, run_pk=run.pk)
    runs = tender_round.award_runs.select_related("rule_set", "requested_by")
    return render(
        request,
        "procurement/round_award.html",
        {"round": tender_round, "form": form, "runs": runs, "can_compute": tender_round.is_opened},
    )


def _group_rows(run: AwardRun) -> list[dict]:
    outcomes = {}
    for outcome in run.outcomes.select_related("supplier", "opened_bid__product"):
        outcomes.setdefault(outcome.group_id, []).append(outcome)
    rows = []
    for result in run.group_results.select_related("group"):
        group_outcomes = outcomes.get(result.group_id, [])
        for outcome in group_outcomes:
            price = outcome.winning_price
            outcome.drop = (1 - price / result.group.ceiling_price) * 100 if price is not None else None
            outcome.share = outcome.allocated * 100 / result.agreed_total if result.agreed_total else None
            outcome.reason_label = REASON_LABELS.get(outcome.reason, outcome.reason)
        rows.append({"result": result, "outcomes": group_outcomes})
    return rows


def _chart(rows: list[dict]) -> dict:
    """Agreed volume per winner and group, for the stacked bar chart."""
    suppliers = sorted({o.supplier.name for row in rows for o in row["outcomes"] if o.won})
    return {
        "type": "bar",
        "labels": [row["result"].group.code for row in rows],
        "datasets": [
            {
                "label": name,
                "data": [
                    sum(o.allocated for o in row["outcomes"] if o.won and o.supplier.name == name) for row in rows
                ],
            }
            for name in suppliers
        ],
        "integer": True,  # agreed units
        "stacked": True,
    }


def _names(hospital_codes=()) -> dict[str, dict[str, str]]:
    """Names for the codes the award engines speak in, for the pages to show: every supplier and region (a few
    hundred at most) and only the hospitals named (a province has thousands)."""
    organisations = Organisation.objects.filter(
        Q(kind=Organisation.Kind.SUPPLIER) | Q(code__in=set(hospital_codes))
    ).values_list("code", "name")
    return {"organisations": dict(organisations), "regions": dict(Region.objects.values_list("code", "name"))}


@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
def award_run(request, pk, run_pk):
    """One computation: per group winners, prices, drop vs ceiling, shares, regions; publication."""
    tender_round, run = _officer_run(request, pk, run_pk)
    rows = _group_rows(run) if run.status == AwardRun.Status.DONE else []
    others = tender_round.award_runs.filter(status=AwardRun.Status.DONE).exclude(pk=run.pk)
    names = _names(item["hospital"] for row in rows for item in row["result"].unallocated_lines)
    for row in rows:
        row["regions"] = [
            (region, names["regions"].get(region, region), names["organisations"].get(supplier, supplier))
            for region, supplier in sorted(row["result"].regions.items())
        ]
    return render(
        request,
        "procurement/award_run.html",
        {
            "round": tender_round,
            "run": run,
            "rows": rows,
            "others": others,
            "region_names": names["regions"],
            "organisation_names": names["organisations"],
            "trail": audit.trail(run),
            "tie_rule": tie_rule_text(run.parameters),
            "overrides": run.override_rows,
            "chart": json.dumps(_chart(rows), ensure_ascii=False) if rows else "",
            "publishable": run.status == AwardRun.Status.DONE
            and run.is_official
            and tender_round.status == RoundStatus.OPENED,
        },
    )


@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
def award_run_progress(request, pk, run_pk):
    """htmx fragment polled while the computation runs; asks the page to reload when it is over."""
    _tender_round, run = _officer_run(request, pk, run_pk)
    done = run.group_results.count()
    response = render(request, "procurement/_award_progress.html", {"run": run, "done": done})
    if run.status in (AwardRun.Status.DONE, AwardRun.Status.FAILED):
        response["HX-Refresh"] = "true"
    return response


@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
def award_run_lines(request, pk, run_pk):
    """The per-hospital allocation lines of a computation, with their reasons; filterable and paginated."""
    tender_round, run = _officer_run(request, pk, run_pk)
    lines = (
        AllocationLine.objects.filter(run=run)
        .select_related("group", "hospital", "supplier")
        .order_by("group__code", "hospital__code", "supplier__code")
    )
    filterset = AllocationLineFilter(request.GET, queryset=lines)
    if request.GET.get("export"):
        content = allocation_lines_workbook(filtered(filterset).iterator(5000), REASON_LABELS)
        return xlsx_download(content, f"allocation-{tender_round.code}-{run.pk}.xlsx")
    page = Paginator(filtered(filterset), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "procurement/award_run_lines.html",
        {"round": tender_round, "run": run, "page_obj": page, "filter": filterset, "reasons": REASON_LABELS},
    )


@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
def award_compare(request, pk):
    """Two computations side by side: winners, regions, cost and savings per group."""
    tender_round = _round(request, pk)
    runs = tender_round.award_runs.filter(status=AwardRun.Status.DONE).select_related("rule_set")
    first_id = id_param(request.GET, "a", label=_("First computation"))
    second_id = id_param(request.GET, "b", label=_("Second computation"))
    first = runs.filter(pk=first_id).first() if first_id else None
    second = runs.filter(pk=second_id).first() if second_id else None
    comparison = award_services.award_compare(first, second) if first and second else None
    names = _names()
    return render(
        request,
        "procurement/award_compare.html",
        {
            "round": tender_round,
            "runs": runs,
            "first": first,
            "second": second,
            "comparison": comparison,
            "region_names": names["regions"],
            "organisation_names": names["organisations"],
        },
    )


@require_POST
@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
def award_run_publish(request, pk, run_pk):
    tender_round, run = _officer_run(request, pk, run_pk)
    return perform(
        request,
        lambda: award_services.award_publish(actor=request.user, run=run),
        _("The award is published; winners, losers and hospitals have been notified."),
        "procurement:award_run",
        pk=tender_round.pk,
        run_pk=run.pk,
    )


@require_POST
@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
def award_revival_accept(request, pk, run_pk):
    tender_round, run = _officer_run(request, pk, run_pk)
    supplier = get_object_or_404(Organisation.objects.suppliers(), pk=request.POST.get("supplier"))
    return perform(
        request,
        lambda: award_services.revival_accept(actor=request.user, run=run, supplier=supplier),
        _("Revival recorded. Compute again to include it."),
        "procurement:award_run",
        pk=tender_round.pk,
        run_pk=run.pk,
    )


def _published_run(tender_round: TenderRound) -> AwardRun | None:
    return tender_round.award_runs.published().first()


@access.require_roles([Role.SUPPLIER_USER])
def round_results(request, pk):
    """A supplier's own outcomes with their reasons, once the award is published."""
    tender_round = _round(request, pk)
    run = _published_run(tender_round)
    outcomes = []
    if run:
        outcomes = list(
            AwardOutcome.objects.visible_to(request.user)
            .filter(run=run, supplier_id=request.user.organisation_id)
            .select_related("group", "opened_bid__product")
        )
        for outcome in outcomes:
            outcome.reason_label = REASON_LABELS.get(outcome.reason, outcome.reason)
    return render(request, "procurement/round_results.html", {"round": tender_round, "run": run, "outcomes": outcomes})


@access.require_roles([Role.HOSPITAL_USER])
def round_allocations(request, pk):
    """A hospital's side of the award: choose among the preliminary winners, then its agreed volumes."""
    tender_round = _round(request, pk)
    hospital = request.user.organisation
    published = _published_run(tender_round)
    lines, choices = [], []
    if published:
        lines = (
            AllocationLine.objects.visible_to(request.user)
            .filter(run=published, hospital=hospital)
            .select_related("group", "supplier")
        )
        lines = sorted(lines, key=lambda line: (line.group.code, line.supplier.code))
        for line in lines:
            line.reason_label = REASON_LABELS.get(line.reason, line.reason)
    elif tender_round.status == RoundStatus.OPENED:
        run = award_services.latest_official_run(tender_round)
        if run:
            winners = {}
            for outcome in run.outcomes.filter(won=True).select_related("supplier", "opened_bid"):
                bid_regions = outcome.opened_bid.regions
                if not bid_regions or hospital.region.code in bid_regions:
                    winners.setdefault(outcome.group_id, []).append(outcome)
            reports = DemandReport.objects.filter(group__round=tender_round, hospital=hospital).select_related(
                "group", "chosen_supplier"
            )
            choices = [(report, winners.get(report.group_id, [])) for report in reports]
    return render(
        request,
        "procurement/round_allocations.html",
        {
            "round": tender_round,
            "published": published,
            "lines": lines,
            "choices": choices,
            # Risk notices to purchasers (风险提示) stand beside the supplier's name.
            "risk_suppliers": set(
                risk_notice_suppliers(Organisation.objects.suppliers().values_list("pk", flat=True))
            ),
        },
    )


@require_POST
@access.require_roles([Role.HOSPITAL_USER])
def round_choose_winner(request, pk, report_pk):
    tender_round = _round(request, pk)
    report = get_object_or_404(
        DemandReport.objects.visible_to(request.user).select_related("group__round", "hospital__region"),
        pk=report_pk,
        group__round=tender_round,
    )
    supplier = None
    supplier_id = id_param(request.POST, "supplier", label=_("Supplier"))
    if supplier_id:
        supplier = get_object_or_404(Organisation.objects.suppliers(), pk=supplier_id)
    return perform(
        request,
        lambda: award_services.winner_choose(actor=request.user, report=report, supplier=supplier),
        _("Your choice is saved."),
        "procurement:round_allocations",
        pk=tender_round.pk,
    )


def award_announcements(request):
    """Public: the rounds whose award is published (no login)."""
    rounds = TenderRound.objects.filter(status__in=PUBLIC_STATUSES, award_runs__published_at__isnull=False).distinct()
    return render(request, "procurement/award_announcements.html", {"rounds": rounds.order_by("-opening_at")})


def award_announcement(request, code):
    """Public announcement of a round's award (中选结果公告): winners, products and prices per group."""
    tender_round = get_object_or_404(TenderRound, code=code, status__in=PUBLIC_STATUSES)
    run = _published_run(tender_round)
    if run is None:
        raise Http404
    winners = (
        AwardOutcome.objects.filter(run=run, won=True)
        .select_related("group", "supplier", "opened_bid__product")
        .order_by("group__code", "rank")
    )
    groups = {}
    for outcome in winners:
        groups.setdefault(outcome.group, []).append(outcome)
    return render(
        request,
        "procurement/award_announcement.html",
        {"round": tender_round, "run": run, "groups": groups.items(), "tie_rule": tie_rule_text(run.parameters)},
    )
