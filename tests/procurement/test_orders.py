"""Purchase orders (trading-rules.md, "Orders"): a draft plan sent and split per distributor with prices and
response deadlines stored; withdrawal before an answer; the distributor's answer line by line within the
deadline (compared in the database, not by the expiry task); expiry with a supply event; permissions."""

from datetime import datetime, timedelta
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.models import AuditEntry, Role
from procurement.exceptions import ProcurementError
from procurement.models import LineStatus, OrderLine, PurchaseOrder, SupplyEvent
from procurement.services import distribution
from procurement.services import orders as services
from procurement.services.addresses import address_create
from tests.factories import CountyFactory, DistributorFactory, ListingFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Tue 12 May 2026 10:00 in Shanghai: the worked example's sending time.
SENT_AT = datetime(2026, 5, 12, 10, tzinfo=SHANGHAI)


@pytest.fixture
def world(supplier_user, supplier_org, hospital_user, hospital_org, officer):
    county = CountyFactory()
    products = []
    for pack in (28, 14):
        product = ProductFactory(holder=supplier_org, pack_size=pack)
        ListingFactory(product=product, price=Decimal("0.1000"))
        products.append(product)
    distributors = []
    for _index in range(2):
        organisation = DistributorFactory()
        user = UserFactory(role=Role.DISTRIBUTOR_USER, organisation=organisation)
        distributors.append((organisation, user))
    with mock.patch("django.utils.timezone.now", return_value=SENT_AT - timedelta(days=30)):
        for product in products:
            for organisation, user in distributors:
                relation = distribution.relation_create(
                    actor=supplier_user,
                    product=product,
                    area=county,
                    distributor=organisation,
                    valid_from=timezone.localdate(),
                    letter_reference="SQ",
                )
                distribution.relation_accept(actor=user, relation=relation)
    address = address_create(
        actor=hospital_user, organisation=hospital_org, name="库房", street="路 1 号", county=county, distance_km=62
    )
    return {"products": products, "distributors": distributors, "address": address, "county": county}


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def draft(hospital_user, world, lines=((0, 0, 100),)):
    order = services.order_create(actor=hospital_user, address=world["address"])
    for product_index, distributor_index, quantity in lines:
        services.line_add(
            actor=hospital_user,
            order=order,
            product=world["products"][product_index],
            distributor=world["distributors"][distributor_index][0],
            quantity=quantity,
        )
    return order


def test_sending_prices_the_lines_and_stores_the_worked_examples_deadline(hospital_user, world):
    with at(SENT_AT):
        order = draft(hospital_user, world)
        [sent] = services.order_send(actor=hospital_user, order=order)
    line = sent.lines.get()
    assert (sent.status, line.status) == ("sent", LineStatus.SENT)
    assert line.order_class == "general_remote"  # 62 km from the county seat
    assert line.pack_price == Decimal("2.8000") and line.amount == Decimal("280.00")  # 0.10 × 28, × 100 boxes
    assert line.response_due == datetime(2026, 5, 15, 0, tzinfo=SHANGHAI)  # Thu 14 May 24:00
    assert line.relation.distributor == world["distributors"][0][0]
    assert sent.number.startswith("PO20260512") and len(sent.number) == 18


def test_a_plan_is_split_per_distributor(hospital_user, world):
    with at(SENT_AT):
        order = draft(hospital_user, world, lines=((0, 0, 10), (1, 1, 5), (1, 0, 7)))
        sent = services.order_send(actor=hospital_user, order=order)
    assert len(sent) == 2
    assert {o.distributor for o in sent} == {world["distributors"][0][0], world["distributors"][1][0]}
    assert sorted(o.lines.count() for o in sent) == [1, 2]
    assert sent[0].pk == order.pk and sent[1].split_from == order
    assert len({o.number for o in sent}) == 2


def test_a_line_without_a_relation_in_force_refuses_the_whole_sending(hospital_user, world):
    stranger = DistributorFactory()
    with at(SENT_AT):
        order = draft(hospital_user, world)
        services.line_add(actor=hospital_user, order=order, product=world["products"][1], distributor=stranger,
                          quantity=3)  # fmt: skip
        with pytest.raises(ProcurementError) as refused:
            services.order_send(actor=hospital_user, order=order)
    assert refused.value.code == "not_sendable" and stranger.name in refused.value.message
    assert set(OrderLine.objects.values_list("status", flat=True)) == {LineStatus.DRAFT}
    assert PurchaseOrder.objects.get().status == "draft"


def test_the_distributor_confirms_in_time_and_the_delivery_clock_starts(hospital_user, world):
    distributor_user = world["distributors"][0][1]
    with at(SENT_AT):
        [sent] = services.order_send(actor=hospital_user, order=draft(hospital_user, world))
    line = sent.lines.get()
    with at(datetime(2026, 5, 13, 9, tzinfo=SHANGHAI)):
        with pytest.raises(ProcurementError):  # a shortfall needs its reason
            services.line_confirm(actor=distributor_user, line=line, quantity=80)
        line = services.line_confirm(actor=distributor_user, line=line, quantity=80, reason="out_of_stock")
    assert (line.status, line.confirmed_quantity, line.refusal_reason) == (LineStatus.CONFIRMED, 80, "out_of_stock")
    assert line.delivery_due == datetime(2026, 5, 18, 9, tzinfo=SHANGHAI)  # 72 working hours, skipping the weekend


