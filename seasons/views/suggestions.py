"""Readers' suggestions: the form behind every race's and standings row's "Suggest a correction".

No account: anyone may say what is wrong, the right value and where it is written, and leave an
email for a question back. The suggestion waits for an editor (seasons/admin/suggestions.py).
Spam is kept out without any outside service:

* a rate limit per address (Django's cache: ``SUGGESTIONS_PER_HOUR`` sends an hour, counting
  every attempt), past which the form is shown again, as written, with a 429;
* a honeypot: a field people never see (CSS hides it) that bots fill in; their suggestion is
  thanked for and dropped, so they learn nothing;
* size limits: each field's length (in the form and in the database), and the whole request's.

These are the only public pages that take a POST: CSRF-protected, never cached (each carries
the reader's CSRF token), and marked ``noindex``.
"""

import hashlib
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.cache import caches
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from ..models import Meet, Race, Season, StandingsEntry, Suggestion
from ..models.suggestions import URL_MAX

# An hour of sends per address; each worker's own count with the local-memory cache, one count
# for all with Redis (REDIS_URL).
RATE_WINDOW_SECONDS = 60 * 60
# The fields' limits come to some 3,300 characters; a request far past that is no reader's.
MAX_REQUEST_BYTES = 20_000
HONEYPOT = "website"


class SuggestionForm(forms.ModelForm):
    # A link as a reader pastes it, or types it without its scheme.
    source_url = forms.URLField(
        label="Where is it written? (a link)",
        help_text="The ISU's results, a federation's report, a newspaper: where an editor can "
        "check it.",
        max_length=URL_MAX,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        max_length=200,
    )

    class Meta:
        model = Suggestion
        fields = ["what_is_wrong", "right_value", "source_url", "email"]
        labels = {
            "what_is_wrong": "What is wrong or missing?",
            "right_value": "What is the right value?",
            "email": "Your email (optional)",
        }
        help_texts = {
            "what_is_wrong": "For example: “the winner is missing” or “the date is a year off”.",
            "right_value": "For example: “Charles Hamelin (CAN)” or “10 December 2011”.",
            "email": "Only if an editor may ask you a question. Never shown on the site.",
        }
        widgets = {
            "what_is_wrong": forms.Textarea(attrs={"rows": 4}),
            "right_value": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get(HONEYPOT))


@dataclass
class Target:
    """What a suggestion is about, as the form page shows it and the suggestion keeps it."""

    about: str
    page_url: str
    race: Race | None = None
    entry: StandingsEntry | None = None


def client_address(request):
    """The reader's address: ``REMOTE_ADDR``, or behind a reverse proxy the header it sets
    (``settings.CLIENT_IP_HEADER``, e.g. ``HTTP_X_REAL_IP``), first address of a list."""
    header = getattr(settings, "CLIENT_IP_HEADER", "REMOTE_ADDR")
    value = request.META.get(header) or request.META.get("REMOTE_ADDR", "")
    return value.split(",")[0].strip()


def over_rate_limit(request):
    """Count this attempt against the address; whether it is past the hour's allowance."""
    limit = getattr(settings, "SUGGESTIONS_PER_HOUR", 5)
    # Hashed: the cache need not hold readers' addresses.
    digest = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"suggestions:{digest}"
    cache = caches["default"]
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW_SECONDS)
        count = 1
    return count > limit


def request_size(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:  # the server passed on a length that is no number: read what came
        return len(request.body)


def suggestion_page(request, target, shown):
    """The form for ``target``; ``shown``: the page's own context (what the row says now)."""
    status = 200
    problem = ""
    form = SuggestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if request_size(request) > MAX_REQUEST_BYTES:
            form, status = SuggestionForm(), 413
            problem = "That was far too long to be a suggestion; nothing was kept."
        elif over_rate_limit(request):
            status = 429
            problem = (
                "Too many suggestions were sent from your address in the last hour, so this one "
                "was not saved. What you wrote is still here: send it again later."
            )
        elif form.is_valid():
            if not form.is_spam:
                suggestion = form.save(commit=False)
                suggestion.race, suggestion.entry = target.race, target.entry
                suggestion.about, suggestion.page_url = target.about, target.page_url
                suggestion.save()
            return redirect("seasons:suggestion-sent")
        else:
            status = 400
    context = {**shown, "target": target, "form": form, "problem": problem}
    return render(request, "seasons/suggest.html", context, status=status)


def race_target(season, meet, race):
    meet = get_object_or_404(Meet.objects.select_related("season"), season__slug=season, slug=meet)
    races = Race.objects.filter(meet=meet).with_podium()
    found = next((row for row in races if row.anchor == race), None)
    if found is None:
        raise Http404(f"No race {race!r} at {meet}.")
    about = f"{found.title}, {meet}"
    target = Target(about, f"{meet.get_absolute_url()}#{found.anchor}", race=found)
    return target, {"race": found, "meet": meet}


# The only public pages that take a POST (CSRF-checked): a reader sends the form.
@require_http_methods(["GET", "POST"])
@csrf_protect
@never_cache
def suggest_race(request, season, meet, race):
    target, shown = race_target(season, meet, race)
    return suggestion_page(request, target, shown)


@require_http_methods(["GET", "POST"])
@csrf_protect
@never_cache
def suggest_standings(request, season, table, row):
    season = get_object_or_404(Season, slug=season)
    tables = season.standings.all()
    found = next((standings for standings in tables if standings.anchor == table), None)
    if found is None:
        raise Http404(f"No standings table {table!r} in {season.years}.")
    entry = get_object_or_404(
        StandingsEntry.objects.select_related("athlete", "nation"), table=found, row=row
    )
    about = f"{found}, row {entry.row}"
    target = Target(about, found.get_absolute_url(), entry=entry)  # the table's page links it
    return suggestion_page(request, target, {"entry": entry, "standings": found})


def suggestion_sent(request):
    return render(request, "seasons/suggestion_sent.html")
