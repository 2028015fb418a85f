"""Ratings and measures: quarterly runs (季度评级), the dated snapshot of each supplier's level, and the graded
measures (分级处置) in force, each with its start, end and the records that require it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.scoping import EVERYTHING, ScopedQuerySet, Visibility, own

from .records import CatalogVersion, Level, level_tone


class RatingRun(models.Model):
    """A quarterly re-rating of every supplier at one date: a row first, then a Celery group of supplier chunks;
    the last chunk closes it. One run per date and edition: running it again recomputes and changes nothing when
    nothing changed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("computing")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    as_of = models.DateField(_("rating date"))
    catalog_version = models.ForeignKey(
        CatalogVersion, verbose_name=_("catalog version"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    chunks_total = models.PositiveIntegerField(_("chunks"), default=0)
    suppliers_total = models.PositiveIntegerField(_("suppliers"), default=0)
    # [first supplier id, last supplier id] per chunk, fixed when the run starts.
    chunk_bounds = models.JSONField(default=list)
    changed = models.PositiveIntegerField(_("ratings changed"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    # Last sign of life: the chunks were sent, or one was stored (settings.JOB_STALE_AFTER_SECONDS).
    progressed_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    objects = ScopedQuerySet.as_manager()
    visibility = Visibility(authority=EVERYTHING)

    class Meta:
        ordering = ["-as_of", "-id"]
        verbose_name = _("rating run")
        verbose_name_plural = _("rating runs")
        constraints = [
            models.UniqueConstraint(fields=["as_of", "catalog_version"], name="one_rating_run_per_date"),
        ]

    def __str__(self) -> str:
        return f"{self.as_of} ({self.catalog_version.code})"

    @property
    def in_progress(self) -> bool:
        """Waiting or computing: the page keeps polling its progress."""
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def chunks_done(self) -> int:
        return self.chunks.count()


class RatingRunChunk(models.Model):
    """One finished chunk of a run (suppliers by id range); present once, whatever the deliveries."""

    run = models.ForeignKey(RatingRun, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    changed = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "index"], name="rating_chunk_once")]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.index}"


class RatingSnapshotQuerySet(ScopedQuerySet):
    def latest_per_supplier(self, on=None) -> "RatingSnapshotQuerySet":
        """Each supplier's standing on a day: its snapshot with the latest date not after it."""
        from django.db.models import OuterRef, Subquery
        from django.utils import timezone

        on = on or timezone.localdate()
        newest = (
            RatingSnapshot.objects.filter(supplier_id=OuterRef("supplier_id"), as_of__lte=on)
            .order_by("-as_of")
            .values("pk")[:1]
        )
        return self.filter(as_of__lte=on, pk=Subquery(newest))


class RatingSnapshot(models.Model):
    """A supplier's rating on one date: level, score, the records listed as counted, expired, revoked or repaired,
    the measures that follow and the rule behind each counted record, exactly as the engine returned them."""

    class Trigger(models.TextChoices):
        QUARTERLY = "quarterly", _("quarterly run")
        CONFIRMED = "confirmed", _("record confirmed")
        REVOKED = "revoked", _("record revoked")
        REPAIRED = "repaired", _("record repaired")

    supplier = models.ForeignKey(
        Organisation, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="credit_ratings"
    )
    as_of = models.DateField(_("rating date"))
    catalog_version = models.CharField(_("catalog version"), max_length=20)
    level = models.CharField(_("level"), max_length=40, choices=Level.choices)
    score = models.DecimalField(_("score"), max_digits=9, decimal_places=1)
    counted_records = models.JSONField(default=list)
    expired_records = models.JSONField(default=list)
    revoked_records = models.JSONField(default=list)
    repaired_records = models.JSONField(default=list)
    measures = models.JSONField(default=list)
    explanation = models.JSONField(default=list)
    trigger = models.CharField(_("trigger"), max_length=10, choices=Trigger.choices)
    run = models.ForeignKey(RatingRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="snapshots")
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    objects = RatingSnapshotQuerySet.as_manager()
    visibility = Visibility(authority=EVERYTHING, supplier=own("supplier"))

    class Meta:
        ordering = ["-as_of", "supplier_id"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [models.UniqueConstraint(fields=["supplier", "as_of"], name="one_rating_per_supplier_day")]
        indexes = [models.Index(fields=["as_of", "level"], name="rating_day_level")]

    def __str__(self) -> str:
        return f"{self.supplier} · {self.as_of} · {self.get_level_display()}"

    @property
    def level_tone(self) -> str:
        return level_tone(self.level)

    def content(self) -> dict:
        """What the engine decided: a re-rating that returns the same content changes nothing."""
        return {
            "catalog_version": self.catalog_version,
            "level": self.level,
            "score": str(self.score),
            "counted_records": self.counted_records,
            "expired_records": self.expired_records,
            "revoked_records": self.revoked_records,
            "repaired_records": self.repaired_records,
            "measures": self.measures,
            "explanation": self.explanation,
        }


class MeasureKind(models.TextChoices):
    WRITTEN_WARNING = "written_warning", _("written warning (书面提醒告诫)")
    RISK_NOTICE = "risk_notice", _("risk notice to purchasers (风险提示)")
    RESTRICT_LISTING = "restrict_listing", _("listing restricted for the products in the case")
    RESTRICT_BIDDING = "restrict_bidding", _("bidding restricted for the products in the case")
    RESTRICT_DELIVERY = "restrict_delivery", _("delivery restricted for the products in the case")
    RESTRICT_PURCHASE = "restrict_purchase", _("purchasing restricted for the products in the case")
    PUBLIC_DISCLOSURE = "public_disclosure", _("public disclosure (公开披露)")
    SUSPEND_LISTING_ALL = "suspend_listing_all", _("listing of all products suspended")
    SUSPEND_BIDDING_ALL = "suspend_bidding_all", _("bidding with all products suspended")
    SUSPEND_DELIVERY_ALL = "suspend_delivery_all", _("delivery of all products suspended")
    SUSPEND_PURCHASE_ALL = "suspend_purchase_all", _("purchasing of all products suspended")


# Which measures bar which activity: (kind for the products in the case, kind for all the supplier's products).
ACTIVITY_MEASURES = {
    "listing": (MeasureKind.RESTRICT_LISTING, MeasureKind.SUSPEND_LISTING_ALL),
    "bidding": (MeasureKind.RESTRICT_BIDDING, MeasureKind.SUSPEND_BIDDING_ALL),
    "delivery": (MeasureKind.RESTRICT_DELIVERY, MeasureKind.SUSPEND_DELIVERY_ALL),
    "purchase": (MeasureKind.RESTRICT_PURCHASE, MeasureKind.SUSPEND_PURCHASE_ALL),
}


class MeasureQuerySet(ScopedQuerySet):
    def in_force(self, on=None) -> "MeasureQuerySet":
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gt=on),
            models.Q(lifted_on__isnull=True) | models.Q(lifted_on__gt=on),
        )


