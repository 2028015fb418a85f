"""Distribution relations in the browser, on a laptop and on a phone: a manufacturer proposes one from the form with
its pickers, the distributor finds it on its workbench and accepts it after confirming, and the manufacturer sees it
in force; a refusal carries its reason back."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import Organisation, Region, User
from procurement.models import DistributionRelation, RelationStatus
from tests.e2e.conftest import log_in, open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Demo-pass-2026"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=None)


def _pick(page, field, text):
    """Choose in a searchable picker (Tom Select over the select) from the keyboard, as a clerk filling the form
    does: type part of the option's text, Enter on the only match, Tab to the next field."""
    control = page.locator(f"#id_{field}-ts-control")
    if not control.evaluate("element => element === document.activeElement"):
        page.locator(f"#id_{field} + .ts-wrapper .ts-control").click()
    expect(control).to_be_focused()
    expect(page.locator(f"#id_{field} + .ts-wrapper")).to_have_class(re.compile(r"\bdropdown-active\b"))
    page.keyboard.type(text, delay=30)
    options = page.locator(f"#id_{field} + .ts-wrapper .ts-dropdown .option")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text(text)
    page.keyboard.press("Enter")
    expect(page.locator(f"#id_{field}")).to_have_value(re.compile(r"^\d+$"))
    page.keyboard.press("Tab")


def test_a_manufacturer_proposes_and_the_distributor_accepts(page, live_server, demo):
    relation = DistributionRelation.objects.filter(status=RelationStatus.ACCEPTED).select_related("product").first()
    manufacturer = relation.manufacturer
    username = User.objects.filter(organisation=manufacturer).order_by("username").first().username
    county = Region.objects.get(code="430725")  # 桃源县: the Changde distributor is not yet named there by Zhuzhou's
    distributor = Organisation.objects.get(name="株洲仁和医药配送有限公司")
    log_in(page, live_server, username, PASSWORD)
    open_menu(page)
    page.get_by_role("link", name="Distribution").first.click()
    page.get_by_test_id("relation-new").click()
    _pick(page, "product", relation.product.national_drug_code[-6:])
    _pick(page, "area", county.name)
    _pick(page, "distributor", distributor.name)
    page.fill("#id_letter_reference", "SQ-E2E-001")
    page.get_by_test_id("relation-propose").click()
    expect(page.get_by_test_id("relation-status")).to_have_text("proposed, awaiting the distributor")
    created = DistributionRelation.objects.get(letter_reference="SQ-E2E-001")
    assert (created.area, created.distributor) == (county, distributor)

    page.context.clear_cookies()
    log_in(page, live_server, "distributor2", PASSWORD)
    task = page.get_by_test_id("task").filter(has_text="proposed distribution relation").first
    expect(task).to_be_visible()
    task.locator(".task-title").click()
    page.get_by_role("link", name=created.product.generic_name).first.click()
    page.get_by_test_id("relation-accept").click()
    expect(page.get_by_test_id("relation-status")).to_have_text("accepted")
    assert any("Accept this relation?" in text for text in page.confirmations)
    created.refresh_from_db()
    assert created.status == RelationStatus.ACCEPTED


def test_a_distributor_refuses_with_a_reason(page, live_server, demo):
    waiting = DistributionRelation.objects.filter(status=RelationStatus.PROPOSED).first()
    log_in(page, live_server, "distributor1", PASSWORD)
    page.goto(f"{live_server.url}/trading/relations/{waiting.pk}/")
    page.get_by_test_id("relation-answer").locator("summary").click()
    page.select_option("#id_reason", "no_capacity")
    page.fill("#id_text", "冷库容量不足")
    page.get_by_test_id("relation-refuse").click()
    expect(page.get_by_test_id("relation-status")).to_have_text("refused by the distributor")
    expect(page.get_by_text("冷库容量不足").first).to_be_visible()
    waiting.refresh_from_db()
    assert (waiting.status, waiting.refusal_reason) == (RelationStatus.REFUSED, "no_capacity")
