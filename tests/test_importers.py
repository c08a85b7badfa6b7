"""The season-article parser: every item of the format and every kind of bad input.

No database: the parser is pure."""

from datetime import date

import pytest

from seasons.importing.parser import parse_source, read_source
from seasons.importing.records import Competitor, SourceError, Target
from seasons.models import Distance, FlagKind, Gender
from tests.helpers import MIXED_SEASON, SEASON_2011, SEASON_2012

# A small season in the same format, written the way future seasons may come: three meets, no
# doubled distances, athlete names in podium cells, and no standings section yet.
SMALL_SEASON = """\
= 2014–15 ISU Short Track Speed Skating World Cup =

Infobox
- Event: ISU Short Track World Cup
- Dates: 2014–15

The season began on 8 November 2014 and ended on 15 February 2015.

== Calendar ==

=== Men ===

==== Montreal ====
| Date | Place | Distance | Winner | Second | Third | Reference |
| 8 November 2014 | Maurice Richard Arena | 500m | Charles Hamelin | Sjinkie Knegt (NED) | KOR | |
| 9 November 2014 | Maurice Richard Arena | 5000m relay | CAN | NED | | |

==== Seoul ====
| Date | Place | Distance | Winner | Second | Third | Reference |
| 20 December 2014 | Mokdong Ice Rink | 500m | | | | |

==== Dresden ====
| Date | Place | Distance | Winner | Second | Third | Reference |
| 15 February 2015 | EnergieVerbund Arena | 500m | Charles Hamelin (CAN) WR | | | |

=== Women ===

==== Montreal ====
| Date | Place | Distance | Winner | Second | Third | Reference |
| 8 November 2014 | Maurice Richard Arena | 500m | | | | |
"""


def parse(text, name="season.txt"):
    return parse_source(text.encode("utf-8"), name)


@pytest.fixture(scope="module")
def season_2011():
    return read_source(SEASON_2011)


@pytest.fixture(scope="module")
def season_2012():
    return read_source(SEASON_2012)


def race(season, meet_slug, gender, distance, number=None):
    meet = next(meet for meet in season.meets if meet.slug == meet_slug)
    return next(r for r in meet.races if r.key == (gender, distance, number))


def table(season, gender, distance):
    return next(t for t in season.standings if t.key == (gender, distance))


def anomalies(season, kind):
    return [anomaly for anomaly in season.anomalies if anomaly.kind == kind]


# -- the title, infobox and intro ----------------------------------------------------------------


def test_parse_title_gives_title_and_slug(season_2011):
    assert season_2011.title == "2011–12 ISU Short Track Speed Skating World Cup"
    assert season_2011.slug == "2011-12"
    assert season_2011.title_line == 1


def test_parse_infobox_keeps_every_fact_in_order(season_2011):
    assert season_2011.infobox == [
        ["Event", "ISU Short Track World Cup"],
        ["Dates", "2011–2012"],
        ["Prev", "2010–11 World Cup"],
        ["Next", "2012–13 World Cup"],
    ]


def test_parse_intro_gives_stated_start_and_end(season_2011):
    assert season_2011.start == date(2011, 10, 22)
    assert season_2011.end == date(2012, 2, 12)
    assert season_2011.intro.startswith("The 2011–12 ISU Short Track")
    assert season_2011.intro_line == 9


def test_parse_intro_without_dates_leaves_them_unknown():
    season = parse(SMALL_SEASON.replace("The season began on 8 November 2014 and ended", "It"))
    assert season.start is None
    assert season.end is None


# -- the calendar --------------------------------------------------------------------------------


def test_parse_headings_with_uneven_spacing_name_the_meets(season_2011):
    # "====Saguenay ====" and "==== Nagoya====" in the women's section are the same meets.
    assert [meet.city for meet in season_2011.meets] == [
        "Salt Lake City",
        "Saguenay",
        "Nagoya",
        "Shanghai",
        "Moscow",
        "Dordrecht",
    ]
    assert [meet.order for meet in season_2011.meets] == [1, 2, 3, 4, 5, 6]
    assert all(len(meet.races) == 10 for meet in season_2011.meets)


def test_parse_gender_sections_split_men_and_women(season_2012):
    # "===Women===" has no spaces inside.
    genders = [r.gender for meet in season_2012.meets for r in meet.races]
    assert genders.count(Gender.MEN) == 30
    assert genders.count(Gender.WOMEN) == 30


def test_parse_meet_slug_comes_from_the_city(season_2011):
    assert [meet.slug for meet in season_2011.meets][:2] == ["salt-lake-city", "saguenay"]


