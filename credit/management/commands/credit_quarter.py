"""``manage.py credit_quarter [--as-of DATE]``: the quarterly credit run, as the beat task does it, and print it."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from credit.exceptions import CreditError
from credit.models import RatingRun
from credit.services import rating_run_start


class Command(BaseCommand):
    help = "Re-rate every supplier at a date (default: the current quarter's first day). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="rating date, YYYY-MM-DD")

    def handle(self, *args, as_of=None, **options):
        try:
            day = date.fromisoformat(as_of) if as_of else None
        except ValueError:
            raise CommandError("--as-of: not a date (YYYY-MM-DD)") from None
        try:
            run = rating_run_start(as_of=day)
        except CreditError as error:
            raise CommandError(str(error.message)) from None
        run.refresh_from_db()
        if run.status != RatingRun.Status.DONE:
            self.stdout.write(f"run {run.pk} at {run.as_of}: {run.status} ({run.chunks_total} chunks dispatched)")
            return
        self.stdout.write(
            f"run {run.pk} at {run.as_of}: {run.suppliers_total} suppliers rated, {run.changed} ratings changed"
        )
