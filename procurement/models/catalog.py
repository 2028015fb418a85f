"""The product catalog (药品目录) and catalog imports."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.scoping import EVERYTHING, ScopedQuerySet, Visibility


class QualityTier(models.TextChoices):
    """Quality tier (质量层次): only originator/reference products and evaluated generics may bid in VBP."""

    ORIGINATOR_REFERENCE = "originator_reference", _("Originator / reference product (原研/参比)")
    CONSISTENCY_PASSED = "consistency_passed", _("Passed consistency evaluation (通过一致性评价)")
    OTHER = "other", _("Other (其他)")


class StrengthUnit(models.TextChoices):
    MG = "mg", "mg"
    G = "g", "g"
    MICROGRAM = "μg", "μg"
    ML = "ml", "ml"
    IU = "IU", "IU"


class SmallestUnit(models.TextChoices):
    """The smallest unit (最小制剂单位) in which demand is reported and prices are compared."""

    TABLET = "tablet", _("tablet (片)")
    CAPSULE = "capsule", _("capsule (粒)")
    AMPOULE = "ampoule", _("ampoule/vial (支)")
    SACHET = "sachet", _("sachet (袋)")
    BOTTLE = "bottle", _("bottle (瓶)")
    PIECE = "piece", _("piece (个)")


# The fields an officer maintains (forms, API input, imports and the audit trail use this one list).
PRODUCT_FIELDS = [
    "national_drug_code",
    "generic_name",
    "dosage_form",
    "strength_amount",
    "strength_unit",
    "pack_size",
    "smallest_unit",
    "quality_tier",
    "holder",
    "is_active",
    "cold_chain",
]


class Product(models.Model):
    """A drug product in the catalog: generic name, dosage form, strength and pack, and its holder (上市许可持有人)."""

    national_drug_code = models.CharField(_("national drug code"), max_length=40, unique=True)
    generic_name = models.CharField(_("generic name (通用名)"), max_length=100, db_index=True)
    dosage_form = models.CharField(_("dosage form (剂型)"), max_length=60)
    strength_amount = models.DecimalField(
        _("strength (规格)"), max_digits=14, decimal_places=4, validators=[MinValueValidator(0)]
    )
    strength_unit = models.CharField(_("strength unit"), max_length=8, choices=StrengthUnit.choices)
    pack_size = models.PositiveIntegerField(_("pack size (包装数量)"), validators=[MinValueValidator(1)])
    smallest_unit = models.CharField(_("smallest unit"), max_length=10, choices=SmallestUnit.choices)
    quality_tier = models.CharField(_("quality tier"), max_length=24, choices=QualityTier.choices)
    # Stored and carried cold (2–8 °C): its orders take the longer delivery deadlines of the trading rule set.
    cold_chain = models.BooleanField(_("cold chain (冷链)"), default=False)
    holder = models.ForeignKey(
        Organisation,
        verbose_name=_("marketing authorisation holder"),
        on_delete=models.PROTECT,
        related_name="products",
        limit_choices_to={"kind": Organisation.Kind.SUPPLIER},
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    # The catalog is open to every signed-in user; inactive products only to authority staff and their holder.
    visibility = Visibility(
        authority=EVERYTHING,
        signed_in=lambda user: models.Q(is_active=True) | models.Q(holder_id=user.organisation_id),
    )

    class Meta:
        ordering = ["generic_name", "dosage_form", "strength_amount", "pack_size", "national_drug_code"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(condition=models.Q(strength_amount__gt=0), name="product_strength_positive"),
            models.CheckConstraint(condition=models.Q(pack_size__gt=0), name="product_pack_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.generic_name} {self.dosage_form} {self.strength_label} × {self.pack_size}"

    @property
    def strength_label(self) -> str:
        return f"{self.strength_amount.normalize():f}{self.strength_unit}"

    def clean(self) -> None:
        if self.holder_id and self.holder.kind != Organisation.Kind.SUPPLIER:
            raise ValidationError({"holder": _("The holder must be a supplier.")})


class ProductImport(models.Model):
    """A catalog spreadsheet an officer uploaded: stored first, then validated and applied whole or not at all."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SUCCEEDED = "succeeded", _("Imported")
        REJECTED = "rejected", _("Rejected")

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    filename = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField(_("file content"))
    content_sha256 = models.CharField(max_length=64)
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # When a worker first took the file, and when its rows were applied (or the file rejected).
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_created = models.PositiveIntegerField(_("created"), default=0)
    rows_updated = models.PositiveIntegerField(_("updated"), default=0)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("product import")
        verbose_name_plural = _("product imports")
        constraints = [
            models.UniqueConstraint(
                fields=["uploaded_by", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="product_import_idempotency_key_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @staticmethod
    def digest(content: bytes) -> str:
        return hashlib.sha256(content).hexdigest()

    @property
    def is_finished(self) -> bool:
        return self.status != self.Status.PENDING

    @property
    def succeeded(self) -> bool:
        """The whole file was imported (otherwise it was rejected whole, with its errors)."""
        return self.status == self.Status.SUCCEEDED


# Module-level names for the API schema's enum names (SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
ProductImportStatus = ProductImport.Status
