"""Dates as editors write them: "22 October 2011", "Oct. 22, 2011", "22nd October 2011",
"Saturday, 22 October 2011", "22.10.2011", "2011-10-22", and a meet heading's span."""

import re
from datetime import date, datetime

from .records import SourceError

# "22 October 2011", "22nd Oct. 2011" or, in North American articles, "October 22, 2011".
DATE_WORDS = (
    r"\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]+\.?\s+\d{4}"
    r"|[A-Za-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
)
WEEKDAY = re.compile(
    r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+|\s*\((?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\)",
    re.IGNORECASE,
)
ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b", re.IGNORECASE)
NUMERIC = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
# A meet heading may carry the meet's dates after the city: "Beijing 21–24 October 2021" (the
# 2021–22 article), "Nagoya (30 November – 2 December 2012)". The races carry their own dates.
# The start leaves out what it shares with the end: groups (day, month, year, day, month, year)
# and, month first, (month, day, month, day, year).
SPAN_DAY_FIRST = (
    r"(\d{1,2})(?:\s+([A-Za-z]+\.?))?(?:\s+(\d{4}))?\s*[–—-]\s*(\d{1,2})\s+([A-Za-z]+\.?)\s+(\d{4})"
)
SPAN_MONTH_FIRST = (
    r"([A-Za-z]+\.?)\s+(\d{1,2})\s*[–—-]\s*(?:([A-Za-z]+\.?)\s+)?(\d{1,2}),?\s+(\d{4})"
)
DATE_SPAN = f"{SPAN_DAY_FIRST}|{SPAN_MONTH_FIRST}"


def parse_date(text: str, path: str, line: int) -> date:
    """The date ``text`` states; a :class:`SourceError` at ``path``:``line`` if none."""
    parsed = read_date(text)
    if parsed is None:
        raise SourceError(
            path, line, f"{text.strip()!r} is not a date (expected e.g. 22 October 2011)"
        )
    return parsed


def read_date(text: str) -> date | None:
    """A date as editors write it, or None. A day range ("22–23 October 2011") is its last
    day: race rows give the day of the final."""
    text = ORDINAL.sub(r"\1", WEEKDAY.sub("", " ".join(text.split())))
    numeric = NUMERIC.match(text)
    if numeric:
        # European order, as ISU documents and most of these articles write it: 23.10.2010.
        day, month, year = map(int, numeric.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return None
    span = read_span(text)
    if span is not None:
        return span[1]
    # strptime knows "Sep" but not the "Sept." many editors write.
    words = re.sub(r"\bSept\b", "Sep", " ".join(text.replace(".", " ").split()), flags=re.I)
    patterns = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%Y-%m-%d")
    for pattern in patterns:
        try:
            return datetime.strptime(words, pattern).date()
        except ValueError:
            continue
    return None


def read_span(text: str) -> tuple[date, date] | None:
    """The (start, end) a meet heading's dates state, or None when they cannot be read for
    certain: an unknown month, an impossible day, an end before the start. Only a span that
    is read for certain may call a race's date into doubt."""
    text = text.strip(" ,:–—-()")
    day_first = re.fullmatch(SPAN_DAY_FIRST, text)
    if day_first:
        day, month, year, end_day, end_month, end_year = day_first.groups()
        end = read_date(f"{end_day} {end_month} {end_year}")
        start = read_date(f"{day} {month or end_month} {year or end_year}")
    else:
        month_first = re.fullmatch(SPAN_MONTH_FIRST, text)
        if not month_first:
            return None
        month, day, end_month, end_day, end_year = month_first.groups()
        year = None
        end = read_date(f"{end_month or month} {end_day}, {end_year}")
        start = read_date(f"{month} {day}, {end_year}")
    if start is None or end is None:
        return None
    # "28 December – 2 January 2013": the start, given no year, is in the year before.
    if start > end and year is None and start.month > end.month:
        start = read_date(f"{start.day} {start:%B} {start.year - 1}")
    if start is None or start > end:
        return None
    return start, end
