"""Browser journey of price governance: a supplier applies to list, the officer approves, an approved price rise
opens a warning, the officer sends an inquiry letter and the supplier answers it."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from pricing.models import Listing, PriceWarning
from procurement.models import Product
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Demo-pass-2026"


def test_listing_price_rise_warning_and_inquiry(page, live_server, browser):
    call_command("load_demo", stdout=None)
    supplier_user = User.objects.get(username="supplier2")
    product = Product.objects.create(
        national_drug_code="E2E-LIST-1",
        generic_name="头孢克肟胶囊",
        dosage_form="胶囊剂",
        strength_amount=Decimal("100"),
        strength_unit="mg",
        pack_size=6,
        smallest_unit="capsule",
        quality_tier="consistency_passed",
        holder=supplier_user.organisation,
    )
    supplier = browser.new_context(locale="en-US").new_page()
    log_in(supplier, live_server, "supplier2", PASSWORD)
    supplier.goto(f"{live_server.url}/pricing/")
    supplier.select_option("select[name=product]", str(product.pk))
    supplier.get_by_test_id("listing-price").fill("1.5000")
    supplier.get_by_test_id("apply-listing").click()
    expect(supplier.get_by_test_id("my-listings")).to_contain_text("waiting for review")
    listing = Listing.objects.get(product=product)

    log_in(page, live_server, "officer", PASSWORD)
    page.goto(f"{live_server.url}/pricing/listings/{listing.pk}/")
    page.get_by_test_id("review-reason").fill("Cost file checked")
    page.get_by_test_id("approve-listing").click()
    expect(page.get_by_test_id("listing-status")).to_contain_text("listed")

    supplier.goto(f"{live_server.url}/pricing/listings/{listing.pk}/")
    supplier.get_by_test_id("new-price").fill("1.8000")
    supplier.get_by_test_id("price-reason").fill("Raw material prices doubled")
    supplier.get_by_test_id("request-price").click()

    page.goto(f"{live_server.url}/pricing/listings/{listing.pk}/")
    page.get_by_test_id("price-review-reason").fill("Approved under watch")
    page.get_by_test_id("approve-price").click()
    expect(page.locator(".message-warning")).to_contain_text("price rise above the threshold")
    warning = PriceWarning.objects.get(product=product, kind="price_rise")
    page.goto(f"{live_server.url}/pricing/warnings/{warning.pk}/")
    page.get_by_test_id("inquiry-text").fill("Explain the 20 % rise within ten days.")
    page.get_by_test_id("send-inquiry").click()
    expect(page.get_by_test_id("warning-status")).to_contain_text("inquiry letter sent")

    supplier.goto(f"{live_server.url}/pricing/")
    supplier.get_by_test_id("my-warnings").get_by_role("link").first.click()
    supplier.get_by_test_id("answer-text").fill("The API supplier raised prices; invoices attached.")
    supplier.get_by_test_id("send-answer").click()
    expect(supplier.get_by_test_id("answer")).to_contain_text("invoices attached")
    warning.refresh_from_db()
    assert warning.status == "answered"
