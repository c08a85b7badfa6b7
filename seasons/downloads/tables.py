"""The archive's tables as rows of plain values, one table per kind of record the public pages
show: what the download writes as CSV and into its SQLite file.

Rows name other rows by their readable keys (season slug, meet slug, race key, IOC code, athlete
slug), never by database ids, so a table reads on its own and joins to the others on those keys.
Unknown is ``None`` (an empty CSV cell, an SQL NULL). Each table is one query, whatever the size
of the archive; rows come in a fixed order, so the same archive gives the same files.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..models import (
    Athlete,
    AthleteAlias,
    Correction,
    Flag,
    Meet,
    Nation,
    Race,
    Result,
    ScoringRule,
    Season,
    SourceFile,
    StandingsEntry,
    StandingsTable,
    Venue,
    competitor_nation,
)

Row = tuple[Any, ...]
# Rows read from the database at a time: a full archive's results stay out of memory.
CHUNK = 2000


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[str, ...]
    rows: Callable[[], Iterable[Row]]
    # The model whose every row the table holds: the tests count both.
    model: type

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"


def text(value: str) -> str | None:
    """A text field the source may leave out: empty is unknown."""
    return value or None


def code(nation) -> str | None:
    return nation.code if nation is not None else None


def day(value) -> str | None:
    return value.isoformat() if value else None


def source_of(row) -> tuple[str | None, int | None]:
    """``(file, line)`` an imported row was read from; ``(None, None)`` for an editor's row."""
    if row.source_id is None:
        return None, None
    return row.source.name, row.source_line


def stream(queryset):
    return queryset.iterator(chunk_size=CHUNK)


def season_rows():
    for season in stream(Season.objects.with_source().order_by("slug")):
        yield (
            season.slug,
            season.title,
            day(season.start),
            day(season.end),
            season.counted_results,
            season.counted_of,
            text(season.standings_note),
            text(season.intro),
            *source_of(season),
            season.get_absolute_url(),
        )


def nation_rows():
    for nation in stream(Nation.objects.order_by("code")):
        yield (nation.code, text(nation.country.code), nation.name, nation.get_absolute_url())


def athlete_rows():
    for athlete in stream(Athlete.objects.select_related("nation").order_by("slug")):
        yield (
            athlete.slug,
            athlete.name,
            text(athlete.native_name),
            code(athlete.nation),
            athlete.get_absolute_url(),
        )


def alias_rows():
    aliases = AthleteAlias.objects.select_related("athlete", "source").defer("source__text")
    for alias in stream(aliases.order_by("athlete__slug", "name", "pk")):
        yield (alias.athlete.slug, alias.name, alias.source.name if alias.source_id else None)


def venue_rows():
    venues = Venue.objects.select_related("source").defer("source__text")
    for venue in stream(venues.order_by("slug")):
        yield (
            venue.slug,
            str(venue),
            venue.city,
            text(venue.arena),
            text(venue.country.code),
            *source_of(venue),
            venue.get_absolute_url(),
        )


def meet_rows():
    meets = Meet.objects.with_source().select_related("season", "venue").with_dates()
    for meet in stream(meets.order_by("season__slug", "order")):
        yield (
            meet.season.slug,
            meet.slug,
            meet.order,
            meet.city,
            meet.venue.slug,
            day(meet.start),
            day(meet.end),
            day(meet.starts),
            day(meet.ends),
            *source_of(meet),
            meet.get_absolute_url(),
        )


def race_rows():
    races = Race.objects.with_source().select_related("meet__season")
    order = ("meet__season__slug", "meet__order", "date", "gender", "distance", "number", "pk")
    for race in stream(races.order_by(*order)):
        yield (
            race.meet.season.slug,
            race.meet.slug,
            race.anchor,
            race.gender,
            race.distance,
            race.number,
            race.is_relay,
            race.title,
            day(race.date),
            text(race.record),
            *source_of(race),
            race.get_absolute_url(),
        )


