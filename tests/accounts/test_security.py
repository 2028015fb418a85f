"""Security controls: two-factor login for the authority, lockout, password policy, session timeout, CSRF,
Content-Security-Policy, upload checks and the production deployment check."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEntry
from core.uploads import validate_evidence
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TEMPLATES = Path(django_settings.BASE_DIR) / "templates"


def _code(device, offset=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():06d}"


@pytest.fixture
def second_factor(settings):
    settings.SECOND_FACTOR_REQUIRED = True


def test_officer_enrols_an_authenticator_then_reaches_the_platform(second_factor, client, officer):
    client.force_login(officer)
    answer = client.get("/rounds/")
    assert answer.status_code == 302 and answer.url.startswith("/otp/?next=")
    page = client.get(answer.url).content.decode()
    assert 'data-testid="totp-secret"' in page and "<svg" in page
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    wrong = client.post("/otp/", {"token": "000000" if _code(device) != "000000" else "111111", "next": "/"})
    assert 'data-testid="otp-error"' in wrong.content.decode()
    assert client.get("/rounds/").status_code == 302
    # A wrong code slows the next attempt down; a right one is refused too while that lasts.
    device.refresh_from_db()
    throttled = client.post("/otp/", {"token": _code(device), "next": "/"}).content.decode()
    assert "Too many wrong codes" in throttled
    device.throttle_reset()
    done = client.post("/otp/", {"token": _code(device), "next": "/rounds/"})
    assert done.status_code == 302 and done.url == "/rounds/"
    assert client.get("/rounds/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.filter(action="second_factor.enrol", object_id=str(officer.pk)).exists()


def test_an_enrolled_officer_enters_a_code_and_sees_no_key_again(second_factor, client, officer):
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    client.force_login(officer)
    page = client.get("/otp/").content.decode()
    assert 'data-testid="totp-secret"' not in page and device.config_url not in page
    assert client.post("/otp/", {"token": _code(device)}).status_code == 302
    assert client.get("/").status_code == 200


def test_an_unverified_officer_gets_nothing_from_the_api_or_admin(second_factor, client, administrator, officer):
    client.force_login(officer)
    answer = client.get("/api/v1/rounds/")
    assert answer.status_code == 403 and "Two-factor" in answer.json()["detail"]
    client.force_login(administrator)
    assert client.get("/admin/").status_code == 302


def test_suppliers_and_hospitals_need_no_second_factor(second_factor, client, supplier_user, hospital_user):
    for user in (supplier_user, hospital_user):
        client.force_login(user)
        assert client.get("/").status_code == 200
        assert client.get("/otp/").status_code == 302


def test_the_second_factor_cannot_redirect_elsewhere(second_factor, client, officer):
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    client.force_login(officer)
    answer = client.post("/otp/", {"token": _code(device), "next": "https://evil.example/"})
    assert answer.status_code == 302 and answer.url == "/"


def test_api_token_for_an_officer_needs_the_code(second_factor, client, officer, supplier_user):
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    refused = client.post("/api/v1/auth/token/", {"username": officer.username, "password": PASSWORD})
    assert refused.status_code == 400 and "two-factor" in refused.json()["detail"]
    given = client.post(
        "/api/v1/auth/token/", {"username": officer.username, "password": PASSWORD, "otp_token": _code(device)}
    )
    assert given.status_code == 200 and len(given.json()["token"]) == 64
    api = Client(HTTP_AUTHORIZATION=f"Token {given.json()['token']}")
    assert api.get("/api/v1/rounds/").status_code == 200
    supplier = client.post("/api/v1/auth/token/", {"username": supplier_user.username, "password": PASSWORD})
    assert supplier.status_code == 200


def test_repeated_failed_logins_lock_the_user_out(client, supplier_user):
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT - 1):
        answer = client.post("/login/", {"username": supplier_user.username, "password": "wrong password!"})
        assert answer.status_code == 200 and 'data-testid="locked-out"' not in answer.content.decode()
    fifth = client.post("/login/", {"username": supplier_user.username, "password": "wrong password!"})
    assert fifth.status_code == 429
    # Locked: even the right password does not log in now.
    locked = client.post("/login/", {"username": supplier_user.username, "password": PASSWORD})
    assert locked.status_code == 429 and 'data-testid="locked-out"' in locked.content.decode()
    assert "_auth_user_id" not in client.session
    token = client.post("/api/v1/auth/token/", {"username": supplier_user.username, "password": PASSWORD})
    assert token.status_code == 429


def test_a_successful_login_resets_the_failure_count(client, supplier_user):
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT - 1):
        client.post("/login/", {"username": supplier_user.username, "password": "wrong password!"})
    assert client.post("/login/", {"username": supplier_user.username, "password": PASSWORD}).status_code == 302
    client.logout()
    client.post("/login/", {"username": supplier_user.username, "password": "wrong password!"})
    assert client.post("/login/", {"username": supplier_user.username, "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize("password", ["short-1A", "123456789012345", "password1234", "officer-officer"])
def test_password_policy_refuses_weak_passwords(officer, password):
    officer.username = "officer-officer"
    with pytest.raises(ValidationError):
        validate_password(password, officer)


def test_password_policy_accepts_a_long_unusual_password(officer):
    validate_password("Tulip-harbour-2026-blue", officer)


def test_sessions_time_out_after_idle_minutes(client, supplier_user):
    assert django_settings.SESSION_COOKIE_AGE <= 30 * 60 and django_settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(supplier_user)
    assert client.get("/").status_code == 200
    assert 0 < client.session.get_expiry_age() <= 30 * 60
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    answer = client.get("/")
    assert answer.status_code == 302 and "/login/" in answer.url


def test_every_post_form_carries_the_csrf_token():
    missing = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", text, flags=re.S | re.I):
            if "{% csrf_token %}" not in form:
                missing.append(f"{template.relative_to(TEMPLATES)}: {form[:80]}")
    assert not missing, missing


def test_a_post_without_the_csrf_token_is_refused(supplier_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(supplier_user)
    assert client.post("/notifications/").status_code == 403


def test_no_inline_script_or_handler_in_any_template():
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text, flags=re.I):
            if "src=" not in tag and "application/json" not in tag:
                offenders.append(f"{template.name}: {tag}")
        if re.search(r"\son[a-z]+\s*=\s*[\"']", text, flags=re.I) or re.search(r"\sstyle\s*=", text, flags=re.I):
            offenders.append(f"{template.name}: inline handler or style")
    assert not offenders, offenders


def test_pages_send_a_strict_content_security_policy(client, officer):
    client.force_login(officer)
    for url in ("/", "/login/", "/api/docs/", "/admin/"):
        policy = client.get(url).headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in policy, url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy, url


def test_api_docs_load_their_script_from_a_file(client):
    page = client.get("/api/docs/").content.decode()
    inline = [tag for tag in re.findall(r"<script\b[^>]*>", page) if "src=" not in tag]
    assert not inline, inline


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("penalty.pdf", b"%PDF-1.7 decision", None),
        ("scan.png", b"\x89PNG\r\n\x1a\n....", None),
        ("decision.docx", b"PK\x03\x04 word", None),
        ("penalty.pdf", b"MZ\x90\x00 an executable", "signature"),
        ("tool.exe", b"MZ\x90\x00", "type"),
        ("page.html", b"<script>", "type"),
    ],
)
def test_evidence_uploads_are_checked_by_type_and_signature(name, content, code):
    upload = SimpleUploadedFile(name, content)
    if code is None:
        validate_evidence(upload)
        assert upload.read() == content  # the check leaves the file readable from its start
    else:
        with pytest.raises(ValidationError) as error:
            validate_evidence(upload)
        assert error.value.code == code


def test_evidence_over_the_limit_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError) as error:
        validate_evidence(SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 20))
    assert error.value.code == "too_large"


def test_spreadsheets_are_parsed_without_xml_entity_expansion():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML, "defusedxml must be installed so openpyxl refuses XML bombs"


def _production_env(tmp_path) -> dict:
    """The environment of production settings with their own keys."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x9!" + "k" * 20 + "Qz-7" + "m" * 30 + "#p2",
        DJANGO_ALLOWED_HOSTS="vbp.example.gov.cn",
        AUDIT_CHAIN_KEY="audit-key-for-the-check",
        BID_SEALING_KEY="A" * 43 + "=",
        SQLITE_PATH=str(tmp_path / "check.sqlite3"),
    )
    return env


def _deploy_check(tmp_path, *, without: str | None = None):
    """``manage.py check --deploy --fail-level WARNING`` with production settings and its own keys (less one)."""
    env = _production_env(tmp_path)
    if without:
        del env[without]
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_benchmark_commands_exist_in_development_only(tmp_path):
    from django.apps import apps

    assert apps.is_installed("tests.bench")
    result = subprocess.run(
        [sys.executable, "manage.py", "help", "--commands"],
        cwd=django_settings.BASE_DIR,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "migrate" in result.stdout.split()
    assert not [name for name in result.stdout.split() if name.startswith("bench_")]


def test_deployment_check_is_clean_with_production_settings(tmp_path):
    result = _deploy_check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "AUDIT_CHAIN_KEY"])
def test_production_settings_refuse_the_public_default_keys(tmp_path, missing):
    result = _deploy_check(tmp_path, without=missing)
    assert result.returncode != 0
    assert missing in result.stderr and "defaults are public" in result.stderr
