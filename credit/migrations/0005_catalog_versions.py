from django.db import migrations


def add_editions(apps, schema_editor):
    from ._frozen_seed import ensure_catalog_versions

    ensure_catalog_versions(apps.get_model("credit", "CatalogVersion"))


class Migration(migrations.Migration):
    dependencies = [("credit", "0004_records_ratings_measures")]
    operations = [migrations.RunPython(add_editions, migrations.RunPython.noop)]
