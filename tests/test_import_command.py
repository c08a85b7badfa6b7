"""import_season, build_fixtures and load_archive, against a real database."""

import filecmp
import re
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from seasons.models import (
    Flag,
    FlagKind,
    Meet,
    Nation,
    Race,
    Result,
    Season,
    SourceFile,
    StandingsEntry,
    StandingsTable,
    Venue,
)
from tests.helpers import SEASON_2011, SEASON_2012, SLC_RELAY, changed_source, run_import

pytestmark = pytest.mark.django_db

ARCHIVE_MODELS = [SourceFile, Season, Venue, Meet, Race, Result, StandingsTable, StandingsEntry]


def database_state():
    """Every archive row, as comparable values: proof that nothing was written."""
    return {
        model.__name__: sorted(map(str, model.objects.values_list()))
        for model in [*ARCHIVE_MODELS, Nation, Flag]
    }


def source_podium_cells(path):
    """(city, gender, distance cell, place, cell) for every non-blank podium cell, read with
    nothing but string splitting, independently of the importer."""
    cells, gender, city = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^(=+)\s*(.*?)\s*=+$", line)
        if heading and len(heading.group(1)) == 3 and heading.group(2) in ("Men", "Women"):
            gender = heading.group(2).lower()
        elif heading and len(heading.group(1)) == 4:
            city = heading.group(2)
        elif heading:
            gender = None if len(heading.group(1)) <= 2 else gender
        elif gender and line.startswith("| ") and not line.startswith("| Date"):
            row = [cell.strip() for cell in line.strip("|").split("|")]
            for place, cell in zip((1, 2, 3), row[3:6], strict=True):
                if cell:
                    cells.append((city, gender, row[2], place, cell))
    return cells


# -- the bundled fixtures ----------------------------------------------------------------------


def test_fixtures_hold_both_seasons(archive):
    assert Season.objects.count() == 2
    assert Meet.objects.count() == 12
    assert Race.objects.count() == 120
    assert StandingsTable.objects.count() == 16
    assert all(table.entries.count() == 5 for table in StandingsTable.objects.all())


def test_fixtures_put_every_podium_cell_in_its_place(archive):
    for path, season_slug in ((SEASON_2011, "2011-12"), (SEASON_2012, "2012-13")):
        cells = source_podium_cells(path)
        assert cells, "the source has podium cells"
        for city, gender, distance_cell, place, cell in cells:
            distance = int(re.match(r"\d+", distance_cell).group())
            number = re.search(r"\((\d)\)", distance_cell)
            race = Race.objects.get(
                meet__season__slug=season_slug,
                meet__city=city,
                gender=gender,
                distance=distance,
                number=int(number.group(1)) if number else None,
            )
            if cell == "WR":
                assert race.record == "WR"
                assert not race.results.filter(place=place).exists()
            else:
                assert race.results.get(place=place).nation.code == cell
        non_marks = [cell for cell in cells if cell[4] != "WR"]
        assert Result.objects.filter(race__meet__season__slug=season_slug).count() == len(non_marks)


