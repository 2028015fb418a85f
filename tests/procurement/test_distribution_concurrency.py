"""The area limit under concurrent acceptances on PostgreSQL: many distributors accept at the same moment, and no
more than the rule set's limit of them hold a relation for the product and area."""

import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import Role
from procurement.exceptions import ProcurementError
from procurement.models import DistributionRelation, RelationStatus
from procurement.services import distribution as services
from tests.factories import (
    CountyFactory,
    DistributorFactory,
    ListingFactory,
    ProductFactory,
    SupplierFactory,
    UserFactory,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DISTRIBUTORS = 8


def test_concurrent_acceptances_never_exceed_the_area_limit(monkeypatch):
    supplier = SupplierFactory()
    manufacturer = UserFactory(role=Role.SUPPLIER_USER, organisation=supplier)
    product = ProductFactory(holder=supplier)
    ListingFactory(product=product)
    county = CountyFactory()
    proposals = []
    for _index in range(DISTRIBUTORS):
        distributor = DistributorFactory()
        user = UserFactory(role=Role.DISTRIBUTOR_USER, organisation=distributor)
        relation = services.relation_create(
            actor=manufacturer,
            product=product,
            area=county,
            distributor=distributor,
            valid_from=timezone.localdate(),
            letter_reference="SQ-C",
        )
        proposals.append((relation, user))
    # Widen the window between counting the area's distributors and storing the acceptance, so that without the
    # lock the threads would all count the same few and all accept.
    move = services._move

    def slow_move(*args, **kwargs):
        time.sleep(0.2)
        return move(*args, **kwargs)

    monkeypatch.setattr(services, "_move", slow_move)
    barrier = threading.Barrier(DISTRIBUTORS)
    accepted, refused, errors = [], [], []

    def accept(relation, user):
        try:
            barrier.wait()
            services.relation_accept(actor=user, relation=relation)
            accepted.append(relation.pk)
        except ProcurementError as error:
            refused.append(error.code)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=pair) for pair in proposals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    limit = services.default_rule_set().parameters["max_distributors_per_area"]
    assert len(accepted) == limit
    assert refused == ["area_limit"] * (DISTRIBUTORS - limit)
    assert DistributionRelation.objects.filter(status=RelationStatus.ACCEPTED).count() == limit
