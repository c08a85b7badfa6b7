"""Whether each published total can be true: the search, the verdict and its arithmetic.

A published total the known results do not give may still be true: the competitor may have
results the sources do not name. This module decides whether any such results could give it,
and says so in words. It never corrects a source: a total that cannot be reached becomes a
verdict with the arithmetic shown, which :mod:`.check` stores as a flag. :func:`analyze` puts a
table's computed standings (:mod:`.scoring`) and these checks together for the standings page.

Reachability, precisely: a competitor's known results are fixed. In every other event of the
table it may have any place not already taken by a known result in that race, or no points at
all (did not start, or placed beyond the points table). The published total is reachable iff
some such choice makes the best N of all its results sum to exactly that total. An entry the
source does not name may be any named competitor not listed elsewhere in the table, or someone
never named in a podium; it is reachable if any of them fits. Each entry is checked on its own:
two entries are not stopped from needing the same place in the same race.

Pure, like :mod:`.scoring`: plain data in, plain data out, no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import replace
from itertools import chain

from .scoring import (
    Candidate,
    Check,
    Published,
    Rule,
    RuleFit,
    TableAnalysis,
    TableInput,
    Verdict,
    ordinal,
    progression,
    score_results,
    standings,
)

# -- the search -----------------------------------------------------------------------------


def _search(
    fixed: Sequence[int],
    options: Sequence[Sequence[int]],
    counted: int,
    target: int | None = None,
) -> set[int] | tuple[int, ...] | None:
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


# -- one candidate competitor ---------------------------------------------------------------


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


def describe_open_places(taken: AbstractSet[int]) -> str:
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


# -- verdicts ------------------------------------------------------------------------------


def check_entry(table: TableInput, entry: Published) -> Check:
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


def analyze(table: TableInput) -> TableAnalysis:
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


def compare_rules(tables: Iterable[TableInput], rules: Sequence[tuple[str, Rule]]) -> list[RuleFit]:
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
