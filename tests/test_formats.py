"""Season articles as editors really write them (issue #14): every readable variation of a
plain article reads as the same season; what is truly broken is refused with FILE:LINE and the
expected form. The parser is pure: no database here."""

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest

from seasons.importing.parser import parse_source
from seasons.importing.records import Competitor, SourceError
from seasons.vocabulary import FlagKind, Gender

DATA = Path(__file__).parent / "data"
PLAIN = (DATA / "2014-15-plain.txt").read_text()
WIKI = (DATA / "2014-15-wiki.txt").read_text()


def parse(text, name="2014-15.txt"):
    return parse_source(text.encode("utf-8"), name)


def facts(season):
    """What a season says, without where the source says it (lines) or what it doubts."""
    plain = dataclasses.asdict(season)
    for key in ("path", "sha256", "text", "line_count", "title_line", "intro_line", "note_line"):
        plain.pop(key)
    plain.pop("anomalies")

    def drop_lines(value):
        if isinstance(value, dict):
            return {k: drop_lines(v) for k, v in value.items() if k not in ("line",)}
        if isinstance(value, list):
            return [drop_lines(v) for v in value]
        return value

    return drop_lines(plain)


def flags(season, kind=None):
    return [(a.line, a.message) for a in season.anomalies if kind is None or a.kind == kind]


def replaced(text, old, new, count=1):
    assert old in text, old
    return text.replace(old, new, count)


HAMELIN_ROW = "| 8 November 2014 | Maurice Richard Arena | 500m | Charles Hamelin (CAN) |"
KNEGT_TIE = "| 2. | Sjinkie Knegt (NED) | 1000 |"
RELAY_ROW = "| 9 November 2014 | Maurice Richard Arena | 5000m relay | CAN | NED | KOR | |"
HEADER = "| Date | Place | Distance | Winner | Second | Third | Reference |"


def test_formats_plain_and_wiki_twins_read_the_same():
    """A season in MediaWiki table syntax (templates, links, rowspan, captions, ``||``, one
    cell per line) reads as its bundled-text twin."""
    plain, wiki = parse(PLAIN), parse(WIKI)
    assert facts(wiki) == facts(plain)
    assert flags(plain) == [] and flags(wiki) == []
    winner = plain.meets[0].races[0].results[0]
    assert winner.competitor == Competitor("Charles Hamelin", "CAN")
    # The tie at 2nd in the men's 500 m standings, as both forms write it.
    assert [e.position for e in plain.standings[0].entries] == [1, 2, 2, 4]


