"""Nations as editors write them: an IOC code in any case ("KOR", "kor"), a country's name
("South Korea", "the Netherlands") or the name sport uses for it ("Great Britain", "Chinese
Taipei"). Results and standings keep the IOC code, which is not ISO alpha-3 (NED, GER, SUI).
"""

import unicodedata
from functools import cache

from django_countries import countries
from django_countries.data import COUNTRIES
from django_countries.ioc_data import IOC_TO_ISO, ISO_TO_IOC

# Names sport and Wikipedia use that are not the ISO short name django-countries gives.
SPORTING_NAMES = {
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
EXTRA_CODES = {"ROC", "RUS", "GDR", "FRG", "URS", "EUN", "TCH", "YUG"}


def nation_code(text: str) -> str | None:
    """The IOC code ``text`` names, or None: "KOR", "kor", "South Korea", "the Netherlands"."""
    text = " ".join(text.split()).strip(" .")
    if len(text) == 3 and text.isascii() and text.isalpha():
        code = text.upper()
        if code in IOC_TO_ISO or code in EXTRA_CODES or text.isupper():
            return code
        return None
    return _names().get(_key(text))


def is_known_code(text: str) -> bool:
    """Whether ``text`` is an IOC code sport uses, as written (capitals)."""
    return text in IOC_TO_ISO or text in EXTRA_CODES


def _key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.removeprefix("the ")
    return " ".join(folded.split())


@cache
def _names() -> dict[str, str]:
    names = {}
    # The ISO names ("Korea (the Republic of)") and the common ones ("South Korea").
    for iso, name in [*COUNTRIES.items(), *countries]:
        ioc = ISO_TO_IOC.get(iso)
        if ioc:
            names[_key(str(name))] = ioc
            # "Korea (the Republic of)" is also read as "Korea, Republic of".
            names.setdefault(_key(str(name).split("(")[0]), ioc)
    names.update(SPORTING_NAMES)
    return names
