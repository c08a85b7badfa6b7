"""How the page cache sends a page (seasons/caching/pages.py): compressed once when stored, in the
encoding the client accepts; the previous version while one request renders a retired page; never
a page that a save committed in the middle of."""

import gzip
from unittest import mock

import brotli
import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from seasons.caching.pages import CACHE_STATUS_HEADER, page_cache_key
from seasons.models import PageScope, Race, Season
from tests.helpers import race

pytestmark = pytest.mark.django_db

SEASON = "/seasons/2011-12/"
CARD = "/seasons/2011-12/saguenay.png"


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE = True


def status_of(response):
    return response[CACHE_STATUS_HEADER]


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip, deflate", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("*", "br"),
        ("", None),
        ("identity", None),
    ],
)
def test_a_page_is_sent_in_the_encoding_the_client_accepts(client, archive, accept, encoding):
    plain = client.get(SEASON).content  # stored now; the client accepted nothing
    headers = {"accept-encoding": accept} if accept else {}

    for expected_status in ("hit", "hit"):
        response = client.get(SEASON, headers=headers)
        assert status_of(response) == expected_status
        assert response.get("Content-Encoding") == encoding
        assert "Accept-Encoding" in response["Vary"]
        assert int(response["Content-Length"]) == len(response.content)
        body = response.content
        if encoding == "br":
            body = brotli.decompress(body)
        elif encoding == "gzip":
            body = gzip.decompress(body)
        assert body == plain
        assert b"<h1" in body


def test_a_page_is_compressed_once_when_stored_not_per_request(client, archive):
    with (
        mock.patch("seasons.caching.pages.brotli.compress", wraps=brotli.compress) as br,
        mock.patch("seasons.caching.pages.gzip.compress", wraps=gzip.compress) as gz,
    ):
        for _ in range(5):
            client.get(SEASON, headers={"accept-encoding": "br"})
            client.get(SEASON, headers={"accept-encoding": "gzip"})

    assert br.call_count == 1
    assert gz.call_count == 1


def test_compressed_pages_are_much_smaller(client, archive):
    plain = len(client.get(SEASON).content)
    sent = len(client.get(SEASON, headers={"accept-encoding": "br"}).content)

    assert sent < plain / 4


def test_the_etag_is_one_for_every_encoding(client, archive):
    etag = client.get(SEASON)["ETag"]
    assert etag.startswith('W/"')

    for accept in ("br", "gzip", ""):
        response = client.get(SEASON, headers={"accept-encoding": accept, "if-none-match": etag})
        assert response.status_code == 304


def test_images_are_sent_as_they_are(client, archive):
    first = client.get(CARD, headers={"accept-encoding": "br, gzip"})
    again = client.get(CARD, headers={"accept-encoding": "br, gzip"})

    assert status_of(again) == "hit"
    assert "Content-Encoding" not in again
    assert again.content == first.content
    assert again.content.startswith(b"\x89PNG")


def test_a_page_names_its_scopes_for_a_purge_by_tag(client, archive):
    response = client.get("/seasons/2011-12/nagoya/")

    assert response["Surrogate-Key"] == "all meet:2011-12/nagoya"
    assert response["Cache-Tag"] == "all,meet:2011-12/nagoya"


def retire_the_season():
    season = Season.objects.get(slug="2011-12")
    season.title = "2011–12 World Cup, retitled"
    season.save()


def test_while_one_request_renders_a_retired_page_others_get_the_previous_one(client, archive):
    old = client.get(SEASON)
    retire_the_season()
    lock = f"render:{page_cache_key(old.wsgi_request)}"
    # Another worker has taken the render lock and is rendering the page now.
    assert caches["pages"].add(lock, 1)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(SEASON)

    assert status_of(response) == "stale"
    assert response.content == old.content
    assert len(queries) == 1  # the scopes' tokens: no render

    caches["pages"].delete(lock)  # the other worker is done
    response = client.get(SEASON)
    assert status_of(response) == "miss"
    assert "retitled" in response.text


def test_the_previous_version_is_served_for_a_bounded_time_only(client, archive, settings):
    old = client.get(SEASON)
    retire_the_season()
    caches["pages"].add(f"render:{page_cache_key(old.wsgi_request)}", 1)
    # The change was longer ago than the bound: the renderer is stuck or gone.
    PageScope.objects.update(
        changed_at=PageScope.objects.get(name="all").changed_at.replace(year=2020)
    )

    response = client.get(SEASON)

    assert status_of(response) == "miss"
    assert "retitled" in response.text


def test_the_request_that_renders_a_retired_page_holds_the_lock_and_frees_it(client, archive):
    from django.shortcuts import render as real_render

    old = client.get(SEASON)
    retire_the_season()
    lock = f"render:{page_cache_key(old.wsgi_request)}"
    held = []

    def render(*args, **kwargs):
        held.append(caches["pages"].get(lock))
        return real_render(*args, **kwargs)

    with mock.patch("seasons.views.pages.render", render):
        response = client.get(SEASON)

    assert status_of(response) == "miss"
    assert held == [1]
    assert caches["pages"].get(lock) is None


def get_while_saving(client, podium_race, times):
    """GET the season page with a save of ``podium_race``'s winner's time committing between the
    page's queries and its storing."""
    from django.shortcuts import render as real_render

    def render_then_save(*args, **kwargs):
        response = real_render(*args, **kwargs)
        podium = podium_race().results.order_by("place").first()
        podium.time = times[0] if podium.time != times[0] else times[1]
        podium.save()
        return response

    with mock.patch("seasons.views.pages.render", render_then_save):
        return client.get(SEASON)


def test_a_page_rendered_while_a_save_commits_is_sent_but_not_kept(client, skaters):
    response = get_while_saving(client, lambda: race("women", 1500), ("2:22.222", "2:22.333"))
    assert status_of(response) == "miss"

    assert status_of(client.get(SEASON)) == "miss"  # not kept: rendered again
    assert status_of(client.get(SEASON)) == "hit"


def test_a_page_rendered_while_a_save_elsewhere_commits_is_kept(client, skaters):
    """A save to a race of another season retires nothing the 2011–12 season page shows: the
    page rendered meanwhile is stored (an editor saving every second must not keep the pages
    they do not touch from being stored)."""

    def relay():
        return Race.objects.get_by_natural_key("2012-13", "calgary", "men", 5000, None)

    response = get_while_saving(client, relay, ("6:41.111", "6:41.222"))
    assert status_of(response) == "miss"

    assert status_of(client.get(SEASON)) == "hit"
