"""A table cell as a reader sees it, read with wikitextparser: templates, links, bold and
italic, citations, entities and invisible characters are markup, never part of a name.

Editors write a podium cell many ways, and a reader reads them all as the same skater::

    Shim Suk-hee (KOR)      {{flagathlete|[[Shim Suk-hee]]|KOR}}      KOR Shim Suk-hee
    {{flagicon|KOR}} [[Shim Suk-hee|Shim]]      '''SHIM Suk-hee''' (KOR) 1:30.123 WR

:func:`read_cell` returns who the cell names (two or more in a dead heat: ``A<br />B``), the
record marks beside them, and what could not be read with confidence (imported as written,
flagged for editors). :mod:`.competitors` reads the plain text that is left.
"""

import html
import re
import unicodedata
from dataclasses import dataclass, field

import wikitextparser

from ..vocabulary import RecordMark
from .competitors import Reading, read_competitor

# Citations copied with a cell: "KOR[1]", "[a]", "<ref>…</ref>", "<ref name="isu"/>".
REF_TAG = re.compile(r"<ref\b[^>]*/>|<ref\b[^>]*>.*?</ref>", re.IGNORECASE | re.DOTALL)
FOOTNOTE = re.compile(r"\[(?:\d{1,3}|[a-z]|(?:note|nb)\s*\d+|citation needed)\]", re.IGNORECASE)
LINE_BREAK = re.compile(r"<br\s*/?\s*>|<br\s+[^>]*>", re.IGNORECASE)
RECORD_MARKS = {mark.value for mark in RecordMark if mark.value}

# Templates by what they mean for a cell (names as Wikipedia spells them, lowercased).
FLAG_TEMPLATES = {"flagicon", "flag icon", "flagioc", "flagioc2", "flagcountry", "flag", "flagu"}
ATHLETE_TEMPLATES = {"flagathlete", "flagiocathlete", "flagiocmedalist", "flagmedalist"}
TEXT_TEMPLATES = {"nowrap", "small", "nobold", "big", "center", "sortname", "abbr", "tooltip"}
BLANK_TEMPLATES = {"nbsp", "-", "dash", "snd", "spaced ndash", "ndash", "mdash", "efn", "refn"}
NATIVE_TEMPLATES = {"lang", "nihongo", "korean", "zh", "lang-ko", "lang-zh", "lang-ja", "lang-ru"}


@dataclass
class Cell:
    """What one cell says: who (one :class:`Reading` per competitor; two or more in a dead
    heat), the record marks written beside them, and what a reader would doubt."""

    readings: list[Reading] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)


def read_cell(raw: str, relay: bool = False) -> Cell:
    """Who a podium or standings cell names. ``relay``: the cell can only name a nation."""
    cell = Cell()
    for part in LINE_BREAK.split(drop_citations(raw)):
        text, nations, native, doubts = plain(part)
        cell.doubts += doubts
        words = text.split()
        # "WR" or "(WR)", after or before the name.
        while words and words[-1].strip("()") in RECORD_MARKS:
            cell.marks.insert(0, words.pop().strip("()"))
        while words and words[0].strip("()") in RECORD_MARKS:
            cell.marks.append(words.pop(0).strip("()"))
        reading = read_competitor(" ".join(words), nations, native, relay)
        if reading is not None:
            cell.doubts += reading.doubts
            if reading.competitor.athlete or reading.competitor.nation:
                cell.readings.append(reading)
    return cell


def cell_text(raw: str) -> str:
    """A header, date, distance or points cell as plain text: "'''Date'''" is "Date"."""
    return plain(drop_citations(raw))[0]


def drop_citations(raw: str) -> str:
    return FOOTNOTE.sub(" ", REF_TAG.sub(" ", raw))


def has_footnote(raw: str) -> bool:
    return bool(REF_TAG.search(raw) or FOOTNOTE.search(raw))


def plain(raw: str) -> tuple[str, list[str], str | None, list[str]]:
    """``raw`` wikitext as the text a reader sees, with what its templates say beside it: the
    nations flag templates name, a native-script name ({{lang|ko|곽윤기}}), and the templates
    not understood (dropped, and said)."""
    nations, native, doubts = [], None, []
    parsed = wikitextparser.parse(raw)
    # Only outermost templates: an inner one is read as part of its parent's argument.
    for template in reversed(outermost(parsed.templates)):
        name = template.normal_name().lower()
        arguments = [argument.value for argument in template.arguments if argument.positional]
        first = plain(arguments[0])[0] if arguments else ""
        if name in FLAG_TEMPLATES or (
            not arguments
            and re.fullmatch(r"[A-Z]{3}", name.upper())
            and template.normal_name().isupper()
        ):
            # {{flagicon|KOR}}, and the country templates named by code: {{KOR}}.
            if not arguments:
                first = template.normal_name()
            nations.append(first)
            template.string = ""
        elif name in ATHLETE_TEMPLATES:
            nations.append(plain(arguments[1])[0] if len(arguments) > 1 else "")
            template.string = f" {first} "
        elif name == "sortname" and len(arguments) > 1:
            template.string = f" {first} {plain(arguments[1])[0]} "
        elif name in TEXT_TEMPLATES:
            template.string = f" {first} "
        elif name in BLANK_TEMPLATES:
            template.string = " "
        elif name in NATIVE_TEMPLATES or name.startswith("lang-"):
            # {{lang|ko|곽윤기}}, {{lang-ko|곽윤기}}, {{nihongo|English|漢字|romaji}}.
            if name == "nihongo":
                native = plain(arguments[1])[0] if len(arguments) > 1 else None
                template.string = f" {first} "
            else:
                native = plain(arguments[-1])[0] if arguments else None
                template.string = ""
        else:
            doubts.append(f"template {{{{{template.normal_name()}}}}} not understood")
            template.string = " "
    text = parsed.plain_text(replace_templates=False, replace_tags=True)
    return tidy(text), nations, native or None, doubts


def outermost(templates):
    spans = [template.span for template in templates]
    return [
        template
        for template in templates
        if not any(
            s <= template.span[0] and template.span[1] <= e and (s, e) != template.span
            for s, e in spans
        )
    ]


def tidy(text: str) -> str:
    """Entities decoded, invisible characters (bidi marks, zero-width spaces, controls)
    dropped, any run of spaces (non-breaking too) one space, NFC-composed."""
    text = html.unescape(html.unescape(text))
    text = "".join(
        " " if c.isspace() else c
        for c in text
        if unicodedata.category(c) not in ("Cc", "Cf") or c.isspace()
    )
    return unicodedata.normalize("NFC", " ".join(text.split()))


def short(text: str) -> str:
    """Text as a message quotes it: on one line, cut short."""
    text = " ".join(text.split())
    return text if len(text) <= 60 else f"{text[:59]}…"


def quoted(cells: list[str]) -> str:
    """Cells as a message quotes them: a long citation is cut short."""
    return ", ".join(repr(cell if len(cell) <= 60 else f"{cell[:59]}…") for cell in cells)


def column_name(cell: str) -> str:
    """A header cell as a column name: "'''Ref.'''" is "ref", "Pts" is "pts"."""
    return cell_text(cell).lower().rstrip(".:").strip()
