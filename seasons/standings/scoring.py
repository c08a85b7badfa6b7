"""Standings that explain themselves: computed against published.

The sources publish World Cup totals but name few of the results behind them. This module
computes what the known results give, which of them count under "best N out of M", and whether
each published total can be true at all given the places still unknown. It never corrects a
source: a total that cannot be reached becomes a flag with the arithmetic shown.

The core (everything down to :func:`compare_rules`) is pure: plain data in, plain data out, no
database. The loader and the check at the end build its input from the models and store flags.

Reachability, precisely: a competitor's known results are fixed. In every other event of the
table it may have any place not already taken by a known result in that race, or no points at
all (did not start, or placed beyond the points table). The published total is reachable iff
some such choice makes the best N of all its results sum to exactly that total. An entry the
source does not name may be any named competitor not listed elsewhere in the table, or someone
never named in a podium; it is reachable if any of them fits. Each entry is checked on its own:
two entries are not stopped from needing the same place in the same race.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from itertools import chain, pairwise

from django.db import transaction
from django.db.models import Prefetch

from ..models import Flag, FlagKind, Race, Result, ScoringRule, Season, StandingsTable

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
# Individual distances: "best 6 out of 8 results" (the sources' note). Relays: best 4 of 6, found
# from the published relay totals (docs/STANDINGS.md).
DEFAULT_INDIVIDUAL = (6, 8)
DEFAULT_RELAY = (4, 6)


def ordinal(number):
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

    def __post_init__(self):
        if not self.points or any(value < 0 for value in self.points):
            raise ValueError("points per place must be non-negative, 1st place first")
        if any(lower > higher for higher, lower in pairwise(self.points)):
            raise ValueError("a lower place cannot score more than a higher one")
        if self.counted < 1:
            raise ValueError("at least one result must count")

    def points_for(self, place):
        return self.points[place - 1] if place <= len(self.points) else 0

    def place_for(self, points, taken=frozenset()):
        """The best place not in ``taken`` that scores ``points`` (None for no points)."""
        if points == 0:
            return None
        return next(
            place
            for place, value in enumerate(self.points, start=1)
            if value == points and place not in taken
        )

    def open_points(self, taken):
        """Every points value a place not in ``taken`` can give, highest first; 0 included."""
        values = {value for place, value in enumerate(self.points, start=1) if place not in taken}
        return tuple(sorted(values | {0}, reverse=True))

    @property
    def description(self):
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

    def name(self, competitor):
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

    def __str__(self):
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
    def counted(self):
        return tuple(score for score in self.scores if score.counted)

    @property
    def dropped(self):
        return tuple(score for score in self.scores if not score.counted)


class Verdict(StrEnum):
    REPRODUCED = "reproduced"  # the known results alone give the published total
    REACHABLE = "reachable"  # some choice of the unknown places gives it
    UNREACHABLE = "unreachable"  # no choice does: flagged

    @property
    def label(self):
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
    def is_flagged(self):
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
    def has_known_results(self):
        return bool(self.standings)

    def count(self, verdict):
        return sum(1 for check in self.checks if check.verdict is verdict)


# -- counting -------------------------------------------------------------------------------


def counted_flags(points, counted):
    """Which of ``points`` (calendar order) count under best ``counted``.

    Equal points are ordered by the calendar: the earlier result counts, the later is dropped.
    Only which one is struck through depends on it, never the total.
    """
    order = sorted(range(len(points)), key=lambda index: (-points[index], index))
    best = set(order[:counted])
    return [index in best for index in range(len(points))]


def best_total(points, counted):
    return sum(sorted(points, reverse=True)[:counted])


def score_results(rule, events, places):
    """Scores for ``places`` ({event key: place}), in calendar order, counted or dropped."""
    held = [event for event in events if event.key in places]
    points = [rule.points_for(places[event.key]) for event in held]
    flags = counted_flags(points, rule.counted)
    return tuple(
        Score(event, places[event.key], value, flag)
        for event, value, flag in zip(held, points, flags, strict=True)
    )


def competition_ranks(totals):
    """Ranks for totals already sorted highest first: equal totals share a rank."""
    ranks, previous = [], None
    for index, total in enumerate(totals, start=1):
        ranks.append(ranks[-1] if total == previous else index)
        previous = total
    return ranks


def standings(table):
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


def progression(table):
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


# -- reachability ---------------------------------------------------------------------------


def _search(fixed, options, counted, target=None):
    """Best-``counted`` totals reachable from ``fixed`` values plus one value per ``options``.

    With ``target``: the values chosen for ``options`` (a tuple) that reach it, or None.
    Without: the set of every reachable total.

    Every choice has a smallest counted value m. Fix m: results above it must count, results
    below it must not, and an open event that does not count can always score 0. What remains
    is a subset sum with an exact count (min(N, number of events) counted results), done with
    one bitmask of sums per count.
    """
    slots = min(counted, len(fixed) + len(options))
    found = set()
    for m in sorted({0, *fixed, *chain.from_iterable(options)}, reverse=True):
        forced = [value for value in fixed if value > m]
        if len(forced) > slots:
            continue
        # Items that may count or not: a known result worth exactly m, or an open event with a
        # value of at least m. Not counting costs nothing: it stays m, or the open event scores 0.
        items = [(m,)] * sum(1 for value in fixed if value == m)
        open_from = len(items)
        items += [tuple(value for value in values if value >= m) for values in options]
        layer = [0] * (slots + 1)
        layer[len(forced)] = 1 << sum(forced)
        layers = [layer]
        for values in items:
            new = list(layer)
            for count in range(slots):
                if layer[count]:
                    for value in values:
                        new[count + 1] |= layer[count] << value
            if target is not None:
                new = [bits & ((1 << (target + 1)) - 1) for bits in new]
            layers.append(new)
            layer = new
        if target is None:
            bits, total = layer[slots], 0
            while bits:
                if bits & 1:
                    found.add(total)
                bits >>= 1
                total += 1
        elif layer[slots] >> target & 1:
            return _backtrack(layers, items, slots, target)[open_from:]
    return None if target is not None else found


def _backtrack(layers, items, count, total):
    """The value each item took (0 when it did not count) on one path to ``total``."""
    chosen = [0] * len(items)
    for index in range(len(items), 0, -1):
        before = layers[index - 1]
        if before[count] >> total & 1:
            continue
        value = next(
            value
            for value in items[index - 1]
            if count and value <= total and before[count - 1] >> (total - value) & 1
        )
        chosen[index - 1] = value
        count, total = count - 1, total - value
    return tuple(chosen)


class _Situation:
    """One candidate competitor in one table: its known results and the events still open."""

    def __init__(self, table, competitor):
        self.table = table
        rule = table.rule
        taken = {}
        places = {}
        for known in table.results:
            taken.setdefault(known.event, set()).add(known.place)
            if competitor is not None and known.competitor == competitor:
                places[known.event] = known.place
        self.known = score_results(rule, table.events, places)
        self.known_points = sum(score.points for score in self.known if score.counted)
        self.open_events = [event for event in table.events if event.key not in places]
        self.taken = {event.key: frozenset(taken.get(event.key, ())) for event in table.events}
        self.fixed = [score.points for score in self.known]
        self.options = [rule.open_points(self.taken[event.key]) for event in self.open_events]

    def witness(self, target):
        """One full set of results (known and filled in) with a best-N total of ``target``."""
        values = _search(self.fixed, self.options, self.table.rule.counted, target)
        if values is None:
            return None
        rule = self.table.rule
        places = {score.event.key: score.place for score in self.known}
        filled = {
            event.key: rule.place_for(value, self.taken[event.key])
            for event, value in zip(self.open_events, values, strict=True)
            if value
        }
        scores = score_results(rule, self.table.events, {**places, **filled})
        assert sum(score.points for score in scores if score.counted) == target
        return scores

    def reachable_totals(self):
        return _search(self.fixed, self.options, self.table.rule.counted)

    def open_description(self):
        """``Calgary (4th or lower), Nagoya (any place)``: what each open event still allows."""
        return ", ".join(
            f"{event.label}: {describe_open_places(self.taken[event.key])}"
            for event in self.open_events
        )


def describe_open_places(taken):
    """``any place``, ``2nd, or 4th or lower``: the places a race still leaves open."""
    if not taken:
        return "any place"
    first_free_run = max(taken) + 1
    gaps = [ordinal(place) for place in range(1, first_free_run) if place not in taken]
    return ", ".join([*gaps, f"{ordinal(first_free_run)} or lower"])


def _candidate(table, competitor, target):
    situation = _Situation(table, competitor)
    name = table.name(competitor) if competitor else "a competitor named in no podium"
    nearest = (None, None)
    if situation.known and situation.known_points == target:
        verdict, witness = Verdict.REPRODUCED, situation.known
    else:
        witness = situation.witness(target)
        verdict = Verdict.REACHABLE
        if witness is None:
            totals = situation.reachable_totals()
            below = max((total for total in totals if total < target), default=None)
            above = min((total for total in totals if total > target), default=None)
            verdict, witness, nearest = Verdict.UNREACHABLE, (), (below, above)
    candidate = Candidate(
        competitor, name, verdict, situation.known, situation.known_points, witness, nearest
    )
    return candidate, situation


# -- explanations: the arithmetic in words ----------------------------------------------------


def _sum(scores):
    """``1000 + 800 + 640 = 2440``: the counted points of ``scores``."""
    counted = [score.points for score in scores if score.counted]
    if len(counted) < 2:
        return str(sum(counted))
    return " + ".join(map(str, counted)) + f" = {sum(counted)}"


def _list(scores):
    return ", ".join(map(str, scores))


def _filled(scores, candidate):
    """The results of ``scores`` that are not among the candidate's known results."""
    known = {score.event.key for score in candidate.known}
    return [score for score in scores if score.event.key not in known and score.points]


