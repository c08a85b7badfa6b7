"""``/data/``: the whole archive as one download (``seasons.downloads``), and the page that says
what is in it, of when, and how big it is."""

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from .. import downloads
from ..downloads.archive import SQLITE_NAME
from ..downloads.tables import TABLES

# Seconds a reader is asked to wait while the first download is built.
RETRY_AFTER = 30


def page_context(download):
    return {
        "download": download,
        "tables": [
            {"filename": table.filename, "description": table.description, "columns": table.columns}
            for table in TABLES
        ],
        "sqlite_name": SQLITE_NAME,
        "rebuild_minutes": max(1, round(settings.DOWNLOAD_REBUILD_SECONDS / 60)),
    }


def not_final(response, download):
    """A page about a download that is not the archive's current one (or about none yet) must
    not be kept by any cache: the current one is being built."""
    if download is None or not download.is_current:
        patch_cache_control(response, no_store=True)
    return response


def being_built(request):
    response = render(request, "seasons/data.html", page_context(None), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return not_final(response, None)


def data_page(request):
    """What the download holds, its date and size. The first request after the archive changes
    sets off its build; until it is done, the page shows the previous file, marked as such."""
    download = downloads.ensure(wait=settings.DOWNLOAD_WAIT_SECONDS)
    response = render(request, "seasons/data.html", page_context(download))
    return not_final(response, download)


def data_download(request):
    """The zip file itself, saved as ``skatearchive-<date>.zip``. A file replaced by a newer one
    between finding and opening it is looked for again; a build that takes longer than a reader
    should wait is a 503 that says when to come back, never a 500."""
    for _ in range(2):
        download = downloads.ensure(wait=settings.DOWNLOAD_WAIT_SECONDS)
        if download is None:
            return being_built(request)
        try:
            handle = download.path.open("rb")
        except FileNotFoundError:
            continue
        response = FileResponse(
            handle, as_attachment=True, filename=download.filename, content_type="application/zip"
        )
        return not_final(response, download)
    raise Http404("The download was replaced while it was being sent: ask for it again.")
