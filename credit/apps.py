from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "credit"
    verbose_name = _("Supplier credit")

    def ready(self) -> None:
        """The wording of the notifications this app sends and the tasks of its workbench, registered with accounts
        (which imports no domain app)."""
        from accounts import notifications, workbench
        from accounts.models import AUDIT_ACTION_LABELS

        from . import audit_actions
        from . import notifications as wording
        from .workbench import tasks

        notifications.register(wording.WORDING, wording.label_params)
        AUDIT_ACTION_LABELS.update(audit_actions.LABELS)
        workbench.register_tasks(tasks)
