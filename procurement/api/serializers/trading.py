from rest_framework import serializers

from accounts.api.serializers import StrictCharField, StrictModelSerializer
from accounts.models import Organisation, Region
from procurement.models import DeliveryAddress, DistributionRelation, Product, TradingRuleSet
from procurement.models.trading import LineRefusal, OrderLine, RefusalReason, ShipmentLine, Urgency


class TradingRuleSetSerializer(StrictModelSerializer):
    label = serializers.CharField(read_only=True)
    source = serializers.SerializerMethodField()
    inferred = serializers.SerializerMethodField()

    class Meta:
        model = TradingRuleSet
        fields = ["id", "code", "version", "name", "label", "is_default", "parameters", "source", "inferred"]
        read_only_fields = fields

    def get_source(self, rule_set) -> str:
        return str(rule_set.library.get("source", ""))

    def get_inferred(self, rule_set) -> str:
        return str(rule_set.library.get("inferred", ""))


class DistributionRelationSerializer(StrictModelSerializer):
    """A relation with its parties' and product's names beside their codes (the provincial field names
    ``prodentpCode`` and ``delventpCode`` are the manufacturer's and distributor's credit codes)."""

    product_code = serializers.CharField(source="product.national_drug_code", read_only=True)
    product_name = serializers.CharField(source="product.__str__", read_only=True)
    area_code = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    prodentpCode = serializers.CharField(source="manufacturer.code", read_only=True)
    manufacturer_name = serializers.CharField(source="manufacturer.name", read_only=True)
    delventpCode = serializers.CharField(source="distributor.code", read_only=True)
    distributor_name = serializers.CharField(source="distributor.name", read_only=True)
    rule_set = serializers.CharField(source="rule_set.code", read_only=True)
    rule_set_version = serializers.IntegerField(source="rule_set.version", read_only=True)
    ends_on = serializers.DateField(read_only=True)
    refusal_reason = serializers.CharField(read_only=True, help_text="a refusal reason code, or empty")

    class Meta:
        model = DistributionRelation
        fields = [
            "id", "status", "product", "product_code", "product_name", "area", "area_code", "area_name",
            "manufacturer", "prodentpCode", "manufacturer_name", "distributor", "delventpCode", "distributor_name",
            "valid_from", "valid_to", "ends_on", "letter_reference", "rule_set", "rule_set_version",
            "proposed_at", "decided_at", "refusal_reason", "refusal_text", "revoked_at", "revoked_from",
            "revocation_reason", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class RelationInputSerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.filter(is_active=True))
    area = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    distributor = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind__in=[Organisation.Kind.DISTRIBUTOR, Organisation.Kind.SUPPLIER])
    )
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True)
    letter_reference = StrictCharField(max_length=60)
    propose = serializers.BooleanField(default=True, help_text="false keeps it as a draft")


class RefuseInputSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=RefusalReason.choices)
    text = StrictCharField(max_length=500, required=False, allow_blank=True, default="")


class RevokeInputSerializer(serializers.Serializer):
    from_day = serializers.DateField()
    reason = StrictCharField(max_length=500)


class BulkRevokeInputSerializer(RevokeInputSerializer):
    relations = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=1000)


