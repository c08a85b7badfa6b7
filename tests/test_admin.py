"""The editors' admin through Django's test client. Forms are posted as a browser would: the
fields read from the rendered page (hidden inputs included), then changed."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from seasons.corrections import BASELINE_REASON
from seasons.models import Athlete, Flag, Nation, Race, Season, StandingsTable
from tests.helpers import (
    SEASON_2011,
    change_url,
    form_fields,
    inline_field,
    open_form,
    race,
    save,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def field_errors(response, field, row=None, inline=0):
    """The errors on ``field`` of the main form, or of inline ``inline``'s form ``row``."""
    if row is None:
        form = response.context["adminform"].form
    else:
        form = response.context["inline_admin_formsets"][inline].formset.forms[row]
    return form.errors.get(field, [])


def non_field_errors(response):
    return list(response.context["adminform"].form.non_field_errors())


@pytest.fixture
def hamelin(archive):
    return Athlete.objects.create(
        name="Charles Hamelin", slug="charles-hamelin", nation=Nation.objects.get(code="CAN")
    )


@pytest.fixture
def other_editor(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("second", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def test_editor_logs_in_and_fills_in_a_missing_winner(client, editor, hamelin):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "editor", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.context["user"] == editor
    sprint = race("men", 500, 1)
    data = open_form(client, sprint)
    # The blank podium rows are the missing places, already numbered.
    assert [data[f"results-{row}-place"] for row in range(3)] == ["1", "2", "3"]
    data["results-0-athlete"] = str(hamelin.pk)
    data["results-0-nation"] = str(hamelin.nation.pk)

    response = save(client, sprint, data, reason="winner from the ISU results")

    assert response.status_code == 302
    winner = sprint.results.get()
    assert (winner.place, winner.athlete, winner.nation.code) == (1, hamelin, "CAN")
    assert winner.source is None
    sprint.refresh_from_db()
    assert sprint.version == 2  # a podium edit is an edit of the race
    record = winner.history.get()
    assert (record.history_user, record.history_change_reason) == (
        editor,
        "winner from the ISU results",
    )


def test_race_change_form_shows_source_line_and_view_on_site(editor_client):
    sprint = race("men", 500, 1)
    response = editor_client.get(change_url(sprint))
    assert '<a href="/sources/2011-12.txt#L25">2011-12.txt line 25</a>' in response.text
    assert "500m (1)" in response.text  # the source line itself
    assert "View on site" in response.text
    # The natural key the importer matches on is fixed for an imported race.
    assert response.context["adminform"].form.fields["distance"].disabled


def test_race_list_filters_races_missing_podium_places(editor_client):
    response = editor_client.get(
        "/admin/seasons/race/", {"podium": "incomplete", "meet__season__slug": "2011-12"}
    )
    races = set(response.context["cl"].result_list)
    assert race("men", 500, 1) in races
    assert race("men", 5000) not in races
    assert race("women", 3000, meet="shanghai") in races  # the source leaves out 2nd place


def test_race_search_finds_races_by_city(editor_client):
    response = editor_client.get("/admin/seasons/race/", {"q": "Saguenay"})
    assert {race.meet.slug for race in response.context["cl"].result_list} == {"saguenay"}


def test_athlete_autocomplete_answers_editors(editor_client, hamelin):
    response = editor_client.get(
        "/admin/autocomplete/",
        {
            "term": "hame",
            "app_label": "seasons",
            "model_name": "result",
            "field_name": "athlete",
        },
    )
    assert [item["text"] for item in response.json()["results"]] == ["Charles Hamelin (CAN)"]


def test_meet_page_corrects_a_race_date_inline(editor_client):
    sprint = race("men", 500, 1)
    data = open_form(editor_client, sprint.meet)
    data[inline_field(data, sprint, "date")] = "30/10/2011"

    assert save(editor_client, sprint.meet, data).status_code == 302

    sprint.refresh_from_db()
    assert (sprint.date, sprint.version) == (datetime.date(2011, 10, 30), 2)
    assert sprint.meet.version == 2
    assert sprint.history.first().history_change_reason == "checked against the ISU results"


def test_meet_page_refuses_a_race_changed_meanwhile(editor_client, other_editor):
    from django.test import Client

    sprint = race("men", 500, 1)
    meet_form = open_form(editor_client, sprint.meet)
    elsewhere = Client()
    elsewhere.force_login(other_editor)
    race_form = open_form(elsewhere, sprint)
    race_form["date"] = "28/10/2011"
    assert save(elsewhere, sprint, race_form).status_code == 302
    meet_form[inline_field(meet_form, sprint, "record")] = "WR"

    refused = save(editor_client, sprint.meet, meet_form)

    row = next(
        form
        for form in refused.context["inline_admin_formsets"][0].formset.forms
        if form.instance.pk == sprint.pk
    )
    assert "Date: 29 October 2011 → 28 October 2011" in row.non_field_errors()
    sprint.refresh_from_db()
    assert (sprint.date, sprint.record) == (datetime.date(2011, 10, 28), "")


def test_standings_row_is_corrected_inline(editor_client):
    table = StandingsTable.objects.get_by_natural_key("2011-12", "men", 1000)
    data = open_form(editor_client, table)
    data["entries-0-points"] = "999"

    assert save(editor_client, table, data).status_code == 302

    entry = table.entries.get(row=1)
    assert (entry.points, entry.version) == (999, 2)


def test_editor_adds_a_race_with_its_podium(editor_client, hamelin):
    add = editor_client.get("/admin/seasons/race/add/")
    data = form_fields(add, "race_form")
    data.update(
        {
            "meet": str(race("men", 500, 1).meet.pk),
            "gender": "men",
            "distance": "500",
            "number": "3",
            "date": "30/10/2011",
            "results-0-athlete": str(hamelin.pk),
        }
    )

    response = editor_client.post("/admin/seasons/race/add/", data)

    assert response.status_code == 302
    added = race("men", 500, 3)
    assert (added.source, added.results.get().athlete) == (None, hamelin)
    assert added.history.get().history_change_reason == "added in admin"


def test_editors_group_may_change_archive_data_only(db):
    from django.contrib.auth.models import Group

    permissions = Group.objects.get(name="Editors").permissions.select_related("content_type")
    assert {permission.content_type.app_label for permission in permissions} == {"seasons"}
    codenames = {permission.codename for permission in permissions}
    assert {"change_race", "add_result", "change_flag", "view_historicalrace"} <= codenames
    assert "change_sourcefile" not in codenames


# Validation: each message names its field.


def test_result_inline_rejects_a_place_used_twice_across_rows(editor_client, hamelin):
    sprint = race("men", 500, 1)
    data = open_form(editor_client, sprint)
    for row in (0, 1):
        data[f"results-{row}-place"] = "1"
        data[f"results-{row}-nation"] = str(hamelin.nation.pk)

    response = save(editor_client, sprint, data)

    assert response.status_code == 200
    assert field_errors(response, "place", row=1) == [
        "Place 1 is used twice in this race (rows 1 and 2). For a dead heat, give the second tie 2."
    ]
    assert not sprint.results.exists()


def test_result_rejects_a_place_already_taken_in_the_race(editor_client):
    relay = race("men", 5000)
    response = editor_client.post(
        "/admin/seasons/result/add/",
        {"race": relay.pk, "place": 1, "nation": Nation.objects.get(code="JPN").pk},
    )
    assert field_errors(response, "place") == [
        "Place 1 is already taken in this race (KOR). For a dead heat, give the next result at "
        "this place tie 2."
    ]


def test_relay_result_rejects_an_athlete(editor_client, hamelin):
    relay = race("men", 5000)
    data = open_form(editor_client, relay)
    data["results-0-athlete"] = str(hamelin.pk)

    response = save(editor_client, relay, data)

    assert field_errors(response, "athlete", row=0) == [
        "A relay names a nation, not an athlete: clear the athlete."
    ]


def test_race_rejects_a_date_outside_its_season(editor_client):
    sprint = race("men", 500, 1)
    data = open_form(editor_client, sprint)
    data["date"] = "01/03/2012"

    response = save(editor_client, sprint, data)

    assert field_errors(response, "date") == [
        "1 March 2012 is outside the 2011–12 season (22 October 2011 to 12 February 2012)."
    ]
    sprint.refresh_from_db()
    assert sprint.date == datetime.date(2011, 10, 29)


def test_race_keeps_the_sources_date_outside_its_season(editor_client, hamelin):
    """Dordrecht is dated 2011 in the source (flagged): filling in its podium must not require
    fixing the date first."""
    sprint = race("men", 500, meet="dordrecht")
    assert sprint.date.year == 2011
    data = open_form(editor_client, sprint)
    data["results-0-athlete"] = str(hamelin.pk)

    response = save(editor_client, sprint, data)

    assert response.status_code == 302
    assert sprint.results.get().athlete == hamelin


def test_standings_entry_rejects_negative_points(editor_client):
    table = StandingsTable.objects.get_by_natural_key("2011-12", "men", 1000)
    data = open_form(editor_client, table)
    data["entries-0-points"] = "-5"

    response = save(editor_client, table, data)

    assert field_errors(response, "points", row=0) == ["Points cannot be negative."]


def test_result_rejects_an_athlete_of_another_nation(editor_client, hamelin):
    sprint = race("men", 500, 1)
    data = open_form(editor_client, sprint)
    data["results-0-athlete"] = str(hamelin.pk)
    data["results-0-nation"] = str(Nation.objects.get(code="KOR").pk)

    response = save(editor_client, sprint, data)

    assert field_errors(response, "nation", row=0) == [
        "Charles Hamelin skates for CAN, not KOR: correct the nation or pick the right athlete."
    ]


def test_change_requires_a_reason(editor_client):
    sprint = race("men", 500, 1)
    data = open_form(editor_client, sprint)
    response = save(editor_client, sprint, data, reason="")
    assert field_errors(response, "change_reason") == ["This field is required."]


# Roles


@pytest.mark.parametrize(
    "url", ["/admin/auth/user/", "/admin/auth/group/", "/admin/auth/user/add/"]
)
def test_editor_is_denied_users_and_groups(editor_client, url):
    assert editor_client.get(url).status_code == 403


def test_editor_sees_only_the_archive_in_the_admin_index(editor_client):
    apps = editor_client.get("/admin/").context["app_list"]
    assert [app["app_label"] for app in apps] == ["seasons"]


# History and revert


def test_history_records_the_change_with_its_reason_and_diff(editor_client, editor):
    sprint = race("men", 500, 1)
    data = open_form(editor_client, sprint)
    data["date"] = "28/10/2011"
    save(editor_client, sprint, data, reason="date from the ISU calendar")

    latest, baseline = sprint.history.all()
    assert (latest.history_user, latest.history_change_reason) == (
        editor,
        "date from the ISU calendar",
    )
    assert latest.date == datetime.date(2011, 10, 28)
    # Loaded from fixtures, the race had no history: its state before the edit was recorded.
    assert (baseline.history_change_reason, baseline.date) == (
        BASELINE_REASON,
        datetime.date(2011, 10, 29),
    )
    page = editor_client.get(f"/admin/seasons/race/{sprint.pk}/history/")
    changes = page.context["page_obj"][0].history_delta_changes
    assert [(change["field"], change["old"], change["new"]) for change in changes] == [
        ("Date", "2011-10-29", "2011-10-28")
    ]
    assert "date from the ISU calendar" in page.text


def test_revert_restores_the_old_value(editor_client):
    sprint = race("men", 500, 1)
    data = open_form(editor_client, sprint)
    data["date"] = "28/10/2011"
    save(editor_client, sprint, data)
    baseline = sprint.history.earliest()

    url = f"/admin/seasons/race/{sprint.pk}/history/{baseline.history_id}/"
    # The revert page is django-simple-history's, named after the historical model.
    revert = form_fields(editor_client.get(url), "historicalrace_form")
    assert revert["change_reason"].startswith("reverted to the version of ")
    response = editor_client.post(url, revert)

    assert response.status_code == 302
    sprint.refresh_from_db()
    assert (sprint.date, sprint.version) == (datetime.date(2011, 10, 29), 3)
    assert sprint.history.first().history_change_reason.startswith("reverted to the version of")


def test_revert_of_a_deleted_record_brings_it_back_with_its_version(editor_client):
    sprint = race("men", 500, 1)
    data = open_form(editor_client, sprint)
    data["date"] = "28/10/2011"
    save(editor_client, sprint, data)
    pk = sprint.pk
    deleted = editor_client.post(f"/admin/seasons/race/{pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    edited = sprint.history.filter(history_type="~").order_by("-history_date").first()

    url = f"/admin/seasons/race/{pk}/history/{edited.history_id}/"
    response = editor_client.post(url, form_fields(editor_client.get(url), "historicalrace_form"))

    assert response.status_code == 302
    restored = Race.objects.get(pk=pk)
    assert (restored.date, restored.version) == (datetime.date(2011, 10, 28), 2)


# No lost edits


def test_second_save_of_a_race_is_refused_and_neither_edit_is_lost(
    client, editor, other_editor, hamelin, archive
):
    from django.test import Client

    first, second = client, Client()
    first.force_login(editor)
    second.force_login(other_editor)
    sprint = race("men", 500, 1)
    first_form, second_form = open_form(first, sprint), open_form(second, sprint)

    first_form["results-0-athlete"] = str(hamelin.pk)
    first_form["record"] = "TR"
    assert save(first, sprint, first_form).status_code == 302
    second_form["date"] = "30/10/2011"
    refused = save(second, sprint, second_form, reason="date from the ISU calendar")

    assert refused.status_code == 200
    errors = non_field_errors(refused)
    assert errors[0].startswith("editor saved this race at ")
    assert "Record: No record → Track record" in errors
    assert "Result added: place 1, Charles Hamelin (CAN)" in errors
    sprint.refresh_from_db()
    assert (sprint.date, sprint.record) == (datetime.date(2011, 10, 29), "TR")
    # The second editor's input is intact; what they did not touch shows the first's edit.
    shown = form_fields(refused, "race_form")
    assert (shown["date"], shown["record"]) == ("30/10/2011", "TR")
    assert shown["change_reason"] == "date from the ISU calendar"

    assert second.post(change_url(sprint), shown).status_code == 302
    sprint.refresh_from_db()
    assert (sprint.date, sprint.record) == (datetime.date(2011, 10, 30), "TR")
    assert sprint.results.get().athlete == hamelin


def test_conflicting_edit_of_one_field_shows_both_values(client, editor, other_editor, archive):
    from django.test import Client

    first, second = client, Client()
    first.force_login(editor)
    second.force_login(other_editor)
    sprint = race("men", 500, 1)
    first_form, second_form = open_form(first, sprint), open_form(second, sprint)
    first_form["date"] = "28/10/2011"
    save(first, sprint, first_form)
    second_form["date"] = "30/10/2011"

    refused = save(second, sprint, second_form)

    assert "Date: 29 October 2011 → 28 October 2011" in non_field_errors(refused)
    assert form_fields(refused, "race_form")["date"] == "30/10/2011"
    sprint.refresh_from_db()
    assert sprint.date == datetime.date(2011, 10, 28)


def test_podium_row_changed_meanwhile_is_reported_on_its_row(client, editor, other_editor, archive):
    from django.test import Client

    first, second = client, Client()
    first.force_login(editor)
    second.force_login(other_editor)
    relay = race("men", 5000)
    first_form, second_form = open_form(first, relay), open_form(second, relay)
    can, jpn = Nation.objects.get(code="CAN"), Nation.objects.get(code="JPN")
    first_form["results-0-nation"] = str(can.pk)
    save(first, relay, first_form)
    second_form["results-1-nation"] = str(jpn.pk)

    refused = save(second, relay, second_form)

    row_errors = refused.context["inline_admin_formsets"][0].formset.forms[0].non_field_errors()
    assert "Nation: KOR → CAN" in row_errors
    assert [result.nation.code for result in relay.results.order_by("place")] == [
        "CAN",
        "RUS",
        "CAN",
    ]


def test_import_keeps_a_podium_corrected_in_admin(editor_client):
    relay = race("men", 5000)
    data = open_form(editor_client, relay)
    data["results-0-nation"] = str(Nation.objects.get(code="CAN").pk)
    assert save(editor_client, relay, data).status_code == 302

    out = StringIO()
    call_command("import_season", str(SEASON_2011), stdout=out)

    assert relay.results.get(place=1).nation.code == "CAN"
    assert "kept 1 editor corrections" in out.getvalue()


# Flags


def test_open_flags_link_to_the_record_concerned(editor_client):
    response = editor_client.get("/admin/seasons/flag/")
    flags = list(response.context["cl"].result_list)
    assert flags and all(not flag.is_resolved for flag in flags)
    dordrecht = race("men", 500, meet="dordrecht")
    assert f'href="{change_url(dordrecht)}"' in response.text
    assert 'href="/seasons/2011-12/dordrecht/#men-500m"' in response.text


def test_editor_resolves_flags_with_a_note(editor_client, editor):
    flags = Flag.objects.filter(kind="race-outside-season")
    selected = [str(pk) for pk in flags.values_list("pk", flat=True)]
    confirm = editor_client.post(
        "/admin/seasons/flag/", {"action": "resolve_flags", "_selected_action": selected}
    )
    assert confirm.status_code == 200
    assert "Resolve flags" in confirm.text

    response = editor_client.post(
        "/admin/seasons/flag/",
        {
            "action": "resolve_flags",
            "_selected_action": selected,
            "apply": "Resolve flags",
            "note": "dates are 2012: ISU calendar",
        },
    )

    assert response.status_code == 302
    assert {(flag.resolution, flag.resolved_by) for flag in flags} == {
        ("dates are 2012: ISU calendar", editor)
    }
    assert all(flag.resolved_at for flag in flags)
    resolved = editor_client.get("/admin/seasons/flag/", {"status": "resolved"})
    assert len(resolved.context["cl"].result_list) == len(selected)  # they stay, as resolved
    open_flags = editor_client.get("/admin/seasons/flag/").context["cl"].result_list
    assert not set(flags) & set(open_flags)


def test_flag_resolved_in_its_form_needs_a_note(editor_client, editor):
    flag = Flag.objects.open().first()
    url = change_url(flag)
    data = {**open_form(editor_client, flag), "resolved": "on", "resolution": ""}

    refused = editor_client.post(url, data)
    assert refused.context["adminform"].form.errors["resolution"] == [
        "Say how the flag was resolved."
    ]
    assert editor_client.post(url, {**data, "resolution": "checked"}).status_code == 302

    flag.refresh_from_db()
    assert (flag.is_resolved, flag.resolved_by, flag.resolution) == (True, editor, "checked")


# create_editor


def test_create_editor_reads_the_password_from_the_environment(db, monkeypatch):
    from django.contrib.auth import authenticate

    monkeypatch.setenv("SKATEARCHIVE_EDITOR_PASSWORD", PASSWORD)
    out = StringIO()
    call_command("create_editor", "ada", stdout=out)

    user = authenticate(username="ada", password=PASSWORD)
    assert user.is_staff and not user.is_superuser
    assert [group.name for group in user.groups.all()] == ["Editors"]
    assert "Created editor 'ada'" in out.getvalue()


def test_create_editor_prompts_for_the_password(db, monkeypatch):
    from django.contrib.auth import authenticate

    monkeypatch.delenv("SKATEARCHIVE_EDITOR_PASSWORD", raising=False)
    prompts = []
    monkeypatch.setattr(
        "getpass.getpass", lambda prompt: prompts.append(prompt) or PASSWORD, raising=True
    )
    call_command("create_editor", "ada", stdout=StringIO())

    assert prompts == ["Password: ", "Password (again): "]
    assert authenticate(username="ada", password=PASSWORD).groups.get().name == "Editors"


def test_create_editor_refuses_an_existing_username(editor, monkeypatch):
    monkeypatch.setenv("SKATEARCHIVE_EDITOR_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match=r"User 'editor' already exists\."):
        call_command("create_editor", "editor", stdout=StringIO())


def test_create_editor_refuses_a_weak_password(db, monkeypatch):
    monkeypatch.setenv("SKATEARCHIVE_EDITOR_PASSWORD", "123")
    with pytest.raises(CommandError, match="too short"):
        call_command("create_editor", "ada", stdout=StringIO())


def test_season_admin_saves_with_history(editor_client):
    season = Season.objects.get(slug="2011-12")
    data = open_form(editor_client, season)
    data["title"] = data["title"] + " (corrected)"
    assert save(editor_client, season, data).status_code == 302
    assert season.history.first().history_change_reason == "checked against the ISU results"


def podium_time_save_queries(client, race_, place):
    """The queries of a save that corrects the time of ``race_``'s ``place`` row alone."""
    data = open_form(client, race_)
    time = inline_field(data, race_.results.get(place=place), "time")
    data[time] = "41.5" if data[time] == "41.234" else "41.234"  # changed, save after save
    with CaptureQueriesContext(connection) as queries:
        response = save(client, race_, data, "times from the ISU results")
    assert response.status_code == 302
    assert race_.results.get(place=place).time == data[time]
    return len(queries)


def test_podium_rows_left_as_they_were_cost_no_queries_on_save(editor_client, skaters):
    # A stored row the editor did not touch is neither checked (its athlete and nation fetched,
    # its constraints asked, its place looked up) nor saved: a save costs what it changes.
    winners = race("women", 1500)
    podium_time_save_queries(editor_client, winners, place=1)  # a first edit records baselines
    few = podium_time_save_queries(editor_client, winners, place=1)
    for place in range(4, 9):
        nation = Nation.objects.order_by("pk")[place]
        skater = Athlete.objects.create(name=f"Skater {place}", slug=f"s-{place}", nation=nation)
        winners.results.create(place=place, athlete=skater)
    many = podium_time_save_queries(editor_client, winners, place=1)
    assert many == few
    # ... and a changed row is checked as ever: a place another row holds is refused.
    data = open_form(editor_client, winners)
    eighth = inline_field(data, winners.results.get(place=8), "place")
    response = save(editor_client, winners, {**data, eighth: "4"})
    assert response.status_code == 200
    (error,) = field_errors(response, "place", row=int(eighth.split("-")[1]))
    assert error.startswith("Place 4 is already taken in this race (Skater 4 (")
