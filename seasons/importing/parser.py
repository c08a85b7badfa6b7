"""Parse season articles (Wikipedia-style text) into plain data.

Pure: no database, no printing. :func:`read_source` turns a file into a :class:`ParsedSeason`
or raises :class:`SourceError` naming the file and line. Anything that parses but looks wrong
(a race dated outside its season, a repeated standings position, an inferred heading) becomes
an :class:`Anomaly`; the data itself is kept exactly as the source gives it.

Articles are written by many hands, so the parser reads what a reader reads and refuses only
where going on would lose a fact: a row it cannot read, a column named twice, a row cut short.
Prose, captions, comments and sections it does not model are skipped with a flag that says
what was skipped. The format and its accepted variations are in docs/FORMAT.md.

This module walks the lines, section by section; the rest of the parser is shared out by role:
:mod:`.lines` (the lines a reader sees), :mod:`.tables` (rows of either table form),
:mod:`.cells` and :mod:`.competitors` (a cell as a reader sees it), :mod:`.grammar` (patterns and
column names), :mod:`.dates`, :mod:`.records` (what it gives) and :mod:`.checks` (the whole
season, once every line is read).
"""

import hashlib
from pathlib import Path

from ..limits import MAX_SOURCE_BYTES, source_too_large
from ..vocabulary import FlagKind
from . import grammar
from .calendar_reader import CalendarReader
from .cells import cell_text, column_name, has_footnote, short
from .checks import check_season
from .intro_reader import IntroReader
from .lines import readable_lines
from .records import Anomaly, ParsedSeason, SourceError, Target, merged_anomalies
from .standings_reader import StandingsReader
from .tables import Row, read_wiki_table, split_text_row


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
    if len(name) > grammar.LONGEST_FILE_NAME:
        raise SourceError(name[:60] + "…", 0, "a file name over 200 characters")
    if text.startswith("\ufeff"):
        text = text[1:]
    return _Parser(name, text, hashlib.sha256(data).hexdigest()).parse()


