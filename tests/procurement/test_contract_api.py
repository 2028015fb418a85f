"""The API after the award: agreements per role, the bulk purchase report (JSON and CSV) with idempotency,
deliveries, supply failures, completion and settlement."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from procurement.models import Contract, Delivery, PurchaseLine

from .test_contracts import awarded_round, contracted_round, line_for, user  # noqa: F401

pytestmark = pytest.mark.django_db


def test_agreements_are_scoped_per_role(api_for, contracted_round):  # noqa: F811
    contract = Contract.objects.filter(round__code="GY-2025-09").select_related("hospital", "supplier").first()
    hospital = api_for(User.objects.get(organisation=contract.hospital))
    other = api_for(User.objects.filter(role="hospital_user").exclude(organisation=contract.hospital).first())
    ids = {row["id"] for row in hospital.get("/api/v1/contracts/?page_size=500").json()["results"]}
    assert contract.pk in ids and all(Contract.objects.get(pk=pk).hospital_id == contract.hospital_id for pk in ids)
    assert other.get(f"/api/v1/contracts/{contract.pk}/").status_code == 404
    assert other.post(f"/api/v1/contracts/{contract.pk}/confirm/").status_code == 404
    assert hospital.post(f"/api/v1/contracts/{contract.pk}/confirm/").json()["hospital_confirmed_at"]
    # Confirming in bulk is the officer's: a hospital is refused before anything is looked at.
    assert hospital.post(f"/api/v1/contracts/confirm-bulk/?round={contracted_round.pk}").status_code == 403
    officer = api_for(user("officer"))
    confirmed = officer.post(f"/api/v1/contracts/confirm-bulk/?round={contracted_round.pk}").json()["confirmed"]
    assert confirmed == Contract.objects.filter(round=contracted_round).count()


def test_bulk_purchase_report_json_and_csv(api_for, contracted_round):  # noqa: F811
    contract = Contract.objects.filter(round__code="GY-2025-09").select_related("hospital", "product").first()
    api = api_for(User.objects.get(organisation=contract.hospital))
    body = {"lines": [line_for(contract, 10, f"API-{i}") for i in range(50)]}
    assert api.post("/api/v1/purchases/", body, format="json").status_code == 400  # no key
    first = api.post("/api/v1/purchases/", body, format="json", HTTP_IDEMPOTENCY_KEY="batch-1")
    again = api.post("/api/v1/purchases/", body, format="json", HTTP_IDEMPOTENCY_KEY="batch-1")
    assert (first.status_code, again.status_code) == (201, 200) and first.json()["id"] == again.json()["id"]
    assert PurchaseLine.objects.exclude(order_number__startswith="DEMO-").count() == 50
    other = {"lines": [line_for(contract, 11, "API-0")]}
    assert api.post("/api/v1/purchases/", other, format="json", HTTP_IDEMPOTENCY_KEY="batch-1").status_code == 422
    ordered = contract.cycle_start + timedelta(days=1)
    csv = (
        "order_number,ordered_on,product,quantity,unit_price\n"
        f"CSV-1,{ordered},{contract.product.national_drug_code},5,{contract.unit_price}\n"
        f"CSV-2,{ordered},{contract.product.national_drug_code},-5,{contract.unit_price}\n"
    )
    rejected = api.post("/api/v1/purchases/", csv, content_type="text/csv", HTTP_IDEMPOTENCY_KEY="csv-1")
    assert rejected.status_code == 400 and rejected.json()["errors"][0]["line"] == 3
    assert PurchaseLine.objects.exclude(order_number__startswith="DEMO-").count() == 50
    lines = api.get("/api/v1/purchases/").json()
    assert lines["count"] == PurchaseLine.objects.filter(hospital=contract.hospital).count()
    supplier_api = api_for(User.objects.get(organisation=contract.supplier))
    assert supplier_api.post("/api/v1/purchases/", body, format="json", HTTP_IDEMPOTENCY_KEY="s").status_code == 403


def test_deliveries_supply_failure_completion_and_settlement(api_for, contracted_round):  # noqa: F811
    contract = Contract.objects.filter(round__code="GY-2025-09").select_related("hospital", "supplier").first()
    supplier = api_for(User.objects.get(organisation=contract.supplier))
    hospital = api_for(User.objects.get(organisation=contract.hospital))
    today = timezone.localdate()
    shipped = supplier.post(
        "/api/v1/deliveries/",
        {"contract": contract.pk, "order_number": "D-9", "ordered_on": str(today - timedelta(days=2)),
         "shipped_on": str(today - timedelta(days=1)), "quantity": 12},
        format="json",
    )  # fmt: skip
    assert shipped.status_code == 201, shipped.content
    # Shipments are recorded by the supplier only.
    assert hospital.post("/api/v1/deliveries/", shipped.json(), format="json").status_code == 403
    received = hospital.post(f"/api/v1/deliveries/{shipped.json()['id']}/receive/", {}, format="json")
    assert (
        received.json()["on_time"] is True
        and Delivery.objects.exclude(order_number__startswith="DEMO-").get().received_on == today
    )
    officer = api_for(user("officer"))
    completion = officer.get(f"/api/v1/completion/{contracted_round.pk}/").json()
    assert completion["province"]["agreed"] == sum(
        c.agreed_quantity for c in Contract.objects.filter(round__code="GY-2025-09").all()
    )
    assert hospital.get(f"/api/v1/completion/{contracted_round.pk}/").status_code == 403
    settlement = supplier.get(f"/api/v1/settlement/?month={today:%Y-%m}").json()
    assert settlement["suppliers"][0]["quantity"] == 12
    assert officer.get("/api/v1/supply-failures/").status_code == 200
    assert hospital.get("/api/v1/supply-failures/").status_code == 403
