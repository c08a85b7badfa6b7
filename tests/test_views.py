"""The public pages, on the bundled archive (fixtures/archive.json): 2011–12 runs Salt Lake City,
Saguenay, Nagoya, Shanghai, Moscow, Dordrecht (its races dated February 2011, a year early);
2012–13 runs Calgary (a men's 500 m world record), Montreal, Nagoya, Shanghai, Sochi, Dresden.
The sources name no athlete and most individual podiums not at all."""

import html
import re
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.db import connection
from django.test.utils import CaptureQueriesContext

from seasons.models import (
    Athlete,
    Flag,
    Meet,
    Nation,
    Race,
    Result,
    Season,
    SourceFile,
    StandingsEntry,
    StandingsTable,
    Venue,
)
from seasons.sample_pages import QUERY_BUDGET, SAMPLE_PAGES

pytestmark = pytest.mark.django_db

SEASON = "/seasons/2011-12/"
MEET = "/seasons/2011-12/dordrecht/"
STANDINGS = "/seasons/2011-12/standings/"
MAX_QUERIES = QUERY_BUDGET
# The HTML pages of seasons/sample_pages.py that answer 200. (The medal tables' row of medals of
# no known nation has no rank, and says so: "not ranked", no empty cell.)
PAGES = {page.name: page.path for page in SAMPLE_PAGES if page.is_html and page.status == 200}
# Their first visits' queries, but /data/'s: here its first visit builds the download in the
# request (a server builds it in a thread of its own, on its own connection);
# tests/test_query_budget.py counts a later visit.
COUNTED_PAGES = {name: path for name, path in PAGES.items() if name != "data"}


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """These tests are about the views and their queries; seasons/caching.py has its own."""
    settings.PAGE_CACHE = False


def text_of(response):
    """The page's text with tags and runs of whitespace collapsed, for phrase assertions."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text)))


def rows_of(response, table_id):
    """The text of each body row of the table with the given id."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', response.text, re.S).group(0)
    body = table.split("<tbody", 1)[1]
    return [
        html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))).strip()
        for row in re.findall(r"<tr.*?</tr>", body, re.S)
    ]


def add_season(slug="2013-14"):
    """A third, small season with a meet, a race with a podium, a standings table and a flag,
    so that query counts can be compared at two and three seasons."""
    source = SourceFile.objects.create(name=f"{slug}.txt", sha256="0" * 64, line_count=3, text="x")
    season = Season.objects.create(slug=slug, title=f"{slug} World Cup", source=source)
    venue = Venue.objects.create(slug=f"{slug}-arena", city="Seoul", arena="Mokdong Rink")
    meet = Meet.objects.create(season=season, slug="seoul", city="Seoul", venue=venue, order=1)
    race = Race.objects.create(
        meet=meet, gender="men", distance=500, date=date(2013, 11, 1), source=source
    )
    Result.objects.create(race=race, place=1, nation=Nation.objects.get(code="KOR"))
    table = StandingsTable.objects.create(season=season, gender="men", distance=500)
    StandingsEntry.objects.create(table=table, row=1, position=1, points=100)
    Flag.objects.create(
        source=source, line=1, kind="intro-start", message="test", season=season, race=race
    )
    return season


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, queries


# Front page and season list


def test_home_lists_seasons_newest_first_with_their_meets(client, archive):
    response = client.get("/")

    assert response.status_code == 200
    page = response.text
    assert page.index("2012–13 ISU Short Track") < page.index("2011–12 ISU Short Track")
    assert 'href="/seasons/2011-12/saguenay/"' in page
    assert "Sat 29 – Sun 30 October 2011" in text_of(response)


def test_home_marks_the_meet_whose_races_are_flagged(client, archive):
    response = client.get("/")

    assert 'href="/seasons/2011-12/dordrecht/#meet-notes"' in response.text


def test_season_list_links_every_season_and_its_standings(client, archive):
    response = client.get("/seasons/")

    assert response.status_code == 200
    for slug in ("2011-12", "2012-13"):
        assert f'href="/seasons/{slug}/"' in response.text
        assert f'href="/seasons/{slug}/standings/"' in response.text


# Season page


