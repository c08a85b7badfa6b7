"""The scoring core on small hand-built seasons: no database."""

import datetime
import itertools
import random
from types import SimpleNamespace

import pytest

from seasons.standings.check import table_races
from seasons.standings.reachability import (
    _search,
    analyze,
    check_entry,
    compare_rules,
    describe_open_places,
)
from seasons.standings.scoring import (
    ISU_POINTS_2011_13,
    Event,
    Known,
    Published,
    Rule,
    TableInput,
    Verdict,
    counted_flags,
    ordinal,
    progression,
    standings,
)

POINTS = (1000, 800, 640, 512, 410)


def make_table(podiums, entries=(), *, counted=2, points=POINTS, meets=None):
    """A table with one event per podium. ``podiums``: {event label: (1st, 2nd, 3rd)} with None
    for an unknown place; events named ``Nagoya (1)`` share the meet ``Nagoya``."""
    events, results = [], []
    for label, podium in podiums.items():
        meet = (meets or {}).get(label, label.split(" (")[0])
        events.append(Event(label, label, meet))
        results += [
            Known(label, who, place) for place, who in enumerate(podium, start=1) if who is not None
        ]
    return TableInput(
        "Test relay",
        Rule(tuple(points), counted),
        tuple(events),
        tuple(results),
        tuple(
            Published(row, row, competitor, total)
            for row, (competitor, total) in enumerate(entries, start=1)
        ),
        {},
    )


def make_race(meet_order, number=None, *, distance=1000, pk=0):
    """A race as ``table_races`` reads it: just the fields that place it in the calendar."""
    meet = SimpleNamespace(order=meet_order)
    date = datetime.date(2012, 10, 1) + datetime.timedelta(weeks=meet_order)
    return SimpleNamespace(
        gender="women", distance=distance, meet=meet, number=number, date=date, pk=pk
    )


def counted_total(points, counted):
    """The best-``counted`` total of ``points``, through the counting the standings use."""
    flags = counted_flags(points, counted)
    return sum(value for value, flag in zip(points, flags, strict=True) if flag)


def brute_force_totals(fixed, options, counted):
    return {counted_total([*fixed, *choice], counted) for choice in itertools.product(*options)}


# -- counting -------------------------------------------------------------------------------


def test_counted_flags_best_n_of_m():
    points = [1000, 210, 800, 640, 512, 262, 410, 328]
    assert counted_flags(points, 6) == [True, False, True, True, True, False, True, True]


def test_counted_flags_ties_drop_the_later_result():
    assert counted_flags([800, 1000, 800, 800], 3) == [True, True, True, False]


def test_standings_doubled_distances_are_two_events():
    table = make_table(
        {
            "Nagoya (1)": ("A", None, None),
            "Nagoya (2)": ("A", None, None),
            "Moscow": ("B", "A", None),
        },
        counted=3,
    )
    [first, second] = standings(table)
    assert (first.name, first.total) == ("A", 2800)
    assert [score.event.label for score in first.counted] == ["Nagoya (1)", "Nagoya (2)", "Moscow"]
    assert second.total == 1000


def test_standings_fewer_results_than_counted_all_count():
    table = make_table({"X": ("A", None, None), "Y": (None, "A", None)}, counted=4)
    [standing] = standings(table)
    assert standing.total == 1800
    assert standing.dropped == ()


def test_standings_drop_beyond_best_n_and_struck_in_calendar_order():
    table = make_table({"X": ("A",), "Y": (None, "A"), "Z": ("A",)}, counted=2)
    [standing] = standings(table)
    assert standing.total == 2000
    assert [str(score) for score in standing.dropped] == ["2nd in Y (800)"]


def test_standings_equal_totals_share_a_rank():
    table = make_table({"X": ("A", "B", "C"), "Y": ("B", "A", None)}, counted=2)
    ranks = [(standing.name, standing.rank) for standing in standings(table)]
    assert ranks == [("A", 1), ("B", 1), ("C", 3)]


