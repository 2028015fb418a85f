"""Crash recovery is exact. A real Celery worker (and its own Redis) is killed, or its broker restarted, while an
award computation or a quarterly credit run is half done; after a restart and the periodic re-dispatch the result
is the one an uninterrupted run gives, with nothing lost or doubled. A purchase ingest killed, or cut off from the
database, mid-way leaves no row; its retry stores the report once.

Runs in the PostgreSQL pass of .ci/run (markers worker and slow)."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from config.celery import app as celery_app
from tests.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    user, password = db["USER"] or "", db["PASSWORD"] or ""
    return f"postgres://{user}:{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Redis:
    """A private Redis for the broker, which a test may stop and start again (it keeps nothing on disk)."""

    def __init__(self):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        assert wait_for(self._answers, timeout=20), "redis-server did not start"

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=20)


def _reset_connections() -> None:
    """Forget the pooled broker connections (after the broker restarted, or moved)."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


class Worker:
    """A Celery worker subprocess on the private broker and queue; ``kill`` is SIGKILL, as a machine dying."""

    def __init__(self, broker: str, queue: str):
        self.broker, self.queue, self.process = broker, queue, None

    def start(self, *, delays: str = ""):
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "REDIS_URL": self.broker,
            "CELERY_QUEUE": self.queue,
            "CELERY_FAULT_DELAY": delays,
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", self.queue, "--pool", "solo"]
        command += ["--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        self.log = Path(tempfile.mkstemp(prefix="vbp-worker-", suffix=".log")[1])
        with self.log.open("w") as log:
            self.process = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, stdout=log, stderr=log)
        assert wait_for(self._ready, timeout=60), f"the worker did not start: {self.log.read_text()[-2000:]}"

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError("the worker exited at start")
        # Its own word that it consumes (a ping through this process's pooled connections would not survive a
        # broker restart).
        return " ready." in self.log.read_text()

    def kill(self):
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture
def broker():
    """Route this test's tasks to a private Redis and queue; put the app back afterwards."""
    redis = Redis()
    redis.start()
    queue = f"fault-{uuid.uuid4().hex[:10]}"
    saved = (celery_app.conf.broker_url, celery_app.conf.task_default_queue)
    celery_app.conf.broker_url = redis.url
    celery_app.conf.task_default_queue = queue
    _reset_connections()
    workers = []

    def worker(**kwargs) -> Worker:
        started = Worker(redis.url, queue)
        started.start(**kwargs)
        workers.append(started)
        return started

    yield redis, worker
    for started in workers:
        started.stop()
    redis.stop()
    celery_app.conf.broker_url, celery_app.conf.task_default_queue = saved
    _reset_connections()


def _award_lines(run):
    from procurement.models import AllocationLine

    return sorted(
        AllocationLine.objects.filter(run=run).values_list(
            "group__code", "hospital__code", "supplier__code", "quantity"
        )
    )


def _expected_award(tender_round):
    from procurement.services.award import round_award_preview

    preview = round_award_preview(tender_round=tender_round)
    return sorted(
        (group["id"], line["hospital"], line["supplier"], line["quantity"])
        for group in preview["groups"]
        for line in group["allocations"]
    )


def _start_award(django_capture_on_commit_callbacks=None):
    from accounts.models import User
    from procurement.models import TenderRound
    from procurement.services.award import award_compute

    call_command("load_demo", verbosity=0)
    tender_round = TenderRound.objects.get(code="GY-2025-09")
    run = award_compute(actor=User.objects.get(username="officer"), tender_round=tender_round)
    return tender_round, run


def _finish_after_redispatch(run, worker):
    from procurement.models import AwardRun
    from procurement.services.award import redispatch_stale_award_runs

    worker()
    redispatch_stale_award_runs(older_than_seconds=0)
    assert wait_for(lambda: AwardRun.objects.get(pk=run.pk).status == AwardRun.Status.DONE, timeout=90)


# From the kill of a worker's main process to the job's completion, with a new worker started and nobody re-sending
# anything: the broker's visibility timeout (60 s) and the workers' 5 s sweep, plus the remaining work
# (docs/operations.md, "Workers that die").
RECOVERY_BOUND_SECONDS = 90
RECOVERY_TIMES: dict[str, float] = {}


