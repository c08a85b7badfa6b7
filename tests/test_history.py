"""seasons/corrections.py: editors' corrections, logged as they are saved and read for /changes/."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from seasons.admin.flags import resolve_flag
from seasons.corrections import (
    BASELINE_REASON,
    recent_corrections,
    record_baseline,
)
from seasons.models import (
    Athlete,
    Correction,
    FieldChange,
    Flag,
    Nation,
    Race,
    Result,
    StandingsEntry,
    Venue,
)
from tests.helpers import make_correction as correct

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(django_user_model):
    return django_user_model.objects.create_user(
        "ada", first_name="Ada", last_name="Lovelace", is_staff=True
    )


def sprint():
    return Race.objects.get_by_natural_key("2011-12", "saguenay", "men", 500, 1)


def relay_winner():
    return Result.objects.get_by_natural_key("2011-12", "saguenay", "men", 5000, None, 1)


def test_recent_corrections_say_what_when_who_and_why(archive, ada):
    race = correct(sprint(), ada, "date from the ISU calendar", date=datetime.date(2011, 10, 28))

    [correction] = recent_corrections()

    assert correction.kind == "Race"
    assert correction.record == "Saguenay 2011–12 Men 500 m (1)"
    assert correction.url == race.get_absolute_url()
    assert correction.action == "changed"
    assert correction.changes == [
        {"field": "Date", "old": "29 October 2011", "new": "28 October 2011"}
    ]
    assert correction.field_changes == (FieldChange("Date", "29 October 2011", "28 October 2011"),)
    assert correction.who == "Ada Lovelace"
    assert correction.reason == "date from the ISU calendar"
    assert correction.when == race.history.first().history_date
    assert correction.summary == (
        "Race Saguenay 2011–12 Men 500 m (1) — changed Date: 29 October 2011 → 28 October 2011"
    )


def test_log_correction_traces_the_record_and_its_editor(archive, ada):
    race = correct(sprint(), ada, date=datetime.date(2011, 10, 28))

    [correction] = recent_corrections()

    assert correction.user == ada
    assert (correction.content_type, correction.object_id) == (
        ContentType.objects.get_for_model(Race),
        race.pk,
    )
    assert correction.get_absolute_url() == f"/changes/#{correction.anchor}"


def test_recent_corrections_name_related_rows(archive, ada):
    correct(relay_winner(), ada, nation=Nation.objects.get(code="CAN"))

    [correction] = recent_corrections()

    assert correction.field_changes == (FieldChange("Nation", "KOR", "CAN"),)


def test_recent_corrections_keep_labels_as_saved(archive, ada):
    hamelin = Athlete.objects.create(name="Charles Hamelin", slug="charles-hamelin")
    winner = Result.objects.create(race=sprint(), place=1, nation=Nation.objects.get(code="CAN"))
    correct(winner, ada, athlete=hamelin)
    # A rename afterwards (no save signals: no correction of its own) rewrites no log.
    Athlete.objects.filter(pk=hamelin.pk).update(name="C. Hamelin")

    [correction] = recent_corrections()

    assert correction.record == "Saguenay 2011–12 Men 500 m (1): 1. Charles Hamelin (CAN)"
    assert correction.field_changes == (FieldChange("Athlete", "—", "Charles Hamelin"),)


def test_recent_corrections_list_additions_and_deletions(archive, ada):
    winner = Result(race=sprint(), place=1, nation=Nation.objects.get(code="CAN"))
    winner._history_user = ada
    winner.save()
    removed = relay_winner()
    removed_pk = removed.pk
    removed._history_user = ada
    removed.delete()

    deleted, added = recent_corrections()

    assert (added.kind, added.record, added.action, added.url, added.changes) == (
        "Result",
        "Saguenay 2011–12 Men 500 m (1): 1. CAN",
        "added",
        sprint().get_absolute_url(),
        [],
    )
    assert (deleted.kind, deleted.record, deleted.action, deleted.object_id) == (
        "Result",
        "Saguenay 2011–12 Men 5000 m relay: 1. KOR",
        "deleted",
        removed_pk,
    )


def test_recent_corrections_leave_out_imports_baselines_and_bookkeeping(archive, ada):
    race = sprint()
    record_baseline(race)
    race.date = datetime.date(2011, 10, 28)
    race.save()  # no user: an import or a command
    correct(race, ada, version=race.version + 1)  # only the version moved
    correct(race, ada, source=None, source_line=None)  # only the provenance

    assert recent_corrections() == []
    assert not Correction.objects.exists()


def test_recent_corrections_leave_out_flags_resolved(archive, ada):
    flag = Flag.objects.order_by("pk").first()
    flag._history_user = ada  # as the admin's request would give it
    resolve_flag(flag, "checked against the ISU calendar", ada)

    assert recent_corrections() == []


def test_recent_corrections_list_a_first_edit_without_baseline_without_fields(archive, ada):
    """A row edited outside the admin has no record of its state before: the edit still counts,
    but what it changed is unknown."""
    race = sprint()
    race.date = datetime.date(2011, 10, 28)
    race._history_user = ada
    race.save()

    [correction] = recent_corrections()

    assert (correction.action, correction.changes) == ("changed", [])


def test_recent_corrections_come_newest_first_up_to_the_limit(archive, ada):
    correct(sprint(), ada, "first", date=datetime.date(2011, 10, 28))
    correct(relay_winner(), ada, "second", nation=Nation.objects.get(code="CAN"))
    entry = StandingsEntry.objects.get_by_natural_key("2011-12", "men", 1000, 1)
    correct(entry, ada, "third", points=entry.points + 1)

    assert [correction.reason for correction in recent_corrections()] == [
        "third",
        "second",
        "first",
    ]
    assert [correction.reason for correction in recent_corrections(limit=2)] == ["third", "second"]


def test_recent_corrections_cost_one_query_however_many(archive, ada, django_assert_num_queries):
    races = Race.objects.filter(meet__slug="saguenay").order_by("pk")
    for number, race in enumerate(races):
        correct(race, ada, f"fix {number}", date=datetime.date(2011, 10, 28))
    correct(relay_winner(), ada, nation=Nation.objects.get(code="CAN"))
    correct(Venue.objects.get(slug="moscow"), ada, arena="Krylatskoye")

    with django_assert_num_queries(1):
        corrections = recent_corrections()
        assert len(corrections) == len(races) + 2
        assert all(correction.url for correction in corrections)
        assert all(correction.summary and correction.anchor for correction in corrections)


def test_recent_corrections_label_an_editor_without_a_name(archive, django_user_model):
    user = django_user_model.objects.create_user("nameless")
    correct(sprint(), user, date=datetime.date(2011, 10, 28))
    assert recent_corrections()[0].who == "an editor"


def test_recent_corrections_outlive_their_editor(archive, ada):
    correct(sprint(), ada, date=datetime.date(2011, 10, 28))
    ada.delete()

    [correction] = recent_corrections()

    assert (correction.user, correction.who) == (None, "Ada Lovelace")


def test_record_baseline_records_the_state_once(archive):
    race = sprint()
    record_baseline(race)
    record_baseline(race)

    [baseline] = race.history.all()
    assert (baseline.history_user, baseline.history_change_reason) == (None, BASELINE_REASON)
    assert baseline.date == race.date


# The log in admin: editors read it, nobody writes it by hand.


def test_editors_may_view_the_log_only(editor):
    codenames = Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
    assert {name for name in codenames if name.endswith("_correction")} == {"view_correction"}


def test_correction_admin_shows_the_log_read_only(client, archive, editor, ada):
    race = correct(sprint(), ada, "date from the ISU calendar", date=datetime.date(2011, 10, 28))
    correction = Correction.objects.get()
    client.force_login(editor)

    listing = client.get("/admin/seasons/correction/")
    page = client.get(f"/admin/seasons/correction/{correction.pk}/change/")

    assert listing.status_code == 200
    assert "Saguenay 2011–12 Men 500 m (1)" in listing.text
    assert page.status_code == 200
    assert "Date: 29 October 2011 → 28 October 2011" in page.text
    assert f'href="/admin/seasons/race/{race.pk}/history/"' in page.text


def test_correction_admin_refuses_edits_even_to_a_superuser(admin_client, archive, ada):
    correct(sprint(), ada, "date from the ISU calendar", date=datetime.date(2011, 10, 28))
    correction = Correction.objects.get()
    change_url = f"/admin/seasons/correction/{correction.pk}/change/"

    assert admin_client.get("/admin/seasons/correction/add/").status_code == 403
    assert admin_client.post(change_url, {"reason": "rewritten"}).status_code == 403
    delete_url = f"/admin/seasons/correction/{correction.pk}/delete/"
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    correction.refresh_from_db()
    assert correction.reason == "date from the ISU calendar"
