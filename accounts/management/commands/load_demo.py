from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from accounts import demo


def _demo_loaders():
    """Each of the project's apps that has a ``demo`` module, in INSTALLED_APPS order (accounts first, whose
    organisations and users the others build on); found by name, so accounts imports no domain app. Then each
    module's ``load_after``, if it has one: demo data that builds on a higher app's (trading on pricing's listings)."""
    second_pass = []
    for config in apps.get_app_configs():
        path = Path(config.path)
        if not path.is_relative_to(settings.BASE_DIR) or "site-packages" in path.parts:
            continue  # Django's and installed packages' apps (a virtualenv may sit inside the project)
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError as missing:
            if missing.name != f"{config.name}.demo":
                raise
            continue
        yield config.label, module.load
        if hasattr(module, "load_after"):
            second_pass.append((f"{config.label}-after", module.load_after))
    yield from second_pass


class Command(BaseCommand):
    help = "Load the demo province, organisations, products, rounds and one user per role (safe to run again)."

    def handle(self, *args, **options):
        with translation.override("en"):
            loaded = {label: load() for label, load in _demo_loaders()}
            accounts, rounds = loaded["accounts"], loaded.get("procurement")
            credit_records, listings = loaded.get("credit"), loaded.get("pricing")
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