def test_award_recovers_by_itself_when_the_main_worker_process_is_killed(broker):
    from procurement.models import AwardGroupResult, AwardRun

    _redis, worker = broker
    dying = worker(delays="procurement.compute_award_group=2")
    tender_round, run = _start_award()
    groups = tender_round.groups.count()
    assert groups >= 2
    # Kill the worker once one group is stored and the next is under way.
    assert wait_for(lambda: AwardGroupResult.objects.filter(run=run).count() >= 1, timeout=60)
    dying.kill()
    killed_at = time.monotonic()
    assert AwardGroupResult.objects.filter(run=run).count() < groups
    worker()
    done = wait_for(
        lambda: AwardRun.objects.get(pk=run.pk).status == AwardRun.Status.DONE, timeout=RECOVERY_BOUND_SECONDS
    )
    RECOVERY_TIMES["award"] = time.monotonic() - killed_at
    print(f"award run recovered {RECOVERY_TIMES['award']:.1f} s after the kill")
    assert done, f"the award run did not complete within {RECOVERY_BOUND_SECONDS} s of the kill"
    assert _award_lines(run) == _expected_award(tender_round)
    assert AwardGroupResult.objects.filter(run=run).count() == groups  # one result per group, none doubled


def test_catalog_import_recovers_by_itself_when_the_main_worker_process_is_killed(broker, officer, supplier_org):
    from procurement import services
    from procurement.models import Product, ProductImport
    from tests.procurement.test_catalog_import import good_row, xlsx

    _redis, worker = broker
    dying = worker(delays="procurement.run_product_import=30")
    rows = [good_row(f"KILLED-{n}", supplier_org) for n in range(20)]
    job = services.product_import_submit(actor=officer, filename="catalog.xlsx", content=xlsx(rows))
    # The worker names the task with its id when it takes it (its start-up banner lists the name alone).
    assert wait_for(lambda: "procurement.run_product_import[" in dying.log.read_text(), timeout=60)
    dying.kill()
    killed_at = time.monotonic()
    assert ProductImport.objects.get(pk=job.pk).status == ProductImport.Status.PENDING
    assert not Product.objects.filter(national_drug_code__startswith="KILLED-").exists()
    worker()
    done = wait_for(lambda: ProductImport.objects.get(pk=job.pk).is_finished, timeout=RECOVERY_BOUND_SECONDS)
    RECOVERY_TIMES["import"] = time.monotonic() - killed_at
    print(f"catalog import recovered {RECOVERY_TIMES['import']:.1f} s after the kill")
    assert done, f"the import did not complete within {RECOVERY_BOUND_SECONDS} s of the kill"
    job.refresh_from_db()
    assert job.status == ProductImport.Status.SUCCEEDED and job.rows_created == 20
    assert Product.objects.filter(national_drug_code__startswith="KILLED-").count() == 20
    # The times are true: this attempt started after the kill (the killed one left no finish), and finished later.
    assert job.uploaded_at < job.started_at <= job.finished_at
    assert (timezone.now() - job.started_at).total_seconds() < time.monotonic() - killed_at


def test_award_survives_a_broker_restart(broker):
    from procurement.models import AwardGroupResult

    redis, worker = broker
    slow = worker(delays="procurement.compute_award_group=2")
    tender_round, run = _start_award()
    assert wait_for(lambda: AwardGroupResult.objects.filter(run=run).count() >= 1, timeout=60)
    # Redis goes away with every queued task (it keeps nothing on disk), and comes back empty.
    redis.stop()
    slow.kill()
    redis.start()
    _reset_connections()
    _finish_after_redispatch(run, worker)
    assert _award_lines(run) == _expected_award(tender_round)
    assert AwardGroupResult.objects.filter(run=run).count() == tender_round.groups.count()


def _ratings():
    from credit.models import RatingSnapshot

    return sorted(RatingSnapshot.objects.values_list("supplier__code", "as_of", "level", "score", "trigger"))


def test_quarterly_credit_run_survives_a_killed_worker(broker):
    from django.utils import timezone

    from credit.models import RatingRun, RatingSnapshot
    from credit.services.ratings import rating_run_start, redispatch_stale_rating_runs

    _redis, worker = broker
    call_command("load_demo", verbosity=0)
    as_of = timezone.localdate() - timezone.timedelta(days=1)  # a date the demo's own run did not rate
    dying = worker(delays="credit.rate_chunk=2")
    run = rating_run_start(as_of=as_of, chunk_size=1)
    assert run.chunks_total >= 3
    assert wait_for(lambda: RatingRun.objects.get(pk=run.pk).chunks_done >= 1, timeout=60)
    dying.kill()
    assert RatingRun.objects.get(pk=run.pk).status != RatingRun.Status.DONE
    worker()
    redispatch_stale_rating_runs(older_than_seconds=0)
    assert wait_for(lambda: RatingRun.objects.get(pk=run.pk).status == RatingRun.Status.DONE, timeout=90)
    recovered = _ratings()
    snapshots = RatingSnapshot.objects.filter(as_of=as_of).count()
    # The same quarter computed again, uninterrupted and inline, finds nothing to change.
    celery_app.conf.task_always_eager = True
    try:
        again = rating_run_start(as_of=as_of)
    finally:
        celery_app.conf.task_always_eager = False
    assert RatingRun.objects.get(pk=again.pk).changed == 0
    assert _ratings() == recovered
    assert RatingSnapshot.objects.filter(as_of=as_of).count() == snapshots


