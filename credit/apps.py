from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "credit"
    verbose_name = _("Supplier credit")

    def ready(self) -> None:
        """The wording of the notifications this app sends, registered with accounts (which imports no domain app)."""
        from accounts import notifications

        from . import notifications as wording

        notifications.register(wording.WORDING, wording.label_params)
