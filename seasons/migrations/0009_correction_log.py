"""The log of editors' corrections that /changes/ reads (``Correction``), viewable by editors.

Rows are written when an editor saves (seasons/history.py); nothing is backfilled from older
history here, since the labels a row shows need the current models' code, which a migration must
not import. Permissions are created here first, as in 0002_editors_group, so that the group gets
the new one on a fresh database too.
"""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

EDITORS = "Editors"
# The log is written by saves, never by hand: editors may only read it.
CODENAMES = ["view_correction"]


def let_editors_view_the_log(apps, schema_editor):
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


def take_the_log_from_editors(apps, schema_editor):
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
        ("seasons", "0008_scoringrule_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Correction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("when", models.DateTimeField()),
                (
                    "kind",
                    models.CharField(help_text="The record's type: “Result”.", max_length=100),
                ),
                (
                    "record",
                    models.TextField(
                        help_text="The record as it read after the edit (before a deletion)."
                    ),
                ),
                (
                    "url",
                    models.CharField(
                        blank=True, help_text="Its public page, if it has one.", max_length=500
                    ),
                ),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("added", "added"),
                            ("changed", "changed"),
                            ("deleted", "deleted"),
                        ],
                        max_length=7,
                    ),
                ),
                (
                    "changes",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="For a change: [{field, old, new}] as the page shows them.",
                    ),
                ),
                (
                    "who",
                    models.CharField(
                        help_text="The editor's full name, else “an editor”: never a username.",
                        max_length=301,
                    ),
                ),
                ("reason", models.CharField(blank=True, max_length=100)),
                ("object_id", models.PositiveBigIntegerField()),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-when", "-id"],
                "indexes": [
                    models.Index(fields=["-when", "-id"], name="correction_newest_first"),
                    models.Index(fields=["content_type", "object_id"], name="correction_record"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("action__in", ["added", "changed", "deleted"])),
                        name="correction_action_valid",
                    )
                ],
            },
        ),
        migrations.RunPython(let_editors_view_the_log, take_the_log_from_editors),
    ]
