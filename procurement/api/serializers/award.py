from rest_framework import serializers

from accounts.api.serializers import StrictModelSerializer
from procurement.models import AllocationLine, AwardGroupResult, AwardOutcome, AwardRun, RuleSet


class AwardComputeSerializer(serializers.Serializer):
    rule_set = serializers.PrimaryKeyRelatedField(queryset=RuleSet.objects.all(), required=False, allow_null=True)
    mode = serializers.ChoiceField(choices=AwardRun.Mode.choices, default=AwardRun.Mode.RULES)
    parameters = serializers.DictField(
        required=False, default=dict, help_text="Overrides of the rule set's parameters"
    )


class AwardOutcomeSerializer(StrictModelSerializer):
    group = serializers.CharField(source="group.code")
    round = serializers.CharField(source="run.round.code")
    supplier = serializers.CharField(source="supplier.code")
    supplier_name = serializers.CharField(source="supplier.name")
    product = serializers.CharField(source="opened_bid.product.national_drug_code", default=None)
    winning_price = serializers.DecimalField(max_digits=14, decimal_places=4, read_only=True, allow_null=True)

    class Meta:
        model = AwardOutcome
        fields = [
            "id", "round", "group", "supplier", "supplier_name", "product", "comparable", "rank", "won", "reason",
            "revival_price", "revived", "winning_price", "justification_required", "allocated", "regions",
        ]  # fmt: skip


class AwardGroupResultSerializer(StrictModelSerializer):
    group = serializers.CharField(source="group.code")
    ceiling = serializers.DecimalField(source="group.ceiling_price", max_digits=14, decimal_places=4)

    class Meta:
        model = AwardGroupResult
        fields = [
            "group", "ceiling", "bidders", "valid_bidders", "max_winners", "lowest_comparable", "anchor",
            "demand_base", "ratio", "agreed_total", "unallocated", "regions", "unallocated_lines",
            "optimiser_status", "total_cost", "ceiling_cost",
        ]  # fmt: skip


class AwardRunSerializer(StrictModelSerializer):
    round = serializers.CharField(source="round.code")
    rule_set = serializers.CharField(source="rule_set.__str__")
    official = serializers.BooleanField(source="is_official")
    groups_done = serializers.SerializerMethodField()
    savings = serializers.DecimalField(max_digits=24, decimal_places=4, read_only=True, allow_null=True)

    class Meta:
        model = AwardRun
        fields = [
            "id", "round", "rule_set", "overrides", "parameters", "mode", "input_hash", "status", "groups_total",
            "groups_done", "error", "requested_at", "finished_at", "winners", "agreed_total", "unallocated",
            "total_cost", "ceiling_cost", "savings", "official", "published_at",
        ]  # fmt: skip

    def get_groups_done(self, run) -> int:
        return run.group_results.count()


class AwardRunDetailSerializer(AwardRunSerializer):
    groups = AwardGroupResultSerializer(source="group_results", many=True)
    outcomes = AwardOutcomeSerializer(many=True)

    class Meta(AwardRunSerializer.Meta):
        fields = [*AwardRunSerializer.Meta.fields, "groups", "outcomes"]


class AllocationLineSerializer(StrictModelSerializer):
    run = serializers.IntegerField(source="run_id")
    group = serializers.CharField(source="group.code")
    hospital = serializers.CharField(source="hospital.code")
    hospital_name = serializers.CharField(source="hospital.name")
    supplier = serializers.CharField(source="supplier.code")
    supplier_name = serializers.CharField(source="supplier.name")

    class Meta:
        model = AllocationLine
        fields = ["id", "run", "group", "hospital", "hospital_name", "supplier", "supplier_name", "quantity", "reason"]


class SupplierSerializer(serializers.Serializer):
    supplier = serializers.IntegerField(help_text="Organisation id of the supplier")


class ChoiceSerializer(serializers.Serializer):
    supplier = serializers.IntegerField(allow_null=True, help_text="Organisation id of a preliminary winner, or null")
