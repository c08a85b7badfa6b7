"""After a save in admin, back to the public page the editor came from, with a message saying
what was saved (seasons/admin/returning.py); editors sign with their full name."""

import re
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.http import urlencode

from seasons.models import Athlete, Correction, Flag, Nation
from tests.helpers import change_url, form_fields, make_correction, race

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE = False


@pytest.fixture
def hamelin(archive):
    return Athlete.objects.create(
        name="Charles Hamelin", slug="charles-hamelin", nation=Nation.objects.get(code="CAN")
    )


def edit_href(page, admin_url):
    found = re.search(rf'href="({re.escape(admin_url)}[^"]*)"', page)
    assert found, f"no link to {admin_url}"
    return found.group(1).replace("&amp;", "&")


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_edit_link_carries_the_page_and_the_row_to_return_to(editor_client):
    sprint = race("men", 500, 1)

    page = editor_client.get(sprint.meet.get_absolute_url()).text

    href = edit_href(page, change_url(sprint))
    assert parse_qs(urlsplit(href).query)["next"] == ["/seasons/2011-12/saguenay/#men-500m-1"]


def test_race_form_returns_to_the_page_with_what_was_saved(editor_client, hamelin):
    sprint = race("men", 500, 1)
    page = editor_client.get(sprint.meet.get_absolute_url()).text
    url = edit_href(page, change_url(sprint))
    data = form_fields(editor_client.get(url), "race_form")
    data["results-0-athlete"] = str(hamelin.pk)
    data["change_reason"] = "winner from the ISU results"

    response = editor_client.post(url, data, follow=True)

    assert response.redirect_chain == [("/seasons/2011-12/saguenay/#men-500m-1", 302)]
    (message,) = messages_of(response)
    assert message.startswith("Saved 1 change: Result Saguenay 2011–12 Men 500 m (1): 1.")
    assert "Charles Hamelin (CAN) — added" in message
    # The public page shows it, once.
    assert response.text.count(message.replace("'", "&#x27;")) == 1


def test_race_form_says_so_when_nothing_changed(editor_client):
    sprint = race("men", 500, 1)
    url = f"{change_url(sprint)}?{urlencode({'next': '/seasons/2011-12/saguenay/'})}"
    data = form_fields(editor_client.get(url), "race_form")
    data["change_reason"] = "checked"

    response = editor_client.post(url, data, follow=True)

    assert messages_of(response) == [
        f"Nothing was changed in {sprint}: it already read as the form had it."
    ]


@pytest.mark.parametrize(
    "unsafe", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_race_form_ignores_a_return_address_off_the_site(editor_client, unsafe):
    sprint = race("men", 500, 1)
    url = f"{change_url(sprint)}?{urlencode({'next': unsafe})}"
    data = form_fields(editor_client.get(url), "race_form")
    data["change_reason"] = "checked"

    response = editor_client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == "/admin/seasons/race/"  # Django's own answer


def test_race_form_save_and_continue_stays_in_admin(editor_client):
    sprint = race("men", 500, 1)
    url = f"{change_url(sprint)}?{urlencode({'next': '/seasons/2011-12/saguenay/'})}"
    data = form_fields(editor_client.get(url), "race_form")
    data.update(change_reason="checked", _continue="1")

    response = editor_client.post(url, data)

    assert response["Location"].startswith(change_url(sprint))


def test_flag_form_returns_to_the_page(editor_client):
    flag = Flag.objects.filter(kind="race-outside-season").first()
    back = "/seasons/2011-12/dordrecht/"
    url = f"{change_url(flag)}?{urlencode({'next': back})}"
    data = form_fields(editor_client.get(url), "flag_form")
    data.update(resolved="on", resolution="checked with the ISU calendar")

    response = editor_client.post(url, data)

    assert response["Location"] == back


def test_meet_page_edit_link_opens_the_meet_screen_returning_to_the_page(editor_client):
    meet = race("men", 500, 1).meet
    screen = reverse("admin:seasons_meet_podiums", args=[meet.pk])

    href = edit_href(editor_client.get(meet.get_absolute_url()).text, screen)

    assert parse_qs(urlsplit(href).query)["next"] == [meet.get_absolute_url()]


# Signed with the full name


def test_create_editor_sets_the_full_name_that_signs_corrections(archive, monkeypatch):
    monkeypatch.setenv("SKATEARCHIVE_EDITOR_PASSWORD", PASSWORD)
    out = StringIO()

    call_command("create_editor", "ada", "--full-name", "Ada  van der Berg", stdout=out)

    from django.contrib.auth import get_user_model

    ada = get_user_model().objects.get(username="ada")
    assert (ada.first_name, ada.last_name) == ("Ada", "van der Berg")
    assert "signing as 'Ada van der Berg'" in out.getvalue()
    make_correction(race("men", 500, 1), ada, record="WR")
    assert Correction.objects.get().who == "Ada van der Berg"


def test_create_editor_refuses_a_full_name_too_long(db, monkeypatch):
    monkeypatch.setenv("SKATEARCHIVE_EDITOR_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match="too long"):
        call_command("create_editor", "ada", "--full-name", "A" * 151, stdout=StringIO())


def test_admin_history_signs_with_the_full_name(editor_client, editor):
    editor.first_name, editor.last_name = "Grace", "Hopper"
    editor.save()
    sprint = race("men", 500, 1)
    make_correction(sprint, editor, record="WR")

    page = editor_client.get(f"/admin/seasons/race/{sprint.pk}/history/").text

    cells = re.findall(r'<td class="changed-by">(.*?)</td>', page, re.S)
    assert [" ".join(re.sub("<[^>]+>", "", cell).split()) for cell in cells] == [
        "Grace Hopper",
        "no editor: an import, or the record as first loaded",
    ]
