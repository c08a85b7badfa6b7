"""What the parser gives: a season article as plain data, and why a source cannot be read.

Plain dataclasses with no database behind them, so the parser stays pure and its tests need no
database; :mod:`seasons.importing.writer` turns them into rows.
"""

from dataclasses import dataclass, field
from datetime import date


class SourceError(Exception):
    """A source that cannot be imported. ``str()`` reads ``FILE:LINE: what is wrong``."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Competitor:
    """Who a podium or standings cell names. Either part may be unknown (None).

    ``athlete`` is the name as the archive shows it (markup gone, ISU capitals read as
    "Park Se-yeong"); ``aliases`` are the other forms the cell wrote the same person in (the
    capitals as written, a native-script name given beside the Latin one), for the importer to
    find the athlete by and keep as aliases. ``native`` is a native-script name the cell gives
    beside a Latin one ("{{lang|ko|곽윤기}}")."""

    athlete: str | None = None
    nation: str | None = None  # IOC code
    aliases: tuple[str, ...] = ()
    native: str | None = None


@dataclass
class ParsedResult:
    """One place of a podium. In a dead heat two results share a place (and the next place is
    skipped): ``A (KOR)<br />B (CAN)`` in the Winner cell is two results at place 1."""

    line: int
    place: int
    competitor: Competitor
    time: str = ""  # as written after the name ("2:07.943"); "" when the cell gives none


@dataclass
class ParsedRace:
    line: int
    gender: str
    distance: int
    number: int | None
    date: date
    record: str
    results: list[ParsedResult]
    # The dates the meet heading this race is listed under states, when they differ from the
    # meet's (the men's and women's headings of one meet may disagree).
    heading_span: tuple[date, date] | None = None

    @property
    def key(self) -> tuple[str, int, int | None]:
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
    def key(self) -> tuple[str | None, int | None]:
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
    def races(self) -> list[ParsedRace]:
        return [race for meet in self.meets for race in meet.races]


def merged_anomalies(anomalies: list[Anomaly]) -> list[Anomaly]:
    """One anomaly per line and kind (a flag's identity), the messages of several joined: the
    parser's doubts about a cell and the writer's about whom it names can meet on one line."""
    merged = {}
    for anomaly in anomalies:
        key = (anomaly.line, anomaly.kind)
        if key not in merged:
            merged[key] = anomaly
        elif anomaly.message not in merged[key].message:
            first = merged[key]
            merged[key] = Anomaly(
                first.line, first.kind, f"{first.message}; {anomaly.message}", first.target
            )
    return list(merged.values())
