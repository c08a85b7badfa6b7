"""One page of every public type in the bundled archive (fixtures/archive.json): what the tests
crawl and budget and what ``make bench`` measures. A page type added to the URLconf gets a line
here; tests/test_query_budget.py fails until it has one.

Plain data, importable before Django is set up (tests/conftest.py, bench/run.py,
docs/screenshots/take.py). Users that need fewer pages pick them by name or by a field, never by
typing a path again."""

from typing import NamedTuple


class SamplePage(NamedTuple):
    name: str
    path: str
    status: int = 200
    # What the HTML checks (accessibility, the Nu validator, empty cells) read.
    is_html: bool = True


SAMPLE_PAGES = [
    SamplePage("front", "/"),
    SamplePage("seasons", "/seasons/"),
    SamplePage("season", "/seasons/2011-12/"),
    SamplePage("meet", "/seasons/2011-12/saguenay/"),
    # Its races are dated a year early: the page shows a flag on each.
    SamplePage("meet-flagged", "/seasons/2011-12/dordrecht/"),
    SamplePage("standings", "/seasons/2011-12/standings/"),
    SamplePage("standings-sorted", "/seasons/2011-12/standings/?men-500m-sort=-points"),
    # One table explained: its checks, and (2012-13's relays) the computed standings and chart.
    SamplePage("standings-table", "/seasons/2011-12/standings/men-500m/"),
    SamplePage("standings-table-chart", "/seasons/2012-13/standings/women-3000m-relay/"),
    SamplePage("venues", "/venues/"),
    SamplePage("venue", "/venues/nagoya-nippon-gaishi-hall/"),
    SamplePage("sources", "/sources/"),
    SamplePage("source", "/sources/2011-12.txt"),
    SamplePage("changes", "/changes/"),
    # The first visit after a change builds the download (seasons/downloads/); the budget counts
    # a later one.
    SamplePage("data", "/data/"),
    SamplePage("nations", "/nations/"),
    SamplePage("nation", "/nations/kor/"),
    SamplePage("season-medals", "/nations/seasons/2011-12/"),
    SamplePage("nation-season", "/nations/kor/2011-12/"),
    # The bundled sources name no athlete: these three list nobody until add_demo_athletes(),
    # and the synthetic seasons fill them (athletes under S, of every nation).
    SamplePage("athletes", "/athletes/"),
    SamplePage("athletes-by-name", "/athletes/by-name/s/"),
    SamplePage("athletes-by-nation", "/athletes/by-nation/kor/"),
    SamplePage("search", "/search/?q=nagoya"),
    SamplePage("search-empty", "/search/?q=oslo"),
    SamplePage("not-found", "/seasons/1999-00/", status=404),
    SamplePage("suggest-race", "/seasons/2011-12/saguenay/men-500m-1/suggest/"),
    SamplePage("suggest-standings", "/seasons/2011-12/standings/men-500m/1/suggest/"),
    SamplePage("suggestion-sent", "/suggestions/sent/"),
    SamplePage("standings-csv", "/seasons/2011-12/standings/?_export=csv", is_html=False),
    SamplePage("sitemap", "/sitemap.xml", is_html=False),
    SamplePage("robots", "/robots.txt", is_html=False),
    SamplePage("changes-feed", "/changes/feed/", is_html=False),
    SamplePage("nations-json", "/nations.json", is_html=False),
    SamplePage("nation-json", "/nations/kor.json", is_html=False),
    SamplePage("season-json", "/seasons/2011-12.json", is_html=False),
    SamplePage("season-ics", "/seasons/2011-12.ics", is_html=False),
    SamplePage("meet-json", "/seasons/2011-12/saguenay.json", is_html=False),
    SamplePage("meet-ics", "/seasons/2011-12/saguenay.ics", is_html=False),
    SamplePage("meet-card", "/seasons/2011-12/saguenay.png", is_html=False),
    SamplePage("standings-json", "/seasons/2011-12/standings.json", is_html=False),
    SamplePage("venue-json", "/venues/nagoya-nippon-gaishi-hall.json", is_html=False),
    SamplePage("data-download", "/data/skatearchive.zip", is_html=False),
]
SAMPLE_PAGE = {page.name: page for page in SAMPLE_PAGES}

# The most queries any public page may cost, at 2 seasons as at 30 (tests/test_query_budget.py).
QUERY_BUDGET = 8
# The archive size the query counts and render times are compared at, and one of the synthetic
# seasons that fill it (seasons.importing.synthetic.sample_paths gives its pages at full size).
SCALE_SEASONS = 30
SYNTHETIC_SEASON = "1915-16"

# The bundled sources name no athlete: the athlete page has a sample only after
# add_demo_athletes().
DEMO_ATHLETE_PAGE = SamplePage("athlete", "/athletes/elodie-testaz/")


def add_demo_athletes():
    """Add two fictional athletes of one name in two nations to the bundled archive, for the
    tests' ``skaters`` fixture and the athlete page's screenshot; never for a real archive. The
    Canadian wins the 2011–12 Saguenay women's 1500 m (a result an editor added: no nation of
    its own, no source), is third in the 2012–13 Calgary women's 500 m and heads the 2011–12
    women's 1500 m standings; the Dutch one is second in the 2011–12 Nagoya women's 1000 m (1).
    Return ``(canadian, dutch)``; a second call adds nothing."""
    from seasons.models import Athlete, Nation, Race, Result, StandingsEntry

    def race(season, meet, anchor):
        races = Race.objects.filter(meet__season__slug=season, meet__slug=meet)
        return next(race for race in races if race.anchor == anchor)

    can, ned = Nation.objects.get(code="CAN"), Nation.objects.get(code="NED")
    canada, _ = Athlete.objects.get_or_create(
        slug="elodie-testaz", defaults={"name": "Élodie Testaz", "nation": can}
    )
    netherlands, _ = Athlete.objects.get_or_create(
        slug="elodie-testaz-ned", defaults={"name": "Élodie Testaz", "nation": ned}
    )
    Result.objects.get_or_create(
        race=race("2011-12", "saguenay", "women-1500m"), place=1, defaults={"athlete": canada}
    )
    Result.objects.get_or_create(
        race=race("2012-13", "calgary", "women-500m"),
        place=3,
        defaults={"athlete": canada, "nation": can},
    )
    Result.objects.get_or_create(
        race=race("2011-12", "nagoya", "women-1000m-1"),
        place=2,
        defaults={"athlete": netherlands, "nation": ned},
    )
    # Saved, not update()d: the save signals keep the page cache's archive version current.
    leader = StandingsEntry.objects.get(
        table__season__slug="2011-12", table__gender="women", table__distance=1500, row=1
    )
    leader.athlete = canada
    leader.save()
    return canada, netherlands
