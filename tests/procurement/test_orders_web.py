"""Orders in the browser's pages and through the API: the hospital drafts, adds products offered for its address,
sends; the distributor answers on the order's page or through the API; a retried API order is not duplicated; bad
input is a clear 400 that stores nothing; the distributor's workbench counts the lines to answer."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from procurement.models import LineStatus, OrderLine, PurchaseOrder
from procurement.services import distribution
from procurement.services import orders as services
from procurement.services.addresses import address_create
from tests.factories import CountyFactory, DistributorFactory, ListingFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(supplier_user, supplier_org, hospital_user, hospital_org):
    county = CountyFactory()
    product = ProductFactory(holder=supplier_org, pack_size=28)
    ListingFactory(product=product, price=Decimal("0.1000"))
    distributor = DistributorFactory()
    distributor_user = UserFactory(role=Role.DISTRIBUTOR_USER, organisation=distributor)
    relation = distribution.relation_create(
        actor=supplier_user,
        product=product,
        area=county,
        distributor=distributor,
        valid_from=timezone.localdate(),
        letter_reference="SQ",
    )
    distribution.relation_accept(actor=distributor_user, relation=relation)
    address = address_create(
        actor=hospital_user, organisation=hospital_org, name="库房", street="路 1 号", county=county, distance_km=3
    )
    return {"product": product, "distributor": distributor, "distributor_user": distributor_user, "address": address}


def test_a_hospital_orders_and_the_distributor_confirms_in_the_browser(client, hospital_user, world):
    client.force_login(hospital_user)
    answer = client.post("/trading/orders/new/", {"address": world["address"].pk, "urgency": "general"})
    order = PurchaseOrder.objects.get()
    assert answer["Location"] == f"/trading/orders/{order.pk}/"
    page = client.get(answer["Location"]).content.decode()
    offer = f"{world['product'].pk}:{world['distributor'].pk}"
    assert offer in page and world["distributor"].name in page
    client.post(f"/trading/orders/{order.pk}/lines/", {"offer": offer, "quantity": "12"})
    client.post(f"/trading/orders/{order.pk}/lines/", {"offer": "999:999", "quantity": "1"})  # not offered
    client.post(f"/trading/orders/{order.pk}/lines/", {"offer": offer, "quantity": "0"})
    assert order.lines.count() == 1
    client.post(f"/trading/orders/{order.pk}/send/")
    line = OrderLine.objects.get()
    assert line.status == LineStatus.SENT and line.amount == Decimal("33.60")
    client.force_login(world["distributor_user"])
    assert "Answer 1 order line" in client.get("/").content.decode()
    assert order.number in client.get("/trading/orders/?status=awaiting").content.decode()
    client.post(f"/trading/orders/lines/{line.pk}/confirm/", {"quantity": "13"})  # more than ordered
    line.refresh_from_db()
    assert line.status == LineStatus.SENT
    client.post(f"/trading/orders/lines/{line.pk}/confirm/", {"quantity": "12"})
    line.refresh_from_db()
    assert line.status == LineStatus.CONFIRMED and line.delivery_due is not None
    assert client.get("/trading/orders/?status=nonsense").status_code == 400


def test_the_api_order_message_is_idempotent(api_for, hospital_user, world):
    api = api_for(hospital_user)
    body = {
        "address": world["address"].pk,
        "lines": [{"product": world["product"].pk, "distributor": world["distributor"].pk, "quantity": 5}],
    }
    first = api.post("/api/v1/orders/", body, format="json", HTTP_IDEMPOTENCY_KEY="his-1")
    assert first.status_code == 201, first.content
    [order] = first.json()
    assert order["status"] == "sent" and order["lines"][0]["ordDetlId"] and order["medinsCode"]
    again = api.post("/api/v1/orders/", body, format="json", HTTP_IDEMPOTENCY_KEY="his-1")
    assert again.status_code == 200 and again.json()[0]["id"] == order["id"]
    assert PurchaseOrder.objects.count() == 1 and OrderLine.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"lines": []},
        {"lines": [{"product": "x", "distributor": 1, "quantity": 1}]},
        {"lines": [{"product": 1, "distributor": 1, "quantity": 0}]},
        {"address": 10**12},
        {"urgency": "soon"},
        {"urgency": "emergency"},
    ],
)
def test_bad_api_orders_are_400_and_store_nothing(api_for, hospital_user, world, change):
    body = {
        "address": world["address"].pk,
        "lines": [{"product": world["product"].pk, "distributor": world["distributor"].pk, "quantity": 5}],
    } | change
    answer = api_for(hospital_user).post("/api/v1/orders/", body, format="json")
    assert answer.status_code == 400, answer.content
    assert not PurchaseOrder.objects.exists() and not OrderLine.objects.exists()


def test_the_api_answers_lines_and_scopes_them(api_for, hospital_user, world, officer):
    [order] = services.order_submit(
        actor=hospital_user, address=world["address"], lines=[(world["product"], world["distributor"], 5)]
    )[0]
    line = order.lines.get()
    distributor_api = api_for(world["distributor_user"])
    assert distributor_api.get("/api/v1/order-lines/?status=sent").json()["count"] == 1
    other = UserFactory(role=Role.DISTRIBUTOR_USER, organisation=DistributorFactory())
    assert api_for(other).get(f"/api/v1/order-lines/{line.pk}/").status_code == 404
    assert api_for(other).post(f"/api/v1/order-lines/{line.pk}/confirm/", {"quantity": 5}).status_code == 404
    refused = distributor_api.post(f"/api/v1/order-lines/{line.pk}/refuse/", {"reason": "why"}, format="json")
    assert refused.status_code == 400
    confirmed = distributor_api.post(f"/api/v1/order-lines/{line.pk}/confirm/", {"quantity": 5}, format="json")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    withdraw = api_for(hospital_user).post(f"/api/v1/order-lines/{line.pk}/withdraw/")
    assert withdraw.status_code == 400  # answered already
    assert api_for(officer).get("/api/v1/orders/").json()["count"] == 1


def test_a_late_answer_through_the_api_is_refused(api_for, hospital_user, world):
    [order] = services.order_submit(
        actor=hospital_user, address=world["address"], lines=[(world["product"], world["distributor"], 5)]
    )[0]
    line = order.lines.get()
    OrderLine.objects.filter(pk=line.pk).update(response_due=timezone.now() - timedelta(minutes=1))
    answer = api_for(world["distributor_user"]).post(
        f"/api/v1/order-lines/{line.pk}/confirm/", {"quantity": 5}, format="json"
    )
    assert answer.status_code == 400 and answer.json()["code"] == "too_late"
    line.refresh_from_db()
    assert line.status == LineStatus.SENT
