from django.core.management.base import BaseCommand
from django.utils import translation

from accounts import demo


class Command(BaseCommand):
    help = "Load the demo province, organisations, products, rounds and one user per role (safe to run again)."

    def handle(self, *args, **options):
        from credit import demo as credit_demo
        from procurement import demo as procurement_demo

        with translation.override("en"):
            accounts = demo.load()
            rounds = procurement_demo.load()
            credit_records = credit_demo.load()
            from pricing import demo as pricing_demo

            listings = pricing_demo.load()
            self.stdout.write(
                self.style.SUCCESS(f"Demo data loaded. Every demo user's password is: {demo.DEMO_PASSWORD}")
            )
            if rounds:
                self.stdout.write(f"Demo rounds created: {', '.join(rounds)}")
            if listings:
                self.stdout.write(f"Demo listings created: {listings} (log in as `officer`, *Prices*)")
            if credit_records:
                self.stdout.write(f"Demo credit records created: {credit_records} (log in as `credit`)")
            suppliers = sum(username.startswith("supplier") for username, _role, _org in accounts)
            hospitals = sum(username.startswith("hospital") for username, _role, _org in accounts)
            for username, role, organisation in accounts:
                if username.startswith(("supplier", "hospital")) and username not in ("supplier1", "hospital1"):
                    continue
                self.stdout.write(f"  {username:<12} {role!s:<22} {organisation}")
            self.stdout.write(f"  (and supplier1..supplier{suppliers}, hospital1..hospital{hospitals})")
            self.stdout.write(
                "officer, credit and admin confirm each login with a two-factor code: authenticator key "
                "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ, or `.venv/bin/python manage.py otp_code officer`"
            )
