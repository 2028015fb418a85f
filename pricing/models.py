"""Price governance: listings (挂网) and their change history, payment standards (医保支付标准) linked to the winning
prices, price and supply warnings with their inquiry → interview → outcome workflow, and hospitals' declarations of
purchases made outside the platform (for the online-purchase rate)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Region
from core.scoping import EVERYTHING, ScopedQuerySet, Visibility, own
from core.workflow import Step, Workflow


class Listing(models.Model):
    """A product listed on the platform at a price per smallest unit, province-wide or in one city."""

    class Basis(models.TextChoices):
        VBP_WINNER = "vbp_winner", _("VBP winner in its supply region (winning price)")
        VBP_OTHER_REGION = "vbp_other_region", _("VBP winner outside its supply regions (capped)")
        NON_VBP = "non_vbp", _("outside VBP (approved price)")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for review")
        LISTED = "listed", _("listed")
        REJECTED = "rejected", _("rejected")
        SUSPENDED = "suspended", _("suspended")
        WITHDRAWN = "withdrawn", _("withdrawn")

    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="listings")
    product = models.ForeignKey("procurement.Product", on_delete=models.PROTECT, related_name="listings")
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("city")
    )
    price = models.DecimalField(_("price per smallest unit"), max_digits=14, decimal_places=4)
    basis = models.CharField(_("basis"), max_length=20, choices=Basis.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    round = models.ForeignKey(
        "procurement.TenderRound", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    suspended_by_credit = models.BooleanField(_("suspended by a credit measure"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    # Listed prices are what every purchaser may buy at: listed ones are open to every signed-in user; a supplier
    # also sees its own applications; the authority everything.
    visibility = Visibility(
        authority=EVERYTHING,
        supplier=own("supplier") | models.Q(status__in=[Status.LISTED, Status.SUSPENDED]),
        signed_in=models.Q(status__in=[Status.LISTED, Status.SUSPENDED]),
    )

    class Meta:
        ordering = ["product__generic_name", "product__national_drug_code", "region__code"]
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "region"],
                condition=models.Q(status__in=["pending", "listed", "suspended"]),
                name="one_open_listing_per_product_region",
            )
        ]

    def __str__(self) -> str:
        return f"{self.product} · {self.region or '—'} · {self.price}"

    @property
    def next_steps(self) -> frozenset[str]:
        """The workflow's steps possible now (``LISTING_WORKFLOW``): what the page offers, what the service allows."""
        return LISTING_WORKFLOW.steps_from(self.status)

    @property
    def suspended(self) -> bool:
        """Listed but suspended (after a price warning): hospitals may not buy at it until it is lifted."""
        return self.status == self.Status.SUSPENDED

    @property
    def price_change_open(self) -> bool:
        """Whether the supplier may ask to change the price: a listed price, not a winner's (fixed for the cycle)."""
        return self.status == self.Status.LISTED and self.basis != self.Basis.VBP_WINNER


class ListingChange(models.Model):
    """Every change of a listing with its reason: application, review, price change request and review,
    suspension (by the officer or a credit measure) and lifting, withdrawal."""

    class Kind(models.TextChoices):
        APPLY = "apply", _("application")
        APPROVE = "approve", _("approved")
        REJECT = "reject", _("rejected")
        PRICE_REQUEST = "price_request", _("price change requested")
        PRICE_APPROVE = "price_approve", _("price change approved")
        PRICE_REJECT = "price_reject", _("price change rejected")
        SUSPEND = "suspend", _("suspended")
        LIFT = "lift", _("suspension lifted")
        WITHDRAW = "withdraw", _("withdrawn")

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("change"), max_length=16, choices=Kind.choices)
    old_price = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    new_price = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    pending = models.BooleanField(default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.listing_id} · {self.kind}"


