"""iCalendar feeds: one all-day event per race, for a season or a single World Cup meet.

A calendar client keeps an event by its UID and refreshes it when the feed changes, so both are
derived from the data alone. The UID is the race's natural identity
(``2011-12/saguenay/men-500m-1@skatearchive``): the same race has the same UID in the season
feed and the meet feed, and across re-imports. DTSTAMP is midnight UTC of the race day rather
than the time of the request, which makes a feed byte-stable: unchanged data gives the same
bytes, so caches and clients see no change when there is none.

The texts come from sources and editors. icalendar escapes what iCalendar's TEXT needs (commas,
semicolons, backslashes, line breaks), but a property such as the calendar's name or an event's
summary is one line, and refuses a line break: those are made one line (``one_line``), the
description keeps its lines and loses only control characters (``several_lines``).
"""

import datetime

from icalendar import Calendar, Event

from .doubts import open_doubts
from .models import podium_place_text
from .models.people import UNKNOWN
from .text import one_line, several_lines

PRODID = "-//skatearchive//ISU Short Track Speed Skating World Cup archive//EN"
UID_DOMAIN = "skatearchive"
PLACE_NAMES = {1: "Gold", 2: "Silver", 3: "Bronze"}


def calendar_races(races):
    """``races`` in calendar order with what their events show: meet, season and venue, and
    the podium and the flags (three queries)."""
    return races.with_meet().with_podium().with_flags().in_calendar_order()


def race_uid(race):
    return f"{race.meet.season.slug}/{race.meet.slug}/{race.anchor}@{UID_DOMAIN}"


def race_summary(race):
    return f"{race.title} — World Cup {race.meet.city}"


def podium_text(race):
    """The podium in one line each (``Gold: Jane Doe (KOR)``, ``KOR`` or ``unknown``; a dead
    heat ``Gold: A (KOR) = B (CAN)``), or a sentence saying it is not known."""
    if not race.has_podium:
        return "Podium: not in the source."
    return "\n".join(
        f"{PLACE_NAMES[place]}: {podium_place_text(results, UNKNOWN)}"
        for place, results in race.podium
    )


def location(venue):
    parts = [str(venue)]
    if venue.country:
        parts.append(venue.country.name)
    return ", ".join(parts)


def race_event(race, base_url):
    """The race as an all-day VEVENT; ``base_url`` (``https://host``) makes its link absolute."""
    url = base_url + race.get_absolute_url()
    event = Event()
    event.add("uid", race_uid(race))
    event.add("dtstamp", datetime.datetime.combine(race.date, datetime.time(), datetime.UTC))
    event.add("dtstart", race.date)
    event.add("dtend", race.date + datetime.timedelta(days=1))
    event.add("summary", one_line(race_summary(race)))
    event.add("location", one_line(location(race.meet.venue)))
    # A doubtful race says so before its podium: a calendar is read without the page's notes.
    doubts = "".join(
        f"In doubt: {flag.get_kind_display()}: {flag.message}.\n\n" for flag in open_doubts(race)
    )
    event.add("description", several_lines(f"{doubts}{podium_text(race)}\n\n{url}"))
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event


def build_calendar(name, races, base_url, page_url):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", one_line(name))
    calendar.add("x-wr-calname", one_line(name))
    calendar.add("url", base_url + page_url)
    for race in races:
        calendar.add_component(race_event(race, base_url))
    return calendar.to_ical()


def season_calendar(season, races, base_url):
    """The season's races as iCalendar bytes. ``races`` come with meet, venue and podium."""
    return build_calendar(
        f"{season.years} Short Track World Cup", races, base_url, season.get_absolute_url()
    )


def meet_calendar(meet, races, base_url):
    """One World Cup stop's races as iCalendar bytes."""
    return build_calendar(
        f"World Cup {meet.city} {meet.season.years}", races, base_url, meet.get_absolute_url()
    )
