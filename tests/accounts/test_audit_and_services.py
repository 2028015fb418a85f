import pytest

from accounts import services
from accounts.exceptions import AccountsError
from accounts.models import AuditEntry, Organisation
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db


def test_organisation_create_is_audited(officer):
    city = CityFactory()
    supplier = services.organisation_create(
        actor=officer, kind=Organisation.Kind.SUPPLIER, code="91350100M000100Y43", name="Min Pharma", region=city
    )
    entry = AuditEntry.objects.get(action="organisation.create")
    assert entry.actor == officer
    assert entry.organisation_id == officer.organisation_id
    assert entry.object_id == str(supplier.pk)
    assert entry.before is None
    assert entry.after["code"] == "91350100M000100Y43"
    assert entry.after["region"] == city.pk


def test_invalid_organisation_is_refused_and_nothing_is_written(officer):
    with pytest.raises(AccountsError):
        services.organisation_create(
            actor=officer, kind=Organisation.Kind.SUPPLIER, code="BAD", name="X", region=CityFactory()
        )
    assert not Organisation.objects.filter(code="BAD").exists()
    assert not AuditEntry.objects.exists()


def test_organisation_update_records_before_and_after(officer, hospital_org):
    services.organisation_update(actor=officer, organisation=hospital_org, name="Renamed Hospital")
    entry = AuditEntry.objects.get(action="organisation.update")
    assert entry.before["name"] != "Renamed Hospital"
    assert entry.after["name"] == "Renamed Hospital"


def test_update_without_change_writes_no_audit_row(officer, hospital_org):
    services.organisation_update(actor=officer, organisation=hospital_org, name=hospital_org.name)
    assert not AuditEntry.objects.exists()


def test_kind_cannot_change(officer, hospital_org):
    with pytest.raises(AccountsError) as error:
        services.organisation_update(actor=officer, organisation=hospital_org, kind=Organisation.Kind.SUPPLIER)
    assert error.value.code == "kind_fixed"
    hospital_org.refresh_from_db()
    assert hospital_org.kind == Organisation.Kind.HOSPITAL
