"""Readers' suggestions: a proposed fix of a race or a standings row, waiting for an editor.

Anyone may send one, without an account (seasons/views/suggestions.py keeps spam out). It changes
nothing by itself: an editor accepts it by saving the fix with the suggestion as its reason (the
corrections that save logs link back to it, and /changes/ shows the link), or declines it with a
note. Its text is the reader's and stays as sent.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator

from .races import Race
from .standings import StandingsEntry

# What a reader may send: enough for "the winner was X, not Y, see the ISU's PDF"; a bot's essay
# is refused by the form, and PostgreSQL enforces the same lengths.
WHAT_IS_WRONG_MAX = 2000
RIGHT_VALUE_MAX = 500
URL_MAX = 500
# A correction's reason holds 100 characters (``Correction.reason``).
REASON_MAX = 100


class SuggestionStatus(models.TextChoices):
    WAITING = "waiting", "waiting"
    ACCEPTED = "accepted", "accepted"
    DECLINED = "declined", "declined"


class SuggestionQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=SuggestionStatus.WAITING)

    def with_targets(self):
        """Suggestions with the race or standings row each concerns, as the queue names them."""
        return self.select_related(
            "race__meet__season", "entry__table__season", "entry__athlete", "entry__nation"
        )


class Suggestion(models.Model):
    """A reader's suggestion about one race (its podium, its date...) or one standings row.

    ``about`` and ``page_url`` say what the reader was looking at when they wrote: the race or
    row may be corrected, moved or deleted since, and the suggestion must still read as sent.
    """

    race = models.ForeignKey(
        Race, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestions"
    )
    entry = models.ForeignKey(
        StandingsEntry,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
        verbose_name="standings row",
    )
    about = models.CharField(max_length=300, help_text="The race or row, as the page named it.")
    page_url = models.CharField(max_length=URL_MAX, help_text="The public page it was sent from.")
    what_is_wrong = models.CharField("what is wrong", max_length=WHAT_IS_WRONG_MAX)
    right_value = models.CharField("the right value", max_length=RIGHT_VALUE_MAX)
    source_url = models.URLField("source", max_length=URL_MAX)
    email = models.EmailField(blank=True, help_text="For a question back; never shown publicly.")
    sent_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=8, choices=SuggestionStatus.choices, default=SuggestionStatus.WAITING
    )
    note = models.TextField(
        blank=True, help_text="The editor's note: why it was declined, or what was done."
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["status", "-sent_at"], name="suggestion_queue")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SuggestionStatus.values), name="suggestion_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(race__isnull=True) | Q(entry__isnull=True),
                name="suggestion_one_target",
            ),
            # Waiting until decided, and a decision says when.
            models.CheckConstraint(
                condition=Q(status=SuggestionStatus.WAITING, decided_at__isnull=True)
                | (~Q(status=SuggestionStatus.WAITING) & Q(decided_at__isnull=False)),
                name="suggestion_decided_when",
            ),
            # The reader deserves to know why.
            models.CheckConstraint(
                condition=~Q(status=SuggestionStatus.DECLINED) | ~Q(note=""),
                name="suggestion_declined_with_note",
            ),
        ]

    def __str__(self):
        return f"{self.about}: {Truncator(self.what_is_wrong).chars(60)}"

    def get_absolute_url(self):
        # The page it was sent from (built with reverse() when it was sent): a suggestion has no
        # public page of its own.
        return self.page_url

    @property
    def is_waiting(self):
        return self.status == SuggestionStatus.WAITING

    @property
    def target(self):
        """The race or standings row it concerns; None once that was deleted."""
        return self.race or self.entry

    @property
    def as_reason(self):
        """The reason of the corrections that apply it: ``reader's suggestion: the winner…``."""
        return Truncator(f"reader's suggestion: {self.what_is_wrong}").chars(REASON_MAX)

    def accept(self, user, note=""):
        """Accepted by ``user``; False (and nothing changed) if another editor decided first."""
        return self._decide(SuggestionStatus.ACCEPTED, user, note)

    def decline(self, user, note):
        """Declined by ``user`` with ``note``; False if another editor decided first."""
        return self._decide(SuggestionStatus.DECLINED, user, note)

    def _decide(self, status, user, note):
        decision = {
            "status": status,
            "note": note or self.note,
            "decided_at": timezone.now(),
            "decided_by": user,
        }
        # Only a waiting suggestion: two editors deciding at once cannot both win.
        waiting = Suggestion.objects.filter(pk=self.pk, status=SuggestionStatus.WAITING)
        if not waiting.update(**decision):
            return False
        for name, value in decision.items():
            setattr(self, name, value)
        return True
