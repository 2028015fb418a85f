import pytest

from accounts.models import AuditEntry, Organisation, Role

pytestmark = pytest.mark.django_db


def test_anonymous_gets_401_or_403(api_for):
    response = api_for().get("/api/v1/organisations/")
    assert response.status_code in (401, 403)


def test_officer_lists_every_organisation(api_for, officer, supplier_org, hospital_org):
    response = api_for(officer).get("/api/v1/organisations/")
    assert response.status_code == 200
    codes = {row["code"] for row in response.json()["results"]}
    assert codes == set(Organisation.objects.values_list("code", flat=True))


@pytest.mark.parametrize("role", [Role.SUPPLIER_USER, Role.HOSPITAL_USER])
def test_supplier_and_hospital_see_only_their_own(api_for, users, other_supplier_org, other_hospital_org, role):
    user = users[role]
    response = api_for(user).get("/api/v1/organisations/")
    assert [row["id"] for row in response.json()["results"]] == [user.organisation_id]
    for other in (other_supplier_org, other_hospital_org):
        assert api_for(user).get(f"/api/v1/organisations/{other.pk}/").status_code == 404


def test_filter_by_kind(api_for, officer, supplier_org, hospital_org):
    response = api_for(officer).get("/api/v1/organisations/", {"kind": "hospital"})
    assert [row["code"] for row in response.json()["results"]] == [hospital_org.code]


def test_officer_registers_supplier_through_api(api_for, officer, hospital_org):
    payload = {
        "kind": "supplier",
        "code": "91350100M000100Y43",
        "name": "API Pharma",
        "region": hospital_org.region_id,
    }
    response = api_for(officer).post("/api/v1/organisations/", payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["code"] == "91350100M000100Y43"
    assert AuditEntry.objects.filter(action="organisation.create").count() == 1


def test_bad_credit_code_gets_a_400_with_a_stable_code(api_for, officer, hospital_org):
    payload = {"kind": "supplier", "code": "91350100M000100Y44", "name": "Bad", "region": hospital_org.region_id}
    response = api_for(officer).post("/api/v1/organisations/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_organisation"
    assert not Organisation.objects.filter(name="Bad").exists()


@pytest.mark.parametrize("role", [Role.SUPPLIER_USER, Role.HOSPITAL_USER, Role.CREDIT_OFFICER])
def test_other_roles_cannot_write_organisations(api_for, users, hospital_org, role):
    api = api_for(users[role])
    payload = {"kind": "supplier", "code": "91350100M000100Y43", "name": "X", "region": hospital_org.region_id}
    assert api.post("/api/v1/organisations/", payload, format="json").status_code == 403
    response = api.patch(f"/api/v1/organisations/{users[role].organisation_id}/", {"name": "Y"}, format="json")
    assert response.status_code == 403
    assert not AuditEntry.objects.exists()


def test_users_me_and_scoping(api_for, users):
    for role, user in users.items():
        api = api_for(user)
        me = api.get("/api/v1/users/me/").json()
        assert (me["username"], me["role"], me["organisation"]["id"]) == (user.username, role, user.organisation_id)
        listed = [row["username"] for row in api.get("/api/v1/users/").json()["results"]]
        if role == Role.ADMINISTRATOR:
            assert set(listed) == {u.username for u in users.values()}
        else:
            assert listed == [user.username]


def test_token_auth(api_for, supplier_user):
    from rest_framework.test import APIClient

    client = APIClient()
    token = client.post("/api/v1/auth/token/", {"username": supplier_user.username, "password": "Test-pass-2026"})
    assert token.status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Token " + token.json()["token"])
    assert client.get("/api/v1/users/me/").json()["username"] == supplier_user.username


def test_schema_and_docs_are_served_without_cdn(client, officer):
    client.force_login(officer)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/products/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "cdn" not in docs.lower()
    assert "/static/drf_spectacular_sidecar/" in docs


def test_regions_tree(api_for, supplier_user):
    rows = api_for(supplier_user).get("/api/v1/regions/").json()["results"]
    city = next(row for row in rows if row["level"] == "city")
    assert any(row["id"] == city["parent"] and row["level"] == "province" for row in rows)


def test_schema_generates_without_warnings(tmp_path):
    """Every endpoint's schema is derivable (issue 8 fuzzes against it): drf-spectacular's warnings are errors."""
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in ("/api/v1/award-runs/", "/api/v1/award-outcomes/", "/api/v1/allocations/", "/api/v1/bids/"):
        assert path in schema
