"""Organisations, users and roles, regions, and the audit trail every service writes to."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scoping import EVERYTHING, ScopedQuerySet, Visibility, own

from . import uscc


class Region(models.Model):
    """An administrative region: a province (省), its cities (市) and their counties and districts (县/区)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County or district")

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.level == self.Level.CITY and (self.parent is None or self.parent.level != self.Level.PROVINCE):
            raise ValidationError({"parent": _("A city belongs to a province.")})
        if self.level == self.Level.PROVINCE and self.parent is not None:
            raise ValidationError({"parent": _("A province has no parent region.")})
        if self.level == self.Level.COUNTY and (self.parent is None or self.parent.level != self.Level.CITY):
            raise ValidationError({"parent": _("A county or district belongs to a city.")})

    @property
    def province(self) -> "Region":
        region = self
        while region.parent_id is not None:
            region = region.parent
        return region

    @property
    def city(self) -> "Region | None":
        if self.level == self.Level.CITY:
            return self
        return self.parent if self.level == self.Level.COUNTY else None

    def lineage(self) -> list["Region"]:
        """This region and the regions above it, nearest first (a county, its city, its province)."""
        regions, region = [self], self
        while region.parent_id is not None:
            region = region.parent
            regions.append(region)
        return regions


class OrganisationQuerySet(ScopedQuerySet):
    def suppliers(self) -> "OrganisationQuerySet":
        return self.filter(kind=Organisation.Kind.SUPPLIER)

    def hospitals(self) -> "OrganisationQuerySet":
        return self.filter(kind=Organisation.Kind.HOSPITAL)

    def distributors(self) -> "OrganisationQuerySet":
        return self.filter(kind=Organisation.Kind.DISTRIBUTOR)


