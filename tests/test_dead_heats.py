"""Dead heats and times: two results may share a place (``A (KOR)<br />B (CAN)`` in a Winner
cell), and a result keeps its time as the source writes it. Stored, re-imported without change,
shown on the meet page, in JSON, in the medal tables and in the admin's podium."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from seasons import api
from seasons.importing.parser import read_source
from seasons.importing.records import Competitor, ParsedResult
from seasons.importing.writer import import_seasons
from seasons.medals import medal_tables
from seasons.models import Meet, Nation, Race, Result, Season, key_text
from tests.helpers import form_fields, make_correction, save

pytestmark = pytest.mark.django_db

SEASON = """\
= 2019–20 ISU Short Track Speed Skating World Cup =

The season began on 2 November 2019 and ended on 3 November 2019.

== Calendar ==

=== Men ===

==== Salt Lake City ====
| Date | Place | Distance | Winner | Second | Third | Reference |
| 2 November 2019 | Utah Olympic Oval | 500m | | | | |
| 3 November 2019 | Utah Olympic Oval | 5000m relay | CAN | KOR | NED | |
"""
SCHEMAS = Path(settings.BASE_DIR) / "docs" / "api"


@pytest.fixture
def dead_heat(write_source):
    """The season with the men's 500 m as a parser reading a full cell gives it: Park and
    Hamelin tied first (the Winner cell names both), no second, Knegt third; with times."""
    path = write_source(SEASON, "2019-20.txt")

    def parsed(times=("40.101", "40.101", "40.250")):
        season = read_source(path)
        race = season.meets[0].races[0]
        race.results = [
            ParsedResult(race.line, 1, Competitor("Park Ji-won", "KOR"), times[0]),
            ParsedResult(race.line, 1, Competitor("Charles Hamelin", "CAN"), times[1]),
            ParsedResult(race.line, 3, Competitor("Sjinkie Knegt", "NED"), times[2]),
        ]
        return season

    return parsed


def sprint():
    return Race.objects.with_podium().get(meet__season__slug="2019-20", distance=500)


def test_dead_heat_is_stored_as_two_results_at_one_place(dead_heat):
    import_seasons([dead_heat()])

    results = sprint().results.order_by("place", "tie")
    assert [(r.place, r.tie, r.athlete.name, r.nation.code, r.time) for r in results] == [
        (1, 1, "Park Ji-won", "KOR", "40.101"),
        (1, 2, "Charles Hamelin", "CAN", "40.101"),
        (3, 1, "Sjinkie Knegt", "NED", "40.250"),
    ]
    key = ["2019-20", "salt-lake-city", "men", 500, None]
    assert [r.imported_key for r in results] == [
        key_text([*key, 1]),
        key_text([*key, 1, 2]),
        key_text([*key, 3]),
    ]


def test_dead_heat_reimport_changes_nothing(dead_heat):
    import_seasons([dead_heat()])
    versions = list(Result.objects.order_by("pk").values_list("pk", "version"))

    report = import_seasons([dead_heat()])

    assert report.created.total() == 0
    assert report.updated.total() == 0
    assert list(Result.objects.order_by("pk").values_list("pk", "version")) == versions


def test_time_the_source_changes_is_updated_and_an_editors_kept(dead_heat, editor):
    import_seasons([dead_heat()])
    knegt = sprint().results.get(place=3)
    make_correction(knegt, editor, time="40.205")

    report = import_seasons([dead_heat(times=("40.100", "40.100", "40.250"))])

    assert sorted(sprint().results.values_list("time", flat=True)) == ["40.100", "40.100", "40.205"]
    assert any("time" in kept for kept in report.kept)


def test_podium_shows_a_dead_heat_and_the_place_it_leaves(dead_heat):
    import_seasons([dead_heat()])
    podium = sprint().podium
    assert [
        (place, results and [r.athlete.name for r in results]) for place, results in podium
    ] == [
        (1, ["Park Ji-won", "Charles Hamelin"]),
        (2, None),  # not awarded: two skaters are ahead
        (3, ["Sjinkie Knegt"]),
    ]
    assert sprint().podium_summary == (
        "Men's 500 m: Park Ji-won (KOR) = Charles Hamelin (CAN), —, Sjinkie Knegt (NED)"
    )


def test_meet_page_shows_both_winners_and_the_times(client, dead_heat):
    import_seasons([dead_heat()])
    meet = Meet.objects.get(season__slug="2019-20")

    content = client.get(meet.get_absolute_url()).content.decode()

    row = content[content.index('id="men-500m"') :]
    row = row[: row.index("</tr>")]
    assert row.index("Park Ji-won") < row.index('class="dead-heat"') < row.index("Charles Hamelin")
    assert row.count('<span class="time">40.101</span>') == 2
    assert '<span class="time">40.250</span>' in row
    assert "not awarded" in row


def test_meet_json_gives_every_tied_result_with_its_time(dead_heat):
    import_seasons([dead_heat()])
    meets = Meet.objects.select_related("season", "venue").with_dates().with_neighbours()
    document = api.meet_document(meets.get(season__slug="2019-20"))
    registry = Registry().with_resources(
        (path.name, Resource.from_contents(json.loads(path.read_text())))
        for path in SCHEMAS.glob("*.schema.json")
    )
    schema = json.loads((SCHEMAS / "meet.schema.json").read_text())
    document = json.loads(json.dumps(document))
    errors = list(Draft202012Validator(schema, registry=registry).iter_errors(document))
    assert not errors, errors[0].message

    race = next(race for race in document["races"] if race["key"] == "men-500m")
    assert [(r["place"], r["tie"], r["time"]) for r in race["results"]] == [
        (1, 1, "40.101"),
        (1, 2, "40.101"),
        (3, 1, "40.250"),
    ]
    assert race["podium"][0]["athlete"]["name"] == "Park Ji-won"
    assert race["podium"][1] is None
    relay = next(race for race in document["races"] if race["key"] == "men-5000m-relay")
    assert relay["results"][0]["time"] is None  # unknown is null, never ""


def test_medal_tables_count_a_dead_heat_as_two_golds_and_no_silver(dead_heat):
    import_seasons([dead_heat()])
    by_season, _ = medal_tables()
    table = by_season[Season.objects.get(slug="2019-20")]
    medals = {row.nation.code: row.medals for row in table.rows}
    assert (medals["KOR"].gold, medals["CAN"].gold, medals["NED"].bronze) == (1, 2, 2)
    # Two races: the relay's three places and the 500 m's gold, gold and bronze are all known.
    assert (table.unknown.gold, table.unknown.silver, table.unknown.bronze) == (0, 0, 0)
    document = api.season_document(Season.objects.with_neighbours().get(slug="2019-20"))
    assert document["medals"]["unknown"] == {"gold": 0, "silver": 0, "bronze": 0, "total": 0}


def test_admin_podium_adds_a_dead_heat_with_its_tie(editor_client):
    sprint = Race.objects.get_by_natural_key("2011-12", "saguenay", "men", 500, 1)
    response = editor_client.get(f"/admin/seasons/race/{sprint.pk}/change/")
    data = form_fields(response, "race_form")
    assert {"results-0-tie", "results-0-time"} <= set(data)
    kor, can = Nation.objects.get(code="KOR"), Nation.objects.get(code="CAN")
    data.update({"results-0-place": "1", "results-0-nation": str(kor.pk)})
    data.update({"results-1-place": "1", "results-1-tie": "2", "results-1-nation": str(can.pk)})
    data.update({"results-1-time": "41.002"})

    response = save(editor_client, sprint, data, reason="dead heat, ISU results")

    assert response.status_code == 302
    assert list(sprint.results.values_list("place", "tie", "nation__code", "time")) == [
        (1, 1, "KOR", ""),
        (1, 2, "CAN", "41.002"),
    ]
