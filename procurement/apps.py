from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("Procurement")

    def ready(self) -> None:
        """What procurement contributes to accounts, which sits below it and imports no domain app."""
        from accounts import notifications, workbench
        from accounts.models import AUDIT_ACTION_LABELS, AUDIT_SECRECY_RULES

        from . import audit_actions, audit_secrecy
        from . import notifications as wording
        from .workbench import catalog_panel, tasks

        notifications.register(wording.WORDING, wording.label_params)
        AUDIT_ACTION_LABELS.update(audit_actions.LABELS)
        workbench.register(catalog_panel)
        workbench.register_tasks(tasks)
        if audit_secrecy.withhold_unopened not in AUDIT_SECRECY_RULES:
            AUDIT_SECRECY_RULES.append(audit_secrecy.withhold_unopened)
