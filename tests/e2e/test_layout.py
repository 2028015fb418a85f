"""Every role's main pages at a phone's width (375 px) and a laptop's (1366 px), in both languages: the page never
scrolls sideways (wide tables scroll inside their box), and on a phone the site's links fold under a menu button
that opens them, the user menu and the language switch included (issue 18)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from procurement.models import TenderRound
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Demo-pass-2026"
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def _pages(role, rounds):
    opened, in_effect = rounds["GY-2025-09"], rounds["GY-2024-11"]
    common = ["/", f"/rounds/{in_effect.pk}/", "/notifications/"]
    return {
        "officer": [*common, "/rounds/", f"/rounds/{opened.pk}/opening/", "/contracts/",
                    f"/contracts/rounds/{in_effect.pk}/completion/", "/catalog/products/"],
        "credit": [*common, "/credit/", "/credit/records/", "/credit/catalog/"],
        "supplier1": [*common, f"/rounds/{opened.pk}/bids/", "/contracts/", "/credit/", "/pricing/"],
        "hospital1": [*common, "/contracts/", "/contracts/purchases/", f"/rounds/{in_effect.pk}/allocations/"],
    }[role]  # fmt: skip


@pytest.mark.parametrize("language", ["zh-CN", "en-US"])
@pytest.mark.parametrize("role", ["officer", "credit", "supplier1", "hospital1"])
def test_main_pages_fit_a_phone_and_a_laptop(browser, live_server, role, language):
    call_command("load_demo", stdout=None)
    rounds = {tender_round.code: tender_round for tender_round in TenderRound.objects.all()}
    for width in (375, 1366):
        context = browser.new_context(locale=language, viewport={"width": width, "height": 800})
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in(page, live_server, role, PASSWORD)
        for path in _pages(role, rounds):
            page.goto(f"{live_server.url}{path}")
            assert page.evaluate(OVERFLOW) <= 0, f"{path} scrolls sideways at {width} px ({language})"
        toggle = page.get_by_test_id("menu-toggle")
        user_menu = page.get_by_test_id("user-menu")
        if width == 375:
            expect(user_menu).to_be_hidden()
            toggle.click()
            expect(toggle).to_have_attribute("aria-expanded", "true")
            expect(user_menu).to_be_visible()
            expect(page.locator("select[name=language]")).to_be_visible()
            box = user_menu.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width
            assert page.evaluate(OVERFLOW) <= 0
        else:
            expect(toggle).to_be_hidden()
            expect(user_menu).to_be_visible()
            header = page.locator("header.site-header").bounding_box()
            assert header["height"] < 200, f"the header wraps into {header['height']} px at 1366 px ({language})"
        context.close()
