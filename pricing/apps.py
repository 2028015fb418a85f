from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PricingConfig(AppConfig):
    name = "pricing"
    verbose_name = _("Pricing")

    def ready(self) -> None:
        """The wording of the notifications this app sends, registered with accounts (which imports no domain app)."""
        from accounts import notifications

        from . import notifications as wording

        notifications.register(wording.WORDING, wording.label_params)
