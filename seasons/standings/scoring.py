"""Standings computed from the known results: the rule, the data in and out, best N of M.

The sources publish World Cup totals but name few of the results behind them. This module holds
the plain data the whole check works on (a table's rule, events, known results and published
entries in; scores, standings and verdicts out) and computes what the known results give: which
of them count under "best N out of M", the standings they make, and the totals after each meet.
Whether a published total can be true at all is the next step, :mod:`.reachability`.

Pure: plain data in, plain data out, no database; :mod:`.check` builds the input from the models.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from enum import StrEnum
from itertools import pairwise

# The ISU short track World Cup table of 2011–13: each place 80% of the one above, from 1000.
# Places 1–17 are the same whether each value is 80% of the rounded value above or 1000 × 0.8^n
# rounded; from 18th place the two readings differ (22 or 23) and no published total needs them,
# so the table stops at 17th. See docs/STANDINGS.md.
ISU_POINTS_2011_13 = (
    1000,
    800,
    640,
    512,
    410,
    328,
    262,
    210,
    168,
    134,
    107,
    86,
    69,
    55,
    44,
    35,
    28,
)


def ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


# -- input ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """Points per place (1st place first; a place beyond the table scores 0) and best N of M."""

    points: tuple[int, ...]
    counted: int
    events: int | None = None

    def __post_init__(self) -> None:
        if not self.points or any(value < 0 for value in self.points):
            raise ValueError("points per place must be non-negative, 1st place first")
        if any(lower > higher for higher, lower in pairwise(self.points)):
            raise ValueError("a lower place cannot score more than a higher one")
        if self.counted < 1:
            raise ValueError("at least one result must count")

    def points_for(self, place: int) -> int:
        return self.points[place - 1] if place <= len(self.points) else 0

    def place_for(self, points: int, taken: AbstractSet[int] = frozenset()) -> int | None:
        """The best place not in ``taken`` that scores ``points`` (None for no points)."""
        if points == 0:
            return None
        return next(
            place
            for place, value in enumerate(self.points, start=1)
            if value == points and place not in taken
        )

    def open_points(self, taken: AbstractSet[int]) -> tuple[int, ...]:
        """Every points value a place not in ``taken`` can give, highest first; 0 included."""
        values = {value for place, value in enumerate(self.points, start=1) if place not in taken}
        return tuple(sorted(values | {0}, reverse=True))

    @property
    def description(self) -> str:
        of = f" of {self.events}" if self.events else ""
        return f"best {self.counted}{of}"


@dataclass(frozen=True)
class Event:
    """One race of a standings table. Doubled distances (500 m (1), 500 m (2)) are two events."""

    key: str
    label: str  # "Nagoya (2)": the second 1000 m in Nagoya, within a 1000 m table
    meet: str  # "Nagoya": the chart's step


@dataclass(frozen=True)
class Known:
    """A known result: ``competitor`` took ``place`` in ``event``."""

    event: str
    competitor: str
    place: int


@dataclass(frozen=True)
class Published:
    """A published standings row; ``competitor`` is None when the source does not name it."""

    row: int
    position: int
    competitor: str | None
    points: int


@dataclass(frozen=True)
class TableInput:
    title: str
    rule: Rule
    events: tuple[Event, ...]  # calendar order
    results: tuple[Known, ...]
    entries: tuple[Published, ...]  # published order
    names: Mapping[str, str]  # competitor key → display name

    def name(self, competitor: str | None) -> str:
        if competitor is None:
            return "(not named in the source)"
        return self.names.get(competitor, competitor)


# -- output ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    event: Event
    place: int | None  # None: no points (a filled-in result only)
    points: int
    counted: bool

    def __str__(self) -> str:
        place = ordinal(self.place) if self.place else "no points"
        return f"{place} in {self.event.label} ({self.points})"


@dataclass(frozen=True)
class Standing:
    """A competitor's computed standing from its known results only."""

    competitor: str
    name: str
    rank: int  # competition ranking: equal totals share a rank (1, 2, 2, 4)
    total: int
    scores: tuple[Score, ...]  # calendar order
    published: Published | None

    @property
    def counted(self) -> tuple[Score, ...]:
        return tuple(score for score in self.scores if score.counted)

    @property
    def dropped(self) -> tuple[Score, ...]:
        return tuple(score for score in self.scores if not score.counted)


class Verdict(StrEnum):
    REPRODUCED = "reproduced"  # the known results alone give the published total
    REACHABLE = "reachable"  # some choice of the unknown places gives it
    UNREACHABLE = "unreachable"  # no choice does: flagged

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self]


