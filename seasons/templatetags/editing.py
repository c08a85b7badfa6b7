"""Staff "Edit" links on the public pages, each carrying ``?next=``: the page it is on (and the
row's anchor), where the admin returns the editor after the save (seasons/admin/returning.py).

An anonymous visitor costs nothing here: without a session, ``request.user`` is an
AnonymousUser found without a query, and the tag renders an empty string. Pages with these links
are never served from the page cache to a signed-in editor (seasons/caching.py skips requests
with a session cookie), so an anonymous visitor never gets an editor's page either.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from ..models import Race

register = template.Library()


def admin_change_url(obj):
    """The admin page that edits ``obj``: where a staff "Edit" link on its public page points."""
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def can_edit(user, obj):
    """Staff with the change permission; ``has_perm`` caches the permissions on the user, so
    a page of links costs its editor two queries, once."""
    opts = obj._meta
    permission = f"{opts.app_label}.change_{opts.model_name}"
    return user.is_active and user.is_staff and user.has_perm(permission)


def back_here(request, obj=None):
    """Where a save should return the editor: this page, at ``obj``'s row if it has an anchor
    (``/seasons/2011-12/saguenay/#men-500m``); "" without a request."""
    if request is None:
        return ""
    anchor = getattr(obj, "anchor", "")
    return request.get_full_path() + (f"#{anchor}" if anchor else "")


def with_next(url, next_url):
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


@register.simple_tag(takes_context=True)
def edit_link(context, obj, what=""):
    """``Edit`` linked to ``obj``'s admin page, for staff allowed to change it; else nothing.

    ``what`` names the record for screen readers ("Edit Men's 500 m"), so a page of rows does
    not read as a list of bare "Edit"s; it defaults to ``str(obj)``. Pass it where ``str()``
    would follow a relation the page did not load.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    return edit_link_for(user, obj, what, next_url=back_here(request, obj))


@register.simple_tag(takes_context=True)
def edit_podiums_link(context, meet):
    """``Edit`` linked to the meet screen (every race's podium on one page: seasons/admin/
    meet_screen.py), for staff allowed to change races; else nothing."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not can_edit(user, meet) or not can_edit(user, Race):
        return ""
    url = reverse("admin:seasons_meet_podiums", args=[meet.pk])
    return format_html(
        '<a class="edit-link" href="{}">Edit<span class="visually-hidden"> {} and its '
        "podiums</span></a>",
        with_next(url, back_here(request)),
        meet,
    )


def edit_link_for(user, obj, what="", next_url=""):
    """The tag's link for ``user``, for Python callers (a django-tables2 column); ``next_url``:
    where the admin returns after the save."""
    if obj is None or user is None or not can_edit(user, obj):
        return ""
    return format_html(
        '<a class="edit-link" href="{}">Edit<span class="visually-hidden"> {}</span></a>',
        with_next(admin_change_url(obj), next_url),
        what or obj,
    )
