"""Sealed bids: every version stored as ciphertext with a receipt hash; opened bids hold the decrypted values."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.scoping import ScopedQuerySet, Visibility, own

from .catalog import Product
from .rounds import ProductGroup, TenderRound


class Bid(models.Model):
    """One supplier's bid for one group; its versions hold the sealed content."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    round = models.ForeignKey(TenderRound, on_delete=models.PROTECT, related_name="bids")
    group = models.ForeignKey(ProductGroup, on_delete=models.PROTECT, related_name="bids")
    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="bids")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    current_version = models.PositiveIntegerField(_("version"), default=0)
    last_submitted_at = models.DateTimeField(_("last submitted at"), null=True)

    objects = ScopedQuerySet.as_manager()
    # A supplier sees its own bids; authority staff see bids only once their round is opened (sealed until then).
    visibility = Visibility(authority=models.Q(round__opened_at__isnull=False), supplier=own("supplier"))

    class Meta:
        ordering = ["group", "supplier"]
        constraints = [models.UniqueConstraint(fields=["group", "supplier"], name="one_bid_per_supplier_group")]

    def __str__(self) -> str:
        return f"{self.group.code} · {self.supplier}"

    @property
    def is_active(self) -> bool:
        """A sealed bid on file (not withdrawn): what the supplier's bid page shows and offers to amend."""
        return self.status == self.Status.ACTIVE


class BidVersion(models.Model):
    """One submission, amendment or withdrawal. The content is ciphertext until the opening time."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submitted")
        AMEND = "amend", _("Amended")
        WITHDRAW = "withdraw", _("Withdrawn")

    # What the supplier's receipts show: random, so that no visible identifier moves with other suppliers' bids.
    public_id = models.UUIDField(_("receipt number"), default=uuid.uuid4, unique=True, editable=False)
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="versions")
    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("version"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sealed_content = models.BinaryField(_("sealed content"), null=True)
    receipt_hash = models.CharField(_("receipt hash"), max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True)
    request_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["bid", "number"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "number"], name="bid_version_number_unique"),
            models.UniqueConstraint(
                fields=["supplier", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="bid_version_idempotency_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bid} v{self.number} ({self.get_action_display()})"


class Participation(models.Model):
    """One possible bidder's part in a round before its opening (参与席位), as one encrypted row.

    Everything a supplier does in a round until the opening (its credit commitment, every bid version with its
    receipt, the audit rows about them) lives in the ``state`` ciphertext of its row, of a fixed size; the row is
    found by a keyed token of the round and the supplier. The round's rows exist for every supplier holding a
    product eligible in one of its groups, bidder or not, so a reader of the database learns neither who bids nor
    how many bids there are. The opening writes the bids, versions and commitments out as ordinary rows
    (``procurement.participation``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(TenderRound, on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    state = models.BinaryField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.round_id} · {self.token[:8]}"


class InvalidReason(models.TextChoices):
    ABOVE_CEILING = "above_ceiling", _("Above the ceiling price")
    INELIGIBLE = "ineligible", _("Product not eligible for the group")
    NO_COMMITMENT = "no_commitment", _("No credit commitment")
    CREDIT_RESTRICTED = "credit_restricted", _("Bidding restricted by a credit measure")
    CAPACITY_BELOW_MINIMUM = "capacity_below_minimum", _("Capacity below the rule set's minimum")
    HASH_MISMATCH = "hash_mismatch", _("Content does not match its receipt")
    UNREADABLE = "unreadable", _("Content outside what a bid may state (price or capacity out of range)")


class OpenedBid(models.Model):
    """A bid as decrypted at the opening (开标): the row of the published opening table."""

    round = models.ForeignKey(TenderRound, on_delete=models.PROTECT, related_name="opened_bids")
    group = models.ForeignKey(ProductGroup, on_delete=models.PROTECT, related_name="opened_bids")
    bid = models.OneToOneField(Bid, on_delete=models.PROTECT, related_name="opened")
    version = models.ForeignKey(BidVersion, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # Null only when the ciphertext failed authentication and nothing could be read (reason hash_mismatch).
    product = models.ForeignKey(Product, null=True, on_delete=models.PROTECT, related_name="+")
    pack_price = models.DecimalField(_("price per pack"), max_digits=14, decimal_places=4, null=True)
    comparable_price = models.DecimalField(_("unit-comparable price"), max_digits=14, decimal_places=4, null=True)
    capacity = models.PositiveBigIntegerField(_("supply capacity"), null=True)
    regions = models.JSONField(_("supply regions"), default=list)
    submitted_at = models.DateTimeField(_("submitted at"))
    receipt_hash = models.CharField(_("receipt hash"), max_length=64)
    hash_verified = models.BooleanField(_("receipt verified"))
    valid = models.BooleanField(_("valid"))
    invalid_reason = models.CharField(_("reason"), max_length=24, choices=InvalidReason.choices, blank=True)

    objects = ScopedQuerySet.as_manager()
    # The opening table is published to every participant once the round is opened.
    visibility = Visibility(signed_in=models.Q(round__opened_at__isnull=False))

    class Meta:
        ordering = ["group", "comparable_price", "submitted_at", "supplier__code"]

    def __str__(self) -> str:
        return f"{self.group.code} · {self.supplier}"


# Module-level names for the API schema's enum names (SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
BidStatus = Bid.Status