def _known_clause(candidate, rule):
    if not candidate.known:
        return "no known results"
    text = (
        f"known results {_list(candidate.known)}, {rule.description} giving {_sum(candidate.known)}"
    )
    dropped = [score for score in candidate.known if not score.counted]
    if dropped:
        text += f" ({_list(dropped)} dropped)"
    return text


def _example(scores, candidate, rule):
    filled = _filled(scores, candidate)
    with_filled = f"with {_list(filled)}, " if filled else ""
    return f"{with_filled}{rule.description} give {_sum(scores)}"


def _unreachable_clause(candidate, situation, rule, target):
    if candidate.known_points > target:
        return (
            f"they alone give {candidate.known_points}, more than {target}, "
            "and further results never lower a best-N total"
        )
    text = (
        f"no choice of places in the events still open ({situation.open_description()}) "
        f"makes the {rule.description} total {target}"
    )
    below, above = candidate.nearest
    examples = [
        (total, _example(situation.witness(total), candidate, rule))
        for total in (below, above)
        if total is not None
    ]
    if above is None and below is not None:
        return f"{text}; at most {below} can be reached ({examples[0][1]})"
    return f"{text}; the nearest reachable totals are " + " and ".join(
        f"{total} ({example})" for total, example in examples
    )


def check_entry(table, entry):
    """How ``entry``'s published total relates to the rule and the known results."""
    rule = table.rule
    target = entry.points
    if entry.competitor is not None:
        candidate, situation = _candidate(table, entry.competitor, target)
        name = candidate.name
        if candidate.verdict is Verdict.REPRODUCED:
            explanation = f"{name}: {target} reproduced exactly: {_known_clause(candidate, rule)}."
        elif candidate.verdict is Verdict.REACHABLE:
            explanation = (
                f"{name}: {_known_clause(candidate, rule)}; {target} is reachable, e.g. "
                f"{_example(candidate.witness, candidate, rule)}."
            )
        else:
            explanation = (
                f"{name}: published {target}; {_known_clause(candidate, rule)}; "
                f"{_unreachable_clause(candidate, situation, rule, target)}."
            )
        return Check(
            entry, name, candidate.verdict, candidate.known_points, (candidate,), explanation
        )

    # Not named: any named competitor not listed elsewhere in this table, or someone unnamed.
    listed = {other.competitor for other in table.entries if other.competitor}
    named = sorted(
        {known.competitor for known in table.results} - listed,
        key=lambda competitor: (table.name(competitor), competitor),
    )
    pairs = [_candidate(table, competitor, target) for competitor in [*named, None]]
    candidates = tuple(candidate for candidate, _ in pairs)
    fits = [candidate for candidate in candidates if candidate.verdict is not Verdict.UNREACHABLE]
    name = table.name(None)
    verdict = Verdict.REACHABLE if fits else Verdict.UNREACHABLE
    if not named and fits:
        # Nobody is named in this table's podiums (most individual tables): no "who" to discuss.
        explanation = (
            f"{name}: no known results; {target} is reachable, e.g. "
            f"{_example(fits[0].witness, fits[0], rule)}."
        )
    elif fits:
        ways = "; or ".join(
            f"{candidate.name} ({_known_clause(candidate, rule)}, exactly)"
            if candidate.verdict is Verdict.REPRODUCED
            else f"{candidate.name} ({_known_clause(candidate, rule)}; e.g. "
            f"{_example(candidate.witness, candidate, rule)})"
            for candidate in fits
        )
        explanation = f"{name}: {target} is reachable if this is {ways}."
        excluded = [candidate.name for candidate in candidates if candidate not in fits]
        if excluded:
            explanation += f" It cannot be {', '.join(excluded)}."
    elif not named:
        candidate, situation = pairs[0]
        explanation = (
            f"{name}: published {target}; no known results; "
            f"{_unreachable_clause(candidate, situation, rule, target)}."
        )
    else:
        reasons = "; ".join(
            f"not {candidate.name}: {_known_clause(candidate, rule)}; "
            f"{_unreachable_clause(candidate, situation, rule, target)}"
            for candidate, situation in pairs
        )
        explanation = f"{name}: published {target}, which no competitor can reach: {reasons}."
    return Check(entry, name, verdict, 0, candidates, explanation)


