"""Plain helpers and sample data that several test modules share (fixtures live in conftest.py).
Test modules import shared helpers from here only, never from one another."""

import datetime
from contextlib import contextmanager
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from seasons.corrections import CHANGES_SHOWN, record_baseline
from seasons.importing.synthetic import generate_archive
from seasons.models import Correction, Race
from seasons.sample_pages import SCALE_SEASONS

SOURCES = Path(settings.SOURCES_DIR)
SEASON_2011 = SOURCES / "2011-12.txt"
SEASON_2012 = SOURCES / "2012-13.txt"

# A line of 2011-12.txt: the Salt Lake City men's relay (Canada first, Korea third).
SLC_RELAY = "| 23 October 2011 | Utah Olympic Oval | 5000m relay | CAN | | KOR | |"


# Importing


def run_import(*paths, **options):
    out = StringIO()
    call_command("import_season", *map(str, paths), stdout=out, **options)
    return out.getvalue()


def changed_source(tmp_path, old, new):
    """2011-12.txt with the line ``old`` replaced by ``new``, in ``tmp_path``."""
    text = SEASON_2011.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "2011-12.txt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


# The mixed relay (from 2019–20): its own gender section, and a standings heading with no
# possessive ("Mixed 2000 metre relay").
MIXED_SEASON = """\
= 2019–20 ISU Short Track Speed Skating World Cup =

The season began on 2 November 2019 and ended on 3 November 2019.

== Calendar ==

=== Men ===

==== Salt Lake City ====
| Date | Place | Distance | Winner | Second | Third | Reference |
| 2 November 2019 | Utah Olympic Oval | 500m | Wu Dajing (CHN) | | | |

=== Mixed ===

==== Salt Lake City ====
| Date | Place | Distance | Winner | Second | Third | Reference |
| 3 November 2019 | Utah Olympic Oval | 2000m mixed relay | CHN | KOR | HUN | |

==World Cup standings==
===Men's 500 metres===
After 1 of 6 events
| Pos | Athlete | Points |
| 1. | Wu Dajing (CHN) | 1000 |

===Mixed 2000 metre relay===
After 1 of 6 events
| Pos | Nation | Points |
| 1. | CHN | 1000 |
| 2. | KOR | 800 |
"""


# Editing


def make_correction(obj, user, reason="checked", **values):
    """Save ``values`` into ``obj`` as an editor does in the admin: the row's state before the
    first edit recorded, then the edit saved with its editor and reason."""
    record_baseline(type(obj).objects.get(pk=obj.pk))
    for name, value in values.items():
        setattr(obj, name, value)
    obj._history_user = user
    obj._change_reason = reason
    obj.save()
    return obj


# The archive at scale: the bundled seasons, then SCALE_SEASONS in all (tests that measure pages)

# As conftest's _static_without_manifest, which is function-scoped.
PLAIN_STATIC_STORAGE = "django.contrib.staticfiles.storage.StaticFilesStorage"


class _Rollback(Exception):
    pass


def add_corrections(count):
    """Editors' corrections of ``count`` races, for /changes/ to list: neither the bundled nor
    the synthetic archive has any (imports are not corrections)."""
    editor, _ = get_user_model().objects.get_or_create(
        username="budget-editor", defaults={"first_name": "Budget"}
    )
    logged = Correction.objects.count()
    for race in Race.objects.order_by("-pk")[:count]:
        make_correction(race, editor, date=race.date + datetime.timedelta(days=1))
    # Else /changes/ would be measured empty, proving nothing.
    assert Correction.objects.count() == logged + count


@contextmanager
def bundled_archive_rolled_back(django_db_blocker):
    """The bundled archive (with 3 corrections) inside one transaction rolled back on exit, the
    page cache off: for module-scoped fixtures that measure every page at 2 seasons and then,
    after :func:`grow_to_scale`, at 30, because generating 28 seasons per test would take
    minutes."""
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": PLAIN_STATIC_STORAGE}}
    with (
        django_db_blocker.unblock(),
        override_settings(PAGE_CACHE=False, STORAGES=storages),
    ):
        try:
            with transaction.atomic():
                call_command("loaddata", "archive", verbosity=0)
                add_corrections(3)
                yield
                raise _Rollback
        except _Rollback:
            pass


def grow_to_scale():
    """Inside :func:`bundled_archive_rolled_back`: synthetic seasons up to SCALE_SEASONS, and
    more corrections than /changes/ shows."""
    # Also analyzes the tables on PostgreSQL, without which one query of the nation page runs
    # for minutes (see generate_archive).
    generate_archive(SCALE_SEASONS - 2, force=True)
    add_corrections(CHANGES_SHOWN + 10)


# The admin through the test client: forms posted as a browser would post them.


