"""API tokens are stored as hashes only and never shown after they are issued; a user sees and revokes their own
(issue 15, item 9); the admin shows no authenticator secret."""

import pytest
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "Test-pass-2026"


def _issue(user) -> str:
    response = APIClient().post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200 and response.json()["expiry"]
    return response.json()["token"]


def _database_text() -> str:
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            values.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(values)


def test_a_token_is_stored_only_as_its_hash(supplier_user):
    token = _issue(supplier_user)
    assert token not in _database_text()
    stored = AuthToken.objects.get(user=supplier_user)
    assert len(stored.digest) == 128 and stored.token_key == token[:15]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/users/me/").json()["username"] == supplier_user.username
    issued = AuditEntry.objects.get(action="api_token.issue")
    assert token not in str(issued.after) and issued.after["token"] == token[:8]


def test_the_admin_lists_no_token_and_no_authenticator_secret(client, administrator, officer):
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    client.force_login(administrator)
    index = client.get("/admin/").content.decode()
    assert "authtoken" not in index and "/admin/knox/" not in index
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404
    assert client.get("/admin/knox/authtoken/").status_code == 404
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in page and device.bin_key.hex() not in page


def test_a_user_sees_and_revokes_their_own_tokens_on_the_page(client, supplier_user, other_supplier_user):
    mine, theirs = _issue(supplier_user), _issue(other_supplier_user)
    client.force_login(supplier_user)
    page = client.get("/account/tokens/").content.decode()
    assert mine[:8] in page and theirs[:8] not in page and mine not in page
    # Another user's token cannot be revoked by naming its key.
    client.post("/account/tokens/", {"key": theirs[:15]})
    assert AuthToken.objects.filter(user=other_supplier_user).count() == 1
    client.post("/account/tokens/", {"key": mine[:15]})
    assert not AuthToken.objects.filter(user=supplier_user).exists()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {mine}")
    assert api.get("/api/v1/users/me/").status_code in (401, 403)
    assert AuditEntry.objects.filter(action="api_token.revoke", actor=supplier_user).count() == 1


def test_the_api_lists_and_revokes_the_callers_own_tokens(supplier_user, other_supplier_user):
    first, second = _issue(supplier_user), _issue(supplier_user)
    theirs = _issue(other_supplier_user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    listed = api.get("/api/v1/auth/tokens/").json()
    assert sorted(row["key"] for row in listed) == sorted([first[:15], second[:15]])
    refused = api.post("/api/v1/auth/tokens/revoke/", {"key": theirs[:15]}, format="json")
    assert refused.status_code == 400 and AuthToken.objects.filter(user=other_supplier_user).count() == 1
    assert api.post("/api/v1/auth/tokens/revoke/", {"key": second[:15]}, format="json").status_code == 204
    assert [row["key"] for row in api.get("/api/v1/auth/tokens/").json()] == [first[:15]]
