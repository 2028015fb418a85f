"""Headless Chromium (Debian's package) driven by Playwright; no browser download.

On a machine without /usr/bin/chromium the browser tests skip and say why; CI sets REQUIRE_BROWSER=1 and
installs Chromium, so there they always run.
"""

import os
import threading
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread
from playwright.sync_api import expect

# Assertions wait as long as actions do: a page after a POST can take a few seconds on a loaded CI machine.
expect.set_options(timeout=15_000)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Flags for a closed network: no background fetches to hosts the machine cannot reach.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


class OneRequestAtATimeWSGIServer(ThreadedWSGIServer):
    """The live server, serving one request at a time.

    On embedded SQLite the test database lives in memory, so every request thread shares the test's one
    connection; two requests at once (a page and its htmx call) then corrupt its transaction stack
    ("pop from empty list"). PostgreSQL gives each thread its own connection and needs no such lock,
    but the browser journeys do not rely on parallel requests, so the lock is harmless there.
    """

    request_lock = threading.Lock()

    def set_app(self, application):
        lock = self.request_lock

        def one_at_a_time(environ, start_response):
            # Per request, not per connection (the browser keeps several keep-alive connections open),
            # held until the response is closed, since a streamed export still reads the database.
            lock.acquire()
            try:
                response = application(environ, start_response)
            except BaseException:
                lock.release()
                raise
            return _ReleasedOnClose(response, lock)

        super().set_app(one_at_a_time)


class _ReleasedOnClose:
    def __init__(self, response, lock):
        self.response, self.lock = response, lock

    def __iter__(self):
        return iter(self.response)

    def close(self):
        try:
            if hasattr(self.response, "close"):
                self.response.close()
        finally:
            self.lock.release()


LiveServerThread.server_class = OneRequestAtATimeWSGIServer


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing: install chromium chromium-driver")
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} not found: `make chromium` installs Debian's chromium for browser tests"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Every journey runs on a laptop's screen and on a phone's (issue 18): the same steps work at both widths.
# BROWSER_WIDTHS=laptop narrows a run to one (CI's PostgreSQL pass: layout does not depend on the database, and
# the embedded pass has run both).
WIDTHS = {
    name: width
    for name, width in {"laptop": 1366, "phone": 375}.items()
    if name in (os.environ.get("BROWSER_WIDTHS") or "laptop,phone").split(",")
}
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
# What sticks out past the right edge, to name in a failure.
WIDE = """() => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-scroll, table'))
  .slice(0, 5)
  .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


@pytest.fixture(params=list(WIDTHS))
def page(browser, request):
    width = WIDTHS[request.param]
    context = browser.new_context(locale="en-US", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.width = width
    page.set_default_timeout(15_000)
    # Every journey also checks that the strict Content-Security-Policy blocked nothing the page needs.
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.confirmations = answer_confirmations(page)
    yield page
    failed = request.node.rep_call.failed if hasattr(request.node, "rep_call") else False
    if failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    # Where the journey ends, the page does not scroll sideways (wide tables scroll inside their box).
    overflow = 0 if failed or page.is_closed() or page.url.startswith("about:") else page.evaluate(OVERFLOW)
    wide = page.evaluate(WIDE) if overflow > 0 else []
    url = page.url
    context.close()
    assert not violations, f"Content-Security-Policy violations: {violations}"
    assert overflow <= 0, f"the journey's last page {url} scrolls sideways at {width} px: {wide}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def answer_confirmations(page) -> list[str]:
    """Accept every confirmation the page asks (``data-confirm``), keeping their texts so that a journey can assert
    that an irreversible action asked first. A test that wants to answer otherwise removes ``page.accept_dialog``."""
    asked = []

    def accept(dialog):
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    page.accept_dialog = accept
    return asked


def open_menu(page) -> None:
    """On a phone the site's links, the user menu and the language switch fold under the menu button: open it."""
    toggle = page.get_by_test_id("menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
