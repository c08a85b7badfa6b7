"""Search: seasons, meets (by city), venues, nations (by IOC code or country name) and athletes,
accent-insensitive, ranked and bounded, on SQLite and PostgreSQL alike."""

import re

import pytest

from seasons.models import Athlete
from seasons.search import normalise_query, search, term_pattern


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Query counts are a first visit's; seasons/caching.py has its own tests."""
    settings.PAGE_CACHE = False


def hits(results, kind):
    section = next((section for section in results.sections if section.kind == kind), None)
    return [hit.title for hit in section.hits] if section else []


def test_term_pattern_matches_with_or_without_accents():
    assert re.search(term_pattern("vezina"), "Centre Georges-Vézina", re.IGNORECASE)
    assert re.search(term_pattern("Vézina"), "Centre Georges-Vezina", re.IGNORECASE)
    assert re.search(term_pattern("VEZINA"), "centre georges-vézina", re.IGNORECASE)


@pytest.mark.parametrize(
    "name", ["곽윤기", "武大靖", "Семён Елистратов", "Йонас", "Đặng Thanh Sơn"]
)
def test_term_pattern_finds_a_name_in_any_script_as_written(name):
    assert re.fullmatch(term_pattern(name), name, re.IGNORECASE)


def test_term_pattern_matches_any_dash_or_space():
    assert re.search(term_pattern("2011-12"), "2011–12 ISU World Cup")
    assert re.search(term_pattern("georges vezina"), "Georges-Vézina", re.IGNORECASE)


def test_term_pattern_keeps_regex_characters_literal():
    assert re.fullmatch(term_pattern("a.b(c)*"), "a.b(c)*")
    assert not re.search(term_pattern("a.b"), "axb")


def test_normalise_query_collapses_spaces_and_keeps_accents():
    assert normalise_query("  Vézina   Centre ") == "Vézina Centre"
    assert len(normalise_query("x" * 500)) == 100


@pytest.mark.django_db
def test_search_short_query_finds_nothing_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        results = search(" a ")
    assert results.is_empty


@pytest.mark.django_db
def test_search_finds_a_venue_without_its_accents(archive):
    results = search("vezina")
    assert hits(results, "venue") == ["Centre Georges-Vézina, Saguenay"]
    assert hits(results, "meet") == ["World Cup Saguenay"]


@pytest.mark.django_db
def test_search_accented_query_finds_unaccented_city(archive):
    assert hits(search("Saguénay"), "meet") == ["World Cup Saguenay"]


@pytest.mark.django_db
def test_search_city_finds_its_meets_in_every_season(archive):
    results = search("nagoya")
    meets = next(section for section in results.sections if section.kind == "meet")
    assert [hit.obj.season.slug for hit in meets.hits] == ["2012-13", "2011-12"]
    assert hits(results, "venue") == ["Nippon Gaishi Hall, Nagoya"]


@pytest.mark.django_db
def test_search_every_term_must_match(archive):
    results = search("nagoya 2012")
    meets = next(section for section in results.sections if section.kind == "meet")
    assert [hit.obj.season.slug for hit in meets.hits] == ["2012-13"]


@pytest.mark.django_db
def test_search_finds_a_season_by_its_years(archive):
    assert hits(search("2011-12"), "season") == ["2011–12 ISU Short Track Speed Skating World Cup"]


@pytest.mark.django_db
def test_search_finds_a_nation_by_ioc_code(archive):
    assert hits(search("kor"), "nation") == ["South Korea"]


@pytest.mark.django_db
def test_search_finds_a_nation_by_country_name(archive):
    results = search("netherlands")
    assert hits(results, "nation") == ["Netherlands"]
    assert results.sections[0].hits[0].detail == "NED"


@pytest.mark.django_db
def test_search_same_name_athletes_stay_distinct(skaters):
    results = search("testaz")
    athletes = next(section for section in results.sections if section.kind == "athlete")
    assert [(hit.obj.slug, hit.detail) for hit in athletes.hits] == [
        ("elodie-testaz", "Canada"),
        ("elodie-testaz-ned", "Netherlands"),
    ]


@pytest.mark.django_db
def test_search_ranks_exact_then_prefix_then_word_then_anywhere(db):
    for name in ["Isenberg", "Anna Berg", "Bergström", "Berg"]:
        Athlete.objects.create(name=name, slug=name.lower().replace(" ", "-"))
    assert hits(search("berg"), "athlete") == ["Berg", "Bergström", "Anna Berg", "Isenberg"]


@pytest.mark.django_db
def test_search_is_bounded(archive):
    results = search("2011", limit=2)
    meets = next(section for section in results.sections if section.kind == "meet")
    assert len(meets.hits) == 2
    assert meets.has_more


@pytest.mark.django_db
def test_search_regex_characters_do_not_break_the_query(archive):
    assert search("oval (utah) [*+?\\").is_empty


@pytest.mark.django_db
def test_search_runs_one_query_per_kind(skaters, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        results = search("testaz")
    assert results.total == 2


# The page


@pytest.mark.django_db
def test_search_page_lists_hits_with_links(client, archive):
    response = client.get("/search/", {"q": "vezina"})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'href="/venues/saguenay-centre-georges-vezina/"' in content
    assert 'href="/seasons/2011-12/saguenay/"' in content
    assert "2 results for “vezina”" in content


@pytest.mark.django_db
def test_search_page_shows_nation_flags(client, archive):
    content = client.get("/search/", {"q": "korea"}).content.decode()
    assert 'href="/nations/kor/"' in content
    assert 'alt="Flag of South Korea"' in content


@pytest.mark.django_db
def test_search_page_without_query_explains_what_to_type(client, archive):
    content = client.get("/search/").content.decode()
    assert "Type at least 2 characters" in content


@pytest.mark.django_db
def test_search_page_says_when_nothing_matches(client, archive):
    content = client.get("/search/", {"q": "Oslo"}).content.decode()
    assert "Nothing found for “Oslo”." in content


@pytest.mark.django_db
def test_search_page_query_count(client, skaters, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        client.get("/search/", {"q": "an"})


@pytest.mark.django_db
def test_every_page_has_a_search_box(client, archive):
    content = client.get("/seasons/2011-12/").content.decode()
    assert 'action="/search/"' in content
    assert 'role="search"' in content


@pytest.mark.django_db
def test_search_finds_athletes_named_in_any_script(archive):
    Athlete.objects.create(name="곽윤기", slug="gwag-yun-gi")
    Athlete.objects.create(name="Семён Елистратов", slug="semen-elistratov")
    Athlete.objects.create(name="Đặng Thanh Sơn", slug="dang-thanh-son")

    assert hits(search("곽윤기"), "athlete") == ["곽윤기"]
    assert hits(search("семён"), "athlete") == ["Семён Елистратов"]
    assert hits(search("dang thanh son"), "athlete") == ["Đặng Thanh Sơn"]
    # The romanised slug finds them too.
    assert hits(search("gwag yun"), "athlete") == ["곽윤기"]
