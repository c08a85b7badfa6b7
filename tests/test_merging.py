"""Merging two athletes found to be one person, and moving a result to the right athlete, in
admin: rows and names move, the merged athlete's pages answer 301, and the change log shows each
with the editor's reason (seasons/merging.py, seasons/admin/people.py)."""

import pytest
from django.contrib.redirects.models import Redirect
from django.core.exceptions import ValidationError

from seasons.merging import merge_athletes
from seasons.models import (
    Athlete,
    AthleteAlias,
    Correction,
    CorrectionAction,
    Nation,
    Result,
    StandingsEntry,
)
from tests.helpers import form_fields

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE = False


def merge_in_admin(client, athletes, survivor, reason="one skater: ISU biography"):
    selected = [str(athlete.pk) for athlete in athletes]
    page = client.post(
        "/admin/seasons/athlete/", {"action": "merge_athletes", "_selected_action": selected}
    )
    assert page.status_code == 200
    assert "The athlete that stays" in page.text
    data = {**form_fields(page, "merge-form"), "survivor": str(survivor.pk), "reason": reason}
    return client.post("/admin/seasons/athlete/", {**data, "apply": "Merge"})


def test_merge_moves_results_standings_and_names(editor_client, skaters):
    canada, netherlands = skaters
    AthleteAlias.objects.create(athlete=netherlands, name="TESTAZ Elodie")
    netherlands_results = list(netherlands.results.values_list("pk", flat=True))

    response = merge_in_admin(editor_client, [canada, netherlands], canada)

    assert response.status_code == 302
    assert not Athlete.objects.filter(pk=netherlands.pk).exists()
    moved = Result.objects.filter(pk__in=netherlands_results)
    # Each keeps the nation it was raced for: the Dutch second place still counts for NED.
    assert [(r.athlete, r.nation.code) for r in moved] == [(canada, "NED")]
    assert canada.results.count() == 3
    assert StandingsEntry.objects.filter(athlete=canada).count() == 1
    assert set(canada.aliases.values_list("name", "source")) == {("TESTAZ Elodie", None)}


def test_merge_keeps_the_merged_names_as_aliases_of_the_survivor(editor, skaters):
    canada, netherlands = skaters
    Athlete.objects.filter(pk=netherlands.pk).update(name="Elodie Testaz-Dupont")
    netherlands.refresh_from_db()

    merge_athletes(canada, netherlands, user=editor, reason="same skater")

    assert list(canada.aliases.values_list("name", flat=True)) == ["Elodie Testaz-Dupont"]
    assert Athlete.objects.named("Testaz-Dupont Elodie").get() == canada


def test_merge_gives_the_survivor_a_missing_native_name_and_nation(editor, archive):
    kor = Nation.objects.get(code="KOR")
    latin = Athlete.objects.create(name="Kwak Yoon-gy", slug="kwak-yoon-gy")
    hangul = Athlete.objects.create(
        name="곽윤기", slug="gwag-yun-gi", native_name="곽윤기", nation=kor
    )

    merge_athletes(latin, hangul, user=editor, reason="same skater")

    latin.refresh_from_db()
    assert (latin.native_name, latin.nation) == ("곽윤기", kor)
    assert not latin.aliases.exists()  # 곽윤기 is its native name now, not an alias


def test_merged_athletes_pages_answer_301_to_the_survivor(client, editor_client, skaters):
    canada, netherlands = skaters
    merge_in_admin(editor_client, [canada, netherlands], canada)

    page = client.get("/athletes/elodie-testaz-ned/")
    data = client.get("/athletes/elodie-testaz-ned.json")

    assert (page.status_code, page["Location"]) == (301, "/athletes/elodie-testaz/")
    assert (data.status_code, data["Location"]) == (301, "/athletes/elodie-testaz.json")


