"""No lost updates, for every record an editor can change: a form opened before someone else's
save is refused with who saved, when and what changed, the editor's input kept, and saving it
again keeps both edits. An import's changes count as a save too."""

import datetime
from typing import NamedTuple

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client

from seasons.models import (
    Athlete,
    Flag,
    Meet,
    Nation,
    Race,
    Result,
    ScoringRule,
    Season,
    StandingsEntry,
    StandingsTable,
    Suggestion,
    Venue,
)
from tests.helpers import change_url, changed_source, form_fields, open_form, race, run_import, save

pytestmark = pytest.mark.django_db


class Edit(NamedTuple):
    """One editor's change to a record: form field name → the value typed (None: unticked)."""

    fields: dict


class Scenario(NamedTuple):
    """Two editors, one record: ``first`` saves, then ``second``, whose form is older."""

    record: object  # callable: () -> the record
    first: object  # callable: () -> Edit
    second: object  # callable: () -> Edit
    # What the refusal says changed meanwhile (field label: then → now).
    meanwhile: str


def pk_of(model, **lookup):
    return lambda: str(model.objects.get(**lookup).pk)


def nation(code):
    return Nation.objects.get(code=code)


def demo_athlete():
    return Athlete.objects.get_or_create(
        slug="pat-doe", defaults={"name": "Pat Doe", "nation": nation("CAN")}
    )[0]


SCENARIOS = {
    Nation: Scenario(
        lambda: nation("GBR"),
        lambda: Edit({"country": "IE"}),
        lambda: Edit({"code": "GBX"}),
        "Country: United Kingdom → Ireland",
    ),
    # The case: Alice renames an athlete, Bob then saves a nation change from a form he
    # opened before; the rename used to be silently reverted.
    Athlete: Scenario(
        demo_athlete,
        lambda: Edit({"name": "Patricia Doe"}),
        lambda: Edit({"nation": str(nation("NED").pk)}),
        "Name: Pat Doe → Patricia Doe",
    ),
    Season: Scenario(
        lambda: Season.objects.get(slug="2011-12"),
        lambda: Edit({"title": "2011–12 World Cup (checked)"}),
        lambda: Edit({"standings_note": "Checked against the ISU results."}),
        "Title: 2011–12 ISU Short Track Speed Skating World Cup → 2011–12 World Cup (checked)",
    ),
    Venue: Scenario(
        lambda: Venue.objects.get(slug="nagoya-nippon-gaishi-hall"),
        lambda: Edit({"arena": "Nippon Gaishi Hall (main rink)"}),
        lambda: Edit({"country": "JP"}),
        "Arena: Nippon Gaishi Hall → Nippon Gaishi Hall (main rink)",
    ),
    Meet: Scenario(
        lambda: Meet.objects.get(season__slug="2011-12", slug="nagoya"),
        lambda: Edit({"city": "Nagoya-shi"}),
        lambda: Edit({"venue": pk_of(Venue, slug="shanghai")()}),
        "City: Nagoya → Nagoya-shi",
    ),
    Race: Scenario(
        lambda: race("men", 500, 1),
        lambda: Edit({"date": "28/10/2011"}),
        lambda: Edit({"record": "WR"}),
        "Date: 29 October 2011 → 28 October 2011",
    ),
    Result: Scenario(
        lambda: race("men", 5000).results.get(place=1),
        lambda: Edit({"nation": str(nation("CAN").pk)}),
        lambda: Edit({"nation": str(nation("JPN").pk)}),
        "Nation: KOR → CAN",
    ),
    StandingsTable: Scenario(
        lambda: StandingsTable.objects.get_by_natural_key("2011-12", "men", 1000),
        lambda: Edit({"events_held": "7"}),
        lambda: Edit({"heading_inferred": "on"}),
        "Events held: 8 → 7",
    ),
    StandingsEntry: Scenario(
        lambda: StandingsEntry.objects.get_by_natural_key("2011-12", "men", 1000, 1),
        lambda: Edit({"points": "999"}),
        lambda: Edit({"position": "2"}),
        "Points: 5312 → 999",
    ),
    ScoringRule: Scenario(
        lambda: ScoringRule.objects.get(season__slug="2011-12"),
        lambda: Edit({"individual_counted": "5"}),
        lambda: Edit({"basis": "ISU Communication 1680"}),
        "Individual results counted: 6 → 5",
    ),
    # Two resolutions of one flag used to end with Alice as resolver and Bob's note.
    Flag: Scenario(
        lambda: Flag.objects.open().order_by("pk").first(),
        lambda: Edit({"resolved": "on", "resolution": "Alice: dates from the ISU calendar"}),
        lambda: Edit({"resolved": "on", "resolution": "Bob: checked, kept as the source has it"}),
        "Note: — → Alice: dates from the ISU calendar",
    ),
}


def editable_models():
    """Every model the Editors group may change through an admin page of its own."""
    editors = Group.objects.get(name="Editors")
    codenames = set(editors.permissions.values_list("codename", flat=True))
    return {
        model for model in admin.site._registry if f"change_{model._meta.model_name}" in codenames
    }


# A reader's suggestion is not edited but decided: a decision taken meanwhile refuses the
# other (tests/test_suggestions.py, test_suggestion_decided_meanwhile_cannot_be_declined).
DECIDED_NOT_EDITED = {Suggestion}


