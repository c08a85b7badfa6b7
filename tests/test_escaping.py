"""Each output shows hostile names as the text they are (tests.helpers: markup, formulas, line
breaks, control characters): HTML escapes them, the Atom feed escapes its HTML summary twice,
iCalendar keeps each property on its line, the preview card draws them, CSV cells do not start a
formula, JSON gives them back exactly."""

import csv
import io
import json
import xml.etree.ElementTree as ElementTree

import pytest
from django.test import Client
from icalendar import Calendar
from PIL import Image

from seasons.models import Race
from seasons.text import one_line, several_lines, spreadsheet_cell, xml_text
from tests.helpers import CONTROL, FORMULAS, MARKUP, MULTILINE, PROBE, UNICODE

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def client():
    """DEBUG is off in tests; a view that raised would be a 500 here, not an exception."""
    return Client(raise_request_exception=False)


def test_html_escapes_names(client, hostile_archive):
    response = client.get(hostile_archive[0].get_absolute_url())
    assert response.status_code == 200
    assert PROBE not in response.text
    assert "&lt;xss-probe onerror=&quot;alert(&#x27;x&#x27;)&quot;&gt;" in response.text


def test_html_escapes_places_and_texts(client, hostile_archive):
    for path in ("/seasons/2011-12/", "/seasons/2011-12/saguenay/", "/venues/", "/changes/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert PROBE not in response.text, path
        assert "&lt;xss-probe" in response.text, path


def test_atom_summary_is_html_escaped_inside_xml_escaping(client, hostile_archive):
    """``<summary type="html">`` is unescaped once by the XML parser and then read as HTML: the
    editor's text must still be escaped after the first unescaping."""
    response = client.get("/changes/feed/")
    assert response.status_code == 200
    feed = ElementTree.fromstring(response.content)
    entry = feed.find(f"{ATOM}entry")
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert PROBE not in summary.text
    assert "&lt;xss-probe" in summary.text  # the reader shows "<xss-probe…" as text
    assert "Reason: &lt;xss-probe" in summary.text
    assert "<br>" in summary.text  # its lines, as HTML
    # Atom text constructs (title, author) are text: escaped once, read as text.
    assert PROBE in entry.find(f"{ATOM}author/{ATOM}name").text
    assert "\x07" not in response.text and "\x0b" not in response.text


def test_ics_keeps_each_property_on_its_line(client, hostile_archive):
    response = client.get("/seasons/2011-12/saguenay.ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    races = Race.objects.filter(meet__season__slug="2011-12", meet__slug="saguenay")
    assert len(events) == races.count()  # no event forged by the city's line breaks
    for event in events:
        assert "\n" not in str(event["SUMMARY"])
        assert str(event["SUMMARY"]).endswith(one_line(MULTILINE))
    assert "\nSUMMARY:forged" not in response.content.decode().replace("\r\n", "\n")
    assert str(calendar["X-WR-CALNAME"]) == f"World Cup {one_line(MULTILINE)} 2011–12"


def test_ics_description_keeps_its_lines_without_control_characters(client, hostile_archive):
    venue_calendar = client.get("/seasons/2011-12.ics")
    assert venue_calendar.status_code == 200
    calendar = Calendar.from_ical(venue_calendar.content)
    nagoya = [event for event in calendar.walk("VEVENT") if "xss-probe" in event["LOCATION"]]
    assert nagoya
    assert "\x07" not in venue_calendar.content.decode()
    for event in nagoya:
        assert str(event["LOCATION"]).startswith(MARKUP)  # the arena, as text


def test_png_card_draws_hostile_names(client, hostile_archive):
    response = client.get("/seasons/2011-12/saguenay.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (1200, 630)


def test_csv_cells_never_start_a_formula(client, hostile_archive):
    response = client.get("/seasons/2011-12/standings/?_export=csv&table=men-500m")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    athletes = [row["Athlete"] for row in rows]
    for formula in FORMULAS:
        assert f"'{formula}" in athletes
    assert MARKUP in athletes  # other text as it is
    assert all(not name.startswith(("=", "+", "-", "@")) for name in athletes)


def test_json_gives_names_back_exactly(client, hostile_archive):
    for athlete in hostile_archive:
        response = client.get(f"/athletes/{athlete.slug}.json")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert json.loads(response.content)["name"] == athlete.name
    season = json.loads(client.get("/seasons/2011-12.json").content)
    assert season["intro"] == f"{MARKUP}\n{MULTILINE}\n{CONTROL}\n{UNICODE}"


# The text functions on their own.


def test_one_line_turns_every_break_and_control_into_one_space():
    assert one_line("a\r\n\nb\x00c\u2028d\x85e\tf  ") == "a b c d e f"


def test_several_lines_keeps_breaks_and_tabs_only():
    assert several_lines("a\nb\tc\r\nd\x00e\x07f\x9f") == "a\nb\tc\r\ndef"


def test_xml_text_drops_what_xml_cannot_carry():
    assert xml_text("a\x00b\x0bc\x1fd\ufffee\tf\ng") == "abcde\tf\ng"


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"])
def test_spreadsheet_cell_marks_a_formula_as_text(cell):
    assert spreadsheet_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Jane Doe", "1000", 1000, None, "a=b", "O'Neil"])
def test_spreadsheet_cell_leaves_other_values(cell):
    assert spreadsheet_cell(cell) == cell