def analyze(table):
    """Everything the standings page shows for one table."""
    return TableAnalysis(
        title=table.title,
        rule=table.rule,
        events=table.events,
        standings=standings(table),
        checks=tuple(check_entry(table, entry) for entry in table.entries),
        progression=progression(table),
        names=table.names,
    )


@dataclass(frozen=True)
class RuleFit:
    """How many published entries a candidate rule reproduces, reaches, or cannot reach."""

    label: str
    reproduced: int
    reachable: int
    unreachable: int

    @property
    def total(self):
        return self.reproduced + self.reachable + self.unreachable


def compare_rules(tables: Iterable[TableInput], rules: Sequence[tuple[str, Rule]]):
    """Each candidate rule applied to every table: how well it explains the published totals.

    Ordered best first: most entries reproduced exactly, then fewest unreachable, then as given.
    """
    tables = list(tables)
    fits = []
    for label, rule in rules:
        verdicts = [
            check_entry(replace(table, rule=rule), entry).verdict
            for table in tables
            for entry in table.entries
        ]
        fits.append(
            RuleFit(
                label,
                verdicts.count(Verdict.REPRODUCED),
                verdicts.count(Verdict.REACHABLE),
                verdicts.count(Verdict.UNREACHABLE),
            )
        )
    return sorted(fits, key=lambda fit: (-fit.reproduced, fit.unreachable))  # stable: input order