class Organisation(models.Model):
    """A party on the platform: a supplier (医药企业), a hospital (医疗机构), a distributor (配送企业) or the authority
    (集中采购机构). One legal entity is one organisation: a manufacturer that also distributes stays a supplier and
    holds a trading licence."""

    class Kind(models.TextChoices):
        SUPPLIER = "supplier", _("Supplier (pharmaceutical enterprise)")
        HOSPITAL = "hospital", _("Hospital (medical institution)")
        DISTRIBUTOR = "distributor", _("Distributor (配送企业)")
        AUTHORITY = "authority", _("Procurement authority")

    class LicenceScope(models.TextChoices):
        DRUGS = "drugs", _("Drugs")
        DEVICES = "devices", _("Medical devices")
        BOTH = "both", _("Drugs and medical devices")

    class HospitalLevel(models.TextChoices):
        LEVEL_1 = "1", _("Level I (一级)")
        LEVEL_2 = "2", _("Level II (二级)")
        LEVEL_3 = "3", _("Level III (三级)")

    class Ownership(models.TextChoices):
        PUBLIC = "public", _("Public")
        PRIVATE = "private", _("Private")

    kind = models.CharField(_("kind"), max_length=11, choices=Kind.choices)
    # For a supplier or distributor this is its unified social credit code; for a hospital its institution code.
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="organisations"
    )
    hospital_level = models.CharField(_("hospital level"), max_length=1, choices=HospitalLevel.choices, blank=True)
    ownership = models.CharField(_("ownership"), max_length=10, choices=Ownership.choices, blank=True)
    # Published with the open data (OCDS parties): the street address and a contact point for the public.
    address = models.CharField(_("street address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact (office or person)"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    # The drug or device trading licence (药品经营许可证 / 医疗器械经营许可证) a distributor, or a manufacturer that
    # delivers itself, trades under: no relation or order without one covering the product kind on the day.
    licence_number = models.CharField(_("trading licence number"), max_length=60, blank=True)
    licence_scope = models.CharField(_("licence scope"), max_length=7, choices=LicenceScope.choices, blank=True)
    licence_expires = models.DateField(_("licence valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()
    # Authority staff see every organisation; a supplier or hospital user sees its own.
    visibility = Visibility(authority=EVERYTHING, member=lambda user: models.Q(pk=user.organisation_id))

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="hospital") | (models.Q(hospital_level="") & models.Q(ownership="")),
                name="organisation_hospital_fields_only_for_hospitals",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["supplier", "distributor"])
                | (models.Q(licence_number="") & models.Q(licence_scope="") & models.Q(licence_expires__isnull=True)),
                name="organisation_licence_only_for_traders",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(licence_number="") & models.Q(licence_scope="") & models.Q(licence_expires__isnull=True)
                )
                | (
                    ~models.Q(licence_number="")
                    & ~models.Q(licence_scope="")
                    & models.Q(licence_expires__isnull=False)
                ),
                name="organisation_licence_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.kind in (self.Kind.SUPPLIER, self.Kind.DISTRIBUTOR) and not uscc.is_valid(self.code or ""):
            errors["code"] = _("Not a valid unified social credit code (18 characters with a correct check digit).")
        if self.kind == self.Kind.HOSPITAL:
            if not self.hospital_level:
                errors["hospital_level"] = _("A hospital needs its level.")
            if not self.ownership:
                errors["ownership"] = _("A hospital is public or private.")
        elif self.hospital_level or self.ownership:
            errors["hospital_level"] = _("Only hospitals have a level and ownership.")
        licence = (self.licence_number, self.licence_scope, self.licence_expires)
        if any(licence) and self.kind not in (self.Kind.SUPPLIER, self.Kind.DISTRIBUTOR):
            errors["licence_number"] = _("Only distributors and suppliers hold a trading licence.")
        elif any(licence) and not all(licence):
            errors["licence_number"] = _("A trading licence has its number, scope and expiry date.")
        elif self.kind == self.Kind.DISTRIBUTOR and not all(licence):
            errors["licence_number"] = _("A distributor needs its trading licence (number, scope and expiry date).")
        if errors:
            raise ValidationError(errors)

    @property
    def is_supplier(self) -> bool:
        return self.kind == self.Kind.SUPPLIER

    @property
    def is_hospital(self) -> bool:
        return self.kind == self.Kind.HOSPITAL

    @property
    def is_distributor(self) -> bool:
        return self.kind == self.Kind.DISTRIBUTOR

    def licence_covers(self, scope: str, day) -> bool:
        """Whether the trading licence covers ``scope`` (drugs or devices) on ``day``."""
        if not self.licence_number or self.licence_expires is None or self.licence_expires < day:
            return False
        return self.licence_scope in (scope, self.LicenceScope.BOTH)


class Role(models.TextChoices):
    SUPPLIER_USER = "supplier_user", _("Supplier user")
    HOSPITAL_USER = "hospital_user", _("Hospital user")
    DISTRIBUTOR_USER = "distributor_user", _("Distributor user")
    PROCUREMENT_OFFICER = "procurement_officer", _("Procurement officer")
    CREDIT_OFFICER = "credit_officer", _("Credit officer")
    ADMINISTRATOR = "administrator", _("Administrator")


# Which kind of organisation each role works for.
ROLE_ORGANISATION_KIND = {
    Role.SUPPLIER_USER: Organisation.Kind.SUPPLIER,
    Role.HOSPITAL_USER: Organisation.Kind.HOSPITAL,
    Role.DISTRIBUTOR_USER: Organisation.Kind.DISTRIBUTOR,
    Role.PROCUREMENT_OFFICER: Organisation.Kind.AUTHORITY,
    Role.CREDIT_OFFICER: Organisation.Kind.AUTHORITY,
    Role.ADMINISTRATOR: Organisation.Kind.AUTHORITY,
}


class PlatformUserManager(UserManager.from_queryset(ScopedQuerySet)):
    pass


class User(AbstractUser):
    """A person using the platform on behalf of exactly one organisation, in one role."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices, default=Role.SUPPLIER_USER)

    objects = PlatformUserManager()
    # Administrators see every user; everyone else only themselves.
    visibility = Visibility(administrator=EVERYTHING, signed_in=lambda user: models.Q(pk=user.pk))

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self) -> None:
        super().clean()
        if self.organisation_id is None:
            if not self.is_superuser:
                raise ValidationError({"organisation": _("Every user belongs to an organisation.")})
            return
        expected = ROLE_ORGANISATION_KIND[Role(self.role)]
        if self.organisation.kind != expected:
            raise ValidationError(
                {"role": _("This role works for an organisation of kind “%(kind)s”.") % {"kind": expected.label}}
            )


# Rules that withhold audit entries for now (e.g. bids of rounds not yet opened), registered by the app whose
# secret they keep (procurement/audit_secrecy.py), so that accounts imports no domain app.
AUDIT_SECRECY_RULES: list = []

# What each audit action is called in the page's language (``{"round.open": _("bids opened")}``), registered by
# the app that records it; an action nobody registered reads as its code. Admin deletions end in ``.delete``.
AUDIT_ACTION_LABELS: dict[str, str] = {
    "organisation.create": _("organisation registered"),
    "organisation.update": _("organisation updated"),
    "api_token.issue": _("API token issued"),
    "api_token.revoke": _("API token revoked"),
    "second_factor.enrol": _("two-factor login set up"),
}


class AuditEntryQuerySet(models.QuerySet):
    def visible_now(self) -> "AuditEntryQuerySet":
        """Every row, except those a registered secrecy rule withholds now: before a round's opening time the
        names of its bidders and the number of its bids are secret, from the audit log too."""
        entries = self
        for withhold in AUDIT_SECRECY_RULES:
            entries = withhold(entries)
        return entries


class AuditEntry(models.Model):
    """One state change: who did what to which object, when, with the values before and after."""

    # Set when the row is built, not on save: the row's seal covers the time.
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    reason = models.TextField(_("reason"), blank=True)
    # Tamper evidence (accounts/audit_chain.py): the platform's keyed hash of the row's content, written with the
    # row; then, once committed, its place in the chain and the keyed hash linking it to the row before.
    content_mac = models.CharField(_("content seal"), max_length=64, blank=True)
    seq = models.BigIntegerField(_("chain position"), null=True, blank=True, unique=True)
    chain_mac = models.CharField(_("chain seal"), max_length=64, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_unsealed"),
        ]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self.content_mac:
            from .audit_chain import content_mac

            self.content_mac = content_mac(self)
        super().save(*args, **kwargs)

    @property
    def action_label(self) -> str:
        """The action as people read it (the code stays beside it as secondary text)."""
        if self.action in AUDIT_ACTION_LABELS:
            return AUDIT_ACTION_LABELS[self.action]
        if self.action.endswith(".delete"):
            return _("deleted in the administration")
        return self.action

    @property
    def actor_label(self) -> str:
        """Who acted: the user's name, or the platform itself for scheduled and automatic steps."""
        if self.actor_id is None and self.actor_name in ("", "system"):
            return _("the platform (automatic)")
        return self.actor_name


class AuditCheckpoint(models.Model):
    """The chain's head at a moment worth publishing (each bid opening, each verification): deleting rows from the
    chain's end, which leaves no gap, is caught by a checkpoint past the new end."""

    created_at = models.DateTimeField(_("time"), default=timezone.now)
    seq = models.BigIntegerField(_("chain position"))
    chain_mac = models.CharField(_("chain seal"), max_length=64)
    label = models.CharField(_("published for"), max_length=120)

    class Meta:
        ordering = ["-seq", "-id"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"{self.label} #{self.seq}"

    @property
    def label_display(self) -> str:
        """What the checkpoint was published for, in the page's language (the stored label is the platform's
        record and stays as written: ``opening <round code>``, ``daily <date>``, ``verification by <user>``)."""
        if self.label.startswith("verification by "):
            return _("verification by %(user)s") % {"user": self.label.removeprefix("verification by ")}
        kind, _space, subject = self.label.partition(" ")
        wording = {
            "opening": _("bid opening of %(subject)s"),
            "daily": _("daily checkpoint of %(subject)s"),
        }
        if kind in wording and subject:
            return wording[kind] % {"subject": subject}
        return self.label


class NotificationQuerySet(ScopedQuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message to an organisation in the platform. Stored as a kind and its parameters and worded at display time
    (accounts/notifications.py), so that every user reads it in their own language."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=60)
    params = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()
    # An organisation's notifications reach its own users only.
    visibility = Visibility(member=own("organisation"))

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="notification_inbox")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.organisation_id} · {self.kind}"

    @property
    def message(self) -> str:
        from .notifications import wording

        return wording(self)
