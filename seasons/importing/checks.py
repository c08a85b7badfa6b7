"""After the last line: what the whole season article must hold, and what a reader would stop
at in it.

A season needs meets with races and one standings table per event; a table printed without a
heading is taken as the one the published order puts there. What parses but looks wrong (a race
outside its season, a repeated standings position, a nation code the archive does not know, a
footnote mark cut from a result) becomes an :class:`Anomaly`; the data stays as the source gives
it. Pure, like the parser: no database, no printing.
"""

from datetime import date, timedelta

from django_countries.ioc_data import IOC_TO_ISO

from ..vocabulary import Distance, FlagKind, Gender, event_title
from .cells import quoted
from .records import Anomaly, ParsedSeason, SourceError, Target


def check_season(
    season: ParsedSeason, meet_sections: dict[str, set[str]], footnoted: dict[int, list[str]]
) -> None:
    """Complete and check ``season`` once every line is read: raise a :class:`SourceError` for
    what cannot be imported, add an :class:`Anomaly` for what a reader would stop at.
    ``meet_sections``: meet slug → the calendar sections (genders) listing it; ``footnoted``:
    line → the podium or standings cells that lost a footnote mark."""
    if not season.meets:
        raise SourceError(season.path, season.title_line, "no calendar: the file lists no meets")
    for meet in season.meets:
        if not meet.races:
            raise SourceError(season.path, meet.line, f"meet {meet.city!r} lists no races")
    infer_headings(season)
    check_data(season)
    check_meet_sections(season, meet_sections)
    check_footnotes(season, footnoted)
    # A flag is identified by file, line and kind; the checks above never repeat a pair.
    keys = [(anomaly.line, anomaly.kind) for anomaly in season.anomalies]
    assert len(keys) == len(set(keys)), "two anomalies of one kind on one line"


# The checks of what the data says (not of how the source is written): run on the parsed
# source at import, and again on the archive's rows after every edit (seasons.doubts), with one
# definition for both. The flags of these kinds close themselves when their cause is gone.
DATA_KINDS = frozenset(
    {
        FlagKind.RACE_OUTSIDE_SEASON,
        FlagKind.INTRO_START,
        FlagKind.INTRO_END,
        FlagKind.RACE_OUTSIDE_MEET,
        FlagKind.POSITION_REPEATED,
        FlagKind.POSITION_ORDER,
        FlagKind.POINTS_ORDER,
        FlagKind.EVENT_COUNT,
        FlagKind.NATION_UNKNOWN,
    }
)


def check_data(season: ParsedSeason) -> None:
    """Add an anomaly for each doubt about what ``season`` says: dates, standings order, event
    counts, nation codes. ``season`` is a parsed source or the archive's rows in the same form."""
    if not season.races:
        return
    check_dates(season)
    check_meet_dates(season)
    check_tables(season)
    check_nations(season)


def check_meet_dates(season: ParsedSeason) -> None:
    """A race dated outside the dates its meet's heading states."""
    for meet in season.meets:
        for race in meet.races:
            start, end = race.heading_span or (meet.start, meet.end)
            if start is None or end is None:
                continue
            if not start <= race.date <= end:
                season.anomalies.append(
                    Anomaly(
                        race.line,
                        FlagKind.RACE_OUTSIDE_MEET,
                        f"race dated {race.date:%-d %B %Y}, outside the dates its meet heading "
                        f"states ({span_text(start, end)})",
                        Target(meet=meet.slug, race=race.key),
                    )
                )


def expected_order(distances: list[int]) -> list[tuple[str, int]]:
    """The order the standings tables are published in: by distance, men before women."""
    genders = [Gender.MEN, Gender.WOMEN, Gender.MIXED]
    return [(gender, distance) for distance in distances for gender in genders]


