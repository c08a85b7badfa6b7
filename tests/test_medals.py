"""Medal tables and the medals chart: known podiums count for a nation, unknown places are
counted as unknown, never dropped."""

from types import SimpleNamespace
from xml.etree import ElementTree

import pytest

from seasons.medal_chart import medal_chart_svg
from seasons.medals import (
    MedalCount,
    build_table,
    medal_tables,
    nation_medals,
    tally,
)
from seasons.models import Nation, Race, Result, Season, competitor_nation

CAN = Nation(pk=1, code="CAN", country="CA")
KOR = Nation(pk=2, code="KOR", country="KR")
NED = Nation(pk=3, code="NED", country="NL")


def result(place, nation=None, athlete_nation=None, athlete=False):
    """A stand-in for a Result: only what ``competitor_nation`` reads."""
    skater = None
    if athlete or athlete_nation:
        skater = SimpleNamespace(nation=athlete_nation, nation_id=athlete_nation and 1)
    return SimpleNamespace(
        place=place,
        nation=nation,
        nation_id=nation and nation.pk,
        athlete=skater,
        athlete_id=skater and 1,
    )


def season_table(slug):
    """The season's medal table as the nations page shows it (``medal_tables``)."""
    by_season, _ = medal_tables()
    return next(table for season, table in by_season.items() if season.slug == slug)


def test_competitor_nation_prefers_the_results_nation():
    assert competitor_nation(result(1, nation=CAN, athlete_nation=KOR)) == CAN


def test_competitor_nation_falls_back_to_the_athletes_nation():
    assert competitor_nation(result(1, athlete_nation=KOR)) == KOR


def test_competitor_nation_unknown_for_an_athlete_without_nation():
    assert competitor_nation(result(1, athlete=True)) is None


def test_build_table_ranks_gold_then_silver_then_bronze():
    table = build_table(
        3,
        tally([result(1, KOR), result(2, CAN), result(3, NED), result(1, CAN), result(2, NED)]),
    )
    assert [(row.rank, row.nation.code) for row in table.rows] == [
        (1, "CAN"),
        (2, "KOR"),
        (3, "NED"),
    ]
    assert table.rows[0].medals == MedalCount(gold=1, silver=1, bronze=0)


def test_build_table_level_nations_share_a_rank():
    table = build_table(2, tally([result(1, KOR), result(1, CAN), result(2, NED)]))
    assert [(row.rank, row.nation.code) for row in table.rows] == [
        (1, "CAN"),
        (1, "KOR"),
        (3, "NED"),
    ]


def test_build_table_counts_unknown_places_instead_of_dropping_them():
    # Two races: one podium fully unknown, one with only gold and a bronze of unknown nation.
    table = build_table(2, tally([result(1, CAN), result(3, athlete=True)]))
    assert table.unknown == MedalCount(gold=1, silver=2, bronze=2)
    assert table.known + table.unknown == MedalCount(gold=2, silver=2, bronze=2)
    assert table.has_unknown


def test_build_table_for_nation_without_medals_is_zero():
    assert build_table(1, tally([result(1, CAN)])).for_nation(KOR) == MedalCount()


@pytest.mark.django_db
def test_medal_tables_season_from_the_real_2011_12_podiums(archive):
    table = season_table("2011-12")
    assert table.races == 60
    assert table.rows[0].nation.code == "CHN"
    assert table.rows[0].medals == MedalCount(gold=7, silver=0, bronze=2)
    # Only the twelve relays have podiums in the source: the rest is counted as unknown.
    assert table.unknown == MedalCount(gold=48, silver=52, bronze=48)


@pytest.mark.django_db
def test_medal_tables_season_columns_add_up_to_the_races(archive):
    table = season_table("2012-13")
    every = table.known + table.unknown
    assert every == MedalCount(gold=table.races, silver=table.races, bronze=table.races)


@pytest.mark.django_db
def test_medal_tables_all_time_is_the_sum_of_the_seasons(archive, django_assert_num_queries):
    with django_assert_num_queries(3):
        by_season, all_time = medal_tables()
    assert [season.slug for season in by_season] == ["2012-13", "2011-12"]
    assert all_time.races == sum(table.races for table in by_season.values())
    for nation in Nation.objects.all():
        assert all_time.for_nation(nation) == sum(
            (table.for_nation(nation) for table in by_season.values()), MedalCount()
        )


@pytest.mark.django_db
def test_medal_tables_counted_by_the_database_agree_with_the_loaded_podiums(skaters):
    """The database's count (one row per season, nation and place) follows competitor_nation's rule:
    with the fixture's podium that names only a Canadian athlete, it matches counting the
    loaded results one by one."""
    by_season, all_time = medal_tables()
    assert all_time.rows  # else nothing would be compared
    for season, table in by_season.items():
        races = list(Race.objects.filter(meet__season=season).with_podium())
        podiums = [
            result for race in races for _, results in race.podium for result in results or ()
        ]
        assert table == build_table(len(races), tally(podiums))


@pytest.mark.django_db
def test_nation_medals_agree_with_the_medal_tables(skaters, django_assert_num_queries):
    by_season, all_time = medal_tables()
    for nation in Nation.objects.all():
        podiums = list(Result.objects.for_nation(nation).podiums())
        with django_assert_num_queries(1):  # the seasons
            nation_all_time, per_season = nation_medals(nation, podiums, Season.objects.all())
        assert nation_all_time == all_time.for_nation(nation)
        assert dict(per_season) == {
            season: table.for_nation(nation) for season, table in by_season.items()
        }


@pytest.mark.django_db
def test_an_individual_medal_counts_for_the_athletes_nation(skaters):
    table = season_table("2011-12")
    # The fixture's Saguenay 1500 m win names only the athlete, who skates for Canada: two relay
    # golds and that one.
    assert table.for_nation(skaters.canada.nation).gold == 3
    assert table.unknown.gold == 47


@pytest.mark.django_db
def test_medal_chart_is_an_accessible_svg(archive):
    season = Season.objects.get(slug="2011-12")
    svg = medal_chart_svg(season_table("2011-12"), season.years, "medals-2011-12")
    root = ElementTree.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "medals-2011-12-title medals-2011-12-desc"
    assert root.find(f"{ns}title").text == "Medals per nation, 2011–12"
    desc = root.find(f"{ns}desc").text
    assert "China (CHN): 7 gold, 0 silver, 2 bronze." in desc
    assert "Nation not known: 48 gold, 52 silver, 48 bronze." in desc


@pytest.mark.django_db
def test_medal_chart_labels_every_nation_and_states_the_unknown(archive):
    season = Season.objects.get(slug="2011-12")
    table = season_table("2011-12")
    svg = medal_chart_svg(table, season.years, "chart")
    texts = [node.text for node in ElementTree.fromstring(svg).iter() if node.text]
    for row in table.rows:
        assert row.nation.code in texts
    assert "Nation not known (not in the source):" in texts
    assert "48 gold, 52 silver, 48 bronze." in texts
    assert "None" not in svg


def test_medal_chart_without_known_podium_says_so():
    svg = medal_chart_svg(build_table(4, tally([])), "2030–31", "chart", flag_url=lambda nation: "")
    assert "No podium of this season names a nation yet." in svg


def test_medal_chart_escapes_names():
    nation = Nation(pk=9, code="XYZ")
    svg = medal_chart_svg(build_table(1, tally([result(1, nation)])), "<b>", "c", lambda nation: "")
    assert "<b>" not in svg
    ElementTree.fromstring(svg)
