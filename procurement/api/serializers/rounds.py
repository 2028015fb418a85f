from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import StrictCharField, StrictModelSerializer
from credit.models import Commitment
from procurement.engines.rule_sets import parameter_rows
from procurement.models import (
    GROUP_FIELDS,
    ROUND_INPUT_FIELDS,
    BidVersion,
    DemandReport,
    DemandUpload,
    OpenedBid,
    ProductGroup,
    RuleSet,
    TenderRound,
)
from procurement.models.catalog import StrengthUnit
from procurement.services.bidding import MAX_CAPACITY


class ParameterRowSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    value = serializers.CharField()


class RuleSetSerializer(StrictModelSerializer):
    """A rule set of the library: what it is in words (translated), its engine family and its parameters."""

    family_label = serializers.CharField(source="get_family_display", read_only=True)
    label = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField()
    source = serializers.SerializerMethodField()
    inferred = serializers.SerializerMethodField()
    tie_break = serializers.ListField(child=serializers.CharField(), read_only=True)
    parameters_in_words = serializers.SerializerMethodField()

    class Meta:
        model = RuleSet
        fields = [
            "id", "code", "version", "family", "family_label", "name", "label", "changes", "source", "inferred",
            "parameters", "tie_break", "parameters_in_words", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_label(self, obj) -> str:
        return str(obj.label)

    def get_changes(self, obj) -> str:
        return str(obj.library.get("changes", ""))

    def get_source(self, obj) -> str:
        return str(obj.library.get("source", ""))

    def get_inferred(self, obj) -> str:
        return str(obj.library.get("inferred", ""))

    @extend_schema_field(ParameterRowSerializer(many=True))
    def get_parameters_in_words(self, obj) -> list:
        return [{key: str(value) for key, value in row.items()} for row in parameter_rows(obj.parameters)]


class RoundSerializer(StrictModelSerializer):
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


class RoundInputSerializer(StrictModelSerializer):
    class Meta:
        model = TenderRound
        fields = ROUND_INPUT_FIELDS
        extra_kwargs = {"code": {"validators": []}, "regions": {"required": False}}


class TransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=["demand", "cancelled"])
    reason = StrictCharField(required=False, allow_blank=True, default="")


class ExtendDemandSerializer(serializers.Serializer):
    closes_at = serializers.DateTimeField()
    reason = StrictCharField()


class SpecCeilingSerializer(serializers.Serializer):
    """A ceiling per smallest unit of one strength, overriding the converted representative ceiling for it."""

    strength = serializers.DecimalField(max_digits=14, decimal_places=4, min_value=Decimal("0.0001"))
    strength_unit = serializers.ChoiceField(choices=StrengthUnit.choices, required=False)
    ceiling = serializers.DecimalField(max_digits=14, decimal_places=4, min_value=Decimal("0.0001"))

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        return {name: str(value) for name, value in values.items()}


class GroupSerializer(StrictModelSerializer):
    spec_ceilings = SpecCeilingSerializer(many=True, required=False, max_length=20)

    class Meta:
        model = ProductGroup
        fields = ["id", "round", *GROUP_FIELDS, "eligible_products"]
        extra_kwargs = {"round": {"read_only": True}}


class DemandReportSerializer(StrictModelSerializer):
    group_code = serializers.CharField(source="group.code", read_only=True)

    class Meta:
        model = DemandReport
        fields = ["id", "group", "group_code", "hospital", "quantity", "brand", "updated_at"]
        read_only_fields = ["hospital", "updated_at"]


class DemandInputSerializer(serializers.Serializer):
    group = serializers.PrimaryKeyRelatedField(queryset=ProductGroup.objects.all())
    quantity = serializers.IntegerField(min_value=1)
    brand = StrictCharField(required=False, allow_blank=True, help_text="national drug code")


class DemandUploadSerializer(StrictModelSerializer):
    class Meta:
        model = DemandUpload
        fields = ["id", "round", "filename", "uploaded_at", "accepted", "rows", "errors", "idempotency_key"]


class RowErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


class SpecCeilingUploadSerializer(serializers.Serializer):
    """The result of a per-specification ceilings spreadsheet: applied whole, or rejected with line-numbered
    errors and nothing changed (then answered with 400 and ``code`` ``file_rejected``)."""

    status = serializers.ChoiceField(choices=["accepted", "rejected"])
    code = serializers.CharField(required=False)
    detail = serializers.CharField(required=False)
    groups = serializers.IntegerField(help_text="groups whose ceilings per specification were replaced")
    rows = serializers.IntegerField()
    errors = RowErrorSerializer(many=True)


class FileSerializer(serializers.Serializer):
    file = serializers.FileField()


class CommitmentSerializer(StrictModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    text_version = serializers.CharField(source="text.version", read_only=True)

    class Meta:
        model = Commitment
        fields = ["id", "supplier", "round", "text_version", "text_sha256", "signed_by", "signed_at"]
        read_only_fields = fields


class CommitmentInputSerializer(serializers.Serializer):
    round = serializers.PrimaryKeyRelatedField(queryset=TenderRound.objects.all())


class BidReceiptSerializer(StrictModelSerializer):
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
    product = StrictCharField(help_text="national drug code of your eligible product")
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
    regions = serializers.ListField(child=StrictCharField(), required=False, default=list)


class BidWithdrawSerializer(serializers.Serializer):
    group = serializers.PrimaryKeyRelatedField(queryset=ProductGroup.objects.select_related("round"))


class OpenedBidSerializer(StrictModelSerializer):
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
