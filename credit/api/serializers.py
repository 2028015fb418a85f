"""Serializers of the credit API: plain reads of records, ratings and measures; separate inputs for the actions."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import StrictCharField, StrictModelSerializer
from accounts.models import Organisation

from .. import workdays
from ..models import (
    CatalogVersion,
    CreditRecord,
    Item,
    Measure,
    RatingRun,
    RatingSnapshot,
    RepairApplication,
    Tip,
    catalog_products,
)


class CatalogVersionSerializer(StrictModelSerializer):
    class Meta:
        model = CatalogVersion
        fields = ["code", "family", "title", "effective_from", "in_force", "benchmark", "procedure", "repair_steps"]


class CreditRecordSerializer(StrictModelSerializer):
    reference = serializers.CharField(read_only=True)
    supplier_code = serializers.CharField(source="supplier.code", read_only=True)
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    catalog_version = serializers.CharField(source="catalog_version.code", read_only=True)
    products = serializers.SlugRelatedField(many=True, read_only=True, slug_field="national_drug_code")
    defence_due = serializers.SerializerMethodField()
    served_on = serializers.DateField(read_only=True, allow_null=True)
    measures_from = serializers.DateField(read_only=True, allow_null=True)
    expires_on = serializers.DateField(read_only=True, allow_null=True)
    # Blank until decided: the schema must say so (found by the API fuzzing).
    decision = serializers.ChoiceField(choices=CreditRecord.Decision.choices, allow_blank=True, read_only=True)

    class Meta:
        model = CreditRecord
        fields = [
            "id", "reference", "supplier", "supplier_code", "supplier_name", "item", "catalog_version", "amount",
            "facts", "description", "source", "document_number", "products", "occurred_on", "status",
            "judged_level", "judged_rule", "notice_published_at", "notice_opened_at", "served_on", "defence_due",
            "defence_statement", "defence_filed_at", "decision", "decision_reason", "decided_at", "confirmed_on",
            "measures_from", "expires_on", "revoked_on", "revocation_reason", "repaired_on", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_defence_due(self, record):
        # The working-day adjustments are read once per response, not once per record of a list.
        if "workday_adjustments" not in self.context:
            self.context["workday_adjustments"] = workdays.all_adjustments()
        return record.defence_due(self.context["workday_adjustments"])


class RecordInputSerializer(serializers.Serializer):
    supplier = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.suppliers())
    item = serializers.ChoiceField(choices=Item.choices)
    source = serializers.ChoiceField(
        choices=["court_judgment", "administrative_penalty", "platform_event"], default="administrative_penalty"
    )
    occurred_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False, default=0)
    facts = serializers.DictField(required=False, default=dict)
    description = StrictCharField(required=False, allow_blank=True, default="")
    document_number = StrictCharField(required=False, allow_blank=True, default="", max_length=100)
    products = serializers.SlugRelatedField(
        many=True, required=False, default=list, slug_field="national_drug_code", queryset=catalog_products()
    )


class SelfReportInputSerializer(serializers.Serializer):
    item = serializers.ChoiceField(choices=Item.choices)
    occurred_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False, default=0)
    facts = serializers.DictField(required=False, default=dict)
    description = StrictCharField()
    products = serializers.SlugRelatedField(
        many=True, required=False, default=list, slug_field="national_drug_code", queryset=catalog_products()
    )


class DecisionInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=CreditRecord.Decision.choices)
    reason = StrictCharField()
    item = serializers.ChoiceField(choices=Item.choices, required=False)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False)
    facts = serializers.DictField(required=False)


class ReasonInputSerializer(serializers.Serializer):
    reason = StrictCharField()


class DefenceInputSerializer(serializers.Serializer):
    statement = StrictCharField()


class TipSerializer(StrictModelSerializer):
    record = serializers.CharField(source="record.reference", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Tip
        fields = [
            "id", "supplier", "supplier_name", "item", "description", "reporter_name", "reporter_contact",
            "submitted_at", "status", "reviewed_at", "review_reason", "record",
        ]  # fmt: skip
        read_only_fields = ["id", "supplier", "submitted_at", "status", "reviewed_at", "review_reason", "record"]


class TipReviewInputSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = StrictCharField()
    supplier = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.suppliers(), required=False)
    occurred_on = serializers.DateField(required=False)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False, default=0)
    facts = serializers.DictField(required=False, default=dict)


class RepairApplicationSerializer(StrictModelSerializer):
    record_reference = serializers.CharField(source="record.reference", read_only=True)

    class Meta:
        model = RepairApplication
        fields = [
            "id", "record", "record_reference", "supplier", "steps", "statement", "commitment_accepted",
            "submitted_at", "status", "decided_at", "decision_reason",
        ]  # fmt: skip
        read_only_fields = ["id", "supplier", "submitted_at", "status", "decided_at", "decision_reason"]
        extra_kwargs = {"record": {"queryset": CreditRecord.objects.all()}}


class RepairDecisionInputSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = StrictCharField()


class RatingSnapshotSerializer(StrictModelSerializer):
    supplier_code = serializers.CharField(source="supplier.code", read_only=True)
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)

    class Meta:
        model = RatingSnapshot
        fields = [
            "id", "supplier", "supplier_code", "supplier_name", "as_of", "catalog_version", "level", "score",
            "counted_records", "expired_records", "revoked_records", "repaired_records", "measures", "explanation",
            "trigger", "computed_at",
        ]  # fmt: skip


class MeasureSerializer(StrictModelSerializer):
    supplier_code = serializers.CharField(source="supplier.code", read_only=True)
    products = serializers.SlugRelatedField(many=True, read_only=True, slug_field="national_drug_code")

    class Meta:
        model = Measure
        fields = [
            "id", "supplier", "supplier_code", "kind", "level", "records", "all_products", "products", "starts_on",
            "ends_on", "lifted_on", "lift_reason", "acknowledged_at",
        ]  # fmt: skip


class RatingRunSerializer(StrictModelSerializer):
    catalog_version = serializers.CharField(source="catalog_version.code", read_only=True)
    chunks_done = serializers.IntegerField(read_only=True)

    class Meta:
        model = RatingRun
        fields = [
            "id", "as_of", "catalog_version", "status", "chunks_total", "chunks_done", "suppliers_total", "changed",
            "requested_at", "finished_at", "error",
        ]  # fmt: skip


class RunInputSerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False, allow_null=True)


class DisclosureSerializer(StrictModelSerializer):
    supplier_code = serializers.CharField(source="supplier.code")
    supplier_name = serializers.CharField(source="supplier.name")

    class Meta:
        model = RatingSnapshot
        fields = ["supplier_code", "supplier_name", "as_of", "catalog_version", "level", "counted_records"]
