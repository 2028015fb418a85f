"""Shipments, receipts and returns (trading-rules.md, "Shipments, receipts, returns"), walked through the worked
example: 80 of 100 packs confirmed, shipped in two batches, the second arriving late, received, 5 returned; the
running quantities, states, supply events and refusals on the way."""

# ruff: noqa: F811  (the ``world`` fixture of the order tests is imported and named as a parameter)

from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import AuditEntry, Notification
from procurement.exceptions import ProcurementError
from procurement.models import LineStatus, OrderLine, ReturnRequest, Shipment, ShipmentLine, SupplyEvent
from procurement.services import orders
from procurement.services import shipments as services
from procurement.services.shipments import ShipLine
from tests.factories import UserFactory
from tests.procurement.test_orders import SENT_AT, SHANGHAI, at, draft, world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(hospital_user, world):
    """OL1 of the worked example: 100 boxes sent Tue 12 May 10:00, 80 confirmed Wed 13 May 09:00."""
    with at(SENT_AT):
        [order] = orders.order_send(actor=hospital_user, order=draft(hospital_user, world))
    line = order.lines.get()
    with at(datetime(2026, 5, 13, 9, tzinfo=SHANGHAI)):
        line = orders.line_confirm(actor=world["distributors"][0][1], line=line, quantity=80, reason="out_of_stock")
    return line


def ship(actor, line, quantity, batch="260301", expiry=date(2028, 2, 29), invoice="INV-1", **kwargs):
    shipment, _replayed, _warnings = services.shipment_create(
        actor=actor, lines=[ShipLine(line, quantity, batch, expiry, invoice)], **kwargs
    )
    return shipment


def test_the_worked_example_from_confirmation_to_return(hospital_user, world, confirmed):
    distributor = world["distributors"][0][1]
    assert confirmed.delivery_due == datetime(2026, 5, 18, 9, tzinfo=SHANGHAI)
    with at(datetime(2026, 5, 14, 8, tzinfo=SHANGHAI)):
        sl1 = ship(distributor, confirmed, 50)
        sl2 = ship(distributor, confirmed, 30, batch="260402", expiry=date(2028, 3, 31))
    line = OrderLine.objects.get(pk=confirmed.pk)
    assert (line.status, line.shipped_quantity) == (LineStatus.IN_DELIVERY, 80)
    assert sl1.number.startswith("SH20260514") and sl1.number != sl2.number
    assert (
        Notification.objects.filter(kind="shipment.dispatched", organisation=hospital_user.organisation).count() == 2
    )

    with at(datetime(2026, 5, 15, 16, tzinfo=SHANGHAI)):
        services.receipt_record(
            actor=hospital_user,
            line=sl1.lines.get(),
            received=50,
            arrived_at=datetime(2026, 5, 15, 15, tzinfo=SHANGHAI),
        )
    sl1.refresh_from_db()
    assert sl1.status == "received" and sl1.receipt_due == datetime(2026, 5, 21, 0, tzinfo=SHANGHAI)
    assert OrderLine.objects.get(pk=confirmed.pk).status == LineStatus.IN_DELIVERY
    assert not SupplyEvent.objects.filter(kind="late_arrival").exists()

    with at(datetime(2026, 5, 19, 11, tzinfo=SHANGHAI)):
        services.receipt_record(
            actor=hospital_user,
            line=sl2.lines.get(),
            received=30,
            arrived_at=datetime(2026, 5, 19, 10, tzinfo=SHANGHAI),
        )
    line = OrderLine.objects.get(pk=confirmed.pk)
    assert (line.status, line.received_quantity) == (LineStatus.DELIVERED, 80)
    event = SupplyEvent.objects.get(kind="late_arrival")
    assert event.line_id == line.pk and event.occurred_at == datetime(2026, 5, 19, 10, tzinfo=SHANGHAI)

    with at(datetime(2026, 5, 20, 9, tzinfo=SHANGHAI)):
        request, replayed = services.return_request(
            actor=hospital_user, line=sl1.lines.get(), quantity=5, reason="damaged blisters", request_key="r1"
        )
        again, replayed_again = services.return_request(
            actor=hospital_user, line=sl1.lines.get(), quantity=5, reason="damaged blisters", request_key="r1"
        )
    assert (again.pk, replayed, replayed_again) == (request.pk, False, True)
    assert request.decision_due == datetime(2026, 5, 28, 0, tzinfo=SHANGHAI)  # 5 working days from Wed 20 May
    with at(datetime(2026, 5, 21, 9, tzinfo=SHANGHAI)):
        services.return_approve(actor=distributor, request=request)
    line = OrderLine.objects.get(pk=confirmed.pk)
    counts = (line.quantity, line.confirmed_quantity, line.shipped_quantity, line.received_quantity)
    assert (*counts, line.returned_quantity) == (100, 80, 80, 80, 5)
    assert ShipmentLine.objects.get(shipment=sl1).returned_quantity == 5
    assert line.status == LineStatus.DELIVERED  # returns never reopen a line
    assert AuditEntry.objects.filter(action="return.approve").count() == 1


