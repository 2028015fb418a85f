"""Payment standards (医保支付标准) linked to the winning prices."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The rule that gave a standard (``engines.rules.payment_standard``), as people read it.
BASIS_LABELS = {
    "winner": _("winning product: its winning price"),
    "not_evaluated": _("without consistency evaluation: at most the winning price"),
    "no_price": _("no known price: the winning price"),
    "far_above": _("far above the winning price: its own price less the cut"),
    "near": _("near the winning price: the winning price"),
}


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
    def basis_label(self) -> str:
        return str(BASIS_LABELS.get(self.basis, self.basis))

    @property
    def per_pack(self):
        """Today's standard as a pack price of this product."""
        from django.utils import timezone

        if not self.per_pack_factor:
            return None
        from core.money import round_money

        return round_money(self.standard_on(timezone.localdate()) / self.per_pack_factor)

    def standard_on(self, day):
        from ..engines.rules import Standard

        return Standard(self.initial_standard, self.winning_price, self.basis).on(
            self.effective_from, day, self.convergence_years
        )