def test_season_shows_title_stated_dates_and_intro(client, archive):
    response = client.get(SEASON)

    assert response.status_code == 200
    text = text_of(response)
    assert "<h1>2011–12 ISU Short Track Speed Skating World Cup</h1>" in response.text
    assert "Sat 22 October 2011 – Sun 12 February 2012" in text
    assert "The season began on 22 October 2011" in text


def test_season_shows_infobox_facts_and_see_also(client, archive):
    text = text_of(client.get(SEASON))

    assert "Prev 2010–11 World Cup" in text
    assert "Races 60" in text
    assert "best 6 of 8 results" in text
    assert "2012 European Short Track Speed Skating Championships" in text


def test_season_flags_the_stated_dates(client, archive):
    text = text_of(client.get(SEASON))

    assert "Intro start date disagrees with the races" in text
    assert "the first final is dated 11 February 2011" in text


def test_season_calendar_groups_races_by_meet_with_podiums(client, archive):
    response = client.get(SEASON)

    page = response.text
    cities = ["Salt Lake City", "Saguenay", "Nagoya", "Shanghai", "Moscow", "Dordrecht"]
    positions = [page.index(f'id="{city.lower().replace(" ", "-")}-heading"') for city in cities]
    assert positions == sorted(positions)
    assert 'alt="Flag of Netherlands"' in page  # Dordrecht men's relay winner
    assert "podium not in the source" in page


def test_season_calendar_marks_races_dated_outside_the_season(client, archive):
    response = client.get(SEASON)

    dordrecht = response.text.split('id="dordrecht-heading"', 1)[1]
    assert dordrecht.count("Race dated outside its season") == 10


def test_season_shows_the_leader_of_each_standings_table(client, archive):
    text = text_of(client.get(SEASON))

    assert "Women's 3000 m relay CHN 4000 after 6 of 6 events" in text
    assert "Men's 500 m — 4000 number of events not given heading inferred" in text


def test_season_links_previous_and_next_season(client, archive):
    first = client.get(SEASON).text
    last = client.get("/seasons/2012-13/").text

    assert 'rel="next" href="/seasons/2012-13/"' in first
    assert 'rel="prev"' not in first
    assert 'rel="prev" href="/seasons/2011-12/"' in last
    assert "/seasons/2013-14/" not in last


# Meet page


def test_meet_lists_every_race_by_day(client, archive):
    response = client.get(MEET)

    assert response.status_code == 200
    page = response.text
    assert page.count('<tr id="men-') == 5
    assert page.count('<tr id="women-') == 5
    friday = page.index("Fri 11 February 2011</time></caption>")
    saturday = page.index("Sat 12 February 2011</time></caption>")
    assert friday < page.index('id="men-1000m-1"') < saturday < page.index('id="men-500m"')


def test_meet_shows_world_cup_number_venue_and_city(client, archive):
    text = text_of(client.get(MEET))

    assert "World Cup 6 of 6" in text
    assert "Sportboulevard Dordrecht , Dordrecht" in text


def test_meet_shows_podium_with_flags_and_nation_names(client, archive):
    response = client.get(MEET)

    row = response.text.split('id="men-5000m-relay"', 1)[1].split("</tr>", 1)[0]
    assert row.index("Netherlands") < row.index("Canada") < row.index("South Korea")
    assert 'src="/static/flags/nl.gif" alt="Flag of Netherlands"' in row


def test_meet_shows_an_unknown_podium_place_as_unknown(client, archive):
    response = client.get(MEET)

    row = response.text.split('id="women-3000m-relay"', 1)[1].split("</tr>", 1)[0]
    assert '<td class="place place-2" data-label="Silver"><abbr class="unknown"' in row


def test_meet_notes_races_dated_outside_the_season(client, archive):
    response = client.get(MEET)

    row = response.text.split('id="men-500m"', 1)[1].split("</tr>", 1)[0]
    assert "Race dated outside its season" in row
    assert "race dated 12 February 2011, outside the season" in response.text


def test_meet_links_each_race_to_its_source_line(client, archive):
    response = client.get(MEET)

    row = response.text.split('id="men-500m"', 1)[1].split("</tr>", 1)[0]
    assert 'href="/sources/2011-12.txt#L57"' in row


