"""Athletes: every known result and standings place. The bundled sources name no athlete, so
these tests use the ``skaters`` fixture (test data: two athletes of one name in two nations)."""

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.template.loader import get_template
from django.template.loader_tags import BlockNode
from django.test.utils import CaptureQueriesContext

from seasons import athlete_index
from seasons.athlete_index import letter_of, sort_key
from seasons.models import Athlete, Nation, Race, Result, StandingsEntry

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
    assert 'href="/seasons/2011-12/standings/women-1500m/"' in content
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


def race(season, meet, anchor):
    races = Race.objects.filter(meet__season__slug=season, meet__slug=meet)
    return next(race for race in races if race.anchor == anchor)


# Linked wherever they raced


class NameOccurrences(HTMLParser):
    """Where a name appears in a page's body: inside a link (to where), or in one of the places
    that are not a row naming the athlete: a <summary> (itself a control, repeating a linked row),
    the rest of a <details> (the standings check's arithmetic, in prose) and a chart (<svg>).
    ``None``: loose text. The head (title, description) is text, not a place to link."""

    CONTAINERS = ("summary", "details", "svg")

    def __init__(self, name):
        super().__init__(convert_charrefs=True)
        self.name = name
        self.links, self.in_body = [], False
        self.depth = dict.fromkeys(self.CONTAINERS, 0)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.in_body = True
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))
        elif tag in self.depth:
            self.depth[tag] += 1

    def handle_endtag(self, tag):
        if tag == "a" and self.links:
            self.links.pop()
        elif tag in self.depth:
            self.depth[tag] -= 1

    def handle_data(self, data):
        if self.in_body and self.name in data:
            inside = [tag for tag in self.CONTAINERS if self.depth[tag]]
            self.found.append(self.links[-1] if self.links else (inside[0] if inside else None))


def occurrences(client, path, name):
    response = client.get(path)
    assert response.status_code == 200, path
    parser = NameOccurrences(name)
    parser.feed(response.content.decode())
    return parser.found


@pytest.mark.parametrize(
    "path",
    [
        "/seasons/2011-12/",  # the Saguenay podium and the women's 1500 m leader
        "/seasons/2011-12/saguenay/",
        "/seasons/2012-13/calgary/",
        "/seasons/2011-12/standings/",  # published women's 1500 m
        "/seasons/2011-12/standings/women-1500m/",  # published and computed
        "/nations/can/",
        "/search/?q=testaz",
        "/athletes/",
        "/athletes/by-name/e/",
        "/athletes/by-nation/can/",
    ],
)
def test_every_page_that_names_an_athlete_links_to_them(client, skaters, path):
    found = occurrences(client, path, "Élodie Testaz")

    assert found, f"{path} does not name her"
    assert {where for where in found if where not in NameOccurrences.CONTAINERS} <= {
        "/athletes/elodie-testaz/",
        "/athletes/elodie-testaz-ned/",
    }, found
    assert "/athletes/elodie-testaz/" in found


def test_standings_link_the_athlete_in_the_published_and_the_computed_table(client, skaters):
    found = occurrences(client, "/seasons/2011-12/standings/women-1500m/", "Élodie Testaz")
    assert found.count("/athletes/elodie-testaz/") == 2
    assert found.count("summary") == 1


def test_meet_links_the_winner_next_to_the_nation_of_the_day(client, skaters):
    page = client.get("/seasons/2012-13/calgary/").content.decode()
    row = page.split('id="women-500m"', 1)[1].split("</tr>", 1)[0]
    assert '<a class="athlete" href="/athletes/elodie-testaz/">Élodie Testaz</a>' in row
    assert '<span class="nation-name">Canada</span>' in row


# The index of athletes: /athletes/, by name and by nation


@pytest.fixture
def any_script_athletes(skaters):
    """Beside the two Élodie Testaz: athletes named in Hangul and Cyrillic, and one whose nation
    is not known."""
    kor, rus = Nation.objects.get(code="KOR"), Nation.objects.get(code="RUS")
    return [
        Athlete.objects.create(name="곽윤기", slug="gwag-yun-gi", nation=kor),
        Athlete.objects.create(name="Семён Елистратов", slug="semen-elistratov", nation=rus),
        Athlete.objects.create(name="Ahn Unknown", slug="ahn-unknown"),
    ]


