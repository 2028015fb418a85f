"""Credit commitments (承诺书): the versioned text and each supplier's signature for a round."""

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.scoping import ScopedQuerySet, Visibility, own


class CommitmentText(models.Model):
    """A version of the price and marketing credit commitment text (医药企业价格和营销行为信用承诺书)."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    sha256 = models.CharField(max_length=64, editable=False)
    effective_from = models.DateField(_("effective from"))

    class Meta:
        ordering = ["-effective_from", "-version"]
        verbose_name = _("commitment text")
        verbose_name_plural = _("commitment texts")

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    def save(self, *args, **kwargs):
        self.sha256 = hashlib.sha256(self.body.encode("utf-8")).hexdigest()
        super().save(*args, **kwargs)


class Commitment(models.Model):
    """A supplier's signed commitment for a round: signer, time, text version and the hash of the text signed."""

    # The identifier the supplier and the API see: random, so that it does not count other suppliers' signatures.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    supplier = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="commitments",
        limit_choices_to={"kind": Organisation.Kind.SUPPLIER},
    )
    round = models.ForeignKey("procurement.TenderRound", on_delete=models.PROTECT, related_name="commitments")
    text = models.ForeignKey(CommitmentText, on_delete=models.PROTECT, related_name="+")
    text_sha256 = models.CharField(max_length=64)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()

    objects = ScopedQuerySet.as_manager()
    # A supplier sees its own; authority staff see a round's commitments from its opening time, since who signed
    # is who intends to bid.
    visibility = Visibility(
        authority=lambda user: models.Q(round__opening_at__lte=timezone.now()), supplier=own("supplier")
    )

    class Meta:
        ordering = ["-signed_at"]
        constraints = [models.UniqueConstraint(fields=["supplier", "round"], name="one_commitment_per_round")]

    def __str__(self) -> str:
        return f"{self.supplier} · {self.round.code} · {self.signed_at:%Y-%m-%d %H:%M}"
