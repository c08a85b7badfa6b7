"""Parse season articles (Wikipedia-style text) into plain data.

Pure: no database, no printing. :func:`read_source` turns a file into a :class:`ParsedSeason`
or raises :class:`SourceError` naming the file and line. Anything that parses but looks wrong
(a race dated outside its season, a repeated standings position, an inferred heading) becomes
an :class:`Anomaly`; the data itself is kept exactly as the source gives it.

The format, in order::

    = 2011–12 ISU Short Track Speed Skating World Cup =      title (first line)
    Infobox / - Key: Value                                   infobox facts
    prose                                                    intro ("began on … ended on …")
    == Calendar ==
    === Men ===                                              gender section
    ==== Nagoya ====                                         one meet (the city)
    | Date | Place | Distance | Winner | Second | Third | Reference |
    | 4 December 2011 | Nippon Gaishi Hall | 500m (1) | CAN | | WR | |
    == World Cup standings ==
    - Note – … best 6 out of 8 results …
    === Men's 500 metres ===                                 (may be missing on the first table)
    After 8 of 8 events
    | Pos | Athlete | Points |
    == See also ==
    - item

Other seasons are written by other editors, so the parser reads what a reader would: footnote
marks ("[1]", "<ref>…</ref>") and non-breaking spaces are not part of a cell; a meet heading may
carry the meet's dates ("Beijing 21–24 October 2021"); dates may read "Oct. 22, 2011"; distances
"1,000 m"; gender headings "Men's events" or "Ladies"; a standings table may give the nation in
its own column ("| Rank | Name | Nation | Pts |"). Rankings the archive does not model (the
overall Crystal Globe) are skipped with a flag, like unknown sections.

What a reader would stop at is flagged too: a footnote mark on a result (in results tables it
often means "later disqualified"), a race dated outside the dates its meet heading states, a
meet the men's section lists and the women's does not (or the reverse).
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.utils.text import slugify
from django_countries.ioc_data import IOC_TO_ISO

from ..vocabulary import RELAY_DISTANCES, Distance, FlagKind, Gender, RecordMark, event_title


class SourceError(Exception):
    """A source that cannot be imported. ``str()`` reads ``FILE:LINE: what is wrong``."""

    def __init__(self, path, line, message):
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Competitor:
    """Who a podium or standings cell names. Either part may be unknown (None)."""

    athlete: str | None = None
    nation: str | None = None  # IOC code


@dataclass
class ParsedResult:
    line: int
    place: int
    competitor: Competitor


@dataclass
class ParsedRace:
    line: int
    gender: str
    distance: int
    number: int | None
    date: date
    record: str
    results: list[ParsedResult]

    @property
    def key(self):
        return (self.gender, self.distance, self.number)


@dataclass
class ParsedMeet:
    line: int
    slug: str
    city: str
    order: int
    arena: str = ""
    # The dates the meet's heading states ("Beijing 21–24 October 2021"), when it states them
    # readably; the first heading that does wins. The races carry their own dates.
    start: date | None = None
    end: date | None = None
    races: list[ParsedRace] = field(default_factory=list)


@dataclass
class ParsedEntry:
    line: int
    row: int
    position: int
    competitor: Competitor
    points: int


@dataclass
class ParsedTable:
    line: int
    gender: str | None
    distance: int | None
    heading_inferred: bool = False
    events_held: int | None = None
    events_total: int | None = None
    entries: list[ParsedEntry] = field(default_factory=list)

    @property
    def key(self):
        return (self.gender, self.distance)


@dataclass(frozen=True)
class Target:
    """What an anomaly concerns, by natural identity within the season (no database ids)."""

    meet: str | None = None  # meet slug
    race: tuple | None = None  # (gender, distance, number) within the meet
    table: tuple | None = None  # (gender, distance)
    row: int | None = None  # standings row within the table


@dataclass
class Anomaly:
    line: int
    kind: str
    message: str
    target: Target = Target()


@dataclass
class ParsedSeason:
    path: str
    sha256: str
    text: str
    line_count: int
    title: str
    slug: str
    title_line: int
    start: date | None = None
    end: date | None = None
    intro: str = ""
    intro_line: int | None = None
    infobox: list[list[str]] = field(default_factory=list)
    standings_note: str = ""
    note_line: int | None = None
    counted_results: int | None = None
    counted_of: int | None = None
    see_also: list[str] = field(default_factory=list)
    meets: list[ParsedMeet] = field(default_factory=list)
    standings: list[ParsedTable] = field(default_factory=list)
    anomalies: list[Anomaly] = field(default_factory=list)

    @property
    def races(self):
        return [race for meet in self.meets for race in meet.races]


HEADING = re.compile(r"^(=+)\s*(.*?)\s*(=+)\s*$")
SEASON_YEARS = re.compile(r"(\d{4})\s*[–—-]\s*(\d{2}|\d{4})\b")
INFOBOX_ITEM = re.compile(r"^-\s*([^:]+?)\s*:\s*(.*?)\s*$")
LIST_ITEM = re.compile(r"^[-*]+\s*(.*?)\s*$")
# "22 October 2011", "22 Oct. 2011" or, in North American articles, "October 22, 2011".
DATE_WORDS = r"\d{1,2}\s+[A-Za-z]+\.?\s+\d{4}|[A-Za-z]+\.?\s+\d{1,2},?\s+\d{4}"
BEGAN = re.compile(rf"\b(?:began|started) on ({DATE_WORDS})")
ENDED = re.compile(rf"\bended on ({DATE_WORDS})")
# A meet heading may carry the meet's dates after the city: "Beijing 21–24 October 2021" (the
# 2021–22 article), "Nagoya (30 November – 2 December 2012)". The races carry their own dates.
# The start leaves out what it shares with the end: groups (day, month, year, day, month, year)
# and, month first, (month, day, month, day, year).
SPAN_DAY_FIRST = (
    r"(\d{1,2})(?:\s+([A-Za-z]+\.?))?(?:\s+(\d{4}))?\s*[–—-]\s*(\d{1,2})\s+([A-Za-z]+\.?)\s+(\d{4})"
)
SPAN_MONTH_FIRST = (
    r"([A-Za-z]+\.?)\s+(\d{1,2})\s*[–—-]\s*(?:([A-Za-z]+\.?)\s+)?(\d{1,2}),?\s+(\d{4})"
)
DATE_SPAN = f"{SPAN_DAY_FIRST}|{SPAN_MONTH_FIRST}"
MEET_HEADING = re.compile(rf"^(.*?)[\s,:–—-]*(?:\(\s*(?:{DATE_SPAN})\s*\)|(?:{DATE_SPAN}))$")
NOTE = re.compile(r"^(?:[-*]\s*)?Note\s*[–—:-]+\s*(.*?)\s*$", re.IGNORECASE)
# Wikipedia spells small numbers out in prose: "best five out of seven".
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
COUNT = r"\d+|" + "|".join(NUMBER_WORDS)
BEST_OF = re.compile(rf"best\s+({COUNT})\s+(?:out\s+)?of\s+({COUNT})\b", re.IGNORECASE)
AFTER = re.compile(
    r"^After\s+(\d+)\s+(?:out\s+)?of\s+(\d+)"
    r"(?:\s+(?:events?|races?|competitions?|rounds?|meets?|World\s+Cups?))?\s*[.:]?$",
    re.IGNORECASE,
)
METRES = r"(\d{1,2},\d{3}|\d+)"  # "1000" or, as some editors write it, "1,000"
CALENDAR_DISTANCE = re.compile(
    rf"^{METRES}\s*m(?:etres?|eters?)?(\s+(?:mixed\s+)?relay)?(?:\s*\((\d+)\))?$", re.IGNORECASE
)
# "Men's 500 metres"; a mixed relay reads "Mixed 2000 metre relay" (no possessive). Until 2021
# the ISU called the women's events "Ladies'".
STANDINGS_HEADING = re.compile(
    rf"^(Men|Women|Ladies|Mixed)(?:['’]s?)?\s+{METRES}\s*(?:m|metres?|meters?)"
    r"(\s+(?:mixed\s+)?relay)?$",
    re.IGNORECASE,
)
# Rankings the archive does not model: the overall (Crystal Globe) ranking from 2022–23.
UNMODELLED_STANDINGS = re.compile(r"\boverall\b|crystal globe", re.IGNORECASE)
GENDER_HEADING = re.compile(
    r"^(Men|Women|Ladies|Mixed)(?:['’]s?)?(?:\s+(?:events?|races?|relays?|results))?$",
    re.IGNORECASE,
)
POSITION = re.compile(r"^=?\s*(\d+)\s*\.?$")
POINTS = re.compile(r"^\d{1,3}(?:[, ]\d{3})*$|^\d+$")
NATION_CODE = re.compile(r"^[A-Z]{3}$")
ATHLETE_WITH_NATION = re.compile(r"^(.+?)\s*\(([A-Z]{3})\)$")
TABLE_MARKUP = re.compile(r"^(\{\||\|\}|\|-+|\|\+.*|\|)\s*$")
# Citations copied with a cell: "KOR[1]", "[a]", "<ref>…</ref>", "<ref name="isu"/>".
REF_TAG = re.compile(r"<ref\b[^>]*/>|<ref\b[^>]*>.*?</ref>", re.IGNORECASE)
FOOTNOTE = re.compile(r"\[(?:\d{1,3}|[a-z]|(?:note|nb)\s*\d+|citation needed)\]")

GENDER_SECTIONS = {
    "men": Gender.MEN,
    "women": Gender.WOMEN,
    "ladies": Gender.WOMEN,
    "mixed": Gender.MIXED,
}
CALENDAR_COLUMNS = {
    "date": "date",
    "place": "arena",
    "venue": "arena",
    "distance": "distance",
    "event": "distance",
    "winner": 1,
    "gold": 1,
    "first": 1,
    "second": 2,
    "silver": 2,
    "third": 3,
    "bronze": 3,
    "reference": "reference",
    "ref": "reference",
    "references": "reference",
}
REQUIRED_CALENDAR_COLUMNS = {"date", "distance", 1, 2, 3}
STANDINGS_COLUMNS = {
    "pos": "position",
    "position": "position",
    "rank": "position",
    "place": "position",
    "#": "position",
    "athlete": "athlete",
    "name": "athlete",
    "skater": "athlete",
    "nation": "nation",
    "country": "nation",
    "team": "nation",
    "points": "points",
    "pts": "points",
    "total": "points",
}
RECORD_MARKS = {mark.value for mark in RecordMark if mark.value}


def read_source(path):
    """Read and parse one season article."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(path.name, 0, f"cannot read the file ({error.strerror})") from error
    return parse_source(data, path.name)


