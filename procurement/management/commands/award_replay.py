"""``manage.py award_replay FILE.json [--rule-set CODE] [--json]``: replay published award results. Each group is
computed under its round's rule set (or the one named) and compared with its ``published_winners``; the report
lists every group, the bids of each group not reproduced (comparable price, rank, reason, whether it won in the
published result) and the totals. It is a report: exit 0 even when groups differ; exit 2 on bad input."""

import json
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from procurement.io.award_preview import PreviewInputError, rule_set_defaults
from procurement.io.replay import replay


class Command(BaseCommand):
    help = "Replay published award results under each round's rule set and report which groups reproduce."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="an award-preview file whose groups carry published_winners")
        parser.add_argument("--rule-set", help="replay every group under this rule set (default: each group's round)")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **options):
        try:
            with open(options["file"], encoding="utf-8") as handle:
                document = json.load(handle, parse_float=Decimal)
        except OSError as error:
            raise CommandError(f"{options['file']}: {error.strerror}", returncode=2) from None
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CommandError(f"(document): not valid JSON: {error}", returncode=2) from None
        try:
            if options["rule_set"]:
                rule_set_defaults(options["rule_set"])
            report = replay(document, rule_set=options["rule_set"])
        except PreviewInputError as error:
            raise CommandError(str(error), returncode=2) from None
        if options["json"]:
            self.stdout.write(json.dumps(_as_json(report), ensure_ascii=False, indent=2, sort_keys=True))
            return
        for group in report.groups:
            verdict = "reproduced" if group.reproduced else "NOT reproduced"
            self.stdout.write(f"{group.id}  {group.rule_set} v{group.rule_set_version}  {verdict}")
            if group.reproduced:
                continue
            self.stdout.write(f"    computed winners:  {', '.join(group.computed) or '-'}")
            self.stdout.write(f"    published winners: {', '.join(sorted(group.published)) or '-'}")
            for bid in group.result["bids"]:
                flag = "published winner" if bid["supplier"] in group.published else ""
                rank, comparable = bid["rank"] or "-", bid["comparable"] or "-"
                self.stdout.write(
                    f"    {bid['supplier']:<14} {comparable:>12}  {rank!s:>4}  {bid['reason']:<22} {flag}"
                )
        self.stdout.write("")
        for key, (done, total) in sorted(report.totals().items(), key=lambda item: (item[0] == "all", item[0])):
            self.stdout.write(f"{key}: {done} of {total} groups reproduced")


def _as_json(report) -> dict:
    return {
        "groups": [
            {
                "id": group.id,
                "rule_set": group.rule_set,
                "rule_set_version": group.rule_set_version,
                "reproduced": group.reproduced,
                "computed_winners": group.computed,
                "published_winners": sorted(group.published),
                "bids": [
                    {**bid, "published_winner": bid["supplier"] in group.published} for bid in group.result["bids"]
                ],
            }
            for group in report.groups
        ],
        "totals": {key: {"reproduced": done, "groups": total} for key, (done, total) in report.totals().items()},
    }
