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
from procurement.models import (
    DeliveryAddress,
    DistributionRelation,
    OrderLine,
    PurchaseOrder,
    ReturnRequest,
    Shipment,
    ShipmentLine,
    TradingRuleSet,
)
from procurement.services import addresses as address_services
from procurement.services import distribution as services
from procurement.services import orders as order_services
from procurement.services import shipments as shipment_services
from procurement.services import trading_messages as message_services

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

    @extend_schema(request=None, responses={201: s.PurchaseOrderSerializer})
    @action(detail=True, methods=["post"])
    def reorder(self, request, pk=None):
        """A new draft with this sent order's products, distributors and quantities (those still offered)."""
        draft, _skipped = order_services.order_reorder(actor=request.user, order=self.get_object())
        return Response(
            s.PurchaseOrderSerializer(self.get_queryset().get(pk=draft.pk)).data, status=status.HTTP_201_CREATED
        )


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

    @extend_schema(request=s.LineShortCloseInputSerializer, responses=s.OrderLineSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="short-close",
        permission_classes=access.only(Role.HOSPITAL_USER, Role.DISTRIBUTOR_USER, Role.SUPPLIER_USER),
    )
    def short_close(self, request, pk=None):
        """Cancel the packs not shipped yet: the distributor at any time, the buyer after the delivery deadline."""
        line = self.get_object()
        data = s.LineShortCloseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(shipment_services.line_short_close(actor=request.user, line=line, **data.validated_data))


SHIPPERS = [Role.DISTRIBUTOR_USER, Role.SUPPLIER_USER]


def _request_key(request) -> str:
    return request.headers.get("Idempotency-Key", "").strip()[:100]


class ShipmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Delivery notes (配送单): the distributor ships order lines by batch (POST, with an ``Idempotency-Key`` a
    retry returns the same note with 200) and states the arrival; the buyer sees those addressed to it."""

    serializer_class = s.ShipmentSerializer
    filterset_fields = ["status", "distributor", "buyer"]
    permission_classes = [access.role_permission(read=ORDER_ROLES, write=SHIPPERS)]

    def get_queryset(self):
        return (
            Shipment.objects.visible_to(self.request.user)
            .select_related("distributor", "buyer")
            .prefetch_related("lines__order_line__product", "lines__shipment")
        )

    @extend_schema(
        request=s.ShipmentInputSerializer,
        responses={201: s.ShipmentCreatedSerializer, 200: s.ShipmentCreatedSerializer},
        parameters=[IDEMPOTENCY],
    )
    def create(self, request):
        data = s.ShipmentInputSerializer(data=request.data)
        # An order line the caller cannot see is "not found", like any other id.
        data.fields["lines"].child.fields["ordDetlId"].queryset = OrderLine.objects.visible_to(request.user)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        shipment, replayed, warnings = shipment_services.shipment_create(
            actor=request.user,
            lines=[
                shipment_services.ShipLine(
                    order_line=line["ordDetlId"],
                    quantity=line["shppCnt"],
                    batch_number=line["manuLotnum"],
                    expiry_date=line["expyEndtime"],
                    upstream_invoice=line["upstream_invoice"],
                )
                for line in values["lines"]
            ],
            arrived_at=values["arrived_at"],
            request_key=_request_key(request),
        )
        body = s.ShipmentSerializer(self.get_queryset().get(pk=shipment.pk)).data
        body["warnings"] = warnings
        return Response(body, status=status.HTTP_200_OK if replayed else status.HTTP_201_CREATED)

    @extend_schema(request=s.ArriveInputSerializer, responses=s.ShipmentSerializer)
    @action(detail=True, methods=["post"])
    def arrive(self, request, pk=None):
        shipment = self.get_object()
        data = s.ArriveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        shipment_services.shipment_arrive(actor=request.user, shipment=shipment, **data.validated_data)
        return Response(s.ShipmentSerializer(self.get_queryset().get(pk=shipment.pk)).data)


class ShipmentLineViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Shipment lines (``shpId``): the receiving institution records each line's receipt (packs accepted, the rest
    rejected with a reason) and may correct it with a reason while none of it is being returned."""

    serializer_class = s.ShipmentLineSerializer
    filterset_fields = ["shipment", "order_line"]
    permission_classes = [access.role_permission(read=ORDER_ROLES, write=[Role.HOSPITAL_USER])]

    def get_queryset(self):
        return ShipmentLine.objects.visible_to(self.request.user).select_related("shipment", "order_line__product")

    @extend_schema(request=s.ReceiptInputSerializer, responses=s.ShipmentLineSerializer)
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        line = self.get_object()
        data = s.ReceiptInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        shipment_services.receipt_record(
            actor=request.user,
            line=line,
            received=values["received_quantity"],
            reason=values["rejection_reason"],
            arrived_at=values["arrived_at"],
            correction=values["correction"],
        )
        return Response(s.ShipmentLineSerializer(self.get_queryset().get(pk=line.pk)).data)


class ReturnViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Returns (退货) of received packs: the receiving institution asks (POST, ``Idempotency-Key``) and may withdraw;
    the distributor approves or refuses with a reason."""

    serializer_class = s.ReturnSerializer
    filterset_fields = ["status", "shipment_line"]
    permission_classes = [access.role_permission(read=ORDER_ROLES, write=[Role.HOSPITAL_USER, *SHIPPERS])]

    def get_queryset(self):
        return ReturnRequest.objects.visible_to(self.request.user)

    @extend_schema(
        request=s.ReturnInputSerializer,
        responses={201: s.ReturnSerializer, 200: s.ReturnSerializer},
        parameters=[IDEMPOTENCY],
    )
    def create(self, request):
        if not access.is_hospital_user(request.user):
            self.permission_denied(request, message="Only the receiving institution returns goods.")
        data = s.ReturnInputSerializer(data=request.data)
        data.fields["shpId"].queryset = ShipmentLine.objects.visible_to(request.user)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        returned, replayed = shipment_services.return_request(
            actor=request.user,
            line=values["shpId"],
            quantity=values["retnCnt"],
            reason=values["reason"],
            request_key=_request_key(request),
        )
        return Response(
            s.ReturnSerializer(returned).data, status=status.HTTP_200_OK if replayed else status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses=s.ReturnSerializer)
    @action(detail=True, methods=["post"], permission_classes=access.only(*SHIPPERS))
    def approve(self, request, pk=None):
        return Response(
            s.ReturnSerializer(shipment_services.return_approve(actor=request.user, request=self.get_object())).data
        )

    @extend_schema(request=s.ReturnRefuseInputSerializer, responses=s.ReturnSerializer)
    @action(detail=True, methods=["post"], permission_classes=access.only(*SHIPPERS))
    def refuse(self, request, pk=None):
        returned = self.get_object()
        data = s.ReturnRefuseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(
            s.ReturnSerializer(
                shipment_services.return_refuse(actor=request.user, request=returned, **data.validated_data)
            ).data
        )

    @extend_schema(request=None, responses=s.ReturnSerializer)
    @action(detail=True, methods=["post"], permission_classes=access.only(Role.HOSPITAL_USER))
    def withdraw(self, request, pk=None):
        return Response(
            s.ReturnSerializer(shipment_services.return_withdraw(actor=request.user, request=self.get_object())).data
        )


REQUIRED_KEY = OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=True)


class _MessageViewSet(viewsets.GenericViewSet):
    """A bulk message kind of the hospital information system: POST only, answered with the kept message."""

    serializer_class = s.TradingMessageSerializer
    permission_classes = [access.role_permission(read=[Role.HOSPITAL_USER], write=[Role.HOSPITAL_USER])]

    def _answer(self, submitted):
        message, replayed = submitted
        return Response(
            s.TradingMessageSerializer(message).data,
            status=status.HTTP_200_OK if replayed else status.HTTP_201_CREATED,
        )


class ReceiptMessageViewSet(_MessageViewSet):
    """Receipt confirmation of many delivery lines in one message (the hospital information system's 验收 message):
    one result per line (``accepted``, or ``refused`` with the stable code of the single call, e.g.
    ``already_received``, ``no_reason``, ``not_found``). The ``Idempotency-Key`` header is required: a retry gets the
    same results (200); the same key with another message is refused (422)."""

    @extend_schema(
        request=s.ReceiptMessageSerializer,
        responses={201: s.TradingMessageSerializer, 200: s.TradingMessageSerializer},
        parameters=[REQUIRED_KEY],
    )
    def create(self, request):
        data = s.ReceiptMessageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(
            message_services.receipts_submit(
                actor=request.user, receipts=data.validated_data["receipts"], idempotency_key=_request_key(request)
            )
        )


class OrderMessageViewSet(_MessageViewSet):
    """Several orders in one message (the hospital information system's bulk order upload): each order is sent or
    refused whole, with one result per order naming the orders made (one per distributor) and their lines'
    ``ordDetlId``, or the refusal's stable code. ``Idempotency-Key`` required, as for receipts."""

    @extend_schema(
        request=s.OrderMessageSerializer,
        responses={201: s.TradingMessageSerializer, 200: s.TradingMessageSerializer},
        parameters=[REQUIRED_KEY],
    )
    def create(self, request):
        data = s.OrderMessageSerializer(data=request.data)
        data.fields["orders"].child.fields["address"].queryset = DeliveryAddress.objects.filter(
            organisation_id=request.user.organisation_id
        )
        data.is_valid(raise_exception=True)
        orders = [
            {
                "ref": item["ref"],
                "address": item["address"],
                "urgency": item["urgency"],
                "emergency_reason": item["emergency_reason"],
                "send": item["send"],
                "lines": [(line["product"], line["distributor"], line["quantity"]) for line in item["lines"]],
            }
            for item in data.validated_data["orders"]
        ]
        return self._answer(
            message_services.orders_submit(actor=request.user, orders=orders, idempotency_key=_request_key(request))
        )
