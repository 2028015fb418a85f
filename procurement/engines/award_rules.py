"""Award rules (中选规则): which valid bids of a group win, as pure functions over plain data.

shared/domain/vbp-rules.md, "Award". Four rule-set families; each rule set of ``procurement/rule_sets.py`` names
its family and gives its parameters:

- ``nvbp-alliance`` (round 1, the 4+7 alliance extension): every valid bid is a candidate (no price clause); winners
  in rank order up to the cap for ``n`` (at most three).

- ``nvbp-1.8x`` (national rounds 2–9): a valid bid is a candidate if its comparable price is at most
  ``threshold_multiple`` × the lowest, or at most ``ceiling_drop_share`` × the ceiling, or at most
  ``absolute_low_price``; candidates win in rank order up to the cap for ``n``.
- ``nvbp-r10`` (round 10): as above without the ceiling clause, the absolute clause taken per dosage-form class
  (``absolute_thresholds``); a valid bid meeting no clause is offered revival at the highest winning price
  (``threshold_multiple`` × the winner's if there is one winner).
- ``nvbp-anchor`` (round 11): the first ``cap(n)`` valid bids are shortlisted; anchor = max(lowest shortlisted,
  ``anchor_mean_share`` × their mean); a shortlisted bid wins at most ``threshold_multiple`` × anchor (oral solids
  also at most ``oral_solid_low_price``); others are ``cut_by_anchor`` and may revive at the highest winning price
  (``threshold_multiple`` × anchor with fewer than two winners); winners below the anchor must justify their cost.

``n`` counts every filed bid, invalid ones included. A bid is above the ceiling when its comparable price exceeds
its own ceiling (a per-specification ceiling converted to comparable units) or else the group's; the 50 % clause
measures against the same ceiling. Ranking: comparable price ascending, then the rule set's ``tie_break`` order
(default: earlier final submission, then larger capacity (none = unlimited), then supplier code). Decimal
throughout; a derived price (revival price) is rounded to 4 decimals half up. Same input in any order → identical
output.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from core.money import round_unit_price

WINNER = "winner"
ABOVE_CEILING = "above_ceiling"
INELIGIBLE = "ineligible"
ABOVE_THRESHOLD = "above_threshold"
EXCEEDS_WINNER_COUNT = "exceeds_winner_count"
REVIVAL_OFFERED = "revival_offered"
CUT_BY_ANCHOR = "cut_by_anchor"

FAMILIES = ("nvbp-1.8x", "nvbp-r10", "nvbp-anchor", "nvbp-alliance")
TIE_KEYS = ("submitted_at", "capacity", "supplier")


class RuleSetError(ValueError):
    """The rule set or its parameters cannot be applied."""


@dataclass(frozen=True)
class BidInput:
    supplier: str
    comparable: Decimal | None  # None: an empty quote
    submitted_at: datetime | None = None
    capacity: int | None = None  # None: unlimited
    eligible: bool = True
    ceiling: Decimal | None = None  # this bid's specification's own ceiling in comparable units; None: the group's


@dataclass(frozen=True)
class BidOutcome:
    supplier: str
    comparable: Decimal | None
    rank: int | None
    won: bool
    reason: str
    revival_price: Decimal | None = None
    justification_required: bool = False
    revived: bool = False  # won by accepting ``revival_price`` (复活)


@dataclass(frozen=True)
class GroupAward:
    bidders: int
    valid_bidders: int
    max_winners: int
    lowest_comparable: Decimal | None
    anchor: Decimal | None
    outcomes: tuple[BidOutcome, ...]

    @property
    def winners(self) -> tuple[BidOutcome, ...]:
        return tuple(outcome for outcome in self.outcomes if outcome.won)


def table_value(table: dict, count: int, default=0):
    """The entry with the largest key ≤ count (keys may be strings, as in JSON); ``default`` below every key."""
    keys = sorted(int(key) for key in table)
    chosen = [key for key in keys if key <= count]
    if not chosen:
        return default
    value = table.get(chosen[-1], table.get(str(chosen[-1])))
    return value


def _instant(value: datetime | None) -> datetime:
    """A comparable UTC instant; a bid without a submission time ranks after every timed one."""
    if value is None:
        return datetime.max
    return value if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)


def rank_key(bid: BidInput, tie_break=TIE_KEYS):
    """Price, then the ties in ``tie_break`` order: earlier final submission, larger capacity (none = unlimited),
    supplier code. The supplier code always ends the key, so the order is total."""
    parts = {
        "submitted_at": _instant(bid.submitted_at),
        "capacity": -bid.capacity if bid.capacity is not None else float("-inf"),
        "supplier": bid.supplier,
    }
    return (bid.comparable, *(parts[key] for key in tie_break), bid.supplier)


def tie_order(parameters: dict) -> tuple[str, ...]:
    order = parameters.get("tie_break") or TIE_KEYS
    if sorted(order) != sorted(TIE_KEYS):
        raise RuleSetError(f"tie_break must name each of {', '.join(TIE_KEYS)} once")
    return tuple(order)


def _decimal(parameters: dict, name: str) -> Decimal | None:
    value = parameters.get(name)
    return None if value in (None, "") else Decimal(str(value))


def _required(parameters: dict, name: str) -> Decimal:
    value = _decimal(parameters, name)
    if value is None:
        raise RuleSetError(f"the rule set has no parameter {name!r}")
    return value


def award_group(
    bids: list[BidInput],
    ceiling: Decimal,
    rule_set: str,
    parameters: dict,
    *,
    dosage_class: str | None = None,
    oral_solid: bool = False,
    revived: frozenset[str] = frozenset(),
) -> GroupAward:
    """Decide the winners of one group under a rule set. Pure and deterministic.

    ``revived``: suppliers that accepted the revival price offered to them; they win at that price, in rank order,
    as long as the winners stay within the cap for ``n``."""
    if rule_set not in FAMILIES:
        raise RuleSetError(f"unknown rule set {rule_set!r}")
    n = len(bids)
    order = tie_order(parameters)
    invalid, valid = [], []
    for bid in bids:
        if not bid.eligible:
            invalid.append(BidOutcome(bid.supplier, bid.comparable, None, False, INELIGIBLE))
        elif bid.comparable is None or bid.comparable > own_ceiling(bid, ceiling):
            invalid.append(BidOutcome(bid.supplier, bid.comparable, None, False, ABOVE_CEILING))
        else:
            valid.append(bid)
    valid.sort(key=lambda bid: rank_key(bid, order))
    cap = int(table_value(parameters["max_winners_by_bidders"], n))
    lowest = valid[0].comparable if valid else None
    if rule_set == "nvbp-alliance":
        return GroupAward(n, len(valid), cap, lowest, None, tuple(_alliance(valid, cap) + _sorted(invalid)))
    multiple = _required(parameters, "threshold_multiple")
    if rule_set == "nvbp-anchor":
        ranked, anchor = _anchor(valid, cap, multiple, parameters, oral_solid)
    else:
        ranked, anchor = _threshold(valid, cap, lowest, ceiling, multiple, rule_set, parameters, dosage_class), None
    if revived:
        ranked = _revive(ranked, cap, revived)
    return GroupAward(
        bidders=n,
        valid_bidders=len(valid),
        max_winners=cap,
        lowest_comparable=lowest,
        anchor=anchor,
        outcomes=tuple(ranked + _sorted(invalid)),
    )


def own_ceiling(bid: BidInput, ceiling: Decimal) -> Decimal:
    """The ceiling a bid is measured against: its specification's own, else the group's."""
    return bid.ceiling if bid.ceiling is not None else ceiling


def _sorted(invalid: list[BidOutcome]) -> list[BidOutcome]:
    return sorted(invalid, key=lambda outcome: (outcome.reason, outcome.supplier))


def _alliance(valid: list[BidInput], cap: int) -> list[BidOutcome]:
    """4+7 alliance extension: every valid bid is a candidate; the first ``cap`` in rank order win."""
    return [
        BidOutcome(bid.supplier, bid.comparable, rank, rank <= cap, WINNER if rank <= cap else EXCEEDS_WINNER_COUNT)
        for rank, bid in enumerate(valid, start=1)
    ]


def _revive(outcomes: list[BidOutcome], cap: int, revived: frozenset[str]) -> list[BidOutcome]:
    winners = sum(outcome.won for outcome in outcomes)
    result = []
    for outcome in outcomes:
        if outcome.revival_price is not None and outcome.supplier in revived and not outcome.won:
            if winners < cap:
                winners += 1
                outcome = BidOutcome(
                    outcome.supplier,
                    outcome.comparable,
                    outcome.rank,
                    True,
                    WINNER,
                    outcome.revival_price,
                    revived=True,
                )
            else:
                outcome = BidOutcome(outcome.supplier, outcome.comparable, outcome.rank, False, EXCEEDS_WINNER_COUNT)
        result.append(outcome)
    return result


def _threshold(valid, cap, lowest, ceiling, multiple, rule_set, parameters, dosage_class) -> list[BidOutcome]:
    def candidate(bid: BidInput) -> bool:
        price = bid.comparable
        if price <= multiple * lowest:
            return True
        if rule_set == "nvbp-1.8x":
            share = _decimal(parameters, "ceiling_drop_share")
            low = _decimal(parameters, "absolute_low_price")
            return (share is not None and price <= share * own_ceiling(bid, ceiling)) or (
                low is not None and price <= low
            )
        thresholds = parameters.get("absolute_thresholds") or {}
        low = thresholds.get(dosage_class) if dosage_class else None
        return low is not None and price <= Decimal(str(low))

    outcomes, winners = [], 0
    for rank, bid in enumerate(valid, start=1):
        if not candidate(bid):
            outcomes.append(BidOutcome(bid.supplier, bid.comparable, rank, False, ABOVE_THRESHOLD))
        elif winners < cap:
            winners += 1
            outcomes.append(BidOutcome(bid.supplier, bid.comparable, rank, True, WINNER))
        else:
            outcomes.append(BidOutcome(bid.supplier, bid.comparable, rank, False, EXCEEDS_WINNER_COUNT))
    if rule_set == "nvbp-r10" and parameters.get("revival", True):
        won = [outcome.comparable for outcome in outcomes if outcome.won]
        if won:
            price = round_unit_price(multiple * won[0]) if len(won) == 1 else max(won)
            outcomes = [
                BidOutcome(o.supplier, o.comparable, o.rank, False, REVIVAL_OFFERED, revival_price=price)
                if o.reason == ABOVE_THRESHOLD
                else o
                for o in outcomes
            ]
    return outcomes


def _anchor(valid, cap, multiple, parameters, oral_solid) -> tuple[list[BidOutcome], Decimal | None]:
    shortlist = valid[:cap]
    if not shortlist:
        return [
            BidOutcome(b.supplier, b.comparable, r, False, EXCEEDS_WINNER_COUNT) for r, b in enumerate(valid, 1)
        ], None
    share = _required(parameters, "anchor_mean_share")
    mean = sum((bid.comparable for bid in shortlist), Decimal(0)) / len(shortlist)
    anchor = max(shortlist[0].comparable, share * mean)
    low = _decimal(parameters, "oral_solid_low_price")
    limit = multiple * anchor

    def wins(bid: BidInput) -> bool:
        return bid.comparable <= limit or (oral_solid and low is not None and bid.comparable <= low)

    won = [bid.comparable for bid in shortlist if wins(bid)]
    revival = max(won) if len(won) > 1 else round_unit_price(limit)
    outcomes = []
    for rank, bid in enumerate(valid, start=1):
        if rank > cap:
            outcomes.append(BidOutcome(bid.supplier, bid.comparable, rank, False, EXCEEDS_WINNER_COUNT))
        elif wins(bid):
            outcomes.append(
                BidOutcome(
                    bid.supplier, bid.comparable, rank, True, WINNER, justification_required=bid.comparable < anchor
                )
            )
        else:
            outcomes.append(
                BidOutcome(bid.supplier, bid.comparable, rank, False, CUT_BY_ANCHOR, revival_price=revival)
            )
    return outcomes, round_unit_price(anchor)
