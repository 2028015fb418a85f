"""What the benchmark commands share: real Celery worker processes on a private queue for the time of a block."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager

from django.conf import settings


@contextmanager
def celery_workers(count: int, name: str = "bench"):
    """Start ``count`` solo-pool workers on a queue of their own, send this process's tasks there, and stop them
    afterwards."""
    from config.celery import app

    queue = f"{name}-{os.getpid()}"
    env = {**os.environ, "CELERY_QUEUE": queue, "DJANGO_SETTINGS_MODULE": "config.settings"}
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue, "--pool", "solo"]
    command += ["--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    workers = [
        subprocess.Popen([*command, "-n", f"{name}{index}@%h"], env=env, cwd=settings.BASE_DIR)
        for index in range(count)
    ]
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(app.control.ping(timeout=1) or []) < count:
            pass
        yield
    finally:
        app.conf.task_default_queue = previous
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
