"""Athletes: every known result and standings place. The bundled sources name no athlete, so
these tests use the ``skaters`` fixture (test data: two athletes of one name in two nations)."""

import pytest

from seasons.models import Result, StandingsEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Query counts are a first visit's; seasons/caching.py has its own tests."""
    settings.PAGE_CACHE = False


def test_athlete_page_lists_results_and_standings(client, skaters):
    response = client.get("/athletes/elodie-testaz/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Élodie Testaz</h1>" in content
    assert [result.race.anchor for result in response.context["results"]] == [
        "women-1500m",
        "women-500m",
    ]
    assert 'href="/seasons/2011-12/saguenay/#women-1500m"' in content
    assert 'href="/seasons/2011-12/standings/#women-1500m"' in content
    assert response.context["podium_count"] == 2


def test_athlete_page_marks_an_editor_added_result(client, skaters):
    content = client.get("/athletes/elodie-testaz/").content.decode()
    assert "added by an editor, not imported" in content
    assert "None" not in content


def test_same_name_athletes_in_two_nations_have_two_pages(client, skaters):
    canada = client.get("/athletes/elodie-testaz/")
    netherlands = client.get("/athletes/elodie-testaz-ned/")
    assert [r.race.meet.slug for r in netherlands.context["results"]] == ["nagoya"]
    assert [r.race.meet.slug for r in canada.context["results"]] == ["saguenay", "calgary"]
    # Each page points to the other: same name, another athlete.
    assert 'href="/athletes/elodie-testaz-ned/"' in canada.content.decode()
    assert 'href="/athletes/elodie-testaz/"' in netherlands.content.decode()


def test_athlete_page_links_to_the_nation(client, skaters):
    content = client.get("/athletes/elodie-testaz-ned/").content.decode()
    assert 'href="/nations/ned/"' in content


def test_unknown_athlete_is_404(client, skaters):
    assert client.get("/athletes/nobody/").status_code == 404


def test_athlete_page_query_count(client, skaters, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):  # the fifth: the athlete's aliases
        client.get("/athletes/elodie-testaz/")


def test_results_for_athlete_are_oldest_first(skaters):
    results = Result.objects.for_athlete(skaters.canada)
    assert [result.race.meet.season.slug for result in results] == ["2011-12", "2012-13"]


def test_standings_for_athlete(skaters):
    entries = StandingsEntry.objects.for_athlete(skaters.canada)
    assert [(e.table.season.slug, e.table.anchor, e.position) for e in entries] == [
        ("2011-12", "women-1500m", 1)
    ]
    assert not StandingsEntry.objects.for_athlete(skaters.netherlands).exists()
