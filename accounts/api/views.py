from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access, audit, audit_chain, services, workbench
from accounts.api.serializers import StrictCharField
from accounts.filters import AuditEntryFilter, OrganisationFilter
from accounts.models import AuditEntry, Organisation, Region, Role, User
from accounts.throttling import AnonymousWriteThrottle
from core.api.parsers import SafeFormParser, SafeJSONParser

from .serializers import (
    AuditEntrySerializer,
    AuditVerificationSerializer,
    OrganisationInputSerializer,
    OrganisationSerializer,
    RegionSerializer,
    TaskSerializer,
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

    @extend_schema(responses=TaskSerializer(many=True))
    @action(detail=False, url_path="me/tasks", url_name="me-tasks", pagination_class=None)
    def tasks(self, request):
        """What waits for the signed-in user, most urgent first: the workbench of the user's home page."""
        now = timezone.now()
        tasks = workbench.tasks_for(request.user, now)
        return Response(TaskSerializer(tasks, many=True, context={"now": now}).data)


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


class TokenRequestSerializer(serializers.Serializer):
    username = StrictCharField()
    password = StrictCharField(style={"input_type": "password"}, trim_whitespace=False)
    otp_token = StrictCharField(required=False, allow_blank=True, help_text="TOTP code (officers, administrators)")


class TokenSerializer(serializers.Serializer):
    token = StrictCharField(help_text="shown once: only its hash is stored")
    expiry = serializers.DateTimeField(allow_null=True)


class ObtainTokenView(APIView):
    """An API token for machine clients. Officers and administrators also give their current TOTP code; failed
    attempts count towards the login lockout like the login form's."""

    authentication_classes = []
    permission_classes = []
    # Plain strings only: a form post (curl -d username=…) is as faithful as JSON here.
    parser_classes = [SafeJSONParser, SafeFormParser]
    # Anonymous by nature: throttled per address (django-axes also locks a user name out after failed attempts).
    throttle_classes = [AnonymousWriteThrottle]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        from django.contrib.auth import authenticate
        from django_otp import match_token
        from knox.models import AuthToken

        from accounts.middleware import needs_second_factor

        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request=request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if getattr(request._request, "axes_locked_out", False):
            return Response(
                {"code": "locked_out", "detail": _("Too many failed logins: try again later.")}, status=429
            )
        if user is None or not user.is_active:
            return Response(
                {"code": "invalid_credentials", "detail": _("Unable to log in with the given credentials.")},
                status=400,
            )
        if needs_second_factor(user):
            # Each wrong code slows the next attempt down (django-otp's throttling); a missing one costs nothing.
            code = data.validated_data.get("otp_token", "").replace(" ", "")
            if not code or match_token(user, code) is None:
                return Response(
                    {"code": "otp_required", "detail": _("A valid two-factor code (otp_token) is required.")},
                    status=400,
                )
        # A new token each time (shown this once; only its hash is stored), audited without the token itself.
        instance, token = AuthToken.objects.create(user=user)
        audit.record(
            actor=user,
            action="api_token.issue",
            instance=user,
            after={
                "token": instance.token_key[:8],
                "expiry": instance.expiry.isoformat() if instance.expiry else None,
            },
        )
        return Response({"token": token, "expiry": instance.expiry})


class ApiTokenSerializer(serializers.Serializer):
    key = serializers.CharField(source="token_key", help_text="the token's first 15 characters, to name it")
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField(allow_null=True)


class ApiTokenRevokeSerializer(serializers.Serializer):
    key = StrictCharField(max_length=25)


class ApiTokenViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's own API tokens (only their hashes are stored); ``revoke`` ends one of them."""

    serializer_class = ApiTokenSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            from knox.models import AuthToken

            return AuthToken.objects.none()
        return services.api_tokens_of(self.request.user)

    @extend_schema(request=ApiTokenRevokeSerializer, responses={204: None})
    @action(detail=False, methods=["post"])
    def revoke(self, request):
        data = ApiTokenRevokeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.api_token_revoke(actor=request.user, key=data.validated_data["key"])
        return Response(status=status.HTTP_204_NO_CONTENT)
