"""Worked examples of whole group awards: every field of the award and of every outcome, winners and losers, for
each rule-set family and for the optional parameters that change an outcome (an empty clause, the revival switch of
a rule set stored before it existed, the order of ties, a winner table that starts at two bidders)."""

import time
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from procurement.engines.award_rules import (
    BidInput,
    BidOutcome,
    GroupAward,
    RuleSetError,
    award_group,
    table_value,
)
from procurement.engines.rule_sets import DEFAULT_RULE_SETS

PARAMETERS = {rule_set["code"]: rule_set["parameters"] for rule_set in DEFAULT_RULE_SETS}
D = Decimal
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
BEIJING = timezone(timedelta(hours=8))


def bid(supplier, price, minutes=0, **fields):
    return BidInput(supplier, D(price), T0 + timedelta(minutes=minutes), **fields)


def test_round_1_alliance_extension_every_valid_bid_is_a_candidate_up_to_three_winners():
    """Seven bids filed (n = 7, invalid ones included): three win in price order although the third costs 3.5 × the
    lowest; the fourth valid bid exceeds the cap; invalid bids follow, by reason and then supplier code."""
    bids = [
        bid("S5", "0.9000", 5),
        bid("S9", "0.1000", 9, eligible=False),
        bid("S2", "0.3000", 2),
        bid("S7", "1.2000", 7),
        bid("S4", "0.7000", 4),
        bid("S6", "0.5000", 6, eligible=False),
        bid("S1", "0.2000", 1),
    ]
    award = award_group(bids, D("1.0000"), "nvbp-alliance", PARAMETERS["nvbp-r1-alliance"])
    assert award == GroupAward(
        bidders=7,
        valid_bidders=4,
        max_winners=3,
        lowest_comparable=D("0.2000"),
        anchor=None,
        outcomes=(
            BidOutcome("S1", D("0.2000"), 1, True, "winner"),
            BidOutcome("S2", D("0.3000"), 2, True, "winner"),
            BidOutcome("S4", D("0.7000"), 3, True, "winner"),
            BidOutcome("S5", D("0.9000"), 4, False, "exceeds_winner_count"),
            BidOutcome("S7", D("1.2000"), None, False, "above_ceiling"),
            BidOutcome("S6", D("0.5000"), None, False, "ineligible"),
            BidOutcome("S9", D("0.1000"), None, False, "ineligible"),
        ),
    )


@pytest.mark.parametrize("rule_set", ["nvbp-1.8x", "nvbp-anchor"])
def test_a_winner_table_starting_at_two_bidders_leaves_a_lone_bidder_unawarded(rule_set):
    """Some alliances award a group only when at least two suppliers bid: the lone bid is valid and ranked first,
    but the table allows no winner, so nothing is anchored either."""
    parameters = {**PARAMETERS[rule_set], "max_winners_by_bidders": {"2": 1, "3": 2}}
    award = award_group([bid("S1", "0.5000")], D("1"), rule_set, parameters)
    assert award == GroupAward(
        1, 1, 0, D("0.5000"), None, (BidOutcome("S1", D("0.5000"), 1, False, "exceeds_winner_count"),)
    )


def test_submission_times_are_compared_as_instants_whatever_their_time_zone():
    """Three bids at the same price: 09:30 in Beijing is 01:30 UTC, earlier than 02:00 UTC; a bid without a
    submission time (an imported record) ranks after every timed one. Three bidders allow two winners."""
    bids = [
        BidInput("S0", D("0.5000"), None),
        BidInput("SA", D("0.5000"), datetime(2026, 3, 1, 2, 0, tzinfo=UTC)),
        BidInput("SB", D("0.5000"), datetime(2026, 3, 1, 9, 30, tzinfo=BEIJING)),
    ]
    award = award_group(bids, D("1"), "nvbp-1.8x", PARAMETERS["nvbp-1.8x"])
    assert award.outcomes == (
        BidOutcome("SB", D("0.5000"), 1, True, "winner"),
        BidOutcome("SA", D("0.5000"), 2, True, "winner"),
        BidOutcome("S0", D("0.5000"), 3, False, "exceeds_winner_count"),
    )


