"""No API list costs a query per row: every list route answers a page of fifty rows with the same number of
queries as a page of one (the demo data, read by the first role that sees at least two rows of it). A serializer
that reaches a related row without ``select_related``/``prefetch_related`` fails here."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.pagination import PageNumberPagination

from accounts.models import User
from config.urls import router
from tests.test_authorisation_matrix import world  # noqa: F401 (the fixture: the demo world with objects per role)

READERS = ("admin", "officer", "credit", "supplier1", "hospital1")
# Viewsets without a list action (a single computed resource, actions only) have no "-list" route.
LIST_ROUTES = sorted(f"{basename}-list" for _prefix, viewset, basename in router.registry if hasattr(viewset, "list"))


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def _measure(api, url, monkeypatch, size):
    monkeypatch.setattr(PageNumberPagination, "page_size", size)
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    return response, len(queries)


def test_api_lists_cost_no_query_per_row(demo, api_for, monkeypatch):
    checked, failures = [], []
    clients = {name: api_for(User.objects.get(username=name)) for name in READERS}
    for name in LIST_ROUTES:
        url = reverse(name)
        for reader, api in clients.items():
            response, _ = _measure(api, url, monkeypatch, 50)
            body = response.json() if response.status_code == 200 else None
            if not isinstance(body, dict) or (body.get("count") or 0) < 2:
                continue
            _, one = _measure(api, url, monkeypatch, 1)
            _, fifty = _measure(api, url, monkeypatch, 50)
            checked.append(name)
            if fifty != one:
                failures.append(f"{name} as {reader}: {one} queries for one row, {fifty} for {body['count']}")
            break
    assert not failures, "\n".join(failures)
    # The demo data gives most lists at least two rows for some reader; the test must not pass by checking none.
    assert len(checked) >= 20, f"only {len(checked)} list routes had two rows to compare: {checked}"


PAGE_READERS = ("officer", "credit", "admin", "supplier1", "hospital1")


def _paginated_pages():
    """Page routes without arguments (lists, homes, dashboards): those that page their rows are compared."""
    from tests.authorisation_matrix import KWARGS

    return sorted(name for name, kwargs in KWARGS.items() if kwargs is None and ":" in name)


@pytest.fixture
def page_size(monkeypatch, settings):
    """Every Paginator pages by ``page_size["per_page"]`` rows, whatever the view asks (set it before a request)."""
    from django.core.paginator import Paginator

    settings.SECOND_FACTOR_REQUIRED = False
    original = Paginator.__init__
    size = {"per_page": 50}

    def forced(self, object_list, per_page, *args, **kwargs):
        original(self, object_list, size["per_page"], *args, **kwargs)

    monkeypatch.setattr(Paginator, "__init__", forced)
    return size


def _compare_page(client, url, size) -> tuple[int, int, int] | None:
    """(queries for one row, queries for fifty, rows shown) of a paged page, or None when it pages fewer than four
    rows (nothing to compare)."""
    counts = {}
    for per_page in (50, 1):
        size["per_page"] = per_page
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts[per_page] = len(queries)
    context = response.context if response.status_code == 200 and response.context else {}
    page = next((context.get(key) for key in ("page", "page_obj") if hasattr(context.get(key), "paginator")), None)
    if page is None or page.paginator.count < 4:
        return None
    return counts[1], counts[50], min(page.paginator.count, 50)


def _costs_a_query_per_row(one: int, fifty: int, rows: int) -> bool:
    # Pages mark their rows with a few set-based reads whose prefetches run only when something matches (credit
    # measures of the rows' suppliers), so a page may cost a handful more than one row; a query per row costs at
    # least one more for each further row.
    return fifty - one >= rows - 1


def test_paged_lists_cost_no_query_per_row(demo, client, page_size):
    checked, failures = [], []
    for name in _paginated_pages():
        url = reverse(name)
        for reader in PAGE_READERS:
            client.force_login(User.objects.get(username=reader))
            compared = _compare_page(client, url, page_size)
            if compared is None:
                continue
            checked.append(name)
            if _costs_a_query_per_row(*compared):
                one, fifty, rows = compared
                failures.append(f"{name} as {reader}: {one} queries for one row, {fifty} for {rows}")
            break
    assert not failures, "\n".join(failures)
    assert len(checked) >= 5, f"only {len(checked)} paged lists had four rows to compare: {checked}"


@pytest.mark.django_db
def test_paged_pages_of_an_object_cost_no_query_per_row(world, client, page_size):  # noqa: F811
    """The same for the pages that list the rows of one object (a run's allocation lines, a round's bids or demand,
    an agreement's deliveries …), opened on the object of the reader's own organisation."""
    from tests.authorisation_matrix import KWARGS, MATRIX

    checked, failures = [], []
    pages = sorted(
        name for name, spec in KWARGS.items() if spec is not None and ":" in name and "GET" in MATRIX[name].methods
    )
    for name in pages:
        for role in ("officer", "credit", "admin", "supplier", "hospital"):
            url = reverse(name, kwargs=KWARGS[name](world["objects"], 0, role))
            client.force_login(world["users"][role])
            compared = _compare_page(client, url, page_size)
            if compared is None:
                continue
            checked.append(name)
            if _costs_a_query_per_row(*compared):
                one, fifty, rows = compared
                failures.append(f"{name} as {role}: {one} queries for one row, {fifty} for {rows}")
            break
    assert not failures, "\n".join(failures)
    # Today one page of an object pages its rows (a computation's allocation lines); the others list a bounded few.
    assert "procurement:award_run_lines" in checked, f"the allocation lines were not compared: {checked}"


@pytest.mark.django_db
def test_api_lists_of_an_object_cost_no_query_per_row(world, api_for, monkeypatch):  # noqa: F811
    """The paginated actions of one object: a computation's lines, a round's opening table, a listing's history."""
    objects, users = world["objects"], world["users"]
    actions = [
        ("officer", f"/api/v1/award-runs/{objects['run'][0].pk}/lines/"),
        ("officer", f"/api/v1/rounds/{objects['opened_round'][0].pk}/opening-table/"),
        ("supplier", f"/api/v1/listings/{objects['listing'][0].pk}/history/"),
    ]
    checked, failures = [], []
    for role, url in actions:
        api = api_for(users[role])
        response, fifty = _measure(api, url, monkeypatch, 50)
        assert response.status_code == 200, (url, response.content[:200])
        if response.json()["count"] < 2:
            continue
        _, one = _measure(api, url, monkeypatch, 1)
        checked.append(url)
        if fifty != one:
            failures.append(f"{url}: {one} queries for one row, {fifty} for {response.json()['count']}")
    assert not failures, "\n".join(failures)
    assert len(checked) >= 2, f"only {checked} had two rows to compare"
