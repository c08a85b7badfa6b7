"""The calendar section of a season article: gender headings, meet headings and race rows.

A mixin of the parser (:mod:`.parser`), which walks the lines and hands this module the
headings, rows and prose of the calendar section.
"""

from ..names import nation_code
from ..vocabulary import RELAY_DISTANCES, Distance, FlagKind, Gender, readable_slug
from . import grammar
from .cells import cell_text, column_name, read_cell, short
from .dates import parse_date, read_span
from .records import ParsedMeet, ParsedRace, ParsedResult, Target

PLACES = (1, 2, 3)


class CalendarReader:
    def __init__(self):
        self.gender = None
        self.meet = None
        self.meets_by_key = {}
        self.city_count = {}
        self.meet_span = None  # (start, end) the current meet heading states, if readable
        self.meet_sections = {}  # meet slug → the calendar sections (genders) listing it

    def end_calendar_section(self):
        self.gender = self.meet = self.meet_span = None

    def calendar_heading(self, number, level, text):
        if level == 3:
            self.meet = self.meet_span = None
            self.city_count = {}
            match = grammar.GENDER_HEADING.match(text)
            if match is None:
                self.gender = None
                self.not_understood(number, text, "Men, Women, Mixed")
                return
            self.gender = grammar.GENDER_SECTIONS[match.group(1).lower()]
        elif level == 4:
            if self.gender is None:
                raise self.error(number, f"meet {text!r} is not under a Men or Women heading")
            self.meet_heading(number, text)
        else:
            self.not_understood(number, text, "==== Nagoya ==== for a meet")

    def meet_heading(self, number, text):
        dated = grammar.MEET_HEADING.match(text)
        city = dated.group(1) if dated else text
        # The men's and women's headings of one meet may state different dates: each
        # race is checked against the heading it is listed under.
        self.meet_span = read_span(text[dated.end(1) :]) if dated else None
        city = grammar.MEET_NUMBER.sub("", city).strip(" ,:–—-")
        # "Montreal, Canada" and "Montreal (Canada)" are the meet "Montreal" lists elsewhere.
        city = city.split(",")[0].strip()
        if city.endswith(")") and "(" in city:
            head, _, country = city[:-1].rpartition("(")
            if nation_code(country) and head.strip():
                city = head.strip()
        if not city:
            raise self.error(number, f"meet heading {text!r} names no city")
        if len(city) > grammar.LONGEST_CITY:
            raise self.error(
                number, f"a city of {len(city)} characters: at most {grammar.LONGEST_CITY}"
            )
        self.meet = self.meet_for(number, city)
        self.meet_sections.setdefault(self.meet.slug, set()).add(self.gender)
        if self.meet_span and self.meet.start is None:
            self.meet.start, self.meet.end = self.meet_span

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
        self.skipped(number, f"the text {short(line)!r}")

    def calendar_row(self, row):
        cells = row.cells
        named = {grammar.CALENDAR_COLUMNS.get(column_name(cell)) for cell in cells}
        if row.header or {"date", "distance"} <= named:
            self.table = ("calendar", self.calendar_columns(row.line, cells))
            return
        if not any(cell_text(cell) for cell in cells):
            self.skipped(row.line, "an empty row")
            return
        if self.meet is None:
            raise self.error(row.line, "race row outside any meet (no '==== City ====' above it)")
        # Only the podium: a mark on the date or distance says nothing about a result.
        self.add_race(row.line, self.table_row(row, "calendar", checked=set(PLACES)))

    def calendar_columns(self, number, cells):
        columns = self.header_columns(number, cells, "calendar", grammar.CALENDAR_COLUMNS)
        if not set(columns) >= grammar.REQUIRED_CALENDAR_COLUMNS:
            raise self.error(
                number,
                "the calendar header needs Date, Distance and Winner columns "
                "(e.g. '| Date | Place | Distance | Winner | Second | Third |')",
            )
        return columns

    def add_race(self, number, row):
        text = cell_text(row["distance"])
        distance, number_in_meet = self.parse_distance(number, text)
        date_text = cell_text(row["date"])
        race = ParsedRace(
            line=number,
            # A mixed relay listed under Men or Women is still the mixed relay.
            gender=Gender.MIXED if distance == Distance.MIXED_RELAY_2000 else self.gender,
            distance=distance,
            number=number_in_meet,
            date=parse_date(date_text, self.path, number),
            record="",
            results=[],
        )
        target = Target(meet=self.meet.slug, race=race.key)
        relay = distance in RELAY_DISTANCES
        for place in PLACES:
            raw = row.get(place, "")
            cell = read_cell(raw, relay=relay)
            if cell.marks:
                race.record = race.record or cell.marks[0]
            for reading in cell.readings:
                race.results.append(ParsedResult(number, place, reading.competitor, reading.time))
            if cell.doubts:
                self.flag(
                    number,
                    FlagKind.CELL_DOUBTFUL,
                    f"place {place} {cell_text(raw)!r}: {', '.join(cell.doubts)}",
                    target,
                )
        time = cell_text(row.get("time", ""))
        winners = [result for result in race.results if result.place == 1]
        if time and len(winners) == 1 and not winners[0].time:
            winners[0].time = time
        if any(other.key == race.key for other in self.meet.races):
            raise self.error(number, f"{text} listed twice for this meet")
        arena = cell_text(row.get("arena", ""))
        if len(arena) > grammar.LONGEST_ARENA:
            raise self.error(
                number, f"a venue of {len(arena)} characters: at most {grammar.LONGEST_ARENA}"
            )
        if arena:
            if self.meet.arena and arena != self.meet.arena:
                self.flag(
                    number,
                    FlagKind.VENUE_DIFFERS,
                    f"venue {arena!r} differs from {self.meet.arena!r} earlier in this meet",
                    target,
                )
            self.meet.arena = self.meet.arena or arena
        race.heading_span = self.meet_span
        self.meet.races.append(race)

    def parse_distance(self, number, text):
        match = grammar.CALENDAR_DISTANCE.match(text)
        if not match:
            raise self.error(
                number, f"unknown distance {text!r} (e.g. 500m, 1500m (2), 5000m relay)"
            )
        metres = int(match.group(1).replace(",", ""))
        relay = bool(match.group(2))
        race_number = next((group for group in match.groups()[2:] if group), None)
        if metres not in Distance.values or (metres in RELAY_DISTANCES) != relay:
            raise self.error(number, f"unknown distance {text!r}")
        if self.gender == Gender.MIXED and metres != Distance.MIXED_RELAY_2000:
            raise self.error(number, f"{text!r} is not a mixed event")
        if race_number is None:
            return metres, None
        if not 1 <= int(race_number) <= grammar.LARGEST_RACE_NUMBER:
            raise self.error(
                number,
                f"race number {int(race_number)} in {text!r}: races of one distance at a meet "
                f"are numbered 1 to {grammar.LARGEST_RACE_NUMBER}",
            )
        return metres, int(race_number)
