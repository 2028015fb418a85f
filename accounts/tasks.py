"""Periodic and after-commit work of the accounts app."""

from celery import shared_task


@shared_task(name="accounts.seal_audit_chain", acks_late=True)
def seal_audit_chain() -> int:
    """Chain the committed audit rows not yet sealed. Idempotent: sealed rows are never touched again."""
    from .audit_chain import seal

    return seal()


@shared_task(name="accounts.anchor_audit_chain", acks_late=True)
def anchor_audit_chain() -> int:
    """Daily: publish the chain's head as a checkpoint and anchor it outside the database (docs/trust.md)."""
    from django.utils import timezone

    from .audit_chain import publish_checkpoint

    return publish_checkpoint(f"daily {timezone.localdate().isoformat()}").seq
