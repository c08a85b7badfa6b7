"""Accessibility: axe-core, injected into each page type in real Chromium, finds no WCAG 2.0/2.1
A or AA violation. axe-core comes from npm (package.json); .ci/run installs it."""

from pathlib import Path

import pytest
from django.conf import settings

from seasons.sample_pages import add_demo_athletes

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def axe_script(required_tool):
    return required_tool(AXE, "axe-core (npm ci)")


@pytest.fixture
def run_axe(page, axe_script):
    """Run axe on the page as loaded; return its violations."""

    def run():
        page.add_script_tag(path=str(axe_script))
        results = page.evaluate(
            "options => axe.run(document, options)",
            {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
        )
        return results["violations"]

    return run


def describe(violations):
    """One paragraph per rule: what is wrong and every element concerned."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node['html'][:200]}")
            summary = node.get("failureSummary", "").replace("\n", "\n      ")
            lines.append(f"      {summary}")
    return "\n".join(lines)


def test_page_has_no_wcag_violations(page, live_archive, run_axe, public_page):
    response = page.goto(public_page.path)
    assert response.status == public_page.status, f"{public_page.path} answered {response.status}"

    violations = run_axe()

    assert not violations, (
        f"axe found {len(violations)} WCAG A/AA violation(s) on {public_page.name} "
        f"({public_page.path}):\n{describe(violations)}"
    )


@pytest.mark.parametrize(
    "path",
    [
        "/athletes/elodie-testaz/",
        "/athletes/",
        "/athletes/by-name/e/",
        "/seasons/2011-12/standings/",
        "/seasons/2011-12/standings/women-1500m/",  # in the published and computed tables
    ],
)
def test_pages_naming_athletes_have_no_wcag_violations(page, live_archive, run_axe, path):
    """As the pages look once athletes are named: the bundled sources name none."""
    add_demo_athletes()
    response = page.goto(path)
    assert response.status == 200, path

    violations = run_axe()

    assert not violations, f"axe on {path}:\n{describe(violations)}"


def test_axe_reports_a_known_violation(page, run_axe):
    """The gate can fail: an image without alt text and an unlabelled input are caught."""
    page.set_content(
        '<!doctype html><html lang="en"><title>t</title><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"></main></html>'
    )

    rules = {violation["id"] for violation in run_axe()}

    assert {"image-alt", "label"} <= rules
