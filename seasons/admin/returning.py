"""After a save, back to the page the editor came from, saying what was saved.

Every staff "Edit" link on a public page carries ``?next=`` (the page, and the row's anchor;
seasons/templatetags/editing.py). The admin's change form posts to its own URL, query string
included, so ``next`` reaches the save; :func:`return_after_save` then sends the editor back there
(validated: this site only) with a message listing the corrections the save logged. A save that
applies a reader's suggestion (``?suggestion=``) marks it accepted, in the same transaction.
"""

from django.contrib import messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

from ..models import Suggestion

# Buttons that mean "stay in the admin": Django's own answers to them are kept.
STAY_BUTTONS = ("_continue", "_addanother", "_saveasnew", "_change_history", IS_POPUP_VAR)
# How many corrections the message names before it counts the rest.
NAMED_IN_MESSAGE = 5


def return_url(request):
    """The page to return to after the save (``next``), if it is on this site; else None."""
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


def suggestion_from(request):
    """The waiting reader's suggestion this page applies (``?suggestion=12``), if any."""
    value = request.GET.get("suggestion", "")
    if not value.isdigit() or not request.user.has_perm("seasons.change_suggestion"):
        return None
    return Suggestion.objects.waiting().filter(pk=int(value)).first()


def saved_message(saved, what):
    """``Saved 2 changes: Result … — added; Race … — changed Date: … → …`` from the corrections
    one save logged (``seasons.corrections.collecting``); ``what`` names the record or page."""
    if not saved:
        return f"Nothing was changed in {what}: it already read as the form had it."
    named = "; ".join(correction.summary for correction in saved[:NAMED_IN_MESSAGE])
    more = len(saved) - NAMED_IN_MESSAGE
    rest = f"; and {more} more (see Recent corrections)" if more > 0 else ""
    changes = "1 change" if len(saved) == 1 else f"{len(saved)} changes"
    applied = (
        f" The reader's suggestion “{saved.suggestion}” is accepted."
        if saved.suggestion is not None
        else ""
    )
    return f"Saved {changes}: {named}{rest}.{applied}"


def accept_applied_suggestion(request, saved):
    """Mark the suggestion the save applied as accepted, if the save changed anything."""
    if saved is not None and saved and saved.suggestion is not None:
        saved.suggestion.accept(request.user)


def return_after_save(model_admin, request, obj):
    """The redirect back to the public page, with the message; None to keep Django's answer."""
    saved = getattr(request, "saved_corrections", None)
    accept_applied_suggestion(request, saved)
    url = return_url(request)
    if url is None or any(button in request.POST for button in STAY_BUTTONS):
        if saved and saved.suggestion is not None:
            model_admin.message_user(
                request, f"The reader's suggestion “{saved.suggestion}” is accepted."
            )
        return None
    # A save whose corrections were not collected (a flag's: not a correction) is named whole.
    message = f"Saved {obj}." if saved is None else saved_message(saved, obj)
    model_admin.message_user(request, message, messages.SUCCESS)
    return HttpResponseRedirect(url)
