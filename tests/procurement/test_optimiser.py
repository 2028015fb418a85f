"""Optimising allocation mode (HiGHS): lowest cost at comparable prices, capacity, one primary supplier per region,
honoured hospital choices, every winner a region; and the invariants the rule mode keeps."""

import random
from collections import Counter
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from procurement.engines.allocation import HospitalVolume, Winner, allocate
from procurement.engines.optimiser import INFEASIBLE, OPTIMAL, optimise


def cost(allocation, prices):
    return sum(prices[line.supplier] * line.quantity for line in allocation.lines)


def test_cheapest_winner_takes_the_largest_region_it_can_hold():
    winners = [Winner("S1", 1, capacity=600), Winner("S2", 2), Winner("S3", 3)]
    prices = {"S1": Decimal("1.00"), "S2": Decimal("1.50"), "S3": Decimal("1.20")}
    volumes = [
        HospitalVolume("H1", "R1", 500),
        HospitalVolume("H2", "R2", 300),
        HospitalVolume("H3", "R3", 100),
        HospitalVolume("H4", "R4", 50),
    ]
    result = optimise(winners, ["R1", "R2", "R3", "R4"], volumes, prices)
    assert result.status == OPTIMAL and result.every_winner_has_a_region
    # S1 fills its 600 with R1 + R3; S2, the dearest, gets the smallest region (each winner has one); S3 the rest.
    assert result.allocation.regions == {"R1": "S1", "R2": "S3", "R3": "S1", "R4": "S2"}
    assert cost(result.allocation, prices) == Decimal("600") + Decimal("1.2") * 300 + Decimal("1.5") * 50
    rule = allocate(winners, ["R1", "R2", "R3", "R4"], volumes)
    assert cost(result.allocation, prices) <= cost(rule, prices)


def test_choices_are_honoured_and_count_against_capacity():
    winners = [Winner("S1", 1, capacity=100), Winner("S2", 2)]
    prices = {"S1": Decimal("1"), "S2": Decimal("2")}
    volumes = [
        HospitalVolume("H1", "R1", 80, choice="S2"),
        HospitalVolume("H2", "R1", 90),
        HospitalVolume("H3", "R2", 60, brand="S1"),
        HospitalVolume("H4", "R2", 30),
    ]
    result = optimise(winners, ["R1", "R2"], volumes, prices)
    lines = {(line.hospital, line.supplier, line.reason) for line in result.allocation.lines}
    assert ("H1", "S2", "hospital_choice") in lines
    assert ("H3", "S1", "reported_brand") in lines
    # S1 keeps 40 after H3's brand: R2's free 30 fits, R1's free 90 does not.
    assert result.allocation.regions == {"R1": "S2", "R2": "S1"}


def test_infeasible_when_no_winner_can_take_a_region():
    winners = [Winner("S1", 1, capacity=10, regions=("R1",))]
    result = optimise(winners, ["R1", "R2"], [HospitalVolume("H1", "R1", 5)], {"S1": Decimal(1)})
    assert result.status == INFEASIBLE and result.allocation is None


instances = st.integers(min_value=0, max_value=2**32 - 1).map(random.Random)


def instance(rng):
    count = rng.randint(1, 5)
    regions = [f"R{i}" for i in range(rng.randint(1, 6))]
    winners = [
        Winner(
            f"S{rank}",
            rank,
            capacity=rng.choice([None, rng.randint(0, 3000)]),
            regions=rng.choice([None, tuple(rng.sample(regions, rng.randint(1, len(regions))))]),
        )
        for rank in range(1, count + 1)
    ]
    volumes = [
        HospitalVolume(
            f"H{i:03d}",
            rng.choice(regions),
            rng.randint(0, 400),
            brand=rng.choice([None, "S1", "S9"]),
            choice=rng.choice([None, None, f"S{rng.randint(1, count)}"]),
        )
        for i in range(rng.randint(0, 25))
    ]
    prices = {w.supplier: Decimal(rng.randint(10, 500)) / 100 for w in winners}
    return winners, regions, volumes, prices


@settings(max_examples=150, deadline=None)
@given(instances)
def test_invariants_volume_capacity_one_primary_determinism(rng):
    winners, regions, volumes, prices = instance(rng)
    result = optimise(winners, regions, volumes, prices)
    if result.status == INFEASIBLE:
        return
    allocation = result.allocation
    # Volume conserved: allocated + unallocated = agreed, per hospital.
    per_hospital = Counter()
    for line in allocation.lines:
        per_hospital[line.hospital] += line.quantity
    for item in allocation.unallocated:
        per_hospital[item.hospital] += item.quantity
    assert per_hospital == Counter({v.hospital: v.quantity for v in volumes if v.quantity})
    # Capacity never exceeded; only winners; one primary per region among those that accept it.
    by_supplier = {w.supplier: w for w in winners}
    load = Counter()
    for line in allocation.lines:
        load[line.supplier] += line.quantity
    for supplier, quantity in load.items():
        capacity = by_supplier[supplier].capacity
        assert capacity is None or quantity <= capacity
    assert set(allocation.regions) == set(regions)
    for region, supplier in allocation.regions.items():
        accepted = by_supplier[supplier].regions
        assert accepted is None or region in accepted
    # Input order does not change the result.
    again = optimise(list(reversed(winners)), list(reversed(regions)), list(reversed(volumes)), prices)
    assert again.allocation == allocation


@settings(max_examples=100, deadline=None)
@given(instances)
def test_never_dearer_than_the_rule_result_when_both_place_everything(rng):
    winners, regions, volumes, prices = instance(rng)
    optimised = optimise(winners, regions, volumes, prices)
    rule = allocate(winners, regions, volumes)
    comparable = (
        optimised.status == OPTIMAL
        and optimised.every_winner_has_a_region
        and not rule.unallocated
        and not optimised.allocation.unallocated
        and all(line.reason != "capacity_overflow" for line in rule.lines)
        and set(rule.regions) == set(regions)
        and set(rule.regions.values()) == {w.supplier for w in winners}
    )
    if comparable:
        assert cost(optimised.allocation, prices) <= cost(rule, prices)
