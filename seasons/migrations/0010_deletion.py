"""Editors' deletions of imported rows (``Deletion``), so that a re-import does not re-create them.

Editors may view them and delete one (which lets the next import restore the row); they are
written by the admin when an editor deletes an imported row, never by hand. Permissions are
created here first, as in 0002_editors_group, so that the group gets them on a fresh database.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

EDITORS = "Editors"
CODENAMES = ["view_deletion", "delete_deletion"]


def let_editors_restore_deletions(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="seasons", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name=EDITORS):
        group.permissions.add(*permissions)


def take_them_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="seasons", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name=EDITORS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("seasons", "0009_correction_log"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Deletion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "key",
                    models.JSONField(
                        help_text="The row's natural key: what the importer matches on."
                    ),
                ),
                ("record", models.TextField(help_text="The row as it read when it was deleted.")),
                (
                    "imported_values",
                    models.JSONField(
                        default=dict,
                        help_text="What the source said of the row when it was deleted.",
                    ),
                ),
                ("source_line", models.PositiveIntegerField(blank=True, null=True)),
                ("deleted_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                (
                    "deleted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "source",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="seasons.sourcefile",
                    ),
                ),
            ],
            options={
                "ordering": ["-deleted_at", "-id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("content_type", "key"), name="deletion_unique_row"
                    )
                ],
            },
        ),
        migrations.RunPython(let_editors_restore_deletions, take_them_back),
    ]