def test_an_answer_after_the_deadline_is_refused_before_the_expiry_task_runs(hospital_user, world):
    distributor_user = world["distributors"][0][1]
    with at(SENT_AT):
        [sent] = services.order_send(actor=hospital_user, order=draft(hospital_user, world))
    line = sent.lines.get()
    with at(datetime(2026, 5, 15, 0, 0, 1, tzinfo=SHANGHAI)):
        for answer in (
            lambda: services.line_confirm(actor=distributor_user, line=line, quantity=100),
            lambda: services.line_refuse(actor=distributor_user, line=line, reason="out_of_stock"),
        ):
            with pytest.raises(ProcurementError) as refused:
                answer()
            assert refused.value.code == "too_late"
    line.refresh_from_db()
    assert line.status == LineStatus.SENT


def test_expiry_cancels_and_records_a_supply_event_once(hospital_user, world):
    with at(SENT_AT):
        order = draft(hospital_user, world, lines=((0, 0, 10), (1, 0, 5)))
        services.order_send(actor=hospital_user, order=order)
    assert services.lines_expire(datetime(2026, 5, 14, 23, 59, tzinfo=SHANGHAI)) == 0
    assert services.lines_expire(datetime(2026, 5, 15, 0, 0, tzinfo=SHANGHAI)) == 2
    assert services.lines_expire(datetime(2026, 5, 16, tzinfo=SHANGHAI)) == 0
    assert set(OrderLine.objects.values_list("status", flat=True)) == {LineStatus.EXPIRED}
    events = SupplyEvent.objects.all()
    assert events.count() == 2 and {e.distributor for e in events} == {world["distributors"][0][0]}
    assert AuditEntry.objects.filter(action="order.line_expire").count() == 2


def test_the_buyer_withdraws_only_before_an_answer(hospital_user, world):
    distributor_user = world["distributors"][0][1]
    with at(SENT_AT):
        order = draft(hospital_user, world, lines=((0, 0, 10), (1, 0, 5)))
        [sent] = services.order_send(actor=hospital_user, order=order)
        first, second = sent.lines.order_by("pk")
        services.line_refuse(actor=distributor_user, line=first, reason="outside_area")
        with pytest.raises(ProcurementError):
            services.line_withdraw(actor=hospital_user, line=first)
        assert services.line_withdraw(actor=hospital_user, line=second).status == LineStatus.WITHDRAWN
        with pytest.raises(ProcurementError):
            services.line_confirm(actor=distributor_user, line=second, quantity=5)


def test_only_the_buyer_and_the_named_distributor_act(hospital_user, world, supplier_user):
    other_distributor_user = world["distributors"][1][1]
    with at(SENT_AT):
        order = draft(hospital_user, world)
        with pytest.raises(ProcurementError):
            services.order_send(actor=supplier_user, order=order)
        [sent] = services.order_send(actor=hospital_user, order=order)
        line = sent.lines.get()
        for actor in (other_distributor_user, hospital_user):
            with pytest.raises(ProcurementError):
                services.line_confirm(actor=actor, line=line, quantity=1)
        with pytest.raises(ProcurementError):
            services.line_add(actor=hospital_user, order=sent, product=world["products"][0],
                              distributor=world["distributors"][0][0], quantity=1)  # fmt: skip
    line.refresh_from_db()
    assert line.status == LineStatus.SENT and sent.lines.count() == 1


def test_an_emergency_needs_its_reason_and_runs_on_clock_hours(hospital_user, world):
    with pytest.raises(ProcurementError):
        services.order_create(actor=hospital_user, address=world["address"], urgency="emergency")
    with at(SENT_AT):
        order = services.order_create(
            actor=hospital_user, address=world["address"], urgency="emergency", emergency_reason="急诊抢救"
        )
        services.line_add(actor=hospital_user, order=order, product=world["products"][0],
                          distributor=world["distributors"][0][0], quantity=2)  # fmt: skip
        [sent] = services.order_send(actor=hospital_user, order=order)
    line = sent.lines.get()
    assert line.order_class == "emergency_remote" and line.response_due == SENT_AT + timedelta(hours=2)


def test_who_sees_which_order(hospital_user, world, officer):
    distributor_user = world["distributors"][0][1]
    other_user = world["distributors"][1][1]
    with at(SENT_AT):
        kept = draft(hospital_user, world)
        sent = services.order_send(actor=hospital_user, order=draft(hospital_user, world))[0]
    assert set(PurchaseOrder.objects.visible_to(hospital_user)) == {kept, sent}
    assert set(PurchaseOrder.objects.visible_to(distributor_user)) == {sent}  # never the buyer's draft
    assert set(PurchaseOrder.objects.visible_to(other_user)) == set()
    assert set(PurchaseOrder.objects.visible_to(officer)) == {kept, sent}


def test_a_cold_chain_product_takes_the_longer_class_even_near_the_county_seat(hospital_user, hospital_org, world):
    world["products"][1].cold_chain = True
    world["products"][1].save()
    near = address_create(
        actor=hospital_user, organisation=hospital_org, name="门诊药房", street="路 2 号", county=world["county"]
    )
    with at(SENT_AT):
        order = services.order_create(actor=hospital_user, address=near)
        for product in world["products"]:
            services.line_add(
                actor=hospital_user, order=order, product=product, distributor=world["distributors"][0][0], quantity=5
            )
        [sent] = services.order_send(actor=hospital_user, order=order)
    classes = dict(sent.lines.values_list("product_id", "order_class"))
    assert classes == {world["products"][0].pk: "general", world["products"][1].pk: "general_remote"}
