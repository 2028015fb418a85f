"""Every page of the foundation × every role: the expected status, and denied posts change nothing."""

import pytest
from django.urls import reverse

from accounts.models import AuditEntry, Organisation, Role
from procurement.models import Product
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

OFFICER, CREDIT, ADMIN = Role.PROCUREMENT_OFFICER, Role.CREDIT_OFFICER, Role.ADMINISTRATOR
SUPPLIER, HOSPITAL = Role.SUPPLIER_USER, Role.HOSPITAL_USER
ALL = {OFFICER, CREDIT, ADMIN, SUPPLIER, HOSPITAL}
STAFF = {OFFICER, CREDIT, ADMIN}
EDITORS = {OFFICER, ADMIN}

# (url name, needs an object, roles that get 200; every other role gets 403)
PAGES = [
    ("accounts:home", None, ALL),
    ("accounts:password_change", None, ALL),
    ("accounts:organisation_list", None, STAFF),
    ("accounts:organisation_detail", "organisation", STAFF),
    ("accounts:organisation_create", None, EDITORS),
    ("accounts:organisation_edit", "organisation", EDITORS),
    ("accounts:audit_list", None, STAFF),
    ("procurement:product_list", None, ALL),
    ("procurement:product_detail", "product", ALL),
    ("procurement:product_export", None, ALL),
    ("procurement:product_create", None, EDITORS),
    ("procurement:product_edit", "product", EDITORS),
    ("procurement:product_import", None, EDITORS),
    ("procurement:product_import_template", None, EDITORS),
]


def _url(name, needs, objects):
    return reverse(name, args=[objects[needs].pk]) if needs else reverse(name)


@pytest.fixture
def objects(supplier_org):
    return {"organisation": supplier_org, "product": ProductFactory(holder=supplier_org)}


@pytest.mark.parametrize(("name", "needs", "allowed"), PAGES, ids=[page[0] for page in PAGES])
@pytest.mark.parametrize("role", sorted(ALL))
def test_page_access_by_role(client, users, objects, name, needs, allowed, role):
    client.force_login(users[role])
    response = client.get(_url(name, needs, objects))
    assert response.status_code == (200 if role in allowed else 403)


@pytest.mark.parametrize(("name", "needs", "allowed"), PAGES, ids=[page[0] for page in PAGES])
def test_anonymous_is_sent_to_login(client, objects, name, needs, allowed):
    url = _url(name, needs, objects)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_admin_site_only_for_administrators(client, users):
    for role, user in users.items():
        client.force_login(user)
        response = client.get(reverse("admin:index"))
        assert response.status_code == (200 if role == ADMIN else 302)


@pytest.mark.parametrize("role", [SUPPLIER, HOSPITAL, CREDIT])
def test_denied_product_post_changes_nothing(client, users, supplier_org, role):
    client.force_login(users[role])
    response = client.post(
        reverse("procurement:product_create"),
        {
            "national_drug_code": "NEW0001",
            "generic_name": "X",
            "dosage_form": "片剂",
            "strength_amount": "10",
            "strength_unit": "mg",
            "pack_size": "10",
            "smallest_unit": "tablet",
            "quality_tier": "other",
            "holder": supplier_org.pk,
        },
    )
    assert response.status_code == 403
    assert not Product.objects.filter(national_drug_code="NEW0001").exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("role", [SUPPLIER, HOSPITAL, CREDIT])
def test_denied_organisation_edit_changes_nothing(client, users, hospital_org, role):
    client.force_login(users[role])
    response = client.post(reverse("accounts:organisation_edit", args=[hospital_org.pk]), {"name": "Hijacked"})
    assert response.status_code == 403
    assert Organisation.objects.get(pk=hospital_org.pk).name == hospital_org.name


@pytest.mark.parametrize(
    ("role", "title"),
    [
        (OFFICER, "Procurement officer home"),
        (CREDIT, "Credit officer home"),
        (ADMIN, "Administrator home"),
        (SUPPLIER, "Supplier home"),
        (HOSPITAL, "Hospital home"),
    ],
)
def test_each_role_lands_on_its_home(client, users, role, title):
    client.force_login(users[role])
    response = client.get(reverse("accounts:home"))
    assert f'data-testid="home-title">{title}</h1>' in response.content.decode()


def test_supplier_home_lists_only_its_own_products(client, supplier_user, other_supplier_org):
    mine = ProductFactory(holder=supplier_user.organisation, generic_name="MINE-PRODUCT")
    ProductFactory(holder=other_supplier_org, generic_name="THEIRS-PRODUCT")
    client.force_login(supplier_user)
    body = client.get(reverse("accounts:home")).content.decode()
    assert mine.generic_name in body
    assert "THEIRS-PRODUCT" not in body


def test_login_and_logout(client, supplier_user):
    response = client.post(
        reverse("accounts:login"), {"username": supplier_user.username, "password": "Test-pass-2026"}
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:home")
    assert client.get(reverse("accounts:home")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:home")).status_code == 302


def test_wrong_password_is_refused(client, supplier_user):
    response = client.post(reverse("accounts:login"), {"username": supplier_user.username, "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_password_change(client, hospital_user):
    client.force_login(hospital_user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "Test-pass-2026", "new_password1": "Another-pass-2027", "new_password2": "Another-pass-2027"},
    )
    assert response.status_code == 302
    hospital_user.refresh_from_db()
    assert hospital_user.check_password("Another-pass-2027")


def test_officer_registers_a_supplier_through_the_form(client, officer):
    from tests.factories import CityFactory

    city = CityFactory()
    client.force_login(officer)
    response = client.post(
        reverse("accounts:organisation_create"),
        {
            "kind": "supplier",
            "code": "91350100M000100Y43",
            "name": "Fujian Pharma",
            "region": city.pk,
            "is_active": "on",
        },
    )
    organisation = Organisation.objects.get(code="91350100M000100Y43")
    assert response.status_code == 302
    assert response.url == reverse("accounts:organisation_detail", args=[organisation.pk])
    assert AuditEntry.objects.filter(action="organisation.create", object_id=str(organisation.pk)).exists()


def test_organisation_form_shows_check_digit_error(client, officer):
    from tests.factories import CityFactory

    client.force_login(officer)
    response = client.post(
        reverse("accounts:organisation_create"),
        {"kind": "supplier", "code": "91350100M000100Y44", "name": "Bad", "region": CityFactory().pk},
    )
    assert response.status_code == 200
    assert "check digit" in response.content.decode()
    assert not Organisation.objects.filter(name="Bad").exists()


def test_organisation_list_filters_with_htmx_partial(client, officer, hospital_org, supplier_org):
    client.force_login(officer)
    response = client.get(reverse("accounts:organisation_list"), {"kind": "hospital"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert hospital_org.name in body
    assert supplier_org.name not in body


def test_error_pages_use_the_layout(client, officer):
    client.force_login(officer)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Not found" in response.content.decode()
