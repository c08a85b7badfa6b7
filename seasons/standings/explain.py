"""The standings page's explanation: each published table checked against the season's rule,
and, where results are known, the standings computed from them with a chart.

:func:`seasons.standings.check.analyze_season` loads its own tables, entries and rule (five
queries); the page has already loaded the tables and entries it shows (with their source lines
and flags), and the season's rule with the season. :func:`explain_tables` therefore passes those
rows to :func:`seasons.standings.check.build_inputs`, the builder ``analyze_season`` uses too,
and loads only the races (two queries), so that the page stays within its query budget.
"""

from dataclasses import dataclass

from django.utils.safestring import SafeString

from ..models import ScoringRule, StandingsEntry
from .chart import standings_chart
from .check import (
    build_inputs,
    competitor_key,
    season_races,
    table_races,
)
from .reachability import analyze
from .scoring import Check, Score, TableAnalysis


@dataclass(frozen=True)
class Competitor:
    """Whom a computed row names, as the page shows it (athlete and flag)."""

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
    with: the stored one, or None (the rule is not known, and nothing is claimed), as
    ``season_inputs`` does. ``season`` comes with ``select_related("scoring_rule")``, so this
    costs no query."""
    try:
        stored = season.scoring_rule
    except ScoringRule.DoesNotExist:
        stored = None
    return stored, stored


def points_text(points, shown=8):
    """``1000, 800, 640 … 28 for places 1–17, nothing beyond``: a points table in a phrase."""
    values = ", ".join(map(str, points[:shown]))
    if len(points) > shown:
        values += f" … {points[-1]}"
    return f"{values} for places 1–{len(points)}, nothing beyond"


def display_competitors(races):
    """``{competitor key: Competitor}`` for the computed rows of a table whose races are
    ``races`` (calendar order), each as its first result there names it. Only competitors with
    results have a computed row, so the published entries are not needed."""
    competitors = {}
    for race in races:
        for result in race.results.all():
            key = competitor_key(result.athlete, result.nation)
            if key not in competitors:
                competitors[key] = display_competitor(result)
    return competitors


def display_competitor(row):
    return Competitor(row.athlete if row.athlete_id else None, row.competitor_nation)


def explain_tables(season, tables, scoring_rule):
    """``{table pk: Explained}`` for the page's ``tables`` (``for_standings_page``); each None
    when the season's points rule is not known (``scoring_rule`` None): nothing is claimed."""
    if scoring_rule is None:
        return {table.pk: None for table in tables}
    races = season_races(season)
    explained = {}
    for table, table_input in build_inputs(tables, races, scoring_rule):
        analysis = analyze(table_input)
        competitors = display_competitors(table_races(table, races))
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
