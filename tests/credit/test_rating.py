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

from credit.rating import Record, anniversary, judge_2020, judge_2025, rate
from credit.rating_format import RatingInputError, rate_document

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
