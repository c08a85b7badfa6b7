"""The published World Cup standings and the scoring rule each season is computed with."""

from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..vocabulary import RELAY_DISTANCES, Distance, Gender, distance_slug, event_title
from .base import IMPORT_FIELDS, NaturalKeyManager, Sourced, SourcedQuerySet, Versioned
from .calendar import Season
from .people import Athlete, NamesCompetitor, Nation
from .races import competitor_errors
from .sources import Flag


class StandingsTableQuerySet(SourcedQuerySet):
    def with_entries(self):
        return self.prefetch_related(
            Prefetch("entries", queryset=StandingsEntry.objects.select_related("athlete", "nation"))
        )

    def for_standings_page(self):
        """Tables with their entries (athlete, nation, source line) and their flags, the
        flags of single entries included: everything the standings page shows."""
        entries = StandingsEntry.objects.select_related("athlete", "nation", "source")
        return self.prefetch_related(
            Prefetch("entries", queryset=entries.defer("source__text")),
            Prefetch("flags", queryset=Flag.objects.shown().with_source().order_by("line")),
        )

    def with_leaders(self):
        """Tables with ``leaders``: the entries published in first place (ties included)."""
        leaders = StandingsEntry.objects.filter(position=1).select_related("athlete", "nation")
        return self.prefetch_related(Prefetch("entries", queryset=leaders, to_attr="leaders"))


class StandingsTable(Sourced):
    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="standings")
    gender = models.CharField(max_length=5, choices=Gender.choices)
    distance = models.PositiveSmallIntegerField(choices=Distance.choices)
    events_held = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="N of 'After N of M events'; empty if not published."
    )
    events_total = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="M of 'After N of M events'; empty if not published."
    )
    heading_inferred = models.BooleanField(
        default=False,
        help_text="The source printed this table without a heading; gender and distance were "
        "inferred from the order of the other tables.",
    )
    history = HistoricalRecords(excluded_fields=IMPORT_FIELDS)

    objects = NaturalKeyManager.from_queryset(StandingsTableQuerySet)(
        "season__slug", "gender", "distance"
    )

    class Meta:
        ordering = ["season__slug", "distance", "gender"]
        constraints = [
            models.UniqueConstraint(
                fields=["season", "gender", "distance"], name="standings_unique_per_event"
            ),
            models.CheckConstraint(
                condition=Q(events_held__isnull=True)
                | Q(events_total__isnull=True)
                | Q(events_held__lte=F("events_total")),
                name="standings_held_within_total",
            ),
        ]

    def __str__(self):
        return f"{self.season.years} {self.title}"

    def get_absolute_url(self):
        """The table's own page, which explains it (/seasons/2011-12/standings/men-500m/)."""
        return reverse(
            "seasons:standings-table", kwargs={"season": self.season.slug, "table": self.anchor}
        )

    def natural_key(self):
        return (*self.season.natural_key(), self.gender, self.distance)

    natural_key.dependencies = ["seasons.season"]

    @property
    def title(self):
        return event_title(self.gender, self.get_distance_display())

    @property
    def anchor(self):
        return f"{self.gender}-{distance_slug(self.distance)}"

    @property
    def is_relay(self):
        return self.distance in RELAY_DISTANCES


class StandingsEntryQuerySet(SourcedQuerySet):
    def with_table(self):
        """Rows with their table and season, whoever they name and the source."""
        return self.with_source().select_related("table__season", "athlete__nation", "nation")

    def in_season_order(self):
        return self.order_by("table__season__slug", "table__distance", "table__gender", "row")

    def for_nation(self, nation):
        """A nation's standings places across seasons: rows naming the nation (the relays) and
        rows naming only an athlete of it."""
        return (
            self.filter(Q(nation=nation) | Q(nation__isnull=True, athlete__nation=nation))
            .with_table()
            .in_season_order()
        )

    def for_athlete(self, athlete):
        """An athlete's standings places across seasons."""
        return self.filter(athlete=athlete).with_table().in_season_order()


