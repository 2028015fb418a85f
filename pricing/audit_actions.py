"""What pricing's audit actions are called (registered with ``accounts.models.AUDIT_ACTION_LABELS``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "listing.apply": _("listing applied for"),
    "listing.approve": _("listing approved"),
    "listing.reject": _("listing rejected"),
    "listing.price_request": _("price change requested"),
    "listing.price_approve": _("price change approved"),
    "listing.price_reject": _("price change rejected"),
    "listing.suspend": _("listing suspended"),
    "listing.lift": _("listing suspension lifted"),
    "listing.withdraw": _("listing withdrawn"),
    "warning.open": _("price warning raised"),
    "warning.inquiry": _("inquiry letter sent"),
    "warning.answer": _("inquiry answered"),
    "warning.interview": _("interview scheduled"),
    "warning.close": _("warning closed"),
    "payment_standard.compute": _("payment standards computed"),
    "offplatform.declare": _("off-platform purchase declared"),
}
