"""Whole-page caching of the public pages, with instant invalidation.

Design:

* One **archive version** (:class:`~seasons.models.ArchiveVersion`, a single database row) changes
  whenever archive data changes. Every cached page is keyed by it, so an editor's save retires
  every cached page at once; nothing has to know which pages a row appears on. The version is in
  the database, not in a cache: with the default local-memory cache each gunicorn worker has its
  own cache, and a version held in one worker's memory would leave the others serving old pages.
  Reading it costs one primary-key query per request, which is all a cache hit costs.
* The version changes inside the transaction that changes the data (``post_save`` and
  ``post_delete`` of every archive model, which covers the admin and its inlines, the importer and
  ``loaddata``), so it commits or rolls back with it. Its token is random, never a counter: a
  rolled-back version is never reused with different data. Writes that send no signals
  (``bulk_create``, ``QuerySet.update()``, raw SQL) must call :func:`bump_archive_version`.
* :class:`PageCacheMiddleware` caches anonymous GET/HEAD requests for the ``seasons`` URL
  namespace (and sitemap.xml and robots.txt), 200 responses only, through Django's cache
  framework (``CACHES["default"]``: local memory, or Redis when ``REDIS_URL`` is set). A request
  with a session cookie (a signed-in editor, who sees "Edit" links) is neither served from nor
  stored in the cache.
* Every cached page carries an ``ETag`` (a hash of its content, so a page an edit did not touch
  keeps it, stored with the page so that a hit does not hash it again) and a ``Last-Modified``
  (when the archive last changed). Django's ``ConditionalGetMiddleware``, placed before the page
  cache so that it sees the hits too, answers a repeat visit that sends either back with a 304
  (:class:`PageConditionalGetMiddleware`).
"""

import datetime
import hashlib
import secrets
from functools import cache, lru_cache

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.http import ConditionalGetMiddleware
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date

from .models import ArchiveVersion, Suggestion

CACHED_NAMESPACES = frozenset({"seasons"})
CACHED_URL_NAMES = frozenset({"sitemap", "robots-txt"})
# Apps whose rows public pages show; every model of theirs changes the archive version.
# (sites: sitemap.xml takes its domain from the Site; redirects: an old slug's 301.)
ARCHIVE_APPS = frozenset({"seasons", "sites", "redirects"})
# Rows of those apps that no public page shows: a reader's suggestion changes no page until an
# editor applies it (and that save changes the version), so a flood of them retires nothing.
NOT_SHOWN = frozenset({ArchiveVersion, Suggestion})
CACHE_STATUS_HEADER = "X-Page-Cache"


# The archive version


