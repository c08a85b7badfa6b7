"""Link-preview images: the card a shared meet link shows (``og:image``), drawn with Pillow.

A meet page is what people link to. Social sites and chat apps show a large image above the
title when a page names one; without one the link is a line of text. The card says what the
page says first: the city, which World Cup stop of which season, the dates and the arena, and
the podiums the source gives. It is drawn on request from the same rows as the page and cached
with it (seasons.caching), so an editor's correction reaches the card at once.

Names come in any script: most races are won by Korean and Chinese skaters, a World Cup may be
headed 名古屋 or Москва. The fonts ship in seasons/fonts/ (LICENSE there: which subsets, and how
they were made), because Pillow's own default font has no accented letters and a font of the
machine's cannot be counted on: DejaVu Sans for Latin, Greek and Cyrillic, and Droid Sans
Fallback for Hangul, kana and the Han characters of names. A line is set in runs, each in the
font that has its letters. A character neither font has (a rare Han character, another script)
would draw as a box or a gap: its name is romanised instead (anyascii, as the slugs are), so
"곽윤기" with a missing syllable is drawn "Gwag Yun Gi", never half drawn. Text that would not
fit is set smaller, then cut with an ellipsis, never allowed to run off the card. Each line of
the card is one line of text: a line break or control character in a name becomes a space
(Pillow cannot measure text of several lines).
"""

import io
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from anyascii import anyascii
from PIL import Image, ImageDraw, ImageFont

from .text import one_line

FONTS = Path(__file__).resolve().parent / "fonts"
LATIN_FONTS = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}
# One weight: bold runs are drawn with a stroke of their own colour.
CJK_FONT = "DroidSansFallback.ttf"

WIDTH, HEIGHT = 1200, 630  # the size Open Graph and Twitter's large card expect (1.91:1)
MARGIN = 80
TEXT_WIDTH = WIDTH - 2 * MARGIN
NAVY = "#0a2342"
NAVY_2 = "#14365f"
ICE = "#8ecae6"
WHITE = "#ffffff"
SOFT = "#c9d6e3"
PODIUM_LINES = 3
ELLIPSIS = "…"
# A noncharacter: no font maps it, so it draws the font's own "missing" glyph (.notdef).
NOT_A_CHARACTER = "\uffff"
PROBE_SIZE = 32
# More characters than the widest line holds at the smallest size: the rest is never measured.
MAX_CHARACTERS = 200


@cache
def font(size, bold=False):
    return ImageFont.truetype(FONTS / LATIN_FONTS[bold], size)


@cache
def cjk_font(size):
    return ImageFont.truetype(FONTS / CJK_FONT, size)


@cache
def has_glyph(name, char):
    """Whether the shipped font ``name`` draws ``char``. Pillow has no look-up of a font's
    character map: a character the font lacks draws the font's .notdef glyph, so it is compared
    with that (once per character: the answer is cached)."""
    face = ImageFont.truetype(FONTS / name, PROBE_SIZE)
    return _pixels(face, char) != _pixels(face, NOT_A_CHARACTER)


