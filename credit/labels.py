"""Words for the codes the engine and the catalog data use, in the reader's language."""

from django.utils.translation import gettext_lazy

from .models import CreditRecord, Item, Level, MeasureKind, RepairApplication

REPAIR_STEPS = {
    "conduct_stopped": gettext_lazy("the conduct has stopped"),
    "staff_disciplined": gettext_lazy("the staff involved were disciplined"),
    "rectification_report": gettext_lazy("a rectification report"),
    "public_apology": gettext_lazy("a public apology"),
    "price_cut": gettext_lazy("the inflated price was cut"),
    "gains_returned": gettext_lazy("the improper gains were returned"),
}
FACTS = {
    "cumulative": gettext_lazy("cumulative amount in the case (yuan)"),
    "abnormal_sales": gettext_lazy("sales at the abnormal price (yuan)"),
    "delivery_rate": gettext_lazy("monthly delivery rate (0–1)"),
    "penalised_price_months": gettext_lazy("months a penalised price was kept"),
    "abnormal_price_months": gettext_lazy("months an abnormal price lasted"),
    "rounds": gettext_lazy("rounds concerned"),
    "interruption_days": gettext_lazy("days of supply interruption in a region"),
    "organiser": gettext_lazy("organiser of the collusion"),
    "minor": gettext_lazy("late or incomplete correction without gain"),
    "refused_to_sign": gettext_lazy("refused to sign or perform after winning"),
    "abandoned_region": gettext_lazy("abandoned supply for a whole region"),
    "bribed_staff": gettext_lazy("bribed medical-security or procurement staff"),
    "national_bid_rigging": gettext_lazy("bid-rigging in a national round"),
    "level": gettext_lazy("level judged by the officer"),
}


def repair_step_label(code: str) -> str:
    return REPAIR_STEPS.get(code, code)


def level_label(code: str) -> str:
    return Level(code).label if code in Level.values else code


def item_label(code: str) -> str:
    return Item(code).label if code in Item.values else code


def measure_label(code: str) -> str:
    return MeasureKind(code).label if code in MeasureKind.values else code


def code_label(code) -> str:
    """A level, decision or repair status code in words (notifications store codes)."""
    for choices in (Level, CreditRecord.Decision, RepairApplication.Status):
        if code in choices.values:
            return str(choices(code).label)
    return str(code)


STANDINGS = {
    "counted": gettext_lazy("counts"),
    "expired": gettext_lazy("expired (kept, no longer counts)"),
    "revoked": gettext_lazy("revoked (kept, no longer counts)"),
    "repaired": gettext_lazy("repaired (kept, no longer counts)"),
    "pending": gettext_lazy("not confirmed yet"),
    "dismissed": gettext_lazy("dismissed"),
}


def standing_label(code: str) -> str:
    return STANDINGS.get(code, code)
