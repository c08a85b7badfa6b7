"""The page cache (seasons/caching.py): repeat visits are served from the cache or answered 304,
and an editor's save shows on the next visit."""

import datetime
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from seasons.caching import bump_archive_version, current_version
from seasons.caching.pages import CACHE_STATUS_HEADER
from seasons.models import Athlete, Nation, PageScope, Race, Result, Season, StandingsTable
from tests.helpers import open_form, save

pytestmark = pytest.mark.django_db

SEASON = "/seasons/2011-12/"
MEET = "/seasons/2011-12/saguenay/"
STANDINGS = "/seasons/2011-12/standings/"


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    """The cache on (whatever SKATEARCHIVE_PAGE_CACHE says) and empty (tests/conftest.py empties
    the page caches): the local-memory cache lives as long as the test process."""
    settings.PAGE_CACHE = True
    caches["default"].clear()


@pytest.fixture
def cached_season(client, archive):
    """The season page, fetched once: now in the cache."""
    response = client.get(SEASON)
    assert response[CACHE_STATUS_HEADER] == "miss"
    return response


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def settled_version():
    """Date the last change a minute back: a Last-Modified is only sent for a second that is
    over."""
    PageScope.objects.update(changed_at=timezone.now() - datetime.timedelta(minutes=1))


def status_of(response):
    return response.get(CACHE_STATUS_HEADER)


def test_page_cache_serves_a_repeat_visit_with_one_query(client, cached_season):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(SEASON)

    assert status_of(response) == "hit"
    assert response.content == cached_season.content
    assert [query["sql"] for query in queries] == [
        query["sql"] for query in queries if "seasons_pagescope" in query["sql"]
    ]
    assert len(queries) == 1


def test_page_cache_miss_adds_two_queries_to_the_page(client, archive, settings):
    """The scopes' tokens before the view, and the archive's after it (a save that committed
    meanwhile keeps the page out of the cache)."""
    settings.PAGE_CACHE = False
    with CaptureQueriesContext(connection) as uncached:
        client.get(SEASON)
    settings.PAGE_CACHE = True
    with CaptureQueriesContext(connection) as miss:
        response = client.get(SEASON)

    assert status_of(response) == "miss"
    assert len(miss) == len(uncached) + 2


def test_page_cache_answers_304_to_if_none_match(client, cached_season):
    etag = cached_season["ETag"]

    response = client.get(SEASON, headers={"if-none-match": etag})

    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response.content == b""


def test_page_cache_answers_304_to_if_modified_since(client, archive, settled_version):
    first = client.get(SEASON)
    last_modified = first["Last-Modified"]

    response = client.get(SEASON, headers={"if-modified-since": last_modified})

    assert response.status_code == 304


def test_page_cache_answers_200_to_an_older_if_modified_since(client, archive, settled_version):
    two_minutes_ago = time.time() - 120

    response = client.get(SEASON, headers={"if-modified-since": http_date(two_minutes_ago)})

    assert response.status_code == 200


def test_page_cache_sends_no_last_modified_in_the_second_of_a_change(client, archive):
    PageScope.objects.update(changed_at=timezone.now() + datetime.timedelta(minutes=1))

    response = client.get(SEASON)

    assert response.status_code == 200
    assert "Last-Modified" not in response
    assert "ETag" in response


def test_page_cache_asks_browsers_to_revalidate(cached_season, settings):
    """Browsers keep nothing unasked (max-age=0: a 304 if unchanged); a CDN may keep a page for
    a short, set time and serve it a little past it while it asks again."""
    cache_control = {part.strip() for part in cached_season["Cache-Control"].split(",")}

    shared = f"s-maxage={settings.PAGE_CACHE_SHARED_SECONDS}"
    assert {"public", "max-age=0", shared} <= cache_control
    assert f"stale-while-revalidate={settings.PAGE_CACHE_STALE_SECONDS}" in cache_control


def test_page_cache_etag_survives_an_unrelated_change(client, cached_season):
    Athlete.objects.create(name="Someone New", slug="someone-new")
    # A save that retires the page (a season's save retires every page) but changes nothing on it.
    Season.objects.get(slug="2011-12").save()

    with CaptureQueriesContext(connection) as queries:
        response = client.get(SEASON, headers={"if-none-match": cached_season["ETag"]})

    # The archive changed, the page did not: rendered again, still not modified.
    assert len(queries) > 2
    assert response.status_code == 304


def test_orm_save_invalidates_the_cached_page_at_once(client, cached_season):
    season = Season.objects.get(slug="2011-12")
    season.title = "2011–12 World Cup, corrected"
    season.save()

    response = client.get(SEASON)

    assert status_of(response) == "miss"
    assert "2011–12 World Cup, corrected" in response.text
    assert client.get(SEASON, headers={"if-none-match": cached_season["ETag"]}).status_code == 200


def test_orm_delete_invalidates_the_cached_page(client, archive):
    hamelin = Athlete.objects.create(name="Charles Hamelin", slug="charles-hamelin")
    sprint = Race.objects.get_by_natural_key("2011-12", "saguenay", "men", 500, 1)
    result = Result.objects.create(race=sprint, place=1, athlete=hamelin)
    assert "Charles Hamelin" in client.get(MEET).text

    result.delete()

    assert "Charles Hamelin" not in client.get(MEET).text


def test_admin_inline_save_invalidates_the_cached_page(client, editor_client, archive):
    hamelin = Athlete.objects.create(
        name="Charles Hamelin", slug="charles-hamelin", nation=Nation.objects.get(code="CAN")
    )
    assert "Charles Hamelin" not in client.get(MEET).text
    sprint = Race.objects.get_by_natural_key("2011-12", "saguenay", "men", 500, 1)
    data = open_form(editor_client, sprint)
    data["results-0-athlete"] = str(hamelin.pk)
    data["results-0-nation"] = str(hamelin.nation.pk)

    assert save(editor_client, sprint, data).status_code == 302

    response = client.get(MEET)
    assert status_of(response) == "miss"
    assert "Charles Hamelin" in response.text