# Each variation changes one thing the way some editor writes it; read, it is the plain season.
SAME_AS_PLAIN = {
    # Ties and positions.
    "tie =2": (KNEGT_TIE, "| =2 | Sjinkie Knegt (NED) | 1000 |"),
    "tie 2=": (KNEGT_TIE, "| 2= | Sjinkie Knegt (NED) | 1000 |"),
    "tie T2": (KNEGT_TIE, "| T2 | Sjinkie Knegt (NED) | 1000 |"),
    "tie 2nd": (KNEGT_TIE, "| 2nd | Sjinkie Knegt (NED) | 1000 |"),
    "tie blank": (KNEGT_TIE, "| | Sjinkie Knegt (NED) | 1000 |"),
    # Points.
    "points pts": ("| 1800 |", "| 1800 pts |"),
    "points comma": ("| 1800 |", "| 1,800 |"),
    "points thin space": ("| 1800 |", "| 1 800 |"),
    # Headers.
    "1st 2nd 3rd": (HEADER, "| Date | Place | Distance | 1st | 2nd | 3rd | Reference |"),
    "gold silver bronze": (HEADER, "| Date | Venue | Event | Gold | Silver | Bronze | Ref. |"),
    "runner-up": (HEADER, "| Date | Place | Distance | Winner | Runner-up | Third | Reference |"),
    "location": (HEADER, "| Date | Location | Distance | Winner | Second | Third | Reference |"),
    "bold headers": (
        HEADER,
        "|" + "|".join(f" '''{cell.strip()}''' " for cell in HEADER.strip("|").split("|")) + "|",
    ),
    "rank name pts": ("| Pos | Athlete | Points |", "| Rank | Name | Pts. |"),
    # Section names.
    "results section": ("== Calendar ==", "== Results =="),
    "schedule section": ("== Calendar ==", "==Schedule=="),
    "rankings section": ("== World Cup standings ==", "==World Cup rankings=="),
    "men's events": ("=== Men ===", "=== Men's events ==="),
    "ladies": ("=== Women ===", "=== Ladies ==="),
    # After N of M.
    "after words": ("After 2 of 2 events\n| Pos", "After two of two events\n| Pos"),
    "after races": ("After 2 of 2 events\n| Pos", "(after 2 out of 2 races)\n| Pos"),
    "after slash": ("After 2 of 2 events\n| Pos", "Standings after 2/2 events:\n| Pos"),
    # Dates.
    "ordinal": ("| 8 November 2014 |", "| 8th November 2014 |"),
    "dotted": ("| 8 November 2014 |", "| 08.11.2014 |"),
    "weekday": ("| 8 November 2014 |", "| Saturday, 8 November 2014 |"),
    "day range": ("| 8 November 2014 |", "| 7–8 November 2014 |"),
    "month first": ("| 8 November 2014 |", "| November 8, 2014 |"),
    "iso": ("| 8 November 2014 |", "| 2014-11-08 |"),
    # Title and meet headings.
    "title slash": ("2014–15 ISU", "2014/15 ISU"),
    "title long": ("2014–15 ISU", "2014–2015 ISU"),
    "meet number hash": ("==== Montreal ====", "==== #1 Montreal ===="),
    "meet number words": ("==== Montreal ====", "==== World Cup 1 – Montreal ===="),
    "meet with country": ("==== Montreal ====", "==== Montreal, Canada ===="),
    "meet with country in brackets": ("==== Seoul ====", "==== Seoul (South Korea) ===="),
    # Names, whatever the markup.
    "bold name": (
        HAMELIN_ROW,
        HAMELIN_ROW.replace("Charles Hamelin (CAN)", "'''Charles Hamelin''' (CAN)"),
    ),
    "linked name": (
        HAMELIN_ROW,
        HAMELIN_ROW.replace("Charles Hamelin (CAN)", "[[Charles Hamelin]] (CAN)"),
    ),
    "piped link": (
        HAMELIN_ROW,
        HAMELIN_ROW.replace(
            "Charles Hamelin (CAN)", "[[Charles Hamelin (speed skater)|Charles Hamelin]] (CAN)"
        ),
    ),
    "flagathlete": (
        HAMELIN_ROW,
        HAMELIN_ROW.replace("Charles Hamelin (CAN)", "{{flagathlete|[[Charles Hamelin]]|CAN}}"),
    ),
    "flagicon": (
        HAMELIN_ROW,
        HAMELIN_ROW.replace("Charles Hamelin (CAN)", "{{flagicon|CAN}} Charles Hamelin"),
    ),
    "sortname": (
        HAMELIN_ROW,
        HAMELIN_ROW.replace("Charles Hamelin (CAN)", "{{sortname|Charles|Hamelin}} (CAN)"),
    ),
    "code first": (
        HAMELIN_ROW,
        HAMELIN_ROW.replace("Charles Hamelin (CAN)", "CAN Charles Hamelin"),
    ),
    "country name": (
        HAMELIN_ROW,
        HAMELIN_ROW.replace("Charles Hamelin (CAN)", "Charles Hamelin (Canada)"),
    ),
    "nbsp and entities": (
        HAMELIN_ROW,
        HAMELIN_ROW.replace("Charles Hamelin (CAN)", "Charles&nbsp;Hamelin&#32;(CAN)"),
    ),
    "bidi marks": (
        HAMELIN_ROW,
        HAMELIN_ROW.replace("Charles Hamelin (CAN)", "\u200eCharles Hamelin\u200f (CAN)"),
    ),
    "relay lowercase": (RELAY_ROW, RELAY_ROW.replace("| CAN | NED | KOR |", "| can | ned | kor |")),
    "relay names": (
        RELAY_ROW,
        RELAY_ROW.replace("| CAN | NED | KOR |", "| Canada | the Netherlands | South Korea |"),
    ),
    "relay flags": (
        RELAY_ROW,
        RELAY_ROW.replace(
            "| CAN | NED | KOR |", "| {{flag|Canada}} | {{flagicon|NED}} Netherlands | {{KOR}} |"
        ),
    ),
    # Layout.
    "tabs": (HAMELIN_ROW, HAMELIN_ROW.replace(" | ", "\t|\t")),
    "no spaces": (HEADER, HEADER.replace(" | ", "|")),
    "blank line between rows": (RELAY_ROW, f"\n{RELAY_ROW}"),
}


