"""What the schema fuzzing with all its checks found (docs/trust.md §4), each as a plain regression test: the API
answers what its schema says, in JSON, and refuses what the schema does not allow."""

import pytest
import yaml

from tests.factories import RoundFactory

pytestmark = pytest.mark.django_db


def test_a_non_numeric_id_is_a_404_not_a_server_error(api_for, officer):
    RoundFactory()
    api = api_for(officer)
    for url in ("/api/v1/completion/abc/", "/api/v1/savings/abc/", "/api/v1/completion/1.5e3/"):
        response = api.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json"


def test_errors_under_the_api_are_json(api_for, officer, client):
    response = api_for(officer).get("/api/v1/no-such-thing/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    response = api_for(officer).get("/api/v1/organisations/?q=a%00b")
    assert response.status_code == 400 and response.json()["code"] == "null_character"
    # The pages keep their HTML error pages.
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/organisations/?is_active=",
        "/api/v1/organisations/?is_active=maybe",
        "/api/v1/organisations/?kind=",
        "/api/v1/products/?quality_tier=",
        "/api/v1/credit/measures/?in_force=yes",
        "/api/v1/organisations/?page=last",
        "/api/v1/organisations/?page=0",
        "/api/v1/bids/?bid__round=",
        "/api/v1/bids/?page=last",
        "/api/v1/commitments/?page=x",
        "/api/v1/credit/ratings/?current=yes",
    ],
)
def test_a_query_value_the_schema_does_not_allow_is_refused(api_for, officer, supplier_user, url):
    user = supplier_user if "/bids/" in url else officer
    response = api_for(user).get(url)
    assert response.status_code == 400, url
    assert response.json()["code"] == "invalid_parameter"


def test_allowed_query_values_still_filter(api_for, officer, supplier_org, hospital_org):
    api = api_for(officer)
    assert api.get("/api/v1/organisations/?is_active=true&page=1").status_code == 200
    assert api.get("/api/v1/credit/measures/?in_force=false").status_code == 200
    kinds = {row["kind"] for row in api.get("/api/v1/organisations/?kind=hospital").json()["results"]}
    assert kinds == {"hospital"}


def test_dates_only_in_the_documented_form(api_for, credit_officer):
    response = api_for(credit_officer).post("/api/v1/credit/runs/", {"as_of": "20260101"}, format="json")
    assert response.status_code == 400 and "as_of" in response.json()


def test_bodies_are_json_and_uploads_multipart(api_for, supplier_user, hospital_user):
    # DRF reads a form body it has no parser for as empty: refused, nothing taken from it.
    form = api_for(supplier_user).post("/api/v1/bids/", {"group": 1, "price": "1"}, format="multipart")
    assert form.status_code == 400 and set(form.json()) == {"group", "product", "price"}
    round_ = RoundFactory(status="demand")
    upload = api_for(hospital_user).post(f"/api/v1/rounds/{round_.pk}/demand-upload/", {"file": "x"}, format="json")
    assert upload.status_code == 415


def test_token_refusals_carry_a_code(client, supplier_user):
    wrong = client.post("/api/v1/auth/token/", {"username": supplier_user.username, "password": "not it"})
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid_credentials"
    unreadable = client.post("/api/v1/auth/token/", "{", content_type="application/json")
    assert unreadable.status_code == 400 and unreadable.json()["code"] == "parse_error"


def test_every_operation_documents_its_errors_and_decimals_need_a_digit(api_for, officer):
    schema = yaml.safe_load(api_for(officer).get("/api/schema/").content)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            assert {"400", "401", "403", "404"} <= documented, (method, path)
            if method in ("post", "put", "patch", "delete"):
                assert {"409", "413", "415", "422"} <= documented, (method, path)
    price = schema["components"]["schemas"]["BidInputRequest"]["properties"]["price"]["pattern"]
    import re

    assert not re.match(price, "") and not re.match(price, "0") and not re.match(price, "-1")
    assert re.match(price, "0.0001") and re.match(price, "9999999999.9999")


def test_text_must_come_as_text():
    from pricing.api.views import ReasonSerializer

    assert not ReasonSerializer(data={"reason": 5}).is_valid()
    assert ReasonSerializer(data={"reason": "price above the cap"}).is_valid()


def test_every_text_field_takes_only_text_and_says_so(api_for, officer):
    """Found at 100 examples as the supplier and the administrator: a price-warning answer or a credit record's
    revocation reason sent as a number was taken; text of spaces only and an empty required list were refused by
    validation although the schema allowed them."""
    from credit.api.serializers import ReasonInputSerializer
    from pricing.api.views import TextSerializer
    from procurement.api.serializers.contracts import DeliverySerializer, PurchaseLineInputSerializer

    assert not TextSerializer(data={"text": 12}).is_valid()
    assert not ReasonInputSerializer(data={"reason": 1.5}).is_valid()
    delivery = DeliverySerializer(data={"order_number": 7})
    assert not delivery.is_valid() and "order_number" in delivery.errors
    # A purchase row's quantity and price may be text or a JSON number, as documented.
    row = {"order_number": "A-1", "ordered_on": "2026-11-01", "product": "X", "quantity": 3, "unit_price": "1.5"}
    parsed = PurchaseLineInputSerializer(data=row)
    assert parsed.is_valid() and parsed.validated_data["quantity"] == "3"
    assert not PurchaseLineInputSerializer(data={**row, "quantity": True}).is_valid()
    schema = yaml.safe_load(api_for(officer).get("/api/schema/").content)["components"]["schemas"]
    assert schema["DeliveryRequest"]["properties"]["order_number"]["pattern"] == r"\S"
    assert schema["GroupRequest"]["properties"]["eligible_products"]["minItems"] == 1
    assert schema["GroupRequest"]["properties"]["spec_ceilings"]["maxItems"] == 20
    assert {"type": "number"} in schema["PurchaseLineInputRequest"]["properties"]["quantity"]["oneOf"]


def test_a_body_that_is_not_an_object_is_refused_not_a_server_error(api_for, officer):
    """Found at 100 examples as the administrator: a JSON array posted to create a group without ?round= was a 500."""
    response = api_for(officer).post("/api/v1/groups/", [1, 2], format="json")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"


def test_lists_of_an_object_are_paginated_as_documented(api_for, credit_officer, officer):
    """Found at 100 examples as the credit officer: a listing's history (and a round's opening table) answered a
    bare array where the schema documents a page."""
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    from pricing.models import Listing
    from procurement.models import TenderRound

    listing = Listing.objects.filter(changes__isnull=False).first()
    history = api_for(credit_officer).get(f"/api/v1/listings/{listing.pk}/history/").json()
    assert set(history) >= {"count", "results"} and history["count"] == listing.changes.count()
    opened = TenderRound.objects.get(code="GY-2025-09")
    table = api_for(officer).get(f"/api/v1/rounds/{opened.pk}/opening-table/").json()
    assert table["count"] == opened.opened_bids.count() and len(table["results"]) == min(table["count"], 50)