def result_rows():
    results = Result.objects.with_source().select_related(
        "race__meet__season", "athlete__nation", "nation"
    )
    for result in stream(results.order_by(*IN_SEASON_ORDER, "tie", "pk")):
        race, athlete = result.race, result.athlete
        yield (
            race.meet.season.slug,
            race.meet.slug,
            race.anchor,
            result.place,
            result.tie,
            athlete.slug if athlete else None,
            athlete.name if athlete else None,
            text(athlete.native_name) if athlete else None,
            code(result.nation),
            code(competitor_nation(result)),
            text(result.time),
            *source_of(result),
        )


# Results in the order of the pages, a dead heat's results by ``tie``.
IN_SEASON_ORDER = (
    "race__meet__season__slug",
    "race__meet__order",
    "race__date",
    "race__gender",
    "race__distance",
    "race__number",
    "place",
)


def standings_table_rows():
    tables = StandingsTable.objects.with_source().select_related("season")
    for table in stream(tables.order_by("season__slug", "distance", "gender")):
        yield (
            table.season.slug,
            table.anchor,
            table.gender,
            table.distance,
            table.is_relay,
            table.title,
            table.events_held,
            table.events_total,
            table.heading_inferred,
            *source_of(table),
            table.get_absolute_url(),
        )


def standings_entry_rows():
    entries = StandingsEntry.objects.with_table().in_season_order()
    for entry in stream(entries):
        athlete = entry.athlete
        yield (
            entry.table.season.slug,
            entry.table.anchor,
            entry.row,
            entry.position,
            athlete.slug if athlete else None,
            athlete.name if athlete else None,
            code(entry.nation),
            code(competitor_nation(entry)),
            entry.points,
            *source_of(entry),
        )


def scoring_rule_rows():
    for rule in stream(ScoringRule.objects.select_related("season").order_by("season__slug")):
        yield (
            rule.season.slug,
            " ".join(str(points) for points in rule.points_per_place),
            rule.individual_counted,
            rule.individual_events,
            rule.relay_counted,
            rule.relay_events,
            text(rule.basis),
        )


def flag_status(flag) -> str:
    if not flag.is_resolved:
        return "open"
    return "fixed" if flag.is_fixed else "resolved"


def flag_rows():
    flags = Flag.objects.with_targets().defer("source__text").select_related("entry")
    for flag in stream(flags.order_by("source__name", "line", "kind")):
        yield (
            flag.source.name,
            flag.line,
            flag.kind,
            flag.get_kind_display(),
            flag.message,
            flag.season.slug,
            flag.meet.slug if flag.meet_id else None,
            flag.race.anchor if flag.race_id else None,
            flag.table.anchor if flag.table_id else None,
            flag.entry.row if flag.entry_id else None,
            flag_status(flag),
            flag.resolved_at.isoformat() if flag.resolved_at else None,
            text(flag.resolution),
            flag.source_url,
        )


def member_name(name: str) -> str:
    """A file name as one member of the folder: no path of its own that unzipping would follow
    out of the folder."""
    return name.replace("/", "_").replace("\\", "_").lstrip(".") or "unnamed"


def source_rows():
    files = SourceFile.objects.defer("text").order_by("name")
    for source in stream(files):
        yield (
            source.name,
            source.sha256,
            source.line_count,
            source.imported_at.isoformat() if source.imported_at else None,
            f"sources/{member_name(source.name)}",
            source.get_absolute_url(),
        )


def correction_rows():
    for correction in stream(Correction.objects.order_by("when", "id")):
        yield (
            correction.when.isoformat(),
            correction.kind,
            correction.record,
            correction.action,
            "; ".join(map(str, correction.field_changes)) or None,
            correction.who,
            text(correction.reason),
            text(correction.url),
        )


SOURCE = ("source_file", "source_line")