@pytest.mark.parametrize("old, new", SAME_AS_PLAIN.values(), ids=SAME_AS_PLAIN.keys())
def test_formats_variation_reads_as_the_plain_form(old, new):
    season = parse(replaced(PLAIN, old, new))
    assert facts(season) == facts(parse(PLAIN))
    assert flags(season, FlagKind.CELL_DOUBTFUL) == []


def test_formats_line_ends_of_any_kind_read_the_same():
    crlf = PLAIN.replace("\n", "\r\n")
    cr = PLAIN.replace("\n", "\r")
    assert facts(parse(crlf)) == facts(parse(cr)) == facts(parse(PLAIN))


# Read the same, and the reader is told what was skipped, with its line.
SKIPPED = {
    "caption in the calendar": (
        RELAY_ROW,
        f"{RELAY_ROW}\nThis race was postponed by a day.",
        18,
        "the text 'This race was postponed by a day.' was not imported",
    ),
    "comment": (
        RELAY_ROW,
        f"{RELAY_ROW}\n<!-- results checked against the ISU -->",
        18,
        "the comment 'results checked against the ISU' was not imported",
    ),
    "category": (
        "- 2015 World",
        "[[Category:2014 in short track speed skating]]\n- 2015 World",
        65,
        "the text '[[Category:2014 in short track speed skating]]' was not imported",
    ),
    "prose in the standings": (
        "=== Men's 500 metres ===",
        "Final standings, published by the ISU.\n=== Men's 500 metres ===",
        42,
        "the text 'Final standings, published by the ISU.' was not imported",
    ),
    "notes column": (
        HEADER + "\n" + "| 8 November 2014",
        HEADER.replace("Reference |", "Reference | Notes |") + "\n" + "| 8 November 2014",
        14,
        "the column 'Notes' was not imported",
    ),
}


@pytest.mark.parametrize("old, new, line, message", SKIPPED.values(), ids=SKIPPED.keys())
def test_formats_skipped_text_is_flagged_with_its_line(old, new, line, message):
    text = replaced(PLAIN, old, new)
    if "Notes" in new:
        # The rows of that table gain an empty Notes cell.
        text = text.replace("| Park Se-yeong (KOR) | |\n", "| Park Se-yeong (KOR) | | |\n", 1)
        text = text.replace("| Wu Dajing (CHN) | |\n", "| Wu Dajing (CHN) | | first |\n", 1)
        text = text.replace(RELAY_ROW, RELAY_ROW + " |")
    season = parse(text)
    assert facts(season) == facts(parse(PLAIN))
    assert (line, message) in flags(season, FlagKind.TEXT_SKIPPED)


def test_formats_blank_podium_words_are_unknown_places():
    blank = parse(replaced(PLAIN, "| CAN | NED | KOR |", "| CAN | NED | |"))
    for word in ("—", "?", "N/A", "TBD", "-"):
        season = parse(replaced(PLAIN, "| CAN | NED | KOR |", f"| CAN | NED | {word} |"))
        assert facts(season) == facts(blank), word


def test_formats_time_column_is_the_winners_time():
    text = replaced(PLAIN, HEADER, HEADER.replace("Reference |", "Time | Reference |"))
    text = replaced(text, "Park Se-yeong (KOR) | |", "Park Se-yeong (KOR) | 40.512 | |")
    text = replaced(text, "Wu Dajing (CHN) | |", "Wu Dajing (CHN) | 1:25.004 | |")
    text = replaced(text, RELAY_ROW, RELAY_ROW + " |")
    races = parse(text).meets[0].races[:3]
    assert [r.results[0].time for r in races] == ["40.512", "1:25.004", ""]


