"""Parse season articles (Wikipedia-style text) into plain data.

Pure: no database, no printing. :func:`read_source` turns a file into a :class:`ParsedSeason`
or raises :class:`SourceError` naming the file and line. Anything that parses but looks wrong
(a race dated outside its season, a repeated standings position, an inferred heading) becomes
an :class:`Anomaly`; the data itself is kept exactly as the source gives it.

The format, and the ways editors vary it, are described in :mod:`.grammar`.

What a reader would stop at is flagged too: a footnote mark on a result (in results tables it
often means "later disqualified"), a race dated outside the dates its meet heading states, a
meet the men's section lists and the women's does not (or the reverse).

This module walks the lines, section by section; the rest of the parser is shared out by role:
:mod:`.records` (what it gives: plain dataclasses), :mod:`.grammar` (the patterns and column names
it recognises), :mod:`.cells` (a table cell as a reader sees it), :mod:`.dates` (dates as editors
write them) and :mod:`.checks` (the whole season, once every line is read).
"""

import hashlib
import re
from pathlib import Path

from ..limits import MAX_SOURCE_BYTES, source_too_large
from ..vocabulary import RELAY_DISTANCES, Distance, FlagKind, Gender, readable_slug
from . import grammar
from .cells import (
    NATION_CODE,
    clean,
    column_name,
    has_footnote,
    parse_competitor,
    raw_cells,
    split_row,
)
from .checks import check_season
from .dates import parse_date, read_span
from .records import (
    Anomaly,
    Competitor,
    ParsedEntry,
    ParsedMeet,
    ParsedRace,
    ParsedResult,
    ParsedSeason,
    ParsedTable,
    SourceError,
    Target,
)


def read_source(path: str | Path) -> ParsedSeason:
    """Read and parse one season article."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(path.name, 0, f"cannot read the file ({error.strerror})") from error
    return parse_source(data, path.name)


def parse_source(data: bytes, name: str) -> ParsedSeason:
    """Decode a source's bytes and parse them; ``name`` is used in messages and provenance."""
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(name, 0, source_too_large(len(data)))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceError(name, line, "not valid UTF-8 text") from error
    if text.startswith("\ufeff"):
        text = text[1:]
    return _Parser(name, text, hashlib.sha256(data).hexdigest()).parse()


