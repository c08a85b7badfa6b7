"""The meet screen (seasons/admin/meet_screen.py): every race of a meet with its podium on one
page, saved at once with one reason, with the race form's conflict protection."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode

from seasons.models import Athlete, Correction, Nation, Race, Result
from tests.helpers import form_fields, inline_field, race

pytestmark = pytest.mark.django_db

FORM = "meet_podiums_form"


def screen_url(meet, **query):
    url = reverse("admin:seasons_meet_podiums", args=[meet.pk])
    return f"{url}?{urlencode(query)}" if query else url


def open_screen(client, meet, **query):
    response = client.get(screen_url(meet, **query))
    assert response.status_code == 200
    return form_fields(response, FORM)


@pytest.fixture
def skaters(archive):
    """Nine Canadian skaters: three podiums' worth."""
    can = Nation.objects.get(code="CAN")
    return [
        Athlete.objects.create(name=f"Skater {number}", slug=f"skater-{number}", nation=can)
        for number in range(1, 10)
    ]


def fill(data, sprint, row, athlete):
    data[f"podium-{sprint.pk}-{row}-athlete"] = str(athlete.pk)


def test_meet_screen_shows_every_race_with_its_podium(editor_client):
    sprint = race("men", 500, 1)
    relay = race("men", 5000)

    response = editor_client.get(screen_url(sprint.meet))

    sections = response.context["sections"]
    assert [section.race for section in sections] == list(
        Race.objects.filter(meet=sprint.meet).in_calendar_order()
    )
    data = form_fields(response, FORM)
    # Missing places offered as blank, numbered rows; named places as they are.
    assert [data[f"podium-{sprint.pk}-{row}-place"] for row in range(3)] == ["1", "2", "3"]
    relay_rows = next(section for section in sections if section.race == relay).podium.forms
    assert [row.instance.competitor_name for row in relay_rows] == ["KOR", "RUS", "CAN"]
    # Athletes and nations are picked by Django admin's autocomplete.
    assert 'class="admin-autocomplete"' in response.text
    assert 'data-field-name="athlete"' in response.text
    assert "admin/js/autocomplete.js" in response.text


def test_meet_screen_saves_three_podiums_at_once_with_one_reason(editor_client, skaters, editor):
    sprint, middle, women = race("men", 500, 1), race("men", 1500), race("women", 500, 1)
    data = open_screen(editor_client, sprint.meet)
    for number, each in enumerate((sprint, middle, women)):
        for row in range(3):
            fill(data, each, row, skaters[3 * number + row])
    data["change_reason"] = "podiums from the ISU results"

    response = editor_client.post(screen_url(sprint.meet), data)

    assert response.status_code == 302
    assert response["Location"] == sprint.meet.get_absolute_url()
    for number, each in enumerate((sprint, middle, women)):
        podium = list(each.results.order_by("place").values_list("place", "athlete__slug"))
        slugs = [skater.slug for skater in skaters[3 * number : 3 * number + 3]]
        assert podium == list(zip((1, 2, 3), slugs, strict=True))
        each.refresh_from_db()
        assert each.version == 2  # a podium edit is an edit of the race
    saved = Correction.objects.filter(kind="Result")
    assert saved.count() == 9
    assert set(saved.values_list("reason", flat=True)) == {"podiums from the ISU results"}
    assert set(saved.values_list("user", flat=True)) == {editor.pk}


def test_meet_screen_leaves_races_not_touched_alone(editor_client, skaters):
    sprint, relay = race("men", 500, 1), race("men", 5000)
    data = open_screen(editor_client, sprint.meet)
    fill(data, sprint, 0, skaters[0])
    data["change_reason"] = "winner"

    assert editor_client.post(screen_url(sprint.meet), data).status_code == 302

    relay.refresh_from_db()
    assert relay.version == 1
    assert not Race.history.filter(id=relay.pk).exists()


def test_meet_screen_says_what_was_saved_on_the_page_it_returns_to(editor_client, skaters):
    sprint = race("men", 500, 1)
    back = sprint.meet.get_absolute_url() + "#men-500m-1"
    data = open_screen(editor_client, sprint.meet, next=back)
    fill(data, sprint, 0, skaters[0])
    data["change_reason"] = "winner"

    response = editor_client.post(screen_url(sprint.meet, next=back), data, follow=True)

    assert response.redirect_chain[-1][0] == back
    message = response.text.split('<ul class="messages"', 1)[1].split("</ul>", 1)[0]
    assert "Saved 1 change: Result" in message
    assert "Skater 1 (CAN)" in message


def test_meet_screen_refuses_a_foreign_return_address(editor_client, skaters):
    sprint = race("men", 500, 1)
    data = open_screen(editor_client, sprint.meet)
    fill(data, sprint, 0, skaters[0])
    data["change_reason"] = "winner"

    response = editor_client.post(screen_url(sprint.meet, next="https://evil.example/"), data)

    assert response["Location"] == sprint.meet.get_absolute_url()