def infer_headings(season: ParsedSeason) -> None:
    tables = season.standings
    seen = {table.key for table in tables if table.gender is not None}
    order = expected_order(Distance.values)
    for index, table in enumerate(tables):
        if table.gender is not None:
            if [t.key for t in tables].count(table.key) > 1:
                raise SourceError(
                    season.path, table.line, f"a second standings table for {table.key}"
                )
            continue
        # A table printed without a heading is the one the published order puts here:
        # just before the next headed table (or just after the previous one).
        guess = None
        later = next((t for t in tables[index + 1 :] if t.gender is not None), None)
        earlier = next((t for t in reversed(tables[:index]) if t.gender is not None), None)
        candidates = [key for key in order if key not in seen and is_raced(season, key)]
        if later is not None:
            before = [key for key in candidates if order.index(key) < order.index(later.key)]
            guess = before[-1] if before else None
        elif earlier is not None:
            after = [key for key in candidates if order.index(key) > order.index(earlier.key)]
            guess = after[0] if after else None
        if guess is None:
            raise SourceError(
                season.path, table.line, "standings table without a heading, and none fits"
            )
        table.gender, table.distance = guess
        table.heading_inferred = True
        seen.add(guess)
        title = event_title(guess[0], Distance(guess[1]).label)
        season.anomalies.append(
            Anomaly(
                table.line,
                FlagKind.HEADING_INFERRED,
                f"standings table has no heading; taken as {title} "
                "from the order of the other tables",
                Target(table=guess),
            )
        )


def is_raced(season: ParsedSeason, key: tuple[str, int]) -> bool:
    gender, distance = key
    return any(race.gender == gender and race.distance == distance for race in season.races)


# Race rows give the day of the final; the heats may be up to two days before it.
HEATS_BEFORE_FINAL = timedelta(days=2)


def season_window(season: ParsedSeason, first: bool) -> tuple[date, date, str]:
    """The days the season's first (or last) competition day may fall on, and how the source
    gives them: the first (last) meet heading's dates when it states them, else the first
    (last) final and up to two days of heats before it."""
    meets = [meet for meet in season.meets if meet.races]
    meet = (
        min(meets, key=lambda m: min(r.date for r in m.races))
        if first
        else max(meets, key=lambda m: max(r.date for r in m.races))
    )
    if meet.start and meet.end:
        return (
            meet.start,
            meet.end,
            f"{meet.city}'s heading gives {span_text(meet.start, meet.end)}",
        )
    final = min(r.date for r in meet.races) if first else max(r.date for r in meet.races)
    return (
        final - HEATS_BEFORE_FINAL,
        final,
        f"the {'first' if first else 'last'} final is dated {final:%-d %B %Y}"
        + (" (heats up to two days before)" if first else ""),
    )


def span_text(start: date, end: date) -> str:
    return f"{start:%-d %B %Y} to {end:%-d %B %Y}"


def check_dates(season: ParsedSeason) -> None:
    """The intro's start and end against the competition days the calendar gives: a season
    that begins a day before its first final (the heats) raises nothing."""
    line = season.intro_line
    for attribute, kind, said, first in (
        ("start", FlagKind.INTRO_START, "began", True),
        ("end", FlagKind.INTRO_END, "ended", False),
    ):
        day = getattr(season, attribute)
        if day is None:
            continue
        earliest, latest, given = season_window(season, first)
        if not earliest <= day <= latest:
            season.anomalies.append(
                Anomaly(line, kind, f"the intro says the season {said} on {day:%-d %B %Y}; {given}")
            )
    if season.start and season.end:
        for meet in season.meets:
            for race in meet.races:
                if not season.start <= race.date <= season.end:
                    season.anomalies.append(
                        Anomaly(
                            race.line,
                            FlagKind.RACE_OUTSIDE_SEASON,
                            f"race dated {race.date:%-d %B %Y}, outside the season "
                            f"({season.start:%-d %B %Y} to {season.end:%-d %B %Y})",
                            Target(meet=meet.slug, race=race.key),
                        )
                    )


