"""sitemap.xml and robots.txt."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE = False


def locations(response):
    return [
        re.sub(r"^https?://[^/]+", "", loc)
        for loc in re.findall(r"<loc>(.*?)</loc>", response.text)
    ]


def test_sitemap_lists_every_public_page(client, archive):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    paths = locations(response)
    for path in [
        "/",
        "/seasons/",
        "/venues/",
        "/sources/",
        "/seasons/2011-12/",
        "/seasons/2012-13/standings/",
        "/seasons/2011-12/dordrecht/",
        "/seasons/2012-13/dresden/",
        "/venues/moscow/",
        "/sources/2012-13.txt",
        "/nations/",
        "/nations/ned/",
        "/changes/",
        "/athletes/",
        "/seasons/2011-12/standings/men-500m/",
        "/seasons/2012-13/standings/women-3000m-relay/",
        "/nations/seasons/2011-12/",
    ]:
        assert path in paths
    # 7 list pages, 2 seasons, 2 standings overviews and 16 tables, 2 season medal tables,
    # 12 meets, 10 venues, 9 nations, 2 sources; no athlete (the bundled sources name none), so
    # no letter or nation of the athletes' index.
    assert len(paths) == 7 + 2 + 2 + 16 + 2 + 12 + 10 + 9 + 2
    assert len(set(paths)) == len(paths)


def test_sitemap_lists_athletes(client, skaters):
    paths = locations(client.get("/sitemap.xml"))
    assert skaters.canada.get_absolute_url() in paths
    assert skaters.netherlands.get_absolute_url() in paths


def test_sitemap_lists_the_letters_and_nations_of_the_athletes_index(client, skaters):
    paths = locations(client.get("/sitemap.xml"))
    index = [path for path in paths if path.startswith("/athletes/by-")]
    # Both Élodie Testaz: under E, one of Canada, one of the Netherlands.
    assert index == ["/athletes/by-name/e/", "/athletes/by-nation/can/", "/athletes/by-nation/ned/"]


def test_sitemap_leaves_out_sorting_and_export_variants(client, archive):
    assert not [path for path in locations(client.get("/sitemap.xml")) if "?" in path]


def test_sitemap_query_count_does_not_grow_with_pages(
    client, archive, django_assert_max_num_queries
):
    with django_assert_max_num_queries(9):  # one per section, plus the session's
        client.get("/sitemap.xml")


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_admin(client, archive):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.text
    assert "Disallow: /admin/" in response.text