def test_times_without_a_zone_are_utc_whatever_the_servers_local_zone(monkeypatch):
    """An imported record's submission time without a zone is read as UTC (02:00), so it is later than 09:30 in
    Beijing (01:30 UTC) even on a server whose local zone is Beijing's."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        bids = [
            BidInput("SA", D("0.5000"), datetime(2026, 3, 1, 2, 0)),
            BidInput("SB", D("0.5000"), datetime(2026, 3, 1, 9, 30, tzinfo=BEIJING)),
        ]
        award = award_group(bids, D("1"), "nvbp-1.8x", PARAMETERS["nvbp-1.8x"])
    finally:
        monkeypatch.undo()
        time.tzset()
    assert [(o.supplier, o.rank) for o in award.outcomes] == [("SB", 1), ("SA", 2)]


def test_a_rule_set_may_put_capacity_before_submission_time_in_the_tie_order():
    """Three bids at the same price, two winners. By default the earliest submissions win; a rule set ordering ties
    by capacity first lets the unlimited and then the larger capacity win."""
    bids = [
        bid("S1", "0.5000", 1, capacity=100),
        bid("S2", "0.5000", 2, capacity=500),
        bid("S3", "0.5000", 3, capacity=None),
    ]
    default = award_group(bids, D("1"), "nvbp-1.8x", PARAMETERS["nvbp-1.8x"])
    assert [(o.supplier, o.rank, o.won) for o in default.outcomes] == [
        ("S1", 1, True),
        ("S2", 2, True),
        ("S3", 3, False),
    ]
    capacity_first = {**PARAMETERS["nvbp-1.8x"], "tie_break": ["capacity", "submitted_at", "supplier"]}
    award = award_group(bids, D("1"), "nvbp-1.8x", capacity_first)
    assert award.outcomes == (
        BidOutcome("S3", D("0.5000"), 1, True, "winner"),
        BidOutcome("S2", D("0.5000"), 2, True, "winner"),
        BidOutcome("S1", D("0.5000"), 3, False, "exceeds_winner_count"),
    )


def test_a_rule_set_that_cannot_be_applied_is_refused_with_its_reason():
    bids = [bid("S1", "0.5000")]
    with pytest.raises(RuleSetError, match=r"^unknown rule set 'nvbp-2\.0x'$"):
        award_group(bids, D("1"), "nvbp-2.0x", PARAMETERS["nvbp-1.8x"])
    with pytest.raises(RuleSetError, match=r"^tie_break must name each of submitted_at, capacity, supplier once$"):
        award_group(bids, D("1"), "nvbp-1.8x", {**PARAMETERS["nvbp-1.8x"], "tie_break": ["capacity", "supplier"]})
    missing = {key: value for key, value in PARAMETERS["nvbp-1.8x"].items() if key != "threshold_multiple"}
    with pytest.raises(RuleSetError, match=r"^the rule set has no parameter 'threshold_multiple'$"):
        award_group(bids, D("1"), "nvbp-1.8x", missing)


def test_an_empty_clause_of_the_1_8x_rule_set_does_not_apply():
    """Four bidders, three winners. 0.10 is twice the lowest: only the 50 % clause (0.10 ≤ 0.5 × 1.00) or the
    0.10-yuan clause makes it a candidate. A rule set leaving both clauses empty makes it lose."""
    bids = [bid("S1", "0.0500", 1), bid("S2", "0.0800", 2), bid("S3", "0.1000", 3), bid("S4", "1.5000", 4)]
    with_clauses = award_group(bids, D("1.0000"), "nvbp-1.8x", PARAMETERS["nvbp-1.8x"])
    assert with_clauses.outcomes[2] == BidOutcome("S3", D("0.1000"), 3, True, "winner")
    without = {**PARAMETERS["nvbp-1.8x"], "ceiling_drop_share": "", "absolute_low_price": None}
    award = award_group(bids, D("1.0000"), "nvbp-1.8x", without)
    assert award == GroupAward(
        bidders=4,
        valid_bidders=3,
        max_winners=3,
        lowest_comparable=D("0.0500"),
        anchor=None,
        outcomes=(
            BidOutcome("S1", D("0.0500"), 1, True, "winner"),
            BidOutcome("S2", D("0.0800"), 2, True, "winner"),
            BidOutcome("S3", D("0.1000"), 3, False, "above_threshold"),
            BidOutcome("S4", D("1.5000"), None, False, "above_ceiling"),
        ),
    )


def test_round_10_revival_fills_the_cap_in_rank_order():
    """Seven bidders allow four winners. S1 and S2 win (0.30 ≤ 1.8 × 0.20); S3 to S6 are offered revival at the
    highest winning price 0.30. S3, S4 and S5 accept: S3 and S4 fill the cap, S5 accepted too late in rank order and
    exceeds it; S6 did not accept and keeps its offer."""
    bids = [
        bid("S1", "0.2000", 1),
        bid("S2", "0.3000", 2),
        bid("S3", "0.5000", 3),
        bid("S4", "0.6000", 4),
        bid("S5", "0.7000", 5),
        bid("S6", "0.8000", 6),
        bid("S7", "0.1000", 7, eligible=False),
    ]
    award = award_group(bids, D("1"), "nvbp-r10", PARAMETERS["nvbp-r10"], revived=frozenset({"S3", "S4", "S5"}))
    assert award == GroupAward(
        bidders=7,
        valid_bidders=6,
        max_winners=4,
        lowest_comparable=D("0.2000"),
        anchor=None,
        outcomes=(
            BidOutcome("S1", D("0.2000"), 1, True, "winner"),
            BidOutcome("S2", D("0.3000"), 2, True, "winner"),
            BidOutcome("S3", D("0.5000"), 3, True, "winner", revival_price=D("0.3000"), revived=True),
            BidOutcome("S4", D("0.6000"), 4, True, "winner", revival_price=D("0.3000"), revived=True),
            BidOutcome("S5", D("0.7000"), 5, False, "exceeds_winner_count"),
            BidOutcome("S6", D("0.8000"), 6, False, "revival_offered", revival_price=D("0.3000")),
            BidOutcome("S7", D("0.1000"), None, False, "ineligible"),
        ),
    )


def test_a_round_10_rule_set_stored_before_the_revival_switch_offers_revival():
    parameters = {key: value for key, value in PARAMETERS["nvbp-r10"].items() if key != "revival"}
    award = award_group([bid("S1", "0.2000", 1), bid("S2", "0.9000", 2)], D("1"), "nvbp-r10", parameters)
    assert award.outcomes == (
        BidOutcome("S1", D("0.2000"), 1, True, "winner"),
        BidOutcome("S2", D("0.9000"), 2, False, "revival_offered", revival_price=D("0.3600")),
    )


def test_anchor_rule_with_two_winners_offers_revival_at_the_higher_winning_price():
    """Four bidders: three shortlisted (mean 0.3833…); anchor = max(0.10, 0.1917) = 0.1917, limit 0.345. S1 and S2
    win, both below the anchor (they must justify their cost); S3 is cut and may revive at 0.15, the higher of the
    two winning prices (not 1.8 × the anchor, which applies with one winner)."""
    bids = [bid("S1", "0.1000", 1), bid("S2", "0.1500", 2), bid("S3", "0.9000", 3), bid("S4", "1.0000", 4)]
    award = award_group(bids, D("1.0000"), "nvbp-anchor", PARAMETERS["nvbp-anchor"])
    assert award == GroupAward(
        bidders=4,
        valid_bidders=4,
        max_winners=3,
        lowest_comparable=D("0.1000"),
        anchor=D("0.1917"),
        outcomes=(
            BidOutcome("S1", D("0.1000"), 1, True, "winner", justification_required=True),
            BidOutcome("S2", D("0.1500"), 2, True, "winner", justification_required=True),
            BidOutcome("S3", D("0.9000"), 3, False, "cut_by_anchor", revival_price=D("0.1500")),
            BidOutcome("S4", D("1.0000"), 4, False, "exceeds_winner_count"),
        ),
    )


def test_winner_tables_read_the_same_with_whole_number_or_text_keys():
    """Rule sets stored as JSON have text keys; a table written in Python has whole numbers. Below the first key
    the default applies."""
    assert [table_value({2: 1, 4: 3}, n) for n in (1, 2, 3, 4, 9)] == [0, 1, 1, 3, 3]
    assert [table_value({"2": 1, "4": 3}, n) for n in (1, 2, 3, 4, 9)] == [0, 1, 1, 3, 3]
    assert table_value({"1": "0.5"}, 0, default="0") == "0"
