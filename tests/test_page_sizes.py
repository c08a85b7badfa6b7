"""Every HTML page at most PAGE_SIZE_LIMIT bytes as sent, gzip-compressed, at 30 seasons
(issue #16): a page that lists every season, every race or every result of a long career would
grow without bound. Crawled once over the archive at scale (tests.helpers), as
tests/test_query_budget.py measures the same pages' queries."""

import gzip

import pytest
from django.test import Client, override_settings

from seasons.importing.synthetic import sample_paths
from seasons.sample_pages import SAMPLE_PAGES, SCALE_SEASONS, SYNTHETIC_SEASON
from tests.helpers import bundled_archive_rolled_back, grow_to_scale

pytestmark = pytest.mark.django_db

PAGE_SIZE_LIMIT = 60_000
HTML_PAGES = [page for page in SAMPLE_PAGES if page.is_html]
# The synthetic season's pages at full size (eight named results a race, 50-row standings).
SYNTHETIC_HTML = ["season", "meet", "standings", "standings-table", "venue", "source", "athlete"]
# A nation's pages and a season's medal table in a full synthetic season, as well as the
# bundled season's the sample pages give.
SYNTHETIC_NATION = "kor"


def synthetic_pages():
    paths = sample_paths(SYNTHETIC_SEASON)
    pages = {f"synthetic-{name}": paths[name] for name in SYNTHETIC_HTML}
    pages["synthetic-season-medals"] = f"/nations/seasons/{SYNTHETIC_SEASON}/"
    pages["synthetic-nation-season"] = f"/nations/{SYNTHETIC_NATION}/{SYNTHETIC_SEASON}/"
    return pages


SYNTHETIC_PAGE_NAMES = [
    *(f"synthetic-{name}" for name in SYNTHETIC_HTML),
    "synthetic-season-medals",
    "synthetic-nation-season",
]


@pytest.fixture(scope="module")
def sizes(django_db_setup, django_db_blocker):
    """``{(page, seasons): (status, raw bytes, bytes sent)}`` at 2 and at 30 seasons, as the page
    cache sends them to a client that accepts gzip (a page it does not keep, a 404 or a form
    with its CSRF cookie, is sent as it is)."""
    client = Client(raise_request_exception=False, HTTP_ACCEPT_ENCODING="gzip")
    measured = {}

    def measure(name, path, seasons):
        response = client.get(path)
        sent = response.content
        raw = gzip.decompress(sent) if response.get("Content-Encoding") == "gzip" else sent
        measured[name, seasons] = (response.status_code, len(raw), len(sent))

    with bundled_archive_rolled_back(django_db_blocker), override_settings(PAGE_CACHE=True):
        for page in HTML_PAGES:
            measure(page.name, page.path, 2)
        grow_to_scale()
        for page in HTML_PAGES:
            measure(page.name, page.path, SCALE_SEASONS)
        for name, path in synthetic_pages().items():
            measure(name, path, SCALE_SEASONS)
    return measured


def describe(name, status, raw, compressed):
    return f"{name}: HTTP {status}, {raw:,} bytes, {compressed:,} sent"


@pytest.mark.parametrize("name", [page.name for page in HTML_PAGES])
def test_page_size_within_limit_at_30_seasons(sizes, name):
    status, raw, compressed = sizes[name, SCALE_SEASONS]
    assert status == next(page.status for page in HTML_PAGES if page.name == name)
    assert compressed <= PAGE_SIZE_LIMIT, describe(name, status, raw, compressed)


@pytest.mark.parametrize("name", SYNTHETIC_PAGE_NAMES)
def test_full_size_page_size_within_limit(sizes, name):
    status, raw, compressed = sizes[name, SCALE_SEASONS]
    assert status == 200, describe(name, status, raw, compressed)
    assert compressed <= PAGE_SIZE_LIMIT, describe(name, status, raw, compressed)


# Forms a reader fills in carry a CSRF cookie: the page cache neither keeps nor compresses them.
# Nor does it keep /data/ while the download it describes is not the archive's current one.
FORMS = {page.name for page in HTML_PAGES if page.name.startswith("suggest")} | {"data"}


@pytest.mark.parametrize(
    "name", [page.name for page in HTML_PAGES if page.status == 200 and page.name not in FORMS]
)
def test_pages_are_sent_compressed(sizes, name):
    """What the limits above measure is what is sent: the cached pages go out compressed."""
    status, raw, sent = sizes[name, SCALE_SEASONS]
    assert sent < raw / 2, describe(name, status, raw, sent)
