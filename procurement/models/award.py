"""Stored award computations (中选计算): runs, per-group results, bid outcomes and allocation lines.

A run is the result of the engines on a round's opened bids and demand under one rule set, parameters and mode. Its
``input_hash`` fingerprints everything the engines read, so asking again with unchanged inputs returns the same run
(re-compute is idempotent). A run under the round's own rule set with no parameter overrides is *official* and may
be published; any other is a what-if kept for comparison.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.scoping import EVERYTHING, ScopedQuerySet, Visibility, own

from .bids import OpenedBid
from .rounds import ProductGroup, RuleSet, TenderRound


class AwardRunQuerySet(ScopedQuerySet):
    def published(self) -> "AwardRunQuerySet":
        return self.filter(published_at__isnull=False)


class AwardRun(models.Model):
    class Mode(models.TextChoices):
        RULES = "rules", _("rule-based allocation")
        OPTIMISED = "optimised", _("optimised allocation (lowest total cost)")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("computing")
        DONE = "done", _("computed")
        FAILED = "failed", _("failed")

    round = models.ForeignKey(
        TenderRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="award_runs"
    )
    rule_set = models.ForeignKey(RuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT, related_name="+")
    overrides = models.JSONField(_("parameter overrides"), default=dict, blank=True)
    parameters = models.JSONField(_("parameters applied"))
    mode = models.CharField(_("allocation mode"), max_length=10, choices=Mode.choices, default=Mode.RULES)
    input_hash = models.CharField(_("input fingerprint"), max_length=64)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    groups_total = models.PositiveIntegerField(_("groups"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    # Last sign of life: the groups were sent, or one was stored. A run silent for longer than the staleness
    # threshold has lost its tasks (settings.JOB_STALE_AFTER_SECONDS).
    progressed_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    winners = models.PositiveIntegerField(_("winning bids"), null=True)
    agreed_total = models.PositiveBigIntegerField(_("agreed volume"), null=True)
    unallocated = models.PositiveBigIntegerField(_("unallocated volume"), null=True)
    total_cost = models.DecimalField(_("cost at winning prices"), max_digits=24, decimal_places=4, null=True)
    ceiling_cost = models.DecimalField(_("cost at ceiling prices"), max_digits=24, decimal_places=4, null=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = AwardRunQuerySet.as_manager()
    # Runs are the authority's working papers; participants see published results through outcomes and lines.
    visibility = Visibility(authority=EVERYTHING)

    class Meta:
        verbose_name = _("award computation")
        verbose_name_plural = _("award computations")
        ordering = ["round", "-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "input_hash"], name="award_run_inputs_unique"),
            models.UniqueConstraint(
                fields=["round"], condition=models.Q(published_at__isnull=False), name="one_published_award_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round.code} · {self.rule_set} · {self.get_mode_display()} #{self.pk}"

    @property
    def override_rows(self) -> list[dict]:
        """The parameters this run overrode, as an officer reads them (label, name, value in words)."""
        from ..engines.rule_sets import parameter_rows

        overrides = self.overrides or {}
        return [row for row in parameter_rows(overrides) if row["name"] in overrides]

    @property
    def in_progress(self) -> bool:
        """Waiting or computing: the page keeps polling its progress."""
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def failed(self) -> bool:
        """The computation stopped with an error (shown instead of results)."""
        return self.status == self.Status.FAILED

    @property
    def is_official(self) -> bool:
        return self.rule_set_id == self.round.rule_set_id and not self.overrides

    @property
    def savings(self):
        if self.total_cost is None or self.ceiling_cost is None:
            return None
        return self.ceiling_cost - self.total_cost


class AwardGroupResult(models.Model):
    """One group's award in a run: counts, thresholds, agreed volume and the supply regions."""

    run = models.ForeignKey(AwardRun, on_delete=models.CASCADE, related_name="group_results")
    group = models.ForeignKey(ProductGroup, on_delete=models.CASCADE, related_name="+")
    bidders = models.PositiveIntegerField(_("bidders (n)"))
    valid_bidders = models.PositiveIntegerField(_("valid bidders"))
    max_winners = models.PositiveIntegerField(_("winners allowed"))
    lowest_comparable = models.DecimalField(_("lowest price"), max_digits=14, decimal_places=4, null=True)
    anchor = models.DecimalField(_("anchor price"), max_digits=14, decimal_places=4, null=True)
    demand_base = models.PositiveBigIntegerField(_("demand base"))
    ratio = models.DecimalField(_("agreed ratio"), max_digits=6, decimal_places=4)
    agreed_total = models.PositiveBigIntegerField(_("agreed volume"))
    unallocated = models.PositiveBigIntegerField(_("unallocated volume"), default=0)
    regions = models.JSONField(_("primary supplier per region"), default=dict)
    unallocated_lines = models.JSONField(default=list, blank=True)
    optimiser_status = models.CharField(max_length=12, blank=True)
    total_cost = models.DecimalField(max_digits=24, decimal_places=4)
    ceiling_cost = models.DecimalField(max_digits=24, decimal_places=4)

    class Meta:
        ordering = ["run", "group__code"]
        constraints = [models.UniqueConstraint(fields=["run", "group"], name="award_group_result_unique")]

    def __str__(self) -> str:
        return f"{self.run_id} · {self.group.code}"


