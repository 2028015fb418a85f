from decimal import Decimal

from rest_framework import serializers

from credit.models import Commitment
from procurement.models import (
    GROUP_FIELDS,
    ROUND_INPUT_FIELDS,
    BidVersion,
    DemandReport,
    DemandUpload,
    OpenedBid,
    ProductGroup,
    TenderRound,
)
from procurement.services.bidding import MAX_CAPACITY


class RoundSerializer(serializers.ModelSerializer):
    rule_set_code = serializers.CharField(source="rule_set.code", read_only=True)
    rule_set_version = serializers.IntegerField(source="rule_set.version", read_only=True)

    class Meta:
        model = TenderRound
        fields = [
            "id",
            "code",
            "name",
            "scope",
            "status",
            "rule_set",
            "rule_set_code",
            "rule_set_version",
            "demand_opens_at",
            "demand_closes_at",
            "bid_opens_at",
            "bid_closes_at",
            "opening_at",
            "cycle_starts_on",
            "cycle_months",
            "k_strength",
            "k_pack",
            "regions",
            "opened_at",
        ]
        read_only_fields = ["status", "k_strength", "k_pack", "opened_at"]


class RoundInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = TenderRound
        fields = ROUND_INPUT_FIELDS
        extra_kwargs = {"code": {"validators": []}, "regions": {"required": False}}


class TransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=["demand", "cancelled"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ExtendDemandSerializer(serializers.Serializer):
    closes_at = serializers.DateTimeField()
    reason = serializers.CharField()


class GroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductGroup
        fields = ["id", "round", *GROUP_FIELDS, "eligible_products"]
        extra_kwargs = {"round": {"read_only": True}}


class DemandReportSerializer(serializers.ModelSerializer):
    group_code = serializers.CharField(source="group.code", read_only=True)

    class Meta:
        model = DemandReport
        fields = ["id", "group", "group_code", "hospital", "quantity", "brand", "updated_at"]
        read_only_fields = ["hospital", "updated_at"]


class DemandInputSerializer(serializers.Serializer):
    group = serializers.PrimaryKeyRelatedField(queryset=ProductGroup.objects.all())
    quantity = serializers.IntegerField(min_value=1)
    brand = serializers.CharField(required=False, allow_blank=True, help_text="national drug code")


class DemandUploadSerializer(serializers.ModelSerializer):
    class Meta:
        model = DemandUpload
        fields = ["id", "round", "filename", "uploaded_at", "accepted", "rows", "errors", "idempotency_key"]


class FileSerializer(serializers.Serializer):
    file = serializers.FileField()


class CommitmentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    text_version = serializers.CharField(source="text.version", read_only=True)

    class Meta:
        model = Commitment
        fields = ["id", "supplier", "round", "text_version", "text_sha256", "signed_by", "signed_at"]
        read_only_fields = fields


class CommitmentInputSerializer(serializers.Serializer):
    round = serializers.PrimaryKeyRelatedField(queryset=TenderRound.objects.all())


class BidReceiptSerializer(serializers.ModelSerializer):
    """What a supplier gets back for a bid: never the content, only its receipt."""

    id = serializers.UUIDField(source="public_id", read_only=True, help_text="the receipt's number (random)")
    group = serializers.IntegerField(source="bid.group_id", read_only=True)
    group_code = serializers.CharField(source="bid.group.code", read_only=True)
    round = serializers.IntegerField(source="bid.round_id", read_only=True)
    status = serializers.CharField(source="bid.status", read_only=True)

    class Meta:
        model = BidVersion
        fields = ["id", "round", "group", "group_code", "number", "action", "status", "submitted_at", "receipt_hash"]


class BidInputSerializer(serializers.Serializer):
    group = serializers.PrimaryKeyRelatedField(queryset=ProductGroup.objects.select_related("round"))
    product = serializers.CharField(help_text="national drug code of your eligible product")
    price = serializers.DecimalField(
        max_digits=14, decimal_places=4, min_value=Decimal("0.0001"), help_text="price per pack, yuan"
    )
    capacity = serializers.IntegerField(
        min_value=1,
        max_value=MAX_CAPACITY,
        required=False,
        allow_null=True,
        help_text="smallest units a year; empty for no limit",
    )
    regions = serializers.ListField(child=serializers.CharField(), required=False, default=list)


class BidWithdrawSerializer(serializers.Serializer):
    group = serializers.PrimaryKeyRelatedField(queryset=ProductGroup.objects.select_related("round"))


class OpenedBidSerializer(serializers.ModelSerializer):
    group_code = serializers.CharField(source="group.code")
    supplier_code = serializers.CharField(source="supplier.code")
    supplier_name = serializers.CharField(source="supplier.name")
    product_code = serializers.CharField(source="product.national_drug_code", default=None)

    class Meta:
        model = OpenedBid
        fields = [
            "group",
            "group_code",
            "supplier_code",
            "supplier_name",
            "product_code",
            "pack_price",
            "comparable_price",
            "capacity",
            "regions",
            "submitted_at",
            "receipt_hash",
            "hash_verified",
            "valid",
            "invalid_reason",
        ]
