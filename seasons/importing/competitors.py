"""Who the plain text of a podium or standings cell names: an athlete, a nation, or both, with a
time and the name's other written forms.

The nation may be written ``Name (NED)``, ``NED Name``, ``Name, NED``, ``Name (Netherlands)``,
by a flag template, or alone (a relay, or a nation column); a time after the name is the
result's time. ISU result sheets write surnames in capitals ("PARK Se-yeong"): the archive shows
"Park Se-yeong" and keeps the written form as an alias. A cell that says nobody ("—", "?",
"N/A", "TBD") is an unknown place, not a competitor.
"""

import re
from dataclasses import dataclass, field

from ..names import is_known_code, nation_code
from .records import Competitor

UNKNOWN_WORDS = {
    *("", "-", "–", "—", "?", "??", "n/a", "na", "n.a.", "tbd", "tba", "tbc", "unknown", "none"),
    *("vacant", "not awarded", "no result", "nobody", "x"),
}
TIME = re.compile(r"\s*[(\[]?(\d{1,2}:\d{2}[.,]\d{1,3}|\d{2}[.,]\d{2,3})[)\]]?$")
SUFFIX_NATION = re.compile(r"^(.*?)\s*(?:\(([^()]+)\)|,\s*([A-Za-z]{3})|\s[–—-]\s*([A-Z]{3}))$")
PREFIX_NATION = re.compile(r"^([A-Z]{3})\s*[:–—-]?\s+(\S.*)$")
NON_LATIN = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
NAME = re.compile(r"^[^\W\d_](?:[^\W\d_]|[ '’.\-])*$")
LONGEST_NAME = 200


@dataclass
class Reading:
    """One competitor read from a cell."""

    competitor: Competitor
    time: str = ""
    doubts: list[str] = field(default_factory=list)


def read_competitor(
    text: str, nations: list[str], native: str | None, relay: bool
) -> Reading | None:
    """Who ``text`` names; ``nations``: what flag templates in the cell named; ``relay``: the
    cell can only name a nation. None when the cell names nobody."""
    doubts = []
    time = ""
    match = TIME.search(text)
    if match and match.start() > 0:
        time, text = match.group(1).replace(",", "."), text[: match.start()].strip()
    if text.casefold() in UNKNOWN_WORDS and not nations:
        return None
    # The nation, however written: a flag template, "(NED)", "NED Name", "Name, NED".
    written_nations = [code for code in map(nation_code, nations) if code]
    doubts += [f"flag {name!r} is not a nation" for name in nations if not nation_code(name)]
    whole = nation_code(text)
    if whole:
        written_nations.append(whole)
        text = ""
    else:
        suffix = SUFFIX_NATION.match(text)
        if suffix and suffix.group(1):
            inner = next(group for group in suffix.groups()[1:] if group)
            code = nation_code(inner)
            if code:
                written_nations.append(code)
                text = suffix.group(1)
            elif NON_LATIN.search(inner) and not NON_LATIN.search(suffix.group(1)):
                # "Kwak Yoon-gy (곽윤기)": the native-script name beside the Latin one.
                native = native or inner.strip()
                text = suffix.group(1)
        prefix = PREFIX_NATION.match(text)
        if prefix and is_known_code(prefix.group(1)):
            written_nations.append(prefix.group(1))
            text = prefix.group(2)
    if len(set(written_nations)) > 1:
        doubts.append(f"names two nations, {' and '.join(sorted(set(written_nations)))}")
    nation = written_nations[0] if written_nations else None
    text = text.strip(" ,;:")
    if relay:
        if text and nation_code(text) not in (None, nation) and nation:
            doubts.append(f"relay cell names {text!r} beside {nation}")
        elif text and not nation:
            nation = nation_code(text)
            if not nation:
                doubts.append(f"relay cell {text!r} names no nation: not imported")
        return Reading(Competitor(nation=nation), time, doubts) if nation else _nobody(doubts)
    if not text:
        return Reading(Competitor(nation=nation), time, doubts) if nation else _nobody(doubts)
    name, aliases = display_name(text, nation)
    if NON_LATIN.search(name) and native is None and not re.search(r"[A-Za-z]", name):
        native = name
    if len(name) > LONGEST_NAME:
        doubts.append(f"a name of {len(name)} characters, cut to {LONGEST_NAME}")
        name = name[:LONGEST_NAME].strip()
    if not NAME.match(name) or len(name.split()) > 6:
        doubts.append(f"{name!r} read as a name as written")
    if native and native != name:
        aliases = (*aliases, native)
    return Reading(Competitor(name, nation, aliases, native), time, doubts)


def _nobody(doubts):
    # A cell that names no one but says something a reader would doubt: an unknown place,
    # flagged by the caller with what the cell said.
    return Reading(Competitor(), "", doubts) if doubts else None


# Nations whose skaters' names English writes surname first, as ISU result sheets do.
SURNAME_FIRST = {"KOR", "PRK", "CHN", "TPE", "HKG", "JPN", "MGL", "VIE"}


def display_name(text: str, nation: str | None = None) -> tuple[str, tuple[str, ...]]:
    """The name as the archive shows it, and the written forms when that differs. ISU result
    sheets write the surname first, in capitals: "PARK Se-yeong" reads "Park Se-yeong" (Korean
    names are written surname first in English too), "SCHULTING Suzanne (NED)" reads "Suzanne
    Schulting"."""
    words = text.split()
    if (
        len(words) > 1
        and nation
        and nation not in SURNAME_FIRST
        and words[0].isupper()
        and len(words[0]) > 1
        and not any(word.isupper() for word in words[1:])
    ):
        name, _ = display_name(" ".join([*words[1:], words[0]]))
        return name, (text,)
    # "Knegt, Sjinkie": surname first, as in a sorted list; the reader reads Sjinkie Knegt.
    surname, comma, given = text.partition(",")
    if comma and NAME.match(surname.strip()) and NAME.match(given.strip()):
        name, aliases = display_name(f"{given.strip()} {surname.strip()}")
        return name, (text, *aliases)
    words = text.split()
    capitals = [w for w in words if len(re.sub(r"[^A-Za-z]", "", w)) >= 2 and w.isupper()]
    if not capitals:
        return text, ()
    name = " ".join(capitalised(word) if word in capitals else word for word in words)
    return name, (text,)


def capitalised(word: str) -> str:
    """ "ST-GELAIS" is "St-Gelais", "O'BRIEN" "O'Brien"."""
    return re.sub(r"[^\W\d_]+", lambda part: part.group().capitalize(), word)
