"""The page cache: public pages stored rendered and compressed, served while what they show is
unchanged.

* **What a page shows.** Each public page has *scopes* that follow from its URL
  (``seasons.caching.scopes.page_scopes``: the Nagoya 2011–12 meet page shows
  ``meet:2011-12/nagoya``). A stored page keeps the tokens its scopes had when it was rendered;
  a request reads the current tokens (one query) and the page is served while they match. A save
  retires only the scopes of the rows it changed (``seasons.caching.versions``), so an edit to a
  2011–12 race leaves every 2012–13 page in the cache.
* **Two tiers.** Each process keeps pages in memory (``CACHES["pages-local"]``), the fastest
  hit; behind it a cache all workers share (``CACHES["pages"]``: files on this machine by
  default, Redis across machines when ``REDIS_URL`` is set), so a page retired by a save is
  rendered once, not once per worker.
* **No stampede.** When a page is retired, the first request to find it so takes a render lock
  in the shared cache and renders it; requests that arrive meanwhile are served the previous
  version (``X-Page-Cache: stale``) for at most ``PAGE_CACHE_STALE_SECONDS`` after the change,
  then render it themselves.
* **Compressed once.** A page is stored gzip- and brotli-compressed; a request gets the encoding
  it accepts (brotli first) with no work but a copy. A client that accepts neither gets the gzip
  body decompressed.
* **A render that raced a save to what it shows is not stored.** The page's tokens are read
  before and after the view: if a save retired one meanwhile, the page may mix old and new rows,
  and is sent but not kept. (A save elsewhere does not keep it out: an editor saving every
  second would otherwise keep the slowest pages from ever being stored.)
* **Headers.** Every cached page carries a weak ``ETag`` (the same for every encoding of it) and
  a ``Last-Modified`` (the latest change of its scopes, once that second is over); Django's
  conditional GET answers repeat visits, HEAD included, with a 304
  (:class:`PageConditionalGetMiddleware`). ``Cache-Control`` lets a CDN or reverse proxy keep a
  page ``PAGE_CACHE_SHARED_SECONDS`` while browsers ask again every time, and
  ``Surrogate-Key``/``Cache-Tag`` name its scopes for a purge by tag (docs/CACHING.md).

Anonymous GET and HEAD requests of the ``seasons`` URL namespace (and sitemap.xml and
robots.txt) only; a request with a session cookie (a signed-in editor, who sees "Edit" links) is
neither served from nor stored in the cache.
"""

import gzip
import hashlib
from dataclasses import dataclass
from functools import cache, lru_cache

import brotli
from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.deprecation import MiddlewareMixin
from django.utils.http import http_date, parse_http_date_safe

from .scopes import page_scopes
from .versions import aware, scope_tokens

CACHED_NAMESPACES = frozenset({"seasons"})
CACHED_URL_NAMES = frozenset({"sitemap", "robots-txt"})
CACHE_STATUS_HEADER = "X-Page-Cache"
# Types worth compressing; images (the PNG cards) are compressed already.
COMPRESSED_TYPES = ("text/", "application/json", "application/xml", "application/atom+xml")
# Brotli 8 is within a few per cent of 11 on these pages at a fifth of the time; compressing
# happens on every render, so after every retirement.
BROTLI_QUALITY, GZIP_LEVEL = 8, 9
# Headers that describe the stored body, set again for the encoding sent.
BODY_HEADERS = frozenset({"content-length", "content-encoding", "etag", "last-modified"})


