"""The credit rating engine: every catalog item at its threshold boundaries, combination, expiry, revocation,
repair, scoring, the 2025 edition, and the credit_rate command."""

import io
import json
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from credit.engines import rating as engine
from credit.engines.rating import BENCHMARKS, Record, anniversary, judge, judge_2020, judge_2025, rate
from credit.io.rating_format import RatingInputError, rate_document

AS_OF = date(2026, 10, 1)


def record(item, amount="0", facts=None, rid="R1", supplier="S1", confirmed=date(2026, 1, 1), **kwargs):
    return Record(rid, supplier, item, Decimal(amount), confirmed, facts=facts or {}, **kwargs)


@pytest.mark.parametrize(
    ("amount", "cumulative", "level"),
    [
        ("9999", "0", "none"),
        ("10000", "0", "general"),
        ("99999", "0", "general"),
        ("100000", "0", "medium"),
        ("299999", "0", "medium"),
        ("300000", "0", "serious"),
        ("1999999", "0", "serious"),
        ("2000000", "0", "particularly_serious"),
        ("0", "499999", "none"),
        ("0", "500000", "serious"),
        ("0", "1980000", "serious"),
        ("0", "2000000", "particularly_serious"),
        ("0", "2220000", "particularly_serious"),
        ("150000", "600000", "serious"),  # the higher of the two applies
    ],
)
def test_kickback_2020(amount, cumulative, level):
    assert judge_2020(record("kickback", amount, {"cumulative": cumulative}))[0] == level


@pytest.mark.parametrize(
    ("amount", "level"),
    [
        ("9999", "none"),
        ("10000", "general"),
        ("99999", "general"),
        ("100000", "medium"),
        ("999999", "medium"),
        ("1000000", "serious"),
        ("9999999", "serious"),
        ("10000000", "particularly_serious"),
    ],
)
def test_tax_2020(amount, level):
    assert judge_2020(record("tax", amount))[0] == level


@pytest.mark.parametrize(
    ("facts", "level"),
    [
        ({}, "general"),
        ({"penalised_price_months": 3}, "general"),
        ({"penalised_price_months": 4}, "serious"),
        ({"abnormal_price_months": 12}, "general"),
        ({"abnormal_price_months": 13}, "serious"),
        ({"abnormal_sales": "9999999"}, "general"),
        ({"abnormal_sales": "10000000"}, "serious"),
    ],
)
def test_unfair_price_2020(facts, level):
    assert judge_2020(record("unfair_price", facts=facts))[0] == level


@pytest.mark.parametrize(
    ("facts", "level"),
    [({}, "medium"), ({"penalised_price_months": 3}, "medium"), ({"penalised_price_months": 4}, "serious")],
)
def test_monopoly_2020(facts, level):
    assert judge_2020(record("monopoly", facts=facts))[0] == level


@pytest.mark.parametrize(
    ("facts", "level"),
    [
        ({}, "none"),
        ({"minor": True}, "general"),
        ({"rounds": 1}, "serious"),
        ({"rounds": 2}, "particularly_serious"),
        ({"rounds": 1, "organiser": True}, "particularly_serious"),
    ],
)
def test_disrupt_procurement_2020(facts, level):
    assert judge_2020(record("disrupt_procurement", facts=facts))[0] == level


@pytest.mark.parametrize(
    ("facts", "level"),
    [
        ({"delivery_rate": "0.95"}, "none"),
        ({"delivery_rate": "0.9499"}, "general"),
        ({"delivery_rate": "0.80"}, "general"),
        ({"delivery_rate": "0.7999"}, "medium"),
        ({"delivery_rate": "1", "interruption_days": 6}, "none"),
        ({"delivery_rate": "1", "interruption_days": 7}, "medium"),
        ({"delivery_rate": "1", "interruption_days": 29}, "medium"),
        ({"delivery_rate": "1", "interruption_days": 30}, "serious"),
        ({"delivery_rate": "1", "refused_to_sign": True}, "serious"),
        ({"delivery_rate": "1", "abandoned_region": True}, "particularly_serious"),
        ({}, "medium"),  # missing facts count as 0: a delivery rate of 0
    ],
)
def test_breach_contract_2020(facts, level):
    assert judge_2020(record("breach_contract", facts=facts))[0] == level


