"""Readers' suggestions: the queue editors work through.

A suggestion is accepted by applying it: its page links the race's form, the meet screen or the
standings row's form with ``?suggestion=``, where the reason offered is the suggestion and the save
marks it accepted (seasons/admin/returning.py); the corrections that save logs link to it on
/changes/. Or it is declined here, with a note saying why. Readers send them (the public form),
so editors never add one.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from ..models import Race, Suggestion, SuggestionStatus
from ..templatetags.editing import admin_change_url


class SuggestionStatusFilter(admin.SimpleListFilter):
    """Waiting ones by default: the queue."""

    title = "status"
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*SuggestionStatus.choices, (self.ALL, "All")]

    def choices(self, changelist):
        current = self.value() or SuggestionStatus.WAITING
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label.capitalize(),
            }

    def queryset(self, request, queryset):
        value = self.value() or SuggestionStatus.WAITING
        return queryset if value == self.ALL else queryset.filter(status=value)


class SuggestionForm(forms.ModelForm):
    """An editor's decision: decline with a note (accepting is applying: see the links)."""

    decline = forms.BooleanField(
        required=False,
        label="Decline it",
        help_text="Say why in the note, e.g. “the ISU results agree with the archive”.",
    )

    class Meta:
        model = Suggestion
        fields = ["note"]

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("decline"):
            return cleaned_data
        if not cleaned_data.get("note", "").strip():
            self.add_error("note", "Say why the suggestion is declined.")
        # Locked (the admin's save runs in a transaction): decided meanwhile is refused.
        current = Suggestion.objects.select_for_update().get(pk=self.instance.pk)
        if not current.is_waiting:
            raise forms.ValidationError(
                f"Another editor {current.get_status_display()} this suggestion meanwhile; "
                "nothing was saved.",
                code="decided_meanwhile",
            )
        return cleaned_data


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    form = SuggestionForm
    list_display = ["sent_at", "about", "what_is_wrong", "right_value", "status"]
    list_display_links = ["sent_at", "what_is_wrong"]
    list_filter = [SuggestionStatusFilter]
    list_select_related = ["race", "entry"]
    search_fields = ["about", "what_is_wrong", "right_value", "source_url", "email"]
    date_hierarchy = "sent_at"
    readonly_fields = [
        *("concerns", "what_is_wrong", "right_value", "source", "email", "sent_at"),
        *("decision", "apply"),
    ]
    fields = [*readonly_fields, "decline", "note"]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).with_targets().select_related("decided_by")

    def view_on_site(self, obj):
        return obj.page_url

    @admin.display(description="about")
    def concerns(self, obj):
        return format_html('<a href="{}">{}</a> (public page)', obj.page_url, obj.about)

    @admin.display(description="source")
    def source(self, obj):
        return format_html(
            '<a href="{}" rel="noopener noreferrer nofollow">{}</a>', obj.source_url, obj.source_url
        )

    @admin.display(description="status")
    def decision(self, obj):
        if obj.is_waiting:
            return "waiting"
        who = obj.decided_by.get_full_name() or obj.decided_by if obj.decided_by else "an editor"
        return f"{obj.get_status_display()} on {obj.decided_at:%Y-%m-%d} by {who}"

    @admin.display(description="accept it by applying it")
    def apply(self, obj):
        """Where to make the change: the save marks the suggestion accepted."""
        if not obj.is_waiting:
            corrections = obj.corrections.all()
            return (
                format_html_join(
                    "", "<div>{}</div>", ((correction.summary,) for correction in corrections)
                )
                or "no correction links to it"
            )
        target = obj.target
        if target is None:
            return "Its race or standings row was deleted since: decline it, or apply it by hand."
        query = urlencode({"suggestion": obj.pk, "next": obj.page_url})
        links = [(f"{admin_change_url(target)}?{query}", f"the {target._meta.verbose_name}'s form")]
        if isinstance(target, Race):
            screen = reverse("admin:seasons_meet_podiums", args=[target.meet_id])
            links.append((f"{screen}?{query}", "the meet screen (every podium of the meet)"))
        return format_html_join(" · ", '<a href="{}">In {}</a>', links)

    def save_model(self, request, obj, form, change):
        if form.cleaned_data["decline"]:
            obj.decline(request.user, form.cleaned_data["note"])
        else:
            obj.save(update_fields=["note"])
