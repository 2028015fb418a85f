from django.db import migrations


def add_rule_sets(apps, schema_editor):
    from ._frozen_rule_sets import ensure_default_rule_sets

    ensure_default_rule_sets(apps.get_model("procurement", "RuleSet"))


class Migration(migrations.Migration):
    dependencies = [("procurement", "0002_rounds_and_bids")]
    operations = [migrations.RunPython(add_rule_sets, migrations.RunPython.noop)]
