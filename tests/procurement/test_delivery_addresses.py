"""Delivery addresses: an institution keeps its own, officers any institution's; checked and audited; never deleted,
only taken out of use; the remote-town flag follows the rule set's distance; pages and API with clear 400s."""

import pytest

from accounts.models import AuditEntry, Role
from procurement.engines.trading import DEFAULT_TRADING_RULE_SETS
from procurement.exceptions import ProcurementError
from procurement.models import DeliveryAddress
from procurement.services.addresses import address_create, address_update
from tests.factories import CityFactory, CountyFactory, HospitalFactory, UserFactory

pytestmark = pytest.mark.django_db
HUNAN = DEFAULT_TRADING_RULE_SETS[0]["parameters"]


def values(county, **extra):
    return {"name": "药剂科库房", "street": "人民路 1 号", "county": county, "distance_km": 3} | extra


def test_a_hospital_keeps_its_own_addresses(hospital_user, hospital_org):
    county = CountyFactory()
    address = address_create(actor=hospital_user, organisation=hospital_org, **values(county))
    assert not address.is_remote(HUNAN)
    address = address_update(actor=hospital_user, address=address, distance_km=62)
    assert address.is_remote(HUNAN)
    address_update(actor=hospital_user, address=address, is_active=False)
    actions = list(
        AuditEntry.objects.filter(object_id=str(address.pk)).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["address.create", "address.update", "address.update"]


def test_nobody_else_keeps_them(hospital_org, supplier_user, credit_officer, officer):
    county = CountyFactory()
    other_hospital_user = UserFactory(role=Role.HOSPITAL_USER, organisation=HospitalFactory())
    for actor in (other_hospital_user, supplier_user, credit_officer):
        with pytest.raises(ProcurementError):
            address_create(actor=actor, organisation=hospital_org, **values(county))
    assert not DeliveryAddress.objects.exists()
    address = address_create(actor=officer, organisation=hospital_org, **values(county))
    with pytest.raises(ProcurementError):
        address_update(actor=other_hospital_user, address=address, name="x")
    address.refresh_from_db()
    assert address.name == "药剂科库房"


def test_an_address_is_in_a_county_and_named_once(hospital_user, hospital_org):
    with pytest.raises(ProcurementError) as refused:
        address_create(actor=hospital_user, organisation=hospital_org, **values(CityFactory()))
    assert refused.value.code == "not_county"
    county = CountyFactory()
    address_create(actor=hospital_user, organisation=hospital_org, **values(county))
    with pytest.raises(ProcurementError) as refused:
        address_create(actor=hospital_user, organisation=hospital_org, **values(county, street="另一条路"))
    assert refused.value.code == "duplicate"
    with pytest.raises(ProcurementError):
        address_create(actor=hospital_user, organisation=hospital_org, **values(county, name="  "))
    assert DeliveryAddress.objects.count() == 1


def test_pages_and_api(client, api_for, hospital_user, hospital_org, officer):
    county = CountyFactory()
    client.force_login(hospital_user)
    form = {"name": "门诊药房", "street": "人民路 2 号", "county": county.pk, "distance_km": "70", "is_active": "on"}
    answer = client.post("/trading/addresses/new/", form)
    assert answer.status_code == 302
    listed = client.get("/trading/addresses/").content.decode()
    assert "门诊药房" in listed and "remote town" in listed
    bad = client.post("/trading/addresses/new/", form | {"distance_km": "-1", "name": "x"})
    assert bad.status_code == 200 and DeliveryAddress.objects.count() == 1
    api = api_for(hospital_user)
    created = api.post(
        "/api/v1/delivery-addresses/",
        {"name": "急诊药房", "street": "人民路 3 号", "county": county.pk},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["medinsCode"] == hospital_org.code
    for bad_body in ({"name": "y", "street": "s", "county": "abc"}, {"name": "y", "street": "s", "county": 10**12},
                     {"name": "y", "street": "s", "county": county.pk, "distance_km": 5000}):  # fmt: skip
        assert api.post("/api/v1/delivery-addresses/", bad_body, format="json").status_code == 400
    assert DeliveryAddress.objects.count() == 2
    changed = api.patch(f"/api/v1/delivery-addresses/{created.json()['id']}/", {"is_active": False}, format="json")
    assert changed.status_code == 200 and changed.json()["is_active"] is False
    other = UserFactory(role=Role.HOSPITAL_USER, organisation=HospitalFactory())
    assert api_for(other).get(f"/api/v1/delivery-addresses/{created.json()['id']}/").status_code == 404
    officer_list = api_for(officer).get("/api/v1/delivery-addresses/").json()
    assert officer_list["count"] == 2
