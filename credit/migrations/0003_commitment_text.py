import hashlib

from django.db import migrations


def add_text(apps, schema_editor):
    from credit import commitment_text

    CommitmentText = apps.get_model("credit", "CommitmentText")
    CommitmentText.objects.get_or_create(
        version=commitment_text.VERSION,
        defaults={
            "title": commitment_text.TITLE,
            "body": commitment_text.BODY,
            "sha256": hashlib.sha256(commitment_text.BODY.encode("utf-8")).hexdigest(),
            "effective_from": commitment_text.EFFECTIVE_FROM,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("credit", "0002_commitment_round")]
    operations = [migrations.RunPython(add_text, migrations.RunPython.noop)]
