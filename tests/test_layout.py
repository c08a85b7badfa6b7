"""The tree shows the flow, and the imports keep it: parse -> store -> show -> edit.

Read from the source with ``ast``, not by importing: the rules are about what the code says,
including imports inside functions (which Python runs late, but which still tie two modules)."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

APP = Path(settings.BASE_DIR) / "seasons"
# "About 500 lines": past that a module has two roles (house style). Migrations are generated.
MAX_LINES = 500

# The flow, lowest first: a module may import its own layer and the layers below it, never one
# above (the models know no page and no admin; the importer knows no view).
LAYERS = [
    ("vocabulary", ["seasons.vocabulary", "seasons.names", "seasons.limits", "seasons.text"]),
    ("store", ["seasons.models"]),
    (
        "parse and derive",
        [
            *("seasons.importing", "seasons.standings", "seasons.medals", "seasons.search"),
            *("seasons.careers", "seasons.athlete_index", "seasons.merging"),
            *("seasons.corrections", "seasons.redirects", "seasons.caching"),
            "seasons.sample_pages",
            "seasons.doubts",
        ],
    ),
    (
        "show",
        [
            *("seasons.views", "seasons.api", "seasons.calendars", "seasons.feeds"),
            *("seasons.cards", "seasons.sitemaps", "seasons.tables", "seasons.templatetags"),
            "seasons.medal_chart",
            "seasons.middleware",
            "seasons.downloads",
        ],
    ),
    ("edit", ["seasons.admin"]),
    ("wiring", ["seasons", "seasons.apps", "seasons.urls", "seasons.management"]),
]
# No database behind them: the parser reads text into plain data, the scoring computes with
# plain data. Of the app they may use the vocabulary and each other, nothing else.
PURE = {
    *("seasons.importing.parser", "seasons.importing.grammar", "seasons.importing.cells"),
    *("seasons.importing.dates", "seasons.importing.records", "seasons.importing.checks"),
    *("seasons.importing.lines", "seasons.importing.tables", "seasons.importing.competitors"),
    "seasons.importing.calendar_reader",
    *("seasons.importing.standings_reader", "seasons.importing.intro_reader"),
    *("seasons.standings.scoring", "seasons.standings.reachability"),
    *("seasons.names", "seasons.limits", "seasons.text"),
}
# Enumerations (Django's TextChoices, so that model fields take them as choices), no queries.
VOCABULARY = "seasons.vocabulary"


def module_name(path):
    parts = list(path.relative_to(APP.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def app_modules():
    return {
        module_name(path): path
        for path in sorted(APP.rglob("*.py"))
        if "migrations" not in path.parts
    }


MODULES = app_modules()


def imports_of(name, *, top_level_only=False, everything=False):
    """The app modules ``name`` imports (``from . import x`` resolved to ``seasons.x``); with
    ``everything``, every module name, the app's or not (``django.db.models``)."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    nodes = tree.body if top_level_only else ast.walk(tree)
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            submodules = [f"{module}.{alias.name}" for alias in node.names]
            # "from . import api" imports the module api; the package is already loaded.
            targets = [target for target in submodules if target in MODULES] or [module]
        else:
            continue
        if everything:
            found |= set(targets)
        else:
            found |= {target for target in targets if target in MODULES and target != name}
    return found


def layer_of(name):
    """The layer of the most specific package named in LAYERS that holds ``name``."""
    best = max(
        (
            (len(package), index)
            for index, (_, packages) in enumerate(LAYERS)
            for package in packages
            if under(name, package)
        ),
        default=None,
    )
    assert best is not None, f"{name} is in no layer of tests/test_layout.py: add it there"
    return best[1]


def under(name, package):
    return name == package or name.startswith(package + ".")


def test_layout_no_module_over_500_lines():
    long = {
        name: lines
        for name, path in MODULES.items()
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not long, f"over {MAX_LINES} lines: {long}"


def test_layout_no_import_cycles():
    """Among the imports Python runs when a module loads: a cycle makes the order of imports
    matter (the old admin.py imported admin_scoring at its foot for that reason)."""
    graph = {name: imports_of(name, top_level_only=True) for name in MODULES}
    # A package's __init__ importing its own modules is how a package is assembled.
    for name in graph:
        if MODULES[name].name == "__init__.py":
            graph[name] = {target for target in graph[name] if not under(target, name)}
    visiting, done, cycles = [], set(), []

    def visit(node):
        if node in done:
            return
        if node in visiting:
            cycles.append([*visiting[visiting.index(node) :], node])
            return
        visiting.append(node)
        for target in sorted(graph[node]):
            visit(target)
        visiting.pop()
        done.add(node)

    for name in sorted(graph):
        visit(name)
    assert not cycles, cycles


@pytest.mark.parametrize("name", sorted(MODULES))
def test_layout_imports_only_its_layer_and_below(name):
    above = {
        target: LAYERS[layer_of(target)][0]
        for target in imports_of(name)
        if layer_of(target) > layer_of(name)
    }
    assert not above, f"{name} ({LAYERS[layer_of(name)][0]}) imports from above: {above}"


@pytest.mark.parametrize("name", sorted(PURE))
def test_layout_pure_modules_know_no_database(name):
    """The parser and the scoring run on plain data: no model, no ORM, no other app module."""
    imported = imports_of(name, everything=True)
    app = {target for target in imported if under(target, "seasons")}
    assert app <= PURE | {VOCABULARY}, app - PURE
    database = {target for target in imported if under(target, "django.db")}
    assert not database, database


def test_layout_scoring_imports_no_django():
    """The points arithmetic is plain Python: it can be checked against a published table
    without a Django project."""
    for name in ("seasons.standings.scoring", "seasons.standings.reachability"):
        imported = imports_of(name, everything=True)
        assert not {target for target in imported if under(target, "django")}, name


def test_layout_finds_the_imports_it_checks():
    """The graph the rules read is the real one: known edges are found."""
    assert "seasons.models.sources" in imports_of("seasons.models.calendar")
    assert "seasons.vocabulary" in imports_of("seasons.importing.parser")
    assert "seasons.api" in imports_of("seasons.views.data")  # "from .. import api"
    assert "seasons.standings.explain" in imports_of("seasons.views.standings")
    assert "seasons.views.standings" in imports_of("seasons.urls")  # "from .views import …"
    assert "seasons.models.races" in imports_of("seasons.models.calendar")  # inside a function
    assert "seasons.models.races" not in imports_of("seasons.models.calendar", top_level_only=True)


def test_layout_shell_imports_every_model_from_where_it_is_defined():
    """The models live in a package: ``manage.py shell`` still imports each of them, the
    historical ones django-simple-history names after the app included."""
    from django.apps import apps
    from django.utils.module_loading import import_string

    from seasons.management.commands.shell import Command

    paths = Command().get_auto_imports()
    assert {import_string(path) for path in paths} == set(apps.get_models())
