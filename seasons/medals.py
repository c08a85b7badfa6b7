"""Medal tables: who stood on the podium, per season and all-time.

Only podiums the sources (or editors) name are counted for a nation. A podium place nobody is
known for, or a medal whose nation is unknown, is counted as *unknown* for that place instead of
being dropped: the table then adds up to three medals per race, and a reader sees how much of the
season is still missing.

A medal counts for the nation the result names; an individual result that names only an athlete
counts for the athlete's nation. Relay medals count for the nation like any other.

A dead heat gives its place twice and leaves the next place to nobody (two golds, no silver):
the unknown medals are counted against the places actually awarded (:func:`dead_heat_shifts`).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .models import Nation, Result, Season, StandingsEntry, competitor_nation

PODIUM_PLACES = (1, 2, 3)


@dataclass(frozen=True)
class MedalCount:
    gold: int = 0
    silver: int = 0
    bronze: int = 0

    @property
    def total(self):
        return self.gold + self.silver + self.bronze

    @classmethod
    def from_places(cls, places):
        """From a ``Counter`` of podium places (1, 2, 3)."""
        return cls(gold=places[1], silver=places[2], bronze=places[3])

    def __add__(self, other):
        return MedalCount(
            self.gold + other.gold, self.silver + other.silver, self.bronze + other.bronze
        )


@dataclass(frozen=True)
class MedalRow:
    rank: int
    nation: Nation
    medals: MedalCount


@dataclass(frozen=True)
class MedalTable:
    """Nations ranked by gold, then silver, then bronze (the Olympic order); nations level on all
    three share a rank. ``unknown`` holds the podium places no nation is known for."""

    races: int
    rows: list[MedalRow] = field(default_factory=list)
    unknown: MedalCount = MedalCount()

    @property
    def known(self):
        return sum((row.medals for row in self.rows), MedalCount())

    @property
    def has_unknown(self):
        return self.unknown.total > 0

    def for_nation(self, nation):
        """The nation's medals in this table (zero when it won none)."""
        return next((row.medals for row in self.rows if row.nation == nation), MedalCount())


def tally(podium_results):
    """``Counter`` of ``(nation, place)`` over results at places 1–3 already loaded (with their
    nation and athlete's nation); results whose nation is unknown are left out."""
    counts = Counter()
    for result in podium_results:
        nation = competitor_nation(result)
        if nation is not None:
            counts[nation, result.place] += 1
    return counts


def dead_heat_shifts(ties):
    """``Counter`` of podium place -> medals awarded beyond one per race there, from the ties
    of results at places 1–3 (``tie`` of each result, with its place): a result tied with
    another (tie 2, 3 …) is one more medal at its place and one fewer at the place it pushes
    out (tied second with tie 2: no bronze)."""
    shifts = Counter()
    for place, tie in ties:
        if tie > 1:
            shifts[place] += 1
            pushed = place + tie - 1
            if pushed in PODIUM_PLACES:
                shifts[pushed] -= 1
    return shifts


def build_table(races, counts, shifts=None):
    """A medal table for ``races`` races from ``counts`` (see :func:`tally`): the podium places
    awarded (one per race and place, ``shifts`` by :func:`dead_heat_shifts`) that no nation is
    counted for are the unknown ones."""
    shifts = shifts or Counter()
    by_nation = defaultdict(Counter)
    known_places = Counter()
    for (nation, place), medals in counts.items():
        by_nation[nation][place] += medals
        known_places[place] += medals
    unknown = MedalCount.from_places(
        Counter(
            {place: max(0, races + shifts[place] - known_places[place]) for place in PODIUM_PLACES}
        )
    )
    ranked = sorted(
        ((nation, MedalCount.from_places(places)) for nation, places in by_nation.items()),
        key=lambda item: (-item[1].gold, -item[1].silver, -item[1].bronze, item[0].code),
    )
    rows, previous = [], None
    for position, (nation, medals) in enumerate(ranked, start=1):
        key = (medals.gold, medals.silver, medals.bronze)
        rank = rows[-1].rank if key == previous else position
        rows.append(MedalRow(rank=rank, nation=nation, medals=medals))
        previous = key
    return MedalTable(races=races, rows=rows, unknown=unknown)


