"""Bids exactly on the boundaries of the award rules, with every field of every outcome asserted, winners and
losers: "at most the ceiling", "at most 1.8 × the lowest", "at most half the ceiling", "at most 0.10 yuan",
"at most 1.8 × the anchor", "below the anchor must justify", and a strength's own ceiling. A rule officer
recognises each case; a change of ``<=`` into ``<`` (or the reverse) anywhere fails one of them."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from procurement.engines.award_rules import BidInput, BidOutcome, award_group
from procurement.engines.rule_sets import DEFAULT_RULE_SETS

PARAMETERS = {rule_set["code"]: rule_set["parameters"] for rule_set in DEFAULT_RULE_SETS}
D = Decimal
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
# The 1.8× family with only the 1.8× clause, to look at one clause at a time.
ONLY_1_8 = {**PARAMETERS["nvbp-1.8x"], "ceiling_drop_share": "0", "absolute_low_price": "0"}


def bids(*prices, ceiling=None):
    return [
        BidInput(f"S{n}", D(price), T0 + timedelta(minutes=n), ceiling=ceiling) for n, price in enumerate(prices, 1)
    ]


def test_a_bid_exactly_at_the_ceiling_is_valid_and_one_ten_thousandth_above_is_not():
    award = award_group(bids("0.6000", "1.0000", "1.0001"), D("1.0000"), "nvbp-1.8x", PARAMETERS["nvbp-1.8x"])
    assert (award.bidders, award.valid_bidders, award.max_winners, award.lowest_comparable) == (3, 2, 2, D("0.6"))
    assert award.outcomes == (
        BidOutcome("S1", D("0.6000"), 1, True, "winner"),
        BidOutcome("S2", D("1.0000"), 2, True, "winner"),
        BidOutcome("S3", D("1.0001"), None, False, "above_ceiling"),
    )


def test_exactly_1_8_times_the_lowest_is_a_candidate():
    award = award_group(bids("0.5000", "0.9000", "0.9001"), D("10"), "nvbp-1.8x", ONLY_1_8)
    assert award.outcomes == (
        BidOutcome("S1", D("0.5000"), 1, True, "winner"),
        BidOutcome("S2", D("0.9000"), 2, True, "winner"),
        BidOutcome("S3", D("0.9001"), 3, False, "above_threshold"),
    )


def test_exactly_half_the_ceiling_is_a_candidate():
    """0.50 is 5 × the lowest, so only the 50 % clause can make it a candidate."""
    award = award_group(bids("0.1000", "0.5000", "0.5001"), D("1.0000"), "nvbp-1.8x", PARAMETERS["nvbp-1.8x"])
    assert [(o.supplier, o.rank, o.won, o.reason) for o in award.outcomes] == [
        ("S1", 1, True, "winner"),
        ("S2", 2, True, "winner"),
        ("S3", 3, False, "above_threshold"),
    ]


def test_exactly_ten_fen_is_a_candidate():
    award = award_group(bids("0.0100", "0.1000", "0.1001"), D("0.1500"), "nvbp-1.8x", PARAMETERS["nvbp-1.8x"])
    assert [(o.supplier, o.won, o.reason) for o in award.outcomes] == [
        ("S1", True, "winner"),
        ("S2", True, "winner"),
        ("S3", False, "above_threshold"),
    ]


def test_candidates_beyond_the_cap_lose_with_their_rank_and_price():
    """Four bids within 1.8 × the lowest; four bidders allow three winners."""
    award = award_group(bids("0.5000", "0.5100", "0.5200", "0.5300"), D("1"), "nvbp-1.8x", PARAMETERS["nvbp-1.8x"])
    assert award.winners == award.outcomes[:3]
    assert award.outcomes[3] == BidOutcome("S4", D("0.5300"), 4, False, "exceeds_winner_count")


def test_anchor_limits_and_the_justification_boundary():
    """Seven bidders: the first four valid bids are shortlisted (mean 0.36); anchor = max(0.10, 0.18) = 0.18;
    a shortlisted bid wins up to 1.8 × 0.18 = 0.324 exactly. A winner below the anchor must justify its cost; one
    exactly at the anchor need not. The bid cut by the anchor may revive at the highest winning price."""
    award = award_group(
        bids("0.1000", "0.1800", "0.3240", "0.8360", "0.9000", "0.9500", "1.0000"),
        D("1.0000"),
        "nvbp-anchor",
        PARAMETERS["nvbp-anchor"],
    )
    assert (award.max_winners, award.anchor) == (4, D("0.1800"))
    assert award.outcomes == (
        BidOutcome("S1", D("0.1000"), 1, True, "winner", justification_required=True),
        BidOutcome("S2", D("0.1800"), 2, True, "winner"),
        BidOutcome("S3", D("0.3240"), 3, True, "winner"),
        BidOutcome("S4", D("0.8360"), 4, False, "cut_by_anchor", revival_price=D("0.3240")),
        BidOutcome("S5", D("0.9000"), 5, False, "exceeds_winner_count"),
        BidOutcome("S6", D("0.9500"), 6, False, "exceeds_winner_count"),
        BidOutcome("S7", D("1.0000"), 7, False, "exceeds_winner_count"),
    )


def test_a_bid_exactly_at_its_own_specification_ceiling_is_valid():
    """The group's ceiling is 1.0000; this strength's own ceiling is 1.2000 (in comparable units)."""
    own = bids("1.2000", "1.2001", ceiling=D("1.2000"))
    award = award_group([BidInput("S0", D("0.9000")), *own], D("1.0000"), "nvbp-1.8x", PARAMETERS["nvbp-1.8x"])
    assert [(o.supplier, o.won, o.reason) for o in award.outcomes] == [
        ("S0", True, "winner"),
        ("S1", True, "winner"),
        ("S2", False, "above_ceiling"),
    ]


def test_round_10_absolute_threshold_counts_only_for_its_dosage_form_class_and_revival_can_be_off():
    """0.50 is 2.5 × the lowest: only the oral-solid threshold of 0.50 (exactly) makes it a candidate."""
    parameters = {**PARAMETERS["nvbp-r10"], "absolute_thresholds": {"oral_solid": "0.50"}}
    oral = award_group(bids("0.2000", "0.5000"), D("1"), "nvbp-r10", parameters, dosage_class="oral_solid")
    assert [(o.reason, o.revival_price) for o in oral.outcomes] == [("winner", None), ("winner", None)]
    injection = award_group(bids("0.2000", "0.5000"), D("1"), "nvbp-r10", parameters, dosage_class="injection")
    assert [(o.reason, o.revival_price) for o in injection.outcomes] == [
        ("winner", None),
        ("revival_offered", D("0.3600")),  # one winner: 1.8 × its price
    ]
    no_revival = {**parameters, "revival": False}
    plain = award_group(bids("0.2000", "0.5000"), D("1"), "nvbp-r10", no_revival, dosage_class="injection")
    assert [(o.reason, o.revival_price) for o in plain.outcomes] == [("winner", None), ("above_threshold", None)]


def test_anchor_ten_fen_clause_is_for_oral_solids_only():
    """Two bidders, both shortlisted: anchor 0.05, limit 0.09; 0.10 is above it but within the oral-solid 0.10."""
    prices = ("0.0500", "0.1000")
    other = award_group(bids(*prices), D("1"), "nvbp-anchor", PARAMETERS["nvbp-anchor"])
    assert [o.reason for o in other.outcomes] == ["winner", "cut_by_anchor"]
    assert other.outcomes[1].revival_price == D("0.0900")  # one winner: 1.8 × the anchor
    oral = award_group(bids(*prices), D("1"), "nvbp-anchor", PARAMETERS["nvbp-anchor"], oral_solid=True)
    assert [o.reason for o in oral.outcomes] == ["winner", "winner"]