def test_shipping_refuses_more_than_owed_expired_batches_and_a_missing_upstream_invoice(
    hospital_user, world, confirmed
):
    distributor = world["distributors"][0][1]
    with at(datetime(2026, 5, 14, 8, tzinfo=SHANGHAI)):
        for kwargs, code in (
            ({"quantity": 81}, "bad_quantity"),
            ({"quantity": 0}, "bad_quantity"),
            ({"quantity": 10, "expiry": date(2026, 5, 14)}, "expired_batch"),
            ({"quantity": 10, "invoice": ""}, "no_upstream_invoice"),
            ({"quantity": 10, "batch": "  "}, "no_batch"),
        ):
            with pytest.raises(ProcurementError) as refused:
                ship(distributor, confirmed, **kwargs)
            assert refused.value.code == code
        with pytest.raises(ProcurementError) as refused:  # two batches over the owed packs together
            services.shipment_create(
                actor=distributor,
                lines=[
                    ShipLine(confirmed, 50, "A", date(2028, 1, 1), "I"),
                    ShipLine(confirmed, 31, "B", date(2028, 1, 1), "I"),
                ],
            )
        assert refused.value.code == "bad_quantity"
        with pytest.raises(ProcurementError) as refused:  # the other distributor
            ship(world["distributors"][1][1], confirmed, 10)
        assert refused.value.code == "not_distributor"
        with pytest.raises(ProcurementError) as refused:
            ship(hospital_user, confirmed, 10)
        assert refused.value.code == "not_distributor"
    assert not Shipment.objects.exists() and not ShipmentLine.objects.exists()
    assert OrderLine.objects.get(pk=confirmed.pk).shipped_quantity == 0


def test_a_batch_close_to_expiry_is_shipped_with_a_warning(world, confirmed):
    with at(datetime(2026, 5, 14, 8, tzinfo=SHANGHAI)):
        _shipment, _replayed, warnings = services.shipment_create(
            actor=world["distributors"][0][1], lines=[ShipLine(confirmed, 10, "B1", date(2026, 9, 1), "I")]
        )
    assert len(warnings) == 1 and "B1" in warnings[0]


def test_a_retried_shipment_is_not_shipped_twice(world, confirmed):
    distributor = world["distributors"][0][1]
    with at(datetime(2026, 5, 14, 8, tzinfo=SHANGHAI)):
        first = ship(distributor, confirmed, 30, request_key="k")
        second, replayed, _ = services.shipment_create(
            actor=distributor, lines=[ShipLine(confirmed, 30, "260301", date(2028, 2, 29), "I")], request_key="k"
        )
    assert second.pk == first.pk and replayed
    assert OrderLine.objects.get(pk=confirmed.pk).shipped_quantity == 30


