from rest_framework import serializers

from accounts.api.serializers import StrictModelSerializer
from procurement.models import PRODUCT_FIELDS, Product, ProductImport


class ProductSerializer(StrictModelSerializer):
    holder_name = serializers.CharField(source="holder.name", read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "national_drug_code",
            "generic_name",
            "dosage_form",
            "strength_amount",
            "strength_unit",
            "pack_size",
            "smallest_unit",
            "quality_tier",
            "holder",
            "holder_name",
            "is_active",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]


class ProductInputSerializer(StrictModelSerializer):
    class Meta:
        model = Product
        fields = PRODUCT_FIELDS
        extra_kwargs = {"national_drug_code": {"validators": []}}


class ProductImportSerializer(StrictModelSerializer):
    class Meta:
        model = ProductImport
        fields = [
            "id",
            "filename",
            "uploaded_at",
            "status",
            "finished_at",
            "rows_total",
            "rows_created",
            "rows_updated",
            "errors",
            "idempotency_key",
        ]


class ProductImportInputSerializer(serializers.Serializer):
    file = serializers.FileField()
