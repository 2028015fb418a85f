"""State changes of the credit app (every one audited): commitments, records and their procedure, repair, ratings
and measures."""

from .commitments import commitment_sign, current_commitment_text, has_commitment
from .ratings import (
    finish_rating_run,
    quarter_start,
    rating_chunk_compute,
    rating_run_start,
    redispatch_stale_rating_runs,
    store_ratings,
    supplier_rerate,
)
from .records import (
    catalog_in_force,
    defence_file,
    may_decide,
    notice_open,
    record_create,
    record_decide,
    record_notify,
    record_platform_event,
    record_revoke,
    repair_apply,
    repair_decide,
    repair_steps_for,
    tip_review,
    tip_submit,
    warning_acknowledge,
)

__all__ = [
    "catalog_in_force",
    "commitment_sign",
    "current_commitment_text",
    "defence_file",
    "finish_rating_run",
    "has_commitment",
    "may_decide",
    "notice_open",
    "quarter_start",
    "rating_chunk_compute",
    "rating_run_start",
    "record_create",
    "record_decide",
    "record_notify",
    "record_platform_event",
    "record_revoke",
    "redispatch_stale_rating_runs",
    "repair_apply",
    "repair_decide",
    "repair_steps_for",
    "store_ratings",
    "supplier_rerate",
    "tip_review",
    "tip_submit",
    "warning_acknowledge",
]