def test_sort_key_orders_names_by_their_romanisation():
    names = ["Zoe Ward", "곽윤기", "Élodie Testaz", "Ada Lee", "Семён Елистратов", "eva Berg"]
    assert sorted(names, key=sort_key) == [
        "Ada Lee",
        "Élodie Testaz",
        "eva Berg",
        "곽윤기",  # Gwag Yun Gi
        "Семён Елистратов",  # Semen Elistratov
        "Zoe Ward",
    ]


@pytest.mark.parametrize(
    ("name", "letter"),
    [("Élodie Testaz", "e"), ("곽윤기", "g"), ("武大靖", "w"), ("Ødegaard", "o"), ("3M", "other")],
)
def test_letter_of_a_name_in_any_script(name, letter):
    assert letter_of(name) == letter


def test_athlete_index_counts_every_letter_and_nation(client, any_script_athletes):
    response = client.get("/athletes/")
    index = response.context["index"]

    assert index.total == 5
    counts = {entry.letter: entry.count for entry in index.letters}
    assert {letter: count for letter, count in counts.items() if count} == {
        "a": 1,
        "e": 2,
        "g": 1,
        "s": 1,
    }
    assert [(group.nation and group.nation.code, group.count) for group in index.nations] == [
        ("CAN", 1),
        ("NED", 1),
        ("RUS", 1),
        ("KOR", 1),  # South Korea: nations by name
        (None, 1),
    ]
    page = response.content.decode()
    for path in [
        "/athletes/by-name/g/",
        "/athletes/by-nation/kor/",
        "/athletes/by-nation/unknown/",
    ]:
        assert f'href="{path}"' in page
    # Nobody under Q: the letter is shown, not linked.
    assert 'href="/athletes/by-name/q/"' not in page


def test_small_archive_lists_every_athlete_on_the_index(client, any_script_athletes):
    page = client.get("/athletes/").content.decode()
    for athlete in Athlete.objects.all():
        assert f'href="{athlete.get_absolute_url()}"' in page


def test_large_archive_lists_letters_and_nations_only(client, any_script_athletes, monkeypatch):
    monkeypatch.setattr(athlete_index, "LISTED_IN_FULL", 4)
    response = client.get("/athletes/")

    assert response.context["listed"] == []
    assert 'href="/athletes/gwag-yun-gi/"' not in response.content.decode()
    assert 'href="/athletes/by-name/g/"' in response.content.decode()


def test_letter_page_lists_the_names_filed_under_it(client, any_script_athletes):
    response = client.get("/athletes/by-name/e/")
    assert [athlete.slug for athlete in response.context["athletes"]] == [
        "elodie-testaz",
        "elodie-testaz-ned",
    ]
    hangul = client.get("/athletes/by-name/g/")
    assert [athlete.name for athlete in hangul.context["athletes"]] == ["곽윤기"]
    assert "<h1>Athletes: G</h1>" in hangul.content.decode()


def test_letter_page_shows_seasons_and_podiums(client, any_script_athletes):
    row = client.get("/athletes/by-name/e/").content.decode()
    row = row.split('href="/athletes/elodie-testaz/"', 1)[1].split("</tr>", 1)[0]
    assert "2011–12 to 2012–13" in row
    assert '<td class="num" data-label="Podiums">2</td>' in row


def test_letter_page_of_nobody_says_so(client, any_script_athletes):
    response = client.get("/athletes/by-name/q/")
    assert response.status_code == 200
    assert "No athlete is filed under this letter." in response.content.decode()


@pytest.mark.parametrize("letter", ["1", "aa", "ä", "A"])
def test_letter_page_of_no_letter_is_404(client, archive, letter):
    assert client.get(f"/athletes/by-name/{letter}/").status_code == 404


def test_nation_page_of_the_index_lists_its_athletes(client, any_script_athletes):
    response = client.get("/athletes/by-nation/kor/")
    assert [athlete.name for athlete in response.context["athletes"]] == ["곽윤기"]
    unknown = client.get("/athletes/by-nation/unknown/")
    assert [athlete.name for athlete in unknown.context["athletes"]] == ["Ahn Unknown"]
    assert "not known" in unknown.content.decode()


def test_nation_page_of_the_index_answers_in_lowercase(client, archive):
    response = client.get("/athletes/by-nation/KOR/")
    assert (response.status_code, response["Location"]) == (301, "/athletes/by-nation/kor/")
    assert client.get("/athletes/by-nation/xyz/").status_code == 404


