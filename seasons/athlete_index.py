"""The index of athletes: every athlete by name (A to Z, whatever the script) and by nation.

A name is filed under the first letter of its romanisation (anyascii, as the slugs are made):
곽윤기 under G, Елистратов under E, Élodie under E. No database sorts Hangul, Cyrillic and Latin
into one alphabet (SQLite compares code points, PostgreSQL follows its collation), so names are
sorted and filed here, in Python, from one query; a few thousand names cost milliseconds.
"""

from collections import Counter
from dataclasses import dataclass
from string import ascii_lowercase

from anyascii import anyascii
from django.db.models import Count, Max, Min, Q
from django.urls import reverse

OTHER = "other"  # names whose romanisation begins with no letter (a digit, nothing at all)
LETTERS = (*ascii_lowercase, OTHER)
UNKNOWN_NATION = "unknown"  # no IOC code is written in lowercase
# Up to this many athletes, the index page lists every one of them too; beyond, it gives only
# the letters and nations, each a page of its own.
LISTED_IN_FULL = 300


def sort_key(name):
    """Names in the order a reader looks them up: by their romanisation, accents ignored."""
    return (anyascii(name).casefold(), name)


def letter_of(name):
    """The letter ``name`` is filed under: ``a`` to ``z``, or ``other``."""
    first = anyascii(name).strip()[:1].lower()
    return first if first in ascii_lowercase else OTHER


def letter_title(letter):
    return "other" if letter == OTHER else letter.upper()


def letter_url(letter):
    return reverse("seasons:athletes-by-name", kwargs={"letter": letter})


def nation_url(code):
    """The athletes of the nation ``code``; ``None`` for those whose nation is unknown."""
    ioc = code.lower() if code else UNKNOWN_NATION
    return reverse("seasons:athletes-by-nation", kwargs={"ioc": ioc})


def with_career_span(athletes):
    """Annotate ``podium_count`` and the slugs of the first and last season with a known result
    (``first_season``, ``last_season``; None when no result is known): a line of the index."""
    seasons = "results__race__meet__season__slug"
    return athletes.select_related("nation").annotate(
        podium_count=Count("results", filter=Q(results__place__lte=3)),
        first_season=Min(seasons),
        last_season=Max(seasons),
    )


def sorted_athletes(athletes):
    """By name, then slug: two athletes of one name keep one order on every database."""
    return sorted(athletes, key=lambda athlete: (*sort_key(athlete.name), athlete.slug))


@dataclass(frozen=True)
class Letter:
    letter: str
    count: int

    @property
    def title(self):
        return letter_title(self.letter)

    @property
    def url(self):
        return letter_url(self.letter)


@dataclass(frozen=True)
class NationGroup:
    nation: object  # a Nation, or None: the athletes whose nation is unknown
    count: int

    @property
    def url(self):
        return nation_url(self.nation.code if self.nation else None)


@dataclass(frozen=True)
class Index:
    letters: list[Letter]  # every letter, A to Z and "other", with its count (maybe 0)
    nations: list[NationGroup]  # nations with athletes, by name; nation unknown last
    total: int


def index(athletes):
    """The ``Index`` of ``athletes`` (loaded with their nation)."""
    by_letter = Counter(letter_of(athlete.name) for athlete in athletes)
    by_nation = Counter(athlete.nation for athlete in athletes)
    unknown = by_nation.pop(None, 0)
    nations = [
        NationGroup(nation, count)
        for nation, count in sorted(by_nation.items(), key=lambda item: item[0].name)
    ]
    if unknown:
        nations.append(NationGroup(None, unknown))
    return Index(
        letters=[Letter(letter, by_letter[letter]) for letter in LETTERS],
        nations=nations,
        total=len(athletes),
    )


def by_letter(athletes):
    """``[(Letter, [athlete, ...]), ...]``: sorted ``athletes`` under their letters, empty
    letters left out."""
    groups = {}
    for athlete in athletes:
        groups.setdefault(letter_of(athlete.name), []).append(athlete)
    return [
        (Letter(letter, len(groups[letter])), groups[letter])
        for letter in LETTERS
        if letter in groups
    ]


def group_pages(athletes):
    """The paths of the letter and nation pages that list one of ``athletes`` (loaded with
    their nation), for the sitemap."""
    letters = {letter_of(athlete.name) for athlete in athletes}
    nations = {athlete.nation.code if athlete.nation_id else None for athlete in athletes}
    return [
        *sorted(letter_url(letter) for letter in letters),
        *sorted(nation_url(code) for code in nations),
    ]