@dataclass
class StoredPage:
    """A page as the cache keeps it: the scope tokens it was rendered with, its headers, and its
    body in each encoding (``br`` and ``gzip``, or ``identity`` for a type not compressed)."""

    tokens: dict
    headers: dict
    bodies: dict
    stored_at: object

    def is_current(self, tokens):
        return self.tokens == tokens

    def body(self, encoding):
        if encoding in self.bodies:
            return self.bodies[encoding]
        return gzip.decompress(self.bodies["gzip"])

    @classmethod
    def from_response(cls, response, tokens):
        content = response.content
        headers = {k: v for k, v in response.items() if k.lower() not in BODY_HEADERS}
        if response.get("Content-Type", "").startswith(COMPRESSED_TYPES):
            bodies = {
                "br": brotli.compress(content, quality=BROTLI_QUALITY),
                "gzip": gzip.compress(content, GZIP_LEVEL, mtime=0),
            }
        else:
            bodies = {"identity": content}
        digest = hashlib.md5(content, usedforsecurity=False).hexdigest()
        etag = f'W/"{digest}"'
        prepared = HttpResponse(headers=headers)
        if "identity" not in bodies:
            patch_vary_headers(prepared, ["Accept-Encoding"])
        prepared["ETag"] = etag
        scopes = sorted(tokens)
        prepared["Surrogate-Key"] = " ".join(scopes)
        prepared["Cache-Tag"] = ",".join(scopes)
        # Browsers may keep the page but must ask again (a 304 if unchanged): the archive can
        # change at any moment. A CDN or proxy may keep it a short while (docs/CACHING.md).
        patch_cache_control(
            prepared,
            public=True,
            max_age=0,
            s_maxage=settings.PAGE_CACHE_SHARED_SECONDS,
            stale_while_revalidate=settings.PAGE_CACHE_STALE_SECONDS,
        )
        del prepared["Content-Type"]  # HttpResponse's default; the page's own is in headers
        headers = {**headers, **dict(prepared.items())}
        return cls(tokens, headers, bodies, timezone.now())


@cache
def release():
    """A token for the deployed templates, code and static manifest, computed once per process.
    A shared cache outlives a deploy; a page rendered by the old templates, linking the old
    hashed static files, must not be served by the new release."""
    base = settings.BASE_DIR
    files = [
        *sorted((base / "templates").rglob("*.html")),
        *sorted((base / "seasons").rglob("*.py")),
        settings.STATIC_ROOT / "staticfiles.json",
        # The headers stored with a page (its Content-Security-Policy) follow from settings.
        base / "skatearchive" / "settings.py",
    ]
    digest = hashlib.md5(usedforsecurity=False)
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    return digest.hexdigest()[:12]


def page_cache_key(request):
    # get_host() checks the Host header against ALLOWED_HOSTS: a forged one never gets a key.
    return cache_key_of(f"{request.scheme}://{request.get_host()}{request.get_full_path()}")


@lru_cache(maxsize=4096)
def cache_key_of(where):
    digest = hashlib.md5(where.encode(), usedforsecurity=False).hexdigest()
    return f"page:{release()}:{digest}"


