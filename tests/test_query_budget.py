"""Every public page costs a fixed number of queries: at most QUERY_BUDGET, and the same at 30
seasons as at 2 (a page that grows a query per season or per row would not survive the archive's
growth). Counted through the whole request with the page cache off, as a first visit costs; the
cache's own query is pinned in test_caching.py. The pages and the budget are
seasons/sample_pages.py's, which make bench measures too."""

from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, resolve

from seasons.importing.synthetic import sample_paths
from seasons.sample_pages import QUERY_BUDGET, SAMPLE_PAGE, SCALE_SEASONS, SYNTHETIC_SEASON
from tests.helpers import bundled_archive_rolled_back, grow_to_scale

# Also what makes pytest-django set up the test database for the module-scoped fixture.
pytestmark = pytest.mark.django_db

# The same page types at full size (8 named results a race, 50-row standings), at 30 seasons.
SYNTHETIC_PAGES = [
    *("season", "meet", "standings", "standings-table", "venue", "source", "athlete"),
    "athlete-json",
]


def measure(client, path):
    """``(status, [sql, ...])`` of a GET, after one GET to warm per-process caches (the current
    Site, content types), which a serving process fills once, not per page."""
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, [query["sql"] for query in queries]


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker):
    """Every page measured at 2 seasons (the bundled archive), then again after adding 28
    synthetic seasons: ``{(page, seasons): (status, queries)}``. Built once, in one transaction
    rolled back at the end, because generating 28 seasons per test would take minutes."""
    client = Client(raise_request_exception=False)
    results = {}
    with bundled_archive_rolled_back(django_db_blocker):
        for page in SAMPLE_PAGE.values():
            results[page.name, 2] = measure(client, page.path)
        grow_to_scale()
        for page in SAMPLE_PAGE.values():
            results[page.name, SCALE_SEASONS] = measure(client, page.path)
        paths = sample_paths(SYNTHETIC_SEASON)
        for name in SYNTHETIC_PAGES:
            results[f"synthetic-{name}", SCALE_SEASONS] = measure(client, paths[name])
        results["synthetic-paths"] = {name: paths[name] for name in SYNTHETIC_PAGES}
    return results


def describe(status, queries):
    return f"HTTP {status}, {len(queries)} queries:\n" + "\n".join(queries)


@pytest.mark.parametrize("page_type", SAMPLE_PAGE)
def test_page_within_query_budget(measured, page_type):
    status, queries = measured[page_type, 2]
    assert status == SAMPLE_PAGE[page_type].status, describe(status, queries)
    assert len(queries) <= QUERY_BUDGET, describe(status, queries)


@pytest.mark.parametrize("page_type", SAMPLE_PAGE)
def test_page_queries_same_at_30_seasons(measured, page_type):
    status, at_thirty = measured[page_type, SCALE_SEASONS]
    assert status == SAMPLE_PAGE[page_type].status, describe(status, at_thirty)
    assert len(at_thirty) == len(measured[page_type, 2][1]), describe(status, at_thirty)


@pytest.mark.parametrize("page_type", SYNTHETIC_PAGES)
def test_full_size_page_within_query_budget(measured, page_type):
    status, queries = measured[f"synthetic-{page_type}", SCALE_SEASONS]
    assert status == 200, describe(status, queries)
    assert len(queries) <= QUERY_BUDGET, describe(status, queries)


def public_view_names():
    """Every named URL outside the admin: the project's own and the seasons app's."""
    resolver = get_resolver()
    names = {name for name in resolver.reverse_dict if isinstance(name, str)}
    _, app_resolver = resolver.namespace_dict["seasons"]
    names |= {f"seasons:{name}" for name in app_resolver.reverse_dict if isinstance(name, str)}
    return names


def test_every_public_url_is_measured(measured):
    """A page type added to the URLconf without a line in seasons/sample_pages.py would escape
    the budget."""
    paths = [*(page.path for page in SAMPLE_PAGE.values()), *measured["synthetic-paths"].values()]
    measured_names = {resolve(urlsplit(path).path).view_name for path in paths}
    assert public_view_names() - measured_names == set()
