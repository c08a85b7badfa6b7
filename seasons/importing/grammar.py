"""The season article's grammar: the lines, headings and header cells the parser recognises,
and what they mean in the archive's vocabulary (a "Ladies" heading is the women's section, a
"Pts" column the points).

The format, in order::

    = 2011–12 ISU Short Track Speed Skating World Cup =      title (first line)
    Infobox / - Key: Value                                   infobox facts
    prose                                                    intro ("began on … ended on …")
    == Calendar ==
    === Men ===                                              gender section
    ==== Nagoya ====                                         one meet (the city)
    | Date | Place | Distance | Winner | Second | Third | Reference |
    | 4 December 2011 | Nippon Gaishi Hall | 500m (1) | CAN | | WR | |
    == World Cup standings ==
    - Note – … best 6 out of 8 results …
    === Men's 500 metres ===                                 (may be missing on the first table)
    After 8 of 8 events
    | Pos | Athlete | Points |
    == See also ==
    - item

Other seasons are written by other editors, so the parser reads what a reader would: footnote
marks ("[1]", "<ref>…</ref>") and non-breaking spaces are not part of a cell; a meet heading may
carry the meet's dates ("Beijing 21–24 October 2021"); dates may read "Oct. 22, 2011"; distances
"1,000 m"; gender headings "Men's events" or "Ladies"; a standings table may give the nation in
its own column ("| Rank | Name | Nation | Pts |"). Rankings the archive does not model (the
overall Crystal Globe) are skipped with a flag, like unknown sections.
"""

import re

from ..vocabulary import Gender
from .dates import DATE_SPAN, DATE_WORDS

HEADING = re.compile(r"^(=+)\s*(.*?)\s*(=+)\s*$")
SEASON_YEARS = re.compile(r"(\d{4})\s*[–—-]\s*(\d{2}|\d{4})\b")
INFOBOX_ITEM = re.compile(r"^-\s*([^:]+?)\s*:\s*(.*?)\s*$")
LIST_ITEM = re.compile(r"^[-*]+\s*(.*?)\s*$")
BEGAN = re.compile(rf"\b(?:began|started) on ({DATE_WORDS})")
ENDED = re.compile(rf"\bended on ({DATE_WORDS})")
# A meet heading may carry the meet's dates after the city (:mod:`.dates` reads them).
MEET_HEADING = re.compile(rf"^(.*?)[\s,:–—-]*(?:\(\s*(?:{DATE_SPAN})\s*\)|(?:{DATE_SPAN}))$")
NOTE = re.compile(r"^(?:[-*]\s*)?Note\s*[–—:-]+\s*(.*?)\s*$", re.IGNORECASE)
# Wikipedia spells small numbers out in prose: "best five out of seven".
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
COUNT = r"\d+|" + "|".join(NUMBER_WORDS)
BEST_OF = re.compile(rf"best\s+({COUNT})\s+(?:out\s+)?of\s+({COUNT})\b", re.IGNORECASE)
AFTER = re.compile(
    r"^After\s+(\d+)\s+(?:out\s+)?of\s+(\d+)"
    r"(?:\s+(?:events?|races?|competitions?|rounds?|meets?|World\s+Cups?))?\s*[.:]?$",
    re.IGNORECASE,
)
METRES = r"(\d{1,2},\d{3}|\d+)"  # "1000" or, as some editors write it, "1,000"
CALENDAR_DISTANCE = re.compile(
    rf"^{METRES}\s*m(?:etres?|eters?)?(\s+(?:mixed\s+)?relay)?(?:\s*\((\d+)\))?$", re.IGNORECASE
)
# "Men's 500 metres"; a mixed relay reads "Mixed 2000 metre relay" (no possessive). Until 2021
# the ISU called the women's events "Ladies'".
STANDINGS_HEADING = re.compile(
    rf"^(Men|Women|Ladies|Mixed)(?:['’]s?)?\s+{METRES}\s*(?:m|metres?|meters?)"
    r"(\s+(?:mixed\s+)?relay)?$",
    re.IGNORECASE,
)
# Rankings the archive does not model: the overall (Crystal Globe) ranking from 2022–23.
UNMODELLED_STANDINGS = re.compile(r"\boverall\b|crystal globe", re.IGNORECASE)
GENDER_HEADING = re.compile(
    r"^(Men|Women|Ladies|Mixed)(?:['’]s?)?(?:\s+(?:events?|races?|relays?|results))?$",
    re.IGNORECASE,
)
POSITION = re.compile(r"^=?\s*(\d+)\s*\.?$")
POINTS = re.compile(r"^\d{1,3}(?:[, ]\d{3})*$|^\d+$")
TABLE_MARKUP = re.compile(r"^(\{\||\|\}|\|-+|\|\+.*|\|)\s*$")
# What a table's data rows need above them: said when a row comes without it.
TABLE_HEADERS = {
    "calendar": ("race", "| Date | Place | Distance |"),
    "standings": ("standings", "| Pos | Athlete | Points |"),
}

GENDER_SECTIONS = {
    "men": Gender.MEN,
    "women": Gender.WOMEN,
    "ladies": Gender.WOMEN,
    "mixed": Gender.MIXED,
}
CALENDAR_COLUMNS = {
    "date": "date",
    "place": "arena",
    "venue": "arena",
    "distance": "distance",
    "event": "distance",
    "winner": 1,
    "gold": 1,
    "first": 1,
    "second": 2,
    "silver": 2,
    "third": 3,
    "bronze": 3,
    "reference": "reference",
    "ref": "reference",
    "references": "reference",
}
REQUIRED_CALENDAR_COLUMNS = {"date", "distance", 1, 2, 3}
STANDINGS_COLUMNS = {
    "pos": "position",
    "position": "position",
    "rank": "position",
    "place": "position",
    "#": "position",
    "athlete": "athlete",
    "name": "athlete",
    "skater": "athlete",
    "nation": "nation",
    "country": "nation",
    "team": "nation",
    "points": "points",
    "pts": "points",
    "total": "points",
}


def count(text: str) -> int:
    """A count as prose gives it: "6" or "six"."""
    return int(text) if text.isdigit() else NUMBER_WORDS[text.lower()]