def cached_page_scopes(request):
    """The scopes of the public page ``request`` asks for, or None when the cache does not serve
    it (another method, a signed-in editor, a page not public, the cache off)."""
    if not getattr(settings, "PAGE_CACHE", True) or request.method not in ("GET", "HEAD"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
    return public_page_scopes(urlconf, request.path_info)


@lru_cache(maxsize=4096)
def public_page_scopes(urlconf, path):
    """The scopes of the page at ``path``, or None for a path the cache does not serve.
    Remembered per path: resolving the URL was a good part of a cache hit's time."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    if match.namespace not in CACHED_NAMESPACES and match.url_name not in CACHED_URL_NAMES:
        return None
    return page_scopes(match.url_name, match.kwargs)


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


def token_of(scope, current):
    """The token of ``scope`` in ``scope_tokens``'s answer; "" for a scope never changed."""
    return current[scope][0] if scope in current else ""


def accepted_encoding(request):
    """``br``, ``gzip`` or ``identity``: the best the client accepts (a ``;q=0`` refuses)."""
    return best_encoding(request.META.get("HTTP_ACCEPT_ENCODING", ""))


@lru_cache(maxsize=256)
def best_encoding(header):
    accepted = set()
    for part in header.split(","):
        coding, _, params = part.strip().lower().partition(";")
        if params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            accepted.add(coding.strip())
    for encoding in ("br", "gzip"):
        if encoding in accepted or "*" in accepted:
            return encoding
    return "identity"


class PageCacheMiddleware:
    """Serve anonymous visitors public pages from the cache. Place it directly after Django's
    SecurityMiddleware (which sets its headers on every response) and
    :class:`PageConditionalGetMiddleware`: a hit then skips the rest, the view included, and is
    sent with the headers the middleware after it gave the page when it was rendered (the
    Content-Security-Policy, X-Frame-Options). A static file passes it with one lookup."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scopes = cached_page_scopes(request)
        if scopes is None:
            return self.get_response(request)
        current = scope_tokens(scopes, parsed=False)
        tokens = {scope: token_of(scope, current) for scope in scopes}
        changed = [current[scope][1] for scope in scopes if scope in current]
        last_change = aware(max(changed)) if changed else None
        key = page_cache_key(request)
        local, shared = caches["pages-local"], caches["pages"]

        page = local.get(key)
        if page is not None and page.is_current(tokens):
            return self.send(request, page, "hit", last_change)
        shared_page = shared.get(key) if shared is not local else None
        if shared_page is not None:
            if shared_page.is_current(tokens):  # another worker rendered it since the change
                local.set(key, shared_page)
                return self.send(request, shared_page, "hit", last_change)
            page = shared_page if page is None or shared_page.stored_at > page.stored_at else page

        lock = f"render:{key}"
        locked = page is not None and shared.add(lock, 1, settings.PAGE_CACHE_LOCK_SECONDS)
        if page is not None and not locked and self.may_serve_stale(page, current):
            return self.send(request, page, "stale", last_change)
        try:
            response = self.get_response(request)
            if not is_storable(request, response):
                return response
            page = StoredPage.from_response(response, tokens)
            # A save to what the page shows that committed during the render may be half in
            # it: send it, do not keep it. A save to anything else is kept out of the page as
            # surely as out of the version stored before it.
            after = scope_tokens(scopes, parsed=False)
            if all(token_of(scope, after) == token for scope, token in tokens.items()):
                local.set(key, page)
                shared.set(key, page)
        finally:
            if locked:
                shared.delete(lock)
        return self.send(request, page, "miss", last_change)

    @staticmethod
    def may_serve_stale(page, current):
        """While another request renders it, the previous version of a page may be served for a
        bounded time after the change that retired it."""
        changes = [
            aware(changed_at)
            for scope, (token, changed_at) in current.items()
            if scope in page.tokens and page.tokens[scope] != token
        ]
        if not changes:  # a scope's row is gone (the archive was emptied): render again
            return False
        age = (timezone.now() - max(changes)).total_seconds()
        return age <= settings.PAGE_CACHE_STALE_SECONDS

    @staticmethod
    def send(request, page, status, last_change):
        encoding = accepted_encoding(request) if "identity" not in page.bodies else "identity"
        body = page.body(encoding)
        # Headers prepared when the page was stored (from_response): a hit only copies them.
        response = HttpResponse(body, headers=page.headers)
        if encoding != "identity":
            response["Content-Encoding"] = encoding
        response["Content-Length"] = str(len(body))
        response[CACHE_STATUS_HEADER] = status
        # The scopes' last change, not the view's own idea of it (a feed's newest entry), and
        # only a second that is over: a change later in the same second would carry the same
        # HTTP date, and a client holding it would get a wrong 304.
        if last_change is not None:
            last_modified = int(last_change.timestamp())
            if int(timezone.now().timestamp()) > last_modified:
                response["Last-Modified"] = http_date(last_modified)
        return response


# The request headers that make a request conditional (RFC 9110 section 13.1).
CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


class PageConditionalGetMiddleware(MiddlewareMixin):
    """Django's conditional GET (a 304 for an unchanged ``ETag`` or ``Last-Modified``, a 412 for a
    failed precondition: ``get_conditional_response``, as ``ConditionalGetMiddleware`` uses it),
    for the pages the page cache serves only: a page it does not serve (an editor's, or any page
    with ``PAGE_CACHE`` off) is sent whole, with no ETag, every time. Place it before
    :class:`PageCacheMiddleware`, whose hits never reach the middleware after it.

    Unlike ``ConditionalGetMiddleware`` it answers a HEAD too: a cached page's ETag is its whole
    body's, computed when it was stored, so it is as true for a HEAD as for a GET."""

    def process_response(self, request, response):
        if CACHE_STATUS_HEADER not in response or request.method not in ("GET", "HEAD"):
            return response
        # Most requests ask nothing conditional: nothing to parse or compare (a cache hit's
        # time is what a page's requests/s are made of).
        if not any(header in request.META for header in CONDITIONAL_HEADERS):
            return response
        last_modified = response.get("Last-Modified")
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=last_modified and parse_http_date_safe(last_modified),
            response=response,
        )
