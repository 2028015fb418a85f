"""Every state change of the procurement app: catalog maintenance and catalog imports."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import Organisation
from core.spreadsheets import RowError, parse_sheet, stored_errors

from ..exceptions import ProcurementConflict, ProcurementError
from ..io.catalog_import import PRODUCT_COLUMNS, column_header
from ..models import PRODUCT_FIELDS, Product, ProductImport


def _validated(product: Product) -> Product:
    try:
        product.full_clean()
    except ValidationError as error:
        messages = [f"{field}: {' '.join(errors)}" for field, errors in error.message_dict.items()]
        raise ProcurementError("; ".join(messages), code="invalid_product") from None
    return product


@transaction.atomic
def product_create(*, actor, **values) -> Product:
    """Add a product to the catalog."""
    product = _validated(Product(**values))
    product.save()
    audit.record(actor=actor, action="product.create", instance=product, after=audit.snapshot(product, PRODUCT_FIELDS))
    return product


@transaction.atomic
def product_update(*, actor, product: Product, **values) -> Product:
    """Change a catalog product; the audit row keeps the values before and after."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    before = audit.snapshot(product, PRODUCT_FIELDS)
    for name, value in values.items():
        setattr(product, name, value)
    _validated(product)
    after = audit.snapshot(product, PRODUCT_FIELDS)
    if before == after:
        return product
    product.save()
    audit.record(actor=actor, action="product.update", instance=product, before=before, after=after)
    return product


def product_import_submit(*, actor, filename: str, content: bytes, idempotency_key: str = "") -> ProductImport:
    """Store an uploaded catalog file and queue its import; the same idempotency key returns the first upload."""
    from django.conf import settings

    from ..tasks import run_product_import

    if len(content) > settings.UPLOAD_MAX_BYTES:
        raise ProcurementError(_("The file is larger than the upload limit."), code="file_too_large")
    if not filename.lower().endswith((".xlsx", ".csv")):
        raise ProcurementError(_("Upload an Excel (.xlsx) or CSV file."), code="file_type")
    digest = ProductImport.digest(content)
    if idempotency_key:
        existing = ProductImport.objects.filter(uploaded_by=actor, idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.content_sha256 != digest:
                raise ProcurementError(
                    _("This idempotency key was already used for a different file."), code="idempotency_key_reused"
                )
            return existing
    try:
        with transaction.atomic():
            job = ProductImport.objects.create(
                uploaded_by=actor,
                filename=filename[:200],
                content=content,
                content_sha256=digest,
                idempotency_key=idempotency_key,
            )
            audit.record(actor=actor, action="product_import.submit", instance=job, after={"sha256": digest})
            transaction.on_commit(lambda: run_product_import.delay(job.pk))
    except IntegrityError:
        raise ProcurementConflict(_("The same upload is already being processed."), code="duplicate_upload") from None
    return job


def _product_values(values: dict, holders: dict[str, Organisation]) -> dict:
    row = dict(values)
    row["holder"] = holders[row.pop("holder_code")]
    return row


def redispatch_stale_product_imports(*, older_than_seconds: int | None = None) -> int:
    """Re-send imports still waiting the staleness threshold after their upload or their last start (worker killed,
    broker restarted, web process gone after commit): running an import twice is safe, the second run returns the
    finished job."""
    from django.conf import settings
    from django.db.models.functions import Coalesce

    from ..tasks import run_product_import

    if older_than_seconds is None:
        older_than_seconds = settings.JOB_STALE_AFTER_SECONDS
    now = timezone.now()
    cutoff = now - timezone.timedelta(seconds=older_than_seconds)
    pending = ProductImport.objects.filter(status=ProductImport.Status.PENDING)
    stale = list(
        pending.annotate(last=Coalesce("started_at", "uploaded_at"))
        .filter(last__lt=cutoff)
        .values_list("pk", flat=True)
    )
    for pk in stale:
        run_product_import.delay(pk)
    return len(stale)


def product_import_run(import_id: int) -> ProductImport:
    """Validate a stored catalog file and apply it whole, or reject it with line-numbered errors and change nothing.

    Safe to run twice: a finished import is returned as it is, under a row lock.
    """
    # The start is recorded on its own, so that it stays true if this attempt dies half-way.
    ProductImport.objects.filter(pk=import_id, status=ProductImport.Status.PENDING).update(started_at=timezone.now())
    with transaction.atomic():
        job = ProductImport.objects.select_for_update().get(pk=import_id)
        if job.is_finished:
            return job
        parsed = parse_sheet(job.filename, bytes(job.content), PRODUCT_COLUMNS)
        errors = list(parsed.errors)
        codes = {values["holder_code"] for _line, values in parsed.rows}
        holders = {org.code: org for org in Organisation.objects.suppliers().filter(code__in=codes)}
        for line, values in parsed.rows:
            if values["holder_code"] not in holders:
                errors.append(
                    RowError(line, column_header("holder_code"), _("No supplier has this unified social credit code."))
                )
        job.rows_total = len(parsed.rows) + len({error.line for error in parsed.errors if error.line > 1})
        if errors:
            job.finished_at = timezone.now()
            return _reject(job, errors)
        try:
            # A savepoint: a model rule the columns do not check rolls back every applied row, not the job itself.
            with transaction.atomic():
                created, updated = _apply_product_rows(job, parsed.rows, holders)
        except _RowRefused as refusal:
            job.finished_at = timezone.now()
            return _reject(job, [refusal.error])
        job.finished_at = timezone.now()  # after every row is applied
        job.status = ProductImport.Status.SUCCEEDED
        job.rows_created, job.rows_updated, job.errors = created, updated, []
        job.save()
        audit.record(
            actor=job.uploaded_by,
            action="product_import.apply",
            instance=job,
            after={"created": created, "updated": updated},
        )
        return job


class _RowRefused(Exception):
    def __init__(self, error: RowError) -> None:
        self.error = error


def _reject(job: ProductImport, errors: list[RowError]) -> ProductImport:
    job.status = ProductImport.Status.REJECTED
    job.errors = stored_errors(errors)
    job.save()
    audit.record(actor=job.uploaded_by, action="product_import.reject", instance=job, after={"errors": len(errors)})
    return job


def _apply_product_rows(job, rows, holders) -> tuple[int, int]:
    codes = [values["national_drug_code"] for _line, values in rows]
    existing = {
        product.national_drug_code: product for product in Product.objects.filter(national_drug_code__in=codes)
    }
    created = updated = 0
    for line, values in rows:
        row = _product_values(values, holders)
        product = existing.get(row["national_drug_code"])
        try:
            if product is None:
                product_create(actor=job.uploaded_by, **row)
                created += 1
            else:
                before = audit.snapshot(product, PRODUCT_FIELDS)
                product = product_update(actor=job.uploaded_by, product=product, **row)
                updated += int(audit.snapshot(product, PRODUCT_FIELDS) != before)
        except ProcurementError as error:
            raise _RowRefused(RowError(line, "", str(error.message))) from None
    return created, updated
