"""Hospitals' declarations of purchases made outside the platform (for the online-purchase rate)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation


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
        return f"{self.hospital} · {self.month:%Y-%m} · {self.amount}"
