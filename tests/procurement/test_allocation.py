"""Allocation: region picking, hospital brand and choice, primary supplier, capacity overflow; invariants."""

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from procurement.engines.allocation import HospitalVolume, Winner, allocate, assign_regions, assign_regions_by_volume

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
    # S1 takes its first preference R03 as its priority region, then, first in the round, its next preference
    # R01; S2 is left with R02.
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


def lines_of(result):
    return [(line.hospital, line.supplier, line.quantity, line.reason) for line in result.lines]


def test_without_preferences_the_largest_region_goes_first():
    """R02 (900) is rank 1's priority region; in the first round rank 1 takes the larger of the two 500s by code
    (R03), rank 2 the other (R04); R01 (100) is left for the second round."""
    winners = [Winner("S1", 1), Winner("S2", 2)]
    volumes = [
        HospitalVolume("H1", "R01", 100),
        HospitalVolume("H2", "R02", 900),
        HospitalVolume("H3", "R03", 500),
        HospitalVolume("H4", "R04", 500),
    ]
    assert assign_regions(winners, regions(4), volumes) == {"R01": "S1", "R02": "S1", "R03": "S1", "R04": "S2"}


def test_a_capacity_exactly_the_size_of_a_region_takes_it_and_then_overflows():
    """S1 can supply 500: exactly R01's agreed volume (300 + 200), so R01 is its region and it is then full; H3
    reported S1's brand, but S1 has no room left, so H3's volume overflows to S2."""
    winners = [Winner("S1", 1, capacity=500), Winner("S2", 2)]
    volumes = [
        HospitalVolume("H1", "R01", 300),
        HospitalVolume("H2", "R01", 200),
        HospitalVolume("H3", "R02", 600, brand="S1"),
    ]
    result = allocate(winners, ["R01", "R02"], volumes)
    assert result.regions == {"R01": "S1", "R02": "S2"}
    assert lines_of(result) == [
        ("H1", "S1", 300, "primary_supplier"),
        ("H2", "S1", 200, "primary_supplier"),
        ("H3", "S2", 600, "capacity_overflow"),
    ]
    assert (result.allocated_by_supplier(), result.unallocated_total()) == ({"S1": 500, "S2": 600}, 0)


def test_the_last_unit_of_capacity_is_used():
    """S1 (capacity 201) supplies only R01 and is its primary supplier: H1 takes 200, one unit is left. H2's brand
    S2 (capacity 3) runs out on H2, whose other 2 units overflow to S3. H3 reported S1's brand: S1 gives its last
    unit, S2 has nothing left, S3 takes the other 3."""
    winners = [Winner("S1", 1, capacity=201, regions=("R01",)), Winner("S2", 2, capacity=3), Winner("S3", 3)]
    volumes = [
        HospitalVolume("H1", "R01", 200),
        HospitalVolume("H2", "R02", 5, brand="S2"),
        HospitalVolume("H3", "R01", 4, brand="S1"),
    ]
    result = allocate(winners, ["R01", "R02"], volumes, primary={"R01": "S1", "R02": "S3"})
    assert lines_of(result) == [
        ("H1", "S1", 200, "primary_supplier"),
        ("H2", "S2", 3, "reported_brand"),
        ("H2", "S3", 2, "capacity_overflow"),
        ("H3", "S1", 1, "reported_brand"),
        ("H3", "S3", 3, "capacity_overflow"),
    ]
    assert result.allocated_by_supplier() == {"S1": 201, "S2": 3, "S3": 5}


def test_region_volumes_add_up_every_hospital_of_the_region():
    """R01 is 300 + 200 = 500, exactly S1's capacity, so R01 is S1's priority region (R03, 400, would also fit but
    is smaller); S1 is then full, and S2 takes R02 and R03."""
    winners = [Winner("S1", 1, capacity=500), Winner("S2", 2)]
    volumes = [
        HospitalVolume("H1", "R01", 300),
        HospitalVolume("H2", "R01", 200),
        HospitalVolume("H3", "R02", 600),
        HospitalVolume("H4", "R03", 400),
    ]
    assert assign_regions(winners, regions(3), volumes) == {"R01": "S1", "R02": "S2", "R03": "S2"}


def test_a_region_without_reported_demand_costs_no_capacity():
    """S1 (capacity 10) fills up with R01; R02, where no hospital reported demand, still fits, and S1 takes it
    first in the round; S2 takes R03."""
    winners = [Winner("S1", 1, capacity=10), Winner("S2", 2)]
    primary = assign_regions_by_volume(winners, ["R01", "R02", "R03"], {"R01": 10, "R03": 5})
    assert primary == {"R01": "S1", "R02": "S1", "R03": "S2"}


def test_lines_can_be_read_with_database_keys():
    winners = [Winner("S1", 1, capacity=150), Winner("S2", 2, capacity=30)]
    volumes = [HospitalVolume("H1", "R01", 100), HospitalVolume("H2", "R02", 100, brand="S1")]
    result = allocate(winners, ["R01", "R02"], volumes)
    assert list(result.rows({"H1": 11, "H2": 12}, {"S1": 21, "S2": 22})) == [
        (11, 21, 100, "primary_supplier"),
        (12, 21, 50, "reported_brand"),
        (12, 22, 30, "capacity_overflow"),
    ]
    assert (result.allocated_by_supplier(), result.unallocated_total()) == ({"S1": 150, "S2": 30}, 20)


def test_no_reported_demand_at_all():
    result = allocate([Winner("S1", 1), Winner("S2", 2)], ["R01", "R02", "R03"], [])
    assert result.regions == {"R01": "S1", "R02": "S1", "R03": "S2"}
    assert (result.lines, result.unallocated, result.allocated_by_supplier(), result.unallocated_total()) == (
        [],
        [],
        {},
        0,
    )


def test_region_volumes_beyond_64_bits_are_exact():
    """R01 sums four lines of 2**61 (2**63, past a 64-bit integer), R02 is one line of 2**63 + 1: R02 is the
    larger by one unit and is S1's priority region, which fills S1 exactly; S2 takes R01, then R03."""
    winners = [Winner("S1", 1, capacity=2**63 + 1), Winner("S2", 2)]
    volumes = [HospitalVolume(f"H{index}", "R01", 2**61) for index in range(1, 5)]
    volumes += [HospitalVolume("H5", "R02", 2**63 + 1), HospitalVolume("H6", "R03", 1)]
    result = allocate(winners, regions(3), volumes)
    assert result.regions == {"R01": "S2", "R02": "S1", "R03": "S2"}
    assert result.allocated_by_supplier() == {"S1": 2**63 + 1, "S2": 2**63 + 1}


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
