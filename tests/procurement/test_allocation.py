"""Allocation: region picking, hospital brand and choice, primary supplier, capacity overflow; invariants."""

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from procurement.allocation import HospitalVolume, Winner, allocate, assign_regions

from .reference_allocation import reference_allocate


def regions(count):
    return [f"R{i:02d}" for i in range(1, count + 1)]


def test_round_robin_gives_rank_one_the_extra_region():
    winners = [Winner(f"S{rank}", rank) for rank in range(1, 5)]
    primary = assign_regions(winners, regions(31), [])
    assert sorted(Counter(primary.values()).values(), reverse=True) == [9, 8, 7, 7]
    assert Counter(primary.values())["S1"] == 9
    assert len(primary) == 31


def test_preference_and_largest_demand_default():
    winners = [Winner("S1", 1, regions=("R03", "R01")), Winner("S2", 2)]
    volumes = [HospitalVolume("H1", "R02", 500), HospitalVolume("H2", "R01", 100)]
    primary = assign_regions(winners, regions(3), volumes)
    # S1 takes its first preference R03, S2 the largest free (R02), then S1 its next preference R01.
    assert primary == {"R01": "S1", "R02": "S2", "R03": "S1"}


def test_capacity_keeps_a_winner_out_of_a_big_region():
    winners = [Winner("S1", 1, capacity=100), Winner("S2", 2)]
    volumes = [HospitalVolume("H1", "R01", 1000), HospitalVolume("H2", "R02", 50)]
    assert assign_regions(winners, ["R01", "R02"], volumes) == {"R01": "S2", "R02": "S1"}


def test_reasons_brand_choice_primary():
    winners = [Winner("S1", 1, regions=("R01",)), Winner("S2", 2)]
    volumes = [
        HospitalVolume("H1", "R01", 100, brand="S2"),  # brand is a winner supplying R01
        HospitalVolume("H2", "R01", 100, brand="S9"),  # losing brand → primary
        HospitalVolume("H3", "R01", 100, brand="S2", choice="S1"),  # choice first
        HospitalVolume("H4", "R02", 100, brand="S1"),  # S1 does not supply R02 → primary S2
    ]
    result = allocate(winners, ["R01", "R02"], volumes)
    assert result.regions == {"R01": "S1", "R02": "S2"}
    assert [(line.hospital, line.supplier, line.quantity, line.reason) for line in result.lines] == [
        ("H1", "S2", 100, "reported_brand"),
        ("H2", "S1", 100, "primary_supplier"),
        ("H3", "S1", 100, "hospital_choice"),
        ("H4", "S2", 100, "primary_supplier"),
    ]


def test_capacity_overflow_and_unallocated():
    winners = [Winner("S1", 1, capacity=150), Winner("S2", 2, capacity=30)]
    volumes = [HospitalVolume("H1", "R01", 100), HospitalVolume("H2", "R02", 100, brand="S1")]
    result = allocate(winners, ["R01", "R02"], volumes)
    # S1 (capacity 150) takes R01 (100); nobody has room for R02 (100) as primary.
    assert result.regions == {"R01": "S1"}
    assert [(line.hospital, line.supplier, line.quantity, line.reason) for line in result.lines] == [
        ("H1", "S1", 100, "primary_supplier"),
        ("H2", "S1", 50, "reported_brand"),
        ("H2", "S2", 30, "capacity_overflow"),
    ]
    assert [(item.hospital, item.quantity) for item in result.unallocated] == [("H2", 20)]


winner_lists = st.lists(
    st.builds(
        Winner,
        supplier=st.sampled_from(["S1", "S2", "S3", "S4", "S5"]),
        rank=st.integers(1, 10),
        capacity=st.one_of(st.none(), st.integers(0, 5000)),
        regions=st.one_of(st.none(), st.lists(st.sampled_from(regions(6)), unique=True).map(tuple)),
    ),
    max_size=5,
    unique_by=(lambda w: w.supplier, lambda w: w.rank),
)
volume_lists = st.lists(
    st.builds(
        HospitalVolume,
        hospital=st.text(alphabet="H0123456789", min_size=2, max_size=4),
        region=st.sampled_from(regions(6)),
        quantity=st.integers(0, 2000),
        brand=st.one_of(st.none(), st.sampled_from(["S1", "S2", "S9"])),
        choice=st.one_of(st.none(), st.sampled_from(["S3", "S8"])),
    ),
    max_size=25,
    unique_by=lambda v: v.hospital,
)


