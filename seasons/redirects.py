"""Old slugs keep working: when a season, meet or venue changes its slug, its old paths answer
with a 301 to the new ones (``django.contrib.redirects``, served by RedirectFallbackMiddleware
for any path that would otherwise be a 404).

A season's slug is in its meets' and standings' paths too, so renaming a season redirects
``/seasons/<old>/``, ``/seasons/<old>/standings/``, each of its standings tables' pages
(``/seasons/<old>/standings/men-500m/``) and every ``/seasons/<old>/<meet>/``. A meet
that moves to another season moves its path the same way. Redirects already pointing at an old
path are pointed at the new one (no chains), and a redirect from a path that is live again (a
slug changed back) is removed, so a page never redirects away from itself.

``pre_save`` reads the stored slug (one query per save of a season, meet or venue) and, if it is
about to change, the paths it gives; ``post_save`` writes the redirects in the same transaction.
Fixture loads (``raw``) and new rows have no old paths. Writes that send no signals
(``QuerySet.update()``) get no redirects.
"""

from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.db.models.signals import post_save, pre_save
from django.urls import reverse

from .models import Meet, Season, StandingsTable, Venue


def season_paths(season, meets):
    """``{key: path}`` of a season's pages: the season, its standings and each table's page,
    each of its meets."""
    paths = {
        "season": season.get_absolute_url(),
        "standings": reverse("seasons:standings", kwargs={"season": season.slug}),
    }
    for table in StandingsTable.objects.filter(season=season).only("gender", "distance"):
        paths[f"standings:{table.anchor}"] = reverse(
            "seasons:standings-table", kwargs={"season": season.slug, "table": table.anchor}
        )
    for meet in meets:
        paths[f"meet:{meet.pk}"] = reverse(
            "seasons:meet", kwargs={"season": season.slug, "meet": meet.slug}
        )
    return paths


def paths_before(instance):
    """The paths of ``instance`` as stored, if saving it will move them; else ``{}``."""
    model = type(instance)
    if model is Meet:
        stored = Meet.objects.filter(pk=instance.pk).select_related("season").first()
        moved = stored is not None and (stored.slug, stored.season_id) != (
            instance.slug,
            instance.season_id,
        )
        return {"meet": stored.get_absolute_url()} if moved else {}
    stored = model.objects.filter(pk=instance.pk).only("slug").first()
    if stored is None or stored.slug == instance.slug:
        return {}
    if model is Season:
        return season_paths(stored, Meet.objects.filter(season=stored).only("pk", "slug"))
    return {"venue": stored.get_absolute_url()}


def paths_after(instance):
    if isinstance(instance, Season):
        return season_paths(instance, Meet.objects.filter(season=instance).only("pk", "slug"))
    key = "meet" if isinstance(instance, Meet) else "venue"
    return {key: instance.get_absolute_url()}


def remember_paths(sender, instance, raw=False, **kwargs):
    """pre_save: the paths a change of slug is about to move (one query per save)."""
    instance._paths_before = {} if raw or instance.pk is None else paths_before(instance)


def redirect_old_paths(sender, instance, raw=False, **kwargs):
    """post_save: a 301 from every path that moved to where it moved."""
    before = instance.__dict__.pop("_paths_before", None)
    if raw or not before:
        return
    after = paths_after(instance)
    redirect_paths({old: after[key] for key, old in before.items() if key in after})


def redirect_paths(moves):
    """Redirect each ``old path → new path`` on the current site: no chains, no loops."""
    site = Site.objects.get_current()
    redirects = Redirect.objects.filter(site=site)
    for old, new in moves.items():
        if old == new:
            continue
        # Earlier redirects to the old path now lead straight to the new one.
        for earlier in redirects.filter(new_path=old):
            if earlier.old_path == new:
                earlier.delete()
            else:
                earlier.new_path = new
                earlier.save(update_fields=["new_path"])
        Redirect.objects.update_or_create(site=site, old_path=old, defaults={"new_path": new})
        # The new path is a live page again: nothing may redirect it elsewhere.
        redirects.filter(old_path=new).delete()


def connect():
    """Called from ``SeasonsConfig.ready()``."""
    for model in (Season, Meet, Venue):
        uid = f"slug-redirects:{model._meta.label}"
        pre_save.connect(remember_paths, sender=model, dispatch_uid=uid)
        post_save.connect(redirect_old_paths, sender=model, dispatch_uid=uid)
