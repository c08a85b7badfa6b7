"""Doubts follow the data: the checks of what a season says run again on the archive's rows
whenever they change (an import, an editor's save), with the definitions the parser uses
(:func:`seasons.importing.checks.check_data`).

:func:`recheck` reads a season from the database into the parser's plain form, runs the checks
and settles the flags of those kinds: a doubt whose cause is gone closes itself, recorded as
fixed by the change that removed it (linked from /changes/); a change that creates a doubt
opens one; a doubt that comes back opens again. A flag an editor resolved with a note ("kept as
published") is the editor's call and stays as it is.
"""

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from .importing.checks import DATA_KINDS, check_data
from .importing.records import (
    Competitor,
    ParsedEntry,
    ParsedMeet,
    ParsedRace,
    ParsedResult,
    ParsedSeason,
    ParsedTable,
    merged_anomalies,
)
from .models import Flag, Meet, Race, Result, Season, StandingsEntry, StandingsTable
from .vocabulary import FlagKind

# What :func:`season_facts` reads of each kind of row, besides the row being there: a save that
# changed none of these fields, and added or deleted no row, cannot change what the checks find,
# and need not run them (a corrected time, a result given to another athlete). Keep in step with
# season_facts: tests/test_doubts.py changes every other field an editor can and compares.
FACT_FIELDS = {
    Season: {"title", "slug", "source_line", "start", "end", "intro_line"},
    Meet: {"season", "slug", "city", "order", "start", "end", "source_line"},
    Race: {"meet", "gender", "distance", "number", "date", "record", "source_line"},
    Result: {"race", "place", "nation"},
    StandingsTable: {"season", "gender", "distance", "events_held", "events_total", "source_line"},
    StandingsEntry: {"table", "row", "position", "nation", "points", "source_line"},
}


def changes_facts(model, changed_fields) -> bool:
    """Whether changing ``changed_fields`` of a ``model`` row may change what the checks find."""
    return bool(FACT_FIELDS.get(model, set()) & set(changed_fields))


def season_facts(season: Season) -> ParsedSeason:
    """``season`` as the parser would give it, each row at its source line (a row an editor
    added: its parent's line), with what the rows say now."""
    meets = (
        Meet.objects.filter(season=season)
        .order_by("order")
        .prefetch_related(
            Prefetch(
                "races",
                queryset=Race.objects.order_by(
                    "date", "gender", "distance", "number"
                ).prefetch_related(
                    Prefetch("results", queryset=Result.objects.select_related("nation"))
                ),
            )
        )
    )
    tables = StandingsTable.objects.filter(season=season).prefetch_related(
        Prefetch("entries", queryset=StandingsEntry.objects.select_related("nation"))
    )
    title_line = season.source_line or 1
    facts = ParsedSeason(
        path="",
        sha256="",
        text="",
        line_count=0,
        title=season.title,
        slug=season.slug,
        title_line=title_line,
        start=season.start,
        end=season.end,
        # The intro's dates are doubted at the intro's line, as at import.
        intro_line=season.intro_line or title_line,
    )
    for meet in meets:
        meet_line = meet.source_line or title_line
        parsed_meet = ParsedMeet(
            line=meet_line,
            slug=meet.slug,
            city=meet.city,
            order=meet.order,
            start=meet.start,
            end=meet.end,
        )
        for race in meet.races.all():
            parsed_race = ParsedRace(
                line=race.source_line or meet_line,
                gender=race.gender,
                distance=race.distance,
                number=race.number,
                date=race.date,
                record=race.record,
                results=[
                    ParsedResult(
                        race.source_line or meet_line,
                        result.place,
                        Competitor(nation=result.nation.code if result.nation else None),
                    )
                    for result in race.results.all()
                ],
            )
            parsed_meet.races.append(parsed_race)
        facts.meets.append(parsed_meet)
    for table in tables:
        table_line = table.source_line or title_line
        parsed_table = ParsedTable(
            line=table_line,
            gender=table.gender,
            distance=table.distance,
            events_held=table.events_held,
            events_total=table.events_total,
        )
        for entry in table.entries.all():
            parsed_table.entries.append(
                ParsedEntry(
                    line=entry.source_line or table_line,
                    row=entry.row,
                    position=entry.position,
                    competitor=Competitor(nation=entry.nation.code if entry.nation else None),
                    points=entry.points,
                )
            )
        facts.standings.append(parsed_table)
    return facts


