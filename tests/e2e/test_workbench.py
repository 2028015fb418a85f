"""Each role's day starts at its workbench (待办), on a laptop and on a phone: the tasks the demo leaves waiting are
listed and counted in the menu, one click leads to where each is done; every main page passes axe-core's
accessibility rules without a serious or critical violation; pickers search; long jobs say they are running.

With SCREENSHOTS_DIR set (``make screenshots``), the laptop run stores each role's workbench as a small PNG there
(docs/images, shown in docs/user-guide.md)."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from procurement.models import DistributionRelation, OrderLine, Shipment, TenderRound
from tests.e2e.conftest import OVERFLOW, log_in, open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Demo-pass-2026"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# What each demo user finds waiting (procurement/demo.py leaves it there).
FIRST_TASKS = {
    "officer": "Compute and publish the award of",
    "credit": "Review 1 public tip",
    "supplier1": "Bid in 2 groups of",
    "hospital1": "Receive 1 delivery of",
    "distributor1": "Answer 2 proposed distribution relations",
}


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=None)
    return {tender_round.code: tender_round for tender_round in TenderRound.objects.all()}


@pytest.mark.parametrize("role", list(FIRST_TASKS))
def test_each_role_starts_at_its_workbench(page, live_server, demo, role):
    log_in(page, live_server, role, PASSWORD)
    workbench = page.get_by_test_id("workbench")
    expect(workbench).to_be_visible()
    tasks = page.get_by_test_id("task")
    assert tasks.count() >= 1
    titles = [title for title in tasks.locator(".task-title").all_inner_texts()]
    assert any(title.startswith(FIRST_TASKS[role]) for title in titles), titles
    assert page.evaluate(OVERFLOW) <= 0
    if page.width > 700 and os.environ.get("SCREENSHOTS_DIR"):
        folder = Path(os.environ["SCREENSHOTS_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 1100, "height": 700})
        page.screenshot(
            path=str(folder / f"workbench-{role}.png"), clip={"x": 0, "y": 0, "width": 1100, "height": 560}
        )
        page.set_viewport_size({"width": page.width, "height": 900})
    # The menu counts the same tasks (folded under the menu button on a phone).
    open_menu(page)
    counts = page.get_by_test_id("menu-count")
    expect(counts.first).to_be_visible()
    # The workbench entry counts every object waiting (a task may stand for several agreements or groups).
    assert int(counts.first.inner_text()) >= tasks.count()
    # One click from the workbench to where the task is done.
    link = tasks.locator(".task-title").filter(has_text=FIRST_TASKS[role]).first
    target = link.get_attribute("href")
    link.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(target) or target.split("?")[0] in page.url
    assert page.evaluate(OVERFLOW) <= 0


def _axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — {node['target']}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
        for node in violation["nodes"][:3]
    ]


def _main_pages(role, rounds):
    opened, in_effect = rounds["GY-2025-09"], rounds["GY-2024-11"]
    common = ["/", f"/rounds/{in_effect.pk}/"]
    return {
        "officer": [*common, "/rounds/", f"/rounds/{opened.pk}/award/", "/contracts/",
                    f"/contracts/rounds/{in_effect.pk}/completion/", "/catalog/products/", "/pricing/",
                    "/trading/figures/"],
        "credit": [*common, "/credit/", "/credit/records/", "/credit/review/"],
        "supplier1": [*common, f"/rounds/{rounds['GY-2026-01'].pk}/bids/", "/contracts/", "/credit/", "/pricing/",
                      "/trading/relations/new/"],
        "hospital1": [*common, "/contracts/", "/contracts/purchases/", f"/rounds/{rounds['GY-2026-02'].pk}/demand/",
                      "/trading/shipments/", f"/trading/shipments/{Shipment.objects.order_by('pk').first().pk}/"],
        "distributor1": ["/", "/trading/relations/", "/trading/rule-sets/",
                         f"/trading/relations/{DistributionRelation.objects.filter(status='proposed').first().pk}/",
                         "/trading/returns/",
                         f"/trading/orders/{OrderLine.objects.filter(status='confirmed').first().order_id}/ship/"],
        "anonymous": ["/login/", "/announcements/", "/credit/disclosure/", "/credit/catalog/"],
    }[role]  # fmt: skip


@pytest.mark.parametrize("role", [*FIRST_TASKS, "anonymous"])
def test_main_pages_have_no_serious_accessibility_violation(browser, live_server, demo, role):
    # axe is injected as a script of the test's own: the page's Content-Security-Policy would refuse it.
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    if role != "anonymous":
        log_in(page, live_server, role, PASSWORD)
    failures = []
    for path in _main_pages(role, demo):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        failures += [f"{path}: {violation}" for violation in _axe_violations(page)]
    context.close()
    assert not failures, "\n".join(failures)


def test_organisation_pickers_search_as_one_types(page, live_server, demo):
    from accounts.models import Organisation

    supplier = Organisation.objects.get(name="湘江制药股份有限公司")
    log_in(page, live_server, "credit", PASSWORD)
    page.goto(f"{live_server.url}/credit/records/new/")
    page.locator("#id_supplier + .ts-wrapper").click()
    page.keyboard.type("湘江")
    option = page.locator(".ts-dropdown .option").filter(has_text=supplier.name)
    expect(option).to_have_count(1)
    expect(page.locator(".ts-dropdown .option")).to_have_count(1)  # the other suppliers are filtered out
    option.click()
    assert page.locator("#id_supplier").input_value() == str(supplier.pk)


def test_a_long_job_says_it_is_running_while_its_request_runs(page, live_server, demo):
    log_in(page, live_server, "officer", PASSWORD)
    opened = demo["GY-2025-09"]
    page.goto(f"{live_server.url}/rounds/{opened.pk}/award/")
    # The page is watched as it is between sending the form and the answer (the whole job, in the embedded mode):
    # the test keeps the browser from leaving the page, after the platform's own submit handler has run.
    page.evaluate(
        "() => document.querySelector('[data-testid=compute-form]')"
        ".addEventListener('submit', (event) => event.preventDefault())"
    )
    page.get_by_test_id("compute").click()
    busy = page.get_by_test_id("busy")
    expect(busy).to_be_visible()
    expect(busy).to_contain_text("Computing the award")
    expect(busy.locator("progress")).to_have_count(1)
    expect(page.get_by_test_id("compute")).to_be_disabled()