def test_other_is_the_officers_judgement():
    assert judge_2020(record("other", facts={"level": "serious"}))[0] == "serious"
    assert judge_2020(record("other", facts={}))[0] == "none"


@pytest.mark.parametrize(
    ("item", "amount", "facts", "level"),
    [
        ("kickback", "9999", {}, "none"),
        ("kickback", "10000", {}, "dishonest"),
        ("kickback", "0", {"cumulative": "499999"}, "dishonest"),
        ("kickback", "0", {"cumulative": "500000"}, "seriously_dishonest"),
        ("kickback", "0", {"cumulative": "1000000"}, "particularly_seriously_dishonest"),
        ("kickback", "20000", {"bribed_staff": True}, "particularly_seriously_dishonest"),
        ("tax", "49999", {}, "none"),
        ("tax", "50000", {}, "dishonest"),
        ("tax", "500000", {}, "seriously_dishonest"),
        ("tax", "2500000", {}, "particularly_seriously_dishonest"),
        ("monopoly", "0", {}, "dishonest"),
        ("breach_contract", "0", {"refused_to_sign": True}, "seriously_dishonest"),
        ("disrupt_procurement", "0", {"rounds": 2}, "particularly_seriously_dishonest"),
    ],
)
def test_catalog_2025(item, amount, facts, level):
    assert judge_2025(record(item, amount, facts))[0] == level


def test_highest_level_wins_and_score_adds_up():
    records = [
        record("tax", "20000", rid="R1", confirmed=date(2026, 5, 1)),  # general, 10
        record("monopoly", rid="R2", confirmed=date(2025, 9, 30)),  # medium, confirmed > 12 months ago: 12.5
        record("kickback", "400000", rid="R3", confirmed=date(2025, 10, 1)),  # serious; exactly 12 months: 50
    ]
    [rating] = rate(records, AS_OF)
    assert (rating.level, rating.score, rating.counted_records) == ("serious", Decimal("72.5"), ("R1", "R2", "R3"))
    assert "restrict_bidding" in rating.measures and "suspend_bidding_all" not in rating.measures


def test_record_lists_in_order_revoked_expired_repaired_counted():
    records = [
        record("tax", "20000", rid="A", revoked=True, confirmed=date(2020, 1, 1)),  # revoked wins over expired
        record("tax", "20000", rid="B", confirmed=date(2023, 10, 1)),  # expires on the anniversary = as_of
        record("tax", "20000", rid="C", confirmed=date(2023, 10, 2)),  # still counts
        record("tax", "20000", rid="D", confirmed=date(2026, 1, 1), repaired_on=date(2026, 10, 1)),
        record("tax", "20000", rid="E", confirmed=date(2026, 1, 1), repaired_on=date(2026, 10, 2)),  # not yet
        record("tax", "20000", rid="F", confirmed=date(2026, 10, 2)),  # not confirmed yet: no list
        record("tax", "20000", rid="G", confirmed=None),
        record("tax", "5", rid="H"),  # reaches no level: no list
    ]
    [rating] = rate(records, AS_OF)
    assert (rating.revoked_records, rating.expired_records, rating.repaired_records, rating.counted_records) == (
        ("A",),
        ("B",),
        ("D",),
        ("C", "E"),
    )


def test_leap_day_anniversary():
    assert anniversary(date(2024, 2, 29), 3) == date(2027, 2, 28)
    [rating] = rate([record("tax", "20000", confirmed=date(2024, 2, 29))], date(2027, 2, 28))
    assert rating.expired_records == ("R1",)