def test_parse_doubled_distance_gives_race_numbers(season_2011):
    first = race(season_2011, "saguenay", Gender.MEN, 500, 1)
    second = race(season_2011, "saguenay", Gender.MEN, 500, 2)
    assert (first.date, second.date) == (date(2011, 10, 29), date(2011, 10, 30))
    assert race(season_2011, "salt-lake-city", Gender.MEN, 500).number is None


def test_parse_relays_by_gender(season_2011):
    men = race(season_2011, "nagoya", Gender.MEN, Distance.RELAY_5000)
    women = race(season_2011, "nagoya", Gender.WOMEN, Distance.RELAY_3000)
    assert [r.competitor.nation for r in men.results] == ["CHN", "RUS", "JPN"]
    assert [r.competitor.nation for r in women.results] == ["ITA", "JPN", "CHN"]


def test_parse_blank_place_cells_leave_the_arena_unknown(season_2011):
    shanghai = next(meet for meet in season_2011.meets if meet.city == "Shanghai")
    nagoya = next(meet for meet in season_2011.meets if meet.city == "Nagoya")
    assert shanghai.arena == ""
    assert nagoya.arena == "Nippon Gaishi Hall"


def test_parse_blank_podium_cells_give_no_result(season_2011):
    # "| CAN | | KOR |": second place is not in the source.
    relay = race(season_2011, "salt-lake-city", Gender.MEN, Distance.RELAY_5000)
    assert [(r.place, r.competitor) for r in relay.results] == [
        (1, Competitor(nation="CAN")),
        (3, Competitor(nation="KOR")),
    ]
    assert race(season_2011, "salt-lake-city", Gender.MEN, 500).results == []


def test_parse_wr_is_a_record_mark_not_a_winner(season_2012):
    calgary_500 = race(season_2012, "calgary", Gender.MEN, 500)
    assert calgary_500.record == "WR"
    assert calgary_500.results == []


def test_parse_athlete_names_in_podium_cells():
    season = parse(SMALL_SEASON)
    podium = race(season, "montreal", Gender.MEN, 500).results
    assert [r.competitor for r in podium] == [
        Competitor(athlete="Charles Hamelin"),
        Competitor(athlete="Sjinkie Knegt", nation="NED"),
        Competitor(nation="KOR"),
    ]
    dresden = race(season, "dresden", Gender.MEN, 500)
    assert dresden.record == "WR"
    assert dresden.results[0].competitor == Competitor("Charles Hamelin", "CAN")


def test_parse_other_meet_counts_and_no_doubled_distances():
    season = parse(SMALL_SEASON)
    assert [meet.slug for meet in season.meets] == ["montreal", "seoul", "dresden"]
    assert all(r.number is None for r in season.races)


def test_parse_season_without_standings_section():
    season = parse(SMALL_SEASON)
    assert season.standings == []
    assert season.standings_note == ""
    assert season.counted_results is None


def test_parse_city_hosting_twice_gets_distinct_slugs():
    text = SMALL_SEASON.replace("==== Dresden ====", "==== Montreal ====")
    season = parse(text)
    assert [meet.slug for meet in season.meets] == ["montreal", "seoul", "montreal-2"]


def test_parse_venue_differing_within_a_meet_is_flagged():
    text = SMALL_SEASON.replace(
        "| 8 November 2014 | Maurice Richard Arena | 500m | | | | |",
        "| 8 November 2014 | Bell Centre | 500m | | | | |",
    )
    season = parse(text)
    (flag,) = anomalies(season, FlagKind.VENUE_DIFFERS)
    assert flag.line == 30
    assert "Bell Centre" in flag.message
    assert season.meets[0].arena == "Maurice Richard Arena"


def test_parse_meet_heading_with_dates_names_the_city():
    # The 2021–22 article heads each meet "Beijing 21–24 October 2021".
    text = SMALL_SEASON.replace("==== Montreal ====", "==== Montreal 7–9 November 2014 ====", 1)
    text = text.replace("==== Seoul ====", "==== Seoul (19 – 21 December 2014) ====")
    text = text.replace("==== Montreal ====", "==== Montreal, 31 October – 9 November 2014 ====")
    season = parse(text)
    assert [meet.city for meet in season.meets] == ["Montreal", "Seoul", "Dresden"]
    assert [meet.slug for meet in season.meets] == ["montreal", "seoul", "dresden"]
    assert len(season.meets[0].races) == 3


def test_parse_meet_heading_of_dates_only_has_no_city():
    text = SMALL_SEASON.replace("==== Seoul ====", "==== 19–21 December 2014 ====")
    with pytest.raises(SourceError, match=r"^season.txt:18: meet heading .* names no city"):
        parse(text)


def test_parse_same_city_spelt_differently_is_one_meet():
    # A non-breaking space or an accent does not make another stop; the first spelling is kept.
    text = SMALL_SEASON.replace("==== Montreal ====", "==== Montréal ====", 1)
    text = text.replace("==== Montreal ====", "==== Montreal\u00a0 ====")
    season = parse(text)
    assert [meet.slug for meet in season.meets] == ["montreal", "seoul", "dresden"]
    assert season.meets[0].city == "Montréal"
    assert len(season.meets[0].races) == 3


