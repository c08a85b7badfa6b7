"""The largest inputs the archive takes, and the words that refuse a larger one.

Plain constants and messages, no database: the parser (which refuses a source too large to
import), the admin forms (which refuse an intro or a name too long to keep) and the source page
(which shows a long file a page at a time) read the same numbers. Each limit is far above what a
real season article needs (the bundled ones are 8 KB, their longest name 30 characters) and far
below what would make a page or an admin form too heavy to serve (docs/SECURITY.md).
"""

# A season article is a few kilobytes; a source over this is refused before it is parsed. An
# admin form shows an imported season's texts twice (the value and what the editor started
# from), so settings.DATA_UPLOAD_MAX_MEMORY_SIZE is kept above twice this.
MAX_SOURCE_BYTES = 2_000_000
# The season's intro (and the other free texts an editor writes: the standings note, a flag's
# note), in characters.
MAX_INTRO_LENGTH = 10_000
# A name as the archive shows it in one line: an athlete, a city, an arena, a season's title.
MAX_NAME_LENGTH = 100

# The source page shows a file SOURCE_PAGE_LINES lines at a time, from a line (``?from=201``):
# the bundled sources fit on the first page. A line is shown up to SOURCE_LINE_SHOWN characters
# of HTML (its escaped text), the rest on a page of its own (``?line=257``, up to
# SOURCE_LINE_PAGE). A page also ends early once its lines and their flags come to
# SOURCE_PAGE_BUDGET characters of HTML, and goes on from the next line: a page of the source so
# stays under about 200 KB of HTML whatever the file holds (docs/SECURITY.md).
SOURCE_PAGE_LINES = 200
SOURCE_LINE_SHOWN = 700
SOURCE_LINE_PAGE = 120_000
SOURCE_PAGE_BUDGET = 150_000


def source_too_large(size: int) -> str:
    """Why a source of ``size`` bytes is refused."""
    return (
        f"the file is {size:,} bytes; the importer takes a source of at most "
        f"{MAX_SOURCE_BYTES:,} bytes (a season article is a few kilobytes)"
    )


def intro_too_long(length: int) -> str:
    return (
        f"the intro is {length:,} characters long; the archive keeps an intro of at most "
        f"{MAX_INTRO_LENGTH:,}"
    )


def name_too_long(name: str) -> str:
    return (
        f"the name {name[:40]!r}… is {len(name):,} characters long; the archive keeps a name "
        f"of at most {MAX_NAME_LENGTH}"
    )


def source_page_start(line: int) -> int:
    """The first line of the page that shows ``line``: 1, 201, 401…"""
    return (line - 1) // SOURCE_PAGE_LINES * SOURCE_PAGE_LINES + 1
