from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("Procurement")

    def ready(self) -> None:
        """What procurement contributes to accounts, which sits below it and imports no domain app."""
        from accounts import notifications

        from . import notifications as wording

        notifications.register(wording.WORDING, wording.label_params)
