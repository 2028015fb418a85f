"""Receipts and returns under concurrency on PostgreSQL (issue 20's property): for random receipts, return
requests and approvals run at the same moment from many connections, the running quantities never go negative or
past what was ordered, and always equal the sums of their shipment lines and approved returns.

Each step locks the order line's row first; without it, two approvals read the same returned quantity and one is
lost, or two requests each see the packs as still returnable."""

import threading
from datetime import date, datetime, timedelta
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from procurement.exceptions import ProcurementError
from procurement.models import OrderLine, ReturnRequest, ShipmentLine
from procurement.services import distribution, orders
from procurement.services import shipments as services
from procurement.services.addresses import address_create
from procurement.services.shipments import ShipLine
from tests.factories import (
    CountyFactory,
    DistributorFactory,
    HospitalFactory,
    ListingFactory,
    ProductFactory,
    SupplierFactory,
    UserFactory,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
SHANGHAI = ZoneInfo("Asia/Shanghai")
MOMENT = datetime(2026, 5, 12, 10, tzinfo=SHANGHAI)
BATCHES = 6


def shipped_line():
    """A line of 100 packs confirmed whole and shipped in six batches of 10 (40 still owed)."""
    supplier = SupplierFactory()
    product = ProductFactory(holder=supplier, pack_size=28)
    ListingFactory(product=product, price=Decimal("0.1000"))
    county = CountyFactory()
    distributor = DistributorFactory()
    distributor_user = UserFactory(role=Role.DISTRIBUTOR_USER, organisation=distributor)
    hospital_user = UserFactory(role=Role.HOSPITAL_USER, organisation=HospitalFactory())
    with mock.patch("django.utils.timezone.now", return_value=MOMENT - timedelta(days=30)):
        relation = distribution.relation_create(
            actor=UserFactory(role=Role.SUPPLIER_USER, organisation=supplier),
            product=product,
            area=county,
            distributor=distributor,
            valid_from=(MOMENT - timedelta(days=30)).date(),
            letter_reference="SQ",
        )
        distribution.relation_accept(actor=distributor_user, relation=relation)
    with mock.patch("django.utils.timezone.now", return_value=MOMENT):
        address = address_create(
            actor=hospital_user, organisation=hospital_user.organisation, name="库房", street="1", county=county
        )
        order = orders.order_create(actor=hospital_user, address=address)
        orders.line_add(actor=hospital_user, order=order, product=product, distributor=distributor, quantity=100)
        [order] = orders.order_send(actor=hospital_user, order=order)
        line = orders.line_confirm(actor=distributor_user, line=order.lines.get(), quantity=100)
        for batch in range(BATCHES):
            services.shipment_create(
                actor=distributor_user, lines=[ShipLine(line, 10, f"B{batch}", date(2028, 1, 1), "INV")]
            )
    return line, hospital_user, distributor_user


def run_together(calls):
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait()
            call()
        except ProcurementError:
            pass
        except Exception as error:  # an IntegrityError here is a lost lock
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    received=st.lists(st.integers(0, 10), min_size=BATCHES, max_size=BATCHES),
    returns=st.lists(st.tuples(st.integers(0, BATCHES - 1), st.integers(1, 10)), min_size=2, max_size=8),
)
def test_concurrent_receipts_and_returns_keep_the_quantities_in_order(received, returns):
    line, hospital_user, distributor_user = shipped_line()
    batches = list(ShipmentLine.objects.filter(order_line=line).order_by("pk"))
    with mock.patch("django.utils.timezone.now", return_value=MOMENT + timedelta(hours=2)):
        errors = run_together(
            [
                lambda batch=batch, count=count: services.receipt_record(
                    actor=hospital_user, line=batch, received=count, reason="damaged"
                )
                for batch, count in zip(batches, received, strict=True)
            ]
        )
        # Twice the same requests at once: each must see the other's packs as pending.
        errors += run_together(
            [
                lambda index=index, count=count: services.return_request(
                    actor=hospital_user, line=batches[index], quantity=count, reason="recall"
                )
                for index, count in returns * 2
            ]
        )
        pending = list(ReturnRequest.objects.filter(shipment_line__order_line=line))
        errors += run_together(
            [
                lambda request=request: services.return_approve(actor=distributor_user, request=request)
                for request in pending * 2
            ]
        )
    assert not errors
    line = OrderLine.objects.get(pk=line.pk)
    rows = list(ShipmentLine.objects.filter(order_line=line))
    assert line.quantity >= line.confirmed_quantity >= line.shipped_quantity + line.short_closed_quantity
    assert line.shipped_quantity >= line.received_quantity >= line.returned_quantity >= 0
    assert line.received_quantity == sum(received)
    assert line.shipped_quantity == sum(row.quantity - row.rejected_quantity for row in rows) == sum(received)
    assert line.returned_quantity == sum(row.returned_quantity for row in rows)
    for row in rows:
        approved = ReturnRequest.objects.filter(shipment_line=row, status="approved")
        assert row.returned_quantity == sum(request.quantity for request in approved) <= row.received_quantity
    assert not ReturnRequest.objects.filter(shipment_line__order_line=line, status="requested").exists()
