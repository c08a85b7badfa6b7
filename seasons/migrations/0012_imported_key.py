"""``imported_key`` on imported rows: the natural key as the source gives it, so a re-import
finds a row an editor moved (seasons.services).

Existing imported rows get their current natural key: the best that can be known now, and what
the importer matched them on until this migration. (The key format is seasons.models.key_text,
repeated here because a migration must not import the models' code.)
"""

import json

from django.db import migrations, models

# Each model's natural key through its relations, as in its natural_key() method.
NATURAL_KEYS = {
    "season": ["slug"],
    "meet": ["season__slug", "slug"],
    "race": ["meet__season__slug", "meet__slug", "gender", "distance", "number"],
    "result": [
        "race__meet__season__slug",
        "race__meet__slug",
        "race__gender",
        "race__distance",
        "race__number",
        "place",
    ],
    "standingstable": ["season__slug", "gender", "distance"],
    "standingsentry": ["table__season__slug", "table__gender", "table__distance", "row"],
}


def fill_imported_keys(apps, schema_editor):
    for model_name, fields in NATURAL_KEYS.items():
        model = apps.get_model("seasons", model_name)
        rows = model.objects.filter(source__isnull=False).values_list("pk", *fields)
        updates = [
            model(pk=pk, imported_key=json.dumps(key, ensure_ascii=False, separators=(",", ":")))
            for pk, *key in rows
        ]
        model.objects.bulk_update(updates, ["imported_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("seasons", "0011_flag_kind_nation_unknown"),
    ]

    operations = [
        migrations.AddField(
            model_name="meet",
            name="imported_key",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=400),
        ),
        migrations.AddField(
            model_name="race",
            name="imported_key",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=400),
        ),
        migrations.AddField(
            model_name="result",
            name="imported_key",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=400),
        ),
        migrations.AddField(
            model_name="season",
            name="imported_key",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=400),
        ),
        migrations.AddField(
            model_name="standingsentry",
            name="imported_key",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=400),
        ),
        migrations.AddField(
            model_name="standingstable",
            name="imported_key",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=400),
        ),
        migrations.AddField(
            model_name="venue",
            name="imported_key",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=400),
        ),
        migrations.RunPython(fill_imported_keys, migrations.RunPython.noop),
    ]
