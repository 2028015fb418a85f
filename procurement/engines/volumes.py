"""Agreed volume (约定采购量): the share of reported demand the winners are guaranteed, as pure functions.

shared/domain/vbp-rules.md, "Agreed volume": ``agreed_total = demand_base × ratio(winners)`` rounded half up to a
whole unit; each hospital line gets ``floor(demand × ratio)``, and the units still missing go one each to the lines
with the largest fractional parts (ties: hospital code ascending) — the largest remainder method, so that the lines
add up to the total exactly. No winner: ratio 0, nothing agreed.
"""

from decimal import Decimal

import numpy as np

from .award_rules import table_value


def agreed_ratio(parameters: dict, winners: int) -> Decimal:
    if winners <= 0:
        return Decimal(0)
    return Decimal(str(table_value(parameters["ratio_by_winners"], winners, default="0")))


def agreed_volumes(demand: dict[str, int], ratio: Decimal) -> tuple[int, dict[str, int]]:
    """(agreed total, agreed quantity per hospital) for one group."""
    # Exact integer arithmetic on ratio = numerator / denominator (a Decimal is a fraction with a power-of-ten
    # denominator), which is what Decimal would compute, at a fraction of the cost for millions of lines.
    numerator, denominator = ratio.as_integer_ratio()
    total = (2 * sum(demand.values()) * numerator + denominator) // (2 * denominator)  # half up, ratio ≥ 0
    lines, remainders = {}, []
    for hospital, quantity in demand.items():
        whole, remainder = divmod(quantity * numerator, denominator)
        lines[hospital] = whole
        if remainder:
            remainders.append((-remainder, hospital))
    missing = total - sum(lines.values())
    if missing:
        for _remainder, hospital in sorted(remainders)[:missing]:
            lines[hospital] += 1
    return total, lines


def agreed_quantities(quantities: np.ndarray, ratio: Decimal) -> tuple[int, np.ndarray]:
    """``agreed_volumes`` on a column of reported demand in hospital code order (one line per hospital): the agreed
    total and the agreed quantity of every line, computed with numpy (exact integers; object arrays when int64
    could overflow)."""
    numerator, denominator = ratio.as_integer_ratio()
    demand_base = int(quantities.sum())
    total = (2 * demand_base * numerator + denominator) // (2 * denominator)
    if not len(quantities):
        return total, quantities.copy()
    if quantities.dtype != object and int(quantities.max()) * max(numerator, 1) * len(quantities) >= 2**62:
        quantities = quantities.astype(object)
    product = quantities * numerator
    # ``//`` and ``%`` rather than ``np.divmod``, which has no loop for object arrays.
    whole, remainder = product // denominator, product % denominator
    missing = total - int(whole.sum())
    if missing:
        # Largest remainders first; a stable sort keeps hospital code order among equal remainders.
        whole[np.argsort(-remainder, kind="stable")[:missing]] += 1
    return total, whole
