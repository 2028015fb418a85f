"""Benchmark: the award of a national-scale round on PostgreSQL.

``manage.py bench_award --groups 100 --bids 1000 --hospitals 50000`` generates an opened round with that many
groups, opened bids and hospitals, every hospital reporting demand for every group (groups × hospitals demand rows,
5 million at the defaults) in 31 supply regions, then times:

- the physical limits: one SQL scan of the demand rows, and a raw COPY of the allocation lines the run wrote;
- the computation in this process, phase by phase: load (the engines' inputs from the database), engine (award,
  agreed volume, allocation), write (outcomes, allocation lines by COPY), end to end;
- with REDIS_URL set, the same computation on 1 and on 2 Celery worker processes (one task per group).

The data are named BENCH-AWARD-…; run it in a scratch database (``make bench-award`` creates one).
"""

import io
import random
import time
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts import uscc
from accounts.models import Organisation, Region, Role, User
from procurement.engines.group import compute_group_award
from procurement.models import (
    AllocationLine,
    AwardRun,
    Bid,
    BidVersion,
    DemandReport,
    OpenedBid,
    Product,
    ProductGroup,
    RuleSet,
    TenderRound,
)
from procurement.services import award as award_services
from tests.bench.workers import celery_workers

REGIONS = 31


class Command(BaseCommand):
    help = "Time the award computation of a national-scale round (PostgreSQL; workers need REDIS_URL)."

    def add_arguments(self, parser):
        parser.add_argument("--groups", type=int, default=100)
        parser.add_argument("--bids", type=int, default=1000)
        parser.add_argument("--hospitals", type=int, default=50000)
        parser.add_argument("--workers", default="1,2", help="worker counts to time, e.g. 1,2 (needs REDIS_URL)")
        parser.add_argument("--seed", type=int, default=20261122)
        parser.add_argument("--reuse", action="store_true", help="time the last generated round again")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_award measures PostgreSQL: set DATABASE_URL (make bench-award does).")
        rng = random.Random(options["seed"])
        started = time.perf_counter()
        existing = TenderRound.objects.filter(code__startswith="BENCH-AWARD-").order_by("-pk").first()
        if options["reuse"] and existing:
            tender_round = existing
            rows = DemandReport.objects.filter(group__round=tender_round).count()
            self.line(f"reusing {tender_round.code}: {rows} demand rows")
        else:
            tender_round = self.generate(rng, options["groups"], options["bids"], options["hospitals"])
            rows = options["groups"] * options["hospitals"]
            self.line(f"generated {options['groups']} groups, {options['bids']} bids, {rows} demand rows", started)

        scan = self.timed(self.scan_demand, tender_round)
        self.line(f"limit: one SQL scan of the {rows} demand rows: {scan:.2f} s")
        phases = self.inline(tender_round)
        total = sum(phases.values())
        copy, copied = self.raw_copy(tender_round)
        self.line(f"limit: raw COPY of the same {copied} allocation lines into a table like theirs: {copy:.2f} s")
        self.line(
            "in process (1 core): load {load:.2f} s, engine {engine:.2f} s, write {write:.2f} s".format(**phases)
            + f", end to end {total:.2f} s"
        )
        self.line(
            f"ratios: write / raw COPY = {phases['write'] / copy:.2f}; load / scan = {phases['load'] / scan:.2f}"
        )

        if not settings.REDIS_URL:
            self.line("workers: skipped (REDIS_URL is not set)")
            return
        for count in [int(value) for value in options["workers"].split(",") if value]:
            elapsed = self.on_workers(tender_round, count)
            self.line(f"{count} Celery worker(s), one task per group: end to end {elapsed:.2f} s")

    def line(self, text: str, since: float | None = None) -> None:
        suffix = f" ({time.perf_counter() - since:.1f} s)" if since is not None else ""
        self.stdout.write(text + suffix)
        self.stdout.flush()

    @staticmethod
    def timed(function, *args) -> float:
        started = time.perf_counter()
        function(*args)
        return time.perf_counter() - started

    # Data ---------------------------------------------------------------------------------------------------

    def generate(self, rng, group_count: int, bid_count: int, hospital_count: int) -> TenderRound:
        tag = f"BENCH-AWARD-{timezone.now():%H%M%S}"
        now = timezone.now()
        province = Region.objects.create(code=f"B{now:%H%M%S}", name=tag, level=Region.Level.PROVINCE)
        regions = Region.objects.bulk_create(
            Region(code=f"{province.code}{index:02d}", name=f"{tag} {index}", level=Region.Level.CITY, parent=province)
            for index in range(REGIONS)
        )
        suffix = int(now.strftime("%H%M%S"))
        suppliers_per_group = max(1, bid_count // group_count)
        supplier_count = max(suppliers_per_group, bid_count // 5)
        suppliers = Organisation.objects.bulk_create(
            Organisation(
                kind="supplier",
                code=uscc.complete(f"91{suffix:07d}{index:08d}"),
                name=f"{tag} S{index}",
                region=regions[index % REGIONS],
            )
            for index in range(supplier_count)
        )
        hospitals = Organisation.objects.bulk_create(
            (
                Organisation(
                    kind="hospital",
                    code=f"{tag}-H{index:06d}",
                    name=f"{tag} H{index}",
                    region=regions[rng.randrange(REGIONS)],
                    hospital_level="2",
                    ownership="public",
                )
                for index in range(hospital_count)
            ),
            batch_size=5000,
        )
        authority = Organisation.objects.filter(kind=Organisation.Kind.AUTHORITY).first()
        officer = User.objects.create(
            username=tag.lower(), role=Role.PROCUREMENT_OFFICER, organisation=authority, password="!"
        )
        tender_round = TenderRound.objects.create(
            code=tag,
            name=f"Benchmark {tag}",
            rule_set=RuleSet.objects.get(code="nvbp-1.8x", version=1),
            status="opened",
            demand_opens_at=now - timedelta(days=5),
            demand_closes_at=now - timedelta(days=4),
            bid_opens_at=now - timedelta(days=3),
            bid_closes_at=now - timedelta(days=2),
            opening_at=now - timedelta(days=1),
            opened_at=now - timedelta(days=1),
            k_strength=Decimal("1.7"),
            k_pack=Decimal("2"),
            sealing_salt="0" * 64,
        )
        tender_round.regions.set(regions)
        groups = ProductGroup.objects.bulk_create(
            ProductGroup(
                round=tender_round,
                code=f"G{index:03d}",
                generic_name=f"{tag}-{index}",
                dosage_form="片剂",
                reference_strength=Decimal(10),
                reference_strength_unit="mg",
                reference_pack=28,
                smallest_unit="tablet",
                ceiling_price=Decimal("1.0000"),
            )
            for index in range(group_count)
        )
        products, bids, plans = [], [], []
        for number, group in enumerate(groups):
            bidders = rng.sample(suppliers, suppliers_per_group)
            for supplier in bidders:
                products.append(
                    Product(
                        national_drug_code=f"{tag}-{group.code}-{supplier.pk}",
                        generic_name=group.generic_name,
                        dosage_form="片剂",
                        strength_amount=Decimal(10),
                        strength_unit="mg",
                        pack_size=28,
                        smallest_unit="tablet",
                        quality_tier="consistency_passed",
                        holder=supplier,
                    )
                )
                bids.append(
                    Bid(round=tender_round, group=group, supplier=supplier, current_version=1, last_submitted_at=now)
                )
                price = Decimal(rng.randint(500, 12000)) / 10000  # 0.05 – 1.20 per unit: some above the ceiling
                # Demand averages 10 050 units per hospital and group; capacity 0.3× to 1.5× of it, or unlimited.
                capacity = rng.choice([None, rng.randint(hospital_count * 3000, hospital_count * 15000)])
                accepted = rng.sample([region.code for region in regions], rng.randint(20, REGIONS))
                plans.append((group, supplier, price, capacity, accepted, number))
        products = Product.objects.bulk_create(products, batch_size=2000)
        bids = Bid.objects.bulk_create(bids, batch_size=2000)
        versions = BidVersion.objects.bulk_create(
            (
                BidVersion(
                    bid=bid,
                    supplier_id=bid.supplier_id,
                    number=1,
                    action="submit",
                    submitted_at=now - timedelta(days=2, minutes=index),
                    submitted_by=officer,
                    request_hash="0" * 64,
                )
                for index, bid in enumerate(bids)
            ),
            batch_size=2000,
        )
        OpenedBid.objects.bulk_create(
            (
                OpenedBid(
                    round=tender_round,
                    group=group,
                    bid=bid,
                    version=version,
                    supplier=supplier,
                    product=product,
                    pack_price=price * 28,
                    comparable_price=price,
                    capacity=capacity,
                    regions=accepted,
                    submitted_at=version.submitted_at,
                    receipt_hash="0" * 64,
                    hash_verified=True,
                    valid=price <= group.ceiling_price,
                    invalid_reason="" if price <= group.ceiling_price else "above_ceiling",
                )
                for (group, supplier, price, capacity, accepted, _n), bid, version, product in zip(
                    plans, bids, versions, products, strict=True
                )
            ),
            batch_size=2000,
        )
        brands = {}
        for (group, _supplier, *_rest), product in zip(plans, products, strict=True):
            brands.setdefault(group.pk, []).append(product.pk)
        self.copy_demand(rng, groups, hospitals, brands, officer, now)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {DemandReport._meta.db_table}")
        return tender_round

    def copy_demand(self, rng, groups, hospitals, brands, officer, now) -> None:
        table = DemandReport._meta.db_table
        columns = "group_id, hospital_id, quantity, brand_id, reported_by_id, updated_at, chosen_supplier_id"
        hospital_ids = [hospital.pk for hospital in hospitals]
        statement = f"COPY {table} ({columns}) FROM STDIN"
        with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for group in groups:
                group_brands = brands[group.pk]
                for hospital in hospital_ids:
                    brand = rng.choice(group_brands) if rng.random() < 0.3 else None
                    copy.write_row((group.pk, hospital, rng.randint(100, 20000), brand, officer.pk, now, None))

    # Limits --------------------------------------------------------------------------------------------------

    def scan_demand(self, tender_round) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*), sum(quantity) FROM {DemandReport._meta.db_table} d "
                f"JOIN {ProductGroup._meta.db_table} g ON g.id = d.group_id WHERE g.round_id = %s",
                [tender_round.pk],
            )
            cursor.fetchone()

    def raw_copy(self, tender_round) -> tuple[float, int]:
        """(seconds, rows) to COPY the allocation lines the inline run wrote, in the order it wrote them, into a
        scratch table like theirs: same columns and indexes, logged, in shared buffers (not a temporary table,
        whose small local buffers would make the limit slower than the real write). The rows are read out
        before the clock starts."""
        table = AllocationLine._meta.db_table
        columns = ", ".join(award_services.LINE_COLUMNS)
        run = AwardRun.objects.filter(round=tender_round).order_by("-pk").first()
        buffer = io.BytesIO()
        with connection.cursor() as cursor:
            query = f"COPY (SELECT {columns} FROM {table} WHERE run_id = {int(run.pk)} ORDER BY id) TO STDOUT"
            with cursor.cursor.copy(query) as copy:
                for chunk in copy:
                    buffer.write(chunk)
            cursor.execute("DROP TABLE IF EXISTS bench_copy_lines")
            cursor.execute(f"CREATE TABLE bench_copy_lines (LIKE {table} INCLUDING ALL)")
        data = buffer.getvalue()
        try:
            started = time.perf_counter()
            statement = f"COPY bench_copy_lines ({columns}) FROM STDIN"
            with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
                copy.write(data)
            return time.perf_counter() - started, data.count(b"\n")
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE bench_copy_lines")

    # Computation ---------------------------------------------------------------------------------------------

    def new_run(self, tender_round, mode) -> AwardRun:
        with connection.cursor() as cursor:  # a fresh start: previous benchmark runs go
            cursor.execute(
                f"DELETE FROM {AllocationLine._meta.db_table} WHERE run_id IN "
                f"(SELECT id FROM {AwardRun._meta.db_table} WHERE round_id = %s)",
                [tender_round.pk],
            )
            # What autovacuum would do between two officers' computations; without it every timed run after the
            # first writes into an index full of the deleted lines' entries.
            cursor.execute(f"VACUUM (ANALYZE) {AllocationLine._meta.db_table}")
        AwardRun.objects.filter(round=tender_round).delete()
        return User.objects.get(username=tender_round.code.lower())

    def inline(self, tender_round) -> dict:
        officer = self.new_run(tender_round, "rules")
        run = AwardRun.objects.create(
            round=tender_round,
            rule_set=tender_round.rule_set,
            parameters=tender_round.rule_set.parameters,
            input_hash="bench-inline",
            groups_total=tender_round.groups.count(),
            requested_by=officer,
        )
        regions = [region.code for region in tender_round.supply_regions()]
        phases = {"load": 0.0, "engine": 0.0, "write": 0.0}
        mark = time.perf_counter()
        directory = award_services.Directory.for_run(run)
        phases["load"] += time.perf_counter() - mark
        for group in tender_round.groups.order_by("code"):
            mark = time.perf_counter()
            bids, demand, suppliers, hospitals, revived = award_services.group_inputs(group, directory)
            phases["load"] += time.perf_counter() - mark
            mark = time.perf_counter()
            computation = compute_group_award(
                group.ceiling_price, run.rule_set.family, run.parameters, bids, demand, regions, revived=revived
            )
            phases["engine"] += time.perf_counter() - mark
            mark = time.perf_counter()
            with transaction.atomic():
                award_services.group_store(run, group, computation, suppliers, hospitals)
            phases["write"] += time.perf_counter() - mark
        mark = time.perf_counter()
        award_services.finish_award_run(run.pk)
        phases["write"] += time.perf_counter() - mark
        run.refresh_from_db()
        lines = AllocationLine.objects.filter(run=run).count()
        self.line(f"  inline run: {lines} allocation lines, agreed {run.agreed_total}, unallocated {run.unallocated}")
        return phases

    def on_workers(self, tender_round, count: int) -> float:
        officer = self.new_run(tender_round, "rules")
        with celery_workers(count, "bench"):
            started = time.perf_counter()
            with transaction.atomic():
                run = award_services.award_compute(actor=officer, tender_round=tender_round)
            while AwardRun.objects.filter(pk=run.pk, status__in=["pending", "running"]).exists():
                time.sleep(0.2)
            elapsed = time.perf_counter() - started
            run.refresh_from_db()
            if run.status != AwardRun.Status.DONE:
                raise CommandError(f"the run failed: {run.error}")
            return elapsed
