"""Site search over seasons, meets (and so their cities), venues, nations and athletes.

It runs on SQLite and PostgreSQL alike with no extension and no search index: each query term
becomes a case-insensitive regular expression in which every letter also matches its accented
forms (``vezina`` finds "Vézina", ``Vézina`` finds "Vezina") and a hyphen, dash or space matches
any of them. Django's ``iregex`` lookup speaks both databases' dialects for the small subset the
patterns use (character classes, ``^``, ``$``, ``|``, backslash-escaped punctuation). Nation
names come from django-countries, not from the database, so nations are matched in Python with
the same patterns; there are only a few hundred nations at most.

An athlete is found by any of their names: the display name, the native-script one (곽윤기) and
every alias (ISU capitals, other romanisations), each an ``EXISTS`` so one athlete comes once.

Every term must match some field of a record; records are ranked by how the whole query matches
their main field (exact, then at the start, then at the start of a word, then anywhere) and each
kind of record is cut at ``LIMIT``.
"""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Least

from .models import Athlete, AthleteAlias, Meet, Nation, Season, Venue

LIMIT = 10
MAX_QUERY_LENGTH = 100
MIN_QUERY_LENGTH = 2
# Word boundaries as both regex dialects understand them (no \b, no POSIX classes).
WORD_START = "(^|[ (/.'’‐–—-])"
SEPARATORS = "[ ‐–—-]"
APOSTROPHES = "['’]"
# Letters that carry no combining mark to strip, but that readers type without their stroke.
UNSTROKED = {"ø": "o", "đ": "d", "ł": "l", "ħ": "h", "ŧ": "t", "ı": "i", "ð": "d"}


def strip_accents(text):
    """``text`` without the accents of Latin letters. Other scripts keep theirs: ё and й are
    letters of their own, and a Hangul syllable, which the decomposition splits into its jamo,
    is composed again (else 곽윤기 would match nothing)."""
    kept = []
    for char in unicodedata.normalize("NFKD", text):
        if not (unicodedata.combining(char) and kept and kept[-1].isascii()):
            kept.append(char)
    text = unicodedata.normalize("NFC", "".join(kept))
    return "".join(UNSTROKED.get(char, char) for char in text)


def _accented_forms():
    """Each ASCII letter with every Latin letter that is that letter plus accents, both cases."""
    forms = defaultdict(set)
    # Latin-1 to Latin Extended-B, and Latin Extended Additional (Vietnamese: ặ, ờ).
    for codepoint in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(codepoint)
        base = strip_accents(char).lower()
        if len(base) == 1 and base.isascii() and base.isalpha():
            forms[base].update({char.lower(), char.upper()} - {""})
    for char, base in UNSTROKED.items():
        forms[base].update({char, char.upper()})
    return {
        base: "".join(sorted(char for char in chars if len(char) == 1))
        for base, chars in forms.items()
    }


ACCENTED = _accented_forms()


def normalise_query(query):
    """The query as searched and shown: spaces collapsed, cut to a sane length. Accents stay
    (the patterns ignore them), so the page repeats what the reader typed."""
    return " ".join((query or "").split())[:MAX_QUERY_LENGTH].strip()


def term_pattern(term):
    """A regular expression, valid for Python, SQLite (through Python) and PostgreSQL, that
    matches ``term`` with or without accents and with any hyphen, dash or space."""
    parts = []
    for char in strip_accents(term).lower():
        if char in ACCENTED:
            parts.append(f"[{''.join(sorted({char, char.upper(), *ACCENTED[char]}))}]")
        elif char.isalnum():
            parts.append(char)
        elif char in " ‐–—-":
            parts.append(SEPARATORS)
        elif char in "'’":
            parts.append(APOSTROPHES)
        else:
            # Both dialects read a backslash before punctuation as the punctuation itself.
            parts.append(f"\\{char}")
    return "".join(parts)


