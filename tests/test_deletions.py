"""An imported row an editor deletes stays deleted when its source is imported again: a deletion
is a correction like any other, and a re-import never silently undoes one."""

import pytest
from django.contrib.auth.models import Group

from seasons.importing.deletions import record_deletion
from seasons.models import Deletion, Flag, FlagKind, Meet, Nation, Race, Result, StandingsTable
from tests.helpers import (
    SEASON_2011,
    SLC_RELAY,
    changed_source,
    inline_field,
    open_form,
    race,
    run_import,
    save,
)

pytestmark = pytest.mark.django_db


def slc_relay_bronze():
    return Result.objects.get(race__meet__slug="salt-lake-city", race__distance=5000, place=3)


def delete_in_admin(client, obj):
    url = f"/admin/seasons/{obj._meta.model_name}/{obj.pk}/delete/"
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302, response.content[:2000]
    assert not type(obj).objects.filter(pk=obj.pk).exists()


def test_a_result_deleted_in_admin_stays_deleted_on_reimport(editor_client, editor):
    bronze = slc_relay_bronze()  # KOR, as the source says
    delete_in_admin(editor_client, bronze)

    deletion = Deletion.objects.get()
    assert deletion.key == ["2011-12", "salt-lake-city", "men", 5000, None, 3]
    assert (deletion.deleted_by, deletion.source.name) == (editor, "2011-12.txt")
    assert deletion.imported_values["nation"] == ["KOR"]

    output = run_import(SEASON_2011)

    assert "deleted by an editor (left deleted): result" in output
    assert not Result.objects.filter(
        race__meet__slug="salt-lake-city", race__distance=5000, place=3
    ).exists()
    assert "0 created" in output


def test_a_deleted_meet_stays_deleted_with_its_races_results_and_flags(editor_client):
    meet = Meet.objects.get(season__slug="2011-12", slug="dordrecht")
    # The parser's flags: without the meet's results, some published totals become unreachable,
    # which the standings check rightly flags.
    parser_flags = Flag.objects.exclude(kind=FlagKind.TOTAL_UNREACHABLE)
    its_flags = parser_flags.filter(meet=meet).count()
    assert its_flags  # its dates contradict its season
    its_lines = set(parser_flags.filter(meet=meet).values_list("line", flat=True))
    delete_in_admin(editor_client, meet)  # flags go with the row, though editors cannot delete one
    # Only what the editor deleted is remembered, not what went with it.
    assert Deletion.objects.count() == 1
    # The season's data is checked again without the meet (seasons.doubts): its dates no longer
    # contradict the intro, and the standings now count more events than the calendar lists.
    after_delete = set(parser_flags.values_list("source__name", "line", "kind"))
    assert ("2011-12.txt", 9, FlagKind.INTRO_START) not in after_delete
    assert any(kind == FlagKind.EVENT_COUNT for _, _, kind in after_delete)

    output = run_import(SEASON_2011)

    assert not Meet.objects.filter(slug="dordrecht").exists()
    assert not Race.objects.filter(meet__slug="dordrecht").exists()
    # Its flags stay gone with it; the import brings back none.
    assert set(parser_flags.values_list("source__name", "line", "kind")) == after_delete
    assert not parser_flags.filter(source__name="2011-12.txt", line__in=its_lines).exists()
    assert "0 created" in output


def test_a_standings_row_deleted_in_bulk_stays_deleted(editor_client):
    table = StandingsTable.objects.filter(season__slug="2011-12").first()
    pks = [str(pk) for pk in table.entries.filter(row__in=[4, 5]).values_list("pk", flat=True)]
    response = editor_client.post(
        "/admin/seasons/standingsentry/",
        {"action": "delete_selected", "_selected_action": pks, "post": "yes"},
    )
    assert response.status_code == 302
    assert Deletion.objects.count() == len(pks) == 2

    run_import(SEASON_2011)

    assert not table.entries.filter(row__in=[4, 5]).exists()


