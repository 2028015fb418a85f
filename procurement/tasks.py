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


@shared_task(name="procurement.refresh_participation", acks_late=True)
def refresh_participation() -> int:
    """Beat task: rewrite the sealed participation rows of rounds taking bids (idempotent)."""
    from .services.rounds import refresh_open_participation

    return refresh_open_participation()


@shared_task(name="procurement.compute_award_group", acks_late=True)
def compute_award_group(run_id: int, group_id: int) -> None:
    """One group of an award computation; replaces its earlier attempt, so a redelivered task is harmless."""
    from .services.award import award_group_compute

    award_group_compute(run_id, group_id)


@shared_task(name="procurement.redispatch_stale_award_runs", acks_late=True)
def redispatch_stale_award_runs() -> int:
    """Beat task: re-send the groups of computations whose tasks vanished."""
    from .services.award import redispatch_stale_award_runs as redispatch

    return redispatch()


@shared_task(name="procurement.redispatch_stale_product_imports", acks_late=True)
def redispatch_stale_product_imports() -> int:
    """Beat task: re-send catalog imports whose task vanished."""
    from .services.catalog import redispatch_stale_product_imports as redispatch

    return redispatch()


@shared_task(name="procurement.expire_relations", acks_late=True)
def expire_relations() -> int:
    """Distribution relations past their last day become expired (open orders keep their distributor)."""
    from .services.distribution import relations_expire

    return relations_expire()


@shared_task(name="procurement.expire_order_lines", acks_late=True)
def expire_order_lines() -> int:
    """Order lines not answered by their deadline are cancelled and recorded against their distributor."""
    from .services.orders import lines_expire

    return lines_expire()


@shared_task(name="procurement.trading_deadline_notices", acks_late=True)
def trading_deadline_notices() -> int:
    """Remind distributors half-way to their deadlines and tell both parties when one passes."""
    from .services.trading_notices import send_deadline_notices

    return send_deadline_notices()
