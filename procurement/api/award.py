"""REST endpoints of the award: compute, read, compare and publish computations (officers); published outcomes
and allocation lines (each party its own); hospitals' choice of winner. Same services and scoping as the pages."""

from django_filters import ModelChoiceFilter
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from accounts import access
from accounts.models import Organisation
from core.params import id_param
from procurement.filters import AllocationLineFilter
from procurement.models import AllocationLine, AwardOutcome, AwardRun, DemandReport, TenderRound
from procurement.services import award as award_services

from .serializers.award import (
    AllocationLineSerializer,
    AwardComputeSerializer,
    AwardOutcomeSerializer,
    AwardRunDetailSerializer,
    AwardRunSerializer,
    ChoiceSerializer,
    SupplierSerializer,
)


def _query_parameters(filterset_class) -> list[OpenApiParameter]:
    """The schema of a FilterSet's parameters, for an action that applies it itself."""
    parameters = []
    for name, flt in filterset_class.base_filters.items():
        choices = flt.extra.get("choices")
        kind = int if isinstance(flt, ModelChoiceFilter) else str
        enum = [code for code, _label in choices] if choices else None
        parameters.append(OpenApiParameter(name, kind, enum=enum, description=str(flt.label)))
    return parameters


# The run's lines take the filters of the lines page and of /allocations/ (procurement.filters.AllocationLineFilter).
LINE_FILTERS = _query_parameters(AllocationLineFilter)


class AwardRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Award computations. POST with ``round`` computes (idempotent: unchanged inputs return the same run, 200
    instead of 202); ``publish`` makes the official one final; ``compare`` diffs two."""

    filterset_fields = ["round", "status", "mode"]
    permission_classes = [
        access.role_permission(read=access.PROCUREMENT_OFFICER_ROLES, write=access.PROCUREMENT_OFFICER_ROLES)
    ]

    def get_queryset(self):
        runs = AwardRun.objects.visible_to(self.request.user).select_related("round", "rule_set")
        if self.action == "retrieve":
            runs = runs.prefetch_related(
                "group_results__group", "outcomes__group", "outcomes__supplier", "outcomes__opened_bid__product"
            )
        return runs

    def get_serializer_class(self):
        return AwardRunDetailSerializer if self.action == "retrieve" else AwardRunSerializer

    @extend_schema(
        request=AwardComputeSerializer,
        parameters=[OpenApiParameter("round", int, OpenApiParameter.QUERY, required=True)],
        responses={200: AwardRunSerializer, 202: AwardRunSerializer},
    )
    def create(self, request, *args, **kwargs):
        tender_round = get_object_or_404(
            TenderRound.objects.visible_to(request.user),
            pk=id_param(request.query_params, "round", label="round", required=True),
        )
        data = AwardComputeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        existing = set(tender_round.award_runs.values_list("pk", flat=True))
        run = award_services.award_compute(
            actor=request.user,
            tender_round=tender_round,
            rule_set=data.validated_data.get("rule_set"),
            overrides=data.validated_data["parameters"],
            mode=data.validated_data["mode"],
        )
        run.refresh_from_db()
        answer = status.HTTP_200_OK if run.pk in existing else status.HTTP_202_ACCEPTED
        return Response(AwardRunSerializer(run).data, status=answer)

    @extend_schema(request=None, responses=AwardRunSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        run = award_services.award_publish(actor=request.user, run=self.get_object())
        return Response(AwardRunSerializer(run).data)

    @extend_schema(parameters=[OpenApiParameter("with", int, OpenApiParameter.QUERY, required=True)], responses=dict)
    @action(detail=True, methods=["get"])
    def compare(self, request, pk=None):
        run = self.get_object()
        other = get_object_or_404(
            self.get_queryset().filter(round=run.round, status=AwardRun.Status.DONE),
            pk=id_param(request.query_params, "with", label="with", required=True),
        )
        return Response(award_services.award_compare(run, other))

    @extend_schema(responses=AllocationLineSerializer(many=True), filters=False, parameters=LINE_FILTERS)
    @action(detail=True, methods=["get"])
    def lines(self, request, pk=None):
        """The run's allocation lines, filtered as the page filters them (group, supplier, hospital, reason)."""
        run = self.get_object()
        lines = AllocationLine.objects.filter(run=run).select_related("group", "hospital", "supplier").order_by("id")
        filterset = AllocationLineFilter(request.query_params, queryset=lines)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        page = self.paginate_queryset(filterset.qs)
        return self.get_paginated_response(AllocationLineSerializer(page, many=True).data)

    @extend_schema(request=SupplierSerializer, responses={201: dict})
    @action(detail=True, methods=["post"])
    def revival(self, request, pk=None):
        data = SupplierSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        supplier = get_object_or_404(Organisation.objects.suppliers(), pk=data.validated_data["supplier"])
        acceptance = award_services.revival_accept(actor=request.user, run=self.get_object(), supplier=supplier)
        return Response({"group": acceptance.group.code, "supplier": supplier.code}, status=status.HTTP_201_CREATED)


class AwardOutcomeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Published award outcomes: the winners are public; a supplier also sees its own losing bids with reasons."""

    serializer_class = AwardOutcomeSerializer
    filterset_fields = {"run__round": ["exact"], "won": ["exact"], "group__code": ["exact"]}

    def get_queryset(self):
        return (
            AwardOutcome.objects.visible_to(self.request.user)
            .filter(run__published_at__isnull=False)
            .select_related("run__round", "group", "supplier", "opened_bid__product")
        )


class AllocationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Published allocation lines (agreed volumes): a hospital sees its own, a supplier the lines it serves."""

    serializer_class = AllocationLineSerializer
    filterset_class = AllocationLineFilter

    def get_queryset(self):
        return (
            AllocationLine.objects.visible_to(self.request.user)
            .filter(run__published_at__isnull=False)
            .select_related("group", "hospital", "supplier")
            .order_by("id")
        )


def demand_choose(viewset, request, pk=None):
    """A hospital chooses one of the preliminary winners for its demand (``supplier: null`` clears it)."""
    report = get_object_or_404(
        DemandReport.objects.visible_to(request.user).select_related("group__round", "hospital__region"), pk=pk
    )
    data = ChoiceSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    supplier = None
    if data.validated_data["supplier"] is not None:
        supplier = get_object_or_404(Organisation.objects.suppliers(), pk=data.validated_data["supplier"])
    report = award_services.winner_choose(actor=request.user, report=report, supplier=supplier)
    return Response(
        {"id": report.pk, "group": report.group.code, "chosen_supplier": supplier.code if supplier else None}
    )