class DeliveryAddressSerializer(StrictModelSerializer):
    medinsCode = serializers.CharField(source="organisation.code", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    county_code = serializers.CharField(source="county.code", read_only=True)
    county_name = serializers.CharField(source="county.name", read_only=True)

    class Meta:
        model = DeliveryAddress
        fields = [
            "id", "organisation", "medinsCode", "organisation_name", "name", "street", "county", "county_code",
            "county_name", "distance_km", "contact", "is_active", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class DeliveryAddressInputSerializer(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.hospitals(), required=False, help_text="officers only; default the caller's"
    )
    name = StrictCharField(max_length=100)
    street = StrictCharField(max_length=200)
    county = serializers.PrimaryKeyRelatedField(queryset=Region.objects.filter(level=Region.Level.COUNTY))
    distance_km = serializers.IntegerField(min_value=0, max_value=2000, default=0)
    contact = StrictCharField(max_length=100, required=False, allow_blank=True, default="")
    is_active = serializers.BooleanField(default=True)


class OrderLineSerializer(StrictModelSerializer):
    """An order line under the provincial field names where they exist (``ordDetlId``, ``delventpCode``)."""

    ordDetlId = serializers.IntegerField(source="pk", read_only=True)
    order_number = serializers.CharField(source="order.number", read_only=True)
    product_code = serializers.CharField(source="product.national_drug_code", read_only=True)
    product_name = serializers.CharField(source="product.__str__", read_only=True)
    prodentpCode = serializers.CharField(source="product.holder.code", read_only=True)
    delventpCode = serializers.CharField(source="distributor.code", read_only=True)
    distributor_name = serializers.CharField(source="distributor.name", read_only=True)
    refusal_reason = serializers.CharField(read_only=True, help_text="a refusal reason code, or empty")

    class Meta:
        from procurement.models import OrderLine

        model = OrderLine
        fields = [
            "ordDetlId", "order", "order_number", "product", "product_code", "product_name", "prodentpCode",
            "distributor", "delventpCode", "distributor_name", "quantity", "pack_price", "amount", "agreement_link",
            "order_class", "status", "response_due", "confirmed_quantity", "refusal_reason", "refusal_text",
            "responded_at", "delivery_due", "shipped_quantity", "received_quantity", "returned_quantity",
            "short_closed_quantity", "short_closed_at", "delivered_at",
        ]  # fmt: skip
        read_only_fields = fields


class PurchaseOrderSerializer(StrictModelSerializer):
    medinsCode = serializers.CharField(source="buyer.code", read_only=True)
    buyer_name = serializers.CharField(source="buyer.name", read_only=True)
    delventpCode = serializers.SerializerMethodField()
    distributor_name = serializers.SerializerMethodField()
    lines = OrderLineSerializer(many=True, read_only=True)

    class Meta:
        from procurement.models import PurchaseOrder

        model = PurchaseOrder
        fields = [
            "id", "number", "buyer", "medinsCode", "buyer_name", "address", "distributor", "delventpCode",
            "distributor_name", "urgency", "emergency_reason", "status", "created_at", "sent_at", "split_from",
            "lines",
        ]  # fmt: skip
        read_only_fields = fields

    def get_delventpCode(self, order) -> str | None:
        return order.distributor.code if order.distributor_id else None

    def get_distributor_name(self, order) -> str | None:
        return order.distributor.name if order.distributor_id else None


class OrderLineInputSerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.filter(is_active=True))
    distributor = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind__in=[Organisation.Kind.DISTRIBUTOR, Organisation.Kind.SUPPLIER])
    )
    quantity = serializers.IntegerField(min_value=1, max_value=10_000_000)


class OrderInputSerializer(serializers.Serializer):
    address = serializers.PrimaryKeyRelatedField(queryset=DeliveryAddress.objects.all())
    urgency = serializers.ChoiceField(choices=Urgency.choices, default="general")
    emergency_reason = StrictCharField(max_length=300, required=False, allow_blank=True, default="")
    lines = OrderLineInputSerializer(many=True, max_length=500)
    send = serializers.BooleanField(default=True, help_text="false keeps the order as a draft")


class LineConfirmInputSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1, max_value=10_000_000)
    reason = serializers.ChoiceField(choices=LineRefusal.choices, required=False, allow_blank=True, default="")
    text = StrictCharField(max_length=300, required=False, allow_blank=True, default="")


class LineRefuseInputSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=LineRefusal.choices)
    text = StrictCharField(max_length=300, required=False, allow_blank=True, default="")


class LineShortCloseInputSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=300)


class ShipmentLineSerializer(StrictModelSerializer):
    """A shipment line under the provincial field names (``shpId``, ``shppCnt``, ``manuLotnum``, ``expyEndtime``,
    ``retnCnt``); ``received_quantity`` is null until the receipt."""

    shpId = serializers.IntegerField(source="pk", read_only=True)
    shipment_number = serializers.CharField(source="shipment.number", read_only=True)
    ordDetlId = serializers.IntegerField(source="order_line_id", read_only=True)
    product_code = serializers.CharField(source="order_line.product.national_drug_code", read_only=True)
    product_name = serializers.CharField(source="order_line.product.__str__", read_only=True)
    shppCnt = serializers.IntegerField(source="quantity", read_only=True)
    manuLotnum = serializers.CharField(source="batch_number", read_only=True)
    expyEndtime = serializers.DateField(source="expiry_date", read_only=True)
    retnCnt = serializers.IntegerField(source="returned_quantity", read_only=True)

    class Meta:
        model = ShipmentLine
        fields = [
            "shpId", "shipment", "shipment_number", "ordDetlId", "product_code", "product_name", "shppCnt",
            "pack_price", "manuLotnum", "expyEndtime", "upstream_invoice", "received_quantity", "rejection_reason",
            "accepted_at", "retnCnt",
        ]  # fmt: skip
        read_only_fields = fields


