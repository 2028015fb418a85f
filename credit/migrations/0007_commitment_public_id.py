"""Commitments get a random public identifier: their ids are one sequence across suppliers, so a supplier's own
commitment id told it how many others had signed before it."""

import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    Commitment = apps.get_model("credit", "Commitment")
    for commitment in Commitment.objects.only("pk").iterator(chunk_size=2000):
        Commitment.objects.filter(pk=commitment.pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("credit", "0006_evidence_random_names")]

    operations = [
        migrations.AddField(
            model_name="commitment", name="public_id", field=models.UUIDField(null=True, editable=False)
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="commitment",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
