"""Trading after the award (shared/domain/trading-rules.md): the versioned trading rule sets and the distribution
relations (配送关系) by which a manufacturer names the distributor (配送企业) of a product in an area."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Region
from core.scoping import EVERYTHING, ScopedQuerySet, Visibility, own
from core.workflow import Step, Workflow

from .catalog import Product


class TradingRuleSet(models.Model):
    """A province's trading rules (deadlines, relation limits, receipt and return windows) as a named, versioned
    parameter set; never edited once created: a changed number is a new version."""

    code = models.CharField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    parameters = models.JSONField(_("parameters"))
    is_default = models.BooleanField(_("applies to new relations and orders"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("trading rule set")
        verbose_name_plural = _("trading rule sets")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="trading_rule_set_code_version_unique"),
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="one_default_trading_rule_set"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.code} v{self.version})"

    @property
    def library(self) -> dict:
        from ..engines.trading import described

        return described(self.code, self.version) or {}

    @property
    def label(self):
        return self.library.get("label") or self.name


class DeliveryAddress(models.Model):
    """Where an institution takes deliveries (a pharmacy store, a township clinic): its county decides which
    distribution relations serve it, its distance from the county seat whether it is a remote town under the rule
    set's ``remote_km``. Never deleted once orders use it; an address no longer used is made inactive."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="delivery_addresses",
        limit_choices_to={"kind": Organisation.Kind.HOSPITAL},
    )
    name = models.CharField(_("name"), max_length=100)
    street = models.CharField(_("street address"), max_length=200)
    county = models.ForeignKey(
        Region,
        verbose_name=_("county or district"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
    )
    distance_km = models.PositiveIntegerField(_("distance from the county seat (km)"), default=0)
    contact = models.CharField(_("receiving contact"), max_length=100, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    # Authority staff see every address; an institution its own.
    visibility = Visibility(authority=EVERYTHING, hospital=own("organisation"))

    class Meta:
        ordering = ["organisation", "-is_active", "name", "pk"]
        verbose_name = _("delivery address")
        verbose_name_plural = _("delivery addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], condition=models.Q(is_active=True), name="delivery_address_name"
            ),
            models.CheckConstraint(condition=models.Q(distance_km__lte=2000), name="delivery_address_distance"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name} · {self.name}"

    def is_remote(self, parameters: dict) -> bool:
        """A remote town under the rule set: farther from the county seat than its ``remote_km``."""
        return self.distance_km > parameters["remote_km"]


class RelationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PROPOSED = "proposed", _("proposed, awaiting the distributor")
    ACCEPTED = "accepted", _("accepted")
    REFUSED = "refused", _("refused by the distributor")
    REVOKED = "revoked", _("revoked")
    EXPIRED = "expired", _("expired")


RELATION_WORKFLOW = Workflow(
    propose=Step({RelationStatus.DRAFT}, RelationStatus.PROPOSED, _("Only a draft relation can be proposed.")),
    accept=Step(
        {RelationStatus.PROPOSED}, RelationStatus.ACCEPTED, _("Only a proposed relation can be accepted or refused.")
    ),
    refuse=Step(
        {RelationStatus.PROPOSED}, RelationStatus.REFUSED, _("Only a proposed relation can be accepted or refused.")
    ),
    revoke=Step({RelationStatus.ACCEPTED}, RelationStatus.REVOKED, _("Only an accepted relation can be revoked.")),
    expire=Step({RelationStatus.ACCEPTED}, RelationStatus.EXPIRED, _("Only an accepted relation expires.")),
)


class RefusalReason(models.TextChoices):
    OUTSIDE_AREA = "outside_area", _("we do not deliver in this area")
    NO_CAPACITY = "no_capacity", _("no capacity for this product")
    LICENCE = "licence", _("our licence does not cover this product")
    TERMS = "terms", _("terms not agreed with the manufacturer")
    OTHER = "other", _("other (see the text)")


class DistributionRelationQuerySet(ScopedQuerySet):
    def effective_on(self, day) -> "DistributionRelationQuerySet":
        """Relations a new order may be sent through on ``day``: accepted (or revoked from a later day), in dates."""
        return self.filter(
            status__in=[RelationStatus.ACCEPTED, RelationStatus.REVOKED],
            valid_from__lte=day,
            valid_to__gte=day,
        ).exclude(revoked_from__lte=day)


class DistributionRelation(models.Model):
    """Manufacturer × listed product × area × distributor, with its validity dates: the manufacturer proposes, the
    distributor accepts or refuses, either revokes with a reason. Never edited: new dates or areas are a new
    relation; orders sent through it keep it after a revocation or expiry."""

    manufacturer = models.ForeignKey(
        Organisation,
        verbose_name=_("manufacturer"),
        on_delete=models.PROTECT,
        related_name="relations_as_manufacturer",
        limit_choices_to={"kind": Organisation.Kind.SUPPLIER},
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="distribution_relations"
    )
    area = models.ForeignKey(Region, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    distributor = models.ForeignKey(
        Organisation, verbose_name=_("distributor"), on_delete=models.PROTECT, related_name="relations_as_distributor"
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"))
    rule_set = models.ForeignKey(
        TradingRuleSet, verbose_name=_("trading rule set"), on_delete=models.PROTECT, related_name="relations"
    )
    letter_reference = models.CharField(_("authorisation letter number"), max_length=60)
    status = models.CharField(_("status"), max_length=10, choices=RelationStatus.choices, default=RelationStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The Idempotency-Key of the API request that made it: a retried request returns this relation.
    request_key = models.CharField(_("request key"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refusal_reason = models.CharField(
        _("reason for refusal"), max_length=12, choices=RefusalReason.choices, blank=True
    )
    refusal_text = models.CharField(_("refusal explained"), max_length=500, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_from = models.DateField(_("revoked from"), null=True, blank=True)
    revocation_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)

    objects = DistributionRelationQuerySet.as_manager()
    # Authority staff see every relation; a manufacturer its own; a distributor those proposed to it (its drafts
    # are the manufacturer's until proposed).
    visibility = Visibility(
        authority=EVERYTHING,
        supplier=own("manufacturer"),
        distributor=own("distributor") & ~models.Q(status=RelationStatus.DRAFT),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("distribution relation")
        verbose_name_plural = _("distribution relations")
        constraints = [
            models.CheckConstraint(condition=models.Q(valid_to__gte=models.F("valid_from")), name="relation_dates"),
            models.CheckConstraint(
                condition=~models.Q(status="refused") | ~models.Q(refusal_reason=""),
                name="relation_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="revoked")
                | (models.Q(revoked_from__isnull=False) & ~models.Q(revocation_reason="")),
                name="relation_revocation_has_reason",
            ),
            models.UniqueConstraint(
                fields=["manufacturer", "request_key"],
                condition=~models.Q(request_key=""),
                name="relation_request_key_unique",
            ),
        ]
        indexes = [models.Index(fields=["product", "area", "status"], name="relation_product_area")]

    def __str__(self) -> str:
        return f"{self.product} · {self.area} · {self.distributor}"

    @property
    def ends_on(self):
        """The last day orders may be sent through it."""
        if self.revoked_from is not None:
            from datetime import timedelta

            return min(self.valid_to, self.revoked_from - timedelta(days=1))
        return self.valid_to

    def steps(self) -> frozenset[str]:
        return RELATION_WORKFLOW.steps_from(self.status)


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SENT = "sent", _("sent")


class LineStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SENT = "sent", _("sent, awaiting the distributor")
    WITHDRAWN = "withdrawn", _("withdrawn by the buyer")
    CONFIRMED = "confirmed", _("confirmed")
    REFUSED = "refused", _("refused by the distributor")
    EXPIRED = "expired", _("not answered in time (cancelled)")
    IN_DELIVERY = "in_delivery", _("in delivery")
    SHORT_CLOSED = "short_closed", _("closed short (the rest cancelled)")
    DELIVERED = "delivered", _("delivered")


# The order line's life cycle (trading-rules.md, "Orders").
LINE_WORKFLOW = Workflow(
    send=Step({LineStatus.DRAFT}, LineStatus.SENT, _("Only a draft line is sent.")),
    withdraw=Step({LineStatus.SENT}, LineStatus.WITHDRAWN, _("Only a line awaiting its answer can be withdrawn.")),
    confirm=Step({LineStatus.SENT}, LineStatus.CONFIRMED, _("Only a line awaiting its answer can be confirmed.")),
    refuse=Step({LineStatus.SENT}, LineStatus.REFUSED, _("Only a line awaiting its answer can be refused.")),
    expire=Step({LineStatus.SENT}, LineStatus.EXPIRED, _("Only a line awaiting its answer expires.")),
    dispatch=Step(
        {LineStatus.CONFIRMED, LineStatus.IN_DELIVERY},
        LineStatus.IN_DELIVERY,
        _("Only a confirmed line still being delivered can be shipped."),
    ),
    short_close=Step(
        {LineStatus.CONFIRMED, LineStatus.IN_DELIVERY},
        LineStatus.SHORT_CLOSED,
        _("Only a confirmed line still being delivered can be closed short."),
    ),
    deliver=Step({LineStatus.IN_DELIVERY}, LineStatus.DELIVERED, _("Only a line in delivery becomes delivered.")),
)
TERMINAL_LINE_STATUSES = frozenset(
    {LineStatus.WITHDRAWN, LineStatus.REFUSED, LineStatus.EXPIRED, LineStatus.SHORT_CLOSED, LineStatus.DELIVERED}
)
# Lines whose goods are still owed: shipments may be made against them.
SHIPPABLE_LINE_STATUSES = frozenset({LineStatus.CONFIRMED, LineStatus.IN_DELIVERY})


class Urgency(models.TextChoices):
    GENERAL = "general", _("general")
    EMERGENCY = "emergency", _("emergency")


class LineRefusal(models.TextChoices):
    OUT_OF_STOCK = "out_of_stock", _("out of stock")
    OUTSIDE_AREA = "outside_area", _("outside our delivery area")
    OTHER = "other", _("other (see the text)")


class AgreementLink(models.TextChoices):
    CONTRACTED = "contracted", _("within the agreement")
    SUBSTITUTION = "substitution", _("substitution (another product of an agreed group)")
    NONE = "none", _("outside any agreement")


class PurchaseOrderQuerySet(ScopedQuerySet):
    pass


class PurchaseOrder(models.Model):
    """A purchase order (采购订单) of an institution to one distributor for one delivery address. A draft holds the
    buyer's plan, each line naming its distributor; sending splits it into one order per distributor, stores each
    line's price and response deadline, and the distributor answers line by line."""

    # What the parties and the hospital's information system see: not sequential across buyers.
    number = models.CharField(_("order number"), max_length=24, unique=True)
    buyer = models.ForeignKey(
        Organisation, verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="purchase_orders"
    )
    address = models.ForeignKey(
        DeliveryAddress, verbose_name=_("delivery address"), on_delete=models.PROTECT, related_name="orders"
    )
    distributor = models.ForeignKey(
        Organisation,
        verbose_name=_("distributor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders_to_distribute",
    )
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.GENERAL)
    emergency_reason = models.CharField(_("why it is an emergency"), max_length=300, blank=True)
    rule_set = models.ForeignKey(
        TradingRuleSet, verbose_name=_("trading rule set"), on_delete=models.PROTECT, related_name="orders"
    )
    status = models.CharField(_("status"), max_length=5, choices=OrderStatus.choices, default=OrderStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    split_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("split from")
    )
    # The Idempotency-Key of the hospital system's request that made it: a retried request returns this order.
    request_key = models.CharField(_("request key"), max_length=100, blank=True)

    objects = PurchaseOrderQuerySet.as_manager()
    # Officers see every order; a buyer its own; a distributor those sent to it (never a buyer's draft); a
    # manufacturer the sent orders holding its products (it answers them when it delivers itself).
    visibility = Visibility(
        authority=EVERYTHING,
        hospital=own("buyer"),
        distributor=own("distributor") & ~models.Q(status=OrderStatus.DRAFT),
        supplier=lambda user: (
            (
                models.Q(distributor_id=user.organisation_id)
                | models.Q(pk__in=OrderLine.objects.filter(product__holder_id=user.organisation_id).values("order_id"))
            )
            & ~models.Q(status=OrderStatus.DRAFT)
        ),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(urgency="emergency") | ~models.Q(emergency_reason=""),
                name="order_emergency_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | (models.Q(distributor__isnull=False) & models.Q(sent_at__isnull=False)),
                name="order_sent_has_distributor",
            ),
            models.UniqueConstraint(
                fields=["buyer", "request_key"], condition=~models.Q(request_key=""), name="order_request_key_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["buyer", "-created_at"], name="order_buyer_recent"),
            models.Index(fields=["distributor", "-created_at"], name="order_distributor_recent"),
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    """One product of an order (``ordDetlId``): quantity in packs, the price stored at sending, the response and
    delivery deadlines stored at their events, and what the distributor answered."""

    order = models.ForeignKey(PurchaseOrder, verbose_name=_("order"), on_delete=models.PROTECT, related_name="lines")
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="+")
    distributor = models.ForeignKey(
        Organisation, verbose_name=_("distributor"), on_delete=models.PROTECT, related_name="+"
    )
    beneficiary = models.ForeignKey(
        Organisation, verbose_name=_("for institution"), on_delete=models.PROTECT, related_name="+"
    )
    relation = models.ForeignKey(
        DistributionRelation, null=True, blank=True, on_delete=models.PROTECT, related_name="order_lines"
    )
    quantity = models.PositiveIntegerField(_("quantity (packs)"))
    pack_price = models.DecimalField(_("price per pack"), max_digits=14, decimal_places=4, null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, null=True, blank=True)
    contract = models.ForeignKey(
        "procurement.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="order_lines"
    )
    agreement_link = models.CharField(
        _("agreement"), max_length=12, choices=AgreementLink.choices, default=AgreementLink.NONE
    )
    order_class = models.CharField(_("order class"), max_length=16, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=LineStatus.choices, default=LineStatus.DRAFT)
    response_due = models.DateTimeField(_("answer due"), null=True, blank=True)
    confirmed_quantity = models.PositiveIntegerField(_("confirmed quantity (packs)"), default=0)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=12, choices=LineRefusal.choices, blank=True)
    refusal_text = models.CharField(_("refusal explained"), max_length=300, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delivery_due = models.DateTimeField(_("delivery due"), null=True, blank=True)
    # The running quantities (packs), kept by the shipment, receipt and return services under the line's row lock
    # and held in order by the database: ordered ≥ confirmed ≥ shipped + short-closed, shipped ≥ received ≥
    # returned. Shipped is net of what was rejected at receipt (that may be shipped again).
    shipped_quantity = models.PositiveIntegerField(_("shipped (packs)"), default=0)
    received_quantity = models.PositiveIntegerField(_("received (packs)"), default=0)
    returned_quantity = models.PositiveIntegerField(_("returned (packs)"), default=0)
    short_closed_quantity = models.PositiveIntegerField(_("closed short (packs)"), default=0)
    short_closed_at = models.DateTimeField(_("closed short at"), null=True, blank=True)
    short_closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    # When to remind the distributor that a deadline approaches (half-way, stored at the event like the deadline).
    response_remind_at = models.DateTimeField(null=True, blank=True)
    delivery_remind_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    visibility = Visibility(
        authority=EVERYTHING,
        hospital=own("order__buyer"),
        distributor=own("distributor") & ~models.Q(status=LineStatus.DRAFT),
        supplier=(own("distributor") | own("product__holder")) & ~models.Q(status=LineStatus.DRAFT),
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="order_line_quantity_positive"),
            models.CheckConstraint(
                condition=models.Q(confirmed_quantity__lte=models.F("quantity")),
                name="order_line_confirmed_le_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | (
                    models.Q(pack_price__isnull=False)
                    & models.Q(amount__isnull=False)
                    & models.Q(response_due__isnull=False)
                    & models.Q(relation__isnull=False)
                ),
                name="order_line_sent_has_price_and_deadline",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="confirmed")
                | (models.Q(confirmed_quantity__gt=0) & models.Q(delivery_due__isnull=False)),
                name="order_line_confirmed_has_quantity",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    confirmed_quantity__gte=models.F("shipped_quantity") + models.F("short_closed_quantity")
                ),
                name="order_line_confirmed_ge_shipped",
            ),
            models.CheckConstraint(
                condition=models.Q(shipped_quantity__gte=models.F("received_quantity")),
                name="order_line_shipped_ge_received",
            ),
            models.CheckConstraint(
                condition=models.Q(received_quantity__gte=models.F("returned_quantity")),
                name="order_line_received_ge_returned",
            ),
        ]
        indexes = [
            models.Index(fields=["response_due"], condition=models.Q(status="sent"), name="order_line_awaiting"),
            models.Index(fields=["distributor", "status"], name="order_line_distributor"),
            models.Index(
                fields=["response_remind_at"], condition=models.Q(status="sent"), name="order_line_answer_remind"
            ),
            models.Index(
                fields=["delivery_remind_at"],
                condition=models.Q(status__in=["confirmed", "in_delivery"]),
                name="order_line_delivering",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order.number} #{self.pk}"


class SupplyEvent(models.Model):
    """A distributor's failure on an order line (trading-rules.md, "Supply failures and credit"): an answer not
    given in time, later a late arrival or a short-closed line. The credit officer's review reads them."""

    class Kind(models.TextChoices):
        RESPONSE_EXPIRED = "response_expired", _("order not answered in time")
        LATE_ARRIVAL = "late_arrival", _("goods arrived after the delivery deadline")
        DELIVERY_SHORT = "delivery_short", _("line closed short (confirmed goods not delivered)")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="supply_events")
    distributor = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    manufacturer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField(_("occurred at"))

    objects = ScopedQuerySet.as_manager()
    visibility = Visibility(authority=EVERYTHING, distributor=own("distributor"), supplier=own("manufacturer"))

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["line", "kind"], name="one_supply_event_per_line_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.line_id}"


class ShipmentStatus(models.TextChoices):
    IN_TRANSIT = "in_transit", _("on its way")
    ARRIVED = "arrived", _("arrived, awaiting receipt")
    RECEIVED = "received", _("received")


class ShipmentQuerySet(ScopedQuerySet):
    pass


class Shipment(models.Model):
    """A delivery note (配送单 / 随货同行单) from one distributor to one delivery address: its lines are order lines ×
    batches. The distributor states when it arrived; the receiver confirms or corrects that time at receipt, and
    timeliness is judged on it."""

    number = models.CharField(_("delivery note number"), max_length=24, unique=True)
    distributor = models.ForeignKey(
        Organisation, verbose_name=_("distributor"), on_delete=models.PROTECT, related_name="shipments"
    )
    buyer = models.ForeignKey(Organisation, verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="+")
    address = models.ForeignKey(
        DeliveryAddress, verbose_name=_("delivery address"), on_delete=models.PROTECT, related_name="shipments"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ShipmentStatus.choices, default=ShipmentStatus.IN_TRANSIT
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), default=timezone.now)
    dispatched_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    # Receipt within the rule set's working days of arrival (stored when the arrival is known).
    receipt_due = models.DateTimeField(_("receipt due"), null=True, blank=True)
    rule_set = models.ForeignKey(TradingRuleSet, on_delete=models.PROTECT, related_name="+")
    request_key = models.CharField(_("request key"), max_length=100, blank=True)

    objects = ShipmentQuerySet.as_manager()
    visibility = Visibility(
        authority=EVERYTHING,
        hospital=own("buyer"),
        distributor=own("distributor"),
        supplier=lambda user: (
            models.Q(distributor_id=user.organisation_id)
            | models.Q(
                pk__in=ShipmentLine.objects.filter(order_line__product__holder_id=user.organisation_id).values(
                    "shipment_id"
                )
            )
        ),
    )

    class Meta:
        ordering = ["-dispatched_at", "-pk"]
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        constraints = [
            models.UniqueConstraint(
                fields=["distributor", "request_key"],
                condition=~models.Q(request_key=""),
                name="shipment_request_key_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(status="in_transit") | models.Q(arrived_at__isnull=False),
                name="shipment_arrived_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["buyer", "status"], name="shipment_buyer_status"),
            models.Index(fields=["distributor", "-dispatched_at"], name="shipment_distributor_recent"),
        ]

    def __str__(self) -> str:
        return self.number


class ShipmentLine(models.Model):
    """One order line × one batch in a shipment (``shpId``): packs shipped, the order line's price, batch (批号),
    expiry, the upstream invoice under the two-invoice rule; then its receipt (packs received, the rest rejected
    with a reason) and the packs returned since."""

    shipment = models.ForeignKey(Shipment, verbose_name=_("shipment"), on_delete=models.PROTECT, related_name="lines")
    order_line = models.ForeignKey(
        OrderLine, verbose_name=_("order line"), on_delete=models.PROTECT, related_name="shipment_lines"
    )
    quantity = models.PositiveIntegerField(_("shipped (packs)"))
    pack_price = models.DecimalField(_("price per pack"), max_digits=14, decimal_places=4)
    batch_number = models.CharField(_("batch number"), max_length=40)
    expiry_date = models.DateField(_("expiry date"))
    upstream_invoice = models.CharField(_("upstream invoice number"), max_length=40, blank=True)
    received_quantity = models.PositiveIntegerField(_("received (packs)"), null=True, blank=True)
    rejection_reason = models.CharField(_("why the rest was rejected"), max_length=300, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    stored_at = models.DateTimeField(_("stored at"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_quantity = models.PositiveIntegerField(_("returned (packs)"), default=0)

    objects = ScopedQuerySet.as_manager()
    visibility = Visibility(
        authority=EVERYTHING,
        hospital=own("shipment__buyer"),
        distributor=own("shipment__distributor"),
        supplier=own("shipment__distributor") | own("order_line__product__holder"),
    )

    class Meta:
        ordering = ["shipment", "pk"]
        verbose_name = _("shipment line")
        verbose_name_plural = _("shipment lines")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="shipment_line_quantity_positive"),
            models.CheckConstraint(
                condition=models.Q(received_quantity__isnull=True)
                | models.Q(received_quantity__lte=models.F("quantity")),
                name="shipment_line_received_le_shipped",
            ),
            models.CheckConstraint(
                condition=(models.Q(received_quantity__isnull=True) & models.Q(returned_quantity=0))
                | models.Q(returned_quantity__lte=models.F("received_quantity")),
                name="shipment_line_returned_le_received",
            ),
            models.CheckConstraint(
                condition=models.Q(received_quantity__isnull=True) | models.Q(accepted_at__isnull=False),
                name="shipment_line_receipt_has_time",
            ),
        ]
        indexes = [models.Index(fields=["order_line"], name="shipment_line_order_line")]

    def __str__(self) -> str:
        return f"{self.shipment.number} · {self.batch_number}"

    @property
    def rejected_quantity(self) -> int:
        return 0 if self.received_quantity is None else self.quantity - self.received_quantity


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")


RETURN_WORKFLOW = Workflow(
    approve=Step({ReturnStatus.REQUESTED}, ReturnStatus.APPROVED, _("Only a requested return can be approved.")),
    refuse=Step({ReturnStatus.REQUESTED}, ReturnStatus.REFUSED, _("Only a requested return can be refused.")),
    withdraw=Step({ReturnStatus.REQUESTED}, ReturnStatus.WITHDRAWN, _("Only a requested return can be withdrawn.")),
)


class ReturnRequest(models.Model):
    """A return (退货) of received packs of one shipment line, with its reason; the distributor approves or refuses
    it, the receiver may withdraw it before. Approved packs count as returned (``retnCnt``)."""

    shipment_line = models.ForeignKey(
        ShipmentLine, verbose_name=_("shipment line"), on_delete=models.PROTECT, related_name="returns"
    )
    quantity = models.PositiveIntegerField(_("packs to return"))
    reason = models.CharField(_("reason for the return"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.REQUESTED)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision_due = models.DateTimeField(_("decision due"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refusal_text = models.CharField(_("why it was refused"), max_length=300, blank=True)
    request_key = models.CharField(_("request key"), max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()
    visibility = Visibility(
        authority=EVERYTHING,
        hospital=own("shipment_line__shipment__buyer"),
        distributor=own("shipment_line__shipment__distributor"),
        supplier=own("shipment_line__shipment__distributor") | own("shipment_line__order_line__product__holder"),
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="return_quantity_positive"),
            models.CheckConstraint(
                condition=~models.Q(status="refused") | ~models.Q(refusal_text=""), name="return_refusal_has_reason"
            ),
            models.UniqueConstraint(
                fields=["requested_by", "request_key"],
                condition=~models.Q(request_key=""),
                name="return_request_key_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["decision_due"], condition=models.Q(status="requested"), name="return_awaiting")
        ]

    def __str__(self) -> str:
        return f"{self.shipment_line} −{self.quantity}"


class DeadlineNotice(models.Model):
    """A deadline notification sent for an order line, once per kind (the scheduler looks for lines without it)."""

    class Kind(models.TextChoices):
        ANSWER_SOON = "answer_soon", _("answer due soon")
        ANSWER_MISSED = "answer_missed", _("answer deadline passed")
        DELIVERY_SOON = "delivery_soon", _("delivery due soon")
        DELIVERY_MISSED = "delivery_missed", _("delivery deadline passed")

    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="deadline_notices")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["line", "kind"], name="one_deadline_notice_per_line_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.line_id}"


class TradingMessage(models.Model):
    """A bulk message of an institution's information system (orders, receipts), kept with its per-line results
    under its ``Idempotency-Key``: a retry of the same message gets the same answer and changes nothing."""

    class Kind(models.TextChoices):
        ORDERS = "orders", _("orders")
        RECEIPTS = "receipts", _("receipts")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    idempotency_key = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    results = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "idempotency_key"], name="trading_message_key_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.idempotency_key}"
