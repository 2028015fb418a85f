"""Pages of the accounts app: home per role, organisations, audit log and its verification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.web import perform, refusals_on

from . import access, audit, audit_chain, services, workbench
from .filters import AuditEntryFilter, OrganisationFilter
from .forms import OrganisationEditForm, OrganisationForm
from .models import AuditCheckpoint, AuditEntry, Notification, Organisation, Role
from .notifications import mark_read

PAGE_SIZE = 50


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def home(request):
    """Each role lands on its workbench: what waits for the user, most urgent first, then what it came for."""
    user = request.user
    # The menu counts the same tasks (``navigation`` reads them from the request rather than gathering them again).
    request.workbench_tasks = workbench.tasks_for(user)
    context = {"organisation": user.organisation, "tasks": request.workbench_tasks, **workbench.context_for(user)}
    if user.role == Role.SUPPLIER_USER:
        template = "accounts/home_supplier.html"
    elif user.role == Role.HOSPITAL_USER:
        template = "accounts/home_hospital.html"
    elif user.role == Role.DISTRIBUTOR_USER:
        template = "accounts/home_distributor.html"
    else:
        context.update(
            supplier_count=Organisation.objects.suppliers().count(),
            hospital_count=Organisation.objects.hospitals().count(),
            recent_audit=AuditEntry.objects.visible_now().select_related("actor")[:10],
        )
        template = {
            Role.PROCUREMENT_OFFICER: "accounts/home_procurement_officer.html",
            Role.CREDIT_OFFICER: "accounts/home_credit_officer.html",
        }.get(user.role, "accounts/home_administrator.html")
    return render(request, template, context)


@access.require_roles(access.AUTHORITY_ROLES)
def organisation_list(request):
    queryset = Organisation.objects.visible_to(request.user).select_related("region")
    filterset = OrganisationFilter(request.GET, queryset=queryset)
    context = {
        "filter": filterset,
        "page": _page(request, filterset.qs),
        "can_register": access.is_procurement_officer(request.user),
    }
    template = "accounts/organisation_list.html#results" if request.htmx else "accounts/organisation_list.html"
    return render(request, template, context)


@access.require_roles(access.AUTHORITY_ROLES)
def organisation_detail(request, pk):
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user).select_related("region"), pk=pk)
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "users": organisation.users.order_by("username"),
            "products": organisation.products.all() if organisation.is_supplier else None,
            "can_edit": access.is_procurement_officer(request.user),
        },
    )


@access.require_roles({Role.PROCUREMENT_OFFICER, Role.ADMINISTRATOR})
def organisation_edit(request, pk=None):
    organisation = get_object_or_404(Organisation, pk=pk) if pk else None
    form_class = OrganisationEditForm if organisation else OrganisationForm
    form = form_class(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            if organisation:
                organisation = services.organisation_update(
                    actor=request.user, organisation=organisation, **form.cleaned_data
                )
            else:
                organisation = services.organisation_create(actor=request.user, **form.cleaned_data)
        if form.is_valid():
            messages.success(request, _("The organisation was saved."))
            return redirect("accounts:organisation_detail", pk=organisation.pk)
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": organisation})


@access.require_roles(access.AUTHORITY_ROLES)
def audit_list(request):
    filterset = AuditEntryFilter(request.GET, queryset=AuditEntry.objects.visible_now())
    return render(request, "accounts/audit_list.html", {"filter": filterset, "page": _page(request, filterset.qs)})


@access.require_roles(access.AUTHORITY_ROLES)
def audit_entry(request, pk):
    """One audit row with its seals, and whether its content still matches the seal written with it."""
    entry = get_object_or_404(AuditEntry.objects.visible_now(), pk=pk)
    return render(
        request,
        "accounts/audit_entry.html",
        {"entry": entry, "content_intact": entry.content_mac == audit_chain.content_mac(entry)},
    )


@access.require_roles(access.AUTHORITY_ROLES)
def audit_verification(request):
    """The audit chain's state; a POST recomputes the whole chain and, when it is intact, publishes its head."""
    result = None
    if request.method == "POST":
        audit_chain.seal()
        result = audit_chain.verify()
        if result.intact:
            audit_chain.publish_checkpoint(_("verification by %(user)s") % {"user": request.user.get_username()})
    seq, mac = audit_chain.head()
    return render(
        request,
        "accounts/audit_verification.html",
        {
            "result": result,
            "head_seq": seq,
            "head_mac": mac,
            "pending": AuditEntry.objects.filter(seq__isnull=True).count(),
            "checkpoints": AuditCheckpoint.objects.all()[:20],
        },
    )


@login_required
def second_factor(request):
    """Second step of an officer's or administrator's login: enrol an authenticator app (TOTP) the first time,
    then enter its six-digit code. Other roles never need it."""
    from base64 import b32encode

    import segno
    from django.utils.http import url_has_allowed_host_and_scheme
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .middleware import needs_second_factor

    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    target = target or reverse("accounts:home")
    user = request.user
    if not needs_second_factor(user) or user.is_verified():
        return redirect(target)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name=_("Authenticator app"), confirmed=False
        )
    error = ""
    if request.method == "POST":
        token = request.POST.get("token", "").replace(" ", "")
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            error = _("Too many wrong codes: wait a few seconds, then enter the code your app shows.")
        elif token.isdigit() and device.verify_token(token):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                audit.record(actor=user, action="second_factor.enrol", instance=user, after={"device": device.pk})
            otp_login(request, device)
            return redirect(target)
        else:
            error = _("The code is not valid. Enter the six digits your authenticator app shows now.")
    context = {"enrolling": enrolling, "next": target, "error": error}
    if enrolling:
        context["secret"] = b32encode(device.bin_key).decode()
        context["qr"] = segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("Authenticator QR code"))
    return render(request, "registration/second_factor.html", context)


@login_required
def notification_list(request):
    """The organisation's notifications; a POST marks them all read."""
    if request.method == "POST":
        mark_read(user=request.user)
        return redirect("accounts:notification_list")
    notifications = Notification.objects.visible_to(request.user)
    page = Paginator(notifications, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/notification_list.html", {"page_obj": page})


@login_required
def api_tokens(request):
    """The user's own API tokens (only their hashes are stored): when each was issued and expires; revoke one."""
    if request.method == "POST":
        return perform(
            request,
            lambda: services.api_token_revoke(actor=request.user, key=request.POST.get("key", "")[:25]),
            _("The API token was revoked: programs using it can no longer call the API."),
            "accounts:api_tokens",
        )
    tokens = services.api_tokens_of(request.user)
    return render(request, "accounts/api_tokens.html", {"tokens": tokens, "current": getattr(request, "auth", None)})
