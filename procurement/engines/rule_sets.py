"""The award rule-set library (shared/domain/vbp-rules.md, "Award" and "Agreed volume"), kept as data.

One rule set per national round whose rules the platform can replay, plus the current defaults. Each names its
engine family (``procurement/award_rules.py``), its parameters, where they come from and what was inferred. A rule
set is never edited once published: a changed number is a new version. Rounds store the rule set (and so the
version) they chose; ``award_replay`` runs published results against them (docs/award.md, "Replaying history").
"""

from django.utils.translation import gettext_lazy as _

ROUND_9_CAP = {
    "1": 1,
    "2": 2,
    "3": 2,
    "4": 3,
    "5": 4,
    "6": 4,
    "7": 5,
    "8": 6,
    "9": 7,
    "10": 8,
    "11": 9,
    "12": 9,
    "13": 10,
}
ROUND_10_CAP = {
    "1": 1,
    "2": 2,
    "3": 2,
    "4": 3,
    "5": 3,
    "6": 3,
    "7": 4,
    "8": 5,
    "9": 6,
    "10": 6,
    "11": 7,
    "12": 8,
    "13": 8,
    "14": 9,
    "15": 9,
    "16": 10,
}
# Round 2 (2019-12) as observed in the published results: 8 bidders still 5 winners, at most 6.
ROUND_2_CAP = {"1": 1, "2": 2, "3": 2, "4": 3, "5": 4, "6": 4, "7": 5, "8": 5, "9": 6}
# Round 3 (2020-08): vbp-rules.md gives 8→6, 9→6, 12 or more→8; 10 and 11 bidders → 7 is inferred.
ROUND_3_CAP = {"1": 1, "2": 2, "3": 2, "4": 3, "5": 4, "6": 4, "7": 5, "8": 6, "9": 6, "10": 7, "11": 7, "12": 8}
# The 4+7 alliance extension (2019-09): at most three winners.
ALLIANCE_CAP = {"1": 1, "2": 2, "3": 3}
RATIO_BY_WINNERS = {"1": "0.5", "2": "0.6", "3": "0.7", "4": "0.8"}
# Ties at the same comparable price (no official rule was found; the platform's choice, a parameter of every rule
# set): earlier final submission, then larger capacity (none = unlimited), then supplier code.
TIE_KEYS = ("submitted_at", "capacity", "supplier")
DEFAULT_TIE_BREAK = list(TIE_KEYS)
TIE_KEY_LABELS = {
    "submitted_at": _("earlier final submission"),
    "capacity": _("larger supply capacity (none given = unlimited)"),
    "supplier": _("supplier code"),
}
# Parameters every rule set accepts, with the value that applies when a rule set does not state it (rule sets
# published before the parameter existed keep their behaviour).
UNIVERSAL_PARAMETERS = {"tie_break": DEFAULT_TIE_BREAK}
CYCLE_YEARS_BY_WINNERS = {"1": 1, "2": 1, "3": 2, "4": 3}


def _one_point_eight(cap: dict) -> dict:
    return {
        "K_strength": "1.7",
        "K_pack": "2",
        "threshold_multiple": "1.8",
        "ceiling_drop_share": "0.5",
        "absolute_low_price": "0.10",
        "max_winners_by_bidders": cap,
        "ratio_by_winners": RATIO_BY_WINNERS,
        "cycle_years_by_winners": CYCLE_YEARS_BY_WINNERS,
        "min_capacity_share": None,
        "tie_break": DEFAULT_TIE_BREAK,
    }


