"""Reverting a race restores its podium too (seasons/admin/reverts.py), each row's change
logged with the revert's reason."""

import pytest

from seasons.models import Athlete, Correction, Deletion, Nation, Result
from tests.helpers import form_fields, inline_field, open_form, race, save

pytestmark = pytest.mark.django_db


@pytest.fixture
def skaters(archive):
    can = Nation.objects.get(code="CAN")
    return [
        Athlete.objects.create(name=f"Skater {number}", slug=f"skater-{number}", nation=can)
        for number in (1, 2)
    ]


def podium(each):
    return list(
        each.results.order_by("place").values_list("place", "athlete__name", "nation__code")
    )


def revert(client, each, record, reason=None):
    url = f"/admin/seasons/race/{each.pk}/history/{record.history_id}/"
    data = form_fields(client.get(url), "historicalrace_form")
    if reason is not None:
        data["change_reason"] = reason
    return client.post(url, data)


def test_revert_takes_back_a_winner_added_since(editor_client, skaters):
    sprint = race("men", 500, 1)
    data = open_form(editor_client, sprint)
    data["results-0-athlete"] = str(skaters[0].pk)
    save(editor_client, sprint, data, reason="winner")
    baseline = sprint.history.earliest()

    response = revert(editor_client, sprint, baseline, reason="the winner was a mistake")

    assert response.status_code == 302
    assert podium(sprint) == []
    undone = Correction.objects.filter(kind="Result").first()
    assert (undone.action, undone.reason) == ("deleted", "the winner was a mistake")


def test_revert_to_an_earlier_edit_restores_its_podium(editor_client, skaters):
    sprint = race("men", 500, 1)
    data = open_form(editor_client, sprint)
    data["results-0-athlete"] = str(skaters[0].pk)
    save(editor_client, sprint, data, reason="winner")
    first_edit = sprint.history.latest()
    data = open_form(editor_client, sprint)
    data["results-0-athlete"] = str(skaters[1].pk)
    data["results-0-nation"] = ""
    save(editor_client, sprint, data, reason="another winner")
    assert podium(sprint) == [(1, "Skater 2", None)]

    assert revert(editor_client, sprint, first_edit).status_code == 302

    assert podium(sprint) == [(1, "Skater 1", None)]
    change = Correction.objects.filter(kind="Result").first()
    assert change.reason.startswith("reverted to the version of")
    assert [str(field) for field in change.field_changes] == [
        "Athlete: Skater 2 (CAN) → Skater 1 (CAN)"
    ]


def test_revert_swaps_places_back(editor_client):
    """Two rows trading places meet on no place on the way (the database allows one each)."""
    relay = race("men", 5000)
    first, second = relay.results.get(place=1), relay.results.get(place=2)
    data = open_form(editor_client, relay)
    data[inline_field(data, first, "nation")] = str(second.nation_id)
    data[inline_field(data, second, "nation")] = str(first.nation_id)
    save(editor_client, relay, data, reason="swapped")
    assert podium(relay)[:2] == [(1, None, "RUS"), (2, None, "KOR")]

    assert revert(editor_client, relay, relay.history.earliest()).status_code == 302

    assert podium(relay) == [(1, None, "KOR"), (2, None, "RUS"), (3, None, "CAN")]


def test_revert_brings_back_a_deleted_result_as_imported(editor_client):
    relay = race("men", 5000)
    third = relay.results.get(place=3)
    imported = (third.imported_key, third.imported_values, third.source_id, third.source_line)
    data = open_form(editor_client, relay)
    data[inline_field(data, third, "DELETE")] = "on"
    save(editor_client, relay, data, reason="disqualified")
    assert Deletion.objects.count() == 1

    assert revert(editor_client, relay, relay.history.earliest()).status_code == 302

    back = Result.objects.get(pk=third.pk)
    assert (back.imported_key, back.imported_values, back.source_id, back.source_line) == imported
    assert back.nation.code == "CAN"
    # The importer finds it again instead of keeping it deleted.
    assert not Deletion.objects.exists()
    assert Correction.objects.filter(kind="Result").first().action == "added"


def test_revert_keeps_a_podium_never_edited(editor_client):
    """Rows loaded from fixtures have no history: they stood as they are."""
    relay = race("men", 5000)
    data = open_form(editor_client, relay)
    data["date"] = "22/10/2011"
    save(editor_client, relay, data, reason="date")

    assert revert(editor_client, relay, relay.history.earliest()).status_code == 302

    assert podium(relay) == [(1, None, "KOR"), (2, None, "RUS"), (3, None, "CAN")]
    assert not Correction.objects.filter(kind="Result").exists()


def test_revert_refused_when_a_place_it_needs_is_taken_elsewhere(editor_client, skaters):
    """A result moved to another race goes back where it was: if its old place has been filled
    since, the revert is refused before anything changes."""
    sprint, other = race("men", 500, 1), race("men", 500, 2)
    winner = Result.objects.create(race=sprint, place=1, athlete=skaters[0])
    data = open_form(editor_client, other)
    data["record"] = "TR"
    save(editor_client, other, data, reason="track record")  # a version to go back to
    before_move = other.history.latest()
    url = f"/admin/seasons/result/{winner.pk}/change/"
    moved = form_fields(editor_client.get(url), "result_form")
    moved.update(race=str(other.pk), change_reason="wrong race")
    assert editor_client.post(url, moved).status_code == 302
    Result.objects.create(race=sprint, place=1, athlete=skaters[1])

    response = revert(editor_client, other, before_move)

    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "Place 1 of Saguenay 2011–12 Men 500 m (1) is now held by Skater 2 (CAN)" in errors
    assert Result.objects.get(pk=winner.pk).race == other


def test_revert_to_an_edit_of_the_race_and_its_podium_restores_both(editor_client, skaters):
    """The race form saves the race after its rows: its record closes the edit."""
    import datetime

    sprint = race("men", 500, 1)
    data = open_form(editor_client, sprint)
    data.update({"date": "28/10/2011", "results-0-athlete": str(skaters[0].pk)})
    assert save(editor_client, sprint, data, reason="date and winner").status_code == 302
    both = sprint.history.latest()
    data = open_form(editor_client, sprint)
    data.update({"date": "30/10/2011", "results-0-athlete": str(skaters[1].pk)})
    data["results-0-nation"] = ""
    assert save(editor_client, sprint, data, reason="both again").status_code == 302

    assert revert(editor_client, sprint, both).status_code == 302

    sprint.refresh_from_db()
    assert sprint.date == datetime.date(2011, 10, 28)
    assert podium(sprint) == [(1, "Skater 1", None)]


def test_revert_undoes_a_podium_filled_on_the_meet_screen(editor_client, skaters):
    from django.urls import reverse

    sprint = race("men", 500, 1)
    url = reverse("admin:seasons_meet_podiums", args=[sprint.meet_id])
    data = form_fields(editor_client.get(url), "meet_podiums_form")
    data[f"podium-{sprint.pk}-0-athlete"] = str(skaters[0].pk)
    data["change_reason"] = "podiums"
    assert editor_client.post(url, data).status_code == 302
    filled = sprint.history.latest()
    data = open_form(editor_client, sprint)
    data["results-1-athlete"] = str(skaters[1].pk)
    assert save(editor_client, sprint, data, reason="second").status_code == 302

    assert revert(editor_client, sprint, filled).status_code == 302
    assert podium(sprint) == [(1, "Skater 1", None)]

    assert revert(editor_client, sprint, sprint.history.earliest()).status_code == 302
    assert podium(sprint) == []