def parse_source(data: bytes, name: str) -> ParsedSeason:
    """Decode a source's bytes and parse them; ``name`` is used in messages and provenance."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceError(name, line, "not valid UTF-8 text") from error
    if text.startswith("\ufeff"):
        text = text[1:]
    return _Parser(name, text, hashlib.sha256(data).hexdigest()).parse()


def parse_date(text, path, line):
    parsed = read_date(text)
    if parsed is None:
        raise SourceError(
            path, line, f"{text.strip()!r} is not a date (expected e.g. 22 October 2011)"
        )
    return parsed


def read_date(text):
    """A date as editors write it, or None."""
    # strptime knows "Sep" but not the "Sept." many editors write.
    words = re.sub(r"\bSept\b", "Sep", " ".join(text.replace(".", " ").split()), flags=re.I)
    patterns = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%Y-%m-%d")
    for pattern in patterns:
        try:
            return datetime.strptime(words, pattern).date()
        except ValueError:
            continue
    return None


def read_span(text):
    """The (start, end) a meet heading's dates state, or None when they cannot be read for
    certain: an unknown month, an impossible day, an end before the start. Only a span that
    is read for certain may call a race's date into doubt."""
    text = text.strip(" ,:–—-()")
    day_first = re.fullmatch(SPAN_DAY_FIRST, text)
    if day_first:
        day, month, year, end_day, end_month, end_year = day_first.groups()
        end = read_date(f"{end_day} {end_month} {end_year}")
        start = read_date(f"{day} {month or end_month} {year or end_year}")
    else:
        month_first = re.fullmatch(SPAN_MONTH_FIRST, text)
        if not month_first:
            return None
        month, day, end_month, end_day, end_year = month_first.groups()
        year = None
        end = read_date(f"{end_month or month} {end_day}, {end_year}")
        start = read_date(f"{month} {day}, {end_year}")
    if start is None or end is None:
        return None
    # "28 December – 2 January 2013": the start, given no year, is in the year before.
    if start > end and year is None and start.month > end.month:
        start = read_date(f"{start.day} {start:%B} {start.year - 1}")
    if start is None or start > end:
        return None
    return start, end