class StandingsEntry(NamesCompetitor, Sourced):
    """One published standings row. ``position`` is kept as published, even when it repeats or
    is out of order; ``row`` keeps the published order."""

    table = models.ForeignKey(StandingsTable, on_delete=models.CASCADE, related_name="entries")
    row = models.PositiveSmallIntegerField(help_text="1 for the first row as published.")
    position = models.PositiveSmallIntegerField()
    athlete = models.ForeignKey(
        Athlete, null=True, blank=True, on_delete=models.PROTECT, related_name="standings"
    )
    nation = models.ForeignKey(
        Nation, null=True, blank=True, on_delete=models.PROTECT, related_name="standings"
    )
    points = models.IntegerField()
    history = HistoricalRecords(excluded_fields=IMPORT_FIELDS)

    objects = NaturalKeyManager.from_queryset(StandingsEntryQuerySet)(
        "table__season__slug", "table__gender", "table__distance", "row"
    )

    class Meta:
        ordering = ["table_id", "row"]
        verbose_name_plural = "standings entries"
        constraints = [
            models.UniqueConstraint(fields=["table", "row"], name="entry_unique_row_in_table"),
            models.CheckConstraint(condition=Q(points__gte=0), name="entry_points_not_negative"),
            models.CheckConstraint(condition=Q(position__gte=1), name="entry_position_positive"),
            models.CheckConstraint(condition=Q(row__gte=1), name="entry_row_positive"),
        ]

    def __str__(self):
        return f"{self.table}: {self.position}. {self.points}"

    def get_absolute_url(self):
        return self.table.get_absolute_url()

    def natural_key(self):
        return (*self.table.natural_key(), self.row)

    natural_key.dependencies = ["seasons.standingstable"]

    def clean(self):
        try:
            is_relay = self.table.is_relay
        except StandingsTable.DoesNotExist:
            is_relay = False
        errors = competitor_errors(self, is_relay=is_relay)
        if self.points is not None and self.points < 0:
            errors["points"] = "Points cannot be negative."
        if errors:
            raise ValidationError(errors)


class ScoringRule(Versioned):
    """How one season's World Cup standings are scored: points per place and how many results
    count. Data, not code, so an editor can correct it; ``seasons.standings`` computes with it.

    The importer gives a new season the defaults of ``default_rule_values`` (seasons.standings)
    and never overwrites a rule that exists. docs/STANDINGS.md says where each number comes from.
    """

    season = models.OneToOneField(Season, on_delete=models.CASCADE, related_name="scoring_rule")
    points_per_place = models.JSONField(
        help_text="Points for 1st, 2nd, 3rd … place. Places beyond score 0."
    )
    individual_counted = models.PositiveSmallIntegerField(
        "individual results counted", help_text="N of 'best N out of M' for 500, 1000, 1500 m."
    )
    individual_events = models.PositiveSmallIntegerField(
        "individual events", help_text="M of 'best N out of M': events per individual distance."
    )
    relay_counted = models.PositiveSmallIntegerField(
        "relay results counted", help_text="N of 'best N out of M' for the relays."
    )
    relay_events = models.PositiveSmallIntegerField(
        "relay events", help_text="M of 'best N out of M': relay events in the season."
    )
    basis = models.TextField(blank=True, help_text="Where these numbers come from.")
    # Moved on by every save (Versioned), so a stale admin form is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = NaturalKeyManager("season__slug")

    class Meta:
        ordering = ["season__slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(individual_counted__gte=1)
                & Q(individual_counted__lte=F("individual_events")),
                name="scoring_individual_counted_within_events",
            ),
            models.CheckConstraint(
                condition=Q(relay_counted__gte=1) & Q(relay_counted__lte=F("relay_events")),
                name="scoring_relay_counted_within_events",
            ),
        ]

    def __str__(self):
        return f"{self.season.years} scoring rule"

    def get_absolute_url(self):
        return reverse("seasons:standings", kwargs={"season": self.season.slug})

    def natural_key(self):
        return self.season.natural_key()

    natural_key.dependencies = ["seasons.season"]

    def clean(self):
        points = self.points_per_place
        if (
            not isinstance(points, list)
            or not points
            or not all(isinstance(value, int) and value >= 0 for value in points)
        ):
            raise ValidationError(
                {"points_per_place": "A list of whole, non-negative points, 1st place first."}
            )
        if any(lower > higher for higher, lower in pairwise(points)):
            raise ValidationError(
                {"points_per_place": "A lower place cannot score more than a higher one."}
            )
