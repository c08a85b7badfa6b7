"""``make bench``: how the archive performs at 2 and at 30 seasons; writes docs/BENCHMARKS.md.

Everything runs against a scratch SQLite database in a temporary directory, never db.sqlite3:

1. the time to generate 30 synthetic seasons, and to parse and import the two bundled sources;
2. per page type, the uncached server time (the whole middleware stack in this process, page
   cache off; median and 95th percentile) and query count, at 2 seasons and again after 28
   synthetic seasons are added;
3. requests per second of the (cached) season page against a static file, both from one gunicorn
   started as ``make serve`` starts it, in alternating rounds on loopback (wrk if installed, else
   a small Python load generator);
4. requests per second over a mix of 15 pages, read-only and with an editor saving a race every
   second through the admin, side by side in alternating rounds (``bench/mix.py``; wrk only).

Machines are noisy, so the targets are ratios: a page against a static file on the same server,
a page at 30 seasons against the same page at 2.
"""

import argparse
import contextlib
import gzip
import http.client
import logging
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Run as a script from bench/: the project's packages import only once ROOT is on the path.
from bench.mix import measure_mix, wrk_run  # noqa: E402
from seasons.sample_pages import (  # noqa: E402
    QUERY_BUDGET,
    SAMPLE_PAGE,
    SCALE_SEASONS,
    SYNTHETIC_SEASON,
)

# The page types of seasons/sample_pages.py that the report times (the query-budget test counts
# the queries of them all).
PAGES = {
    name: SAMPLE_PAGE[name].path
    for name in (
        *("front", "seasons", "season", "meet", "standings", "venues", "venue", "sources"),
        *("source", "not-found", "sitemap", "robots", "nations", "nation", "search", "changes"),
        "athletes",
        *("season-json", "season-ics", "meet-card"),
    )
}
# Pages that list every season, venue or source (the 404 page offers the seasons), or a nation's
# results in every season: their content, and so their render time, grows with the archive
# whatever the queries do.
LISTS_EVERYTHING = {
    *("front", "seasons", "venues", "sources", "sitemap", "not-found"),
    *("nations", "nation", "search", "athletes"),
}

TARGET_STATIC_RATIO, AIM_STATIC_RATIO = 0.9, 0.9
TARGET_EDITING_RATIO = 0.7
# Compressed as sent, at 30 seasons (the page cache stores gzip level 9 and brotli).
TARGET_SENT_KIB = 60
# The mix of pages readers visit: the bundled seasons' and one full-size synthetic season's,
# lists included. The editor saves a race of the synthetic season's first meet (in the mix).
MIX = (
    *("front", "seasons", "season", "meet", "standings", "venues", "venue", "nations", "nation"),
    *("athletes", "search"),
)
MIX_SYNTHETIC = ("season (full size)", "meet (full size)", "standings (full size)")
MIX_SYNTHETIC += ("athlete (synthetic)",)
TARGET_SCALE_RATIO = 1.5
TARGET_IMPORT_SECONDS = 1.0
TARGET_SYNTHETIC_SECONDS = 5.0


class Rollback(Exception):
    pass


def setup_django(scratch):
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
    os.environ["DJANGO_DEBUG"] = "0"
    # A scratch database on this machine: the public default key is fine (skatearchive/serving.py).
    os.environ["SKATEARCHIVE_LOCAL_TRIAL"] = "1"
    os.environ["REDIS_URL"] = ""
    # The workers' shared page cache (files, as `make serve` has it), private to this run.
    os.environ["SKATEARCHIVE_PAGE_CACHE_DIR"] = str(scratch / "pages")
    os.environ["DJANGO_SETTINGS_MODULE"] = "skatearchive.settings"
    import django

    django.setup()
    from django.core.management import call_command

    # A 404 page is measured on purpose: no warning for each.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def timed(function, repeat):
    """``repeat`` runs of ``function``: ``(wall seconds, CPU seconds of this process)`` each.
    On a busy machine the wall time includes waiting for a core; the CPU time does not."""
    samples = []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        function()
        samples.append((time.perf_counter() - start, time.process_time() - cpu))
    return samples


def rolled_back(function):
    from django.db import transaction

    def run():
        try:
            with transaction.atomic():
                function()
                raise Rollback
        except Rollback:
            pass

    return run


