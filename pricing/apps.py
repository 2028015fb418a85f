from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PricingConfig(AppConfig):
    name = "pricing"
    verbose_name = _("Pricing")

    def ready(self) -> None:
        """The wording of the notifications this app sends, registered with accounts (which imports no domain app);
        its listed prices and payment standards, hooked into procurement (which does not import pricing)."""
        from accounts import notifications, workbench
        from accounts.models import AUDIT_ACTION_LABELS
        from procurement import hooks as procurement_hooks

        from . import audit_actions, hooks
        from . import notifications as wording
        from .workbench import tasks

        notifications.register(wording.WORDING, wording.label_params)
        AUDIT_ACTION_LABELS.update(audit_actions.LABELS)
        workbench.register_tasks(tasks)
        procurement_hooks.register_listed_prices(hooks.listed_prices)
        procurement_hooks.award_published.connect(hooks.payment_standards_on_award, dispatch_uid="pricing.standards")
