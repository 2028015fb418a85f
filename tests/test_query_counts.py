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
