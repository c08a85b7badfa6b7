"""Scoring rules as data (``ScoringRule``) and the ``total-unreachable`` flag kind.

Seasons already in the database get the default rule; the values are copied here, not imported,
so this migration keeps meaning what it meant when written. New seasons get theirs from the
importer. Editors may change rules, like the other archive data.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

POINTS = [1000, 800, 640, 512, 410, 328, 262, 210, 168, 134, 107, 86, 69, 55, 44, 35, 28]
BASIS = (
    "Points: the ISU table of 2011–13, each place 80% of the one above from 1000, to 17th place "
    "(docs/STANDINGS.md, 'Points per place').\n"
    "Individual: best {counted} of {events}, {origin}.\n"
    "Relays: best 4 of 6, the rule that reproduces the published relay totals from the known "
    "relay podiums (docs/STANDINGS.md, 'Relay rule')."
)


def create_default_rules(apps, schema_editor):
    Season = apps.get_model("seasons", "Season")
    ScoringRule = apps.get_model("seasons", "ScoringRule")
    for season in Season.objects.filter(scoring_rule__isnull=True):
        stated = bool(season.counted_results and season.counted_of)
        counted, events = (season.counted_results, season.counted_of) if stated else (6, 8)
        origin = (
            "from the season's standings note"
            if stated
            else "the 2011–13 default (the source states no rule): review"
        )
        ScoringRule.objects.create(
            season=season,
            points_per_place=POINTS,
            individual_counted=counted,
            individual_events=events,
            relay_counted=4,
            relay_events=6,
            basis=BASIS.format(counted=counted, events=events, origin=origin),
        )


def let_editors_change_rules(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_scoringrule" for action in ("view", "add", "change", "delete")] + [
        "view_historicalscoringrule"
    ]
    for group in Group.objects.filter(name="Editors"):
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="seasons", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("seasons", "0002_editors_group"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="flag",
            name="kind",
            field=models.CharField(
                choices=[
                    ("race-outside-season", "Race dated outside its season"),
                    ("intro-start", "Intro start date disagrees with the races"),
                    ("intro-end", "Intro end date disagrees with the races"),
                    ("position-repeated", "Standings position repeated"),
                    ("position-order", "Standings positions out of order"),
                    ("points-order", "Standings points out of order"),
                    ("heading-inferred", "Standings heading inferred"),
                    ("event-count", "Standings event count disagrees with the calendar"),
                    ("venue-differs", "Venue differs within a meet"),
                    ("section-skipped", "Section not understood"),
                    ("total-unreachable", "Published total cannot be reached"),
                ],
                max_length=30,
            ),
        ),
        migrations.AlterField(
            model_name="historicalflag",
            name="kind",
            field=models.CharField(
                choices=[
                    ("race-outside-season", "Race dated outside its season"),
                    ("intro-start", "Intro start date disagrees with the races"),
                    ("intro-end", "Intro end date disagrees with the races"),
                    ("position-repeated", "Standings position repeated"),
                    ("position-order", "Standings positions out of order"),
                    ("points-order", "Standings points out of order"),
                    ("heading-inferred", "Standings heading inferred"),
                    ("event-count", "Standings event count disagrees with the calendar"),
                    ("venue-differs", "Venue differs within a meet"),
                    ("section-skipped", "Section not understood"),
                    ("total-unreachable", "Published total cannot be reached"),
                ],
                max_length=30,
            ),
        ),
        migrations.CreateModel(
            name="HistoricalScoringRule",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "points_per_place",
                    models.JSONField(
                        help_text="Points for 1st, 2nd, 3rd … place. Places beyond score 0."
                    ),
                ),
                (
                    "individual_counted",
                    models.PositiveSmallIntegerField(
                        help_text="N of 'best N out of M' for 500, 1000, 1500 m.",
                        verbose_name="individual results counted",
                    ),
                ),
                (
                    "individual_events",
                    models.PositiveSmallIntegerField(
                        help_text="M of 'best N out of M': events per individual distance.",
                        verbose_name="individual events",
                    ),
                ),
                (
                    "relay_counted",
                    models.PositiveSmallIntegerField(
                        help_text="N of 'best N out of M' for the relays.",
                        verbose_name="relay results counted",
                    ),
                ),
                (
                    "relay_events",
                    models.PositiveSmallIntegerField(
                        help_text="M of 'best N out of M': relay events in the season.",
                        verbose_name="relay events",
                    ),
                ),
                ("basis", models.TextField(blank=True, help_text="Where these numbers come from.")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "season",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="seasons.season",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical scoring rule",
                "verbose_name_plural": "historical scoring rules",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="ScoringRule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "points_per_place",
                    models.JSONField(
                        help_text="Points for 1st, 2nd, 3rd … place. Places beyond score 0."
                    ),
                ),
                (
                    "individual_counted",
                    models.PositiveSmallIntegerField(
                        help_text="N of 'best N out of M' for 500, 1000, 1500 m.",
                        verbose_name="individual results counted",
                    ),
                ),
                (
                    "individual_events",
                    models.PositiveSmallIntegerField(
                        help_text="M of 'best N out of M': events per individual distance.",
                        verbose_name="individual events",
                    ),
                ),
                (
                    "relay_counted",
                    models.PositiveSmallIntegerField(
                        help_text="N of 'best N out of M' for the relays.",
                        verbose_name="relay results counted",
                    ),
                ),
                (
                    "relay_events",
                    models.PositiveSmallIntegerField(
                        help_text="M of 'best N out of M': relay events in the season.",
                        verbose_name="relay events",
                    ),
                ),
                ("basis", models.TextField(blank=True, help_text="Where these numbers come from.")),
                (
                    "season",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="scoring_rule",
                        to="seasons.season",
                    ),
                ),
            ],
            options={
                "ordering": ["season__slug"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("individual_counted__gte", 1),
                            ("individual_counted__lte", models.F("individual_events")),
                        ),
                        name="scoring_individual_counted_within_events",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("relay_counted__gte", 1),
                            ("relay_counted__lte", models.F("relay_events")),
                        ),
                        name="scoring_relay_counted_within_events",
                    ),
                ],
            },
        ),
        migrations.RunPython(create_default_rules, migrations.RunPython.noop),
        migrations.RunPython(let_editors_change_rules, migrations.RunPython.noop),
    ]
