"""Link-preview cards: every meet page names a PNG card (og:image) drawn from its rows."""

import io
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from PIL import Image, ImageDraw

from seasons.cards import HEIGHT, NOT_A_CHARACTER, TEXT_WIDTH, WIDTH, fit, romanised
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
    line = fit("Nagoya", TEXT_WIDTH, [104, 88])
    assert (line.text, line.size) == ("Nagoya", 104)


def test_fit_shrinks_then_cuts_text_that_is_too_long():
    long_name = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch Ice Arena"
    line = fit(long_name, TEXT_WIDTH, [104, 88, 72, 60], bold=True)
    assert line.size == 60
    assert line.text.endswith("…")
    assert line.length <= TEXT_WIDTH


def test_fit_cuts_a_line_of_two_scripts_to_the_width():
    names = ["곽윤기 (KOR)", "武大靖 (CHN)", "Семён Елистратов (RUS)"]
    podium = "Men's 500 m: " + ", ".join(names * 3)
    line = fit(podium, TEXT_WIDTH, [24, 20])
    assert line.text.startswith("Men's 500 m: 곽윤기 (KOR), 武大靖")
    assert line.text.endswith("…")
    assert line.length <= TEXT_WIDTH


def drawn_by_its_face(line):
    """``(character, font file)`` of every character of ``line`` its run's font lacks."""
    return {
        (char, Path(face.path).name)
        for text, face, _ in line.runs
        for char in text
        if char.strip() and glyph(face, char) == glyph(face, NOT_A_CHARACTER)
    }


def test_the_shipped_fonts_draw_every_letter_of_the_archive(archive):
    """The fonts are subset (seasons/fonts/LICENSE): a name with a letter outside the subset
    would show as a box, or a gap, on the card."""
    names = {meet.city for meet in Meet.objects.all()}
    names |= {venue.arena for venue in Venue.objects.all()}
    names |= {athlete.name for athlete in Athlete.objects.all()}
    # Names of future seasons' venues and skaters, and the card's own punctuation.
    names |= {"Centre Georges-Vézina", "Dražen Łukasz Şahin Øvrebø Ærø Ñ", "2011–12 — · … ’"}
    names |= {"Đặng Thanh Sơn", "Семён Елистратов", "Ледовый дворец «Крылатское»", "Αθήνα"}
    names |= {"곽윤기", "심석희", "武大靖", "范可新", "王濛", "坂爪亮介"}
    names |= {"名古屋", "日本ガイシホール"}
    for bold in (False, True):
        for name in names:
            line = fit(name, TEXT_WIDTH, [40], bold=bold)
            assert drawn_by_its_face(line) == set(), name
            assert line.text == name, "drawn in its own script, not romanised"


def test_hangul_and_han_are_drawn_with_the_cjk_font_and_latin_with_dejavu():
    line = fit("곽윤기 (KOR), 名古屋", TEXT_WIDTH, [40], bold=True)
    fonts = [(text, Path(face.path).name, stroke > 0) for text, face, stroke in line.runs]
    assert fonts == [
        ("곽윤기", "DroidSansFallback.ttf", True),  # one weight: bold is stroked
        (" (KOR), ", "DejaVuSans-Bold.ttf", False),
        ("名古屋", "DroidSansFallback.ttf", True),
    ]


def test_a_name_with_a_character_no_font_has_is_romanised_whole():
    # 𠮷 (U+20BB7, the "tsuchi-yoshi" of Japanese family names) is outside the subset.
    line = fit("𠮷田 (JPN)", TEXT_WIDTH, [40])
    assert line.text == "Kichi Tian (JPN)"
    assert drawn_by_its_face(line) == set()
    assert {Path(face.path).name for _, face, _ in line.runs} == {"DejaVuSans.ttf"}


def test_invisible_characters_are_not_drawn():
    # A right-to-left mark and a zero-width space, as copied from web pages.
    line = fit("\u200fJane\u200b Doe\u0301", TEXT_WIDTH, [40])
    assert line.text == "Jane Doé"


def test_romanised_writes_each_syllable_as_a_word():
    assert romanised("곽윤기") == "Gwag Yun Gi"
    assert romanised("名古屋") == "Ming Gu Wu"
