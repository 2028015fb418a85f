"""Files the platform creates are readable by their owner only (issue 15, item 10): the embedded database, the
keys, the audit anchors and uploaded evidence."""

import os
import stat
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from credit import services
from credit.models import Tip

pytestmark = pytest.mark.django_db


def _private(path) -> bool:
    return stat.S_IMODE(os.stat(path).st_mode) & 0o077 == 0


def test_a_new_embedded_database_and_its_keys_are_owner_only(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        SQLITE_PATH=str(tmp_path / "db.sqlite3"),
        BID_SEALING_KEY_FILE=str(tmp_path / "var" / "bid.key"),
        AUDIT_CHAIN_KEY_FILE=str(tmp_path / "var" / "audit.key"),
        AUDIT_ANCHOR_DIR=str(tmp_path / "var" / "anchors"),
    )
    # A permissive mask in the calling shell changes nothing: the platform sets its own.
    result = subprocess.run(
        [sys.executable, "-c", "import os; os.umask(0o022); os.execvp(os.sys.argv[1], os.sys.argv[1:])",
         sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=django_settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert _private(tmp_path / "db.sqlite3")
    result = subprocess.run(
        [sys.executable, "manage.py", "audit_verify", "--checkpoint", "test"],
        cwd=django_settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    for path in (tmp_path / "var" / "audit.key", *(tmp_path / "var" / "anchors").iterdir()):
        assert _private(path), path


def test_uploaded_evidence_is_stored_owner_only(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    evidence = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="image/png")
    tip = services.tip_submit(
        supplier_name="某制药", item="kickback", description="A description of what happened.", evidence=evidence
    )
    stored = Tip.objects.get(pk=tip.pk).evidence.path
    assert _private(stored) and _private(os.path.dirname(stored))
