"""The engines on one group (procurement/engines/group.py): the award, the agreed volume and the allocation composed
the same way for the stored computations, the preview and the benchmark. Worked examples an officer can follow,
and the properties that hold for any demand."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from procurement.engines.award_rules import BidInput
from procurement.engines.group import compute_group_award
from procurement.engines.rule_sets import DEFAULT_RULE_SETS
from procurement.engines.volumes import agreed_ratio, agreed_volumes

PARAMETERS = {rule_set["code"]: rule_set["parameters"] for rule_set in DEFAULT_RULE_SETS}
D = Decimal
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def bid(supplier, price, minutes=0, capacity=None, regions=None):
    comparable = None if price is None else D(price)
    return BidInput(supplier, comparable, T0 + timedelta(minutes=minutes), capacity), regions


DEMAND = [("H1", "R1", 1000, None, None), ("H2", "R2", 600, None, None), ("H3", "R1", 400, None, None)]


def test_two_winners_share_the_agreed_volume_of_every_hospital():
    computation = compute_group_award(
        D("1.0000"),
        "nvbp-1.8x",
        PARAMETERS["nvbp-1.8x"],
        [bid("S1", "0.2000"), bid("S2", "0.3000")],
        DEMAND,
        ["R1", "R2"],
    )
    ratio = agreed_ratio(PARAMETERS["nvbp-1.8x"], 2)
    assert computation.ratio == ratio
    assert computation.demand_base == 2000
    assert computation.agreed_total == agreed_volumes({"H1": 1000, "H2": 600, "H3": 400}, ratio)[0]
    assert [o.supplier for o in computation.award.winners] == ["S1", "S2"]
    allocation = computation.allocation
    assert set(allocation.regions) == {"R1", "R2"} and set(allocation.regions.values()) <= {"S1", "S2"}
    assert sum(line.quantity for line in allocation.lines) + allocation.unallocated_total() == computation.agreed_total
    assert {line.hospital for line in allocation.lines} == {"H1", "H2", "H3"}
    assert computation.optimiser_status == ""
    assert computation.prices() == {"S1": D("0.2000"), "S2": D("0.3000")}


def test_a_group_without_a_winner_has_no_agreed_volume_and_no_allocation():
    computation = compute_group_award(
        D("1.0000"), "nvbp-1.8x", PARAMETERS["nvbp-1.8x"], [bid("S1", None), bid("S2", "1.5000")], DEMAND, ["R1"]
    )
    assert computation.award.winners == ()
    assert (computation.ratio, computation.agreed_total, computation.allocation) == (D(0), 0, None)
    assert computation.demand_base == 2000
    assert computation.prices() == {}


def test_the_same_hospital_twice_counts_its_last_line():
    demand = [("H1", "R1", 1000, None, None), ("H1", "R1", 300, None, None), ("H2", "R1", 500, None, None)]
    computation = compute_group_award(
        D("1.0000"), "nvbp-1.8x", PARAMETERS["nvbp-1.8x"], [bid("S1", "0.2000")], demand, ["R1"]
    )
    ratio = agreed_ratio(PARAMETERS["nvbp-1.8x"], 1)
    assert computation.demand_base == 800
    total, by_hospital = agreed_volumes({"H1": 300, "H2": 500}, ratio)
    assert computation.agreed_total == total
    agreed = {line.hospital: 0 for line in computation.allocation.lines}
    for line in computation.allocation.lines:
        agreed[line.hospital] += line.quantity
    # Both of H1's lines carry its last report's agreed volume, as a mapping of hospital to demand reads it.
    assert agreed == {"H1": 2 * by_hospital["H1"], "H2": by_hospital["H2"]}


def test_without_regions_the_hospitals_regions_are_supplied():
    computation = compute_group_award(
        D("1.0000"), "nvbp-1.8x", PARAMETERS["nvbp-1.8x"], [bid("S1", "0.2000"), bid("S2", "0.3000")], DEMAND, []
    )
    assert set(computation.allocation.regions) == {"R1", "R2"}


def test_a_revived_winner_is_bound_to_its_revival_price():
    parameters = {**PARAMETERS["nvbp-r10"], "absolute_thresholds": {}}
    bids = [bid("S1", "0.2000"), bid("S2", "0.3000"), bid("S3", "0.4900"), bid("S4", "0.8000")]
    computation = compute_group_award(
        D("1"), "nvbp-r10", parameters, bids, DEMAND, ["R1", "R2"], revived=frozenset({"S3"})
    )
    assert computation.prices() == {"S1": D("0.2000"), "S2": D("0.3000"), "S3": D("0.3000")}


def test_the_optimised_mode_reports_the_optimiser_and_allocates_the_same_total():
    bids = [bid("S1", "0.2000"), bid("S2", "0.3000")]
    rules = compute_group_award(D("1.0000"), "nvbp-1.8x", PARAMETERS["nvbp-1.8x"], bids, DEMAND, ["R1", "R2"])
    optimised = compute_group_award(
        D("1.0000"), "nvbp-1.8x", PARAMETERS["nvbp-1.8x"], bids, DEMAND, ["R1", "R2"], optimised=True
    )
    assert optimised.optimiser_status == "optimal"
    assert optimised.agreed_total == rules.agreed_total
    allocated = sum(line.quantity for line in optimised.allocation.lines) + optimised.allocation.unallocated_total()
    assert allocated == optimised.agreed_total
    # The cheaper winner supplies the region with more demand when costs decide.
    assert optimised.allocation.regions["R1"] == "S1"


@given(
    st.lists(
        st.tuples(st.sampled_from(["R1", "R2", "R3"]), st.integers(min_value=0, max_value=10**6)),
        min_size=1,
        max_size=12,
    ),
    st.randoms(use_true_random=False),
)
def test_the_order_of_the_demand_lines_changes_nothing(lines, rng):
    demand = [(f"H{index:02d}", region, quantity, None, None) for index, (region, quantity) in enumerate(lines)]
    shuffled = list(demand)
    rng.shuffle(shuffled)
    bids = [bid("S1", "0.2000", capacity=10**7), bid("S2", "0.3000", minutes=1)]
    first = compute_group_award(D("1.0000"), "nvbp-1.8x", PARAMETERS["nvbp-1.8x"], bids, demand, ["R1", "R2", "R3"])
    second = compute_group_award(D("1.0000"), "nvbp-1.8x", PARAMETERS["nvbp-1.8x"], bids, shuffled, ["R1", "R2", "R3"])
    assert (first.agreed_total, first.demand_base) == (second.agreed_total, second.demand_base)
    assert first.allocation == second.allocation
    assert first.demand_base == sum(quantity for _region, quantity in lines)


def test_the_dosage_form_class_reaches_the_round_10_thresholds():
    parameters = {**PARAMETERS["nvbp-r10"], "absolute_thresholds": {"oral_solid": "0.40"}, "revival": False}
    # Four bidders: at most three winners in round 10.
    bids = [bid("S1", "0.2000"), bid("S2", "0.3000"), bid("S3", "0.3900"), bid("S4", "0.9000")]
    as_oral_solid = compute_group_award(
        D("1"), "nvbp-r10", parameters, bids, DEMAND, ["R1"], dosage_class="oral_solid"
    )
    unclassed = compute_group_award(D("1"), "nvbp-r10", parameters, bids, DEMAND, ["R1"])
    # 0.39 is above 1.8 × 0.20 = 0.36 but under the oral solids' absolute threshold of 0.40.
    assert [o.supplier for o in as_oral_solid.award.winners] == ["S1", "S2", "S3"]
    assert [o.supplier for o in unclassed.award.winners] == ["S1", "S2"]


def test_an_oral_solid_wins_at_the_low_price_under_the_anchor_rule():
    bids = [bid("S1", "0.0100"), bid("S2", "0.0900")]
    oral = compute_group_award(D("1"), "nvbp-anchor", PARAMETERS["nvbp-anchor"], bids, DEMAND, ["R1"], oral_solid=True)
    other = compute_group_award(D("1"), "nvbp-anchor", PARAMETERS["nvbp-anchor"], bids, DEMAND, ["R1"])
    assert [o.supplier for o in oral.award.winners] == ["S1", "S2"]
    assert [o.supplier for o in other.award.winners] == ["S1"]


def test_a_winner_short_of_capacity_leaves_the_region_to_the_next():
    demand = [("H1", "R1", 1000, None, None), ("H2", "R1", 1000, None, None)]
    limited = [bid("S1", "0.2000", capacity=500), bid("S2", "0.3000", minutes=1)]
    unlimited = [bid("S1", "0.2000"), bid("S2", "0.3000", minutes=1)]
    short = compute_group_award(D("1.0000"), "nvbp-1.8x", PARAMETERS["nvbp-1.8x"], limited, demand, ["R1"])
    able = compute_group_award(D("1.0000"), "nvbp-1.8x", PARAMETERS["nvbp-1.8x"], unlimited, demand, ["R1"])
    # The region's 1 200 agreed units exceed S1's capacity of 500: the next winner takes the region.
    assert short.agreed_total == 1200
    assert (short.allocation.regions, able.allocation.regions) == ({"R1": "S2"}, {"R1": "S1"})
    assert short.allocation.allocated_by_supplier() == {"S2": 1200}


def test_a_bid_limited_to_some_regions_supplies_only_those():
    bids = [bid("S1", "0.2000", regions=("R2",)), bid("S2", "0.3000", minutes=1)]
    computation = compute_group_award(D("1.0000"), "nvbp-1.8x", PARAMETERS["nvbp-1.8x"], bids, DEMAND, ["R1", "R2"])
    assert computation.allocation.regions == {"R1": "S2", "R2": "S1"}
    assert {line.supplier for line in computation.allocation.lines if line.hospital in {"H1", "H3"}} == {"S2"}


def test_the_optimiser_keeps_the_hospitals_choices():
    bids = [bid("S1", "0.2000"), bid("S2", "0.3000", minutes=1)]
    demand = [("H1", "R1", 1000, None, "S2"), ("H2", "R1", 600, "S2", None), ("H3", "R1", 400, None, None)]
    computation = compute_group_award(
        D("1.0000"), "nvbp-1.8x", PARAMETERS["nvbp-1.8x"], bids, demand, ["R1"], optimised=True
    )
    reasons = {line.hospital: (line.supplier, line.reason) for line in computation.allocation.lines}
    assert reasons["H1"] == ("S2", "hospital_choice")
    assert reasons["H2"] == ("S2", "reported_brand")


def test_a_group_without_demand_allocates_nothing():
    computation = compute_group_award(
        D("1.0000"), "nvbp-1.8x", PARAMETERS["nvbp-1.8x"], [bid("S1", "0.2000")], [], ["R1"]
    )
    assert (computation.demand_base, computation.agreed_total) == (0, 0)
    assert computation.allocation.lines == [] and computation.allocation.regions == {"R1": "S1"}