def test_merge_follows_earlier_redirects_to_the_merged_athlete(editor, skaters):
    canada, netherlands = skaters
    Redirect.objects.create(
        site_id=1, old_path="/athletes/old/", new_path="/athletes/elodie-testaz-ned/"
    )

    merge_athletes(canada, netherlands, user=editor, reason="same skater")

    assert Redirect.objects.get(old_path="/athletes/old/").new_path == "/athletes/elodie-testaz/"


def test_merge_is_one_correction_in_the_change_log_with_its_reason(client, editor_client, skaters):
    canada, netherlands = skaters
    logged = Correction.objects.count()

    merge_in_admin(editor_client, [canada, netherlands], canada, reason="one skater, ISU bio")

    [merge] = Correction.objects.all()[: Correction.objects.count() - logged]
    assert (merge.action, merge.reason, merge.url) == (
        CorrectionAction.MERGED,
        "one skater, ISU bio",
        "/athletes/elodie-testaz/",
    )
    assert merge.changes == [
        {"field": "Athlete", "old": "Élodie Testaz (NED)", "new": "Élodie Testaz (CAN)"}
    ]
    page = client.get("/changes/").text
    assert "one skater, ISU bio" in page
    assert "Élodie Testaz (NED) merged into Élodie Testaz (CAN)" in page


def test_merge_leaves_each_moved_row_in_its_history(editor, skaters):
    canada, netherlands = skaters
    result, merged_pk = netherlands.results.get(), netherlands.pk

    merge_athletes(canada, netherlands, user=editor, reason="same skater")

    latest = result.history.first()
    assert (latest.athlete_id, latest.history_user, latest.history_change_reason) == (
        canada.pk,
        editor,
        "same skater",
    )
    assert latest.prev_record.athlete_id == merged_pk


def test_merge_of_an_athlete_into_itself_is_refused(editor, skaters):
    with pytest.raises(ValidationError):
        merge_athletes(skaters.canada, skaters.canada, user=editor, reason="no")


def test_merge_needs_a_reason(editor_client, skaters):
    canada, netherlands = skaters
    response = merge_in_admin(editor_client, [canada, netherlands], canada, reason="")
    assert response.status_code == 200
    assert Athlete.objects.filter(pk=netherlands.pk).exists()


def test_move_result_to_another_athlete_is_a_logged_correction(client, editor_client, skaters):
    canada, netherlands = skaters
    result = canada.results.get(nation__isnull=True)  # the Saguenay win, no nation of its own
    page = editor_client.post(
        "/admin/seasons/result/",
        {"action": "move_results_action", "_selected_action": [str(result.pk)]},
    )
    assert page.status_code == 200
    data = form_fields(page, "move-form")
    data.update({"athlete": str(netherlands.pk), "reason": "the Dutch one, per ISU results"})

    response = editor_client.post("/admin/seasons/result/", {**data, "apply": "Move"})

    assert response.status_code == 302, response.context["form"].errors
    result.refresh_from_db()
    assert (result.athlete, result.nation) == (netherlands, None)
    correction = Correction.objects.first()
    assert correction.reason == "the Dutch one, per ISU results"
    assert correction.changes == [
        {"field": "Athlete", "old": "Élodie Testaz (CAN)", "new": "Élodie Testaz (NED)"}
    ]
    assert "the Dutch one, per ISU results" in client.get("/changes/").text


def test_move_result_to_an_athlete_of_another_nation_is_refused(editor_client, skaters):
    canada, netherlands = skaters
    result = canada.results.get(nation__code="CAN")
    page = editor_client.post(
        "/admin/seasons/result/",
        {"action": "move_results_action", "_selected_action": [str(result.pk)]},
    )
    data = {**form_fields(page, "move-form"), "athlete": str(netherlands.pk), "reason": "x"}

    response = editor_client.post("/admin/seasons/result/", {**data, "apply": "Move"})

    assert response.status_code == 200
    assert "skates for NED, not CAN" in response.text
    result.refresh_from_db()
    assert result.athlete == canada
