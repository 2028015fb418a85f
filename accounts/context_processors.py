"""Navigation per role, so that templates never repeat the role rules."""

from types import SimpleNamespace

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from . import access, workbench
from .models import Role
from .notifications import unread_count


def navigation(request) -> dict:
    """The menu of the user's role, and ``viewer``: which role groups the user belongs to, so that templates ask
    ``viewer.is_hospital`` instead of comparing role codes."""
    user = request.user
    viewer = SimpleNamespace(
        is_supplier=access.is_supplier_user(user),
        is_hospital=access.is_hospital_user(user),
        is_distributor=access.is_distributor_user(user),
        is_procurement_officer=access.is_procurement_officer(user),
        is_credit_officer=access.is_credit_officer(user),
        is_authority=access.is_authority_staff(user),
    )
    if not user.is_authenticated:
        return {"nav_items": [], "viewer": viewer}
    # Built when the page's menu is rendered (not for partial pages and downloads): the tasks are counted then.
    return {
        "nav_items": SimpleLazyObject(lambda: _menu(user, getattr(request, "workbench_tasks", None))),
        "unread_notifications": unread_count(user),
        "viewer": viewer,
    }


def _menu(user, tasks=None) -> list[tuple[str, str, int]]:
    """The role's menu entries as ``(label, url, waiting)``: ``waiting`` counts the workbench's tasks in the
    entry's section (the home entry counts all of them)."""
    waiting = workbench.counts(workbench.tasks_for(user) if tasks is None else tasks)
    distribution = (_("Distribution"), reverse("trading:relation_list"), waiting["distribution"])
    if access.is_distributor_user(user):
        return [
            (_("Workbench"), reverse("accounts:home"), waiting.total()),
            (_("Orders"), reverse("trading:order_list"), waiting["orders"]),
            distribution,
            (_("Products"), reverse("procurement:product_list"), 0),
            (_("API"), reverse("api-docs"), 0),
        ]
    items = [
        (_("Workbench"), reverse("accounts:home"), waiting.total()),
        (_("Rounds"), reverse("procurement:round_list"), waiting["rounds"]),
        (_("Products"), reverse("procurement:product_list"), 0),
        (_("Agreements"), reverse("contracts:contract_list"), waiting["agreements"]),
        (_("Prices"), reverse("pricing:home"), waiting["prices"]),
        (_("Credit"), reverse("credit:home"), waiting["credit"]),
    ]
    if access.is_hospital_user(user):
        items.insert(3, (_("Orders"), reverse("trading:order_list"), waiting["orders"]))
        items.insert(4, (_("Purchases"), reverse("contracts:purchase_report"), waiting["purchases"]))
    else:
        items.insert(4, distribution)
    if access.is_authority_staff(user):
        items.insert(5, (_("Trading figures"), reverse("trading:figures"), 0))
        items.append((_("Organisations"), reverse("accounts:organisation_list"), 0))
        items.append((_("Audit log"), reverse("accounts:audit_list"), 0))
    if access.has_role(user, Role.ADMINISTRATOR):
        items.append((_("Administration"), reverse("admin:index"), 0))
    items.append((_("API"), reverse("api-docs"), 0))
    return items
