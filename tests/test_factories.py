"""The factories make the worlds a user could make: a sealed bid opens to its price, an award computes and
publishes, an agreement takes purchases into its rollups, a record is judged and notified, a listing is open to
hospitals. A factory that skipped its service would fail here before it misled another test."""

from decimal import Decimal

import pytest

from credit.models import CreditRecord
from pricing.models import Listing, PaymentStandard
from procurement.models import AllocationLine, Contract, OpenedBid, PurchaseLine
from tests.factories import (
    AwardRunFactory,
    BidFactory,
    ContractFactory,
    CreditRecordFactory,
    DemandReportFactory,
    GroupFactory,
    HospitalUserFactory,
    ListingFactory,
    OfficerFactory,
    PurchaseFactory,
    SupplierUserFactory,
    open_round,
)

pytestmark = pytest.mark.django_db


def test_a_bid_is_sealed_until_the_opening_then_read_at_its_price():
    group = GroupFactory()
    version = BidFactory(group=group)
    assert version.receipt_hash and not OpenedBid.objects.exists()
    open_round(group.round, OfficerFactory())
    opened = OpenedBid.objects.get()
    assert (opened.pack_price, opened.comparable_price, opened.valid) == (Decimal("7.0000"), Decimal("0.5000"), True)
    assert opened.receipt_hash == version.receipt_hash


def test_an_award_run_computes_allocates_and_publishes():
    group = GroupFactory()
    for price in ("7.0000", "8.4000"):
        BidFactory(group=group, supplier_user=SupplierUserFactory(), price=price)
    reports = [DemandReportFactory(group=group, quantity=quantity) for quantity in (12000, 8000)]
    officer = OfficerFactory()
    open_round(group.round, officer)
    run = AwardRunFactory(tender_round=group.round, actor=officer, published=True)
    assert run.published_at is not None and run.status == "done"
    assert run.outcomes.filter(won=True).count() == 2
    lines = AllocationLine.objects.filter(run=run)
    assert {line.hospital_id for line in lines} == {report.hospital_id for report in reports}
    assert sum(line.quantity for line in lines) == run.group_results.get().agreed_total
    # Publishing tells pricing (procurement.hooks): the winners' payment standards exist.
    assert PaymentStandard.objects.filter(round=group.round).exists()


def test_an_agreement_takes_purchases_into_its_rollup():
    contract = ContractFactory()
    upload = PurchaseFactory(contract=contract, quantity=120)
    assert upload.accepted, upload.errors
    line = PurchaseLine.objects.get(upload=upload)
    assert (line.kind, line.contract_id, line.amount) == ("contract", contract.pk, Decimal("60.00"))
    contract.refresh_from_db()
    assert (contract.purchased_quantity, contract.purchased_amount) == (120, Decimal("60.00"))
    assert Contract.objects.visible_to(HospitalUserFactory(organisation=contract.hospital)).get() == contract


def test_a_credit_record_is_judged_and_its_notice_published():
    record = CreditRecordFactory()
    assert record.status == CreditRecord.Status.NOTIFIED
    assert record.judged_level == "medium" and record.notice_published_at is not None
    assert CreditRecordFactory(amount="50000").judged_level != "medium"


def test_a_listing_is_open_to_hospitals():
    listing = ListingFactory()
    assert Listing.objects.visible_to(HospitalUserFactory()).get() == listing
    assert not Listing.objects.visible_to(SupplierUserFactory()).filter(status="pending").exists()
