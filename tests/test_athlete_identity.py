"""One athlete per person, in any script (issue #13): the importer finds a skater however a
source writes the name (with or without a nation, surname first, ISU capitals, accents), keeps
two people of one name and different nations apart, keeps each result's nation of the day, and
never undoes an editor's correction of an athlete."""

import pytest

from seasons.importing.parser import read_source
from seasons.importing.records import Competitor, ParsedResult
from seasons.importing.writer import import_seasons
from seasons.models import Athlete, AthleteAlias, Flag, FlagKind, Nation, Result, StandingsEntry
from tests.helpers import form_fields, make_correction, save

pytestmark = pytest.mark.django_db

# Test data in the bundled format: real skaters' names, invented podiums.
SEASON_ONE = """\
= 2019–20 ISU Short Track Speed Skating World Cup =

The season began on 2 November 2019 and ended on 3 November 2019.

== Calendar ==

=== Men ===

==== Salt Lake City ====
| Date | Distance | Winner | Second | Third |
| 2 November 2019 | 500m | Wu Dajing (CHN) | Simon Cho | Sjinkie Knegt (NED) |
| 3 November 2019 | 1000m | Park Se-yeong (KOR) | Charles Hamelin (CAN) | Simon Cho (USA) |

=== Women ===

==== Salt Lake City ====
| Date | Distance | Winner | Second | Third |
| 2 November 2019 | 500m | Marianne St-Gelais (CAN) | Jane Doe (CAN) | Jane Doe (NED) |
| 3 November 2019 | 1000m | Elise Christie (GBR) | Shim Suk-hee (KOR) | Arianna Fontana (ITA) |

==World Cup standings==
===Men's 500 metres===
After 1 of 6 events
| Pos | Athlete | Points |
| 1. | Wu Dajing (CHN) | 1000 |
| 2. | Simon Cho (USA) | 800 |
| 3. | Sjinkie Knegt (NED) | 640 |
"""

# The same skaters a season later, written as other editors write them.
SEASON_TWO = """\
= 2020–21 ISU Short Track Speed Skating World Cup =

The season began on 7 November 2020 and ended on 8 November 2020.

== Calendar ==

=== Men ===

==== Dordrecht ====
| Date | Distance | Winner | Second | Third |
| 7 November 2020 | 500m | WU Dajing (CHN) | Cho Simon (USA) | Knegt, Sjinkie (NED) |
| 8 November 2020 | 1000m | PARK Se-yeong (KOR) | Charles Hamelin | Simon Cho |

=== Women ===

==== Dordrecht ====
| Date | Distance | Winner | Second | Third |
| 7 November 2020 | 500m | Marianne St Gelais (CAN) | Jane Doe (NED) | Arianna Fontana |
| 8 November 2020 | 1000m | Élise Christie (GBR) | SHIM Suk-hee | Fontana Arianna (ITA) |

==World Cup standings==
===Men's 1000 metres===
After 1 of 6 events
| Pos | Athlete | Points |
| 1. | Se-yeong Park (KOR) | 1000 |
| 2. | HAMELIN Charles (CAN) | 800 |
"""

PEOPLE = {
    ("Wu Dajing", "CHN"),
    ("Simon Cho", "USA"),
    ("Sjinkie Knegt", "NED"),
    ("Park Se-yeong", "KOR"),
    ("Charles Hamelin", "CAN"),
    ("Marianne St-Gelais", "CAN"),
    ("Jane Doe", "CAN"),
    ("Jane Doe", "NED"),
    ("Elise Christie", "GBR"),
    ("Shim Suk-hee", "KOR"),
    ("Arianna Fontana", "ITA"),
}


def athletes():
    return {(a.name, a.nation.code if a.nation else None) for a in Athlete.objects.all()}


@pytest.fixture
def seasons(write_source):
    return write_source(SEASON_ONE, "2019-20.txt"), write_source(SEASON_TWO, "2020-21.txt")


def run(*paths):
    return import_seasons([read_source(path) for path in paths])


def test_import_athletes_created_are_the_people_named(seasons):
    one, two = seasons

    first = run(one)
    again = run(one)
    assert athletes() == PEOPLE
    assert first.created["athletes"] == len(PEOPLE)
    assert again.created.total() == 0
    assert again.updated.total() == 0

    later = run(two)
    assert athletes() == PEOPLE
    assert later.created["athletes"] == 0
    assert run(two).created.total() == 0


