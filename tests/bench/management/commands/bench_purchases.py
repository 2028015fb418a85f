"""Benchmark: purchase ingestion through the bulk path, and the completion dashboard with many lines in place.

``manage.py bench_purchases --lines 10000000`` generates a round in effect (``--hospitals`` hospitals × ``--groups``
groups, two winners per group, one agreement per hospital and group) and times:

- ingestion: the generated order lines reported through ``purchase_report`` (the service behind
  ``POST /api/v1/purchases/``), one report per hospital and batch of ``--batch`` lines, with the per-cell parsing,
  validation, matching, COPY and rollup updates of real use;
- the physical limit: a raw COPY of the same rows into an unindexed table of the same columns; and, to read the
  ratio, the same COPY into a table with the purchase lines' own indexes;
- then, with ``--total-lines`` lines in place (the rest written by COPY straight into the table), the dashboard's
  queries (province/city/group/supplier overview, alerts, one city's hospitals, a hospital's agreements and its latest
  purchase lines), each repeated, with p50 and p95.

The data are named BENCH-PURCHASE-…; run it in a scratch database (``make bench-purchases`` creates one).
"""

import contextlib
import io
import json
import random
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts import uscc
from accounts.models import Organisation, Region, Role, User
from core.bulk import bulk_insert
from procurement.models import Contract, Product, ProductGroup, PurchaseLine, RuleSet, TenderRound
from procurement.selectors import contracts as selectors
from procurement.services.contracts import rollups_rebuild
from procurement.services.purchases import purchase_report, rows_from_records

CITIES = 14
LINE_COLUMNS = (
    "upload_id, hospital_id, supplier_id, product_id, contract_id, group_id, order_number, ordered_on, quantity, "
    "unit_price, amount, kind"
)


