"""Readers' suggestions (``Suggestion``), each correction linked to the one it applied.

Editors may view, decide (change) and delete them; readers send them through the public form, so
editors do not add them. Permissions are created here first, as in 0002_editors_group, so that the
group gets them on a fresh database.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

EDITORS = "Editors"
CODENAMES = ["view_suggestion", "change_suggestion", "delete_suggestion"]


def let_editors_decide_suggestions(apps, schema_editor):
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
        ("seasons", "0018_versions_for_nations_athletes_flags"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Suggestion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "about",
                    models.CharField(
                        help_text="The race or row, as the page named it.", max_length=300
                    ),
                ),
                (
                    "page_url",
                    models.CharField(help_text="The public page it was sent from.", max_length=500),
                ),
                ("what_is_wrong", models.CharField(max_length=2000, verbose_name="what is wrong")),
                ("right_value", models.CharField(max_length=500, verbose_name="the right value")),
                ("source_url", models.URLField(max_length=500, verbose_name="source")),
                (
                    "email",
                    models.EmailField(
                        blank=True,
                        help_text="For a question back; never shown publicly.",
                        max_length=254,
                    ),
                ),
                ("sent_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("waiting", "waiting"),
                            ("accepted", "accepted"),
                            ("declined", "declined"),
                        ],
                        default="waiting",
                        max_length=8,
                    ),
                ),
                (
                    "note",
                    models.TextField(
                        blank=True,
                        help_text="The editor's note: why it was declined, or what was done.",
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "entry",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="suggestions",
                        to="seasons.standingsentry",
                        verbose_name="standings row",
                    ),
                ),
                (
                    "race",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="suggestions",
                        to="seasons.race",
                    ),
                ),
            ],
            options={
                "ordering": ["-sent_at", "-id"],
            },
        ),
        migrations.AddField(
            model_name="correction",
            name="suggestion",
            field=models.ForeignKey(
                blank=True,
                help_text="The reader's suggestion this correction applied, if any.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="corrections",
                to="seasons.suggestion",
            ),
        ),
        migrations.AddIndex(
            model_name="suggestion",
            index=models.Index(fields=["status", "-sent_at"], name="suggestion_queue"),
        ),
        migrations.AddConstraint(
            model_name="suggestion",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["waiting", "accepted", "declined"])),
                name="suggestion_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="suggestion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("race__isnull", True), ("entry__isnull", True), _connector="OR"
                ),
                name="suggestion_one_target",
            ),
        ),
        migrations.AddConstraint(
            model_name="suggestion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("decided_at__isnull", True), ("status", "waiting")),
                    models.Q(
                        models.Q(("status", "waiting"), _negated=True),
                        ("decided_at__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="suggestion_decided_when",
            ),
        ),
        migrations.AddConstraint(
            model_name="suggestion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "declined"), _negated=True),
                    models.Q(("note", ""), _negated=True),
                    _connector="OR",
                ),
                name="suggestion_declined_with_note",
            ),
        ),
        migrations.RunPython(let_editors_decide_suggestions, take_them_back),
    ]
