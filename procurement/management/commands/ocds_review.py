"""``manage.py ocds_review [CODE …] [--file PACKAGE.json]``: the official OCDS review (libcoveocds, offline) of the
release package of each published round named (all of them by default) or of a file; prints errors, warnings and
notes. Exit 1 when any package has an error or a warning, 2 on bad input."""

import json

from django.core.management.base import BaseCommand, CommandError

from procurement.io import ocds
from procurement.io.ocds_review import review
from procurement.models import TenderRound


class Command(BaseCommand):
    help = "Review published rounds' OCDS release packages with libcoveocds (offline) and print its findings."

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="round codes (default: every published round)")
        parser.add_argument("--file", help="review this release package file instead")

    def handle(self, *args, **options):
        from django.core.serializers.json import DjangoJSONEncoder

        packages = {}
        if options["file"]:
            try:
                with open(options["file"], encoding="utf-8") as handle:
                    packages[options["file"]] = json.load(handle)
            except (OSError, ValueError) as error:
                raise CommandError(f"{options['file']}: {error}", returncode=2) from None
        else:
            rounds = TenderRound.objects.order_by("code")
            if options["codes"]:
                rounds = rounds.filter(code__in=options["codes"])
                missing = set(options["codes"]) - set(rounds.values_list("code", flat=True))
                if missing:
                    raise CommandError(f"unknown rounds: {', '.join(sorted(missing))}", returncode=2)
            for tender_round in rounds:
                if ocds.publishable(tender_round):
                    package = ocds.release_package(tender_round, uri=f"urn:ocds:{tender_round.code}")
                    packages[tender_round.code] = json.loads(json.dumps(package, cls=DjangoJSONEncoder))
                elif options["codes"]:
                    raise CommandError(f"{tender_round.code}: its award is not published", returncode=2)
        failing = 0
        for name, package in packages.items():
            found = review(package)
            counts = {key: len(value) for key, value in found.items()}
            self.stdout.write(
                f"{name}: {counts['errors']} errors, {counts['warnings']} warnings, {counts['notes']} notes"
            )
            for key in ("errors", "warnings", "notes"):
                for line in found[key]:
                    self.stdout.write(f"  {key[:-1]}: {line}")
            failing += bool(found["errors"] or found["warnings"])
        if failing:
            raise CommandError(f"{failing} package(s) with errors or warnings", returncode=1)
