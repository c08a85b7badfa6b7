"""The archive's fixed vocabularies: genders, distances, record marks and kinds of doubt.

Plain enumerations with no database behind them, so the parser (which knows no database) and the
models speak the same words."""

from anyascii import anyascii
from django.db import models
from django.utils.text import slugify


def readable_slug(text: str, fallback: str, max_length: int = 100) -> str:
    """A URL slug for a name in any script: readable ASCII, never empty. Hangul, Chinese,
        Japanese and Cyrillic are transliterated (곽윤기 -> "gwag-yun-gi", 名古屋 -> "ming-gu-wu",
        Владимир -> "vladimir"); Django's slugify alone would drop them and leave nothing. A Hangul
        or Chinese character is a syllable, so each becomes a word of its own, as romanised names
        are written. ``fallback`` is used when even the transliteration is empty (punctuation);
    ``max_length`` leaves room for a "-2" suffix in the slug fields."""
    words = "".join(f" {anyascii(c)} " if _is_syllable(c) else anyascii(c) for c in text)
    slug = slugify(words)
    if len(slug) > max_length:
        # Cut at a word boundary: transliteration can triple a name's length.
        slug = slug[: max_length + 1].rsplit("-", 1)[0][:max_length].strip("-")
    return slug or fallback


def _is_syllable(character: str) -> bool:
    # Hangul syllables and the CJK unified ideographs (with extension A).
    return "\uac00" <= character <= "\ud7a3" or "\u3400" <= character <= "\u9fff"


class Gender(models.TextChoices):
    MEN = "men", "Men"
    WOMEN = "women", "Women"
    MIXED = "mixed", "Mixed"


class Distance(models.IntegerChoices):
    """Race distances in metres. 2000, 3000 and 5000 m are only ever relays in the World Cup,
    so the distance alone says whether a race is a relay, and ordering by it puts relays last."""

    M500 = 500, "500 m"
    M1000 = 1000, "1000 m"
    M1500 = 1500, "1500 m"
    MIXED_RELAY_2000 = 2000, "2000 m mixed relay"
    RELAY_3000 = 3000, "3000 m relay"
    RELAY_5000 = 5000, "5000 m relay"


RELAY_DISTANCES = frozenset({Distance.MIXED_RELAY_2000, Distance.RELAY_3000, Distance.RELAY_5000})


def event_title(gender, label):
    """``Men's 500 m (2)``. A mixed relay's label already says it is mixed (``2000 m mixed
    relay``): "Mixed's" is not English."""
    if gender == Gender.MIXED:
        return label
    return f"{Gender(gender).label}'s {label}"


class RecordMark(models.TextChoices):
    NONE = "", "No record"
    WORLD = "WR", "World record"
    JUNIOR_WORLD = "JWR", "Junior world record"
    TRACK = "TR", "Track record"


def distance_slug(distance):
    """``500m`` / ``5000m-relay``: the anchor and export name of a distance."""
    return f"{distance}m-relay" if distance in RELAY_DISTANCES else f"{distance}m"


class FlagKind(models.TextChoices):
    RACE_OUTSIDE_SEASON = "race-outside-season", "Race dated outside its season"
    INTRO_START = "intro-start", "Intro start date disagrees with the races"
    INTRO_END = "intro-end", "Intro end date disagrees with the races"
    POSITION_REPEATED = "position-repeated", "Standings position repeated"
    POSITION_ORDER = "position-order", "Standings positions out of order"
    POINTS_ORDER = "points-order", "Standings points out of order"
    HEADING_INFERRED = "heading-inferred", "Standings heading inferred"
    EVENT_COUNT = "event-count", "Standings event count disagrees with the calendar"
    VENUE_DIFFERS = "venue-differs", "Venue differs within a meet"
    SECTION_SKIPPED = "section-skipped", "Section not understood"
    NATION_UNKNOWN = "nation-unknown", "Nation code not in the IOC list"
    MEET_ONE_GENDER = "meet-one-gender", "Meet listed for one gender only"
    FOOTNOTE_REMOVED = "footnote-removed", "Footnote mark removed from a result"
    RACE_OUTSIDE_MEET = "race-outside-meet", "Race dated outside its meet heading's dates"
    CELL_DOUBTFUL = "cell-doubtful", "Cell not read with confidence"
    TEXT_SKIPPED = "text-skipped", "Text skipped"
    # Raised by the standings check (seasons.standings.scoring), not by the parser.
    TOTAL_UNREACHABLE = "total-unreachable", "Published total cannot be reached"
