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

# The source page shows a file this many lines at a time (``?page=2``): the bundled sources fit
# on one page. A line is shown up to SOURCE_LINE_SHOWN characters of HTML (its escaped text), the
# rest on a page of its own (``?line=57``), shown up to SOURCE_LINE_PAGE; a page of the source
# so stays under about 200 KB of HTML whatever the file holds.
SOURCE_PAGE_LINES = 200
SOURCE_LINE_SHOWN = 700
SOURCE_LINE_PAGE = 150_000


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


def source_page_of(line: int) -> int:
    """The page of the source page that shows ``line`` (from 1)."""
    return (line - 1) // SOURCE_PAGE_LINES + 1