def test_every_named_supplier_appears_sorted():
    ratings = rate([record("tax", "5", supplier="S2")], AS_OF, suppliers=["S3", "S1"])
    assert [(r.supplier, r.level, r.score) for r in ratings] == [
        ("S1", "none", Decimal("0.0")),
        ("S2", "none", Decimal("0.0")),
        ("S3", "none", Decimal("0.0")),
    ]


records_strategy = st.lists(
    st.builds(
        Record,
        id=st.text(alphabet="R0123456789", min_size=2, max_size=4),
        supplier=st.sampled_from(["S1", "S2", "S3"]),
        item=st.sampled_from(["kickback", "tax", "monopoly", "unfair_price", "breach_contract"]),
        amount=st.decimals(min_value=0, max_value=20_000_000, places=0),
        confirmed=st.one_of(st.none(), st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 1, 1))),
        revoked=st.booleans(),
        repaired_on=st.one_of(st.none(), st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 1, 1))),
        facts=st.just({}),
    ),
    max_size=15,
    unique_by=lambda r: r.id,
)


@given(records_strategy, st.data())
def test_rating_is_deterministic_and_order_independent(records, data):
    ratings = rate(records, AS_OF)
    assert rate(data.draw(st.permutations(records)), AS_OF) == ratings
    for rating in ratings:
        listed = rating.counted_records + rating.expired_records + rating.revoked_records + rating.repaired_records
        assert len(listed) == len(set(listed))  # at most one list per record
        assert (rating.level == "none") == (not rating.counted_records)


def test_credit_rate_command_on_the_documented_example(tmp_path):
    document = {
        "as_of": "2026-10-01",
        "catalog_version": "2020",
        "records": [
            {
                "id": "R1",
                "supplier": "S1",
                "item": "kickback",
                "amount": "150000",
                "occurred": "2025-05-10",
                "confirmed": "2025-11-20",
                "revoked": False,
                "repaired_on": None,
                "facts": {},
            }
        ],
    }
    path = tmp_path / "in.json"
    path.write_text(json.dumps(document))
    out = io.StringIO()
    call_command("credit_rate", str(path), stdout=out)  # no db fixture: the command must not touch the database
    assert json.loads(out.getvalue()) == {
        "as_of": "2026-10-01",
        "suppliers": [
            {
                "supplier": "S1",
                "level": "medium",
                "score": "25.0",
                "counted_records": ["R1"],
                "expired_records": [],
                "revoked_records": [],
                "repaired_records": [],
                "measures": ["written_warning", "risk_notice"],
                "explanation": [
                    {"record": "R1", "rule": "kickback: single payment 100,000 to under 300,000 yuan → medium"}
                ],
            }
        ],
    }
    again = io.StringIO()
    call_command("credit_rate", str(path), stdout=again)
    assert again.getvalue() == out.getvalue()


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"records": []}, "as_of: missing"),
        ({"as_of": "2026-13-01"}, "as_of: not a date"),
        ({"as_of": "2026-10-01", "records": [{"id": "R1", "supplier": "S1", "item": "bribery"}]}, "records[0].item"),
        (
            {"as_of": "2026-10-01", "records": [{"id": "R1", "supplier": "S1", "item": "tax", "amount": "lots"}]},
            "records[0].amount: not a decimal",
        ),
        ({"as_of": "2026-10-01", "catalog_version": "2019"}, "catalog_version"),
    ],
)
def test_bad_input_names_the_field(document, message):
    with pytest.raises(RatingInputError) as error:
        rate_document(document)
    assert message in str(error.value)