@given(winner_lists, volume_lists, st.data())
def test_allocation_invariants(winners, volumes, data):
    result = allocate(winners, regions(6), volumes)
    allocated = sum(line.quantity for line in result.lines) + sum(item.quantity for item in result.unallocated)
    assert allocated == sum(volume.quantity for volume in volumes)  # volume is conserved
    names = {winner.supplier for winner in winners}
    assert {line.supplier for line in result.lines} <= names  # winners only
    used = Counter()
    for line in result.lines:
        used[line.supplier] += line.quantity
        assert line.quantity > 0
    for winner in winners:
        if winner.capacity is not None:
            assert used[winner.supplier] <= winner.capacity  # capacity never exceeded
    assert set(result.regions) <= set(regions(6))  # one primary per region at most (a dict)
    assert set(result.regions.values()) <= names
    shuffled = allocate(data.draw(st.permutations(winners)), regions(6), data.draw(st.permutations(volumes)))
    assert (shuffled.regions, shuffled.lines, shuffled.unallocated) == (
        result.regions,
        result.lines,
        result.unallocated,
    )


tight_winner_lists = st.lists(
    st.builds(
        Winner,
        supplier=st.sampled_from(["S1", "S2", "S3", "S4", "S5"]),
        rank=st.integers(1, 10),
        capacity=st.one_of(st.none(), st.integers(0, 800)),
        regions=st.one_of(st.none(), st.lists(st.sampled_from(regions(4)), unique=True).map(tuple)),
    ),
    max_size=5,
    unique_by=(lambda w: w.supplier, lambda w: w.rank),
)
tight_volume_lists = st.lists(
    st.builds(
        HospitalVolume,
        hospital=st.text(alphabet="H0123456789", min_size=2, max_size=4),
        region=st.sampled_from(regions(5)),  # R05: a region outside the round's list
        quantity=st.integers(0, 400),
        brand=st.one_of(st.none(), st.sampled_from(["S1", "S2", "S9"])),
        choice=st.one_of(st.none(), st.sampled_from(["S3", "S4", "S8"])),
    ),
    max_size=40,
    unique_by=lambda v: v.hospital,
)


@given(tight_winner_lists, tight_volume_lists, st.booleans())
def test_column_wise_engine_equals_the_rule_read_line_by_line(winners, volumes, fixed_primary):
    """The numpy engine gives exactly the lines, reasons, order and leftovers of the line-by-line reading, also
    when capacities run out in the middle (small capacities) and for regions nobody is primary in."""
    primary = {"R01": winners[0].supplier} if fixed_primary and winners else None
    result = allocate(winners, regions(4), volumes, primary=primary)
    expected = reference_allocate(winners, regions(4), volumes, primary=primary)
    assert result.regions == expected.regions
    assert result.lines == expected.lines
    assert result.unallocated == expected.unallocated
    assert list(result.rows()) == [(x.hospital, x.supplier, x.quantity, x.reason) for x in expected.lines]
    totals = Counter()
    for line in expected.lines:
        totals[line.supplier] += line.quantity
    assert result.allocated_by_supplier() == dict(totals)
    assert result.unallocated_total() == sum(item.quantity for item in expected.unallocated)


def test_column_wise_engine_handles_quantities_beyond_64_bits():
    winners = [Winner("S1", 1, capacity=3 * 10**19), Winner("S2", 2)]
    volumes = [HospitalVolume("H1", "R01", 2 * 10**19), HospitalVolume("H2", "R01", 2 * 10**19)]
    result = allocate(winners, ["R01"], volumes, primary={"R01": "S1"})
    assert result.lines == reference_allocate(winners, ["R01"], volumes, primary={"R01": "S1"}).lines
    assert [(line.supplier, line.quantity, line.reason) for line in result.lines] == [
        ("S1", 2 * 10**19, "primary_supplier"),
        ("S1", 10**19, "primary_supplier"),
        ("S2", 10**19, "capacity_overflow"),
    ]
