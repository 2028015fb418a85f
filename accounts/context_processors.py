"""Navigation per role, so that templates never repeat the role rules."""

from types import SimpleNamespace

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import access
from .models import Role
from .notifications import unread_count


def navigation(request) -> dict:
    """The menu of the user's role, and ``viewer``: which role groups the user belongs to, so that templates ask
    ``viewer.is_hospital`` instead of comparing role codes."""
    user = request.user
    viewer = SimpleNamespace(
        is_supplier=access.is_supplier_user(user),
        is_hospital=access.is_hospital_user(user),
        is_procurement_officer=access.is_procurement_officer(user),
        is_credit_officer=access.is_credit_officer(user),
        is_authority=access.is_authority_staff(user),
    )
    if not user.is_authenticated:
        return {"nav_items": [], "viewer": viewer}
    items = [
        (_("Home"), reverse("accounts:home")),
        (_("Rounds"), reverse("procurement:round_list")),
        (_("Products"), reverse("procurement:product_list")),
        (_("Agreements"), reverse("contracts:contract_list")),
        (_("Prices"), reverse("pricing:home")),
        (_("Credit"), reverse("credit:home")),
    ]
    if access.is_hospital_user(user):
        items.insert(3, (_("Purchases"), reverse("contracts:purchase_report")))
    if access.is_authority_staff(user):
        items.append((_("Organisations"), reverse("accounts:organisation_list")))
        items.append((_("Audit log"), reverse("accounts:audit_list")))
    if access.has_role(user, Role.ADMINISTRATOR):
        items.append((_("Administration"), reverse("admin:index")))
    items.append((_("API"), reverse("api-docs")))
    return {"nav_items": items, "unread_notifications": unread_count(user), "viewer": viewer}