def test_meet_screen_needs_a_reason_and_keeps_the_input(editor_client, skaters):
    sprint = race("men", 500, 1)
    data = open_screen(editor_client, sprint.meet)
    fill(data, sprint, 0, skaters[0])

    response = editor_client.post(screen_url(sprint.meet), data)

    assert response.status_code == 200
    assert response.context["reason"].errors["change_reason"]
    assert form_fields(response, FORM)[f"podium-{sprint.pk}-0-athlete"] == str(skaters[0].pk)
    assert not sprint.results.exists()


def test_meet_screen_refuses_a_place_given_twice(editor_client, skaters):
    sprint = race("men", 500, 1)
    data = open_screen(editor_client, sprint.meet)
    fill(data, sprint, 0, skaters[0])
    fill(data, sprint, 1, skaters[1])
    data[f"podium-{sprint.pk}-1-place"] = "1"
    data["change_reason"] = "winner"

    response = editor_client.post(screen_url(sprint.meet), data)

    assert response.status_code == 200
    assert "Place 1 is used twice in this race" in response.text
    assert not sprint.results.exists()


def test_meet_screen_refuses_a_race_saved_meanwhile_and_says_who_when_and_what(
    editor_client, skaters, django_user_model
):
    """Another editor fills the winner after the screen was opened: the save is refused whole,
    naming them and the change, and what this editor typed stays; saved again, both edits
    stand."""
    from django.contrib.auth.models import Group

    other = django_user_model.objects.create_user(
        "grace", password="x", is_staff=True, first_name="Grace", last_name="Hopper"
    )
    other.groups.add(Group.objects.get(name="Editors"))
    sprint, middle = race("men", 500, 1), race("men", 1500)
    data = open_screen(editor_client, sprint.meet)

    second = Client()
    second.force_login(other)
    theirs = open_screen(second, sprint.meet)
    fill(theirs, sprint, 0, skaters[8])
    theirs["change_reason"] = "winner from the ISU"
    assert second.post(screen_url(sprint.meet), theirs).status_code == 302

    fill(data, sprint, 1, skaters[1])
    fill(data, middle, 0, skaters[2])
    data["change_reason"] = "second place and the 1500 m"
    response = editor_client.post(screen_url(sprint.meet), data)

    assert response.status_code == 200
    assert list(sprint.results.values_list("athlete", flat=True)) == [skaters[8].pk]
    assert not middle.results.exists()  # nothing saved, not even the race without conflict
    refused = form_fields(response, FORM)
    assert refused[f"podium-{sprint.pk}-1-athlete"] == str(skaters[1].pk)
    assert refused[f"podium-{middle.pk}-0-athlete"] == str(skaters[2].pk)
    section = next(each for each in response.context["sections"] if each.race == sprint)
    message = " ".join(section.version.non_field_errors())
    assert "Grace Hopper saved this race at" in message  # by the name editors know her by
    assert "Result added: place 1, Skater 9 (CAN)" in message

    again = editor_client.post(screen_url(sprint.meet), refused)

    assert again.status_code == 302
    assert list(sprint.results.order_by("place").values_list("athlete", flat=True)) == [
        skaters[8].pk,
        skaters[1].pk,
    ]
    assert middle.results.get().athlete == skaters[2]


def test_meet_screen_deletes_a_podium_row_and_remembers_the_deletion(editor_client):
    from seasons.models import Deletion

    relay = race("men", 5000)
    third = relay.results.get(place=3)
    data = open_screen(editor_client, relay.meet)
    data[inline_field(data, third, "DELETE")] = "on"
    data["change_reason"] = "third place was disqualified"

    assert editor_client.post(screen_url(relay.meet), data).status_code == 302

    assert not Result.objects.filter(pk=third.pk).exists()
    assert Deletion.objects.filter(record__contains="CAN").exists()


def test_meet_screen_is_for_editors_only(client, archive, django_user_model):
    sprint = race("men", 500, 1)
    reader = django_user_model.objects.create_user("reader", password="x", is_staff=True)
    client.force_login(reader)

    assert client.get(screen_url(sprint.meet)).status_code == 403


def test_meet_screen_is_linked_from_the_meet_form(editor_client):
    sprint = race("men", 500, 1)

    response = editor_client.get(f"/admin/seasons/meet/{sprint.meet.pk}/change/")

    assert screen_url(sprint.meet) in response.text


def test_nation_autocomplete_finds_a_nation_by_name(editor_client):
    """Nations by code or by country name, wherever an editor picks one."""
    response = editor_client.get(
        "/admin/autocomplete/",
        {"term": "Netherl", "app_label": "seasons", "model_name": "result", "field_name": "nation"},
    )

    assert [item["text"] for item in response.json()["results"]] == ["NED"]


def test_nation_admin_search_finds_by_name_or_code(editor_client):
    def found(term):
        response = editor_client.get("/admin/seasons/nation/", {"q": term})
        return {nation.code for nation in response.context["cl"].result_list}

    assert found("Netherlands") == {"NED"}
    assert found("ned") == {"NED"}
    assert "KOR" in found("south korea")
    assert found("cote d'ivoire") == set(
        Nation.objects.filter(country="CI").values_list("code", flat=True)
    )
