"""Link-preview cards: every meet page names a PNG card (og:image) drawn from its rows."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from PIL import Image, ImageDraw

from seasons.cards import HEIGHT, TEXT_WIDTH, WIDTH, fit, font
from seasons.models import Athlete, Meet, Nation, Result, Venue
from tests.helpers import make_correction

pytestmark = pytest.mark.django_db

SAGUENAY = "/seasons/2011-12/saguenay/"


def og_image(client, path):
    page = client.get(path)
    assert page.status_code == 200
    (url,) = re.findall(r'<meta property="og:image" content="([^"]+)">', page.text)
    return url


def glyph(face, char):
    image = Image.new("L", (120, 120))
    ImageDraw.Draw(image).text((10, 10), char, font=face, fill=255)
    return image.tobytes()


def test_meet_page_names_its_card_and_the_card_is_a_large_png(client, archive):
    url = og_image(client, SAGUENAY)
    assert url == "http://testserver/seasons/2011-12/saguenay.png"
    page = client.get(SAGUENAY).text
    assert '<meta name="twitter:card" content="summary_large_image">' in page

    card = client.get(url.removeprefix("http://testserver"))

    assert card.status_code == 200
    assert card["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(card.content))
    assert (image.format, image.size) == ("PNG", (WIDTH, HEIGHT))


def test_pages_without_a_card_keep_the_small_preview(client, archive):
    page = client.get("/seasons/2011-12/").text
    assert 'property="og:image"' not in page
    assert '<meta name="twitter:card" content="summary">' in page


def test_every_meet_has_its_own_card(client, archive):
    cards = {
        client.get(meet.get_absolute_url()[:-1] + ".png").content for meet in Meet.objects.all()
    }
    assert len(cards) == Meet.objects.count()


def test_card_shows_an_editors_correction_at_once(client, archive, settings):
    settings.PAGE_CACHE = True
    path = "/seasons/2011-12/saguenay.png"
    before = client.get(path).content
    assert client.get(path).content == before  # served from the page cache
    relay = Result.objects.get(race__meet__slug="saguenay", race__distance=5000, place=1)
    editor = get_user_model().objects.create_user("card-editor")
    make_correction(relay, editor, nation=Nation.objects.get(code="CAN"))

    assert client.get(path).content != before


def test_unknown_meet_card_is_not_found(client, archive):
    assert client.get("/seasons/2011-12/atlantis.png").status_code == 404


def test_fit_keeps_short_text_at_the_largest_size():
    text, face = fit("Nagoya", TEXT_WIDTH, [104, 88])
    assert (text, face.size) == ("Nagoya", 104)


def test_fit_shrinks_then_cuts_text_that_is_too_long():
    long_name = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch Ice Arena"
    text, face = fit(long_name, TEXT_WIDTH, [104, 88, 72, 60], bold=True)
    assert face.size == 60
    assert text.endswith("…")
    assert face.getlength(text) <= TEXT_WIDTH


def test_the_shipped_font_draws_every_letter_of_the_archive(archive):
    """The fonts are subset (seasons/fonts/LICENSE): a name with a letter outside the subset
    would show as a box on the card."""
    names = {meet.city for meet in Meet.objects.all()}
    names |= {venue.arena for venue in Venue.objects.all()}
    names |= {athlete.name for athlete in Athlete.objects.all()}
    # Names of future seasons' venues and skaters, and the card's own punctuation.
    names |= {"Centre Georges-Vézina", "Dražen Łukasz Şahin Øvrebø Ærø Ñ", "2011–12 — · … ’"}
    for bold in (False, True):
        face = font(40, bold)
        missing = glyph(face, "\ue000")  # a private-use character: the font's empty box
        unknown = {char for name in names for char in name if char.strip()}
        assert {char for char in unknown if glyph(face, char) == missing} == set()
