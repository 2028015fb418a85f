"""Tender rounds (集采批次), their product groups (采购组), rule sets and hospital demand (报量)."""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Region
from core.scoping import EVERYTHING, ScopedQuerySet, Visibility, own
from core.workflow import Step, Workflow

from ..engines.comparable import Coefficients, Presentation, SpecCeiling, spec_ceiling_comparable
from .catalog import Product, QualityTier, SmallestUnit, StrengthUnit


class RuleSet(models.Model):
    """A named, versioned award rule set: parameters as data, never edited once a round uses it."""

    class Family(models.TextChoices):
        """The award engine a rule set's parameters drive (procurement/award_rules.py)."""

        ONE_POINT_EIGHT = "nvbp-1.8x", _("1.8× lowest price family (national rounds 2–9)")
        ROUND_10 = "nvbp-r10", _("Absolute thresholds and revival (national round 10)")
        ANCHOR = "nvbp-anchor", _("Anchor price (national round 11)")
        ALLIANCE = "nvbp-alliance", _("At most three winners, no price clause (4+7 alliance extension)")

    code = models.CharField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    family = models.CharField(_("rule family"), max_length=20, choices=Family.choices, default=Family.ONE_POINT_EIGHT)
    name = models.CharField(_("name"), max_length=200)
    parameters = models.JSONField(_("parameters"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("award rule set")
        verbose_name_plural = _("award rule sets")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="rule_set_code_version_unique")]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def library(self) -> dict:
        """The library's description of this rule set (label, what it changes, source, what is inferred)."""
        from ..engines.rule_sets import described

        return described(self.code, self.version) or {}

    @property
    def label(self):
        return self.library.get("label") or self.name

    @property
    def tie_break(self) -> list[str]:
        from ..engines.rule_sets import tie_break_of

        return tie_break_of(self.parameters)


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    DEMAND = "demand", _("Demand collection")
    BIDDING = "bidding", _("Bidding")
    BIDS_CLOSED = "bids_closed", _("Bids closed")
    OPENED = "opened", _("Opened")
    AWARDED = "awarded", _("Awarded")
    IN_EFFECT = "in_effect", _("In effect")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# The set-up (timetable, groups, ceilings) may change only before bidding starts: it is what bidders rely on.
SET_UP_STATUSES = (RoundStatus.DRAFT, RoundStatus.DEMAND)


class Scope(models.TextChoices):
    DRUGS = "drugs", _("Drugs")
    CONSUMABLES = "consumables", _("Medical consumables")


# A round's set-up as the audit trail records it; forms and the API take these minus status (and code and rule
# set once created).
ROUND_FIELDS = [
    "code",
    "name",
    "scope",
    "rule_set",
    "status",
    "demand_opens_at",
    "demand_closes_at",
    "bid_opens_at",
    "bid_closes_at",
    "opening_at",
    "cycle_starts_on",
    "cycle_months",
    "k_strength",
    "k_pack",
]


# What an officer enters when setting up a round (status and coefficients follow from the workflow and rule set).
ROUND_INPUT_FIELDS = [*(name for name in ROUND_FIELDS if name not in ("status", "k_strength", "k_pack")), "regions"]


