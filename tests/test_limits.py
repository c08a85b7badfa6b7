"""Limits with clear messages (seasons/limits.py): the largest source the importer takes, the
longest intro and name an editor may save, text fields that refuse control characters, and a
source page that stays under about 200 KB of HTML whatever the file holds."""

import re

import pytest
from django.core.management import CommandError
from django.test import Client

from seasons.importing.parser import parse_source
from seasons.importing.records import SourceError
from seasons.limits import (
    MAX_INTRO_LENGTH,
    MAX_NAME_LENGTH,
    MAX_SOURCE_BYTES,
    SOURCE_PAGE_LINES,
)
from seasons.models import Athlete, Flag, FlagKind, Nation, Season, SourceFile, source_line_url
from tests.helpers import SEASON_2011, open_form, race, run_import, save

PAGE_LIMIT = 200_000  # bytes of HTML: "about 200 KB"


# The importer


def test_source_over_the_limit_is_refused_before_it_is_parsed():
    data = SEASON_2011.read_bytes() + b"\n" + b"x" * MAX_SOURCE_BYTES
    with pytest.raises(SourceError) as refused:
        parse_source(data, "2011-12.txt")
    assert str(refused.value) == (
        f"2011-12.txt:0: the file is {len(data):,} bytes; the importer takes a source of at "
        f"most {MAX_SOURCE_BYTES:,} bytes (a season article is a few kilobytes)"
    )