class Command(BaseCommand):
    help = "Time purchase ingestion against raw COPY, and the completion dashboard with many lines (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--lines", type=int, default=10_000_000)
        parser.add_argument("--total-lines", type=int, default=0, help="lines in place for the dashboard queries")
        parser.add_argument("--hospitals", type=int, default=5000)
        parser.add_argument("--groups", type=int, default=20)
        parser.add_argument("--batch", type=int, default=5000, help="lines per report")
        parser.add_argument("--seed", type=int, default=20261201)
        parser.add_argument("--reuse", action="store_true", help="only the dashboard queries, on the last round")
        parser.add_argument("--repeats", type=int, default=100, help="timings per dashboard query")

    def handle(self, *args, lines, total_lines, hospitals, groups, batch, seed, reuse=False, repeats=100, **options):
        if connection.vendor != "postgresql":
            self.stderr.write("bench_purchases needs PostgreSQL (set DATABASE_URL); `make bench-purchases` does it.")
            return
        if reuse:
            tender_round = TenderRound.objects.filter(code__startswith="BENCH-PURCHASE-").order_by("-pk").first()
            contracts = list(Contract.objects.filter(round=tender_round).order_by("pk")[:1])
            users = {u.organisation_id: u for u in User.objects.filter(organisation=contracts[0].hospital_id)}
            figures = {"lines_in_place": PurchaseLine.objects.count(), "contracts": tender_round.contracts.count()}
            figures["dashboard_ms"] = self.dashboard(tender_round, contracts, users, repeats)
            self.stdout.write(json.dumps(figures, indent=2))
            return
        rng = random.Random(seed)
        started = time.perf_counter()
        tender_round, contracts, users = self.generate(rng, hospitals, groups)
        generate = time.perf_counter() - started
        figures = {
            "hospitals": hospitals,
            "groups": groups,
            "contracts": len(contracts),
            "generate_s": round(generate, 1),
        }

        per_hospital = {}
        for contract in contracts:
            per_hospital.setdefault(contract.hospital_id, []).append(contract)
        day0 = tender_round.cycle_starts_on
        reports = []
        serial = 0
        hospital_ids = list(per_hospital)
        while serial < lines:
            hospital_id = hospital_ids[(serial // batch) % len(hospital_ids)]
            chosen = per_hospital[hospital_id]
            records = []
            for _index in range(min(batch, lines - serial)):
                contract = chosen[serial % len(chosen)]
                records.append(
                    {
                        "order_number": f"B{serial:010d}",
                        "ordered_on": (day0 + timedelta(days=serial % 25)).isoformat(),
                        "product": contract.product.national_drug_code,
                        "quantity": str(1 + serial % 97),
                        "unit_price": str(contract.unit_price),
                    }
                )
                serial += 1
            reports.append((hospital_id, records))

        started = time.perf_counter()
        for number, (hospital_id, records) in enumerate(reports):
            rows, errors = rows_from_records(records)
            result = purchase_report(
                actor=users[hospital_id], hospital=users[hospital_id].organisation, rows=rows, errors=errors,
                source="api", idempotency_key=f"bench-{number}",
            )  # fmt: skip
            if result.upload.status != "accepted":
                raise RuntimeError(result.upload.errors[:3])
        ingest = time.perf_counter() - started
        stored = PurchaseLine.objects.filter(order_number__startswith="B").count()
        figures |= {
            "lines": lines,
            "stored": stored,
            "ingest_s": round(ingest, 1),
            "ingest_rows_per_s": int(lines / ingest),
        }

        copy_seconds = self.raw_copy(reports, per_hospital)
        indexed_seconds = self.raw_copy(reports, per_hospital, like_lines=True)
        figures |= {
            "raw_copy_s": round(copy_seconds, 1),
            "raw_copy_rows_per_s": int(lines / copy_seconds),
            "ratio_to_copy": round(copy_seconds / ingest, 3),
            "goal_ratio": 0.5,
            # For reading the ratio: the same COPY into a table with the purchase lines' own indexes (primary key,
            # the once-only constraint, the foreign-key indexes), which any ingestion path must maintain.
            "raw_copy_indexed_s": round(indexed_seconds, 1),
            "raw_copy_indexed_rows_per_s": int(lines / indexed_seconds),
            "indexed_copy_ratio_to_copy": round(copy_seconds / indexed_seconds, 3),
            "ratio_to_indexed_copy": round(indexed_seconds / ingest, 3),
        }
        if total_lines > stored:
            started = time.perf_counter()
            self.fill(total_lines - stored, contracts, day0)
            figures["filled_to"] = total_lines
            figures["fill_s"] = round(time.perf_counter() - started, 1)
        figures["lines_in_place"] = PurchaseLine.objects.count()
        figures["dashboard_ms"] = self.dashboard(tender_round, contracts, users, repeats)
        self.stdout.write(json.dumps(figures, indent=2, ensure_ascii=False))

    def generate(self, rng, hospital_count: int, group_count: int):
        tag = f"BENCH-PURCHASE-{timezone.now():%H%M%S}"
        now = timezone.now()
        today = timezone.localdate()
        with transaction.atomic():
            province = Region.objects.create(code=f"P{now:%H%M%S}", name=tag, level=Region.Level.PROVINCE)
            cities = Region.objects.bulk_create(
                Region(code=f"{province.code}{i:02d}", name=f"{tag} {i}", level=Region.Level.CITY, parent=province)
                for i in range(CITIES)
            )
            suffix = int(now.strftime("%H%M%S"))
            suppliers = Organisation.objects.bulk_create(
                Organisation(kind="supplier", code=uscc.complete(f"92{suffix:07d}{i:08d}"), name=f"{tag} S{i}",
                             region=cities[i % CITIES])
                for i in range(group_count * 2)
            )  # fmt: skip
            hospitals = Organisation.objects.bulk_create(
                (
                    Organisation(kind="hospital", code=f"{tag}-H{i:06d}", name=f"{tag} H{i}",
                                 region=cities[rng.randrange(CITIES)], hospital_level="2", ownership="public")
                    for i in range(hospital_count)
                ),
                batch_size=5000,
            )  # fmt: skip
            users = {
                user.organisation_id: user
                for user in User.objects.bulk_create(
                    (
                        User(username=f"{tag.lower()}-{h.pk}", role=Role.HOSPITAL_USER, organisation=h, password="!")
                        for h in hospitals
                    ),
                    batch_size=5000,
                )
            }
            tender_round = TenderRound.objects.create(
                code=tag, name=f"Benchmark {tag}", rule_set=RuleSet.objects.get(code="nvbp-1.8x", version=1),
                status="in_effect", demand_opens_at=now - timedelta(days=400),
                demand_closes_at=now - timedelta(days=399),
                bid_opens_at=now - timedelta(days=398), bid_closes_at=now - timedelta(days=397),
                opening_at=now - timedelta(days=396), opened_at=now - timedelta(days=396), k_strength=Decimal("1.7"),
                k_pack=Decimal("2"), sealing_salt="0" * 64, cycle_starts_on=today - timedelta(days=120),
                cycle_months=24,
            )  # fmt: skip
            groups = ProductGroup.objects.bulk_create(
                ProductGroup(round=tender_round, code=f"G{i:03d}", generic_name=f"{tag}-{i}", dosage_form="片剂",
                             reference_strength=Decimal(10), reference_strength_unit="mg", reference_pack=28,
                             smallest_unit="tablet", ceiling_price=Decimal("1.0000"), pre_vbp_price=Decimal("0.9000"))
                for i in range(group_count)
            )  # fmt: skip
            products = Product.objects.bulk_create(
                Product(national_drug_code=f"{tag}-{g.code}-{w}", generic_name=g.generic_name, dosage_form="片剂",
                        strength_amount=Decimal(10), strength_unit="mg", pack_size=28, smallest_unit="tablet",
                        quality_tier="consistency_passed", holder=suppliers[i * 2 + w])
                for i, g in enumerate(groups) for w in (0, 1)
            )  # fmt: skip
            start = tender_round.cycle_starts_on
            contracts = []
            for hospital in hospitals:
                for i, group in enumerate(groups):
                    product = products[i * 2 + rng.randrange(2)]
                    contracts.append(
                        Contract(round=tender_round, group=group, hospital=hospital, supplier_id=product.holder_id,
                                 product=product, region_id=hospital.region_id,
                                 agreed_quantity=rng.randint(5000, 50000),
                                 unit_price=Decimal(rng.randint(100, 9000)) / 10000, comparable_price=Decimal("0.5"),
                                 cycle_start=start, cycle_end=start + timedelta(days=729), status="confirmed")
                    )  # fmt: skip
            bulk_insert(Contract, contracts, assign_ids=True)
            rollups_rebuild(tender_round)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE procurement_contract")
        return tender_round, contracts, users

    def raw_copy(self, reports, per_hospital, *, like_lines: bool = False) -> float:
        """The same rows by one COPY into an unindexed table of the same columns: the physical limit; with
        ``like_lines``, into a table like the purchase lines' own, with all its indexes."""
        contracts = {
            (c.hospital_id, c.product.national_drug_code): c for contracts in per_hospital.values() for c in contracts
        }
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_purchase_copy")
            if like_lines:
                cursor.execute(f"CREATE TABLE bench_purchase_copy (LIKE {PurchaseLine._meta.db_table} INCLUDING ALL)")
            else:
                cursor.execute(
                    "CREATE TABLE bench_purchase_copy (upload_id bigint, hospital_id bigint, supplier_id bigint, "
                    "product_id bigint, contract_id bigint, group_id bigint, order_number varchar(60), "
                    "ordered_on date, quantity bigint, unit_price numeric(14,4), amount numeric(18,2), "
                    "kind varchar(12))"
                )
        rows = []
        for hospital_id, records in reports:
            for record in records:
                contract = contracts[(hospital_id, record["product"])]
                quantity = int(record["quantity"])
                rows.append(
                    (0, hospital_id, contract.supplier_id, contract.product_id, contract.pk, contract.group_id,
                     record["order_number"], record["ordered_on"], quantity, contract.unit_price,
                     (contract.unit_price * quantity).quantize(Decimal("0.01")), "contract")
                )  # fmt: skip
        started = time.perf_counter()
        statement = f"COPY bench_purchase_copy ({LINE_COLUMNS}) FROM STDIN"
        with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
        elapsed = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE bench_purchase_copy")
        return elapsed

    def fill(self, count: int, contracts, day0) -> None:
        """More lines straight into the table (the generator, not the thing measured), in 1 M-row COPYs.

        For the fill the secondary indexes and the once-only constraint are dropped and built again after it, and
        the foreign-key triggers are skipped (the generated lines are consistent by construction): 100 M lines then
        take minutes, not the hours of row-by-row index upkeep. The table ends with exactly its own indexes."""
        table = "procurement_purchaseline"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                [table, table],
            )
            indexes = cursor.fetchall()
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'u'",
                [table],
            )
            uniques = cursor.fetchall()
        upload_id = PurchaseLine.objects.values_list("upload_id", flat=True).first()
        try:
            with connection.cursor() as cursor:
                for name, _definition in indexes:
                    cursor.execute(f'DROP INDEX "{name}"')
                for name, _definition in uniques:
                    cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                with contextlib.suppress(DatabaseError):  # superuser only; else the triggers run
                    cursor.execute("SET session_replication_role = replica")
            done = 0
            while done < count:
                chunk = min(1_000_000, count - done)
                buffer = io.StringIO()
                for serial in range(done, done + chunk):
                    contract = contracts[serial % len(contracts)]
                    quantity = 1 + serial % 89
                    amount = (contract.unit_price * quantity).quantize(Decimal("0.01"))
                    buffer.write(
                        f"{upload_id}\t{contract.hospital_id}\t{contract.supplier_id}\t{contract.product_id}\t"
                        f"{contract.pk}\t{contract.group_id}\tF{serial:011d}\t{day0 + timedelta(days=serial % 100)}\t"
                        f"{quantity}\t{contract.unit_price}\t{amount}\tcontract\n"
                    )
                buffer.seek(0)
                statement = f"COPY {table} ({LINE_COLUMNS}) FROM STDIN"
                with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
                    while data := buffer.read(1 << 20):
                        copy.write(data)
                done += chunk
                self.stderr.write(f"filled {done} of {count} lines")
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
                cursor.execute("SET maintenance_work_mem = '1GB'")
                for name, definition in uniques:
                    cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
                for _name, definition in indexes:
                    cursor.execute(definition)
                cursor.execute(f"ANALYZE {table}")

    def dashboard(self, tender_round, contracts, users, repeats: int = 100) -> dict:
        hospital_id = contracts[0].hospital_id
        region = Region.objects.get(pk=contracts[0].region_id)
        hospital_user = users[hospital_id]
        queries = {
            "overview": lambda: selectors.completion_overview(tender_round),
            "alerts": lambda: selectors.alerts(tender_round, limit=50),
            "city_hospitals": lambda: selectors.city_hospitals(tender_round, region),
            "hospital_agreements": lambda: selectors.contract_rows(
                Contract.objects.visible_to(hospital_user).select_related("round__rule_set")[:50]
            ),
            "hospital_latest_lines": lambda: list(
                PurchaseLine.objects.visible_to(hospital_user).order_by("-ordered_on", "-id")[:50]
            ),
        }
        result = {}
        for name, query in queries.items():
            timings = []
            for _repeat in range(repeats):
                started = time.perf_counter()
                query()
                timings.append((time.perf_counter() - started) * 1000)
            timings.sort()
            result[name] = {
                "p50": round(statistics.median(timings), 1),
                "p95": round(timings[int(len(timings) * 0.95) - 1], 1),
            }
        return result