def test_parse_gender_headings_as_other_seasons_write_them():
    text = SMALL_SEASON.replace("=== Men ===", "=== Men's events ===").replace(
        "=== Women ===", "=== Ladies ==="
    )
    season = parse(text)
    genders = [r.gender for r in season.races]
    assert (genders.count(Gender.MEN), genders.count(Gender.WOMEN)) == (4, 1)


def test_parse_calendar_section_named_otherwise():
    season = parse(SMALL_SEASON.replace("== Calendar ==", "==World Cup calendar=="))
    assert len(season.meets) == 3
    assert not anomalies(season, FlagKind.SECTION_SKIPPED)


@pytest.mark.parametrize(
    ("cell", "distance", "number"),
    [
        ("500 m", 500, None),
        ("1,000 m (2)", 1000, 2),
        ("1000m(1)", 1000, 1),
        ("1,500 metres", 1500, None),
        ("5,000 m relay", Distance.RELAY_5000, None),
    ],
)
def test_parse_distance_as_editors_write_it(cell, distance, number):
    text = SMALL_SEASON.replace(
        "| 20 December 2014 | Mokdong Ice Rink | 500m |",
        f"| 20 December 2014 | Mokdong Ice Rink | {cell} |",
    )
    (parsed,) = next(meet for meet in parse(text).meets if meet.slug == "seoul").races
    assert (parsed.distance, parsed.number) == (distance, number)


@pytest.mark.parametrize(
    "cell",
    [
        "20 December 2014",
        "20 Dec 2014",
        "20 Dec. 2014",
        "December 20, 2014",
        "Dec. 20, 2014",
        "20\u00a0December\u00a02014",
        "2014-12-20",
        "20 December 2014[3]",
    ],
)
def test_parse_race_date_as_editors_write_it(cell):
    text = SMALL_SEASON.replace("| 20 December 2014 |", f"| {cell} |")
    assert race(parse(text), "seoul", Gender.MEN, 500).date == date(2014, 12, 20)


def test_parse_sept_abbreviation():
    text = SMALL_SEASON.replace("| 20 December 2014 |", "| 27 Sept. 2014 |")
    assert race(parse(text), "seoul", Gender.MEN, 500).date == date(2014, 9, 27)


def test_parse_intro_dates_month_first():
    text = SMALL_SEASON.replace(
        "The season began on 8 November 2014 and ended on 15 February 2015.",
        "The season started on November 8, 2014 and ended on February 15, 2015.",
    )
    season = parse(text)
    assert (season.start, season.end) == (date(2014, 11, 8), date(2015, 2, 15))


def test_parse_footnote_marks_are_not_part_of_a_cell():
    text = SMALL_SEASON.replace(
        "| 9 November 2014 | Maurice Richard Arena | 5000m relay | CAN | NED | | |",
        "| 9 November 2014[1] | Maurice Richard Arena | 5000m relay | CAN[a] | "
        'NED<ref>ISU | results</ref> | | <ref name="isu"/> |',
    )
    relay = race(parse(text), "montreal", Gender.MEN, Distance.RELAY_5000)
    assert relay.date == date(2014, 11, 9)
    assert [r.competitor for r in relay.results] == [
        Competitor(nation="CAN"),
        Competitor(nation="NED"),
    ]


def test_parse_record_mark_in_parentheses():
    text = SMALL_SEASON.replace("Charles Hamelin (CAN) WR", "Charles Hamelin (CAN) (WR)")
    dresden = race(parse(text), "dresden", Gender.MEN, 500)
    assert dresden.record == "WR"
    assert dresden.results[0].competitor == Competitor("Charles Hamelin", "CAN")


def test_parse_header_names_with_a_full_stop():
    text = SMALL_SEASON.replace(
        "| Date | Place | Distance | Winner | Second | Third | Reference |",
        "| Date | Venue | Event | Gold | Silver | Bronze | Ref. |",
    )
    assert len(parse(text).races) == 5


def test_parse_blank_line_inside_a_table_keeps_the_table():
    text = SMALL_SEASON.replace(
        "| 9 November 2014 | Maurice Richard Arena | 5000m relay",
        "\n| 9 November 2014 | Maurice Richard Arena | 5000m relay",
    )
    season = parse(text)
    assert len(season.meets[0].races) == 3


