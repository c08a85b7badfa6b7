import datetime

import pytest

from seasons.history import (
    BASELINE_REASON,
    CORRECTED_MODELS,
    FieldChange,
    admin_change_url,
    recent_corrections,
    record_baseline,
)
from seasons.models import Nation, Race, Result, StandingsEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(django_user_model):
    return django_user_model.objects.create_user(
        "ada", first_name="Ada", last_name="Lovelace", is_staff=True
    )


def correct(obj, user, reason="checked", **values):
    """Save ``values`` as an editor would in the admin: baseline first, then the edit."""
    record_baseline(type(obj).objects.get(pk=obj.pk))
    for name, value in values.items():
        setattr(obj, name, value)
    obj._history_user = user
    obj._change_reason = reason
    obj.save()
    return obj


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
    assert correction.changes == (FieldChange("Date", "29 October 2011", "28 October 2011"),)
    assert correction.who == "Ada Lovelace"
    assert correction.reason == "date from the ISU calendar"
    assert correction.when == race.history.first().history_date
    assert correction.summary == (
        "Race Saguenay 2011–12 Men 500 m (1) — changed Date: 29 October 2011 → 28 October 2011"
    )


def test_recent_corrections_name_related_rows(archive, ada):
    correct(relay_winner(), ada, nation=Nation.objects.get(code="CAN"))

    [correction] = recent_corrections()

    assert correction.changes == (FieldChange("Nation", "KOR", "CAN"),)


def test_recent_corrections_list_additions_and_deletions(archive, ada):
    winner = Result(race=sprint(), place=1, nation=Nation.objects.get(code="CAN"))
    winner._history_user = ada
    winner.save()
    removed = relay_winner()
    removed._history_user = ada
    removed.delete()

    deleted, added = recent_corrections()

    assert (added.kind, added.record, added.action, added.url) == (
        "Result",
        "Saguenay 2011–12 Men 500 m (1): 1. Canada",
        "added",
        sprint().get_absolute_url(),
    )
    assert (deleted.kind, deleted.record, deleted.action) == (
        "Result",
        "Saguenay 2011–12 Men 5000 m relay: 1. South Korea",
        "deleted",
    )


def test_recent_corrections_leave_out_imports_baselines_and_bookkeeping(archive, ada):
    race = sprint()
    record_baseline(race)
    race.save()  # no user: an import or a command
    correct(race, ada, version=race.version + 1)  # only the version moved

    assert recent_corrections() == []


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


def test_recent_corrections_need_the_same_queries_for_many(
    archive, ada, django_assert_max_num_queries
):
    races = Race.objects.filter(meet__slug="saguenay").order_by("pk")
    for number, race in enumerate(races):
        correct(race, ada, f"fix {number}", date=datetime.date(2011, 10, 28))
    correct(relay_winner(), ada, nation=Nation.objects.get(code="CAN"))

    # Two per model (records, their previous records) and one for the nations named.
    with django_assert_max_num_queries(2 * len(CORRECTED_MODELS) + 1):
        corrections = recent_corrections()
        assert len(corrections) == len(races) + 1
        assert all(correction.url for correction in corrections)


def test_recent_corrections_label_an_editor_without_a_name(archive, django_user_model):
    user = django_user_model.objects.create_user("nameless")
    correct(sprint(), user, date=datetime.date(2011, 10, 28))
    assert recent_corrections()[0].who == "an editor"


def test_record_baseline_records_the_state_once(archive):
    race = sprint()
    record_baseline(race)
    record_baseline(race)

    [baseline] = race.history.all()
    assert (baseline.history_user, baseline.history_change_reason) == (None, BASELINE_REASON)
    assert baseline.date == race.date


def test_admin_change_url_points_to_the_admin_form(archive):
    race = sprint()
    assert admin_change_url(race) == f"/admin/seasons/race/{race.pk}/change/"
