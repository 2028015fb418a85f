"""Benchmark: many suppliers submitting sealed bids over HTTP at the deadline, against gunicorn on PostgreSQL.

Prints bids/s and latency percentiles, and the same server's throughput on a trivial view (/healthz) at the same
concurrency, with their ratio. The round, suppliers and tokens it creates are named BENCH-…; they stay (audit rows
are never deleted), so run it in a scratch database: ``make bench-bids`` creates one.
"""

import asyncio
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts import audit_chain, uscc
from accounts.models import Organisation, Region, Role, User
from procurement import participation
from procurement.models import Product, ProductGroup, RuleSet, TenderRound
from procurement.sealing import new_round_salt
from procurement.services import commitment_sign


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _http(reader, writer, method: str, path: str, headers: dict, body: bytes = b"") -> int:
    # As behind the TLS-terminating proxy of a deployment: the production settings redirect plain HTTP to HTTPS.
    lines = [
        f"{method} {path} HTTP/1.1",
        "Host: 127.0.0.1",
        "X-Forwarded-Proto: https",
        f"Content-Length: {len(body)}",
    ]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    await writer.drain()
    status_line = await reader.readline()
    parts = status_line.split()
    if len(parts) < 2 or not parts[1].isdigit():
        raise ConnectionError(f"no HTTP status line: {status_line[:60]!r}")
    status = int(parts[1])
    length, close, chunked = 0, False, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "connection" and value == "close":
            close = True
        elif name == "transfer-encoding" and "chunked" in value:
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
            await reader.readexactly(size + 2)  # the chunk and its CRLF (the last chunk: just the CRLF)
            if not size:
                break
    elif length:
        await reader.readexactly(length)
    return status if not close else -status


async def _client(port, requests, latencies, statuses):
    reader = writer = None
    for method, path, headers, body in requests:
        for _attempt in range(3):
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            started = time.perf_counter()
            try:
                status = await _http(reader, writer, method, path, headers, body)
            except (ConnectionError, asyncio.IncompleteReadError):
                writer.close()
                reader = writer = None
                continue
            latencies.append(time.perf_counter() - started)
            if status < 0:
                writer.close()
                reader = writer = None
                status = -status
            statuses.append(status)
            break
    if writer is not None:
        writer.close()


def _run_load(port, plans) -> dict:
    latencies, statuses = [], []

    async def main():
        await asyncio.gather(*(_client(port, plan, latencies, statuses) for plan in plans))

    started = time.perf_counter()
    # In a thread of its own: the caller may already run an event loop (a test session with Playwright does).
    with ThreadPoolExecutor(1) as executor:
        executor.submit(asyncio.run, main()).result()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)

    def percentile(share):
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0.0

    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "per_second": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": percentile(0.50),
        "p99_ms": percentile(0.99),
        "mean_ms": statistics.fmean(ordered) * 1000 if ordered else 0.0,
        "statuses": {str(code): statuses.count(code) for code in sorted(set(statuses))},
    }


