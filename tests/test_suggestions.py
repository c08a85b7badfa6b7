"""Readers' suggestions: the public form and its spam defences (seasons/views/suggestions.py),
the editors' queue, and acceptance by applying (seasons/admin/suggestions.py)."""

import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode

from seasons.caching import current_version
from seasons.models import (
    Athlete,
    Correction,
    Nation,
    StandingsEntry,
    StandingsTable,
    Suggestion,
)
from tests.helpers import change_url, form_fields, race

pytestmark = pytest.mark.django_db

RACE_FORM = "/seasons/2011-12/saguenay/men-500m-1/suggest/"
ROW_FORM = "/seasons/2011-12/standings/men-500m/1/suggest/"
SENT = {
    "what_is_wrong": "The winner is missing.",
    "right_value": "Charles Hamelin (CAN)",
    "source_url": "https://www.isu.org/results/saguenay-2011.pdf",
    "email": "",
    "website": "",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limit(settings):
    """Each test starts with no sends counted, and no page cached."""
    caches["default"].clear()
    settings.PAGE_CACHE = False


@pytest.fixture
def hamelin(archive):
    return Athlete.objects.create(
        name="Charles Hamelin", slug="charles-hamelin", nation=Nation.objects.get(code="CAN")
    )


def send(client, path=RACE_FORM, **changes):
    return client.post(path, {**SENT, **changes})


# The form


def test_suggest_link_on_every_race_row(client, archive):
    meet = race("men", 500, 1).meet

    page = client.get(meet.get_absolute_url()).text

    links = re.findall(r'<a class="suggest-link" href="([^"]+)"', page)
    assert len(links) == meet.races.count()
    assert RACE_FORM in links


def test_suggest_link_on_every_standings_row(client, archive):
    # On each table's page (issue 16: the season's overview keeps to position, whom, points).
    links = []
    for table in StandingsTable.objects.filter(season__slug="2011-12"):
        page = client.get(f"/seasons/2011-12/standings/{table.anchor}/").text
        links += re.findall(r'<a class="suggest-link" href="([^"]+)"', page)
    assert len(links) == StandingsEntry.objects.filter(table__season__slug="2011-12").count()
    assert ROW_FORM in links


def test_suggestion_form_shows_what_the_archive_says_now(client, archive):
    response = client.get(RACE_FORM)

    assert response.status_code == 200
    assert "Men&#x27;s 500 m (1), Saguenay 2011–12" in response.text
    assert '<meta name="robots" content="noindex">' in response.text
    assert "no-store" in response["Cache-Control"]


def test_suggestion_form_for_a_standings_row(client, archive):
    entry = StandingsEntry.objects.get(
        table__season__slug="2011-12", table__gender="men", table__distance=500, row=1
    )

    response = send(client, ROW_FORM)

    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert (suggestion.entry, suggestion.race) == (entry, None)
    assert suggestion.page_url == "/seasons/2011-12/standings/men-500m/"


@pytest.mark.parametrize(
    "path",
    [
        "/seasons/2011-12/saguenay/men-700m/suggest/",
        "/seasons/2011-12/standings/men-700m/1/suggest/",
        "/seasons/2011-12/standings/men-500m/999/suggest/",
        "/seasons/1999-00/saguenay/men-500m-1/suggest/",
    ],
)
def test_suggestion_form_of_nothing_is_not_found(client, archive, path):
    assert client.get(path).status_code == 404


def test_reader_sends_a_suggestion_without_an_account(client, archive):
    response = send(client, email="reader@example.org")

    assert response.status_code == 302
    assert response["Location"] == reverse("seasons:suggestion-sent")
    suggestion = Suggestion.objects.get()
    assert suggestion.race == race("men", 500, 1)
    assert suggestion.about == "Men's 500 m (1), Saguenay 2011–12"
    assert suggestion.page_url == "/seasons/2011-12/saguenay/#men-500m-1"
    assert (suggestion.right_value, suggestion.email) == (
        "Charles Hamelin (CAN)",
        "reader@example.org",
    )
    assert suggestion.is_waiting
    assert client.get(response["Location"]).status_code == 200


def test_suggestion_needs_what_is_wrong_the_right_value_and_a_source(client, archive):
    response = send(client, what_is_wrong="", right_value="", source_url="not a link")

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"what_is_wrong", "right_value", "source_url"}
    assert not Suggestion.objects.exists()


