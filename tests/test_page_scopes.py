"""A save retires exactly the cached pages that show what it changed (seasons/caching/scopes.py):
every page is fetched into the cache, something is changed the way an editor changes it, and
each page is fetched again: "miss" where it was retired, "hit" where it was kept."""

import datetime

import pytest
from django.core.cache import caches
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, get_resolver

from seasons.caching import ALL, ANY, current_version, page_scopes, pages_retired
from seasons.caching.pages import CACHE_STATUS_HEADER
from seasons.caching.scopes import PAGE_SCOPES
from seasons.models import Athlete, Flag, Meet, Nation, Race, Result, Season, StandingsTable
from tests.helpers import SEASON_2011, SLC_RELAY, changed_source, open_form, run_import, save

pytestmark = pytest.mark.django_db

NAGOYA = "/seasons/2011-12/nagoya/"
DUTCH_ATHLETE = "/athletes/elodie-testaz-ned/"
CANADIAN_ATHLETE = "/athletes/elodie-testaz/"


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE = True


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


def season_pages(slug):
    """Every page of a season: its own, its standings and data, each of its meets'."""
    pages = [f"/seasons/{slug}/", f"/seasons/{slug}/standings/", f"/seasons/{slug}.json"]
    pages += [f"/seasons/{slug}.ics", f"/seasons/{slug}/standings.json"]
    for meet in Meet.objects.filter(season__slug=slug):
        base = f"/seasons/{slug}/{meet.slug}"
        pages += [f"{base}/", f"{base}.json", f"{base}.ics", f"{base}.png"]
    return pages


def nagoya_race():
    races = Race.objects.filter(meet__season__slug="2011-12", meet__slug="nagoya")
    return next(race for race in races if race.anchor == "women-1000m-1")


def nations_not_in(race):
    """Nation pages that show nothing of ``race``: no result in it, no athlete of theirs in it."""
    in_race = set(race.results.values_list("nation__code", flat=True))
    in_race |= set(race.results.values_list("athlete__nation__code", flat=True))
    return [
        f"/nations/{code.lower()}/"
        for code in Nation.objects.values_list("code", flat=True)
        if code not in in_race
    ]


def fetch_all(client, paths):
    """Fetch each path twice: the second time it must come from the cache."""
    for path in paths:
        assert client.get(path).status_code == 200, path
        assert client.get(path)[CACHE_STATUS_HEADER] == "hit", path


def statuses(client, paths):
    return {path: client.get(path)[CACHE_STATUS_HEADER] for path in paths}


def retired(client, paths):
    return sorted(path for path, status in statuses(client, paths).items() if status != "hit")


def silver_row(data):
    return next(
        key.split("-")[1]
        for key, value in data.items()
        if key.startswith("results-") and key.endswith("-place") and value == "2"
    )


