"""What credit's audit actions are called (registered with ``accounts.models.AUDIT_ACTION_LABELS``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "credit.rating": _("credit rating recorded"),
    "credit.run.start": _("rating run started"),
    "credit.run.done": _("rating run finished"),
    "credit.catalog.in_force": _("catalog edition in force"),
    "credit.record.create": _("record entered"),
    "credit.record.notify": _("notice served"),
    "credit.record.revoke": _("record revoked"),
    "credit.record.upheld": _("record upheld"),
    "credit.record.amended": _("record amended"),
    "credit.record.dismissed": _("record dismissed"),
    "credit.notice.open": _("notice opened by the supplier"),
    "credit.defence.file": _("defence filed"),
    "credit.repair.apply": _("repair applied for"),
    "credit.repair.approved": _("repair approved"),
    "credit.repair.rejected": _("repair rejected"),
    "credit.tip.submit": _("tip received"),
    "credit.tip.review": _("tip reviewed"),
    "credit.warning.acknowledge": _("written warning acknowledged"),
}
