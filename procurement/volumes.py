"""Agreed volume (约定采购量): the share of reported demand the winners are guaranteed, as pure functions.

shared/domain/vbp-rules.md, "Agreed volume": ``agreed_total = demand_base × ratio(winners)`` rounded half up to a
whole unit; each hospital line gets ``floor(demand × ratio)``, and the units still missing go one each to the lines
with the largest fractional parts (ties: hospital code ascending) — the largest remainder method, so that the lines
add up to the total exactly. No winner: ratio 0, nothing agreed.
"""

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from .award_rules import table_value


def agreed_ratio(parameters: dict, winners: int) -> Decimal:
    if winners <= 0:
        return Decimal(0)
    return Decimal(str(table_value(parameters["ratio_by_winners"], winners, default="0")))


def agreed_volumes(demand: dict[str, int], ratio: Decimal) -> tuple[int, dict[str, int]]:
    """(agreed total, agreed quantity per hospital) for one group."""
    total = (Decimal(sum(demand.values())) * ratio).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    lines, fractions = {}, []
    for hospital, quantity in demand.items():
        exact = Decimal(quantity) * ratio
        whole = exact.quantize(Decimal(1), rounding=ROUND_FLOOR)
        lines[hospital] = int(whole)
        fractions.append((-(exact - whole), hospital))
    missing = int(total) - sum(lines.values())
    for _fraction, hospital in sorted(fractions)[:missing]:
        lines[hospital] += 1
    return int(total), lines
