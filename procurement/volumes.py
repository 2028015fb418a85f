"""Agreed volume (约定采购量): the share of reported demand the winners are guaranteed, as pure functions.

shared/domain/vbp-rules.md, "Agreed volume": ``agreed_total = demand_base × ratio(winners)`` rounded half up to a
whole unit; each hospital line gets ``floor(demand × ratio)``, and the units still missing go one each to the lines
with the largest fractional parts (ties: hospital code ascending) — the largest remainder method, so that the lines
add up to the total exactly. No winner: ratio 0, nothing agreed.
"""

from decimal import Decimal

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
