"""REST endpoints of trading, scoped like the pages: the trading rule sets (read-only) and the distribution
relations (a manufacturer creates and proposes, the distributor accepts or refuses, either party or an officer
revokes; officers revoke in bulk)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts import access
from accounts.models import Role
from procurement.filters import DistributionRelationFilter
from procurement.models import DeliveryAddress, DistributionRelation, OrderLine, PurchaseOrder, TradingRuleSet
from procurement.services import addresses as address_services
from procurement.services import distribution as services
from procurement.services import orders as order_services

from .serializers import trading as s

RELATION_ROLES = [*access.AUTHORITY_ROLES, Role.SUPPLIER_USER, Role.DISTRIBUTOR_USER]
IDEMPOTENCY = OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)


class TradingRuleSetViewSet(viewsets.ReadOnlyModelViewSet):
    """The trading rule sets: deadlines per order class and clock, relation limits, receipt and return windows.
    Read-only: a changed number is a new version."""

    serializer_class = s.TradingRuleSetSerializer
    filterset_fields = ["code", "is_default"]

    def get_queryset(self):
        return TradingRuleSet.objects.order_by("code", "-version")


class DistributionRelationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Distribution relations (配送关系). Authority staff see all, a manufacturer its own, a distributor those
    proposed to it."""

    serializer_class = s.DistributionRelationSerializer
    filterset_class = DistributionRelationFilter
    permission_classes = [access.role_permission(read=RELATION_ROLES, write=RELATION_ROLES)]

    def get_queryset(self):
        return DistributionRelation.objects.visible_to(self.request.user).select_related(
            "product", "area", "manufacturer", "distributor", "rule_set"
        )

    def _answer(self, relation, code=status.HTTP_200_OK):
        return Response(s.DistributionRelationSerializer(relation).data, status=code)

    @extend_schema(
        request=s.RelationInputSerializer,
        responses={201: s.DistributionRelationSerializer, 200: s.DistributionRelationSerializer},
        parameters=[IDEMPOTENCY],
    )
    def create(self, request):
        """A manufacturer creates a relation for one of its products, proposed to the distributor unless
        ``propose`` is false; a retried request with the same ``Idempotency-Key`` returns the same relation (200)."""
        if not access.is_supplier_user(request.user):
            self.permission_denied(request, message="Only the manufacturer proposes a distribution relation.")
        data = s.RelationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        key = request.headers.get("Idempotency-Key", "").strip()[:100]
        existed = (
            bool(key)
            and DistributionRelation.objects.filter(
                manufacturer_id=request.user.organisation_id, request_key=key
            ).exists()
        )
        relation = services.relation_create(actor=request.user, request_key=key, **values)
        return self._answer(relation, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.DistributionRelationSerializer)
    @action(detail=True, methods=["post"], permission_classes=access.only(Role.SUPPLIER_USER))
    def submit(self, request, pk=None):
        """Propose a draft to its distributor."""
        return self._answer(services.relation_propose(actor=request.user, relation=self.get_object()))

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"], url_path="delete-draft", permission_classes=access.only(Role.SUPPLIER_USER))
    def delete_draft(self, request, pk=None):
        services.relation_delete_draft(actor=request.user, relation=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=s.DistributionRelationSerializer)
    @action(detail=True, methods=["post"], permission_classes=access.only(Role.DISTRIBUTOR_USER, Role.SUPPLIER_USER))
    def accept(self, request, pk=None):
        return self._answer(services.relation_accept(actor=request.user, relation=self.get_object()))

    @extend_schema(request=s.RefuseInputSerializer, responses=s.DistributionRelationSerializer)
    @action(detail=True, methods=["post"], permission_classes=access.only(Role.DISTRIBUTOR_USER, Role.SUPPLIER_USER))
    def refuse(self, request, pk=None):
        relation = self.get_object()
        data = s.RefuseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(services.relation_refuse(actor=request.user, relation=relation, **data.validated_data))

    @extend_schema(request=s.RevokeInputSerializer, responses=s.DistributionRelationSerializer)
    @action(
        detail=True,
        methods=["post"],
        permission_classes=access.only(*access.PROCUREMENT_OFFICER_ROLES, Role.SUPPLIER_USER, Role.DISTRIBUTOR_USER),
    )
    def revoke(self, request, pk=None):
        relation = self.get_object()
        data = s.RevokeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(services.relation_revoke(actor=request.user, relation=relation, **data.validated_data))

    @extend_schema(
        operation_id="distribution_relations_revoke_many", request=s.BulkRevokeInputSerializer, responses={200: dict}
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="revoke",
        permission_classes=access.only(*access.PROCUREMENT_OFFICER_ROLES),
    )
    def revoke_bulk(self, request):
        data = s.BulkRevokeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        count = services.relations_revoke_bulk(
            actor=request.user, relation_ids=values["relations"], from_day=values["from_day"], reason=values["reason"]
        )
        return Response({"revoked": count})


class DeliveryAddressViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Institutions' delivery addresses: an institution keeps its own, officers any; never deleted (``is_active``
    false takes one out of use)."""

    serializer_class = s.DeliveryAddressSerializer
    filterset_fields = ["organisation", "county", "is_active"]
    permission_classes = [
        access.role_permission(
            read=[*access.AUTHORITY_ROLES, Role.HOSPITAL_USER],
            write=[*access.PROCUREMENT_OFFICER_ROLES, Role.HOSPITAL_USER],
        )
    ]

    def get_queryset(self):
        return DeliveryAddress.objects.visible_to(self.request.user).select_related("organisation", "county")

    @extend_schema(request=s.DeliveryAddressInputSerializer, responses={201: s.DeliveryAddressSerializer})
    def create(self, request):
        data = s.DeliveryAddressInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        organisation = values.pop("organisation", None) or request.user.organisation
        address = address_services.address_create(actor=request.user, organisation=organisation, **values)
        return Response(s.DeliveryAddressSerializer(address).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DeliveryAddressInputSerializer(partial=True), responses=s.DeliveryAddressSerializer)
    def partial_update(self, request, pk=None):
        address = self.get_object()
        data = s.DeliveryAddressInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("organisation", None)
        address = address_services.address_update(actor=request.user, address=address, **values)
        return Response(s.DeliveryAddressSerializer(address).data)


ORDER_ROLES = [*access.AUTHORITY_ROLES, Role.HOSPITAL_USER, Role.DISTRIBUTOR_USER, Role.SUPPLIER_USER]


class PurchaseOrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Purchase orders: a buyer sees its own, a distributor those sent to it, officers all. POST is the hospital
    information system's order message: the order and its lines, sent at once (split per distributor) unless
    ``send`` is false; with an ``Idempotency-Key`` a retry returns the same orders (200)."""

    serializer_class = s.PurchaseOrderSerializer
    filterset_fields = ["status", "urgency", "distributor", "buyer"]
    permission_classes = [access.role_permission(read=ORDER_ROLES, write=[Role.HOSPITAL_USER])]

    def get_queryset(self):
        return (
            PurchaseOrder.objects.visible_to(self.request.user)
            .select_related("buyer", "distributor")
            .prefetch_related("lines__product__holder", "lines__distributor", "lines__order")
        )

    @extend_schema(
        request=s.OrderInputSerializer,
        responses={201: s.PurchaseOrderSerializer(many=True), 200: s.PurchaseOrderSerializer(many=True)},
        parameters=[IDEMPOTENCY],
    )
    def create(self, request):
        data = s.OrderInputSerializer(data=request.data)
        # Another institution's address is "not found", like any id the caller cannot see.
        data.fields["address"].queryset = DeliveryAddress.objects.filter(organisation_id=request.user.organisation_id)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        orders, replayed = order_services.order_submit(
            actor=request.user,
            address=values["address"],
            urgency=values["urgency"],
            emergency_reason=values["emergency_reason"],
            lines=[(line["product"], line["distributor"], line["quantity"]) for line in values["lines"]],
            send=values["send"],
            request_key=request.headers.get("Idempotency-Key", "").strip()[:100],
        )
        fresh = self.get_queryset().filter(pk__in=[order.pk for order in orders]).order_by("pk")
        return Response(
            s.PurchaseOrderSerializer(fresh, many=True).data,
            status=status.HTTP_200_OK if replayed else status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses=s.PurchaseOrderSerializer(many=True))
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        orders = order_services.order_send(actor=request.user, order=self.get_object())
        fresh = self.get_queryset().filter(pk__in=[order.pk for order in orders]).order_by("pk")
        return Response(s.PurchaseOrderSerializer(fresh, many=True).data)


class OrderLineViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Order lines (``ordDetlId``): the distributor confirms or refuses each before its deadline, the buyer
    withdraws one not yet answered."""

    serializer_class = s.OrderLineSerializer
    filterset_fields = ["status", "order", "distributor", "product"]
    permission_classes = [
        access.role_permission(read=ORDER_ROLES, write=[Role.HOSPITAL_USER, Role.DISTRIBUTOR_USER, Role.SUPPLIER_USER])
    ]

    def get_queryset(self):
        return OrderLine.objects.visible_to(self.request.user).select_related(
            "order", "product__holder", "distributor"
        )

    def _answer(self, line):
        return Response(s.OrderLineSerializer(line).data)

    @extend_schema(request=s.LineConfirmInputSerializer, responses=s.OrderLineSerializer)
    @action(detail=True, methods=["post"], permission_classes=access.only(Role.DISTRIBUTOR_USER, Role.SUPPLIER_USER))
    def confirm(self, request, pk=None):
        line = self.get_object()
        data = s.LineConfirmInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(order_services.line_confirm(actor=request.user, line=line, **data.validated_data))

    @extend_schema(request=s.LineRefuseInputSerializer, responses=s.OrderLineSerializer)
    @action(detail=True, methods=["post"], permission_classes=access.only(Role.DISTRIBUTOR_USER, Role.SUPPLIER_USER))
    def refuse(self, request, pk=None):
        line = self.get_object()
        data = s.LineRefuseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(order_services.line_refuse(actor=request.user, line=line, **data.validated_data))

    @extend_schema(request=None, responses=s.OrderLineSerializer)
    @action(detail=True, methods=["post"], permission_classes=access.only(Role.HOSPITAL_USER))
    def withdraw(self, request, pk=None):
        return self._answer(order_services.line_withdraw(actor=request.user, line=self.get_object()))