def test_parse_mixed_relay_under_men_is_mixed():
    text = SMALL_SEASON.replace(
        "| 9 November 2014 | Maurice Richard Arena | 5000m relay | CAN | NED | | |",
        "| 9 November 2014 | Maurice Richard Arena | 2000m mixed relay | CAN | NED | | |",
    )
    relay = race(parse(text), "montreal", Gender.MIXED, Distance.MIXED_RELAY_2000)
    assert [r.competitor.nation for r in relay.results] == ["CAN", "NED"]


# -- standings -------------------------------------------------------------------------------------


def test_parse_standings_note_gives_counted_results(season_2011):
    assert season_2011.standings_note.startswith("Standings are calculated on the best 6 out of 8")
    assert (season_2011.counted_results, season_2011.counted_of) == (6, 8)


def test_parse_standings_tables_with_after_line(season_2011):
    women_500 = table(season_2011, Gender.WOMEN, 500)
    assert (women_500.events_held, women_500.events_total) == (8, 8)
    assert [entry.points for entry in women_500.entries] == [4800, 3942, 3930, 3690, 3312]
    relay = table(season_2011, Gender.MEN, Distance.RELAY_5000)
    assert (relay.events_held, relay.events_total) == (6, 6)
    assert len(season_2011.standings) == 8


def test_parse_first_table_without_heading_is_inferred(season_2011):
    first = season_2011.standings[0]
    assert first.key == (Gender.MEN, 500)
    assert first.heading_inferred is True
    assert (first.events_held, first.events_total) == (None, None)
    (flag,) = anomalies(season_2011, FlagKind.HEADING_INFERRED)
    assert flag.line == 115
    assert "Men's 500 m" in flag.message
    assert not any(t.heading_inferred for t in season_2011.standings[1:])


def test_parse_positions_kept_as_published(season_2011):
    men_500 = table(season_2011, Gender.MEN, 500)
    assert [entry.position for entry in men_500.entries] == [1, 2, 3, 5, 4]
    relay = table(season_2011, Gender.MEN, Distance.RELAY_5000)
    assert [entry.position for entry in relay.entries] == [1, 2, 3, 3, 5]
    assert [entry.row for entry in relay.entries] == [1, 2, 3, 4, 5]


def test_parse_standings_competitors(season_2011):
    relay = table(season_2011, Gender.WOMEN, Distance.RELAY_3000)
    assert [entry.competitor for entry in relay.entries] == [
        Competitor(nation="CHN"),
        Competitor(),
        Competitor(nation="JPN"),
        Competitor(nation="ITA"),
        Competitor(nation="CAN"),
    ]


def test_parse_leftover_table_markup_is_ignored(season_2011):
    # "|", "|-" and "|}" lines close tables and add no rows.
    assert all(len(t.entries) == 5 for t in season_2011.standings)


def test_parse_see_also(season_2011):
    assert season_2011.see_also == [
        "2012 World Short Track Speed Skating Championships",
        "2012 European Short Track Speed Skating Championships",
    ]


STANDINGS = """
== World Cup standings ==
- Note – Standings are calculated on the best 2 out of 3 results
=== Men's 500 metres ===
After 3 of 3 events
| Pos | Athlete | Points |
| 1. | Charles Hamelin (CAN) | 2000 |
| 2. | KOR | 1600 |
"""


def standings(replacements=()):
    text = SMALL_SEASON + STANDINGS
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    return parse(text)


def test_parse_standings_name_and_nation_columns_make_one_competitor():
    season = standings(
        [
            ("| Pos | Athlete | Points |", "| Rank | Name | Nation | Pts |"),
            ("| 1. | Charles Hamelin (CAN) | 2000 |", "| 1 | Charles Hamelin | CAN | 2,000 |"),
            ("| 2. | KOR | 1600 |", "| 2 | Sjinkie Knegt | | 1,600 |"),
        ]
    )
    assert [(e.competitor, e.points) for e in table(season, Gender.MEN, 500).entries] == [
        (Competitor("Charles Hamelin", "CAN"), 2000),
        (Competitor(athlete="Sjinkie Knegt"), 1600),
    ]


def test_bad_input_standings_nation_column():
    replacements = [
        ("| Pos | Athlete | Points |", "| Pos | Athlete | Nation | Points |"),
        ("| 1. | Charles Hamelin (CAN) | 2000 |", "| 1. | Charles Hamelin | CAN | 2000 |"),
        ("| 2. | KOR | 1600 |", "| 2 | Sjinkie Knegt (NED) | CAN | 1600 |"),
    ]
    with pytest.raises(SourceError, match=r"^season.txt:38: .*names two nations, NED and CAN"):
        standings(replacements)


