"""After the award: purchase agreements (采购协议) per hospital × group × winner, purchase reports and deliveries,
supply failures with the move to a backup winner, and the completion rollups kept up to date on every ingest (pages
read the rollups, never the raw lines)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Region
from core.scoping import EVERYTHING, ScopedQuerySet, Visibility, own
from core.workflow import Step, Workflow

from .award import AwardRun
from .catalog import Product
from .rounds import ProductGroup, TenderRound


class Contract(models.Model):
    """A purchase agreement: a hospital buys the agreed quantity of a group from a winner, at the winning price,
    over the procurement cycle. Both parties confirm (or an officer confirms in bulk)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        TERMINATED = "terminated", _("terminated (volume moved)")
        ENDED = "ended", _("ended (renewed or expired)")

    round = models.ForeignKey(TenderRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="contracts")
    group = models.ForeignKey(
        ProductGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="contracts"
    )
    hospital = models.ForeignKey(
        Organisation, verbose_name=_("hospital"), on_delete=models.PROTECT, related_name="hospital_contracts"
    )
    supplier = models.ForeignKey(
        Organisation, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="supplier_contracts"
    )
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="contracts")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    agreed_quantity = models.PositiveBigIntegerField(_("agreed quantity (smallest units)"))
    unit_price = models.DecimalField(_("price per smallest unit"), max_digits=14, decimal_places=4)
    comparable_price = models.DecimalField(_("winning unit-comparable price"), max_digits=14, decimal_places=4)
    cycle_start = models.DateField(_("cycle start"))
    cycle_end = models.DateField(_("cycle end"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    hospital_confirmed_at = models.DateTimeField(_("confirmed by the hospital"), null=True, blank=True)
    supplier_confirmed_at = models.DateTimeField(_("confirmed by the supplier"), null=True, blank=True)
    confirmed_by_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_run = models.ForeignKey(AwardRun, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    moved_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="moved_to", verbose_name=_("moved from")
    )
    renewal_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewals", verbose_name=_("renewal of")
    )
    # Rollups, kept by the ingest in the same transaction as the lines.
    purchased_quantity = models.PositiveBigIntegerField(_("purchased quantity"), default=0)
    purchased_amount = models.DecimalField(_("purchased amount"), max_digits=18, decimal_places=2, default=0)
    last_purchase_on = models.DateField(_("last purchase"), null=True, blank=True)
    delivered_quantity = models.PositiveBigIntegerField(_("delivered quantity"), default=0)
    delivered_on_time_quantity = models.PositiveBigIntegerField(_("delivered on time"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    # The two parties of the purchase relationship see their own rows; authority staff every row.
    visibility = Visibility(authority=EVERYTHING, hospital=own("hospital"), supplier=own("supplier"))

    class Meta:
        ordering = ["round", "group__code", "hospital__code"]
        verbose_name = _("purchase agreement")
        verbose_name_plural = _("purchase agreements")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "group", "hospital", "supplier", "cycle_start"], name="one_contract_per_party_cycle"
            )
        ]
        indexes = [
            models.Index(fields=["hospital", "product"], name="contract_hospital_product"),
            models.Index(fields=["supplier", "status"], name="contract_supplier"),
        ]

    def __str__(self) -> str:
        return f"{self.round.code} {self.group.code} · {self.hospital} ← {self.supplier}"

    @property
    def open_quantity(self) -> int:
        return max(self.agreed_quantity - self.purchased_quantity, 0)

    @property
    def is_active(self) -> bool:
        """In force: purchases and deliveries count against it, it can be renewed or its volume moved."""
        return "end" in CONTRACT_WORKFLOW.steps_from(self.status)

    def awaits_confirmation_by(self, organisation_id) -> bool:
        """Whether this party (the hospital or the supplier) still has to confirm its side."""
        if not self.is_active:
            return False
        if organisation_id == self.hospital_id:
            return self.hospital_confirmed_at is None
        return organisation_id == self.supplier_id and self.supplier_confirmed_at is None


_A = Contract.Status
# An agreement's life (contracts.md): confirmed once both parties (or an officer for them) have confirmed; while in
# force, terminated when a supply failure moves its open volume to the backup winner, or ended by its renewal.
CONTRACT_WORKFLOW = Workflow(
    confirm=Step({_A.PENDING}, _A.CONFIRMED, _("This agreement is not waiting for confirmation.")),
    terminate=Step({_A.PENDING, _A.CONFIRMED}, _A.TERMINATED, _("This agreement is no longer in force.")),
    end=Step({_A.PENDING, _A.CONFIRMED}, _A.ENDED, _("This agreement is no longer in force.")),
)


