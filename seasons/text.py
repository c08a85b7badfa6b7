"""Text from editors and sources on its way into and out of the archive.

Names and notes come from people and from articles, so any character may turn up in them. Each
output has its own rule: an iCalendar property or a line on the preview card is one line; XML
(the Atom feed) cannot carry most control characters at all; a spreadsheet reads a cell that
starts with ``=`` as a formula. HTML and JSON are escaped by Django's templates and
``json.dumps``. Pure functions, no database.
"""

import re

# Control characters (C0, DEL, C1) and the Unicode line and paragraph separators: none belongs in
# one line of text.
LINE_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# The same, less what a text of several lines may hold: tab, line feed, carriage return.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What XML 1.0 cannot carry: most C0 controls, lone surrogates, U+FFFE and U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A spreadsheet treats a cell starting with one of these as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def one_line(text: str) -> str:
    """``text`` as one line: each run of line breaks, control characters and spaces becomes one
    space."""
    return " ".join(LINE_BREAKING.sub(" ", text).split())


def several_lines(text: str) -> str:
    """``text`` without the control characters a text of several lines has no use for (tab,
    line feed and carriage return stay)."""
    return CONTROL.sub("", text)


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry (Django's feed writer refuses
    them)."""
    return NOT_XML.sub("", text)


def spreadsheet_cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text: a string that would start a formula gets a
    leading apostrophe, the usual mark for "text"; other values are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def first_control_character(text: str, *, multiline: bool = False) -> int | None:
    """The index of the first character ``text`` may not hold (any control character or line
    break; with ``multiline``, line breaks and tabs are allowed), or None."""
    found = (CONTROL if multiline else LINE_BREAKING).search(text)
    return found.start() if found else None