class ShipmentSerializer(StrictModelSerializer):
    delventpCode = serializers.CharField(source="distributor.code", read_only=True)
    distributor_name = serializers.CharField(source="distributor.name", read_only=True)
    medinsCode = serializers.CharField(source="buyer.code", read_only=True)
    buyer_name = serializers.CharField(source="buyer.name", read_only=True)
    lines = ShipmentLineSerializer(many=True, read_only=True)

    class Meta:
        from procurement.models import Shipment

        model = Shipment
        fields = [
            "id", "number", "distributor", "delventpCode", "distributor_name", "buyer", "medinsCode", "buyer_name",
            "address", "status", "dispatched_at", "arrived_at", "receipt_due", "lines",
        ]  # fmt: skip
        read_only_fields = fields


class ShipmentLineInputSerializer(serializers.Serializer):
    ordDetlId = serializers.PrimaryKeyRelatedField(queryset=OrderLine.objects.all(), help_text="the order line")
    shppCnt = serializers.IntegerField(min_value=1, max_value=10_000_000, help_text="packs shipped")
    manuLotnum = StrictCharField(max_length=40, help_text="batch number")
    expyEndtime = serializers.DateField(help_text="expiry date of the batch")
    upstream_invoice = StrictCharField(max_length=40, required=False, allow_blank=True, default="")


class ShipmentInputSerializer(serializers.Serializer):
    lines = ShipmentLineInputSerializer(many=True, max_length=500)
    arrived_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class ShipmentCreatedSerializer(ShipmentSerializer):
    warnings = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(ShipmentSerializer.Meta):
        fields = [*ShipmentSerializer.Meta.fields, "warnings"]
        read_only_fields = fields


class ArriveInputSerializer(serializers.Serializer):
    arrived_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class ReceiptInputSerializer(serializers.Serializer):
    received_quantity = serializers.IntegerField(min_value=0, max_value=10_000_000)
    rejection_reason = StrictCharField(max_length=300, required=False, allow_blank=True, default="")
    arrived_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    correction = StrictCharField(
        max_length=300, required=False, allow_blank=True, default="", help_text="why a recorded receipt is corrected"
    )


class ReturnSerializer(StrictModelSerializer):
    shpId = serializers.IntegerField(source="shipment_line_id", read_only=True)
    retnCnt = serializers.IntegerField(source="quantity", read_only=True)

    class Meta:
        from procurement.models import ReturnRequest

        model = ReturnRequest
        fields = [
            "id", "shpId", "retnCnt", "reason", "status", "requested_at", "decision_due", "decided_at",
            "refusal_text",
        ]  # fmt: skip
        read_only_fields = fields


class ReturnInputSerializer(serializers.Serializer):
    shpId = serializers.PrimaryKeyRelatedField(queryset=ShipmentLine.objects.all(), help_text="the shipment line")
    retnCnt = serializers.IntegerField(min_value=1, max_value=10_000_000, help_text="packs to return")
    reason = StrictCharField(max_length=300)


class ReturnRefuseInputSerializer(serializers.Serializer):
    text = StrictCharField(max_length=300)


class ReceiptMessageLineSerializer(serializers.Serializer):
    shpId = serializers.IntegerField(min_value=1, help_text="the shipment line")
    received_quantity = serializers.IntegerField(min_value=0, max_value=10_000_000)
    rejection_reason = StrictCharField(max_length=300, required=False, allow_blank=True, default="")
    arrived_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class ReceiptMessageSerializer(serializers.Serializer):
    receipts = ReceiptMessageLineSerializer(many=True, max_length=2000)


class OrderMessageItemSerializer(OrderInputSerializer):
    ref = StrictCharField(max_length=60, help_text="the hospital system's own reference, echoed in the result")


class OrderMessageSerializer(serializers.Serializer):
    orders = OrderMessageItemSerializer(many=True, max_length=200)


class MessageResultSerializer(serializers.Serializer):
    ref = serializers.CharField(required=False, help_text="orders: the system's reference")
    shpId = serializers.IntegerField(required=False, help_text="receipts: the shipment line")
    orders = serializers.ListField(child=serializers.CharField(), required=False, help_text="order numbers made")
    ordDetlIds = serializers.ListField(child=serializers.IntegerField(), required=False)
    result = serializers.ChoiceField(choices=["accepted", "refused"])
    code = serializers.CharField(help_text="a stable error code, empty when accepted")
    message = serializers.CharField()


class TradingMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    created_at = serializers.DateTimeField()
    accepted = serializers.SerializerMethodField()
    refused = serializers.SerializerMethodField()
    results = MessageResultSerializer(many=True)

    def get_accepted(self, message) -> int:
        return sum(1 for result in message.results if result["result"] == "accepted")

    def get_refused(self, message) -> int:
        return sum(1 for result in message.results if result["result"] == "refused")