@pytest.mark.parametrize("path", ["/athletes/", "/athletes/by-name/e/", "/athletes/by-nation/can/"])
def test_index_pages_cost_the_same_queries_for_any_number_of_athletes(
    client, any_script_athletes, path
):
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    can = Nation.objects.get(code="CAN")
    Athlete.objects.bulk_create(
        Athlete(name=f"Extra Skater {number}", slug=f"extra-{number}", nation=can)
        for number in range(40)
    )
    with CaptureQueriesContext(connection) as many:
        client.get(path)
    assert len(many) == len(few) <= 4


# The career


def test_athlete_page_shows_the_career_season_by_season(client, skaters):
    response = client.get("/athletes/elodie-testaz/")
    career = response.context["career"]

    assert [
        (row.season.slug, row.medals.gold, row.medals.silver, row.medals.bronze)
        for row in career.seasons
    ] == [("2011-12", 1, 0, 0), ("2012-13", 0, 0, 1)]
    assert [entry.table.anchor for entry in career.seasons[0].standings] == ["women-1500m"]
    assert career.medals.total == 2
    table = response.content.decode().split('id="career"', 1)[1].split("</table>", 1)[0]
    assert '<a href="/seasons/2011-12/standings/women-1500m/">1. Women&#x27;s 1500 m</a>' in table


def test_athlete_page_names_the_first_and_last_world_cup(client, skaters):
    response = client.get("/athletes/elodie-testaz/")
    career = response.context["career"]

    assert (career.first_meet.slug, career.last_meet.slug) == ("saguenay", "calgary")
    page = response.content.decode()
    assert '<a href="/seasons/2011-12/saguenay/">Saguenay 2011–12</a>' in page
    assert '<a href="/seasons/2012-13/calgary/">Calgary 2012–13</a>' in page


def test_athlete_page_lists_the_nations_skated_for_with_their_seasons(client, skaters):
    """Victor An skated for KOR, later for RUS: each result keeps the nation of the day."""
    kor, rus = Nation.objects.get(code="KOR"), Nation.objects.get(code="RUS")
    an = Athlete.objects.create(name="Victor An", slug="victor-an", nation=rus)
    Result.objects.create(
        race=race("2011-12", "moscow", "men-500m"), place=1, athlete=an, nation=kor
    )
    Result.objects.create(
        race=race("2012-13", "calgary", "men-500m"), place=2, athlete=an, nation=rus
    )

    response = client.get("/athletes/victor-an/")

    assert [
        (spell.nation.code, [season.slug for season in spell.seasons])
        for spell in response.context["career"].nations
    ] == [("KOR", ["2011-12"]), ("RUS", ["2012-13"])]
    skated_for = response.content.decode().split("<dt>Skated for</dt>", 1)[1].split("</dd>")[0]
    assert skated_for.index("KOR") < skated_for.index("RUS")


def test_athlete_without_results_shows_unknowns(client, archive):
    Athlete.objects.create(name="Nobody Yet", slug="nobody-yet")

    response = client.get("/athletes/nobody-yet/")

    page = response.content.decode()
    facts = page.split('class="infobox"', 1)[1].split("</aside>", 1)[0]
    for label in ["Nation", "Skated for", "First World Cup", "Last World Cup"]:
        fact = facts.split(f"<dt>{label}</dt>", 1)[1].split("</dd>", 1)[0]
        assert 'class="unknown"' in fact, label
    assert "None" not in page
    assert not re.search(r"<td[^>]*>\s*</td>", page)


def test_athlete_page_leaves_a_place_for_other_names_under_the_heading():
    """Another part of #13 adds the native-script name and aliases there."""
    template = get_template("seasons/athlete_detail.html").template
    assert "athlete_names" in [node.name for node in template.nodelist.get_nodes_by_type(BlockNode)]


def test_athlete_json_carries_the_career(client, skaters):
    document = client.get("/athletes/elodie-testaz.json").json()

    career = document["career"]
    assert career["medals"]["all_time"] == {"gold": 1, "silver": 0, "bronze": 1, "total": 2}
    assert [row["season"]["slug"] for row in career["medals"]["seasons"]] == ["2012-13", "2011-12"]
    assert [spell["nation"]["code"] for spell in career["nations"]] == ["CAN"]
    assert career["first_world_cup"]["url"] == "/seasons/2011-12/saguenay/"
    assert career["last_world_cup"]["url"] == "/seasons/2012-13/calgary/"


def test_nation_page_leads_to_its_athletes_in_the_index(client, skaters):
    page = client.get("/nations/can/").content.decode()
    assert 'href="/athletes/by-nation/can/"' in page
