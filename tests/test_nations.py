"""Nations: the medal tables (all-time and per season, with the chart) and each nation's page:
medals per season, podiums and standings places."""

import pytest

from seasons.models import Nation, Result, StandingsEntry

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


def test_nation_list_query_count(client, archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get("/nations/")


def test_nation_page_shows_medals_podiums_and_standings(client, archive):
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
    assert 'href="/seasons/2011-12/standings/#men-5000m-relay"' in content


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