def test_formats_time_after_the_name_is_the_results_time():
    season = parse(replaced(PLAIN, "| Charles Hamelin (CAN) |", "| Charles Hamelin (CAN) 40.512 |"))
    (winner, *_) = season.meets[0].races[0].results
    assert (winner.competitor, winner.time) == (Competitor("Charles Hamelin", "CAN"), "40.512")


def test_formats_dead_heat_gives_two_results_at_one_place():
    season = parse(
        replaced(
            PLAIN,
            "| Charles Hamelin (CAN) | Sjinkie Knegt (NED) |",
            "| Charles Hamelin (CAN)<br />Sjinkie Knegt (NED) | — |",
        )
    )
    results = season.meets[0].races[0].results
    assert [(r.place, r.competitor.athlete) for r in results] == [
        (1, "Charles Hamelin"),
        (1, "Sjinkie Knegt"),
        (3, "Park Se-yeong"),
    ]


def test_formats_isu_capitals_read_as_names_with_the_written_form_kept():
    season = parse(replaced(PLAIN, "| Park Se-yeong (KOR) |", "| PARK Se-yeong (KOR) |"))
    third = season.meets[0].races[0].results[2].competitor
    assert third == Competitor("Park Se-yeong", "KOR", ("PARK Se-yeong",))


def test_formats_mixed_forms_in_one_file():
    """A file may mix the forms: the standings in MediaWiki markup, the calendar in text."""
    standings = WIKI[WIKI.index("== World Cup standings ==") :]
    mixed = PLAIN[: PLAIN.index("== World Cup standings ==")] + standings
    assert facts(parse(mixed)) == facts(parse(PLAIN))


# Refused: what cannot be read without losing a fact. (old, new, FILE:LINE: message)
REFUSED = {
    "winner named twice": (
        HEADER,
        "| Date | Place | Distance | Winner | Winner | Third | Reference |",
        "14: two calendar columns name the winner",
    ),
    "cut in a cell": (
        PLAIN[PLAIN.index("| 3. | NED | 800 |") :],
        "| 3. | NED | 8",
        "62: the last row is cut short",
    ),
    "title of many years": (
        "2014–15 ISU",
        "2014–19 ISU",
        "1: the title names 2014–19, not one season",
    ),
    "row in the intro": (
        "Infobox",
        "| 8 November 2014 | Montreal | 500m |\nInfobox",
        "3: a table row in the intro",
    ),
    "huge points": (
        "| 1800 |",
        "| 99999999999999999999999 |",
        "45: 99999999999999999999999 points: more than the 999,999",
    ),
    "huge position": (
        "| 1. | Charles Hamelin (CAN) | 1800 |",
        "| 99999999999999999999 | Charles Hamelin (CAN) | 1800 |",
        "45: position 99999999999999999999: positions run from 1 to 9999",
    ),
    "huge race number": (
        "| 500m |",
        "| 500m (99999999999999999999) |",
        "15: race number 99999999999999999999 in '500m (99999999999999999999)'",
    ),
    "race number zero": ("| 500m |", "| 500m (0) |", "15: race number 0 in '500m (0)'"),
    "huge event count": (
        "After 2 of 2 events\n| Pos",
        "After 2 of 99999999999999999999 events\n| Pos",
        "43: 'After 2 of 99999999999999999999': a season has at most 99 events",
    ),
    "after counts too many": (
        "After 2 of 2 events\n| Pos",
        "After 3 of 2 events\n| Pos",
        "43: 'After 3 of 2' counts too many",
    ),
    "impossible date": (
        "| 8 November 2014 |",
        "| 31 November 2014 |",
        "15: '31 November 2014' is not a date",
    ),
    "unknown distance": ("| 500m |", "| 500 furlongs |", "15: unknown distance '500 furlongs'"),
    "row shorter than header": (
        RELAY_ROW,
        "| 9 November 2014 | Maurice Richard Arena | 5000m relay | CAN |",
        "17: row has 4 cells, the table header has 7",
    ),
    "table never closed": (
        "| 1. | CAN | 1800 |",
        "{|\n! Pos !! Athlete !! Points\n|-\n| 1 || CAN || 1800",
        "60: a table opened with '{|' is never closed",
    ),
    "comment never closed": (
        "== See also ==",
        "<!-- == See also ==",
        "64: a comment '<!--' is never closed",
    ),
    "table under unknown heading": (
        "=== Men's 500 metres ===",
        "=== Men's 500 furlongs ===",
        '42: heading "Men\'s 500 furlongs" is not understood',
    ),
}


