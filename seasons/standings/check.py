"""The standings check on the database: the models in, the pure check run, flags stored.

:mod:`.scoring` and :mod:`.reachability` know nothing of models. This module is the thin layer
around them: it gives a season its scoring rule (the defaults when it has none), turns a
season's tables, races and results into their input (:func:`build_inputs`, the one place rows
become plain data, so the standings page and the flags cannot drift apart), and
:func:`check_standings` stores a flag on the source line of every published total that cannot
be reached.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from ..models import (
    Athlete,
    Flag,
    FlagKind,
    Nation,
    Race,
    ScoringRule,
    Season,
    StandingsTable,
    competitor_name,
)
from .reachability import analyze
from .scoring import ISU_POINTS_2011_13, Event, Known, Published, Rule, TableAnalysis, TableInput

# Individual distances: "best 6 out of 8 results" (the sources' note). Relays: best 4 of 6, found
# from the published relay totals (docs/STANDINGS.md).
DEFAULT_INDIVIDUAL = (6, 8)
DEFAULT_RELAY = (4, 6)

RELAY_RULE_BASIS = (
    "Relays: best {counted} of {events}, the rule that reproduces the published relay totals "
    "from the known relay podiums (docs/STANDINGS.md, 'Relay rule')."
)


def default_rule_values(season: Season) -> dict[str, object]:
    """The rule a newly imported season starts with (field values for ``ScoringRule``).

    Individual N of M come from the season's own note when it states them. The rest are the
    2011–13 defaults; ``basis`` says which is which, so an editor knows what to review.
    """
    if season.counted_results and season.counted_of:
        counted, events = season.counted_results, season.counted_of
        individual = f"Individual: best {counted} of {events}, from the season's standings note."
    else:
        counted, events = DEFAULT_INDIVIDUAL
        individual = (
            f"Individual: best {counted} of {events}, the 2011–13 default (the source states no "
            "rule): review."
        )
    relay_counted, relay_events = DEFAULT_RELAY
    return {
        "points_per_place": list(ISU_POINTS_2011_13),
        "individual_counted": counted,
        "individual_events": events,
        "relay_counted": relay_counted,
        "relay_events": relay_events,
        "basis": "\n".join(
            [
                "Points: the ISU table of 2011–13, each place 80% of the one above from 1000, "
                "to 17th place (docs/STANDINGS.md, 'Points per place').",
                individual,
                RELAY_RULE_BASIS.format(counted=relay_counted, events=relay_events),
            ]
        ),
    }


# The seasons whose points rule the archive knows: the ISU's table of 2011–13 (each place 80%
# of the one above, from 1000). Any other season's rule is an editor's to attach in admin; until
# then its published standings are shown without a claim about them.
ISU_2011_13_SEASONS = frozenset({"2011-12", "2012-13"})


def rule_is_known(season: Season) -> bool:
    return season.slug in ISU_2011_13_SEASONS


def ensure_scoring_rule(season: Season) -> tuple[ScoringRule | None, bool]:
    """The season's rule: the stored one (possibly edited, never changed here), else the
    2011–13 rule for the seasons it governs, else None (not known). ``(rule, created)``."""
    if not rule_is_known(season):
        return ScoringRule.objects.filter(season=season).first(), False
    return ScoringRule.objects.get_or_create(season=season, defaults=default_rule_values(season))


def rule_for(scoring_rule: ScoringRule, *, is_relay: bool) -> Rule:
    if is_relay:
        counted, events = scoring_rule.relay_counted, scoring_rule.relay_events
    else:
        counted, events = scoring_rule.individual_counted, scoring_rule.individual_events
    return Rule(tuple(scoring_rule.points_per_place), counted, events)


def competitor_key(athlete: Athlete | None, nation: Nation | None) -> str | None:
    """Athletes by slug, nation-only competitors (relay teams) by IOC code; None if neither."""
    if athlete is not None:
        return f"athlete:{athlete.slug}"
    return nation.code if nation is not None else None


def season_races(season: Season) -> list[Race]:
    """The season's races with their meet and results, as :func:`build_inputs` reads them (two
    queries). Each result's athlete comes with its nation, a join rather than a query, because
    the standings page shows an athlete's nation where the result names none."""
    return list(Race.objects.filter(meet__season=season).select_related("meet").with_podium())


def table_races(table: StandingsTable, races: Iterable[Race]) -> list[Race]:
    """The races behind ``table`` among ``races`` (any order), in calendar order."""
    chosen = sorted(
        (race for race in races if (race.gender, race.distance) == (table.gender, table.distance)),
        key=lambda race: (race.meet.order, race.number or 0, race.date, race.pk),
    )
    # "After 5 of 8 events": later results are not in the published total.
    return chosen if table.events_held is None else chosen[: table.events_held]