def test_rejected_packs_may_be_shipped_again_and_the_receipt_needs_a_reason(hospital_user, world, confirmed):
    distributor = world["distributors"][0][1]
    with at(datetime(2026, 5, 14, 8, tzinfo=SHANGHAI)):
        shipment = ship(distributor, confirmed, 80)
        services.shipment_arrive(actor=distributor, shipment=shipment)
        line = shipment.lines.get()
        with pytest.raises(ProcurementError) as refused:
            services.receipt_record(actor=hospital_user, line=line, received=70)
        assert refused.value.code == "no_reason"
        with pytest.raises(ProcurementError) as refused:
            services.receipt_record(actor=world["distributors"][0][1], line=line, received=80)
        assert refused.value.code == "not_receiver"
        services.receipt_record(actor=hospital_user, line=line, received=70, reason="10 boxes crushed")
        order_line = OrderLine.objects.get(pk=confirmed.pk)
        assert (order_line.shipped_quantity, order_line.received_quantity) == (70, 70)
        assert order_line.status == LineStatus.IN_DELIVERY
        with pytest.raises(ProcurementError) as refused:  # a second receipt is a correction
            services.receipt_record(actor=hospital_user, line=line, received=80)
        assert refused.value.code == "already_received"
        again = ship(distributor, confirmed, 10, batch="260303")
        services.receipt_record(actor=hospital_user, line=again.lines.get(), received=10)
    order_line = OrderLine.objects.get(pk=confirmed.pk)
    assert (order_line.status, order_line.shipped_quantity, order_line.received_quantity) == ("delivered", 80, 80)


def test_a_receipt_is_corrected_with_a_reason(hospital_user, world, confirmed):
    with at(datetime(2026, 5, 14, 8, tzinfo=SHANGHAI)):
        shipment = ship(world["distributors"][0][1], confirmed, 40)
        line = shipment.lines.get()
        services.receipt_record(actor=hospital_user, line=line, received=30, reason="wet cartons")
        services.receipt_record(actor=hospital_user, line=line, received=40, correction="miscounted")
    order_line = OrderLine.objects.get(pk=confirmed.pk)
    assert (order_line.shipped_quantity, order_line.received_quantity) == (40, 40)
    assert AuditEntry.objects.filter(action="shipment.receipt_correct", reason="miscounted").count() == 1


def test_closing_short_by_the_buyer_waits_for_the_delivery_deadline(hospital_user, world, confirmed):
    distributor = world["distributors"][0][1]
    with at(datetime(2026, 5, 14, 8, tzinfo=SHANGHAI)):
        ship(distributor, confirmed, 50)
        with pytest.raises(ProcurementError) as refused:
            services.line_short_close(actor=hospital_user, line=confirmed, reason="no more")
        assert refused.value.code == "too_early"
    with at(datetime(2026, 5, 18, 10, tzinfo=SHANGHAI)):
        line = services.line_short_close(actor=hospital_user, line=confirmed, reason="waited enough")
    assert (line.status, line.short_closed_quantity, line.shipped_quantity) == ("short_closed", 30, 50)
    event = SupplyEvent.objects.get(kind="delivery_short")
    assert event.distributor == world["distributors"][0][0] and event.manufacturer == line.product.holder
    assert Notification.objects.filter(
        kind="order.line_short_closed", organisation=world["distributors"][0][0]
    ).exists()
    with at(datetime(2026, 5, 18, 11, tzinfo=SHANGHAI)):  # goods on their way are still received
        services.receipt_record(actor=hospital_user, line=ShipmentLine.objects.get(), received=50)
        with pytest.raises(ProcurementError):
            ship(distributor, confirmed, 1)
    line = OrderLine.objects.get(pk=confirmed.pk)
    assert (line.status, line.received_quantity) == ("short_closed", 50)


