"""`make backup` / `make restore` (PostgreSQL): a restore into a fresh database holds the same rows and passes
audit_verify. Runs in the PostgreSQL pass of .ci/run."""

import os
import subprocess
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

COUNTED = ["accounts_auditentry", "procurement_contract", "procurement_openedbid", "credit_creditrecord"]


def _url(name: str) -> str:
    db = connection.settings_dict
    user, password = db["USER"] or "postgres", db["PASSWORD"] or ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{user}:{password}@{host}:{port}/{name}"


def _counts(cursor) -> dict:
    counts = {}
    for table in COUNTED:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _make(target: str, *, database_url: str, **variables) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    environment["DATABASE_URL"] = database_url
    return subprocess.run(
        ["make", "--no-print-directory", target, *[f"{name}={value}" for name, value in variables.items()]],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_backup_restores_into_a_fresh_database_that_verifies(tmp_path):
    from accounts import audit_chain

    call_command("load_demo", verbosity=0)
    audit_chain.seal()
    audit_chain.publish_checkpoint("before backup")
    assert audit_chain.verify().intact
    with connection.cursor() as cursor:
        before = _counts(cursor)
    media = tmp_path / "media"
    (media / "credit").mkdir(parents=True)
    (media / "credit" / "evidence.pdf").write_bytes(b"%PDF-1.7 kept")

    backup = _make(
        "backup", database_url=_url(connection.settings_dict["NAME"]), BACKUP_DIR=str(tmp_path), MEDIA_DIR=str(media)
    )
    assert backup.returncode == 0, backup.stderr
    dump = backup.stdout.strip().splitlines()[-1]
    assert dump.endswith(".dump") and os.path.getsize(dump) > 0

    fresh = f"vbp_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    restored_media = tmp_path / "restored-media"
    try:
        restore = _make("restore", database_url=_url(fresh), FILE=dump, MEDIA_DIR=str(restored_media))
        assert restore.returncode == 0, restore.stdout + restore.stderr
        assert "audit chain intact" in restore.stdout
        import psycopg

        with psycopg.connect(_url(fresh)) as restored, restored.cursor() as cursor:
            assert _counts(cursor) == before
        assert (restored_media / "credit" / "evidence.pdf").read_bytes() == b"%PDF-1.7 kept"
        # A second restore into the now full database fails whole and changes nothing.
        again = _make("restore", database_url=_url(fresh), FILE=dump, MEDIA_DIR=str(restored_media))
        assert again.returncode != 0
        with psycopg.connect(_url(fresh)) as restored, restored.cursor() as cursor:
            assert _counts(cursor) == before
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
