"""An editor's main job in real Chromium: fill in a missing winner in the admin, then see it on
the public meet page, also as a reader whose earlier visit may have been cached."""

from importlib import import_module

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from playwright.sync_api import expect

from seasons.management.commands.create_editor import create_editor
from seasons.models import Athlete, Nation, Race

pytestmark = pytest.mark.browser

MEET = "/seasons/2011-12/saguenay/"
PASSWORD = "correct horse battery staple"


def restore_editors_group():
    """Browser tests flush the database after each test, the Editors group with it (a data
    migration made it): run that migration's function again if it is gone."""
    if Group.objects.filter(name="Editors").exists():
        return
    migration = import_module("seasons.migrations.0002_editors_group")
    state = MigrationExecutor(connection).loader.project_state(("seasons", "0002_editors_group"))
    migration.create_editors_group(state.apps, None)


@pytest.fixture
def editor_account(live_archive):
    restore_editors_group()
    return create_editor("browser-editor", PASSWORD)


def test_editor_fills_in_a_missing_winner_and_the_meet_page_shows_it(
    page, new_context, editor_account
):
    Athlete.objects.create(
        name="Charles Hamelin", slug="charles-hamelin", nation=Nation.objects.get(code="CAN")
    )
    sprint = Race.objects.get_by_natural_key("2011-12", "saguenay", "men", 500, 1)
    reader = new_context().new_page()
    reader.goto(MEET)
    expect(reader.locator("main")).not_to_contain_text("Charles Hamelin")

    page.goto(f"/admin/seasons/race/{sprint.pk}/change/")
    page.get_by_label("Username").fill("browser-editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    winner = page.locator("#results-0")
    expect(winner.locator(".field-place input:not([type=hidden])")).to_have_value("1")
    winner.locator(".field-athlete .select2-selection").click()
    page.locator(".select2-search__field").fill("hamel")
    page.get_by_role("option", name="Charles Hamelin (CAN)").click()
    page.get_by_role("textbox", name="Reason for change").fill("winner from the ISU results")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    for viewer in (page, reader):
        viewer.goto(MEET)
        expect(viewer.locator("main")).to_contain_text("Charles Hamelin")
