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

The hospital lines are computed column-wise with numpy (a national group has 50 000 hospitals): every line has a
fixed candidate list (its target, then the winners supplying its region in rank order), so between two moments
when some winner runs out of room each line simply goes whole to its first candidate with room. Those stretches
are computed as arrays; the few lines at which a winner runs out are handled one by one. The result is the one
the line-by-line reading of the rule gives (tests/procurement/reference_allocation.py, compared by hypothesis).
"""

from dataclasses import dataclass
from functools import cached_property

import numpy as np

HOSPITAL_CHOICE = "hospital_choice"
REPORTED_BRAND = "reported_brand"
PRIMARY_SUPPLIER = "primary_supplier"
CAPACITY_OVERFLOW = "capacity_overflow"
BACKUP_AFTER_FAILURE = "backup_after_failure"
# Reason codes of the columnar lines, in this order.
REASONS = (HOSPITAL_CHOICE, REPORTED_BRAND, PRIMARY_SUPPLIER, CAPACITY_OVERFLOW)
_CHOICE, _BRAND, _PRIMARY, _OVERFLOW = range(4)


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


@dataclass(frozen=True)
class DemandColumns:
    """Agreed volumes of one group as columns, in hospital code order (``quantities``: a numpy integer array)."""

    hospitals: list[str]
    regions: list[str]
    quantities: np.ndarray
    brands: list[str | None]
    choices: list[str | None]

    @classmethod
    def of(cls, volumes: list[HospitalVolume]) -> "DemandColumns":
        ordered = sorted(volumes, key=lambda volume: volume.hospital)
        return cls(
            [v.hospital for v in ordered],
            [v.region for v in ordered],
            integer_array([v.quantity for v in ordered]),
            [v.brand for v in ordered],
            [v.choice for v in ordered],
        )


def integer_array(values) -> np.ndarray:
    """int64 when every sum of the values fits, else exact Python integers (object array)."""
    values = list(values)
    if not values:
        return np.zeros(0, dtype=np.int64)
    largest = max(max(values), -min(values))
    if largest * len(values) < 2**62:
        return np.array(values, dtype=np.int64)
    return np.array(values, dtype=object)


class Allocation:
    """Primary supplier per region and the hospital lines, kept as columns: ``rows()`` reads them as tuples, and
    they become ``AllocationLine`` objects only when asked for."""

    def __init__(self, regions: dict[str, str], hospitals, suppliers, line_columns, unallocated_columns):
        self.regions = regions
        self._hospitals, self._suppliers = hospitals, suppliers
        self._line_columns, self._unallocated_columns = line_columns, unallocated_columns

    def __eq__(self, other) -> bool:
        if not isinstance(other, Allocation):
            return NotImplemented
        return (self.regions, self.lines, self.unallocated) == (other.regions, other.lines, other.unallocated)

    __hash__ = None

    def __repr__(self) -> str:
        return f"Allocation(regions={self.regions!r}, lines={len(self.lines)}, unallocated={len(self.unallocated)})"

    def rows(self, hospital_key: dict | None = None, supplier_key: dict | None = None):
        """(hospital, supplier, quantity, reason) of every line, in order; with ``hospital_key`` and
        ``supplier_key`` (code → e.g. database id) the hospital and supplier are given as their keys."""
        hospitals, suppliers = self._hospitals, self._suppliers
        positions, winners, quantities, reasons = self._line_columns
        if hospital_key is not None:
            hospitals = [hospital_key[code] for code in hospitals]
        if supplier_key is not None:
            suppliers = [supplier_key[code] for code in suppliers]
        return zip(
            map(hospitals.__getitem__, positions.tolist()),
            map(suppliers.__getitem__, winners.tolist()),
            quantities.tolist(),
            map(REASONS.__getitem__, reasons.tolist()),
            strict=True,
        )

    @cached_property
    def lines(self) -> list[AllocationLine]:
        return [AllocationLine(*row) for row in self.rows()]

    @cached_property
    def unallocated(self) -> list[Unallocated]:
        positions, quantities = self._unallocated_columns
        return [
            Unallocated(self._hospitals[position], quantity)
            for position, quantity in zip(positions.tolist(), quantities.tolist(), strict=True)
        ]

    def allocated_by_supplier(self) -> dict[str, int]:
        _positions, winners, quantities, _reasons = self._line_columns
        totals = {}
        for index, supplier in enumerate(self._suppliers):
            mine = quantities[winners == index]
            if len(mine):
                totals[supplier] = int(mine.sum())
        return totals

    def unallocated_total(self) -> int:
        return int(self._unallocated_columns[1].sum())


def _supplies(winner: Winner, region: str) -> bool:
    return winner.regions is None or region in winner.regions


def assign_regions(winners: list[Winner], regions: list[str], volumes: list[HospitalVolume]) -> dict[str, str]:
    """Primary supplier per region, by priority pick and rank-order round robin."""
    region_volume = {region: 0 for region in regions}
    for volume in volumes:
        if volume.region in region_volume:
            region_volume[volume.region] += volume.quantity
    return assign_regions_by_volume(winners, regions, region_volume)


def assign_regions_by_volume(winners: list[Winner], regions: list[str], region_volume: dict[str, int]):
    """``assign_regions`` given the agreed volume of every region."""
    ranked = sorted(winners, key=lambda winner: (winner.rank, winner.supplier))
    region_volume = {region: region_volume.get(region, 0) for region in regions}
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
    return allocate_columns(winners, regions, DemandColumns.of(volumes), primary=primary)


def allocate_columns(
    winners: list[Winner], regions: list[str], demand: DemandColumns, *, primary: dict[str, str] | None = None
) -> Allocation:
    """``allocate`` on agreed volumes given as columns (hospital code order)."""
    ranked = sorted(winners, key=lambda winner: (winner.rank, winner.supplier))
    codes = [winner.supplier for winner in ranked]
    index_of = {code: index for index, code in enumerate(codes)}
    area_codes = sorted(set(regions) | set(demand.regions))
    area_of = {code: index for index, code in enumerate(area_codes)}
    areas = np.array([area_of[code] for code in demand.regions], dtype=np.int64)
    quantities = demand.quantities
    if primary is None:
        volume_by_area = _sum_by(areas, quantities, len(area_codes))
        primary = assign_regions_by_volume(
            winners, regions, {code: volume_by_area[index] for index, code in enumerate(area_codes)}
        )
    primary = dict(sorted(primary.items()))
    winner_count, area_count = len(ranked), len(area_codes)
    # accepts[w, a]: winner w supplies area a; an extra last row (index -1) for "no winner" accepts nothing.
    accepts = np.zeros((winner_count + 1, area_count), dtype=bool)
    for w, winner in enumerate(ranked):
        accepts[w] = [_supplies(winner, code) for code in area_codes]
    primary_of = np.array([index_of.get(primary.get(code), -1) for code in area_codes], dtype=np.int64)
    choice = np.array([index_of.get(code, -1) if code else -1 for code in demand.choices], dtype=np.int64)
    brand = np.array([index_of.get(code, -1) if code else -1 for code in demand.brands], dtype=np.int64)
    choice_ok = accepts[choice, areas]
    brand_ok = accepts[brand, areas] & ~choice_ok
    target = np.where(choice_ok, choice, np.where(brand_ok, brand, primary_of[areas]))
    reason = np.where(choice_ok, _CHOICE, np.where(brand_ok, _BRAND, _PRIMARY)).astype(np.int8)
    # Each line's candidates depend only on (target, area): the target first, then the area's suppliers by rank.
    combo = (target + 1) * area_count + areas
    candidates = {}
    for key in np.unique(combo).tolist():
        t = key // area_count - 1
        area = key % area_count
        others = [w for w in range(winner_count) if accepts[w, area] and w != t]
        candidates[key] = ([t] if t >= 0 else []) + others, t >= 0
    key_count = (winner_count + 1) * area_count
    unlimited = int(quantities.sum()) + 1
    room = [unlimited if winner.capacity is None else winner.capacity for winner in ranked]
    limited = [w for w, winner in enumerate(ranked) if winner.capacity is not None]
    active = np.flatnonzero(quantities > 0)
    lines, leftovers = [], []  # chunks of (positions, winners, quantities, reasons) and of (positions, quantities)
    start = 0
    while start < len(active):
        segment = active[start:]
        first, kept_reason = _first_candidates(candidates, room, key_count)
        takers = first[combo[segment]]
        amounts = quantities[segment]
        stop = len(segment)  # the first line that does not fit whole into its first candidate's room
        for w in limited:
            mine = np.flatnonzero(takers == w)
            if len(mine):
                fits = int(np.searchsorted(np.cumsum(amounts[mine]), room[w], side="right"))
                if fits < len(mine):
                    stop = min(stop, int(mine[fits]))
        positions, takers, amounts = segment[:stop], takers[:stop], amounts[:stop]
        given = takers >= 0
        if given.any():
            reasons = np.where(kept_reason[combo[positions]], reason[positions], _OVERFLOW)
            lines.append((positions[given], takers[given], amounts[given], reasons[given]))
            for w in limited:
                room[w] -= int(amounts[takers == w].sum())
        if not given.all():
            leftovers.append((positions[~given], amounts[~given]))
        if stop == len(segment):
            break
        position = int(segment[stop])
        order, _has_target = candidates[int(combo[position])]
        split, left = _split_line(
            position, order, int(target[position]), int(quantities[position]), int(reason[position]), room, limited
        )
        lines.extend(split)
        if left:
            leftovers.append((np.array([position]), np.array([left], dtype=quantities.dtype)))
        start += stop + 1
    return Allocation(
        primary,
        demand.hospitals,
        codes,
        _concatenate(lines, (np.int64, np.int64, quantities.dtype, np.int8)),
        _concatenate(leftovers, (np.int64, quantities.dtype)),
    )


def _sum_by(areas: np.ndarray, quantities: np.ndarray, count: int) -> list[int]:
    totals = np.zeros(count, dtype=quantities.dtype if quantities.dtype == object else np.int64)
    np.add.at(totals, areas, quantities)
    return [int(total) for total in totals]


def _first_candidates(candidates: dict, room: list[int], key_count: int) -> tuple[np.ndarray, np.ndarray]:
    """Per (target, area) key: the first candidate with room (-1: none), and whether that is the target itself
    (the line keeps its reason) or another winner (``capacity_overflow``)."""
    first = np.full(key_count, -1, dtype=np.int64)
    kept_reason = np.zeros(key_count, dtype=bool)
    for key, (order, has_target) in candidates.items():
        for position, w in enumerate(order):
            if room[w] > 0:
                first[key] = w
                kept_reason[key] = has_target and position == 0
                break
    return first, kept_reason


def _split_line(position, order, target, left, reason, room, limited) -> tuple[list, int]:
    """A line whose first candidate lacks room for all of it, split over its candidates in order."""
    pieces = []
    for index, w in enumerate(order):
        take = min(left, room[w])
        if take <= 0:
            continue
        why = reason if index == 0 and w == target else _OVERFLOW
        pieces.append((np.array([position]), np.array([w]), np.array([take]), np.array([why], dtype=np.int8)))
        if w in limited:
            room[w] -= take
        left -= take
        if not left:
            break
    return pieces, left


def _concatenate(chunks: list, dtypes: tuple) -> tuple:
    if not chunks:
        return tuple(np.zeros(0, dtype=dtype) for dtype in dtypes)
    return tuple(np.concatenate([chunk[i] for chunk in chunks]) for i in range(len(dtypes)))
