"""The round API: same services and permissions as the pages."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEntry, Role
from procurement.models import BidVersion, DemandReport, TenderRound
from tests.factories import GroupFactory, RoundFactory, rule_set
from tests.procurement.conftest import move_to_opening, own
from tests.procurement.test_demand import xlsx

pytestmark = pytest.mark.django_db


def test_officer_sets_up_and_publishes_a_round(api_for, officer, product):
    api = api_for(officer)
    now = timezone.now()
    payload = {
        "code": "API-R1",
        "name": "API round",
        "scope": "drugs",
        "rule_set": rule_set().pk,
        "demand_opens_at": now.isoformat(),
        "demand_closes_at": (now + timedelta(days=5)).isoformat(),
        "bid_opens_at": (now + timedelta(days=6)).isoformat(),
        "bid_closes_at": (now + timedelta(days=8)).isoformat(),
        "opening_at": (now + timedelta(days=8)).isoformat(),
        "cycle_months": 24,
    }
    created = api.post("/api/v1/rounds/", payload, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["rule_set_code"], body["rule_set_version"], body["k_strength"]) == (
        "draft",
        "nvbp-1.8x",
        1,
        "1.700",
    )
    round_id = body["id"]
    refused = api.post(f"/api/v1/rounds/{round_id}/transition/", {"to_status": "demand"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "no_groups"
    group = api.post(
        f"/api/v1/groups/?round={round_id}",
        {
            "code": "G01",
            "generic_name": product.generic_name,
            "dosage_form": product.dosage_form,
            "qualifying_tiers": ["consistency_passed"],
            "reference_strength": "20",
            "reference_strength_unit": "mg",
            "reference_pack": 7,
            "smallest_unit": "tablet",
            "ceiling_price": "1.2",
            "eligible_products": [product.pk],
        },
        format="json",
    )
    assert group.status_code == 201, group.content
    published = api.post(f"/api/v1/rounds/{round_id}/transition/", {"to_status": "demand"}, format="json")
    assert published.json()["status"] == "demand"


def test_draft_rounds_are_hidden_from_suppliers_and_hospitals(api_for, supplier_user, hospital_user, officer):
    draft = RoundFactory(status="draft")
    published = RoundFactory(status="bidding")
    for user in (supplier_user, hospital_user):
        ids = [row["id"] for row in api_for(user).get("/api/v1/rounds/").json()["results"]]
        assert ids == [published.pk]
        assert api_for(user).get(f"/api/v1/rounds/{draft.pk}/").status_code == 404
    assert api_for(officer).get("/api/v1/rounds/").json()["count"] == 2


@pytest.mark.parametrize("role", [Role.SUPPLIER_USER, Role.HOSPITAL_USER, Role.CREDIT_OFFICER])
def test_only_officers_change_rounds(api_for, users, role):
    tender_round = RoundFactory(status="demand")
    api = api_for(users[role])
    assert (
        api.post(
            f"/api/v1/rounds/{tender_round.pk}/transition/", {"to_status": "cancelled", "reason": "x"}, format="json"
        ).status_code
        == 403
    )
    assert api.post(f"/api/v1/rounds/{tender_round.pk}/open/").status_code == 403
    assert api.patch(f"/api/v1/rounds/{tender_round.pk}/", {"name": "x"}, format="json").status_code == 403
    tender_round.refresh_from_db()
    assert tender_round.status == "demand"


def test_hospital_reports_demand_by_api_and_upload(api_for, hospital_user):
    now = timezone.now()
    tender_round = RoundFactory(
        status="demand",
        demand_opens_at=now - timedelta(days=1),
        demand_closes_at=now + timedelta(days=1),
        bid_opens_at=now + timedelta(days=2),
        bid_closes_at=now + timedelta(days=3),
        opening_at=now + timedelta(days=3),
    )
    group = GroupFactory(round=tender_round, code="G01")
    api = api_for(hospital_user)
    response = api.post("/api/v1/demand/", {"group": group.pk, "quantity": 300}, format="json")
    assert response.status_code == 201 and response.json()["quantity"] == 300
    bad = io.BytesIO(xlsx([["G01", "", "lots", ""]]))
    bad.name = "d.xlsx"
    rejected = api.post(f"/api/v1/rounds/{tender_round.pk}/demand-upload/", {"file": bad}, format="multipart")
    assert rejected.status_code == 400
    assert rejected.json()["errors"][0]["line"] == 2
    assert DemandReport.objects.get().quantity == 300
    good = io.BytesIO(xlsx([["G01", "", 450, ""]]))
    good.name = "d.xlsx"
    accepted = api.post(
        f"/api/v1/rounds/{tender_round.pk}/demand-upload/",
        {"file": good},
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="u1",
    )
    assert accepted.status_code == 201
    assert DemandReport.objects.get().quantity == 450
    assert api.get("/api/v1/demand/").json()["count"] == 1


def test_supplier_signs_bids_and_withdraws_by_api(api_for, supplier_user, group, product):
    api = api_for(supplier_user)
    no_commitment = api.post(
        "/api/v1/bids/", {"group": group.pk, "product": product.national_drug_code, "price": "7.5"}, format="json"
    )
    assert no_commitment.status_code == 400 and no_commitment.json()["code"] == "no_commitment"
    assert api.post("/api/v1/commitments/", {"round": group.round_id}, format="json").status_code == 201
    payload = {"group": group.pk, "product": product.national_drug_code, "price": "7.5", "capacity": 1000}
    first = api.post("/api/v1/bids/", payload, format="json", HTTP_IDEMPOTENCY_KEY="bid-1")
    replay = api.post("/api/v1/bids/", payload, format="json", HTTP_IDEMPOTENCY_KEY="bid-1")
    assert first.status_code == replay.status_code == 201
    assert first.json() == replay.json()
    assert "price" not in first.json() and len(first.json()["receipt_hash"]) == 64
    other = api.post("/api/v1/bids/", {**payload, "price": "7.4"}, format="json", HTTP_IDEMPOTENCY_KEY="bid-1")
    assert other.status_code == 422
    assert len(own(group.round, supplier_user).all_versions()) == 1 and not BidVersion.objects.exists()
    withdrawn = api.post("/api/v1/bids/withdraw/", {"group": group.pk}, format="json")
    assert withdrawn.status_code == 201 and withdrawn.json()["action"] == "withdraw"
    listed = api.get("/api/v1/bids/").json()["results"]
    assert [row["action"] for row in listed] == ["submit", "withdraw"]


def test_late_bid_by_api_is_refused_with_a_clear_message(api_for, supplier_user, group, product, committed):
    TenderRound.objects.filter(pk=group.round_id).update(bid_closes_at=timezone.now() - timedelta(seconds=1))
    response = api_for(supplier_user).post(
        "/api/v1/bids/", {"group": group.pk, "product": product.national_drug_code, "price": "7"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bid_window_closed"
    assert "closed at" in response.json()["detail"]


def test_other_suppliers_never_see_a_bid(api_for, supplier_user, other_supplier_user, group, product, committed):
    api_for(supplier_user).post(
        "/api/v1/bids/", {"group": group.pk, "product": product.national_drug_code, "price": "7"}, format="json"
    )
    assert api_for(other_supplier_user).get("/api/v1/bids/").json()["count"] == 0


def test_opening_by_api(api_for, officer, supplier_user, hospital_user, group, product, committed, bidding_round):
    api_for(supplier_user).post(
        "/api/v1/bids/", {"group": group.pk, "product": product.national_drug_code, "price": "7"}, format="json"
    )
    sealed = api_for(hospital_user).get(f"/api/v1/rounds/{bidding_round.pk}/opening-table/")
    assert sealed.status_code == 404
    move_to_opening(bidding_round)
    opened = api_for(officer).post(f"/api/v1/rounds/{bidding_round.pk}/open/")
    assert opened.status_code == 200 and opened.json()["status"] == "opened"
    table = api_for(hospital_user).get(f"/api/v1/rounds/{bidding_round.pk}/opening-table/").json()
    assert table["count"] == 1  # paginated, as documented
    assert [(row["pack_price"], row["comparable_price"], row["valid"]) for row in table["results"]] == [
        ("7.0000", "0.5000", True)
    ]
    assert AuditEntry.objects.filter(action="round.open").exists()


def test_demand_summary_for_officers(api_for, officer, hospital_user, other_hospital_org, group):
    DemandReport.objects.create(
        group=group, hospital=hospital_user.organisation, quantity=70, reported_by=hospital_user
    )
    summary = api_for(officer).get(f"/api/v1/rounds/{group.round_id}/demand-summary/").json()
    assert summary["groups"] == [{"code": group.code, "total": 70, "hospitals": 1}]
    assert summary["missing_hospitals"] == [other_hospital_org.code]
    assert api_for(hospital_user).get(f"/api/v1/rounds/{group.round_id}/demand-summary/").status_code == 403