def test_parse_standings_nation_column_by_name():
    """A nation column may name the country: "Netherlands" is NED, as a reader reads it."""
    season = standings(
        [
            ("| Pos | Athlete | Points |", "| Pos | Athlete | Nation | Points |"),
            ("| 1. | Charles Hamelin (CAN) | 2000 |", "| 1. | Charles Hamelin | Canada | 2000 |"),
            ("| 2. | KOR | 1600 |", "| 2 | Sjinkie Knegt | the Netherlands | 1600 |"),
        ]
    )
    assert [e.competitor for e in table(season, Gender.MEN, 500).entries] == [
        Competitor("Charles Hamelin", "CAN"),
        Competitor("Sjinkie Knegt", "NED"),
    ]


@pytest.mark.parametrize(
    "header",
    [
        "| Place | Skater | Points |",
        "| # | Athlete | Pts |",
        "| Rank. | Athlete | Total |",
    ],
)
def test_parse_standings_header_as_editors_write_it(header):
    season = standings([("| Pos | Athlete | Points |", header)])
    assert [e.points for e in table(season, Gender.MEN, 500).entries] == [2000, 1600]


def test_parse_standings_nation_only_table():
    season = standings(
        [
            ("| Pos | Athlete | Points |", "| Pos | Country | Points |"),
            ("| 1. | Charles Hamelin (CAN) | 2000 |", "| 1. | CAN | 2000 |"),
        ]
    )
    assert [e.competitor for e in table(season, Gender.MEN, 500).entries] == [
        Competitor(nation="CAN"),
        Competitor(nation="KOR"),
    ]


@pytest.mark.parametrize("points", ["2,000", "2 000", "2\u00a0000", "2000[1]"])
def test_parse_points_with_thousands_separators(points):
    season = standings([("| 2000 |", f"| {points} |")])
    assert table(season, Gender.MEN, 500).entries[0].points == 2000


@pytest.mark.parametrize(
    "heading",
    [
        "===Men's 500 m===",
        "=== Men's 500 metres[2] ===",
        "=== Men's 1,000 metres ===",
        "=== Ladies' 500 metres ===",
    ],
)
def test_parse_standings_heading_as_editors_write_it(heading):
    season = standings([("=== Men's 500 metres ===", heading)])
    (parsed,) = season.standings
    assert parsed.gender in (Gender.MEN, Gender.WOMEN)
    assert parsed.heading_inferred is False


@pytest.mark.parametrize(
    "line",
    [
        "After 3 of 3 events",
        "After 3 of 3 events:",
        "After 3 out of 3 events",
        "after 3 of 3 races",
        "After 3 of 3 competitions.",
        "After 3 of 3",
        "After 3 of 3 events[1]",
    ],
)
def test_parse_after_line_as_editors_write_it(line):
    season = standings([("After 3 of 3 events", line)])
    parsed = table(season, Gender.MEN, 500)
    assert (parsed.events_held, parsed.events_total) == (3, 3)


@pytest.mark.parametrize(
    "note",
    [
        "Note: Standings are calculated on the best 2 out of 3 results",
        "* Note – Standings are calculated on the best two out of three results",
        "- Standings are calculated on the best 2 of 3 results",
    ],
)
def test_parse_standings_note_as_editors_write_it(note):
    season = standings([("- Note – Standings are calculated on the best 2 out of 3 results", note)])
    assert season.standings_note.startswith("Standings are calculated on the best")
    assert (season.counted_results, season.counted_of) == (2, 3)


def test_parse_overall_ranking_is_flagged_and_skipped():
    # From 2022–23 an overall (Crystal Globe) ranking sums the distances: the archive keeps
    # standings per distance only.
    overall = "=== Men's overall ===\n| Pos | Athlete | Points |\n| 1. | Hamelin (CAN) | 900 |\n"
    season = parse(SMALL_SEASON + STANDINGS + overall)
    assert [t.key for t in season.standings] == [(Gender.MEN, 500)]
    (flag,) = anomalies(season, FlagKind.SECTION_SKIPPED)
    assert flag.line == 39
    assert "Men's overall" in flag.message


def test_parse_see_also_nested_items():
    season = parse(SMALL_SEASON + "\n== See also ==\n* Item one\n** Item two\n")
    assert season.see_also == ["Item one", "Item two"]


# -- anomalies -----------------------------------------------------------------------------------


def test_anomaly_race_dated_outside_its_season(season_2011):
    flagged = anomalies(season_2011, FlagKind.RACE_OUTSIDE_SEASON)
    assert len(flagged) == 10
    assert {anomaly.target.meet for anomaly in flagged} == {"dordrecht"}
    assert flagged[0].line == 57
    assert "12 February 2011" in flagged[0].message


def test_anomaly_intro_dates_disagree_with_races(season_2012):
    (start,) = anomalies(season_2012, FlagKind.INTRO_START)
    (end,) = anomalies(season_2012, FlagKind.INTRO_END)
    assert start.line == end.line == 9
    assert "19 October 2012" in start.message
    assert "22 October 2012" in start.message
    assert "10 February 2013" in end.message


