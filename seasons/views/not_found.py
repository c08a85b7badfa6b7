"""The archive's own 404 page under ``make run`` (DEBUG on) too.

With DEBUG on, Django answers a 404 with its technical page, which lists every URL pattern of
the site: not what an unknown address should show, even locally, and not the page the archive
serves. Django has no setting for it (``response_for_exception`` picks the technical page
whenever DEBUG is on), so this middleware answers with ``handler404``'s page instead: for an
``Http404`` a view raises, and for a path no pattern matches. Errors (a 500) keep Django's
debug page, which is what DEBUG is for. With DEBUG off it does nothing: Django calls
``handler404`` itself.

Place it last: the 404 it gives then passes the redirects (an old slug's 301) and
``APPEND_SLASH`` on its way out, as the technical one would have.
"""

from django.conf import settings
from django.http import Http404

from .pages import page_not_found


class ArchiveNotFoundMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # No view ran: no URL pattern matched (the view's own 404s come through below).
        if settings.DEBUG and response.status_code == 404 and request.resolver_match is None:
            return page_not_found(request, Http404(request.path))
        return response

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
