"""The django-tables2 tables: standings exports (CSV, JSON), sorting, and the list tables."""

import csv
import io
import json

import pytest
from django.test import RequestFactory
from django_tables2 import RequestConfig

from seasons.models import Flag, SourceFile, StandingsTable, Venue
from seasons.tables import FlagTable, StandingsEntryTable, VenueTable, standings_entry_table

pytestmark = pytest.mark.django_db

STANDINGS = "/seasons/2011-12/standings/"


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE = False


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def standings_table(gender, distance):
    return (
        StandingsTable.objects.filter(season__slug="2011-12", gender=gender, distance=distance)
        .with_source()
        .for_standings_page()
        .get()
    )


def configured(table, query=""):
    return RequestConfig(RequestFactory().get(f"/{query}"), paginate=False).configure(table)


def test_standings_csv_export_holds_one_table_as_published(client, archive):
    response = client.get(f"{STANDINGS}?_export=csv&table=men-500m")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="2011-12-men-500m-standings.csv"' in response["Content-Disposition"]
    assert csv_rows(response) == [
        [
            "Season",
            "Event",
            "Position",
            "Athlete",
            "Athlete URL",
            "Nation",
            "Points",
            "Source line",
            "Flags",
        ],
        ["2011-12", "Men's 500 m", "1", "", "", "", "4000", "116", ""],
        ["2011-12", "Men's 500 m", "2", "", "", "", "3240", "117", ""],
        ["2011-12", "Men's 500 m", "3", "", "", "", "2970", "118", ""],
        ["2011-12", "Men's 500 m", "5", "", "", "", "2798", "119", ""],
        # A row's open doubts travel with it (issue #18).
        [
            *("2011-12", "Men's 500 m", "4", "", "", "", "2719", "120"),
            "Standings positions out of order: position 4 is listed after position 5",
        ],
    ]


@pytest.mark.parametrize("query", ["?_export=csv&table=women-1500m", "?_export=csv"])
def test_standings_csv_export_carries_the_athletes_absolute_url(client, skaters, query):
    rows = csv_rows(client.get(f"{STANDINGS}{query}"))

    header = rows[0]
    named = [row for row in rows[1:] if row[header.index("Athlete")]]
    assert [(row[header.index("Athlete")], row[header.index("Athlete URL")]) for row in named] == [
        ("Élodie Testaz", "http://testserver/athletes/elodie-testaz/")
    ]


def test_standings_json_export_carries_the_athletes_absolute_url(client, skaters):
    rows = json.loads(client.get(f"{STANDINGS}?_export=json&table=women-1500m").content)

    assert rows[0]["Athlete URL"] == "http://testserver/athletes/elodie-testaz/"
    assert rows[1]["Athlete URL"] is None


def test_standings_json_export_gives_nations_and_nulls_for_unknowns(client, archive):
    response = client.get(f"{STANDINGS}?_export=json&table=men-5000m-relay")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    rows = json.loads(response.content)
    assert rows[0] == {
        "Season": "2011-12",
        "Event": "Men's 5000 m relay",
        "Position": 1,
        "Nation": "CAN",
        "Points": 3600,
        "Source line": 174,
        "Flags": "",
    }
    assert [row["Position"] for row in rows] == [1, 2, 3, 3, 5]
    assert rows[4]["Nation"] is None


def test_standings_export_follows_the_table_sort(client, archive):
    response = client.get(f"{STANDINGS}?_export=csv&table=men-500m&men-500m-sort=position")

    assert [row[2] for row in csv_rows(response)[1:]] == ["1", "2", "3", "4", "5"]


def test_standings_export_without_table_holds_every_table(client, archive):
    response = client.get(f"{STANDINGS}?_export=csv")

    rows = csv_rows(response)
    assert 'filename="2011-12-standings.csv"' in response["Content-Disposition"]
    assert len(rows) == 1 + 8 * 5
    assert {row[1] for row in rows[1:]} == {
        f"{gender}'s {distance}"
        for gender, distance in [
            ("Men", "500 m"),
            ("Women", "500 m"),
            ("Men", "1000 m"),
            ("Women", "1000 m"),
            ("Men", "1500 m"),
            ("Women", "1500 m"),
            ("Women", "3000 m relay"),
            ("Men", "5000 m relay"),
        ]
    }


def test_standings_export_of_an_unknown_table_is_404(client, archive):
    assert client.get(f"{STANDINGS}?_export=csv&table=men-42m").status_code == 404


def test_standings_export_in_an_unoffered_format_shows_the_page(client, archive):
    response = client.get(f"{STANDINGS}?_export=xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_standings_table_sorts_under_its_own_prefix(archive):
    table = standings_entry_table(standings_table("men", 500))

    configured(table, "?men-500m-sort=-points&women-500m-sort=points")

    assert table.prefixed_order_by_field == "men-500m-sort"
    assert [row.record.points for row in table.rows] == [4000, 3240, 2970, 2798, 2719]
    assert table.order_by == ("-points",)


def test_standings_table_sorts_unknown_competitors_last(archive):
    table = standings_entry_table(standings_table("men", 5000))

    configured(table, "?men-5000m-relay-sort=-competitor")

    codes = [row.record.nation.code if row.record.nation else None for row in table.rows]
    assert codes == ["RUS", "KOR", "CHN", "CAN", None]


def test_standings_table_marks_a_flagged_entry(archive):
    table = configured(standings_entry_table(standings_table("men", 500)))

    cells = [row.get_cell("position") for row in table.rows]
    assert "⚑" in cells[4]
    assert 'title="position 4 is listed after position 5"' in cells[4]
    assert "⚑" not in cells[0]


def test_relay_table_names_its_competitor_column_nation(archive):
    table = standings_entry_table(standings_table("women", 3000))

    assert table.columns["competitor"].header == "Nation"
    assert "athlete" not in [column.name for column in table.columns.iterall()]
    assert "athlete_url" not in [column.name for column in table.columns.iterall()]


def test_standings_table_is_plain_data_for_a_list_of_entries(archive):
    entries = list(standings_table("men", 500).entries.all())

    values = list(StandingsEntryTable(entries).as_values())

    assert values[1] == ["2011-12", "Men's 500 m", 1, None, None, None, 4000, 116, ""]


def test_venue_table_sorts_by_the_number_of_world_cups(archive):
    table = configured(VenueTable(Venue.objects.with_meets()), "?sort=-meets")

    counts = [row.record.meet_count for row in table.rows]
    assert counts == sorted(counts, reverse=True)
    assert {row.record.city for row in table.rows[:2]} == {"Nagoya", "Shanghai"}


def test_venue_table_shows_a_missing_arena_as_unknown(archive):
    table = configured(VenueTable(Venue.objects.with_meets()))

    moscow = next(row for row in table.rows if row.record.city == "Moscow")
    assert 'title="not in the source"' in moscow.get_cell("arena")


def test_flag_table_links_each_flag_to_its_line_and_page(archive):
    source = SourceFile.objects.get(name="2011-12.txt")
    flags = Flag.objects.filter(source=source).with_targets()

    table = configured(FlagTable(flags), "?sort=line")

    first = table.rows[0]
    assert first.get_cell("line") == '<a href="#L9">9</a>'
    assert 'href="/seasons/2011-12/"' in first.get_cell("concerns")
    assert "Open" in first.get_cell("state")