def test_anomaly_intro_dates_agreeing_raise_nothing():
    assert anomalies(parse(SMALL_SEASON), FlagKind.INTRO_START) == []
    assert anomalies(parse(SMALL_SEASON), FlagKind.INTRO_END) == []


def test_anomaly_position_out_of_order(season_2011):
    (flag,) = anomalies(season_2011, FlagKind.POSITION_ORDER)
    assert flag.line == 120
    assert flag.message == "position 4 is listed after position 5"


def test_anomaly_position_repeated(season_2011):
    (flag,) = anomalies(season_2011, FlagKind.POSITION_REPEATED)
    assert flag.line == 177
    assert "2968" in flag.message
    assert "2522" in flag.message


def test_anomaly_clean_season_has_only_its_real_doubts(season_2012):
    kinds = sorted(anomaly.kind for anomaly in season_2012.anomalies)
    assert kinds == [FlagKind.HEADING_INFERRED, FlagKind.INTRO_END, FlagKind.INTRO_START]


def test_anomaly_meet_missing_from_one_gender_section():
    # SMALL_SEASON's women's section lists Montreal only.
    season = parse(SMALL_SEASON)
    flags = anomalies(season, FlagKind.MEET_ONE_GENDER)
    assert [(flag.line, flag.target) for flag in flags] == [
        (18, Target(meet="seoul")),
        (22, Target(meet="dresden")),
    ]
    assert flags[0].message == (
        "Seoul is listed under Men but not under Women; the source may have left it out"
    )


def test_anomaly_meet_missing_from_the_mens_section():
    lines = SEASON_2011.read_text(encoding="utf-8").splitlines()
    # Drop the men's Moscow block (heading, header, five races, blank line).
    assert lines[46] == "==== Moscow ===="
    text = "\n".join(lines[:46] + lines[54:]) + "\n"
    (flag,) = anomalies(parse(text, "2011-12.txt"), FlagKind.MEET_ONE_GENDER)
    assert flag.target == Target(meet="moscow")
    assert flag.message.startswith("Moscow is listed under Women but not under Men;")


def test_anomaly_season_with_one_gender_section_misses_no_meet():
    men_only = SMALL_SEASON.split("=== Women ===")[0]
    assert anomalies(parse(men_only), FlagKind.MEET_ONE_GENDER) == []


def test_anomaly_meet_missing_from_the_mixed_section_is_not_in_doubt():
    # Mixed relays are not held at every stop: Calgary has none, and lists both genders.
    header = "| Date | Place | Distance | Winner | Second | Third | Reference |"
    calgary = f"==== Calgary ====\n{header}\n| 9 November 2019 | Olympic Oval | 500m | | | | |\n"
    women = (
        f"=== Women ===\n\n==== Salt Lake City ====\n{header}\n"
        "| 2 November 2019 | Utah Olympic Oval | 500m | | | | |\n\n"
    )
    text = MIXED_SEASON.replace("\n=== Mixed ===", f"\n{calgary}\n{women}{calgary}\n=== Mixed ===")
    season = parse(text)
    assert [meet.slug for meet in season.meets] == ["salt-lake-city", "calgary"]
    assert {r.gender for r in season.races} == {Gender.MEN, Gender.WOMEN, Gender.MIXED}
    assert anomalies(season, FlagKind.MEET_ONE_GENDER) == []


def test_anomaly_footnote_on_podium_cells_is_flagged_once_per_line():
    text = SMALL_SEASON.replace(
        "| 9 November 2014 | Maurice Richard Arena | 5000m relay | CAN | NED | | |",
        # The date's and the reference's marks amend no result: only the podium is quoted.
        "| 9 November 2014[1] | Maurice Richard Arena | 5000m relay | CAN[a] | "
        'NED<ref>ISU | results</ref> | | <ref name="isu"/> |',
    )
    (flag,) = anomalies(parse(text), FlagKind.FOOTNOTE_REMOVED)
    assert flag.line == 16
    assert flag.target == Target(meet="montreal", race=(Gender.MEN, Distance.RELAY_5000, None))
    assert flag.message == (
        "a footnote mark was removed from the podium cells 'CAN[a]', "
        "'NED<ref>ISU | results</ref>'; check the source's note"
    )


def test_anomaly_footnote_on_a_standings_cell_targets_the_entry():
    # Line 117 is the second row of the 2011–12 table printed without a heading.
    text = replace_line(SEASON_2011, 117, "| 2. | KOR[1] | 3240 |")
    (flag,) = anomalies(parse(text, "2011-12.txt"), FlagKind.FOOTNOTE_REMOVED)
    assert (flag.line, flag.target) == (117, Target(table=(Gender.MEN, 500), row=2))
    assert "the standings cell 'KOR[1]';" in flag.message


