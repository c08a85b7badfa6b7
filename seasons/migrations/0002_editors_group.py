"""The Editors group: may change archive data, and nothing else (no users, groups or permissions).

Permissions are normally created after migrations run; they are created here first so that the
group gets them on a fresh database too.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
# Archive models an editor may view, add, change and delete (historical models: view only).
ARCHIVE_MODELS = [
    "athlete",
    "flag",
    "meet",
    "nation",
    "race",
    "result",
    "season",
    "standingsentry",
    "standingstable",
    "venue",
]
VIEW_ONLY_MODELS = ["sourcefile"] + [f"historical{model}" for model in ARCHIVE_MODELS]


def create_editors_group(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [
        f"{action}_{model}"
        for model in ARCHIVE_MODELS
        for action in ("view", "add", "change", "delete")
    ] + [f"view_{model}" for model in VIEW_ONLY_MODELS]
    group, _ = Group.objects.get_or_create(name=EDITORS)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="seasons", codename__in=codenames)
    )


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("seasons", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
