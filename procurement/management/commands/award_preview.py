"""``manage.py award_preview FILE.json`` (or ``-`` for standard input): the award and allocation of the groups in
the file, computed by the web flow's engines, printed as JSON. Touches no database."""

import json
import sys
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from procurement.io.award_preview import PreviewInputError, preview


class Command(BaseCommand):
    help = "Compute award and allocation for an exchange-format file and print the result JSON (no database)."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the input JSON, or - for standard input")

    def handle(self, *args, **options):
        try:
            # Numbers are read as exact decimals: a price written as a JSON number is taken as written.
            if options["file"] == "-":
                document = json.load(sys.stdin, parse_float=Decimal)
            else:
                with open(options["file"], encoding="utf-8") as handle:
                    document = json.load(handle, parse_float=Decimal)
        except OSError as error:
            raise CommandError(f"{options['file']}: {error.strerror}", returncode=2) from None
        except json.JSONDecodeError as error:
            raise CommandError(f"(document): not valid JSON: {error}", returncode=2) from None
        try:
            result = preview(document)
        except PreviewInputError as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(json.dumps(result, sort_keys=True, ensure_ascii=False, indent=2, default=str))
