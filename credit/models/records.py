"""The catalog of dishonest conduct and its discretion benchmark (失信事项目录清单 / 信用评级裁量基准), the record
database (失信信息库) with its notice, defence and decision, public tips (举报线索) and credit repair (信用修复)."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.scoping import EVERYTHING, ScopedQuerySet, Visibility, own
from core.workflow import Step, Workflow


def evidence_path(folder: str):
    """Evidence is stored under a random name (never the uploader's): it is only served through the permission-checked
    download view (credit/views.py ``evidence_download``), and a path cannot be guessed."""
    return EvidencePath(folder)


@deconstructible
class EvidencePath:
    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        import uuid
        from pathlib import PurePath

        from django.utils import timezone

        extension = PurePath(filename).suffix.lower()[:10]
        return f"credit/{self.folder}/{timezone.now():%Y}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other):
        return isinstance(other, EvidencePath) and other.folder == self.folder


class Item(models.TextChoices):
    """The catalog's items (credit-rules.md)."""

    KICKBACK = "kickback", _("Kickbacks or other improper benefits (回扣)")
    TAX = "tax", _("Tax violations connected with sales (涉税违法)")
    MONOPOLY = "monopoly", _("Monopolistic conduct (垄断行为)")
    UNFAIR_PRICE = "unfair_price", _("Improper pricing (不正当价格行为)")
    DISRUPT_PROCUREMENT = "disrupt_procurement", _("Disrupting centralized procurement (扰乱集中采购秩序)")
    BREACH_CONTRACT = "breach_contract", _("Malicious breach of contract (恶意违反合同约定)")
    OTHER = "other", _("Other conduct harming fair competition (其他)")


class Level(models.TextChoices):
    """Levels of both editions: 2020 has four, 2025 three."""

    NONE = "none", _("none")
    GENERAL = "general", _("general (一般)")
    MEDIUM = "medium", _("medium (中等)")
    SERIOUS = "serious", _("serious (严重)")
    PARTICULARLY_SERIOUS = "particularly_serious", _("particularly serious (特别严重)")
    DISHONEST = "dishonest", _("dishonest (失信)")
    SERIOUSLY_DISHONEST = "seriously_dishonest", _("seriously dishonest (严重失信)")
    PARTICULARLY_SERIOUSLY_DISHONEST = (
        "particularly_seriously_dishonest",
        _("particularly seriously dishonest (特别严重失信)"),
    )


# Levels published in the quarterly list of serious cases (public disclosure).
SERIOUS_LEVELS = (
    Level.SERIOUS,
    Level.PARTICULARLY_SERIOUS,
    Level.SERIOUSLY_DISHONEST,
    Level.PARTICULARLY_SERIOUSLY_DISHONEST,
)


def level_tone(level: str) -> str:
    """How a page marks a level: "bad" for the serious ones (the public disclosure's), "ok" for none."""
    if level in SERIOUS_LEVELS:
        return "bad"
    return "ok" if level == Level.NONE else ""


class CatalogVersion(models.Model):
    """One edition of the catalog and its discretion benchmark, as data: the numbers of every threshold, the
    procedure's periods and the repair steps. A record keeps the edition it was judged under; the edition in force
    judges new records and the ratings."""

    class Family(models.TextChoices):
        FOUR_LEVELS = "2020", _("four levels (2020 shape)")
        THREE_LEVELS = "2025", _("three levels (2025 shape)")

    code = models.CharField(_("version"), max_length=20, unique=True)
    family = models.CharField(_("shape"), max_length=4, choices=Family.choices)
    title = models.CharField(_("title"), max_length=200)
    effective_from = models.DateField(_("effective from"))
    in_force = models.BooleanField(_("in force"), default=False)
    benchmark = models.JSONField(_("discretion benchmark"))
    procedure = models.JSONField(_("procedure periods"))
    repair_steps = models.JSONField(_("repair steps per item"))

    class Meta:
        ordering = ["-effective_from", "-code"]
        verbose_name = _("catalog version")
        verbose_name_plural = _("catalog versions")
        constraints = [
            models.UniqueConstraint(
                fields=["in_force"], condition=models.Q(in_force=True), name="one_catalog_in_force"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    def period(self, name: str) -> int:
        return int(self.procedure[name])


class CreditRecordQuerySet(ScopedQuerySet):
    def judged(self) -> "CreditRecordQuerySet":
        """Records that were confirmed at some time (a revoked record was confirmed before)."""
        return self.filter(status__in=[CreditRecord.Status.CONFIRMED, CreditRecord.Status.REVOKED])


class CreditRecord(models.Model):
    """A record of dishonest conduct (失信信息) of one supplier: the facts judged against the benchmark, where they
    came from, the notice and the supplier's defence (申辩), the officer's decision, and revocation or repair."""

    class Source(models.TextChoices):
        COURT_JUDGMENT = "court_judgment", _("Court judgment")
        ADMINISTRATIVE_PENALTY = "administrative_penalty", _("Administrative penalty")
        PLATFORM_EVENT = "platform_event", _("Platform event")
        SELF_REPORT = "self_report", _("Supplier self-report")
        PUBLIC_TIP = "public_tip", _("Public tip")

    class Status(models.TextChoices):
        PENDING_REVIEW = "pending_review", _("to be reviewed")
        NOTIFIED = "notified", _("notice served, defence window")
        DEFENCE_FILED = "defence_filed", _("defence filed")
        CONFIRMED = "confirmed", _("confirmed")
        DISMISSED = "dismissed", _("dismissed")
        REVOKED = "revoked", _("revoked")

    class Decision(models.TextChoices):
        UPHELD = "upheld", _("upheld")
        AMENDED = "amended", _("amended")
        DISMISSED = "dismissed", _("dismissed")

    supplier = models.ForeignKey(
        Organisation,
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="credit_records",
        limit_choices_to={"kind": Organisation.Kind.SUPPLIER},
    )
    item = models.CharField(_("catalog item"), max_length=24, choices=Item.choices)
    catalog_version = models.ForeignKey(
        CatalogVersion, verbose_name=_("catalog version"), on_delete=models.PROTECT, related_name="records"
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=16, decimal_places=2, default=0)
    facts = models.JSONField(_("benchmark facts"), default=dict, blank=True)
    description = models.TextField(_("facts in words"), blank=True)
    source = models.CharField(_("source"), max_length=24, choices=Source.choices)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    evidence = models.FileField(_("evidence file"), upload_to=evidence_path("evidence"), blank=True)
    products = models.ManyToManyField(
        "procurement.Product", verbose_name=_("products in the case"), related_name="credit_records", blank=True
    )
    occurred_on = models.DateField(_("occurred on"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, db_index=True)
    judged_level = models.CharField(_("level judged"), max_length=40, choices=Level.choices, default=Level.NONE)
    judged_rule = models.CharField(_("benchmark rule"), max_length=300, blank=True)
    notice_published_at = models.DateTimeField(_("notice published"), null=True, blank=True)
    notice_opened_at = models.DateTimeField(_("notice opened"), null=True, blank=True)
    defence_statement = models.TextField(_("defence statement"), blank=True)
    defence_evidence = models.FileField(_("defence evidence"), upload_to=evidence_path("defence"), blank=True)
    defence_filed_at = models.DateTimeField(_("defence filed"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("reasons"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True, db_index=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.TextField(_("revocation reason"), blank=True)
    repaired_on = models.DateField(_("repaired on"), null=True, blank=True)
    # Platform events and retried requests carry a key: the same event never makes two records.
    event_key = models.CharField(_("event key"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CreditRecordQuerySet.as_manager()
    # Authority staff see every record; a supplier its own; nobody else any.
    visibility = Visibility(authority=EVERYTHING, supplier=own("supplier"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("credit record")
        verbose_name_plural = _("credit records")
        constraints = [
            models.UniqueConstraint(
                fields=["event_key"], condition=~models.Q(event_key=""), name="credit_record_event_once"
            )
        ]
        indexes = [models.Index(fields=["supplier", "status"], name="credit_record_supplier")]

    def __str__(self) -> str:
        return f"{self.reference} · {self.supplier} · {self.get_item_display()}"

    @property
    def reference(self) -> str:
        return f"CR-{self.pk:06d}" if self.pk else "CR-new"

    @property
    def level_tone(self) -> str:
        return level_tone(self.judged_level)

    @property
    def next_steps(self) -> frozenset[str]:
        """The workflow's steps possible now (``RECORD_WORKFLOW``): what the page offers, what the service allows.
        Time decides too: see :meth:`defence_open` and :meth:`awaits_decision`."""
        return RECORD_WORKFLOW.steps_from(self.status)

    @property
    def repair_pending(self) -> bool:
        """An application for repair waits for a decision (one at a time)."""
        return self.repair_applications.filter(status=RepairApplication.Status.SUBMITTED).exists()

    @property
    def awaits_review(self) -> bool:
        """A self-report or platform event waiting for an officer: notify the supplier, or dismiss it."""
        return self.status == self.Status.PENDING_REVIEW

    def defence_open(self, today: date, adjustments: dict | None = None) -> bool:
        """The supplier may still file its defence (申辩): the notice is out and the window runs."""
        return "defend" in self.next_steps and today <= self.defence_due(adjustments)

    def awaits_decision(self, today: date, adjustments: dict | None = None) -> bool:
        """An officer decides once the supplier has defended, or once the window has passed without a defence
        (``adjustments``: the working-day adjustments, read once by a caller that judges many records)."""
        if self.status == self.Status.DEFENCE_FILED:
            return True
        return self.status == self.Status.NOTIFIED and today > self.defence_due(adjustments)

    # The notice and defence window (credit-rules.md, Procedure 2).
    def served_on(self) -> date | None:
        """The day the notice counts as served: when the supplier opened it, at the latest after the deemed-served
        period."""
        if self.notice_published_at is None:
            return None
        from django.utils import timezone

        published = timezone.localdate(self.notice_published_at)
        deemed = published + timedelta(days=self.catalog_version.period("deemed_served_days"))
        if self.notice_opened_at is not None:
            return min(timezone.localdate(self.notice_opened_at), deemed)
        return deemed

    def defence_due(self, adjustments: dict | None = None) -> date | None:
        """The last day a defence may be filed: the Nth working day after service (``adjustments``: the entered
        working-day adjustments, when the caller has them already)."""
        from credit.workdays import add_working_days

        served = self.served_on()
        if served is None:
            return None
        return add_working_days(served, self.catalog_version.period("defence_working_days"), adjustments)

    def measures_from(self) -> date | None:
        """Measures take effect after the rectification period that follows confirmation."""
        if self.confirmed_on is None:
            return None
        return self.confirmed_on + timedelta(days=self.catalog_version.period("rectification_days"))

    def expires_on(self) -> date | None:
        from credit.engines.rating import anniversary

        if self.confirmed_on is None:
            return None
        return anniversary(self.confirmed_on, self.catalog_version.period("retention_years"))

    def standing_on(self, day: date) -> str:
        """dismissed, or where the engine stands the record on that day (``credit.engines.rating.standing``): pending,
        revoked, expired, repaired or counted."""
        from credit.engines import rating as engine

        if self.status == self.Status.DISMISSED:
            return "dismissed"
        as_engine = engine.stored_record(
            id=str(self.pk), supplier=str(self.supplier_id), item=self.item, amount=self.amount, facts=self.facts,
            confirmed=self.confirmed_on, revoked_on=self.revoked_on, repaired_on=self.repaired_on, as_of=day,
        )  # fmt: skip
        return engine.standing(as_engine, day, self.catalog_version.period("retention_years"))


class Tip(models.Model):
    """A tip from the public (举报线索); reviewed by a credit officer before it becomes a record."""

    class Status(models.TextChoices):
        NEW = "new", _("to be reviewed")
        ACCEPTED = "accepted", _("accepted as a record")
        REJECTED = "rejected", _("rejected")

    supplier = models.ForeignKey(
        Organisation,
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.SUPPLIER},
    )
    supplier_name = models.CharField(_("supplier named"), max_length=200)
    item = models.CharField(_("catalog item"), max_length=24, choices=Item.choices)
    description = models.TextField(_("what happened"))
    evidence = models.FileField(_("evidence file"), upload_to=evidence_path("tips"), blank=True)
    reporter_name = models.CharField(_("your name (optional)"), max_length=100, blank=True)
    reporter_contact = models.CharField(_("how to reach you (optional)"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_reason = models.TextField(_("reasons"), blank=True)
    record = models.OneToOneField(
        CreditRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="tip", verbose_name=_("record")
    )

    objects = ScopedQuerySet.as_manager()
    # Tips and who sent them are for credit officers only.
    visibility = Visibility(credit_officer=EVERYTHING)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("public tip")
        verbose_name_plural = _("public tips")

    def __str__(self) -> str:
        return f"T-{self.pk} · {self.supplier_name}"

    @property
    def next_steps(self) -> frozenset[str]:
        """The workflow's steps possible now (``TIP_WORKFLOW``): what the page offers, what the service allows."""
        return TIP_WORKFLOW.steps_from(self.status)


class RepairApplication(models.Model):
    """A supplier's application for active credit repair (主动信用修复) of one record: the rectification steps
    taken with evidence and a commitment; an approved repair clears the record (清零) from the approval date."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    record = models.ForeignKey(
        CreditRecord, verbose_name=_("record"), on_delete=models.PROTECT, related_name="repair_applications"
    )
    supplier = models.ForeignKey(Organisation, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+")
    steps = models.JSONField(_("rectification steps taken"), default=list)
    statement = models.TextField(_("rectification report"))
    evidence = models.FileField(_("evidence file"), upload_to=evidence_path("repair"), blank=True)
    commitment_accepted = models.BooleanField(_("commitment accepted"), default=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reasons"), blank=True)

    objects = ScopedQuerySet.as_manager()
    visibility = Visibility(authority=EVERYTHING, supplier=own("supplier"))

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("repair application")
        verbose_name_plural = _("repair applications")
        constraints = [
            models.UniqueConstraint(
                fields=["record"], condition=models.Q(status="submitted"), name="one_open_repair_per_record"
            )
        ]

    def __str__(self) -> str:
        return f"RA-{self.pk} · {self.record.reference}"

    @property
    def next_steps(self) -> frozenset[str]:
        """The workflow's steps possible now (``REPAIR_WORKFLOW``): what the page offers, what the service allows."""
        return REPAIR_WORKFLOW.steps_from(self.status)


class WorkdayAdjustment(models.Model):
    """A day the working-day calendar treats differently from the `chinesecalendar` package (or from Monday to
    Friday beyond the years it covers): the State Council's holiday schedule as the authority enters it."""

    day = models.DateField(_("day"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("working-day adjustment")
        verbose_name_plural = _("working-day adjustments")

    def __str__(self) -> str:
        return f"{self.day} {_('working day') if self.is_workday else _('holiday')}"


def catalog_products():
    """The product catalog that records and measures name the products of a case from: the model behind their
    relation (declared by app label, so that credit imports no procurement code)."""
    return CreditRecord.products.field.related_model.objects.all()


_C = CreditRecord.Status
# A record's procedure (credit-rules.md, Procedure 2): reviewed (self-reports and platform events) and notified,
# defended within the window, decided — confirmed (upheld or amended) or dismissed — and, once confirmed, revoked
# when the judgment behind it is. Each service records its move in the audit log with the status before and after.
RECORD_WORKFLOW = Workflow(
    notify=Step({_C.PENDING_REVIEW}, _C.NOTIFIED, _("Only a record waiting for review can be notified.")),
    defend=Step({_C.NOTIFIED}, _C.DEFENCE_FILED, _("This record is not open for a defence.")),
    confirm=Step({_C.NOTIFIED, _C.DEFENCE_FILED}, _C.CONFIRMED, _("This record is not waiting for a decision.")),
    dismiss=Step(
        {_C.PENDING_REVIEW, _C.NOTIFIED, _C.DEFENCE_FILED},
        _C.DISMISSED,
        _("This record is not waiting for a decision."),
    ),
    revoke=Step({_C.CONFIRMED}, _C.REVOKED, _("Only a confirmed record can be revoked.")),
)
# A tip is reviewed once: accepted as a record, or rejected.
TIP_WORKFLOW = Workflow(
    accept=Step({Tip.Status.NEW}, Tip.Status.ACCEPTED, _("This tip was already reviewed.")),
    reject=Step({Tip.Status.NEW}, Tip.Status.REJECTED, _("This tip was already reviewed.")),
)
# A repair application is decided once: approved (the record is cleared) or rejected.
REPAIR_WORKFLOW = Workflow(
    approve=Step(
        {RepairApplication.Status.SUBMITTED},
        RepairApplication.Status.APPROVED,
        _("This application was already decided."),
    ),
    reject=Step(
        {RepairApplication.Status.SUBMITTED},
        RepairApplication.Status.REJECTED,
        _("This application was already decided."),
    ),
)
