"""Who may do what: the role checks that pages, API endpoints and exports all use.

Which rows a user sees is declared once per model as a ``visibility`` scope (core.scoping) over the audiences
named here; this module holds the role predicates, the audiences and the view/API guards built on them.
"""

from collections.abc import Callable, Iterable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from core.errors import DomainError

from .models import Role

# The role groups every page, API endpoint and service checks against, named once.
AUTHORITY_ROLES = frozenset({Role.PROCUREMENT_OFFICER, Role.CREDIT_OFFICER, Role.ADMINISTRATOR})
PROCUREMENT_OFFICER_ROLES = frozenset({Role.PROCUREMENT_OFFICER, Role.ADMINISTRATOR})
CREDIT_OFFICER_ROLES = frozenset({Role.CREDIT_OFFICER, Role.ADMINISTRATOR})
# The two parties of a purchase relationship (agreements, purchases, deliveries).
PARTY_ROLES = frozenset({Role.HOSPITAL_USER, Role.SUPPLIER_USER})


def has_role(user, *roles: str) -> bool:
    return bool(user.is_authenticated and user.organisation_id and user.role in roles)


def is_authority_staff(user) -> bool:
    return has_role(user, *AUTHORITY_ROLES)


def is_procurement_officer(user) -> bool:
    return has_role(user, *PROCUREMENT_OFFICER_ROLES)


def is_credit_officer(user) -> bool:
    return has_role(user, *CREDIT_OFFICER_ROLES)


def require_procurement_officer(actor, error: type[DomainError]) -> None:
    """The guard of every service only a procurement officer may call; ``error`` is the calling app's own."""
    if not is_procurement_officer(actor):
        raise error(_("Only a procurement officer may do this."), code="not_officer")


def is_supplier_user(user) -> bool:
    return has_role(user, Role.SUPPLIER_USER)


def is_hospital_user(user) -> bool:
    return has_role(user, Role.HOSPITAL_USER)


def is_distributor_user(user) -> bool:
    return has_role(user, Role.DISTRIBUTOR_USER)


# The audiences a model's ``visibility`` scope (core.scoping) names: who a user is, for deciding which rows they see.
AUDIENCES = frozenset(
    {
        "signed_in",
        "member",
        "authority",
        "procurement_officer",
        "credit_officer",
        "administrator",
        "supplier",
        "hospital",
        "distributor",
    }
)


def audiences(user) -> frozenset[str]:
    """The audiences ``user`` (signed in) belongs to; settings.SCOPE_AUDIENCES names this function."""
    found = {"signed_in"}
    if user.role == Role.ADMINISTRATOR:
        found.add("administrator")
    if user.organisation_id:
        found.add("member")
    if is_authority_staff(user):
        found.add("authority")
    if is_procurement_officer(user):
        found.add("procurement_officer")
    if is_credit_officer(user):
        found.add("credit_officer")
    if is_supplier_user(user):
        found.add("supplier")
    if is_hospital_user(user):
        found.add("hospital")
    if is_distributor_user(user):
        found.add("distributor")
    return frozenset(found)


def require_roles(roles: Iterable[str]) -> Callable:
    """View decorator: anonymous users go to the login page, users of other roles get 403."""
    allowed = frozenset(roles)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *allowed):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RolePermission(BasePermission):
    """DRF permission: read access for ``read_roles``, write access for ``write_roles``."""

    read_roles: frozenset[str] = frozenset(Role.values)
    write_roles: frozenset[str] = frozenset()

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return has_role(user, *self.read_roles)
        return has_role(user, *self.write_roles)


def role_permission(*, read: Iterable[str] = Role.values, write: Iterable[str] = ()) -> type[RolePermission]:
    return type(
        "RolePermissionFor", (RolePermission,), {"read_roles": frozenset(read), "write_roles": frozenset(write)}
    )


def only(*roles: str) -> list[type[RolePermission]]:
    """``permission_classes`` of an action that these roles alone may call: the others get 403 before anything
    else is looked at (their input is not even validated)."""
    return [role_permission(read=roles, write=roles)]
