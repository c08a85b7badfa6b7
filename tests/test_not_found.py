"""Under ``make run`` (DEBUG on) an unknown address gets the archive's own 404 page, not Django's
list of URL patterns; errors keep Django's debug page (seasons/views/not_found.py)."""

import pytest
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from seasons.views.not_found import ArchiveNotFoundMiddleware

pytestmark = pytest.mark.django_db

ARCHIVE_404 = "This page is not in the archive"


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    settings.PAGE_CACHE = False


@pytest.mark.parametrize(
    "path",
    [
        "/no-such-page/",  # no URL pattern matches
        "/seasons/1999-00/",  # the view raises Http404
        "/seasons/2011-12/standings/men-700m/1/suggest/",
    ],
)
def test_unknown_address_under_debug_gets_the_archives_404(client, archive, debug, path):
    response = client.get(path)

    assert response.status_code == 404
    assert ARCHIVE_404 in response.text
    assert "URLconf" not in response.text  # Django's technical page lists the patterns
    assert "2011–12" in response.text  # the seasons it offers instead


def test_archive_404_under_debug_keeps_the_slash_redirect(client, archive, debug):
    response = client.get("/seasons")

    assert response.status_code == 301
    assert response["Location"] == "/seasons/"


def test_archive_404_under_debug_keeps_editors_redirects(client, archive, debug):
    Redirect.objects.create(
        site=Site.objects.get_current(), old_path="/seasons/2011-12/sag/", new_path="/seasons/"
    )

    response = client.get("/seasons/2011-12/sag/")

    assert (response.status_code, response["Location"]) == (301, "/seasons/")


def test_archive_404_without_debug_is_djangos_own_handler(client, archive, settings):
    settings.DEBUG = False

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert ARCHIVE_404 in response.text


def test_errors_under_debug_keep_the_debug_page(settings):
    settings.DEBUG = True
    middleware = ArchiveNotFoundMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get("/")

    assert middleware.process_exception(request, ValueError("broken")) is None
    assert middleware.process_exception(request, Http404("gone")) is not None
