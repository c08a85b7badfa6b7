"""iCalendar feeds: one all-day event per race, a natural UID, byte-stable output, parsed back
with the icalendar library."""

import datetime

import pytest
from icalendar import Calendar

from seasons.calendars import calendar_races, meet_calendar, season_calendar
from seasons.models import Meet, Race, Season

pytestmark = pytest.mark.django_db

BASE = "https://archive.example"


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Query counts are a first visit's; seasons/caching.py has its own tests."""
    settings.PAGE_CACHE = False


def season_feed(slug="2011-12"):
    season = Season.objects.get(slug=slug)
    races = calendar_races(Race.objects.filter(meet__season=season))
    return season_calendar(season, races, BASE)


def events(feed):
    return Calendar.from_ical(feed).events


def event(feed, uid):
    return next(event for event in events(feed) if str(event["UID"]) == uid)


def test_season_calendar_has_one_event_per_race(archive):
    feed = season_feed()
    assert len(events(feed)) == Race.objects.filter(meet__season__slug="2011-12").count() == 60


def test_season_calendar_uids_are_unique(archive):
    uids = [str(event["UID"]) for event in events(season_feed())]
    assert len(set(uids)) == len(uids)


def test_race_uid_is_the_races_natural_identity(archive):
    assert event(season_feed(), "2011-12/saguenay/men-500m-1@skatearchive")


def test_calendar_is_byte_stable(archive):
    assert season_feed() == season_feed()


def test_event_is_all_day_on_the_race_date(archive):
    relay = event(season_feed(), "2011-12/saguenay/men-5000m-relay@skatearchive")
    assert relay.decoded("DTSTART") == datetime.date(2011, 10, 30)
    assert relay.decoded("DTEND") == datetime.date(2011, 10, 31)
    # DTSTAMP comes from the data, not from the time of the request.
    assert relay.decoded("DTSTAMP") == datetime.datetime(2011, 10, 30, tzinfo=datetime.UTC)


def test_event_names_the_race_and_the_place(archive):
    relay = event(season_feed(), "2011-12/saguenay/men-5000m-relay@skatearchive")
    assert str(relay["SUMMARY"]) == "Men's 5000 m relay — World Cup Saguenay"
    assert str(relay["LOCATION"]) == "Centre Georges-Vézina, Saguenay"
    assert str(relay["URL"]) == f"{BASE}/seasons/2011-12/saguenay/#men-5000m-relay"


def test_event_description_gives_the_known_podium_and_the_page(archive):
    description = str(
        event(season_feed(), "2011-12/saguenay/men-5000m-relay@skatearchive")["DESCRIPTION"]
    )
    assert description.splitlines()[:3] == ["Gold: KOR", "Silver: RUS", "Bronze: CAN"]
    assert description.endswith(f"{BASE}/seasons/2011-12/saguenay/#men-5000m-relay")


def test_event_description_marks_an_unknown_place(archive):
    relay = event(season_feed(), "2011-12/salt-lake-city/men-5000m-relay@skatearchive")
    assert str(relay["DESCRIPTION"]).splitlines()[1] == "Silver: unknown"


def test_event_description_says_when_no_podium_is_known(archive):
    race = event(season_feed(), "2011-12/saguenay/men-500m-1@skatearchive")
    assert str(race["DESCRIPTION"]).startswith("Podium: not in the source.")


def test_event_description_names_a_known_athlete_with_nation(skaters):
    race = event(season_feed(), "2011-12/saguenay/women-1500m@skatearchive")
    assert str(race["DESCRIPTION"]).startswith("Gold: Élodie Testaz (CAN)\nSilver: unknown")


def test_meet_calendar_has_the_meets_races_with_the_season_feeds_uids(archive):
    meet = Meet.objects.select_related("season").get(season__slug="2011-12", slug="nagoya")
    feed = meet_calendar(meet, calendar_races(meet.races.all()), BASE)
    meet_events = {str(event["UID"]): event.to_ical() for event in events(feed)}
    assert len(meet_events) == 10
    season_events = {str(event["UID"]): event.to_ical() for event in events(season_feed())}
    assert all(season_events[uid] == ical for uid, ical in meet_events.items())


def test_calendar_is_named_after_the_season(archive):
    calendar = Calendar.from_ical(season_feed())
    assert str(calendar["X-WR-CALNAME"]) == "2011–12 Short Track World Cup"
    assert str(calendar["VERSION"]) == "2.0"


# The feeds at their URLs


def test_season_feed_url_serves_icalendar(client, archive):
    response = client.get("/seasons/2011-12.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    feed = events(response.content)
    assert len(feed) == 60
    assert str(feed[0]["URL"]).startswith("http://testserver/seasons/2011-12/")


def test_meet_feed_url_serves_the_meets_races(client, archive):
    response = client.get("/seasons/2012-13/sochi.ics")
    assert response.status_code == 200
    assert len(events(response.content)) == Race.objects.filter(meet__slug="sochi").count()


@pytest.mark.parametrize("path", ["/seasons/1999-00.ics", "/seasons/2011-12/oslo.ics"])
def test_feed_of_unknown_season_or_meet_is_404(client, archive, path):
    assert client.get(path).status_code == 404


# The season or meet, its races with their podiums, and their open doubts (issue #18).
def test_season_feed_query_count(client, archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get("/seasons/2011-12.ics")


def test_meet_feed_query_count(client, archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get("/seasons/2011-12/nagoya.ics")


@pytest.mark.parametrize(
    ("page", "feed"),
    [
        ("/seasons/2011-12/", "/seasons/2011-12.ics"),
        ("/seasons/2011-12/saguenay/", "/seasons/2011-12/saguenay.ics"),
    ],
)
def test_pages_link_their_feed(client, archive, page, feed):
    content = client.get(page).content.decode()
    assert f'<link rel="alternate" type="text/calendar" href="{feed}"' in content
    assert f'<a href="{feed}" type="text/calendar">' in content
