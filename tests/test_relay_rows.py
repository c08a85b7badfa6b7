"""Relay rows name nations, never athletes: a relay cell or standings row written as a code, a
code in small letters or a nation's name is that nation; what names no nation is flagged for
editors, and no athlete is ever created for it."""

import pytest

from seasons.importing.parser import read_source
from seasons.importing.writer import import_seasons
from seasons.models import Athlete, Flag, FlagKind, Race, StandingsEntry

pytestmark = pytest.mark.django_db

SEASON = """\
= 2019–20 ISU Short Track Speed Skating World Cup =

The season began on 2 November 2019 and ended on 3 November 2019.

== Calendar ==

=== Men ===

==== Salt Lake City ====
| Date | Distance | Winner | Second | Third |
| 2 November 2019 | 500m | Wu Dajing (CHN) | kor | |
| 3 November 2019 | 5000m relay | South Korea | can | Team Hamelin |

=== Women ===

==== Salt Lake City ====
| Date | Distance | Winner | Second | Third |
| 3 November 2019 | 3000m relay | Netherlands | Great Britain (GBR) | Italy (NED) |

==World Cup standings==
===Men's 5000 metre relay===
After 1 of 6 events
| Pos | Athlete | Points |
| 1. | South Korea | 1000 |
| 2. | CAN | 800 |
| 3. | People's Republic of China | 640 |
| 4. | Hamelin brothers | 512 |
"""


@pytest.fixture
def imported(write_source):
    path = write_source(SEASON, "2019-20.txt")
    import_seasons([read_source(path)])
    return path


def podium(gender, distance):
    race = Race.objects.with_podium().get(gender=gender, distance=distance)
    return [[r.nation.code for r in results] for _, results in race.podium]


def test_relay_rows_never_create_athletes(imported):
    assert list(Athlete.objects.values_list("name", flat=True)) == ["Wu Dajing"]
    assert not Race.objects.get(distance=5000).results.filter(athlete__isnull=False).exists()
    assert not StandingsEntry.objects.filter(athlete__isnull=False).exists()


def test_relay_cells_naming_a_nation_by_name_or_small_code_are_that_nation(imported):
    # "Team Hamelin" names no nation: the place stays unknown (and is flagged).
    assert podium("men", 5000) == [["KOR"], ["CAN"], []]
    assert podium("women", 3000) == [["NED"], ["GBR"], ["NED"]]


def test_relay_standings_rows_naming_a_nation_by_name_are_that_nation(imported):
    rows = StandingsEntry.objects.order_by("row")
    assert [row.nation and row.nation.code for row in rows] == ["KOR", "CAN", "CHN", None]


def test_relay_cells_that_name_no_nation_are_flagged_with_their_line(imported):
    flags = Flag.objects.filter(kind=FlagKind.CELL_DOUBTFUL).order_by("line")
    lines = read_source(imported).text.splitlines()
    messages = {lines[flag.line - 1].split("|")[2].strip(): flag.message for flag in flags}
    # Read by the parser (seasons/importing/competitors.py), flagged with the cell as written.
    assert "relay cell 'Team Hamelin' names no nation: not imported" in messages["5000m relay"]
    assert "relay cell names 'Italy' beside NED" in messages["3000m relay"]  # the code is kept
    entry_flag = Flag.objects.get(entry__isnull=False)
    assert entry_flag.entry.row == 4
    assert "relay cell 'Hamelin brothers' names no nation" in entry_flag.message


def test_small_letter_code_in_an_individual_race_is_a_nation_too(imported):
    # An IOC code in small letters is read with confidence: the nation, not an athlete "kor".
    assert podium("men", 500) == [["CHN"], ["KOR"], []]
    assert not Athlete.objects.filter(name__iexact="kor").exists()


def test_relay_import_twice_keeps_the_flags_and_creates_nothing(imported):
    flags = set(Flag.objects.values_list("line", "kind", "message"))
    report = import_seasons([read_source(imported)])
    assert report.created.total() == 0
    assert report.flags_created == 0
    assert report.flags_removed == 0
    assert set(Flag.objects.values_list("line", "kind", "message")) == flags