def test_suggestion_refuses_a_text_too_long_and_keeps_it(client, archive):
    long = "x" * 2001

    response = send(client, what_is_wrong=long)

    assert response.status_code == 400
    assert "at most 2000 characters" in " ".join(response.context["form"].errors["what_is_wrong"])
    assert form_fields(response, "suggestion")["what_is_wrong"] == long
    assert not Suggestion.objects.exists()


def test_suggestion_refuses_a_request_far_too_large(client, archive):
    response = send(client, what_is_wrong="x" * 30_000)

    assert response.status_code == 413
    assert not Suggestion.objects.exists()


def test_suggestion_honeypot_drops_a_robots_suggestion_quietly(client, archive):
    response = send(client, website="https://cheap-pills.example/")

    # Thanked, as a person would be, so that a robot learns nothing; but nothing is kept.
    assert response.status_code == 302
    assert response["Location"] == reverse("seasons:suggestion-sent")
    assert not Suggestion.objects.exists()


def test_suggestion_honeypot_is_hidden_from_people(client, archive):
    page = client.get(RACE_FORM).text

    honeypot = page.split('class="field honeypot"', 1)[1].split("</div>", 1)[0]
    assert 'name="website"' in honeypot
    assert 'aria-hidden="true"' in page.split('class="field honeypot"', 1)[1][:20]


def test_suggestion_rate_limit_per_address(client, archive, settings):
    settings.SUGGESTIONS_PER_HOUR = 2
    assert send(client).status_code == 302
    assert send(client).status_code == 302

    refused = send(client, right_value="the third one")

    assert refused.status_code == 429
    assert "Too many suggestions" in refused.text
    assert form_fields(refused, "suggestion")["right_value"] == "the third one"
    assert Suggestion.objects.count() == 2
    # Another address is not held back.
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert send(other).status_code == 302


def test_suggestion_rate_limit_counts_robots_too(client, archive, settings):
    settings.SUGGESTIONS_PER_HOUR = 1
    send(client, website="spam")

    assert send(client).status_code == 429


def test_suggestion_rate_limit_reads_the_proxys_header_when_told(client, archive, settings):
    settings.SUGGESTIONS_PER_HOUR = 1
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"

    def send_from(address):
        return client.post(RACE_FORM, SENT, HTTP_X_REAL_IP=address)

    assert send_from("198.51.100.1").status_code == 302
    assert send_from("198.51.100.1").status_code == 429
    assert send_from("198.51.100.2").status_code == 302


def test_suggestion_needs_the_csrf_token(archive):
    client = Client(enforce_csrf_checks=True)

    assert send(client).status_code == 403
    page = client.get(RACE_FORM)
    token = form_fields(page, "suggestion")["csrfmiddlewaretoken"]
    assert client.post(RACE_FORM, {**SENT, "csrfmiddlewaretoken": token}).status_code == 302


def test_suggestion_retires_no_cached_page(client, archive):
    before = current_version()

    send(client)

    assert current_version() == before


def test_suggestion_pages_take_no_other_method(client, archive):
    assert client.put(RACE_FORM).status_code == 405
    assert client.delete(ROW_FORM).status_code == 405


# The editors' queue


def queue(client, **query):
    response = client.get("/admin/seasons/suggestion/", query)
    return list(response.context["cl"].result_list)


def test_queue_lists_waiting_suggestions_by_default(editor_client, editor):
    send(Client())
    done = Suggestion.objects.get()
    send(Client(), what_is_wrong="another")
    done.decline(editor, "the source agrees with the archive")

    assert [s.what_is_wrong for s in queue(editor_client)] == ["another"]
    assert len(queue(editor_client, status="all")) == 2
    assert queue(editor_client, status="declined") == [done]


def test_editor_declines_a_suggestion_with_a_note(editor_client, editor):
    send(Client())
    suggestion = Suggestion.objects.get()
    url = change_url(suggestion)
    data = form_fields(editor_client.get(url), "suggestion_form")

    refused = editor_client.post(url, {**data, "decline": "on", "note": ""})
    assert refused.status_code == 200
    assert "Say why the suggestion is declined." in refused.text

    accepted = editor_client.post(url, {**data, "decline": "on", "note": "ISU agrees with us"})
    assert accepted.status_code == 302
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.note, suggestion.decided_by) == (
        "declined",
        "ISU agrees with us",
        editor,
    )