@pytest.mark.django_db
def test_import_command_names_the_limit(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"= x =\n" * (MAX_SOURCE_BYTES // 6 + 1))
    with pytest.raises(CommandError, match=r"huge\.txt:0: the file is [\d,]+ bytes; the importer"):
        run_import(path)
    assert not SourceFile.objects.filter(name="huge.txt").exists()


def test_bundled_sources_are_far_within_the_limit():
    assert SEASON_2011.stat().st_size * 100 < MAX_SOURCE_BYTES


# The admin: lengths and control characters, each refusal on its field


def field_errors(response, field):
    return response.context["adminform"].form.errors.get(field, [])


@pytest.mark.django_db
def test_intro_longer_than_the_limit_is_refused_on_its_field(editor_client):
    season = Season.objects.get(slug="2011-12")
    data = open_form(editor_client, season)
    data["intro"] = "word " * (MAX_INTRO_LENGTH // 5 + 1)

    response = save(editor_client, season, data)

    assert field_errors(response, "intro") == [
        f"Ensure this value has at most {MAX_INTRO_LENGTH} characters "
        f"(it has {len(data['intro'].strip())})."
    ]
    data["intro"] = "word " * (MAX_INTRO_LENGTH // 5 - 1)
    assert save(editor_client, season, data).status_code == 302


@pytest.mark.django_db
def test_name_longer_than_the_limit_is_refused_on_its_field(editor_client):
    athlete = Athlete.objects.create(
        name="Pat Doe", slug="pat-doe", nation=Nation.objects.get(code="CAN")
    )
    data = open_form(editor_client, athlete)
    data["name"] = "N" * (MAX_NAME_LENGTH + 1)

    response = save(editor_client, athlete, data)

    assert field_errors(response, "name") == [
        f"Ensure this value has at most {MAX_NAME_LENGTH} characters (it has "
        f"{MAX_NAME_LENGTH + 1})."
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("Sague\nnay", "Remove the line break at character 6 (“Sague”)"),
        ("Sague\u2028nay", "Remove the line separator at character 6 (“Sague”)"),
        ("Sag\tuenay", "Remove the tab at character 4 (“Sag”)"),
        ("Sag\x1buenay", "Remove the control character U+001B at character 4 (“Sag”)"),
    ],
)
def test_single_line_field_refuses_line_breaks_and_control_characters(editor_client, value, error):
    meet = race("men", 500, 1).meet
    data = open_form(editor_client, meet)
    data["city"] = value

    response = save(editor_client, meet, data)

    assert response.status_code == 200
    [message] = field_errors(response, "city")
    assert message.startswith(error)
    assert message.endswith("this field takes one line of text without control characters.")
    meet.refresh_from_db()
    assert meet.city == "Saguenay"


@pytest.mark.django_db
def test_change_reason_is_one_line_too(editor_client):
    sprint = race("men", 500, 1)
    data = open_form(editor_client, sprint)
    data["date"] = "28/10/2011"
    response = save(editor_client, sprint, data, reason="from the ISU\nresults")
    assert field_errors(response, "change_reason")[0].startswith("Remove the line break")


@pytest.mark.django_db
def test_text_of_several_lines_keeps_its_lines_but_refuses_controls(editor_client):
    season = Season.objects.get(slug="2011-12")
    data = open_form(editor_client, season)
    data["intro"] = "First paragraph.\r\n\r\nSecond\tparagraph."
    assert save(editor_client, season, data).status_code == 302

    data = open_form(editor_client, season)
    data["standings_note"] = "Best 6\x07 of 8"
    response = save(editor_client, season, data)
    assert field_errors(response, "standings_note")[0].startswith(
        "Remove the control character U+0007 at character 7 (“Best 6”)"
    )


@pytest.mark.django_db
def test_json_field_refuses_a_nul_spelt_as_an_escape(editor_client):
    """JSON spells a NUL ``\\u0000``, which PostgreSQL's jsonb refuses (a 500 before)."""
    season = Season.objects.get(slug="2011-12")
    data = open_form(editor_client, season)
    data["infobox"] = '[["Event", "World\\u0000Cup"]]'

    response = save(editor_client, season, data)

    assert field_errors(response, "infobox")[0].startswith(
        "Remove the NUL character at character 6"
    )


# The source page: paginated, each page within the limit


@pytest.fixture
def huge_source(archive):
    """A source of the largest size the importer takes, of long lines of the character whose
    HTML is longest (``"`` is ``&quot;``), with a flag on every line quoting its line."""
    lines = [f'{number} "' + '"' * 2000 for number in range(1, 1001)]
    text = "\n".join(lines)[:MAX_SOURCE_BYTES]
    source = SourceFile.objects.create(
        name="huge.txt", sha256="0" * 64, line_count=text.count("\n") + 1, text=text
    )
    season = Season.objects.get(slug="2011-12")
    Flag.objects.bulk_create(
        Flag(source=source, line=number, kind=FlagKind.values[0], message=line, season=season)
        for number, line in enumerate(text.splitlines(), start=1)
    )
    return source


def test_source_line_url_names_the_page_of_the_line():
    assert source_line_url("x.txt", 57) == "/sources/x.txt#L57"
    assert source_line_url("x.txt", SOURCE_PAGE_LINES) == f"/sources/x.txt#L{SOURCE_PAGE_LINES}"
    line = SOURCE_PAGE_LINES + 57
    assert source_line_url("x.txt", line) == (
        f"/sources/x.txt?from={SOURCE_PAGE_LINES + 1}#L{line}"
    )
    assert source_line_url("x.txt") == "/sources/x.txt"


@pytest.mark.django_db
def test_every_page_of_a_huge_source_stays_within_the_limit(huge_source):
    client = Client()
    total = huge_source.text.count("\n") + 1
    shown, path = [], "/sources/huge.txt"
    while path:
        response = client.get(path)
        assert response.status_code == 200
        assert len(response.content) < PAGE_LIMIT, f"{path}: {len(response.content):,} B"
        shown += [int(n) for n in re.findall(r'<li id="L(\d+)"', response.text)]
        following = re.search(r'rel="next" href="([^"]+)"', response.text)
        path = f"/sources/huge.txt{following.group(1)}" if following else None
    assert shown == list(range(1, total + 1))  # every line, once, in order


@pytest.mark.django_db
def test_a_line_too_long_to_show_is_one_link_away(huge_source):
    client = Client()
    page = client.get(source_line_url("huge.txt", 205).split("#")[0])
    assert 'id="L205"' in page.text
    assert '<a class="line-rest" href="?line=205#L205">…' in page.text

    whole = client.get("/sources/huge.txt?line=205")

    assert whole.status_code == 200
    assert len(whole.content) < PAGE_LIMIT
    line = huge_source.text.splitlines()[204]
    assert line.replace('"', "&quot;") in whole.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["from=0", "from=1001", "from=x", "from=-1", "line=0", "line=1001"]
)
def test_a_page_or_line_that_is_not_there_is_a_404(huge_source, query):
    assert Client().get(f"/sources/huge.txt?{query}").status_code == 404


@pytest.mark.django_db
def test_bundled_source_is_one_page_as_before(archive):
    response = Client().get("/sources/2011-12.txt")
    lines = SEASON_2011.read_text(encoding="utf-8").splitlines()
    assert f'<li id="L{len(lines)}"' in response.text
    assert "source-pages" not in response.text
