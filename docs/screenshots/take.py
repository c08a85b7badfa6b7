"""Screenshots of the public pages in real Chromium, at desktop and phone width.

Run against a server that has the bundled archive loaded, e.g.::

    export DATABASE_URL=sqlite:////tmp/shots.sqlite3 DJANGO_DEBUG=1
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_archive
    .venv/bin/python manage.py runserver 127.0.0.1:8000 &
    .venv/bin/python docs/screenshots/take.py --base-url http://127.0.0.1:8000 --except athlete
    # The sources name no athlete: the athlete page is shot with test data, added only now so
    # that the other pages show the archive as it is.
    .venv/bin/python manage.py shell < docs/screenshots/demo_athletes.py
    .venv/bin/python docs/screenshots/take.py --base-url http://127.0.0.1:8000 --only athlete

Chromium is Debian's (``apt-get install chromium``); Playwright only drives it.
"""

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent
sys.path.insert(0, str(OUT.parent.parent))

# Run as a script: the project's packages import only once the project's root is on the path.
from seasons.sample_pages import DEMO_ATHLETE_PAGE, SAMPLE_PAGE  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# The pages the README shows, from seasons/sample_pages.py; the athlete page's athletes are
# demo_athletes.py's test data, since the bundled sources name no athlete.
PAGES = {
    "front": SAMPLE_PAGE["front"].path,
    "season": SAMPLE_PAGE["season"].path,
    "meet": SAMPLE_PAGE["meet-flagged"].path,
    "standings": SAMPLE_PAGE["standings"].path,
    "nations": SAMPLE_PAGE["nations"].path,
    "nation": SAMPLE_PAGE["nation"].path,
    DEMO_ATHLETE_PAGE.name: DEMO_ATHLETE_PAGE.path,
    "search": SAMPLE_PAGE["search"].path,
}
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}


def take(base_url, full_page, pages):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for size, options in VIEWPORTS.items():
            context = browser.new_context(**options)
            page = context.new_page()
            for name, path in pages.items():
                response = page.goto(base_url + path, wait_until="networkidle")
                if response is None or response.status != 200:
                    raise SystemExit(f"{path} answered {response and response.status}")
                target = OUT / f"{name}-{size}.png"
                page.screenshot(path=target, full_page=full_page)
                print(target.relative_to(OUT.parent.parent))
            context.close()
        browser.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument(
        "--viewport-only", action="store_true", help="only the first screen, not the full page"
    )
    parser.add_argument("--only", nargs="+", choices=PAGES, help="only these pages")
    parser.add_argument("--except", dest="skip", nargs="+", choices=PAGES, help="not these")
    options = parser.parse_args()
    pages = {
        name: path
        for name, path in PAGES.items()
        if (options.only is None or name in options.only) and name not in (options.skip or ())
    }
    take(options.base_url.rstrip("/"), full_page=not options.viewport_only, pages=pages)


if __name__ == "__main__":
    main()