class TenderRound(models.Model):
    """A tender round: its groups, timetable and the rule set (by version) its award follows."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    scope = models.CharField(_("procurement scope"), max_length=12, choices=Scope.choices, default=Scope.DRUGS)
    rule_set = models.ForeignKey(RuleSet, verbose_name=_("award rule set"), on_delete=models.PROTECT)
    status = models.CharField(_("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    demand_opens_at = models.DateTimeField(_("demand window opens"))
    demand_closes_at = models.DateTimeField(_("demand window closes"))
    bid_opens_at = models.DateTimeField(_("bid window opens"))
    bid_closes_at = models.DateTimeField(_("bid window closes"))
    opening_at = models.DateTimeField(_("opening time"))
    cycle_starts_on = models.DateField(_("procurement cycle starts"), null=True, blank=True)
    cycle_months = models.PositiveIntegerField(_("procurement cycle (months)"), default=24)
    k_strength = models.DecimalField(_("strength coefficient K_strength"), max_digits=6, decimal_places=3)
    k_pack = models.DecimalField(_("pack coefficient K_pack"), max_digits=6, decimal_places=3)
    regions = models.ManyToManyField(Region, verbose_name=_("supply regions"), related_name="+", blank=True)
    # A random salt that, with the platform's sealing key kept outside the database, derives this round's bid key.
    sealing_salt = models.CharField(max_length=64, editable=False)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    # Authority staff see every round; suppliers and hospitals see rounds once they leave the draft.
    visibility = Visibility(authority=EVERYTHING, signed_in=~models.Q(status=RoundStatus.DRAFT))

    class Meta:
        ordering = ["-bid_closes_at", "code"]
        verbose_name = _("tender round")
        verbose_name_plural = _("tender rounds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(demand_opens_at__lt=models.F("demand_closes_at"))
                & models.Q(bid_opens_at__lt=models.F("bid_closes_at"))
                & models.Q(bid_closes_at__lte=models.F("opening_at")),
                name="round_timetable_in_order",
                violation_error_message=_(
                    "The timetable must run: demand opens < demand closes ≤ bids open < bids close ≤ opening."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def is_visible_to(self, user) -> bool:
        """``TenderRound.objects.visible_to(user)`` for this loaded round: the same rule, without a query."""
        from accounts.access import is_authority_staff

        if not user.is_authenticated:
            return False
        return is_authority_staff(user) or self.status != RoundStatus.DRAFT

    def demand_window_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == RoundStatus.DEMAND and self.demand_opens_at <= now < self.demand_closes_at

    def bid_window_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == RoundStatus.BIDDING and self.bid_opens_at <= now < self.bid_closes_at

    def can_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == RoundStatus.BIDS_CLOSED and now >= self.opening_at

    @property
    def is_opened(self) -> bool:
        return self.opened_at is not None

    @property
    def awaits_opening(self) -> bool:
        """Bids are closed and not yet opened: the officer opens them at the opening time (``round_open``)."""
        return self.status == RoundStatus.BIDS_CLOSED

    @property
    def awaits_agreements(self) -> bool:
        """The award is published and the purchase agreements are still to be made (``contracts_generate``)."""
        return self.status == RoundStatus.AWARDED

    @property
    def in_effect(self) -> bool:
        """The agreements run: completion is followed and supply failures are recorded."""
        return self.status == RoundStatus.IN_EFFECT

    @property
    def manual_moves(self) -> list["ManualMove"]:
        """The moves an officer may make by hand now (``MANUAL_STEPS``), for the page's buttons, by target."""
        steps = ROUND_WORKFLOW.steps_from(self.status) & MANUAL_STEPS
        return sorted((ManualMove.of(step) for step in steps), key=lambda move: move.target)

    @property
    def set_up_editable(self) -> bool:
        """Whether the set-up may still change (``SET_UP_STATUSES``); the services refuse, the pages do not offer."""
        return self.status in SET_UP_STATUSES

    def supply_regions(self):
        """The round's regions, or every city when none were chosen."""
        chosen = list(self.regions.all())
        return chosen or list(Region.objects.filter(level=Region.Level.CITY))