def test_anomaly_footnote_outside_results_is_not_in_doubt():
    # A venue, a heading, a header, an "After" line, a row's own citation: no result is amended.
    season = standings(
        [
            (
                "| 8 November 2014 | Maurice Richard Arena | 500m |",
                "| 8 November 2014 | Maurice Richard Arena[2] | 500m |",
            ),
            ("==== Seoul ====", "==== Seoul[3] ===="),
            ("=== Men's 500 metres ===", "=== Men's 500 metres[4] ==="),
            ("| Pos | Athlete | Points |", "| Pos | Athlete | Points[b] |"),
            ("After 3 of 3 events", "After 3 of 3 events[5]"),
            ("| 2. | KOR | 1600 |", "| 2. | KOR | 1600 |<ref>row note</ref>"),
        ]
    )
    assert anomalies(season, FlagKind.FOOTNOTE_REMOVED) == []
    assert [e.points for e in table(season, Gender.MEN, 500).entries] == [2000, 1600]


@pytest.mark.parametrize(
    ("heading", "start", "end"),
    [
        ("Montreal 7–9 November 2014", date(2014, 11, 7), date(2014, 11, 9)),
        ("Montreal (7 – 9 November 2014)", date(2014, 11, 7), date(2014, 11, 9)),
        ("Montreal, 31 October – 9 November 2014", date(2014, 10, 31), date(2014, 11, 9)),
        ("Montreal 31 Oct. 2014 – 9 Nov. 2014", date(2014, 10, 31), date(2014, 11, 9)),
        ("Montreal November 7–9, 2014", date(2014, 11, 7), date(2014, 11, 9)),
        ("Montreal (Oct. 31 – Nov. 9, 2014)", date(2014, 10, 31), date(2014, 11, 9)),
        ("Montreal 30 December – 2 January 2015", date(2014, 12, 30), date(2015, 1, 2)),
    ],
)
def test_parse_meet_heading_dates_give_the_meet_span(heading, start, end):
    season = parse(SMALL_SEASON.replace("==== Montreal ====", f"==== {heading} ====", 1))
    assert (season.meets[0].city, season.meets[0].start, season.meets[0].end) == (
        "Montreal",
        start,
        end,
    )


@pytest.mark.parametrize(
    "heading",
    [
        "Montreal 7–9 Novembre 2014",  # not a month the parser knows
        "Montreal 9–7 November 2014",  # ends before it begins
        "Montreal 30 November – 31 November 2014",  # no such day
        "Montreal 30 December 2014 – 2 January 2014",  # a stated year that ends before
    ],
)
def test_parse_meet_heading_dates_unread_raise_nothing(heading):
    season = parse(SMALL_SEASON.replace("==== Montreal ====", f"==== {heading} ====", 1))
    assert season.meets[0].city == "Montreal"
    assert (season.meets[0].start, season.meets[0].end) == (None, None)
    assert anomalies(season, FlagKind.RACE_OUTSIDE_MEET) == []


def test_anomaly_race_dated_outside_its_meet_heading():
    text = SMALL_SEASON.replace("==== Montreal ====", "==== Montreal 7–8 November 2014 ====", 1)
    (flag,) = anomalies(parse(text), FlagKind.RACE_OUTSIDE_MEET)
    assert flag.line == 16
    assert flag.target == Target(meet="montreal", race=(Gender.MEN, Distance.RELAY_5000, None))
    assert flag.message == (
        "race dated 9 November 2014, outside the dates its meet heading states "
        "(7 November 2014 to 8 November 2014)"
    )


def test_anomaly_race_is_checked_against_the_heading_it_is_listed_under():
    # The women's heading states other dates than the men's: the meet keeps the first, and
    # each race is checked against its own section's heading.
    text = SMALL_SEASON.replace("==== Montreal ====", "==== Montreal 7–9 November 2014 ====", 1)
    text = text.replace("==== Montreal ====", "==== Montreal 1–2 November 2014 ====")
    season = parse(text)
    assert (season.meets[0].start, season.meets[0].end) == (date(2014, 11, 7), date(2014, 11, 9))
    (flag,) = anomalies(season, FlagKind.RACE_OUTSIDE_MEET)
    assert flag.line == 30
    assert flag.target.race == (Gender.WOMEN, 500, None)


# -- bad input -----------------------------------------------------------------------------------


def replace_line(path, line, new):
    return replace_line_text(path.read_text(encoding="utf-8"), line, new)


