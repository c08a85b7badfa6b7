"""The meet screen: every race of a meet with its podium on one page, saved at once.

An editor copying a meet's results from the ISU's report fills the podiums of all its races here,
in one save with one reason, instead of opening ten race forms. Each race's podium is the race
form's own inline (:class:`~seasons.admin.archive.ResultInline`: the same rows, missing places
offered, athletes and nations by autocomplete, the same checks), and each race is checked like the
race form: its version is compared, with the row locked, so a race saved by someone else after the
page was opened refuses the whole save, naming who saved it, when and what changed, and keeping
everything typed (fields not touched take the current values). Only races whose podium changed
are checked and saved; each saved race gets a new version after its rows, as on the race form.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.forms.formsets import BaseFormSet
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode

from ..corrections import collecting, record_baseline
from ..doubts import recheck
from ..importing.deletions import record_deletion
from ..models import Meet, Race, Result
from .base import source_line
from .forms import EditorForm, inline_changes_meanwhile
from .returning import accept_applied_suggestion, return_url, saved_message, suggestion_from


class RaceVersionForm(EditorForm):
    """A race on the meet screen: only its version (each podium row carries its own), checked
    with the row locked as on the race form; the screen asks for the reason once."""

    class Meta:
        model = Race
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["change_reason"]


class ReasonForm(forms.Form):
    change_reason = forms.CharField(
        label="Reason for change",
        max_length=100,
        help_text="One reason for every podium saved, kept in each race's history and shown on "
        "the public list of changes, e.g. “podiums from the ISU results”.",
    )


@dataclass(eq=False)
class RaceSection:
    """One race of the screen: the race's version form and its podium rows."""

    race: Race
    version: RaceVersionForm
    podium: BaseFormSet

    @property
    def has_changed(self):
        return self.podium.has_changed()

    def is_valid(self):
        # Both, always: every error of the race is shown at once.
        return all([self.version.is_valid(), self.podium.is_valid()])

    @property
    def edit_conflict(self):
        return self.version.edit_conflict or any(row.edit_conflict for row in self.podium.forms)

    def rebase(self):
        """After a conflict: as the race form does, the rows as they are now, the editor's
        own changes kept, and what appeared or went meanwhile listed with the race."""
        lines = inline_changes_meanwhile(self.podium)
        if lines:
            self.version.add_error(None, lines)
        self.version.rebase()
        for row in self.podium.forms:
            if row.is_change:
                row.rebase()

    def rows(self):
        """Each podium row with its source line (the race form shows it as a read-only field)."""
        return [(row, source_line(row.instance)) for row in self.podium.forms]

    def save(self, reason, user):
        # The race as it was, recorded before its rows change (its first edit's baseline).
        record_baseline(self.version.stored)
        for row in self.podium.forms:
            row.instance._change_reason = reason
        for row in self.podium.deleted_forms:
            if row.instance.pk is not None:
                record_deletion(row.instance, user)
        self.podium.save()
        # After its rows, as the race form saves it: the race's historical record closes the
        # edit, so a revert to it restores this podium.
        self.version.new_version()
        race = self.version.instance
        race._change_reason = reason
        race._history_user = user
        race.save(update_fields=["version"])


def podium_inline(race_admin, request, race):
    """The race form's podium inline, as this editor may use it; PermissionDenied without it."""
    for inline in race_admin.get_inline_instances(request, race):
        if inline.model is Result and inline.has_change_permission(request, race):
            return inline
    raise PermissionDenied


def race_section(race_admin, request, race, data=None):
    """A race of the screen, bound to ``data`` (a POST) or as it is now, blank rows offered."""
    inline = podium_inline(race_admin, request, race)
    podium_class = inline.get_formset(request, race)
    kwargs = {
        "instance": race,
        "prefix": f"podium-{race.pk}",
        "queryset": inline.get_queryset(request),
    }
    if data is None:
        kwargs["initial"] = inline.blank_rows(race)
    else:
        kwargs["data"] = data
    version = RaceVersionForm(data, instance=race, prefix=f"race-{race.pk}")
    return RaceSection(race, version, podium_class(**kwargs))


class MeetScreenAdmin:
    """Mixed into the meet's admin: the screen at ``/admin/seasons/meet/<id>/podiums/``."""

    def get_urls(self):
        screen = path(
            "<path:object_id>/podiums/",
            self.admin_site.admin_view(self.podiums_view),
            name="seasons_meet_podiums",
        )
        return [screen, *super().get_urls()]

    def podiums_view(self, request, object_id):
        meet = get_object_or_404(Meet.objects.select_related("season", "venue"), pk=object_id)
        race_admin = self.admin_site.get_model_admin(Race)
        if not race_admin.has_change_permission(request):
            raise PermissionDenied
        suggestion = suggestion_from(request)
        back = return_url(request) or meet.get_absolute_url()
        reason = ReasonForm(request.POST if request.method == "POST" else None)
        if suggestion is not None and not reason.is_bound:
            reason.initial["change_reason"] = suggestion.as_reason
        races = list(Race.objects.filter(meet=meet).in_calendar_order().with_podium())
        data = request.POST if request.method == "POST" else None
        with (
            transaction.atomic(using=router.db_for_write(Race)),
            collecting(suggestion) as saved,
        ):
            sections = [race_section(race_admin, request, race, data) for race in races]
            if data is not None:
                changed = [section for section in sections if section.has_changed]
                # Every form checked, so that every error shows at once.
                checks = [reason.is_valid(), *(section.is_valid() for section in changed)]
                if all(checks):
                    for section in changed:
                        section.save(reason.cleaned_data["change_reason"], request.user)
                    # The season's data checked again, as after any save (seasons.doubts).
                    recheck(meet.season, user=request.user, change=saved[0] if saved else None)
                    accept_applied_suggestion(request, saved)
                    self.message_user(
                        request, saved_message(saved, f"the podiums of {meet}"), messages.SUCCESS
                    )
                    return HttpResponseRedirect(back)
        if data is not None:
            # Refused: the races the editor changed as posted (rebased after a conflict), the
            # others as they are now.
            sections = [
                section if section in changed else race_section(race_admin, request, section.race)
                for section in sections
            ]
            for section in changed:
                if section.edit_conflict:
                    section.rebase()
        return self.render_podiums(request, meet, sections, reason, suggestion, back)

    def render_podiums(self, request, meet, sections, reason, suggestion, back):
        media = self.media + reason.media
        for section in sections:
            media += section.podium.media
        errors = [
            section
            for section in sections
            if section.version.is_bound
            and (section.version.errors or section.podium.total_error_count())
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": f"Podiums of {meet}",
            "subtitle": None,
            "opts": self.model._meta,
            "meet": meet,
            "sections": sections,
            "reason": reason,
            "suggestion": suggestion,
            "back": back,
            "errors": errors or reason.errors,
            "meet_form_url": reverse("admin:seasons_meet_change", args=[meet.pk])
            + "?"
            + urlencode({"next": back}),
            "media": media,
        }
        return TemplateResponse(request, "admin/seasons/meet/podiums.html", context)