def measure_imports(repeat):
    """Seconds to generate 30 synthetic seasons (into an empty archive) and to parse and import
    both bundled sources, each in a transaction rolled back, ``repeat`` times."""
    from django.conf import settings

    from seasons.importing.parser import read_source
    from seasons.importing.synthetic import generate_archive
    from seasons.importing.writer import import_seasons

    sources = sorted(Path(settings.SOURCES_DIR).glob("*.txt"))
    synthetic = timed(rolled_back(lambda: generate_archive(SCALE_SEASONS)), repeat)
    imported = timed(
        rolled_back(lambda: import_seasons([read_source(path) for path in sources])), repeat
    )
    import_seasons([read_source(path) for path in sources])
    return {"synthetic": synthetic, "import": imported, "sources": [p.name for p in sources]}


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def use_database(path):
    """Point the default connection at another SQLite file (closed, it reopens on next use)."""
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = str(path)


def probe_page(client, path):
    """Status, size and query count of an uncached GET, after one GET to warm per-process caches
    (templates, the current Site)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    # Counted now: the next request clears the connection's query log that ``captured`` reads.
    return {
        "path": path,
        "status": response.status_code,
        "bytes": len(response.content),
        "sent": len(gzip.compress(response.content, 9)),
        "queries": len(captured),
        "times": [],
    }


def time_page(client, page, samples):
    for _ in range(samples):
        start = time.perf_counter()
        client.get(page["path"])
        page["times"].append((time.perf_counter() - start) * 1000)


def summarise(pages):
    for page in pages.values():
        times = page.pop("times")
        page.update(
            median=statistics.median(times), p95=percentile(times, 0.95), samples=len(times)
        )
    return pages


def measure_pages(databases, pages, extra, samples, rounds):
    """Uncached times of every page in each database (``{label: sqlite path}``), in rounds that
    alternate between the databases so that both meet the same background load. ``extra``
    pages are measured in the last database only."""
    from django.test import Client, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    results = {label: {} for label in databases}
    per_round = max(1, samples // rounds)
    with override_settings(PAGE_CACHE=False):
        for label, path in databases.items():
            use_database(path)
            wanted = {**pages, **(extra() if label == list(databases)[-1] else {})}
            results[label] = {name: probe_page(client, url) for name, url in wanted.items()}
        for _ in range(rounds):
            for label, path in databases.items():
                use_database(path)
                for page in results[label].values():
                    time_page(client, page, per_round)
    return {label: summarise(measured) for label, measured in results.items()}


def synthetic_pages():
    from seasons.importing.synthetic import sample_paths

    labels = {
        "venue": "venue (synthetic)",
        "source": "source (synthetic)",
        "athlete": "athlete (synthetic)",
        "athlete-json": "athlete JSON (synthetic)",
    }
    return {
        labels.get(name, f"{name} (full size)"): path
        for name, path in sample_paths(SYNTHETIC_SEASON).items()
    }


# Requests per second


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(port, workers):
    env = {**os.environ, "DJANGO_DEBUG": "0"}
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "skatearchive.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)):
                break
            time.sleep(0.05)
        else:
            raise RuntimeError("gunicorn did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def get(base, path):
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=120)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def wrk_rps(url, seconds, connections):
    # A browser's Accept-Encoding: WhiteNoise sends the static file's brotli file, the page
    # cache the page's stored brotli body.
    return wrk_run(url, seconds, connections)[0]


def python_rps(url, seconds, connections):
    """A bounded load generator for machines without wrk: ``connections`` threads, each
    requesting in a loop (a new connection each time, as gunicorn's sync workers close them)."""
    base, path = re.match(r"(http://[^/]+)(/.*)", url).groups()
    counts = [0] * connections
    deadline = time.perf_counter() + seconds

    def worker(index):
        while time.perf_counter() < deadline:
            status, _, _ = get(base, path)
            if status != 200:
                raise RuntimeError(f"{url}: HTTP {status} under load")
            counts[index] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.perf_counter() - start)


