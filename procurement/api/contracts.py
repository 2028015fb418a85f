"""REST endpoints after the award, scoped like the pages: agreements (confirm, bulk confirm, renew), the bulk
purchase report (JSON lines or a CSV body, with an ``Idempotency-Key``), uploads and lines, deliveries, supply
failures, completion and settlement."""

from datetime import date

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import BaseParser
from rest_framework.response import Response

from accounts import access
from accounts.models import Role
from core.api.errors import DomainErrorSerializer
from core.api.parsers import SafeJSONParser
from core.params import id_param
from procurement.exceptions import ProcurementError
from procurement.filters import ContractFilter
from procurement.models import Contract, Delivery, PurchaseLine, PurchaseUpload, SupplyFailure, TenderRound
from procurement.selectors import contracts as selectors
from procurement.services import contracts as contract_services
from procurement.services import deliveries as delivery_services
from procurement.services import purchases as purchase_services

from .serializers import contracts as s


class CSVParser(BaseParser):
    """A CSV body of order lines, header row first, kept as bytes for the spreadsheet reader."""

    media_type = "text/csv"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read()


class ContractViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ContractSerializer
    filterset_class = ContractFilter
    permission_classes = [
        access.role_permission(
            read=[*access.AUTHORITY_ROLES, *access.PARTY_ROLES],
            write=[*access.PROCUREMENT_OFFICER_ROLES, *access.PARTY_ROLES],
        )
    ]

    def get_queryset(self):
        return Contract.objects.visible_to(self.request.user).select_related(
            "round", "group", "hospital", "supplier", "product", "region"
        )

    @extend_schema(request=None, responses=s.ContractSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return Response(
            s.ContractSerializer(
                contract_services.contract_confirm(actor=request.user, contract=self.get_object())
            ).data
        )

    @extend_schema(
        request=None, parameters=[OpenApiParameter("round", int, OpenApiParameter.QUERY, required=True)],
        responses=dict,
    )  # fmt: skip
    @action(
        detail=False,
        methods=["post"],
        url_path="confirm-bulk",
        permission_classes=access.only(*access.PROCUREMENT_OFFICER_ROLES),
    )
    def confirm_bulk(self, request):
        contracts = self.get_queryset().filter(
            round_id=id_param(request.query_params, "round", label="round", required=True)
        )
        return Response(
            {"confirmed": contract_services.contracts_confirm_bulk(actor=request.user, contracts=contracts)}
        )

    @extend_schema(request=s.RenewInputSerializer, responses=s.ContractSerializer)
    @action(detail=True, methods=["post"], permission_classes=access.only(*access.PROCUREMENT_OFFICER_ROLES))
    def renew(self, request, pk=None):
        contract = self.get_object()
        data = s.RenewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        renewal = contract_services.contract_renew(
            actor=request.user, contract=contract, quantity=data.validated_data["quantity"]
        )
        return Response(s.ContractSerializer(renewal).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, parameters=[OpenApiParameter("round", int, OpenApiParameter.QUERY)], responses=dict)
    @action(
        detail=False,
        methods=["post"],
        url_path="generate",
        permission_classes=access.only(*access.PROCUREMENT_OFFICER_ROLES),
    )
    def generate(self, request):
        tender_round = get_object_or_404(
            TenderRound.objects.visible_to(request.user),
            pk=id_param(request.query_params, "round", label="round", required=True),
        )
        count = contract_services.contracts_generate(actor=request.user, tender_round=tender_round)
        return Response({"generated": count}, status=status.HTTP_201_CREATED if count else status.HTTP_200_OK)


class PurchaseViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """A hospital's order lines. POST reports many at once: ``{"lines": [...]}`` or a ``text/csv`` body, with an
    ``Idempotency-Key`` header; 201 accepted, 400 rejected with line-numbered errors (nothing stored), 200 replay,
    422 the key with other content."""

    serializer_class = s.PurchaseLineSerializer
    filterset_fields = ["kind", "contract", "ordered_on"]
    parser_classes = [SafeJSONParser, CSVParser]
    permission_classes = [
        access.role_permission(read=[*access.AUTHORITY_ROLES, *access.PARTY_ROLES], write=[Role.HOSPITAL_USER])
    ]

    def get_queryset(self):
        return PurchaseLine.objects.visible_to(self.request.user).select_related("product", "supplier").order_by("id")

    @extend_schema(
        request={"application/json": s.PurchaseReportInputSerializer, "text/csv": str},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=True)],
        responses={
            201: s.PurchaseUploadSerializer,
            200: s.PurchaseUploadSerializer,
            # A rejected report (its line-numbered errors), or a request the platform cannot read at all.
            400: DomainErrorSerializer,
        },
    )
    def create(self, request):
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            raise ProcurementError("The Idempotency-Key header is required.", code="idempotency_key")
        if isinstance(request.data, bytes | bytearray):
            rows, errors = purchase_services.rows_from_file("report.csv", bytes(request.data))
        else:
            lines = request.data.get("lines") if isinstance(request.data, dict) else None
            if not isinstance(lines, list):
                raise ProcurementError('Send {"lines": [...]} or a text/csv body.', code="format")
            rows, errors = purchase_services.rows_from_records(lines)
        result = purchase_services.purchase_report(
            actor=request.user, hospital=request.user.organisation, rows=rows, errors=errors, source="api",
            idempotency_key=key[:100],
        )  # fmt: skip
        upload = result.upload
        code = (
            status.HTTP_200_OK
            if result.replayed and upload.status == PurchaseUpload.Status.ACCEPTED
            else status.HTTP_400_BAD_REQUEST
            if upload.status == PurchaseUpload.Status.REJECTED
            else status.HTTP_201_CREATED
        )
        return Response(s.PurchaseUploadSerializer(upload).data, status=code)


class PurchaseUploadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.PurchaseUploadSerializer
    filterset_fields = ["status", "source"]
    permission_classes = [access.role_permission(read=[*access.AUTHORITY_ROLES, Role.HOSPITAL_USER])]

    def get_queryset(self):
        return PurchaseUpload.objects.visible_to(self.request.user)


class DeliveryViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Shipments: the supplier records them (POST), the hospital confirms receipt (``receive``)."""

    serializer_class = s.DeliverySerializer
    filterset_fields = ["contract"]
    permission_classes = [
        access.role_permission(read=[*access.AUTHORITY_ROLES, *access.PARTY_ROLES], write=[Role.SUPPLIER_USER])
    ]

    def get_queryset(self):
        return Delivery.objects.visible_to(self.request.user)

    def perform_create(self, serializer):
        values = serializer.validated_data
        contract = get_object_or_404(Contract.objects.visible_to(self.request.user), pk=values["contract"].pk)
        serializer.instance = delivery_services.delivery_record(
            actor=self.request.user, contract=contract, order_number=values["order_number"],
            ordered_on=values["ordered_on"], shipped_on=values["shipped_on"], quantity=values["quantity"],
        )  # fmt: skip

    @extend_schema(request=s.ReceiveInputSerializer, responses=s.DeliverySerializer)
    @action(detail=True, methods=["post"], permission_classes=access.only(Role.HOSPITAL_USER))
    def receive(self, request, pk=None):
        delivery = self.get_object()
        data = s.ReceiveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        delivery = delivery_services.delivery_confirm(
            actor=request.user, delivery=delivery, received_on=data.validated_data.get("received_on")
        )
        return Response(s.DeliverySerializer(delivery).data)


class SupplyFailureViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Supply failures: officers record them (a supplier declares its own); POST moves the volume to the backup."""

    serializer_class = s.SupplyFailureSerializer
    permission_classes = [
        access.role_permission(
            read=access.AUTHORITY_ROLES, write=[*access.PROCUREMENT_OFFICER_ROLES, Role.SUPPLIER_USER]
        )
    ]

    def get_queryset(self):
        return SupplyFailure.objects.visible_to(self.request.user)

    @extend_schema(
        request=s.SupplyFailureInputSerializer,
        parameters=[OpenApiParameter("round", int, OpenApiParameter.QUERY, required=True)],
        responses={201: s.SupplyFailureSerializer},
    )
    def create(self, request):
        tender_round = get_object_or_404(
            TenderRound.objects.visible_to(request.user),
            pk=id_param(request.query_params, "round", label="round", required=True),
        )
        data = s.SupplyFailureInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        failure = contract_services.supply_failure_record(
            actor=request.user, tender_round=tender_round, **data.validated_data
        )
        return Response(s.SupplyFailureSerializer(failure).data, status=status.HTTP_201_CREATED)


class CompletionViewSet(viewsets.ViewSet):
    """Completion of a round (authority): province, cities, groups and suppliers, with the alerts' counts."""

    permission_classes = [access.role_permission(read=access.AUTHORITY_ROLES)]

    @extend_schema(parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)], responses=dict)
    def retrieve(self, request, pk=None):
        tender_round = get_object_or_404(TenderRound.objects.visible_to(request.user), pk=pk)
        overview = selectors.completion_overview(tender_round)
        alerts = selectors.alerts(tender_round)

        def row(r):
            return {
                "key": r.key, "label": r.label, "agreed": r.agreed, "purchased": r.purchased,
                "substitution": r.substitution, "rate": r.progress.rate, "expected": r.progress.expected,
                "behind": r.progress.behind, "forecast": r.progress.forecast, "delivery_rate": r.delivery_rate,
            }  # fmt: skip

        return Response(
            {
                "round": tender_round.code,
                "province": row(overview["province"]),
                "cities": [row(r) for r in overview["cities"]],
                "groups": [row(r) for r in overview["groups"]],
                "suppliers": [row(r) for r in overview["suppliers"]],
                "alerts": {
                    "behind": alerts["behind_count"],
                    "will_miss": alerts["will_miss_count"],
                    "no_report": alerts["silent_count"],
                    "low_delivery": [r.key for r in alerts["low_delivery"]],
                },
            }
        )


class SettlementViewSet(viewsets.ViewSet):
    """Direct settlement per supplier for a month (``?month=YYYY-MM``): authority all, a supplier its own."""

    permission_classes = [access.role_permission(read=[*access.AUTHORITY_ROLES, Role.SUPPLIER_USER])]

    @extend_schema(parameters=[OpenApiParameter("month", str, OpenApiParameter.QUERY)], responses=dict)
    def list(self, request):
        from datetime import timedelta

        raw = request.query_params.get("month") or date.today().strftime("%Y-%m")
        try:
            first = date.fromisoformat(f"{raw}-01")
        except ValueError:
            raise ProcurementError("month: YYYY-MM", code="month") from None
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        supplier = request.user.organisation if access.is_supplier_user(request.user) else None
        rows = selectors.direct_settlement(first, last, supplier)
        return Response(
            {
                "period": [first, last],
                "suppliers": [
                    {"supplier": r["supplier"].code, "deliveries": r["deliveries"], "quantity": r["quantity"],
                     "amount": str(r["amount"])}
                    for r in rows
                ],
            }
        )  # fmt: skip