class _Parser(IntroReader, CalendarReader, StandingsReader):
    def __init__(self, path, text, sha256):
        self.path = path
        self.lines, self.comments = readable_lines(path, text)
        self.season = None
        self.sha256 = sha256
        # Kept to quote lines on the source page; PostgreSQL cannot store a NUL byte.
        self.text = text.replace("\x00", "\ufffd")
        # Where we are: the level-2 section, and the subsection heading not understood (rows
        # under it are refused: they would be lost).
        self.section = "intro"
        self.unknown_heading = None
        self.table = None  # the open table: ("calendar" | "standings", columns)
        self.layout = []  # the closing lines of the layout tables we are in
        self.footnoted = {}  # line → podium or standings cells that lost a footnote mark
        CalendarReader.__init__(self)
        StandingsReader.__init__(self)

    def error(self, line, message):
        return SourceError(self.path, line, message)

    def flag(self, line, kind, message, target=None):
        """Raise an anomaly; a second one of the same kind on the same line joins the first
        when the parse ends (:func:`.records.merged_anomalies`: a flag is identified by file,
        line and kind)."""
        self.season.anomalies.append(Anomaly(line, kind, message, target or Target()))

    def skipped(self, line, what):
        self.flag(line, FlagKind.TEXT_SKIPPED, f"{what} was not imported")

    def parse(self):
        first = next((i for i, line in enumerate(self.lines, 1) if line.strip()), None)
        if first is None:
            raise self.error(1, "the file is empty")
        # The bundled form opens with "= 2011–12 … =", Wikipedia's own article with its
        # infobox and intro, which name the season.
        number = self.parse_title(first)
        while number <= len(self.lines):
            number = self.parse_from(number)
        for line, comment in self.comments:
            if line > first:
                self.skipped(line, f"the comment {short(comment)!r}")
        self.finish()
        return self.season

    # -- line dispatch ---------------------------------------------------------------------

    def parse_from(self, number):
        """Read the line at ``number`` (a MediaWiki table: through its closing line); the
        number of the next line to read."""
        line = self.lines[number - 1].strip()
        if self.layout and number == self.layout[-1]:
            self.layout.pop()  # the closing "|}" of a layout table
            return number + 1
        if line.startswith("{|"):
            end = self.table_end(number)
            if self.is_layout(number, end):
                # A table that lays out headings and tables side by side (Wikipedia's
                # standings): its own markup is skipped, what its cells hold is read.
                self.layout.append(end)
                return number + 1
            self.wiki_table(number, self.lines[number - 1 : end])
            return end + 1
        if self.layout and line[:1] in ("|", "!"):
            return number + 1  # a layout table's row or cell markup
        if line.startswith("{{") and self.section in ("intro", "infobox"):
            end = self.template_end(number)
            self.intro_template(number, self.lines[number - 1 : end])
            return end + 1
        self.parse_line(number, line)
        return number + 1

    def is_layout(self, number, end):
        return any(
            line.strip().startswith("{|") or grammar.HEADING.match(line.strip())
            for line in self.lines[number : end - 1]
        )

    def table_end(self, number):
        depth = 0
        for end in range(number, len(self.lines) + 1):
            line = self.lines[end - 1].strip()
            depth += line.startswith("{|") - line.startswith("|}")
            if depth == 0:
                return end
        raise self.error(number, "a table opened with '{|' is never closed with '|}'")

    def parse_line(self, number, line):
        if not line:
            # A stray blank line between two rows does not end the table for a reader; a
            # heading or a new header row does.
            return
        if grammar.HEADING.match(line):
            self.table = None
            self.parse_heading(number, line)
            return
        if grammar.TABLE_MARKUP.match(line):
            # Leftover wiki markup (|-, |, |}) closes the table; it carries no data.
            self.table = None
            return
        if line.startswith("|+"):
            self.caption(number, cell_text(line[2:]))
            return
        if line.startswith("|"):
            cells, closed = split_text_row(line)
            self.row(Row(number, cells, closed=closed))
            return
        self.text_line(number, line)

    def wiki_table(self, number, lines):
        table = read_wiki_table(self.path, lines, number)
        self.table = None
        if self.section in ("calendar", "standings") and self.unknown_heading is None:
            if table.caption:
                self.caption(number, cell_text(table.caption))
            for row in table.rows:
                self.row(row)
        elif table.rows:
            self.skipped(number, "a table outside the calendar and the standings")
        self.table = None

    def row(self, row):
        if self.section not in ("calendar", "standings"):
            where = {"intro": "the intro", "infobox": "the infobox"}.get(self.section)
            if where:
                raise self.error(row.line, f"a table row in {where}, before any section")
            self.skipped(row.line, "a table row outside the calendar and the standings")
            return
        if self.unknown_heading is not None:
            # The heading is what is wrong: the table under it cannot be placed.
            line, text, example = self.unknown_heading
            raise self.error(
                line,
                f"heading {text!r} is not understood (e.g. {example}), and a table follows it",
            )
        if not row.closed and row.line == len(self.lines):
            raise self.error(row.line, "the last row is cut short (no closing '|'): truncated?")
        getattr(self, f"{self.section}_row")(row)

    def caption(self, number, text):
        if self.section == "standings" and not self.skipping_table:
            self.standings_caption(number, text)
        elif self.section == "calendar":
            self.skipped(number, f"the caption {short(text)!r}")

    def text_line(self, number, line):
        if self.unknown_heading is not None:
            return  # under a heading not understood, flagged with what follows it
        getattr(self, f"line_in_{self.section.replace('-', '_')}")(number, line)

    def parse_heading(self, number, line):
        match = grammar.HEADING.match(line)
        level = min(len(match.group(1)), len(match.group(3)))
        text = cell_text(match.group(2).strip("= "))
        if level == 1:
            raise self.error(number, "a second title: one season per file")
        self.unknown_heading = None
        if level == 2:
            self.enter_section(number, text)
            return
        if self.section == "calendar":
            self.calendar_heading(number, level, text)
        elif self.section == "standings":
            self.standings_heading_line(number, level, text)
        elif self.section in ("intro", "infobox"):
            raise self.error(number, f"the heading {text!r} comes before any section")

    def enter_section(self, number, text):
        self.end_calendar_section()
        self.end_standings_section()
        name = text.lower()
        if "calendar" in name or name == "schedule" or name in grammar.CALENDAR_SECTIONS:
            self.section = "calendar"
        elif any(word in name for word in grammar.STANDINGS_SECTIONS):
            self.section = "standings"
        elif name == "see also":
            self.section = "see-also"
        else:
            self.section = "skipped"
            self.flag(number, FlagKind.SECTION_SKIPPED, f"section {text!r} was not imported")

    def not_understood(self, number, text, example):
        """A subsection heading not understood: skipped with a flag while only prose follows;
        a table under it is refused (:meth:`row`)."""
        self.unknown_heading = (number, text, example)
        self.flag(
            number,
            FlagKind.SECTION_SKIPPED,
            f"heading {text!r} was not understood (e.g. {example}); its text was not imported",
        )

    # -- tables ------------------------------------------------------------------------------

    def header_columns(self, number, cells, kind, names):
        """The columns a ``kind`` table's header row names, by ``names`` (the vocabulary of its
        header cells). A column named twice is refused (which would the archive keep?); a
        column the archive does not model is skipped with a flag."""
        columns, unknown = [], []
        for cell in cells:
            name = column_name(cell)
            column = names.get(name)
            if column is None:
                unknown.append(cell_text(cell) or "(blank)")
                column = grammar.IGNORED
            elif column in columns:
                raise self.error(number, f"two {kind} columns name the {column_label(column)}")
            columns.append(column)
        if unknown:
            listed = ", ".join(repr(name) for name in unknown)
            self.skipped(number, f"the column{'s' if len(unknown) > 1 else ''} {listed}")
        return columns

    def table_row(self, row, kind, checked=None):
        """A data row of the open ``kind`` table as {column: raw cell}, checked against its
        header; the cells of ``checked`` columns (default: all) that lose a footnote mark in
        reading are noted."""
        if self.table is None or self.table[0] != kind:
            name, header = grammar.TABLE_HEADERS[kind]
            raise self.error(row.line, f"{name} row without a header (e.g. '{header}')")
        columns = self.table[1]
        if len(row.cells) != len(columns):
            raise self.error(
                row.line, f"row has {len(row.cells)} cells, the table header has {len(columns)}"
            )
        checked = set(columns) if checked is None else checked
        footnoted = [
            cell
            for column, cell in zip(columns, row.cells, strict=True)
            if column in checked and column != grammar.IGNORED and has_footnote(cell)
        ]
        if footnoted:
            self.footnoted[row.line] = footnoted
        return {
            column: cell
            for column, cell in zip(columns, row.cells, strict=True)
            if column != grammar.IGNORED
        }

    # -- see also and skipped sections ------------------------------------------------------

    def line_in_see_also(self, number, line):
        match = grammar.LIST_ITEM.match(line)
        if not match:
            self.skipped(number, f"the text {short(line)!r}")
            return
        self.season.see_also.append(cell_text(match.group(1)))

    def line_in_skipped(self, number, line):
        """A section the archive does not model; its heading was flagged."""

    # -- after the last line ------------------------------------------------------------------

    def finish(self):
        self.end_calendar_section()
        self.end_standings_section()
        self.season.anomalies = merged_anomalies(self.season.anomalies)
        check_season(self.season, self.meet_sections, self.footnoted)


def column_label(column):
    return {1: "winner", 2: "second place", 3: "third place"}.get(column, column)
