"""Load scenarios (locust), driven by ``manage.py bench_load`` (``make load``), which prepares the data, starts
gunicorn on PostgreSQL and passes the plan in LOAD_PLAN (a JSON file):

- ``BidDeadline``: suppliers submitting and amending sealed bids in the last minute before the close, each with a
  fresh Idempotency-Key, and reading their own bids back;
- ``ReportDay``: hospitals sending their monthly purchase report through the bulk API (``LOAD_LINES`` lines per
  report) and reading their agreements.
"""

import itertools
import json
import os
import threading
import uuid
from pathlib import Path

from locust import HttpUser, between, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text()) if os.environ.get("LOAD_PLAN") else {}
_next = itertools.count()
_lock = threading.Lock()


def _pick(pool: list):
    with _lock:
        return pool[next(_next) % len(pool)]


class BidDeadline(HttpUser):
    wait_time = between(0.2, 1.0)

    def on_start(self):
        self.token, self.product = _pick(PLAN["suppliers"])
        self.headers = {"Authorization": f"Token {self.token}"}
        self.price = 5.0

    @task(4)
    def submit_or_amend(self):
        self.price = round(self.price + 0.01, 2)
        self.client.post(
            "/api/v1/bids/",
            json={"group": PLAN["group"], "product": self.product, "price": f"{self.price:.2f}", "capacity": 1000000},
            headers={**self.headers, "Idempotency-Key": uuid.uuid4().hex},
            name="POST /api/v1/bids/",
        )

    @task(1)
    def own_bids(self):
        self.client.get("/api/v1/bids/", headers=self.headers, name="GET /api/v1/bids/")


class ReportDay(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self):
        hospital = _pick(PLAN["hospitals"])
        self.headers = {"Authorization": f"Token {hospital['token']}"}
        self.contracts = hospital["contracts"]
        self.reports = 0

    @task(3)
    def monthly_report(self):
        self.reports += 1
        prefix = uuid.uuid4().hex[:10]
        lines = [
            {
                "order_number": f"{prefix}-{index}",
                "ordered_on": PLAN["day"],
                "product": contract["product"],
                "supplier": contract["supplier"],
                "quantity": 1,
                "unit_price": contract["unit_price"],
            }
            for index, contract in zip(range(PLAN["lines"]), itertools.cycle(self.contracts), strict=False)
        ]
        self.client.post(
            "/api/v1/purchases/",
            json={"lines": lines},
            headers={**self.headers, "Idempotency-Key": prefix},
            name="POST /api/v1/purchases/",
        )

    @task(1)
    def agreements(self):
        self.client.get("/api/v1/contracts/", headers=self.headers, name="GET /api/v1/contracts/")


class Healthz(HttpUser):
    """The reference: the same server and concurrency on a trivial view."""

    wait_time = between(0.2, 1.0)

    @task
    def healthz(self):
        self.client.get("/healthz", name="GET /healthz")
