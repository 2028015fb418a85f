from django.contrib import admin

from accounts.admin import AuditedAdmin

from .models import Product, ProductImport


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