def test_meet_shows_record_mark(client, archive):
    response = client.get("/seasons/2012-13/calgary/")

    row = response.text.split('id="men-500m"', 1)[1].split("</tr>", 1)[0]
    assert '<abbr class="record" title="World record">WR</abbr>' in row


def test_meet_shows_a_missing_arena_as_unknown(client, archive):
    text = text_of(client.get("/seasons/2011-12/moscow/"))

    assert "Venue — City Moscow" in text


def test_meet_links_previous_and_next_meet_across_seasons(client, archive):
    page = client.get(MEET).text

    assert 'rel="prev" href="/seasons/2011-12/moscow/"' in page
    assert 'rel="next" href="/seasons/2012-13/calgary/"' in page


def test_meet_has_canonical_link_and_preview_meta(client, archive):
    page = client.get(f"{MEET}?utm_source=x").text

    assert '<link rel="canonical" href="http://testserver/seasons/2011-12/dordrecht/">' in page
    assert '<meta property="og:url" content="http://testserver/seasons/2011-12/dordrecht/">' in page
    assert '<meta property="og:title" content="Dordrecht 2011–12, World Cup 6 of 6">' in page
    description = re.search(r'<meta name="description" content="([^"]*)"', page).group(1)
    assert "Sportboulevard Dordrecht, Dordrecht, Fri 11 – Sat 12 February 2011" in description
    assert "Men&#x27;s 5000 m relay: NED, CAN, KOR." in description
    # A large image: the meet's card (tests/test_cards.py).
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    image = '<meta property="og:image" content="http://testserver/seasons/2011-12/dordrecht.png">'
    assert image in page


def test_meet_shows_a_named_athlete_with_nation(client, archive):
    race = Race.objects.get(meet__slug="saguenay", gender="women", distance=1500)
    canada = Nation.objects.get(code="CAN")
    athlete = Athlete.objects.create(name="Marianne St-Gelais", slug="st-gelais", nation=canada)
    Result.objects.create(race=race, place=1, athlete=athlete, nation=canada)

    response = client.get("/seasons/2011-12/saguenay/")

    row = response.text.split('id="women-1500m"', 1)[1].split("</tr>", 1)[0]
    assert "Marianne St-Gelais" in row
    assert "Canada" in row
    assert row.count('<abbr class="unknown"') == 2  # second and third: not in the source


# Standings


def test_standings_shows_every_table_with_rule_and_event_count(client, archive):
    response = client.get(STANDINGS)

    assert response.status_code == 200
    text = text_of(response)
    assert "Standings are calculated on the best 6 out of 8 results" in text
    assert response.text.count('class="standings-block"') == 8
    assert "Women's 500 m after 8 of 8 events" in text


def test_standings_marks_an_inferred_heading(client, archive):
    response = client.get(STANDINGS)

    block = response.text.split('id="men-500m"', 1)[1].split("</section>", 1)[0]
    assert "heading inferred" in block
    assert "is inferred from the order of the other tables" in block


def test_standings_shows_positions_as_published(client, archive):
    rows = rows_of(client.get(STANDINGS), "men-500m-table")

    assert [row.split(".")[0] for row in rows] == ["1", "2", "3", "5", "4"]
    assert "Standings positions out of order" in rows[4]


def test_standings_links_rows_to_source_lines(client, archive):
    # On the table's page: the overview keeps to position, whom and points.
    rows = re.search(
        r'<table[^>]*id="men-500m-table".*?</table>',
        client.get(f"{STANDINGS}men-500m/").text,
        re.S,
    ).group(0)

    assert 'href="/sources/2011-12.txt#L120">line&nbsp;120</a>' in rows


def test_standings_sorting_one_table_leaves_the_others_as_published(client, archive):
    response = client.get(f"{STANDINGS}?men-500m-sort=position")

    men = [row.split(".")[0] for row in rows_of(response, "men-500m-table")]
    relay = [row.split(".")[0] for row in rows_of(response, "men-5000m-relay-table")]
    assert men == ["1", "2", "3", "4", "5"]
    assert relay == ["1", "2", "3", "3", "5"]


def test_standings_sort_links_keep_the_prefix_of_their_table(client, archive):
    response = client.get(STANDINGS)

    assert 'href="?women-500m-sort=-points#women-500m"' in response.text


