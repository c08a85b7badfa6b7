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
from tests.helpers import inline_field, open_form, race, save  # noqa: E402


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
    points = inline_field(data, second, "points")
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


# -- which saves run the checks again (seasons.doubts.FACT_FIELDS) --------------------------------

from datetime import timedelta  # noqa: E402

from seasons import doubts  # noqa: E402
from seasons.importing.checks import check_data  # noqa: E402
from seasons.models import (  # noqa: E402
    Athlete,
    Meet,
    Race,
    Result,
    Season,
    StandingsEntry,
    Venue,
)

# Every field an editor can change that the checks do not read, per model, with the value the
# test gives it. A new field fails the first assertion below until it is put here or in
# FACT_FIELDS: a field left out of both would let a save skip checks it changes.
OTHER_FIELDS = {
    Season: {
        "infobox": lambda old: {"note": "changed"},
        "intro": lambda old: old + " Changed.",
        "standings_note": lambda old: old + " Changed.",
        "counted_results": lambda old: (old or 0) + 1,
        "counted_of": lambda old: (old or 0) + 2,
        "see_also": lambda old: [],
    },
    Meet: {"venue": lambda old: Venue.objects.exclude(pk=getattr(old, "pk", None)).first()},
    Race: {},
    Result: {
        "source_line": lambda old: (old or 0) + 1,
        "athlete": lambda old: Athlete.objects.exclude(pk=getattr(old, "pk", None)).first(),
        "tie": lambda old: old + 1,
        "time": lambda old: "1:23.456",
    },
    StandingsTable: {"heading_inferred": lambda old: not old},
    StandingsEntry: {
        "athlete": lambda old: Athlete.objects.exclude(pk=getattr(old, "pk", None)).first()
    },
}
# Kept by the archive itself, never by an editor's form.
BOOKKEEPING = {"id", "source", "imported_values", "imported_key", "version"}


def checked(season):
    facts = doubts.season_facts(season)
    check_data(facts)
    return facts


@pytest.mark.django_db
def test_doubts_fact_fields_name_everything_the_checks_read(skaters):
    season = Season.objects.get(slug="2011-12")
    before = checked(season)
    assert before.anomalies  # the Dordrecht dates: the comparison below sees what checks find
    rows = {
        Season: season,
        Meet: Meet.objects.filter(season=season).first(),
        Race: race("men", 500, meet="dordrecht"),
        Result: Result.objects.filter(race__meet__season=season, athlete__isnull=False).first(),
        StandingsTable: StandingsTable.objects.filter(season=season).first(),
        StandingsEntry: StandingsEntry.objects.filter(table__season=season).first(),
    }
    for model, row in rows.items():
        fields = {f.name for f in model._meta.concrete_fields} - BOOKKEEPING
        assert fields - doubts.FACT_FIELDS[model] == set(OTHER_FIELDS[model]), model
        for name, new in OTHER_FIELDS[model].items():
            old = getattr(row, name)
            setattr(row, name, new(old))
            assert getattr(row, name) != old, (model, name)
        row.save()
        assert not doubts.changes_facts(model, OTHER_FIELDS[model])
    assert checked(season) == before
    # ... and a fact field changed does change what the checks see: the comparison can fail.
    dordrecht = rows[Race]
    dordrecht.date += timedelta(days=365)
    dordrecht.save()
    assert doubts.changes_facts(Race, ["date"])
    assert checked(season) != before


@pytest.mark.django_db
def test_doubts_a_save_of_a_time_alone_does_not_run_the_checks(editor_client, monkeypatch):
    from seasons.admin import base

    runs = []
    real = base.recheck
    monkeypatch.setattr(base, "recheck", lambda *a, **k: runs.append(a) or real(*a, **k))
    first = Result.objects.filter(race__meet__slug="saguenay", place=1).first()
    saguenay = first.race
    data = open_form(editor_client, saguenay)
    time = inline_field(data, first, "time")
    response = save(editor_client, saguenay, {**data, time: "40.123"}, "ISU results: time")
    assert response.status_code == 302, response.text[response.text.find("errorlist") :][:600]
    assert runs == []
    first.refresh_from_db()
    assert first.time == "40.123"
    # A corrected date is a fact: the checks run, and close that race's doubt.
    men_500 = race("men", 500, meet="dordrecht")
    data = open_form(editor_client, men_500)
    save(editor_client, men_500, {**data, "date": "2012-02-12"}, "ISU results: 2012")
    assert len(runs) == 1
    assert dordrecht_flags().get(race=men_500).is_fixed
