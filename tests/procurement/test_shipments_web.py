"""Shipments, receipts and returns in the pages and through the API (provincial field names): the distributor
ships from the order's page and states the arrival, the institution receives part and returns some, the distributor
approves; a retried API shipment or return is not duplicated; bad input is a clear 400 that stores nothing; each
party's workbench counts what waits for it."""

# ruff: noqa: F811  (the ``world`` fixture of the order page tests is imported and named as a parameter)

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from procurement.models import (
    CompletionRollup,
    HospitalRollup,
    LineStatus,
    OrderLine,
    PurchaseMonthRollup,
    PurchaseOrder,
    ReturnRequest,
    Shipment,
    ShipmentLine,
)
from procurement.services import orders, shipments
from tests.factories import ContractFactory, DistributorFactory, UserFactory
from tests.procurement.test_orders_web import world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(hospital_user, hospital_org, supplier_org, world):
    """The order tests' world with an agreement for the product: 100 packs ordered and confirmed whole."""
    product, distributor = world["product"], world["distributor"]
    contract = ContractFactory(hospital=hospital_org, supplier=supplier_org, product=product, agreed_quantity=28_000)
    contract.group.eligible_products.add(product)
    [order] = orders.order_submit(actor=hospital_user, address=world["address"], lines=[(product, distributor, 100)])[
        0
    ]
    line = orders.line_confirm(actor=world["distributor_user"], line=order.lines.get(), quantity=100)
    return {"line": line, "order": order, "distributor_user": world["distributor_user"], "contract": contract}


