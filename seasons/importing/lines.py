"""A source's text as the lines a text editor shows, with what a reader never sees taken out.

Lines end at \\n, \\r\\n or \\r only: Python's ``str.splitlines`` also breaks at U+2028, form
feeds and other separators, which put every line number after them off by one. HTML comments
(``<!-- … -->``, which may span lines) are hidden from the reader and so from the parser; each is
reported with its line, so that the parser can say what it skipped. Control characters (a NUL
byte, which PostgreSQL cannot store) are dropped.
"""

import re

from .records import SourceError

LINE_END = re.compile(r"\r\n|\r|\n")
COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def split_lines(text: str) -> list[str]:
    """The lines of ``text``; a final line end does not start another line."""
    lines = LINE_END.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def readable_lines(path: str, text: str) -> tuple[list[str], list[tuple[int, str]]]:
    """The lines of ``text`` as a reader sees them (comments blanked, line numbers kept), and the
    comments taken out as (line, text)."""
    text = "\n".join(split_lines(text))
    comments = []

    def hide(match):
        line = text.count("\n", 0, match.start()) + 1
        comments.append((line, " ".join(match.group(1).split())))
        return "\n" * match.group().count("\n")

    visible = COMMENT.sub(hide, text)
    unclosed = visible.find("<!--")
    if unclosed != -1:
        line = visible.count("\n", 0, unclosed) + 1
        raise SourceError(
            path, line, "a comment '<!--' is never closed with '-->': it would hide the rest"
        )
    return [CONTROL.sub("", line.replace("\t", " ")) for line in split_lines(visible)], comments
