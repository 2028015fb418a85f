"""Browser journey of the award: the officer computes, a hospital chooses a preliminary winner, the officer
computes again and publishes; the supplier reads its result and notification; anyone reads the announcement."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from procurement.models import AllocationLine, AwardRun, DemandReport, TenderRound
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DEMO_PASSWORD = "Demo-pass-2026"


def test_compute_choose_publish_and_read_results(page, live_server, browser):
    call_command("load_demo", stdout=None)
    tender_round = TenderRound.objects.get(code="GY-2025-09")
    base = f"{live_server.url}/rounds/{tender_round.pk}"

    log_in(page, live_server, "officer", DEMO_PASSWORD)
    page.goto(f"{base}/")
    page.get_by_test_id("award-link").click()
    page.get_by_test_id("compute").click()
    expect(page.get_by_test_id("group-G01")).to_be_visible()
    expect(page.get_by_test_id("run-totals")).to_be_visible()
    expect(page.locator("canvas[data-drawn]")).to_have_count(1)  # the chart was drawn by the vendored Chart.js
    first = AwardRun.objects.filter(round__code="GY-2025-09").get()

    hospital = browser.new_context(locale="en-US").new_page()
    log_in(hospital, live_server, "hospital1", DEMO_PASSWORD)
    hospital.goto(f"{base}/allocations/")
    report = DemandReport.objects.filter(group__round=tender_round, hospital__users__username="hospital1").first()
    chooser = hospital.get_by_test_id(f"choose-{report.group.code}")
    option = chooser.locator("option").nth(1)
    chosen = option.get_attribute("value")
    chooser.select_option(chosen)
    expect(hospital.locator(".message-success")).to_be_visible()
    assert str(DemandReport.objects.get(pk=report.pk).chosen_supplier_id) == chosen

    # The first computation no longer matches the inputs: publishing it is refused with the reason.
    page.get_by_test_id("publish").click()
    expect(page.locator(".message-error")).to_contain_text("compute again")
    page.get_by_test_id("award-link").click()
    page.get_by_test_id("compute").click()
    expect(page.get_by_test_id("group-G01")).to_be_visible()
    second = AwardRun.objects.filter(round__code="GY-2025-09").exclude(pk=first.pk).get()
    line = AllocationLine.objects.get(run=second, group=report.group, hospital=report.hospital)
    assert (str(line.supplier_id), line.reason) == (chosen, "hospital_choice")
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("run-published")).to_be_visible()
    # Publishing asked first, naming the computation and the round.
    assert f"Publish computation #{second.pk} as the award of" in page.confirmations[-1]
    expect(page.get_by_test_id("round-status")).to_have_text("Awarded")

    hospital.goto(f"{base}/allocations/")
    expect(hospital.get_by_test_id("allocations")).to_contain_text(report.group.code)

    supplier = browser.new_context(locale="en-US").new_page()
    winner = second.outcomes.filter(won=True).select_related("supplier").first()
    username = winner.supplier.users.first().username
    log_in(supplier, live_server, username, DEMO_PASSWORD)
    supplier.get_by_test_id("notifications-link").click()
    expect(supplier.get_by_test_id("notifications")).to_contain_text("your bid won")
    supplier.goto(f"{base}/results/")
    expect(supplier.get_by_test_id("results")).to_contain_text(str(winner.winning_price))

    public = browser.new_context(locale="en-US").new_page()
    public.goto(f"{live_server.url}/announcements/awards/")
    public.get_by_role("link", name=tender_round.name).click()
    expect(public.get_by_test_id(f"announcement-{winner.group.code}")).to_contain_text(winner.supplier.name)
