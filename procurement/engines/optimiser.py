"""Optimising allocation mode (an officer's option beside the rule result): a mixed-integer programme solved by
HiGHS that picks the primary supplier (主供企业) of every region so that the total cost at comparable prices is
lowest, subject to

- exactly one primary supplier per region, among the winners whose bid accepts the region;
- capacity: what a winner is given (honoured hospital choices and reported brands first, then the regions it is
  primary in) never exceeds the capacity it committed;
- honoured hospital choices: hospitals that chose a winner, or reported a winner's brand, keep it as in the rule
  mode (``hospital_choice`` / ``reported_brand``);
- every winner is primary in at least one region when there are at least as many regions as winners (a winner was
  promised volume; documented in docs/award.md). When capacity makes this impossible the constraint is dropped.

The programme decides regions only; the hospital lines then follow from ``allocation.allocate`` with those primary
suppliers, so reasons, rounding and capacity handling are the rule engine's own. Pure: no ORM. The model is built
in region-code and rank order, so input order does not change the result.
"""

from dataclasses import dataclass
from decimal import Decimal

import highspy

from .allocation import Allocation, HospitalVolume, Winner, _supplies, allocate

OPTIMAL = "optimal"
INFEASIBLE = "infeasible"


@dataclass
class OptimisedAllocation:
    status: str  # optimal | infeasible
    allocation: Allocation | None
    every_winner_has_a_region: bool = False


def _fixed_volumes(winners: list[Winner], volumes: list[HospitalVolume]) -> tuple[dict[str, int], dict[str, int]]:
    """(volume honoured per winner, free volume per region) before any region is assigned."""
    by_supplier = {winner.supplier: winner for winner in winners}
    fixed = {winner.supplier: 0 for winner in winners}
    free: dict[str, int] = {}
    for volume in volumes:
        chosen = None
        for supplier in (volume.choice, volume.brand):
            winner = by_supplier.get(supplier) if supplier else None
            if winner is not None and _supplies(winner, volume.region):
                chosen = winner
                break
        if chosen is not None:
            fixed[chosen.supplier] += volume.quantity
        else:
            free[volume.region] = free.get(volume.region, 0) + volume.quantity
    return fixed, free


def _solve(winners, regions, free, room, prices, *, every_winner: bool) -> dict[str, str] | None:
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("random_seed", 0)
    highs.setOptionValue("threads", 1)
    choice = {}
    for region in regions:
        for winner in winners:
            fits = room[winner.supplier] is None or free.get(region, 0) <= room[winner.supplier]
            if _supplies(winner, region) and fits:
                cost = float(prices[winner.supplier] * free.get(region, 0))
                # A tiny rank term breaks cost ties towards the better-ranked winner, deterministically.
                choice[region, winner.supplier] = highs.addBinary(obj=cost + winner.rank * 1e-6)
    for region in regions:
        options = [choice[region, w.supplier] for w in winners if (region, w.supplier) in choice]
        if not options:
            return None
        highs.addConstr(sum(options[1:], options[0]) == 1)
    for winner in winners:
        mine = [(region, choice[region, winner.supplier]) for region in regions if (region, winner.supplier) in choice]
        if room[winner.supplier] is not None and mine:
            load = [free.get(region, 0) * variable for region, variable in mine if free.get(region, 0)]
            if load:
                highs.addConstr(sum(load[1:], load[0]) <= room[winner.supplier])
        if every_winner:
            if not mine:
                return None
            variables = [variable for _region, variable in mine]
            highs.addConstr(sum(variables[1:], variables[0]) >= 1)
    highs.minimize()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return {region: supplier for (region, supplier), variable in choice.items() if round(highs.val(variable)) == 1}


def optimise(
    winners: list[Winner], regions: list[str], volumes: list[HospitalVolume], prices: dict[str, Decimal]
) -> OptimisedAllocation:
    """Primary suppliers chosen at lowest total cost, then the hospital lines as the rule engine writes them."""
    winners = sorted(winners, key=lambda winner: (winner.rank, winner.supplier))
    regions = sorted(set(regions))
    fixed, free = _fixed_volumes(winners, volumes)
    room = {w.supplier: None if w.capacity is None else max(w.capacity - fixed[w.supplier], 0) for w in winners}
    primary, every_winner = None, len(regions) >= len(winners)
    if every_winner:
        primary = _solve(winners, regions, free, room, prices, every_winner=True)
        every_winner = primary is not None
    if primary is None:
        primary = _solve(winners, regions, free, room, prices, every_winner=False)
    if primary is None:
        return OptimisedAllocation(INFEASIBLE, None)
    return OptimisedAllocation(OPTIMAL, allocate(winners, regions, volumes, primary=primary), every_winner)