# The rows of a published run: what participants may see of an award.
PUBLISHED = models.Q(run__published_at__isnull=False)


class AwardOutcome(models.Model):
    """A bid's outcome in a run, with the reason code of the rule that decided it."""

    run = models.ForeignKey(AwardRun, on_delete=models.CASCADE, related_name="outcomes")
    group = models.ForeignKey(ProductGroup, on_delete=models.CASCADE, related_name="+")
    opened_bid = models.ForeignKey(OpenedBid, on_delete=models.CASCADE, related_name="+")
    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="award_outcomes")
    comparable = models.DecimalField(_("unit-comparable price"), max_digits=14, decimal_places=4, null=True)
    rank = models.PositiveIntegerField(_("rank"), null=True)
    won = models.BooleanField(_("won"))
    reason = models.CharField(_("reason"), max_length=24)
    revival_price = models.DecimalField(_("revival price"), max_digits=14, decimal_places=4, null=True)
    revived = models.BooleanField(_("won by revival"), default=False)
    justification_required = models.BooleanField(_("cost justification required"), default=False)
    allocated = models.PositiveBigIntegerField(_("allocated volume"), default=0)
    regions = models.JSONField(_("primary regions"), default=list)

    objects = ScopedQuerySet.as_manager()
    # Authority staff see every outcome, published or not; once a run is published its winners are public and a
    # supplier also sees its own losing bids with their reasons.
    visibility = Visibility(
        authority=EVERYTHING,
        supplier=(own("supplier") | models.Q(won=True)) & PUBLISHED,
        signed_in=PUBLISHED & models.Q(won=True),
    )

    class Meta:
        ordering = ["run", "group__code", "rank", "supplier__code"]
        constraints = [models.UniqueConstraint(fields=["run", "opened_bid"], name="award_outcome_unique")]

    def __str__(self) -> str:
        return f"{self.group.code} · {self.supplier}: {self.reason}"

    @property
    def winning_price(self):
        """The price the supplier is bound to: its bid, or the revival price it accepted."""
        return self.revival_price if self.revived else self.comparable


class AllocationLine(models.Model):
    """A hospital's agreed volume of a group assigned to a winner, with the machine-readable reason.

    Written in bulk (PostgreSQL COPY; millions of rows in a national round), so the foreign keys are not enforced
    by the database: the writer takes every id from rows it has just read in the same run, and deleting a run or a
    group removes its lines through Django's on_delete (docs/decisions.md).
    """

    run = models.ForeignKey(AwardRun, on_delete=models.CASCADE, related_name="lines", db_constraint=False)
    group = models.ForeignKey(ProductGroup, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    hospital = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    quantity = models.PositiveBigIntegerField(_("agreed quantity"))
    reason = models.CharField(_("reason"), max_length=24)

    objects = ScopedQuerySet.as_manager()
    # Authority staff see every line; once a run is published a hospital sees its own, a supplier the lines it
    # serves.
    visibility = Visibility(
        authority=EVERYTHING, hospital=own("hospital") & PUBLISHED, supplier=own("supplier") & PUBLISHED
    )

    class Meta:
        ordering = ["run", "group", "hospital"]
        indexes = [
            models.Index(fields=["run", "group"], name="allocation_run_group"),
            models.Index(fields=["run", "hospital"], name="allocation_run_hospital"),
            models.Index(fields=["run", "supplier"], name="allocation_run_supplier"),
        ]

    def __str__(self) -> str:
        return f"{self.group_id} · {self.hospital_id} → {self.supplier_id}: {self.quantity}"


class RevivalAcceptance(models.Model):
    """A supplier's acceptance of the revival price (复活) offered under nvbp-r10 / nvbp-anchor, recorded by an
    officer before publication. It becomes an input of the next computation."""

    group = models.ForeignKey(ProductGroup, on_delete=models.CASCADE, related_name="revival_acceptances")
    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "supplier"], name="one_revival_per_supplier_group")]

    def __str__(self) -> str:
        return f"{self.group.code} · {self.supplier}"


# Module-level names for the API schema's enum names (SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
AwardRunStatus = AwardRun.Status
