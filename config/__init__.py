import os

# Every file the platform creates (the embedded database, keys, anchors, uploaded evidence, exports written to
# disk) is readable by its owner only: the process's file-creation mask is set before anything is opened. Every
# entry point (manage.py, WSGI/ASGI, Celery) imports this package first.
os.umask(0o077)

from .celery import app as celery_app  # noqa: E402

__all__ = ("celery_app",)
