from django.db import migrations


def add_rule_sets(apps, schema_editor):
    from procurement.rule_sets import DEFAULT_RULE_SETS

    RuleSet = apps.get_model("procurement", "RuleSet")
    for rule_set in DEFAULT_RULE_SETS:
        RuleSet.objects.get_or_create(
            code=rule_set["code"], version=rule_set["version"],
            defaults={"name": rule_set["name"], "parameters": rule_set["parameters"]},
        )


class Migration(migrations.Migration):
    dependencies = [("procurement", "0002_rounds_and_bids")]
    operations = [migrations.RunPython(add_rule_sets, migrations.RunPython.noop)]
