"""The credit rating engine (医药价格和招采信用评价): records in force at a date → each supplier's level, score,
measures and the rule behind every counted record. Pure: plain data in, plain data out.

shared/domain/credit-rules.md and credit-rating-format.md. The discretion benchmark (裁量基准) is versioned data:
catalog ``2020`` (four levels) and ``2025`` (three levels). A record is listed, in this order, as revoked, expired
(on the anniversary ``retention_years`` after confirmation; 29 Feb → 28 Feb), repaired (approved on or before the
date), or counted; a record not yet confirmed, or whose facts reach no level, appears in no list. A supplier's level
is the highest among its counted records. Score: points per counted record by level, halved for a record confirmed
more than 12 months before the date.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

NONE = "none"
LEVELS_2020 = ("general", "medium", "serious", "particularly_serious")
LEVELS_2025 = ("dishonest", "seriously_dishonest", "particularly_seriously_dishonest")
# 2025 maps the 2020 results: general and medium → 失信, serious → 严重失信, particularly serious → 特别严重失信.
TO_2025 = {
    "general": "dishonest",
    "medium": "dishonest",
    "serious": "seriously_dishonest",
    "particularly_serious": "particularly_seriously_dishonest",
}
POINTS = {
    "general": Decimal(10),
    "medium": Decimal(25),
    "serious": Decimal(50),
    "particularly_serious": Decimal(100),
    "dishonest": Decimal(10),
    "seriously_dishonest": Decimal(50),
    "particularly_seriously_dishonest": Decimal(100),
}
MEASURES_2020 = {
    "general": ["written_warning"],
    "medium": ["written_warning", "risk_notice"],
    "serious": [
        "written_warning",
        "risk_notice",
        "restrict_listing",
        "restrict_bidding",
        "restrict_delivery",
        "restrict_purchase",
        "public_disclosure",
    ],
}
MEASURES_2020["particularly_serious"] = MEASURES_2020["serious"] + [
    "suspend_listing_all",
    "suspend_bidding_all",
    "suspend_delivery_all",
    "suspend_purchase_all",
]
MEASURES = {
    **MEASURES_2020,
    "dishonest": MEASURES_2020["medium"],
    "seriously_dishonest": MEASURES_2020["serious"],
    "particularly_seriously_dishonest": MEASURES_2020["particularly_serious"],
}
ITEMS = ("kickback", "tax", "monopoly", "unfair_price", "disrupt_procurement", "breach_contract", "other")
CATALOG_VERSIONS = ("2020", "2025")


# The discretion benchmark (裁量基准) per catalog edition: every number of credit-rules.md, as data. A new edition
# is a new entry; a record is judged under the edition it names.
BENCHMARKS = {
    "2020": {
        "kickback_single": [
            (10_000, "general"),
            (100_000, "medium"),
            (300_000, "serious"),
            (2_000_000, "particularly_serious"),
        ],
        "kickback_cumulative": [(500_000, "serious"), (2_000_000, "particularly_serious")],
        "tax": [
            (10_000, "general"),
            (100_000, "medium"),
            (1_000_000, "serious"),
            (10_000_000, "particularly_serious"),
        ],
        "penalised_price_months": 3,
        "abnormal_price_months": 12,
        "abnormal_sales": 10_000_000,
        "delivery_rate_general": "0.95",
        "delivery_rate_medium": "0.80",
        "interruption_days_medium": 7,
        "interruption_days_serious": 30,
        "rounds_particularly_serious": 2,
    },
    "2025": {
        "kickback_total": [
            (10_000, "dishonest"),
            (500_000, "seriously_dishonest"),
            (1_000_000, "particularly_seriously_dishonest"),
        ],
        "tax": [
            (50_000, "dishonest"),
            (500_000, "seriously_dishonest"),
            (2_500_000, "particularly_seriously_dishonest"),
        ],
    },
}


def _steps(bench: dict, name: str) -> list[tuple[Decimal, str]]:
    return [(Decimal(str(minimum)), level) for minimum, level in bench[name]]


@dataclass(frozen=True)
class Record:
    id: str
    supplier: str
    item: str
    amount: Decimal = Decimal(0)
    confirmed: date | None = None
    revoked: bool = False
    repaired_on: date | None = None
    facts: dict = field(default_factory=dict)


def stored_record(*, id: str, supplier: str, item: str, amount, facts, confirmed, revoked_on, repaired_on,
                  as_of: date) -> Record:  # fmt: skip
    """The engine's view on ``as_of`` of a record as the platform stores it: a revocation dated after that day
    does not count yet (a repair's date is compared by :func:`standing`)."""
    return Record(
        id=id,
        supplier=supplier,
        item=item,
        amount=Decimal(amount),
        confirmed=confirmed,
        revoked=revoked_on is not None and revoked_on <= as_of,
        repaired_on=repaired_on,
        facts=facts or {},
    )


# Where a record stands on a day (``standing``); only a counted record weighs in the level and the score.
PENDING, REVOKED, EXPIRED, REPAIRED, COUNTED = "pending", "revoked", "expired", "repaired", "counted"


def standing(record: Record, as_of: date, retention_years: int) -> str:
    """Where a record stands on ``as_of``, the first that applies: pending (not confirmed by then), revoked,
    expired (from the anniversary ``retention_years`` after confirmation), repaired (approved on or before the
    day), counted."""
    if record.confirmed is None or record.confirmed > as_of:
        return PENDING
    if record.revoked:
        return REVOKED
    if as_of >= anniversary(record.confirmed, retention_years):
        return EXPIRED
    if record.repaired_on is not None and record.repaired_on <= as_of:
        return REPAIRED
    return COUNTED


@dataclass(frozen=True)
class Rating:
    supplier: str
    level: str
    score: Decimal
    counted_records: tuple[str, ...]
    expired_records: tuple[str, ...]
    revoked_records: tuple[str, ...]
    repaired_records: tuple[str, ...]
    measures: tuple[str, ...]
    explanation: tuple[tuple[str, str], ...]
    # The level each counted record reached, in the order of ``counted_records`` (the measures follow them).
    record_levels: tuple[tuple[str, str], ...] = ()


def anniversary(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _yuan(value: Decimal) -> str:
    return f"{value:,.0f}"


def _number(facts: dict, name: str) -> Decimal:
    value = facts.get(name)
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def _highest(candidates: list[tuple[str, str]], order: tuple[str, ...]) -> tuple[str, str]:
    reached = [candidate for candidate in candidates if candidate[0] != NONE]
    if not reached:
        return NONE, ""
    return max(reached, key=lambda candidate: order.index(candidate[0]))


def _by_thresholds(value: Decimal, thresholds, label: str) -> tuple[str, str]:
    """thresholds: [(minimum, level)] ascending; the highest reached applies."""
    level, rule = NONE, ""
    for index, (minimum, name) in enumerate(thresholds):
        if value >= minimum:
            upper = thresholds[index + 1][0] if index + 1 < len(thresholds) else None
            span = f"{_yuan(minimum)} to under {_yuan(upper)}" if upper else f"{_yuan(minimum)} or more"
            level, rule = name, f"{label} {span} yuan → {name}"
    return level, rule


def judge_2020(record: Record, bench: dict | None = None) -> tuple[str, str]:
    """The level the 2020 benchmark (or a later edition of the same four-level shape) gives the record's facts, and
    the rule that gave it."""
    facts, item = record.facts, record.item
    bench = bench or BENCHMARKS["2020"]
    if item == "kickback":
        single = _by_thresholds(record.amount, _steps(bench, "kickback_single"), "kickback: single payment")
        cumulative = _by_thresholds(
            _number(facts, "cumulative"), _steps(bench, "kickback_cumulative"), "kickback: cumulative amount"
        )
        return _highest([single, cumulative], LEVELS_2020)
    if item == "tax":
        return _by_thresholds(record.amount, _steps(bench, "tax"), "tax: amount")
    months, abnormal_months = bench["penalised_price_months"], bench["abnormal_price_months"]
    if item == "unfair_price":
        if _number(facts, "penalised_price_months") > months:
            return (
                "serious",
                f"unfair_price: penalised illegal price kept more than {months} months → serious",
            )
        if _number(facts, "abnormal_price_months") > abnormal_months:
            return (
                "serious",
                f"unfair_price: unexplained abnormal price for more than {abnormal_months} months → serious",
            )
        if _number(facts, "abnormal_sales") >= bench["abnormal_sales"]:
            return (
                "serious",
                f"unfair_price: abnormal price with sales of {_yuan(Decimal(bench['abnormal_sales']))} yuan or more"
                " → serious",
            )
        return "general", "unfair_price: other confirmed case → general"
    if item == "monopoly":
        if _number(facts, "penalised_price_months") > months:
            return (
                "serious",
                f"monopoly: penalised monopoly price kept more than {months} months → serious",
            )
        return "medium", "monopoly: other confirmed case → medium"
    if item == "disrupt_procurement":
        if facts.get("organiser"):
            return "particularly_serious", "disrupt_procurement: organiser of collusion → particularly_serious"
        rounds = _number(facts, "rounds")
        if rounds >= bench["rounds_particularly_serious"]:
            return "particularly_serious", "disrupt_procurement: in two or more rounds → particularly_serious"
        if rounds >= 1:
            return "serious", "disrupt_procurement: false materials or collusion in one round → serious"
        if facts.get("minor"):
            return "general", "disrupt_procurement: late or incomplete correction without gain → general"
        return NONE, ""
    if item == "breach_contract":
        interruption = _number(facts, "interruption_days")
        rate = _number(facts, "delivery_rate")
        if facts.get("abandoned_region"):
            return (
                "particularly_serious",
                "breach_contract: supply abandoned for a whole region → particularly_serious",
            )
        if facts.get("refused_to_sign"):
            return "serious", "breach_contract: refused to sign or perform after winning → serious"
        if interruption >= bench["interruption_days_serious"]:
            return (
                "serious",
                f"breach_contract: supply interrupted {bench['interruption_days_serious']} days or more → serious",
            )
        if interruption >= bench["interruption_days_medium"]:
            return (
                "medium",
                f"breach_contract: supply interrupted {bench['interruption_days_medium']} days or more → medium",
            )
        if rate < Decimal(bench["delivery_rate_medium"]):
            return "medium", f"breach_contract: monthly delivery rate below {bench['delivery_rate_medium']} → medium"
        if rate < Decimal(bench["delivery_rate_general"]):
            return (
                "general",
                f"breach_contract: monthly delivery rate below {bench['delivery_rate_general']} → general",
            )
        return NONE, ""
    if item == "other":
        level = facts.get("level")
        if level in LEVELS_2020:
            return level, f"other: judged by the officer → {level}"
        return NONE, ""
    raise ValueError(f"unknown catalog item {item!r}")


def judge_2025(record: Record, bench: dict | None = None, bench_2020: dict | None = None) -> tuple[str, str]:
    """The three-level edition: its own kickback and tax steps; every other item as in 2020, mapped."""
    facts, item = record.facts, record.item
    bench = bench or BENCHMARKS["2025"]
    if item == "kickback":
        if facts.get("bribed_staff") or facts.get("national_bid_rigging"):
            return (
                "particularly_seriously_dishonest",
                "kickback: bribing security or procurement staff, or national bid-rigging → "
                "particularly_seriously_dishonest",
            )
        # The case total is at least the largest single payment.
        total = max(_number(facts, "cumulative"), record.amount)
        return _by_thresholds(total, _steps(bench, "kickback_total"), "kickback: case total")
    if item == "tax":
        return _by_thresholds(record.amount, _steps(bench, "tax"), "tax: amount")
    if item == "other" and facts.get("level") in LEVELS_2025:
        return facts["level"], f"other: judged by the officer → {facts['level']}"
    level, rule = judge_2020(record, bench_2020)
    if level == NONE:
        return NONE, ""
    mapped = TO_2025[level]
    return mapped, f"{rule} (2025: {mapped})"


def judge(record: Record, family: str = "2020", benchmark: dict | None = None) -> tuple[str, str]:
    """The level and rule of one record under an edition of ``family`` (its shape: ``2020`` four levels, ``2025``
    three) with ``benchmark`` as its numbers (the family's defaults when None)."""
    if family == "2020":
        return judge_2020(record, benchmark)
    if family == "2025":
        benchmark = benchmark or {}
        return judge_2025(record, benchmark or None, benchmark.get("base_2020"))
    raise ValueError(f"unknown catalog version {family!r}")


def levels_of(family: str) -> tuple[str, ...]:
    return LEVELS_2020 if family == "2020" else LEVELS_2025


def rate(
    records: list[Record],
    as_of: date,
    *,
    catalog_version: str = "2020",
    retention_years: int = 3,
    suppliers: list[str] | None = None,
    benchmark: dict | None = None,
) -> list[Rating]:
    """Ratings of every supplier named (in the records or in ``suppliers``), sorted by supplier code.

    ``catalog_version`` names the edition's family; ``benchmark`` carries a stored edition's numbers (the
    family's defaults when None)."""
    if catalog_version not in CATALOG_VERSIONS:
        raise ValueError(f"unknown catalog version {catalog_version!r}")
    order = levels_of(catalog_version)
    year_ago = anniversary(as_of, -1)
    names = sorted({record.supplier for record in records} | set(suppliers or ()))
    by_supplier = {name: [] for name in names}
    for record in sorted(records, key=lambda record: record.id):
        by_supplier[record.supplier].append(record)
    ratings = []
    for name in names:
        lists = {COUNTED: [], EXPIRED: [], REVOKED: [], REPAIRED: []}
        judged, explanation, record_levels, score = [], [], [], Decimal(0)
        for record in by_supplier[name]:
            where = standing(record, as_of, retention_years)
            if where == PENDING:
                continue
            level, rule = judge(record, catalog_version, benchmark)
            if level == NONE:
                continue
            lists[where].append(record.id)
            if where == COUNTED:
                judged.append(level)
                explanation.append((record.id, rule))
                record_levels.append((record.id, level))
                points = POINTS[level]
                score += points / 2 if record.confirmed < year_ago else points
        level = max(judged, key=order.index) if judged else NONE
        ratings.append(
            Rating(
                supplier=name,
                level=level,
                score=score.quantize(Decimal("0.1")),
                counted_records=tuple(lists[COUNTED]),
                expired_records=tuple(lists[EXPIRED]),
                revoked_records=tuple(lists[REVOKED]),
                repaired_records=tuple(lists[REPAIRED]),
                measures=tuple(MEASURES.get(level, ())),
                explanation=tuple(explanation),
                record_levels=tuple(record_levels),
            )
        )
    return ratings
