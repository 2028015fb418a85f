"""The default award rule sets (shared/domain/vbp-rules.md, "Award" and "Agreed volume"), kept as data.

A rule set is never edited once published: a changed number is a new version. The award issue's engine reads these
parameters; rounds store the rule set (and so the version) they chose.
"""

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
RATIO_BY_WINNERS = {"1": "0.5", "2": "0.6", "3": "0.7", "4": "0.8"}
CYCLE_YEARS_BY_WINNERS = {"1": 1, "2": 1, "3": 2, "4": 3}

DEFAULT_RULE_SETS = [
    {
        "code": "nvbp-1.8x",
        "version": 1,
        "name": "National VBP rounds 2–9: 1.8× lowest, ≥50% below ceiling, absolute low price",
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
        "name": "National VBP round 10: 1.8× lowest, absolute thresholds per dosage-form class, revival",
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
        "name": "National VBP round 11: anchor price (anti-involution)",
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
]


def ensure_default_rule_sets(rule_set_model) -> None:
    """Create the default rule sets that are missing (used by the data migration and after a test flush)."""
    for rule_set in DEFAULT_RULE_SETS:
        rule_set_model.objects.get_or_create(
            code=rule_set["code"],
            version=rule_set["version"],
            defaults={"name": rule_set["name"], "parameters": rule_set["parameters"]},
        )


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
        if name not in defaults:
            known = ", ".join(sorted(defaults))
            raise ParameterError(f"{field}: not a parameter of rule set {code} (its parameters: {known})")
        kind = PARAMETER_KINDS.get(name)
        if value is None and defaults[name] is None:
            continue
        if kind in ("decimal", "share"):
            _decimal_value(value, field, share=kind == "share")
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