def build_inputs(
    tables: Iterable[StandingsTable], races: Sequence[Race], scoring_rule: ScoringRule
) -> list[tuple[StandingsTable, TableInput]]:
    """``[(StandingsTable, TableInput)]`` for ``tables`` (entries with athlete and nation
    loaded), from ``races`` (:func:`season_races`) under ``scoring_rule``. No query.

    The one place rows become the core's input: the standings page passes the rows it has
    already loaded to show them, :func:`season_inputs` loads its own, and the page's explanation
    and the flags of :func:`check_standings` cannot drift apart.
    """
    inputs = []
    for table in tables:
        names, events, results = {}, [], []
        for race in table_races(table, races):
            # Within one table the city says which race; a doubled distance adds its number.
            label = f"{race.meet.city} ({race.number})" if race.number else race.meet.city
            event = Event(f"{race.meet.slug}-{race.anchor}", label, race.meet.city)
            events.append(event)
            for result in race.results.all():
                key = competitor_key(result.athlete, result.nation)
                names[key] = competitor_name(result.athlete, result.nation)
                results.append(Known(event.key, key, result.place))
        entries = []
        for entry in table.entries.all():
            key = competitor_key(entry.athlete, entry.nation)
            if key is not None:
                names[key] = competitor_name(entry.athlete, entry.nation)
            entries.append(Published(entry.row, entry.position, key, entry.points))
        rule = rule_for(scoring_rule, is_relay=table.is_relay)
        table_input = TableInput(
            table.title, rule, tuple(events), tuple(results), tuple(entries), names
        )
        inputs.append((table, table_input))
    return inputs


def season_inputs(
    season: Season, scoring_rule: ScoringRule | None = None
) -> list[tuple[StandingsTable, TableInput]]:
    """``[(StandingsTable, TableInput)]`` for every published table of ``season``, in five
    queries. Without a stored rule there is none: a season's rule is not guessed."""
    if scoring_rule is None:
        scoring_rule = ScoringRule.objects.filter(season=season).first()
    if scoring_rule is None:
        return []  # the points rule is not known: nothing to check against
    tables = list(StandingsTable.objects.filter(season=season).with_entries())
    return build_inputs(tables, season_races(season), scoring_rule)


def analyze_season(season: Season) -> list[tuple[StandingsTable, TableAnalysis]]:
    """``[(StandingsTable, TableAnalysis)]``: what a season's standings page shows."""
    return [(table, analyze(table_input)) for table, table_input in season_inputs(season)]


@dataclass
class CheckReport:
    checked: int = 0
    reproduced: int = 0
    reachable: int = 0
    unreachable: int = 0
    rules_created: int = 0
    flags_created: int = 0
    flags_updated: int = 0
    flags_removed: int = 0
    unflagged: list[str] = field(default_factory=list)  # unreachable, but no source line to flag


def check_standings(seasons: Iterable[Season] | None = None) -> CheckReport:
    """Flag every published total that cannot be reached; idempotent.

    Gives a season without a rule its default rule first. A flag is upserted on its natural key
    (source, line, kind); open flags of this kind that no longer apply are deleted; resolved ones
    are left as the editors' record.
    """
    seasons = list(Season.objects.all() if seasons is None else seasons)
    report = CheckReport()
    with transaction.atomic():
        existing = {
            (flag.source_id, flag.line): flag
            # Also those a source's earlier version raised for another season (its title
            # changed): a flag is one per source, line and kind, whatever season it names.
            for flag in Flag.objects.filter(
                Q(season__in=seasons) | Q(source__in=[season.source_id for season in seasons]),
                kind=FlagKind.TOTAL_UNREACHABLE,
            )
        }
        wanted = set()
        for season in seasons:
            _, created = ensure_scoring_rule(season)
            report.rules_created += created
            for table, analysis in analyze_season(season):
                entries = {entry.row: entry for entry in table.entries.all()}
                for check in analysis.checks:
                    report.checked += 1
                    setattr(report, check.verdict.value, getattr(report, check.verdict.value) + 1)
                    if not check.is_flagged:
                        continue
                    entry = entries[check.entry.row]
                    if entry.source_id is None or entry.source_line is None:
                        report.unflagged.append(f"{table}: {check.explanation}")
                        continue
                    values = {
                        "message": f"{table.title}, {check.explanation}",
                        "season_id": season.pk,
                        "meet_id": None,
                        "race_id": None,
                        "table_id": table.pk,
                        "entry_id": entry.pk,
                    }
                    key = (entry.source_id, entry.source_line)
                    wanted.add(key)
                    flag = existing.get(key)
                    if flag is None:
                        Flag.objects.create(
                            source_id=entry.source_id,
                            line=entry.source_line,
                            kind=FlagKind.TOTAL_UNREACHABLE,
                            **values,
                        )
                        report.flags_created += 1
                    elif not flag.is_resolved and any(
                        getattr(flag, name) != value for name, value in values.items()
                    ):
                        for name, value in values.items():
                            setattr(flag, name, value)
                        flag.save()
                        report.flags_updated += 1
        for key, flag in existing.items():
            if key not in wanted and not flag.is_resolved:
                flag.delete()
                report.flags_removed += 1
    return report
