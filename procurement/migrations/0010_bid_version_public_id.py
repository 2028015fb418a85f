"""Bid versions get a random public identifier for receipts: their ids are one sequence across suppliers, so a
receipt's id told a supplier how many versions others had submitted in between."""

import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    BidVersion = apps.get_model("procurement", "BidVersion")
    for version in BidVersion.objects.only("pk").iterator(chunk_size=2000):
        BidVersion.objects.filter(pk=version.pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("procurement", "0009_key_bid_request_hashes")]

    operations = [
        migrations.AddField(
            model_name="bidversion",
            name="public_id",
            field=models.UUIDField(null=True, editable=False, verbose_name="receipt number"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="bidversion",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="receipt number"),
        ),
    ]
