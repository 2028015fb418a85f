"""Volume allocation (量的分配): supply regions and per-hospital agreed volumes to winners, as pure functions.

shared/domain/vbp-rules.md, "Allocation":

1. Supply regions (供应地区): rank 1 first takes one priority region; then winners pick one remaining region each in
   rank order, round after round, until none is left. A winner takes the first free region of its bid's ``regions``
   (its preference order), else the free region with the largest agreed volume (ties: region code). It never takes
   a region its bid does not accept, nor one whose agreed volume exceeds its remaining capacity; a winner that can
   take nothing passes. Each region
   ends with exactly one primary supplier (主供企业) unless no winner can take it.
2. A hospital whose chosen winner (``choice``) or reported brand (``brand``) is a winner supplying its region gets
   its agreed volume with that winner (``hospital_choice``, ``reported_brand``).
3. Everything else goes to the region's primary supplier (``primary_supplier``).
4. A winner whose allocation would exceed its capacity passes the excess to the next winner in rank order that
   supplies the region (``capacity_overflow``); what nobody can take is reported as unallocated.

A winner "supplies" a region when the region is in its bid's ``regions`` (no list: every region). Lines are
processed in hospital code order, so the result does not depend on input order.
"""

from dataclasses import dataclass, field

HOSPITAL_CHOICE = "hospital_choice"
REPORTED_BRAND = "reported_brand"
PRIMARY_SUPPLIER = "primary_supplier"
CAPACITY_OVERFLOW = "capacity_overflow"
BACKUP_AFTER_FAILURE = "backup_after_failure"


@dataclass(frozen=True)
class Winner:
    supplier: str
    rank: int
    capacity: int | None = None  # None: unlimited
    regions: tuple[str, ...] | None = None  # None: every region; else in order of preference


@dataclass(frozen=True)
class HospitalVolume:
    hospital: str
    region: str
    quantity: int  # agreed volume of this hospital
    brand: str | None = None  # supplier of the brand it reported
    choice: str | None = None  # winner it chose on the platform


@dataclass(frozen=True)
class AllocationLine:
    hospital: str
    supplier: str
    quantity: int
    reason: str


@dataclass(frozen=True)
class Unallocated:
    hospital: str
    quantity: int


@dataclass
class Allocation:
    regions: dict[str, str] = field(default_factory=dict)
    lines: list[AllocationLine] = field(default_factory=list)
    unallocated: list[Unallocated] = field(default_factory=list)


def _supplies(winner: Winner, region: str) -> bool:
    return winner.regions is None or region in winner.regions


def assign_regions(winners: list[Winner], regions: list[str], volumes: list[HospitalVolume]) -> dict[str, str]:
    """Primary supplier per region, by priority pick and rank-order round robin."""
    ranked = sorted(winners, key=lambda winner: (winner.rank, winner.supplier))
    region_volume = {region: 0 for region in regions}
    for volume in volumes:
        if volume.region in region_volume:
            region_volume[volume.region] += volume.quantity
    remaining = {winner.supplier: winner.capacity for winner in ranked}
    free = set(regions)
    primary: dict[str, str] = {}

    def pick(winner: Winner) -> bool:
        room = remaining[winner.supplier]
        acceptable = [r for r in free if _supplies(winner, r) and (room is None or region_volume[r] <= room)]
        if not acceptable:
            return False
        preferred = [r for r in (winner.regions or ()) if r in acceptable]
        chosen = preferred[0] if preferred else min(acceptable, key=lambda r: (-region_volume[r], r))
        free.discard(chosen)
        primary[chosen] = winner.supplier
        if room is not None:
            remaining[winner.supplier] = room - region_volume[chosen]
        return True

    if ranked and free:
        pick(ranked[0])  # the priority region of rank 1
    while free:
        if not any([pick(winner) for winner in ranked if free]):
            break  # nobody can take what is left
    return dict(sorted(primary.items()))


def allocate(
    winners: list[Winner],
    regions: list[str],
    volumes: list[HospitalVolume],
    *,
    primary: dict[str, str] | None = None,
) -> Allocation:
    """Regions, then every hospital's agreed volume to a winner with its reason.

    ``primary`` (region → supplier) replaces the round-robin pick, as the optimising mode does."""
    if primary is None:
        primary = assign_regions(winners, regions, volumes)
    result = Allocation(regions=dict(sorted(primary.items())))
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
