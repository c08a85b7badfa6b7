"""The standings section of a season article: the note on counted results, a heading per table
("Men's 500 metres", or "Men" then "500 metres"), "After N of M events", and the table rows.

A mixin of the parser (:mod:`.parser`), which walks the lines and hands this module the
headings, captions, rows and prose of the standings section.
"""

import re

from ..vocabulary import RELAY_DISTANCES, Distance, FlagKind
from . import grammar
from .cells import cell_text, column_name, read_cell, short
from .records import Competitor, ParsedEntry, ParsedTable, Target

DISTANCE_HEADING = re.compile(
    rf"^{grammar.METRES}\s*(?:m|metres?|meters?)\.?(\s+(?:mixed\s+)?relay)?$", re.IGNORECASE
)


class StandingsReader:
    def __init__(self):
        self.heading_for_next_table = None  # (line, (gender, distance), held, total)
        self.standings_gender = None  # under "=== Men ===", for "==== 500 metres ===="
        self.skipping_table = False  # under a standings heading the archive does not model

    def end_standings_section(self):
        self.heading_for_next_table = None
        self.standings_gender = None
        self.skipping_table = False

    def standings_heading_line(self, number, level, text):
        self.skipping_table = False
        self.heading_for_next_table = None
        if grammar.UNMODELLED_STANDINGS.search(text):
            self.skipping_table = True
            self.flag(number, FlagKind.SECTION_SKIPPED, f"standings {text!r} were not imported")
            return
        key = self.standings_key(number, text)
        if key is None and level == 3:
            gender = grammar.GENDER_HEADING.match(text)
            if gender:
                self.standings_gender = grammar.GENDER_SECTIONS[gender.group(1).lower()]
                return
        if key is None:
            self.not_understood(number, text, "Men's 500 metres")
            return
        self.heading_for_next_table = (number, key, *self.events(number, text))

    def standings_key(self, number, text):
        """The (gender, distance) a heading or caption names, or None."""
        match = grammar.STANDINGS_HEADING.match(text)
        if match:
            gender = grammar.GENDER_SECTIONS[match.group(1).lower()]
            metres, relay = match.group(2), match.group(3)
        else:
            match = DISTANCE_HEADING.match(text)
            if not match or self.standings_gender is None:
                return None
            gender, (metres, relay) = self.standings_gender, match.groups()
        metres = int(metres.replace(",", ""))
        if metres not in Distance.values or (metres in RELAY_DISTANCES) != bool(relay):
            raise self.error(number, f"unknown standings distance in {text!r}")
        return gender, metres

    def events(self, number, text):
        """(held, total) an "after N of M events" in ``text`` states, or () when none."""
        after = grammar.AFTER.search(text)
        if not after:
            return ()
        held, total = (grammar.count(group) for group in after.groups() if group)
        if total > grammar.LARGEST_EVENT_COUNT:
            raise self.error(number, f"{after.group()!r}: a season has at most 99 events")
        if held > total:
            raise self.error(number, f"{after.group()!r} counts too many")
        return held, total

    def standings_caption(self, number, text):
        key = self.standings_key(number, text)
        events = self.events(number, text)
        if key is not None:
            pending = self.heading_for_next_table
            if pending is not None and pending[1] != key:
                raise self.error(
                    number, f"the caption {text!r} names another event than its heading"
                )
            self.heading_for_next_table = (
                number,
                key,
                *(events or pending[2:] if pending else events),
            )
        elif events and self.heading_for_next_table is not None:
            self.heading_for_next_table = (*self.heading_for_next_table[:2], *events)
        elif not events:
            self.skipped(number, f"the caption {short(text)!r}")

    def line_in_standings(self, number, line):
        if self.skipping_table:
            return
        text = cell_text(line)
        # The note may be bulleted without its "Note –": "- Standings are … best 6 out of 8 …".
        note = grammar.NOTE.match(text) or (
            grammar.BEST_OF.search(text) and grammar.LIST_ITEM.match(text)
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
        events = self.events(number, text)
        if events and len(text) <= 80 and self.heading_for_next_table is not None:
            self.heading_for_next_table = (*self.heading_for_next_table[:2], *events)
            return
        self.skipped(number, f"the text {short(line)!r}")

    def standings_row(self, row):
        if self.skipping_table:
            return
        first = column_name(row.cells[0]) if row.cells else ""
        if row.header or grammar.STANDINGS_COLUMNS.get(first) == "position":
            self.start_table(row.line, row.cells)
            return
        if not any(cell_text(cell) for cell in row.cells):
            self.skipped(row.line, "an empty row")
            return
        self.add_entry(row.line, self.table_row(row, "standings"))

    def start_table(self, number, cells):
        columns = self.header_columns(number, cells, "standings", grammar.STANDINGS_COLUMNS)
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
        position = self.position(number, cell_text(row["position"]), table)
        points = self.points(number, cell_text(row["points"]))
        for competitor in self.standings_competitors(number, row, table):
            table.entries.append(
                ParsedEntry(
                    line=number,
                    row=len(table.entries) + 1,
                    position=position,
                    competitor=competitor,
                    points=points,
                )
            )

    def position(self, number, text, table):
        # A blank position is a tie with the row above, as on Wikipedia.
        if not text and table.entries:
            return table.entries[-1].position
        match = grammar.POSITION.match(text)
        if not match:
            raise self.error(number, f"position {text!r} is not a number (e.g. 3, 3., =3, T3)")
        position = int(match.group(1))
        if not 1 <= position <= grammar.LARGEST_POSITION:
            raise self.error(
                number, f"position {position}: positions run from 1 to {grammar.LARGEST_POSITION}"
            )
        return position

    def points(self, number, text):
        match = grammar.POINTS.match(text)
        if not match:
            raise self.error(number, f"points {text!r} is not a number (e.g. 3504 or 3,504)")
        points = int(re.sub(r"[,. ]", "", match.group(1)))
        if points > grammar.LARGEST_POINTS:
            raise self.error(
                number, f"{points} points: more than the {grammar.LARGEST_POINTS:,} a table holds"
            )
        return points

    def standings_competitors(self, number, row, table):
        """Who a standings row names, from an Athlete cell, a Nation cell, or both (two in a
        dead heat written in one cell)."""
        relay = table.distance in RELAY_DISTANCES
        target = Target(table=table.key, row=len(table.entries) + 1)
        cell = read_cell(row.get("athlete", ""), relay=relay)
        competitors = [reading.competitor for reading in cell.readings] or [Competitor()]
        doubts = list(cell.doubts)
        if cell.marks:
            doubts.append(f"record mark {cell.marks[0]} in a standings row")
        if "nation" in row:
            nation_cell = read_cell(row["nation"], relay=True)
            doubts += nation_cell.doubts
            nations = {reading.competitor.nation for reading in nation_cell.readings}
            if len(nations) == 1:
                (nation,) = nations
                for competitor in competitors:
                    if competitor.nation and competitor.nation != nation:
                        raise self.error(
                            number, f"the row names two nations, {competitor.nation} and {nation}"
                        )
                competitors = [
                    Competitor(c.athlete, nation, c.aliases, c.native) for c in competitors
                ]
        if doubts:
            self.flag(number, FlagKind.CELL_DOUBTFUL, ", ".join(doubts), target)
        return competitors
