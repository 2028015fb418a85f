"""Delivery addresses of institutions (where orders are delivered): the institution's own users keep them, officers
may keep any institution's. An address is never deleted (orders will name it): one no longer used is made
inactive. Every change is audited."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import access, audit
from accounts.models import Organisation, Region

from ..exceptions import ProcurementError
from ..models import DeliveryAddress

ADDRESS_FIELDS = ["organisation_id", "name", "street", "county_id", "distance_km", "contact", "is_active"]


def _check(actor, organisation: Organisation) -> None:
    if access.is_procurement_officer(actor):
        if not organisation.is_hospital:
            raise ProcurementError(_("Delivery addresses belong to medical institutions."), code="not_hospital")
        return
    if not access.is_hospital_user(actor) or actor.organisation_id != organisation.pk:
        raise ProcurementError(
            _("Only the institution itself or a procurement officer keeps its delivery addresses."),
            code="not_allowed",
        )


def _validated(address: DeliveryAddress) -> DeliveryAddress:
    if address.county.level != Region.Level.COUNTY:
        raise ProcurementError(_("Choose the county or district the address is in."), code="not_county")
    address.name, address.street = address.name.strip(), address.street.strip()
    if not address.name or not address.street:
        raise ProcurementError(_("An address has a name and a street address."), code="incomplete")
    duplicate = DeliveryAddress.objects.filter(
        organisation_id=address.organisation_id, name=address.name, is_active=True
    ).exclude(pk=address.pk)
    if address.is_active and duplicate.exists():
        raise ProcurementError(
            _("The institution already has an address in use named “%(name)s”.") % {"name": address.name},
            code="duplicate",
        )
    return address


@transaction.atomic
def address_create(*, actor, organisation: Organisation, **values) -> DeliveryAddress:
    _check(actor, organisation)
    address = _validated(DeliveryAddress(organisation=organisation, **values))
    address.save()
    audit.record(actor=actor, action="address.create", instance=address, after=audit.snapshot(address, ADDRESS_FIELDS))
    return address


@transaction.atomic
def address_update(*, actor, address: DeliveryAddress, **values) -> DeliveryAddress:
    address = DeliveryAddress.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=address.pk)
    _check(actor, address.organisation)
    before = audit.snapshot(address, ADDRESS_FIELDS)
    for name, value in values.items():
        setattr(address, name, value)
    _validated(address).save()
    after = audit.snapshot(address, ADDRESS_FIELDS)
    if after != before:
        audit.record(actor=actor, action="address.update", instance=address, before=before, after=after)
    return address
