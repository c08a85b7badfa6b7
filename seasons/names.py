"""How names are compared, however a source writes them: one person's name written with or
without accents, in ISU capitals, surname first or given name first, with hyphens or spaces
between the syllables of a given name; a nation written as a code or as a name.

Pure (no database): the importer matches athletes with it, search and the parser may use it.

A name's **key** is its words, folded, run together: accents and strokes gone from Latin
letters (é -> e, ø -> o), case folded, every character that is not a letter or digit a word
boundary. "PARK Se-yeong", "Park Se-yeong" and "Park Seyeong" share the key "parkseyeong".

Korean, Chinese and Japanese names are written surname first by some and given name first by
others ("Park Se-yeong", "Se-yeong Park"); European names sometimes surname first too ("Knegt,
Sjinkie"). Either way one order is the other with its words rotated, so :func:`name_keys` gives
the key of every rotation, and two names are the same name when the key of one is among the
keys of the other. Rotating at every word boundary (a hyphen is one) also makes "Choi Min-a"
and "Min A Choi" the same name. Running the words together loses where they were cut, so two
different names can share a key ("Anna Lee", "Ann Alee"): the importer matches on the name and
the nation together, and editors can merge and split what it got wrong.

Names in other scripts (곽윤기, 武大靖, Виктор Ан) keep their script: their key is compared with
other native-script names, never with a romanisation (which is an alias an editor or a source
gives).
"""

import re
import unicodedata
from functools import cache

from anyascii import anyascii
from django_countries import countries
from django_countries.data import COUNTRIES
from django_countries.ioc_data import IOC_TO_ISO, ISO_TO_IOC

WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """``text`` as compared: NFKC, Latin letters without accents or strokes (anyascii, which
    also gives "ss" for ß and "ae" for æ), combining marks dropped, case folded."""
    folded = []
    for character in unicodedata.normalize("NFKC", text):
        if character.isascii():
            folded.append(character)
        elif unicodedata.category(character).startswith("M"):
            continue
        elif "LATIN" in unicodedata.name(character, ""):
            folded.append(anyascii(character))
        else:
            folded.append(character)
    return "".join(folded).casefold()


def name_words(name: str) -> list[str]:
    """The folded words of ``name``: any character that is not a letter or digit separates."""
    return WORD.findall(fold(name))


def name_key(name: str) -> str:
    """The key of ``name`` as written: its folded words run together ("" when it has none)."""
    return "".join(name_words(name))


def name_keys(name: str) -> set[str]:
    """The keys of ``name`` in every word order that is a rotation of it: what a stored
    :func:`name_key` is looked up among. Empty for a name with no letters or digits."""
    words = name_words(name)
    return {"".join(words[start:] + words[:start]) for start in range(len(words))}


def same_name(one: str, other: str) -> bool:
    """Whether ``one`` and ``other`` are the same name, however each is written."""
    key = name_key(one)
    return bool(key) and key in name_keys(other)


# Nation names the sources use that are not django-countries' names for the country: the IOC's
# own names, and the short forms editors write.
NATION_NAMES = {
    "great britain": "GBR",
    "britain": "GBR",
    "chinese taipei": "TPE",
    "korea": "KOR",
    "republic of korea": "KOR",
    "korea, south": "KOR",
    "north korea": "PRK",
    "russia": "RUS",
    "russian federation": "RUS",
    "roc": "ROC",
    "russian olympic committee": "ROC",
    "olympic athletes from russia": "OAR",
    "united states": "USA",
    "us": "USA",
    "holland": "NED",
    "czech republic": "CZE",
    "czechia": "CZE",
    "hong kong": "HKG",
    "people's republic of china": "CHN",
    "pr china": "CHN",
    "kazakstan": "KAZ",
}
# Codes sport uses that the IOC list of django-countries does not hold: kept, and flagged later
# as not in the IOC list (ROC raced in 2020–22; the archive does not guess a country for it).
EXTRA_CODES = {"ROC", "OAR", "RUS", "GDR", "FRG", "URS", "EUN", "TCH", "YUG"}


def nation_code(text: str) -> str | None:
    """The IOC code of a nation written as a code ("KOR", "kor") or by its name in English
    ("South Korea", "the Netherlands", "Great Britain"); None when ``text`` names no nation
    django-countries or :data:`NATION_NAMES` know. Three capitals the IOC list lacks ("XYZ")
    are kept as a code (the importer flags it); three small letters only when known."""
    text = " ".join(text.split()).strip(" .")
    if len(text) == 3 and text.isascii() and text.isalpha():
        code = text.upper()
        return code if is_known_code(code) or text.isupper() else None
    return _nation_names().get(_nation_key(text))


def is_known_code(code: str) -> bool:
    """Whether ``code`` is an IOC code sport uses, as written (capitals)."""
    return code in IOC_TO_ISO or code in EXTRA_CODES


def _nation_key(name: str) -> str:
    return " ".join(fold(name).replace("’", "'").removeprefix("the ").split())


@cache
def _nation_names() -> dict[str, str]:
    names = {}
    # The ISO names ("Korea (the Republic of)") and the common ones ("South Korea").
    for iso, name in [*COUNTRIES.items(), *countries]:
        ioc = ISO_TO_IOC.get(iso)
        if ioc:
            names[_nation_key(str(name))] = ioc
            # "Korea (the Republic of)" is also read as "Korea".
            names.setdefault(_nation_key(str(name).split("(")[0]), ioc)
    names.update(NATION_NAMES)
    return names
