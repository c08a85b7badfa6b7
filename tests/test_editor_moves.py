"""An editor may correct where a row belongs, not only what it says: a result to another place or
race, a race to another distance. The importer finds such a row by the key it was imported under
(``imported_key``), so a re-import neither undoes the move nor adds the source's row again."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from seasons.importing.deletions import record_deletion
from seasons.models import (
    Athlete,
    Deletion,
    Meet,
    Nation,
    Race,
    Result,
    Season,
    StandingsEntry,
    StandingsTable,
    key_text,
)
from tests.helpers import (
    MIXED_SEASON,
    SEASON_2011,
    SLC_RELAY,
    changed_source,
    make_correction,
    run_import,
)

pytestmark = pytest.mark.django_db


def slc_relay():
    return Race.objects.get_by_natural_key("2011-12", "salt-lake-city", "men", 5000, None)


def test_a_result_moved_to_another_place_stays_there(archive, editor):
    korea = slc_relay().results.get(place=3)  # the source: CAN first, second unknown, KOR third
    make_correction(korea, editor, place=2)

    output = run_import(SEASON_2011)

    assert sorted(slc_relay().results.values_list("place", "nation__code")) == [
        (1, "CAN"),
        (2, "KOR"),
    ]
    assert "0 created" in output
    assert "kept 1 editor corrections" in output
    assert "no longer in the source" not in output


def test_a_result_moved_to_another_race_stays_there(archive, editor):
    korea = slc_relay().results.get(place=3)
    saguenay_500 = Race.objects.get_by_natural_key("2011-12", "saguenay", "men", 500, 1)
    make_correction(korea, editor, race=saguenay_500)

    output = run_import(SEASON_2011)

    assert not slc_relay().results.filter(place=3).exists()
    assert saguenay_500.results.get(place=3).nation.code == "KOR"
    assert "kept 1 editor corrections" in output


def test_a_race_moved_to_another_distance_keeps_its_results(write_source, editor):
    path = write_source(MIXED_SEASON, "2019-20.txt")
    run_import(path)
    sprint = Race.objects.get(meet__season__slug="2019-20", gender="men", distance=500)
    make_correction(sprint, editor, distance=1000)

    output = run_import(path)

    races = Race.objects.filter(meet__season__slug="2019-20", gender="men")
    assert list(races.values_list("distance", flat=True)) == [1000]
    assert [str(result.athlete) for result in races.get().results.all()] == ["Wu Dajing (CHN)"]
    assert Result.objects.filter(race__meet__season__slug="2019-20").count() == 4
    assert "0 created" in output
    assert "conflicts" not in output
    assert "kept 1 editor corrections" in output


def test_a_row_moved_into_a_place_the_source_then_names_is_a_conflict(archive, editor, tmp_path):
    korea = slc_relay().results.get(place=3)
    make_correction(korea, editor, place=2)
    path = changed_source(tmp_path, SLC_RELAY, SLC_RELAY.replace("| CAN | |", "| CAN | USA |"))

    output = run_import(path)

    assert "moved here by an editor" in output
    assert "1 conflicts" in output
    assert sorted(slc_relay().results.values_list("place", "nation__code")) == [
        (1, "CAN"),
        (2, "KOR"),
    ]


def test_a_moved_row_deleted_later_stays_deleted(archive, editor):
    korea = slc_relay().results.get(place=3)
    make_correction(korea, editor, place=2)
    record_deletion(korea, editor)
    korea.delete()
    # Remembered by the key the source names it by, not the place it was moved to.
    assert Deletion.objects.get().key == ["2011-12", "salt-lake-city", "men", 5000, None, 3]

    run_import(SEASON_2011)

    assert list(slc_relay().results.values_list("place", flat=True)) == [1]


def test_an_editors_own_row_at_the_sources_place_becomes_the_sources(archive, tmp_path):
    """A row an editor added before the source named it is taken as the source's row, not
    duplicated or refused; from then on it is found by the source's key."""
    relay = slc_relay()
    usa = relay.results.get(place=1).nation.__class__.objects.get(code="USA")
    added = Result.objects.create(race=relay, place=2, nation=usa)
    path = changed_source(tmp_path, SLC_RELAY, SLC_RELAY.replace("| CAN | |", "| CAN | USA |"))

    output = run_import(path)

    added.refresh_from_db()
    assert added.imported_key == key_text(["2011-12", "salt-lake-city", "men", 5000, None, 2])
    assert relay.results.count() == 3
    assert "0 created" in output


def test_the_migration_gives_existing_imported_rows_their_natural_key(archive):
    migration = importlib.import_module("seasons.migrations.0012_imported_key")
    models = [Season, Meet, Race, Result, StandingsTable, StandingsEntry]
    for model in models:
        model.objects.update(imported_key="")

    migration.fill_imported_keys(apps, None)

    for model in models:
        rows = list(model.objects.all())
        assert rows
        assert all(row.imported_key == key_text(row.natural_key()) for row in rows), model


def test_moves_are_corrections_with_history(archive, editor):
    korea = slc_relay().results.get(place=3)
    make_correction(korea, editor, place=2, reason="ISU results: second")
    record = korea.history.first()
    assert (record.place, record.history_change_reason) == (2, "ISU results: second")
    assert get_user_model().objects.get(pk=record.history_user_id) == editor


def test_an_athlete_an_editor_renamed_is_found_by_the_name_the_source_gives(write_source, editor):
    path = write_source(MIXED_SEASON, "2019-20.txt")
    run_import(path)
    wu = Athlete.objects.get(name="Wu Dajing")
    make_correction(wu, editor, name="Dajing Wu")

    output = run_import(path)

    assert list(Athlete.objects.values_list("name", flat=True)) == ["Dajing Wu"]
    assert {str(result.athlete) for result in Result.objects.filter(athlete__isnull=False)} == {
        "Dajing Wu (CHN)"
    }
    assert StandingsEntry.objects.get(athlete__isnull=False).athlete == wu
    assert "0 created" in output


def test_an_athlete_an_editor_moved_to_another_nation_is_found_too(write_source, editor):
    path = write_source(MIXED_SEASON, "2019-20.txt")
    run_import(path)
    wu = Athlete.objects.get(name="Wu Dajing")
    make_correction(wu, editor, nation=Nation.objects.get(code="KOR"))

    run_import(path)

    assert Athlete.objects.count() == 1
    assert Result.objects.get(athlete__isnull=False).athlete == wu


def test_the_migration_remembers_how_existing_athletes_are_named(skaters):
    migration = importlib.import_module("seasons.migrations.0014_athlete_imported_name")
    Athlete.objects.update(imported_name="", imported_nation="")

    migration.fill_imported_names(apps, None)

    for athlete in Athlete.objects.select_related("nation"):
        code = athlete.nation.code if athlete.nation else ""
        assert (athlete.imported_name, athlete.imported_nation) == (athlete.name, code)
