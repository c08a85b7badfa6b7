"""The standings check on the two real seasons: the relay rule, flags, rules as data, docs."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from seasons.importing.parser import read_source
from seasons.importing.writer import import_seasons
from seasons.models import Flag, FlagKind, ScoringRule, Season, StandingsEntry
from seasons.standings.check import analyze_season, check_standings
from seasons.standings.docs import MARKDOWN_BEGIN, MARKDOWN_END, relay_rule_fits, standings_markdown
from seasons.standings.scoring import Verdict
from tests.helpers import SEASON_2011, SEASON_2012

pytestmark = pytest.mark.django_db

# The published relay totals that the stored rule (best 4 of 6) reproduces exactly from the
# known podiums, of the 20 published relay entries of 2011–12 and 2012–13.
RELAY_REPRODUCED = 8
RELAY_ENTRIES = 20


def relay_checks():
    return [
        check
        for season in Season.objects.all()
        for table, analysis in analyze_season(season)
        if table.is_relay
        for check in analysis.checks
    ]


def unreachable_flags():
    return Flag.objects.filter(kind=FlagKind.TOTAL_UNREACHABLE)


def test_archive_seasons_have_the_relay_rule(archive):
    rules = ScoringRule.objects.values_list(
        "season__slug", "individual_counted", "individual_events", "relay_counted", "relay_events"
    )
    assert list(rules) == [("2011-12", 6, 8, 4, 6), ("2012-13", 6, 8, 4, 6)]


def test_relay_rule_reproduces_the_stated_count(archive):
    checks = relay_checks()
    assert len(checks) == RELAY_ENTRIES
    reproduced = [check for check in checks if check.verdict is Verdict.REPRODUCED]
    assert len(reproduced) == RELAY_REPRODUCED
    assert [check.name for check in checks if check.is_flagged] == ["CAN"]


def test_relay_rule_fits_best_four_of_six_best(archive):
    fits = relay_rule_fits()
    best = fits[0]
    assert best.label.startswith("best 4 of 6")
    assert (best.reproduced, best.unreachable) == (RELAY_REPRODUCED, 1)
    others = [fit for fit in fits if not fit.label.startswith("best 4 of 6")]
    assert all(fit.reproduced < best.reproduced for fit in others)


def test_no_individual_total_is_flagged(archive):
    for season in Season.objects.all():
        for table, analysis in analyze_season(season):
            if not table.is_relay:
                assert analysis.count(Verdict.UNREACHABLE) == 0, table


def test_archive_carries_the_unreachable_flag_with_its_arithmetic(archive):
    [flag] = unreachable_flags()
    assert (flag.source.name, flag.line) == ("2012-13.txt", 183)
    assert flag.entry.nation.code == "CAN"
    assert flag.entry.points == 2992
    assert "800 + 800 + 800 = 2400" in flag.message
    assert "at most 2912 can be reached" in flag.message


def test_check_standings_is_idempotent(archive):
    before = list(unreachable_flags().values_list("pk", "message"))
    report = check_standings()
    assert (report.flags_created, report.flags_updated, report.flags_removed) == (0, 0, 0)
    assert list(unreachable_flags().values_list("pk", "message")) == before


def test_check_standings_removes_the_flag_when_the_total_is_corrected(archive):
    entry = unreachable_flags().get().entry
    StandingsEntry.objects.filter(pk=entry.pk).update(points=2912)
    report = check_standings()
    assert report.flags_removed == 1
    assert not unreachable_flags().exists()


def test_check_standings_keeps_a_resolved_flag(archive, editor):
    flag = unreachable_flags().get()
    flag.resolved_at, flag.resolved_by = timezone.now(), editor
    flag.resolution = "The ISU results give 2912; the source's 2992 is a typo."
    flag.save()
    StandingsEntry.objects.filter(pk=flag.entry_id).update(points=2912)
    check_standings()
    assert unreachable_flags().get().is_resolved


def test_check_standings_follows_an_edited_rule(archive):
    rule = ScoringRule.objects.get(season__slug="2012-13")
    rule.relay_counted = 5
    rule.save()
    check_standings()
    flagged = sorted(
        unreachable_flags()
        .filter(season__slug="2012-13")
        .values_list("entry__nation__code", "entry__points")
    )
    # KOR won 5 relays but is published with 4000; CHN won 4 and was 2nd once (4800 > 4000).
    assert ("KOR", 4000) in flagged
    assert ("CHN", 4000) in flagged


def test_check_standings_gives_a_season_without_a_rule_the_default(archive):
    ScoringRule.objects.filter(season__slug="2011-12").delete()
    report = check_standings()
    assert report.rules_created == 1
    assert ScoringRule.objects.get(season__slug="2011-12").relay_counted == 4


def test_import_creates_default_rules_and_never_overwrites_them(db):
    parsed = [read_source(SEASON_2011), read_source(SEASON_2012)]
    import_seasons(parsed, imported_at=None)
    rule = ScoringRule.objects.get(season__slug="2011-12")
    assert (rule.individual_counted, rule.individual_events) == (6, 8)
    assert "from the season's standings note" in rule.basis
    rule.relay_counted = 3
    rule.basis = "An editor's rule."
    rule.save()
    import_seasons(parsed, imported_at=None)
    rule.refresh_from_db()
    assert (rule.relay_counted, rule.basis) == (3, "An editor's rule.")


def test_reimport_keeps_the_unreachable_flag(db):
    parsed = [read_source(SEASON_2011), read_source(SEASON_2012)]
    first = import_seasons(parsed, imported_at=None)
    pks = list(unreachable_flags().values_list("pk", flat=True))
    again = import_seasons(parsed, imported_at=None)
    assert len(pks) == 1
    assert first.flags_created > 0
    assert (again.flags_created, again.flags_removed) == (0, 0)
    assert list(unreachable_flags().values_list("pk", flat=True)) == pks


def test_check_standings_command_reports(archive):
    out = StringIO()
    call_command("check_standings", "2012-13", stdout=out)
    assert "40 published totals: 4 reproduced exactly, 35 reachable, 1 cannot be reached" in (
        out.getvalue()
    )


def test_check_standings_command_rejects_an_unknown_season(archive):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such season: 1999-00"):
        call_command("check_standings", "1999-00", stdout=StringIO())


def test_analyze_season_query_count(archive, django_assert_max_num_queries):
    season = Season.objects.get(slug="2011-12")
    with django_assert_max_num_queries(5):
        analyses = analyze_season(season)
        assert len(analyses) == 8


def test_docs_standings_md_is_up_to_date(archive):
    text = (settings.BASE_DIR / "docs" / "STANDINGS.md").read_text(encoding="utf-8")
    generated = text[text.index(MARKDOWN_BEGIN) : text.index(MARKDOWN_END) + len(MARKDOWN_END)]
    assert generated == standings_markdown(), (
        "docs/STANDINGS.md is out of date: run "
        "`manage.py check_standings --markdown docs/STANDINGS.md` on the bundled archive"
    )


def test_editors_may_change_scoring_rules(editor):
    assert editor.has_perm("seasons.change_scoringrule")
    assert editor.has_perm("seasons.view_historicalscoringrule")


@pytest.fixture
def admin_pages(settings, admin_client):
    """The admin as a superuser, rendering without a collected static manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return admin_client


