"""``manage.py credit_rate FILE.json`` (or ``-``): rate suppliers from the records in an exchange-format file with
the quarterly run's engine and print the result JSON. Touches no database."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from credit.io.rating_format import RatingInputError, rate_document


class Command(BaseCommand):
    help = "Rate suppliers from an exchange-format file and print the result JSON (no database)."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the input JSON, or - for standard input")

    def handle(self, *args, **options):
        try:
            if options["file"] == "-":
                document = json.load(sys.stdin)
            else:
                with open(options["file"], encoding="utf-8") as handle:
                    document = json.load(handle)
        except OSError as error:
            raise CommandError(f"{options['file']}: {error.strerror}", returncode=2) from None
        except json.JSONDecodeError as error:
            raise CommandError(f"(document): not valid JSON: {error}", returncode=2) from None
        try:
            result = rate_document(document)
        except RatingInputError as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(json.dumps(result, sort_keys=True, ensure_ascii=False, indent=2))
