"""Catalog spreadsheet import: good files apply whole, bad files are rejected with line numbers and change nothing."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from accounts.models import AuditEntry
from core.spreadsheets import build_workbook
from procurement import services
from procurement.exceptions import ProcurementError
from procurement.io.catalog_import import PRODUCT_COLUMNS
from procurement.models import Product, ProductImport
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "National drug code",
    "Generic name",
    "Dosage form",
    "Strength",
    "Strength unit",
    "Pack size",
    "Smallest unit",
    "Quality tier",
    "Holder's unified social credit code",
]


def xlsx(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def good_row(code, owner, **changes):
    row = {
        "code": code,
        "generic": "阿托伐他汀钙片",
        "form": "片剂",
        "strength": "20",
        "unit": "mg",
        "pack": 14,
        "smallest": "tablet",
        "tier": "consistency_passed",
        "holder": owner.code,
    }
    row.update(changes)
    return list(row.values())


def run(officer, content, filename="products.xlsx", key=""):
    job = services.product_import_submit(actor=officer, filename=filename, content=content, idempotency_key=key)
    return services.product_import_run(job.pk)


def test_good_file_creates_products_and_audits(officer, supplier_org):
    job = run(officer, xlsx([good_row("A1", supplier_org), good_row("A2", supplier_org, pack=28, strength=40)]))
    assert job.status == ProductImport.Status.SUCCEEDED
    assert (job.rows_created, job.rows_updated) == (2, 0)
    product = Product.objects.get(national_drug_code="A2")
    assert (product.pack_size, str(product.strength_amount), product.holder) == (28, "40.0000", supplier_org)
    assert AuditEntry.objects.filter(action="product.create").count() == 2
    assert AuditEntry.objects.filter(action="product_import.apply").count() == 1


def test_existing_code_is_updated_and_unchanged_rows_count_as_nothing(officer, supplier_org):
    ProductFactory(national_drug_code="A1", holder=supplier_org, pack_size=10)
    ProductFactory(national_drug_code="A2", holder=supplier_org)
    job = run(officer, xlsx([good_row("A1", supplier_org, pack=14), good_row("A2", supplier_org)]))
    assert (job.rows_created, job.rows_updated) == (0, 1)
    assert Product.objects.get(national_drug_code="A1").pack_size == 14


def test_labels_in_either_language_are_accepted(officer, supplier_org):
    row = good_row("A1", supplier_org, smallest="tablet (片)", tier="Originator / reference product (原研/参比)")
    job = run(officer, xlsx([row]))
    assert job.status == ProductImport.Status.SUCCEEDED
    assert Product.objects.get().quality_tier == "originator_reference"


def test_chinese_header_is_accepted(officer, supplier_org):
    from django.utils import translation

    with translation.override("zh-hans"):
        header = [str(column.header) for column in PRODUCT_COLUMNS]
    assert header[0] != HEADER[0]
    job = run(officer, xlsx([good_row("A1", supplier_org)], header=header))
    assert job.status == ProductImport.Status.SUCCEEDED


def test_bad_rows_reject_the_whole_file_with_line_numbers(officer, supplier_org):
    ProductFactory(national_drug_code="KEEP", holder=supplier_org, pack_size=10)
    rows = [
        good_row("KEEP", supplier_org, pack=99),  # line 2: valid, would update
        good_row("B1", supplier_org, strength="abc"),  # line 3
        good_row("B2", supplier_org, pack=0),  # line 4
        good_row("B3", supplier_org, tier="gold"),  # line 5
        good_row("B4", supplier_org, holder="91350100M000100Y43"),  # line 6: no such supplier
        good_row("B5", supplier_org, generic=""),  # line 7
        good_row("B1", supplier_org),  # line 8: duplicate of line 3's code
    ]
    job = run(officer, xlsx(rows))
    assert job.status == ProductImport.Status.REJECTED
    lines = [(error["line"], error["column"]) for error in job.errors]
    assert lines == [
        (3, "Strength"),
        (4, "Pack size"),
        (5, "Quality tier"),
        (6, "Holder's unified social credit code"),
        (7, "Generic name"),
        (8, "National drug code"),
    ]
    assert "Not a number" in job.errors[0]["message"]
    assert "line 3" in job.errors[-1]["message"]
    # Nothing changed: the valid row 2 was not applied either.
    assert Product.objects.get(national_drug_code="KEEP").pack_size == 10
    assert Product.objects.count() == 1
    assert not AuditEntry.objects.filter(action__startswith="product.").exists()


def test_missing_column_is_reported_on_the_header_line(officer, supplier_org):
    job = run(officer, xlsx([good_row("A1", supplier_org)[:-1]], header=HEADER[:-1]))
    assert job.status == ProductImport.Status.REJECTED
    assert job.errors == [
        {
            "line": 1,
            "column": "Holder's unified social credit code",
            "message": "The column is missing from the header row.",
        }
    ]


def test_csv_is_accepted(officer, supplier_org):
    content = (",".join(HEADER) + "\n" + ",".join(map(str, good_row("C1", supplier_org))) + "\n").encode("utf-8-sig")
    assert run(officer, content, filename="products.csv").status == ProductImport.Status.SUCCEEDED


def test_damaged_workbook_is_rejected(officer):
    job = run(officer, b"PK\x03\x04 not really a workbook")
    assert job.status == ProductImport.Status.REJECTED
    assert "readable Excel" in job.errors[0]["message"]


def test_wrong_file_type_is_refused_before_storing(officer):
    with pytest.raises(ProcurementError) as error:
        services.product_import_submit(actor=officer, filename="products.exe", content=b"MZ")
    assert error.value.code == "file_type"
    assert not ProductImport.objects.exists()


def test_same_idempotency_key_returns_the_first_upload(officer, supplier_org):
    content = xlsx([good_row("A1", supplier_org)])
    first = services.product_import_submit(actor=officer, filename="p.xlsx", content=content, idempotency_key="k1")
    again = services.product_import_submit(actor=officer, filename="p.xlsx", content=content, idempotency_key="k1")
    assert first.pk == again.pk
    assert ProductImport.objects.count() == 1
    with pytest.raises(ProcurementError) as error:
        services.product_import_submit(
            actor=officer, filename="p.xlsx", content=xlsx([good_row("A2", supplier_org)]), idempotency_key="k1"
        )
    assert error.value.code == "idempotency_key_reused"


def test_running_an_import_twice_applies_it_once(officer, supplier_org):
    job = run(officer, xlsx([good_row("A1", supplier_org)]))
    again = services.product_import_run(job.pk)
    assert again.status == ProductImport.Status.SUCCEEDED
    assert Product.objects.count() == 1
    assert AuditEntry.objects.filter(action="product_import.apply").count() == 1


def test_upload_page_runs_the_import_on_commit(client, officer, supplier_org, django_capture_on_commit_callbacks):
    client.force_login(officer)
    upload = io.BytesIO(xlsx([good_row("W1", supplier_org)]))
    upload.name = "catalog.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("procurement:product_import"), {"file": upload, "idempotency_key": "page-1"})
    job = ProductImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("procurement:product_import_detail", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert "Imported: 1 products added, 0 updated." in page
    assert Product.objects.filter(national_drug_code="W1").exists()


def test_rejected_upload_page_lists_the_errors(client, officer, supplier_org, django_capture_on_commit_callbacks):
    client.force_login(officer)
    upload = io.BytesIO(xlsx([good_row("W1", supplier_org, pack="many")]))
    upload.name = "catalog.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("procurement:product_import"), {"file": upload})
    page = client.get(response.url).content.decode()
    assert "nothing was imported" in page
    assert '<td class="number">2</td><td>Pack size</td>' in page


def test_template_round_trips_through_the_importer(client, officer, supplier_org):
    client.force_login(officer)
    template = client.get(reverse("procurement:product_import_template")).content
    job = run(officer, template)
    assert job.status == ProductImport.Status.SUCCEEDED, job.errors
    assert Product.objects.get().holder == supplier_org


def test_export_reimports_to_the_same_catalog(client, officer, supplier_org):
    ProductFactory(holder=supplier_org, national_drug_code="E1", pack_size=7)
    ProductFactory(holder=supplier_org, national_drug_code="E2", strength_amount="0.5", strength_unit="g")
    client.force_login(officer)
    exported = client.get(reverse("procurement:product_export")).content
    job = run(officer, exported)
    assert job.status == ProductImport.Status.SUCCEEDED
    assert (job.rows_created, job.rows_updated) == (0, 0)


def test_build_workbook_header_follows_the_language():
    from django.utils import translation

    with translation.override("zh-hans"):
        content = build_workbook(PRODUCT_COLUMNS, [])
    from openpyxl import load_workbook

    header = [cell.value for cell in load_workbook(io.BytesIO(content)).active[1]]
    assert header[0] != "National drug code"
    assert len(header) == len(PRODUCT_COLUMNS)


def test_an_import_whose_task_vanished_is_sent_again(officer, supplier_org):
    """The upload was stored but its task never ran (broker restarted after commit): the periodic re-dispatch runs
    it, once; recent uploads and finished ones are left alone."""
    from django.utils import timezone

    from procurement.services.catalog import redispatch_stale_product_imports

    job = services.product_import_submit(
        actor=officer, filename="c.xlsx", content=xlsx([good_row("LOST-1", supplier_org)])
    )
    ProductImport.objects.filter(pk=job.pk).update(
        status=ProductImport.Status.PENDING, started_at=None, finished_at=None
    )
    Product.objects.filter(national_drug_code="LOST-1").delete()
    assert redispatch_stale_product_imports() == 0  # not stale yet
    ProductImport.objects.filter(pk=job.pk).update(uploaded_at=timezone.now() - timezone.timedelta(hours=1))
    # A worker that took it a moment ago is still on it: not stale, whenever the upload was.
    ProductImport.objects.filter(pk=job.pk).update(started_at=timezone.now())
    assert redispatch_stale_product_imports() == 0
    ProductImport.objects.filter(pk=job.pk).update(started_at=timezone.now() - timezone.timedelta(hours=1))
    before = timezone.now()
    assert redispatch_stale_product_imports() == 1
    job.refresh_from_db()
    assert job.status == ProductImport.Status.SUCCEEDED
    assert before <= job.started_at <= job.finished_at  # the times are this attempt's, start before finish
    assert Product.objects.filter(national_drug_code="LOST-1").count() == 1
    assert redispatch_stale_product_imports() == 0
