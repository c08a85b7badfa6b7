"""The archive's data model.

The sources are incomplete (most athlete names are missing) and partly wrong. The model therefore
keeps what a source says, marks where it came from (``source`` and ``source_line``), represents
unknowns on purpose (a null relation, never an empty-string athlete) and records doubts as
:class:`Flag` rows instead of correcting them silently.
"""

import hashlib
import json
from dataclasses import dataclass
from itertools import pairwise

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, IntegerField, Max, Min, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import capfirst
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


def event_title(gender, label):
    """``Men's 500 m (2)``. A mixed relay's label already says it is mixed (``2000 m mixed
    relay``): "Mixed's" is not English."""
    if gender == Gender.MIXED:
        return label
    return f"{Gender(gender).label}'s {label}"


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


def count_of(queryset):
    """A correlated ``COUNT`` of ``queryset`` (filtered on an ``OuterRef``) for ``annotate()``.
    A subquery, not a join: several counts on one row would multiply each other through joins."""
    counted = queryset.order_by().annotate(count=Func(F("pk"), function="COUNT")).values("count")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class SourceFileQuerySet(models.QuerySet):
    def with_flag_counts(self):
        """Annotate the season imported from each file (``season_slug``, ``season_title``) and
        its ``open_flag_count`` and ``resolved_flag_count``."""
        season = Season.objects.filter(source=OuterRef("pk")).order_by("slug")
        flags = Flag.objects.filter(source=OuterRef("pk"))
        return self.annotate(
            season_slug=Subquery(season.values("slug")[:1]),
            season_title=Subquery(season.values("title")[:1]),
            open_flag_count=count_of(flags.filter(resolved_at__isnull=True)),
            resolved_flag_count=count_of(flags.filter(resolved_at__isnull=False)),
        )


class SourceFile(models.Model):
    """A season article the archive was imported from."""

    name = models.CharField(max_length=200, unique=True, help_text="File name, e.g. 2011-12.txt")
    sha256 = models.CharField(max_length=64)
    line_count = models.PositiveIntegerField()
    text = models.TextField(help_text="The source as imported, so every line can be quoted.")
    # Null in the bundled fixtures: a build time would make them differ on every build.
    imported_at = models.DateTimeField(null=True, blank=True)

    objects = NaturalKeyManager.from_queryset(SourceFileQuerySet)("name")

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


def key_text(natural_key):
    """A natural key as one indexable string: ``["2011-12","saguenay","men",500,1,3]``."""
    return json.dumps(list(natural_key), ensure_ascii=False, separators=(",", ":"))


# The importer's bookkeeping: not part of a row's edit history.
IMPORT_FIELDS = ["imported_values", "imported_key"]


