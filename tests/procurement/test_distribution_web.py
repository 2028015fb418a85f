"""Distribution relations in the browser's pages and through the API: the manufacturer's form (draft or proposal),
the distributor's answer, revocation, the officer's bulk revocation, idempotent creation, clear 400s for bad input
and the distributor's workbench task."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from procurement.models import DistributionRelation, RelationStatus
from procurement.services import distribution as services
from tests.factories import CountyFactory, DistributorFactory, ListingFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(supplier_user, supplier_org):
    product = ProductFactory(holder=supplier_org)
    ListingFactory(product=product)
    distributor = DistributorFactory()
    return {
        "product": product,
        "county": CountyFactory(),
        "distributor": distributor,
        "distributor_user": UserFactory(role=Role.DISTRIBUTOR_USER, organisation=distributor),
    }


def form_data(world, **extra):
    return {
        "product": world["product"].pk,
        "area": world["county"].pk,
        "distributor": world["distributor"].pk,
        "valid_from": timezone.localdate().isoformat(),
        "letter_reference": "SQ-2026-001",
        "action": "propose",
    } | extra


def test_the_manufacturer_proposes_and_the_distributor_accepts_in_the_browser(client, supplier_user, world):
    client.force_login(supplier_user)
    page = client.get("/trading/relations/new/")
    assert page.status_code == 200 and world["county"].name in page.content.decode()
    answer = client.post("/trading/relations/new/", form_data(world))
    relation = DistributionRelation.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/trading/relations/{relation.pk}/"
    assert relation.status == RelationStatus.PROPOSED
    client.force_login(world["distributor_user"])
    home = client.get("/").content.decode()
    assert "Answer 1 proposed distribution relation" in home
    detail = client.get(f"/trading/relations/{relation.pk}/").content.decode()
    assert 'data-testid="relation-accept"' in detail and world["product"].generic_name in detail
    client.post(f"/trading/relations/{relation.pk}/accept/")
    relation.refresh_from_db()
    assert relation.status == RelationStatus.ACCEPTED
    assert "Answer 1 proposed" not in client.get("/").content.decode()
    listed = client.get("/trading/relations/?status=accepted").content.decode()
    assert world["distributor"].name in listed


def test_a_draft_then_a_bad_form_keeps_what_was_typed(client, supplier_user, world):
    client.force_login(supplier_user)
    client.post("/trading/relations/new/", form_data(world, action="draft"))
    assert DistributionRelation.objects.get().status == RelationStatus.DRAFT
    past = (timezone.localdate() - timedelta(days=3)).isoformat()
    answer = client.post("/trading/relations/new/", form_data(world, valid_from=past, letter_reference="SQ-KEEP"))
    assert answer.status_code == 200
    body = answer.content.decode()
    assert "cannot start in the past" in body and "SQ-KEEP" in body
    assert DistributionRelation.objects.count() == 1
    answer = client.post("/trading/relations/new/", form_data(world, product="abc", area="99999999"))
    assert answer.status_code == 200 and DistributionRelation.objects.count() == 1


def test_refusal_and_revocation_in_the_browser(client, supplier_user, world):
    relation = services.relation_create(actor=supplier_user, **{k: v for k, v in _values(world).items()})
    client.force_login(world["distributor_user"])
    client.post(f"/trading/relations/{relation.pk}/refuse/", {"reason": "other", "text": ""})
    relation.refresh_from_db()
    assert relation.status == RelationStatus.PROPOSED  # "other" needs its explanation
    client.post(f"/trading/relations/{relation.pk}/refuse/", {"reason": "no_capacity", "text": "库存不足"})
    relation.refresh_from_db()
    assert (relation.status, relation.refusal_text) == (RelationStatus.REFUSED, "库存不足")
    second = services.relation_create(actor=supplier_user, **_values(world))
    services.relation_accept(actor=world["distributor_user"], relation=second)
    client.force_login(supplier_user)
    client.post(f"/trading/relations/{second.pk}/revoke/", {"from_day": "not a day", "reason": "x"})
    second.refresh_from_db()
    assert second.status == RelationStatus.ACCEPTED
    client.post(
        f"/trading/relations/{second.pk}/revoke/", {"from_day": timezone.localdate().isoformat(), "reason": "停产"}
    )
    second.refresh_from_db()
    assert second.status == RelationStatus.REVOKED and second.revocation_reason == "停产"
    history = client.get(f"/trading/relations/{second.pk}/").content.decode()
    assert "distribution relation revoked" in history


def _values(world):
    return {
        "product": world["product"],
        "area": world["county"],
        "distributor": world["distributor"],
        "valid_from": timezone.localdate(),
        "letter_reference": "SQ-1",
    }


def test_officers_revoke_ticked_relations(client, officer, supplier_user, world):
    relation = services.relation_create(actor=supplier_user, **_values(world))
    services.relation_accept(actor=world["distributor_user"], relation=relation)
    client.force_login(officer)
    assert 'name="relation"' in client.get("/trading/relations/").content.decode()
    answer = client.post("/trading/relations/revoke/", {"relation": ["x1"], "from_day": "2030-01-01", "reason": "r"})
    assert answer.status_code == 400
    relation.refresh_from_db()
    assert relation.status == RelationStatus.ACCEPTED
    today = timezone.localdate().isoformat()
    client.post("/trading/relations/revoke/", {"relation": [relation.pk], "from_day": today, "reason": "资质撤销"})
    relation.refresh_from_db()
    assert relation.status == RelationStatus.REVOKED and relation.revoked_by == officer


def test_the_api_creates_once_per_idempotency_key(api_for, supplier_user, world):
    api = api_for(supplier_user)
    body = {
        "product": world["product"].pk,
        "area": world["county"].pk,
        "distributor": world["distributor"].pk,
        "valid_from": timezone.localdate().isoformat(),
        "letter_reference": "SQ-API",
    }
    first = api.post("/api/v1/distribution-relations/", body, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "proposed" and first.json()["delventpCode"] == world["distributor"].code
    again = api.post("/api/v1/distribution-relations/", body, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    other = api.post(
        "/api/v1/distribution-relations/", body | {"valid_to": "2099-01-01"}, format="json", HTTP_IDEMPOTENCY_KEY="abc"
    )
    assert other.status_code == 422
    assert DistributionRelation.objects.count() == 1


@pytest.mark.parametrize(
    "bad",
    [
        {"product": "x"},
        {"valid_from": "2026-02-30"},
        {"area": 10**12},
        {"letter_reference": ""},
        {"distributor": None},
        {"propose": "maybe"},
    ],
)
def test_bad_api_input_is_a_400_that_stores_nothing(api_for, supplier_user, world, bad):
    body = {
        "product": world["product"].pk,
        "area": world["county"].pk,
        "distributor": world["distributor"].pk,
        "valid_from": timezone.localdate().isoformat(),
        "letter_reference": "SQ-API",
    } | bad
    answer = api_for(supplier_user).post("/api/v1/distribution-relations/", body, format="json")
    assert answer.status_code == 400, answer.content
    assert not DistributionRelation.objects.exists()


def test_the_api_answers_and_revokes(api_for, supplier_user, officer, world):
    relation = services.relation_create(actor=supplier_user, **_values(world))
    distributor_api = api_for(world["distributor_user"])
    refused = distributor_api.post(
        f"/api/v1/distribution-relations/{relation.pk}/refuse/", {"reason": "bad"}, format="json"
    )
    assert refused.status_code == 400
    accepted = distributor_api.post(f"/api/v1/distribution-relations/{relation.pk}/accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    listed = distributor_api.get("/api/v1/distribution-relations/?status=accepted").json()
    assert [row["id"] for row in listed["results"]] == [relation.pk]
    bulk = api_for(officer).post(
        "/api/v1/distribution-relations/revoke/",
        {"relations": [relation.pk], "from_day": timezone.localdate().isoformat(), "reason": "资质撤销"},
        format="json",
    )
    assert bulk.status_code == 200 and bulk.json() == {"revoked": 1}
    relation.refresh_from_db()
    assert relation.status == RelationStatus.REVOKED
    rule_sets = api_for(world["distributor_user"]).get("/api/v1/trading-rule-sets/").json()["results"]
    assert {row["code"] for row in rule_sets} >= {"trade-hunan-2025", "trade-shandong-2024"}