# ``family`` is the engine the parameters drive; ``label``, ``changes``, ``source`` and ``inferred`` are what an
# officer reads when choosing (translated; the stored ``name`` stays as published).
DEFAULT_RULE_SETS = [
    {
        "code": "nvbp-1.8x",
        "version": 1,
        "family": "nvbp-1.8x",
        "name": "National VBP rounds 2–9: 1.8× lowest, ≥50% below ceiling, absolute low price",
        "label": _("National VBP, 1.8× family (current default, round 9 winner caps)"),
        "changes": _(
            "A valid bid may win if it is at most 1.8 × the lowest comparable price, or at least 50 percent below "
            "the ceiling, or at most 0.10 yuan; winners in rank order up to the round-9 cap (13 or more bidders: 10)."
        ),
        "source": _("National VBP procurement documents, rounds 5–9; vbp-rules.md, rule set nvbp-1.8x."),
        "inferred": _("The order of ties (no official rule found)."),
        "parameters": {
            "K_strength": "1.7",
            "K_pack": "2",
            "threshold_multiple": "1.8",
            "ceiling_drop_share": "0.5",
            "absolute_low_price": "0.10",
            "max_winners_by_bidders": ROUND_9_CAP,
            "ratio_by_winners": RATIO_BY_WINNERS,
            "cycle_years_by_winners": CYCLE_YEARS_BY_WINNERS,
            "min_capacity_share": None,
        },
    },
    {
        "code": "nvbp-r10",
        "version": 1,
        "family": "nvbp-r10",
        "name": "National VBP round 10: 1.8× lowest, absolute thresholds per dosage-form class, revival",
        "label": _("National VBP round 10: absolute thresholds per dosage-form class, revival"),
        "changes": _(
            "No clause on a 50 percent drop; the absolute clause is set per dosage-form class by the officer; a valid "
            "bid meeting no clause may win by accepting the highest winning price (revival); round-10 winner caps."
        ),
        "source": _("National VBP round 10 procurement document; vbp-rules.md, rule set nvbp-r10."),
        "inferred": _("The order of ties; the absolute thresholds have no default."),
        "parameters": {
            "K_strength": "1.7",
            "K_pack": "2",
            "threshold_multiple": "1.8",
            "absolute_thresholds": {},
            "max_winners_by_bidders": ROUND_10_CAP,
            "ratio_by_winners": RATIO_BY_WINNERS,
            "cycle_years_by_winners": CYCLE_YEARS_BY_WINNERS,
            "revival": True,
            "min_capacity_share": None,
        },
    },
    {
        "code": "nvbp-anchor",
        "version": 1,
        "family": "nvbp-anchor",
        "name": "National VBP round 11: anchor price (anti-involution)",
        "label": _("National VBP round 11: anchor price (anti-involution)"),
        "changes": _(
            "The first cap(n) valid bids are shortlisted; anchor = max(lowest, 0.5 × their mean); a shortlisted "
            "bid wins at most 1.8 × the anchor; winners below the anchor explain their cost; revival."
        ),
        "source": _("National VBP round 11 procurement document; vbp-rules.md, rule set nvbp-anchor."),
        "inferred": _("The order of ties."),
        "parameters": {
            "K_strength": "1.7",
            "K_pack": "2",
            "threshold_multiple": "1.8",
            "anchor_mean_share": "0.5",
            "oral_solid_low_price": "0.10",
            "max_winners_by_bidders": ROUND_10_CAP,
            "ratio_by_winners": RATIO_BY_WINNERS,
            "cycle_years_by_winners": CYCLE_YEARS_BY_WINNERS,
            "revival": True,
            "min_capacity_share": None,
        },
    },
    {
        "code": "nvbp-r1-alliance",
        "version": 1,
        "family": "nvbp-alliance",
        "name": "National VBP round 1, 4+7 alliance extension: at most 3 winners, ceiling = pilot price",
        "label": _("National VBP round 1 (4+7 alliance extension): at most three winners, no price clause"),
        "changes": _(
            "Every valid bid (at most the ceiling, which is the 4+7 pilot price) is a candidate: no clause on 1.8×, a "
            "50 percent drop or 0.10 yuan; at most three winners in rank order."
        ),
        "source": _(
            "4+7 alliance extension procurement document (2019); published per-bid results of round 1 "
            "(shared/domain/data/nvbp-rounds-1-2-published.json): 24 of 25 groups reproduce."
        ),
        "inferred": _(
            "The order of ties; agreed-volume ratios and cycle years are taken from the later rounds' tables."
        ),
        "parameters": {
            "K_strength": "1.7",
            "K_pack": "2",
            "max_winners_by_bidders": ALLIANCE_CAP,
            "ratio_by_winners": RATIO_BY_WINNERS,
            "cycle_years_by_winners": CYCLE_YEARS_BY_WINNERS,
            "min_capacity_share": None,
            "tie_break": DEFAULT_TIE_BREAK,
        },
    },
    {
        "code": "nvbp-r2",
        "version": 1,
        "family": "nvbp-1.8x",
        "name": "National VBP round 2: 1.8× family, round-2 winner caps (at most 6)",
        "label": _("National VBP round 2: 1.8× family, at most six winners"),
        "changes": _(
            "The three price clauses of the 1.8× family; winner caps of round 2: 4 bidders 3, 5–6 bidders 4, "
            "7–8 bidders 5, 9 or more bidders 6."
        ),
        "source": _(
            "National VBP round 2 procurement document (2019-12); the caps as observed in the published per-bid "
            "results (shared/domain/data/nvbp-rounds-1-2-published.json): 28 of 32 groups reproduce."
        ),
        "inferred": _("The order of ties."),
        "parameters": _one_point_eight(ROUND_2_CAP),
    },
    {
        "code": "nvbp-r3",
        "version": 1,
        "family": "nvbp-1.8x",
        "name": "National VBP round 3: 1.8× family, round-3 winner caps (at most 8)",
        "label": _("National VBP round 3: 1.8× family, at most eight winners"),
        "changes": _(
            "The three price clauses of the 1.8× family; winner caps of round 3: 8–9 bidders 6, 12 or more bidders 8."
        ),
        "source": _("National VBP round 3 procurement document (2020-08); vbp-rules.md (round-3 caps)."),
        "inferred": _("10 and 11 bidders → 7 winners; the order of ties."),
        "parameters": _one_point_eight(ROUND_3_CAP),
    },
    {
        "code": "nvbp-r4",
        "version": 1,
        "family": "nvbp-1.8x",
        "name": "National VBP round 4: 1.8× family, round-4 winner caps (at most 8)",
        "label": _("National VBP round 4: 1.8× family, at most eight winners"),
        "changes": _("The three price clauses of the 1.8× family; the winner caps of round 3 (at most 8)."),
        "source": _("National VBP round 4 procurement document (2021-02); checked outside this repository."),
        "inferred": _("The cap table is taken as round 3's; the order of ties."),
        "parameters": _one_point_eight(ROUND_3_CAP),
    },
]
RULE_SETS_BY_KEY = {(rule_set["code"], rule_set["version"]): rule_set for rule_set in DEFAULT_RULE_SETS}


