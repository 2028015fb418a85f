from django.contrib import admin

from accounts.admin import AuditedAdmin

from .models import Bid, DemandReport, OpenedBid, Product, ProductGroup, ProductImport, RuleSet, TenderRound


@admin.register(Product)
class ProductAdmin(AuditedAdmin):
    list_display = [
        "national_drug_code",
        "generic_name",
        "dosage_form",
        "strength_amount",
        "strength_unit",
        "pack_size",
    ]
    list_filter = ["quality_tier", "smallest_unit", "is_active"]
    search_fields = ["national_drug_code", "generic_name"]
    autocomplete_fields = ["holder"]


@admin.register(ProductImport)
class ProductImportAdmin(admin.ModelAdmin):
    list_display = ["uploaded_at", "uploaded_by", "filename", "status", "rows_created", "rows_updated"]
    list_filter = ["status"]
    exclude = ["content"]
    readonly_fields = [field.name for field in ProductImport._meta.fields if field.name != "content"]

    def has_add_permission(self, request):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rounds and bids change only through their services (status machine, sealing); the admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RuleSet)
class RuleSetAdmin(ReadOnlyAdmin):
    list_display = ["code", "version", "name", "created_at"]


@admin.register(TenderRound)
class TenderRoundAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "status", "bid_closes_at", "opening_at"]
    list_filter = ["status", "scope"]
    exclude = ["sealing_salt"]


@admin.register(ProductGroup)
class ProductGroupAdmin(ReadOnlyAdmin):
    list_display = ["round", "code", "generic_name", "dosage_form", "ceiling_price"]


@admin.register(DemandReport)
class DemandReportAdmin(ReadOnlyAdmin):
    list_display = ["group", "hospital", "quantity", "brand", "updated_at"]


@admin.register(Bid)
class BidAdmin(ReadOnlyAdmin):
    """Lists bids only for opened rounds: before the opening even their existence is hidden."""

    list_display = ["round", "group", "supplier", "status", "current_version"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(round__opened_at__isnull=False)


@admin.register(OpenedBid)
class OpenedBidAdmin(ReadOnlyAdmin):
    list_display = ["round", "group", "supplier", "pack_price", "comparable_price", "valid", "invalid_reason"]
    list_filter = ["valid", "invalid_reason"]
