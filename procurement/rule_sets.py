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
