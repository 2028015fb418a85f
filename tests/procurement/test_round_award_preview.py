"""The round's award preview (what-if): engines on the opened bids and the demand; officers only; nothing stored."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import AuditEntry, Role, User
from procurement.exceptions import ProcurementError
from procurement.models import RuleSet, TenderRound
from procurement.services.award import round_award_preview

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened_round(db):
    call_command("load_demo", stdout=None)
    return TenderRound.objects.get(code="GY-2025-09")


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


def test_not_before_the_opening(db):
    call_command("load_demo", stdout=None)
    with pytest.raises(ProcurementError) as error:
        round_award_preview(tender_round=TenderRound.objects.get(code="GY-2026-01"))
    assert error.value.code == "not_opened"


@pytest.mark.parametrize(
    ("username", "status"), [("officer", 200), ("admin", 200), ("credit", 403), ("supplier1", 403), ("hospital1", 403)]
)
def test_page_and_api_permissions(client, opened_round, username, status):
    user = User.objects.get(username=username)
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
