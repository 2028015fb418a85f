"""Load test (locust) of the two busiest moments, on gunicorn + PostgreSQL: the bid deadline and the monthly
purchase-report day. Prints requests/s, latency percentiles and failures per request type, with the same server's
/healthz throughput at the same concurrency as the reference. Run it in a scratch database: ``make load``."""

import csv
import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from accounts import audit_chain

from .bench_bids import Command as BenchBids
from .bench_bids import _free_port

LOCUSTFILE = Path(settings.BASE_DIR) / "tests" / "load" / "locustfile.py"


class Command(BaseCommand):
    help = "Locust scenarios of the bid deadline and the purchase-report day against gunicorn on PostgreSQL."

    def add_arguments(self, parser):
        parser.add_argument("--suppliers", type=int, default=300, help="concurrent bidders")
        parser.add_argument("--hospitals", type=int, default=24, help="concurrent reporting hospitals (demo: 24)")
        parser.add_argument("--lines", type=int, default=200, help="lines per purchase report")
        parser.add_argument("--seconds", type=int, default=60, help="duration of each scenario")
        parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 2) * 2), help="gunicorn workers")
        parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_load measures PostgreSQL: set DATABASE_URL=postgres://…")
        plan = self._plan(options)
        work = Path(tempfile.mkdtemp(prefix="vbp-load-"))
        (work / "plan.json").write_text(json.dumps(plan))
        port = _free_port()
        env = {
            **os.environ,
            "DJANGO_DEBUG": "false",
            # Production settings refuse the public defaults: the server gets its own keys, the chain's the same.
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
            "AUDIT_CHAIN_KEY": audit_chain.key_text(),
            "DJANGO_SECURE_COOKIES": "false",
            "DJANGO_SSL_REDIRECT": "false",
            "BID_SEALING_KEY": settings.BID_SEALING_KEY or settings.BID_SEALING_KEY_FILE.read_text().strip(),
            "DB_CONN_MAX_AGE": "600",
        }
        command = [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}"]
        command += ["-w", str(options["workers"]), "-k", "gthread", "--threads", str(options["threads"])]
        command += ["--backlog", "4096", "--log-level", "warning"]
        server = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)
        results = {}
        try:
            BenchBids()._wait_until_up(port)
            for name, users in (("BidDeadline", options["suppliers"]), ("ReportDay", options["hospitals"])):
                results[name] = self._locust(work, port, name, users, options["seconds"], plan)
                results[f"{name} /healthz"] = self._locust(
                    work, port, "Healthz", users, min(20, options["seconds"]), plan
                )
        finally:
            server.terminate()
            server.wait(30)
        self.stdout.write(
            f"machine: {os.cpu_count()} cores; gunicorn {options['workers']} workers × {options['threads']} "
            f"threads; locust on the same machine; {options['seconds']} s per scenario"
        )
        self.stdout.write(
            f"{'scenario / request':44}{'requests':>9}{'fail':>6}{'per s':>8}{'p50':>7}{'p95':>7}{'p99':>7}"
        )
        for scenario, rows in results.items():
            for row in rows:
                self.stdout.write(
                    f"{scenario + ' ' + row['Name']:44}{row['Request Count']:>9}{row['Failure Count']:>6}"
                    f"{float(row['Requests/s']):>8.1f}{row['50%']:>7}{row['95%']:>7}{row['99%']:>7}"
                )

    def _plan(self, options) -> dict:
        from knox.models import AuthToken

        from accounts.models import Role, User
        from credit.selectors.eligibility import purchase_eligibility
        from procurement.models import Contract

        _round, group, tokens = BenchBids()._setup(f"LOAD-{os.urandom(3).hex().upper()}", options["suppliers"])
        day = timezone.localdate() - timezone.timedelta(days=1)
        hospitals = []
        for user in User.objects.filter(role=Role.HOSPITAL_USER).select_related("organisation")[
            : options["hospitals"]
        ]:
            contracts = Contract.objects.filter(hospital=user.organisation, status=Contract.Status.CONFIRMED)
            # Reports as a hospital sends them: products whose purchase a credit measure suspends are left out.
            rows = [
                {"product": c.product.national_drug_code, "supplier": c.supplier.code, "unit_price": str(c.unit_price)}
                for c in contracts.select_related("product", "supplier")
                if purchase_eligibility(supplier=c.supplier, product=c.product, at=day).allowed
            ]
            if rows:
                _instance, token = AuthToken.objects.create(user=user)
                hospitals.append({"token": token, "contracts": rows})
        if not hospitals:
            raise CommandError("load the demo data first (manage.py load_demo): hospitals with agreements are needed")
        return {
            "group": group.pk,
            "suppliers": tokens,
            "hospitals": hospitals,
            "lines": options["lines"],
            "day": day.isoformat(),
        }

    def _locust(self, work: Path, port: int, user_class: str, users: int, seconds: int, plan) -> list[dict]:
        prefix = work / user_class
        command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host"]
        command += [f"http://127.0.0.1:{port}", "-u", str(users), "-r", str(max(1, users // 5))]
        command += ["-t", f"{seconds}s", "--csv", str(prefix), "--only-summary", "--loglevel", "ERROR", user_class]
        env = {**os.environ, "LOAD_PLAN": str(work / "plan.json"), "LOAD_LINES": str(plan["lines"])}
        subprocess.run(
            command, env=env, cwd=settings.BASE_DIR, check=False, capture_output=True, timeout=seconds + 120
        )
        with open(f"{prefix}_stats.csv") as stats:
            return list(csv.DictReader(stats))