def test_import_name_without_nation_joins_the_one_athlete_of_that_name(seasons):
    one, two = seasons
    run(one, two)
    cho = Athlete.objects.get(name="Simon Cho")
    # Named first without a nation (second in the 500 m), then with one: one athlete, who has it.
    assert cho.nation.code == "USA"
    assert cho.results.count() == 4
    assert cho.standings.count() == 1
    hamelin = Athlete.objects.get(name="Charles Hamelin")
    assert [
        (r.race.meet.season.slug, r.nation and r.nation.code) for r in hamelin.results.all()
    ] == [
        ("2019-20", "CAN"),
        ("2020-21", None),  # as the source has it: the nation counted is the athlete's
    ]


def test_import_same_name_in_two_nations_stays_two_athletes(seasons):
    one, two = seasons
    run(one, two)
    does = Athlete.objects.filter(name="Jane Doe").select_related("nation")
    assert sorted(athlete.nation.code for athlete in does) == ["CAN", "NED"]
    dutch = does.get(nation__code="NED")
    assert dutch.results.count() == 2  # third in 2019–20, second in 2020–21


def test_import_learns_the_other_written_forms_as_aliases(seasons):
    one, two = seasons
    run(one, two)
    aliases = {
        (alias.athlete.name, alias.name) for alias in AthleteAlias.objects.select_related("athlete")
    }
    assert {
        ("Park Se-yeong", "PARK Se-yeong"),
        ("Park Se-yeong", "Se-yeong Park"),
        ("Simon Cho", "Cho Simon"),
        ("Shim Suk-hee", "SHIM Suk-hee"),
        ("Elise Christie", "Élise Christie"),
        ("Sjinkie Knegt", "Knegt, Sjinkie"),
    } <= aliases
    assert all(alias.source.name == "2020-21.txt" for alias in AthleteAlias.objects.all())


def test_import_finds_an_athlete_by_an_alias_an_editor_gave(seasons, editor):
    """An editor's alias links a name the key cannot (another romanisation), whatever nation."""
    one, two = seasons
    run(one)
    hamelin = Athlete.objects.get(name="Charles Hamelin")
    AthleteAlias.objects.create(athlete=hamelin, name="Charlie Hamelin")
    text = SEASON_TWO.replace("| Charles Hamelin |", "| Charlie Hamelin (USA) |")
    two.write_text(text, encoding="utf-8")

    report = run(two)

    assert report.created["athletes"] == 0
    won = Result.objects.get(
        race__meet__season__slug="2020-21", race__gender="men", race__distance=1000, place=2
    )
    assert won.athlete == hamelin
    assert won.nation.code == "USA"  # the nation of the day, whatever the athlete's


def test_import_keeps_the_nation_of_the_day(write_source):
    """Victor An raced for KOR, then for RUS: once an editor has merged the two, each season's
    results keep their nation and a re-import of either finds the one athlete."""
    korea = write_source(SEASON_ONE.replace("Park Se-yeong (KOR)", "Ahn Hyun-soo (KOR)"), "a.txt")
    russia = write_source(SEASON_TWO.replace("PARK Se-yeong (KOR)", "Victor An (RUS)"), "b.txt")
    run(korea, russia)
    ahn, an = Athlete.objects.get(name="Ahn Hyun-soo"), Athlete.objects.get(name="Victor An")
    from django.contrib.auth import get_user_model

    from seasons.merging import merge_athletes

    user = get_user_model().objects.create_user("merger")
    merge_athletes(an, ahn, user=user, reason="one skater: changed nation in 2011")

    report = run(korea, russia)

    assert report.created["athletes"] == 0
    wins = Result.objects.filter(athlete=an, place=1, race__gender="men", race__distance=1000)
    assert sorted(win.nation.code for win in wins) == ["KOR", "RUS"]


