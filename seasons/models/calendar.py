"""The calendar: seasons, the venues of their World Cup stops, and the meets held there."""

from django.db import models
from django.db.models import F, Max, Min, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from .base import IMPORT_FIELDS, NaturalKeyManager, Sourced, SourcedQuerySet, count_of
from .sources import Flag


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
        from .races import Race  # races.py and standings.py import this module
        from .standings import StandingsTable

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
    # Where the intro starts in the source: a doubt about its dates points there.
    intro_line = models.PositiveIntegerField(null=True, blank=True, editable=False)
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
        archive order, across seasons: ``previous_season``/``previous_slug``/``previous_city``/
        ``previous_order`` and ``next_season``/``next_slug``/``next_city``/``next_order`` (None
        at either end)."""
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
            previous_order=Subquery(before.values("order")[:1]),
            next_season=Subquery(after.values("season__slug")[:1]),
            next_slug=Subquery(after.values("slug")[:1]),
            next_city=Subquery(after.values("city")[:1]),
            next_order=Subquery(after.values("order")[:1]),
        )

    def with_calendar(self):
        """Meets with their races as the season article lists them, podiums and flags included:
        the season page's calendar."""
        from .races import Race  # races.py imports this module

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
    # The meet's dates as its heading states them ("Beijing 21–24 October 2021"); the races are
    # checked against them. Empty when the source gives none (the races carry their own dates).
    start = models.DateField(null=True, blank=True, help_text="First day, as the heading states.")
    end = models.DateField(null=True, blank=True, help_text="Last day, as the heading states.")
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
