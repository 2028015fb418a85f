"""Celery tasks of the procurement app: thin wrappers around services, safe to run twice."""

from celery import shared_task


@shared_task(name="procurement.run_product_import", acks_late=True)
def run_product_import(import_id: int) -> str:
    from .services import product_import_run

    return product_import_run(import_id).status


@shared_task(name="procurement.advance_rounds", acks_late=True)
def advance_rounds() -> int:
    """Beat task: move rounds whose deadline has passed (idempotent)."""
    from .services import advance_due_rounds

    return advance_due_rounds()
