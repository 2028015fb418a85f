"""Opening: decrypt, verify receipts, flag invalid bids, publish the table; nothing readable before."""

from decimal import Decimal

import pytest
from django.db import transaction

from accounts.models import AuditEntry
from procurement import participation, services
from procurement.exceptions import ProcurementError
from procurement.models import OpenedBid, Participation
from procurement.services import commitment_sign
from tests.procurement.conftest import move_to_opening

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_bids(supplier_user, other_supplier_user, group, product, other_product, bidding_round):
    commitment_sign(actor=supplier_user, tender_round=bidding_round)
    commitment_sign(actor=other_supplier_user, tender_round=bidding_round)
    mine = services.bid_submit(actor=supplier_user, group=group, product=product, price="7.0000", capacity=1000)
    # Submission refuses a bid above the ceiling; the opening still voids one sealed before the ceiling was lowered
    # (or imported): the ceiling is lowered after this bid is sealed.
    type(group).objects.filter(pk=group.pk).update(ceiling_price=Decimal("1.1"))
    group.refresh_from_db()
    theirs = services.bid_submit(actor=other_supplier_user, group=group, product=other_product, price="13.0000")
    type(group).objects.filter(pk=group.pk).update(ceiling_price=Decimal("1.0"))
    group.refresh_from_db()
    return mine, theirs


def test_cannot_open_before_the_opening_time(officer, two_bids, bidding_round):
    with pytest.raises(ProcurementError) as error:
        services.round_open(actor=officer, tender_round=bidding_round)
    assert error.value.code == "not_closed"
    assert not OpenedBid.objects.exists()


def test_opening_publishes_the_table(officer, two_bids, bidding_round, group, product, supplier_org):
    mine, _theirs = two_bids
    tender_round = services.round_open(actor=officer, tender_round=move_to_opening(bidding_round))
    assert tender_round.status == "opened" and tender_round.opened_at is not None
    rows = {row.supplier_id: row for row in OpenedBid.objects.all()}
    own = rows[supplier_org.pk]
    assert (own.product, own.pack_price, own.comparable_price, own.capacity) == (
        product,
        Decimal("7.0000"),
        Decimal("0.5000"),
        1000,
    )
    assert own.valid and own.hash_verified and own.receipt_hash == mine.receipt_hash
    other = next(row for row in rows.values() if row.supplier_id != supplier_org.pk)
    # 13 / 1.7 / 7 = 1.0924 > ceiling 1.0000
    assert (other.comparable_price, other.valid, other.invalid_reason) == (Decimal("1.0924"), False, "above_ceiling")
    entry = AuditEntry.objects.get(action="round.open")
    assert entry.after == {"bids": 2, "outcomes": {"above_ceiling": 1, "valid": 1}}


def test_only_the_latest_version_is_opened(officer, supplier_user, group, product, committed, bidding_round):
    services.bid_submit(actor=supplier_user, group=group, product=product, price="9")
    services.bid_submit(actor=supplier_user, group=group, product=product, price="8")
    services.round_open(actor=officer, tender_round=move_to_opening(bidding_round))
    row = OpenedBid.objects.get()
    assert (row.pack_price, row.version.number) == (Decimal("8.0000"), 2)


def test_withdrawn_bids_are_not_opened(officer, supplier_user, group, product, committed, bidding_round):
    services.bid_submit(actor=supplier_user, group=group, product=product, price="9")
    services.bid_withdraw(actor=supplier_user, group=group)
    services.round_open(actor=officer, tender_round=move_to_opening(bidding_round))
    assert not OpenedBid.objects.exists()


def _rewrite_state(tender_round, supplier, change):
    """What only someone holding the platform key could do: change a supplier's sealed part."""
    with transaction.atomic():
        slot, state = participation.locked(tender_round, supplier.pk)
        change(state)
        participation.store(tender_round, slot, state)


def test_tampered_receipt_is_flagged(officer, two_bids, bidding_round, supplier_org):
    mine, _theirs = two_bids

    def change(state):
        state["versions"][-1]["receipt"] = "0" * 64

    _rewrite_state(bidding_round, supplier_org, change)
    services.round_open(actor=officer, tender_round=move_to_opening(bidding_round))
    row = OpenedBid.objects.get(supplier=supplier_org)
    assert (row.hash_verified, row.valid, row.invalid_reason) == (False, False, "hash_mismatch")
    assert row.version.public_id == mine.public_id