class Command(BaseCommand):
    help = "Benchmark sealed bidding over HTTP (gunicorn + PostgreSQL) against a trivial view."

    def add_arguments(self, parser):
        parser.add_argument("--suppliers", type=int, default=500, help="concurrent suppliers (connections)")
        parser.add_argument("--bids", type=int, default=2, help="bids per supplier (first submit, then amends)")
        parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 2) * 2), help="gunicorn workers")
        parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_bids measures PostgreSQL: set DATABASE_URL=postgres://…")
        suppliers, bids = options["suppliers"], options["bids"]
        tag = f"BENCH-{secrets.token_hex(3).upper()}"
        self.stdout.write(f"Setting up {tag}: {suppliers} suppliers with tokens, products and commitments…")
        tender_round, group, tokens = self._setup(tag, suppliers)
        port = _free_port()
        env = {
            **os.environ,
            "DJANGO_DEBUG": "false",
            # Production settings refuse the public defaults: the server gets its own keys, the chain's the same.
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
            "AUDIT_CHAIN_KEY": audit_chain.key_text(),
            "DJANGO_SECURE_COOKIES": "false",
            "BID_SEALING_KEY": settings.BID_SEALING_KEY or settings.BID_SEALING_KEY_FILE.read_text().strip(),
            "DB_CONN_MAX_AGE": "600",
        }
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                str(options["workers"]),
                "-k",
                "gthread",
                "--threads",
                str(options["threads"]),
                "--backlog",
                "4096",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=settings.BASE_DIR,
        )
        try:
            self._wait_until_up(port)
            warm = [[("GET", "/healthz", {}, b"")] * 20 for _ in range(20)]
            _run_load(port, warm)
            trivial = _run_load(port, [[("GET", "/healthz", {}, b"")] * bids for _ in range(suppliers)])
            plans = []
            for index, (token, product_code) in enumerate(tokens):
                plan = []
                for attempt in range(bids):
                    body = json.dumps(
                        {
                            "group": group.pk,
                            "product": product_code,
                            "price": f"{5 + index % 50}.{attempt:02d}",
                            "capacity": 1000000,
                        }
                    ).encode()
                    headers = {
                        "Authorization": f"Token {token}",
                        "Content-Type": "application/json",
                        "Idempotency-Key": f"{tag}-{index}-{attempt}",
                    }
                    plan.append(("POST", "/api/v1/bids/", headers, body))
                plans.append(plan)
            bidding = _run_load(port, plans)
        finally:
            server.terminate()
            server.wait(30)
        stored = sum(len(state["versions"]) for state in participation.states(tender_round))
        ratio = bidding["per_second"] / trivial["per_second"] if trivial["per_second"] else 0.0
        self.stdout.write("")
        self.stdout.write(
            f"machine: {os.cpu_count()} cores; gunicorn {options['workers']} workers × "
            f"{options['threads']} threads; client and server on the same machine"
        )
        self.stdout.write(f"{'':22}{'requests':>10}{'per s':>10}{'p50 ms':>10}{'p99 ms':>10}  statuses")
        for name, figures in (("trivial view /healthz", trivial), ("bid submissions", bidding)):
            self.stdout.write(
                f"{name:22}{figures['requests']:>10}{figures['per_second']:>10.1f}{figures['p50_ms']:>10.1f}"
                f"{figures['p99_ms']:>10.1f}  {figures['statuses']}"
            )
        self.stdout.write(
            f"bids stored: {stored} of {suppliers * bids} sent (no loss, no duplicate: "
            f"{'yes' if stored == suppliers * bids else 'NO'})"
        )
        self.stdout.write(
            f"ratio bids/s ÷ trivial/s: {ratio:.2f} (goal ≥ 0.5); bid p99 {bidding['p99_ms']:.0f} ms "
            f"(goal ≤ 300 ms at 500 concurrent)"
        )
        if stored != suppliers * bids or set(bidding["statuses"]) - {"201"}:
            raise CommandError(f"not every bid was stored with 201: {bidding['statuses']}; the figures mean nothing")

    def _wait_until_up(self, port):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise CommandError("gunicorn did not start")

    @transaction.atomic
    def _setup(self, tag, count):
        from knox.crypto import create_token_string, hash_token
        from knox.models import AuthToken

        now = timezone.now()
        region = Region.objects.filter(level=Region.Level.CITY).first()
        if region is None:
            raise CommandError("load the demo data first (manage.py load_demo): the benchmark needs a region")
        tender_round = TenderRound.objects.create(
            code=tag,
            name=f"Benchmark {tag}",
            rule_set=RuleSet.objects.get(code="nvbp-1.8x", version=1),
            status="bidding",
            demand_opens_at=now - timedelta(days=3),
            demand_closes_at=now - timedelta(days=2),
            bid_opens_at=now - timedelta(days=1),
            bid_closes_at=now + timedelta(days=1),
            opening_at=now + timedelta(days=1, hours=1),
            k_strength=Decimal("1.7"),
            k_pack=Decimal("2"),
            sealing_salt=new_round_salt(),
        )
        group = ProductGroup.objects.create(
            round=tender_round,
            code="G01",
            generic_name=f"{tag}-片",
            dosage_form="片剂",
            reference_strength=Decimal(10),
            reference_strength_unit="mg",
            reference_pack=7,
            smallest_unit="tablet",
            ceiling_price=Decimal("100"),
        )
        suffix = int(tag[-6:], 16)
        organisations = Organisation.objects.bulk_create(
            Organisation(
                kind="supplier",
                code=uscc.complete(f"91{suffix % 10**7:07d}{index:08d}"),
                name=f"{tag} {index}",
                region=region,
            )
            for index in range(count)
        )
        users = User.objects.bulk_create(
            User(username=f"{tag.lower()}-{index}", role=Role.SUPPLIER_USER, organisation=organisation, password="!")
            for index, organisation in enumerate(organisations)
        )
        products = Product.objects.bulk_create(
            Product(
                national_drug_code=f"{tag}-{index}",
                generic_name=f"{tag}-片",
                dosage_form="片剂",
                strength_amount=Decimal(10),
                strength_unit="mg",
                pack_size=7,
                smallest_unit="tablet",
                quality_tier="consistency_passed",
                holder=organisation,
            )
            for index, organisation in enumerate(organisations)
        )
        group.eligible_products.add(*products)
        # Every supplier signs, through the service: before the opening a signature lives in its sealed part.
        participation.ensure_slots(tender_round)
        for user in users:
            commitment_sign(actor=user, tender_round=tender_round)
        tokens = [create_token_string() for _user in users]
        AuthToken.objects.bulk_create(
            AuthToken(digest=hash_token(token), token_key=token[:15], user=user, expiry=None)
            for token, user in zip(tokens, users, strict=True)
        )
        return (
            tender_round,
            group,
            [(token, product.national_drug_code) for token, product in zip(tokens, products, strict=True)],
        )