# == the database side: thin loaders and the check that stores flags ==========================
#
# Everything below reads or writes models; everything above stays pure.

RELAY_RULE_BASIS = (
    "Relays: best {counted} of {events}, the rule that reproduces the published relay totals "
    "from the known relay podiums (docs/STANDINGS.md, 'Relay rule')."
)


def default_rule_values(season):
    """The rule a newly imported season starts with (field values for ``ScoringRule``).

    Individual N of M come from the season's own note when it states them. The rest are the
    2011–13 defaults; ``basis`` says which is which, so an editor knows what to review.
    """
    if season.counted_results and season.counted_of:
        counted, events = season.counted_results, season.counted_of
        individual = f"Individual: best {counted} of {events}, from the season's standings note."
    else:
        counted, events = DEFAULT_INDIVIDUAL
        individual = (
            f"Individual: best {counted} of {events}, the 2011–13 default (the source states no "
            "rule): review."
        )
    relay_counted, relay_events = DEFAULT_RELAY
    return {
        "points_per_place": list(ISU_POINTS_2011_13),
        "individual_counted": counted,
        "individual_events": events,
        "relay_counted": relay_counted,
        "relay_events": relay_events,
        "basis": "\n".join(
            [
                "Points: the ISU table of 2011–13, each place 80% of the one above from 1000, "
                "to 17th place (docs/STANDINGS.md, 'Points per place').",
                individual,
                RELAY_RULE_BASIS.format(counted=relay_counted, events=relay_events),
            ]
        ),
    }