def test_fixtures_are_the_output_of_build_fixtures(tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    call_command("build_fixtures", output=str(first), stdout=StringIO())
    call_command("build_fixtures", output=str(second), stdout=StringIO())
    assert first.read_bytes() == second.read_bytes()
    committed = settings.BASE_DIR / "fixtures" / "archive.json"
    assert filecmp.cmp(first, committed, shallow=False), "run `make fixtures` and commit"


def test_fixtures_use_natural_keys_not_ids():
    text = (settings.BASE_DIR / "fixtures" / "archive.json").read_text(encoding="utf-8")
    assert '"pk"' not in text


def test_build_fixtures_reports_a_bad_source(tmp_path):
    (tmp_path / "bad.txt").write_text("= 2014–15 World Cup =\n\nprose only\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad.txt:1: no calendar"):
        call_command("build_fixtures", sources=str(tmp_path), output=str(tmp_path / "out.json"))
    assert not (tmp_path / "out.json").exists()


# -- import_season ------------------------------------------------------------------------------


def test_import_creates_the_archive():
    output = run_import(SEASON_2011, SEASON_2012)
    assert "0 updated, 0 unchanged" in output
    assert Season.objects.count() == 2
    assert Race.objects.count() == 120
    season = Season.objects.get(slug="2011-12")
    assert season.counted_results == 6
    assert season.infobox_value("Prev") == "2010–11 World Cup"
    assert SourceFile.objects.get(name="2011-12.txt").imported_at is not None


def test_import_records_provenance():
    run_import(SEASON_2011)
    race = Race.objects.get(meet__slug="dordrecht", gender="men", distance=500)
    assert (race.source.name, race.source_line) == ("2011-12.txt", 57)
    line = race.source.line_text(race.source_line)
    assert line.startswith("| 12 February 2011 | Sportboulevard Dordrecht | 500m |")


def test_import_twice_changes_nothing():
    run_import(SEASON_2011, SEASON_2012)
    before = database_state()
    output = run_import(SEASON_2011, SEASON_2012)
    total = sum(model.objects.count() for model in [*ARCHIVE_MODELS, Nation]) - 2
    assert f"0 created, 0 updated, {total} unchanged" in output
    assert database_state() == before


def test_import_creates_flags_with_their_records():
    run_import(SEASON_2011)
    dordrecht = Flag.objects.filter(kind=FlagKind.RACE_OUTSIDE_SEASON)
    assert dordrecht.count() == 10
    assert {flag.race.meet.slug for flag in dordrecht} == {"dordrecht"}
    inferred = Flag.objects.get(kind=FlagKind.HEADING_INFERRED)
    assert inferred.table == StandingsTable.objects.get(heading_inferred=True)
    repeated = Flag.objects.get(kind=FlagKind.POSITION_REPEATED)
    assert (repeated.entry.row, repeated.entry.position) == (4, 3)


def test_import_dry_run_writes_nothing():
    output = run_import(SEASON_2011, dry_run=True)
    assert output.startswith("Dry run, nothing written: would be 2011-12.txt: ")
    assert Season.objects.count() == 0
    assert SourceFile.objects.count() == 0
    # What the dry run announced is what the real import then does; a dry run gives the whole
    # report, flags and all, as -v 2 does.
    real = run_import(SEASON_2011, verbosity=2)
    assert "2011-12.txt:57: race dated 12 February 2011, outside the season" in real
    assert output.removeprefix("Dry run, nothing written: would be ") == real


def test_import_keeps_an_editors_correction():
    run_import(SEASON_2011)
    relay = Race.objects.get(meet__slug="salt-lake-city", gender="men", distance=5000)
    # An editor fills in the missing second place and corrects the winner.
    Result.objects.create(race=relay, place=2, nation=Nation.objects.get(code="KOR"))
    winner = relay.results.get(place=1)
    winner.nation = Nation.objects.get(code="CHN")
    winner.save()
    output = run_import(SEASON_2011)
    assert "0 updated" in output
    assert "kept 1 editor corrections" in output
    relay.refresh_from_db()
    assert [(r.place, r.nation.code) for r in relay.results.all()] == [
        (1, "CHN"),
        (2, "KOR"),
        (3, "KOR"),
    ]


def test_import_keeps_a_venue_an_editor_named():
    run_import(SEASON_2011)
    shanghai = Venue.objects.get(city="Shanghai")
    shanghai.arena = "Oriental Sports Center"
    shanghai.save()
    output = run_import(SEASON_2011)
    assert "0 created, 0 updated" in output
    assert Venue.objects.filter(city="Shanghai").count() == 1
    meet = Meet.objects.get(season__slug="2011-12", slug="shanghai")
    assert meet.venue.arena == "Oriental Sports Center"


def test_import_lists_a_conflict_and_keeps_the_editor_value(tmp_path):
    run_import(SEASON_2011)
    winner = Result.objects.get(race__meet__slug="salt-lake-city", race__distance=5000, place=1)
    winner.nation = Nation.objects.get(code="CHN")
    winner.save()
    source = changed_source(tmp_path, SLC_RELAY, SLC_RELAY.replace("| CAN |", "| USA |"))
    output = run_import(source)
    assert "1 conflicts with editors' changes, kept the editor's value" in output
    assert "nation is ['CHN'] in the archive, the source says ['USA']" in output
    winner.refresh_from_db()
    assert winner.nation.code == "CHN"
    # Reported again on the next import: the conflict stands until someone settles it.
    assert "1 conflicts" in run_import(source)


def test_import_overwrite_takes_the_source_value(tmp_path):
    run_import(SEASON_2011)
    winner = Result.objects.get(race__meet__slug="salt-lake-city", race__distance=5000, place=1)
    winner.nation = Nation.objects.get(code="CHN")
    winner.save()
    source = changed_source(tmp_path, SLC_RELAY, SLC_RELAY.replace("| CAN |", "| USA |"))
    output = run_import(source, overwrite=True)
    assert "replaced by the source (--overwrite)" in output
    winner.refresh_from_db()
    assert winner.nation.code == "USA"


def test_import_updates_an_untouched_value_the_source_changed(tmp_path):
    run_import(SEASON_2011)
    relay = Race.objects.get(meet__slug="salt-lake-city", gender="men", distance=5000)
    version = relay.version
    source = changed_source(tmp_path, SLC_RELAY, SLC_RELAY.replace("23 October", "24 October"))
    output = run_import(source)
    assert "1 updated" in output
    relay.refresh_from_db()
    assert relay.date.day == 24
    assert relay.version == version + 1


def test_import_reports_a_podium_place_the_source_dropped(tmp_path):
    run_import(SEASON_2011)
    source = changed_source(tmp_path, SLC_RELAY, SLC_RELAY.replace("| KOR |", "| |"))
    output = run_import(source)
    assert "no longer in the source (kept)" in output
    assert Result.objects.filter(race__meet__slug="salt-lake-city", place=3).exists()


def test_import_keeps_resolved_flags_and_drops_stale_open_ones(tmp_path, editor):
    run_import(SEASON_2011)
    inferred = Flag.objects.get(kind=FlagKind.HEADING_INFERRED)
    inferred.resolved_at = timezone.now()
    inferred.resolution = "Checked against the ISU results: men's 500 m."
    inferred.resolved_by = editor
    inferred.save()
    # The repeated position is corrected in the source: its open flag no longer applies.
    source = changed_source(tmp_path, "| 3. | RUS | 2522 |", "| 4. | RUS | 2522 |")
    output = run_import(source)
    assert "0 new, 1 no longer apply" in output
    assert not Flag.objects.filter(kind=FlagKind.POSITION_REPEATED).exists()
    inferred.refresh_from_db()
    assert inferred.is_resolved


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("| 23 October 2011 | Utah", "| 32 October 2011 | Utah", r"2011-12.txt:17: '32 October"),
        ("| 1. | | 4800 |", "| 1. | | lots |", r"2011-12.txt:125: points 'lots'"),
    ],
)
def test_import_refuses_bad_input_and_writes_nothing(tmp_path, old, new, message):
    run_import(SEASON_2012)
    before = database_state()
    bad = changed_source(tmp_path, old, new)
    # The good file first: all-or-nothing means it is not written either.
    with pytest.raises(CommandError, match=message):
        run_import(SEASON_2011, bad)
    assert database_state() == before


