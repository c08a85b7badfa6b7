"""The archive version that keys the page cache (seasons/caching.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("seasons", "0002_editors_group"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArchiveVersion",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(
                        default=1, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("token", models.CharField(max_length=32)),
                ("changed_at", models.DateTimeField()),
            ],
            options={
                "ordering": ["id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("id", 1)), name="archive_version_single_row"
                    )
                ],
            },
        ),
    ]
