"""Bids at the deadline on PostgreSQL (TRUST 4): many threads at once, across the closing time."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import Role
from core.errors import DomainError
from procurement import services
from procurement.exceptions import ProcurementError
from procurement.models import Bid, BidVersion, OpenedBid, TenderRound
from procurement.services import commitment_sign
from tests.factories import GroupFactory, ProductFactory, RoundFactory, SupplierFactory, UserFactory
from tests.procurement.conftest import move_to_opening, own

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SUPPLIERS = 24


@pytest.fixture
def crowd():
    tender_round = RoundFactory()
    # A ceiling above every price the threads send: bids above it are refused at submission.
    group = GroupFactory(round=tender_round, ceiling_price=100)
    bidders = []
    for _ in range(SUPPLIERS):
        supplier = SupplierFactory()
        user = UserFactory(role=Role.SUPPLIER_USER, organisation=supplier)
        product = ProductFactory(holder=supplier)
        group.eligible_products.add(product)
        commitment_sign(actor=user, tender_round=tender_round)
        bidders.append((user, product))
    return tender_round, group, bidders


def _run_threads(target, count):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def work(index):
        try:
            barrier.wait()
            results.extend(target(index))
        except Exception as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results, errors


def test_simultaneous_bids_are_all_kept(crowd):
    _round, group, bidders = crowd

    def submit(index):
        user, product = bidders[index]
        return [services.bid_submit(actor=user, group=group, product=product, price=f"{5 + index}.25")]

    results, errors = _run_threads(submit, SUPPLIERS)
    assert errors == []
    assert len(results) == SUPPLIERS
    assert sum(len(own(group.round, user).all_versions()) for user, _product in bidders) == SUPPLIERS
    assert len({version.receipt_hash for version in results}) == SUPPLIERS


def test_same_idempotency_key_from_two_threads_makes_one_version(crowd):
    _round, group, bidders = crowd
    user, product = bidders[0]

    def submit(index):
        try:
            return [services.bid_submit(actor=user, group=group, product=product, price="6", idempotency_key="dup")]
        except DomainError as error:
            return [(error.status_code, error.code)]

    results, errors = _run_threads(submit, 6)
    assert errors == []
    (version,) = own(group.round, user).all_versions()
    # The lock on the supplier's sealed part queues them; each later one finds the key and replays the first.
    assert [getattr(result, "public_id", result) for result in results] == [version.public_id] * 6


def test_first_bids_of_one_supplier_at_once_become_consecutive_versions(crowd):
    _round, group, bidders = crowd
    user, product = bidders[0]

    def submit(index):
        return [services.bid_submit(actor=user, group=group, product=product, price=f"{6 + index}")]

    results, errors = _run_threads(submit, 6)
    assert errors == []
    assert sorted(version.number for version in results) == [1, 2, 3, 4, 5, 6]
    part = own(group.round, user)
    assert part.bids[group.pk].current_version == 6
    assert len(part.all_versions()) == 6


def test_two_withdrawals_at_once_make_one_withdrawal(crowd):
    _round, group, bidders = crowd
    user, product = bidders[0]
    services.bid_submit(actor=user, group=group, product=product, price="6")

    def withdraw(index):
        try:
            return [services.bid_withdraw(actor=user, group=group)]
        except ProcurementError as error:
            return [error.code]

    results, errors = _run_threads(withdraw, 6)
    assert errors == []
    assert sorted(result for result in results if isinstance(result, str)) == ["nothing_to_withdraw"] * 5
    part = own(group.round, user)
    assert [version.action for version in part.all_versions()].count("withdraw") == 1
    assert part.bids[group.pk].status == "withdrawn"


def test_deadline_race_every_confirmed_bid_is_opened_and_no_late_bid_accepted(crowd, officer):
    tender_round, group, bidders = crowd
    closes = timezone.now() + timedelta(seconds=1.5)
    TenderRound.objects.filter(pk=tender_round.pk).update(bid_closes_at=closes, opening_at=closes)
    group.round.refresh_from_db()
    confirmed: dict[int, BidVersion] = {}
    refusals = []
    lock = threading.Lock()

    def hammer(index):
        user, product = bidders[index]
        end = time.monotonic() + 3
        attempt = 0
        while time.monotonic() < end:
            attempt += 1
            try:
                version = services.bid_submit(
                    actor=user, group=group, product=product, price=f"{index + 1}.{attempt:02d}"
                )
            except ProcurementError as error:
                assert error.code == "bid_window_closed"
                refusals.append(timezone.now())
                break
            with lock:
                confirmed[index] = version
        return []

    _results, errors = _run_threads(hammer, SUPPLIERS)
    assert errors == []
    assert refusals, "no request crossed the deadline"
    assert all(version.submitted_at < closes for version in confirmed.values())

    services.advance_due_rounds()  # the scheduler closes the round
    services.round_open(actor=officer, tender_round=move_to_opening(TenderRound.objects.get()))
    assert BidVersion.objects.exists() and not BidVersion.objects.filter(submitted_at__gte=closes).exists()
    opened = {row.bid.supplier_id: row.version.public_id for row in OpenedBid.objects.select_related("bid", "version")}
    for index, version in confirmed.items():
        supplier_id = bidders[index][0].organisation_id
        assert opened[supplier_id] == version.public_id, "the last confirmed version is the one opened"
    assert Bid.objects.count() == len(confirmed) == len(opened)
    assert OpenedBid.objects.filter(hash_verified=False).count() == 0
