"""Every public URL, with hostile text in the database and hostile query strings, DEBUG off: no
500, and no markup of the data's making in a page. Runs on SQLite and on PostgreSQL (CI runs the
suite on both), which differ in what text they take."""

import html
import json
import re
import xml.etree.ElementTree as ElementTree
import zipfile
from collections import deque
from io import BytesIO
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from icalendar import Calendar
from PIL import Image

from seasons.sample_pages import SAMPLE_PAGES
from tests.helpers import PROBE

pytestmark = pytest.mark.django_db

# The crawl follows links from the sample pages to this many pages: every season, meet, venue,
# nation, athlete and source of the bundled archive and their data.
MAX_PAGES = 400
SKIPPED = ("/admin/", "/static/")
LINK = re.compile(r'(?:href|src)="([^"]*)"')
# What a reader or a robot may append to any address.
HOSTILE_QUERIES = [
    "?q=%3Cxss-probe%3E",
    "?page=-1",
    "?page=99999999999999999999999",
    "?line=0",
    "?line=abc",
    "?_export=csv&table=%3Cb%3E",
    "?_export=xlsx",
    "?men-500m-sort=%3Cscript%3E",
    "?sort=-points%0d%0aX:1",
    "?q=" + "%E2%80%AE" * 50,
    "?q=%ff%fe",
    "?q=" + "a" * 5000,
]


def check(path, response):
    """A response that is whole and says what it is; HTML with no markup from the data."""
    assert response.status_code < 500, f"{path}: {response.status_code}"
    content_type = response.get("Content-Type", "")
    # The whole-archive download (/data/) is sent as a file, streamed.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.status_code in (301, 302, 304) or not body:
        return
    if content_type.startswith("text/html"):
        assert PROBE not in body.decode(), f"{path}: unescaped markup"
    elif "json" in content_type:
        json.loads(body)
    elif "xml" in content_type:
        ElementTree.fromstring(body)
    elif content_type.startswith("text/calendar"):
        Calendar.from_ical(body)
    elif content_type.startswith("image/png"):
        Image.open(BytesIO(body)).verify()
    elif content_type == "application/zip":
        assert zipfile.ZipFile(BytesIO(body)).testzip() is None, f"{path}: a damaged zip"


def links_in(path, response):
    """The site's own pages a page links to, by path: a page's query strings (sorting, exports,
    pages of a source) are the sample pages' and the hostile queries' to try."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    found = []
    for href in LINK.findall(response.content.decode()):
        target = urlsplit(urljoin(f"http://testserver{path}", html.unescape(href)))
        if target.netloc in ("", "testserver") and not target.path.startswith(SKIPPED):
            found.append(target.path)
    return found


def test_every_public_url_survives_hostile_data(hostile_archive, settings):
    assert not settings.DEBUG
    client = Client(raise_request_exception=False)
    queue = deque(page.path for page in SAMPLE_PAGES)
    seen = set()
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        check(path, response)
        queue.extend(link for link in links_in(path, response) if link not in seen)
    # The crawl reached the hostile rows' pages and their data.
    assert {
        "/athletes/hostile-0/",
        "/athletes/hostile-5.json",
        "/seasons/2011-12/saguenay.ics",
        "/seasons/2011-12/saguenay.png",
        "/sources/evil%20%3Cxss-probe%3E%20'q'%20&%20%22d%22.txt",
    } <= seen, sorted(seen)


def test_hostile_query_strings_never_break_a_page(hostile_archive):
    client = Client(raise_request_exception=False)
    for page in SAMPLE_PAGES:
        for query in HOSTILE_QUERIES:
            path = page.path.split("?")[0] + query
            check(path, client.get(path))
