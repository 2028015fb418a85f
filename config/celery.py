"""The Celery application. Workers and beat run with ``make worker`` / ``make beat`` when REDIS_URL is set."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("vbp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# Fault injection for the fault-tolerance tests (tests/test_fault_tolerance.py), never set in production:
# CELERY_FAULT_DELAY="task.name=seconds,..." makes the worker pause before each such task, so that a test can kill
# it, or its broker, while a run is half done.
def _fault_delays() -> dict[str, float]:
    delays = {}
    for item in os.environ.get("CELERY_FAULT_DELAY", "").split(","):
        name, _, seconds = item.partition("=")
        if name.strip() and seconds.strip():
            delays[name.strip()] = float(seconds)
    return delays


FAULT_DELAYS = _fault_delays()
if FAULT_DELAYS:
    import time

    from celery.signals import task_prerun

    @task_prerun.connect
    def _pause_before(task=None, **kwargs):
        time.sleep(FAULT_DELAYS.get(task.name, 0))