def described(code: str, version: int) -> dict | None:
    """The library entry of a rule set (label, what it changes, source, what is inferred), if it has one."""
    return RULE_SETS_BY_KEY.get((code, version))


def tie_break_of(parameters: dict) -> list[str]:
    return list(parameters.get("tie_break") or DEFAULT_TIE_BREAK)


def tie_rule_text(parameters: dict) -> str:
    """The tie rule in words: "earlier final submission → larger supply capacity … → supplier code"."""
    return " → ".join(str(TIE_KEY_LABELS.get(key, key)) for key in tie_break_of(parameters))


def ensure_default_rule_sets(rule_set_model) -> None:
    """Create the default rule sets that are missing (used by the data migration and after a test flush)."""
    has_family = any(field.name == "family" for field in rule_set_model._meta.get_fields())
    for rule_set in DEFAULT_RULE_SETS:
        if not has_family and rule_set["family"] != rule_set["code"]:
            continue  # a rule set of a later family; the migration that adds families creates it
        defaults = {"name": rule_set["name"], "parameters": rule_set["parameters"]}
        if has_family:
            defaults["family"] = rule_set["family"]
        created = rule_set_model.objects.get_or_create(
            code=rule_set["code"], version=rule_set["version"], defaults=defaults
        )[0]
        if has_family and created.family != rule_set["family"]:
            rule_set_model.objects.filter(pk=created.pk).update(family=rule_set["family"])


# What each parameter of a rule set is, so that an override or an exchange-format file is checked before the
# engine reads it (a misspelt name, "1.8x" for a multiple, "two" for a cap): "decimal" a positive decimal,
# "share" a decimal from 0 to 1, "count_table" whole numbers by a count ("3": 2), "share_table" shares by a count,
# "decimal_map" decimals by a name (dosage-form class), "flag" true or false. None is allowed where the default is.
PARAMETER_KINDS = {
    "K_strength": "decimal",
    "K_pack": "decimal",
    "threshold_multiple": "decimal",
    "ceiling_drop_share": "share",
    "absolute_low_price": "decimal",
    "anchor_mean_share": "share",
    "oral_solid_low_price": "decimal",
    "max_winners_by_bidders": "count_table",
    "ratio_by_winners": "share_table",
    "cycle_years_by_winners": "count_table",
    "absolute_thresholds": "decimal_map",
    "revival": "flag",
    "min_capacity_share": "share",
    "tie_break": "tie_order",
}


class ParameterError(ValueError):
    """``parameters.NAME…: problem``."""


def _decimal_value(value, path: str, *, share: bool = False):
    from decimal import Decimal, InvalidOperation

    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise ParameterError(f'{path}: not a decimal (write it as a string, e.g. "1.8")')
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ParameterError(f"{path}: not a decimal") from None
    if not number.is_finite() or number < 0 or (share and number > 1):
        raise ParameterError(f"{path}: {'a share from 0 to 1' if share else 'a decimal ≥ 0'} is expected")
    return value


def _count_key(key, path: str) -> None:
    if not isinstance(key, str) or not key.isascii() or not key.isdigit():
        raise ParameterError(f"{path}: the key {key!r} is not a whole number of bidders or winners")


