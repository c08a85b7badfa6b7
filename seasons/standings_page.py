"""The standings page's explanation: each published table checked against the season's rule,
and, where results are known, the standings computed from them with a chart.

:func:`seasons.scoring.analyze_season` loads its own tables, entries and rule (five queries);
the page has already loaded the tables and entries it shows (with their source lines and flags),
and the season's rule with the season. :func:`explain_tables` therefore builds the same
:class:`~seasons.scoring.TableInput` from the page's rows and loads only the races (two queries),
so that the page stays within its query budget. ``tests/test_standings_page.py`` pins that the
inputs equal ``season_inputs``'s, so the page and the flags of ``check_standings`` cannot drift
apart.
"""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.safestring import SafeString

from .charts import standings_chart
from .models import Race, Result, ScoringRule, StandingsEntry
from .scoring import (
    Check,
    Event,
    Known,
    Published,
    Score,
    TableAnalysis,
    TableInput,
    analyze,
    competitor_key,
    competitor_name,
    default_rule_values,
    rule_for,
)


@dataclass(frozen=True)
class Competitor:
    """Whom a computed row or a check names, as the page shows it (athlete and flag)."""

    athlete: object  # Athlete or None
    nation: object  # Nation or None


@dataclass(frozen=True)
class CheckRow:
    check: Check
    entry: StandingsEntry  # the published row checked
    anchor: str  # the check's id on the page


@dataclass(frozen=True)
class ComputedRow:
    rank: int
    competitor: Competitor
    total: int
    published: int | None  # the published total of the same competitor, if listed
    scores: tuple[Score, ...]  # calendar order, counted and dropped


@dataclass(frozen=True)
class Explained:
    """One table's explanation."""

    analysis: TableAnalysis
    checks: tuple[CheckRow, ...]
    computed: tuple[ComputedRow, ...]
    chart: SafeString | None  # only where results are known

    @property
    def flagged_count(self):
        return sum(1 for row in self.checks if row.check.is_flagged)


def season_rule(season):
    """The season's stored rule (``None`` when it has none) and the ``ScoringRule`` computed
    with: the stored one, else the unsaved defaults, as ``season_inputs`` does. ``season`` comes
    with ``select_related("scoring_rule")``, so this costs no query."""
    try:
        stored = season.scoring_rule
    except ScoringRule.DoesNotExist:
        stored = None
    return stored, stored or ScoringRule(season=season, **default_rule_values(season))


def points_text(points, shown=8):
    """``1000, 800, 640 … 28 for places 1–17, nothing beyond``: a points table in a phrase."""
    values = ", ".join(map(str, points[:shown]))
    if len(points) > shown:
        values += f" … {points[-1]}"
    return f"{values} for places 1–{len(points)}, nothing beyond"


def season_races(season):
    """The season's races with their results, in the order ``season_inputs`` uses (two
    queries)."""
    results = Result.objects.select_related("athlete__nation", "nation")
    races = list(
        Race.objects.filter(meet__season=season)
        .select_related("meet")
        .prefetch_related(Prefetch("results", queryset=results))
    )
    races.sort(key=lambda race: (race.meet.order, race.number or 0, race.date, race.pk))
    return races


def table_input(table, races, scoring_rule, competitors):
    """``season_inputs``' TableInput for one table, from rows already loaded. ``competitors``
    collects ``{competitor key: Competitor}`` for display."""
    chosen = [
        race for race in races if (race.gender, race.distance) == (table.gender, table.distance)
    ]
    # "After 5 of 8 events": later results are not in the published total.
    if table.events_held is not None and table.events_held < len(chosen):
        chosen = chosen[: table.events_held]
    names, events, results = {}, [], []
    for race in chosen:
        label = f"{race.meet.city} ({race.number})" if race.number else race.meet.city
        event = Event(f"{race.meet.slug}-{race.anchor}", label, race.meet.city)
        events.append(event)
        for result in race.results.all():
            key = competitor_key(result.athlete, result.nation)
            names[key] = competitor_name(result.athlete, result.nation)
            competitors.setdefault(key, display_competitor(result))
            results.append(Known(event.key, key, result.place))
    entries = []
    for entry in table.entries.all():
        key = competitor_key(entry.athlete, entry.nation)
        if key is not None:
            names[key] = competitor_name(entry.athlete, entry.nation)
            competitors.setdefault(key, display_competitor(entry))
        entries.append(Published(entry.row, entry.position, key, entry.points))
    rule = rule_for(scoring_rule, is_relay=table.is_relay)
    return TableInput(table.title, rule, tuple(events), tuple(results), tuple(entries), names)


def display_competitor(row):
    nation = row.nation if row.nation_id else None
    if nation is None and row.athlete_id:
        nation = row.athlete.nation
    return Competitor(row.athlete if row.athlete_id else None, nation)


def explain_tables(season, tables, scoring_rule):
    """``{table pk: Explained}`` for the page's ``tables`` (``for_standings_page``)."""
    races = season_races(season)
    explained = {}
    for table in tables:
        competitors = {}
        analysis = analyze(table_input(table, races, scoring_rule, competitors))
        entries = {entry.row: entry for entry in table.entries.all()}
        checks = tuple(
            CheckRow(check, entries[check.entry.row], f"{table.anchor}-check-{check.entry.row}")
            for check in analysis.checks
        )
        computed = tuple(
            ComputedRow(
                standing.rank,
                competitors.get(standing.competitor, Competitor(None, None)),
                standing.total,
                standing.published.points if standing.published else None,
                standing.scores,
            )
            for standing in analysis.standings
        )
        chart = None
        if analysis.has_known_results:
            chart = standings_chart(
                analysis,
                chart_id=f"{table.anchor}-chart",
                title=f"{table.title}: computed points after each World Cup",
            )
        explained[table.pk] = Explained(analysis, checks, computed, chart)
    return explained
