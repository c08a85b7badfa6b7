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
# "2011–12", "2011-2012", "2010/11": the years of one season (checked to be consecutive).
SEASON_YEARS = re.compile(r"(\d{4})\s*[–—/-]\s*(\d{2}|\d{4})\b")
INFOBOX_ITEM = re.compile(r"^-\s*([^:]+?)\s*:\s*(.*?)\s*$")
LIST_ITEM = re.compile(r"^[-*#]+\s*(.*?)\s*$")
BEGAN = re.compile(rf"\b(?:began|started|opened) on ({DATE_WORDS})", re.IGNORECASE)
ENDED = re.compile(rf"\b(?:ended|finished|closed|concluded) on ({DATE_WORDS})", re.IGNORECASE)
# A meet heading may carry the meet's dates after the city (:mod:`.dates` reads them).
MEET_HEADING = re.compile(rf"^(.*?)[\s,:–—-]*(?:\(\s*(?:{DATE_SPAN})\s*\)|(?:{DATE_SPAN}))$")
# ... and the meet's number in the season: "#1 Salt Lake City", "World Cup 1 – Nagoya",
# "Nagoya (WC 3)", "1. Montreal".
MEET_NUMBER = re.compile(
    r"^(?:#\s*\d+|\d+\s*[.)]|(?:world\s*cup|wc|round|leg|stage|event|no\.?)\s*#?\s*\d+)"
    r"\s*[:–—-]?\s*|\s*[(\[]?\s*(?:#\s*\d+|(?:world\s*cup|wc|round|leg|stage|no\.?)\s*#?\s*\d+)"
    r"\s*[)\]]?$",
    re.IGNORECASE,
)
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
# "After 8 of 8 events", "after eight out of eight races", "Standings after event 6/8",
# "Final standings (4 of 4 events)": how many of the season's events a table counts.
EVENTS = r"(?:events?|races?|competitions?|rounds?|meets?|legs?|stages?|world\s+cups?)"
AFTER = re.compile(
    rf"\bafter\s+(?:{EVENTS}\s+)?({COUNT})\s*(?:out\s+of|of|/)\s*({COUNT})\b"
    rf"|\b({COUNT})\s*(?:out\s+of|of|/)\s*({COUNT})\s+{EVENTS}",
    re.IGNORECASE,
)
METRES = r"(\d{1,2},\d{3}|\d+)"  # "1000" or, as some editors write it, "1,000"
# "500m", "1500 m (2)", "1,000 metres #2", "5000m relay", "500 m – race 2".
CALENDAR_DISTANCE = re.compile(
    rf"^{METRES}\s*m(?:etres?|eters?)?\.?(\s+(?:mixed\s+)?(?:team\s+)?relay)?"
    r"(?:\s*(?:\(\s*(?:race\s*)?#?(\d+)\s*\)|#\s*(\d+)|[–—-]\s*(?:race\s*)?(\d+)|race\s*(\d+)))?$",
    re.IGNORECASE,
)
# "Men's 500 metres"; a mixed relay reads "Mixed 2000 metre relay" (no possessive). Until 2021
# the ISU called the women's events "Ladies'".
STANDINGS_HEADING = re.compile(
    rf"^(Men|Women|Ladies|Mixed)(?:['’]s?)?\s+{METRES}\s*(?:m|metres?|meters?)\.?"
    r"(\s+(?:mixed\s+)?relay)?\b",
    re.IGNORECASE,
)
# Rankings the archive does not model: the overall (Crystal Globe) ranking from 2022–23.
UNMODELLED_STANDINGS = re.compile(r"\boverall\b|crystal globe", re.IGNORECASE)
GENDER_HEADING = re.compile(
    r"^(Men|Women|Ladies|Mixed)(?:['’]s?)?(?:\s+(?:events?|races?|relays?|results|competitions?"
    r"|calendar|schedule|podiums?))?$",
    re.IGNORECASE,
)
# A standings position as editors write it: "1", "1.", "=3", "3=", "T3", "T-3", "3rd".
POSITION = re.compile(r"^(?:=|T-?)?\s*(\d+)\s*(?:\.|=|st|nd|rd|th)?$", re.IGNORECASE)
# Points: "3504", "3,504", "3 504", "3.504" (thousands), "3504 pts", "3504 points".
POINTS = re.compile(r"^(\d{1,3}(?:[,. ]\d{3})+|\d+)\s*(?:pts?\.?|points?)?$", re.IGNORECASE)
# The largest numbers the archive holds: anything larger is a typo or a broken file.
LARGEST_POSITION = 9999
LARGEST_POINTS = 999_999
LARGEST_RACE_NUMBER = 9
LARGEST_EVENT_COUNT = 99
# The longest texts the archive's fields hold (a longer one is a paste gone wrong).
LONGEST_TITLE = 200
LONGEST_CITY = 100
LONGEST_ARENA = 200
LONGEST_FILE_NAME = 200
# Leftover wiki table markup outside a {| … |} table: it carries no data.
TABLE_MARKUP = re.compile(r"^(\{\||\|\}|\|-+.*|\|)\s*$")
CATEGORY = re.compile(r"^\[\[\s*(?:Category|File|Image)\s*:", re.IGNORECASE)
# What a table's data rows need above them: said when a row comes without it.
TABLE_HEADERS = {
    "calendar": ("race", "| Date | Place | Distance | Winner | Second | Third |"),
    "standings": ("standings", "| Pos | Athlete | Points |"),
}

GENDER_SECTIONS = {
    "men": Gender.MEN,
    "women": Gender.WOMEN,
    "ladies": Gender.WOMEN,
    "mixed": Gender.MIXED,
}
CALENDAR_SECTIONS = {"results", "race results", "events", "competitions", "podiums", "medalists"}
STANDINGS_SECTIONS = ("standings", "rankings", "ranking", "classification")
# Columns a reader passes over: said once at the header, never an error.
IGNORED = "ignored"
CALENDAR_COLUMNS = {
    "date": "date",
    "dates": "date",
    "day": "date",
    "place": "arena",
    "venue": "arena",
    "location": "arena",
    "arena": "arena",
    "rink": "arena",
    "distance": "distance",
    "event": "distance",
    "race": "distance",
    "winner": 1,
    "gold": 1,
    "first": 1,
    "1st": 1,
    "1st place": 1,
    "first place": 1,
    "champion": 1,
    "second": 2,
    "silver": 2,
    "2nd": 2,
    "2nd place": 2,
    "second place": 2,
    "runner-up": 2,
    "runner up": 2,
    "runners-up": 2,
    "third": 3,
    "bronze": 3,
    "3rd": 3,
    "3rd place": 3,
    "third place": 3,
    "time": "time",
    "winning time": "time",
    "winner's time": "time",
    "reference": "reference",
    "ref": "reference",
    "refs": "reference",
    "references": "reference",
    "source": "reference",
}
REQUIRED_CALENDAR_COLUMNS = {"date", "distance", 1}
STANDINGS_COLUMNS = {
    "pos": "position",
    "position": "position",
    "rank": "position",
    "place": "position",
    "pl": "position",
    "#": "position",
    "no": "position",
    "athlete": "athlete",
    "name": "athlete",
    "skater": "athlete",
    "athletes": "athlete",
    "nation": "nation",
    "nat": "nation",
    "noc": "nation",
    "country": "nation",
    "team": "nation",
    "points": "points",
    "pts": "points",
    "total": "points",
    "score": "points",
}


def count(text: str) -> int:
    """A count as prose gives it: "6" or "six"."""
    return int(text) if text.isdigit() else NUMBER_WORDS[text.lower()]
