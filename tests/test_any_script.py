"""Names in any script: a season whose skaters, cities and arenas are written in Hangul,
Chinese, Japanese, Cyrillic and with diacritics is imported beside the bundled archive, and
then every public URL is crawled with DEBUG off: no page, JSON document, calendar, card,
sitemap or feed may answer 500, and every link the pages give must lead somewhere."""

import io
import json
import re
from html.parser import HTMLParser
from urllib.parse import quote, urldefrag, urlsplit

import pytest
from django.test import Client
from PIL import Image

from seasons.cards import HEIGHT, MARGIN, WIDTH
from seasons.models import Athlete, Meet, Venue
from seasons.sample_pages import SAMPLE_PAGES
from tests.helpers import make_correction, run_import

pytestmark = pytest.mark.django_db

# As editors of Wikipedia's season articles write them: Korean and Chinese skaters in their own
# script, a Japanese city and arena, a Russian stop in Cyrillic, diacritics from Hungary and
# Vietnam. The city heading "名古屋" (Nagoya) is Chinese characters as Japanese writes them.
ANY_SCRIPT_SEASON = """\
= 2015–16 ISU Short Track Speed Skating World Cup =

The season began on 30 October 2015 and ended on 14 February 2016.

== Calendar ==

=== Men ===

==== 名古屋 ====
| Date | Place | Distance | Winner | Second | Third | Reference |
| 5 December 2015 | 日本ガイシホール | 500m | 곽윤기 (KOR) | 武大靖 (CHN) | Семён Елистратов (RUS) | |
| 6 December 2015 | 日本ガイシホール | 1000m | Sjinkie Knegt (NED) | 곽윤기 (KOR) | Charles Hamelin (CAN) | |
| 6 December 2015 | 日本ガイシホール | 5000m relay | KOR | CHN | RUS | |

==== Москва ====
| Date | Place | Distance | Winner | Second | Third | Reference |
| 13 February 2016 | Ледовый дворец «Крылатское» | 500m | Семён Елистратов (RUS) | 곽윤기 (KOR) | Liu Shaoang (HUN) | |

==== Dordrecht ====
| Date | Place | Distance | Winner | Second | Third | Reference |
| 13 February 2016 | Sportboulevard Dordrecht | 1500m | Liu Shaolin Sándor (HUN) | Đặng Thanh Sơn (VIE) | 坂爪亮介 (JPN) | |

=== Women ===

==== 名古屋 ====
| Date | Place | Distance | Winner | Second | Third | Reference |
| 5 December 2015 | 日本ガイシホール | 500m | 范可新 (CHN) | 심석희 (KOR) | Élise Christie (GBR) | |

==World Cup standings==
===Men's 500 metres===
After 2 of 2 events
| Pos | Athlete | Points |
| 1. | 곽윤기 (KOR) | 1800 |
| 2. | Семён Елистратов (RUS) | 1640 |
| 3. | 武大靖 (CHN) | 800 |

===Women's 500 metres===
After 1 of 2 events
| Pos | Athlete | Points |
| 1. | 范可新 (CHN) | 1000 |
| 2. | 심석희 (KOR) | 800 |
"""  # noqa: E501 (the season's rows are as wide as their names)

NAMES = ["곽윤기", "武大靖", "Семён Елистратов", "Đặng Thanh Sơn", "坂爪亮介", "范可新", "심석희"]
SKIPPED = ("/admin/", "/static/", "/media/")


@pytest.fixture
def any_script_archive(archive, write_source, settings, django_user_model):
    """The bundled archive and the season above; an editor's correction names the arena in
    Japanese too, so that the change log and its feed carry it."""
    settings.DEBUG = False
    settings.PAGE_CACHE = False
    run_import(write_source(ANY_SCRIPT_SEASON, "2015-16.txt"))
    meet = Meet.objects.get(season__slug="2015-16", city="名古屋")
    editor = django_user_model.objects.create_user("any-script-editor", first_name="Ed")
    make_correction(meet.venue, editor, "名古屋の会場", arena="日本ガイシホール（名古屋市）")
    return Meet.objects.select_related("venue").get(pk=meet.pk)