def ensure_scoring_rule(season):
    """The season's rule, created with the defaults if it has none; an existing (possibly
    edited) rule is never changed. Returns ``(rule, created)``."""
    return ScoringRule.objects.get_or_create(season=season, defaults=default_rule_values(season))


def rule_for(scoring_rule, *, is_relay):
    if is_relay:
        counted, events = scoring_rule.relay_counted, scoring_rule.relay_events
    else:
        counted, events = scoring_rule.individual_counted, scoring_rule.individual_events
    return Rule(tuple(scoring_rule.points_per_place), counted, events)


def competitor_key(athlete, nation):
    """Athletes by slug, nation-only competitors (relay teams) by IOC code; None if neither."""
    if athlete is not None:
        return f"athlete:{athlete.slug}"
    return nation.code if nation is not None else None


def competitor_name(athlete, nation):
    if athlete is not None:
        return f"{athlete.name} ({nation.code})" if nation is not None else athlete.name
    return nation.code


def season_races(season):
    """The season's races with their meet and results, as :func:`build_inputs` reads them (two
    queries). Each result's athlete comes with its nation, a join rather than a query, because
    the standings page shows an athlete's nation where the result names none."""
    results = Result.objects.select_related("athlete__nation", "nation")
    return list(
        Race.objects.filter(meet__season=season)
        .select_related("meet")
        .prefetch_related(Prefetch("results", queryset=results))
    )


def table_races(table, races):
    """The races behind ``table`` among ``races`` (any order), in calendar order."""
    chosen = sorted(
        (race for race in races if (race.gender, race.distance) == (table.gender, table.distance)),
        key=lambda race: (race.meet.order, race.number or 0, race.date, race.pk),
    )
    # "After 5 of 8 events": later results are not in the published total.
    return chosen if table.events_held is None else chosen[: table.events_held]


def build_inputs(tables, races, scoring_rule):
    """``[(StandingsTable, TableInput)]`` for ``tables`` (entries with athlete and nation
    loaded), from ``races`` (:func:`season_races`) under ``scoring_rule``. No query.

    The one place rows become the core's input: the standings page passes the rows it has
    already loaded to show them, :func:`season_inputs` loads its own, and the page's explanation
    and the flags of :func:`check_standings` cannot drift apart.
    """
    inputs = []
    for table in tables:
        names, events, results = {}, [], []
        for race in table_races(table, races):
            # Within one table the city says which race; a doubled distance adds its number.
            label = f"{race.meet.city} ({race.number})" if race.number else race.meet.city
            event = Event(f"{race.meet.slug}-{race.anchor}", label, race.meet.city)
            events.append(event)
            for result in race.results.all():
                key = competitor_key(result.athlete, result.nation)
                names[key] = competitor_name(result.athlete, result.nation)
                results.append(Known(event.key, key, result.place))
        entries = []
        for entry in table.entries.all():
            key = competitor_key(entry.athlete, entry.nation)
            if key is not None:
                names[key] = competitor_name(entry.athlete, entry.nation)
            entries.append(Published(entry.row, entry.position, key, entry.points))
        rule = rule_for(scoring_rule, is_relay=table.is_relay)
        table_input = TableInput(
            table.title, rule, tuple(events), tuple(results), tuple(entries), names
        )
        inputs.append((table, table_input))
    return inputs


def season_inputs(season, scoring_rule=None):
    """``[(StandingsTable, TableInput)]`` for every published table of ``season``, in five
    queries. Without a stored rule the defaults are used (nothing is written)."""
    if scoring_rule is None:
        scoring_rule = ScoringRule.objects.filter(season=season).first() or ScoringRule(
            season=season, **default_rule_values(season)
        )
    tables = list(StandingsTable.objects.filter(season=season).with_entries())
    return build_inputs(tables, season_races(season), scoring_rule)


def analyze_season(season):
    """``[(StandingsTable, TableAnalysis)]``: what a season's standings page shows."""
    return [(table, analyze(table_input)) for table, table_input in season_inputs(season)]