TABLES = [
    Table(
        "seasons",
        "One row per season: its stated span, the standings note's 'best N out of M'.",
        (
            *("slug", "title", "start", "end", "counted_results", "counted_of"),
            *("standings_note", "intro", *SOURCE, "url"),
        ),
        season_rows,
        Season,
    ),
    Table(
        "nations",
        "Nations by IOC code, with the ISO country where there is one.",
        ("code", "country", "name", "url"),
        nation_rows,
        Nation,
    ),
    Table(
        "athletes",
        "One row per person; native_name is the name in the athlete's own script.",
        ("slug", "name", "native_name", "nation", "url"),
        athlete_rows,
        Athlete,
    ),
    Table(
        "athlete_aliases",
        "Other ways the sources and editors write an athlete's name.",
        ("athlete", "name", "source_file"),
        alias_rows,
        AthleteAlias,
    ),
    Table(
        "venues",
        "Where meets were held; an empty arena is a venue the source names only by its city.",
        ("slug", "name", "city", "arena", "country", *SOURCE, "url"),
        venue_rows,
        Venue,
    ),
    Table(
        "meets",
        "World Cup stops: start and end as the source's heading states them, first_race and "
        "last_race from the races' dates.",
        (
            *("season", "slug", "order", "city", "venue", "start", "end"),
            *("first_race", "last_race", *SOURCE, "url"),
        ),
        meet_rows,
        Meet,
    ),
    Table(
        "races",
        "Every race; key is the race's name within its meet (men-500m-1).",
        (
            *("season", "meet", "key", "gender", "distance", "number", "is_relay", "title"),
            *("date", "record", *SOURCE, "url"),
        ),
        race_rows,
        Race,
    ),
    Table(
        "results",
        "Every known result: (season, meet, race) is a row of races; a dead heat is two rows "
        "at one place, told apart by tie. nation is the row's own, counts_for the nation its "
        "medal counts for (its own, else its athlete's).",
        (
            *("season", "meet", "race", "place", "tie", "athlete", "athlete_name"),
            *("athlete_native_name", "nation", "counts_for", "time", *SOURCE),
        ),
        result_rows,
        Result,
    ),
    Table(
        "standings_tables",
        "The published World Cup standings tables, one per season, gender and distance.",
        (
            *("season", "key", "gender", "distance", "is_relay", "title", "events_held"),
            *("events_total", "heading_inferred", *SOURCE, "url"),
        ),
        standings_table_rows,
        StandingsTable,
    ),
    Table(
        "standings_entries",
        "Standings rows as published: row keeps the published order, position as printed.",
        (
            *("season", "table", "row", "position", "athlete", "athlete_name", "nation"),
            *("counts_for", "points", *SOURCE),
        ),
        standings_entry_rows,
        StandingsEntry,
    ),
    Table(
        "scoring_rules",
        "How each season's standings are scored: points for 1st, 2nd, 3rd … (space-separated) "
        "and the best N of M results counted.",
        (
            *("season", "points_per_place", "individual_counted", "individual_events"),
            *("relay_counted", "relay_events", "basis"),
        ),
        scoring_rule_rows,
        ScoringRule,
    ),
    Table(
        "flags",
        "Doubts about the sources, on the line they concern: open, resolved by an editor (with "
        "the resolution), or fixed by a later correction.",
        (
            *("source_file", "line", "kind", "label", "message", "season", "meet", "race"),
            *("standings_table", "standings_row", "status", "resolved_at", "resolution", "url"),
        ),
        flag_rows,
        Flag,
    ),
    Table(
        "sources",
        "The season articles the archive was imported from; each file's text is in sources/.",
        ("name", "sha256", "line_count", "imported_at", "file", "url"),
        source_rows,
        SourceFile,
    ),
    Table(
        "corrections",
        "Editors' corrections, oldest first, as /changes/ lists them.",
        ("when", "kind", "record", "action", "changes", "who", "reason", "url"),
        correction_rows,
        Correction,
    ),
]