def replace_line_text(text, line, new):
    lines = text.splitlines()
    lines[line - 1] = new
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("line", "new", "message"),
    [
        (
            17,
            "| 31 Octember 2011 | Utah Olympic Oval | 500m | | | | |",
            "'31 Octember 2011' is not a date",
        ),
        (17, "| 23 October 2011 | Utah Olympic Oval | 700m | | | | |", "unknown distance '700m'"),
        (17, "| 23 October 2011 | Utah Olympic Oval | 500m relay | | | | |", "unknown distance"),
        (17, "| 23 October 2011 | Utah Olympic Oval | 500m | | | |", "row has 6 cells"),
        (117, "| 2. | | 32a40 |", "points '32a40' is not a number"),
        (117, "| second | | 3240 |", "position 'second' is not a number"),
        (117, "| 2. | | 3240 | |", "row has 4 cells"),
        (15, "==== ====", "meet heading '' names no city"),
        (132, "===Men's 700 metres===", "unknown standings distance"),
        (132, "===Men's 500 furlongs===", 'heading "Men\'s 500 furlongs" is not understood'),
        (9, "It began on 30 February 2011 and ended in 2012.", "is not a date"),
    ],
)
def test_bad_input_names_file_and_line(line, new, message):
    text = replace_line(SEASON_2011, line, new)
    with pytest.raises(SourceError) as raised:
        parse(text, "2011-12.txt")
    assert str(raised.value).startswith(f"2011-12.txt:{line}: ")
    assert message in str(raised.value)


def test_bad_input_race_row_outside_any_meet():
    text = SMALL_SEASON.replace(
        "=== Men ===\n",
        "=== Men ===\n| 8 November 2014 | Arena | 500m | | | | |\n",
    )
    with pytest.raises(SourceError, match=r"^season.txt:12: race row outside any meet"):
        parse(text)


def test_bad_input_empty_file():
    with pytest.raises(SourceError, match=r"^empty.txt:1: the file is empty"):
        parse_source(b"", "empty.txt")
    with pytest.raises(SourceError, match=r"^blank.txt:1: the file is empty"):
        parse_source(b"\n  \n", "blank.txt")


def test_bad_input_not_utf8_names_the_line():
    data = SEASON_2011.read_bytes().replace(b"Saguenay ====", b"Sagu\xe9nay ====", 1)
    with pytest.raises(SourceError, match=r"^latin1.txt:23: not valid UTF-8"):
        parse_source(data, "latin1.txt")


def test_bad_input_no_title():
    text = SEASON_2011.read_text(encoding="utf-8").split("\n", 1)[1]
    with pytest.raises(SourceError, match=r"^notitle.txt:2: no title"):
        parse(text, "notitle.txt")


def test_bad_input_title_without_season_years():
    with pytest.raises(SourceError, match=r"^x.txt:1: the title 'World Cup' names no season"):
        parse("= World Cup =\n", "x.txt")


def test_bad_input_file_without_calendar():
    with pytest.raises(SourceError, match=r"^x.txt:1: no calendar"):
        parse("= 2014–15 World Cup =\n\nSome prose.\n", "x.txt")


def test_bad_input_unreadable_file(tmp_path):
    with pytest.raises(SourceError, match=r"^missing.txt:0: cannot read the file"):
        read_source(tmp_path / "missing.txt")


def test_unknown_section_is_flagged_and_skipped():
    season = parse(SMALL_SEASON + "\n== Medal table ==\n| Nation | Gold |\n| CAN | 2 |\n")
    (flag,) = anomalies(season, FlagKind.SECTION_SKIPPED)
    assert flag.line == 32
    assert "Medal table" in flag.message


def test_parse_mixed_relay_section_and_standings():
    season = parse(MIXED_SEASON)
    relay = race(season, "salt-lake-city", Gender.MIXED, Distance.MIXED_RELAY_2000)
    assert [result.competitor.nation for result in relay.results] == ["CHN", "KOR", "HUN"]
    standings = table(season, Gender.MIXED, Distance.MIXED_RELAY_2000)
    assert [entry.competitor.nation for entry in standings.entries] == ["CHN", "KOR"]
    assert not anomalies(season, FlagKind.SECTION_SKIPPED)


def test_unknown_nation_code_is_kept_and_flagged_once_per_line():
    """ROC, AIN or a typo: kept as written (an editor corrects it), never a refused season."""
    text = replace_line(
        SEASON_2011, 17, "| 23 October 2011 | Utah Olympic Oval | 500m | ROC | XYZ | | |"
    )
    text = replace_line_text(text, 117, "| 2. | ROC | 3240 |")
    season = parse(text, "2011-12.txt")
    sprint = race(season, "salt-lake-city", Gender.MEN, Distance.M500)
    assert [result.competitor.nation for result in sprint.results] == ["ROC", "XYZ"]
    flags = anomalies(season, FlagKind.NATION_UNKNOWN)
    assert [(flag.line, flag.message.split(":")[0]) for flag in flags] == [
        (17, "ROC, XYZ"),
        (117, "ROC"),
    ]
    assert flags[0].target.race == (Gender.MEN, Distance.M500, None)
    assert flags[1].target.row == 2