def test_progression_totals_after_each_meet():
    table = make_table(
        {
            "Calgary": ("A", "B"),
            "Nagoya (1)": ("B", "A"),
            "Nagoya (2)": ("B", None),
            "Sochi": ("A",),
        },
        counted=2,
    )
    steps = progression(table)
    assert [step.meet for step in steps] == ["Calgary", "Nagoya", "Sochi"]
    assert [dict(step.totals) for step in steps] == [
        {"A": 1000, "B": 800},
        {"A": 1800, "B": 2000},
        {"A": 2000, "B": 2000},
    ]


def test_rule_rejects_a_lower_place_scoring_more():
    with pytest.raises(ValueError, match="lower place"):
        Rule((1000, 800, 900), 2)


def test_rule_place_beyond_the_table_scores_nothing():
    assert Rule(POINTS, 2).points_for(6) == 0


# -- reachability ---------------------------------------------------------------------------


def test_check_reproduced_exactly_by_known_results():
    table = make_table({"X": ("A",), "Y": (None, "A"), "Z": ("A",)}, [("A", 2000)], counted=2)
    check = check_entry(table, table.entries[0])
    assert check.verdict is Verdict.REPRODUCED
    assert check.known_points == 2000
    assert "reproduced exactly" in check.explanation
    assert "2nd in Y (800) dropped" in check.explanation


def test_check_reachable_through_an_unknown_place():
    table = make_table({"X": ("A", "B", "C"), "Y": (None, None, None)}, [("B", 1600)])
    check = check_entry(table, table.entries[0])
    assert check.verdict is Verdict.REACHABLE
    assert check.known_points == 800
    [candidate] = check.candidates
    assert [str(score) for score in candidate.witness] == ["2nd in X (800)", "2nd in Y (800)"]


def test_check_unknown_place_cannot_be_one_already_taken():
    # B needs 800 more: 2nd in Y, but C is known to be 2nd there.
    taken = make_table({"X": ("A", "B"), "Y": ("A", "C")}, [("B", 1600)])
    assert check_entry(taken, taken.entries[0]).verdict is Verdict.UNREACHABLE
    open_ = make_table({"X": ("A", "B"), "Y": ("A", None)}, [("B", 1600)])
    assert check_entry(open_, open_.entries[0]).verdict is Verdict.REACHABLE


def test_check_unreachable_shows_the_arithmetic():
    table = make_table({"X": ("A", "B"), "Y": ("A", None, "C")}, [("B", 1500)])
    check = check_entry(table, table.entries[0])
    assert check.verdict is Verdict.UNREACHABLE
    assert check.is_flagged
    # 800 known; Y leaves 2nd, or 4th or lower: 800 + 800, 800 + 512, 800 + 410.
    assert "known results 2nd in X (800)" in check.explanation
    assert "Y: 2nd, 4th or lower" in check.explanation
    assert "nearest reachable totals are 1312" in check.explanation
    assert "1600 (with 2nd in Y (800), best 2 give 800 + 800 = 1600)" in check.explanation


def test_check_known_results_above_the_total_are_unreachable():
    table = make_table({"X": ("A",), "Y": ("A",)}, [("A", 1800)])
    check = check_entry(table, table.entries[0])
    assert check.verdict is Verdict.UNREACHABLE
    assert "alone give 2000, more than 1800" in check.explanation


def test_check_total_must_be_a_sum_of_at_most_n_table_values():
    events = dict.fromkeys("UVWX", (None, None, None))
    table = make_table(events, [(None, 1900), (None, 1640), (None, 2001)], counted=2)
    verdicts = [check_entry(table, entry).verdict for entry in table.entries]
    assert verdicts == [Verdict.UNREACHABLE, Verdict.REACHABLE, Verdict.UNREACHABLE]


