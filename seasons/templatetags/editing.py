"""Staff "Edit" links on the public pages.

An anonymous visitor costs nothing here: without a session, ``request.user`` is an
AnonymousUser found without a query, and the tag renders an empty string. Pages with these links
are never served from the page cache to a signed-in editor (seasons/caching.py skips requests
with a session cookie), so an anonymous visitor never gets an editor's page either.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html

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


@register.simple_tag(takes_context=True)
def edit_link(context, obj, what=""):
    """``Edit`` linked to ``obj``'s admin page, for staff allowed to change it; else nothing.

    ``what`` names the record for screen readers ("Edit Men's 500 m"), so a page of rows does
    not read as a list of bare "Edit"s; it defaults to ``str(obj)``. Pass it where ``str()``
    would follow a relation the page did not load.
    """
    return edit_link_for(getattr(context.get("request"), "user", None), obj, what)


def edit_link_for(user, obj, what=""):
    """The tag's link for ``user``, for Python callers (a django-tables2 column)."""
    if obj is None or user is None or not can_edit(user, obj):
        return ""
    return format_html(
        '<a class="edit-link" href="{}">Edit<span class="visually-hidden"> {}</span></a>',
        admin_change_url(obj),
        what or obj,
    )
