"""State changes of the credit app (every one audited): commitments, records and their procedure, repair, ratings
and measures; signing the commitment for a round is procurement's."""

from .commitments import current_commitment_text
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
    catalog_version_put_in_force,
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
    "catalog_version_put_in_force",
    "current_commitment_text",
    "defence_file",
    "finish_rating_run",
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