def measure_rps(targets, workers, rounds, seconds, connections):
    """Requests per second of each target, in alternating rounds so that both see the same
    background load; the ratio is taken round by round."""
    tool = "wrk" if shutil.which("wrk") else "python"
    load = wrk_rps if tool == "wrk" else python_rps
    with gunicorn(free_port(), workers) as base:
        info = {}
        for name, path in targets.items():
            # Warm every worker: each keeps its own page cache.
            for _ in range(workers * 3):
                status, headers, body = get(base, path)
            if status != 200:
                raise RuntimeError(f"{path}: HTTP {status}")
            info[name] = {"path": path, "bytes": len(body), "cache": headers.get("X-Page-Cache")}
        samples = {name: [] for name in targets}
        for _ in range(rounds):
            for name, path in targets.items():
                samples[name].append(load(base + path, seconds, connections))
    return tool, info, samples


def measure_read_write_mix(options, pages_2, pages_30, pages_synthetic, scratch):
    """The mix (MIX at 30 seasons and the full-size synthetic pages) read-only and with an editor
    saving every second; None without wrk."""
    from seasons.importing.synthetic import sample_paths
    from seasons.models import Meet

    paths = [pages_30[name]["path"] for name in MIX]
    paths += [pages_synthetic[name]["path"] for name in MIX_SYNTHETIC]
    meet = Meet.objects.get(season__slug=SYNTHETIC_SEASON, order=1)
    assert meet.get_absolute_url() == sample_paths(SYNTHETIC_SEASON)["meet"]
    race = meet.races.order_by("pk").first()
    with gunicorn(free_port(), options.workers) as base:
        samples = measure_mix(
            base, paths, race, options.rounds, options.seconds, options.connections, scratch
        )
    if samples is None:
        return None
    return {"paths": paths, "race": f"{meet} {race.anchor}", **samples}


# The report


def machine():
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    with contextlib.suppress(OSError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    import sqlite3

    import django
    import gunicorn as gunicorn_package

    wrk = "not installed (Python load generator)"
    if shutil.which("wrk"):
        done = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
        wrk = (done.stdout or done.stderr).split("Copyright")[0].strip()
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "database": f"SQLite {sqlite3.sqlite_version} (scratch file)",
        "gunicorn": gunicorn_package.__version__,
        "load generator": wrk,
    }


def busy_note(load_before):
    """Say so when other work was running as the benchmark began: wall times then include
    waiting for a core. (The load afterwards includes the benchmark's own wrk and gunicorn.)"""
    cores, load = os.cpu_count() or 1, float(load_before.split(",")[0])
    if load < cores:
        return []
    return [
        f"- Other work shared the machine (1-minute load {load:.1f} at the start on {cores} "
        "cores): wall times include waiting for a core, which the CPU times in brackets do not; "
        "the ratios compare rounds run under the same load."
    ]


def aim_note(ratio, ratios):
    if ratio >= AIM_STATIC_RATIO:
        return []
    return [
        f"- The aim of {AIM_STATIC_RATIO} for the season page is missed ({ratio:.2f}; rounds from "
        f"{min(ratios):.2f} to {max(ratios):.2f}). A cache hit still goes through Django's "
        "handler up to the page-cache middleware, reads the archive version (one SQLite query) "
        "and unpickles the page from the cache, and it sends twice the static file's bytes from "
        "memory, where WhiteNoise hands the file to the kernel (sendfile)."
    ]


def runs(samples):
    return ", ".join(f"{wall:.2f} ({cpu:.2f})" for wall, cpu in samples)


def verdict(ok):
    return "met" if ok else "**missed**"


def mix_ratio(mix):
    return statistics.median(
        [
            editing[0] / read[0]
            for read, editing in zip(mix["read-only"], mix["editing"], strict=True)
        ]
    )


def mix_target(mix):
    if mix is None:
        return [
            f"| mix with an editor saving every second ≥ {TARGET_EDITING_RATIO} × read-only "
            "| not measured (no wrk) | |"
        ]
    ratio = mix_ratio(mix)
    return [
        f"| {len(mix['paths'])} pages with an editor saving every second ≥ "
        f"{TARGET_EDITING_RATIO} × read-only requests/s | {ratio:.2f} | "
        f"{verdict(ratio >= TARGET_EDITING_RATIO)} |"
    ]


