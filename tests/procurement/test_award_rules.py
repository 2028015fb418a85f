"""The award rule engines: worked examples per rule set, and properties that must hold for any input."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from procurement.engines.award_rules import BidInput, award_group, table_value
from procurement.engines.rule_sets import DEFAULT_RULE_SETS
from procurement.engines.volumes import agreed_quantities, agreed_ratio, agreed_volumes

PARAMETERS = {rule_set["code"]: rule_set["parameters"] for rule_set in DEFAULT_RULE_SETS}
D = Decimal
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def bid(supplier, price, minutes=0, capacity=None, eligible=True):
    return BidInput(supplier, None if price is None else D(price), T0 + timedelta(minutes=minutes), capacity, eligible)


def outcome_map(award):
    return {outcome.supplier: (outcome.rank, outcome.reason) for outcome in award.outcomes}


def test_cap_table_lookup():
    table = PARAMETERS["nvbp-1.8x"]["max_winners_by_bidders"]
    assert [table_value(table, n) for n in (0, 1, 2, 3, 4, 8, 12, 13, 40)] == [0, 1, 2, 2, 3, 6, 9, 10, 10]


def test_1_8x_clauses_and_reasons():
    bids = [
        bid("S1", "0.2000"),
        bid("S2", "0.3000"),
        bid("S3", "0.3600"),  # (a) ≤ 1.8 × 0.20
        bid("S4", "0.4900"),  # (b) ≤ 0.5 × ceiling
        bid("S5", "0.6000"),  # no clause
        bid("S6", "1.2000"),
        bid("S7", None),  # above the ceiling / empty quote
        bid("S8", "0.2500", eligible=False),
    ]
    award = award_group(bids, D("1.0000"), "nvbp-1.8x", PARAMETERS["nvbp-1.8x"])
    assert (award.bidders, award.valid_bidders, award.max_winners, award.lowest_comparable) == (8, 5, 6, D("0.2"))
    assert outcome_map(award) == {
        "S1": (1, "winner"),
        "S2": (2, "winner"),
        "S3": (3, "winner"),
        "S4": (4, "winner"),
        "S5": (5, "above_threshold"),
        "S6": (None, "above_ceiling"),
        "S7": (None, "above_ceiling"),
        "S8": (None, "ineligible"),
    }


def test_absolute_low_price_clause():
    award = award_group(
        [bid("S1", "0.0100"), bid("S2", "0.0900"), bid("S3", "0.1100")],
        D("0.15"),
        "nvbp-1.8x",
        PARAMETERS["nvbp-1.8x"],
    )
    # 3 bidders → 2 winners; S2 (above 1.8 × 0.01 and 0.5 × 0.15) wins only through the 0.10 clause; S3 meets none.
    assert outcome_map(award) == {"S1": (1, "winner"), "S2": (2, "winner"), "S3": (3, "above_threshold")}


def test_cap_cuts_candidates():
    bids = [bid(f"S{i}", f"0.{50 + i}") for i in range(4)]  # all within 1.8 × lowest; 4 bidders → 3 winners
    award = award_group(bids, D("1"), "nvbp-1.8x", PARAMETERS["nvbp-1.8x"])
    assert [o.reason for o in award.outcomes] == ["winner", "winner", "winner", "exceeds_winner_count"]


def test_tie_break_time_then_capacity_then_code():
    bids = [
        bid("S3", "0.5", minutes=5, capacity=100),
        bid("S2", "0.5", minutes=1, capacity=100),
        bid("S1", "0.5", minutes=1, capacity=50),
        bid("S0", "0.5", minutes=1, capacity=None),
        bid("S9", "0.5", minutes=1, capacity=None),
    ]
    award = award_group(bids, D("1"), "nvbp-1.8x", PARAMETERS["nvbp-1.8x"])
    assert [o.supplier for o in award.outcomes] == ["S0", "S9", "S2", "S1", "S3"]


def test_r10_drops_the_ceiling_clause_and_offers_revival():
    parameters = {**PARAMETERS["nvbp-r10"], "absolute_thresholds": {"oral_solid": "0.05"}}
    bids = [bid("S1", "0.2000"), bid("S2", "0.3000"), bid("S3", "0.4900"), bid("S4", "0.8000")]
    award = award_group(bids, D("1"), "nvbp-r10", parameters, dosage_class="oral_solid")
    reasons = {o.supplier: (o.reason, o.revival_price) for o in award.outcomes}
    assert reasons == {
        "S1": ("winner", None),
        "S2": ("winner", None),
        "S3": ("revival_offered", D("0.3000")),
        "S4": ("revival_offered", D("0.3000")),
    }


def test_r10_single_winner_revival_at_1_8_times():
    award = award_group([bid("S1", "0.2000"), bid("S2", "0.9000")], D("1"), "nvbp-r10", PARAMETERS["nvbp-r10"])
    assert [(o.reason, o.revival_price) for o in award.outcomes] == [
        ("winner", None),
        ("revival_offered", D("0.3600")),
    ]


def test_anchor_rule():
    bids = [bid("S1", "0.1000"), bid("S2", "0.3000"), bid("S3", "0.5000"), bid("S4", "0.6000")]
    award = award_group(bids, D("1"), "nvbp-anchor", PARAMETERS["nvbp-anchor"])
    # 4 bidders → shortlist 3; anchor = max(0.10, 0.5 × 0.30) = 0.15; limit 0.27
    assert (award.max_winners, award.anchor) == (3, D("0.1500"))
    assert [(o.supplier, o.reason, o.revival_price, o.justification_required) for o in award.outcomes] == [
        ("S1", "winner", None, True),
        ("S2", "cut_by_anchor", D("0.2700"), False),
        ("S3", "cut_by_anchor", D("0.2700"), False),
        ("S4", "exceeds_winner_count", None, False),
    ]


def test_anchor_oral_solid_low_price():
    bids = [bid("S1", "0.0100"), bid("S2", "0.0900")]
    award = award_group(bids, D("1"), "nvbp-anchor", PARAMETERS["nvbp-anchor"], oral_solid=True)
    assert [o.reason for o in award.outcomes] == ["winner", "winner"]


def test_agreed_ratio_and_volumes():
    parameters = PARAMETERS["nvbp-1.8x"]
    assert [agreed_ratio(parameters, w) for w in (0, 1, 2, 3, 4, 9)] == [
        D(0),
        D("0.5"),
        D("0.6"),
        D("0.7"),
        D("0.8"),
        D("0.8"),
    ]
    total, lines = agreed_volumes({"H1": 5, "H2": 5, "H3": 5}, D("0.7"))
    # 15 × 0.7 = 10.5 → 11; floors 3,3,3; two units to the largest fractions (all 0.5: by code)
    assert (total, lines) == (11, {"H1": 4, "H2": 4, "H3": 3})


bids_strategy = st.lists(
    st.builds(
        BidInput,
        supplier=st.text(alphabet="ABCDEFGH", min_size=1, max_size=3),
        comparable=st.one_of(st.none(), st.decimals(min_value=D("0.0001"), max_value=D("3"), places=4)),
        submitted_at=st.one_of(
            st.none(),
            st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 2, 1), timezones=st.just(UTC)),
        ),
        capacity=st.one_of(st.none(), st.integers(min_value=1, max_value=10**7)),
        eligible=st.booleans(),
    ),
    max_size=20,
    unique_by=lambda b: b.supplier,
)


@pytest.mark.parametrize("rule_set", ["nvbp-1.8x", "nvbp-r10", "nvbp-anchor"])
@given(bids=bids_strategy, ceiling=st.decimals(min_value=D("0.01"), max_value=D("2"), places=4), data=st.data())
def test_award_invariants(rule_set, bids, ceiling, data):
    award = award_group(bids, ceiling, rule_set, PARAMETERS[rule_set])
    assert sorted(o.supplier for o in award.outcomes) == sorted(b.supplier for b in bids)
    assert len(award.winners) <= award.max_winners
    eligible = {b.supplier for b in bids if b.eligible}
    for winner in award.winners:
        assert winner.comparable is not None and winner.comparable <= ceiling
        assert winner.supplier in eligible
        if rule_set == "nvbp-1.8x":
            lowest = award.lowest_comparable
            clauses = (D("1.8") * lowest, D("0.5") * ceiling, D("0.10"))
            assert any(winner.comparable <= limit for limit in clauses)
    shuffled = data.draw(st.permutations(bids))
    assert award_group(shuffled, ceiling, rule_set, PARAMETERS[rule_set]) == award


@given(
    st.dictionaries(st.text(alphabet="H0123456789", min_size=1, max_size=5), st.integers(0, 10**7), max_size=40),
    st.sampled_from(["0", "0.3", "0.5", "0.6", "0.7", "0.8"]),
)
def test_agreed_volumes_add_up_exactly(demand, ratio):
    total, lines = agreed_volumes(demand, D(ratio))
    assert sum(lines.values()) == total
    assert set(lines) == set(demand)
    for hospital, quantity in demand.items():
        exact = D(quantity) * D(ratio)
        assert exact - 1 < lines[hospital] < exact + 1


def test_revival_acceptance_wins_at_the_revival_price_within_the_cap():
    parameters = {**PARAMETERS["nvbp-r10"], "absolute_thresholds": {}}
    bids = [bid("S1", "0.2000"), bid("S2", "0.3000"), bid("S3", "0.4900"), bid("S4", "0.8000")]
    # n = 4 → at most 3 winners (round-10 table); S1, S2 win; S3 and S4 accept revival at 0.3000, only S3 fits.
    award = award_group(bids, D("1"), "nvbp-r10", parameters, revived=frozenset({"S3", "S4"}))
    assert [(o.supplier, o.won, o.reason, o.revived, o.revival_price) for o in award.outcomes] == [
        ("S1", True, "winner", False, None),
        ("S2", True, "winner", False, None),
        ("S3", True, "winner", True, D("0.3000")),
        ("S4", False, "exceeds_winner_count", False, None),
    ]


def test_anchor_revival_acceptance():
    bids = [bid("S1", "0.1000"), bid("S2", "0.3000"), bid("S3", "0.5000"), bid("S4", "0.6000")]
    award = award_group(bids, D("1"), "nvbp-anchor", PARAMETERS["nvbp-anchor"], revived=frozenset({"S2"}))
    assert [(o.supplier, o.won, o.revived) for o in award.outcomes][:3] == [
        ("S1", True, False),
        ("S2", True, True),
        ("S3", False, False),
    ]


def reference_agreed_volumes(demand, ratio):
    """The rules doc's wording in Decimal arithmetic, to check the integer implementation against."""
    from decimal import ROUND_FLOOR, ROUND_HALF_UP

    total = int((D(sum(demand.values())) * ratio).quantize(D(1), rounding=ROUND_HALF_UP))
    lines, fractions = {}, []
    for hospital, quantity in demand.items():
        exact = D(quantity) * ratio
        whole = exact.quantize(D(1), rounding=ROUND_FLOOR)
        lines[hospital] = int(whole)
        fractions.append((-(exact - whole), hospital))
    for _fraction, hospital in sorted(fractions)[: total - sum(lines.values())]:
        lines[hospital] += 1
    return total, lines


