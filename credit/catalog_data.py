"""The two editions of the catalog as shipped (credit-rules.md): seeded by a data migration, replaceable by a new
stored version. The engine's numbers come from the stored row, these are only its first contents."""

from .engines.rating import BENCHMARKS

# credit-rules.md, Procedure: defence window in working days, deemed service, rectification before measures,
# retention before expiry, waiting time before repair, grace without a commitment (platform defaults).
PROCEDURE = {
    "defence_working_days": 10,
    "deemed_served_days": 15,
    "rectification_days": 30,
    "retention_years": 3,
    "repair_waiting_days": 0,
    "commitment_grace_days": 60,
}

# What an active repair must prove, per item (credit-rules.md, Repair): conduct stopped, staff disciplined,
# rectification report, public apology, inflated price cut, improper gains returned.
REPAIR_STEPS = {
    "kickback": ["conduct_stopped", "staff_disciplined", "rectification_report", "public_apology", "gains_returned"],
    "tax": ["conduct_stopped", "rectification_report", "gains_returned"],
    "monopoly": ["conduct_stopped", "rectification_report", "price_cut", "public_apology"],
    "unfair_price": ["conduct_stopped", "rectification_report", "price_cut", "gains_returned"],
    "disrupt_procurement": ["conduct_stopped", "staff_disciplined", "rectification_report", "public_apology"],
    "breach_contract": ["conduct_stopped", "rectification_report", "public_apology"],
    "other": ["conduct_stopped", "rectification_report"],
}

EDITIONS = [
    {
        "code": "2020",
        "family": "2020",
        "title": "信用评级裁量基准（2020年版）",
        "effective_from": "2020-09-01",
        "in_force": True,
        "benchmark": BENCHMARKS["2020"],
    },
    {
        "code": "2025",
        "family": "2025",
        "title": "信用评级裁量基准（2025年版）",
        "effective_from": "2025-07-01",
        "in_force": False,
        "benchmark": {**BENCHMARKS["2025"], "base_2020": BENCHMARKS["2020"]},
    },
]


def ensure_catalog_versions(version_model) -> None:
    """Create the shipped editions that are missing (data migration, and after a test flush)."""
    for edition in EDITIONS:
        values = {**edition, "procedure": PROCEDURE, "repair_steps": REPAIR_STEPS}
        code = values.pop("code")
        if not version_model.objects.filter(code=code).exists():
            if values["in_force"] and version_model.objects.filter(in_force=True).exists():
                values["in_force"] = False
            version_model.objects.create(code=code, **values)
