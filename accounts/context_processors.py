"""Navigation per role, so that templates never repeat the role rules."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import access
from .models import Role
from .notifications import unread_count


def navigation(request) -> dict:
    user = request.user
    if not user.is_authenticated:
        return {"nav_items": []}
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
    return {"nav_items": items, "unread_notifications": unread_count(user)}
