from django.contrib import admin, messages

from .models import CatalogVersion, Commitment, CommitmentText, WorkdayAdjustment


@admin.register(CommitmentText)
class CommitmentTextAdmin(admin.ModelAdmin):
    list_display = ["version", "title", "effective_from", "sha256"]
    readonly_fields = ["sha256"]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["supplier", "round", "text", "signed_by", "signed_at"]

    def get_queryset(self, request):
        from django.utils import timezone

        # Who signed is who intends to bid: hidden until the round's opening time.
        return super().get_queryset(request).filter(round__opening_at__lte=timezone.now())

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CatalogVersion)
class CatalogVersionAdmin(admin.ModelAdmin):
    """Editions of the catalog: a new one is added here (copy the numbers of an existing one and change them) and
    put in force with the action; the one in force is never edited in place, records refer to it."""

    list_display = ["code", "title", "family", "effective_from", "in_force"]
    readonly_fields = ["in_force"]
    actions = ["put_in_force"]

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.records.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Put the selected edition in force")
    def put_in_force(self, request, queryset):
        from .services import catalog_version_put_in_force

        if queryset.count() != 1:
            self.message_user(request, "Select exactly one edition.", messages.ERROR)
            return
        version = catalog_version_put_in_force(actor=request.user, version=queryset.get())
        self.message_user(request, f"{version} is in force.")


@admin.register(WorkdayAdjustment)
class WorkdayAdjustmentAdmin(admin.ModelAdmin):
    """The State Council's holiday schedule for years the calendar package does not cover yet."""

    list_display = ["day", "is_workday", "name"]
    date_hierarchy = "day"