def check_nations(season: ParsedSeason) -> None:
    """Flag, once per line, nation codes that are not IOC codes the archive knows."""
    rows = [
        (race.line, Target(meet=meet.slug, race=race.key), race.results)
        for meet in season.meets
        for race in meet.races
    ] + [
        (entry.line, Target(table=table.key, row=entry.row), [entry])
        for table in season.standings
        for entry in table.entries
    ]
    for line, target, cells in rows:
        codes = sorted(
            {
                cell.competitor.nation
                for cell in cells
                if cell.competitor.nation and cell.competitor.nation not in IOC_TO_ISO
            }
        )
        if codes:
            named = ", ".join(codes)
            season.anomalies.append(
                Anomaly(
                    line,
                    FlagKind.NATION_UNKNOWN,
                    f"{named}: not {'an IOC code' if len(codes) == 1 else 'IOC codes'} the "
                    "archive knows (kept as written, without a country)",
                    target,
                )
            )


def check_meet_sections(season: ParsedSeason, meet_sections: dict[str, set[str]]) -> None:
    """Flag a meet the men's section lists and the women's does not (or the reverse): the
    World Cup holds both at every stop, so the source likely left one out. Mixed relays
    are not held at every stop; a season with one gender section is not in doubt."""
    genders = (Gender.MEN, Gender.WOMEN)
    listed_anywhere = set().union(*meet_sections.values())
    if not set(genders) <= listed_anywhere:
        return
    for meet in season.meets:
        listed = [gender for gender in genders if gender in meet_sections[meet.slug]]
        if len(listed) != 1:
            continue
        (present,) = listed
        (missing,) = (gender for gender in genders if gender != present)
        season.anomalies.append(
            Anomaly(
                meet.line,
                FlagKind.MEET_ONE_GENDER,
                f"{meet.city} is listed under {Gender(present).label} but not under "
                f"{Gender(missing).label}; the source may have left it out",
                Target(meet=meet.slug),
            )
        )


def check_footnotes(season: ParsedSeason, footnoted: dict[int, list[str]]) -> None:
    """Flag, once per row, the podium or standings cells a footnote mark was cut from."""
    rows = [
        (race.line, "podium", Target(meet=meet.slug, race=race.key))
        for meet in season.meets
        for race in meet.races
    ] + [
        (entry.line, "standings", Target(table=table.key, row=entry.row))
        for table in season.standings
        for entry in table.entries
    ]
    for line, where, target in rows:
        cells = footnoted.get(line)
        if cells:
            plural = "s" if len(cells) > 1 else ""
            season.anomalies.append(
                Anomaly(
                    line,
                    FlagKind.FOOTNOTE_REMOVED,
                    f"a footnote mark was removed from the {where} cell{plural} "
                    f"{quoted(cells)}; check the source's note",
                    target,
                )
            )


def check_tables(season: ParsedSeason) -> None:
    for table in season.standings:
        target = Target(table=table.key)
        raced = sum(1 for race in season.races if (race.gender, race.distance) == table.key)
        if table.events_total is not None and table.events_total != raced:
            season.anomalies.append(
                Anomaly(
                    table.line,
                    FlagKind.EVENT_COUNT,
                    f"the standings count {table.events_total} events; the calendar lists {raced}",
                    target,
                )
            )
        previous = None
        for entry in table.entries:
            entry_target = Target(table=table.key, row=entry.row)
            if previous is not None:
                if entry.position == previous.position and entry.points != previous.points:
                    season.anomalies.append(
                        Anomaly(
                            entry.line,
                            FlagKind.POSITION_REPEATED,
                            f"position {entry.position} is given twice, with different "
                            f"points ({previous.points} and {entry.points})",
                            entry_target,
                        )
                    )
                elif entry.position < previous.position:
                    season.anomalies.append(
                        Anomaly(
                            entry.line,
                            FlagKind.POSITION_ORDER,
                            f"position {entry.position} is listed after "
                            f"position {previous.position}",
                            entry_target,
                        )
                    )
                if entry.points > previous.points:
                    season.anomalies.append(
                        Anomaly(
                            entry.line,
                            FlagKind.POINTS_ORDER,
                            f"{entry.points} points is more than the {previous.points} "
                            f"of the row above",
                            entry_target,
                        )
                    )
            previous = entry
