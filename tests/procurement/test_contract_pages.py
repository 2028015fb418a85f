"""Agreement, purchase, delivery, completion and settlement pages: each role its own, the flows through the forms."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import User
from procurement.models import Contract, Delivery, PurchaseLine, PurchaseUpload

from .test_contracts import awarded_round, contracted_round, user  # noqa: F401

pytestmark = pytest.mark.django_db


def test_officer_generates_confirms_and_sees_the_dashboard(client, awarded_round):  # noqa: F811
    client.force_login(user("officer"))
    page = client.get(reverse("contracts:contract_list")).content.decode()
    assert f'data-testid="generate-{awarded_round.code}"' in page
    client.post(reverse("contracts:contracts_generate", args=[awarded_round.pk]))
    assert Contract.objects.filter(round=awarded_round).exists()
    client.post(reverse("contracts:contracts_confirm_bulk"), {"round": awarded_round.pk})
    assert not Contract.objects.filter(round__code="GY-2025-09").filter(status="pending").exists()
    dashboard = client.get(reverse("contracts:completion", args=[awarded_round.pk]))
    assert dashboard.status_code == 200 and 'data-testid="alerts"' in dashboard.content.decode()
    region = Contract.objects.filter(round__code="GY-2025-09").first().region
    city = client.get(reverse("contracts:completion_city", args=[awarded_round.pk, region.pk]))
    assert 'data-testid="city-hospitals"' in city.content.decode()
    export = client.get(reverse("contracts:contract_export"))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_each_party_sees_only_its_agreements(client, contracted_round):  # noqa: F811
    contract = Contract.objects.filter(round__code="GY-2025-09").select_related("hospital", "supplier").first()
    hospital_user = User.objects.get(organisation=contract.hospital)
    other_hospital = User.objects.filter(role="hospital_user").exclude(organisation=contract.hospital).first()
    other_supplier = User.objects.filter(role="supplier_user").exclude(organisation=contract.supplier).first()
    url = reverse("contracts:contract_detail", args=[contract.pk])
    client.force_login(hospital_user)
    assert client.get(url).status_code == 200
    for outsider in (other_hospital, other_supplier):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(reverse("contracts:contract_confirm", args=[contract.pk])).status_code == 404
    client.force_login(other_hospital)
    assert contract.hospital.name not in client.get(reverse("contracts:contract_list")).content.decode()
    client.force_login(hospital_user)
    assert client.get(reverse("contracts:completion", args=[contracted_round.pk])).status_code == 403
    assert client.post(reverse("contracts:contracts_confirm_bulk")).status_code == 403


def test_hospital_reports_by_form_and_spreadsheet(client, contracted_round, tmp_path):  # noqa: F811
    contract = Contract.objects.filter(round__code="GY-2025-09").select_related("hospital", "product").first()
    client.force_login(User.objects.get(organisation=contract.hospital))
    ordered = (contract.cycle_start + timedelta(days=3)).isoformat()
    response = client.post(
        reverse("contracts:purchase_report"),
        {"single": "1", "idempotency_key": "form-1", "order_number": "F-1", "ordered_on": ordered,
         "product": contract.product.national_drug_code, "quantity": "40", "unit_price": str(contract.unit_price)},
    )  # fmt: skip
    upload = PurchaseUpload.objects.exclude(idempotency_key__startswith="demo-").get()
    assert response.url == reverse("contracts:purchase_upload", args=[upload.pk]) and upload.status == "accepted"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Order number", "Order date", "National drug code", "Supplier code", "Quantity (smallest units)",
                  "Price per smallest unit"])  # fmt: skip
    sheet.append(["S-1", ordered, contract.product.national_drug_code, None, 10, str(contract.unit_price)])
    sheet.append(["S-2", ordered, contract.product.national_drug_code, None, "ten", str(contract.unit_price)])
    path = tmp_path / "p.xlsx"
    workbook.save(path)
    with path.open("rb") as file:
        response = client.post(reverse("contracts:purchase_report"), {"file": file, "idempotency_key": "file-1"})
    rejected = PurchaseUpload.objects.get(idempotency_key="file-1")
    page = client.get(response.url).content.decode()
    assert rejected.status == "rejected" and 'data-testid="upload-errors"' in page and ">3<" in page
    # The error names the column as the template heads it, not the field's internal name.
    assert "<td>Quantity (smallest units)</td>" in page and "<td>quantity</td>" not in page
    assert PurchaseLine.objects.exclude(order_number__startswith="DEMO-").count() == 1
    assert client.get(reverse("contracts:purchase_template")).status_code == 200


def test_a_refused_line_comes_back_as_typed_and_stores_nothing(client, contracted_round):  # noqa: F811
    contract = Contract.objects.filter(round__code="GY-2025-09").select_related("hospital", "product").first()
    client.force_login(User.objects.get(organisation=contract.hospital))
    before = PurchaseUpload.objects.count()
    response = client.post(
        reverse("contracts:purchase_report"),
        {"single": "1", "idempotency_key": "form-refused", "order_number": "F-REFUSED",
         "ordered_on": (contract.cycle_start + timedelta(days=3)).isoformat(),
         "product": contract.product.national_drug_code, "quantity": "40", "unit_price": "99.0000"},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="F-REFUSED"' in page and 'value="99.0000"' in page
    assert 'class="errorlist' in page and "agreed price" in page
    assert PurchaseUpload.objects.count() == before
    assert not PurchaseUpload.objects.filter(idempotency_key="form-refused").exists()


def test_supplier_ships_and_hospital_confirms_receipt(client, contracted_round):  # noqa: F811
    contract = Contract.objects.filter(round__code="GY-2025-09").select_related("hospital", "supplier").first()
    today = timezone.localdate()
    client.force_login(User.objects.get(organisation=contract.supplier))
    client.post(
        reverse("contracts:contract_detail", args=[contract.pk]),
        {"order_number": "D-1", "ordered_on": (today - timedelta(days=4)).isoformat(),
         "shipped_on": (today - timedelta(days=3)).isoformat(), "quantity": "25"},
    )  # fmt: skip
    delivery = Delivery.objects.exclude(order_number__startswith="DEMO-").get()
    client.force_login(User.objects.get(organisation=contract.hospital))
    client.post(reverse("contracts:delivery_receive", args=[delivery.pk]))
    delivery.refresh_from_db()
    assert delivery.received_on == today
    settlement = client.get(reverse("contracts:settlement"))
    assert 'data-testid="prepayments"' in settlement.content.decode()
    client.force_login(user("officer"))
    statement = client.get(reverse("contracts:settlement")).content.decode()
    assert contract.supplier.name in statement
    export = client.get(reverse("contracts:settlement") + "?export=1")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_supply_failure_page(client, contracted_round):  # noqa: F811
    client.force_login(user("officer"))
    assert client.get(reverse("contracts:supply_failure", args=[contracted_round.pk])).status_code == 200
    client.force_login(user("hospital1"))
    assert client.get(reverse("contracts:supply_failure", args=[contracted_round.pk])).status_code == 403


def test_parties_see_a_chart_of_their_agreements_and_export_their_settlement(client, contracted_round):  # noqa: F811
    contract = Contract.objects.filter(round__code="GY-2025-09").select_related("hospital", "supplier").first()
    for organisation in (contract.hospital, contract.supplier):
        client.force_login(User.objects.filter(organisation=organisation).first())
        assert 'data-testid="own-chart"' in client.get(reverse("contracts:contract_list")).content.decode()
    client.force_login(user("officer"))
    assert 'data-testid="own-chart"' not in client.get(reverse("contracts:contract_list")).content.decode()
    client.force_login(User.objects.filter(organisation=contract.hospital).first())
    page = client.get(reverse("contracts:settlement")).content.decode()
    assert 'data-testid="export-prepayments"' in page
    export = client.get(reverse("contracts:settlement") + "?export=prepayments")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
