"""Browser journey after the award: the officer generates and confirms the agreements and reads the completion
dashboard; a hospital reports a purchase; the supplier records the shipment; the hospital confirms receipt and reads
its settlement page."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from procurement.models import Contract, Delivery, PurchaseLine, TenderRound
from procurement.services import award as award_services
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DEMO_PASSWORD = "Demo-pass-2026"


def test_agreements_purchases_deliveries_and_completion(page, live_server, browser):
    call_command("load_demo", stdout=None)
    officer = User.objects.get(username="officer")
    tender_round = TenderRound.objects.get(code="GY-2025-09")
    run = award_services.award_compute(actor=officer, tender_round=tender_round)
    for group in tender_round.groups.all():
        award_services.award_group_compute(run.pk, group.pk)
    run.refresh_from_db()
    award_services.award_publish(actor=officer, run=run)
    TenderRound.objects.filter(pk=tender_round.pk).update(cycle_starts_on=timezone.localdate() - timedelta(days=10))

    log_in(page, live_server, "officer", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/contracts/")
    page.get_by_test_id("generate-GY-2025-09").click()
    expect(page.locator(".message-success")).to_contain_text("purchase agreements generated")
    page.get_by_test_id("confirm-bulk").first.click()
    expect(page.locator(".message-success")).to_contain_text("agreements confirmed")
    assert [text.split(" of ")[0] for text in page.confirmations] == [
        "Generate the purchase agreements",
        "Confirm every pending agreement",
    ]
    page.goto(f"{live_server.url}/contracts/rounds/{tender_round.pk}/completion/")
    expect(page.get_by_test_id("alerts")).to_be_visible()
    page.locator("table a").first.click()
    expect(page.get_by_test_id("city-hospitals")).to_be_visible()

    contract = Contract.objects.filter(round=tender_round).select_related("hospital", "supplier", "product").first()
    hospital_user = User.objects.filter(organisation=contract.hospital).first()
    supplier_user = User.objects.filter(organisation=contract.supplier).first()
    hospital = browser.new_context(locale="en-US").new_page()
    log_in(hospital, live_server, hospital_user.username, DEMO_PASSWORD)
    hospital.goto(f"{live_server.url}/contracts/purchases/")
    ordered = (timezone.localdate() - timedelta(days=3)).isoformat()
    form = hospital.get_by_test_id("purchase-form")
    form.locator("#id_order_number").fill("WEB-1")
    form.locator("#id_ordered_on").fill(ordered)
    form.locator("#id_product").fill(contract.product.national_drug_code)
    form.locator("#id_quantity").fill("120")
    form.locator("#id_unit_price").fill(str(contract.unit_price))
    hospital.get_by_test_id("report-line").click()
    expect(hospital.get_by_test_id("upload-status")).to_contain_text("accepted")
    assert PurchaseLine.objects.filter(order_number="WEB-1", contract=contract).count() == 1

    supplier = browser.new_context(locale="en-US").new_page()
    log_in(supplier, live_server, supplier_user.username, DEMO_PASSWORD)
    supplier.goto(f"{live_server.url}/contracts/{contract.pk}/")
    delivery_form = supplier.get_by_test_id("delivery-form")
    delivery_form.locator("#id_order_number").fill("WEB-1")
    delivery_form.locator("#id_ordered_on").fill(ordered)
    delivery_form.locator("#id_shipped_on").fill((timezone.localdate() - timedelta(days=2)).isoformat())
    delivery_form.locator("#id_quantity").fill("120")
    supplier.get_by_test_id("ship").click()
    expect(supplier.get_by_test_id("deliveries")).to_contain_text("WEB-1")

    hospital.goto(f"{live_server.url}/contracts/{contract.pk}/")
    expect(hospital.get_by_test_id("completion")).to_contain_text("120 /")
    hospital.get_by_test_id("receive").click()
    expect(hospital.get_by_test_id("deliveries")).to_contain_text("on time")
    assert Delivery.objects.get(order_number="WEB-1").received_on == timezone.localdate()
    hospital.goto(f"{live_server.url}/contracts/settlement/")
    expect(hospital.get_by_test_id("prepayments").first).to_contain_text(contract.hospital.name)
