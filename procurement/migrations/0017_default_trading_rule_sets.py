from django.db import migrations

# The default trading rule sets as this migration creates them (frozen 2026-12-07; procurement/engines/trading.py
# is the live library): a changed default reaches existing databases through a new data migration.
TRADING_RULE_SETS = [
    {
        "code": "trade-hunan-2025",
        "version": 1,
        "name": "Hunan 2025 trading rules (platform default)",
        "parameters": {
            "response": {
                "general": {"clock": "working_days", "amount": 2},
                "general_remote": {"clock": "working_days", "amount": 2},
                "emergency": {"clock": "clock_hours", "amount": 2},
                "emergency_remote": {"clock": "clock_hours", "amount": 2},
            },
            "delivery": {
                "general": {"clock": "hours_excl_holidays", "amount": 48},
                "general_remote": {"clock": "hours_excl_holidays", "amount": 72},
                "emergency": {"clock": "clock_hours", "amount": 12},
                "emergency_remote": {"clock": "clock_hours", "amount": 24},
            },
            "remote_km": 50,
            "relation_area_level": "county",
            "max_distributors_per_area": 3,
            "officer_approval": False,
            "distributor_choice": "per_line",
            "relation_default_years": 1,
            "two_invoice_drugs": True,
            "two_invoice_consumables": False,
            "two_invoice_extra_for_primary": False,
            "receipt_working_days": 3,
            "return_decision_working_days": 5,
            "short_shelf_life_months": 6,
        },
    },
    {
        "code": "trade-shandong-2024",
        "version": 1,
        "name": "Shandong 2024 trading rules",
        "parameters": {
            "response": {
                "general": {"clock": "working_days", "amount": 2},
                "general_remote": {"clock": "working_days", "amount": 2},
                "emergency": {"clock": "working_days", "amount": 2},
                "emergency_remote": {"clock": "working_days", "amount": 2},
            },
            "delivery": {
                "general": {"clock": "working_days", "amount": 2},
                "general_remote": {"clock": "working_days", "amount": 2},
                "emergency": {"clock": "working_days", "amount": 2},
                "emergency_remote": {"clock": "working_days", "amount": 2},
            },
            "remote_km": 50,
            "relation_area_level": "county",
            "max_distributors_per_area": 3,
            "officer_approval": False,
            "distributor_choice": "per_product",
            "relation_default_years": 1,
            "two_invoice_drugs": True,
            "two_invoice_consumables": False,
            "two_invoice_extra_for_primary": False,
            "receipt_working_days": 3,
            "return_decision_working_days": 5,
            "short_shelf_life_months": 6,
        },
    },
    {
        "code": "trade-heilongjiang-2017",
        "version": 1,
        "name": "Heilongjiang 2017 consumables trading rules",
        "parameters": {
            "response": {
                "general": {"clock": "clock_hours", "amount": 24},
                "general_remote": {"clock": "clock_hours", "amount": 24},
                "emergency": {"clock": "clock_hours", "amount": 2},
                "emergency_remote": {"clock": "clock_hours", "amount": 2},
            },
            "delivery": {
                "general": {"clock": "hours_excl_holidays", "amount": 24},
                "general_remote": {"clock": "hours_excl_holidays", "amount": 48},
                "emergency": {"clock": "clock_hours", "amount": 4},
                "emergency_remote": {"clock": "clock_hours", "amount": 4},
            },
            "remote_km": 50,
            "relation_area_level": "county",
            "max_distributors_per_area": 3,
            "officer_approval": False,
            "distributor_choice": "per_line",
            "relation_default_years": 1,
            "two_invoice_drugs": True,
            "two_invoice_consumables": False,
            "two_invoice_extra_for_primary": False,
            "receipt_working_days": 3,
            "return_decision_working_days": 5,
            "short_shelf_life_months": 6,
        },
    },
]
DEFAULT = ("trade-hunan-2025", 1)


def add_trading_rule_sets(apps, schema_editor):
    ensure_trading_rule_sets(apps.get_model("procurement", "TradingRuleSet"), TRADING_RULE_SETS, DEFAULT)


def ensure_trading_rule_sets(model, rule_sets, default):
    for rule_set in rule_sets:
        model.objects.get_or_create(
            code=rule_set["code"],
            version=rule_set["version"],
            defaults={"name": rule_set["name"], "parameters": rule_set["parameters"]},
        )
    if not model.objects.filter(is_default=True).exists():
        model.objects.filter(code=default[0], version=default[1]).update(is_default=True)


class Migration(migrations.Migration):
    dependencies = [("procurement", "0016_trading_relations")]
    operations = [migrations.RunPython(add_trading_rule_sets, migrations.RunPython.noop)]