@pytest.mark.parametrize("old, new, message", REFUSED.values(), ids=REFUSED.keys())
def test_formats_broken_input_is_refused_with_file_and_line(old, new, message):
    with pytest.raises(SourceError) as raised:
        parse(replaced(PLAIN, old, new))
    assert str(raised.value).startswith(f"2014-15.txt:{message}")


def test_formats_line_numbers_ignore_unicode_line_separators():
    """U+2028, form feeds and the like are no line ends to a text editor."""
    text = replaced(PLAIN, "The 2014–15", "The\u2028 2014\x0c–15 \x1c")
    text = replaced(text, "| 500m |", "| 500 furlongs |")
    with pytest.raises(SourceError, match=r"^2014-15\.txt:15: unknown distance"):
        parse(text)


def test_formats_control_characters_are_dropped():
    season = parse(replaced(PLAIN, "Charles Hamelin (CAN) |", "Charles\x00 Hamelin\x07 (CAN) |"))
    assert season.meets[0].races[0].results[0].competitor == Competitor("Charles Hamelin", "CAN")
    assert "\x00" not in season.text


def test_formats_hangul_and_chinese_names_and_city():
    text = replaced(PLAIN, "| Park Se-yeong (KOR) |", "| 박세영 (KOR) |")
    text = text.replace("==== Seoul ====", "==== 서울 ====").replace(
        "Wu Dajing (CHN)", "武大靖 (CHN)"
    )
    season = parse(text)
    assert season.meets[1].city == "서울" and season.meets[1].slug == "seo-ul"
    third = season.meets[0].races[0].results[2].competitor
    assert third == Competitor("박세영", "KOR", (), "박세영")


def test_formats_a_name_that_cannot_be_read_with_confidence_is_flagged():
    season = parse(
        replaced(PLAIN, "| Charles Hamelin (CAN) |", "| Charles Hamelin 2nd heat (CAN) |")
    )
    assert season.meets[0].races[0].results[0].competitor.athlete == "Charles Hamelin 2nd heat"
    ((line, message),) = flags(season, FlagKind.CELL_DOUBTFUL)
    assert line == 15 and "read as a name as written" in message


def test_formats_unknown_template_is_flagged():
    season = parse(
        replaced(PLAIN, "| Charles Hamelin (CAN) |", "| {{medalist|x}} Charles Hamelin (CAN) |")
    )
    ((line, message),) = flags(season, FlagKind.CELL_DOUBTFUL)
    assert line == 15 and "template {{medalist}} not understood" in message


def test_formats_relay_cell_naming_no_nation_is_flagged_not_an_athlete():
    season = parse(replaced(PLAIN, "| CAN | NED | KOR |", "| CAN | NED | Team Blue |"))
    relay = season.meets[0].races[2]
    assert [r.competitor for r in relay.results] == [
        Competitor(nation="CAN"),
        Competitor(nation="NED"),
    ]
    ((line, message),) = flags(season, FlagKind.CELL_DOUBTFUL)
    assert line == 17 and "names no nation" in message


def test_formats_meet_headings_with_and_without_country_are_one_meet():
    text = PLAIN.replace("==== Montreal ====", "==== Montreal, Canada ====", 1)
    season = parse(text)
    assert [m.slug for m in season.meets] == ["montreal", "seoul"]
    assert not re.search("two|second", " ".join(m for _, m in flags(season)))


