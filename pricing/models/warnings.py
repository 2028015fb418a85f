"""Price and supply warnings with their inquiry → interview → outcome workflow."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.scoping import EVERYTHING, ScopedQuerySet, Visibility, own
from core.workflow import Step, Workflow

from .listings import Listing

# The figures a warning was raised on (``engines.rules``), as people read them.
DETAIL_LABELS = {
    "old": _("previous price"),
    "new": _("new price"),
    "rise": _("rise"),
    "changes": _("price changes in the last 12 months"),
    "price": _("price"),
    "lowest_elsewhere": _("lowest price in other regions"),
    "comparable": _("own comparable price"),
    "lowest_equivalent": _("lowest comparable price of equivalent products"),
    "rate": _("delivery rate"),
    "share": _("share bought as substitutes"),
    "recent": _("deliveries, recent period"),
    "before": _("deliveries, period before"),
}


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
    def detail_rows(self) -> list[tuple[str, object]]:
        """The figures the warning was raised on, each with its name."""
        return [(str(DETAIL_LABELS.get(key, key)), value) for key, value in (self.details or {}).items()]

    @property
    def next_steps(self) -> frozenset[str]:
        """The workflow's steps possible now (``WARNING_WORKFLOW``): what the page offers, what the service allows."""
        return WARNING_WORKFLOW.steps_from(self.status)


_W = PriceWarning.Status
# The warning workflow (vbp-rules.md, Pricing): inquiry letter → the supplier's answer → interview → outcome; the
# officer may close at any point before.
WARNING_WORKFLOW = Workflow(
    inquire=Step({_W.OPEN}, _W.INQUIRY, _("An inquiry goes to an open warning.")),
    answer=Step({_W.INQUIRY}, _W.ANSWERED, _("There is no inquiry to answer.")),
    interview=Step({_W.INQUIRY, _W.ANSWERED}, _W.INTERVIEW, _("An interview follows an inquiry.")),
    close=Step({_W.OPEN, _W.INQUIRY, _W.ANSWERED, _W.INTERVIEW}, _W.CLOSED, _("This warning is closed.")),
)
