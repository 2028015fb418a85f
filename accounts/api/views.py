from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts import access, audit_chain, services
from accounts.filters import AuditEntryFilter, OrganisationFilter
from accounts.models import AuditEntry, Organisation, Region, Role, User

from .serializers import (
    AuditEntrySerializer,
    AuditVerificationSerializer,
    OrganisationInputSerializer,
    OrganisationSerializer,
    RegionSerializer,
    UserSerializer,
)


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """The province/city tree."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_fields = ["level", "parent"]
    search_fields = ["name", "code"]


class OrganisationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Organisations visible to the caller: authority staff see all, others their own."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    search_fields = ["name", "code"]
    ordering_fields = ["code", "name", "kind"]
    permission_classes = [
        access.role_permission(write=[Role.PROCUREMENT_OFFICER, Role.ADMINISTRATOR]),
    ]

    def get_queryset(self):
        return Organisation.objects.visible_to(self.request.user).select_related("region")

    @extend_schema(request=OrganisationInputSerializer, responses={201: OrganisationSerializer})
    def create(self, request, *args, **kwargs):
        data = OrganisationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = services.organisation_create(actor=request.user, **data.validated_data)
        return Response(OrganisationSerializer(organisation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OrganisationInputSerializer, responses=OrganisationSerializer)
    def update(self, request, *args, **kwargs):
        organisation = self.get_object()
        data = OrganisationInputSerializer(organisation, data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        organisation = services.organisation_update(
            actor=request.user, organisation=organisation, **data.validated_data
        )
        return Response(OrganisationSerializer(organisation).data)


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """Users: administrators see all, everyone else only themselves (``/users/me/``)."""

    serializer_class = UserSerializer
    search_fields = ["username"]

    def get_queryset(self):
        return User.objects.visible_to(self.request.user).select_related("organisation__region").order_by("id")

    @action(detail=False)
    def me(self, request):
        return Response(UserSerializer(request.user).data)


class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit trail with its seals (authority staff); ``verify`` recomputes the chain."""

    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilter
    permission_classes = [access.role_permission(read=access.AUTHORITY_ROLES, write=access.AUTHORITY_ROLES)]

    def get_queryset(self):
        return AuditEntry.objects.visible_now()

    @extend_schema(request=None, responses=AuditVerificationSerializer)
    @action(detail=False, methods=["post"])
    def verify(self, request):
        """Seal what is pending, verify the whole chain, and when intact publish its head as a checkpoint."""
        audit_chain.seal()
        result = audit_chain.verify()
        if result.intact:
            audit_chain.publish_checkpoint(f"verification by {request.user.get_username()} (API)")
        return Response(
            AuditVerificationSerializer(
                {
                    "intact": result.intact,
                    "sealed": result.sealed,
                    "pending": result.pending,
                    "checkpoints": result.checkpoints,
                    "head_seq": result.head_seq,
                    "head_mac": result.head_mac,
                    "problems": [vars(problem) for problem in result.problems],
                }
            ).data
        )
