"""/changes/: editors' recent corrections, newest first, and their Atom feed."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from seasons.corrections import CHANGES_SHOWN, record_baseline
from seasons.models import Athlete, Nation, Race, Result, Season, Venue
from tests.helpers import form_fields, open_form, save
from tests.helpers import make_correction as correct

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
# Whatever the number of corrections or of models they touch: the log is read in one query
# (the page reads the doubts the corrections closed in one more, seasons.doubts).
PAGE_QUERIES = 2
FEED_QUERIES = 1


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE = False


@pytest.fixture
def ada(django_user_model):
    return django_user_model.objects.create_user(
        "ada_l", first_name="Ada", last_name="Lovelace", is_staff=True
    )


def sprint():
    return Race.objects.get_by_natural_key("2011-12", "saguenay", "men", 500, 1)


def relay_winner():
    return Result.objects.get_by_natural_key("2011-12", "saguenay", "men", 5000, None, 1)


def rows(response):
    body = response.text.split('<table class="data changes" id="changes">', 1)[1]
    body = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr.*?</tr>", body, re.S)


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_changes_lists_what_when_who_and_why_linked_to_the_record(client, archive, ada):
    race = correct(sprint(), ada, "date from the ISU calendar", date=datetime.date(2011, 10, 28))

    response = client.get("/changes/")

    [row] = rows(response)
    assert f'href="{race.get_absolute_url()}"' in row
    assert "Race Saguenay 2011–12 Men 500 m (1)" in text(row)
    assert "Date: was 29 October 2011 → now 28 October 2011" in text(row)
    assert "Ada Lovelace" in row
    assert "date from the ISU calendar" in row
    when = race.history.first().history_date
    assert f'<time datetime="{when.isoformat()}"' in row


def test_changes_never_shows_a_username(client, archive, django_user_model):
    nameless = django_user_model.objects.create_user("jdoe_editor", is_staff=True)
    correct(sprint(), nameless, "typo", date=datetime.date(2011, 10, 28))

    response = client.get("/changes/")

    assert "jdoe_editor" not in response.text
    assert "an editor" in text(rows(response)[0])


def test_changes_newest_first(client, archive, ada):
    correct(Season.objects.get(slug="2011-12"), ada, "first", title="2011–12 World Cup")
    correct(Venue.objects.get(slug="moscow"), ada, "second", arena="Krylatskoye")

    first, second = rows(client.get("/changes/"))

    assert "second" in first
    assert "first" in second


def test_changes_lists_no_imports(client, archive):
    response = client.get("/changes/")

    assert response.status_code == 200
    assert "No corrections yet" in response.text


def test_changes_shows_a_fixed_number(client, archive, ada):
    race = sprint()
    record_baseline(race)
    for day in range(CHANGES_SHOWN + 3):
        race.date = datetime.date(2011, 10, 1) + datetime.timedelta(days=day)
        race._history_user = ada
        race._change_reason = f"try {day}"
        race.save()

    assert len(rows(client.get("/changes/"))) == CHANGES_SHOWN


def test_changes_linked_from_every_page_footer(client, archive):
    assert 'href="/changes/">Recent corrections</a>' in client.get("/").text


def test_changes_query_count_does_not_grow_with_corrections(client, archive, ada):
    """The same for 2 corrections as for 23 across four models, foreign keys included."""
    correct(relay_winner(), ada, "winner", nation=Nation.objects.get(code="CAN"))
    correct(sprint(), ada, "date", date=datetime.date(2011, 10, 28))
    with CaptureQueriesContext(connection) as few:
        client.get("/changes/")

    for day in range(20):
        correct(sprint(), ada, f"date {day}", date=datetime.date(2011, 10, 1 + day))
    correct(relay_winner(), ada, "winner back", nation=Nation.objects.get(code="KOR"))
    correct(Venue.objects.get(slug="moscow"), ada, "arena", arena="Krylatskoye")
    correct(Season.objects.get(slug="2011-12"), ada, "title", title="2011–12 World Cup")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/changes/")

    assert len(rows(response)) == 25
    assert len(few) == len(many) == PAGE_QUERIES


def test_changes_feed_query_count_does_not_grow_with_corrections(client, archive, ada):
    correct(sprint(), ada, "date", date=datetime.date(2011, 10, 28))
    client.get("/changes/feed/")  # the current Site, cached once per process
    with CaptureQueriesContext(connection) as few:
        client.get("/changes/feed/")

    for day in range(20):
        correct(sprint(), ada, f"date {day}", date=datetime.date(2011, 10, 1 + day))
    correct(relay_winner(), ada, "winner", nation=Nation.objects.get(code="CAN"))
    with CaptureQueriesContext(connection) as many:
        feed = ET.fromstring(client.get("/changes/feed/").content)

    assert len(feed.findall(f"{ATOM}entry")) == 22
    assert len(few) == len(many) == FEED_QUERIES


# Through the admin, as editors work


def test_changes_lists_an_edit_and_its_revert_made_in_admin(client, editor, archive):
    client.force_login(editor)
    race = sprint()
    data = open_form(client, race)
    data["date"] = "28/10/2011"
    save(client, race, data, reason="date from the ISU calendar")
    baseline = race.history.earliest()
    url = f"/admin/seasons/race/{race.pk}/history/{baseline.history_id}/"
    assert client.post(url, form_fields(client.get(url), "historicalrace_form")).status_code == 302

    revert, edit = (text(row) for row in rows(client.get("/changes/")))

    assert "Date: was 28 October 2011 → now 29 October 2011" in revert
    assert "reverted to the version of" in revert
    assert "Date: was 29 October 2011 → now 28 October 2011" in edit
    assert "date from the ISU calendar" in edit


def test_changes_lists_a_podium_filled_in_not_the_races_new_version(client, editor, archive):
    hamelin = Athlete.objects.create(
        name="Charles Hamelin", slug="charles-hamelin", nation=Nation.objects.get(code="CAN")
    )
    client.force_login(editor)
    race = sprint()
    data = open_form(client, race)
    data["results-0-athlete"] = str(hamelin.pk)
    data["results-0-nation"] = str(hamelin.nation.pk)
    assert save(client, race, data, reason="winner from the ISU results").status_code == 302

    [row] = rows(client.get("/changes/"))

    assert "Result Saguenay 2011–12 Men 500 m (1): 1. Charles Hamelin (CAN) Added" in text(row)
    assert "winner from the ISU results" in row


def test_changes_feed_is_atom_with_one_entry_per_correction(client, archive, ada, settings):
    settings.ALLOWED_HOSTS = ["archive.example"]
    race = correct(sprint(), ada, "date from the ISU calendar", date=datetime.date(2011, 10, 28))

    response = client.get("/changes/feed/", HTTP_HOST="archive.example")

    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "Race Saguenay 2011–12 Men 500 m (1) changed"
    assert entry.find(f"{ATOM}link").get("href") == (
        f"http://archive.example{race.get_absolute_url()}"
    )
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Ada Lovelace"
    assert "Reason: date from the ISU calendar" in entry.find(f"{ATOM}summary").text
    assert entry.find(f"{ATOM}id").text.startswith("http://archive.example/changes/#c-")


def test_changes_feed_entry_id_is_the_rows_anchor(client, archive, ada):
    correct(sprint(), ada, "date", date=datetime.date(2011, 10, 28))

    page = client.get("/changes/").text
    feed = ET.fromstring(client.get("/changes/feed/").content)

    anchor = feed.find(f"{ATOM}entry/{ATOM}id").text.split("#", 1)[1]
    assert f'<tr id="{anchor}">' in page


def test_changes_page_advertises_its_feed(client, archive):
    assert 'type="application/atom+xml" href="/changes/feed/"' in client.get("/changes/").text
