"""Browser journeys of a tender round: a hospital reports demand by Excel, a supplier signs the commitment and
bids, an officer opens the bids and everyone sees the table."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from procurement.models import DemandReport, TenderRound
from tests.e2e.conftest import answer_confirmations, log_in
from tests.factories import PASSWORD, GroupFactory, ProductFactory, RoundFactory
from tests.procurement.conftest import move_to_opening, own

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hospital_reports_demand_by_excel(page, live_server, hospital_user, tmp_path):
    now = timezone.now()
    tender_round = RoundFactory(
        status="demand",
        demand_opens_at=now - timedelta(days=1),
        demand_closes_at=now + timedelta(days=1),
        bid_opens_at=now + timedelta(days=2),
        bid_closes_at=now + timedelta(days=3),
        opening_at=now + timedelta(days=3),
    )
    GroupFactory(round=tender_round, code="G01")
    GroupFactory(round=tender_round, code="G02", generic_name="恩替卡韦片")

    log_in(page, live_server, hospital_user.username, PASSWORD)
    page.goto(f"{live_server.url}/rounds/{tender_round.pk}/demand/")
    with page.expect_download() as download:
        page.get_by_test_id("demand-template").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    workbook = load_workbook(template)
    sheet = workbook.active
    assert [sheet.cell(row=row, column=1).value for row in (2, 3)] == ["G01", "G02"]
    sheet.cell(row=2, column=3).value = 12000
    sheet.cell(row=3, column=3).value = "lots"
    workbook.save(template)

    page.set_input_files("input[type=file]", str(template))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_test_id("upload-result")).to_be_visible()
    expect(page.locator("table")).to_contain_text("Annual quantity (smallest units)")
    assert not DemandReport.objects.exists()

    sheet.cell(row=3, column=3).value = 3500
    workbook.save(template)
    page.goto(f"{live_server.url}/rounds/{tender_round.pk}/demand/")
    page.set_input_files("input[type=file]", str(template))
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".message-success")).to_contain_text("2 groups reported")
    assert dict(DemandReport.objects.values_list("group__code", "quantity")) == {"G01": 12000, "G02": 3500}


def test_supplier_bids_and_officer_opens(
    page, live_server, browser, supplier_user, officer, hospital_user, caplog, monkeypatch
):
    # Every log line, the live server's access log included (on, as runserver logs requests), is read for the
    # typed price (issue 15, item 4).
    from django.core.servers.basehttp import WSGIRequestHandler
    from django.test.testcases import QuietWSGIRequestHandler

    monkeypatch.setattr(QuietWSGIRequestHandler, "log_message", WSGIRequestHandler.log_message)
    access_log = logging.getLogger("django.server")
    access_log.addHandler(caplog.handler)
    caplog.set_level(logging.DEBUG)
    tender_round = RoundFactory()
    group = GroupFactory(round=tender_round, code="G01")
    product = ProductFactory(holder=supplier_user.organisation, pack_size=14)
    group.eligible_products.add(product)

    log_in(page, live_server, supplier_user.username, PASSWORD)
    page.goto(f"{live_server.url}/rounds/{tender_round.pk}/bids/")
    page.get_by_role("button", name="Sign the credit commitment").click()
    page.get_by_label("I accept this commitment").check()
    page.get_by_role("button", name="Sign the commitment").click()
    expect(page.get_by_test_id("group-G01")).to_be_visible()
    form = page.get_by_test_id("group-G01")
    form.get_by_label("Product").select_option(str(product.pk))
    form.get_by_label("Price per pack (yuan)").fill("9.8014")
    expect(form.get_by_test_id("comparable-preview")).to_contain_text("0.7001")
    form.get_by_role("button", name="Submit the bid").click()
    expect(page.locator(".message-success")).to_contain_text("sealed")
    access_log.removeHandler(caplog.handler)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/preview/" in logged and "/bids/" in logged  # the access log was captured
    assert "9.8014" not in logged and "9%2E8014" not in logged.upper() and "0.7001" not in logged
    (version,) = own(tender_round, product.holder).all_versions()
    receipt = version.receipt_hash
    expect(page.get_by_test_id("receipt").first).to_have_text(receipt)

    # The bid window closes and the opening time comes.
    move_to_opening(tender_round)
    officer_context = browser.new_context(locale="en-US")
    request_finaliser = officer_context.close
    officer_page = officer_context.new_page()
    confirmations = answer_confirmations(officer_page)
    log_in(officer_page, live_server, officer.username, PASSWORD)
    officer_page.goto(f"{live_server.url}/rounds/{tender_round.pk}/")
    expect(officer_page.get_by_test_id("round-status")).to_have_text("Bids closed")
    officer_page.get_by_role("button", name="Open the bids").click()
    table = officer_page.get_by_test_id("opening-table")
    assert "Every sealed bid is decrypted" in confirmations[0]
    expect(table).to_contain_text("9.8014")
    expect(table).to_contain_text("0.7001")
    assert TenderRound.objects.get().status == "opened"

    page.goto(f"{live_server.url}/rounds/{tender_round.pk}/opening/?receipt={receipt}")
    expect(page.get_by_test_id("receipt-check")).to_contain_text("The opened content matches it.")
    request_finaliser()
