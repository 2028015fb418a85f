"""Credit measures enforced where the platform acts: bidding through the service, the API and the page; the
opening; listing and purchasing checks; the marks beside products; hospitals' risk notices."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from credit import services as credit_services
from credit.models import Measure
from credit.selectors import eligibility
from procurement import services
from procurement.exceptions import ProcurementError
from procurement.models import OpenedBid
from tests.credit.conftest import confirm, enter
from tests.factories import ProductFactory
from tests.procurement.conftest import move_to_opening, own

pytestmark = pytest.mark.django_db


def in_force_now():
    """Skip the 30-day rectification period: the measures take effect today."""
    Measure.objects.update(starts_on=timezone.localdate() - timedelta(days=1))


@pytest.fixture
def serious_case(credit_officer, supplier_org, product):
    """A serious record naming the supplier's bidding product: bidding, listing, delivery, purchase restricted."""
    record = confirm(credit_officer, enter(credit_officer, supplier_org, amount="400000", products=[product]))
    in_force_now()
    return record


def test_measure_waits_for_the_rectification_period(
    credit_officer, supplier_user, supplier_org, group, product, committed
):
    confirm(credit_officer, enter(credit_officer, supplier_org, amount="400000", products=[product]))
    services.bid_submit(actor=supplier_user, group=group, product=product, price="7")
    assert len(own(group.round, supplier_user).bids) == 1
    later = timezone.now() + timedelta(days=31)
    assert not eligibility.bidding_eligibility(
        supplier=supplier_org, tender_round=group.round, at=later, product=product
    ).allowed


def test_bid_with_the_product_in_the_case_is_refused_everywhere(
    serious_case, supplier_user, supplier_org, group, product, committed, api_for, client
):
    with pytest.raises(ProcurementError) as error:
        services.bid_submit(actor=supplier_user, group=group, product=product, price="7")
    assert error.value.code == "credit_restricted"
    assert serious_case.reference in str(error.value.message)
    api = api_for(supplier_user)
    response = api.post(
        "/api/v1/bids/", {"group": group.pk, "product": product.national_drug_code, "price": "7"}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "credit_restricted"
    client.force_login(supplier_user)
    page = client.post(
        reverse("procurement:round_bids", args=[group.round_id]),
        {
            "group": group.pk,
            f"g{group.pk}-product": product.pk,
            f"g{group.pk}-price": "7",
            f"g{group.pk}-idempotency_key": "p1",
        },
        follow=True,
    )
    assert "credit measure" in page.content.decode()
    assert not own(group.round, supplier_user).bids


def test_another_product_may_still_bid_but_particularly_serious_bars_all(
    credit_officer, supplier_user, supplier_org, group, product, committed
):
    other = ProductFactory(holder=supplier_org, strength_amount=product.strength_amount, pack_size=28)
    group.eligible_products.add(other)
    confirm(credit_officer, enter(credit_officer, supplier_org, amount="400000", products=[product]))
    in_force_now()
    services.bid_submit(actor=supplier_user, group=group, product=other, price="14")
    assert len(own(group.round, supplier_user).bids) == 1
    confirm(credit_officer, enter(credit_officer, supplier_org, amount="2500000", products=[product]))
    in_force_now()
    with pytest.raises(ProcurementError) as error:
        services.bid_submit(actor=supplier_user, group=group, product=other, price="13")
    assert error.value.code == "credit_restricted"


def test_repair_lifts_the_restriction(credit_officer, serious_case, supplier_user, group, product, committed):
    application = credit_services.repair_apply(
        actor=supplier_user,
        record=serious_case,
        steps=credit_services.repair_steps_for(serious_case),
        statement="Rectified",
        commitment_accepted=True,
    )
    credit_services.repair_decide(actor=credit_officer, application=application, approve=True, reason="Proven")
    services.bid_submit(actor=supplier_user, group=group, product=product, price="7")
    assert len(own(group.round, supplier_user).bids) == 1


def test_opening_voids_a_bid_barred_at_the_close(
    credit_officer, officer, supplier_user, supplier_org, group, product, committed, bidding_round
):
    services.bid_submit(actor=supplier_user, group=group, product=product, price="7")
    confirm(credit_officer, enter(credit_officer, supplier_org, amount="400000", products=[product]))
    in_force_now()
    services.round_open(actor=officer, tender_round=move_to_opening(bidding_round))
    assert OpenedBid.objects.get().invalid_reason == "credit_restricted"


def test_listing_purchase_and_delivery_checks(serious_case, supplier_org, product):
    other = ProductFactory(holder=supplier_org)
    for check in (eligibility.listing_eligibility, eligibility.purchase_eligibility, eligibility.delivery_eligibility):
        refused = check(supplier=supplier_org, product=product)
        assert not refused.allowed and serious_case.reference in refused.reasons[0]
        assert check(supplier=supplier_org, product=other).allowed


def test_products_are_marked_in_the_catalog_and_hospitals_see_the_risk_notice(
    serious_case, client, hospital_user, product, api_for
):
    client.force_login(hospital_user)
    listing = client.get(reverse("procurement:product_list")).content.decode()
    assert 'data-testid="risk-notice"' in listing and 'data-testid="purchase-suspended"' in listing
    detail = client.get(reverse("procurement:product_detail", args=[product.pk])).content.decode()
    assert 'data-testid="listing-suspended"' in detail
    notices = client.get(reverse("credit:risk_notices")).content.decode()
    assert product.holder.name in notices and product.national_drug_code in notices
    kinds = {m["kind"] for m in api_for(hospital_user).get("/api/v1/credit/measures/?in_force=1").json()["results"]}
    assert {"risk_notice", "restrict_purchase"} <= kinds


def test_no_measure_no_mark(client, hospital_user, product):
    client.force_login(hospital_user)
    assert 'data-testid="risk-notice"' not in client.get(reverse("procurement:product_list")).content.decode()