_R = RoundStatus
# The round's status machine (draft → demand → bidding → bids closed → opened → awarded → in effect → closed; cancel
# before the award). Every move goes through ``procurement.services.rounds._move``, which records it in the status
# history (RoundStatusChange) and the audit log.
ROUND_WORKFLOW = Workflow(
    publish=Step({_R.DRAFT}, _R.DEMAND, _("Only a draft round can be published for demand collection.")),
    open_bidding=Step({_R.DEMAND}, _R.BIDDING, _("Bidding opens after demand collection.")),
    close_bidding=Step({_R.BIDDING}, _R.BIDS_CLOSED, _("Only a round in bidding can close its bid window.")),
    open_bids=Step({_R.BIDS_CLOSED}, _R.OPENED, _("Bids can be opened only once the bid window has closed.")),
    publish_award=Step({_R.OPENED}, _R.AWARDED, _("An award can be published only for an opened round.")),
    take_effect=Step({_R.AWARDED}, _R.IN_EFFECT, _("Agreements follow a published award.")),
    close=Step({_R.IN_EFFECT}, _R.CLOSED, _("Only a round in effect can be closed.")),
    cancel=Step(
        {_R.DRAFT, _R.DEMAND, _R.BIDDING, _R.BIDS_CLOSED, _R.OPENED},
        _R.CANCELLED,
        _("A round can be cancelled only before its award is published."),
    ),
)
# Moves an officer makes by hand; the others follow the timetable (advance_round) or later workflows.
MANUAL_STEPS = frozenset({"publish", "cancel"})
# Manual moves that need the officer's reason (the service refuses them without one; the page asks for it).
REASONED_STEPS = frozenset({"cancel"})
# What the page's button says for a move that is more than a status change.
MANUAL_ACTIONS = {"cancel": _("Cancel the round")}


@dataclass(frozen=True)
class ManualMove:
    step: str
    target: str
    needs_reason: bool
    action: str

    @classmethod
    def of(cls, step: str) -> "ManualMove":
        return cls(step, ROUND_WORKFLOW.steps[step].target, step in REASONED_STEPS, MANUAL_ACTIONS.get(step, ""))

    @property
    def label(self) -> str:
        return RoundStatus(self.target).label


class RoundStatusChange(models.Model):
    """One move of a round's status: who, when, from, to, why."""

    round = models.ForeignKey(TenderRound, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=RoundStatus.choices)
    to_status = models.CharField(max_length=12, choices=RoundStatus.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.round.code}: {self.from_status} → {self.to_status}"

    @property
    def reason_text(self) -> str:
        """The reason in the reader's language: the platform's own reasons are stored as fixed English phrases (the
        audit trail's wording) and read through the translations; an officer's reason is shown as written."""
        run = re.fullmatch(r"award run (\d+) published", self.reason)
        if run:
            return _("award computation #%(number)s published") % {"number": run.group(1)}
        return str(SYSTEM_REASONS.get(self.reason, self.reason))


# The reasons the services give for the moves they make (procurement.services), in words for every language.
SYSTEM_REASONS = {
    "bid window opened": _("bid window opened"),
    "bid window closed": _("bid window closed"),
    "bids opened": _("bids opened"),
    "purchase agreements generated": _("purchase agreements generated"),
}


# A group's set-up (with its eligible products, kept apart because they are many-to-many).
GROUP_FIELDS = [
    "code",
    "generic_name",
    "dosage_form",
    "qualifying_tiers",
    "reference_strength",
    "reference_strength_unit",
    "reference_pack",
    "smallest_unit",
    "ceiling_price",
    "spec_ceilings",
    "pre_vbp_price",
    "representative_product",
]


def default_tiers() -> list[str]:
    return [QualityTier.ORIGINATOR_REFERENCE, QualityTier.CONSISTENCY_PASSED]