@given(
    st.dictionaries(st.text(alphabet="H0123456789", min_size=1, max_size=5), st.integers(0, 10**9), max_size=40),
    st.decimals(min_value=0, max_value=1, places=4),
)
def test_integer_largest_remainder_equals_the_decimal_definition(demand, ratio):
    assert agreed_volumes(demand, ratio) == reference_agreed_volumes(demand, ratio)


@given(
    st.lists(st.integers(0, 10**6), max_size=30),
    st.sampled_from(["0", "0.5", "0.6", "0.65", "0.7", "0.8", "0.333", "1"]),
)
def test_agreed_quantities_on_a_column_equal_the_mapping_version(quantities, ratio):
    demand = {f"H{index:03d}": quantity for index, quantity in enumerate(quantities)}  # code order = list order
    total, lines = agreed_volumes(demand, D(ratio))
    column_total, column = agreed_quantities(np.array(quantities, dtype=np.int64), D(ratio))
    assert column_total == total
    assert column.tolist() == list(lines.values())


def test_a_ratio_table_starting_at_two_winners_agrees_nothing_for_one():
    """A rule set guaranteeing volume only from two winners on: one winner gets a ratio of 0."""
    assert agreed_ratio({"ratio_by_winners": {"2": "0.6", "3": "0.7"}}, 1) == D(0)
    assert agreed_ratio({"ratio_by_winners": {"2": "0.6", "3": "0.7"}}, 2) == D("0.6")


def test_no_winner_agrees_nothing_even_if_the_table_names_zero_winners():
    assert agreed_ratio({"ratio_by_winners": {"0": "0.5", "1": "0.5"}}, 0) == D(0)


@pytest.mark.parametrize("ratio", ["0.333", "0.7"])
def test_agreed_quantities_stay_exact_where_demand_times_the_ratio_passes_64_bits(ratio):
    """Four lines of about 2**55 units: a line times 333 no longer fits a 64-bit integer, so the column is computed
    with exact Python integers; both ratios give what the line-by-line definition gives."""
    quantities = [2**55, 2**55 + 1, 2**55 + 3, 2**55 + 7]
    total, column = agreed_quantities(np.array(quantities, dtype=np.int64), D(ratio))
    expected_total, expected_lines = reference_agreed_volumes(
        {f"H{index}": quantity for index, quantity in enumerate(quantities)}, D(ratio)
    )
    assert (total, column.tolist()) == (expected_total, list(expected_lines.values()))
