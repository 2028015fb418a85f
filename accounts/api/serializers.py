from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import AuditEntry, Organisation, Region, User


class StrictCharField(serializers.CharField):
    """Text that must come as text: DRF's CharField turns a JSON number into a string, which the schema (type
    string) does not allow."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "number"}]})
class TextOrNumberField(serializers.Field):
    """A number a client may send as text or as a JSON number (a quantity, a price in an uploaded row); kept as the
    text it was, for the service to check with its line-numbered errors."""

    default_error_messages = {"invalid": _("Give a number, as text or as a JSON number.")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            self.fail("invalid")
        return str(data)

    def to_representation(self, value):
        return str(value)


class StrictModelSerializer(serializers.ModelSerializer):
    """The platform's model serializer: text columns take only text (see StrictCharField)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
    }


class RegionSerializer(StrictModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name", "level", "parent"]


class OrganisationSerializer(StrictModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id", "kind", "code", "name", "region", "region_name", "hospital_level", "ownership",
            "licence_number", "licence_scope", "licence_expires",
            "address", "contact_name", "contact_phone", "contact_email", "is_active",
        ]  # fmt: skip


class OrganisationInputSerializer(StrictModelSerializer):
    """Input for registering or changing an organisation; the service validates the domain rules."""

    class Meta:
        model = Organisation
        fields = [
            "kind", "code", "name", "region", "hospital_level", "ownership",
            "licence_number", "licence_scope", "licence_expires",
            "address", "contact_name", "contact_phone", "contact_email", "is_active",
        ]  # fmt: skip
        extra_kwargs = {"code": {"validators": []}}


class UserSerializer(StrictModelSerializer):
    organisation = OrganisationSerializer(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "role", "organisation"]


class TaskSerializer(serializers.Serializer):
    """One task of the user's workbench (``accounts.workbench.Task``), worded in the request's language."""

    section = serializers.CharField(help_text="The menu section: rounds, agreements, purchases, prices or credit.")
    title = serializers.CharField()
    detail = serializers.CharField()
    url = serializers.CharField(help_text="The page where the task is done (a path on this platform).")
    due = serializers.DateTimeField(source="due_at", allow_null=True)
    urgency = serializers.CharField(help_text="overdue, soon (within three days) or empty.")
    count = serializers.IntegerField(help_text="How many objects the task stands for.")

    def to_representation(self, task):
        data = super().to_representation(task)
        data["urgency"] = task.urgency(self.context["now"])
        return data


class AuditEntrySerializer(StrictModelSerializer):
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
