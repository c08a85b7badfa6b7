"""Importing season articles however they are written (issue #14): both table forms give the
same archive, a source is the season it describes, and no input makes the importer raise
anything but its own FILE:LINE error, on SQLite and on PostgreSQL (CI runs this file on both)."""

import os
import string

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seasons.importing.parser import parse_source
from seasons.importing.records import SourceError
from seasons.importing.writer import import_seasons
from seasons.models import Athlete, Flag, Nation, Result, SourceFile, StandingsEntry, Venue
from tests.test_formats import PLAIN, WIKI

pytestmark = pytest.mark.django_db


def imported(text, name="2014-15.txt", **options):
    return import_seasons([parse_source(text.encode("utf-8"), name)], **options)


def archive():
    """The archive's facts, by natural key: who placed where, and the standings."""
    results = sorted(
        (
            r.race.meet.slug,
            r.race.gender,
            r.race.distance,
            r.race.date.isoformat(),
            r.place,
            r.athlete.name if r.athlete else None,
            r.nation.code if r.nation else (r.athlete.nation.code if r.athlete else None),
        )
        for r in Result.objects.select_related("race__meet", "athlete__nation", "nation")
    )
    entries = sorted(
        (
            e.table.gender,
            e.table.distance,
            e.position,
            e.points,
            e.athlete.name if e.athlete else None,
            e.nation.code if e.nation else (e.athlete.nation.code if e.athlete else None),
        )
        for e in StandingsEntry.objects.select_related("table", "athlete__nation", "nation")
    )
    venues = sorted(Venue.objects.values_list("city", "arena"))
    return results, entries, venues


def test_format_imports_wiki_twin_gives_the_same_archive():
    imported(PLAIN)
    plain = archive()
    counts = (Athlete.objects.count(), Nation.objects.count(), Venue.objects.count())
    assert len(plain[0]) == 36 and len(plain[1]) == 10
    # The same season in MediaWiki table markup, taken in place of the text form.
    imported(WIKI, name="2014-15-wiki.txt", replace=True)
    assert archive() == plain
    assert (Athlete.objects.count(), Nation.objects.count(), Venue.objects.count()) == counts
    assert Athlete.objects.count() == 9  # the nine skaters named, each once


def test_format_imports_same_article_under_another_name_changes_nothing():
    imported(PLAIN)
    flags = Flag.objects.count()
    report = imported(PLAIN, name="copy of 2014-15.txt")
    assert report.created.total() == 0 and report.updated.total() == 0
    assert report.same_as == ["copy of 2014-15.txt is 2014-15.txt, already imported"]
    assert Flag.objects.count() == flags
    assert list(SourceFile.objects.values_list("name", flat=True)) == ["2014-15.txt"]


def test_format_imports_second_article_for_a_season_is_refused_unless_asked():
    imported(PLAIN)
    other = PLAIN.replace("| 1800 |", "| 1700 |", 1)
    with pytest.raises(SourceError, match=r"^other\.txt:1: season 2014-15 was imported from "):
        imported(other, name="other.txt")
    assert not SourceFile.objects.filter(name="other.txt").exists()
    imported(other, name="other.txt", replace=True)
    assert StandingsEntry.objects.filter(points=1700).exists()


def test_format_imports_command_lists_every_flag_at_verbosity_2(tmp_path, capsys):
    path = tmp_path / "2014-15.txt"
    path.write_text(PLAIN.replace("| CAN | NED | KOR |", "| CAN | NED | Team Blue |"))
    call_command("import_season", str(path), verbosity=2)
    output = capsys.readouterr().out
    assert "open data-quality flags (" in output
    assert "2014-15.txt:17: place 3 'Team Blue': relay cell 'Team Blue' names no nation" in output
    call_command("import_season", str(path), verbosity=1)
    assert "Team Blue" not in capsys.readouterr().out


LINES = PLAIN.splitlines()
# What a hand, a paste or a cut does to an article: characters no editor types, numbers of any
# size, markup of both table forms.
NASTY = st.sampled_from(
    [
        "\x00",
        "\u2028",
        "\x0c",
        "|",
        "||",
        "!!",
        "{|",
        "|}",
        "|-",
        "[[",
        "]]",
        "{{",
        "}}",
        "<br />",
        "<ref>",
        "<!--",
        "=",
        "==",
        "(0)",
        "99999999999999999999",
        "-1",
        "T3",
        "—",
        "곽윤기",
        "名古屋",
        "x" * 300,
        "&nbsp;",
        "\u202e",
    ]
)
MUTATION = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, len(LINES) - 1)),
    st.tuples(st.just("repeat"), st.integers(0, len(LINES) - 1)),
    st.tuples(st.just("cut"), st.integers(1, len(PLAIN))),
    st.tuples(
        st.just("insert"),
        st.integers(0, len(PLAIN)),
        st.one_of(NASTY, st.text(string.printable + "–—éü가中", max_size=12)),
    ),
)


def mutate(mutations):
    text = PLAIN
    for mutation in mutations:
        kind, where, *what = mutation
        lines = text.split("\n")
        where = min(where, len(lines) - 1) if kind in ("delete", "repeat") else where
        if kind == "delete":
            del lines[where]
            text = "\n".join(lines)
        elif kind == "repeat":
            lines.insert(where, lines[where])
            text = "\n".join(lines)
        elif kind == "cut":
            text = text[: min(where, len(text))]
        else:
            text = text[:where] + what[0] + text[where:]
    return text


@settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", 60)),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutations=st.lists(MUTATION, min_size=1, max_size=4))
def test_format_imports_any_mutated_article_is_refused_cleanly_or_imported(mutations):
    """Property: a mutated article is refused with FILE:LINE, or imports, never a traceback
    (OverflowError, IntegrityError, IndexError, a NUL byte PostgreSQL cannot store…)."""
    text = mutate(mutations)
    try:
        parsed = parse_source(text.encode("utf-8"), "mutated.txt")
    except SourceError as error:
        assert str(error).startswith("mutated.txt:")
        assert error.line >= 0
        return
    # Each example from a clean archive (so that a failure replays), first as a new season,
    # then as a re-import over the article it was mutated from.
    for first in (None, PLAIN):
        with transaction.atomic():
            try:
                if first is not None:
                    import_seasons([parse_source(first.encode(), "mutated.txt")])
                import_seasons([parsed], replace=True)
            except SourceError as error:  # the importer's own refusal is allowed
                assert str(error).startswith("mutated.txt:")
            transaction.set_rollback(True)