def expiry(days=600):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def test_ship_receive_part_return_and_approve_in_the_browser(client, hospital_user, confirmed):
    line, order, distributor_user = confirmed["line"], confirmed["order"], confirmed["distributor_user"]
    client.force_login(distributor_user)
    assert "Ship 1 confirmed order line" in client.get("/").content.decode()
    page = client.get(f"/trading/orders/{order.pk}/ship/").content.decode()
    assert "100 packs still owed" in page
    prefix = f"line-{line.pk}"
    refused = client.post(
        f"/trading/orders/{order.pk}/ship/",
        {"request_key": "k1", f"{prefix}-quantity": "101", f"{prefix}-batch_number": "B1",
         f"{prefix}-expiry_date": expiry(), f"{prefix}-upstream_invoice": "INV"},
    )  # fmt: skip
    assert refused.status_code == 200 and "still owed" in refused.content.decode()
    assert not Shipment.objects.exists()
    form = {"request_key": "k2", f"{prefix}-quantity": "60", f"{prefix}-batch_number": "B1",
            f"{prefix}-expiry_date": expiry(), f"{prefix}-upstream_invoice": "INV"}  # fmt: skip
    answer = client.post(f"/trading/orders/{order.pk}/ship/", form)
    shipment = Shipment.objects.get()
    assert answer["Location"] == f"/trading/shipments/{shipment.pk}/"
    client.post(f"/trading/orders/{order.pk}/ship/", form)  # the same form posted twice: one note
    assert Shipment.objects.count() == 1
    client.post(
        f"/trading/shipments/{shipment.pk}/arrive/", {"arrived_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    )
    assert Shipment.objects.get().status == "arrived"

    client.force_login(hospital_user)
    assert "Receive 1 delivery note" in client.get("/").content.decode()
    assert shipment.number in client.get("/trading/shipments/?status=to_receive").content.decode()
    shipment_line = ShipmentLine.objects.get()
    client.post(f"/trading/shipments/lines/{shipment_line.pk}/receive/", {"received": "55"})  # no reason: refused
    assert ShipmentLine.objects.get().received_quantity is None
    client.post(f"/trading/shipments/lines/{shipment_line.pk}/receive/", {"received": "55", "reason": "5 crushed"})
    assert ShipmentLine.objects.get().received_quantity == 55
    client.post(f"/trading/shipments/lines/{shipment_line.pk}/return/", {"quantity": "3", "reason": "wrong strength"})
    returned = ReturnRequest.objects.get()
    page = client.get(f"/trading/shipments/{shipment.pk}/").content.decode()
    assert "5 crushed" in page and "wrong strength" in page

    client.force_login(distributor_user)
    assert "Decide on 1 return" in client.get("/").content.decode()
    client.post(f"/trading/returns/{returned.pk}/approve/")
    line = OrderLine.objects.get()
    assert (line.status, line.shipped_quantity, line.received_quantity, line.returned_quantity) == (
        LineStatus.IN_DELIVERY, 55, 55, 3,
    )  # fmt: skip
    assert "55 shipped, 55 received" in client.get(f"/trading/orders/{order.pk}/").content.decode()
    client.post(f"/trading/orders/lines/{line.pk}/short-close/", {"reason": "stock ran out"})
    line = OrderLine.objects.get()
    assert (line.status, line.short_closed_quantity) == (LineStatus.SHORT_CLOSED, 45)


def test_the_buyer_cannot_close_short_before_the_deadline_nor_ship(client, hospital_user, confirmed):
    line, order = confirmed["line"], confirmed["order"]
    client.force_login(hospital_user)
    client.post(f"/trading/orders/lines/{line.pk}/short-close/", {"reason": "impatient"})
    assert OrderLine.objects.get().status == LineStatus.CONFIRMED
    assert client.get(f"/trading/orders/{order.pk}/ship/").status_code == 403
    assert client.get("/trading/shipments/?status=bogus").status_code == 400
    assert client.get("/trading/returns/?status=bogus").status_code == 400


def test_the_api_ships_receives_and_returns_with_idempotency_keys(client, hospital_user, confirmed):
    line, distributor_user = confirmed["line"], confirmed["distributor_user"]
    client.force_login(distributor_user)
    body = {"lines": [{"ordDetlId": line.pk, "shppCnt": 40, "manuLotnum": "L1", "expyEndtime": expiry(100),
                       "upstream_invoice": "INV"}]}  # fmt: skip
    first = client.post("/api/v1/shipments/", body, content_type="application/json", headers={"Idempotency-Key": "s1"})
    assert first.status_code == 201, first.content
    assert first.json()["lines"][0]["shppCnt"] == 40 and len(first.json()["warnings"]) == 1  # 100 days of shelf life
    again = client.post("/api/v1/shipments/", body, content_type="application/json", headers={"Idempotency-Key": "s1"})
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert OrderLine.objects.get().shipped_quantity == 40
    bad = client.post(
        "/api/v1/shipments/",
        {"lines": [{"ordDetlId": line.pk, "shppCnt": "x", "manuLotnum": "", "expyEndtime": "soon"}]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and Shipment.objects.count() == 1
    shp_id = first.json()["lines"][0]["shpId"]

    client.force_login(hospital_user)
    shipped = client.get("/api/v1/shipments/").json()
    assert [s["number"] for s in shipped["results"]] == [first.json()["number"]]
    received = client.post(
        f"/api/v1/shipment-lines/{shp_id}/receive/", {"received_quantity": 40}, content_type="application/json"
    )
    assert received.status_code == 200 and received.json()["received_quantity"] == 40
    refused = client.post(
        f"/api/v1/shipment-lines/{shp_id}/receive/", {"received_quantity": 39, "rejection_reason": "x"},
        content_type="application/json",
    )  # fmt: skip
    assert refused.status_code == 400 and refused.json()["code"] == "already_received"
    ret = {"shpId": shp_id, "retnCnt": 2, "reason": "recall"}
    made = client.post("/api/v1/returns/", ret, content_type="application/json", headers={"Idempotency-Key": "r1"})
    replay = client.post("/api/v1/returns/", ret, content_type="application/json", headers={"Idempotency-Key": "r1"})
    assert (made.status_code, replay.status_code) == (201, 200) and ReturnRequest.objects.count() == 1
    too_many = client.post("/api/v1/returns/", {**ret, "retnCnt": 39}, content_type="application/json")
    assert too_many.status_code == 400 and ReturnRequest.objects.count() == 1

    client.force_login(distributor_user)
    refused = client.post(
        f"/api/v1/returns/{made.json()['id']}/refuse/", {"text": "batch not ours"}, content_type="application/json"
    )
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    closed = client.post(
        f"/api/v1/order-lines/{line.pk}/short-close/", {"reason": "no stock"}, content_type="application/json"
    )
    assert closed.status_code == 200 and closed.json()["short_closed_quantity"] == 60


def test_other_parties_see_nothing(client, confirmed, other_hospital_org):
    other = UserFactory(role=Role.HOSPITAL_USER, organisation=other_hospital_org)
    stranger = UserFactory(role=Role.DISTRIBUTOR_USER, organisation=DistributorFactory())
    client.force_login(confirmed["distributor_user"])
    client.post(
        "/api/v1/shipments/",
        {"lines": [{"ordDetlId": confirmed["line"].pk, "shppCnt": 5, "manuLotnum": "L", "expyEndtime": expiry(),
                    "upstream_invoice": "I"}]},
        content_type="application/json",
    )  # fmt: skip
    shipment = Shipment.objects.get()
    for user in (other, stranger):
        client.force_login(user)
        assert client.get("/api/v1/shipments/").json()["count"] == 0
        assert client.get(f"/trading/shipments/{shipment.pk}/").status_code == 404
    client.force_login(stranger)
    answer = client.post(
        "/api/v1/shipments/",
        {"lines": [{"ordDetlId": confirmed["line"].pk, "shppCnt": 5, "manuLotnum": "L", "expyEndtime": expiry(),
                    "upstream_invoice": "I"}]},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 400 and Shipment.objects.count() == 1


def test_received_packs_of_a_contracted_line_count_toward_the_agreement(hospital_user, confirmed):
    line, contract, distributor_user = confirmed["line"], confirmed["contract"], confirmed["distributor_user"]
    assert line.agreement_link == "contracted" and line.contract == contract
    shipment, _replayed, _warnings = shipments.shipment_create(
        actor=distributor_user,
        lines=[shipments.ShipLine(line, 80, "B", timezone.localdate() + timedelta(days=400), "I")],
    )
    shipments.receipt_record(actor=hospital_user, line=shipment.lines.get(), received=75, reason="5 broken")
    contract.refresh_from_db()
    assert (contract.purchased_quantity, contract.purchased_amount) == (75 * 28, Decimal("210.00"))  # 75 × 2.80
    request, _replayed = shipments.return_request(
        actor=hospital_user, line=shipment.lines.get(), quantity=5, reason="r"
    )
    shipments.return_approve(actor=distributor_user, request=request)
    contract.refresh_from_db()
    assert (contract.purchased_quantity, contract.purchased_amount) == (70 * 28, Decimal("196.00"))
    rollup = CompletionRollup.objects.get(round=contract.round)
    hospital_rollup = HospitalRollup.objects.get(round=contract.round, hospital=contract.hospital)
    assert rollup.purchased_quantity == hospital_rollup.purchased_quantity == 70 * 28
    assert not PurchaseMonthRollup.objects.exists()  # platform receipts are not reported purchases


def test_a_receipt_message_answers_line_by_line_and_a_retry_changes_nothing(client, hospital_user, confirmed):
    line, distributor_user = confirmed["line"], confirmed["distributor_user"]
    made = [
        shipments.shipment_create(
            actor=distributor_user,
            lines=[shipments.ShipLine(line, 10, f"B{n}", timezone.localdate() + timedelta(days=400), "I")],
        )[0].lines.get()
        for n in range(3)
    ]
    client.force_login(hospital_user)
    body = {
        "receipts": [
            {"shpId": made[0].pk, "received_quantity": 10},
            {"shpId": made[1].pk, "received_quantity": 8},  # no reason for the 2 rejected: refused
            {"shpId": 999_999, "received_quantity": 1},
            {"shpId": made[2].pk, "received_quantity": 9, "rejection_reason": "wet"},
        ]
    }
    no_key = client.post("/api/v1/receipt-messages/", body, content_type="application/json")
    assert no_key.status_code == 400 and no_key.json()["code"] == "idempotency_key"
    first = client.post(
        "/api/v1/receipt-messages/", body, content_type="application/json", headers={"Idempotency-Key": "m1"}
    )
    assert first.status_code == 201
    results = first.json()["results"]
    assert [(r["shpId"], r["result"], r["code"]) for r in results] == [
        (made[0].pk, "accepted", ""), (made[1].pk, "refused", "no_reason"), (999_999, "refused", "not_found"),
        (made[2].pk, "accepted", ""),
    ]  # fmt: skip
    assert (first.json()["accepted"], first.json()["refused"]) == (2, 2)
    again = client.post(
        "/api/v1/receipt-messages/", body, content_type="application/json", headers={"Idempotency-Key": "m1"}
    )
    assert again.status_code == 200 and again.json() == first.json()
    other = client.post(
        "/api/v1/receipt-messages/", {"receipts": body["receipts"][:1]}, content_type="application/json",
        headers={"Idempotency-Key": "m1"},
    )  # fmt: skip
    assert other.status_code == 422
    assert OrderLine.objects.get().received_quantity == 19
    assert list(ShipmentLine.objects.order_by("pk").values_list("received_quantity", flat=True)) == [10, None, 9]


def test_an_order_message_sends_each_order_or_refuses_it_whole(client, hospital_user, confirmed):
    line = confirmed["line"]
    client.force_login(hospital_user)
    good = {"ref": "HIS-1", "address": line.order.address_id,
            "lines": [{"product": line.product_id, "distributor": line.distributor_id, "quantity": 5}]}  # fmt: skip
    emergency = {**good, "ref": "HIS-2", "urgency": "emergency"}  # no reason given: refused
    answer = client.post(
        "/api/v1/order-messages/", {"orders": [good, emergency]}, content_type="application/json",
        headers={"Idempotency-Key": "o1"},
    )  # fmt: skip
    assert answer.status_code == 201, answer.content
    first, second = answer.json()["results"]
    assert first["ref"] == "HIS-1" and first["result"] == "accepted" and len(first["ordDetlIds"]) == 1
    assert second == {"ref": "HIS-2", "result": "refused", "code": "no_reason", "message": second["message"]}
    assert OrderLine.objects.count() == 2  # the fixture's and HIS-1's
    replay = client.post(
        "/api/v1/order-messages/", {"orders": [good, emergency]}, content_type="application/json",
        headers={"Idempotency-Key": "o1"},
    )  # fmt: skip
    assert replay.status_code == 200 and OrderLine.objects.count() == 2


def test_ordering_again_makes_a_draft_with_the_same_lines(client, hospital_user, confirmed):
    order = confirmed["order"]
    client.force_login(hospital_user)
    answer = client.post(f"/trading/orders/{order.pk}/reorder/")
    draft = PurchaseOrder.objects.get(status="draft")
    assert answer["Location"] == f"/trading/orders/{draft.pk}/"
    assert list(draft.lines.values_list("product_id", "distributor_id", "quantity")) == [
        (confirmed["line"].product_id, confirmed["line"].distributor_id, 100)
    ]
    api = client.post(f"/api/v1/orders/{order.pk}/reorder/")
    assert api.status_code == 201 and api.json()["status"] == "draft"
    refused = client.post(f"/api/v1/orders/{draft.pk}/reorder/")  # a draft is changed, not ordered again
    assert refused.status_code == 400 and PurchaseOrder.objects.filter(status="draft").count() == 2


def test_a_small_hospital_orders_from_the_spreadsheet(client, hospital_user, confirmed):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.spreadsheets import build_workbook
    from procurement.io.order_upload import ORDER_COLUMNS

    client.force_login(hospital_user)
    template = client.get("/trading/orders/upload/template/")
    assert template.status_code == 200
    [row] = orders.order_template_rows(hospital_user.organisation)
    assert row[1] == confirmed["line"].product.national_drug_code and row[-1] is None

    def upload(rows, key):
        content = build_workbook(ORDER_COLUMNS, rows)
        return client.post(
            "/trading/orders/upload/",
            {"file": SimpleUploadedFile("orders.xlsx", content), "idempotency_key": key},
        )

    before = PurchaseOrder.objects.count()
    refused = upload([[*row[:-1], 12], ["别的地址", *row[1:-1], 3], [*row[:-1], "many"]], "k1")
    page = refused.content.decode()
    assert refused.status_code == 200 and "Not one of your delivery addresses" in page and "nothing was saved" in page
    assert PurchaseOrder.objects.count() == before
    made = upload([[*row[:-1], 12], list(row)], "k2")  # the untouched template row is skipped
    draft = PurchaseOrder.objects.get(status="draft")
    assert made["Location"] == f"/trading/orders/{draft.pk}/"
    assert list(draft.lines.values_list("quantity", flat=True)) == [12]
    upload([[*row[:-1], 12]], "k2")  # the same form sent twice
    assert PurchaseOrder.objects.filter(status="draft").count() == 1
