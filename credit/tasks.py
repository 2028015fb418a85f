"""Celery tasks of the credit app: thin wrappers around services, safe to run twice."""

from celery import shared_task


@shared_task(name="credit.quarterly_run", acks_late=True)
def quarterly_run() -> int:
    """Beat task at each quarter's start: re-rate every supplier at today's quarter start."""
    from .services import rating_run_start

    return rating_run_start().pk


@shared_task(name="credit.rate_chunk", acks_late=True)
def rate_chunk(run_id: int, index: int) -> None:
    """One chunk of suppliers of a run; a chunk already stored is skipped, so a redelivered task is harmless."""
    from .services import rating_chunk_compute

    rating_chunk_compute(run_id, index)


@shared_task(name="credit.redispatch_stale_runs", acks_late=True)
def redispatch_stale_runs() -> int:
    """Beat task: re-send the chunks of runs whose tasks vanished."""
    from .services import redispatch_stale_rating_runs

    return redispatch_stale_rating_runs()