class _Parser:
    def __init__(self, path, text, sha256):
        self.path = path
        self.lines = text.splitlines()
        self.season = None
        self.sha256 = sha256
        self.text = text
        # Where we are: the level-2 section, the level-3 subsection, the meet (level 4).
        self.section = "intro"
        self.gender = None
        self.meet = None
        self.table = None  # the open wiki table: ("calendar", columns) or ("standings", columns)
        self.heading_for_next_table = None  # a standings heading waiting for its table
        self.skipping_table = False  # under a standings heading the archive does not model
        self.meets_by_key = {}
        self.city_count = {}
        self.meet_span = None  # (start, end) the current meet heading states, if readable
        self.meet_sections = {}  # meet slug → the calendar sections (genders) listing it
        self.footnoted = {}  # line → podium or standings cells that lost a footnote mark

    def error(self, line, message):
        return SourceError(self.path, line, message)

    def parse(self):
        first = next((i for i, line in enumerate(self.lines, 1) if line.strip()), None)
        if first is None:
            raise self.error(1, "the file is empty")
        self.parse_title(first, self.lines[first - 1])
        for number, raw in enumerate(self.lines[first:], first + 1):
            self.parse_line(number, raw.rstrip())
        self.finish()
        return self.season

    def parse_title(self, number, line):
        match = grammar.HEADING.match(line)
        if not match or len(match.group(1)) != 1 or len(match.group(3)) != 1:
            raise self.error(number, "no title: expected '= 2011–12 ISU … World Cup =' first")
        title = match.group(2)
        years = grammar.SEASON_YEARS.search(title)
        if not years:
            raise self.error(number, f"the title {title!r} names no season (e.g. 2011–12)")
        start_year, end_year = years.groups()
        slug = f"{start_year}-{end_year[-2:]}"
        self.season = ParsedSeason(
            path=self.path,
            sha256=self.sha256,
            text=self.text,
            line_count=len(self.lines),
            title=title,
            slug=slug,
            title_line=number,
        )

    # -- line dispatch ---------------------------------------------------------------------

    def parse_line(self, number, line):
        stripped = line.strip()
        if not stripped:
            # A stray blank line between two rows does not end the table for a reader; a
            # heading or a new header row does.
            return
        if grammar.HEADING.match(stripped):
            self.table = None
            self.skipping_table = False
            self.parse_heading(number, stripped)
            return
        if grammar.TABLE_MARKUP.match(stripped):
            # Leftover wiki markup (|-, |, |}) closes the table; it carries no data.
            self.table = None
            return
        handler = getattr(self, f"line_in_{self.section.replace('-', '_')}")
        handler(number, stripped)

    def parse_heading(self, number, line):
        match = grammar.HEADING.match(line)
        level = min(len(match.group(1)), len(match.group(3)))
        text = clean(match.group(2).strip("= "))
        if level == 1:
            raise self.error(number, "a second title: one season per file")
        if level == 2:
            self.gender = self.meet = None
            self.heading_for_next_table = None
            name = text.lower()
            if "calendar" in name or name == "schedule":
                self.section = "calendar"
            elif "standings" in name:
                self.section = "standings"
            elif name == "see also":
                self.section = "see-also"
            else:
                self.section = "skipped"
                self.season.anomalies.append(
                    Anomaly(number, FlagKind.SECTION_SKIPPED, f"section {text!r} was not imported")
                )
            return
        if self.section == "calendar":
            self.calendar_heading(number, level, text)
        elif (
            self.section == "standings" and level == 3 and grammar.UNMODELLED_STANDINGS.search(text)
        ):
            self.heading_for_next_table = None
            self.skipping_table = True
            self.season.anomalies.append(
                Anomaly(number, FlagKind.SECTION_SKIPPED, f"standings {text!r} were not imported")
            )
        elif self.section == "standings" and level == 3:
            self.heading_for_next_table = (number, self.standings_heading(number, text))
        elif self.section != "skipped":
            raise self.error(number, f"unexpected heading {text!r} in section {self.section}")

    # -- intro and infobox -----------------------------------------------------------------

    def line_in_intro(self, number, line):
        if line.lower() == "infobox":
            self.section = "infobox"
            return
        self.add_intro(number, line)

    def line_in_infobox(self, number, line):
        match = grammar.INFOBOX_ITEM.match(line)
        if match:
            self.season.infobox.append([match.group(1), match.group(2)])
            return
        self.section = "intro"
        self.add_intro(number, line)

    def add_intro(self, number, line):
        season = self.season
        if season.intro_line is None:
            season.intro_line = number
        season.intro = f"{season.intro}\n\n{line}" if season.intro else line
        for pattern, attribute in ((grammar.BEGAN, "start"), (grammar.ENDED, "end")):
            match = pattern.search(line)
            if match:
                setattr(season, attribute, parse_date(match.group(1), self.path, number))
        if season.start and season.end and season.start > season.end:
            raise self.error(number, "the intro's season ends before it begins")

    # -- calendar ---------------------------------------------------------------------------

    def calendar_heading(self, number, level, text):
        if level == 3:
            match = grammar.GENDER_HEADING.match(text)
            if match is None:
                raise self.error(number, f"unknown calendar section {text!r} (Men, Women, Mixed)")
            self.gender = grammar.GENDER_SECTIONS[match.group(1).lower()]
            self.meet = self.meet_span = None
            self.city_count = {}
        elif level == 4:
            dated = grammar.MEET_HEADING.match(text)
            city = dated.group(1) if dated else text
            if not city:
                raise self.error(number, "meet heading without a city")
            if self.gender is None:
                raise self.error(number, f"meet {text!r} is not under a Men or Women heading")
            self.meet = self.meet_for(number, city)
            self.meet_sections.setdefault(self.meet.slug, set()).add(self.gender)
            # The men's and women's headings of one meet may state different dates: each
            # race is checked against the heading it is listed under.
            self.meet_span = read_span(text[dated.end(1) :]) if dated else None
            if self.meet_span and self.meet.start is None:
                self.meet.start, self.meet.end = self.meet_span
        else:
            raise self.error(number, f"unexpected heading level {level} in the calendar")

    def meet_for(self, number, city):
        # The men's and women's sections list the same stops: the n-th "Nagoya" of one section is
        # the n-th "Nagoya" of the other. A second stop in one city gets "-2" on its slug. Cities
        # are matched by slug, so "Montréal" in one section is "Montreal" in the other (and two
        # meets never share a slug); the first spelling is kept.
        base = readable_slug(city, "meet")
        occurrence = self.city_count.get(base, 0) + 1
        self.city_count[base] = occurrence
        key = (base, occurrence)
        if key not in self.meets_by_key:
            slug = base if occurrence == 1 else f"{base}-{occurrence}"
            meet = ParsedMeet(line=number, slug=slug, city=city, order=len(self.season.meets) + 1)
            self.meets_by_key[key] = meet
            self.season.meets.append(meet)
        return self.meets_by_key[key]

    def line_in_calendar(self, number, line):
        if not line.startswith("|"):
            raise self.error(number, f"unexpected text in the calendar: {line[:60]!r}")
        cells = split_row(line)
        if cells and column_name(cells[0]) == "date":
            self.table = ("calendar", self.calendar_columns(number, cells))
            return
        if self.meet is None:
            raise self.error(number, "race row outside any meet (no '==== City ====' above it)")
        # Only the podium: a mark on the date or distance says nothing about a result.
        self.add_race(number, self.table_row(number, line, cells, "calendar", checked={1, 2, 3}))

    def calendar_columns(self, number, cells):
        columns = self.header_columns(number, cells, "calendar", grammar.CALENDAR_COLUMNS)
        missing = grammar.REQUIRED_CALENDAR_COLUMNS - set(columns)
        if missing:
            raise self.error(number, "the calendar header lacks Date, Distance or a podium column")
        return columns

    def add_race(self, number, row):
        distance, number_in_meet = self.parse_distance(number, row["distance"])
        race = ParsedRace(
            line=number,
            # A mixed relay listed under Men or Women is still the mixed relay.
            gender=Gender.MIXED if distance == Distance.MIXED_RELAY_2000 else self.gender,
            distance=distance,
            number=number_in_meet,
            date=parse_date(row["date"], self.path, number),
            record="",
            results=[],
        )
        for place in (1, 2, 3):
            competitor, marks = parse_competitor(row[place], self.path, number, allow_marks=True)
            if marks:
                race.record = race.record or marks[0]
            if competitor:
                race.results.append(ParsedResult(number, place, competitor))
        if any(other.key == race.key for other in self.meet.races):
            raise self.error(number, f"{row['distance']} listed twice for this meet")
        arena = row.get("arena", "")
        if arena:
            if self.meet.arena and arena != self.meet.arena:
                self.season.anomalies.append(
                    Anomaly(
                        number,
                        FlagKind.VENUE_DIFFERS,
                        f"venue {arena!r} differs from {self.meet.arena!r} earlier in this meet",
                        Target(meet=self.meet.slug, race=race.key),
                    )
                )
            self.meet.arena = self.meet.arena or arena
        if self.meet_span and not self.meet_span[0] <= race.date <= self.meet_span[1]:
            start, end = self.meet_span
            self.season.anomalies.append(
                Anomaly(
                    number,
                    FlagKind.RACE_OUTSIDE_MEET,
                    f"race dated {race.date:%-d %B %Y}, outside the dates its meet heading "
                    f"states ({start:%-d %B %Y} to {end:%-d %B %Y})",
                    Target(meet=self.meet.slug, race=race.key),
                )
            )
        self.meet.races.append(race)

    def header_columns(self, number, cells, kind, names, unique=False):
        """The columns a ``kind`` table's header row names, by ``names`` (the vocabulary of its
        header cells); with ``unique``, two cells may not name one column."""
        columns = []
        for cell in cells:
            column = names.get(column_name(cell))
            if column is None:
                raise self.error(number, f"unknown {kind} column {cell!r}")
            if unique and column in columns:
                raise self.error(number, f"two {kind} columns name the {column}")
            columns.append(column)
        return columns

    def table_row(self, number, line, cells, kind, checked=None):
        """A data row of the open ``kind`` table ("calendar" or "standings") as {column: cell},
        checked against its header; the cells of ``checked`` columns (default: all) that lose a
        footnote mark in cleaning are noted."""
        if self.table is None or self.table[0] != kind:
            row, header = grammar.TABLE_HEADERS[kind]
            raise self.error(number, f"{row} row without a '{header}' header")
        columns = self.table[1]
        if len(cells) != len(columns):
            raise self.error(
                number, f"row has {len(cells)} cells, the table header has {len(columns)}"
            )
        self.note_footnotes(number, columns, line, set(columns) if checked is None else checked)
        return dict(zip(columns, cells, strict=True))

    def note_footnotes(self, number, columns, line, checked):
        """Remember the cells of ``checked`` columns that lost a footnote mark in cleaning: in
        a results table a mark often means "later disqualified" or "result amended"."""
        cells = [
            cell
            for column, cell in zip(columns, raw_cells(line), strict=True)
            if column in checked and has_footnote(cell)
        ]
        if cells:
            self.footnoted[number] = cells

    def parse_distance(self, number, text):
        match = grammar.CALENDAR_DISTANCE.match(text)
        if not match:
            raise self.error(
                number, f"unknown distance {text!r} (e.g. 500m, 1500m (2), 5000m relay)"
            )
        metres = int(match.group(1).replace(",", ""))
        relay, race_number = bool(match.group(2)), match.group(3)
        if metres not in Distance.values or (metres in RELAY_DISTANCES) != relay:
            raise self.error(number, f"unknown distance {text!r}")
        if self.gender == Gender.MIXED and metres != Distance.MIXED_RELAY_2000:
            raise self.error(number, f"{text!r} is not a mixed event")
        return metres, int(race_number) if race_number else None

    # -- standings --------------------------------------------------------------------------

    def standings_heading(self, number, text):
        match = grammar.STANDINGS_HEADING.match(text)
        if not match:
            raise self.error(number, f"unknown standings heading {text!r} (e.g. Men's 500 metres)")
        gender = grammar.GENDER_SECTIONS[match.group(1).lower()]
        metres = int(match.group(2).replace(",", ""))
        relay = bool(match.group(3))
        if metres not in Distance.values or (metres in RELAY_DISTANCES) != relay:
            raise self.error(number, f"unknown standings distance in {text!r}")
        return gender, metres

    def line_in_standings(self, number, line):
        if self.skipping_table:
            return
        # The note may be bulleted without its "Note –": "- Standings are … best 6 out of 8 …".
        note = grammar.NOTE.match(line) or (
            grammar.BEST_OF.search(line) and grammar.LIST_ITEM.match(line)
        )
        if note:
            self.season.standings_note = note.group(1)
            self.season.note_line = number
            best = grammar.BEST_OF.search(note.group(1))
            if best:
                self.season.counted_results, self.season.counted_of = map(
                    grammar.count, best.groups()
                )
            return
        after = grammar.AFTER.match(clean(line))
        if after:
            held, total = map(int, after.groups())
            if held > total:
                raise self.error(number, f"'after {held} of {total} events' counts too many")
            if self.heading_for_next_table is None:
                raise self.error(number, "'After N of M events' with no standings heading above")
            self.heading_for_next_table = (*self.heading_for_next_table[:2], held, total)
            return
        if not line.startswith("|"):
            raise self.error(number, f"unexpected text in the standings: {line[:60]!r}")
        cells = split_row(line)
        if cells and grammar.STANDINGS_COLUMNS.get(column_name(cells[0])) == "position":
            self.start_table(number, cells)
            return
        self.add_entry(number, self.table_row(number, line, cells, "standings"))

    def start_table(self, number, cells):
        columns = self.header_columns(
            number, cells, "standings", grammar.STANDINGS_COLUMNS, unique=True
        )
        # "| Pos | Athlete | Points |" or, with the nation apart, "| Rank | Name | Nation | Pts |".
        if not {"position", "points"} <= set(columns) or set(columns).isdisjoint(
            {"athlete", "nation"}
        ):
            raise self.error(number, "the standings header needs Pos, Athlete and Points")
        pending = self.heading_for_next_table
        self.heading_for_next_table = None
        if pending is None:
            table = ParsedTable(line=number, gender=None, distance=None)
        else:
            heading_line, (gender, distance), *events = pending
            table = ParsedTable(line=heading_line, gender=gender, distance=distance)
            if events:
                table.events_held, table.events_total = events
        self.season.standings.append(table)
        self.table = ("standings", columns)

    def add_entry(self, number, row):
        table = self.season.standings[-1]
        position = grammar.POSITION.match(row["position"])
        if not position:
            raise self.error(number, f"position {row['position']!r} is not a number")
        points = row["points"]
        if not grammar.POINTS.match(points):
            raise self.error(number, f"points {points!r} is not a number")
        table.entries.append(
            ParsedEntry(
                line=number,
                row=len(table.entries) + 1,
                position=int(position.group(1)),
                competitor=self.standings_competitor(number, row),
                points=int(re.sub(r"[, ]", "", points)),
            )
        )

    def standings_competitor(self, number, row):
        """Who a standings row names, from an Athlete cell, a Nation cell, or both."""
        competitor, _ = parse_competitor(row.get("athlete", ""), self.path, number)
        competitor = competitor or Competitor()
        nation = row.get("nation", "")
        if not nation:
            return competitor
        if not NATION_CODE.match(nation):
            raise self.error(number, f"nation {nation!r} is not an IOC code (e.g. CAN)")
        if competitor.nation and competitor.nation != nation:
            raise self.error(number, f"the row names two nations, {competitor.nation} and {nation}")
        return Competitor(competitor.athlete, nation)

    # -- see also and skipped sections ------------------------------------------------------

    def line_in_see_also(self, number, line):
        match = grammar.LIST_ITEM.match(line)
        if not match:
            raise self.error(number, f"unexpected text in See also: {line[:60]!r}")
        self.season.see_also.append(match.group(1))

    def line_in_skipped(self, number, line):
        """A section the archive does not model; its heading was flagged."""

    # -- after the last line ------------------------------------------------------------------

    # -- after the last line ------------------------------------------------------------------

    def finish(self):
        check_season(self.season, self.meet_sections, self.footnoted)