class PurchaseUpload(models.Model):
    """One purchase report (a form, a spreadsheet or an API call): accepted whole or rejected whole with
    line-numbered errors; its idempotency key makes a retry return the first answer."""

    class Source(models.TextChoices):
        FORM = "form", _("form")
        SPREADSHEET = "spreadsheet", _("spreadsheet")
        API = "api", _("API")

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    hospital = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="purchase_uploads")
    idempotency_key = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    source = models.CharField(max_length=12, choices=Source.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    lines = models.PositiveIntegerField(_("lines"), default=0)
    substitution_lines = models.PositiveIntegerField(_("substitution lines"), default=0)
    errors = models.JSONField(default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    # A hospital's own reports; authority staff every report.
    visibility = Visibility(authority=EVERYTHING, hospital=own("hospital"))

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["hospital", "idempotency_key"], name="one_purchase_upload_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.hospital} · {self.created_at:%Y-%m-%d} · {self.get_status_display()}"

    @property
    def accepted(self) -> bool:
        """The report was accepted whole (otherwise it was rejected whole, with line-numbered errors)."""
        return self.status == self.Status.ACCEPTED


class PurchaseLine(models.Model):
    """An order line a hospital reports: matched to its agreement, or recorded as substitution (替代使用) when it
    buys a non-winning product of a contracted group, or as outside VBP."""

    class Kind(models.TextChoices):
        CONTRACT = "contract", _("under an agreement")
        SUBSTITUTION = "substitution", _("substitution (替代使用)")
        OUTSIDE = "outside", _("outside VBP")

    upload = models.ForeignKey(PurchaseUpload, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    hospital = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    contract = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    group = models.ForeignKey(
        ProductGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    order_number = models.CharField(_("order number"), max_length=60)
    ordered_on = models.DateField(_("order date"))
    quantity = models.PositiveBigIntegerField(_("quantity (smallest units)"))
    unit_price = models.DecimalField(_("price per smallest unit"), max_digits=14, decimal_places=4)
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)

    objects = ScopedQuerySet.as_manager()
    # The two parties of the purchase relationship see their own rows; authority staff every row.
    visibility = Visibility(authority=EVERYTHING, hospital=own("hospital"), supplier=own("supplier"))

    class Meta:
        ordering = ["-ordered_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["hospital", "order_number", "product"], name="purchase_line_once")
        ]

    def __str__(self) -> str:
        return f"{self.order_number} · {self.product_id} × {self.quantity}"

    @property
    def is_substitution(self) -> bool:
        """Bought in place of a winning product of a contracted group (替代使用): marked wherever lines are shown."""
        return self.kind == self.Kind.SUBSTITUTION


class Delivery(models.Model):
    """A shipment the supplier records against an agreement; the hospital confirms receipt. On time means
    received within the agreed lead time after the order date."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="deliveries")
    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    hospital = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    order_number = models.CharField(_("order number"), max_length=60)
    ordered_on = models.DateField(_("order date"))
    shipped_on = models.DateField(_("shipped on"))
    quantity = models.PositiveBigIntegerField(_("quantity (smallest units)"))
    due_on = models.DateField(_("due on"))
    received_on = models.DateField(_("received on"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    # The two parties of the purchase relationship see their own rows; authority staff every row.
    visibility = Visibility(authority=EVERYTHING, hospital=own("hospital"), supplier=own("supplier"))

    class Meta:
        ordering = ["-shipped_on", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["contract", "order_number"], name="one_delivery_per_order")]

    def __str__(self) -> str:
        return f"{self.order_number} · {self.quantity}"

    @property
    def on_time(self) -> bool | None:
        return None if self.received_on is None else self.received_on <= self.due_on


class SupplyFailure(models.Model):
    """A winner cannot supply a region (recorded by an officer or declared by the supplier): its open volume there
    moved to the backup winner, and the event handed to the credit rating."""

    round = models.ForeignKey(TenderRound, on_delete=models.PROTECT, related_name="supply_failures")
    group = models.ForeignKey(ProductGroup, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    backup = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    moved_quantity = models.PositiveBigIntegerField(_("volume moved"), default=0)
    contracts_moved = models.PositiveIntegerField(_("agreements moved"), default=0)
    declared_by_supplier = models.BooleanField(_("declared by the supplier"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    credit_record = models.ForeignKey(
        "credit.CreditRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    visibility = Visibility(authority=EVERYTHING)

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.group.code} · {self.supplier} · {self.region}"


class CompletionRollup(models.Model):
    """Agreed, purchased and substituted quantities per round × group × city × supplier, kept by every ingest in
    the same transaction: the province, city, group and supplier views sum these few rows."""

    round = models.ForeignKey(TenderRound, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(ProductGroup, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    agreed_quantity = models.BigIntegerField(default=0)
    purchased_quantity = models.BigIntegerField(default=0)
    purchased_amount = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    substitution_quantity = models.BigIntegerField(default=0)
    delivered_quantity = models.BigIntegerField(default=0)
    delivered_on_time_quantity = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "group", "region", "supplier"], name="completion_rollup_once")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.group_id}/{self.region_id}/{self.supplier_id}"


class PurchaseMonthRollup(models.Model):
    """Per hospital × calendar month × kind of line (under an agreement, substitution, outside VBP): the reported
    quantity and amount, moved with every accepted report in its transaction. The savings and online-rate figures
    read these, never the purchase lines."""

    hospital = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))  # its first day
    kind = models.CharField(_("kind"), max_length=12, choices=PurchaseLine.Kind.choices)
    quantity = models.BigIntegerField(default=0)
    amount = models.DecimalField(max_digits=20, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hospital", "month", "kind"], name="purchase_month_rollup_once")
        ]
        indexes = [models.Index(fields=["month"], name="purchase_month_rollup_month")]

    def __str__(self) -> str:
        return f"{self.hospital_id}/{self.month:%Y-%m}/{self.kind}"


class HospitalRollup(models.Model):
    """Per round × hospital: agreed, purchased and substituted quantities, and the last report date."""

    round = models.ForeignKey(TenderRound, on_delete=models.CASCADE, related_name="+")
    hospital = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    agreed_quantity = models.BigIntegerField(default=0)
    purchased_quantity = models.BigIntegerField(default=0)
    purchased_amount = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    substitution_quantity = models.BigIntegerField(default=0)
    last_report_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "hospital"], name="hospital_rollup_once")]
        indexes = [models.Index(fields=["round", "region"], name="hospital_rollup_region")]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.hospital_id}"
