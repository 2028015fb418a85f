"""Pricing pages and API per role: listed prices for everyone signed in, applications and answers for suppliers,
reviews and workflow for officers, savings for the authority, exposures in public."""

from decimal import Decimal

import pytest
from django.urls import reverse

from pricing.models import Listing, PriceWarning
from procurement.models import Product
from tests.procurement.test_contracts import awarded_round, contracted_round, user  # noqa: F401

pytestmark = pytest.mark.django_db


def product_of(supplier_user, code="API-NONVBP"):
    return Product.objects.create(
        national_drug_code=code,
        generic_name="头孢克肟胶囊",
        dosage_form="胶囊剂",
        strength_amount=Decimal("100"),
        strength_unit="mg",
        pack_size=6,
        smallest_unit="capsule",
        quality_tier="consistency_passed",
        holder=supplier_user.organisation,
    )


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("pricing:home", {"officer", "credit", "admin", "supplier1", "hospital1"}),
        ("pricing:standards", {"officer", "credit", "admin", "supplier1", "hospital1"}),
        ("pricing:savings", {"officer", "credit", "admin"}),
    ],
)
def test_page_permissions(client, contracted_round, name, allowed):  # noqa: F811
    for username in ("officer", "credit", "admin", "supplier1", "hospital1"):
        client.force_login(user(username))
        assert (client.get(reverse(name)).status_code == 200) == (username in allowed), username
    client.logout()
    assert client.get(reverse("pricing:exposures")).status_code == 200


def test_apply_review_change_and_warning_through_the_pages(client, contracted_round):  # noqa: F811
    supplier = user("supplier1")
    product = product_of(supplier)
    client.force_login(supplier)
    client.post(reverse("pricing:listing_apply"), {"product": product.pk, "price": "1.0000", "reason": "cost"})
    listing = Listing.objects.get(product=product)
    client.force_login(user("hospital1"))
    assert client.get(reverse("pricing:listing_detail", args=[listing.pk])).status_code == 404  # not listed yet
    client.force_login(user("officer"))
    client.post(reverse("pricing:listing_review", args=[listing.pk]), {"approve": "1", "reason": "ok"})
    client.force_login(supplier)
    client.post(reverse("pricing:listing_price_request", args=[listing.pk]), {"price": "1.2000", "reason": "API"})
    change = listing.changes.get(pending=True)
    client.force_login(user("officer"))
    client.post(reverse("pricing:listing_price_review", args=[change.pk]), {"approve": "1", "reason": "ok"})
    warning = PriceWarning.objects.get(kind="price_rise", product=product)
    client.post(reverse("pricing:warning_act", args=[warning.pk]), {"step": "inquire", "text": "Explain"})
    other = user("supplier2")
    client.force_login(other)
    assert client.get(reverse("pricing:warning_detail", args=[warning.pk])).status_code == 404
    client.force_login(supplier)
    client.post(reverse("pricing:warning_act", args=[warning.pk]), {"step": "answer", "text": "Costs rose"})
    warning.refresh_from_db()
    assert (warning.status, warning.response_text) == ("answered", "Costs rose")
    client.force_login(user("officer"))
    client.post(
        reverse("pricing:warning_act", args=[warning.pk]),
        {"step": "close", "outcome": "exposed", "text": "Unjustified"},
    )
    client.logout()
    assert supplier.organisation.name in client.get(reverse("pricing:exposures")).content.decode()


def test_api_listing_flow_and_scopes(api_for, contracted_round):  # noqa: F811
    supplier = user("supplier1")
    product = product_of(supplier, "API-2")
    created = api_for(supplier).post("/api/v1/listings/", {"product": product.pk, "price": "2.0000"}, format="json")
    assert created.status_code == 201, created.content
    listing_id = created.json()["id"]
    hospital = api_for(user("hospital1"))
    assert hospital.get(f"/api/v1/listings/{listing_id}/").status_code == 404
    assert hospital.post("/api/v1/listings/", {"product": product.pk, "price": "1"}, format="json").status_code == 403
    officer = api_for(user("officer"))
    assert (
        officer.post(
            f"/api/v1/listings/{listing_id}/review/", {"approve": True, "reason": "ok"}, format="json"
        ).json()["status"]
        == "listed"
    )
    assert hospital.get(f"/api/v1/listings/{listing_id}/").status_code == 200
    change = api_for(supplier).post(
        f"/api/v1/listings/{listing_id}/price/", {"price": "3.0000", "reason": "x"}, format="json"
    )
    reviewed = officer.post(
        f"/api/v1/listings/changes/{change.json()['id']}/review/", {"approve": True, "reason": "ok"}, format="json"
    )
    assert [w["kind"] for w in reviewed.json()["warnings"]] == ["price_rise"]
    warning_id = reviewed.json()["warnings"][0]["id"]
    assert api_for(user("supplier2")).get(f"/api/v1/price-warnings/{warning_id}/").status_code == 404
    assert (
        officer.post(f"/api/v1/price-warnings/{warning_id}/inquire/", {"text": "Why?"}, format="json").status_code
        == 200
    )
    answered = api_for(supplier).post(
        f"/api/v1/price-warnings/{warning_id}/answer/", {"text": "Because"}, format="json"
    )
    assert answered.json()["status"] == "answered"
    assert len(hospital.get("/api/v1/payment-standards/").json()["results"]) > 0
    assert officer.get(f"/api/v1/savings/{contracted_round.pk}/").status_code == 200
    assert hospital.get(f"/api/v1/savings/{contracted_round.pk}/").status_code == 403
