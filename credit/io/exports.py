"""Excel exports of the credit pages: records and current ratings."""

from django.utils.translation import gettext as _

from core.spreadsheets import Column, build_workbook

from ..labels import code_label, item_label, level_label


def _workbook(title: str, header: list[str], rows) -> bytes:
    """The credit exports in the platform's workbook format (frozen bold header, widths, real dates)."""
    return build_workbook([Column(str(index), name, str) for index, name in enumerate(header)], rows, title)


def records_workbook(records) -> bytes:
    header = [
        _("Record"),
        _("Supplier"),
        _("Unified social credit code"),
        _("Catalog item"),
        _("Catalog version"),
        _("Amount (yuan)"),
        _("Source"),
        _("Document number"),
        _("Occurred on"),
        _("Status"),
        _("Level judged"),
        _("Benchmark rule"),
        _("Confirmed on"),
        _("Revoked on"),
        _("Repaired on"),
    ]
    rows = (
        [
            record.reference,
            record.supplier.name,
            record.supplier.code,
            str(item_label(record.item)),
            record.catalog_version.code,
            record.amount,
            str(record.get_source_display()),
            record.document_number,
            record.occurred_on,
            str(record.get_status_display()),
            str(level_label(record.judged_level)),
            record.judged_rule,
            record.confirmed_on,
            record.revoked_on,
            record.repaired_on,
        ]
        for record in records.select_related("supplier", "catalog_version").order_by("pk").iterator(2000)
    )
    return _workbook(_("Credit records"), header, rows)


def ratings_workbook(snapshots) -> bytes:
    header = [
        _("Supplier"),
        _("Unified social credit code"),
        _("Rating date"),
        _("Catalog version"),
        _("Level"),
        _("Score"),
        _("Counted records"),
        _("Measures"),
    ]
    rows = (
        [
            snapshot.supplier.name,
            snapshot.supplier.code,
            snapshot.as_of,
            snapshot.catalog_version,
            code_label(snapshot.level),
            snapshot.score,
            ", ".join(snapshot.counted_records),
            ", ".join(snapshot.measures),
        ]
        for snapshot in snapshots.order_by("supplier__name").iterator(2000)
    )
    return _workbook(_("Credit ratings"), header, rows)
