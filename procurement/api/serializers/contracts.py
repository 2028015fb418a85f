from rest_framework import serializers

from accounts.api.serializers import StrictCharField, StrictModelSerializer, TextOrNumberField
from accounts.models import Organisation, Region
from procurement.models import Contract, Delivery, ProductGroup, PurchaseLine, PurchaseUpload, SupplyFailure


class ContractSerializer(StrictModelSerializer):
    round = serializers.CharField(source="round.code")
    group = serializers.CharField(source="group.code")
    hospital_code = serializers.CharField(source="hospital.code")
    supplier_code = serializers.CharField(source="supplier.code")
    product = serializers.CharField(source="product.national_drug_code")
    region = serializers.CharField(source="region.code")

    class Meta:
        model = Contract
        fields = [
            "id", "round", "group", "hospital", "hospital_code", "supplier", "supplier_code", "product", "region",
            "agreed_quantity", "unit_price", "comparable_price", "cycle_start", "cycle_end", "status",
            "hospital_confirmed_at", "supplier_confirmed_at", "moved_from", "renewal_of", "purchased_quantity",
            "purchased_amount", "last_purchase_on", "delivered_quantity", "delivered_on_time_quantity",
        ]  # fmt: skip
        read_only_fields = fields


class PurchaseUploadSerializer(StrictModelSerializer):
    class Meta:
        model = PurchaseUpload
        fields = ["id", "idempotency_key", "source", "status", "lines", "substitution_lines", "errors", "created_at"]


class PurchaseLineSerializer(StrictModelSerializer):
    product = serializers.CharField(source="product.national_drug_code")
    supplier_code = serializers.CharField(source="supplier.code")

    class Meta:
        model = PurchaseLine
        fields = [
            "id", "upload", "order_number", "ordered_on", "product", "supplier_code", "quantity", "unit_price",
            "amount", "kind", "contract", "group",
        ]  # fmt: skip


class PurchaseLineInputSerializer(serializers.Serializer):
    order_number = StrictCharField()
    ordered_on = StrictCharField()
    product = StrictCharField(help_text="national drug code")
    supplier = StrictCharField(required=False, allow_blank=True)
    quantity = TextOrNumberField()
    unit_price = TextOrNumberField()


class PurchaseReportInputSerializer(serializers.Serializer):
    lines = PurchaseLineInputSerializer(many=True)


class DeliverySerializer(StrictModelSerializer):
    class Meta:
        model = Delivery
        fields = [
            "id", "contract", "order_number", "ordered_on", "shipped_on", "quantity", "due_on", "received_on",
            "on_time",
        ]  # fmt: skip
        read_only_fields = ["id", "due_on", "received_on", "on_time"]
        extra_kwargs = {"contract": {"queryset": Contract.objects.all()}}


class ReceiveInputSerializer(serializers.Serializer):
    received_on = serializers.DateField(required=False)


class SupplyFailureSerializer(StrictModelSerializer):
    class Meta:
        model = SupplyFailure
        fields = [
            "id", "round", "group", "supplier", "region", "backup", "reason", "moved_quantity", "contracts_moved",
            "declared_by_supplier", "recorded_at", "credit_record",
        ]  # fmt: skip
        read_only_fields = ["id", "moved_quantity", "contracts_moved", "declared_by_supplier", "recorded_at",
                            "credit_record"]  # fmt: skip


class SupplyFailureInputSerializer(serializers.Serializer):
    group = serializers.PrimaryKeyRelatedField(queryset=ProductGroup.objects.all())
    supplier = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.suppliers())
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    reason = StrictCharField()
    backup = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.suppliers(), required=False, allow_null=True
    )
    interruption_days = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class RenewInputSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1)