def _pixels(face, char):
    image = Image.new("L", (3 * PROBE_SIZE, 2 * PROBE_SIZE))
    ImageDraw.Draw(image).text((PROBE_SIZE // 2, PROBE_SIZE // 2), char, font=face, fill=255)
    return image.tobytes()


def is_syllable(char):
    """A Hangul syllable or a Han character: romanised, each is a word ("Gwag Yun Gi")."""
    return (
        "\uac00" <= char <= "\ud7a3"
        or "\u3400" <= char <= "\u9fff"
        or "\uf900" <= char <= "\ufaff"
        or "\U00020000" <= char <= "\U0003134f"
    )


def romanised(text):
    """``text`` in Latin letters: 곽윤기 -> "Gwag Yun Gi", 名古屋 -> "Ming Gu Wu"."""
    words = "".join(f" {anyascii(char)} " if is_syllable(char) else anyascii(char) for char in text)
    return " ".join(word[:1].upper() + word[1:] for word in words.split())


def drawable(text):
    """What to draw for ``text``, as ``[(character, font name), ...]``. Control and format
    characters (bidi marks, zero-width spaces) draw nothing and are dropped. Latin, Greek and
    Cyrillic letters are DejaVu's; a run of other letters is Droid's if it has every one of
    them, else the run is romanised."""
    text = "".join(
        char
        for char in unicodedata.normalize("NFC", text)
        if unicodedata.category(char) not in ("Cc", "Cf")
    )
    latin = LATIN_FONTS[False]
    drawn, run = [], []

    def end_run():
        if all(has_glyph(CJK_FONT, char) for char in run):
            drawn.extend((char, CJK_FONT) for char in run)
        else:
            drawn.extend((char, latin) for char in romanised("".join(run)))
        run.clear()

    for char in text:
        if char.isspace() or has_glyph(latin, char):
            if run:
                end_run()
            drawn.append((" " if char.isspace() else char, latin))
        else:
            run.append(char)
    if run:
        end_run()
    return drawn


@dataclass(frozen=True)
class Line:
    """A line of text set at one size, in runs of one font each."""

    runs: tuple  # ((text, FreeTypeFont, stroke width), ...)
    size: int
    bold: bool

    @classmethod
    def set(cls, characters, size, bold):
        runs = []
        for char, name in characters:
            if runs and runs[-1][1] == name:
                runs[-1][0].append(char)
            else:
                runs.append(([char], name))
        return cls(
            tuple(
                (
                    "".join(chars),
                    cjk_font(size) if name == CJK_FONT else font(size, bold),
                    max(1, size // 40) if bold and name == CJK_FONT else 0,
                )
                for chars, name in runs
            ),
            size,
            bold,
        )

    @property
    def text(self):
        return "".join(text for text, _, _ in self.runs)

    @property
    def length(self):
        return sum(face.getlength(text) + 2 * stroke for text, face, stroke in self.runs)

    def draw(self, draw, xy, fill):
        """Draw the line with its top at ``xy``. Every run stands on the Latin font's baseline,
        so a Hangul name sits on the line of the Latin text around it."""
        x, y = xy
        baseline = y + font(self.size, self.bold).getmetrics()[0]
        for text, face, stroke in self.runs:
            draw.text(
                (x, baseline),
                text,
                font=face,
                fill=fill,
                anchor="ls",
                stroke_width=stroke,
                stroke_fill=fill,
            )
            x += face.getlength(text) + 2 * stroke


def fit(text, width, sizes, bold=False):
    """The ``Line`` of ``text`` at the largest of ``sizes`` at which it fits in ``width``
    pixels; at the smallest, the text cut short with an ellipsis."""
    characters = drawable(one_line(text)[:MAX_CHARACTERS])
    for size in sizes:
        line = Line.set(characters, size, bold)
        if line.length <= width:
            return line
    ellipsis = [(ELLIPSIS, LATIN_FONTS[False])]
    while characters:
        line = Line.set([*characters, *ellipsis], sizes[-1], bold)
        if line.length <= width:
            break
        characters = characters[:-1]
    while characters and characters[-1][0] == " ":
        characters = characters[:-1]
    return Line.set([*characters, *ellipsis], sizes[-1], bold)


def meet_card(meet, races, when):
    """The PNG card of ``meet``: ``races`` as the meet page loads them (with their podiums),
    ``when`` the dates as the page words them."""
    image = Image.new("RGB", (WIDTH, HEIGHT), NAVY)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 18, HEIGHT], fill=ICE)
    draw.rectangle([0, HEIGHT - 120, WIDTH, HEIGHT], fill=NAVY_2)

    y = 64
    kicker = "skatearchive · ISU Short Track Speed Skating World Cup"
    fit(kicker, TEXT_WIDTH, [28]).draw(draw, (MARGIN, y), SOFT)
    y += 62
    fit(meet.city, TEXT_WIDTH, [104, 88, 72, 60], bold=True).draw(draw, (MARGIN, y), WHITE)
    y += 138
    stop = f"World Cup {meet.order} of {meet.meets_in_season} · {meet.season.years}"
    fit(stop, TEXT_WIDTH, [42, 36]).draw(draw, (MARGIN, y), ICE)
    y += 66
    place = f"{when} · {meet.venue.arena}" if meet.venue.arena else when
    fit(place, TEXT_WIDTH, [32, 28, 24]).draw(draw, (MARGIN, y), SOFT)

    known = [race for race in races if race.has_podium]
    lines = [race.podium_summary for race in known[:PODIUM_LINES]]
    if len(known) > PODIUM_LINES:
        lines[-1] = f"{lines[-1]}  (+{len(known) - PODIUM_LINES} more)"
    if not lines:
        lines = [f"{len(races)} races · podiums not in the source yet"]
    y = HEIGHT - 120 + (120 - 34 * len(lines[:PODIUM_LINES])) // 2
    for line in lines[:PODIUM_LINES]:
        fit(line, TEXT_WIDTH, [24, 20]).draw(draw, (MARGIN, y), WHITE)
        y += 34

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
