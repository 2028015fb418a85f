"""The allocation rule read line by line (the engine before it became column-wise), as a test oracle."""

from procurement.allocation import (
    CAPACITY_OVERFLOW,
    HOSPITAL_CHOICE,
    PRIMARY_SUPPLIER,
    REPORTED_BRAND,
    Allocation,
    AllocationLine,
    HospitalVolume,
    Unallocated,
    Winner,
    assign_regions,
)


def reference_allocate(
    winners: list[Winner],
    regions: list[str],
    volumes: list[HospitalVolume],
    *,
    primary: dict[str, str] | None = None,
) -> Allocation:
    """Regions, then every hospital's agreed volume to a winner with its reason.

    The rule read line by line, as it was implemented before the column-wise engine; kept as the oracle that
    the engine is compared with."""
    if primary is None:
        primary = assign_regions(winners, regions, volumes)
    result = Allocation(regions=dict(sorted(primary.items())))
    result._lines, result._unallocated = [], []
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