def clean(text):
    """A cell or heading as a reader sees it: citations dropped, and non-breaking spaces, tabs
    and doubled spaces read as one space (so "Salt\u00a0Lake City" is "Salt Lake City")."""
    return " ".join(FOOTNOTE.sub(" ", REF_TAG.sub(" ", text)).split())


def split_row(line):
    """``| a | b | |`` → ``["a", "b", ""]``: wiki table cells, cleaned."""
    return [clean(cell) for cell in raw_cells(line)]


def raw_cells(line):
    """``| a[1] | b | |`` → ``["a[1]", "b", ""]``: wiki table cells as written, citations and
    all (to say which cell lost a footnote mark)."""
    # A <ref> may itself contain a "|": hide the citations while splitting.
    refs = []

    def hide(match):
        refs.append(match.group())
        return f"\x00{len(refs) - 1}\x00"

    body = REF_TAG.sub(hide, line).strip()[1:]
    # The closing "|" ends the row; a citation after it belongs to the row, not to a cell.
    closing = re.search(r"\|(?:\s|\x00\d+\x00)*$", body)
    if closing:
        body = body[: closing.start()]
    return [
        " ".join(re.sub(r"\x00(\d+)\x00", lambda hidden: refs[int(hidden[1])], cell).split())
        for cell in body.split("|")
    ]


