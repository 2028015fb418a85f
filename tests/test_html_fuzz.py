"""Fuzzing beyond the OpenAPI schema (issue 15, item 12): every page route's query parameters and form fields, as
every role, with hostile values (non-numbers, huge numbers, NUL, long strings, bad dates, markup), and no answer
is a server error. Form and parameter names come from the code itself: every field of the platform's forms and
filters, and every name a view reads from the query string or the form body."""

import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests import test_authorisation_matrix as matrix
from tests.authorisation_matrix import MATRIX, ROLES
from tests.test_authorisation_matrix import Rollback, _kwargs, routes

pytestmark = pytest.mark.django_db

# The authorisation matrix's demo world: every kind of object, one of the caller's own and one of another's.
world = matrix.world

HOSTILE = ["abc", "-1", "1e400", "9" * 40, "2026-13-45", "\x00", "x" * 5000, "<script>alert(1)</script>", "0.5"]
APPS = ("core", "accounts", "procurement", "credit", "pricing")


def _names_read_by_views() -> set[str]:
    """Every parameter name a view or helper reads from GET, POST or query_params, or checks with core.params."""
    pattern = re.compile(
        r"""(?:GET|POST|query_params|data)(?:\.get\(|\[)\s*["']([A-Za-z_][\w-]*)["']"""
        r"""|_param\(\s*request\.\w+,\s*["']([A-Za-z_][\w-]*)["']"""
    )
    names = set()
    for app in APPS:
        for path in Path(settings.BASE_DIR, app).rglob("*.py"):
            if "migrations" in path.parts or "management" in path.parts:
                continue
            for match in pattern.finditer(path.read_text()):
                names.add(match.group(1) or match.group(2))
    return names


def _form_field_names() -> set[str]:
    """Every field of every form and filter class the platform defines."""
    import django_filters

    from accounts import filters as accounts_filters
    from accounts import forms as accounts_forms
    from credit.web import forms as credit_forms
    from procurement import filters as procurement_filters
    from procurement.web import forms as procurement_forms

    names = set()
    for module in (accounts_forms, credit_forms, procurement_forms):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                names |= set(value.base_fields)
    for module in (accounts_filters, procurement_filters):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, django_filters.FilterSet):
                names |= set(value.base_filters)
    return names


def _where(world, role, method, url, data) -> str:
    """Where the server error was raised (the platform's own frames), for the failure message."""
    import traceback

    client = Client(raise_request_exception=True)
    if role != "anon":
        client.force_login(world["users"][role])
    try:
        with transaction.atomic():
            client.get(url, data) if method == "GET" else client.post(url, data)
            raise Rollback
    except Rollback:
        return ""
    except Exception as error:
        frames = [
            f"{frame.filename.split(str(settings.BASE_DIR) + '/')[-1]}:{frame.lineno}"
            for frame in traceback.extract_tb(error.__traceback__)
            if str(settings.BASE_DIR) in frame.filename and ".venv" not in frame.filename
        ]
        return f"{type(error).__name__}: {str(error)[:80]} at {frames[-2:]}"
    return ""


def test_hostile_values_in_every_parameter_and_field_of_every_page(world, settings):
    settings.SECOND_FACTOR_REQUIRED = False
    names = sorted((_names_read_by_views() | _form_field_names()) - {"csrfmiddlewaretoken", "next", "language"})
    assert {"round", "hospital", "month", "rule_set", "price", "quantity", "a", "b"} <= set(names)
    clients = {}
    for role in ROLES:
        client = Client(raise_request_exception=False)
        if role != "anon":
            client.force_login(world["users"][role])
        clients[role] = client
    pages = {name: pattern for name, pattern in routes().items() if ":" in name and name not in ("accounts:logout",)}
    assert len(pages) > 80
    failures, requests = [], 0
    for name in sorted(pages):
        row = MATRIX[name]
        for value in HOSTILE:
            data = dict.fromkeys(names, value)
            for index, role in enumerate(ROLES):
                url = reverse(name, kwargs=_kwargs(row.kwargs, world, 0, role))
                for method in row.methods:
                    expected = row.expected(method)[0][index]
                    if method == "POST" and expected not in ("ok", "invalid"):
                        continue
                    try:
                        with transaction.atomic():
                            if method == "GET":
                                response = clients[role].get(url, data)
                            else:
                                response = clients[role].post(url, data)
                            raise Rollback
                    except Rollback:
                        pass
                    requests += 1
                    if response.status_code >= 500:
                        failures.append(
                            f"{method} {url} as {role} with {value[:20]!r}: {response.status_code} "
                            f"{_where(world, role, method, url, data)}"
                        )
                if role != "anon" and name in ("accounts:login", "set_language"):
                    clients[role].force_login(world["users"][role])
    assert requests > 3000
    assert not failures, "\n".join(failures[:50])
