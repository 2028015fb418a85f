"""Listing, payment standards on award, price-change warnings and their workflow, suspension through a credit
measure, supply anomalies, savings to the cent, online-purchase rate, permissions."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import AuditEntry, User
from core.money import round_money
from pricing import selectors, services
from pricing.models import Listing, PaymentStandard, PriceWarning
from pricing.services import PricingError
from procurement.models import AwardOutcome, AwardRun, Contract, Product
from tests.procurement.test_contracts import awarded_round, contracted_round, line_for, report, user  # noqa: F401

pytestmark = pytest.mark.django_db


def winner_contract(tender_round):
    return Contract.objects.filter(round=tender_round).select_related("product", "supplier", "region", "group").first()


def test_payment_standards_follow_the_award(contracted_round):  # noqa: F811
    run = AwardRun.objects.published().get(round=contracted_round)
    standards = PaymentStandard.objects.filter(round=contracted_round)
    assert standards.exists()
    for outcome in AwardOutcome.objects.filter(run=run, won=True).select_related("opened_bid"):
        standard = standards.get(product_id=outcome.opened_bid.product_id)
        assert (standard.basis, standard.initial_standard) == ("winner", outcome.winning_price)
    for standard in standards.exclude(basis="winner"):
        assert standard.initial_standard == standard.winning_price  # no listed price yet: the winning price
    assert AuditEntry.objects.filter(action="payment_standard.compute").exists()


def test_a_winner_lists_at_its_winning_price_in_its_regions_and_capped_elsewhere(contracted_round):  # noqa: F811
    PriceWarning.objects.all().delete()  # the demo's own listings would stand in the way
    Listing.objects.all().delete()
    contract = winner_contract(contracted_round)
    supplier = User.objects.get(organisation=contract.supplier)
    with pytest.raises(PricingError) as error:
        services.listing_apply(
            actor=supplier, product=contract.product, price=contract.unit_price + 1, region=contract.region
        )
    assert error.value.code == "winning_price"
    listing = services.listing_apply(
        actor=supplier, product=contract.product, price=contract.unit_price, region=contract.region
    )
    assert (listing.basis, listing.status) == ("vbp_winner", "pending")
    with pytest.raises(PricingError) as error:
        services.listing_apply(actor=supplier, product=contract.product, price=contract.unit_price * 2)
    assert error.value.code == "cap"
    other_supplier = User.objects.filter(role="supplier_user").exclude(organisation=contract.supplier).first()
    with pytest.raises(PricingError):
        services.listing_apply(actor=other_supplier, product=contract.product, price="1")


def _non_vbp_listing(supplier_user, price="2.0000"):
    product = Product.objects.create(
        national_drug_code=f"NONVBP-{price}",
        generic_name="头孢克肟胶囊",
        dosage_form="胶囊剂",
        strength_amount=Decimal("100"),
        strength_unit="mg",
        pack_size=6,
        smallest_unit="capsule",
        quality_tier="consistency_passed",
        holder=supplier_user.organisation,
    )
    return services.listing_apply(actor=supplier_user, product=product, price=price)


def test_review_price_rise_warning_and_its_workflow(contracted_round):  # noqa: F811
    supplier = user("supplier1")
    officer = user("officer")
    listing = _non_vbp_listing(supplier)
    assert listing.basis == "non_vbp"
    with pytest.raises(PricingError):
        services.listing_review(actor=supplier, listing=listing, approve=True, reason="x")
    services.listing_review(actor=officer, listing=listing, approve=True, reason="Cost file checked")
    listing.refresh_from_db()
    assert listing.status == "listed"
    small = services.listing_price_request(actor=supplier, listing=listing, price="2.2000", reason="Raw materials")
    assert services.listing_price_review(actor=officer, change=small, approve=True, reason="Documented") == []
    big = services.listing_price_request(actor=supplier, listing=listing, price="2.4201", reason="Raw materials")
    warnings = services.listing_price_review(actor=officer, change=big, approve=True, reason="Approved, watched")
    assert [w.kind for w in warnings] == ["price_rise"]
    warning = warnings[0]
    services.warning_inquire(actor=officer, warning=warning, text="Explain the 10 % rise.")
    with pytest.raises(PricingError):
        services.warning_answer(actor=user("supplier2"), warning=warning, text="Not ours")
    services.warning_answer(actor=supplier, warning=warning, text="API price doubled; invoices attached.")
    services.warning_interview(actor=officer, warning=warning, on=timezone.localdate() + timedelta(days=5))
    services.warning_close(actor=officer, warning=warning, outcome="suspended", reason="Rise not justified")
    listing.refresh_from_db()
    warning.refresh_from_db()
    assert (warning.status, warning.outcome, listing.status) == ("closed", "suspended", "suspended")
    assert [c.kind for c in listing.changes.order_by("at", "id")][-1] == "suspend"


def test_a_credit_measure_suspends_the_listing_and_lifts_with_the_repair(contracted_round):  # noqa: F811
    from credit.models import Measure
    from credit.services import repair_apply, repair_decide, repair_steps_for
    from tests.credit.conftest import confirm, enter

    supplier = user("supplier1")
    listing = _non_vbp_listing(supplier)
    services.listing_review(actor=user("officer"), listing=listing, approve=True, reason="ok")
    credit = user("credit")
    record = confirm(credit, enter(credit, supplier.organisation, amount="400000", products=[listing.product]))
    Measure.objects.update(starts_on=timezone.localdate() - timedelta(days=1))
    assert services.sync_credit_suspensions() == (1, 0)
    listing.refresh_from_db()
    assert (listing.status, listing.suspended_by_credit) == ("suspended", True)
    assert record.reference in listing.changes.first().reason
    from accounts.models import Region

    city = Region.objects.filter(level="city").first()
    with pytest.raises(PricingError) as error:  # a new application for the product in the case is refused too
        services.listing_apply(actor=supplier, product=listing.product, price="2.0000", region=city)
    assert error.value.code == "credit_restricted"
    assert _non_vbp_listing(supplier, price="3.0000").status == "pending"  # another product is not concerned
    application = repair_apply(
        actor=supplier, record=record, steps=repair_steps_for(record), statement="Done", commitment_accepted=True
    )
    repair_decide(actor=credit, application=application, approve=True, reason="Proven")
    assert services.sync_credit_suspensions() == (0, 1)
    listing.refresh_from_db()
    assert listing.status == "listed"


def test_supply_scan_opens_one_warning_per_subject(contracted_round):  # noqa: F811
    from procurement.services.deliveries import delivery_confirm, delivery_record

    contract = winner_contract(contracted_round)
    hospital = User.objects.get(organisation=contract.hospital)
    supplier = User.objects.get(organisation=contract.supplier)
    report(hospital, [line_for(contract, 1000, "PO-S")])
    today = timezone.localdate()
    delivery = delivery_record(
        actor=supplier,
        contract=contract,
        order_number="PO-S",
        ordered_on=today - timedelta(days=20),
        shipped_on=today - timedelta(days=19),
        quantity=1000,
    )
    delivery_confirm(actor=hospital, delivery=delivery, received_on=today - timedelta(days=1))  # late
    assert services.scan_supply() >= 1
    mine = PriceWarning.objects.filter(kind="low_delivery_rate", supplier=contract.supplier, group=contract.group)
    assert mine.count() == 1 and mine.get().details["rate"] == "0.0000"
    services.scan_supply()
    assert mine.count() == 1


def test_savings_to_the_cent(contracted_round):  # noqa: F811
    contract = winner_contract(contracted_round)
    group = contract.group
    group.pre_vbp_price = Decimal("1.2345")
    group.save(update_fields=["pre_vbp_price"])
    hospital = User.objects.get(organisation=contract.hospital)
    report(hospital, [line_for(contract, 333, "PO-V")])
    figures = selectors.round_savings(contracted_round)
    contracts = list(Contract.objects.filter(round=contracted_round, group=group))
    expected_agreed = sum(c.agreed_quantity * (group.pre_vbp_price - c.unit_price) for c in contracts)
    assert figures["saved_at_agreed"] == expected_agreed.quantize(Decimal("0.01"))
    assert figures["saved_at_purchases"] == (333 * (group.pre_vbp_price - contract.unit_price)).quantize(
        Decimal("0.01")
    )
    assert Decimal(0) < figures["drop_vs_ceiling"] < 1
    from django.db.models import Sum

    from procurement.models import PurchaseLine

    share = selectors.vbp_share(contract.hospital)
    raw = PurchaseLine.objects.filter(hospital=contract.hospital, kind="contract").aggregate(t=Sum("amount"))["t"]
    assert share["contract"] == raw and share["share"] == (raw / share["total"]).quantize(Decimal("0.0001"))


def test_online_purchase_rate(contracted_round):  # noqa: F811
    contract = winner_contract(contracted_round)
    hospital = User.objects.get(organisation=contract.hospital)
    report(hospital, [line_for(contract, 1000, "PO-O")])
    month = contract.cycle_start + timedelta(days=1)
    online = selectors.online_rate(month, contract.hospital)["drugs"]["online"]
    services.off_platform_declare(actor=hospital, month=month, category="drugs", amount=online / 9)
    rate = selectors.online_rate(month, contract.hospital)["drugs"]
    assert rate["rate"] == (online / (online + (online / 9).quantize(Decimal("0.01")))).quantize(Decimal("0.0001"))
    assert rate["met"] is (rate["rate"] >= Decimal("0.90"))
    with pytest.raises(PricingError):
        services.off_platform_declare(actor=user("supplier1"), month=month, category="drugs", amount="1")


def test_listings_and_warnings_are_scoped(contracted_round):  # noqa: F811
    supplier = user("supplier1")
    pending = _non_vbp_listing(supplier)
    assert Listing.objects.visible_to(user("hospital1")).filter(pk=pending.pk).count() == 0
    assert Listing.objects.visible_to(supplier).filter(pk=pending.pk).count() == 1
    services.listing_review(actor=user("officer"), listing=pending, approve=True, reason="ok")
    assert Listing.objects.visible_to(user("hospital1")).filter(pk=pending.pk).count() == 1
    assert not PriceWarning.objects.visible_to(user("hospital1")).exists()


def test_hospitals_buy_listed_products_at_no_more_than_the_listed_price(contracted_round):  # noqa: F811
    supplier = user("supplier1")
    listing = _non_vbp_listing(supplier, price="1.0000")
    services.listing_review(actor=user("officer"), listing=listing, approve=True, reason="ok")
    hospital = user("hospital1")
    row = {
        "order_number": "L-1",
        "ordered_on": str(timezone.localdate()),
        "product": listing.product.national_drug_code,
        "quantity": "10",
        "unit_price": "1.0001",
    }
    rejected = report(hospital, [row], key="l1").upload
    assert rejected.status == "rejected" and "listed price" in rejected.errors[0]["message"]
    assert report(hospital, [{**row, "unit_price": "0.9500"}], key="l2").upload.status == "accepted"
    services.listing_suspend(actor=user("officer"), listing=listing, reason="Inquiry pending")
    suspended = report(hospital, [{**row, "order_number": "L-2", "unit_price": "0.9500"}], key="l3").upload
    assert suspended.status == "rejected" and "suspended" in suspended.errors[0]["message"]


def test_savings_page_totals_and_export(client, contracted_round):  # noqa: F811
    from django.urls import reverse

    client.force_login(user("officer"))
    page = client.get(reverse("pricing:savings")).content.decode()
    assert 'data-testid="savings-overall"' in page
    export = client.get(reverse("pricing:savings") + "?export=1")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def _savings_walked(tender_round):
    """The savings figures by walking every agreement (how the page computed them before the database summed)."""
    saved_agreed = saved_purchased = spent_agreed = spent_purchased = Decimal(0)
    drops, per_group = [], {}
    for contract in Contract.objects.filter(round=tender_round).select_related("group"):
        group, price = contract.group, contract.unit_price
        entry = per_group.setdefault(group.code, [0, 0, Decimal(0), Decimal(0)])
        entry[0] += contract.agreed_quantity
        entry[1] += contract.purchased_quantity
        spent_agreed += contract.agreed_quantity * price
        spent_purchased += contract.purchased_amount
        if group.pre_vbp_price is not None:
            gap = group.pre_vbp_price - price
            entry[2] += contract.agreed_quantity * gap
            entry[3] += contract.purchased_quantity * gap
            saved_agreed += contract.agreed_quantity * gap
            saved_purchased += contract.purchased_quantity * gap
            drops.append(1 - price / group.pre_vbp_price)
    return {
        "saved_at_agreed": round_money(saved_agreed),
        "saved_at_purchases": round_money(saved_purchased),
        "spent_at_agreed": round_money(spent_agreed),
        "spent_at_purchases": round_money(spent_purchased),
        "drop_vs_pre_vbp": (sum(drops) / len(drops)).quantize(Decimal("0.0001")) if drops else None,
        "groups": {
            code: [agreed, purchased, round_money(saved_agreed), round_money(saved_purchased)]
            for code, (agreed, purchased, saved_agreed, saved_purchased) in per_group.items()
        },
    }


prices = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("250"), places=4)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_savings_summed_by_the_database_equal_the_walk_over_every_agreement(contracted_round, data):  # noqa: F811
    contracts = list(Contract.objects.filter(round=contracted_round).select_related("group"))
    for group in {contract.group for contract in contracts}:
        group.pre_vbp_price = data.draw(st.none() | prices)
        group.save(update_fields=["pre_vbp_price"])
    for contract in contracts:
        contract.unit_price = data.draw(prices)
        contract.agreed_quantity = data.draw(st.integers(0, 10**9))
        contract.purchased_quantity = data.draw(st.integers(0, 10**9))
        contract.purchased_amount = data.draw(st.decimals(min_value=0, max_value=Decimal("1e12"), places=2))
    Contract.objects.bulk_update(
        contracts, ["unit_price", "agreed_quantity", "purchased_quantity", "purchased_amount"]
    )
    figures = selectors.round_savings(contracted_round)
    walked = _savings_walked(contracted_round)
    assert {key: figures[key] for key in walked if key != "groups"} == {
        k: v for k, v in walked.items() if k != "groups"
    }
    assert {
        entry["group"].code: [entry["agreed"], entry["purchased"], entry["saved_agreed"], entry["saved_purchased"]]
        for entry in figures["groups"]
    } == walked["groups"]