def test_import_command_exits_non_zero_without_traceback(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    done = subprocess.run(
        [sys.executable, "manage.py", "import_season", str(bad), "--dry-run"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == "CommandError: empty.txt:1: the file is empty"


# -- load_archive -------------------------------------------------------------------------------


def test_load_archive_fills_an_empty_database():
    out = StringIO()
    call_command("load_archive", stdout=out)
    assert Season.objects.count() == 2
    assert "Installed" in out.getvalue()


def test_load_archive_never_loads_over_existing_data(archive):
    meet = Meet.objects.get(season__slug="2011-12", slug="nagoya")
    meet.city = "Nagoya (edited)"
    meet.save()
    out = StringIO()
    call_command("load_archive", stdout=out)
    assert "fixtures not loaded" in out.getvalue()
    meet.refresh_from_db()
    assert meet.city == "Nagoya (edited)"


# World Cup numbers are unique in a season: a source that renumbers its meets (one added or
# dropped mid-calendar) must not trip over the numbers the archive holds.

CALGARY = """==== Calgary ====
| Date | Place | Distance | Winner | Second | Third | Reference |
| 26 October 2011 | Olympic Oval | 500m | | | | |

"""


def meet_numbers():
    return list(
        Meet.objects.filter(season__slug="2011-12").order_by("order").values_list("slug", "order")
    )


def test_import_renumbers_meets_around_a_meet_added_mid_calendar(tmp_path):
    run_import(SEASON_2011)
    saguenay = Meet.objects.get(season__slug="2011-12", slug="saguenay")
    records = saguenay.history.count()
    text = SEASON_2011.read_text(encoding="utf-8").replace(
        "==== Saguenay ====\n", CALGARY + "==== Saguenay ====\n", 1
    )
    path = tmp_path / "2011-12.txt"
    path.write_text(text, encoding="utf-8")

    output = run_import(path)

    assert "conflicts" not in output
    assert meet_numbers() == [
        ("salt-lake-city", 1),
        ("calgary", 2),
        ("saguenay", 3),
        ("nagoya", 4),
        ("shanghai", 5),
        ("moscow", 6),
        ("dordrecht", 7),
    ]
    # Parking Saguenay out of the way was no edit of its own: one record, the renumbering.
    assert saguenay.history.count() == records + 1
    assert saguenay.history.first().order == 3


def test_import_moves_a_meet_the_source_dropped_after_the_others(tmp_path):
    run_import(SEASON_2011)
    lines = SEASON_2011.read_text(encoding="utf-8").splitlines(keepends=True)
    kept, skipping = [], False
    for line in lines:  # both Saguenay sections, to the next heading
        if line.startswith("=="):
            skipping = "Saguenay" in line
        if not skipping:
            kept.append(line)
    path = tmp_path / "2011-12.txt"
    path.write_text("".join(kept), encoding="utf-8")

    output = run_import(path)

    assert "conflicts" not in output
    assert meet_numbers() == [
        ("salt-lake-city", 1),
        ("nagoya", 2),
        ("shanghai", 3),
        ("moscow", 4),
        ("dordrecht", 5),
        ("saguenay", 6),
    ]
    assert "not in the source at World Cup 2, now World Cup 6" in output
