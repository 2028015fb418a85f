"""Pages of price governance: each role's pricing home (officer queue, supplier listings and warnings, hospital
listed prices and payment standards), listing and warning detail with their workflow, payment standards with
export, savings report, public exposures."""

import json
from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import Region, Role
from core.params import month_param
from core.web import perform, xlsx_download
from procurement.models import Product, TenderRound

from .. import selectors, services
from ..io.exports import savings_workbook, standards_workbook
from ..models import Listing, ListingChange, PaymentStandard, PriceWarning


@login_required
def pricing_home(request):
    user = request.user
    context = {"today": timezone.localdate()}
    if access.is_authority_staff(user):
        context.update(
            pending=Listing.objects.filter(status=Listing.Status.PENDING).select_related(
                "product", "supplier", "region"
            ),
            price_requests=ListingChange.objects.filter(pending=True).select_related(
                "listing__product", "listing__supplier"
            ),
            warnings=PriceWarning.objects.exclude(status=PriceWarning.Status.CLOSED).select_related(
                "supplier", "product", "group"
            ),
            listings=Listing.objects.filter(
                status__in=[Listing.Status.LISTED, Listing.Status.SUSPENDED]
            ).select_related("product", "supplier", "region")[:200],
            is_officer=access.is_procurement_officer(user),
        )
        template = "pricing/home_officer.html"
    elif access.is_supplier_user(user):
        context.update(
            listings=Listing.objects.filter(supplier_id=user.organisation_id).select_related("product", "region"),
            warnings=PriceWarning.objects.visible_to(user).select_related("product", "group"),
            products=Product.objects.filter(holder_id=user.organisation_id, is_active=True),
            regions=Region.objects.filter(level=Region.Level.CITY),
        )
        template = "pricing/home_supplier.html"
    else:
        context.update(
            listings=Listing.objects.visible_to(user).select_related("product", "supplier", "region")[:500],
            standards=PaymentStandard.objects.select_related("product", "round")[:500],
            is_hospital=access.is_hospital_user(user),
        )
        template = "pricing/home_hospital.html"
    return render(request, template, context)


@require_POST
@access.require_roles({Role.SUPPLIER_USER})
def listing_apply(request):
    product = get_object_or_404(Product, pk=request.POST.get("product") or 0, holder_id=request.user.organisation_id)
    region = Region.objects.filter(pk=request.POST.get("region") or 0).first()
    return perform(
        request,
        lambda: services.listing_apply(
            actor=request.user,
            product=product,
            price=request.POST.get("price", ""),
            region=region,
            reason=request.POST.get("reason", ""),
        ),
        _("Your listing application was sent for review."),
        "pricing:home",
    )


def _listing(request, pk) -> Listing:
    return get_object_or_404(
        Listing.objects.visible_to(request.user).select_related("product", "supplier", "region"), pk=pk
    )


@login_required
def listing_detail(request, pk):
    listing = _listing(request, pk)
    return render(
        request,
        "pricing/listing_detail.html",
        {
            "listing": listing,
            "changes": listing.changes.select_related("actor"),
            "pending_change": listing.changes.filter(pending=True).first(),
            "is_officer": access.is_procurement_officer(request.user),
            "own": access.is_supplier_user(request.user) and request.user.organisation_id == listing.supplier_id,
        },
    )


@require_POST
@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
def listing_review(request, pk):
    listing = _listing(request, pk)
    approve = request.POST.get("approve") == "1"
    return perform(
        request,
        lambda: services.listing_review(
            actor=request.user, listing=listing, approve=approve, reason=request.POST.get("reason", "")
        ),
        _("The listing was reviewed."),
        f"/pricing/listings/{pk}/",
    )


@require_POST
@access.require_roles({Role.SUPPLIER_USER})
def listing_price_request(request, pk):
    listing = _listing(request, pk)
    return perform(
        request,
        lambda: services.listing_price_request(
            actor=request.user,
            listing=listing,
            price=request.POST.get("price", ""),
            reason=request.POST.get("reason", ""),
        ),
        _("Your price change was sent for review."),
        f"/pricing/listings/{pk}/",
    )


@require_POST
@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
def listing_price_review(request, pk):
    change = get_object_or_404(ListingChange, pk=pk, pending=True)
    approve = request.POST.get("approve") == "1"

    def review():
        warnings = services.listing_price_review(
            actor=request.user, change=change, approve=approve, reason=request.POST.get("reason", "")
        )
        for warning in warnings:
            messages.warning(request, _("Warning opened: %(kind)s") % {"kind": warning.get_kind_display()})

    return perform(request, review, _("The price change was reviewed."), f"/pricing/listings/{change.listing_id}/")


