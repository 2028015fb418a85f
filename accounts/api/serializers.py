from rest_framework import serializers

from accounts.models import AuditEntry, Organisation, Region, User


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name", "level", "parent"]


class OrganisationSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "kind", "code", "name", "region", "region_name", "hospital_level", "ownership", "is_active"]


class OrganisationInputSerializer(serializers.ModelSerializer):
    """Input for registering or changing an organisation; the service validates the domain rules."""

    class Meta:
        model = Organisation
        fields = ["kind", "code", "name", "region", "hospital_level", "ownership", "is_active"]
        extra_kwargs = {"code": {"validators": []}}


class UserSerializer(serializers.ModelSerializer):
    organisation = OrganisationSerializer(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "role", "organisation"]


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "created_at",
            "actor_name",
            "organisation",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "before",
            "after",
            "reason",
            "content_mac",
            "seq",
            "chain_mac",
        ]


class AuditProblemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["edited", "inserted", "deleted", "reordered"])
    entry_id = serializers.IntegerField(allow_null=True)
    seq = serializers.IntegerField(allow_null=True)
    message = serializers.CharField()


class AuditVerificationSerializer(serializers.Serializer):
    intact = serializers.BooleanField()
    sealed = serializers.IntegerField()
    pending = serializers.IntegerField()
    checkpoints = serializers.IntegerField()
    head_seq = serializers.IntegerField()
    head_mac = serializers.CharField()
    problems = AuditProblemSerializer(many=True)


class StrictCharField(serializers.CharField):
    """Text that must come as text: DRF's CharField turns a JSON number into a string, which the schema (type
    string) does not allow."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)