def test_standings_relay_table_ranks_nations(client, archive):
    rows = rows_of(client.get(STANDINGS), "men-5000m-relay-table")

    assert "CAN" in rows[0]
    assert "—" in rows[4]


# Venues and sources


def test_venue_list_shows_every_venue_with_its_world_cups(client, archive):
    response = client.get("/venues/")

    assert response.status_code == 200
    text = text_of(response)
    assert "Nippon Gaishi Hall" in text
    assert 'href="/venues/moscow/"' in response.text
    assert 'href="/seasons/2012-13/nagoya/"' in response.text


def test_venue_shows_its_meets_across_seasons(client, archive):
    response = client.get("/venues/nagoya-nippon-gaishi-hall/")

    assert response.status_code == 200
    assert 'href="/seasons/2011-12/nagoya/"' in response.text
    assert 'href="/seasons/2012-13/nagoya/"' in response.text


def test_source_list_shows_each_file_with_season_and_open_flags(client, archive):
    rows = rows_of(client.get("/sources/"), "sources")

    assert rows[0].startswith("2011-12.txt 2011–12 ISU Short Track Speed Skating World Cup")
    assert " 194 15 0 " in f" {rows[0]} "


def test_source_numbers_and_anchors_every_line(client, archive):
    response = client.get("/sources/2011-12.txt")

    assert response.status_code == 200
    assert response.text.count('<li id="L') == 194
    assert '<li id="L57" value="57" class="flagged"><a class="ln" href="#L57"' in response.text


def test_source_lists_flags_with_line_message_page_and_state(client, archive):
    response = client.get("/sources/2011-12.txt")

    row = response.text.split('id="flag-57-race-outside-season"', 1)[1].split("</tr>", 1)[0]
    assert 'href="#L57"' in row
    assert "race dated 12 February 2011, outside the season" in row
    assert 'href="/seasons/2011-12/dordrecht/#men-500m"' in row
    assert "Open" in row


def test_source_shows_a_resolved_flag_with_its_resolution(client, archive, django_user_model):
    flag = Flag.objects.get(source__name="2011-12.txt", line=57)
    flag.resolved_at = "2024-03-01T12:00:00Z"
    flag.resolution = "Held in February 2012; the article's year is a typo."
    flag.save()

    response = client.get("/sources/2011-12.txt")

    row = response.text.split('id="flag-57-race-outside-season"', 1)[1].split("</tr>", 1)[0]
    assert "Resolved" in row
    assert "the article&#x27;s year is a typo" in row


# Unknowns, dates, 404s, redirects


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_never_shows_none_or_an_empty_cell(client, archive, path):
    response = client.get(path)

    assert response.status_code == 200
    assert not re.search(r">\s*None\s*<", response.text)
    assert not re.search(r"<td[^>]*>\s*</td>", response.text)


@pytest.mark.parametrize(
    "path",
    [
        "/seasons/1999-00/",
        "/seasons/1999-00/standings/",
        "/seasons/2011-12/calgary/",
        "/seasons/1999-00/nagoya/",
        "/venues/atlantis/",
        "/sources/1999-00.txt",
    ],
)
def test_unknown_page_is_404(client, archive, path):
    assert client.get(path).status_code == 404


def test_404_page_offers_the_seasons_and_a_way_on(client, archive):
    response = client.get("/seasons/1999-00/")

    assert response.status_code == 404
    assert 'href="/seasons/2012-13/"' in response.text
    assert 'href="/seasons/2011-12/"' in response.text
    assert 'href="/"' in response.text
    assert '<meta name="robots" content="noindex">' in response.text


def test_old_slug_redirects_permanently_to_the_page(client, archive):
    Redirect.objects.create(
        site=Site.objects.get_current(),
        old_path="/seasons/2011-12/dordrect/",
        new_path="/seasons/2011-12/dordrecht/",
    )

    response = client.get("/seasons/2011-12/dordrect/", follow=True)

    assert response.redirect_chain == [("/seasons/2011-12/dordrecht/", 301)]
    assert response.status_code == 200


# Query counts


