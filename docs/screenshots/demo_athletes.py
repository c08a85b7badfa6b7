"""Test data for the athlete page's screenshot, never for the archive: the bundled sources name
no athlete. Run it only against a throw-away screenshot database, after load_archive::

    .venv/bin/python manage.py shell < docs/screenshots/demo_athletes.py

It adds the same two fictional athletes as the test suite's ``skaters`` fixture.
"""

from seasons.models import Athlete, Nation, Race, Result, StandingsEntry


def race(season, meet, anchor):
    races = Race.objects.filter(meet__season__slug=season, meet__slug=meet)
    return next(race for race in races if race.anchor == anchor)


can, ned = Nation.objects.get(code="CAN"), Nation.objects.get(code="NED")
canada, _ = Athlete.objects.get_or_create(
    slug="elodie-testaz", defaults={"name": "Élodie Testaz", "nation": can}
)
netherlands, _ = Athlete.objects.get_or_create(
    slug="elodie-testaz-ned", defaults={"name": "Élodie Testaz", "nation": ned}
)
Result.objects.get_or_create(
    race=race("2011-12", "saguenay", "women-1500m"), place=1, defaults={"athlete": canada}
)
Result.objects.get_or_create(
    race=race("2012-13", "calgary", "women-500m"),
    place=3,
    defaults={"athlete": canada, "nation": can},
)
Result.objects.get_or_create(
    race=race("2011-12", "nagoya", "women-1000m-1"),
    place=2,
    defaults={"athlete": netherlands, "nation": ned},
)
# Saved, not update()d: the save signals retire the cached pages.
leader = StandingsEntry.objects.get(
    table__season__slug="2011-12", table__gender="women", table__distance=1500, row=1
)
leader.athlete = canada
leader.save()