def medal_tables(nations=None, seasons=None):
    """``(tables by season, all-time table)``: one medal table per season, newest season first,
    and the all-time table over every season. Three queries, two with ``nations`` (every
    nation, when the caller has them loaded). ``seasons`` (a ``Season`` QuerySet) counts those
    seasons only: a season's own medal table is then the all-time table of that one season.

    The medals are counted by the database, a row per season, nation and place: the page costs
    the same whether the archive holds a thousand podiums or a hundred thousand. A medal counts
    for the result's nation, else its athlete's (as ``seasons.models.competitor_nation``)."""
    podiums = Result.objects.filter(place__in=PODIUM_PLACES)
    if seasons is None:
        seasons = Season.objects.all()
    else:
        podiums = podiums.filter(race__meet__season__in=seasons)
    seasons = list(seasons.newest_first().annotate(race_count=Count("meets__races")))
    if nations is None:
        by_pk = Nation.objects.in_bulk()
    else:
        by_pk = {nation.pk: nation for nation in nations}
    counted = (
        podiums.annotate(medal_nation=Coalesce("nation", "athlete__nation"))
        .values_list("race__meet__season", "medal_nation", "place", "tie")
        .annotate(medals=Count("pk"))
        .order_by()
    )
    by_season = defaultdict(Counter)
    all_time = Counter()
    ties = defaultdict(list)  # season pk: (place, tie) of every result tied with another
    for season_pk, nation_pk, place, tie, medals in counted:
        if tie > 1:
            ties[season_pk] += [(place, tie)] * medals
        if nation_pk is None:
            continue  # an unknown medal: counted as one below
        by_season[season_pk][by_pk[nation_pk], place] += medals
        all_time[by_pk[nation_pk], place] += medals
    shifts = {season.pk: dead_heat_shifts(ties[season.pk]) for season in seasons}
    tables = {
        season: build_table(season.race_count, by_season[season.pk], shifts[season.pk])
        for season in seasons
    }
    all_shifts = Counter()
    for season_shifts in shifts.values():
        all_shifts.update(season_shifts)  # not +, which would drop the negative counts
    races = sum(season.race_count for season in seasons)
    return tables, build_table(races, all_time, all_shifts)


def nation_medals(nation, podiums, seasons):
    """``(all-time MedalCount, [(season, MedalCount)])`` of ``nation`` from its podium results
    (``Result.objects.for_nation(nation).podiums()``, already loaded for the page), one entry
    per season in ``seasons`` (zero where it won nothing). No query of its own."""
    counts = defaultdict(Counter)
    for result in podiums:
        if competitor_nation(result) == nation:
            counts[result.race.meet.season_id][result.place] += 1
    per_season = [(season, MedalCount.from_places(counts[season.pk])) for season in seasons]
    return sum((medals for _, medals in per_season), MedalCount()), per_season


@dataclass(frozen=True)
class NationSeason:
    """A nation's season in a line: its medals and how many standings rows name it."""

    season: Season
    medals: MedalCount
    standings_places: int

    @property
    def has_placings(self):
        """Whether the nation's page for the season has a podium or a standings row to show."""
        return self.medals.total > 0 or self.standings_places > 0


def counted_per_season(rows, season_field):
    """A subquery for ``Season``: how many of ``rows`` fall in the outer season (0 for none)."""
    per_season = (
        rows.filter(**{season_field: OuterRef("pk")})
        .order_by()
        .values(season_field)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(per_season), 0)


def nation_seasons(nation, seasons=None):
    """``(all-time MedalCount, [NationSeason, …])``: every season newest first (or those of
    ``seasons``, a ``Season`` QuerySet), with the medals and standings places of ``nation``. One
    query, counted by the database: the nation's page stays one line a season however many
    podiums each holds. Medals count as in the medal tables (``Result.objects.for_nation``)."""
    seasons = Season.objects.all() if seasons is None else seasons
    podiums = Result.objects.for_nation(nation).podiums()
    counts = {
        f"place_{place}": counted_per_season(podiums.filter(place=place), "race__meet__season")
        for place in PODIUM_PLACES
    }
    counts["standings_places"] = counted_per_season(
        StandingsEntry.objects.for_nation(nation), "table__season"
    )
    annotated = seasons.newest_first().only("slug", "title").annotate(**counts)
    lines = [
        NationSeason(
            season=season,
            medals=MedalCount(season.place_1, season.place_2, season.place_3),
            standings_places=season.standings_places,
        )
        for season in annotated
    ]
    return sum((line.medals for line in lines), MedalCount()), lines
