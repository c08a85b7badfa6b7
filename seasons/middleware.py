"""What every request passes on its way to the views, and what a failed save turns into.

* A NUL byte in the path or the query string is refused with a 400 before any view reads it:
  PostgreSQL can neither store nor compare a string holding one, so a search for it, or a source
  file named with it, would otherwise answer 500 there (SQLite does not mind).
* A public page is read, never written: it takes GET and HEAD, and any other method (POST, PUT,
  DELETE, OPTIONS, TRACE…) gets a 405 naming those two, as Django's ``require_safe`` answers. Here
  rather than on each view, so that a page added later is covered too and the 405 comes before
  the CSRF check, which would answer a POST with a 403.
* A write that waited past ``settings.DATABASE_WAIT_SECONDS`` for another (an import, a long
  save) is a 503 that says to try again, never a 500. The admin's change forms catch it first and
  show the editor's form again with the same words (seasons/admin/base.py).
"""

import logging
from urllib.parse import unquote

from django.db import OperationalError
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.log import log_response
from django.views.defaults import bad_request

from .caching.pages import CACHED_NAMESPACES, CACHED_URL_NAMES

logger = logging.getLogger("django.request")

SAFE_METHODS = ["GET", "HEAD"]
# The public pages that are forms (seasons/views/suggestions.py): they take a POST, and say
# themselves which methods they take (require_http_methods).
FORM_URL_NAMES = {"suggest-race", "suggest-standings"}
# What an admin form says when it comes back unsaved after such a wait.
BUSY_MESSAGE = (
    "The archive was busy with another save for too long, so nothing was saved. What you "
    "entered is still here: save again in a moment."
)
# SQLite's "database is locked"; PostgreSQL's lock timeout, deadlock and serialization failure.
BUSY_SQLSTATES = {"55P03", "40P01", "40001"}


def database_is_busy(error: Exception) -> bool:
    """Whether ``error`` means another write held the database past the wait: worth a retry."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    return "database is locked" in str(error) or "database table is locked" in str(error)


def holds_nul(request) -> bool:
    return "\x00" in request.path_info or "\x00" in unquote(request.META.get("QUERY_STRING", ""))


def is_public(match) -> bool:
    """Whether a resolved URL is a public page (the ones the page cache serves too)."""
    return match is not None and (
        match.namespace in CACHED_NAMESPACES or match.url_name in CACHED_URL_NAMES
    )


class RequestGuardMiddleware:
    """Place it near the top, before the page cache and the CSRF check."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if holds_nul(request):
            return bad_request(request, ValueError("a NUL byte in the path or query"))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS or not is_public(request.resolver_match):
            return None
        if request.resolver_match.url_name in FORM_URL_NAMES:
            return None  # a reader's form: the view names the methods it takes

        response = HttpResponseNotAllowed(SAFE_METHODS)
        log_response(
            "Method Not Allowed (%s): %s",
            request.method,
            request.path,
            response=response,
            request=request,
        )
        return response

    def process_exception(self, request, exception):
        if not database_is_busy(exception):
            return None
        logger.warning("Database busy past the wait: %s %s", request.method, request.path)
        response = render(request, "busy.html", status=503)
        response["Retry-After"] = "5"
        return response