class Sourced(models.Model):
    """Provenance and edit-safety for every imported row.

    ``imported_values`` is what the importer last wrote. A re-import compares it with the row's
    current values to tell an editor's correction (keep it) from an untouched row (update it).
    ``imported_key`` is the row's natural key as the source gives it (:func:`key_text`): an
    editor may move a row (a result to another place or race, a race to another distance) and
    the importer still finds it, instead of creating the source's version again beside it.
    ``version`` increases on every save, so a stale admin form can be refused.
    """

    source = models.ForeignKey(
        SourceFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_line = models.PositiveIntegerField(null=True, blank=True)
    imported_values = models.JSONField(default=dict, blank=True, editable=False)
    imported_key = models.CharField(max_length=400, blank=True, db_index=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    @property
    def is_imported(self):
        return self.source_id is not None

    @property
    def source_url(self):
        """The source line this row came from (``/sources/2011-12.txt#L57``); "" if none.
        Load ``source`` with the row (``SourcedQuerySet.with_source``) to avoid a query each."""
        if not self.source_id:
            return ""
        anchor = f"#L{self.source_line}" if self.source_line else ""
        return f"{self.source.get_absolute_url()}{anchor}"


class SourcedQuerySet(models.QuerySet):
    def with_source(self):
        """Rows with their source file's name (for ``source_url``), not its whole text."""
        return self.select_related("source").defer("source__text")


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

    def get_absolute_url(self):
        # Lowercase like every other path segment; /nations/KOR/ redirects here.
        return reverse("seasons:nation", kwargs={"ioc": self.code.lower()})

    def natural_key(self):
        return (self.code,)

    @classmethod
    def country_for(cls, code):
        """The ISO country of an IOC code, or "" when django-countries does not know it."""
        return IOC_TO_ISO.get(code, "")

    @cached_property
    def name(self):
        # Cached: a medal table names each nation dozens of times, and django-countries looks
        # the name up (through the translation machinery) on every access.
        return self.country.name if self.country else self.code


class Athlete(models.Model):
    """A skater, as the sources name one: by name and nation.

    ``imported_name`` and ``imported_nation`` are how a source first named the athlete: an
    editor may correct the spelling or the nation, and the next import must still find this
    athlete, not create the misspelled one again and move the results back to it.
    """

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    nation = models.ForeignKey(
        Nation, null=True, blank=True, on_delete=models.PROTECT, related_name="athletes"
    )
    imported_name = models.CharField(max_length=200, blank=True, editable=False)
    imported_nation = models.CharField(
        max_length=3, blank=True, editable=False, help_text="IOC code, as the source gave it."
    )
    history = HistoricalRecords(excluded_fields=["imported_name", "imported_nation"])

    objects = NaturalKeyManager("slug")

    class Meta:
        ordering = ["name", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["name", "nation"], name="athlete_unique_name_nation"),
        ]
        indexes = [
            models.Index(fields=["imported_name", "imported_nation"], name="athlete_as_imported"),
        ]

    def __str__(self):
        return f"{self.name} ({self.nation})" if self.nation_id else self.name

    def get_absolute_url(self):
        return reverse("seasons:athlete", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


class SeasonQuerySet(SourcedQuerySet):
    def newest_first(self):
        return self.order_by("-slug")

    def with_meets(self):
        """Seasons with their meets (venue, date span and open flag count included), for
        season lists."""
        meets = Meet.objects.select_related("venue").with_dates().with_open_flag_count()
        return self.prefetch_related(Prefetch("meets", queryset=meets))

    def with_summary(self):
        """Annotate what a season holds: ``race_count``, ``table_count``, ``open_flag_count``
        and the span of its race dates (``first_race``, ``last_race``)."""
        races = Race.objects.filter(meet__season=OuterRef("pk"))
        return self.annotate(
            race_count=count_of(races),
            table_count=count_of(StandingsTable.objects.filter(season=OuterRef("pk"))),
            open_flag_count=count_of(Flag.objects.open().filter(season=OuterRef("pk"))),
            first_race=Subquery(races.order_by("date").values("date")[:1]),
            last_race=Subquery(races.order_by("-date").values("date")[:1]),
        )

    def with_neighbours(self):
        """Annotate ``previous_slug``/``previous_title`` and ``next_slug``/``next_title``: the
        seasons before and after, in the same query (None at either end)."""
        before = Season.objects.filter(slug__lt=OuterRef("slug")).order_by("-slug")
        after = Season.objects.filter(slug__gt=OuterRef("slug")).order_by("slug")
        return self.annotate(
            previous_slug=Subquery(before.values("slug")[:1]),
            previous_title=Subquery(before.values("title")[:1]),
            next_slug=Subquery(after.values("slug")[:1]),
            next_title=Subquery(after.values("title")[:1]),
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
    history = HistoricalRecords(excluded_fields=IMPORT_FIELDS)

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


class VenueQuerySet(models.QuerySet):
    def with_meets(self):
        """Venues with ``meet_count`` and their meets (season and date span included)."""
        meets = Meet.objects.select_related("season").with_dates()
        meet_count = count_of(Meet.objects.filter(venue=OuterRef("pk")))
        return self.annotate(meet_count=meet_count).prefetch_related(
            Prefetch("meets", queryset=meets)
        )


class Venue(Sourced):
    """Where a meet is held. The sources often leave the arena out: ``arena`` is then empty and
    the venue stands for "somewhere in this city" until an editor names it."""

    slug = models.SlugField(max_length=220, unique=True)
    city = models.CharField(max_length=100)
    arena = models.CharField(max_length=200, blank=True, help_text="Empty: not in the source.")
    country = CountryField(blank=True, help_text="The sources do not give it; editors may.")
    history = HistoricalRecords(excluded_fields=IMPORT_FIELDS)

    objects = NaturalKeyManager.from_queryset(VenueQuerySet)("slug")

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


class MeetQuerySet(SourcedQuerySet):
    def with_dates(self):
        """Annotate ``starts`` and ``ends``: a meet's span follows from its races."""
        return self.annotate(starts=Min("races__date"), ends=Max("races__date"))

    def with_open_flag_count(self):
        """Annotate ``open_flag_count``: the meet's unresolved flags, its races' included."""
        return self.annotate(
            open_flag_count=count_of(Flag.objects.open().filter(meet=OuterRef("pk")))
        )

    def with_neighbours(self):
        """Annotate ``meets_in_season`` ("World Cup 2 of 6") and the meets before and after in
        archive order, across seasons: ``previous_season``/``previous_slug``/``previous_city``
        and ``next_season``/``next_slug``/``next_city`` (None at either end)."""
        season, order = OuterRef("season__slug"), OuterRef("order")
        before = Meet.objects.filter(
            Q(season__slug__lt=season) | Q(season__slug=season, order__lt=order)
        ).order_by("-season__slug", "-order")
        after = Meet.objects.filter(
            Q(season__slug__gt=season) | Q(season__slug=season, order__gt=order)
        ).order_by("season__slug", "order")
        return self.annotate(
            meets_in_season=count_of(Meet.objects.filter(season=OuterRef("season"))),
            previous_season=Subquery(before.values("season__slug")[:1]),
            previous_slug=Subquery(before.values("slug")[:1]),
            previous_city=Subquery(before.values("city")[:1]),
            next_season=Subquery(after.values("season__slug")[:1]),
            next_slug=Subquery(after.values("slug")[:1]),
            next_city=Subquery(after.values("city")[:1]),
        )

    def with_calendar(self):
        """Meets with their races as the season article lists them, podiums and flags included:
        the season page's calendar."""
        return self.prefetch_related(
            Prefetch("races", queryset=Race.objects.by_event().with_podium().with_flags())
        )


class Meet(Sourced):
    """One World Cup stop: every men's and women's race held in one city on one weekend."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="meets")
    slug = models.SlugField(max_length=120, help_text="From the city; never regenerated.")
    city = models.CharField(max_length=100)
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="meets")
    order = models.PositiveSmallIntegerField(help_text="1 for the season's first World Cup.")
    history = HistoricalRecords(excluded_fields=IMPORT_FIELDS)

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


class RaceQuerySet(SourcedQuerySet):
    def in_calendar_order(self):
        return self.order_by("date", "gender", "distance", "number", "pk")

    def by_event(self):
        """Men, then women, each by distance: the order of the season articles' tables."""
        return self.order_by("gender", "distance", "number", "pk")

    def with_flags(self):
        """Races with the flags raised on them, oldest line first."""
        return self.prefetch_related(Prefetch("flags", queryset=Flag.objects.order_by("line")))

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
    history = HistoricalRecords(excluded_fields=IMPORT_FIELDS)

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

    def clean(self):
        # The source's own date stays even outside the season (a flag says so); a date an editor
        # enters must fall within the season's stated span.
        if self.date is None or self.imported_values.get("date") == self.date.isoformat():
            return
        try:
            season = self.meet.season
        except Meet.DoesNotExist:
            return
        if (season.start and self.date < season.start) or (season.end and self.date > season.end):
            span = " to ".join(
                date_format(day, "j F Y") if day else "open" for day in (season.start, season.end)
            )
            raise ValidationError(
                {
                    "date": f"{date_format(self.date, 'j F Y')} is outside the "
                    f"{season.years} season ({span})."
                }
            )

    @property
    def is_relay(self):
        return self.distance in RELAY_DISTANCES

    @property
    def title(self):
        """``Men's 500 m (2)``, as a standings table is titled."""
        return event_title(self.gender, self.label)

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

    @property
    def has_podium(self):
        """Whether the source names anyone on the podium (most individual races: nobody)."""
        return any(result for _, result in self.podium)

    @property
    def podium_summary(self):
        """``Men's 5000 m relay: NED, CAN, KOR``: whom the source names, a dash for a place it
        leaves out (link previews: the meet page's description and its card)."""
        names = ", ".join(
            (result.athlete.name if result.athlete else result.nation.code) if result else "—"
            for _, result in self.podium
        )
        return f"{self.title}: {names}"


class ResultQuerySet(SourcedQuerySet):
    def podiums(self):
        return self.filter(place__lte=3)

    def with_race(self):
        """Results with their race, meet, season and venue, whoever placed and the source: a row
        of a nation's or an athlete's results, linked to the race and its source line."""
        return self.with_source().select_related(
            "race__meet__season", "race__meet__venue", "athlete__nation", "nation"
        )

    def in_season_order(self):
        return self.order_by(
            "race__meet__season__slug",
            "race__meet__order",
            "race__date",
            "race__gender",
            "race__distance",
            "race__number",
            "place",
            "pk",
        )

    def for_nation(self, nation):
        """A nation's results across seasons, oldest first: those naming the nation, and those
        naming only an athlete of it (the same rule as the medal tables)."""
        return (
            self.filter(Q(nation=nation) | Q(nation__isnull=True, athlete__nation=nation))
            .with_race()
            .in_season_order()
        )

    def for_athlete(self, athlete):
        """An athlete's results across seasons, oldest first."""
        return self.filter(athlete=athlete).with_race().in_season_order()


def competitor_errors(row, *, is_relay):
    """Field errors for whom a result or standings row names: a relay names a nation, never an
    athlete; an athlete's own nation must agree with the row's."""
    if is_relay and row.athlete_id:
        return {"athlete": "A relay names a nation, not an athlete: clear the athlete."}
    if row.athlete_id and row.nation_id and row.athlete.nation_id not in (None, row.nation_id):
        return {
            "nation": f"{row.athlete.name} skates for {row.athlete.nation}, not {row.nation}: "
            "correct the nation or pick the right athlete."
        }
    return {}


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
    history = HistoricalRecords(excluded_fields=IMPORT_FIELDS)

    objects = NaturalKeyManager.from_queryset(ResultQuerySet)(
        *(f"race__{lookup}" for lookup in RACE_KEY), "place"
    )

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

    def clean(self):
        try:
            race = self.race
        except Race.DoesNotExist:
            race = None
        is_relay = race is not None and race.is_relay
        errors = competitor_errors(self, is_relay=is_relay)
        if not self.athlete_id and not self.nation_id:
            errors["nation" if is_relay else "athlete"] = "Name the athlete or the nation."
        if race is not None and race.pk and self.place:
            taken = race.results.filter(place=self.place).exclude(pk=self.pk).first()
            if taken is not None:
                errors["place"] = (
                    f"Place {self.place} is already taken in this race ({taken.competitor_name})."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def competitor_name(self):
        if self.athlete_id:
            return self.athlete.name
        return self.nation.name if self.nation_id else "unknown"


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
            Prefetch("flags", queryset=Flag.objects.with_source().order_by("line")),
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
        return f"{self.season_standings_url()}#{self.anchor}"

    def natural_key(self):
        return (*self.season.natural_key(), self.gender, self.distance)

    natural_key.dependencies = ["seasons.season"]

    def season_standings_url(self):
        return reverse("seasons:standings", kwargs={"season": self.season.slug})

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
    NATION_UNKNOWN = "nation-unknown", "Nation code not in the IOC list"
    MEET_ONE_GENDER = "meet-one-gender", "Meet listed for one gender only"
    FOOTNOTE_REMOVED = "footnote-removed", "Footnote mark removed from a result"
    RACE_OUTSIDE_MEET = "race-outside-meet", "Race dated outside its meet heading's dates"
    # Raised by the standings check (seasons.scoring), not by the parser.
    TOTAL_UNREACHABLE = "total-unreachable", "Published total cannot be reached"


class FlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)

    def on_season(self):
        """Flags about the season itself (its stated dates), not about a meet or table in it."""
        return self.filter(meet__isnull=True, race__isnull=True, table__isnull=True)

    def with_source(self):
        """Flags with their source file's name (for ``source_url``), not its whole text."""
        return self.select_related("source").defer("source__text")

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

    @property
    def source_url(self):
        """The flagged line in the source (``/sources/2011-12.txt#L57``)."""
        return f"{self.source.get_absolute_url()}#L{self.line}"


class ScoringRule(models.Model):
    """How one season's World Cup standings are scored: points per place and how many results
    count. Data, not code, so an editor can correct it; ``seasons.scoring`` computes with it.

    The importer gives a new season the defaults of ``seasons.scoring.default_rule_values`` and
    never overwrites a rule that exists. docs/STANDINGS.md says where each number comes from.
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
    # As on Sourced: every admin save moves it on, so a stale form is refused (seasons/forms.py).
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


class ArchiveVersion(models.Model):
    """One row that changes whenever archive data changes (see ``seasons/caching.py``).

    Cached pages are keyed by ``token``, so a new token retires every cached page at once. It
    lives in the database, not in a cache, because every gunicorn worker (each with its own
    local-memory cache) must see an editor's change on its next request. The token is random,
    never a counter, so a version rolled back with its transaction is never reused.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="archive_version_single_row"),
        ]

    def __str__(self):
        return f"archive version {self.token} of {self.changed_at:%Y-%m-%d %H:%M:%S}"


@dataclass(frozen=True)
class FieldChange:
    """One field of one record, as an editor reads it: labels, not ids or codes."""

    field: str
    old: str
    new: str

    def __str__(self):
        return f"{self.field}: {self.old} → {self.new}"


class CorrectionAction(models.TextChoices):
    ADDED = "added", "added"
    CHANGED = "changed", "changed"
    DELETED = "deleted", "deleted"


class Correction(models.Model):
    """One editor's saved edit of one archive record: the log that /changes/ and its feed read.

    Written when the edit is saved (``seasons.history``), with everything the public list shows
    worked out then, so that reading the latest corrections is one query however many there are
    and however many models they touch. Labels stay as the edit left them: renaming an athlete
    later does not rewrite what an earlier correction said. ``content_type`` and ``object_id``
    trace the record (and its history in admin) even after it is deleted.
    """

    when = models.DateTimeField()
    kind = models.CharField(max_length=100, help_text="The record's type: “Result”.")
    # Text, not a length-limited string: a label too long must not fail an editor's save.
    record = models.TextField(help_text="The record as it read after the edit (before a deletion).")
    url = models.CharField(max_length=500, blank=True, help_text="Its public page, if it has one.")
    action = models.CharField(max_length=7, choices=CorrectionAction.choices)
    changes = models.JSONField(
        default=list,
        blank=True,
        help_text="For a change: [{field, old, new}] as the page shows them.",
    )
    who = models.CharField(
        max_length=301,  # first and last name, 150 characters each
        help_text="The editor's full name, else “an editor”: never a username.",
    )
    reason = models.CharField(max_length=100, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["-when", "-id"]
        indexes = [
            models.Index(fields=["-when", "-id"], name="correction_newest_first"),
            models.Index(fields=["content_type", "object_id"], name="correction_record"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=CorrectionAction.values), name="correction_action_valid"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.record} {self.action}"

    def get_absolute_url(self):
        return f"{reverse('seasons:changes')}#{self.anchor}"

    @property
    def anchor(self):
        """The correction's row id on /changes/ and its feed entry's id: from what it changed and
        when, not a database id, so a rebuilt log keeps every id its feed readers have seen."""
        key = f"{self.kind}|{self.record}|{self.when.isoformat()}"
        return "c-" + hashlib.sha256(key.encode()).hexdigest()[:12]

    @property
    def field_changes(self):
        return tuple(FieldChange(**change) for change in self.changes)

    @property
    def summary(self):
        """``Result Nagoya 2011–12 Men 500 m: 1. X — changed Athlete: — → X``."""
        detail = "; ".join(map(str, self.field_changes))
        return f"{self.kind} {self.record} — {self.action}" + (f" {detail}" if detail else "")


class Deletion(models.Model):
    """An imported row an editor deleted: the importer does not bring it back.

    Without it, the next import of an unchanged source would re-create the row, silently undoing
    the editor's correction. Kept per row by its natural key (what the importer matches on), with
    what the source said when it was deleted: a re-import of the same values leaves it deleted;
    one whose source changed that row since reports a conflict (``--overwrite`` re-creates it).
    Deleting this record lets the next import restore the row.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    key = models.JSONField(help_text="The row's natural key: what the importer matches on.")
    record = models.TextField(help_text="The row as it read when it was deleted.")
    imported_values = models.JSONField(
        default=dict, help_text="What the source said of the row when it was deleted."
    )
    source = models.ForeignKey(
        SourceFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_line = models.PositiveIntegerField(null=True, blank=True)
    deleted_at = models.DateTimeField(default=timezone.now)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-deleted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "key"], name="deletion_unique_row"),
        ]

    def __str__(self):
        return f"{self.content_type.name} {self.record}"

    @property
    def kind(self):
        return capfirst(self.content_type.name)
