"""Table rows out of a season article, in either of the forms editors write tables in:

- the bundled text form, one row per line: ``| 4 December 2011 | Nippon Gaishi Hall | 500m |``;
- MediaWiki's own table markup, the form the articles live in on Wikipedia::

      {| class="wikitable"
      |+ Men's 500 metres
      ! Pos !! Athlete !! Points
      |-
      | 1 || {{flagathlete|[[Shim Suk-hee]]|KOR}} || 4000
      |}

Both give :class:`Row`\\ s of raw cells (wikitext, read by :mod:`.cells`) with the line a text
editor shows for them, so the parser reads a season the same way whichever form a table takes
(a file may mix them). MediaWiki tables are read with wikitextparser, which also spreads a
``rowspan`` date or venue over the rows it spans.
"""

import re
from dataclasses import dataclass

import wikitextparser

from .cells import REF_TAG
from .records import SourceError


@dataclass
class Row:
    line: int
    cells: list[str]  # raw wikitext, one per column
    header: bool = False  # MediaWiki "!" cells
    closed: bool = True  # the text form's row ends with its "|"


@dataclass
class WikiTable:
    line: int
    caption: str | None
    rows: list[Row]


# What opens and closes nested markup, inside which a "|" is no cell boundary.
OPENERS = {"[[": "]]", "{{": "}}"}


def split_text_row(line: str) -> tuple[list[str], bool]:
    """``| a | [[B|b]] | |`` → ``(["a", "[[B|b]]", ""], True)``: the raw cells of a text-form
    row, and whether it ends with the closing "|" (a row cut short does not)."""
    # A citation or a link may itself contain a "|": only pipes outside them split cells.
    body = line.strip()[1:]
    cells, depth, start, i = [], [], 0, 0
    while i < len(body):
        ref = REF_TAG.match(body, i) if body[i] == "<" else None
        if ref:
            i = ref.end()
            continue
        pair = body[i : i + 2]
        if pair in OPENERS:
            depth.append(OPENERS[pair])
            i += 2
        elif depth and pair == depth[-1]:
            depth.pop()
            i += 2
        elif body[i] == "|" and not depth:
            cells.append(body[start:i])
            start = i = i + 1
        else:
            i += 1
    rest = body[start:]
    closed = not rest.strip() or bool(REF_TAG.fullmatch(rest.strip()))
    if not closed:
        cells.append(rest)
    return [cell.strip() for cell in cells], closed


def read_wiki_table(path: str, lines: list[str], first: int) -> WikiTable:
    """The rows of the MediaWiki table ``lines`` hold (``{|`` to ``|}``), the first at line
    ``first`` of the file."""
    text = "\n".join(lines)
    tables = wikitextparser.parse(text).tables
    if not tables:
        raise SourceError(path, first, "a table opened with '{|' that cannot be read")
    table = tables[0]
    # Line starts, to turn a cell's offset into the line a text editor shows.
    starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def line_of(offset):
        if text[offset : offset + 1] == "\n":
            offset += 1  # a cell's span begins at the newline before its "|"
        return first + sum(1 for start in starts if start <= offset) - 1

    rows = []
    # With rowspan and colspan spread, a row also holds the cells of the rows above it that
    # span it; the row's line is that of its own first cell.
    own_rows = table.cells(span=False)
    for spread, own in zip(table.cells(span=True), own_rows, strict=False):
        if not own:
            continue
        rows.append(
            Row(
                line=line_of(own[0].span[0]),
                cells=[cell.value.strip() for cell in spread],
                header=all(cell.is_header for cell in own),
            )
        )
    caption = table.caption.strip() if table.caption else None
    return WikiTable(line=first, caption=caption or None, rows=rows)
