"""Admin for scoring rules; registered through ``seasons/admin/__init__.py``.

Saving a rule re-checks that season's standings at once, so the "cannot be reached" flags
always follow the rule an editor last saved. A rule is edited like the rest of the archive
(:class:`~seasons.admin.base.EditorAdmin`): with a reason kept in its history, and refused if
someone saved it after the form was opened.
"""

import re

from django import forms
from django.contrib import admin, messages

from ..models import ScoringRule, Season
from ..standings.check import check_standings, default_rule_values
from .base import EditorAdmin
from .forms import EditorForm


class PointsField(forms.CharField):
    """Points per place typed as ``1000, 800, 640``: easier to read and edit than JSON."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(points) for points in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        words = [word for word in re.split(r"[\s,;]+", text) if word]
        if not words or not all(word.isdigit() for word in words):
            raise forms.ValidationError(
                "Whole numbers separated by commas, 1st place first: 1000, 800, 640, …"
            )
        return [int(word) for word in words]

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != initial
        except forms.ValidationError:
            return True


class ScoringRuleForm(EditorForm):
    points_per_place = PointsField(
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text="Points for 1st, 2nd, 3rd … place, separated by commas. A place beyond the "
        "list scores 0.",
    )

    class Meta:
        model = ScoringRule
        fields = [
            "season",
            "points_per_place",
            "individual_counted",
            "individual_events",
            "relay_counted",
            "relay_events",
            "basis",
        ]


@admin.register(ScoringRule)
class ScoringRuleAdmin(EditorAdmin):
    form = ScoringRuleForm
    list_display = ["season", "individual", "relay", "places"]
    list_select_related = ["season"]
    fieldsets = [
        (None, {"fields": ["season", "points_per_place"]}),
        ("Results counted", {"fields": [("individual_counted", "individual_events")]}),
        (None, {"fields": [("relay_counted", "relay_events"), "basis"]}),
    ]
    actions = ["recheck_standings"]

    @admin.display(description="individual")
    def individual(self, rule):
        return f"best {rule.individual_counted} of {rule.individual_events}"

    @admin.display(description="relays")
    def relay(self, rule):
        return f"best {rule.relay_counted} of {rule.relay_events}"

    @admin.display(description="places scoring")
    def places(self, rule):
        return len(rule.points_per_place)

    def get_changeform_initial_data(self, request):
        """A new rule starts as the first rule the archive knows, the ISU's 80% table of
        2011–13 (counted results from the season's note when it states them): the editor
        corrects what differs for the season."""
        initial = super().get_changeform_initial_data(request)
        season = Season.objects.filter(pk=initial.get("season") or None).first()
        return {**default_rule_values(season or Season()), **initial}

    def get_readonly_fields(self, request, obj=None):
        # A rule belongs to its season for good: moving it would leave the season without one.
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "season"] if obj is not None else readonly

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._report(request, check_standings([obj.season]))

    @admin.action(description="Re-check the standings of the selected rules' seasons")
    def recheck_standings(self, request, queryset):
        self._report(request, check_standings([rule.season for rule in queryset]))

    def _report(self, request, report):
        self.message_user(
            request,
            f"Standings re-checked: {report.reproduced} totals reproduced exactly, "
            f"{report.reachable} reachable, {report.unreachable} cannot be reached "
            f"(flags: {report.flags_created} new, {report.flags_updated} updated, "
            f"{report.flags_removed} removed).",
            messages.WARNING if report.unreachable else messages.SUCCESS,
        )
