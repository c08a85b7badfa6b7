"""Public pages cached whole, each retired only by a change to what it shows.

* ``scopes``: the vocabulary: what a page shows (from its URL), what a changed row retires.
* ``versions``: the scopes' tokens in the database, changed by every save, and the hooks.
* ``pages``: the page cache middleware: two tiers, compressed once, no stampede.

docs/CACHING.md says how it fits together and how a CDN in front of it is purged.
"""

from .pages import PageCacheMiddleware, PageConditionalGetMiddleware, release
from .scopes import ALL, ANY, page_scopes, row_scopes
from .versions import (
    bump_archive_version,
    connect_signals,
    current_version,
    pages_retired,
    retire,
    retiring_everything,
    scope_tokens,
)

__all__ = [
    "ALL",
    "ANY",
    "PageCacheMiddleware",
    "PageConditionalGetMiddleware",
    "bump_archive_version",
    "connect_signals",
    "current_version",
    "page_scopes",
    "pages_retired",
    "release",
    "retire",
    "retiring_everything",
    "row_scopes",
    "scope_tokens",
]
