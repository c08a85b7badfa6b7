"""An athlete's career, read from the rows their page already loads: medals and standings places
season by season, the nations they skated for, their first and last World Cup.

No query of its own: the athlete page and its JSON document load the results
(``Result.objects.for_athlete``) and standings rows (``StandingsEntry.objects.for_athlete``) once,
and the career is counted from those lists.

A row counts for the nation it names, else the athlete's (``competitor_nation``, the medal
tables' rule): results keep the nation of the day, so a skater who raced for KOR and later for
RUS is shown with both, each with the seasons it was named in.
"""

from collections import Counter
from dataclasses import dataclass, field

from .medals import PODIUM_PLACES, MedalCount
from .models import Meet, Nation, Result, Season, StandingsEntry, competitor_nation


@dataclass
class CareerSeason:
    """One season of a career: its known results, medals and standings places."""

    season: Season
    results: list[Result] = field(default_factory=list)
    standings: list[StandingsEntry] = field(default_factory=list)

    @property
    def medals(self):
        return MedalCount.from_places(Counter(result.place for result in self.podiums))

    @property
    def podiums(self):
        return [result for result in self.results if result.place in PODIUM_PLACES]


@dataclass(frozen=True)
class NationSpell:
    """A nation an athlete skated for, and the seasons whose rows name it (oldest first)."""

    nation: Nation
    seasons: tuple[Season, ...]

    @property
    def first(self):
        return self.seasons[0]

    @property
    def last(self):
        return self.seasons[-1]


@dataclass(frozen=True)
class Career:
    seasons: list[CareerSeason]
    nations: list[NationSpell]
    first_meet: Meet | None  # None: no result known, so no World Cup known
    last_meet: Meet | None

    @property
    def medals(self):
        return sum((season.medals for season in self.seasons), MedalCount())

    @property
    def podiums(self):
        return [result for season in self.seasons for result in season.podiums]

    @property
    def other_results(self):
        return [
            result
            for season in self.seasons
            for result in season.results
            if result.place not in PODIUM_PLACES
        ]


def career(results, standings):
    """The ``Career`` of an athlete from their ``results`` and ``standings`` rows, each loaded
    with season, meet, nation and athlete (``for_athlete``) and in season order."""
    by_season = {}

    def season_of(season):
        return by_season.setdefault(season.slug, CareerSeason(season))

    for result in results:
        season_of(result.race.meet.season).results.append(result)
    for entry in standings:
        season_of(entry.table.season).standings.append(entry)
    seasons = [by_season[slug] for slug in sorted(by_season)]

    spells = {}
    for season in seasons:
        for row in [*season.results, *season.standings]:
            nation = competitor_nation(row)
            if nation is not None:
                named = spells.setdefault(nation.code, (nation, {}))[1]
                named[season.season.slug] = season.season
    nations = [
        NationSpell(nation, tuple(named[slug] for slug in sorted(named)))
        for nation, named in spells.values()
    ]
    nations.sort(key=lambda spell: (spell.first.slug, spell.last.slug, spell.nation.code))

    meets = [result.race.meet for result in results]
    return Career(
        seasons=seasons,
        nations=nations,
        first_meet=min(meets, key=meet_order, default=None),
        last_meet=max(meets, key=meet_order, default=None),
    )


def meet_order(meet):
    return (meet.season.slug, meet.order)
