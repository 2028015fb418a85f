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


# The discretion benchmark's thresholds and the procedure's periods, as the public catalog page names them.
BENCHMARK = {
    "kickback_single": gettext_lazy("kickback: a single payment (yuan)"),
    "kickback_cumulative": gettext_lazy("kickback: cumulative amount (yuan)"),
    "kickback_total": gettext_lazy("kickback: amount in the case (yuan)"),
    "tax": gettext_lazy("tax violations: amount (yuan)"),
    "penalised_price_months": gettext_lazy("months a penalised price was kept"),
    "abnormal_price_months": gettext_lazy("months an abnormal price lasted"),
    "abnormal_sales": gettext_lazy("sales at an abnormal price (yuan)"),
    "delivery_rate_general": gettext_lazy("monthly delivery rate below which the breach is general"),
    "delivery_rate_medium": gettext_lazy("monthly delivery rate below which the breach is medium"),
    "interruption_days_medium": gettext_lazy("days of supply interruption for a medium breach"),
    "interruption_days_serious": gettext_lazy("days of supply interruption for a serious breach"),
    "rounds_particularly_serious": gettext_lazy("rounds concerned for a particularly serious case"),
}
# Amount thresholds are written as money; the others as they are.
MONEY_THRESHOLDS = {"kickback_single", "kickback_cumulative", "kickback_total", "tax", "abnormal_sales"}
PROCEDURE = {
    "defence_working_days": gettext_lazy("defence window after the notice is served (working days)"),
    "deemed_served_days": gettext_lazy("days after publication when an unopened notice counts as served"),
    "rectification_days": gettext_lazy("rectification period before measures take effect (days)"),
    "retention_years": gettext_lazy("years a confirmed record counts"),
    "repair_waiting_days": gettext_lazy("days after confirmation before repair may be applied for"),
    "commitment_grace_days": gettext_lazy("days a supplier has to sign the credit commitment"),
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


# The engine explains each judgement in a short fixed form (credit/rating.py), e.g. "kickback: case total 500,000 to
# under 1,000,000 yuan → seriously_dishonest (2025: …)". The stored text stays as the engine wrote it (it is data,
# compared across runs); pages show it in the reader's language through these patterns.
_RULE_PHRASES = [
    (r"(?P<what>single payment|cumulative amount|amount|case total) (?P<a>[\d,]+) to under (?P<b>[\d,]+) yuan",
     gettext_lazy("%(what)s %(a)s to under %(b)s yuan")),
    (r"(?P<what>single payment|cumulative amount|amount|case total) (?P<a>[\d,]+) or more yuan",
     gettext_lazy("%(what)s %(a)s yuan or more")),
    (r"penalised illegal price kept more than (?P<n>\d+) months",
     gettext_lazy("penalised illegal price kept more than %(n)s months")),
    (r"unexplained abnormal price for more than (?P<n>\d+) months",
     gettext_lazy("unexplained abnormal price for more than %(n)s months")),
    (r"abnormal price with sales of (?P<a>[\d,]+) yuan or more",
     gettext_lazy("abnormal price with sales of %(a)s yuan or more")),
    (r"penalised monopoly price kept more than (?P<n>\d+) months",
     gettext_lazy("penalised monopoly price kept more than %(n)s months")),
    (r"supply interrupted (?P<n>\d+) days or more", gettext_lazy("supply interrupted %(n)s days or more")),
    (r"monthly delivery rate below (?P<r>[\d.]+)", gettext_lazy("monthly delivery rate below %(r)s")),
    (r"other confirmed case", gettext_lazy("other confirmed case")),
    (r"organiser of collusion", gettext_lazy("organiser of collusion")),
    (r"in two or more rounds", gettext_lazy("in two or more rounds")),
    (r"false materials or collusion in one round", gettext_lazy("false materials or collusion in one round")),
    (r"late or incomplete correction without gain", gettext_lazy("late or incomplete correction without gain")),
    (r"refused to sign or perform after winning", gettext_lazy("refused to sign or perform after winning")),
    (r"judged by the officer", gettext_lazy("judged by the officer")),
    (r"bribing security or procurement staff, or national bid-rigging",
     gettext_lazy("bribing security or procurement staff, or national bid-rigging")),
]  # fmt: skip
_AMOUNT_WORDS = {
    "single payment": gettext_lazy("single payment"),
    "cumulative amount": gettext_lazy("cumulative amount"),
    "amount": gettext_lazy("amount"),
    "case total": gettext_lazy("case total"),
}


def rule_text(rule: str) -> str:
    """An engine explanation in the reader's language; text of an unknown form is shown as it is."""
    import re

    from django.utils.translation import gettext

    shape = r"(?P<item>[a-z_]+): (?P<body>.+?) → (?P<level>[a-z_]+)(?: \(2025: (?P<mapped>[a-z_]+)\))?"
    match = re.fullmatch(shape, rule or "")
    if not match:
        return rule
    body = match["body"]
    for pattern, template in _RULE_PHRASES:
        phrase = re.fullmatch(pattern, body)
        if phrase:
            values = phrase.groupdict()
            if "what" in values:
                values["what"] = str(_AMOUNT_WORDS[values["what"]])
            body = str(template) % values
            break
    else:
        return rule
    text = f"{item_label(match['item'])}: {body} → {level_label(match['level'])}"
    if match["mapped"]:
        text += " " + gettext("(2025 edition: %(level)s)") % {"level": level_label(match["mapped"])}
    return text
