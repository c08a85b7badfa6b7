"""The synthetic archive (seasons/importing/synthetic.py) and its command."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from seasons.caching import current_version
from seasons.importing.synthetic import SyntheticArchiveError, generate_archive
from seasons.models import Meet, Race, Result, Season, SourceFile, StandingsEntry, StandingsTable
from seasons.standings.check import check_standings

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def synthetic_sources():
    return list(SourceFile.objects.order_by("name").values_list("name", "sha256"))


def sources_of(*batches):
    """The source files that generating ``batches`` seasons in turn gives, in a transaction
    rolled back afterwards. Each file lists every row of its season, so equal files mean equal
    seasons."""
    try:
        with transaction.atomic():
            for seasons in batches:
                generate_archive(seasons, seed=7)
            sources = synthetic_sources()
            raise Rollback
    except Rollback:
        return sources


def test_generate_archive_gives_each_season_full_size():
    generate_archive(1)

    season = Season.objects.get()
    assert season.slug == "1901-02"
    assert season.meets.count() == 6
    races = Race.objects.filter(meet__season=season)
    assert races.count() == 6 * 2 * 5
    assert Result.objects.filter(race__meet__season=season).count() == 6 * 2 * 5 * 8
    assert StandingsTable.objects.filter(season=season).count() == 8
    assert StandingsEntry.objects.filter(table__season=season).count() == 8 * 50


def test_generate_archive_names_every_individual_result():
    generate_archive(1)

    individual = Result.objects.filter(race__distance__lte=1500)
    assert not individual.filter(athlete__isnull=True).exists()
    assert not Result.objects.filter(race__distance__gt=1500, athlete__isnull=False).exists()


def test_generate_archive_standings_agree_with_its_results():
    generate_archive(2)

    # Every published total is one the season's results and scoring rule can give.
    assert check_standings().flags_created == 0


def test_generate_archive_marks_everything_synthetic():
    generate_archive(2)

    assert list(Season.objects.values_list("slug", flat=True)) == ["1901-02", "1902-03"]
    assert all(
        title.startswith("Synthetic") for title in Season.objects.values_list("title", flat=True)
    )
    assert synthetic_sources()[0][0] == "synthetic-1901-02.txt"
    meet = Meet.objects.select_related("source", "venue").first()
    assert meet.source.name == "synthetic-1901-02.txt"
    assert meet.source.line_text(meet.source_line).startswith("== World Cup 1:")
    assert "Synthetic" in meet.venue.arena


def test_generate_archive_is_deterministic():
    assert sources_of(3) == sources_of(3)


def test_generate_archive_in_two_runs_equals_one():
    assert sources_of(1, 2) == sources_of(3)


def test_generate_archive_seed_changes_the_archive():
    first = sources_of(1)
    try:
        with transaction.atomic():
            generate_archive(1, seed=8)
            assert synthetic_sources() != first
            raise Rollback
    except Rollback:
        pass


def test_generate_archive_refuses_real_seasons(archive):
    with pytest.raises(SyntheticArchiveError, match="2 real seasons"):
        generate_archive(1)

    assert Season.objects.count() == 2


def test_generate_archive_adds_to_real_seasons_when_forced(archive):
    generate_archive(3, force=True)

    assert Season.objects.count() == 5


def test_generate_archive_stops_before_real_years():
    with pytest.raises(SyntheticArchiveError, match="at most 90"):
        generate_archive(91)


def test_generate_archive_retires_cached_pages():
    before = current_version()

    generate_archive(1)

    assert current_version() != before


def test_generate_archive_command_reports_what_it_made():
    out = StringIO()

    call_command("generate_archive", "--seasons", "2", stdout=out)

    assert out.getvalue().startswith("Generated 2 synthetic seasons (1901-02 … 1902-03):")
    assert "960 results" in out.getvalue()


def test_generate_archive_command_refuses_real_seasons(archive):
    with pytest.raises(CommandError, match="--force"):
        call_command("generate_archive", "--seasons", "1", stdout=StringIO())
