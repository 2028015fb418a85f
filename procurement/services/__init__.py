"""Every state change of the procurement app, one module per part of the workflow."""

from .bidding import bid_submit, bid_withdraw, eligible_products_for, group_comparable_price
from .catalog import (
    product_create,
    product_import_run,
    product_import_submit,
    product_update,
)
from .commitments import commitment_sign, has_commitment
from .demand import demand_report, demand_upload, demand_withdraw
from .opening import round_open
from .rounds import (
    TRANSITIONS,
    advance_due_rounds,
    advance_round,
    demand_window_extend,
    group_save,
    round_create,
    round_transition,
    round_update,
    spec_ceiling_columns,
    spec_ceiling_template_rows,
    spec_ceilings_upload,
)

__all__ = [
    "TRANSITIONS",
    "advance_due_rounds",
    "advance_round",
    "bid_submit",
    "bid_withdraw",
    "commitment_sign",
    "demand_report",
    "demand_upload",
    "demand_window_extend",
    "demand_withdraw",
    "eligible_products_for",
    "group_comparable_price",
    "group_save",
    "has_commitment",
    "product_create",
    "product_import_run",
    "product_import_submit",
    "product_update",
    "round_create",
    "round_open",
    "round_transition",
    "round_update",
    "spec_ceiling_columns",
    "spec_ceiling_template_rows",
    "spec_ceilings_upload",
]
