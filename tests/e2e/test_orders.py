"""Orders in the browser, on a laptop and on a phone: hospital1 starts an order for its pharmacy store, adds a
product with the distributor serving that county, sends it after confirming; distributor1 finds the line on its
workbench and confirms part of it with the reason for the rest."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import Organisation
from procurement.models import LineStatus, OrderLine, PurchaseOrder
from tests.e2e.conftest import log_in, open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Demo-pass-2026"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=None)


def test_a_hospital_orders_and_the_distributor_confirms_part(page, live_server, demo):
    log_in(page, live_server, "hospital1", PASSWORD)
    open_menu(page)
    page.get_by_role("link", name="Orders").first.click()
    page.get_by_test_id("order-new").click()
    page.select_option(
        "#id_address", label="药剂科库房 · " + Organisation.objects.get(users__username="hospital1").address
    )
    page.get_by_test_id("order-create").click()
    number = page.get_by_test_id("order-number").inner_text()
    control = page.locator("#id_offer-ts-control")
    page.locator("#id_offer + .ts-wrapper .ts-control").click()
    expect(control).to_be_focused()
    expect(page.locator("#id_offer + .ts-wrapper")).to_have_class(re.compile(r"\bdropdown-active\b"))
    product = OrderLine.objects.filter(order__buyer__users__username="hospital1").first().product
    page.keyboard.type(product.national_drug_code, delay=30)
    options = page.locator("#id_offer + .ts-wrapper .ts-dropdown .option")
    expect(options).to_have_count(1)
    page.keyboard.press("Enter")
    expect(page.locator("#id_offer")).to_have_value(re.compile(r"^\d+:\d+$"))
    page.fill("#id_quantity", "50")
    page.get_by_test_id("line-add").click()
    expect(page.get_by_test_id("order-line")).to_have_count(1)
    page.get_by_test_id("order-send").click()
    expect(page.get_by_test_id("order-status")).to_have_text("sent")
    assert any("Send the order?" in text for text in page.confirmations)
    line = OrderLine.objects.get(order__number=number)
    assert line.status == LineStatus.SENT and line.amount is not None

    page.context.clear_cookies()
    log_in(page, live_server, "distributor1", PASSWORD)
    task = page.get_by_test_id("task").filter(has_text=re.compile(r"Answer \d+ order line")).first
    expect(task).to_be_visible()
    task.locator(".task-title").click()
    page.get_by_role("link", name=number).click()
    page.get_by_test_id("line-answer").locator("summary").click()
    page.get_by_test_id("line-answer").locator("input[name=quantity]").fill("30")
    page.get_by_test_id("line-answer").locator("select[name=reason]").first.select_option("out_of_stock")
    page.get_by_test_id("line-confirm").click()
    expect(page.get_by_test_id("line-status")).to_have_text("confirmed")
    line.refresh_from_db()
    assert (line.status, line.confirmed_quantity, line.refusal_reason) == (LineStatus.CONFIRMED, 30, "out_of_stock")
    assert PurchaseOrder.objects.get(number=number).distributor.name == "湖南国康医药物流有限公司"
