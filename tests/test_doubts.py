"""Doubts that follow the data (issue #18): the date checks use what the source gives."""

import re

from seasons.vocabulary import FlagKind
from tests.test_formats import PLAIN, parse, replaced


def intro_flags(text):
    season = parse(text)
    return [
        a.message for a in season.anomalies if a.kind in (FlagKind.INTRO_START, FlagKind.INTRO_END)
    ]


def test_doubts_season_beginning_with_the_heats_raises_nothing():
    # The first final is on 8 November 2014: heats the day before, or two days before.
    for day in ("7 November 2014", "6 November 2014", "8 November 2014"):
        assert intro_flags(replaced(PLAIN, "began on 8 November 2014", f"began on {day}")) == []


def test_doubts_intro_start_three_days_early_or_after_the_first_final_is_doubtful():
    for day in ("5 November 2014", "9 November 2014"):
        (message,) = intro_flags(replaced(PLAIN, "began on 8 November 2014", f"began on {day}"))
        assert message == (
            f"the intro says the season began on {day}; the first final is dated "
            "8 November 2014 (heats up to two days before)"
        )


def test_doubts_intro_end_after_the_last_final_is_doubtful():
    (message,) = intro_flags(
        replaced(PLAIN, "ended on 21 December 2014", "ended on 15 February 2015")
    )
    assert message.startswith("the intro says the season ended on 15 February 2015; the last final")


def test_doubts_meet_heading_dates_silence_the_intro_check_when_they_agree():
    text = replaced(PLAIN, "began on 8 November 2014", "began on 5 November 2014")
    assert intro_flags(text)  # three days before the first final: doubtful
    # The meet heading says the meet ran from 5 to 9 November: the intro agrees with it.
    dated = replaced(text, "==== Montreal ====", "==== Montreal (5–9 November 2014) ====")
    assert intro_flags(dated) == []
    # ... and a start outside the heading's dates is doubtful, said with the heading's dates.
    late = replaced(dated, "began on 5 November 2014", "began on 4 November 2014")
    (message,) = intro_flags(late)
    assert message.endswith("Montreal's heading gives 5 November 2014 to 9 November 2014")


# -- after an edit: the checks run again (seasons.doubts) -----------------------------------------

import pytest  # noqa: E402

from seasons.models import Correction, Flag, StandingsTable  # noqa: E402
from tests.helpers import open_form, race, save  # noqa: E402


def dordrecht_flags():
    return Flag.objects.filter(kind=FlagKind.RACE_OUTSIDE_SEASON, meet__slug="dordrecht")


@pytest.mark.django_db
def test_doubts_admin_fix_of_a_dordrecht_date_closes_its_flag(editor_client):
    men_500 = race("men", 500, meet="dordrecht")
    flag = dordrecht_flags().get(race=men_500)
    assert not flag.is_resolved
    before = editor_client.get("/seasons/2011-12/dordrecht/").text.count(flag.message)
    data = open_form(editor_client, men_500)
    response = save(editor_client, men_500, {**data, "date": "2012-02-12"}, "ISU results: 2012")
    assert response.status_code == 302
    flag.refresh_from_db()
    change = Correction.objects.get(fixed_flags=flag)
    assert flag.is_fixed and flag.fixed_by == change and change.reason == "ISU results: 2012"
    # The other nine Dordrecht races are still dated 2011: their doubts stay open.
    assert dordrecht_flags().open().count() == 9
    # The meet page no longer shows the fixed doubt; /changes/ says what the change closed.
    meet = editor_client.get("/seasons/2011-12/dordrecht/").text
    assert meet.count(flag.message) == before - 1  # the race's mark is gone
    changes = editor_client.get("/changes/").text
    assert "Closed a doubt: Race dated 12 February 2011, outside the season" in changes
    # The source page keeps the whole history, fixed doubts too.
    source = editor_client.get("/sources/2011-12.txt").text
    assert "Fixed by an editor&#x27;s change" in source or "Fixed by an editor's change" in source


@pytest.mark.django_db
def test_doubts_an_edit_that_creates_a_doubt_opens_one(editor_client):
    table = StandingsTable.objects.get(season__slug="2012-13", gender="women", distance=1000)
    second = table.entries.get(row=2)
    assert not Flag.objects.filter(table=table, kind=FlagKind.POINTS_ORDER).exists()
    data = open_form(editor_client, table)
    field = next(k for k, v in data.items() if k.endswith("-id") and v == str(second.pk))
    points = field.replace("-id", "-points")
    original = data[points]
    response = save(editor_client, table, {**data, points: "99999"}, "typo test")
    assert response.status_code == 302
    (flag,) = Flag.objects.filter(table=table, kind=FlagKind.POINTS_ORDER)
    assert not flag.is_resolved and "99999 points is more than" in flag.message
    # Putting the points back closes it, fixed by that change.
    data = open_form(editor_client, table)
    save(editor_client, table, {**data, points: original}, "back to the source")
    flag.refresh_from_db()
    assert flag.is_fixed and flag.fixed_by.reason == "back to the source"