def recheck(season: Season, user=None, change=None) -> tuple[int, int]:
    """Run the data checks on ``season``'s rows and settle its flags of those kinds; returns
    (opened, closed). ``change``: the editor's correction that triggered it, which a flag that
    closes records as its fix."""
    if season.source_id is None:
        return 0, 0  # flags point at source lines: a season an editor added has none
    facts = season_facts(season)
    check_data(facts)
    meets = {meet.slug: meet for meet in Meet.objects.filter(season=season)}
    races = {
        (race.meet.slug, (race.gender, race.distance, race.number)): race
        for race in Race.objects.filter(meet__season=season).select_related("meet")
    }
    tables = {(t.gender, t.distance): t for t in StandingsTable.objects.filter(season=season)}
    entries = {
        ((e.table.gender, e.table.distance), e.row): e
        for e in StandingsEntry.objects.filter(table__season=season).select_related("table")
    }
    wanted = {}
    # Two rows an editor added under one source line: one flag says both.
    for anomaly in merged_anomalies(facts.anomalies):
        target = anomaly.target
        key = (anomaly.line, anomaly.kind)
        wanted[key] = {
            "message": anomaly.message,
            "season": season,
            "meet": meets.get(target.meet),
            "race": races.get((target.meet, target.race)) if target.race else None,
            "table": tables.get(target.table) if target.table else None,
            "entry": entries.get((target.table, target.row)) if target.row else None,
        }
    opened = closed = 0
    now = timezone.now()
    with transaction.atomic():
        existing = {
            (flag.line, flag.kind): flag
            for flag in Flag.objects.filter(source_id=season.source_id, kind__in=DATA_KINDS)
        }
        for key, values in wanted.items():
            flag = existing.get(key)
            if flag is None:
                Flag.objects.create(source_id=season.source_id, line=key[0], kind=key[1], **values)
                opened += 1
            elif flag.is_fixed or not flag.is_resolved:
                reopened = flag.is_fixed
                if reopened:
                    flag.resolved_at = flag.resolved_by = flag.fixed_by = None
                    flag.resolution = ""
                    opened += 1
                if reopened or any(getattr(flag, k) != v for k, v in values.items()):
                    for name, value in values.items():
                        setattr(flag, name, value)
                    flag.save()
        for key, flag in existing.items():
            if key in wanted or flag.is_resolved or flag.season_id != season.pk:
                continue
            closed += 1
            if change is None:
                # An import that fixed it (the source changed): there is no change to link,
                # and the source page's history is the source itself.
                flag.delete()
                continue
            flag.resolved_at = now
            flag.resolved_by = user
            flag.fixed_by = change
            flag.resolution = f"Fixed by an editor's change to {change.record}" + (
                f" ({change.reason})" if change.reason else ""
            )
            flag.save()
    return opened, closed


# Doubts about when a race was held: a shared link (preview, card, calendar) says so.
DATE_KINDS = frozenset({FlagKind.RACE_OUTSIDE_SEASON, FlagKind.RACE_OUTSIDE_MEET})


def open_doubts(race):
    """The open flags of ``race``, prefetched (``Race.objects.with_flags()``)."""
    return [flag for flag in race.flags.all() if not flag.is_resolved]


def dates_in_doubt(races):
    """Whether an open flag doubts the date of any of ``races`` (with their flags)."""
    return any(flag.kind in DATE_KINDS for race in races for flag in open_doubts(race))
