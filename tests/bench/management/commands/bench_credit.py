"""Benchmark: a full quarterly credit run on PostgreSQL.

``manage.py bench_credit --suppliers 10000 --records 100000`` generates that many suppliers (with one product
each) and confirmed records spread over every catalog item and level, then times the quarterly run:

- first run (every snapshot and measure written), and the second run of the same date (nothing changes), in this
  process; with REDIS_URL set, the same two on 1 and on 2 Celery worker processes (one task per chunk of 1000
  suppliers), the stored ratings cleared before each first run;
- the engine alone on the same records, and the load of the records, to show where the time goes;
- the physical limit: one SQL scan of the records with the columns the run reads.

The data are named BENCH-CREDIT-…; run it in a scratch database
(``make bench-credit`` creates one).
"""

import io
import json
import random
import time
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from accounts import uscc
from accounts.models import Organisation, Region
from credit.engines import rating as engine
from credit.models import CreditRecord, RatingRun
from credit.services import rating_run_start
from credit.services.ratings import records_load
from credit.services.records import catalog_in_force
from procurement.models import Product
from tests.bench.workers import celery_workers

ITEMS = [
    ("kickback", lambda r: {"amount": r.choice([20000, 150000, 400000, 2500000]), "facts": {}}),
    ("tax", lambda r: {"amount": r.choice([20000, 200000, 1500000]), "facts": {}}),
    ("unfair_price", lambda r: {"amount": 0, "facts": {"penalised_price_months": r.choice([1, 4])}}),
    ("monopoly", lambda r: {"amount": 0, "facts": {}}),
    ("disrupt_procurement", lambda r: {"amount": 0, "facts": {"rounds": r.choice([1, 2])}}),
    ("breach_contract", lambda r: {"amount": 0, "facts": {"delivery_rate": r.choice(["0.9", "0.7"])}}),
]