@require_POST
@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
def listing_suspend(request, pk):
    listing = _listing(request, pk)
    lift = request.POST.get("lift") == "1"
    reason = request.POST.get("reason", "")
    if lift:
        return perform(
            request,
            lambda: services.listing_lift(actor=request.user, listing=listing, reason=reason or _("lifted")),
            _("The suspension was lifted."),
            f"/pricing/listings/{pk}/",
        )
    return perform(
        request,
        lambda: services.listing_suspend(actor=request.user, listing=listing, reason=reason),
        _("The listing was suspended."),
        f"/pricing/listings/{pk}/",
    )


def _warning(request, pk) -> PriceWarning:
    return get_object_or_404(
        PriceWarning.objects.visible_to(request.user).select_related("supplier", "product", "group", "listing"), pk=pk
    )


@access.require_roles(access.AUTHORITY_ROLES | {Role.SUPPLIER_USER})
def warning_detail(request, pk):
    warning = _warning(request, pk)
    return render(
        request,
        "pricing/warning_detail.html",
        {
            "warning": warning,
            "is_officer": access.is_procurement_officer(request.user),
            "own": access.is_supplier_user(request.user),
            "outcomes": PriceWarning.Outcome.choices,
        },
    )


@require_POST
@access.require_roles(access.AUTHORITY_ROLES | {Role.SUPPLIER_USER})
def warning_act(request, pk):
    warning = _warning(request, pk)
    step, user, post = request.POST.get("step"), request.user, request.POST
    actions = {
        "inquire": lambda: services.warning_inquire(actor=user, warning=warning, text=post.get("text", "")),
        "answer": lambda: services.warning_answer(actor=user, warning=warning, text=post.get("text", "")),
        "interview": lambda: services.warning_interview(
            actor=user, warning=warning, on=_date(post.get("on")), notes=post.get("text", "")
        ),
        "close": lambda: services.warning_close(
            actor=user, warning=warning, outcome=post.get("outcome", ""), reason=post.get("text", "")
        ),
    }
    if step not in actions:
        raise Http404
    return perform(request, actions[step], _("Recorded."), f"/pricing/warnings/{pk}/")


def _date(value) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        raise services.PricingError(_("Not a date (YYYY-MM-DD)."), code="date") from None


@require_POST
@access.require_roles(access.PROCUREMENT_OFFICER_ROLES)
def run_checks(request):
    suspended, lifted = services.sync_credit_suspensions()
    opened = services.scan_supply()
    messages.success(
        request,
        _("Credit measures: %(suspended)s listings suspended, %(lifted)s lifted; %(opened)s supply warnings opened.")
        % {"suspended": suspended, "lifted": lifted, "opened": opened},
    )
    return redirect("pricing:home")


@login_required
def standards(request):
    rows = PaymentStandard.objects.select_related("product", "round", "group")
    today = timezone.localdate()
    if request.GET.get("export"):
        return xlsx_download(standards_workbook(rows, today), "payment-standards.xlsx")
    for row in rows:
        row.today = row.standard_on(today)
    return render(request, "pricing/standards.html", {"rows": rows})


@require_POST
@access.require_roles({Role.HOSPITAL_USER})
def declare_off_platform(request):
    return perform(
        request,
        lambda: services.off_platform_declare(
            actor=request.user,
            month=_date(f"{request.POST.get('month', '')}-01"),
            category=request.POST.get("category", "drugs"),
            amount=request.POST.get("amount", ""),
        ),
        _("Your declaration was recorded."),
        "pricing:home",
    )


@access.require_roles(access.AUTHORITY_ROLES)
def savings(request):
    rounds = TenderRound.objects.filter(status__in=["awarded", "in_effect", "closed"]).order_by("-pk")
    reports = [selectors.round_savings(r) for r in rounds]
    month = month_param(request.GET, "month", label=_("Month")) or timezone.localdate().replace(day=1)
    overall = {
        "saved_at_agreed": sum((r["saved_at_agreed"] for r in reports), Decimal(0)),
        "saved_at_purchases": sum((r["saved_at_purchases"] for r in reports), Decimal(0)),
    }
    if request.GET.get("export"):
        return xlsx_download(savings_workbook(reports), "savings.xlsx")
    chart = {
        "type": "bar",
        "labels": [r["round"].code for r in reports],
        "datasets": [
            {"label": _("Saved at agreed volumes"), "data": [float(r["saved_at_agreed"]) for r in reports]},
            {"label": _("Saved at actual purchases"), "data": [float(r["saved_at_purchases"]) for r in reports]},
        ],
    }
    return render(
        request,
        "pricing/savings.html",
        {
            "reports": reports,
            "overall": overall,
            "share": selectors.vbp_share(),
            "online": selectors.online_rate(month),
            "month": month,
            "chart": json.dumps(chart, ensure_ascii=False),
        },
    )


def exposures(request):
    """Public exposure of price and supply anomalies (公开曝光)."""
    rows = PriceWarning.objects.filter(outcome=PriceWarning.Outcome.EXPOSED).select_related(
        "supplier", "product", "group"
    )
    return render(request, "pricing/exposures.html", {"rows": rows})