class ProductGroup(models.Model):
    """A procurement group (采购组/品种): one generic name and dosage form, competing on the comparable price."""

    round = models.ForeignKey(TenderRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(_("code"), max_length=20)
    generic_name = models.CharField(_("generic name (通用名)"), max_length=100)
    dosage_form = models.CharField(_("dosage form (剂型)"), max_length=60)
    qualifying_tiers = models.JSONField(_("qualifying quality tiers"), default=default_tiers)
    reference_strength = models.DecimalField(_("representative strength"), max_digits=14, decimal_places=4)
    reference_strength_unit = models.CharField(_("strength unit"), max_length=8, choices=StrengthUnit.choices)
    reference_pack = models.PositiveIntegerField(_("representative pack size"), validators=[MinValueValidator(1)])
    smallest_unit = models.CharField(_("smallest unit"), max_length=10, choices=SmallestUnit.choices)
    ceiling_price = models.DecimalField(
        _("ceiling price per comparable unit (最高有效申报价)"), max_digits=14, decimal_places=4
    )
    # Per-specification ceilings where the published ones break the strength conversion: [{"strength": "4",
    # "strength_unit": "mg", "ceiling": "1.2240"}], each per smallest unit of that strength (vbp-rules.md).
    spec_ceilings = models.JSONField(_("ceilings per specification"), default=list, blank=True)
    # The budget of savings retention (结余留用) and the price drop vs before VBP are measured against it.
    pre_vbp_price = models.DecimalField(
        _("pre-VBP reference price per smallest unit (集采前参考价)"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
    )
    representative_product = models.ForeignKey(
        Product,
        verbose_name=_("representative product (代表品)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    eligible_products = models.ManyToManyField(Product, verbose_name=_("eligible products"), related_name="groups")

    class Meta:
        ordering = ["round", "code"]
        verbose_name = _("product group")
        verbose_name_plural = _("product groups")
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="group_code_unique_in_round"),
            models.CheckConstraint(condition=models.Q(ceiling_price__gt=0), name="group_ceiling_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.generic_name} {self.dosage_form}"

    @property
    def reference_label(self) -> str:
        return f"{self.reference_strength.normalize():f}{self.reference_strength_unit} × {self.reference_pack}"

    @property
    def spec_ceiling_list(self) -> list:
        return [
            SpecCeiling(Decimal(item["strength"]), item["strength_unit"], Decimal(item["ceiling"]))
            for item in self.spec_ceilings or []
        ]

    @property
    def spec_ceiling_labels(self) -> list[str]:
        return [
            f"{spec.strength.normalize():f}{spec.strength_unit}: {spec.ceiling}" for spec in self.spec_ceiling_list
        ]

    def ceiling_for(self, strength, strength_unit) -> Decimal:
        """The ceiling in comparable units for a product of this strength: its specification's own ceiling where
        the group has one, else the group's (rounded as the comparable price is)."""
        reference = Presentation(self.reference_strength, self.reference_strength_unit, self.reference_pack)
        own = spec_ceiling_comparable(
            self.spec_ceiling_list,
            Presentation(strength, strength_unit, self.reference_pack),
            reference,
            Coefficients(k_strength=self.round.k_strength, k_pack=self.round.k_pack),
        )
        return self.ceiling_price if own is None else own


class DemandReport(models.Model):
    """A hospital's reported annual demand (报量) for one group, in the group's smallest unit."""

    group = models.ForeignKey(ProductGroup, on_delete=models.CASCADE, related_name="demand_reports")
    hospital = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="demand_reports",
        limit_choices_to={"kind": Organisation.Kind.HOSPITAL},
    )
    quantity = models.PositiveBigIntegerField(_("annual quantity"))
    brand = models.ForeignKey(
        Product, verbose_name=_("brand used"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The winner the hospital chose among the preliminary winners (医疗机构自主选择中选企业), before publication.
    chosen_supplier = models.ForeignKey(
        Organisation,
        verbose_name=_("chosen winner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    # Authority staff see every report; a hospital its own.
    visibility = Visibility(authority=EVERYTHING, hospital=own("hospital"))

    class Meta:
        ordering = ["group", "hospital"]
        constraints = [models.UniqueConstraint(fields=["group", "hospital"], name="one_demand_per_hospital_group")]

    def __str__(self) -> str:
        return f"{self.group.code} · {self.hospital}: {self.quantity}"


class DemandUpload(models.Model):
    """A hospital's demand spreadsheet, kept with its outcome; the idempotency key makes a retry harmless."""

    round = models.ForeignKey(TenderRound, on_delete=models.CASCADE, related_name="demand_uploads")
    hospital = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=200)
    content_sha256 = models.CharField(max_length=64)
    idempotency_key = models.CharField(max_length=100, blank=True)
    accepted = models.BooleanField(default=False)
    errors = models.JSONField(default=list, blank=True)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["hospital", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="demand_upload_idempotency_key_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.hospital})"