class Links(HTMLParser):
    """Every site path a page points to: links, stylesheets aside, and its preview image."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        is_link = tag == "a" or (tag == "link" and attrs.get("rel") in {"alternate", "canonical"})
        if is_link and attrs.get("href"):
            self.found.append(attrs["href"])
        elif tag == "meta" and attrs.get("property") == "og:image":
            self.found.append(attrs["content"])


def site_paths(page_path, response):
    """The site paths a response points to: an HTML page's links, a sitemap's locations."""
    content_type = response.get("Content-Type", "")
    if "xml" not in content_type and "html" not in content_type:
        return
    text = response.content.decode()
    if "xml" in content_type:
        hrefs = re.findall(r"<loc>(.*?)</loc>", text) + re.findall(r'href="([^"]+)"', text)
    else:
        parser = Links()
        parser.feed(text)
        hrefs = parser.found
    for href in hrefs:
        url, _ = urldefrag(href.replace("&amp;", "&"))
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver"):
            continue
        path = parts.path or page_path
        if path.startswith("/") and not path.startswith(SKIPPED):
            yield f"{path}?{parts.query}" if parts.query else path


def crawl(client, start):
    """``{path: response}`` of every site path reachable from ``start``. A path with a query
    string (sorting, exports) is fetched but not followed: its links only recombine queries."""
    to_visit, seen = list(start), {}
    while to_visit:
        path = to_visit.pop()
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response
        if response.status_code in (301, 302):
            to_visit.append(response["Location"])
        elif response.status_code == 200 and "?" not in path:
            to_visit.extend(url for url in site_paths(path, response) if url not in seen)
    return seen


def test_crawl_of_an_any_script_season_finds_no_error(any_script_archive):
    client = Client(raise_request_exception=False)
    searches = [f"/search/?q={quote(name)}" for name in ("곽윤기", "名古屋", "Елистратов")]
    start = [page.path for page in SAMPLE_PAGES] + ["/sitemap.xml", "/seasons/2015-16/", *searches]
    responses = crawl(client, start)

    expected_missing = {page.path for page in SAMPLE_PAGES if page.status == 404}
    failed = {
        path: response.status_code
        for path, response in responses.items()
        if response.status_code >= 400 and path not in expected_missing
    }
    assert failed == {}
    # The crawl reached the new season's pages, their data and card, and its people.
    meet = any_script_archive
    reached = set(responses)
    assert meet.get_absolute_url() in reached
    assert meet.get_absolute_url()[:-1] + ".png" in reached
    assert meet.get_absolute_url()[:-1] + ".json" in reached
    assert meet.get_absolute_url()[:-1] + ".ics" in reached
    assert meet.venue.get_absolute_url() in reached
    for athlete in Athlete.objects.filter(name__in=NAMES):
        assert athlete.get_absolute_url() in reached, athlete.name
        assert athlete.get_absolute_url()[:-1] + ".json" in reached, athlete.name
    assert {"/changes/feed/", "/athletes/by-name/g/", "/athletes/by-nation/kor/"} <= reached
    assert "/seasons/2015-16/standings/?_export=csv" in reached
    assert "名古屋の会場" in responses["/changes/feed/"].content.decode()
    for name in ("곽윤기", "名古屋", "Елистратов"):
        assert "search-none" not in responses[f"/search/?q={quote(name)}"].content.decode()


def test_any_script_names_get_readable_ascii_slugs(any_script_archive):
    slugs = [athlete.slug for athlete in Athlete.objects.filter(name__in=NAMES)]
    slugs += [meet.slug for meet in Meet.objects.filter(season__slug="2015-16")]
    slugs += [venue.slug for venue in Venue.objects.filter(meets__season__slug="2015-16")]
    assert len(slugs) == len(NAMES) + 3 + 3
    for slug in slugs:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug


def test_pages_and_data_keep_names_in_their_script(client, any_script_archive):
    meet = any_script_archive
    page = client.get(meet.get_absolute_url()).content.decode()
    document = json.loads(client.get(meet.get_absolute_url()[:-1] + ".json").content)
    calendar = client.get(meet.get_absolute_url()[:-1] + ".ics").content.decode()

    assert "<h1>名古屋" in page
    assert "日本ガイシホール" in page
    assert document["city"] == "名古屋"
    winners = [race["podium"][0]["athlete"] for race in document["races"]]
    assert {"name": "곽윤기", "url": "/athletes/gwag-yun-gi/"}.items() <= winners[0].items()
    assert "곽윤기 (KOR)" in calendar
    assert "LOCATION:日本ガイシホール（名古屋市）\\, 名古屋" in calendar


def test_card_of_an_any_script_meet_draws_its_city(client, any_script_archive):
    """名古屋, in white at the top of the card: drawn, not left as a gap (the Latin font alone
    has no glyph for it and draws nothing)."""
    card = client.get(any_script_archive.get_absolute_url()[:-1] + ".png")
    assert card.status_code == 200
    image = Image.open(io.BytesIO(card.content))
    assert (image.format, image.size) == ("PNG", (WIDTH, HEIGHT))
    city = image.convert("L").crop((MARGIN, 126, WIDTH - MARGIN, 250))
    white = sum(count for value, count in enumerate(city.histogram()) if value > 200)
    assert white > 2000
