"""JSON documents: each validates against its schema in docs/api/, unknowns are null, provenance
points at the source line, and the season document round-trips the season."""

import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from seasons import api
from seasons.models import (
    Athlete,
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

pytestmark = pytest.mark.django_db

SCHEMAS = Path(settings.BASE_DIR) / "docs" / "api"


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Query counts are a first visit's; seasons/caching.py has its own tests."""
    settings.PAGE_CACHE = False


def load_schema(path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validate():
    """Return a function that validates a document against ``docs/api/<kind>.schema.json`` and
    fails the test with every error."""
    registry = Registry().with_resources(
        (path.name, Resource.from_contents(load_schema(path)))
        for path in SCHEMAS.glob("*.schema.json")
    )

    def check(document):
        # Through JSON and back: what a client reads, not the Python objects.
        document = json.loads(json.dumps(document))
        schema = load_schema(SCHEMAS / f"{document['kind']}.schema.json")
        Draft202012Validator.check_schema(schema)
        validator = Draft202012Validator(
            schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        errors = [
            f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator.iter_errors(document)
        ]
        assert not errors, "\n".join(errors[:20])
        return document

    return check


def season_document(slug="2011-12"):
    return api.season_document(Season.objects.with_neighbours().get(slug=slug))


def race_json(document, meet, key):
    meet = next(item for item in document["meets"] if item["slug"] == meet)
    return next(race for race in meet["races"] if race["key"] == key)


@pytest.mark.parametrize("slug", ["2011-12", "2012-13"])
def test_season_document_validates(archive, validate, slug):
    validate(season_document(slug))


def test_meet_document_validates(archive, validate):
    meet = (
        Meet.objects.select_related("season", "venue")
        .with_dates()
        .with_neighbours()
        .get(season__slug="2011-12", slug="saguenay")
    )
    document = validate(api.meet_document(meet))
    assert (document["order"], document["of"]) == (2, 6)
    assert document["previous"]["slug"] == "salt-lake-city"
    assert document["next"]["slug"] == "nagoya"
    assert len(document["races"]) == 10


def test_standings_document_validates(archive, validate):
    document = validate(api.standings_document(Season.objects.get(slug="2011-12")))
    assert len(document["tables"]) == 8


def test_venue_document_validates(archive, validate):
    document = validate(api.venue_document(Venue.objects.get(slug="shanghai")))
    assert document["arena"] is None
    assert [meet["season"] for meet in document["meets"]] == ["2011-12", "2012-13"]


def test_nation_documents_validate(archive, validate):
    for nation in Nation.objects.all():
        validate(api.nation_document(nation))


def test_athlete_document_validates(skaters, validate):
    document = validate(api.athlete_document(skaters.canada))
    assert [result["place"] for result in document["results"]] == [1, 3]
    assert document["standings"][0]["position"] == 1


def test_nations_document_validates(archive, validate):
    validate(api.nations_document(Nation.objects.all()))


def test_schema_refuses_a_document_missing_a_key(archive, validate):
    document = season_document()
    del document["meets"][0]["races"][0]["podium"]
    with pytest.raises(AssertionError, match="'podium' is a required property"):
        validate(document)


def test_schema_refuses_an_unknown_key(archive, validate):
    document = season_document()
    document["meets"][0]["venue"]["arena_name"] = "Oval"
    with pytest.raises(AssertionError, match="arena_name"):
        validate(document)


def test_unknown_podium_places_are_null(archive):
    relay = race_json(season_document(), "salt-lake-city", "men-5000m-relay")
    assert relay["podium"][1] is None
    assert [result["nation"]["code"] for result in relay["results"]] == ["CAN", "KOR"]


def test_unknown_values_are_null_not_empty(archive):
    document = season_document()
    shanghai = next(meet for meet in document["meets"] if meet["slug"] == "shanghai")
    assert shanghai["venue"]["arena"] is None
    assert shanghai["races"][0]["record"] is None
    assert document["standings"]["tables"][0]["entries"][0]["athlete"] is None


def test_provenance_points_at_the_source_line(archive):
    relay = race_json(season_document(), "saguenay", "men-5000m-relay")
    assert relay["source"]["file"] == "2011-12.txt"
    assert relay["source"]["url"] == f"/sources/2011-12.txt#L{relay['source']['line']}"
    line = SourceFile.objects.get(name="2011-12.txt").line_text(relay["source"]["line"])
    assert "5000m relay | KOR | RUS | CAN" in line


def test_a_result_an_editor_added_has_no_provenance(skaters):
    race = race_json(season_document(), "saguenay", "women-1500m")
    assert race["podium"][0]["source"] is None
    assert race["podium"][0]["athlete"]["slug"] == "elodie-testaz"
    assert race["podium"][0]["nation"] is None


def test_same_name_athletes_stay_distinct(skaters):
    canada = api.athlete_document(skaters.canada)
    netherlands = api.athlete_document(skaters.netherlands)
    assert canada["name"] == netherlands["name"]
    assert (canada["url"], netherlands["url"]) == (
        "/athletes/elodie-testaz/",
        "/athletes/elodie-testaz-ned/",
    )
    assert netherlands["results"][0]["meet"]["slug"] == "nagoya"


def test_nation_document_counts_medals_per_season(archive):
    document = api.nation_document(Nation.objects.get(code="CHN"))
    seasons = {item["season"]["slug"]: item for item in document["medals"]["seasons"]}
    assert (seasons["2011-12"]["gold"], seasons["2011-12"]["bronze"]) == (7, 2)
    assert document["medals"]["all_time"]["total"] == len(document["podiums"])


# Round trip: every race, result and standings entry of the season, rebuilt from the JSON alone,
# equals what the database held.


def provenance(record):
    return (record.source.name if record.source_id else None, record.source_line)


def snapshot(season):
    """The season's meets, races, results, standings tables and entries, keyed naturally."""
    meets = Meet.objects.filter(season=season).select_related("venue", "source")
    races = Race.objects.filter(meet__season=season).select_related("meet", "source")
    results = Result.objects.filter(race__meet__season=season).select_related(
        "race__meet", "athlete", "nation", "source"
    )
    tables = StandingsTable.objects.filter(season=season).select_related("source")
    entries = StandingsEntry.objects.filter(table__season=season).select_related(
        "table", "athlete", "nation", "source"
    )

    def race_key(race):
        return (race.meet.slug, race.gender, race.distance, race.number)

    def who(row):
        return (row.athlete.slug if row.athlete_id else None, row.nation_id and row.nation.code)

    return {
        "meets": {m.slug: (m.city, m.order, m.venue.slug, *provenance(m)) for m in meets},
        "races": {race_key(r): (r.date, r.record, *provenance(r)) for r in races},
        "results": {(*race_key(r.race), r.place): (*who(r), *provenance(r)) for r in results},
        "tables": {
            (t.gender, t.distance): (
                t.events_held,
                t.events_total,
                t.heading_inferred,
                *provenance(t),
            )
            for t in tables
        },
        "entries": {
            (e.table.gender, e.table.distance, e.row): (
                e.position,
                *who(e),
                e.points,
                *provenance(e),
            )
            for e in entries
        },
    }


def rebuild(document):
    """Recreate the season's meets, races, results and standings from its JSON document."""
    season = Season.objects.get(slug=document["slug"])
    sources = {source.name: source for source in SourceFile.objects.all()}

    def origin(item):
        source = item["source"]
        return {
            "source": sources[source["file"]] if source else None,
            "source_line": source["line"] if source else None,
        }

    def who(item):
        return {
            "athlete": item["athlete"] and Athlete.objects.get(slug=item["athlete"]["slug"]),
            "nation": item["nation"] and Nation.objects.get(code=item["nation"]["code"]),
        }

    for meet_json in document["meets"]:
        meet = Meet.objects.create(
            season=season,
            slug=meet_json["slug"],
            city=meet_json["city"],
            order=meet_json["order"],
            venue=Venue.objects.get(slug=meet_json["venue"]["slug"]),
            **origin(meet_json),
        )
        for race_json in meet_json["races"]:
            race = Race.objects.create(
                meet=meet,
                gender=race_json["gender"],
                distance=race_json["distance"],
                number=race_json["number"],
                date=datetime.date.fromisoformat(race_json["date"]),
                record=race_json["record"] or "",
                **origin(race_json),
            )
            for result in race_json["results"]:
                Result.objects.create(
                    race=race, place=result["place"], **who(result), **origin(result)
                )
    for table_json in document["standings"]["tables"]:
        table = StandingsTable.objects.create(
            season=season,
            gender=table_json["gender"],
            distance=table_json["distance"],
            events_held=table_json["events_held"],
            events_total=table_json["events_total"],
            heading_inferred=table_json["heading_inferred"],
            **origin(table_json),
        )
        for entry in table_json["entries"]:
            StandingsEntry.objects.create(
                table=table,
                row=entry["row"],
                position=entry["position"],
                points=entry["points"],
                **who(entry),
                **origin(entry),
            )


@pytest.mark.parametrize("slug", ["2011-12", "2012-13"])
def test_season_document_round_trips_the_season(skaters, slug):
    season = Season.objects.with_neighbours().get(slug=slug)
    before = snapshot(season)
    document = json.loads(json.dumps(api.season_document(season)))

    Meet.objects.filter(season=season).delete()
    StandingsTable.objects.filter(season=season).delete()
    assert not Result.objects.filter(race__meet__season=season).exists()
    rebuild(document)

    after = snapshot(season)
    assert after == before
    assert len(after["races"]) == 60
    assert after["results"] and after["entries"]


def test_season_document_podium_agrees_with_results(archive):
    for meet in season_document()["meets"]:
        for race in meet["races"]:
            by_place = {result["place"]: result for result in race["results"]}
            assert race["podium"] == [by_place.get(place) for place in (1, 2, 3)]


# The documents at their URLs

# (page, its JSON, the document's kind, the JSON's query count: pinned, at most 8).
DOCUMENTS = [
    # Each document reads its open flags in one query (issue #18: doubts travel with the value).
    ("/seasons/2011-12/", "/seasons/2011-12.json", "season", 8),
    ("/seasons/2011-12/saguenay/", "/seasons/2011-12/saguenay.json", "meet", 5),
    ("/seasons/2011-12/standings/", "/seasons/2011-12/standings.json", "standings", 5),
    ("/venues/shanghai/", "/venues/shanghai.json", "venue", 3),
    ("/nations/", "/nations.json", "nations", 3),
    ("/nations/kor/", "/nations/kor.json", "nation", 6),
    ("/athletes/elodie-testaz/", "/athletes/elodie-testaz.json", "athlete", 4),
]


@pytest.mark.parametrize(("page", "url", "kind", "queries"), DOCUMENTS)
def test_json_url_serves_a_valid_document(
    client, skaters, validate, django_assert_max_num_queries, page, url, kind, queries
):
    with django_assert_max_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert validate(response.json())["kind"] == kind


@pytest.mark.parametrize(("page", "url", "kind", "queries"), DOCUMENTS)
def test_pages_link_their_json(client, skaters, page, url, kind, queries):
    content = client.get(page).content.decode()
    assert f'<link rel="alternate" type="application/json" href="{url}"' in content
    assert f'<a href="{url}" type="application/json">JSON</a>' in content


@pytest.mark.parametrize(
    "url",
    [
        "/seasons/1999-00.json",
        "/seasons/1999-00/standings.json",
        "/seasons/2011-12/oslo.json",
        "/venues/oslo.json",
        "/nations/xyz.json",
        "/athletes/nobody.json",
    ],
)
def test_json_of_unknown_page_is_404(client, archive, url):
    assert client.get(url).status_code == 404


def test_nation_json_uppercase_code_redirects(client, archive):
    response = client.get("/nations/KOR.json")
    assert response.status_code == 301
    assert response["Location"] == "/nations/kor.json"


def test_json_is_utf8_and_readable(client, archive):
    content = client.get("/seasons/2011-12.json").content.decode("utf-8")
    assert "Centre Georges-Vézina" in content


def test_a_404_page_links_no_data(client, archive):
    content = client.get("/seasons/1999-00/").content.decode()
    assert "application/json" not in content


def test_a_nation_code_outside_the_ioc_list_is_imported_flagged_and_shown(
    client, tmp_path, validate
):
    """A source naming ROC (no ISO country): imported as written, flagged for editors, and
    every page that shows a nation shows it by its code, without a flag image."""
    from seasons.models import Flag, FlagKind, Nation
    from tests.helpers import SLC_RELAY, changed_source, run_import

    run_import(changed_source(tmp_path, SLC_RELAY, SLC_RELAY.replace("| CAN |", "| ROC |")))

    roc = Nation.objects.get(code="ROC")
    assert not roc.country
    flag = Flag.objects.get(kind=FlagKind.NATION_UNKNOWN)
    assert flag.race.meet.slug == "salt-lake-city"
    for page in [
        "/seasons/2011-12/salt-lake-city/",
        "/nations/",
        "/nations/roc/",
        "/seasons/2011-12/",
    ]:
        response = client.get(page)
        assert response.status_code == 200, page
        assert "ROC" in response.text, page
    document = client.get("/nations/roc.json").json()
    validate(document)
    assert document["code"] == "ROC"
