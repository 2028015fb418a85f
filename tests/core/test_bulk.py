"""The one bulk writer: COPY on PostgreSQL (the second CI pass), bulk_create on the embedded database."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from accounts.models import Notification
from core.bulk import bulk_insert, copy_rows
from procurement.models import AllocationLine
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


COLUMNS = ["run_id", "group_id", "hospital_id", "supplier_id", "quantity", "reason"]


def test_copy_rows_writes_every_tuple_with_its_values_and_counts_them():
    # Allocation lines are the writer's real load (millions per award run); their keys carry no database constraint.
    lines = [(7, 3, hospital, 40 + hospital % 2, 10**12 + hospital, "primary_supplier") for hospital in range(5)]
    assert copy_rows(AllocationLine, COLUMNS, iter(lines), batch_size=2) == 5
    assert list(AllocationLine.objects.order_by("hospital_id").values_list(*COLUMNS)) == lines


def test_copy_rows_of_nothing_writes_nothing():
    assert copy_rows(AllocationLine, ["run_id", "quantity"], iter(())) == 0
    assert not AllocationLine.objects.exists()


def test_bulk_insert_applies_defaults_json_and_auto_now_to_plain_objects():
    organisation = OrganisationFactory()
    before = timezone.now() - datetime.timedelta(seconds=1)
    plain = SimpleNamespace(
        id=None,
        organisation_id=organisation.pk,
        kind="k",
        params={"名称": "甲", "n": 1},
        link="",
        read_at=None,
        created_at=None,
    )
    assert bulk_insert(Notification, [plain]) == 1
    stored = Notification.objects.get()
    assert stored.params == {"名称": "甲", "n": 1}
    assert stored.created_at >= before and stored.organisation_id == organisation.pk
