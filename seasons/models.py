"""The archive's data model.

The sources are incomplete (most athlete names are missing) and partly wrong. The model therefore
keeps what a source says, marks where it came from (``source`` and ``source_line``), represents
unknowns on purpose (a null relation, never an empty-string athlete) and records doubts as
:class:`Flag` rows instead of correcting them silently.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Max, Min, Prefetch, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.functional import cached_property
from django_countries.fields import CountryField
from django_countries.ioc_data import IOC_TO_ISO
from simple_history.models import HistoricalRecords


class Gender(models.TextChoices):
    MEN = "men", "Men"
    WOMEN = "women", "Women"
    MIXED = "mixed", "Mixed"


class Distance(models.IntegerChoices):
    """Race distances in metres. 2000, 3000 and 5000 m are only ever relays in the World Cup,
    so the distance alone says whether a race is a relay, and ordering by it puts relays last."""

    M500 = 500, "500 m"
    M1000 = 1000, "1000 m"
    M1500 = 1500, "1500 m"
    MIXED_RELAY_2000 = 2000, "2000 m mixed relay"
    RELAY_3000 = 3000, "3000 m relay"
    RELAY_5000 = 5000, "5000 m relay"


RELAY_DISTANCES = frozenset({Distance.MIXED_RELAY_2000, Distance.RELAY_3000, Distance.RELAY_5000})


class RecordMark(models.TextChoices):
    NONE = "", "No record"
    WORLD = "WR", "World record"
    JUNIOR_WORLD = "JWR", "Junior world record"
    TRACK = "TR", "Track record"


def distance_slug(distance):
    """``500m`` / ``5000m-relay``: the anchor and export name of a distance."""
    return f"{distance}m-relay" if distance in RELAY_DISTANCES else f"{distance}m"


class NaturalKeyManager(models.Manager):
    """``get_by_natural_key`` for a natural key made of the given lookups, in order (a lookup may
    cross relations: ``season__slug``). ``natural_key()`` on the model returns the same values."""

    def __init__(self, *lookups):
        super().__init__()
        self.lookups = lookups

    def get_by_natural_key(self, *key):
        return self.get(**dict(zip(self.lookups, key, strict=True)))


class SourceFile(models.Model):
    """A season article the archive was imported from."""

    name = models.CharField(max_length=200, unique=True, help_text="File name, e.g. 2011-12.txt")
    sha256 = models.CharField(max_length=64)
    line_count = models.PositiveIntegerField()
    text = models.TextField(help_text="The source as imported, so every line can be quoted.")
    # Null in the bundled fixtures: a build time would make them differ on every build.
    imported_at = models.DateTimeField(null=True, blank=True)

    objects = NaturalKeyManager("name")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("seasons:source", kwargs={"name": self.name})

    def natural_key(self):
        return (self.name,)

    def line_text(self, line):
        lines = self.text.splitlines()
        return lines[line - 1] if 0 < line <= len(lines) else ""


class Sourced(models.Model):
    """Provenance and edit-safety for every imported row.

    ``imported_values`` is what the importer last wrote. A re-import compares it with the row's
    current values to tell an editor's correction (keep it) from an untouched row (update it).
    ``version`` increases on every save, so a stale admin form can be refused.
    """

    source = models.ForeignKey(
        SourceFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_line = models.PositiveIntegerField(null=True, blank=True)
    imported_values = models.JSONField(default=dict, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    @property
    def is_imported(self):
        return self.source_id is not None


class Nation(models.Model):
    """A nation as the sources name it: by IOC code (NED, GER, SUI), which is not ISO alpha-3."""

    code = models.CharField("IOC code", max_length=3, unique=True)
    country = CountryField(blank=True, help_text="Empty for an IOC code with no ISO country.")
    history = HistoricalRecords()

    objects = NaturalKeyManager("code")

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{3}$"), name="nation_code_is_three_capitals"
            ),
        ]

    def __str__(self):
        return self.code

    def natural_key(self):
        return (self.code,)

    @classmethod
    def country_for(cls, code):
        """The ISO country of an IOC code, or "" when django-countries does not know it."""
        return IOC_TO_ISO.get(code, "")

    @property
    def name(self):
        return self.country.name if self.country else self.code


class Athlete(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    nation = models.ForeignKey(
        Nation, null=True, blank=True, on_delete=models.PROTECT, related_name="athletes"
    )
    history = HistoricalRecords()

    objects = NaturalKeyManager("slug")

    class Meta:
        ordering = ["name", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["name", "nation"], name="athlete_unique_name_nation"),
        ]

    def __str__(self):
        return f"{self.name} ({self.nation})" if self.nation_id else self.name

    def natural_key(self):
        return (self.slug,)


class SeasonQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-slug")

    def with_meets(self):
        """Seasons with their meets (venue and date span included), for season lists."""
        return self.prefetch_related(
            Prefetch("meets", queryset=Meet.objects.select_related("venue").with_dates())
        )


class Season(Sourced):
    slug = models.SlugField(max_length=20, unique=True, help_text="e.g. 2011-12")
    title = models.CharField(max_length=200)
    # The intro's stated span. It may disagree with the races; that is flagged, not fixed.
    start = models.DateField("stated start", null=True, blank=True)
    end = models.DateField("stated end", null=True, blank=True)
    infobox = models.JSONField(
        default=list, blank=True, help_text="The infobox facts as [label, value] pairs."
    )
    intro = models.TextField(blank=True)
    standings_note = models.TextField(blank=True)
    counted_results = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="N of the note's 'best N out of M results'."
    )
    counted_of = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="M of the note's 'best N out of M results'."
    )
    see_also = models.JSONField(default=list, blank=True)
    history = HistoricalRecords(excluded_fields=["imported_values"])

    objects = NaturalKeyManager.from_queryset(SeasonQuerySet)("slug")

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(start__lte=F("end")),
                name="season_start_before_end",
            ),
            models.CheckConstraint(
                condition=Q(counted_results__isnull=True)
                | Q(counted_of__isnull=True)
                | Q(counted_results__lte=F("counted_of")),
                name="season_counted_within_total",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("seasons:season", kwargs={"season": self.slug})

    def natural_key(self):
        return (self.slug,)

    @property
    def years(self):
        """``2011–12``, as the title writes it."""
        return self.slug.replace("-", "–")

    def infobox_value(self, label):
        return next((value for key, value in self.infobox if key == label), "")


class Venue(Sourced):
    """Where a meet is held. The sources often leave the arena out: ``arena`` is then empty and
    the venue stands for "somewhere in this city" until an editor names it."""

    slug = models.SlugField(max_length=220, unique=True)
    city = models.CharField(max_length=100)
    arena = models.CharField(max_length=200, blank=True, help_text="Empty: not in the source.")
    country = CountryField(blank=True, help_text="The sources do not give it; editors may.")
    history = HistoricalRecords(excluded_fields=["imported_values"])

    objects = NaturalKeyManager("slug")

    class Meta:
        ordering = ["city", "arena", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["city", "arena"], name="venue_unique_city_arena"),
        ]

    def __str__(self):
        return f"{self.arena}, {self.city}" if self.arena else self.city

    def get_absolute_url(self):
        return reverse("seasons:venue", kwargs={"venue": self.slug})

    def natural_key(self):
        return (self.slug,)


class MeetQuerySet(models.QuerySet):
    def with_dates(self):
        """Annotate ``starts`` and ``ends``: a meet's span follows from its races."""
        return self.annotate(starts=Min("races__date"), ends=Max("races__date"))