class Command(BaseCommand):
    help = "Time a quarterly credit run at national scale (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--suppliers", type=int, default=10_000)
        parser.add_argument("--records", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=20261201)

    def handle(self, *args, suppliers, records, seed, **options):
        if connection.vendor != "postgresql":
            self.stderr.write("bench_credit needs PostgreSQL (set DATABASE_URL); `make bench-credit` does it.")
            return
        rng = random.Random(seed)
        started = time.perf_counter()
        supplier_ids, product_of = self._suppliers(suppliers, rng)
        self._records(records, supplier_ids, product_of, rng)
        generate = time.perf_counter() - started
        as_of = timezone.localdate()
        version = catalog_in_force()

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            started = time.perf_counter()
            cursor.execute(
                "SELECT count(*), sum(length(facts::text)) FROM credit_creditrecord "
                "WHERE status IN ('confirmed', 'revoked') AND confirmed_on <= %s",
                [as_of],
            )
            cursor.fetchone()
            scan = time.perf_counter() - started

        started = time.perf_counter()
        loaded, _facts = records_load(supplier_ids, as_of)
        load = time.perf_counter() - started
        started = time.perf_counter()
        engine.rate(loaded, as_of, catalog_version=version.family, benchmark=version.benchmark)
        compute = time.perf_counter() - started

        from config.celery import app

        eager = app.conf.task_always_eager
        app.conf.task_always_eager = True
        try:
            first = self._run(as_of)
            second = self._run(as_of)
        finally:
            app.conf.task_always_eager = eager
        on_workers = {}
        if settings.REDIS_URL:
            for count in (1, 2):
                self._reset()
                on_workers[count] = self._on_workers(as_of, count)
        figures = {
            "suppliers": suppliers,
            "records": records,
            "generate_s": round(generate, 1),
            "scan_s": round(scan, 3),
            "load_s": round(load, 2),
            "engine_s": round(compute, 2),
            "first_run_s": round(first[0], 2),
            "first_run_changed": first[1],
            "second_run_s": round(second[0], 2),
            "second_run_changed": second[1],
            "goal_s": 10,
            "first_run_vs_goal": round(first[0] / 10, 2),
            "first_run_vs_scan": round(first[0] / scan, 1) if scan else None,
        }
        for count, (first_w, second_w) in on_workers.items():
            figures[f"workers_{count}_first_run_s"] = round(first_w, 2)
            figures[f"workers_{count}_second_run_s"] = round(second_w, 2)
        if not on_workers:
            figures["workers"] = "skipped (REDIS_URL is not set)"
        self.stdout.write(json.dumps(figures, indent=2))

    def _run(self, as_of: date) -> tuple[float, int]:
        started = time.perf_counter()
        run = rating_run_start(as_of=as_of)
        while run.status not in (RatingRun.Status.DONE, RatingRun.Status.FAILED):
            time.sleep(0.05)
            run.refresh_from_db()
        elapsed = time.perf_counter() - started
        if run.status == RatingRun.Status.FAILED:
            raise RuntimeError(run.error)
        return elapsed, run.changed

    def _reset(self) -> None:
        """Forget the stored ratings, measures and their audit rows, so that the next run writes everything."""
        from accounts.models import AuditEntry, Notification
        from credit.models import Measure, RatingSnapshot

        with transaction.atomic():
            Measure.products.through.objects.all().delete()
            Measure.objects.all().delete()
            RatingSnapshot.objects.all().delete()
            RatingRun.objects.all().delete()
            AuditEntry.objects.filter(action__startswith="credit.r").delete()
            Notification.objects.filter(kind__startswith="credit.").delete()

    def _on_workers(self, as_of: date, count: int) -> tuple[float, float]:
        with celery_workers(count, "bench-credit"):
            return self._run(as_of)[0], self._run(as_of)[0]

    def _suppliers(self, count: int, rng) -> tuple[list[int], dict[int, int]]:
        city = Region.objects.filter(level=Region.Level.CITY).first()
        tag = f"{rng.randrange(10**6):06d}"
        with transaction.atomic():
            organisations = Organisation.objects.bulk_create(
                [
                    Organisation(
                        kind=Organisation.Kind.SUPPLIER,
                        code=uscc.complete(f"91{tag[:4]}{index:011d}"),
                        name=f"BENCH-CREDIT-{tag}-{index:05d}",
                        region=city,
                    )
                    for index in range(count)
                ],
                batch_size=5000,
            )
            products = Product.objects.bulk_create(
                [
                    Product(
                        national_drug_code=f"BENCH-CREDIT-{tag}-{index:05d}",
                        generic_name="阿托伐他汀钙片",
                        dosage_form="片剂",
                        strength_amount=20,
                        strength_unit="mg",
                        pack_size=14,
                        smallest_unit="tablet",
                        quality_tier="consistency_passed",
                        holder=organisation,
                    )
                    for index, organisation in enumerate(organisations)
                ],
                batch_size=5000,
            )
        return [o.pk for o in organisations], {p.holder_id: p.pk for p in products}

    def _records(self, count: int, supplier_ids: list[int], product_of: dict[int, int], rng) -> None:
        """Confirmed records by COPY (the generator, not the thing measured)."""
        version = catalog_in_force()
        today = timezone.localdate()
        columns = (
            "supplier_id, item, catalog_version_id, amount, facts, description, source, document_number, evidence, "
            "occurred_on, status, judged_level, judged_rule, defence_statement, defence_evidence, decision, "
            "decision_reason, confirmed_on, revocation_reason, event_key, created_at"
        )
        buffer = io.StringIO()
        now = timezone.now().isoformat()
        for _index in range(count):
            item, make = rng.choice(ITEMS)
            values = make(rng)
            confirmed = today - timedelta(days=rng.randrange(1, 1400))
            record = engine.Record("x", "s", item, engine.Decimal(values["amount"]), confirmed, facts=values["facts"])
            level, rule = engine.judge(record, version.family, version.benchmark)
            row = [
                str(rng.choice(supplier_ids)), item, str(version.pk), str(values["amount"]),
                json.dumps(values["facts"]), "", "administrative_penalty", "BENCH", "",
                str(confirmed - timedelta(days=60)), "confirmed", level, rule, "", "", "upheld", "bench",
                str(confirmed), "", "", now,
            ]  # fmt: skip
            buffer.write("\t".join(value.replace("\t", " ") for value in row) + "\n")
        buffer.seek(0)
        with transaction.atomic(), connection.cursor() as cursor:
            with cursor.copy(f"COPY credit_creditrecord ({columns}) FROM STDIN") as copy:
                while chunk := buffer.read(1 << 20):
                    copy.write(chunk)
            # Half the records name the supplier's product as the product in the case.
            cursor.execute(
                "INSERT INTO credit_creditrecord_products (creditrecord_id, product_id) "
                "SELECT r.id, p.id FROM credit_creditrecord r "
                "JOIN procurement_product p ON p.holder_id = r.supplier_id "
                "WHERE r.document_number = 'BENCH' AND r.id % 2 = 0"
            )
        assert CreditRecord.objects.filter(document_number="BENCH").count() >= count
        _ = product_of
