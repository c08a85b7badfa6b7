"""Athletes in admin: one athlete per person. An athlete's names (display, native script,
aliases) are edited on its page; two athletes found to be one person are merged (an action on
the list); results given to the wrong athlete are moved (an action on the results list). Both
ask for a reason and appear in the change log (:mod:`seasons.merging`)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.response import TemplateResponse

from ..corrections import log_correction_elsewhere
from ..merging import merge_athletes, move_result
from ..models import Athlete, AthleteAlias, Result
from .base import EditorAdmin
from .forms import VersionedForm

REASON_HELP = "Kept in the history and shown on the public list of changes."


class AthleteAliasInline(admin.TabularInline):
    model = AthleteAlias
    form = VersionedForm
    fields = ["name", "source"]
    readonly_fields = ["source"]
    extra = 1
    verbose_name = "alias"
    verbose_name_plural = "aliases: other ways the name is written (search and imports find "
    "the athlete by each)"


@admin.register(Athlete)
class AthleteAdmin(EditorAdmin):
    list_display = ["name", "nation", "native_name"]
    list_filter = ["nation"]
    list_select_related = ["nation"]
    search_fields = ["name", "slug", "native_name", "aliases__name"]
    autocomplete_fields = ["nation"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "nation", "native_name"]
    inlines = [AthleteAliasInline]
    actions = ["merge_athletes"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        old_name = form.initial.get("name")
        renamed = change and old_name and "name" in form.changed_data
        # The name it had stays findable: by search, and by the next import of a source that
        # writes it so (or in another form of it: the alias's key).
        if renamed and not obj.aliases.filter(name=old_name).exists():
            alias = AthleteAlias(athlete=obj, name=old_name)
            alias._change_reason = form.reason
            log_correction_elsewhere(alias)  # part of the rename, logged with it
            alias.save()

    @admin.action(
        description="Merge the selected athletes (one person)", permissions=["change", "delete"]
    )
    def merge_athletes(self, request, queryset):
        athletes = list(queryset.select_related("nation").order_by("pk"))
        if len(athletes) < 2:
            self.message_user(request, "Select two athletes or more to merge.", messages.ERROR)
            return None
        form = MergeForm(athletes, request.POST if "apply" in request.POST else None)
        if form.is_valid():
            survivor = form.cleaned_data["survivor"]
            with transaction.atomic():
                merges = [
                    merge_athletes(
                        survivor, merged, user=request.user, reason=form.cleaned_data["reason"]
                    )
                    for merged in athletes
                    if merged != survivor
                ]
            for merge in merges:
                self.message_user(request, str(merge), messages.SUCCESS)
            return None
        return action_page(
            self,
            request,
            "admin/seasons/athlete/merge.html",
            {"title": "Merge athletes", "athletes": athletes, "form": form},
        )


class MergeForm(forms.Form):
    survivor = forms.ModelChoiceField(
        queryset=Athlete.objects.none(),
        widget=forms.RadioSelect,
        label="The athlete that stays",
        help_text="The others' results, standings places and names move to it; their pages "
        "then lead to its page.",
    )
    reason = forms.CharField(label="Reason for change", max_length=100, help_text=REASON_HELP)

    def __init__(self, athletes, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["survivor"]
        field.queryset = Athlete.objects.filter(pk__in=[athlete.pk for athlete in athletes])
        field.label_from_instance = lambda athlete: f"{athlete} · {athlete.slug}"


class MoveResultsForm(forms.Form):
    athlete = forms.ModelChoiceField(
        queryset=Athlete.objects.select_related("nation"),
        # Searched as the results' own athlete field is (there may be thousands).
        widget=AutocompleteSelect(Result._meta.get_field("athlete"), admin.site),
        label="Athlete",
        help_text="The athlete these results belong to.",
    )
    reason = forms.CharField(label="Reason for change", max_length=100, help_text=REASON_HELP)


def move_results_action(model_admin, request, queryset):
    """An action of the results list: give the selected results to another athlete."""
    results = list(queryset.select_related("race__meet__season", "athlete__nation", "nation"))
    form = MoveResultsForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        athlete, reason = form.cleaned_data["athlete"], form.cleaned_data["reason"]
        try:
            with transaction.atomic():
                for result in results:
                    move_result(result, athlete, user=request.user, reason=reason)
        except ValidationError as error:
            for message in error.messages:
                form.add_error("athlete", f"{result}: {message}")
        else:
            model_admin.message_user(
                request, f"Moved {len(results)} results to {athlete}.", messages.SUCCESS
            )
            return None
    return action_page(
        model_admin,
        request,
        "admin/seasons/result/move_results.html",
        {"title": "Move results to another athlete", "results": results, "form": form},
    )


move_results_action.short_description = "Move the selected results to another athlete"
move_results_action.allowed_permissions = ["change"]


def action_page(model_admin, request, template, context):
    """The intermediate page of an action: the selected rows, the form, Apply or Cancel."""
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "action": request.POST.get("action", ""),
        **context,
    }
    return TemplateResponse(request, template, context)