INGEST_NAME = "vbp-fault-ingest"
INGEST = """
import sys
from pathlib import Path
from accounts.models import User
from procurement.services import purchases
user = User.objects.get(username="hospital1")
rows, errors = purchases.rows_from_file("report.csv", Path(sys.argv[1]).read_bytes())
if sys.argv[3] == "pause":  # stop inside the transaction, lines written, until the test says go
    add_to_rollups = purchases.add_to_rollups
    def paused(*args, **kwargs):
        print("WRITTEN", flush=True)
        sys.stdin.readline()
        return add_to_rollups(*args, **kwargs)
    purchases.add_to_rollups = paused
print("START", flush=True)
result = purchases.purchase_report(
    actor=user, hospital=user.organisation, rows=rows, errors=errors, source="api", idempotency_key=sys.argv[2]
)
print("DONE", result.upload.status, result.upload.lines, flush=True)
"""


def _purchase_file(tmp_path: Path, lines: int) -> Path:
    from django.utils import timezone

    from accounts.models import User
    from procurement.models import Contract

    hospital = User.objects.get(username="hospital1").organisation
    contracts = list(
        Contract.objects.filter(hospital=hospital, status=Contract.Status.CONFIRMED).select_related(
            "product", "supplier"
        )
    )
    assert contracts
    day = timezone.localdate() - timezone.timedelta(days=1)
    assert all(c.cycle_start <= day <= c.cycle_end for c in contracts)
    rows = ["order_number,ordered_on,product,supplier,quantity,unit_price"]
    for number in range(lines):
        contract = contracts[number % len(contracts)]
        rows.append(
            f"FT-{number:07d},{day.isoformat()},{contract.product.national_drug_code},{contract.supplier.code},"
            f"1,{contract.unit_price}"
        )
    path = tmp_path / "report.csv"
    path.write_text("\n".join(rows) + "\n")
    return path


def _ingest(path: Path, key: str, *, pause: bool = False) -> subprocess.Popen:
    env = {key_: value for key_, value in os.environ.items() if key_ != "REDIS_URL"}
    env.update(
        DATABASE_URL=f"{_database_url()}?application_name={INGEST_NAME}", DJANGO_SETTINGS_MODULE="config.settings"
    )
    script = f"import sys; sys.argv = ['ingest', {str(path)!r}, {key!r}, {'pause' if pause else 'run'!r}]\n" + INGEST
    return subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _state():
    from accounts.models import AuditEntry
    from procurement.models import Contract, PurchaseLine, PurchaseUpload

    return (
        PurchaseLine.objects.count(),
        PurchaseUpload.objects.count(),
        sorted(Contract.objects.values_list("pk", "purchased_quantity")),
        AuditEntry.objects.count(),
    )


def _interrupt_then_retry(tmp_path, interrupt):
    from procurement.models import PurchaseLine, PurchaseUpload

    call_command("load_demo", verbosity=0)
    lines = 40_000
    path = _purchase_file(tmp_path, lines)
    before = _state()
    key = f"fault-{uuid.uuid4().hex[:8]}"
    process = _ingest(path, key, pause=True)
    # Deterministic, whatever the ingest's speed: interrupt once its lines are written but not committed.
    assert any(line.startswith("WRITTEN") for line in process.stdout), process.stderr.read()
    interrupt(process)
    with contextlib.suppress(BrokenPipeError, OSError):  # a killed process has no stdin left
        process.stdin.write("go\n")
        process.stdin.flush()
    process.wait(timeout=60)
    assert _state() == before, "an interrupted report must leave no row"
    assert not PurchaseUpload.objects.filter(idempotency_key=key).exists()
    retry = _ingest(path, key)
    out, err = retry.communicate(timeout=600)
    assert "DONE accepted" in out, out + err
    upload = PurchaseUpload.objects.get(idempotency_key=key)
    assert upload.lines == lines and PurchaseLine.objects.filter(upload=upload).count() == lines
    again = _ingest(path, key)
    out, err = again.communicate(timeout=600)
    assert "DONE accepted" in out, out + err
    assert PurchaseLine.objects.filter(upload=upload).count() == lines  # the replay stored nothing more


def test_a_killed_purchase_ingest_leaves_nothing_and_its_retry_stores_it_once(tmp_path):
    _interrupt_then_retry(tmp_path, lambda process: os.kill(process.pid, signal.SIGKILL))


def test_a_dropped_database_connection_mid_upload_leaves_nothing(tmp_path):
    def drop_connection(process):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name = %s",
                [INGEST_NAME],
            )
            assert cursor.fetchall(), "the ingest's connection was not found"

    _interrupt_then_retry(tmp_path, drop_connection)
