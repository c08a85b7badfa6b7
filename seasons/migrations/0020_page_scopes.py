"""The page scopes whose tokens retire cached pages (seasons/caching/) replace the one archive
version that retired them all."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("seasons", "0019_reader_suggestions"),
    ]

    operations = [
        migrations.CreateModel(
            name="PageScope",
            fields=[
                ("name", models.CharField(max_length=200, primary_key=True, serialize=False)),
                ("token", models.CharField(max_length=32)),
                ("changed_at", models.DateTimeField()),
            ],
            options={
                "ordering": ["name"],
            },
        ),
        migrations.DeleteModel(
            name="ArchiveVersion",
        ),
    ]
