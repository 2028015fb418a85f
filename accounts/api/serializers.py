from rest_framework import serializers

from accounts.models import Organisation, Region, User


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