class Measure(models.Model):
    """A graded measure (分级处置) on a supplier: kind, the records and level that require it, the products it
    covers, and its term. It starts after the rectification period of its earliest record, ends when its last record
    expires, and is lifted the day a re-rating no longer requires it."""

    supplier = models.ForeignKey(
        Organisation, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="credit_measures"
    )
    kind = models.CharField(_("measure"), max_length=24, choices=MeasureKind.choices)
    level = models.CharField(_("level"), max_length=40, choices=Level.choices)
    records = models.JSONField(_("records"), default=list)
    all_products = models.BooleanField(_("all the supplier's products"), default=False)
    products = models.ManyToManyField(
        "procurement.Product", verbose_name=_("products"), related_name="credit_measures", blank=True
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    lift_reason = models.CharField(_("why lifted"), max_length=200, blank=True)
    # The reasons the rating store writes (stored as written, shown in the reader's language).
    LIFT_REASONS = {
        "term ended": _("term ended"),
        "no longer required by the rating": _("no longer required by the rating"),
    }
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MeasureQuerySet.as_manager()
    # Authority staff see every measure; a supplier its own; a hospital the measures that concern purchasers (risk
    # notices and restrictions), not a supplier's warnings.
    visibility = Visibility(
        authority=EVERYTHING, supplier=own("supplier"), hospital=~models.Q(kind=MeasureKind.WRITTEN_WARNING)
    )

    class Meta:
        ordering = ["supplier_id", "kind", "-starts_on"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "kind"], condition=models.Q(lifted_on__isnull=True), name="one_open_measure_kind"
            )
        ]
        indexes = [models.Index(fields=["supplier", "starts_on"], name="measure_supplier")]

    def __str__(self) -> str:
        return f"{self.supplier} · {self.get_kind_display()}"

    @property
    def lift_reason_display(self) -> str:
        return str(self.LIFT_REASONS.get(self.lift_reason, self.lift_reason))
