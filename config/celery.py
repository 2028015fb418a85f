"""The Celery application. Workers and beat run with ``make worker`` / ``make beat`` when REDIS_URL is set."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("vbp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
