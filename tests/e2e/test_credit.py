"""Browser journey of the credit rating: the officer enters a penalty, the supplier defends, the officer upholds,
the quarter run re-rates, a hospital sees the risk notice, the supplier repairs and the officer approves."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from credit.models import CreditRecord, Measure, RatingSnapshot
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_penalty_defence_uphold_quarter_risk_notice_repair(
    page, live_server, browser, credit_officer, supplier_user, hospital_user, supplier_org
):
    product = ProductFactory(holder=supplier_org)
    log_in(page, live_server, credit_officer.username, PASSWORD)
    page.goto(f"{live_server.url}/credit/records/new/")
    page.select_option("#id_supplier", str(supplier_org.pk))
    page.select_option("#id_item", "kickback")
    page.select_option("#id_source", "administrative_penalty")
    page.fill("#id_document_number", "湘医保罚〔2026〕21号")
    page.fill("#id_occurred_on", "2026-06-01")
    page.fill("#id_amount", "150000")
    page.select_option("#id_products", str(product.pk))
    page.get_by_test_id("save-record").click()
    expect(page.get_by_test_id("record-status")).to_contain_text("notice served")
    record = CreditRecord.objects.get()

    supplier = browser.new_context(locale="en-US").new_page()
    log_in(supplier, live_server, supplier_user.username, PASSWORD)
    supplier.goto(f"{live_server.url}/credit/records/{record.pk}/")
    expect(supplier.get_by_test_id("defence-due")).to_be_visible()
    supplier.fill("#id_statement", "The payment was a sponsorship of a medical conference.")
    supplier.get_by_test_id("file-defence").click()
    expect(supplier.get_by_test_id("defence")).to_contain_text("sponsorship")

    page.goto(f"{live_server.url}/credit/review/")
    page.get_by_role("link", name=record.reference).first.click()
    page.select_option("#id_decision", "upheld")
    page.fill("#id_reason", "No conference took place on that date.")
    page.get_by_test_id("decide").click()
    expect(page.get_by_test_id("record-status")).to_contain_text("confirmed")

    # Thirty days on: the rectification period is over when the quarter is run.
    CreditRecord.objects.filter(pk=record.pk).update(confirmed_on=timezone.localdate() - timedelta(days=31))
    page.goto(f"{live_server.url}/credit/runs/")
    page.fill("#id_as_of", timezone.localdate().isoformat())
    page.get_by_test_id("start-run").click()
    expect(page.get_by_test_id("run-progress")).to_contain_text("done")
    assert Measure.objects.in_force().filter(supplier=supplier_org, kind="risk_notice").exists()

    hospital = browser.new_context(locale="en-US").new_page()
    log_in(hospital, live_server, hospital_user.username, PASSWORD)
    hospital.goto(f"{live_server.url}/catalog/products/")
    expect(hospital.get_by_test_id("risk-notice").first).to_be_visible()
    hospital.goto(f"{live_server.url}/credit/")
    expect(hospital.get_by_test_id("risk-notices")).to_contain_text(supplier_org.name)

    supplier.goto(f"{live_server.url}/credit/")
    expect(supplier.get_by_test_id("level")).to_contain_text("medium")
    expect(supplier.get_by_test_id("explanation")).to_contain_text("single payment 100,000 to under 300,000")
    supplier.get_by_test_id("acknowledge").click()
    supplier.goto(f"{live_server.url}/credit/records/{record.pk}/")
    supplier.get_by_test_id("apply-repair").click()
    for box in supplier.locator("input[name=steps]").all():
        box.check()
    supplier.fill("#id_statement", "Staff dismissed, payments recovered, apology published.")
    supplier.check("#id_commitment_accepted")
    supplier.get_by_test_id("submit-repair").click()
    expect(supplier.get_by_test_id("repairs")).to_contain_text("submitted")

    page.goto(f"{live_server.url}/credit/records/{record.pk}/")
    page.fill("input[name=reason]", "Rectification verified on site.")
    page.get_by_test_id("approve-repair").click()
    expect(page.get_by_test_id("repairs")).to_contain_text("approved")
    assert "An approval clears the record from today" in page.confirmations[-1]
    assert RatingSnapshot.objects.get(supplier=supplier_org, as_of=timezone.localdate()).level == "none"
    hospital.goto(f"{live_server.url}/credit/")
    expect(hospital.get_by_test_id("risk-notices")).not_to_contain_text(supplier_org.name)
