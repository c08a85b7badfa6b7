"""Races and their results: who placed where."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from ..vocabulary import RELAY_DISTANCES, Distance, Gender, RecordMark, distance_slug, event_title
from .base import IMPORT_FIELDS, NaturalKeyManager, Sourced, SourcedQuerySet
from .calendar import Meet
from .people import Athlete, NamesCompetitor, Nation
from .sources import Flag


class RaceQuerySet(SourcedQuerySet):
    def in_calendar_order(self):
        return self.order_by("date", "gender", "distance", "number", "pk")

    def by_event(self):
        """Men, then women, each by distance: the order of the season articles' tables."""
        return self.order_by("gender", "distance", "number", "pk")

    def with_flags(self):
        """Races with the flags public pages show (open, or resolved by an editor with a
        note; not those an edit fixed), oldest line first."""
        return self.prefetch_related(
            Prefetch("flags", queryset=Flag.objects.shown().order_by("line"))
        )

    def with_meet(self):
        """Races with their meet, its season and its venue: for a race shown away from its meet's
        page (a calendar event names and locates it)."""
        return self.select_related("meet__season", "meet__venue")

    def with_podium(self):
        """Races with every result (not only places 1–3), each with its athlete, the athlete's
        nation and its own nation: what a podium, a list of results and a medal count (which
        falls back on the athlete's nation, ``competitor_nation``) show. One query more."""
        results = Result.objects.select_related("athlete__nation", "nation")
        return self.prefetch_related(Prefetch("results", queryset=results))


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
        """Places 1–3 as ``(place, [results])``, in the order the source names them: an empty
        list is a place nobody is known for. In a dead heat two results share a place and the
        place after it is awarded to nobody: its list is None (A and B tied first: ``[(1, [A,
        B]), (2, None), (3, [C])]``)."""
        by_place = {}
        for result in self.results.all():
            by_place.setdefault(result.place, []).append(result)
        podium, ahead = [], 0  # ahead: skaters placed above (an unknown place holds one)
        for place in (1, 2, 3):
            results = sorted(by_place.get(place, []), key=lambda result: result.tie)
            if results or ahead < place:
                podium.append((place, results))
                ahead += len(results) or 1
            else:
                podium.append((place, None))
        return podium

    @property
    def has_podium(self):
        """Whether the source names anyone on the podium (most individual races: nobody)."""
        return any(results for _, results in self.podium)

    @property
    def podium_summary(self):
        """``Men's 5000 m relay: NED, CAN, KOR``: whom the source names, a dash for a place it
        leaves out, a dead heat as ``A (KOR) = B (CAN)`` (link previews: the meet page's
        description and its card)."""
        names = ", ".join(podium_place_text(results) for _, results in self.podium)
        return f"{self.title}: {names}"


def podium_place_text(results, unknown="—"):
    """Whom one podium place (of ``Race.podium``) names, as text: ``A (KOR)``, ``A (KOR) = B
    (CAN)`` in a dead heat, ``unknown`` when nobody is known, a dash when a dead heat above
    left it to nobody."""
    if results is None:
        return "—"
    return " = ".join(result.competitor_name for result in results) or unknown


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
    athlete; an athlete's own nation must agree with the row's, unless another row has the
    athlete racing for the row's nation (the nation of the day: Victor An raced for KOR, then
    for RUS)."""
    if is_relay and row.athlete_id:
        return {"athlete": "A relay names a nation, not an athlete: clear the athlete."}
    if (
        row.athlete_id
        and row.nation_id
        and row.athlete.nation_id not in (None, row.nation_id)
        and not raced_for(row.athlete, row.nation_id, besides=row)
    ):
        return {
            "nation": f"{row.athlete.name} skates for {row.athlete.nation}, not {row.nation}: "
            "correct the nation or pick the right athlete."
        }
    return {}


def raced_for(athlete, nation_id, besides=None):
    """Whether a result or standings row other than ``besides`` has ``athlete`` racing for the
    nation ``nation_id``. Two queries at most."""
    for rows in (athlete.results, athlete.standings):
        rows = rows.filter(nation_id=nation_id)
        if besides is not None and rows.model is type(besides):
            rows = rows.exclude(pk=besides.pk)
        if rows.exists():
            return True
    return False


class ResultManager(NaturalKeyManager):
    def get_by_natural_key(self, *key):
        # The tie ordinal is part of the key only from the second result of a dead heat on.
        if len(key) == len(self.lookups) - 1:
            key = (*key, 1)
        return super().get_by_natural_key(*key)


class Result(NamesCompetitor, Sourced):
    """A place in a race. Athlete and nation may each be unknown, but not both: a result that
    names nobody is no result (the podium shows the place as unknown instead).

    In a dead heat two results share a place: ``tie`` tells them apart (1, 2 … in the order the
    source names them). The natural key carries it only from 2 on, so the keys of the results
    that share no place (nearly all) read as they did before dead heats were kept: the race
    and the place.
    """

    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="results")
    place = models.PositiveSmallIntegerField()
    athlete = models.ForeignKey(
        Athlete, null=True, blank=True, on_delete=models.PROTECT, related_name="results"
    )
    nation = models.ForeignKey(
        Nation, null=True, blank=True, on_delete=models.PROTECT, related_name="results"
    )
    tie = models.PositiveSmallIntegerField(
        default=1,
        # Blank in a form means 1 (``clean``): editors fill it in only for a dead heat.
        blank=True,
        help_text="1, unless the result shares its place with another (a dead heat): then 1, "
        "2 … in the order the source names them.",
    )
    time = models.CharField(
        max_length=20,
        blank=True,
        help_text="As the source writes it, e.g. 2:07.943; empty when not known.",
    )
    history = HistoricalRecords(excluded_fields=IMPORT_FIELDS)

    objects = ResultManager.from_queryset(ResultQuerySet)(
        *(f"race__{lookup}" for lookup in RACE_KEY), "place", "tie"
    )

    class Meta:
        ordering = ["race_id", "place", "tie"]
        constraints = [
            models.UniqueConstraint(
                fields=["race", "place", "tie"], name="result_unique_place_tie_in_race"
            ),
            models.CheckConstraint(condition=Q(place__gte=1), name="result_place_positive"),
            models.CheckConstraint(condition=Q(tie__gte=1), name="result_tie_positive"),
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
        if self.tie == 1:
            return (*self.race.natural_key(), self.place)
        return (*self.race.natural_key(), self.place, self.tie)

    natural_key.dependencies = ["seasons.race"]

    def clean(self):
        if self.tie is None:
            self.tie = 1
        try:
            race = self.race
        except Race.DoesNotExist:
            race = None
        is_relay = race is not None and race.is_relay
        errors = competitor_errors(self, is_relay=is_relay)
        if not self.athlete_id and not self.nation_id:
            errors["nation" if is_relay else "athlete"] = "Name the athlete or the nation."
        if race is not None and race.pk and self.place and self.tie:
            taken = race.results.filter(place=self.place, tie=self.tie).exclude(pk=self.pk)
            taken = taken.first()
            if taken is not None:
                where = f"Place {self.place}" + (f", tie {self.tie}," if self.tie > 1 else "")
                errors["place"] = (
                    f"{where} is already taken in this race ({taken.competitor_name}). "
                    f"For a dead heat, give the next result at this place tie {self.tie + 1}."
                )
        if errors:
            raise ValidationError(errors)
