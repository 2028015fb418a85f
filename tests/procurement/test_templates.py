"""Spreadsheet templates help the user fill them: pre-filled with the hospital's own agreements or the round's groups,
each checked column carrying the spreadsheet program's validation (drop-downs of labels in the download's language),
the header frozen; an untouched pre-filled row is skipped, and a Chinese template loads in an English session."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from accounts.models import User
from core.spreadsheets import parse_sheet
from procurement.io.catalog_import import PRODUCT_COLUMNS
from procurement.models import Contract, DemandReport, PurchaseLine, PurchaseUpload
from tests.factories import GroupFactory

from .test_contracts import awarded_round, contracted_round  # noqa: F401
from .test_round_pages import demand_round

pytestmark = pytest.mark.django_db


def _sheet(response):
    return load_workbook(io.BytesIO(response.content)).active


def _validations(sheet) -> dict[str, str]:
    """Column letter → the kind of check on it."""
    return {str(rule.sqref).split(":")[0][0]: rule.type for rule in sheet.data_validations.dataValidation}


def test_the_purchase_template_lists_the_hospitals_agreements_and_an_untouched_row_is_skipped(
    client,
    contracted_round,  # noqa: F811
):
    contract = Contract.objects.filter(round=contracted_round).select_related("hospital", "product", "supplier")[0]
    hospital = contract.hospital
    client.force_login(User.objects.get(organisation=hospital))
    sheet = _sheet(client.get(reverse("contracts:purchase_template")))
    rows = list(sheet.iter_rows(values_only=True))
    agreements = Contract.objects.filter(hospital=hospital, status__in=["pending", "confirmed"]).count()
    assert len(rows) == 1 + agreements and sheet.freeze_panes == "A2"
    line = next(row for row in rows[1:] if row[2] == contract.product.national_drug_code)
    assert line[3] == str(contract.product) and line[5] == contract.supplier.name
    assert Decimal(str(line[7])) == contract.unit_price and line[0] is None and line[6] is None
    assert _validations(sheet) == {"B": "date", "G": "whole", "H": "decimal"}

    # Bought from one agreement: fill that row only; the other pre-filled rows are skipped.
    workbook = load_workbook(io.BytesIO(client.get(reverse("contracts:purchase_template")).content))
    for cells in workbook.active.iter_rows(min_row=2):
        if cells[2].value == contract.product.national_drug_code and cells[4].value == contract.supplier.code:
            cells[0].value = "T-1"
            cells[1].value = contract.cycle_start + timedelta(days=2)
            cells[6].value = 30
            break
    upload = io.BytesIO()
    workbook.save(upload)
    upload.seek(0)
    upload.name = "purchases.xlsx"
    response = client.post(reverse("contracts:purchase_report"), {"file": upload, "idempotency_key": "tpl-1"})
    report = PurchaseUpload.objects.get(idempotency_key="tpl-1")
    assert response.status_code == 302 and report.accepted and report.lines == 1
    assert PurchaseLine.objects.filter(upload_id=report.pk, order_number="T-1", quantity=30).count() == 1


def test_the_demand_template_checks_quantities_and_skips_groups_left_empty(client, hospital_user):
    tender_round = demand_round()
    used, unused = GroupFactory(round=tender_round, code="G01"), GroupFactory(round=tender_round, code="G02")
    client.force_login(hospital_user)
    template = client.get(reverse("procurement:round_demand_template", args=[tender_round.pk]))
    workbook = load_workbook(io.BytesIO(template.content))
    assert _validations(workbook.active) == {"C": "whole"}
    for cells in workbook.active.iter_rows(min_row=2):
        if cells[0].value == used.code:
            cells[2].value = 640
    upload = io.BytesIO()
    workbook.save(upload)
    upload.seek(0)
    upload.name = "demand.xlsx"
    response = client.post(reverse("procurement:round_demand_upload", args=[tender_round.pk]), {"file": upload})
    assert response.status_code == 302
    assert dict(DemandReport.objects.values_list("group__code", "quantity")) == {"G01": 640}
    assert not DemandReport.objects.filter(group=unused).exists()


def test_the_product_template_offers_labels_that_load_in_either_language(client, officer):
    client.force_login(officer)
    client.cookies["django_language"] = "zh-hans"
    sheet = _sheet(client.get(reverse("procurement:product_import_template")))
    lists = {rule.formula1 for rule in sheet.data_validations.dataValidation if rule.type == "list"}
    assert any("片" in formula for formula in lists), lists  # smallest units, as the Chinese clerk reads them
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    chinese_unit = next(formula for formula in lists if "片" in formula).strip('"').split(",")[0]
    row = ["XA01AAA0000010100009", "阿托伐他汀钙片", "片剂", "10", "mg", "28", chinese_unit, "other", "X"]
    content = ",".join(header) + "\n" + ",".join(row) + "\n"
    with translation.override("en"):
        parsed = parse_sheet("products.csv", content.encode(), PRODUCT_COLUMNS)
    assert parsed.errors == [] and parsed.rows[0][1]["smallest_unit"] == "tablet"