def test_a_podium_row_deleted_inline_stays_deleted(editor_client):
    relay = race("men", 5000, meet="salt-lake-city")
    data = open_form(editor_client, relay)
    bronze = slc_relay_bronze()
    data[inline_field(data, bronze, "DELETE")] = "on"
    assert save(editor_client, relay, data).status_code == 302
    assert not Result.objects.filter(pk=bronze.pk).exists()

    run_import(SEASON_2011)

    assert sorted(relay.results.values_list("place", flat=True)) == [1]


def test_a_row_an_editor_added_and_deleted_leaves_no_record(editor_client):
    relay = race("men", 5000, meet="salt-lake-city")
    added = Result.objects.create(race=relay, place=2, nation=Nation.objects.get(code="USA"))
    delete_in_admin(editor_client, added)
    assert not Deletion.objects.exists()


def test_a_deleted_row_the_source_changed_since_is_a_conflict(editor_client, tmp_path):
    delete_in_admin(editor_client, slc_relay_bronze())
    source = changed_source(tmp_path, SLC_RELAY, SLC_RELAY.replace("| KOR |", "| JPN |"))

    output = run_import(source)

    assert "1 conflicts" in output
    assert "deleted by an editor, and the source has changed it since" in output
    assert "JPN" in output
    assert not slc_relay_bronze_exists()
    assert Deletion.objects.count() == 1  # reported again at the next import


def test_overwrite_recreates_a_deleted_row_the_source_changed(editor_client, tmp_path):
    delete_in_admin(editor_client, slc_relay_bronze())
    source = changed_source(tmp_path, SLC_RELAY, SLC_RELAY.replace("| KOR |", "| JPN |"))

    run_import(source, overwrite=True)

    assert slc_relay_bronze().nation.code == "JPN"
    assert not Deletion.objects.exists()


def test_overwrite_leaves_a_deletion_the_source_does_not_contradict(editor_client):
    delete_in_admin(editor_client, slc_relay_bronze())
    run_import(SEASON_2011, overwrite=True)
    assert not slc_relay_bronze_exists()


def test_deleting_the_record_of_a_deletion_lets_the_import_restore_the_row(editor_client):
    delete_in_admin(editor_client, slc_relay_bronze())
    deletion = Deletion.objects.get()
    page = editor_client.get("/admin/seasons/deletion/")
    assert page.status_code == 200
    assert "Salt Lake City" in page.text
    record = editor_client.get(f"/admin/seasons/deletion/{deletion.pk}/change/")
    assert record.status_code == 200
    assert "nation: [&#x27;KOR&#x27;]" in record.text  # what the source said of the row

    delete_in_admin(editor_client, deletion)
    output = run_import(SEASON_2011)

    assert slc_relay_bronze().nation.code == "KOR"
    assert "1 created" in output


def test_a_dry_run_leaves_the_deletion_in_place(editor_client, tmp_path):
    delete_in_admin(editor_client, slc_relay_bronze())
    source = changed_source(tmp_path, SLC_RELAY, SLC_RELAY.replace("| KOR |", "| JPN |"))
    run_import(source, overwrite=True, dry_run=True)
    assert Deletion.objects.count() == 1
    assert not slc_relay_bronze_exists()


def test_editors_may_read_and_lift_deletions_but_not_write_them(db):
    codenames = set(
        Group.objects.get(name="Editors")
        .permissions.filter(codename__endswith="_deletion")
        .values_list("codename", flat=True)
    )
    assert codenames == {"view_deletion", "delete_deletion"}


def slc_relay_bronze_exists():
    return Result.objects.filter(
        race__meet__slug="salt-lake-city", race__distance=5000, place=3
    ).exists()


def test_a_row_deleted_again_after_a_restore_is_recorded_once(editor_client, editor):
    bronze = slc_relay_bronze()
    record_deletion(bronze, editor)
    record_deletion(bronze, editor)  # its key holds a null (no race number): matched all the same
    assert Deletion.objects.count() == 1
