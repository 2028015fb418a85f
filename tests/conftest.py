import os

import pytest
from django.conf import settings
from hypothesis import Phase
from hypothesis import settings as hypothesis_settings

from accounts.models import Role
from config.celery import app as celery_app

from .factories import HospitalFactory, OrganisationFactory, SupplierFactory, UserFactory

# ``make mutation`` runs the engine tests once per mutant: a fixed seed (the same examples for every mutant), no
# example database, and no shrinking (a mutant is killed by the first failing example; shrinking it costs seconds).
hypothesis_settings.register_profile(
    "mutation", derandomize=True, database=None, deadline=None, phases=(Phase.explicit, Phase.reuse, Phase.generate)
)
if os.environ.get("HYPOTHESIS_PROFILE"):
    hypothesis_settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])


def pytest_collection_modifyitems(config, items):
    """Worker tests need Redis and PostgreSQL, concurrency tests PostgreSQL; in the embedded run they skip."""
    if settings.EMBEDDED_DATABASE:
        skip_pg = pytest.mark.skip(reason="needs DATABASE_URL (PostgreSQL): runs in the second .ci/run pass")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip_pg)
    if settings.REDIS_URL and not settings.EMBEDDED_DATABASE:
        return
    skip = pytest.mark.skip(reason="needs REDIS_URL and DATABASE_URL (PostgreSQL): runs in the second .ci/run pass")
    for item in items:
        if "worker" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def celery_eager(request):
    """Tasks run inline in tests, except in tests that start a real worker."""
    eager = "worker" not in request.keywords
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def authority(db):
    return OrganisationFactory()


@pytest.fixture
def supplier_org(db):
    return SupplierFactory()


@pytest.fixture
def other_supplier_org(db):
    return SupplierFactory()


@pytest.fixture
def hospital_org(db):
    return HospitalFactory()


@pytest.fixture
def other_hospital_org(db):
    return HospitalFactory()


@pytest.fixture
def officer(authority):
    return UserFactory(role=Role.PROCUREMENT_OFFICER, organisation=authority)


@pytest.fixture
def credit_officer(authority):
    return UserFactory(role=Role.CREDIT_OFFICER, organisation=authority)


@pytest.fixture
def administrator(authority):
    return UserFactory(role=Role.ADMINISTRATOR, organisation=authority, is_staff=True, is_superuser=True)


@pytest.fixture
def supplier_user(supplier_org):
    return UserFactory(role=Role.SUPPLIER_USER, organisation=supplier_org)


@pytest.fixture
def other_supplier_user(other_supplier_org):
    return UserFactory(role=Role.SUPPLIER_USER, organisation=other_supplier_org)


@pytest.fixture
def hospital_user(hospital_org):
    return UserFactory(role=Role.HOSPITAL_USER, organisation=hospital_org)


@pytest.fixture
def users(officer, credit_officer, administrator, supplier_user, hospital_user):
    """One user per role, keyed by role."""
    return {
        Role.PROCUREMENT_OFFICER: officer,
        Role.CREDIT_OFFICER: credit_officer,
        Role.ADMINISTRATOR: administrator,
        Role.SUPPLIER_USER: supplier_user,
        Role.HOSPITAL_USER: hospital_user,
    }


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def api_for():
    from rest_framework.test import APIClient

    def make(user=None):
        api = APIClient()
        if user is not None:
            api.force_authenticate(user)
        return api

    return make


@pytest.fixture(autouse=True)
def test_settings(settings, tmp_path):
    """Tests assert on English text unless they switch language themselves; passwords hash fast."""
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests log users in directly; the second factor has its own tests (tests/accounts/test_security.py).
    settings.SECOND_FACTOR_REQUIRED = False
    # Anonymous writes are rate-limited per address; tests that exercise the limit set their own rate.
    settings.ANON_WRITE_RATE = "100000/hour"
    # Each test anchors the audit chain in its own directory (anchors are files outside the database).
    settings.AUDIT_ANCHOR_DIR = tmp_path / "audit-anchors"


os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real Celery worker subprocess on Redis, connected to the test database, consuming a private queue."""
    import subprocess
    import sys
    import time
    import uuid

    from django.db import connection

    db = connection.settings_dict
    user, password = db["USER"] or "", db["PASSWORD"] or ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    database_url = f"postgres://{user}:{password}@{host}:{port}/{db['NAME']}"
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_QUEUE": queue,
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue, "--pool", "solo"]
    command += ["--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    worker = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        replies = celery_app.control.ping(timeout=1, destination=None) or []
        if any(queue_consumer for reply in replies for queue_consumer in reply):
            break
        if worker.poll() is not None:
            raise RuntimeError("the Celery worker exited at start")
    yield worker
    celery_app.conf.task_default_queue = previous_queue
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()


def wait_for(condition, timeout=60.0, interval=0.2):
    """Poll until condition() is true; returns its last value."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


@pytest.fixture(autouse=True)
def reference_data(request):
    """Transactional tests flush the tables between tests, migration-seeded rows included: seed them again."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames) and not any(
        marker.kwargs.get("transaction") for marker in request.node.iter_markers("django_db")
    ):
        return
    request.getfixturevalue("transactional_db")
    from credit.catalog_data import ensure_catalog_versions
    from credit.commitment_text import ensure_commitment_text
    from credit.models import CatalogVersion, CommitmentText
    from procurement.engines.rule_sets import ensure_default_rule_sets
    from procurement.engines.trading import ensure_default_trading_rule_sets
    from procurement.models import RuleSet, TradingRuleSet

    ensure_default_rule_sets(RuleSet)
    ensure_default_trading_rule_sets(TradingRuleSet)
    ensure_commitment_text(CommitmentText)
    ensure_catalog_versions(CatalogVersion)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (ids repeat across rolled-back tests)."""
    from django.core.cache import cache

    cache.clear()
    yield
