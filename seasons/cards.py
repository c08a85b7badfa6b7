"""Link-preview images: the card a shared meet link shows (``og:image``), drawn with Pillow.

A meet page is what people link to. Social sites and chat apps show a large image above the
title when a page names one; without one the link is a line of text. The card says what the
page says first: the city, which World Cup stop of which season, the dates and the arena, and
the podiums the source gives. It is drawn on request from the same rows as the page and cached
with it (seasons.caching), so an editor's correction reaches the card at once.

The fonts are DejaVu Sans, subset to Latin and punctuation and shipped in seasons/fonts/
(LICENSE there): Pillow's own default font has no accented letters or dashes (Vézina,
2011–12), and a font of the machine's cannot be counted on. Text that would not fit is set
smaller, then cut with an ellipsis, never allowed to run off the card. Each line of the card is
one line of text: a line break or control character in a name becomes a space (Pillow cannot
measure text of several lines).
"""

import io
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .text import one_line

FONTS = Path(__file__).resolve().parent / "fonts"

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
# More characters than the widest line holds at the smallest size: the rest is never measured.
MAX_CHARACTERS = 200


@cache
def font(size, bold=False):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(FONTS / name, size)


def fit(text, width, sizes, bold=False):
    """``(text, font)``: the largest of ``sizes`` at which ``text`` fits in ``width`` pixels;
    at the smallest, the text cut short with an ellipsis."""
    text = one_line(text)[:MAX_CHARACTERS]
    for size in sizes:
        face = font(size, bold)
        if face.getlength(text) <= width:
            return text, face
    face = font(sizes[-1], bold)
    while text and face.getlength(text + ELLIPSIS) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS, face


def meet_card(meet, races, when):
    """The PNG card of ``meet``: ``races`` as the meet page loads them (with their podiums),
    ``when`` the dates as the page words them."""
    image = Image.new("RGB", (WIDTH, HEIGHT), NAVY)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 18, HEIGHT], fill=ICE)
    draw.rectangle([0, HEIGHT - 120, WIDTH, HEIGHT], fill=NAVY_2)

    y = 64
    kicker, face = fit("skatearchive · ISU Short Track Speed Skating World Cup", TEXT_WIDTH, [28])
    draw.text((MARGIN, y), kicker, font=face, fill=SOFT)
    y += 62
    city, face = fit(meet.city, TEXT_WIDTH, [104, 88, 72, 60], bold=True)
    draw.text((MARGIN, y), city, font=face, fill=WHITE)
    y += 138
    stop = f"World Cup {meet.order} of {meet.meets_in_season} · {meet.season.years}"
    stop, face = fit(stop, TEXT_WIDTH, [42, 36])
    draw.text((MARGIN, y), stop, font=face, fill=ICE)
    y += 66
    place = f"{when} · {meet.venue.arena}" if meet.venue.arena else when
    place, face = fit(place, TEXT_WIDTH, [32, 28, 24])
    draw.text((MARGIN, y), place, font=face, fill=SOFT)

    known = [race for race in races if race.has_podium]
    lines = [race.podium_summary for race in known[:PODIUM_LINES]]
    if len(known) > PODIUM_LINES:
        lines[-1] = f"{lines[-1]}  (+{len(known) - PODIUM_LINES} more)"
    if not lines:
        lines = [f"{len(races)} races · podiums not in the source yet"]
    y = HEIGHT - 120 + (120 - 34 * len(lines[:PODIUM_LINES])) // 2
    for line in lines[:PODIUM_LINES]:
        text, face = fit(line, TEXT_WIDTH, [24, 20])
        draw.text((MARGIN, y), text, font=face, fill=WHITE)
        y += 34

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