def test_admin_standings_inline_invalidates_the_cached_page(client, editor_client, archive):
    assert "4321" not in client.get(STANDINGS).text
    table = StandingsTable.objects.get_by_natural_key("2011-12", "men", 1000)
    data = open_form(editor_client, table)
    data["entries-0-points"] = "4321"

    assert save(editor_client, table, data).status_code == 302

    assert "4321" in client.get(STANDINGS).text


def test_write_without_signals_needs_bump_archive_version(client, cached_season):
    Season.objects.filter(slug="2011-12").update(title="Changed by update()")
    assert "Changed by update()" not in client.get(SEASON).text

    bump_archive_version()

    assert "Changed by update()" in client.get(SEASON).text


def test_archive_version_rolls_back_with_its_transaction(archive):
    before = current_version()

    with pytest.raises(RuntimeError), transaction.atomic():
        Season.objects.filter(slug="2011-12").get().save()
        assert current_version() != before
        raise RuntimeError

    assert current_version() == before


def test_page_cache_never_serves_signed_in_staff(client, editor_client, cached_season):
    # A change the cache cannot know of: anonymous visitors keep the cached page...
    Season.objects.filter(slug="2011-12").update(title="Changed by update()")
    assert "Changed by update()" not in client.get(SEASON).text

    # ...an editor sees the archive as it is.
    response = editor_client.get(SEASON)
    assert status_of(response) is None
    assert "Changed by update()" in response.text


def test_page_cache_does_not_store_staff_pages(client, editor_client, archive):
    editor_client.get(SEASON)

    assert status_of(client.get(SEASON)) == "miss"


def test_page_cache_ignores_post(client, cached_season):
    response = client.post(SEASON)

    assert status_of(response) is None
    assert "ETag" not in response


def test_page_cache_skips_the_admin(client, archive):
    assert status_of(client.get("/admin/login/")) is None


def test_page_cache_skips_errors(client, archive):
    client.get("/seasons/1999-00/")

    response = client.get("/seasons/1999-00/")

    assert response.status_code == 404
    assert status_of(response) is None


def test_page_cache_head_is_served_from_the_cache(client, cached_season):
    response = client.head(SEASON)

    assert status_of(response) == "hit"


def test_page_cache_answers_304_to_a_conditional_head(client, cached_season):
    """The cached page's ETag is its whole body's, so a HEAD can be compared with it too (Django's
    own middleware leaves a HEAD alone: it cannot hash a body it does not send)."""
    response = client.head(SEASON, headers={"if-none-match": cached_season["ETag"]})

    assert response.status_code == 304
    assert response["ETag"] == cached_season["ETag"]


def test_page_cache_answers_412_to_a_failed_if_match(client, cached_season):
    response = client.get(SEASON, headers={"if-match": 'W/"not-this-page"'})

    assert response.status_code == 412


def test_page_cache_sends_the_page_to_a_stale_if_none_match(client, cached_season):
    response = client.get(SEASON, headers={"if-none-match": 'W/"an-older-version"'})

    assert response.status_code == 200
    assert response.content == cached_season.content


def test_page_cache_off_serves_every_visit_fresh(client, archive, settings):
    settings.PAGE_CACHE = False

    response = client.get(SEASON)

    assert status_of(response) is None
    assert "ETag" not in response


def settings_value(expression, **environ):
    """A value of skatearchive.settings as a fresh process reads it from ``environ``."""
    code = f"from skatearchive import settings; print({expression})"
    env = {**os.environ, **environ}
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_cache_is_local_memory_by_default():
    backend = settings_value('settings.CACHES["default"]["BACKEND"]', REDIS_URL="")

    assert backend == "django.core.cache.backends.locmem.LocMemCache"


def test_workers_share_pages_in_files_by_default(tmp_path):
    cache = settings_value(
        'settings.CACHES["pages"]', REDIS_URL="", SKATEARCHIVE_PAGE_CACHE_DIR=str(tmp_path)
    )

    assert "django.core.cache.backends.filebased.FileBasedCache" in cache
    assert str(tmp_path) in cache


def test_redis_url_puts_the_cache_in_redis():
    url = "redis://127.0.0.1:6390/2"
    cache = settings_value('settings.CACHES["default"]', REDIS_URL=url)

    assert "django.core.cache.backends.redis.RedisCache" in cache
    assert url in cache
    pages = settings_value('settings.CACHES["pages"]', REDIS_URL=url)
    assert "django.core.cache.backends.redis.RedisCache" in pages
    assert url in pages


@pytest.fixture
def redis_url():
    """A throwaway Redis server on a free loopback port (Debian's redis-server)."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as attempt:
                if attempt.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait()


def test_page_cache_in_redis_serves_and_invalidates(client, archive, settings, redis_url):
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    settings.CACHES = {**settings.CACHES, "default": redis, "pages": redis}
    caches["pages"].clear()
    client.get(SEASON)
    assert status_of(client.get(SEASON)) == "hit"

    Season.objects.filter(slug="2011-12").update(title="Changed in Redis times")
    bump_archive_version()

    response = client.get(SEASON)
    assert status_of(response) == "miss"
    assert "Changed in Redis times" in response.text

    # Another worker (its own memory empty) gets the page from Redis, not from a render.
    caches["pages-local"].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(SEASON)
    assert status_of(response) == "hit"
    assert "Changed in Redis times" in response.text
    assert len(queries) == 1
