from django.db import migrations, models


def add_library(apps, schema_editor):
    from ._frozen_rule_sets import ensure_default_rule_sets

    ensure_default_rule_sets(apps.get_model("procurement", "RuleSet"))


class Migration(migrations.Migration):
    """Rule sets name the engine family they drive; the library gains one rule set per replayable national round."""

    dependencies = [("procurement", "0012_seal_unopened_participation")]
    operations = [
        migrations.AddField(
            model_name="ruleset",
            name="family",
            field=models.CharField(
                choices=[
                    ("nvbp-1.8x", "1.8× lowest price family (national rounds 2–9)"),
                    ("nvbp-r10", "Absolute thresholds and revival (national round 10)"),
                    ("nvbp-anchor", "Anchor price (national round 11)"),
                    ("nvbp-alliance", "At most three winners, no price clause (4+7 alliance extension)"),
                ],
                default="nvbp-1.8x",
                max_length=20,
                verbose_name="rule family",
            ),
        ),
        migrations.RunPython(add_library, migrations.RunPython.noop),
    ]
