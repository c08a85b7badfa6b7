"""Nations: the medal tables (all-time, the latest seasons' with their charts, each season's on
a page of its own) and each nation's page: medals per season, the latest seasons' podiums and
standings places, each season's on a page of its own."""

import pytest
from django.urls import Resolver404, resolve

from seasons.medals import medal_tables, nation_seasons
from seasons.models import Nation, Result, Season, StandingsEntry
from seasons.views import nations

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Query counts are a first visit's; seasons/caching.py has its own tests."""
    settings.PAGE_CACHE = False


def test_nation_list_shows_the_all_time_medal_table(client, archive):
    response = client.get("/nations/")
    assert response.status_code == 200
    table = response.context["all_time"]
    assert table.rows[0].nation.code == "CHN"
    content = response.content.decode()
    assert '<a href="/nations/chn/">' in content
    assert "Nation not known" in content


def test_nation_list_draws_a_medal_chart_per_season(client, archive):
    content = client.get("/nations/").content.decode()
    assert content.count('<svg xmlns="http://www.w3.org/2000/svg" class="medal-chart"') == 2
    assert '<title id="medals-2011-12-title">Medals per nation, 2011–12</title>' in content


def test_nation_list_lists_every_nation(client, archive):
    content = client.get("/nations/").content.decode()
    for nation in Nation.objects.all():
        assert f'href="{nation.get_absolute_url()}"' in content


def test_nation_list_shows_only_the_latest_seasons_tables(client, archive, monkeypatch):
    monkeypatch.setattr(nations, "LATEST_MEDAL_TABLES", 1)
    response = client.get("/nations/")
    content = response.content.decode()
    assert content.count('class="medal-chart"') == 1
    assert '<title id="medals-2012-13-title">' in content
    assert '<title id="medals-2011-12-title">' not in content
    # The earlier season: a link to its own page.
    assert [season.slug for season in response.context["earlier"]] == ["2011-12"]
    assert 'href="/nations/seasons/2011-12/"' in content
    # The all-time table still counts every season.
    assert response.context["all_time"] == medal_tables()[1]