def test_every_model_an_editor_can_change_has_a_lost_update_scenario():
    assert editable_models() - DECIDED_NOT_EDITED == set(SCENARIOS)


@pytest.fixture
def editors(archive, django_user_model):
    """Alice and Bob, two editors with their own sessions."""
    clients = []
    for name in ("alice", "bob"):
        user = django_user_model.objects.create_user(name, password="x", is_staff=True)
        user.groups.add(Group.objects.get(name="Editors"))
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def apply(data, edit):
    for name, value in edit.fields.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def form_of(response, obj):
    return form_fields(response, f"{obj._meta.model_name}_form")


def errors_of(response):
    return list(response.context["adminform"].form.non_field_errors())


@pytest.mark.parametrize("model", list(SCENARIOS), ids=lambda model: model.__name__)
def test_stale_form_is_refused_and_both_edits_survive(editors, model):
    scenario = SCENARIOS[model]
    alice, bob = editors
    obj = scenario.record()
    alices, bobs = open_form(alice, obj), open_form(bob, obj)
    first, second = scenario.first(), scenario.second()

    assert save(alice, obj, apply(alices, first), reason="Alice's edit").status_code == 302
    refused = save(bob, obj, apply(bobs, second), reason="Bob's edit")

    assert refused.status_code == 200
    errors = errors_of(refused)
    assert errors[0].startswith(f"alice saved this {model._meta.verbose_name} at "), errors
    assert "your changes were not saved" in errors[0]
    assert scenario.meanwhile in errors
    shown = form_of(refused, obj)
    for name, value in second.fields.items():
        assert shown.get(name) == value, f"Bob's {name} is kept in the form"
    for name, value in first.fields.items():
        if name not in second.fields:
            assert shown.get(name) == value, f"the form now shows Alice's {name}"
    stored = form_of(alice.get(change_url(obj)), obj)
    assert all(stored.get(name) == value for name, value in first.fields.items())

    # Bob saves the form he was shown: nothing of either edit is lost.
    assert bob.post(change_url(obj), shown).status_code == 302
    stored = form_of(alice.get(change_url(obj)), obj)
    for name, value in {**first.fields, **second.fields}.items():
        assert stored.get(name) == value, name


def test_flag_resolved_twice_names_the_author_of_the_note_kept(editors):
    alice, bob = editors
    flag = Flag.objects.open().order_by("pk").first()
    alices, bobs = open_form(alice, flag), open_form(bob, flag)
    save(alice, flag, apply(alices, SCENARIOS[Flag].first()))

    refused = save(bob, flag, apply(bobs, SCENARIOS[Flag].second()))
    flag.refresh_from_db()
    assert (flag.resolved_by.username, flag.resolution) == (
        "alice",
        "Alice: dates from the ISU calendar",
    )

    # Bob read what Alice wrote and keeps his note: the flag is then his.
    assert bob.post(change_url(flag), form_of(refused, flag)).status_code == 302
    flag.refresh_from_db()
    assert (flag.resolved_by.username, flag.resolution) == (
        "bob",
        "Bob: checked, kept as the source has it",
    )


def test_import_adding_a_podium_place_is_a_change_of_the_race(editors, tmp_path):
    """An editor fills in a winner while an import adds one: told that the race changed (who,
    what), not stopped by "place already taken" with no word of why."""
    alice, _ = editors
    sprint = race("men", 500, 1)
    before = sprint.version
    form = open_form(alice, sprint)
    line = "| 29 October 2011 | Centre Georges-Vézina | 500m (1) | | | | |"
    run_import(changed_source(tmp_path, line, line.replace("(1) | |", "(1) | KOR |")))

    sprint.refresh_from_db()
    assert sprint.version == before + 1
    assert sprint.history.first().history_change_reason == (
        "imported from 2011-12.txt: a result added or changed"
    )
    form["results-0-nation"] = str(nation("CAN").pk)
    refused = save(alice, sprint, form)

    errors = errors_of(refused)
    assert errors[0].startswith("An import saved this race at ")
    assert "Result added: place 1, KOR" in errors
    assert form_of(refused, sprint)["results-0-nation"] == str(nation("CAN").pk)


def test_reimport_of_an_unchanged_source_moves_no_version(archive, tmp_path):
    from tests.helpers import SEASON_2011

    versions = dict(Race.objects.values_list("pk", "version"))
    run_import(SEASON_2011)
    assert dict(Race.objects.values_list("pk", "version")) == versions


def test_import_changing_a_standings_row_moves_its_tables_version(archive, tmp_path):
    table = StandingsTable.objects.get_by_natural_key("2011-12", "men", 1000)
    before = table.version

    run_import(changed_source(tmp_path, "| 1. | | 5312 |", "| 1. | | 5313 |"))

    table.refresh_from_db()
    assert table.entries.get(row=1).points == 5313
    assert table.version == before + 1


def test_reverted_date_is_a_conflict_too(editors):
    """The check is on versions, not values: a value changed and changed back still tells."""
    alice, bob = editors
    sprint = race("men", 500, 1)
    bobs = open_form(bob, sprint)
    for date in ("28/10/2011", "29/10/2011"):
        save(alice, sprint, {**open_form(alice, sprint), "date": date})
    refused = save(bob, sprint, {**bobs, "record": "WR"})
    assert refused.status_code == 200
    sprint.refresh_from_db()
    assert (sprint.date, sprint.record) == (datetime.date(2011, 10, 29), "")
