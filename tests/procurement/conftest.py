from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from procurement.services import commitment_sign
from tests.factories import GroupFactory, ProductFactory, RoundFactory


@pytest.fixture
def bidding_round(db):
    return RoundFactory()


@pytest.fixture
def group(bidding_round):
    return GroupFactory(round=bidding_round)


@pytest.fixture
def product(group, supplier_org):
    """The supplier's eligible product: 20 mg × 14, so a pack price of 14 is 1.0000 per comparable unit."""
    product = ProductFactory(holder=supplier_org, strength_amount=Decimal("20"), pack_size=14)
    group.eligible_products.add(product)
    return product


@pytest.fixture
def other_product(group, other_supplier_org):
    product = ProductFactory(holder=other_supplier_org, strength_amount=Decimal("40"), pack_size=7)
    group.eligible_products.add(product)
    return product


@pytest.fixture
def committed(supplier_user, bidding_round):
    return commitment_sign(actor=supplier_user, tender_round=bidding_round)


def move_to_opening(tender_round):
    """Shift the round's timetable so that bidding is over and the opening time has come."""
    now = timezone.now()
    type(tender_round).objects.filter(pk=tender_round.pk).update(
        bid_closes_at=now - timedelta(seconds=2), opening_at=now - timedelta(seconds=1)
    )
    tender_round.refresh_from_db()
    return tender_round


def _supplier_id(supplier) -> int:
    return supplier.organisation_id if hasattr(supplier, "organisation_id") else supplier.pk


def own(tender_round, supplier):
    """A supplier's part in a round (commitment, bids, versions): sealed before the opening, rows after it."""
    from procurement import participation

    tender_round.refresh_from_db()
    return participation.own_part(tender_round, _supplier_id(supplier))


def sealed_content(tender_round, supplier, group) -> bytes:
    """The round-sealed ciphertext of the supplier's current bid for a group, from its sealed part."""
    import base64

    from procurement import participation

    state = participation.read(tender_round, _supplier_id(supplier))
    return base64.b64decode(state["bids"][str(group.pk)]["content"])
