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


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Every journey also checks that the strict Content-Security-Policy blocked nothing the page needs.
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.confirmations = answer_confirmations(page)
    yield page
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not violations, f"Content-Security-Policy violations: {violations}"


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


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
