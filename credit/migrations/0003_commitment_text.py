from django.db import migrations


def add_text(apps, schema_editor):
    from ._frozen_seed import ensure_commitment_text

    ensure_commitment_text(apps.get_model("credit", "CommitmentText"))


class Migration(migrations.Migration):
    dependencies = [("credit", "0002_commitment_round")]
    operations = [migrations.RunPython(add_text, migrations.RunPython.noop)]
