"""The benchmark commands still run end to end (at a tiny scale), so that a change elsewhere cannot leave them
broken until someone measures again: bench_bids once answered every bid with a 301 after the production settings
started redirecting plain HTTP. They measure PostgreSQL, so they run in the PostgreSQL pass of .ci/run; the
processes they start (gunicorn) are pointed at the test database."""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def test_database_url(monkeypatch):
    db = connection.settings_dict
    user, password = db["USER"] or "postgres", db["PASSWORD"] or ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    url = f"postgres://{user}:{password}@{host}:{port}/{db['NAME']}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def test_bench_bids_stores_every_bid_through_gunicorn(test_database_url):
    call_command("load_demo", verbosity=0)
    out = StringIO()
    call_command("bench_bids", suppliers=4, bids=2, workers=1, threads=2, stdout=out)
    text = out.getvalue()
    assert "bids stored: 8 of 8 sent (no loss, no duplicate: yes)" in text
    assert re.search(r"bid submissions\s+8\s.*\{'201': 8\}", text), text


def test_bench_award_times_every_phase(test_database_url):
    call_command("load_demo", verbosity=0)
    out = StringIO()
    call_command("bench_award", groups=2, bids=8, hospitals=30, workers="", stdout=out)
    text = out.getvalue()
    lines = int(re.search(r"inline run: (\d+) allocation lines", text).group(1))
    assert lines > 0
    copied = int(re.search(r"raw COPY of the same (\d+) allocation lines", text).group(1))
    assert copied == lines  # the limit copies exactly the lines the run wrote
    assert re.search(r"load [\d.]+ s, engine [\d.]+ s, write [\d.]+ s, end to end [\d.]+ s", text), text


def test_bench_purchases_ingests_every_line(test_database_url):
    call_command("load_demo", verbosity=0)
    out = StringIO()
    indexes = "SELECT indexdef FROM pg_indexes WHERE tablename = 'procurement_purchaseline' ORDER BY indexname"
    with connection.cursor() as cursor:
        cursor.execute(indexes)
        before = cursor.fetchall()
    call_command(
        "bench_purchases", lines=300, total_lines=2000, hospitals=6, groups=2, batch=50, repeats=3, stdout=out,
        stderr=StringIO(),
    )  # fmt: skip
    figures = json.loads(out.getvalue())
    assert figures["stored"] == 300
    assert figures["ingest_rows_per_s"] > 0 and figures["raw_copy_indexed_rows_per_s"] > 0
    assert set(figures["dashboard_ms"]) >= {"overview", "alerts", "hospital_latest_lines"}
    assert figures["lines_in_place"] >= 2000
    with connection.cursor() as cursor:  # the fill dropped the indexes for speed and built every one again
        cursor.execute(indexes)
        assert cursor.fetchall() == before


def test_bench_credit_runs_a_quarter(test_database_url):
    call_command("load_demo", verbosity=0)
    out = StringIO()
    call_command("bench_credit", suppliers=20, records=60, stdout=out)
    assert out.getvalue().strip(), "bench_credit printed no figures"
