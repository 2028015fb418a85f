"""REST endpoints of the credit rating, on the same services and scopes as the pages: records with their
procedure actions, tips (anyone may send one), repair applications, ratings, measures, quarterly runs and the
public disclosure list."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts import access
from accounts.models import Role
from accounts.throttling import AnonymousWriteThrottle
from core.errors import DomainError
from core.params import bool_param

from .. import services
from ..filters import CreditRecordFilter, RatingFilter
from ..models import (
    SERIOUS_LEVELS,
    CatalogVersion,
    CreditRecord,
    Measure,
    RatingRun,
    RatingSnapshot,
    RepairApplication,
    Tip,
)
from . import serializers as s


class IdempotencyKeyMismatch(DomainError):
    status_code = 422


class CatalogVersionViewSet(viewsets.ReadOnlyModelViewSet):
    """Editions of the catalog and discretion benchmark, as the engine reads them (public)."""

    serializer_class = s.CatalogVersionSerializer
    permission_classes = [AllowAny]
    lookup_field = "code"
    queryset = CatalogVersion.objects.all()


class CreditRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Credit records. Credit officers enter them (``Idempotency-Key`` makes a retry return the first record) and
    decide; the supplier concerned reads its own, files its defence and self-reports."""

    serializer_class = s.CreditRecordSerializer
    filterset_class = CreditRecordFilter
    permission_classes = [
        access.role_permission(
            read=[*access.AUTHORITY_ROLES, Role.SUPPLIER_USER],
            write=[*access.CREDIT_OFFICER_ROLES, Role.SUPPLIER_USER],
        )
    ]

    def get_queryset(self):
        return (
            CreditRecord.objects.visible_to(self.request.user)
            .select_related("supplier", "catalog_version")
            .prefetch_related("products")
        )

    def _key(self, request) -> str:
        key = request.headers.get("Idempotency-Key", "").strip()
        return f"api:{request.user.pk}:{key}"[:120] if key else ""

    def _replay(self, key: str, values: dict):
        existing = CreditRecord.objects.filter(event_key=key).first() if key else None
        if existing is None:
            return None
        if (existing.supplier_id, existing.item, existing.occurred_on) != (
            values["supplier"].pk,
            values["item"],
            values["occurred_on"],
        ):
            raise IdempotencyKeyMismatch(
                "This idempotency key was already used for a different request.", code="idempotency_key_reused"
            )
        return Response(s.CreditRecordSerializer(existing).data, status=status.HTTP_200_OK)

    @extend_schema(request=s.RecordInputSerializer, responses={201: s.CreditRecordSerializer})
    def create(self, request):
        if not access.is_credit_officer(request.user):
            return Response({"detail": "Only credit officers enter records."}, status=status.HTTP_403_FORBIDDEN)
        data = s.RecordInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        key = self._key(request)
        replay = self._replay(key, values)
        if replay is not None:
            return replay
        record = services.record_create(actor=request.user, event_key=key, **values)
        return Response(s.CreditRecordSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.SelfReportInputSerializer, responses={201: s.CreditRecordSerializer})
    @action(detail=False, methods=["post"], url_path="self-report")
    def self_report(self, request):
        if not access.is_supplier_user(request.user):
            return Response({"detail": "Only a supplier reports itself."}, status=status.HTTP_403_FORBIDDEN)
        data = s.SelfReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = {**data.validated_data, "supplier": request.user.organisation}
        key = self._key(request)
        replay = self._replay(key, values)
        if replay is not None:
            return replay
        record = services.record_create(
            actor=request.user, source=CreditRecord.Source.SELF_REPORT, event_key=key, **values
        )
        return Response(s.CreditRecordSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.CreditRecordSerializer)
    @action(detail=True, methods=["post"], permission_classes=access.only(Role.SUPPLIER_USER))
    def receive(self, request, pk=None):
        """The supplier acknowledges receipt of the notice: it is served today."""
        record = services.notice_open(actor=request.user, record=self.get_object())
        return Response(s.CreditRecordSerializer(record).data)

    @extend_schema(request=s.DefenceInputSerializer, responses=s.CreditRecordSerializer)
    @action(detail=True, methods=["post"], permission_classes=access.only(Role.SUPPLIER_USER))
    def defend(self, request, pk=None):
        record = self.get_object()
        data = s.DefenceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.defence_file(actor=request.user, record=record, statement=data.validated_data["statement"])
        return Response(s.CreditRecordSerializer(record).data)

    @extend_schema(request=s.DecisionInputSerializer, responses=s.CreditRecordSerializer)
    @action(detail=True, methods=["post"], permission_classes=access.only(*access.CREDIT_OFFICER_ROLES))
    def decide(self, request, pk=None):
        record = self.get_object()
        data = s.DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.record_decide(actor=request.user, record=record, **data.validated_data)
        return Response(s.CreditRecordSerializer(record).data)

    @extend_schema(request=None, responses=s.CreditRecordSerializer)
    @action(detail=True, methods=["post"], permission_classes=access.only(*access.CREDIT_OFFICER_ROLES))
    def notify(self, request, pk=None):
        record = services.record_notify(actor=request.user, record=self.get_object())
        return Response(s.CreditRecordSerializer(record).data)

    @extend_schema(request=s.ReasonInputSerializer, responses=s.CreditRecordSerializer)
    @action(detail=True, methods=["post"], permission_classes=access.only(*access.CREDIT_OFFICER_ROLES))
    def revoke(self, request, pk=None):
        record = self.get_object()
        data = s.ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.record_revoke(actor=request.user, record=record, reason=data.validated_data["reason"])
        return Response(s.CreditRecordSerializer(record).data)


class TipViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Public tips: anyone may send one (no login); credit officers read and review them."""

    serializer_class = s.TipSerializer
    filterset_fields = ["status", "item"]

    throttle_classes = [AnonymousWriteThrottle]

    def get_permissions(self):
        if self.action == "create":
            return [AllowAny()]
        return [access.role_permission(read=access.CREDIT_OFFICER_ROLES, write=access.CREDIT_OFFICER_ROLES)()]

    def get_queryset(self):
        return Tip.objects.visible_to(self.request.user).select_related("record")

    def perform_create(self, serializer):
        values = serializer.validated_data
        from accounts.models import Organisation

        supplier = Organisation.objects.suppliers().filter(name=values["supplier_name"].strip()).first()
        serializer.instance = services.tip_submit(supplier=supplier, **values)

    @extend_schema(request=s.TipReviewInputSerializer, responses=s.TipSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        data = s.TipReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        tip = services.tip_review(actor=request.user, tip=self.get_object(), **data.validated_data)
        return Response(s.TipSerializer(tip).data)


class RepairApplicationViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Credit repair: the supplier applies for one of its records; credit officers approve or reject."""

    serializer_class = s.RepairApplicationSerializer
    filterset_fields = ["status", "record"]
    permission_classes = [
        access.role_permission(read=[*access.AUTHORITY_ROLES, Role.SUPPLIER_USER], write=[Role.SUPPLIER_USER])
    ]

    def get_queryset(self):
        return RepairApplication.objects.visible_to(self.request.user).select_related("record")

    def perform_create(self, serializer):
        values = serializer.validated_data
        record = get_object_or_404(CreditRecord.objects.visible_to(self.request.user), pk=values["record"].pk)
        serializer.instance = services.repair_apply(
            actor=self.request.user,
            record=record,
            steps=values.get("steps", []),
            statement=values.get("statement", ""),
            commitment_accepted=values.get("commitment_accepted", False),
        )

    @extend_schema(request=s.RepairDecisionInputSerializer, responses=s.RepairApplicationSerializer)
    @action(detail=True, methods=["post"], permission_classes=access.only(*access.CREDIT_OFFICER_ROLES))
    def decide(self, request, pk=None):
        application = self.get_object()
        data = s.RepairDecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.repair_decide(actor=request.user, application=application, **data.validated_data)
        return Response(s.RepairApplicationSerializer(application).data)


class RatingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Rating snapshots (authority: all; a supplier: its own). ``?current=1`` keeps each supplier's latest."""

    serializer_class = s.RatingSnapshotSerializer
    filterset_class = RatingFilter
    permission_classes = [access.role_permission(read=[*access.AUTHORITY_ROLES, Role.SUPPLIER_USER])]

    def get_queryset(self):
        snapshots = RatingSnapshot.objects.visible_to(self.request.user).select_related("supplier")
        if bool_param(self.request.query_params, "current", label=_("Current")):
            snapshots = snapshots.latest_per_supplier()
        return snapshots.order_by("-as_of", "supplier_id")

    @extend_schema(parameters=[OpenApiParameter("current", bool, OpenApiParameter.QUERY)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class MeasureViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Measures: authority all, a supplier its own, a hospital those that concern purchasers. ``?in_force=1`` keeps
    today's; a supplier ``acknowledge``s its written warning."""

    serializer_class = s.MeasureSerializer
    filterset_fields = ["kind", "supplier"]
    permission_classes = [access.role_permission(write=[Role.SUPPLIER_USER])]

    def get_queryset(self):
        measures = (
            Measure.objects.visible_to(self.request.user).select_related("supplier").prefetch_related("products")
        )
        if bool_param(self.request.query_params, "in_force", label=_("In force")):
            measures = measures.in_force()
        return measures.order_by("supplier_id", "kind", "-starts_on")

    @extend_schema(parameters=[OpenApiParameter("in_force", bool, OpenApiParameter.QUERY)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=s.MeasureSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        measure = services.warning_acknowledge(actor=request.user, measure=self.get_object())
        return Response(s.MeasureSerializer(measure).data)


class RatingRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Quarterly runs. POST starts one (202; a run under way for the date is returned with 200)."""

    serializer_class = s.RatingRunSerializer
    permission_classes = [access.role_permission(read=access.AUTHORITY_ROLES, write=access.CREDIT_OFFICER_ROLES)]

    def get_queryset(self):
        return RatingRun.objects.visible_to(self.request.user).select_related("catalog_version")

    @extend_schema(request=s.RunInputSerializer, responses={200: s.RatingRunSerializer, 202: s.RatingRunSerializer})
    def create(self, request):
        data = s.RunInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = services.rating_run_start(actor=request.user, as_of=data.validated_data.get("as_of"))
        answer = status.HTTP_200_OK if run.status == RatingRun.Status.DONE else status.HTTP_202_ACCEPTED
        return Response(s.RatingRunSerializer(run).data, status=answer)


class DisclosureViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The public list of serious and particularly serious cases of the latest quarterly run (``?as_of=``)."""

    serializer_class = s.DisclosureSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        from ..selectors import disclosure

        if getattr(self, "swagger_fake_view", False):
            return RatingSnapshot.objects.none()
        as_of = self.request.query_params.get("as_of")
        from datetime import date

        try:
            day = date.fromisoformat(as_of) if as_of else disclosure()["as_of"]
        except ValueError:
            return RatingSnapshot.objects.none()
        if not RatingRun.objects.filter(as_of=day, finished_at__isnull=False).exists():
            return RatingSnapshot.objects.none()
        return (
            RatingSnapshot.objects.filter(as_of=day, level__in=SERIOUS_LEVELS)
            .select_related("supplier")
            .order_by("supplier__name")
        )

    @extend_schema(parameters=[OpenApiParameter("as_of", str, OpenApiParameter.QUERY)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
