"""Listings (挂网): a product listed at a price per smallest unit, its change history and its workflow."""

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
        return f"{self.listing} · {self.get_kind_display()}"


_L = Listing.Status
# The listing workflow (vbp-rules.md, Pricing): review of an application, suspension by the officer or by a credit
# measure, and its lifting.
LISTING_WORKFLOW = Workflow(
    approve=Step({_L.PENDING}, _L.LISTED, _("This listing is not waiting for review.")),
    reject=Step({_L.PENDING}, _L.REJECTED, _("This listing is not waiting for review.")),
    suspend=Step({_L.LISTED}, _L.SUSPENDED, _("Only a listed price can be suspended.")),
    lift=Step({_L.SUSPENDED}, _L.LISTED, _("Only a suspended listing can be lifted.")),
)
