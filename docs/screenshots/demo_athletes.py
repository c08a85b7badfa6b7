"""Test data for the athlete page's screenshot, never for the archive: the bundled sources name
no athlete. Run it only against a throw-away screenshot database, after load_archive::

    .venv/bin/python manage.py shell < docs/screenshots/demo_athletes.py

It adds the same two fictional athletes as the test suite's ``skaters`` fixture.
"""

from seasons.sample_pages import add_demo_athletes

add_demo_athletes()