class Meet(Sourced):
    """One World Cup stop: every men's and women's race held in one city on one weekend."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="meets")
    slug = models.SlugField(max_length=120, help_text="From the city; never regenerated.")
    city = models.CharField(max_length=100)
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="meets")
    order = models.PositiveSmallIntegerField(help_text="1 for the season's first World Cup.")
    history = HistoricalRecords(excluded_fields=["imported_values"])

    objects = NaturalKeyManager.from_queryset(MeetQuerySet)("season__slug", "slug")

    class Meta:
        ordering = ["season__slug", "order"]
        constraints = [
            models.UniqueConstraint(fields=["season", "slug"], name="meet_unique_slug_in_season"),
            models.UniqueConstraint(fields=["season", "order"], name="meet_unique_order_in_season"),
            models.CheckConstraint(condition=Q(order__gte=1), name="meet_order_positive"),
        ]

    def __str__(self):
        return f"{self.city} {self.season.years}"

    def get_absolute_url(self):
        return reverse("seasons:meet", kwargs={"season": self.season.slug, "meet": self.slug})

    def natural_key(self):
        return (*self.season.natural_key(), self.slug)

    natural_key.dependencies = ["seasons.season"]


class RaceQuerySet(models.QuerySet):
    def in_calendar_order(self):
        return self.order_by("date", "gender", "distance", "number", "pk")

    def with_podium(self):
        """Races with their results, athletes and nations: everything a podium shows."""
        return self.prefetch_related(
            Prefetch("results", queryset=Result.objects.select_related("athlete", "nation"))
        )


RACE_KEY = ("meet__season__slug", "meet__slug", "gender", "distance", "number")


class Race(Sourced):
    meet = models.ForeignKey(Meet, on_delete=models.CASCADE, related_name="races")
    gender = models.CharField(max_length=5, choices=Gender.choices)
    distance = models.PositiveSmallIntegerField(choices=Distance.choices)
    number = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="1 or 2 when the distance is raced twice at the meet (500m (1)); else empty.",
    )
    date = models.DateField()
    record = models.CharField(max_length=3, choices=RecordMark.choices, blank=True)
    history = HistoricalRecords(excluded_fields=["imported_values"])

    objects = NaturalKeyManager.from_queryset(RaceQuerySet)(*RACE_KEY)

    class Meta:
        ordering = ["meet_id", "date", "gender", "distance", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                F("meet"),
                F("gender"),
                F("distance"),
                Coalesce("number", 0),
                name="race_unique_distance_number_in_meet",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=1), name="race_number_positive"
            ),
            models.CheckConstraint(condition=Q(gender__in=Gender.values), name="race_gender_valid"),
            models.CheckConstraint(
                condition=Q(distance__in=Distance.values), name="race_distance_valid"
            ),
            models.CheckConstraint(
                condition=Q(record__in=RecordMark.values), name="race_record_valid"
            ),
        ]

    def __str__(self):
        return f"{self.meet} {self.get_gender_display()} {self.label}"

    def get_absolute_url(self):
        return f"{self.meet.get_absolute_url()}#{self.anchor}"

    def natural_key(self):
        return (*self.meet.natural_key(), self.gender, self.distance, self.number)

    natural_key.dependencies = ["seasons.meet"]

    @property
    def is_relay(self):
        return self.distance in RELAY_DISTANCES

    @property
    def label(self):
        """``500 m (2)``: the distance and, for a doubled distance, which race."""
        label = self.get_distance_display()
        return f"{label} ({self.number})" if self.number else label

    @property
    def anchor(self):
        suffix = f"-{self.number}" if self.number else ""
        return f"{self.gender}-{distance_slug(self.distance)}{suffix}"

    @cached_property
    def podium(self):
        """Places 1–3 as ``(place, result or None)``: a missing place is unknown, not absent."""
        by_place = {result.place: result for result in self.results.all()}
        return [(place, by_place.get(place)) for place in (1, 2, 3)]


class Result(Sourced):
    """A place in a race. Athlete and nation may each be unknown, but not both: a result that
    names nobody is no result (the podium shows the place as unknown instead)."""

    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="results")
    place = models.PositiveSmallIntegerField()
    athlete = models.ForeignKey(
        Athlete, null=True, blank=True, on_delete=models.PROTECT, related_name="results"
    )
    nation = models.ForeignKey(
        Nation, null=True, blank=True, on_delete=models.PROTECT, related_name="results"
    )
    history = HistoricalRecords(excluded_fields=["imported_values"])

    objects = NaturalKeyManager(*(f"race__{lookup}" for lookup in RACE_KEY), "place")

    class Meta:
        ordering = ["race_id", "place"]
        constraints = [
            models.UniqueConstraint(fields=["race", "place"], name="result_unique_place_in_race"),
            models.CheckConstraint(condition=Q(place__gte=1), name="result_place_positive"),
            models.CheckConstraint(
                condition=Q(athlete__isnull=False) | Q(nation__isnull=False),
                name="result_names_athlete_or_nation",
            ),
        ]

    def __str__(self):
        return f"{self.race}: {self.place}. {self.competitor_name}"

    def get_absolute_url(self):
        return self.race.get_absolute_url()

    def natural_key(self):
        return (*self.race.natural_key(), self.place)

    natural_key.dependencies = ["seasons.race"]

    @property
    def competitor_name(self):
        if self.athlete_id:
            return self.athlete.name
        return self.nation.name if self.nation_id else "unknown"


class StandingsTableQuerySet(models.QuerySet):
    def with_entries(self):
        return self.prefetch_related(
            Prefetch("entries", queryset=StandingsEntry.objects.select_related("athlete", "nation"))
        )


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
    history = HistoricalRecords(excluded_fields=["imported_values"])

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
        return f"{self.season_standings_url()}#{self.anchor}"

    def natural_key(self):
        return (*self.season.natural_key(), self.gender, self.distance)

    natural_key.dependencies = ["seasons.season"]

    def season_standings_url(self):
        return reverse("seasons:standings", kwargs={"season": self.season.slug})

    @property
    def title(self):
        return f"{self.get_gender_display()}'s {self.get_distance_display()}"

    @property
    def anchor(self):
        return f"{self.gender}-{distance_slug(self.distance)}"

    @property
    def is_relay(self):
        return self.distance in RELAY_DISTANCES


class StandingsEntry(Sourced):
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
    history = HistoricalRecords(excluded_fields=["imported_values"])

    objects = NaturalKeyManager("table__season__slug", "table__gender", "table__distance", "row")

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


class FlagKind(models.TextChoices):
    RACE_OUTSIDE_SEASON = "race-outside-season", "Race dated outside its season"
    INTRO_START = "intro-start", "Intro start date disagrees with the races"
    INTRO_END = "intro-end", "Intro end date disagrees with the races"
    POSITION_REPEATED = "position-repeated", "Standings position repeated"
    POSITION_ORDER = "position-order", "Standings positions out of order"
    POINTS_ORDER = "points-order", "Standings points out of order"
    HEADING_INFERRED = "heading-inferred", "Standings heading inferred"
    EVENT_COUNT = "event-count", "Standings event count disagrees with the calendar"
    VENUE_DIFFERS = "venue-differs", "Venue differs within a meet"
    SECTION_SKIPPED = "section-skipped", "Section not understood"


class FlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)

    def with_targets(self):
        """Flags with what they concern, ready to link to the page of each."""
        return self.select_related(
            "source",
            "season",
            "meet__season",
            "race__meet__season",
            "table__season",
            "entry__table__season",
        )


class Flag(models.Model):
    """Something in a source that looks wrong. The archive keeps the source's value and says so;
    an editor resolves the flag with a note."""

    source = models.ForeignKey(SourceFile, on_delete=models.CASCADE, related_name="flags")
    line = models.PositiveIntegerField()
    kind = models.CharField(max_length=30, choices=FlagKind.choices)
    message = models.TextField()
    # What the flag concerns, most specific last. Explicit relations (not a generic foreign key)
    # keep fixtures free of database ids and let pages ask "flags for this meet" with a join.
    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="flags")
    meet = models.ForeignKey(
        Meet, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    race = models.ForeignKey(
        Race, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    table = models.ForeignKey(
        StandingsTable, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    entry = models.ForeignKey(
        StandingsEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.TextField(blank=True, help_text="How the flag was resolved.")
    history = HistoricalRecords()

    objects = NaturalKeyManager.from_queryset(FlagQuerySet)("source__name", "line", "kind")

    class Meta:
        ordering = ["source__name", "line", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["source", "line", "kind"], name="flag_unique_per_line"),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | ~Q(resolution=""),
                name="flag_resolution_has_note",
            ),
        ]

    def __str__(self):
        return f"{self.source}:{self.line}: {self.message}"

    def get_absolute_url(self):
        return self.target.get_absolute_url()

    def natural_key(self):
        return (*self.source.natural_key(), self.line, self.kind)

    natural_key.dependencies = [
        "seasons.sourcefile",
        "seasons.season",
        "seasons.meet",
        "seasons.race",
        "seasons.standingsentry",
    ]

    @property
    def target(self):
        """The most specific record the flag concerns."""
        return self.entry or self.table or self.race or self.meet or self.season

    @property
    def is_resolved(self):
        return self.resolved_at is not None