@pytest.mark.django_db
def test_doubts_a_doubt_an_editor_kept_as_published_stays_resolved(editor_client, editor):
    from django.utils import timezone

    men_500 = race("men", 500, meet="dordrecht")
    flag = dordrecht_flags().get(race=men_500)
    flag.resolved_at, flag.resolved_by = timezone.now(), editor
    flag.resolution = "Kept as published: the ISU lists 2011"
    flag.save()
    data = open_form(editor_client, men_500)
    save(editor_client, men_500, {**data, "date": "2012-02-12"}, "ISU results: 2012")
    flag.refresh_from_db()
    assert flag.resolution == "Kept as published: the ISU lists 2011" and not flag.is_fixed


@pytest.mark.django_db
def test_doubts_travel_with_the_value_in_json(editor_client):
    meet = editor_client.get("/seasons/2011-12/dordrecht.json").json()
    men_500 = next(r for r in meet["races"] if r["key"] == "men-500m")
    (flag,) = [f for f in men_500["flags"] if f["kind"] == "race-outside-season"]
    assert flag["message"].startswith("race dated 12 February 2011, outside the season")
    assert flag["source"] == {
        "file": "2011-12.txt",
        "line": men_500["source"]["line"],
        "url": f"/sources/2011-12.txt#L{men_500['source']['line']}",
    }
    season = editor_client.get("/seasons/2011-12.json").json()
    assert {f["kind"] for f in season["flags"]} == {"intro-start", "intro-end"}
    standings = editor_client.get("/seasons/2011-12/standings.json").json()
    assert any(f["kind"] == "position-repeated" for t in standings["tables"] for f in t["flags"])
    # Fixed in admin: the race's JSON carries it no more.
    from tests.helpers import change_url

    data = open_form(editor_client, race("men", 500, meet="dordrecht"))
    editor_client.post(
        change_url(race("men", 500, meet="dordrecht")),
        {**data, "date": "2012-02-12", "change_reason": "ISU results: 2012"},
    )
    meet = editor_client.get("/seasons/2011-12/dordrecht.json").json()
    men_500 = next(r for r in meet["races"] if r["key"] == "men-500m")
    assert men_500["flags"] == []


@pytest.mark.django_db
def test_doubts_travel_to_calendar_preview_card_and_csv(editor_client, monkeypatch):
    ics = editor_client.get("/seasons/2011-12/dordrecht.ics").content.decode()
    unfolded = ics.replace("\r\n ", "")
    assert "In doubt: Race dated outside its season: race dated 12 February 2011" in unfolded
    page = editor_client.get("/seasons/2011-12/dordrecht/").text
    assert "(dates in doubt: see the notes on the page)" in page
    assert "dates in doubt" not in editor_client.get("/seasons/2011-12/nagoya/").text
    drawn = []
    monkeypatch.setattr(
        "seasons.views.data.cards.meet_card", lambda meet, races, when: drawn.append(when) or b""
    )
    editor_client.get("/seasons/2011-12/dordrecht.png")
    assert drawn == ["Fri 11 – Sat 12 February 2011 (dates in doubt)"]
    csv = editor_client.get("/seasons/2011-12/standings/?_export=csv").content.decode()
    header, *rows = csv.splitlines()
    assert "Flags" in header
    assert sum("Standings position repeated: position 3 is given twice" in r for r in rows) == 1


@pytest.mark.django_db
def test_doubts_a_season_without_a_known_rule_claims_nothing_until_an_editor_attaches_one(
    editor_client,
):
    from seasons.importing.parser import read_source
    from seasons.importing.writer import import_seasons
    from seasons.models import ScoringRule, Season
    from seasons.standings.check import check_standings
    from tests.test_formats import DATA

    # The archive knows the points rule of 2011–13 only: 2014–15's is not known.
    import_seasons([read_source(DATA / "2014-15-plain.txt")])
    season = Season.objects.get(slug="2014-15")
    assert not ScoringRule.objects.filter(season=season).exists()
    assert not Flag.objects.filter(season=season, kind=FlagKind.TOTAL_UNREACHABLE).exists()
    assert check_standings([season]).checked == 0
    # The admin's new rule starts as the 2011–13 table; attached, the check runs for the season.
    add = editor_client.get(f"/admin/seasons/scoringrule/add/?season={season.pk}").text
    assert "1000, 800, 640" in add
    ScoringRule.objects.create(
        season=season,
        points_per_place=[1000, 800, 640, 512, 410],
        individual_counted=2,
        individual_events=2,
        relay_counted=2,
        relay_events=2,
    )
    assert check_standings([season]).checked == 10


@pytest.mark.django_db
def test_doubts_missing_values_read_as_what_they_are(client, archive):
    """No placeholder wording: the first 2011–12 table gives no "After N of M events"."""
    page = client.get("/seasons/2011-12/standings/").text
    assert "number of events not given" in page
    assert not re.search(r"after <abbr[^>]*>—</abbr> events", page)