class PaymentStandard(models.Model):
    """The insurance payment standard of a product after an award, per comparable unit of its group, with its yearly
    convergence on the winning price; a new award adds rows and keeps the old ones (history)."""

    round = models.ForeignKey("procurement.TenderRound", on_delete=models.PROTECT, related_name="payment_standards")
    group = models.ForeignKey("procurement.ProductGroup", on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey("procurement.Product", on_delete=models.PROTECT, related_name="payment_standards")
    basis = models.CharField(_("rule"), max_length=16)
    winning_price = models.DecimalField(_("winning price (comparable unit)"), max_digits=14, decimal_places=4)
    product_price = models.DecimalField(
        _("product's price (comparable unit)"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    initial_standard = models.DecimalField(_("first-year standard"), max_digits=14, decimal_places=4)
    effective_from = models.DateField(_("effective from"))
    convergence_years = models.PositiveSmallIntegerField(_("years to converge"))
    per_pack_factor = models.DecimalField(
        _("comparable price of a pack at one yuan"), max_digits=20, decimal_places=10, null=True, blank=True
    )
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["group__generic_name", "product__national_drug_code", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["round", "product"], name="one_standard_per_round_product")]

    def __str__(self) -> str:
        return f"{self.product} · {self.initial_standard}"

    @property
    def per_pack(self):
        """Today's standard as a pack price of this product."""
        from django.utils import timezone

        if not self.per_pack_factor:
            return None
        from core.money import round_money

        return round_money(self.standard_on(timezone.localdate()) / self.per_pack_factor)

    def standard_on(self, day):
        from .engines.rules import Standard

        return Standard(self.initial_standard, self.winning_price, self.basis).on(
            self.effective_from, day, self.convergence_years
        )


class PriceWarning(models.Model):
    """A price or supply anomaly (价格和供应异常变动) and its workflow: inquiry letter (函询) with a deadline, the
    supplier's answer, interview (约谈), and the outcome — dismissed, public exposure, or suspension of the listing."""

    class Kind(models.TextChoices):
        PRICE_RISE = "price_rise", _("price rise above the threshold")
        FREQUENT_CHANGES = "frequent_changes", _("too frequent price changes")
        REGIONAL_GAP = "regional_gap", _("far above the same product's price elsewhere")
        COMPARABLE_GAP = "comparable_gap", _("far above equivalent products' comparable price")
        LOW_DELIVERY_RATE = "low_delivery_rate", _("winner's delivery rate under the threshold")
        SUBSTITUTION_SWITCH = "substitution_switch", _("hospitals switching to substitutes")
        DELIVERY_DROP = "delivery_drop", _("deliveries falling")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        INQUIRY = "inquiry", _("inquiry letter sent")
        ANSWERED = "answered", _("answered")
        INTERVIEW = "interview", _("interview scheduled")
        CLOSED = "closed", _("closed")

    class Outcome(models.TextChoices):
        DISMISSED = "dismissed", _("dismissed")
        EXPOSED = "exposed", _("public exposure")
        SUSPENDED = "suspended", _("listing suspended")

    kind = models.CharField(_("warning"), max_length=20, choices=Kind.choices)
    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="price_warnings")
    product = models.ForeignKey(
        "procurement.Product", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        "procurement.ProductGroup", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    listing = models.ForeignKey(Listing, null=True, blank=True, on_delete=models.PROTECT, related_name="warnings")
    details = models.JSONField(default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    inquiry_text = models.TextField(_("inquiry letter"), blank=True)
    inquiry_due = models.DateField(_("answer due"), null=True, blank=True)
    response_text = models.TextField(_("supplier's answer"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    interview_on = models.DateField(_("interview on"), null=True, blank=True)
    interview_notes = models.TextField(_("interview notes"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("reasons"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    visibility = Visibility(authority=EVERYTHING, supplier=own("supplier"))

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "supplier", "product", "group"],
                condition=~models.Q(status="closed"),
                name="one_open_warning_per_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.supplier}"

    @property
    def next_steps(self) -> frozenset[str]:
        """The workflow's steps possible now (``WARNING_WORKFLOW``): what the page offers, what the service allows."""
        return WARNING_WORKFLOW.steps_from(self.status)


class OffPlatformPurchase(models.Model):
    """A hospital's declaration of what it bought outside the platform in a month, per category: the denominator
    of the online-purchase rate (网采率)."""

    class Category(models.TextChoices):
        DRUGS = "drugs", _("drugs")
        CONSUMABLES = "consumables", _("high-value consumables")

    hospital = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    amount = models.DecimalField(_("amount bought outside the platform"), max_digits=18, decimal_places=2)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hospital", "month", "category"], name="one_declaration_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.hospital_id} · {self.month:%Y-%m} · {self.amount}"


_L = Listing.Status
# The listing workflow (vbp-rules.md, Pricing): review of an application, suspension by the officer or by a credit
# measure, and its lifting.
LISTING_WORKFLOW = Workflow(
    approve=Step({_L.PENDING}, _L.LISTED, _("This listing is not waiting for review.")),
    reject=Step({_L.PENDING}, _L.REJECTED, _("This listing is not waiting for review.")),
    suspend=Step({_L.LISTED}, _L.SUSPENDED, _("Only a listed price can be suspended.")),
    lift=Step({_L.SUSPENDED}, _L.LISTED, _("Only a suspended listing can be lifted.")),
)

_W = PriceWarning.Status
# The warning workflow (vbp-rules.md, Pricing): inquiry letter → the supplier's answer → interview → outcome; the
# officer may close at any point before.
WARNING_WORKFLOW = Workflow(
    inquire=Step({_W.OPEN}, _W.INQUIRY, _("An inquiry goes to an open warning.")),
    answer=Step({_W.INQUIRY}, _W.ANSWERED, _("There is no inquiry to answer.")),
    interview=Step({_W.INQUIRY, _W.ANSWERED}, _W.INTERVIEW, _("An interview follows an inquiry.")),
    close=Step({_W.OPEN, _W.INQUIRY, _W.ANSWERED, _W.INTERVIEW}, _W.CLOSED, _("This warning is closed.")),
)