def test_check_unnamed_entry_may_be_an_unlisted_named_competitor():
    # Nobody but D can score 1000 + 1000 here; D is named in the podiums, not in the table.
    table = make_table({"X": ("D", "A", "B"), "Y": ("D", "A", "B")}, [("A", 1600), (None, 2000)])
    check = check_entry(table, table.entries[1])
    assert check.verdict is Verdict.REACHABLE
    fits = [c.name for c in check.candidates if c.verdict is not Verdict.UNREACHABLE]
    assert fits == ["D"]
    assert "It cannot be B, a competitor named in no podium." in check.explanation


def test_check_unnamed_entry_nobody_can_be():
    table = make_table({"X": ("A", "B", "C")}, [("A", 1000), (None, 900)], counted=1)
    check = check_entry(table, table.entries[1])
    assert check.verdict is Verdict.UNREACHABLE
    assert "not B:" in check.explanation
    assert "not a competitor named in no podium:" in check.explanation


@pytest.mark.parametrize("seed", range(40))
def test_search_agrees_with_brute_force(seed):
    rng = random.Random(seed)
    rule = Rule(POINTS, rng.randint(1, 4))
    fixed = [rule.points_for(rng.randint(1, 6)) for _ in range(rng.randint(0, 3))]
    options = [
        rule.open_points(frozenset(rng.sample(range(1, 6), rng.randint(0, 3))))
        for _ in range(rng.randint(0, 4))
    ]
    expected = brute_force_totals(fixed, options, rule.counted)
    assert _search(fixed, options, rule.counted) == expected
    for target in range(0, max(expected) + 2, 2):
        found = _search(fixed, options, rule.counted, target)
        assert (found is not None) == (target in expected)
        if found is not None:
            assert counted_total([*fixed, *found], rule.counted) == target


def test_analyze_collects_checks_standings_and_progression():
    table = make_table({"X": ("A", "B"), "Y": ("B", "A")}, [("A", 1800), ("B", 1900)])
    analysis = analyze(table)
    assert analysis.has_known_results
    assert analysis.count(Verdict.REPRODUCED) == 1
    assert analysis.count(Verdict.UNREACHABLE) == 1
    assert [step.meet for step in analysis.progression] == ["X", "Y"]


def test_compare_rules_orders_the_best_explanation_first():
    table = make_table(
        {"X": ("A", "B"), "Y": ("A", "B"), "Z": ("A", "B")}, [("A", 2000), ("B", 1600)]
    )
    fits = compare_rules(
        [table],
        [(f"best {n}", Rule(POINTS, n)) for n in (1, 2, 3)],
    )
    assert [(fit.label, fit.reproduced, fit.unreachable) for fit in fits] == [
        ("best 2", 2, 0),
        ("best 1", 0, 2),
        ("best 3", 0, 2),
    ]


def test_isu_table_is_eighty_percent_of_the_place_above():
    for higher, lower in itertools.pairwise(ISU_POINTS_2011_13):
        assert round(higher * 0.8) == lower


@pytest.mark.parametrize(
    ("taken", "text"),
    [
        (frozenset(), "any place"),
        (frozenset({1, 2, 3}), "4th or lower"),
        (frozenset({1, 3}), "2nd, 4th or lower"),
    ],
)
def test_describe_open_places(taken, text):
    assert describe_open_places(taken) == text


def test_ordinal():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd"
    ]  # fmt: skip


# -- from rows --------------------------------------------------------------------------------


def test_table_races_calendar_order_whatever_the_order_given():
    first, second, doubled_1, doubled_2 = (
        make_race(1, pk=4),
        make_race(2, pk=1),
        make_race(3, 1, pk=3),
        make_race(3, 2, pk=2),
    )
    table = SimpleNamespace(gender="women", distance=1000, events_held=None)
    other = make_race(0, distance=500)

    chosen = table_races(table, [doubled_2, other, second, doubled_1, first])

    assert chosen == [first, second, doubled_1, doubled_2]


def test_table_races_leave_out_races_after_the_events_held():
    races = [make_race(order, pk=order) for order in range(1, 5)]
    table = SimpleNamespace(gender="women", distance=1000, events_held=3)

    assert table_races(table, races[::-1]) == races[:3]
