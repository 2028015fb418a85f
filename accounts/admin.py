"""Admin pages, audited like every other change."""

import contextlib

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from . import audit
from .models import AuditEntry, Organisation, Region, User


class AuditedAdmin(admin.ModelAdmin):
    """Records admin saves and deletions in the platform's audit trail with before/after values."""

    audit_fields: list[str] | None = None  # None: every concrete field

    def save_model(self, request, obj, form, change):
        before = audit.snapshot(type(obj).objects.get(pk=obj.pk), self.audit_fields) if change else None
        super().save_model(request, obj, form, change)
        action = f"{obj._meta.model_name}.{'update' if change else 'create'}"
        after = audit.snapshot(obj, self.audit_fields)
        audit.record(actor=request.user, action=action, instance=obj, before=before, after=after)

    def delete_model(self, request, obj):
        before = audit.snapshot(obj, self.audit_fields)
        audit.record(actor=request.user, action=f"{obj._meta.model_name}.delete", instance=obj, before=before)
        super().delete_model(request, obj)


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "region", "hospital_level", "ownership", "is_active"]
    list_filter = ["kind", "hospital_level", "ownership", "is_active"]
    search_fields = ["code", "name"]


@admin.register(User)
class PlatformUserAdmin(AuditedAdmin, UserAdmin):
    list_display = ["username", "role", "organisation", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    fieldsets = (*UserAdmin.fieldsets, ("Platform", {"fields": ("organisation", "role")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, ("Platform", {"fields": ("organisation", "role")}))

    # Password hashes never go into the audit trail.
    audit_fields = ["username", "role", "organisation", "is_active", "is_staff", "is_superuser", "email"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_name", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "actor_name", "action"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_now()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Secrets never show in the admin: API tokens are stored as hashes and listed by nobody but their owner
# (/account/tokens/); the plaintext token table of before is emptied by migration 0005 and hidden here too.
def _unregister(model_path: str) -> None:
    from django.apps import apps

    with contextlib.suppress(LookupError, admin.sites.NotRegistered):
        admin.site.unregister(apps.get_model(model_path))


_unregister("authtoken.TokenProxy")
_unregister("knox.AuthToken")
