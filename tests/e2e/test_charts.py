"""Charts that count (suppliers per credit level) step their axis by whole numbers: a handful of suppliers must not
read 0.2, 0.4, 0.6 … (issue 18)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_credit_distribution_counts_suppliers_in_whole_numbers(page, live_server):
    call_command("load_demo", stdout=None)
    log_in(page, live_server, "credit", "Demo-pass-2026")
    page.goto(f"{live_server.url}/credit/")
    chart = page.locator("canvas[data-drawn]")
    expect(chart).to_have_count(1)
    ticks = page.evaluate("() => Chart.getChart(document.querySelector('canvas[data-drawn]')).scales.y.ticks")
    values = [float(tick["value"]) for tick in ticks]
    assert len(values) >= 2 and max(values) <= 20  # a few suppliers: where 0.2 steps would appear
    assert all(value.is_integer() for value in values), values
