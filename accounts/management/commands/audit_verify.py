"""Recompute the audit chain and name the first row that was edited, deleted, inserted or reordered."""

from django.core.management.base import BaseCommand, CommandError

from accounts import audit_chain


class Command(BaseCommand):
    help = "Verify the tamper-evident audit chain; exits with status 1 and names the first altered row if any."

    def add_arguments(self, parser):
        parser.add_argument("--seal", action="store_true", help="seal committed rows not yet chained before verifying")
        parser.add_argument(
            "--checkpoint", metavar="LABEL", help="after a clean verification, record the chain's head under LABEL"
        )

    def handle(self, *args, seal=False, checkpoint=None, **options):
        if seal:
            self.stdout.write(f"sealed {audit_chain.seal()} rows")
        result = audit_chain.verify()
        self.stdout.write(
            f"sealed rows checked: {result.sealed}; pending rows: {result.pending}; "
            f"checkpoints checked: {result.checkpoints}"
        )
        self.stdout.write(f"chain head: position {result.head_seq}, seal {result.head_mac}")
        if result.anchor:
            anchor = result.anchor
            self.stdout.write(
                f"latest anchor outside the database: position {anchor.get('seq')} ({anchor.get('label')}, "
                f"{str(anchor.get('at', ''))[:19]})"
            )
        else:
            self.stdout.write("no anchor outside the database yet")
        if not result.intact:
            problem = result.first_problem
            raise CommandError(f"audit chain broken ({problem.kind}): {problem.message}")
        if checkpoint:
            point = audit_chain.publish_checkpoint(checkpoint)
            self.stdout.write(f"checkpoint “{point.label}” at position {point.seq}")
        self.stdout.write(self.style.SUCCESS("audit chain intact"))