def current_version(using=DEFAULT_DB_ALIAS):
    """``(token, changed_at)`` of the archive now; ``("", None)`` before its first change.

    Plain SQL: this runs on every cached request, and building the same query through the ORM
    took most of a cache hit's time."""
    connection = connections[using]
    table = connection.ops.quote_name(ArchiveVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token, changed_at FROM {table} WHERE id = 1")
        row = cursor.fetchone()
    if row is None:
        return "", None
    token, changed_at = row
    # SQLite and MySQL give naive UTC (as text on SQLite); PostgreSQL an aware datetime.
    if isinstance(changed_at, str):
        changed_at = parse_datetime(changed_at)
    if timezone.is_naive(changed_at):
        changed_at = changed_at.replace(tzinfo=datetime.UTC)
    return token, changed_at


def bump_archive_version(using=DEFAULT_DB_ALIAS):
    """Give the archive a new version, retiring every cached page. Runs in the caller's
    transaction: rolled back with it, visible to other processes when it commits."""
    values = {"token": secrets.token_hex(16), "changed_at": timezone.now()}
    if _update_version(using, **values):
        return
    versions = ArchiveVersion.objects.using(using)
    _, created = versions.get_or_create(pk=1, defaults=values)
    if not created:  # another process created the row in between
        _update_version(using, **values)


def _update_version(using, token, changed_at):
    """Plain SQL: an import saves hundreds of rows, each changing the version."""
    connection = connections[using]
    table = connection.ops.quote_name(ArchiveVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET token = %s, changed_at = %s WHERE id = 1",
            [token, connection.ops.adapt_datetimefield_value(changed_at)],
        )
        return cursor.rowcount


def archive_changed(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    bump_archive_version(using)


def is_archive_model(model):
    # simple-history's historical models only ever change together with their instance.
    return (
        model._meta.app_label in ARCHIVE_APPS
        and model not in NOT_SHOWN
        and not hasattr(model, "instance_type")
    )


def connect_signals():
    """Connect each archive model (not every model: a receiver for all senders would turn off
    Django's fast delete everywhere). Called from ``SeasonsConfig.ready()``."""
    from django.apps import apps

    for model in apps.get_models():
        if is_archive_model(model):
            uid = f"archive-version:{model._meta.label}"
            post_save.connect(archive_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(archive_changed, sender=model, dispatch_uid=uid)


# The page cache


@cache
def release():
    """A token for the deployed templates, code and static manifest, computed once per process.
    A shared cache (Redis) outlives a deploy; a page rendered by the old templates, linking the
    old hashed static files, must not be served by the new release."""
    base = settings.BASE_DIR
    files = [
        *sorted((base / "templates").rglob("*.html")),
        *sorted((base / "seasons").rglob("*.py")),
        settings.STATIC_ROOT / "staticfiles.json",
    ]
    digest = hashlib.md5(usedforsecurity=False)
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    return digest.hexdigest()[:12]


def page_cache_key(request, token):
    where = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.md5(where.encode(), usedforsecurity=False).hexdigest()
    return f"page:{release()}:{token}:{digest}"


def is_public_page_request(request):
    if not getattr(settings, "PAGE_CACHE", True) or request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
    return is_public_page(urlconf, request.path_info)


@lru_cache(maxsize=4096)
def is_public_page(urlconf, path):
    """Remembered per path: resolving the URL was a good part of a cache hit's time."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return False
    return match.namespace in CACHED_NAMESPACES or match.url_name in CACHED_URL_NAMES


def is_storable(request, response):
    """A response the next anonymous visitor may get as it is: a complete 200 for a GET that sets
    no cookie, says nothing against caching and varies on nothing but the (absent) cookie."""
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if "private" in cache_control or "no-store" in cache_control:
        return False
    vary = {value.strip().lower() for value in response.get("Vary", "").split(",")}
    return vary <= {"", "cookie"}


class PageCacheMiddleware:
    """Serve anonymous visitors public pages from the cache. Place it directly after WhiteNoise
    (static files never reach it) and :class:`PageConditionalGetMiddleware`: a hit then skips
    sessions, authentication and the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_public_page_request(request):
            return self.get_response(request)
        token, changed_at = current_version()
        key = page_cache_key(request, token)
        page_cache = caches["default"]
        cached = page_cache.get(key)
        if cached is not None:
            status, headers, content = cached
            response = HttpResponse(content, status=status, headers=headers)
            response[CACHE_STATUS_HEADER] = "hit"
        else:
            response = self.get_response(request)
            if not is_storable(request, response):
                return response
            set_response_etag(response)
            page_cache.set(key, (200, dict(response.items()), response.content))
            response[CACHE_STATUS_HEADER] = "miss"
        # Browsers may keep the page but must ask again: the archive can change at any moment.
        patch_cache_control(response, no_cache=True)
        # The archive's last change, not the view's own idea of it (a feed's newest entry), and
        # only a second that is over: a change later in the same second would carry the same
        # HTTP date, and a client holding it would get a wrong 304.
        del response["Last-Modified"]
        if changed_at is not None:
            last_modified = int(changed_at.timestamp())
            if int(timezone.now().timestamp()) > last_modified:
                response["Last-Modified"] = http_date(last_modified)
        return response


class PageConditionalGetMiddleware(ConditionalGetMiddleware):
    """Django's conditional GET (a 304 for an unchanged ``ETag`` or ``Last-Modified``), for the
    pages the page cache serves only: a page it does not serve (an editor's, or any page with
    ``PAGE_CACHE`` off) is sent whole, with no ETag, every time. Place it before
    :class:`PageCacheMiddleware`, whose hits never reach the middleware after it."""

    def process_response(self, request, response):
        if CACHE_STATUS_HEADER not in response:
            return response
        return super().process_response(request, response)
