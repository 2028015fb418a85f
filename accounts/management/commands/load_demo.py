from django.core.management.base import BaseCommand
from django.utils import translation

from accounts import demo


class Command(BaseCommand):
    help = "Load the demo province, organisations, products and one user per role (safe to run again)."

    def handle(self, *args, **options):
        with translation.override("en"):
            accounts = demo.load()
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Every demo user's password is: {demo.DEMO_PASSWORD}"))
        shown = [row for row in accounts if not row[0].startswith(("supplier", "hospital"))]
        shown += [row for row in accounts if row[0] in ("supplier1", "supplier2", "hospital1", "hospital2")]
        for username, role, organisation in shown:
            self.stdout.write(f"  {username:<12} {role:<22} {organisation}")
        self.stdout.write(
            f"  (and supplier1..supplier{sum(r[0].startswith('supplier') for r in accounts)}, "
            f"hospital1..hospital{sum(r[0].startswith('hospital') for r in accounts)})"
        )
