"""A wiki table cell as a reader sees it: split from its row, citations and footnote marks
dropped, and a podium or standings cell read as who it names.

Other seasons are written by other editors: "KOR[1]", "<ref>…</ref>" and non-breaking spaces
are not part of a cell, and a record mark ("WR") beside a name is a mark, never a winner.
"""

import re

from ..vocabulary import RecordMark
from .records import Competitor, SourceError

# Citations copied with a cell: "KOR[1]", "[a]", "<ref>…</ref>", "<ref name="isu"/>".
REF_TAG = re.compile(r"<ref\b[^>]*/>|<ref\b[^>]*>.*?</ref>", re.IGNORECASE)
FOOTNOTE = re.compile(r"\[(?:\d{1,3}|[a-z]|(?:note|nb)\s*\d+|citation needed)\]")
NATION_CODE = re.compile(r"^[A-Z]{3}$")
ATHLETE_WITH_NATION = re.compile(r"^(.+?)\s*\(([A-Z]{3})\)$")
RECORD_MARKS = {mark.value for mark in RecordMark if mark.value}


def clean(text: str) -> str:
    """A cell or heading as a reader sees it: citations dropped, and non-breaking spaces, tabs
    and doubled spaces read as one space (so "Salt\u00a0Lake City" is "Salt Lake City")."""
    return " ".join(FOOTNOTE.sub(" ", REF_TAG.sub(" ", text)).split())


def split_row(line: str) -> list[str]:
    """``| a | b | |`` → ``["a", "b", ""]``: wiki table cells, cleaned."""
    return [clean(cell) for cell in raw_cells(line)]


def raw_cells(line: str) -> list[str]:
    """``| a[1] | b | |`` → ``["a[1]", "b", ""]``: wiki table cells as written, citations and
    all (to say which cell lost a footnote mark)."""
    # A <ref> may itself contain a "|": hide the citations while splitting.
    refs = []

    def hide(match):
        refs.append(match.group())
        return f"\x00{len(refs) - 1}\x00"

    body = REF_TAG.sub(hide, line).strip()[1:]
    # The closing "|" ends the row; a citation after it belongs to the row, not to a cell.
    closing = re.search(r"\|(?:\s|\x00\d+\x00)*$", body)
    if closing:
        body = body[: closing.start()]
    return [
        " ".join(re.sub(r"\x00(\d+)\x00", lambda hidden: refs[int(hidden[1])], cell).split())
        for cell in body.split("|")
    ]


def has_footnote(cell: str) -> bool:
    return bool(REF_TAG.search(cell) or FOOTNOTE.search(cell))


def quoted(cells: list[str]) -> str:
    """Cells as a message quotes them: a long citation is cut short."""
    return ", ".join(repr(cell if len(cell) <= 60 else f"{cell[:59]}…") for cell in cells)


def column_name(cell: str) -> str:
    """A header cell as a column name: "Ref." is "ref", "Pts" is "pts"."""
    return cell.lower().rstrip(".").strip()


def parse_competitor(
    text: str, path: str, line: int, allow_marks: bool = False
) -> tuple[Competitor | None, list[str]]:
    """A podium or standings cell: blank, a nation code, an athlete (with a nation), and
    record marks such as WR (a mark, never a winner). A nation code outside the IOC list (ROC,
    a typo) is kept as written and flagged later: refusing it would keep a whole season out
    over one cell."""
    words = text.split()
    marks = []
    # "WR" or "(WR)", after or before the name.
    while words and words[-1].strip("()") in RECORD_MARKS:
        marks.insert(0, words.pop().strip("()"))
    while words and words[0].strip("()") in RECORD_MARKS:
        marks.append(words.pop(0).strip("()"))
    if marks and not allow_marks:
        raise SourceError(path, line, f"record mark {marks[0]} in a standings row")
    rest = " ".join(words)
    if not rest:
        return None, marks
    if NATION_CODE.match(rest):
        return Competitor(nation=rest), marks
    match = ATHLETE_WITH_NATION.match(rest)
    if match:
        return Competitor(match.group(1), match.group(2)), marks
    if not any(character.isalpha() for character in rest):
        raise SourceError(path, line, f"{rest!r} is neither an athlete nor a nation code")
    return Competitor(athlete=rest), marks