def test_command_exit_status(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"as_of": "soon"}')
    completed = subprocess.run(
        [sys.executable, "manage.py", "credit_rate", str(bad)], cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    assert (
        completed.returncode == 2 and "as_of: not a date" in completed.stderr and "Traceback" not in completed.stderr
    )


@pytest.mark.parametrize(
    ("item", "amount", "facts", "level", "rule"),
    [
        ("kickback", "9999", {}, "none", ""),
        ("kickback", "10000", {}, "general", "kickback: single payment 10,000 to under 100,000 yuan → general"),
        ("kickback", "100000", {}, "medium", "kickback: single payment 100,000 to under 300,000 yuan → medium"),
        ("kickback", "300000", {}, "serious", "kickback: single payment 300,000 to under 2,000,000 yuan → serious"),
        (
            "kickback", "2000000", {"cumulative": "600000"}, "particularly_serious",
            "kickback: single payment 2,000,000 or more yuan → particularly_serious",
        ),
        (
            "kickback", "150000", {"cumulative": "600000"}, "serious",
            "kickback: cumulative amount 500,000 to under 2,000,000 yuan → serious",
        ),
        ("tax", "1000000", {}, "serious", "tax: amount 1,000,000 to under 10,000,000 yuan → serious"),
        ("unfair_price", "0", {}, "general", "unfair_price: other confirmed case → general"),
        (
            "unfair_price", "0", {"penalised_price_months": 4}, "serious",
            "unfair_price: penalised illegal price kept more than 3 months → serious",
        ),
        (
            "unfair_price", "0", {"abnormal_price_months": 13}, "serious",
            "unfair_price: unexplained abnormal price for more than 12 months → serious",
        ),
        (
            "unfair_price", "0", {"abnormal_sales": "10000000"}, "serious",
            "unfair_price: abnormal price with sales of 10,000,000 yuan or more → serious",
        ),
        ("monopoly", "0", {}, "medium", "monopoly: other confirmed case → medium"),
        (
            "monopoly", "0", {"penalised_price_months": 4}, "serious",
            "monopoly: penalised monopoly price kept more than 3 months → serious",
        ),
        ("disrupt_procurement", "0", {}, "none", ""),
        (
            "disrupt_procurement", "0", {"minor": True}, "general",
            "disrupt_procurement: late or incomplete correction without gain → general",
        ),
        (
            "disrupt_procurement", "0", {"rounds": 1}, "serious",
            "disrupt_procurement: false materials or collusion in one round → serious",
        ),
        (
            "disrupt_procurement", "0", {"rounds": 2}, "particularly_serious",
            "disrupt_procurement: in two or more rounds → particularly_serious",
        ),
        (
            "disrupt_procurement", "0", {"rounds": 1, "organiser": True}, "particularly_serious",
            "disrupt_procurement: organiser of collusion → particularly_serious",
        ),
        ("breach_contract", "0", {"delivery_rate": "0.95"}, "none", ""),
        (
            "breach_contract", "0", {"delivery_rate": "0.9499"}, "general",
            "breach_contract: monthly delivery rate below 0.95 → general",
        ),
        (
            "breach_contract", "0", {"delivery_rate": "", "interruption_days": ""}, "medium",
            "breach_contract: monthly delivery rate below 0.80 → medium",
        ),  # fields left blank on the form count as 0
        (
            "breach_contract", "0", {"delivery_rate": "1", "interruption_days": 7}, "medium",
            "breach_contract: supply interrupted 7 days or more → medium",
        ),
        (
            "breach_contract", "0", {"delivery_rate": "1", "interruption_days": 30}, "serious",
            "breach_contract: supply interrupted 30 days or more → serious",
        ),
        (
            "breach_contract", "0", {"delivery_rate": "1", "refused_to_sign": True}, "serious",
            "breach_contract: refused to sign or perform after winning → serious",
        ),
        (
            "breach_contract", "0", {"delivery_rate": "1", "abandoned_region": True}, "particularly_serious",
            "breach_contract: supply abandoned for a whole region → particularly_serious",
        ),
        ("other", "0", {"level": "serious"}, "serious", "other: judged by the officer → serious"),
        ("other", "0", {}, "none", ""),
    ],
)  # fmt: skip
def test_the_rule_behind_each_2020_level_as_the_officer_reads_it(item, amount, facts, level, rule):
    assert judge_2020(record(item, amount, facts)) == (level, rule)
    assert judge(record(item, amount, facts)) == (level, rule)  # the 2020 edition is the default


@pytest.mark.parametrize(
    ("item", "amount", "facts", "level", "rule"),
    [
        ("kickback", "10000", {}, "dishonest", "kickback: case total 10,000 to under 500,000 yuan → dishonest"),
        (
            "kickback", "0", {"cumulative": "500000"}, "seriously_dishonest",
            "kickback: case total 500,000 to under 1,000,000 yuan → seriously_dishonest",
        ),
        (
            "kickback", "20000", {"national_bid_rigging": True}, "particularly_seriously_dishonest",
            "kickback: bribing security or procurement staff, or national bid-rigging → "
            "particularly_seriously_dishonest",
        ),
        ("tax", "50000", {}, "dishonest", "tax: amount 50,000 to under 500,000 yuan → dishonest"),
        ("monopoly", "0", {}, "dishonest", "monopoly: other confirmed case → medium (2025: dishonest)"),
        (
            "monopoly", "0", {"level": "particularly_seriously_dishonest"}, "dishonest",
            "monopoly: other confirmed case → medium (2025: dishonest)",
        ),  # a level typed on a record of another item is not the officer's judgement: the benchmark decides
        (
            "other", "0", {"level": "seriously_dishonest"}, "seriously_dishonest",
            "other: judged by the officer → seriously_dishonest",
        ),
        (
            "other", "0", {"level": "serious"}, "seriously_dishonest",
            "other: judged by the officer → serious (2025: seriously_dishonest)",
        ),
        ("disrupt_procurement", "0", {}, "none", ""),
    ],
)  # fmt: skip
def test_the_rule_behind_each_2025_level(item, amount, facts, level, rule):
    assert judge_2025(record(item, amount, facts)) == (level, rule)
    assert judge(record(item, amount, facts), "2025") == (level, rule)


def test_particularly_serious_outranks_serious_whatever_the_spelling():
    """A supplier with a serious and a particularly serious record is particularly serious (alphabetically
    "serious" would come last); its measures are those of its highest level, and each counted record keeps its
    own level."""
    records = [
        record("disrupt_procurement", facts={"rounds": 2}, rid="R1"),
        record("kickback", "400000", rid="R2"),
    ]
    [rating] = rate(records, AS_OF)
    assert (rating.level, rating.score) == ("particularly_serious", Decimal("150.0"))
    assert rating.record_levels == (("R1", "particularly_serious"), ("R2", "serious"))
    assert "suspend_bidding_all" in rating.measures
    [rating_2025] = rate(records, AS_OF, catalog_version="2025")
    assert rating_2025.level == "particularly_seriously_dishonest"
    assert rating_2025.record_levels == (("R1", "particularly_seriously_dishonest"), ("R2", "dishonest"))


def test_a_stored_edition_of_the_benchmark_rates_with_its_own_numbers():
    """A province's 2025 edition raises the tax step to 60,000 yuan and, for items judged as in 2020, counts a
    7-day interruption from 5 days: its records are judged with those numbers, not the defaults."""
    edition = {
        **BENCHMARKS["2025"],
        "tax": [
            (60_000, "dishonest"),
            (500_000, "seriously_dishonest"),
            (2_500_000, "particularly_seriously_dishonest"),
        ],
        "base_2020": {**BENCHMARKS["2020"], "interruption_days_medium": 5},
    }
    records = [
        record("tax", "55000", rid="R1"),
        record("breach_contract", facts={"delivery_rate": "1", "interruption_days": 5}, rid="R2"),
    ]
    [rating] = rate(records, AS_OF, catalog_version="2025", benchmark=edition)
    assert (rating.level, rating.counted_records) == ("dishonest", ("R2",))
    assert rating.explanation == (
        ("R2", "breach_contract: supply interrupted 5 days or more → medium (2025: dishonest)"),
    )
    [default] = rate(records, AS_OF, catalog_version="2025")
    assert default.counted_records == ("R1",)  # 55,000 reaches the default 50,000 step; 5 days are not 7
    edition_2020 = {**BENCHMARKS["2020"], "tax": [(50_000, "general"), (100_000, "medium")]}
    assert judge(record("tax", "20000"), "2020", edition_2020) == ("none", "")
    [rating_2020] = rate([record("tax", "20000")], AS_OF, benchmark=edition_2020)
    assert rating_2020.level == "none"


def test_a_record_confirmed_on_the_rating_day_counts_and_skipped_records_do_not_stop_the_count():
    records = [
        record("tax", "20000", rid="R1", confirmed=None),
        record("tax", "5", rid="R2"),  # reaches no level
        record("tax", "20000", rid="R3", confirmed=AS_OF),
    ]
    [rating] = rate(records, AS_OF)
    assert (rating.counted_records, rating.level, rating.score) == (("R3",), "general", Decimal("10.0"))


def test_unknown_editions_and_items_are_refused_by_name():
    with pytest.raises(ValueError, match=r"^unknown catalog version '2019'$"):
        rate([], AS_OF, catalog_version="2019")
    with pytest.raises(ValueError, match=r"^unknown catalog version '2019'$"):
        judge(record("tax", "20000"), "2019")
    with pytest.raises(ValueError, match=r"^unknown catalog item 'bribery'$"):
        judge_2020(record("bribery"))


def test_where_a_record_stands_takes_the_first_that_applies():
    """A record revoked, past its retention and repaired reads as revoked; past retention and repaired as expired;
    the model's standing (the record page, the repair service) is the engine's."""
    base = dict(id="CR-1", supplier="S", item="kickback", amount=Decimal(0))
    confirmed = date(2023, 3, 1)
    everything = engine.Record(**base, confirmed=confirmed, revoked=True, repaired_on=date(2024, 1, 1))
    assert engine.standing(everything, date(2026, 3, 1), 3) == engine.REVOKED
    expired_and_repaired = engine.Record(**base, confirmed=confirmed, repaired_on=date(2024, 1, 1))
    assert engine.standing(expired_and_repaired, date(2026, 3, 1), 3) == engine.EXPIRED
    assert engine.standing(expired_and_repaired, date(2026, 2, 28), 3) == engine.REPAIRED
    assert engine.standing(expired_and_repaired, date(2023, 12, 31), 3) == engine.COUNTED
    assert engine.standing(expired_and_repaired, date(2023, 2, 28), 3) == engine.PENDING
    assert engine.standing(engine.Record(**base), date(2026, 1, 1), 3) == engine.PENDING


def test_a_stored_record_is_the_engines_record_on_the_day_asked():
    """The record as the platform stores it becomes the engine's on a day: every field carried over, the amount a
    Decimal, no facts an empty dict, and a revocation counted only from its own day."""
    stored = dict(id="CR-1", supplier="S", item="kickback", amount="12.50", confirmed=date(2025, 1, 2))
    before = engine.stored_record(**stored, facts=None, revoked_on=date(2025, 6, 1), repaired_on=None,
                                  as_of=date(2025, 5, 31))  # fmt: skip
    assert before == engine.Record(id="CR-1", supplier="S", item="kickback", amount=Decimal("12.50"),
                                   confirmed=date(2025, 1, 2), revoked=False, repaired_on=None, facts={})  # fmt: skip
    on = engine.stored_record(**stored, facts={"gains": 3}, revoked_on=date(2025, 6, 1),
                              repaired_on=date(2025, 7, 1), as_of=date(2025, 6, 1))  # fmt: skip
    assert on == engine.Record(id="CR-1", supplier="S", item="kickback", amount=Decimal("12.50"),
                               confirmed=date(2025, 1, 2), revoked=True, repaired_on=date(2025, 7, 1),
                               facts={"gains": 3})  # fmt: skip