def test_formats_wikipedia_article_as_wikipedia_stores_it():
    """No title line: the infobox template names the season. Standings tables laid out side by
    side in a layout table, with their headings inside its cells. Templates, rowspan venues,
    references, categories."""
    season = parse((DATA / "2019-20-wikipedia.txt").read_text(), "2019-20.txt")
    assert (season.slug, season.title, season.title_line) == (
        "2019-20",
        "2019–20 ISU Short Track Speed Skating World Cup",
        4,
    )
    assert ["Sport", "Short track speed skating"] in season.infobox
    assert season.intro.startswith("The 2019–20 ISU Short Track Speed Skating World Cup was")
    (meet,) = season.meets
    assert (meet.city, meet.arena) == ("Salt Lake City", "Utah Olympic Oval")
    relay = meet.races[2]
    assert [r.competitor for r in relay.results] == [
        Competitor(nation="KOR"),
        Competitor(nation="CHN"),
        Competitor(nation="CAN"),
    ]
    # The rowspan venue reaches every row it spans; the 1000 m row is dated by its own cell.
    assert [(r.distance, str(r.date)) for r in meet.races[:2]] == [
        (500, "2019-11-02"),
        (1000, "2019-11-03"),
    ]
    assert meet.races[1].results[2].competitor == Competitor("Shaolin Sándor Liu", "HUN")
    assert [(t.key, t.events_held) for t in season.standings] == [
        ((Gender.MEN, 500), 1),
        ((Gender.WOMEN, 500), 1),
    ]
    assert [e.competitor.athlete for e in season.standings[1].entries] == [
        "Suzanne Schulting",
        "Kim Boutin",
        "Natalia Maliszewska",
    ]
    skipped = {a.message for a in season.anomalies if a.kind == FlagKind.SECTION_SKIPPED}
    assert skipped == {
        "section 'References' was not imported",
        "section 'External links' was not imported",
    }


def test_formats_article_naming_no_season_is_refused():
    text = "{{Infobox sports season\n| sport = Short track\n}}\nA season of racing.\n"
    with pytest.raises(SourceError, match=r"^x\.txt:1: no title: .* or an intro naming"):
        parse(text, "x.txt")


def test_formats_isu_capitals_put_western_given_names_first():
    """ISU sheets write every surname first: Korean and Chinese names stay so, as English
    writes them; "SCHULTING Suzanne (NED)" is Suzanne Schulting."""
    season = parse(replaced(PLAIN, "| Arianna Fontana (ITA) |", "| FONTANA Arianna (ITA) |"))
    third = season.meets[0].races[3].results[2].competitor
    assert third == Competitor("Arianna Fontana", "ITA", ("FONTANA Arianna",))


def test_formats_a_season_by_other_hands_mixing_every_form():
    """Written by other hands: a slash title, `== Results ==`, a comment, MediaWiki and text
    tables in one calendar, headings with dates, weekday and ordinal dates, a mixed relay,
    Hangul and Chinese names, a dead heat, `—` and `?`, relay codes in small letters, standings
    by gender then distance with T2 ties and "pts", an overall ranking, a category."""
    season = parse((DATA / "2021-22-mixed-hands.txt").read_text(), "2021-22.txt")
    assert (season.slug, season.start, season.end) == (
        "2021-22",
        date(2021, 10, 21),
        date(2021, 11, 21),
    )
    beijing, nagoya = season.meets
    assert (beijing.start, beijing.end, nagoya.arena) == (
        date(2021, 10, 21),
        date(2021, 10, 24),
        "Nippon Gaishi Hall",
    )
    sprint = beijing.races[1]
    assert [(r.place, r.competitor, r.time) for r in sprint.results] == [
        (1, Competitor("Wu Dajing", "CHN", ("WU Dajing",)), "40.123"),
        (2, Competitor("任子威", "CHN", (), "任子威"), ""),
    ]
    assert beijing.races[2].key == (Gender.MIXED, 2000, None)
    dead_heat = nagoya.races[0]
    assert [(r.place, r.competitor.athlete) for r in dead_heat.results] == [
        (1, "Ren Ziwei"),
        (2, "이준서"),
        (2, "Steven Dubois"),
    ]
    assert [r.competitor.nation for r in nagoya.races[1].results] == ["KOR", "CAN", "NED"]
    (table,) = season.standings
    assert (table.key, table.events_held) == ((Gender.MEN, 1500), 2)
    assert [(e.position, e.points) for e in table.entries] == [(1, 1000), (2, 800), (2, 800)]
    kinds = {(a.line, a.kind) for a in season.anomalies}
    assert (56, FlagKind.SECTION_SKIPPED) in kinds  # the overall ranking
    assert (10, FlagKind.TEXT_SKIPPED) in kinds  # the comment
