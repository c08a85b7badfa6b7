"""Editors at the speed of their source, and readers proposing fixes, in real Chromium: three
podiums of a meet filled in one save from the meet page's Edit link; a reader's suggestion sent
without an account, accepted by an editor, and shown on the meet page and /changes/."""

import re
from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from playwright.sync_api import expect

from seasons.management.commands.create_editor import create_editor
from seasons.models import Athlete, Nation, Race, Suggestion

pytestmark = pytest.mark.browser

MEET = "/seasons/2011-12/saguenay/"
PASSWORD = "correct horse battery staple"
# Three individual races of Saguenay whose podiums the source leaves out.
RACES = [("men", 500, 1), ("men", 1500, None), ("women", 500, 1)]


def restore_editors(username):
    """Browser tests flush the database after each test, the Editors group and its permissions
    with it (migrations made them): make them again, then the editor."""
    if not Group.objects.filter(name="Editors").exists():
        migration = import_module("seasons.migrations.0002_editors_group")
        loader = MigrationExecutor(connection).loader
        state = loader.project_state(("seasons", "0002_editors_group"))
        migration.create_editors_group(state.apps, None)
    suggestions = Permission.objects.filter(
        content_type__app_label="seasons", content_type__model="suggestion"
    )
    Group.objects.get(name="Editors").permissions.add(*suggestions)
    return create_editor(username, PASSWORD, full_name="Ada Lovelace")


@pytest.fixture
def editor_account(live_archive):
    return restore_editors("browser-editor")


def sign_in(page, then):
    page.goto(f"/admin/login/?next={then}")
    page.get_by_label("Username").fill("browser-editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def pick(page, select, typed, option):
    """Choose ``option`` in a Django admin autocomplete (select2) after typing ``typed``."""
    select.locator("xpath=following-sibling::span[contains(@class, 'select2')]").first.click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=option).first.click()


def test_editor_fills_three_podiums_of_a_meet_in_one_save(page, editor_account):
    can = Nation.objects.get(code="CAN")
    names = [f"Skater {letter}{place}" for letter in "ABC" for place in (1, 2, 3)]
    for name in names:
        Athlete.objects.create(name=name, slug=name.lower().replace(" ", "-"), nation=can)
    races = [Race.objects.get_by_natural_key("2011-12", "saguenay", *key) for key in RACES]

    sign_in(page, MEET)
    page.locator(".page-head .kicker a.edit-link").click()
    expect(page.locator("h1")).to_contain_text("Podiums of Saguenay 2011–12")
    for letter, race in zip("ABC", races, strict=True):
        for row in range(3):
            select = page.locator(f"#id_podium-{race.pk}-{row}-athlete")
            pick(page, select, f"Skater {letter}{row + 1}", f"Skater {letter}{row + 1} (CAN)")
    page.get_by_role("textbox", name="Reason for change").fill("podiums from the ISU results")
    page.get_by_role("button", name="Save all podiums").click()

    expect(page).to_have_url(re.compile(rf"{re.escape(MEET)}$"))
    expect(page.locator(".messages")).to_contain_text("Saved 9 changes")
    for letter, race in zip("ABC", races, strict=True):
        row = page.locator(f"tr#{race.anchor}")
        for place in (1, 2, 3):
            expect(row.locator(f"td.place-{place}")).to_contain_text(f"Skater {letter}{place}")


def test_reader_suggests_a_fix_and_an_editor_accepts_it(page, new_context, editor_account):
    Athlete.objects.create(
        name="Charles Hamelin", slug="charles-hamelin", nation=Nation.objects.get(code="CAN")
    )
    sprint = Race.objects.get_by_natural_key("2011-12", "saguenay", "men", 500, 1)

    reader = new_context().new_page()
    reader.goto(MEET)
    reader.locator(f"tr#{sprint.anchor} a.suggest-link").click()
    reader.get_by_label("What is wrong or missing?").fill("The winner is missing.")
    reader.get_by_label("What is the right value?").fill("Charles Hamelin (CAN)")
    reader.get_by_label("Where is it written?").fill("https://www.isu.org/saguenay-2011.pdf")
    reader.get_by_role("button", name="Send the suggestion").click()
    expect(reader.locator("h1")).to_contain_text("Thank you")
    assert Suggestion.objects.get().is_waiting

    sign_in(page, "/admin/seasons/suggestion/")
    page.get_by_role("link", name="The winner is missing.").first.click()
    page.get_by_role("link", name="In the race's form").click()
    expect(page.get_by_role("textbox", name="Reason for change")).to_have_value(
        "reader's suggestion: The winner is missing."
    )
    pick(page, page.locator("#id_results-0-athlete"), "hamel", "Charles Hamelin (CAN)")
    page.get_by_role("button", name="Save", exact=True).first.click()

    expect(page.locator(".messages")).to_contain_text("is accepted")
    expect(page.locator(f"tr#{sprint.anchor}")).to_contain_text("Charles Hamelin")
    for viewer in (page, reader):
        viewer.goto("/changes/")
        latest = viewer.locator("table.changes tbody tr").first
        expect(latest).to_contain_text("Charles Hamelin")
        expect(latest).to_contain_text("reader's suggestion: The winner is missing.")
        expect(latest).to_contain_text("suggested by a reader")
        expect(latest).to_contain_text("Ada Lovelace")
    reader.goto(MEET)
    expect(reader.locator(f"tr#{sprint.anchor}")).to_contain_text("Charles Hamelin")
