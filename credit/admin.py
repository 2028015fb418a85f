from django.contrib import admin

from .models import Commitment, CommitmentText


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
