"""API fuzzing: schemathesis generates requests for every operation of /api/schema/ and sends them to the
platform in process, as each role (and anonymously): no answer may be a server error, and every answer must match
the schema (documented bodies and content types). Runs in the PostgreSQL pass of .ci/run; FUZZ_EXAMPLES sets the
examples per operation and role (100 in CI)."""

import os

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
ROLES = {"anonymous": None, "officer": "officer", "credit": "credit", "admin": "admin"}
ROLES |= {"supplier": "supplier1", "hospital": "hospital1"}


def _schema():
    import schemathesis

    from config.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/schema/", application)


def _describe(error: BaseException) -> str:
    """The failure as schemathesis words it (the first lines of each distinct failure)."""
    parts = getattr(error, "exceptions", None) or [error]
    return " | ".join(" ".join(str(part).split())[:400] for part in parts)


@pytest.fixture
def demo(db):
    """The demo platform; requests reach the WSGI app directly, so (as Django's test client does) the end of a
    request must not close the test's database connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    call_command("load_demo", verbosity=0)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", list(ROLES))
def test_no_operation_fails_for_any_role(role, demo, settings):
    from knox.models import AuthToken
    from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance

    from accounts.models import User

    settings.SECOND_FACTOR_REQUIRED = False
    headers = {}
    if ROLES[role]:
        _instance, token = AuthToken.objects.create(user=User.objects.get(username=ROLES[role]))
        headers["Authorization"] = f"Token {token}"
    checks = [not_a_server_error, response_schema_conformance, content_type_conformance]
    failures, operations = [], 0
    for result in _schema().get_all_operations():
        operation = result.ok()
        operations += 1

        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def exercise(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=checks, headers=headers)

        try:
            exercise()
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # every failing operation is reported, not just the first
            failures.append(f"{operation.method.upper()} {operation.path} as {role}: {_describe(error)}")
    assert operations > 100
    assert not failures, "\n\n".join(failures)
