from datetime import timedelta

import pytest
from django.utils import timezone

from credit import services
from credit.models import CreditRecord
from tests.factories import ProductFactory


def back_date(record: CreditRecord, days: int) -> CreditRecord:
    """Move a record's notice ``days`` into the past (its window then closes earlier)."""
    published = timezone.now() - timedelta(days=days)
    CreditRecord.objects.filter(pk=record.pk).update(notice_published_at=published, notice_opened_at=published)
    record.refresh_from_db()
    return record


def enter(credit_officer, supplier, *, item="kickback", amount="150000", facts=None, products=(), **extra):
    values = {
        "actor": credit_officer,
        "supplier": supplier,
        "item": item,
        "occurred_on": timezone.localdate() - timedelta(days=100),
        "source": CreditRecord.Source.ADMINISTRATIVE_PENALTY,
        "document_number": "湘医保罚〔2026〕12号",
        "amount": amount,
        "facts": facts or {},
        "products": products,
    }
    values.update(extra)
    return services.record_create(**values)


def confirm(credit_officer, record, *, reason="Facts established by the penalty decision."):
    """Let the defence window pass and uphold the record."""
    record = back_date(record, 60)
    return services.record_decide(actor=credit_officer, record=record, decision="upheld", reason=reason)


@pytest.fixture
def case_product(supplier_org):
    return ProductFactory(holder=supplier_org)


@pytest.fixture
def other_own_product(supplier_org):
    return ProductFactory(holder=supplier_org, generic_name="恩替卡韦片")


@pytest.fixture
def run_quarter(django_capture_on_commit_callbacks):
    """Start a rating run and let its chunks run as they do after the commit; returns the finished run."""

    def start(**values):
        with django_capture_on_commit_callbacks(execute=True):
            run = services.rating_run_start(**values)
        run.refresh_from_db()
        return run

    return start
