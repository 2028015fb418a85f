"""The round's award preview (what-if): engines on the opened bids and the demand; officers only; nothing stored.
The world is made with the factories: a round of three groups, three suppliers bidding in each (one above the
ceiling), two hospitals reporting demand, opened by an officer."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import AuditEntry, Role
from procurement.exceptions import ProcurementError
from procurement.models import RuleSet, TenderRound
from procurement.services.award import round_award_preview
from tests.factories import (
    BidFactory,
    CreditOfficerFactory,
    DemandReportFactory,
    GroupFactory,
    HospitalFactory,
    HospitalUserFactory,
    OfficerFactory,
    ProductFactory,
    RoundFactory,
    SupplierUserFactory,
    UserFactory,
    open_round,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bidding_round(db):
    tender_round = RoundFactory()
    suppliers = [SupplierUserFactory() for _ in range(3)]
    hospitals = [HospitalFactory() for _ in range(2)]
    for code in ("G01", "G02", "G03"):
        group = GroupFactory(round=tender_round, code=code)
        for supplier, price in zip(suppliers, ("7.0000", "8.4000", "30.0000"), strict=True):
            product = ProductFactory(holder=supplier.organisation)
            if price == "30.0000":  # above the ceiling once sealed: the ceiling is lowered after the bid
                BidFactory(group=group, supplier_user=supplier, product=product, price="13.0000")
                type(group).objects.filter(pk=group.pk).update(ceiling_price=Decimal("0.9"))
            else:
                BidFactory(group=group, supplier_user=supplier, product=product, price=price)
        for hospital, quantity in zip(hospitals, (12000, 7000), strict=True):
            DemandReportFactory(group=group, hospital=hospital, quantity=quantity)
    return tender_round


@pytest.fixture
def opened_round(bidding_round):
    return open_round(bidding_round, OfficerFactory())


def test_preview_of_the_demo_round(opened_round):

    result = round_award_preview(tender_round=opened_round)
    assert (result["rule_set"], result["rule_set_version"]) == ("nvbp-1.8x", "1")
    assert [group["id"] for group in result["groups"]] == ["G01", "G02", "G03"]
    for group in result["groups"]:
        opened = opened_round.opened_bids.filter(group__code=group["id"])
        assert group["bidders"] == opened.count()
        winners = [bid for bid in group["bids"] if bid["won"]]
        assert len(winners) <= group["max_winners"]
        ceiling = opened_round.groups.get(code=group["id"]).ceiling_price
        assert all(Decimal(bid["comparable"]) <= ceiling for bid in winners)
        allocated = sum(line["quantity"] for line in group["allocations"])
        allocated += sum(item["quantity"] for item in group.get("unallocated", []))
        assert allocated == group["agreed_total"]


def test_what_if_with_another_rule_set_touches_nothing(opened_round):
    before = (AuditEntry.objects.count(), TenderRound.objects.get(pk=opened_round.pk).status)
    anchor = RuleSet.objects.get(code="nvbp-anchor")
    result = round_award_preview(tender_round=opened_round, rule_set=anchor)
    assert result["rule_set"] == "nvbp-anchor"
    assert all("anchor" in group for group in result["groups"] if group["valid_bidders"])
    assert (AuditEntry.objects.count(), TenderRound.objects.get(pk=opened_round.pk).status) == before


def test_not_before_the_opening(bidding_round):
    with pytest.raises(ProcurementError) as error:
        round_award_preview(tender_round=bidding_round)
    assert error.value.code == "not_opened"


ROLE_FACTORIES = {
    "officer": OfficerFactory,
    "admin": lambda: UserFactory(role=Role.ADMINISTRATOR),
    "credit": CreditOfficerFactory,
    "supplier": SupplierUserFactory,
    "hospital": HospitalUserFactory,
}


@pytest.mark.parametrize(
    ("role", "status"), [("officer", 200), ("admin", 200), ("credit", 403), ("supplier", 403), ("hospital", 403)]
)
def test_page_and_api_permissions(client, settings, opened_round, role, status):
    settings.SECOND_FACTOR_REQUIRED = False
    user = ROLE_FACTORIES[role]()
    client.force_login(user)
    page = client.get(reverse("procurement:round_award_preview", args=[opened_round.pk]))
    assert page.status_code == status
    api = client.get(f"/api/v1/rounds/{opened_round.pk}/award-preview/")
    assert api.status_code == status
    if status == 200:
        assert 'data-testid="preview-G01"' in page.content.decode()
        assert api.json()["groups"][0]["id"] == "G01"
    if user.role == Role.SUPPLIER_USER:
        assert "preview-G01" not in page.content.decode()