VERDICT_LABELS = {
    Verdict.REPRODUCED: "reproduced exactly",
    Verdict.REACHABLE: "reachable",
    Verdict.UNREACHABLE: "cannot be reached",
}


@dataclass(frozen=True)
class Candidate:
    """Who a published entry could be, and how its total comes about for that competitor."""

    competitor: str | None  # None: someone never named in a podium of this table
    name: str
    verdict: Verdict
    known: tuple[Score, ...]  # its known results, counted or dropped
    known_points: int
    witness: tuple[Score, ...]  # one full set of results giving the total (reachable only)
    nearest: tuple[int | None, int | None]  # reachable totals around it (unreachable only)


@dataclass(frozen=True)
class Check:
    """A published entry against what the rule and the known results allow."""

    entry: Published
    name: str
    verdict: Verdict
    known_points: int  # what the entry's known results account for (0 when unnamed)
    candidates: tuple[Candidate, ...]
    explanation: str

    @property
    def is_flagged(self) -> bool:
        return self.verdict is Verdict.UNREACHABLE


@dataclass(frozen=True)
class Step:
    """Computed totals after one meet, from the known results so far."""

    meet: str
    totals: tuple[tuple[str, int], ...]  # (competitor, total), competitor order


@dataclass(frozen=True)
class TableAnalysis:
    title: str
    rule: Rule
    events: tuple[Event, ...]
    standings: tuple[Standing, ...]
    checks: tuple[Check, ...]
    progression: tuple[Step, ...]
    names: Mapping[str, str]

    @property
    def has_known_results(self) -> bool:
        return bool(self.standings)

    def count(self, verdict: Verdict) -> int:
        return sum(1 for check in self.checks if check.verdict is verdict)


@dataclass(frozen=True)
class RuleFit:
    """How many published entries a candidate rule reproduces, reaches, or cannot reach."""

    label: str
    reproduced: int
    reachable: int
    unreachable: int

    @property
    def total(self) -> int:
        return self.reproduced + self.reachable + self.unreachable


# -- counting -------------------------------------------------------------------------------


def counted_flags(points: Sequence[int], counted: int) -> list[bool]:
    """Which of ``points`` (calendar order) count under best ``counted``.

    Equal points are ordered by the calendar: the earlier result counts, the later is dropped.
    Only which one is struck through depends on it, never the total.
    """
    order = sorted(range(len(points)), key=lambda index: (-points[index], index))
    best = set(order[:counted])
    return [index in best for index in range(len(points))]


def score_results(
    rule: Rule, events: Sequence[Event], places: Mapping[str, int]
) -> tuple[Score, ...]:
    """Scores for ``places`` ({event key: place}), in calendar order, counted or dropped."""
    held = [event for event in events if event.key in places]
    points = [rule.points_for(places[event.key]) for event in held]
    flags = counted_flags(points, rule.counted)
    return tuple(
        Score(event, places[event.key], value, flag)
        for event, value, flag in zip(held, points, flags, strict=True)
    )


def competition_ranks(totals: Iterable[int]) -> list[int]:
    """Ranks for totals already sorted highest first: equal totals share a rank."""
    ranks, previous = [], None
    for index, total in enumerate(totals, start=1):
        ranks.append(ranks[-1] if total == previous else index)
        previous = total
    return ranks


def standings(table: TableInput) -> tuple[Standing, ...]:
    """Computed standings from the known results, highest total first (ties by name)."""
    events = {event.key for event in table.events}
    places_of = {}
    for known in table.results:
        if known.event in events:
            places_of.setdefault(known.competitor, {})[known.event] = known.place
    published = {entry.competitor: entry for entry in table.entries if entry.competitor}
    rows = []
    for competitor, places in places_of.items():
        scores = score_results(table.rule, table.events, places)
        total = sum(score.points for score in scores if score.counted)
        rows.append((competitor, scores, total))
    rows.sort(key=lambda row: (-row[2], table.name(row[0]), row[0]))
    ranks = competition_ranks([row[2] for row in rows])
    return tuple(
        Standing(competitor, table.name(competitor), rank, total, scores, published.get(competitor))
        for (competitor, scores, total), rank in zip(rows, ranks, strict=True)
    )


def progression(table: TableInput) -> tuple[Step, ...]:
    """Computed totals after each meet (best N of the results so far), for the chart."""
    steps, meets = [], []
    for event in table.events:
        if event.meet not in meets:
            meets.append(event.meet)
    for index, meet in enumerate(meets):
        so_far = replace(
            table, events=tuple(event for event in table.events if event.meet in meets[: index + 1])
        )
        totals = sorted((row.competitor, row.total) for row in standings(so_far))
        steps.append(Step(meet, tuple(totals)))
    return tuple(steps)
