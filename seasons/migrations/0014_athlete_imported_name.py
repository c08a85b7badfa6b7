"""How a source named each athlete (``imported_name``, ``imported_nation``), so that a re-import
finds an athlete an editor renamed or moved to another nation. Existing athletes are taken as
named now: what the importer matched them on until this migration."""

from django.db import migrations, models


def fill_imported_names(apps, schema_editor):
    Athlete = apps.get_model("seasons", "Athlete")
    athletes = list(Athlete.objects.select_related("nation"))
    for athlete in athletes:
        athlete.imported_name = athlete.name
        athlete.imported_nation = athlete.nation.code if athlete.nation_id else ""
    Athlete.objects.bulk_update(athletes, ["imported_name", "imported_nation"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("seasons", "0013_flag_kinds_doubts"),
    ]

    operations = [
        migrations.AddField(
            model_name="athlete",
            name="imported_name",
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="athlete",
            name="imported_nation",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="IOC code, as the source gave it.",
                max_length=3,
            ),
        ),
        migrations.AddIndex(
            model_name="athlete",
            index=models.Index(
                fields=["imported_name", "imported_nation"], name="athlete_as_imported"
            ),
        ),
        migrations.RunPython(fill_imported_names, migrations.RunPython.noop),
    ]