def test_admin_saving_a_rule_rechecks_the_standings(archive, admin_pages):

    rule = ScoringRule.objects.get(season__slug="2012-13")
    response = admin_pages.post(
        f"/admin/seasons/scoringrule/{rule.pk}/change/",
        {
            "points_per_place": "1000, 800, 640, 512, 410, 328, 262, 210, 168, 134, 107, 86, "
            "69, 55, 44, 35, 28",
            "individual_counted": 6,
            "individual_events": 8,
            "relay_counted": 5,
            "relay_events": 6,
            "basis": rule.basis,
            "change_reason": "testing best 5 of 6",
            "version": rule.version,
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Standings re-checked" in response.text
    assert unreachable_flags().filter(season__slug="2012-13").count() > 1


def test_admin_rejects_points_that_rise(archive, admin_pages):

    rule = ScoringRule.objects.get(season__slug="2012-13")
    response = admin_pages.post(
        f"/admin/seasons/scoringrule/{rule.pk}/change/",
        {
            "points_per_place": "1000, 800, 900",
            "individual_counted": 6,
            "individual_events": 8,
            "relay_counted": 4,
            "relay_events": 6,
            "basis": "",
            "change_reason": "points from the ISU table",
            "version": rule.version,
        },
    )
    assert response.status_code == 200
    assert "A lower place cannot score more than a higher one." in response.text


# The rule's admin has the editors' protections: a reason kept in history, no lost edits.

RULE_FORM = {
    "points_per_place": "1000, 800, 640, 512, 410, 328, 262, 210, 168, 134, 107, 86, 69, 55, 44, "
    "35, 28",
    "individual_counted": 6,
    "individual_events": 8,
    "relay_counted": 4,
    "relay_events": 6,
    "basis": "",
}


def test_admin_rule_change_needs_a_reason(archive, admin_pages):
    rule = ScoringRule.objects.get(season__slug="2012-13")

    response = admin_pages.post(
        f"/admin/seasons/scoringrule/{rule.pk}/change/",
        {**RULE_FORM, "relay_counted": 5, "version": rule.version},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["change_reason"]
    rule.refresh_from_db()
    assert rule.relay_counted == 4


def test_admin_rule_change_keeps_its_reason_in_history(archive, admin_pages):
    rule = ScoringRule.objects.get(season__slug="2012-13")

    admin_pages.post(
        f"/admin/seasons/scoringrule/{rule.pk}/change/",
        {**RULE_FORM, "relay_counted": 5, "change_reason": "ISU rules", "version": rule.version},
    )

    rule.refresh_from_db()
    assert (rule.relay_counted, rule.version) == (5, 2)
    latest = rule.history.order_by("-history_date").first()
    assert latest.history_change_reason == "ISU rules"


def test_admin_rule_change_refused_after_another_save(archive, admin_pages):
    rule = ScoringRule.objects.get(season__slug="2012-13")
    opened_at = rule.version
    url = f"/admin/seasons/scoringrule/{rule.pk}/change/"
    admin_pages.post(
        url, {**RULE_FORM, "relay_counted": 5, "change_reason": "first", "version": opened_at}
    )

    response = admin_pages.post(
        url, {**RULE_FORM, "relay_events": 7, "change_reason": "second", "version": opened_at}
    )

    assert response.status_code == 200
    assert "after you opened it" in response.text
    rule.refresh_from_db()
    assert (rule.relay_counted, rule.relay_events) == (5, 6)
