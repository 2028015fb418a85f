"""Tasks really run on a separate Celery worker when REDIS_URL and DATABASE_URL are set."""

import pytest

from procurement import services
from procurement.models import Product, ProductImport
from tests.conftest import wait_for
from tests.procurement.test_catalog_import import good_row, xlsx

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_catalog_import_runs_on_the_worker(celery_worker_process, officer, supplier_org):
    job = services.product_import_submit(
        actor=officer, filename="catalog.xlsx", content=xlsx([good_row("WORKER-1", supplier_org)])
    )
    finished = wait_for(lambda: ProductImport.objects.get(pk=job.pk).is_finished)
    assert finished, "the worker did not finish the import within 60 s"
    job.refresh_from_db()
    assert job.status == ProductImport.Status.SUCCEEDED
    assert Product.objects.filter(national_drug_code="WORKER-1").count() == 1


def test_rejected_file_on_the_worker_changes_nothing(celery_worker_process, officer, supplier_org):
    job = services.product_import_submit(
        actor=officer, filename="catalog.xlsx", content=xlsx([good_row("WORKER-2", supplier_org, pack="x")])
    )
    assert wait_for(lambda: ProductImport.objects.get(pk=job.pk).is_finished)
    job.refresh_from_db()
    assert job.status == ProductImport.Status.REJECTED
    assert job.errors[0]["line"] == 2
    assert not Product.objects.exists()


def test_award_computation_runs_per_group_on_the_worker(celery_worker_process):
    """The demo round's award: one task per group on the worker; the result equals the engines run inline."""
    from django.core.management import call_command

    from accounts.models import User
    from procurement.models import AllocationLine, AwardRun, TenderRound
    from procurement.services.award import award_compute, round_award_preview

    call_command("load_demo", stdout=None)
    tender_round = TenderRound.objects.get(code="GY-2025-09")
    run = award_compute(actor=User.objects.get(username="officer"), tender_round=tender_round)
    assert wait_for(lambda: AwardRun.objects.get(pk=run.pk).status == AwardRun.Status.DONE), "no result within 60 s"
    inline = round_award_preview(tender_round=tender_round)
    stored = sorted(
        AllocationLine.objects.filter(run=run).values_list(
            "group__code", "hospital__code", "supplier__code", "quantity"
        )
    )
    expected = sorted(
        (group["id"], line["hospital"], line["supplier"], line["quantity"])
        for group in inline["groups"]
        for line in group["allocations"]
    )
    assert stored == expected


def test_quarterly_credit_run_on_the_worker_equals_the_engine(celery_worker_process):
    """The demo's credit records rated in chunks on the worker: same levels as the exchange-format engine, and a
    second run of the date changes nothing."""
    from django.core.management import call_command
    from django.utils import timezone

    from credit.io.rating_format import rate_document
    from credit.models import CreditRecord, RatingRun, RatingSnapshot
    from credit.services import rating_run_start

    call_command("load_demo", stdout=None)
    today = timezone.localdate()
    RatingRun.objects.all().delete()
    RatingSnapshot.objects.filter(as_of=today).delete()
    run = rating_run_start(as_of=today, chunk_size=2)
    assert run.chunks_total >= 3
    assert wait_for(lambda: RatingRun.objects.get(pk=run.pk).status == RatingRun.Status.DONE), "no result in 60 s"
    document = {
        "as_of": today.isoformat(),
        "records": [
            {"id": r.reference, "supplier": str(r.supplier_id), "item": r.item, "amount": str(r.amount),
             "confirmed": r.confirmed_on.isoformat(), "facts": r.facts}
            for r in CreditRecord.objects.judged()
        ],
    }  # fmt: skip
    expected = {row["supplier"]: row["level"] for row in rate_document(document)["suppliers"]}
    stored = dict(RatingSnapshot.objects.filter(as_of=today).values_list("supplier_id", "level"))
    assert {str(k): v for k, v in stored.items() if v != "none"} == expected
    again = rating_run_start(as_of=today, chunk_size=2)
    assert wait_for(lambda: RatingRun.objects.get(pk=again.pk).status == RatingRun.Status.DONE)
    assert RatingRun.objects.get(pk=again.pk).changed == 0
