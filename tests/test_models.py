"""Integrity lives in the database: each named constraint refuses what it should."""

import pytest
from django.db import IntegrityError, transaction

from seasons.models import (
    Athlete,
    Flag,
    Meet,
    Nation,
    Race,
    Result,
    Season,
    StandingsEntry,
    StandingsTable,
)

pytestmark = pytest.mark.django_db


def refused(constraint, make, sqlite_columns=None):
    """``make()`` violates ``constraint``. PostgreSQL names every constraint in its message;
    SQLite names CHECK constraints but gives a field-based unique constraint's columns."""
    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        make()
    message = str(raised.value)
    assert constraint in message or (
        sqlite_columns is not None and f"UNIQUE constraint failed: {sqlite_columns}" in message
    ), message


@pytest.fixture
def race(archive):
    return Race.objects.get(meet__season__slug="2011-12", meet__slug="saguenay", distance=5000)


def test_result_names_athlete_or_nation(race):
    refused("result_names_athlete_or_nation", lambda: Result.objects.create(race=race, place=4))


def test_result_place_unique_in_race(race):
    kor = Nation.objects.get(code="KOR")
    refused(
        "result_unique_place_tie_in_race",
        lambda: Result.objects.create(race=race, place=1, nation=kor),
        "seasons_result.race_id, seasons_result.place, seasons_result.tie",
    )


def test_result_dead_heat_shares_a_place_by_its_tie(race):
    kor = Nation.objects.get(code="KOR")
    refused(
        "result_unique_place_tie_in_race",
        lambda: Result.objects.create(race=race, place=1, tie=1, nation=kor),
        "seasons_result.race_id, seasons_result.place, seasons_result.tie",
    )
    second = Result.objects.create(race=race, place=1, tie=2, nation=kor)
    assert Result.objects.get_by_natural_key(*second.natural_key()) == second
    assert second.natural_key()[-2:] == (1, 2)
    # The first result of a place keeps the key it had before ties were kept.
    first = race.results.get(place=1, tie=1)
    assert first.natural_key()[-1] == 1
    assert Result.objects.get_by_natural_key(*first.natural_key()) == first


def test_result_tie_positive(race):
    kor = Nation.objects.get(code="KOR")
    refused(
        "result_tie_positive",
        lambda: Result.objects.create(race=race, place=4, tie=0, nation=kor),
    )


def test_result_place_positive(race):
    kor = Nation.objects.get(code="KOR")
    refused("result_place_positive", lambda: Result.objects.create(race=race, place=0, nation=kor))


def test_race_unique_even_without_number(race):
    # Two un-numbered men's 500 m at one meet: the NULL number must not slip past uniqueness.
    single = Race.objects.get(meet=race.meet, gender="men", distance=1000)
    refused(
        "race_unique_distance_number_in_meet",
        lambda: Race.objects.create(meet=race.meet, gender="men", distance=1000, date=single.date),
    )


def test_race_number_positive(race):
    refused(
        "race_number_positive",
        lambda: Race.objects.create(
            meet=race.meet, gender="men", distance=1000, number=0, date=race.date
        ),
    )


def test_race_distance_valid(race):
    refused(
        "race_distance_valid",
        lambda: Race.objects.create(meet=race.meet, gender="men", distance=700, date=race.date),
    )


def test_race_gender_valid(race):
    refused(
        "race_gender_valid",
        # Only the gender is wrong: PostgreSQL reports the first violated check it meets.
        lambda: Race.objects.create(meet=race.meet, gender="boys", distance=1000, date=race.date),
    )


def test_entry_points_not_negative(archive):
    table = StandingsTable.objects.first()
    refused(
        "entry_points_not_negative",
        lambda: StandingsEntry.objects.create(table=table, row=9, position=9, points=-1),
    )


def test_standings_held_within_total(archive):
    table = StandingsTable.objects.filter(events_total=8).first()
    table.events_held = 9
    refused("standings_held_within_total", table.save)


def test_season_start_before_end(archive):
    season = Season.objects.get(slug="2011-12")
    season.end = season.start.replace(year=2010)
    refused("season_start_before_end", season.save)


def test_meet_order_unique_in_season(archive):
    meet = Meet.objects.get(season__slug="2011-12", slug="nagoya")
    meet.order = 1
    refused("meet_unique_order_in_season", meet.save, "seasons_meet.season_id, seasons_meet.order")


def test_nation_code_is_three_capitals(db):
    refused("nation_code_is_three_capitals", lambda: Nation.objects.create(code="ned"))


def test_flag_resolution_needs_a_note(archive):
    from django.utils import timezone

    flag = Flag.objects.first()
    flag.resolved_at = timezone.now()
    refused("flag_resolution_has_note", flag.save)


def test_athlete_unique_name_within_nation(archive):
    ned = Nation.objects.get(code="NED")
    Athlete.objects.create(name="Sjinkie Knegt", slug="sjinkie-knegt", nation=ned)
    refused(
        "athlete_unique_name_nation",
        lambda: Athlete.objects.create(name="Sjinkie Knegt", slug="sk-2", nation=ned),
        "seasons_athlete.name, seasons_athlete.nation_id",
    )


def test_natural_keys_round_trip(archive):
    for model in (Season, Meet, Race, Result, StandingsTable, StandingsEntry, Nation, Flag):
        obj = model.objects.order_by("pk").last()
        assert model.objects.get_by_natural_key(*obj.natural_key()) == obj


def test_race_podium_shows_unknown_places(race):
    assert [(place, [r.nation.code for r in results]) for place, results in race.podium] == [
        (1, ["KOR"]),
        (2, ["RUS"]),
        (3, ["CAN"]),
    ]
    shanghai = Race.objects.get(
        meet__season__slug="2011-12", meet__slug="shanghai", gender="women", distance=3000
    )
    assert [not results for _, results in shanghai.podium] == [False, True, False]


def test_race_podium_holds_a_dead_heat_in_the_sources_order(race):
    can = Nation.objects.get(code="CAN")
    Result.objects.create(race=race, place=1, tie=2, nation=can)
    race = Race.objects.with_podium().get(pk=race.pk)
    assert [(place, [r.nation.code for r in results]) for place, results in race.podium] == [
        (1, ["KOR", "CAN"]),
        (2, ["RUS"]),
        (3, ["CAN"]),
    ]
    assert race.podium_summary == "Men's 5000 m relay: KOR = CAN, RUS, CAN"


def test_race_label_names_doubled_distances(archive):
    first = Race.objects.get(
        meet__season__slug="2011-12", meet__slug="saguenay", gender="men", distance=500, number=1
    )
    assert first.label == "500 m (1)"
    assert first.anchor == "men-500m-1"
