"""Deliveries in the browser, on a laptop and on a phone: distributor1 finds the confirmed line on its workbench,
ships part of it with its batch, expiry and the manufacturer's invoice, and states the arrival; hospital1 receives
part of it with the reason for the rest and asks to return some; distributor1 approves the return."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from procurement.models import LineStatus, OrderLine, ReturnRequest, Shipment
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Demo-pass-2026"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=None)


def test_a_distributor_ships_and_the_hospital_receives_part_and_returns(page, live_server, demo):
    line = OrderLine.objects.get(
        status=LineStatus.CONFIRMED, order__buyer__users__username="hospital1", shipped_quantity=0
    )
    log_in(page, live_server, "distributor1", PASSWORD)
    task = page.get_by_test_id("task").filter(has_text="Ship 1 confirmed order line")
    expect(task).to_be_visible()
    task.locator(".task-title").click()
    page.get_by_role("link", name=line.order.number).click()
    page.get_by_test_id("order-ship").click()
    prefix = f"#id_line-{line.pk}"
    page.fill(f"{prefix}-quantity", "20")
    page.fill(f"{prefix}-batch_number", "E2E-2612")
    page.fill(
        f"{prefix}-expiry_date",
        (timezone.localdate().replace(day=1).replace(year=timezone.localdate().year + 2)).isoformat(),
    )
    page.fill(f"{prefix}-upstream_invoice", "FP-E2E-01")
    page.get_by_test_id("ship-submit").click()
    expect(page.get_by_test_id("shipment-status")).to_have_text("on its way")
    assert any("Dispatch this delivery note?" in text for text in page.confirmations)
    number = page.get_by_test_id("shipment-number").inner_text()
    page.get_by_test_id("shipment-arrive").click()
    expect(page.get_by_test_id("shipment-status")).to_have_text("arrived, awaiting receipt")

    page.context.clear_cookies()
    log_in(page, live_server, "hospital1", PASSWORD)
    task = page.get_by_test_id("task").filter(has_text="delivery note")
    expect(task).to_be_visible()
    task.locator(".task-title").click()
    page.get_by_role("link", name=number).click()
    receipt = page.get_by_test_id("line-receive")
    receipt.locator("input[name=received]").fill("18")
    receipt.locator("input[name=reason]").fill("两盒外包装压损")
    page.get_by_test_id("line-receive-submit").click()
    expect(page.get_by_test_id("line-received")).to_contain_text("18")
    expect(page.get_by_test_id("shipment-status")).to_have_text("received")
    page.get_by_test_id("line-return").locator("summary").click()
    page.get_by_test_id("line-return").locator("input[name=quantity]").fill("3")
    page.get_by_test_id("line-return").locator("input[name=reason]").fill("规格不符")
    page.get_by_test_id("line-return-submit").click()
    expect(page.get_by_test_id("return-status")).to_have_text("requested")

    page.context.clear_cookies()
    log_in(page, live_server, "distributor1", PASSWORD)
    page.goto(f"{live_server.url}/trading/returns/?status=requested")
    page.get_by_role("link", name=number).click()
    page.get_by_test_id("return-approve").click()
    expect(page.get_by_test_id("return-status")).to_have_text("approved")
    expect(page.get_by_test_id("line-returned")).to_have_text("3")

    shipment = Shipment.objects.get(number=number)
    assert shipment.status == "received"
    line.refresh_from_db()
    assert (line.status, line.shipped_quantity, line.received_quantity, line.returned_quantity) == (
        LineStatus.IN_DELIVERY, 18, 18, 3,
    )  # fmt: skip
    assert ReturnRequest.objects.get(shipment_line__shipment=shipment).status == "approved"


def test_the_officer_reads_the_trading_figures_drills_down_and_exports(page, live_server, demo):
    from accounts.models import Organisation
    from tests.e2e.conftest import open_menu

    hospital = Organisation.objects.get(users__username="hospital1")
    log_in(page, live_server, "officer", PASSWORD)
    open_menu(page)
    page.get_by_role("link", name="Trading figures").first.click()
    rows = page.get_by_test_id("figure-row")
    expect(rows.first).to_be_visible()
    rows.filter(has_text=hospital.region.name).get_by_role("link").click()
    expect(page.get_by_test_id("figure-filters")).to_be_visible()
    expect(page.get_by_test_id("figure-row").filter(has_text=hospital.name)).to_have_count(1)
    with page.expect_download() as download:
        page.get_by_test_id("figures-export").click()
    assert download.value.suggested_filename.startswith("trading-figures-")