def test_import_name_without_nation_shared_by_two_is_flagged(seasons):
    one, two = seasons
    run(one)
    text = SEASON_TWO.replace("| Jane Doe (NED) |", "| Jane Doe |")
    two.write_text(text, encoding="utf-8")

    run(two)
    run(two)  # and again: the same nation-less athlete, the same flag

    does = Athlete.objects.filter(name="Jane Doe")
    assert sorted(str(athlete.nation) for athlete in does) == ["CAN", "NED", "None"]
    flag = Flag.objects.get(source__name="2020-21.txt", kind=FlagKind.CELL_DOUBTFUL)
    assert "“Jane Doe” gives no nation, and 2 other athletes have that name" in flag.message
    assert flag.race.distance == 500


def test_import_does_not_undo_an_editors_rename_or_new_nation(seasons, editor):
    one, _ = seasons
    run(one)
    park = Athlete.objects.get(name="Park Se-yeong")
    make_correction(park, editor, name="Park Se-young", nation=Nation.objects.get(code="USA"))

    report = run(one)

    park.refresh_from_db()
    assert (park.name, park.nation.code) == ("Park Se-young", "USA")
    assert report.created.total() == 0
    assert Result.objects.get(race__distance=1000, place=1, race__gender="men").athlete == park


def test_import_finds_an_athlete_renamed_in_admin_by_another_form_of_the_old_name(
    seasons, editor_client
):
    one, two = seasons
    run(one)
    park = Athlete.objects.get(name="Park Se-yeong")
    response = editor_client.get(f"/admin/seasons/athlete/{park.pk}/change/")
    data = form_fields(response, "athlete_form")
    data["name"] = "Pak Se-yeong"
    assert save(editor_client, park, data).status_code == 302

    report = run(two)  # writes "PARK Se-yeong" and "Se-yeong Park"

    assert report.created["athletes"] == 0
    park.refresh_from_db()
    assert park.name == "Pak Se-yeong"
    assert park.results.count() == 2
    assert park.aliases.filter(name="Park Se-yeong", source=None).exists()


def test_import_fills_a_blank_nation_but_never_an_editors(seasons, editor):
    one, two = seasons
    text = SEASON_ONE.replace("| Simon Cho (USA) |", "| Simon Cho |")
    one.write_text(text.replace("| 2. | Simon Cho |", "| 2. | Simon Cho |"), encoding="utf-8")
    run(one)
    cho = Athlete.objects.get(name="Simon Cho")
    assert cho.nation is None
    make_correction(cho, editor, name="Simon Cho")  # an editor saved it, nation left blank

    run(two)

    cho.refresh_from_db()
    assert cho.nation is None
    assert Athlete.objects.filter(name="Simon Cho").count() == 1


def writer_season(write_source, *results):
    """SEASON_ONE parsed, with the men's 500 m podium replaced by ``results``: the writer's
    input as a parser that reads more of a cell gives it (aliases, native names, dead heats)."""
    parsed = read_source(write_source(SEASON_ONE, "2019-20.txt"))
    race = parsed.meets[0].races[0]
    race.results = [ParsedResult(race.line, place, who, time) for place, who, time in results]
    return parsed


def test_import_keeps_a_native_name_and_finds_the_athlete_by_it(write_source):
    kwak = Competitor("Kwak Yoon-gy", "KOR", aliases=("KWAK Yoon-gy",), native="곽윤기")
    import_seasons([writer_season(write_source, (1, kwak, ""))])
    athlete = Athlete.objects.get(name="Kwak Yoon-gy")
    assert athlete.native_name == "곽윤기"
    assert list(athlete.aliases.values_list("name", flat=True)) == ["KWAK Yoon-gy"]

    report = import_seasons([writer_season(write_source, (1, Competitor("곽윤기", "KOR"), ""))])

    assert report.created["athletes"] == 0
    assert Result.objects.get(race__distance=500, race__gender="men", place=1).athlete == athlete
    assert athlete.slug == "kwak-yoon-gy"


def test_import_names_in_hangul_only_get_a_readable_slug(write_source):
    import_seasons([writer_season(write_source, (1, Competitor("곽윤기", "KOR"), ""))])
    athlete = Athlete.objects.get(name="곽윤기")
    assert athlete.slug == "gwag-yun-gi"
    assert athlete.native_name == ""  # the name is already in its own script


def test_import_standings_rows_find_the_podiums_athletes(seasons):
    one, _ = seasons
    run(one)
    for entry in StandingsEntry.objects.select_related("athlete"):
        assert entry.athlete.results.exists(), entry