def test_suggestion_decided_meanwhile_cannot_be_declined(editor_client, editor):
    send(Client())
    suggestion = Suggestion.objects.get()
    url = change_url(suggestion)
    data = form_fields(editor_client.get(url), "suggestion_form")
    suggestion.accept(editor)

    response = editor_client.post(url, {**data, "decline": "on", "note": "no"})

    assert response.status_code == 200
    assert "this suggestion meanwhile" in response.text
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted"


def test_editors_may_not_add_suggestions(editor_client):
    assert editor_client.get("/admin/seasons/suggestion/add/").status_code == 403


def test_suggestion_page_links_where_to_apply_it(editor_client):
    send(Client())
    suggestion = Suggestion.objects.get()
    sprint = race("men", 500, 1)

    page = editor_client.get(change_url(suggestion)).text

    query = urlencode({"suggestion": suggestion.pk, "next": suggestion.page_url}).replace(
        "&", "&amp;"
    )
    assert f'href="{change_url(sprint)}?{query}"' in page
    screen = reverse("admin:seasons_meet_podiums", args=[sprint.meet_id])
    assert f'href="{screen}?{query}"' in page


# Accepting by applying


def test_editor_accepts_a_suggestion_by_applying_it_in_the_race_form(
    editor_client, editor, hamelin
):
    send(Client())
    suggestion = Suggestion.objects.get()
    sprint = race("men", 500, 1)
    query = urlencode({"suggestion": suggestion.pk, "next": suggestion.page_url})
    url = f"{change_url(sprint)}?{query}"
    data = form_fields(editor_client.get(url), "race_form")
    assert data["change_reason"] == "reader's suggestion: The winner is missing."
    data["results-0-athlete"] = str(hamelin.pk)

    response = editor_client.post(url, data, follow=True)

    assert response.redirect_chain[-1][0] == suggestion.page_url
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by) == ("accepted", editor)
    correction = Correction.objects.get(kind="Result")
    assert (correction.suggestion, correction.reason) == (
        suggestion,
        "reader's suggestion: The winner is missing.",
    )
    changes = editor_client.get("/changes/").text
    row = changes.split(f'id="{correction.anchor}"', 1)[1].split("</tr>", 1)[0]
    assert "reader&#x27;s suggestion: The winner is missing." in row
    assert f'href="{suggestion.source_url}"' in row


def test_a_save_that_changes_nothing_leaves_the_suggestion_waiting(editor_client):
    send(Client())
    suggestion = Suggestion.objects.get()
    sprint = race("men", 500, 1)
    url = f"{change_url(sprint)}?{urlencode({'suggestion': suggestion.pk})}"

    editor_client.post(url, form_fields(editor_client.get(url), "race_form"))

    suggestion.refresh_from_db()
    assert suggestion.is_waiting


def test_editor_accepts_a_suggestion_in_the_meet_screen(editor_client, hamelin):
    send(Client())
    suggestion = Suggestion.objects.get()
    sprint = race("men", 500, 1)
    url = reverse("admin:seasons_meet_podiums", args=[sprint.meet_id])
    url += f"?{urlencode({'suggestion': suggestion.pk})}"
    response = editor_client.get(url)
    assert "Applying a reader's suggestion" in response.text
    data = form_fields(response, "meet_podiums_form")
    assert data["change_reason"] == suggestion.as_reason
    data[f"podium-{sprint.pk}-0-athlete"] = str(hamelin.pk)

    assert editor_client.post(url, data).status_code == 302

    suggestion.refresh_from_db()
    assert suggestion.status == "accepted"
    assert list(suggestion.corrections.values_list("kind", flat=True)) == ["Result"]


def test_suggestion_reason_fits_a_correction(archive):
    suggestion = Suggestion(what_is_wrong="x" * 500)

    assert len(suggestion.as_reason) == 100
    assert suggestion.as_reason.endswith("…")


def test_changes_feed_names_the_readers_suggestion(editor_client, hamelin):
    send(Client())
    suggestion = Suggestion.objects.get()
    sprint = race("men", 500, 1)
    url = f"{change_url(sprint)}?{urlencode({'suggestion': suggestion.pk})}"
    data = form_fields(editor_client.get(url), "race_form")
    data["results-0-athlete"] = str(hamelin.pk)
    editor_client.post(url, data)

    feed = editor_client.get("/changes/feed/").text

    assert f"Suggested by a reader, with their source: {SENT['source_url']}" in feed