def mix_section(mix, rps):
    if mix is None:
        return ["", "## Reading while an editor saves", "", "Not measured: wrk is not installed."]
    lines = [
        "",
        "## Reading while an editor saves",
        "",
        f"`make serve`'s gunicorn ({rps['workers']} sync workers, SQLite, page cache on), wrk "
        f"with {rps['connections']} connections requesting {len(mix['paths'])} pages in turn "
        "(with a browser's Accept-Encoding), in rounds of "
        f"{rps['seconds']} s: read-only, then with an editor saving the race form of "
        f"{mix['race']} in the Django admin every second (its winner's time, with a reason), in "
        "this process. Each save retires that meet's, its season's and the athlete's and "
        "nation's pages, which show the time; the standings, medal tables and podium counts "
        "show no time and stay cached, as does every other page. (A changed placing retires "
        "those too: tests/test_page_scopes.py.)",
        "",
        "| round | read-only requests/s | median latency | with the editor | median latency "
        "| ratio |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    pairs = zip(mix["read-only"], mix["editing"], strict=True)
    for number, ((read, read_ms), (edit, edit_ms)) in enumerate(pairs, 1):
        lines.append(
            f"| {number} | {read:.0f} | {read_ms:.1f} ms | {edit:.0f} | {edit_ms:.1f} ms | "
            f"{edit / read:.2f} |"
        )
    seconds = mix["save seconds"]
    lines += [
        "",
        f"Median ratio {mix_ratio(mix):.2f}. The editor saved {mix['saves']} times in "
        f"{len(mix['editing']) * rps['seconds']} s of editing rounds "
        f"({len(mix['failures'])} refused{': ' + str(mix['failures']) if mix['failures'] else ''}"
        f"): a save (loading the form, then posting it) took "
        f"{statistics.median(seconds) * 1000:.0f} ms at the median on this machine under the "
        "readers' load, and the editor saves again a second after the last save began, or at "
        "once when a save took longer."
        if seconds
        else "",
        "",
        "Before the page cache retired pages by scope (issue #16, the same mix under `make "
        "serve`): 2,743 requests/s read-only, 242 with one editor saving about once a second, "
        "a ratio of 0.09 (median latency 4.5 → 62 ms): every save retired every page in every "
        "worker.",
        "",
        "Pages: " + ", ".join(f"`{path}`" for path in mix["paths"]) + ".",
    ]
    return lines


def write_report(path, results):
    at2, at30, rps = results["pages_2"], results["pages_30"], results["rps"]
    synthetic = statistics.median(wall for wall, _ in results["imports"]["synthetic"])
    imported = statistics.median(wall for wall, _ in results["imports"]["import"])
    static, season = rps["samples"]["static file"], rps["samples"]["season page"]
    ratios = [page / file for page, file in zip(season, static, strict=True)]
    static_ratio = statistics.median(ratios)
    full = rps["samples"]["full-size season page"]
    full_ratio = statistics.median([page / file for page, file in zip(full, static, strict=True)])

    def kib(name):
        return f"{rps['info'][name]['bytes'] / 1024:.0f}"

    mix = results["mix"]
    html = [
        (name, page)
        for name, page in [*at30.items(), *results["pages_synthetic"].items()]
        if name not in ("sitemap", "robots", "season-json", "season-ics", "meet-card")
        and "JSON" not in name
    ]
    largest_name, largest = max(html, key=lambda item: item[1]["sent"])
    largest_kib = largest["sent"] / 1024

    every = [*at2.values(), *at30.values(), *results["pages_synthetic"].values()]
    named = {
        **{f"{n} (30 seasons)": page for n, page in at30.items()},
        **results["pages_synthetic"],
    }
    slowest_name = max(named, key=lambda name: named[name]["median"])
    slowest = {"name": slowest_name, **named[slowest_name]}
    most = max(every, key=lambda page: page["queries"])
    at_most = sorted({page["path"] for page in every if page["queries"] == most["queries"]})
    same = all(at2[name]["queries"] == at30[name]["queries"] for name in at2)
    fixed = [name for name in at2 if name not in LISTS_EVERYTHING]
    worst = max(fixed, key=lambda name: at30[name]["median"] / at2[name]["median"])
    scale_misses = [
        name
        for name in at2
        if at30[name]["median"] > TARGET_SCALE_RATIO * at2[name]["median"]
        and name not in LISTS_EVERYTHING
    ]
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` ({Path(__file__).relative_to(ROOT)}) on "
        f"{results['started']:%Y-%m-%d %H:%M} UTC, in {results['seconds']:.0f} s. "
        "A scratch SQLite database: the two bundled seasons, then 28 synthetic ones "
        "(`generate_archive`) for 30.",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
        *(f"| {key} | {value} |" for key, value in results["machine"].items()),
        f"| load average (1, 5, 15 min) | {results['load_before']} at the start, "
        f"{results['load_after']} at the end (with the benchmark's own load) |",
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "| --- | --- | --- |",
        f"| season page ≥ {TARGET_STATIC_RATIO} × static file requests/s (aim "
        f"{AIM_STATIC_RATIO}) | {static_ratio:.2f} | {verdict(static_ratio >= TARGET_STATIC_RATIO)}"
        f"{', aim met' if static_ratio >= AIM_STATIC_RATIO else ''} |",
        *mix_target(mix),
        f"| every HTML page ≤ {TARGET_SENT_KIB} KiB as sent (gzip) at 30 seasons | largest "
        f"{largest_kib:.0f} KiB ({largest_name}) | {verdict(largest_kib <= TARGET_SENT_KIB)} |",
        f"| uncached render at 30 seasons ≤ {TARGET_SCALE_RATIO} × at 2, pages of fixed "
        f"content | worst {at30[worst]['median'] / at2[worst]['median']:.2f} ({worst}) | "
        f"{verdict(not scale_misses)} |",
        f"| import both sources < {TARGET_IMPORT_SECONDS:.0f} s | {imported:.2f} s | "
        f"{verdict(imported < TARGET_IMPORT_SECONDS)} |",
        f"| generate 30 synthetic seasons < {TARGET_SYNTHETIC_SECONDS:.0f} s | {synthetic:.2f} s | "
        f"{verdict(synthetic < TARGET_SYNTHETIC_SECONDS)} |",
        "",
        "## Uncached server time and queries per page",
        "",
        "The whole middleware stack in one process with the page cache off (what a first visit "
        "or a visit to a page an edit retired costs), milliseconds. A cache miss adds two queries "
        "(the page's scope tokens before the view, the archive's after it); a cache hit is the "
        "first of them. Sizes as rendered and as sent (gzip; brotli is smaller still).",
        "",
        "| page | path | queries at 2 | at 30 | median ms at 2 | p95 | median ms at 30 | p95 "
        "| 30 / 2 | size at 30 | sent at 30 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, two in at2.items():
        thirty = at30[name]
        mark = " †" if name in LISTS_EVERYTHING else ""
        lines.append(
            f"| {name}{mark} | `{two['path']}` | {two['queries']} | {thirty['queries']} | "
            f"{two['median']:.1f} | {two['p95']:.1f} | {thirty['median']:.1f} | "
            f"{thirty['p95']:.1f} | {thirty['median'] / two['median']:.2f} | "
            f"{thirty['bytes'] / 1024:.0f} KiB | {thirty['sent'] / 1024:.0f} KiB |"
        )
    for name, page in results["pages_synthetic"].items():
        lines.append(
            f"| {name} | `{page['path']}` | | {page['queries']} | | | {page['median']:.1f} | "
            f"{page['p95']:.1f} | | {page['bytes'] / 1024:.0f} KiB | "
            f"{page['sent'] / 1024:.0f} KiB |"
        )
    lines += [
        "",
        "† Lists every season, venue, source or nation, or a nation's results in every season: "
        "its content grows with the archive, so its "
        "render time does too, while its query count stays fixed. The 1.5× target applies to "
        "the pages of fixed content.",
        "",
        "## Requests per second, one gunicorn",
        "",
        f"`make serve`'s gunicorn ({rps['workers']} sync workers), page cache on (local "
        f"memory, then files shared by the workers), {rps['tool']}, {rps['connections']} "
        f"connections, {rps['rounds']} alternating "
        f"rounds of {rps['seconds']} s; the ratio is the median of the per-round ratios.",
        "",
        "| target | path | size | requests/s per round | median | ratio to static |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, samples in rps["samples"].items():
        info = rps["info"][name]
        ratio = statistics.median([page / file for page, file in zip(samples, static, strict=True)])
        lines.append(
            f"| {name} | `{info['path']}` | {info['bytes'] / 1024:.0f} KiB | "
            f"{', '.join(f'{value:.0f}' for value in samples)} | "
            f"{statistics.median(samples):.0f} | {ratio:.2f} |"
        )
    lines += mix_section(mix, rps)
    lines += [
        "",
        "## Imports",
        "",
        f"{len(results['imports']['import'])} runs each, in a transaction rolled back; wall "
        "seconds (CPU seconds of the process in brackets), the target on the median wall time.",
        "",
        f"- Parse and import {', '.join(results['imports']['sources'])}: "
        + runs(results["imports"]["import"]),
        f"- Generate {SCALE_SEASONS} synthetic seasons into an empty archive (bulk_create): "
        + runs(results["imports"]["synthetic"]),
        "",
        "## Notes",
        "",
        *results["notes"],
        *aim_note(static_ratio, ratios),
        f"- The full-size season page (60 races with 8 named results each) reaches "
        f"{full_ratio:.2f} of the static file's rate, with {kib('full-size season page')} KiB "
        f"to send against {kib('static file')} KiB. A cached page "
        "costs one query (its scopes' tokens) and a memory read on top of what a static file "
        "costs; both are sent brotli-compressed.",
        f"- The slowest page to render uncached: {slowest['name']} (`{slowest['path']}`), "
        f"{slowest['median']:.0f} ms and {slowest['bytes'] / 1024:.0f} KiB; after the first "
        "visit, and until the next edit, it is served from the cache like any other page.",
        f"- Query budget ({QUERY_BUDGET} a page, tests/test_query_budget.py): the most is "
        f"{most['queries']} ({', '.join(at_most)}); the same at 2 and at 30 seasons on every page: "
        f"{'yes' if same else 'no'}.",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(ROOT / "docs" / "BENCHMARKS.md"))
    parser.add_argument("--samples", type=int, default=30, help="renders per page and size")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each import")
    parser.add_argument("--rounds", type=int, default=7, help="alternating rounds")
    parser.add_argument("--seconds", type=int, default=4, help="length of each load round")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--note", action="append", default=[], help="a line for the notes")
    options = parser.parse_args()

    started = datetime.now(UTC)
    clock = time.perf_counter()
    load_before = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="skatearchive-bench-") as scratch:
        setup_django(Path(scratch))
        from django.db import connection

        from seasons.importing.synthetic import generate_archive

        print("imports…", flush=True)
        imports = measure_imports(options.repeat)
        # Two committed archives side by side: the bundled one, and a copy with 28 more seasons.
        two, thirty = Path(scratch) / "bench.sqlite3", Path(scratch) / "thirty.sqlite3"
        connection.close()
        shutil.copyfile(two, thirty)
        use_database(thirty)
        generate_archive(SCALE_SEASONS - 2, force=True)
        print(f"pages at 2 and {SCALE_SEASONS} seasons…", flush=True)
        measured = measure_pages(
            {2: two, SCALE_SEASONS: thirty},
            PAGES,
            synthetic_pages,
            options.samples,
            options.rounds,
        )
        pages_2 = measured[2]
        pages_30 = {name: measured[SCALE_SEASONS][name] for name in PAGES}
        pages_synthetic = {
            name: page for name, page in measured[SCALE_SEASONS].items() if name not in PAGES
        }
        full_size = {name: page["path"] for name, page in pages_synthetic.items()}
        connection.close()
        os.environ["DATABASE_URL"] = f"sqlite:///{thirty}"
        from django.contrib.staticfiles.storage import staticfiles_storage

        targets = {
            "static file": staticfiles_storage.url("css/site.css"),
            "season page": PAGES["season"],
            "full-size season page": full_size["season (full size)"],
        }
        print("requests per second…", flush=True)
        tool, info, samples = measure_rps(
            targets, options.workers, options.rounds, options.seconds, options.connections
        )
        print("the read/write mix…", flush=True)
        mix = measure_read_write_mix(options, pages_2, pages_30, pages_synthetic, scratch)
    results = {
        "started": started,
        "seconds": time.perf_counter() - clock,
        "machine": machine(),
        "load_before": load_before,
        "load_after": ", ".join(f"{value:.1f}" for value in os.getloadavg()),
        "imports": imports,
        "pages_2": pages_2,
        "pages_30": pages_30,
        "pages_synthetic": pages_synthetic,
        "rps": {
            "tool": tool,
            "info": info,
            "samples": samples,
            "workers": options.workers,
            "connections": options.connections,
            "rounds": options.rounds,
            "seconds": options.seconds,
        },
        "mix": mix,
        "notes": [f"- {note}" for note in options.note] + busy_note(load_before),
    }
    output = Path(options.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    write_report(output, results)
    print(f"Wrote {output}")


if __name__ == "__main__":
    main()