def correct_race_in_the_admin(editor_client, race):
    """The race form: the race a day later and its silver medallist's time."""
    data = open_form(editor_client, race)
    data["date"] = (race.date + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    data[f"results-{silver_row(data)}-time"] = "1:31.456"
    assert save(editor_client, race, data).status_code == 302


def move_race_a_day_by_orm(editor_client, race):
    race.date = race.date.replace(day=race.date.day + 1) if race.date.day < 28 else race.date
    race.save()


@pytest.mark.parametrize(
    "change", [correct_race_in_the_admin, move_race_a_day_by_orm], ids=["admin", "orm"]
)
def test_a_nagoya_2011_12_race_retires_its_pages_and_not_2012_13s(
    client, editor_client, skaters, change
):
    race = nagoya_race()
    kept_nations = nations_not_in(race)
    touched = [NAGOYA, "/seasons/2011-12/", "/seasons/2011-12/standings/", "/nations/ned/"]
    touched.append(DUTCH_ATHLETE)
    kept = [*season_pages("2012-13"), "/seasons/2011-12/saguenay/", CANADIAN_ATHLETE]
    kept += kept_nations
    assert "/nations/can/" in kept_nations and "/seasons/2012-13/calgary/" in kept
    fetch_all(client, touched + kept)

    change(editor_client, race)

    assert retired(client, touched) == sorted(touched)
    assert retired(client, kept) == []
    # Retired once: rendered again, they are cached again.
    assert retired(client, touched) == []


def test_a_time_corrected_keeps_the_pages_of_placings_only(client, editor_client, skaters):
    """Standings, medal tables and podium counts show where a skater placed, never the time: a
    time added or corrected leaves them cached."""
    race = nagoya_race()
    touched = [NAGOYA, "/seasons/2011-12/", "/nations/ned/", DUTCH_ATHLETE]
    placings = ["/seasons/2011-12/standings/", "/nations/seasons/2011-12/", "/nations/"]
    placings += ["/athletes/", "/seasons/2011-12/standings/women-1000m/"]
    fetch_all(client, touched + placings)
    data = open_form(editor_client, race)
    data[f"results-{silver_row(data)}-time"] = "1:31.789"

    assert save(editor_client, race, data).status_code == 302

    assert retired(client, touched) == sorted(touched)
    assert retired(client, placings) == []
    assert "1:31.789" in client.get(NAGOYA).text


def test_a_result_moved_to_another_athlete_retires_both_athletes(client, skaters):
    canadian, dutch = skaters
    fetch_all(client, [DUTCH_ATHLETE, CANADIAN_ATHLETE, "/athletes/"])
    result = Result.objects.get(athlete=dutch)

    result.athlete = canadian
    result.save()

    assert retired(client, [DUTCH_ATHLETE, CANADIAN_ATHLETE, "/athletes/"]) == sorted(
        [DUTCH_ATHLETE, CANADIAN_ATHLETE, "/athletes/"]
    )


def test_an_athlete_renamed_retires_every_meet_and_season_they_appear_on(client, skaters):
    _, dutch = skaters
    pages = [NAGOYA, "/seasons/2011-12/", DUTCH_ATHLETE, "/nations/ned/", "/athletes/"]
    kept = ["/seasons/2012-13/", "/seasons/2011-12/saguenay/", CANADIAN_ATHLETE]
    fetch_all(client, pages + kept)

    dutch.name = "Élodie Testaz-de Vries"
    dutch.save()

    assert retired(client, pages) == sorted(pages)
    assert retired(client, kept) == []
    assert "Testaz-de Vries" in client.get(NAGOYA).text


def test_a_doubt_closed_retires_its_meet_season_and_source(client, archive):
    flag = Flag.objects.filter(meet__isnull=False, season__slug="2011-12").first()
    meet = f"/seasons/2011-12/{flag.meet.slug}/"
    pages = [meet, "/seasons/2011-12/", "/seasons/2011-12/standings/", "/sources/", "/"]
    other_meets = Meet.objects.filter(season__slug="2011-12").exclude(pk=flag.meet_id)
    kept = ["/seasons/2012-13/", *(meet.get_absolute_url() for meet in other_meets)]
    fetch_all(client, pages + kept)

    flag.note = "Checked against the ISU's report."
    flag.save()

    assert retired(client, pages) == sorted(pages)
    assert retired(client, kept) == []


def test_a_standings_table_added_retires_the_lists_that_count_or_link_tables(client, archive):
    """The front page and the seasons list count a season's tables; the sitemap links each
    table's page."""
    pages = ["/", "/seasons/", "/sitemap.xml", "/seasons/2012-13/standings/"]
    kept = ["/seasons/2011-12/", "/seasons/2011-12/standings/", "/venues/"]
    fetch_all(client, pages + kept)

    season = Season.objects.get(slug="2012-13")
    StandingsTable.objects.filter(season=season, gender="men", distance=500).delete()
    fetch_all(client, pages + kept)
    StandingsTable.objects.create(season=season, gender="men", distance=500)

    assert retired(client, pages) == sorted(pages)
    assert retired(client, kept) == []
    assert "/seasons/2012-13/standings/men-500m/" in client.get("/sitemap.xml").text


def test_a_season_renamed_retires_every_page(client, archive):
    pages = ["/", "/seasons/2012-13/", "/nations/", "/venues/", "/search/?q=nagoya"]
    fetch_all(client, pages)

    season = Season.objects.get(slug="2011-12")
    season.title = "2011–12 ISU World Cup"
    season.save()

    assert retired(client, pages) == sorted(pages)


def test_an_import_retires_every_page_once(
    client, archive, tmp_path, django_capture_on_commit_callbacks
):
    pages = ["/seasons/2012-13/", "/nations/kor/"]
    fetch_all(client, pages)
    retirements = []

    def receive(sender, scopes, **kwargs):
        retirements.append(scopes)

    pages_retired.connect(receive, weak=False, dispatch_uid="test-import")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run_import(changed_source(tmp_path, SLC_RELAY, SLC_RELAY.replace("| KOR |", "| JPN |")))
    finally:
        pages_retired.disconnect(dispatch_uid="test-import")

    assert retired(client, pages) == sorted(pages)
    assert retirements == [{ALL, ANY}]


def test_an_unchanged_import_retires_nothing(client, archive):
    pages = ["/seasons/2011-12/", "/nations/kor/"]
    fetch_all(client, pages)

    run_import(SEASON_2011)

    assert retired(client, pages) == []


def test_a_rolled_back_save_retires_nothing(client, skaters):
    _, dutch = skaters
    fetch_all(client, [DUTCH_ATHLETE])
    before = current_version()
    sent = []
    pages_retired.connect(sent.append, weak=False, dispatch_uid="test-rollback")
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            dutch.name = "Rolled Back"
            dutch.save()
            raise RuntimeError
    finally:
        pages_retired.disconnect(dispatch_uid="test-rollback")

    assert current_version() == before
    assert sent == []
    assert retired(client, [DUTCH_ATHLETE]) == []


def test_pages_retired_is_sent_on_commit_with_the_scopes(
    skaters, django_capture_on_commit_callbacks
):
    _, dutch = skaters
    sent = []

    def receive(sender, scopes, **kwargs):
        sent.append(scopes)

    pages_retired.connect(receive, weak=False, dispatch_uid="test-commit")
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            dutch.name = "Élodie Testaz-de Vries"
            dutch.save()
            assert sent == []
    finally:
        pages_retired.disconnect(dispatch_uid="test-commit")

    assert len(sent) == 1
    assert {"athlete:elodie-testaz-ned", "meet:2011-12/nagoya", "nation:ned", ANY} <= sent[0]
    assert ALL not in sent[0]


def test_suggestions_and_version_only_saves_retire_nothing(client, skaters):
    fetch_all(client, [NAGOYA])
    before = current_version()

    race = nagoya_race()
    race.save(update_fields=["version"])

    assert current_version() == before
    assert retired(client, [NAGOYA]) == []


def public_url_names():
    """Every URL name the page cache serves: the seasons namespace, sitemap.xml and robots.txt."""
    resolver = get_resolver()
    names = {"sitemap", "robots-txt"}
    for pattern in resolver.url_patterns:
        if getattr(pattern, "namespace", None) == "seasons":
            names |= {p.name for p in pattern.url_patterns if isinstance(p, URLPattern)}
    return names


def test_every_public_page_says_what_it_shows():
    suggestion_forms = {"suggest-race", "suggest-standings", "suggestion-sent"}
    assert public_url_names() - suggestion_forms - set(PAGE_SCOPES) == set()


def test_a_page_not_placed_shows_every_change():
    assert page_scopes("not-a-page", {}) == {ALL, ANY}
    assert page_scopes("meet", {"season": "2011-12", "meet": "nagoya"}) == {
        ALL,
        "meet:2011-12/nagoya",
    }


def test_a_retired_page_is_rendered_once_for_every_worker(client, skaters):
    """The workers' shared tier: a page one worker rendered after a save is a hit for the
    next worker (its own memory still holding the retired version)."""
    fetch_all(client, [NAGOYA])
    dutch = Athlete.objects.get(slug="elodie-testaz-ned")
    dutch.name = "Élodie Testaz-de Vries"
    dutch.save()
    assert client.get(NAGOYA)[CACHE_STATUS_HEADER] == "miss"

    caches["pages-local"].clear()

    response = client.get(NAGOYA)
    assert response[CACHE_STATUS_HEADER] == "hit"
    assert "Testaz-de Vries" in response.text
