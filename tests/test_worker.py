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