def check_parameters(code: str, defaults: dict, overrides: dict, *, path: str = "parameters") -> dict:
    """The overrides, each checked against the rule set's own parameters and their kinds; raises ParameterError
    naming the first bad field. Unknown names are refused (a misspelt key would silently keep the default)."""
    if not isinstance(overrides, dict):
        raise ParameterError(f"{path}: not an object")
    for name, value in overrides.items():
        field = f"{path}.{name}"
        if name not in defaults and name not in UNIVERSAL_PARAMETERS:
            known = ", ".join(sorted({*defaults, *UNIVERSAL_PARAMETERS}))
            raise ParameterError(f"{field}: not a parameter of rule set {code} (its parameters: {known})")
        kind = PARAMETER_KINDS.get(name)
        if value is None and defaults.get(name, UNIVERSAL_PARAMETERS.get(name)) is None:
            continue
        if kind in ("decimal", "share"):
            _decimal_value(value, field, share=kind == "share")
        elif kind == "tie_order":
            if not isinstance(value, list) or sorted(value) != sorted(TIE_KEYS):
                raise ParameterError(f"{field}: each of {', '.join(TIE_KEYS)} once, in the order that breaks ties")
        elif kind == "flag":
            if not isinstance(value, bool):
                raise ParameterError(f"{field}: true or false is expected")
        elif kind in ("count_table", "share_table", "decimal_map"):
            if not isinstance(value, dict):
                raise ParameterError(f"{field}: an object is expected")
            for key, item in value.items():
                item_path = f"{field}.{key}"
                if kind != "decimal_map":
                    _count_key(key, field)
                if kind == "count_table":
                    if isinstance(item, bool) or not isinstance(item, int) or item < 0:
                        raise ParameterError(f"{item_path}: a whole number ≥ 0 is expected")
                else:
                    _decimal_value(item, item_path, share=kind == "share_table")
    return overrides


# The library rule set of each national round, for files of published results whose group ids start with the round
# (``R2-16-…``): ``award_replay`` runs each group under its round's rules.
ROUND_RULE_SETS = {"1": "nvbp-r1-alliance", "2": "nvbp-r2", "3": "nvbp-r3", "4": "nvbp-r4"}


PARAMETER_LABELS = {
    "K_strength": _("strength coefficient K_strength (value of a doubled strength)"),
    "K_pack": _("pack coefficient K_pack (value of a doubled pack)"),
    "threshold_multiple": _("price clause: at most this multiple of the lowest comparable price"),
    "ceiling_drop_share": _("price clause: at most this share of the ceiling (a drop of at least 1 − share)"),
    "absolute_low_price": _("price clause: at most this price (yuan per comparable unit)"),
    "anchor_mean_share": _("anchor: at least this share of the shortlisted bids' mean"),
    "oral_solid_low_price": _("oral solids may win at or below this price (yuan)"),
    "max_winners_by_bidders": _("most winners, by the number of bidders"),
    "ratio_by_winners": _("agreed volume as a share of the demand, by the number of winners"),
    "cycle_years_by_winners": _("procurement cycle in years, by the number of winners"),
    "absolute_thresholds": _("absolute price thresholds per dosage-form class"),
    "revival": _("a valid bid meeting no clause may win at the highest winning price (revival)"),
    "min_capacity_share": _("minimum supply capacity as a share of the demand"),
    "tie_break": _("order of bids at the same comparable price"),
}


def parameter_rows(parameters: dict) -> list[dict]:
    """The parameters as an officer reads them: label, name and value in words (tables as "n → value" rows)."""
    from django.utils.translation import gettext

    rows = []
    for name in [*PARAMETER_KINDS, *sorted(set(parameters) - set(PARAMETER_KINDS))]:
        if name not in parameters and name not in UNIVERSAL_PARAMETERS:
            continue
        value = parameters.get(name, UNIVERSAL_PARAMETERS.get(name))
        kind = PARAMETER_KINDS.get(name)
        if value is None:
            text = gettext("none")
        elif kind == "tie_order":
            text = " → ".join(str(TIE_KEY_LABELS.get(key, key)) for key in value)
        elif kind in ("count_table", "share_table", "decimal_map") and isinstance(value, dict):
            items = sorted(
                value.items(),
                key=lambda item: (not str(item[0]).isdigit(), int(item[0]) if str(item[0]).isdigit() else 0, item[0]),
            )
            text = "; ".join(f"{key} → {item}" for key, item in items) or gettext("none set")
            if kind != "decimal_map" and items:
                text += " " + gettext("(the entry with the largest count not above the actual one applies)")
        elif kind == "flag":
            text = gettext("yes") if value else gettext("no")
        else:
            text = str(value)
        rows.append({"name": name, "label": PARAMETER_LABELS.get(name, name), "value": text})
    return rows
