"""The allocation rule read line by line (the engine before it became column-wise), and the region pick read
turn by turn from vbp-rules.md, as test oracles. Neither calls the engine."""

from collections import Counter
from dataclasses import dataclass, field

from procurement.engines.allocation import (
    CAPACITY_OVERFLOW,
    HOSPITAL_CHOICE,
    PRIMARY_SUPPLIER,
    REPORTED_BRAND,
    AllocationLine,
    HospitalVolume,
    Unallocated,
    Winner,
)


@dataclass
class ReferenceAllocation:
    regions: dict[str, str]
    lines: list[AllocationLine] = field(default_factory=list)
    unallocated: list[Unallocated] = field(default_factory=list)


def reference_assign_regions(winners: list[Winner], regions: list[str], volumes: list[HospitalVolume]) -> dict:
    """vbp-rules.md, "Allocation" 1, as turns: rank 1 takes a priority region; then every winner in rank order
    takes one region per turn, round after round, until no region is left or a whole round takes none. On its turn
    a winner may take a free region it accepts whose agreed volume is within its remaining capacity: the first such
    region of its preference list, else the one with the largest volume (ties: the smaller code)."""
    volume = Counter()
    for line in volumes:
        if line.region in regions:
            volume[line.region] += line.quantity
    in_rank_order = sorted(winners, key=lambda winner: (winner.rank, winner.supplier))
    capacity_left = {winner.supplier: winner.capacity for winner in winners}
    free = set(regions)
    primary = {}

    def turn(winner: Winner) -> bool:
        left = capacity_left[winner.supplier]
        allowed = {
            region
            for region in free
            if (winner.regions is None or region in winner.regions) and (left is None or volume[region] <= left)
        }
        if not allowed:
            return False
        by_preference = [region for region in winner.regions or () if region in allowed]
        if by_preference:
            region = by_preference[0]
        else:
            largest = max(volume[region] for region in allowed)
            region = sorted(region for region in allowed if volume[region] == largest)[0]
        free.remove(region)
        primary[region] = winner.supplier
        if left is not None:
            capacity_left[winner.supplier] = left - volume[region]
        return True

    if in_rank_order and free:
        turn(in_rank_order[0])
    while free:
        took = 0
        for winner in in_rank_order:
            if free and turn(winner):
                took += 1
        if not took:
            break
    return dict(sorted(primary.items()))


def reference_allocate(
    winners: list[Winner],
    regions: list[str],
    volumes: list[HospitalVolume],
    *,
    primary: dict[str, str] | None = None,
) -> ReferenceAllocation:
    """Regions, then every hospital's agreed volume to a winner with its reason.

    The rule read line by line, as it was implemented before the column-wise engine; kept as the oracle that
    the engine is compared with."""
    if primary is None:
        primary = reference_assign_regions(winners, regions, volumes)
    result = ReferenceAllocation(regions=dict(sorted(primary.items())))
    by_supplier = {winner.supplier: winner for winner in winners}
    ranked = sorted(winners, key=lambda winner: (winner.rank, winner.supplier))
    remaining = {winner.supplier: winner.capacity for winner in winners}
    accepts = {w.supplier: None if w.regions is None else frozenset(w.regions) for w in winners}
    supplying: dict[str, list[Winner]] = {}  # region → winners supplying it, in rank order
    lines = result.lines
    for volume in sorted(volumes, key=lambda v: v.hospital):
        if volume.quantity <= 0:
            continue
        region = volume.region
        target, reason = None, PRIMARY_SUPPLIER
        for supplier, why in ((volume.choice, HOSPITAL_CHOICE), (volume.brand, REPORTED_BRAND)):
            winner = by_supplier.get(supplier) if supplier else None
            if winner is not None and (accepts[supplier] is None or region in accepts[supplier]):
                target, reason = winner, why
                break
        if target is None:
            primary_supplier = result.regions.get(region)
            target = by_supplier.get(primary_supplier) if primary_supplier else None
        left = volume.quantity
        if target is not None:  # the usual case: the target has room for the whole line
            room = remaining[target.supplier]
            if room is None or room >= left:
                lines.append(AllocationLine(volume.hospital, target.supplier, left, reason))
                if room is not None:
                    remaining[target.supplier] = room - left
                continue
        if region not in supplying:
            supplying[region] = [w for w in ranked if accepts[w.supplier] is None or region in accepts[w.supplier]]
        candidates = [target] if target is not None else []
        candidates += [w for w in supplying[region] if w is not target]
        for position, winner in enumerate(candidates):
            room = remaining[winner.supplier]
            take = left if room is None else min(left, room)
            if take <= 0:
                continue
            why = reason if position == 0 and winner is target else CAPACITY_OVERFLOW
            lines.append(AllocationLine(volume.hospital, winner.supplier, take, why))
            if room is not None:
                remaining[winner.supplier] = room - take
            left -= take
            if not left:
                break
        if left:
            result.unallocated.append(Unallocated(volume.hospital, left))
    return result
