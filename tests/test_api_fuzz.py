"""API fuzzing: schemathesis generates requests (schema-valid and schema-violating) for every operation of
/api/schema/ and sends them to the platform in process, as each role (and anonymously), with **all** its checks:
no server error; status codes, content types, headers and bodies as documented; schema-violating requests refused;
authentication enforced; and so on. One check is replaced by a narrower one (below): ``positive_data_acceptance``
expects every schema-valid request to succeed, but a schema cannot say that an id exists or that a round is still
taking bids. Runs in the PostgreSQL pass of .ci/run; FUZZ_EXAMPLES sets the examples per operation and role
(15 in CI, 100 with ``make fuzz``)."""

import os

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
ROLES = {"anonymous": None, "officer": "officer", "credit": "credit", "admin": "admin"}
ROLES |= {"supplier": "supplier1", "hospital": "hospital1"}
# Refusals of schema-valid data that a schema cannot foresee: the named object does not exist (or is not the
# caller's), in English and in Chinese (DRF's and django-filter's messages).
EXISTENCE = ("does not exist", "Select a valid choice", "不存在", "选择一个有效的选项")


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


def _leaf_messages(errors):
    """The messages of a validation answer, nested ones included (``{"lines": {"0": {"ordDetlId": [...]}}}``)."""
    if isinstance(errors, dict):
        for value in errors.values():
            yield from _leaf_messages(value)
    elif isinstance(errors, list):
        for value in errors:
            yield from _leaf_messages(value)
    else:
        yield str(errors)


def _refused_only_by_a_domain_rule(ctx, response, case):
    """Replaces ``positive_data_acceptance``: schema-valid data may be refused only by a business rule (a 400/409
    with a domain ``code``: the round is closed, the product is not the supplier's…), because a named object does
    not exist, or as a rejected upload with its line-numbered errors; never by field validation, which would mean
    the schema lies about the field."""
    from schemathesis.core.failures import Failure

    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    if response.status_code in (400, 409, 422):
        try:
            body = response.json()
        except Exception:  # not JSON: the content-type check reports it
            body = {}
        messages = list(_leaf_messages(body)) if isinstance(body, dict) else []
        existence = messages and all(any(phrase in m for phrase in EXISTENCE) for m in messages)
        rejected_upload = isinstance(body, dict) and body.get("status") == "rejected" and body.get("errors")
        # A multipart upload whose generated extra parts Django's parser cannot read loses its file part with them:
        # the refusal then says no file came, which is what the server saw.
        if isinstance(body, dict) and set(body) == {"file"} and case.media_type == "multipart/form-data":
            return None
        if not (isinstance(body, dict) and body.get("code")) and not existence and not rejected_upload:
            raise Failure(
                operation=case.operation.label,
                title="Schema-valid data refused by validation",
                message=f"{response.status_code}: {str(body)[:300]}",
            )
    return None


@pytest.mark.parametrize("role", list(ROLES))
def test_no_operation_fails_for_any_role(role, demo, settings):
    from hypothesis import strategies as st
    from knox.models import AuthToken
    from schemathesis.checks import positive_data_acceptance
    from schemathesis.generation.modes import GenerationMode

    from accounts.models import User

    settings.SECOND_FACTOR_REQUIRED = False
    schema = _schema()
    if ROLES[role]:
        _instance, token = AuthToken.objects.create(user=User.objects.get(username=ROLES[role]))

        class TokenAuth:
            def get(self, case, context):
                return token

            def set(self, case, data, context):
                case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}

        schema.auth(refresh_interval=None)(TokenAuth)
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        strategy = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)
        )

        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def exercise(case):
            response = case.call()
            case.validate_response(
                response,
                excluded_checks=[positive_data_acceptance],
                additional_checks=[_refused_only_by_a_domain_rule],
            )

        try:
            exercise()
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # every failing operation is reported, not just the first
            failures.append(f"{operation.method.upper()} {operation.path} as {role}: {_describe(error)}")
    assert operations > 100
    assert not failures, "\n\n".join(failures)