@dataclass
class CheckReport:
    checked: int = 0
    reproduced: int = 0
    reachable: int = 0
    unreachable: int = 0
    rules_created: int = 0
    flags_created: int = 0
    flags_updated: int = 0
    flags_removed: int = 0
    unflagged: list = field(default_factory=list)  # unreachable, but no source line to flag


def check_standings(seasons=None):
    """Flag every published total that cannot be reached; idempotent.

    Gives a season without a rule its default rule first. A flag is upserted on its natural key
    (source, line, kind); open flags of this kind that no longer apply are deleted; resolved ones
    are left as the editors' record.
    """
    seasons = list(Season.objects.all() if seasons is None else seasons)
    report = CheckReport()
    with transaction.atomic():
        existing = {
            (flag.source_id, flag.line): flag
            for flag in Flag.objects.filter(season__in=seasons, kind=FlagKind.TOTAL_UNREACHABLE)
        }
        wanted = set()
        for season in seasons:
            _, created = ensure_scoring_rule(season)
            report.rules_created += created
            for table, analysis in analyze_season(season):
                entries = {entry.row: entry for entry in table.entries.all()}
                for check in analysis.checks:
                    report.checked += 1
                    setattr(report, check.verdict.value, getattr(report, check.verdict.value) + 1)
                    if not check.is_flagged:
                        continue
                    entry = entries[check.entry.row]
                    if entry.source_id is None or entry.source_line is None:
                        report.unflagged.append(f"{table}: {check.explanation}")
                        continue
                    values = {
                        "message": f"{table.title}, {check.explanation}",
                        "season_id": season.pk,
                        "meet_id": None,
                        "race_id": None,
                        "table_id": table.pk,
                        "entry_id": entry.pk,
                    }
                    key = (entry.source_id, entry.source_line)
                    wanted.add(key)
                    flag = existing.get(key)
                    if flag is None:
                        Flag.objects.create(
                            source_id=entry.source_id,
                            line=entry.source_line,
                            kind=FlagKind.TOTAL_UNREACHABLE,
                            **values,
                        )
                        report.flags_created += 1
                    elif not flag.is_resolved and any(
                        getattr(flag, name) != value for name, value in values.items()
                    ):
                        for name, value in values.items():
                            setattr(flag, name, value)
                        flag.save()
                        report.flags_updated += 1
        for key, flag in existing.items():
            if key not in wanted and not flag.is_resolved:
                flag.delete()
                report.flags_removed += 1
    return report


# == evidence and docs/STANDINGS.md ==========================================================

MARKDOWN_BEGIN = "<!-- BEGIN GENERATED by `manage.py check_standings --markdown`: do not edit -->"
MARKDOWN_END = "<!-- END GENERATED -->"

# Candidate points tables: the 80% table as stored, and the same cut after the B final (8th) or
# the A final (4th), in case only finalists scored.
POINTS_TABLES = (
    ("places 1–17", ISU_POINTS_2011_13),
    ("places 1–8", ISU_POINTS_2011_13[:8]),
    ("places 1–4", ISU_POINTS_2011_13[:4]),
)


def all_inputs():
    """``[(StandingsTable, TableInput)]`` for every season, in season order."""
    return [pair for season in Season.objects.all() for pair in season_inputs(season)]


def relay_rule_fits(inputs=None):
    """Every relay hypothesis (points table × best N of 6) against the published relay totals."""
    tables = [table_input for table, table_input in inputs or all_inputs() if table.is_relay]
    events = max((len(table_input.events) for table_input in tables), default=0)
    rules = [
        (f"best {counted} of {events}, {label}", Rule(points, counted, events))
        for label, points in POINTS_TABLES
        for counted in range(1, events + 1)
    ]
    return compare_rules(tables, rules)


def points_table_fits(inputs=None):
    """The candidate points tables against the published individual totals (best 6 of 8)."""
    pairs = [pair for pair in inputs or all_inputs() if not pair[0].is_relay]
    fits = []
    for label, points in POINTS_TABLES:
        by_counted = {}
        for _, table_input in pairs:
            rule = replace(table_input.rule, points=points)
            by_counted.setdefault(rule.description, []).append(replace(table_input, rule=rule))
        for description, tables in sorted(by_counted.items()):
            fits += compare_rules(tables, [(f"{description}, {label}", tables[0].rule)])
    return fits


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _fit_rows(fits):
    return [(fit.label, fit.reproduced, fit.reachable, fit.unreachable) for fit in fits]