@pytest.mark.parametrize("path", COUNTED_PAGES.values(), ids=COUNTED_PAGES.keys())
def test_page_query_count_is_small(client, archive, path):
    response, queries = count_queries(client, path)

    assert response.status_code == 200
    assert len(queries) <= MAX_QUERIES, "\n".join(query["sql"] for query in queries)


@pytest.mark.parametrize("path", COUNTED_PAGES.values(), ids=COUNTED_PAGES.keys())
def test_page_query_count_does_not_grow_with_seasons(client, archive, path):
    _, at_two = count_queries(client, path)
    add_season()

    response, at_three = count_queries(client, path)

    assert response.status_code == 200
    assert len(at_three) == len(at_two)


def test_season_page_query_count_pinned(client, archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(SEASON)


def test_meet_page_query_count_pinned(client, archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        client.get(MEET)


def test_standings_page_query_count_pinned(client, archive, django_assert_max_num_queries):
    # Four for the published tables, two for the races the computed part needs.
    with django_assert_max_num_queries(6):
        client.get(STANDINGS)


def test_404_page_query_count_pinned(client, archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get("/seasons/1999-00/")


# Every internal link resolves


class LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def internal_links(page_path, html):
    collector = LinkCollector()
    collector.feed(html)
    for href in collector.links:
        url, _ = urldefrag(href)
        if url.startswith("?"):
            url = page_path + url
        if url.startswith("/") and not url.startswith("//"):
            yield url


def test_every_internal_link_resolves(client, archive):
    """Crawl from the front page. Pages reached through a query string (sorting, exports) are
    checked but not crawled further: their links only recombine query strings."""
    to_visit, seen, broken = ["/"], {"/"}, []
    while to_visit:
        path = to_visit.pop()
        response = client.get(path)
        if response.status_code == 301:
            response = client.get(response["Location"])
        if response.status_code != 200:
            broken.append(f"{path}: {response.status_code}")
            continue
        if urlsplit(path).query or "html" not in response.get("Content-Type", ""):
            continue
        for url in internal_links(urlsplit(path).path, response.content.decode()):
            if url not in seen:
                seen.add(url)
                to_visit.append(url)

    assert not broken
    assert {SEASON, MEET, STANDINGS, "/venues/moscow/", "/sources/2012-13.txt"} <= seen
    assert len(seen) > 40


@pytest.mark.django_db
def test_a_mixed_relay_season_reads_well_on_every_page(client, write_source):
    """A season with the mixed relay (its own calendar section, from 2019–20): imported and
    shown as "2000 m mixed relay", never "Mixed's …" or, in a row, "Mixed 2000 m mixed relay"."""
    from io import StringIO

    from django.core.management import call_command

    from tests.helpers import MIXED_SEASON

    call_command("import_season", str(write_source(MIXED_SEASON, "2019-20.txt")), stdout=StringIO())
    pages = [
        "/seasons/2019-20/",
        "/seasons/2019-20/salt-lake-city/",
        "/seasons/2019-20/standings/",
        "/seasons/2019-20.json",
        "/seasons/2019-20.ics",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        text = html.unescape(response.text)
        assert "2000 m mixed relay" in text, path
        assert "Mixed's" not in text, path
        for cell in re.findall(r'(?s)<th scope="row">(.*?)</th>', text):
            words = " ".join(re.sub(r"<[^>]+>", "", cell).split())
            assert not words.startswith("Mixed 2000"), (path, words)


@pytest.mark.django_db
def test_front_page_shows_the_latest_seasons_in_full_and_links_the_rest(client, archive):
    from seasons.importing.synthetic import generate_archive
    from seasons.views.pages import FRONT_PAGE_SEASONS

    generate_archive(4, force=True)  # 1901–02 to 1904–05, with the bundled two: six seasons
    seasons = list(Season.objects.newest_first())
    page = client.get("/").text

    cards = re.findall(r'<article class="season-card" aria-labelledby="season-([^"]+)"', page)
    assert cards == [season.slug for season in seasons[:FRONT_PAGE_SEASONS]]
    earlier = page.split('id="earlier-heading"', 1)[1]
    for season in seasons[FRONT_PAGE_SEASONS:]:
        assert f'href="{season.get_absolute_url()}"' in earlier
    assert 'href="/seasons/"' in earlier