def test_nation_list_query_count(client, archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get("/nations/")


def test_nation_page_shows_medals_podiums_and_standings(client, archive):
    """Both bundled seasons are within the latest LATEST_NATION_SEASONS: all shown in full."""
    response = client.get("/nations/kor/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1" in content and "South Korea" in content
    assert 'alt="Flag of South Korea"' in content
    assert len(response.context["podiums"]) == 12
    assert response.context["all_time"].total == 12
    # The Saguenay relay win, linked to its race and its source line.
    assert 'href="/seasons/2011-12/saguenay/#men-5000m-relay"' in content
    assert 'href="/sources/2011-12.txt#L29"' in content
    # Standings: second in the 2011–12 men's relay.
    assert 'href="/seasons/2011-12/standings/men-5000m-relay/"' in content
    assert response.context["earlier"] == []


def test_nation_page_links_each_season_with_placings_to_its_own_page(client, archive):
    content = client.get("/nations/kor/").content.decode()
    for slug in ("2011-12", "2012-13"):
        assert f'href="/nations/kor/{slug}/"' in content


def test_nation_page_shows_only_its_latest_seasons_in_full(client, archive, monkeypatch):
    monkeypatch.setattr(nations, "LATEST_NATION_SEASONS", 1)
    response = client.get("/nations/kor/")
    content = response.content.decode()
    assert response.context["latest"] == [Season.objects.get(slug="2012-13")]
    assert {r.race.meet.season.slug for r in response.context["podiums"]} == {"2012-13"}
    assert {e.table.season.slug for e in response.context["standings"]} == {"2012-13"}
    # 2011–12 moved to its own page: linked, its rows no longer here.
    assert 'href="/seasons/2011-12/saguenay/#men-5000m-relay"' not in content
    assert [line.season.slug for line in response.context["earlier"]] == ["2011-12"]
    assert '<section id="earlier"' in content
    # The all-time summary still counts every season.
    assert response.context["all_time"].total == 12


def test_nation_page_counts_every_season_in_one_line_each(client, archive):
    response = client.get("/nations/kor/")
    lines = response.context["season_lines"]
    assert [line.season.slug for line in lines] == ["2012-13", "2011-12"]
    assert sum(line.medals.total for line in lines) == 12
    assert (
        response.context["standings_places"]
        == StandingsEntry.objects.for_nation(Nation.objects.get(code="KOR")).count()
    )


def test_nation_seasons_agree_with_the_medal_tables(archive):
    """A nation's medals per season, counted for its page, are its rows of the medal tables."""
    by_season, all_time = medal_tables()
    for nation in Nation.objects.all():
        total, lines = nation_seasons(nation)
        assert total == all_time.for_nation(nation), nation
        for line in lines:
            assert line.medals == by_season[line.season].for_nation(nation), (nation, line)


def test_nation_season_page_shows_the_seasons_podiums_and_standings(client, archive):
    response = client.get("/nations/kor/2011-12/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "South Korea in 2011–12" in content
    assert {r.race.meet.season.slug for r in response.context["podiums"]} == {"2011-12"}
    assert response.context["medals"].total == len(response.context["podiums"])
    # The Saguenay relay win, linked to its race and its source line, and the relay standings.
    assert 'href="/seasons/2011-12/saguenay/#men-5000m-relay"' in content
    assert 'href="/sources/2011-12.txt#L29"' in content
    assert 'href="/seasons/2011-12/standings/men-5000m-relay/"' in content
    # On to the next season's page, and up to the nation and the season's medal table.
    assert 'href="/nations/kor/2012-13/"' in content
    assert 'href="/nations/kor/"' in content
    assert 'href="/nations/seasons/2011-12/"' in content


def test_nation_season_page_says_when_nothing_is_known(client, archive):
    Nation.objects.create(code="SUI", country="CH")
    response = client.get("/nations/sui/2011-12/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "No podium of this nation is known in this season." in content
    assert "None" not in content


def test_nation_season_page_uppercase_code_redirects(client, archive):
    response = client.get("/nations/KOR/2011-12/")
    assert response.status_code == 301
    assert response["Location"] == "/nations/kor/2011-12/"


@pytest.mark.parametrize(
    "path", ["/nations/kor/1999-00/", "/nations/xyz/2011-12/", "/nations/seasons/1999-00/"]
)
def test_nation_season_pages_unknown_is_404(client, archive, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/nations/seasons/", "/nations/korea/", "/nations/seasons.json"])
def test_nation_url_takes_only_a_three_letter_code(client, archive, path):
    """``seasons`` and other words are never read as a nation's code: no view is asked."""
    with pytest.raises(Resolver404):
        resolve(path)
    assert client.get(path).status_code == 404


def test_nation_season_page_query_count(client, archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get("/nations/kor/2011-12/")


def test_season_medals_page_shows_the_seasons_table_and_chart(client, archive):
    response = client.get("/nations/seasons/2011-12/")
    assert response.status_code == 200
    content = response.content.decode()
    by_season, _ = medal_tables()
    assert response.context["table"] == by_season[Season.objects.get(slug="2011-12")]
    assert '<title id="medals-2011-12-title">Medals per nation, 2011–12</title>' in content
    assert "Medal table 2011–12" in content
    assert '<a class="pager-next" rel="next" href="/nations/seasons/2012-13/">' in content


def test_season_page_links_its_medal_table(client, archive):
    content = client.get("/seasons/2011-12/").content.decode()
    assert 'href="/nations/seasons/2011-12/"' in content


def test_season_medals_page_query_count(client, archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get("/nations/seasons/2011-12/")


def test_nation_page_says_when_nothing_is_known(client, archive):
    Nation.objects.create(code="SUI", country="CH")
    response = client.get("/nations/sui/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "No podium of this nation is known yet." in content
    assert "None" not in content


def test_nation_page_uppercase_code_redirects_to_the_canonical_url(client, archive):
    response = client.get("/nations/KOR/")
    assert response.status_code == 301
    assert response["Location"] == "/nations/kor/"


@pytest.mark.parametrize("path", ["/nations/xyz/", "/nations/ko/", "/nations/XYZ/"])
def test_nation_page_unknown_code_is_404(client, archive, path):
    assert client.get(path).status_code == 404


def test_nation_page_query_count(client, archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get("/nations/can/")


def test_nation_page_counts_a_medal_of_one_of_its_athletes(client, skaters):
    response = client.get("/nations/can/")
    content = response.content.decode()
    # The Saguenay 1500 m win names only the athlete: it is Canada's all the same.
    assert 'href="/seasons/2011-12/saguenay/#women-1500m"' in content
    assert 'href="/athletes/elodie-testaz/"' in content


def test_results_for_nation_includes_results_naming_only_its_athlete(skaters):
    can = skaters.canada.nation
    anchors = [result.race.anchor for result in Result.objects.for_nation(can).podiums()]
    assert "women-1500m" in anchors
    assert all(
        result.nation_id == can.pk or result.athlete.nation_id == can.pk
        for result in Result.objects.for_nation(can)
    )


def test_results_for_nation_are_in_season_order(archive):
    results = list(Result.objects.for_nation(Nation.objects.get(code="CHN")))
    keys = [(r.race.meet.season.slug, r.race.meet.order) for r in results]
    assert keys == sorted(keys)


def test_standings_for_nation_gives_its_places_across_seasons(archive):
    entries = StandingsEntry.objects.for_nation(Nation.objects.get(code="CAN"))
    places = [(e.table.season.slug, e.table.anchor, e.position, e.points) for e in entries]
    assert ("2011-12", "men-5000m-relay", 1, 3600) in places
    assert ("2011-12", "women-3000m-relay", 5, 2086) in places


def test_standings_for_nation_joins_what_a_row_shows(archive, django_assert_num_queries):
    can = Nation.objects.get(code="CAN")
    with django_assert_num_queries(1):
        for entry in StandingsEntry.objects.for_nation(can):
            assert entry.table.season.years and entry.source_url