class _FormFields(HTMLParser):
    """The fields a browser would submit from the form with ``id``: name → list of values."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields = {}
        self.select = None
        self.options = []
        self.textarea = None

    def add(self, name, value):
        self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        if tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.add(attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and attrs.get("name"):
            self.select, self.options = attrs["name"], []
        elif tag == "option" and self.select:
            self.options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and attrs.get("name"):
            self.textarea = attrs["name"]
            self.add(self.textarea, "")

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            chosen = [value for value, selected in self.options if selected]
            if not chosen and self.options:
                chosen = [self.options[0][0]]
            for value in chosen:
                self.add(self.select, value)
            self.select = None
        elif tag == "textarea":
            if self.textarea:
                self.fields[self.textarea][-1] = self.fields[self.textarea][-1].removeprefix("\n")
            self.textarea = None


def form_fields(response, form_id):
    parser = _FormFields(form_id)
    parser.feed(response.text)
    assert parser.fields, f"no form #{form_id} on the page"
    return {
        name: values if len(values) > 1 else values[0] for name, values in parser.fields.items()
    }


def race(gender, distance, number=None, meet="saguenay"):
    return Race.objects.get_by_natural_key("2011-12", meet, gender, distance, number)


def change_url(obj):
    return f"/admin/seasons/{obj._meta.model_name}/{obj.pk}/change/"


def open_form(client, obj):
    response = client.get(change_url(obj))
    assert response.status_code == 200
    return form_fields(response, f"{obj._meta.model_name}_form")


def inline_field(data, obj, name):
    """The posted name of field ``name`` in the inline row of a form's ``data`` that holds
    ``obj`` (``results-2-time`` for a result in the third row)."""
    row = next(key for key, value in data.items() if key.endswith("-id") and value == str(obj.pk))
    return f"{row.removesuffix('-id')}-{name}"


def save(client, obj, data, reason="checked against the ISU results"):
    return client.post(change_url(obj), {**data, "change_reason": reason})


# Hostile input: what an editor, a crafted POST or an article could put in the archive. Pages and
# data must show it as the text it is, and never break on it (tests/test_escaping.py,
# tests/test_hostile_crawl.py).

# Markup and quotes: shown raw anywhere, ``<xss-probe`` would be an element the reader's browser
# (or feed reader) builds. PROBE is what must never appear unescaped in HTML.
PROBE = "<xss-probe"
MARKUP = '<xss-probe onerror="alert(\'x\')">Zoë & "Jo" O\'Neil</xss-probe><b>bold</b>'
# A spreadsheet formula, and the other characters that start one.
FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]
# Line breaks (an iCalendar property forged on the next line) and control characters.
MULTILINE = "Sag\nuenay\r\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:forged"
CONTROL = "Bell\x07 Tab\t Vtab\x0b Esc\x1b Del\x7f C1\x85 Ls\u2028 Ps\u2029 end"
# Right-to-left override, zero-width joiner, scripts the card's font does not have.
UNICODE = "\u202eevil\u200d 곽윤기 名古屋 😀"


def make_hostile_archive(editor):
    """Put hostile text into every kind of text the bundled archive shows, as saved rows (the way
    a crafted import or an old database would hold it, past the admin's own checks), with an
    editor's correction carrying it to /changes/ and the feed. Return the hostile athletes."""
    from seasons.models import (
        Athlete,
        Flag,
        Meet,
        Nation,
        Result,
        ScoringRule,
        Season,
        SourceFile,
        StandingsEntry,
        Venue,
    )

    can = Nation.objects.get(code="CAN")
    names = [MARKUP, *FORMULAS, CONTROL, UNICODE]
    athletes = [
        Athlete.objects.create(name=name[:100], slug=f"hostile-{index}", nation=can)
        for index, name in enumerate(names)
    ]
    sprints = [race("men", 500, 1), race("men", 500, 2), race("men", 1000)]
    for sprint, athlete in zip(sprints, athletes[:3], strict=True):
        Result.objects.create(race=sprint, place=1, athlete=athlete)
    entries = StandingsEntry.objects.filter(
        table__season__slug="2011-12", table__gender="men", table__distance=500
    ).order_by("row")
    for entry, athlete in zip(entries, athletes, strict=False):
        entry.athlete = athlete
        entry.save()

    season = Season.objects.get(slug="2011-12")
    season.intro = f"{MARKUP}\n{MULTILINE}\n{CONTROL}\n{UNICODE}"
    season.standings_note = MARKUP
    season.infobox = [[MARKUP, CONTROL], ["Dates", UNICODE]]
    season.see_also = [MARKUP, CONTROL]
    season.save()
    meet = Meet.objects.get(season=season, slug="saguenay")
    meet.city = MULTILINE
    meet.save()
    venue = Venue.objects.get(slug="nagoya-nippon-gaishi-hall")
    make_correction(venue, editor, reason=f"{MARKUP} {CONTROL}"[:100], arena=MARKUP, city=CONTROL)
    rule = ScoringRule.objects.get(season=season)
    rule.basis = f"{MARKUP}\n{CONTROL}"
    rule.save()
    flag = Flag.objects.filter(source__name="2011-12.txt").order_by("pk").first()
    flag.message = f"{MARKUP} {CONTROL}"
    flag.resolution = f"{MARKUP}\n{CONTROL}"
    flag.resolved_at = flag.resolved_at or datetime.datetime.now(datetime.UTC)
    flag.resolved_by = editor
    flag.save()
    text = f"{MARKUP}\n{MULTILINE}\n{CONTROL}\n{UNICODE}\n" + "=" * 5000 + "\n"
    SourceFile.objects.create(
        name="evil <xss-probe> 'q' & \"d\".txt",
        sha256="0" * 64,
        line_count=text.count("\n"),
        text=text,
    )
    return athletes