def test_a_return_is_bounded_by_what_was_received_and_is_pending(hospital_user, world, confirmed):
    distributor = world["distributors"][0][1]
    with at(datetime(2026, 5, 14, 8, tzinfo=SHANGHAI)):
        line = ship(distributor, confirmed, 20).lines.get()
        with pytest.raises(ProcurementError) as refused:
            services.return_request(actor=hospital_user, line=line, quantity=1, reason="x")
        assert refused.value.code == "not_received"
        services.receipt_record(actor=hospital_user, line=line, received=20)
        first, _ = services.return_request(actor=hospital_user, line=line, quantity=15, reason="recall")
        with pytest.raises(ProcurementError) as refused:
            services.return_request(actor=hospital_user, line=line, quantity=6, reason="recall")
        assert refused.value.code == "bad_quantity"
        with pytest.raises(ProcurementError) as refused:
            services.return_refuse(actor=distributor, request=first, text="  ")
        assert refused.value.code == "no_reason"
        services.return_refuse(actor=distributor, request=first, text="not our batch")
        second, _ = services.return_request(actor=hospital_user, line=line, quantity=20, reason="recall")
        services.return_withdraw(actor=hospital_user, request=second)
        with pytest.raises(ProcurementError) as refused:
            services.return_approve(actor=distributor, request=second)
        assert refused.value.code == "bad_status"
    assert OrderLine.objects.get(pk=confirmed.pk).returned_quantity == 0
    assert list(ReturnRequest.objects.order_by("pk").values_list("status", flat=True)) == ["refused", "withdrawn"]


def test_only_the_parties_act(hospital_user, world, confirmed, hospital_org):
    other_hospital = UserFactory(role="hospital_user")
    distributor = world["distributors"][0][1]
    with at(datetime(2026, 5, 14, 8, tzinfo=SHANGHAI)):
        shipment = ship(distributor, confirmed, 20)
        with pytest.raises(ProcurementError):
            services.receipt_record(actor=other_hospital, line=shipment.lines.get(), received=20)
        with pytest.raises(ProcurementError):
            services.shipment_arrive(actor=hospital_user, shipment=shipment)
        with pytest.raises(ProcurementError):
            services.line_short_close(actor=other_hospital, line=confirmed, reason="x")
    assert ShipmentLine.objects.get().received_quantity is None
    assert Shipment.objects.get().status == "in_transit"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["ship", "receive", "return", "approve", "close"]), st.integers(0, 60)),
        max_size=12,
    )
)
def test_quantities_stay_in_order_for_any_sequence(hospital_user, world, confirmed, steps):
    """Whatever the parties try, in any order: every refused step changes nothing and the running quantities stay
    ordered ≥ confirmed ≥ shipped + short-closed, shipped ≥ received ≥ returned, equal to their shipment lines."""
    distributor = world["distributors"][0][1]
    with at(datetime(2026, 5, 19, 8, tzinfo=SHANGHAI)):
        for kind, amount in steps:
            try:
                if kind == "ship":
                    ship(distributor, confirmed, amount)
                elif kind == "receive":
                    waiting = ShipmentLine.objects.filter(order_line=confirmed, received_quantity__isnull=True).first()
                    if waiting:
                        services.receipt_record(
                            actor=hospital_user, line=waiting, received=min(amount, waiting.quantity), reason="r"
                        )
                elif kind == "return":
                    received = ShipmentLine.objects.filter(order_line=confirmed, received_quantity__gt=0).first()
                    if received:
                        services.return_request(actor=hospital_user, line=received, quantity=amount, reason="r")
                elif kind == "approve":
                    pending = ReturnRequest.objects.filter(status="requested").first()
                    if pending:
                        services.return_approve(actor=distributor, request=pending)
                else:
                    services.line_short_close(actor=hospital_user, line=confirmed, reason="r")
            except ProcurementError:
                pass
    line = OrderLine.objects.get(pk=confirmed.pk)
    shipped = ShipmentLine.objects.filter(order_line=line)
    assert line.quantity >= line.confirmed_quantity >= line.shipped_quantity + line.short_closed_quantity
    assert line.shipped_quantity >= line.received_quantity >= line.returned_quantity >= 0
    assert line.shipped_quantity == sum(s.quantity - s.rejected_quantity for s in shipped)
    assert line.received_quantity == sum(s.received_quantity or 0 for s in shipped)
    assert line.returned_quantity == sum(s.returned_quantity for s in shipped)
    assert line.returned_quantity == sum(
        ReturnRequest.objects.filter(shipment_line__order_line=line, status="approved").values_list(
            "quantity", flat=True
        )
    )