def rank(field_name, pattern):
    """0 exact, 1 at the start, 2 at the start of a word, 3 anywhere."""
    return Case(
        When(**{f"{field_name}__iregex": f"^{pattern}$"}, then=Value(0)),
        When(**{f"{field_name}__iregex": f"^{pattern}"}, then=Value(1)),
        When(**{f"{field_name}__iregex": f"{WORD_START}{pattern}"}, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


def python_rank(text, pattern):
    if re.fullmatch(pattern, text, re.IGNORECASE):
        return 0
    if re.match(pattern, text, re.IGNORECASE):
        return 1
    return 2 if re.search(WORD_START + pattern, text, re.IGNORECASE) else 3


def matching(terms, fields, related=None):
    """Every term matches at least one of the fields, or (``related``: a queryset of rows
    pointing at the record by ``OuterRef("pk")``, and their field) one related row's field:
    an ``EXISTS``, so a record with many matching related rows still comes once."""
    conditions = []
    for term in terms:
        pattern = term_pattern(term)
        condition = reduce(or_, (Q(**{f"{name}__iregex": pattern}) for name in fields))
        if related is not None:
            rows, name = related
            condition |= Q(Exists(rows.filter(**{f"{name}__iregex": pattern})))
        conditions.append(condition)
    return reduce(and_, conditions)


@dataclass(frozen=True)
class Hit:
    """One search result: what it is, and how the result list shows it."""

    kind: str
    title: str
    detail: str
    obj: object
    flag: object = None

    @property
    def url(self):
        return self.obj.get_absolute_url()


@dataclass(frozen=True)
class Section:
    kind: str
    title: str
    hits: list
    has_more: bool


@dataclass(frozen=True)
class SearchResults:
    query: str
    sections: list = field(default_factory=list)

    @property
    def total(self):
        return sum(len(section.hits) for section in self.sections)

    @property
    def is_empty(self):
        return not self.sections


def _ranked(queryset, terms, fields, primary, order, limit, related=None):
    """Up to ``limit`` rows matching every term, best ranked first; and whether more match."""
    pattern = term_pattern(" ".join(terms))
    ranks = [rank(name, pattern) for name in primary]
    best = ranks[0] if len(ranks) == 1 else Least(*ranks)
    rows = list(
        queryset.filter(matching(terms, fields, related))
        .annotate(search_rank=best)
        .order_by("search_rank", *order)[: limit + 1]
    )
    return rows[:limit], len(rows) > limit


def search_seasons(terms, limit):
    seasons, more = _ranked(
        Season.objects.annotate(meet_count=Count("meets")),
        terms,
        ["slug", "title"],
        ["slug", "title"],
        ["-slug"],
        limit,
    )
    hits = [
        Hit("season", season.title, f"{season.meet_count} World Cups", season) for season in seasons
    ]
    return hits, more


def search_meets(terms, limit):
    queryset = Meet.objects.select_related("season", "venue")
    fields = ["city", "slug", "venue__city", "venue__arena", "season__slug"]
    meets, more = _ranked(queryset, terms, fields, ["city"], ["-season__slug", "order"], limit)
    hits = [
        Hit(
            "meet",
            f"World Cup {meet.city}",
            f"{meet.season.years}, World Cup {meet.order} · {meet.venue}",
            meet,
        )
        for meet in meets
    ]
    return hits, more


def search_venues(terms, limit):
    venues, more = _ranked(
        Venue.objects.annotate(meet_count=Count("meets")),
        terms,
        ["city", "arena", "slug"],
        ["city", "arena"],
        ["city", "arena", "slug"],
        limit,
    )
    hits = [
        Hit(
            "venue",
            str(venue),
            f"{venue.meet_count} World Cup{'s' if venue.meet_count != 1 else ''}",
            venue,
        )
        for venue in venues
    ]
    return hits, more


def search_athletes(terms, limit):
    """Athletes by name, slug, native-script name (곽윤기) or any alias ("PARK Se-yeong",
    another romanisation); each term may match a different one."""
    queryset = Athlete.objects.select_related("nation")
    aliases = (AthleteAlias.objects.filter(athlete=OuterRef("pk")), "name")
    athletes, more = _ranked(
        queryset,
        terms,
        ["name", "slug", "native_name"],
        ["name", "native_name"],
        ["name", "slug"],
        limit,
        related=aliases,
    )
    hits = [
        Hit(
            "athlete",
            athlete.name,
            " · ".join(
                filter(
                    None,
                    [
                        athlete.nation.name if athlete.nation_id else "nation unknown",
                        athlete.native_name,
                    ],
                )
            ),
            athlete,
            flag=athlete.nation.country if athlete.nation_id and athlete.nation.country else None,
        )
        for athlete in athletes
    ]
    return hits, more


def search_nations(terms, limit):
    """Nations by IOC code or by country name (django-countries), matched in Python."""
    patterns = [term_pattern(term) for term in terms]
    whole = term_pattern(" ".join(terms))
    found = []
    for nation in Nation.objects.all():
        texts = [nation.code, strip_accents(nation.name)]
        if all(any(re.search(p, text, re.IGNORECASE) for text in texts) for p in patterns):
            found.append((min(python_rank(text, whole) for text in texts), nation))
    found.sort(key=lambda item: (item[0], item[1].code))
    hits = [
        Hit("nation", nation.name, nation.code, nation, flag=nation.country or None)
        for _, nation in found[:limit]
    ]
    return hits, len(found) > limit


SEARCHES = [
    ("nation", "Nations", search_nations),
    ("season", "Seasons", search_seasons),
    ("meet", "World Cups", search_meets),
    ("venue", "Venues and cities", search_venues),
    ("athlete", "Athletes", search_athletes),
]


def search(query, limit=LIMIT):
    """Search everything for ``query``; at most ``limit`` hits of each kind, one query each."""
    query = normalise_query(query)
    if len(query) < MIN_QUERY_LENGTH:
        return SearchResults(query=query)
    terms = query.split()
    sections = []
    for kind, title, run in SEARCHES:
        hits, more = run(terms, limit)
        if hits:
            sections.append(Section(kind=kind, title=title, hits=hits, has_more=more))
    return SearchResults(query=query, sections=sections)