def standings_markdown():
    """The generated part of docs/STANDINGS.md, from the archive's data and stored rules."""
    inputs = all_inputs()
    rules = list(ScoringRule.objects.select_related("season"))
    analyses = [(table, analyze(table_input)) for table, table_input in inputs]
    relay = [(table, analysis) for table, analysis in analyses if table.is_relay]
    relay_checks = [check for _, analysis in relay for check in analysis.checks]
    reproduced = sum(1 for check in relay_checks if check.verdict is Verdict.REPRODUCED)
    fit_header = ("Rule", "reproduced exactly", "reachable", "cannot be reached")
    out = [MARKDOWN_BEGIN, "", "### Stored rules", ""]
    out.append(
        _table(
            ("Season", "Points for 1st, 2nd, 3rd …", "Individual", "Relays"),
            [
                (
                    rule.season.years,
                    ", ".join(map(str, rule.points_per_place)),
                    f"best {rule.individual_counted} of {rule.individual_events}",
                    f"best {rule.relay_counted} of {rule.relay_events}",
                )
                for rule in rules
            ],
        )
    )
    individual = sum(len(t.entries) for table, t in inputs if not table.is_relay)
    out += [
        "",
        f"### Points tables against the {individual} published individual totals",
        "",
        _table(fit_header, _fit_rows(points_table_fits(inputs))),
        "",
        f"### Relay hypotheses against the {len(relay_checks)} published relay totals",
        "",
        "Best first: most totals reproduced exactly by the known podiums, then fewest that "
        "cannot be reached.",
        "",
        _table(fit_header, _fit_rows(relay_rule_fits(inputs))),
        "",
        "### Relay totals under the stored rules",
        "",
        f"The stored relay rules reproduce **{reproduced} of {len(relay_checks)}** published "
        "relay totals exactly from the known podiums.",
        "",
        _table(
            ("Season", "Table", "Pos", "Competitor", "Published", "Known results give", "Verdict"),
            [
                (
                    table.season.years,
                    table.title,
                    check.entry.position,
                    check.name,
                    check.entry.points,
                    check.known_points,
                    check.verdict.label,
                )
                for table, analysis in relay
                for check in analysis.checks
            ],
        ),
        "",
        "The working, entry by entry:",
        "",
        *(
            f"- {table.season.years} {table.title}, position {check.entry.position}: "
            f"{check.explanation}"
            for table, analysis in relay
            for check in analysis.checks
        ),
        "",
        "### Every table under the stored rules",
        "",
        _table(
            ("Season", "Table", "Rule", "reproduced exactly", "reachable", "cannot be reached"),
            [
                (
                    table.season.years,
                    table.title,
                    analysis.rule.description,
                    analysis.count(Verdict.REPRODUCED),
                    analysis.count(Verdict.REACHABLE),
                    analysis.count(Verdict.UNREACHABLE),
                )
                for table, analysis in analyses
            ],
        ),
        "",
        "### Flagged entries",
        "",
    ]
    flagged = [
        (table, check)
        for table, analysis in analyses
        for check in analysis.checks
        if check.is_flagged
    ]
    for table, check in flagged:
        entry = next(entry for entry in table.entries.all() if entry.row == check.entry.row)
        where = f"{entry.source.name} line {entry.source_line}" if entry.source_id else "no source"
        out.append(
            f"- **{table.season.years} {table.title}, position {check.entry.position}** "
            f"({where}): {check.explanation}"
        )
    if not flagged:
        out.append("None.")
    out += ["", MARKDOWN_END]
    return "\n".join(out)


def update_markdown(path):
    """Replace the generated part of ``path`` with :func:`standings_markdown`; True if changed."""
    text = path.read_text(encoding="utf-8")
    if MARKDOWN_BEGIN not in text or MARKDOWN_END not in text:
        raise ValueError(f"{path}: no generated section ({MARKDOWN_BEGIN} … {MARKDOWN_END})")
    before, rest = text.split(MARKDOWN_BEGIN, 1)
    after = rest.split(MARKDOWN_END, 1)[1]
    updated = before + standings_markdown() + after
    if updated != text:
        path.write_text(updated, encoding="utf-8")
    return updated != text