def test_swapped_ciphertext_cannot_be_read(officer, two_bids, bidding_round, group, supplier_org, other_supplier_org):
    theirs = participation.read(bidding_round, other_supplier_org.pk)["bids"][str(group.pk)]["content"]

    def change(state):
        state["bids"][str(group.pk)]["content"] = theirs

    _rewrite_state(bidding_round, supplier_org, change)
    services.round_open(actor=officer, tender_round=move_to_opening(bidding_round))
    row = OpenedBid.objects.get(supplier=supplier_org)
    assert (row.hash_verified, row.invalid_reason, row.pack_price) == (False, "hash_mismatch", None)


def test_participation_rows_moved_in_the_database_do_not_stop_the_opening(
    officer, two_bids, bidding_round, supplier_org, other_supplier_org
):
    """A database writer without the key can only break rows: swapped states fail their authentication, the
    opening still opens every other bid and says how many rows it could not read."""
    mine, theirs = (
        Participation.objects.get(token=participation.token(bidding_round, org.pk))
        for org in (supplier_org, other_supplier_org)
    )
    Participation.objects.filter(pk=mine.pk).update(state=bytes(theirs.state))
    services.round_open(actor=officer, tender_round=move_to_opening(bidding_round))
    assert list(OpenedBid.objects.values_list("supplier_id", flat=True)) == [other_supplier_org.pk]
    entry = AuditEntry.objects.get(action="round.open")
    assert entry.after["unreadable_participation_rows"] == 1 and entry.after["bids"] == 1


def test_deactivated_product_is_ineligible_at_opening(officer, two_bids, bidding_round, product):
    product.is_active = False
    product.save()
    services.round_open(actor=officer, tender_round=move_to_opening(bidding_round))
    assert OpenedBid.objects.get(product=product).invalid_reason == "ineligible"


def test_capacity_minimum_from_the_rule_set(officer, two_bids, bidding_round, group, hospital_org):
    from procurement.models import DemandReport, RuleSet

    rule_set = RuleSet.objects.create(
        code="test-min-capacity", version=1, name="t", parameters={"min_capacity_share": "0.5"}
    )
    bidding_round.rule_set = rule_set
    bidding_round.save()
    DemandReport.objects.create(
        group=group, hospital=hospital_org, quantity=10000, reported_by=two_bids[0].submitted_by
    )
    services.round_open(actor=officer, tender_round=move_to_opening(bidding_round))
    # capacity 1000 < 0.5 × 10000; the other bid has no capacity limit.
    reasons = sorted(OpenedBid.objects.values_list("invalid_reason", flat=True))
    assert reasons == ["above_ceiling", "capacity_below_minimum"]


def test_opening_twice_is_refused(officer, two_bids, bidding_round):
    services.round_open(actor=officer, tender_round=move_to_opening(bidding_round))
    with pytest.raises(ProcurementError):
        services.round_open(actor=officer, tender_round=bidding_round)
    assert OpenedBid.objects.count() == 2


def test_only_officers_open(supplier_user, credit_officer, two_bids, bidding_round):
    move_to_opening(bidding_round)
    for user in (supplier_user, credit_officer):
        with pytest.raises(ProcurementError) as error:
            services.round_open(actor=user, tender_round=bidding_round)
        assert error.value.code == "not_officer"


def test_opening_publishes_the_audit_chain_head(officer, supplier_user, two_bids, bidding_round, client_for):
    from accounts import audit_chain
    from accounts.models import AuditCheckpoint

    services.round_open(actor=officer, tender_round=move_to_opening(bidding_round))
    checkpoint = AuditCheckpoint.objects.get(label=f"opening {bidding_round.code}")
    # The head covers the opening's own audit row.
    opened = AuditEntry.objects.get(action="round.open")
    assert opened.seq is not None and checkpoint.seq >= opened.seq
    assert audit_chain.verify().intact
    page = client_for(supplier_user).get(f"/rounds/{bidding_round.pk}/opening/").content.decode()
    assert checkpoint.chain_mac in page
