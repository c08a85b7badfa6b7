"""The standings pages stay small (issue 16): before, a bundled season's standings page was
118 KB and a full-size one 1.49 MB (108 KB compressed), every total's check and chart on it.

A standings page shows one season (the pager names its neighbours, nothing more), so one
synthetic season at full size (50-row tables, eight named results a race) measures what the
pages of a 30-season archive weigh."""

import gzip

import pytest

from seasons.importing.synthetic import ENTRIES_PER_TABLE, generate_archive
from seasons.models import StandingsTable

pytestmark = pytest.mark.django_db

# Uncompressed, as a bundled season's overview is sent without compression.
BUNDLED_OVERVIEW_BYTES = 40_000
# As sent, gzip at its usual level, at full size.
COMPRESSED_PAGE_BYTES = 60_000


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE = False


def compressed_size(body):
    return len(gzip.compress(body, 6))


@pytest.mark.parametrize("season", ["2011-12", "2012-13"])
def test_standings_overview_of_a_bundled_season_within_40_kb(client, archive, season):
    response = client.get(f"/seasons/{season}/standings/")

    assert response.status_code == 200
    assert response.text.count('class="standings-block"') >= 8  # every table is there
    assert len(response.content) <= BUNDLED_OVERVIEW_BYTES


def test_standings_pages_of_a_full_size_season_within_60_kb_compressed(client, archive):
    generate_archive(1, force=True)
    tables = list(StandingsTable.objects.filter(season__slug="1901-02"))
    assert tables and all(table.entries.count() == ENTRIES_PER_TABLE for table in tables)

    paths = ["/seasons/1901-02/standings/"]
    paths += [f"/seasons/1901-02/standings/{table.anchor}/" for table in tables]
    sizes = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        sizes[path] = compressed_size(response.content)

    assert max(sizes.values()) <= COMPRESSED_PAGE_BYTES, sizes
    # Every row of every table is on the overview: compact, not cut.
    overview = client.get(paths[0]).text
    assert overview.count("<tr>") - len(tables) == ENTRIES_PER_TABLE * len(tables)