def has_footnote(cell):
    return bool(REF_TAG.search(cell) or FOOTNOTE.search(cell))


def quoted(cells):
    """Cells as a message quotes them: a long citation is cut short."""
    return ", ".join(repr(cell if len(cell) <= 60 else f"{cell[:59]}…") for cell in cells)


def column_name(cell):
    """A header cell as a column name: "Ref." is "ref", "Pts" is "pts"."""
    return cell.lower().rstrip(".").strip()


def count(text):
    return int(text) if text.isdigit() else NUMBER_WORDS[text.lower()]


def expected_order(distances):
    """The order the standings tables are published in: by distance, men before women."""
    genders = [Gender.MEN, Gender.WOMEN, Gender.MIXED]
    return [(gender, distance) for distance in distances for gender in genders]


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
        match = HEADING.match(line)
        if not match or len(match.group(1)) != 1 or len(match.group(3)) != 1:
            raise self.error(number, "no title: expected '= 2011–12 ISU … World Cup =' first")
        title = match.group(2)
        years = SEASON_YEARS.search(title)
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
        if HEADING.match(stripped):
            self.table = None
            self.skipping_table = False
            self.parse_heading(number, stripped)
            return
        if TABLE_MARKUP.match(stripped):
            # Leftover wiki markup (|-, |, |}) closes the table; it carries no data.
            self.table = None
            return
        handler = getattr(self, f"line_in_{self.section.replace('-', '_')}")
        handler(number, stripped)

    def parse_heading(self, number, line):
        match = HEADING.match(line)
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
        elif self.section == "standings" and level == 3 and UNMODELLED_STANDINGS.search(text):
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
        match = INFOBOX_ITEM.match(line)
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
        for pattern, attribute in ((BEGAN, "start"), (ENDED, "end")):
            match = pattern.search(line)
            if match:
                setattr(season, attribute, parse_date(match.group(1), self.path, number))
        if season.start and season.end and season.start > season.end:
            raise self.error(number, "the intro's season ends before it begins")

    # -- calendar ---------------------------------------------------------------------------

    def calendar_heading(self, number, level, text):
        if level == 3:
            match = GENDER_HEADING.match(text)
            if match is None:
                raise self.error(number, f"unknown calendar section {text!r} (Men, Women, Mixed)")
            self.gender = GENDER_SECTIONS[match.group(1).lower()]
            self.meet = self.meet_span = None
            self.city_count = {}
        elif level == 4:
            dated = MEET_HEADING.match(text)
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
        base = slugify(city) or "meet"
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
        if self.table is None or self.table[0] != "calendar":
            raise self.error(number, "race row without a '| Date | Place | Distance |' header")
        columns = self.table[1]
        if len(cells) != len(columns):
            raise self.error(
                number, f"row has {len(cells)} cells, the table header has {len(columns)}"
            )
        self.add_race(number, dict(zip(columns, cells, strict=True)))
        self.note_footnotes(number, columns, line, {1, 2, 3})

    def calendar_columns(self, number, cells):
        columns = []
        for cell in cells:
            column = CALENDAR_COLUMNS.get(column_name(cell))
            if column is None:
                raise self.error(number, f"unknown calendar column {cell!r}")
            columns.append(column)
        missing = REQUIRED_CALENDAR_COLUMNS - set(columns)
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
            competitor, marks = self.parse_cell(number, row[place], allow_marks=True)
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
        match = CALENDAR_DISTANCE.match(text)
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

    def parse_cell(self, number, text, allow_marks=False):
        """A podium or standings cell: blank, a nation code, an athlete (with a nation), and
        record marks such as WR (a mark, never a winner)."""
        words = text.split()
        marks = []
        # "WR" or "(WR)", after or before the name.
        while words and words[-1].strip("()") in RECORD_MARKS:
            marks.insert(0, words.pop().strip("()"))
        while words and words[0].strip("()") in RECORD_MARKS:
            marks.append(words.pop(0).strip("()"))
        if marks and not allow_marks:
            raise self.error(number, f"record mark {marks[0]} in a standings row")
        rest = " ".join(words)
        if not rest:
            return None, marks
        if NATION_CODE.match(rest):
            return Competitor(nation=self.nation(number, rest)), marks
        match = ATHLETE_WITH_NATION.match(rest)
        if match:
            return Competitor(match.group(1), self.nation(number, match.group(2))), marks
        if not any(character.isalpha() for character in rest):
            raise self.error(number, f"{rest!r} is neither an athlete nor a nation code")
        return Competitor(athlete=rest), marks

    def nation(self, number, code):
        # A code outside the IOC list (ROC, a typo) is kept as written and flagged by
        # check_nations: refusing it would keep a whole season out over one cell.
        return code

    # -- standings --------------------------------------------------------------------------

    def standings_heading(self, number, text):
        match = STANDINGS_HEADING.match(text)
        if not match:
            raise self.error(number, f"unknown standings heading {text!r} (e.g. Men's 500 metres)")
        gender = GENDER_SECTIONS[match.group(1).lower()]
        metres = int(match.group(2).replace(",", ""))
        relay = bool(match.group(3))
        if metres not in Distance.values or (metres in RELAY_DISTANCES) != relay:
            raise self.error(number, f"unknown standings distance in {text!r}")
        return gender, metres

    def line_in_standings(self, number, line):
        if self.skipping_table:
            return
        # The note may be bulleted without its "Note –": "- Standings are … best 6 out of 8 …".
        note = NOTE.match(line) or (BEST_OF.search(line) and LIST_ITEM.match(line))
        if note:
            self.season.standings_note = note.group(1)
            self.season.note_line = number
            best = BEST_OF.search(note.group(1))
            if best:
                self.season.counted_results, self.season.counted_of = map(count, best.groups())
            return
        after = AFTER.match(clean(line))
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
        if cells and STANDINGS_COLUMNS.get(column_name(cells[0])) == "position":
            self.start_table(number, cells)
            return
        if self.table is None or self.table[0] != "standings":
            raise self.error(number, "standings row without a '| Pos | Athlete | Points |' header")
        columns = self.table[1]
        if len(cells) != len(columns):
            raise self.error(
                number, f"row has {len(cells)} cells, the table header has {len(columns)}"
            )
        self.add_entry(number, dict(zip(columns, cells, strict=True)))
        self.note_footnotes(number, columns, line, set(columns))

    def start_table(self, number, cells):
        columns = []
        for cell in cells:
            column = STANDINGS_COLUMNS.get(column_name(cell))
            if column is None:
                raise self.error(number, f"unknown standings column {cell!r}")
            if column in columns:
                raise self.error(number, f"two standings columns name the {column}")
            columns.append(column)
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
        position = POSITION.match(row["position"])
        if not position:
            raise self.error(number, f"position {row['position']!r} is not a number")
        points = row["points"]
        if not POINTS.match(points):
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
        competitor, _ = self.parse_cell(number, row.get("athlete", ""))
        competitor = competitor or Competitor()
        nation_cell = row.get("nation", "")
        if not nation_cell:
            return competitor
        if not NATION_CODE.match(nation_cell):
            raise self.error(number, f"nation {nation_cell!r} is not an IOC code (e.g. CAN)")
        nation = self.nation(number, nation_cell)
        if competitor.nation and competitor.nation != nation:
            raise self.error(number, f"the row names two nations, {competitor.nation} and {nation}")
        return Competitor(competitor.athlete, nation)

    # -- see also and skipped sections ------------------------------------------------------

    def line_in_see_also(self, number, line):
        match = LIST_ITEM.match(line)
        if not match:
            raise self.error(number, f"unexpected text in See also: {line[:60]!r}")
        self.season.see_also.append(match.group(1))

    def line_in_skipped(self, number, line):
        """A section the archive does not model; its heading was flagged."""

    # -- after the last line ------------------------------------------------------------------

    def finish(self):
        season = self.season
        if not season.meets:
            raise self.error(season.title_line, "no calendar: the file lists no meets")
        for meet in season.meets:
            if not meet.races:
                raise self.error(meet.line, f"meet {meet.city!r} lists no races")
        self.infer_headings()
        self.check_dates()
        self.check_standings()
        self.check_nations()
        self.check_meet_sections()
        self.check_footnotes()
        # A flag is identified by file, line and kind; the checks above never repeat a pair.
        keys = [(anomaly.line, anomaly.kind) for anomaly in season.anomalies]
        assert len(keys) == len(set(keys)), "two anomalies of one kind on one line"

    def infer_headings(self):
        tables = self.season.standings
        seen = {table.key for table in tables if table.gender is not None}
        order = expected_order(Distance.values)
        for index, table in enumerate(tables):
            if table.gender is not None:
                if [t.key for t in tables].count(table.key) > 1:
                    raise self.error(table.line, f"a second standings table for {table.key}")
                continue
            # A table printed without a heading is the one the published order puts here:
            # just before the next headed table (or just after the previous one).
            guess = None
            later = next((t for t in tables[index + 1 :] if t.gender is not None), None)
            earlier = next((t for t in reversed(tables[:index]) if t.gender is not None), None)
            candidates = [key for key in order if key not in seen and self.key_is_raced(key)]
            if later is not None:
                before = [key for key in candidates if order.index(key) < order.index(later.key)]
                guess = before[-1] if before else None
            elif earlier is not None:
                after = [key for key in candidates if order.index(key) > order.index(earlier.key)]
                guess = after[0] if after else None
            if guess is None:
                raise self.error(table.line, "standings table without a heading, and none fits")
            table.gender, table.distance = guess
            table.heading_inferred = True
            seen.add(guess)
            title = event_title(guess[0], Distance(guess[1]).label)
            self.season.anomalies.append(
                Anomaly(
                    table.line,
                    FlagKind.HEADING_INFERRED,
                    f"standings table has no heading; taken as {title} "
                    "from the order of the other tables",
                    Target(table=guess),
                )
            )

    def key_is_raced(self, key):
        gender, distance = key
        return any(
            race.gender == gender and race.distance == distance for race in self.season.races
        )

    def check_dates(self):
        season = self.season
        races = season.races
        first = min(race.date for race in races)
        last = max(race.date for race in races)
        line = season.intro_line
        if season.start and season.start != first:
            season.anomalies.append(
                Anomaly(
                    line,
                    FlagKind.INTRO_START,
                    f"the intro says the season began on {season.start:%-d %B %Y}; "
                    f"the first race is dated {first:%-d %B %Y}",
                )
            )
        if season.end and season.end != last:
            season.anomalies.append(
                Anomaly(
                    line,
                    FlagKind.INTRO_END,
                    f"the intro says the season ended on {season.end:%-d %B %Y}; "
                    f"the last race is dated {last:%-d %B %Y}",
                )
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

    def check_nations(self):
        """Flag, once per line, nation codes that are not IOC codes the archive knows."""
        rows = [
            (race.line, Target(meet=meet.slug, race=race.key), race.results)
            for meet in self.season.meets
            for race in meet.races
        ] + [
            (entry.line, Target(table=table.key, row=entry.row), [entry])
            for table in self.season.standings
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
                self.season.anomalies.append(
                    Anomaly(
                        line,
                        FlagKind.NATION_UNKNOWN,
                        f"{named}: not {'an IOC code' if len(codes) == 1 else 'IOC codes'} the "
                        "archive knows (kept as written, without a country)",
                        target,
                    )
                )

    def check_meet_sections(self):
        """Flag a meet the men's section lists and the women's does not (or the reverse): the
        World Cup holds both at every stop, so the source likely left one out. Mixed relays
        are not held at every stop; a season with one gender section is not in doubt."""
        genders = (Gender.MEN, Gender.WOMEN)
        listed_anywhere = set().union(*self.meet_sections.values())
        if not set(genders) <= listed_anywhere:
            return
        for meet in self.season.meets:
            listed = [gender for gender in genders if gender in self.meet_sections[meet.slug]]
            if len(listed) != 1:
                continue
            (present,) = listed
            (missing,) = (gender for gender in genders if gender != present)
            self.season.anomalies.append(
                Anomaly(
                    meet.line,
                    FlagKind.MEET_ONE_GENDER,
                    f"{meet.city} is listed under {Gender(present).label} but not under "
                    f"{Gender(missing).label}; the source may have left it out",
                    Target(meet=meet.slug),
                )
            )

    def check_footnotes(self):
        """Flag, once per row, the podium or standings cells a footnote mark was cut from."""
        rows = [
            (race.line, "podium", Target(meet=meet.slug, race=race.key))
            for meet in self.season.meets
            for race in meet.races
        ] + [
            (entry.line, "standings", Target(table=table.key, row=entry.row))
            for table in self.season.standings
            for entry in table.entries
        ]
        for line, where, target in rows:
            cells = self.footnoted.get(line)
            if cells:
                plural = "s" if len(cells) > 1 else ""
                self.season.anomalies.append(
                    Anomaly(
                        line,
                        FlagKind.FOOTNOTE_REMOVED,
                        f"a footnote mark was removed from the {where} cell{plural} "
                        f"{quoted(cells)}; check the source's note",
                        target,
                    )
                )

    def check_standings(self):
        season = self.season
        for table in season.standings:
            target = Target(table=table.key)
            raced = sum(1 for race in season.races if (race.gender, race.distance) == table.key)
            if table.events_total is not None and table.events_total != raced:
                season.anomalies.append(
                    Anomaly(
                        table.line,
                        FlagKind.EVENT_COUNT,
                        f"the standings count {table.events_total} events; "
                        f"the calendar lists {raced}",
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
