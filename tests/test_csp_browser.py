"""Every kind of page works under the Content-Security-Policy, in real Chromium that enforces it
(the other browser tests bypass it to inject axe-core): no console error, so no script, style,
image or font the policy refused, and the pages' own scripts (the admin's) still run."""

from importlib import import_module

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from playwright.sync_api import expect

from seasons.management.commands.create_editor import create_editor
from seasons.models import Athlete, Flag, Nation, Race
from seasons.sample_pages import DEMO_ATHLETE_PAGE, SAMPLE_PAGES

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def browser_context_args(browser_context_args):
    """The shared context (desktop and phone), enforcing the CSP."""
    return {**browser_context_args, "bypass_csp": False}


@pytest.fixture
def strict_page(page, live_archive):
    """A page whose context enforces the CSP, and the list of what went wrong on it: console
    errors (Chromium reports each refused resource or inline code there) and uncaught errors."""
    problems = []

    def note(message):
        # Browsers ask for /favicon.ico on their own (the admin names no icon): not the pages'.
        where = message.location.get("url", "")
        if message.type == "error" and not where.endswith("/favicon.ico"):
            problems.append(f"{page.url}: {message.text} ({where})")

    page.on("console", note)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    return page, problems


def visit(page, path, status=200):
    response = page.goto(path)
    assert response.status == status, path
    assert "content-security-policy" in response.headers, path
    page.wait_for_load_state("load")


def test_public_pages_work_under_the_policy(strict_page):
    page, problems = strict_page
    from seasons.sample_pages import add_demo_athletes

    add_demo_athletes()
    for sample in [*SAMPLE_PAGES, DEMO_ATHLETE_PAGE]:
        if not sample.is_html:
            continue
        visit(page, sample.path, sample.status)
        if sample.status == 404:
            # The browser reports the page's own 404 as an error; that is the point of it.
            problems[:] = [problem for problem in problems if "404" not in problem]
        expect(page.locator("link[rel=stylesheet]").first).to_be_attached()
        # The site's stylesheet applied: the header is laid out by it, not the browser's
        # defaults.
        display = page.eval_on_selector(".site-header-inner", "e => getComputedStyle(e).display")
        assert display != "block", f"{sample.path}: site.css not applied"
    assert not problems, problems


def restore_editors_group():
    if Group.objects.filter(name="Editors").exists():
        return
    migration = import_module("seasons.migrations.0002_editors_group")
    state = MigrationExecutor(connection).loader.project_state(("seasons", "0002_editors_group"))
    migration.create_editors_group(state.apps, None)


def test_admin_pages_work_under_the_policy(strict_page):
    """Login, lists with filters and actions, a change form with inlines, its autocomplete (the
    admin's jQuery and Select2), history, a flag: each script runs, nothing is refused."""
    page, problems = strict_page
    restore_editors_group()
    create_editor("csp-editor", PASSWORD)
    Athlete.objects.create(
        name="Charles Hamelin", slug="charles-hamelin", nation=Nation.objects.get(code="CAN")
    )
    sprint = Race.objects.get_by_natural_key("2011-12", "saguenay", "men", 500, 1)
    flag = Flag.objects.order_by("pk").first()

    visit(page, "/admin/login/")
    page.get_by_label("Username").fill("csp-editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()

    for path in [
        "/admin/",
        "/admin/seasons/race/?podium=incomplete",
        "/admin/seasons/flag/",
        f"/admin/seasons/flag/{flag.pk}/change/",
        "/admin/seasons/season/",
        f"/admin/seasons/race/{sprint.pk}/history/",
        "/admin/seasons/athlete/add/",
    ]:
        visit(page, path)

    visit(page, f"/admin/seasons/race/{sprint.pk}/change/")
    winner = page.locator("#results-0")
    winner.locator(".field-athlete .select2-selection").click()
    page.locator(".select2-search__field").fill("hamel")
    page.get_by_role("option", name="Charles Hamelin (CAN)").click()
    page.get_by_role("textbox", name="Reason for change").fill("winner from the ISU results")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert not problems, problems
