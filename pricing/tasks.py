"""Celery tasks of price governance: thin and idempotent."""

from celery import shared_task


@shared_task(name="pricing.daily_checks", acks_late=True)
def daily_checks() -> dict:
    """Beat task: listings follow the credit measures in force; supply anomalies open warnings (once each)."""
    from .services import scan_supply, sync_credit_suspensions

    suspended, lifted = sync_credit_suspensions()
    return {"suspended": suspended, "lifted": lifted, "supply_warnings": scan_supply()}
