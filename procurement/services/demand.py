"""Hospital demand reporting (报量): one quantity per group, by form, API or spreadsheet, within the demand window."""

import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import access, audit
from core.spreadsheets import (
    Column,
    RowError,
    Validation,
    parse_positive_int,
    parse_sheet,
    parse_text,
    stored_errors,
)

from ..exceptions import ProcurementConflict, ProcurementError
from ..models import DemandReport, DemandUpload, Product, ProductGroup, TenderRound
from .rounds import advance_round

# The template lists the round's groups (and what the hospital reported): a group row left without a quantity is
# one the hospital does not use, and is skipped.
DEMAND_COLUMNS = [
    Column("group", gettext_lazy("Group code"), parse_text, unique=True, prefilled=True),
    Column("generic_name", gettext_lazy("Generic name"), parse_text, required=False, prefilled=True),
    Column(
        "quantity",
        gettext_lazy("Annual quantity (smallest units)"),
        parse_positive_int,
        validation=Validation("whole", "1"),
    ),
    Column("brand", gettext_lazy("Brand used (national drug code)"), parse_text, required=False, prefilled=True),
]


def _require_hospital(actor) -> None:
    if not access.is_hospital_user(actor):
        raise ProcurementError(_("Only a hospital reports demand."), code="not_hospital")


def _require_window(tender_round: TenderRound) -> None:
    tender_round = advance_round(tender_round)
    if not tender_round.demand_window_open(timezone.now()):
        raise ProcurementError(_("The demand window of this round is not open."), code="demand_window_closed")


def _check_brand(group: ProductGroup, brand: Product | None) -> None:
    if brand is not None and (brand.generic_name, brand.dosage_form) != (group.generic_name, group.dosage_form):
        raise ProcurementError(
            _("The brand %(code)s is not a product of this group's generic name and dosage form.")
            % {"code": brand.national_drug_code},
            code="brand_outside_group",
        )


def _upsert(*, actor, group: ProductGroup, quantity: int, brand: Product | None) -> DemandReport:
    report = DemandReport.objects.select_for_update().filter(group=group, hospital_id=actor.organisation_id).first()
    before = audit.snapshot(report, ["quantity", "brand"]) if report else None
    if report is None:
        report = DemandReport(group=group, hospital_id=actor.organisation_id)
    report.quantity, report.brand, report.reported_by = quantity, brand, actor
    report.save()
    after = audit.snapshot(report, ["quantity", "brand"])
    if before != after:
        audit.record(
            actor=actor, action="demand.report", instance=report, before=before, after={**after, "group": group.code}
        )
    return report


@transaction.atomic
def demand_report(*, actor, group: ProductGroup, quantity: int, brand: Product | None = None) -> DemandReport:
    """Report or correct this hospital's annual demand for a group."""
    _require_hospital(actor)
    _require_window(group.round)
    if quantity <= 0:
        raise ProcurementError(_("The quantity must be greater than zero."), code="quantity")
    _check_brand(group, brand)
    return _upsert(actor=actor, group=group, quantity=quantity, brand=brand)


@transaction.atomic
def demand_withdraw(*, actor, group: ProductGroup) -> None:
    """Remove this hospital's report for a group (it has no demand after all)."""
    _require_hospital(actor)
    _require_window(group.round)
    report = DemandReport.objects.select_for_update().filter(group=group, hospital_id=actor.organisation_id).first()
    if report:
        audit.record(
            actor=actor, action="demand.withdraw", instance=report, before=audit.snapshot(report, ["quantity"])
        )
        report.delete()


def demand_upload(*, actor, tender_round: TenderRound, filename: str, content: bytes, idempotency_key: str = ""):
    """Apply a hospital's demand spreadsheet whole, or reject it with line-numbered errors and change nothing."""
    _require_hospital(actor)
    digest = hashlib.sha256(content).hexdigest()
    if idempotency_key:
        existing = DemandUpload.objects.filter(
            hospital_id=actor.organisation_id, idempotency_key=idempotency_key
        ).first()
        if existing:
            if existing.content_sha256 != digest:
                raise ProcurementError(
                    _("This idempotency key was already used for a different file."), code="idempotency_key_reused"
                )
            return existing
    _require_window(tender_round)
    parsed = parse_sheet(filename, content, DEMAND_COLUMNS)
    errors = list(parsed.errors)
    groups = {group.code: group for group in tender_round.groups.all()}
    brand_codes = {values["brand"] for _line, values in parsed.rows if values["brand"]}
    brands = {
        product.national_drug_code: product for product in Product.objects.filter(national_drug_code__in=brand_codes)
    }
    rows = []
    for line, values in parsed.rows:
        group = groups.get(values["group"])
        if group is None:
            errors.append(RowError(line, str(DEMAND_COLUMNS[0].header), _("No group with this code in the round.")))
            continue
        brand = brands.get(values["brand"]) if values["brand"] else None
        if values["brand"] and brand is None:
            errors.append(RowError(line, str(DEMAND_COLUMNS[3].header), _("No product has this national drug code.")))
            continue
        try:
            _check_brand(group, brand)
        except ProcurementError as error:
            errors.append(RowError(line, str(DEMAND_COLUMNS[3].header), str(error.message)))
            continue
        rows.append((group, values["quantity"], brand))
    try:
        with transaction.atomic():
            upload = DemandUpload.objects.create(
                round=tender_round,
                hospital_id=actor.organisation_id,
                uploaded_by=actor,
                filename=filename[:200],
                content_sha256=digest,
                idempotency_key=idempotency_key,
                accepted=not errors,
                rows=len(rows),
                errors=stored_errors(errors),
            )
            if not errors:
                for group, quantity, brand in rows:
                    _upsert(actor=actor, group=group, quantity=quantity, brand=brand)
            audit.record(
                actor=actor,
                action="demand.upload",
                instance=upload,
                after={"accepted": upload.accepted, "rows": len(rows), "errors": len(errors)},
            )
    except IntegrityError:
        raise ProcurementConflict(_("The same upload is already being processed."), code="duplicate_upload") from None
    return upload


def demand_template_rows(tender_round: TenderRound, hospital) -> list[list]:
    """The template a hospital downloads: one row per group, pre-filled with what it has reported."""
    reported = {
        report.group_id: report
        for report in DemandReport.objects.filter(group__round=tender_round, hospital=hospital).select_related("brand")
    }
    rows = []
    for group in tender_round.groups.all():
        report = reported.get(group.pk)
        rows.append(
            [
                group.code,
                f"{group.generic_name} {group.dosage_form}",
                report.quantity if report else "",
                report.brand.national_drug_code if report and report.brand else "",
            ]
        )
    return rows
