import pytest
from django.core.exceptions import ValidationError

from accounts.models import Organisation, Role
from tests.factories import CityFactory, HospitalFactory, OrganisationFactory, SupplierFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_supplier_needs_a_valid_credit_code():
    supplier = SupplierFactory.build(code="91350100M000100Y44", region=CityFactory())
    with pytest.raises(ValidationError) as error:
        supplier.full_clean()
    assert "code" in error.value.message_dict


def test_supplier_with_valid_code_passes():
    SupplierFactory.build(code="91350100M000100Y43", region=CityFactory()).full_clean()


def test_hospital_needs_level_and_ownership():
    hospital = HospitalFactory.build(hospital_level="", ownership="", region=CityFactory())
    with pytest.raises(ValidationError) as error:
        hospital.full_clean()
    assert set(error.value.message_dict) == {"hospital_level", "ownership"}


def test_only_hospitals_have_a_level():
    authority = OrganisationFactory.build(hospital_level="2", region=CityFactory())
    with pytest.raises(ValidationError):
        authority.full_clean()


@pytest.mark.parametrize(
    ("role", "kind", "ok"),
    [
        (Role.SUPPLIER_USER, Organisation.Kind.SUPPLIER, True),
        (Role.SUPPLIER_USER, Organisation.Kind.HOSPITAL, False),
        (Role.HOSPITAL_USER, Organisation.Kind.HOSPITAL, True),
        (Role.HOSPITAL_USER, Organisation.Kind.AUTHORITY, False),
        (Role.PROCUREMENT_OFFICER, Organisation.Kind.AUTHORITY, True),
        (Role.CREDIT_OFFICER, Organisation.Kind.SUPPLIER, False),
        (Role.ADMINISTRATOR, Organisation.Kind.AUTHORITY, True),
    ],
)
def test_role_must_match_organisation_kind(role, kind, ok):
    factory = {"supplier": SupplierFactory, "hospital": HospitalFactory, "authority": OrganisationFactory}[kind]
    user = UserFactory.build(role=role, organisation=factory())
    if ok:
        user.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            user.full_clean()
        assert "role" in error.value.message_dict


def test_organisation_visibility(users, supplier_org, other_supplier_org, hospital_org):
    all_ids = set(Organisation.objects.values_list("id", flat=True))
    for role in (Role.PROCUREMENT_OFFICER, Role.CREDIT_OFFICER, Role.ADMINISTRATOR):
        assert set(Organisation.objects.visible_to(users[role]).values_list("id", flat=True)) == all_ids
    assert list(Organisation.objects.visible_to(users[Role.SUPPLIER_USER])) == [supplier_org]
    assert list(Organisation.objects.visible_to(users[Role.HOSPITAL_USER])) == [hospital_org]


def test_anonymous_sees_no_organisation(supplier_org):
    from django.contrib.auth.models import AnonymousUser

    assert not Organisation.objects.visible_to(AnonymousUser()).exists()
