"""A synthetic archive at scale, for benchmarks and scale tests; never part of the real archive.

Each synthetic season has what a full season article would give: 6 meets, each with 5 races per
gender (500, 1000 and 1500 m, one of them raced twice, and the relay) and 8 results per race, all
named, and 8 standings tables of 50 rows. It is plainly marked: seasons sit in the years
1901-02 onwards, long before the World Cup began; titles, athletes and venues say "Synthetic";
every row's provenance is a source file ``synthetic-<season>.txt`` that says what it is.

The output depends only on the seed and the season's years, so generating 2 seasons and then 28
more gives the same archive as 30 at once. Rows are written with ``bulk_create`` in one
transaction: no per-row saves, no history rows, one archive-version change at the end.
"""

import hashlib
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection, transaction
from django.urls import reverse
from django.utils.text import slugify

from ..caching import bump_archive_version
from ..models import (
    ARCHIVE_MODELS,
    Athlete,
    Distance,
    Gender,
    Meet,
    Nation,
    Race,
    Result,
    ScoringRule,
    Season,
    SourceFile,
    StandingsEntry,
    StandingsTable,
    Venue,
)
from ..names import name_key
from ..standings.check import default_rule_values

SOURCE_PREFIX = "synthetic-"
FIRST_YEAR = 1901
# Up to 1990-91: synthetic seasons never reach the years of real ones (the World Cup began in
# 1997-98).
MAX_SEASONS = 90
MEETS_PER_SEASON = 6
RESULTS_PER_RACE = 8
ENTRIES_PER_TABLE = 50
ATHLETES_PER_GENDER = 120
INDIVIDUAL_DISTANCES = (Distance.M500, Distance.M1000, Distance.M1500)
RELAY = {Gender.MEN: Distance.RELAY_5000, Gender.WOMEN: Distance.RELAY_3000}
CITIES = (
    "Aldermoor",
    "Brightwater",
    "Coldharbour",
    "Dunmere",
    "Eastfjord",
    "Frostvale",
    "Glacierton",
    "Hollowmere",
    "Iceford",
    "Juniper Bay",
    "Kestrel Point",
    "Lakeshore",
)
# Short-track nations first, then IOC codes in order, to fill a 50-row relay table.
NATION_CODES = (
    *("KOR", "CAN", "CHN", "NED", "ITA", "RUS", "USA", "HUN", "JPN", "FRA", "GER", "GBR"),
    *("BEL", "KAZ", "POL", "AUS", "BUL", "CZE", "ISR", "LAT", "UKR", "AUT", "SUI", "NOR"),
    *("SWE", "FIN", "EST", "LTU", "BLR", "CRO", "SLO", "SVK", "ROU", "ESP", "POR", "DEN"),
    *("IRL", "NZL", "ARG", "BRA", "CHI", "MEX", "IND", "THA", "SGP", "MGL", "TPE", "HKG"),
    *("PHI", "TUR"),
)
BATCH_SIZE = 500


class SyntheticArchiveError(Exception):
    """The synthetic archive cannot be generated here; the message says why."""


@dataclass
class SyntheticReport:
    seasons: list[str] = field(default_factory=list)
    created: Counter = field(default_factory=Counter)

    @property
    def summary(self):
        if not self.seasons:
            return "no seasons generated"
        span = (
            self.seasons[0] if len(self.seasons) == 1 else f"{self.seasons[0]} … {self.seasons[-1]}"
        )
        counts = ", ".join(f"{count} {name}" for name, count in self.created.items())
        return f"{len(self.seasons)} synthetic seasons ({span}): {counts}"


def name_of(competitor):
    athlete, nation = competitor
    return athlete.name if athlete else nation.code


def season_slug(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def sample_paths(slug: str) -> dict[str, str]:
    """One page of each type of the synthetic season ``slug``, at full size (eight named results
    a race, 50-row standings): what the query-budget test and the benchmark measure at scale."""
    meet = Meet.objects.select_related("season", "venue").get(season__slug=slug, order=1)
    winner = meet.races.order_by("pk").first().results.select_related("athlete").get(place=1)
    return {
        "season": f"/seasons/{slug}/",
        "meet": meet.get_absolute_url(),
        "standings": f"/seasons/{slug}/standings/",
        "standings-table": f"/seasons/{slug}/standings/men-500m/",
        "venue": meet.venue.get_absolute_url(),
        "source": f"/sources/synthetic-{slug}.txt",
        "athlete": winner.athlete.get_absolute_url(),
        "athlete-json": reverse("seasons:athlete-json", kwargs={"slug": winner.athlete.slug}),
    }


def real_seasons():
    """Seasons that are not synthetic: imported from a real source, or entered by an editor."""
    return Season.objects.exclude(source__name__startswith=SOURCE_PREFIX)


def generate_archive(seasons: int, *, seed: int = 0, force: bool = False) -> SyntheticReport:
    """Add ``seasons`` synthetic seasons after the last synthetic one (from 1901-02); return a
    :class:`SyntheticReport`. Refuses a database that holds real seasons unless ``force``."""
    if not connection.features.can_return_rows_from_bulk_insert:
        raise SyntheticArchiveError(f"{connection.vendor}: bulk inserts do not return ids")
    with transaction.atomic():
        if not force and real_seasons().exists():
            raise SyntheticArchiveError(
                f"the database holds {real_seasons().count()} real seasons: generate into a "
                "separate database (DATABASE_URL=sqlite:///scratch.sqlite3) or pass --force"
            )
        synthetic = Season.objects.filter(source__name__startswith=SOURCE_PREFIX)
        last = synthetic.order_by("-slug").values_list("slug", flat=True).first()
        first_year = int(last[:4]) + 1 if last else FIRST_YEAR
        if not 1 <= seasons <= FIRST_YEAR + MAX_SEASONS - first_year:
            room = FIRST_YEAR + MAX_SEASONS - first_year
            raise SyntheticArchiveError(
                f"between 1 and {room} more synthetic seasons fit (at most {MAX_SEASONS})"
            )
        report = SyntheticReport()
        _Generator(seed, report).write(range(first_year, first_year + seasons))
        analyze()
        bump_archive_version()
    return report


def analyze() -> None:
    """Refresh PostgreSQL's planner statistics after a bulk insert. Autovacuum would, a minute
    later, but only for committed rows: a scale test generates inside a transaction it rolls
    back, and without statistics the planner takes the result table for a small one and picks
    nested loops that run for minutes (a nation page at 30 seasons). ANALYZE inside a
    transaction counts that transaction's own rows. SQLite plans without statistics."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def bulk_create(model, objects, report):
    created = model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
    if created:
        report.created[model._meta.verbose_name_plural] += len(created)
    return created


class _Generator:
    def __init__(self, seed, report):
        self.seed = seed
        self.report = report

    def write(self, years):
        # Nations and athletes first: each season's plan draws its competitors from them.
        self.nations = self.ensure_nations()
        self.athletes = self.ensure_athletes()
        plans = [self.plan_season(year) for year in years]
        self.venues = {}  # by city, ensured in their turn
        # Then the fixtures' dependency order: each row after the rows it names, which have
        # their ids by then (bulk_create sets them).
        for model in ARCHIVE_MODELS:
            if model is Venue:
                self.venues = self.ensure_venues(plans)
            elif model not in (Nation, Athlete):  # ensured above
                rows = [row for plan in plans for row in plan.new_rows(model, self.venues)]
                bulk_create(model, rows, self.report)
        self.report.seasons = [plan.slug for plan in plans]

    def ensure_nations(self):
        existing = {nation.code: nation for nation in Nation.objects.filter(code__in=NATION_CODES)}
        missing = [
            Nation(code=code, country=Nation.country_for(code))
            for code in NATION_CODES
            if code not in existing
        ]
        for nation in bulk_create(Nation, missing, self.report):
            existing[nation.code] = nation
        return [existing[code] for code in NATION_CODES]

    def ensure_athletes(self):
        """A fixed pool per gender; an athlete's nation follows from the seed."""
        rng = random.Random(f"{self.seed}:athletes")
        wanted = {}
        for gender in (Gender.MEN, Gender.WOMEN):
            for number in range(1, ATHLETES_PER_GENDER + 1):
                name = f"Synthetic Skater {gender.label[0]}{number:03d}"
                wanted[slugify(name)] = (gender, name, rng.choice(self.nations))
        existing = {
            athlete.slug: athlete
            for athlete in Athlete.objects.filter(slug__in=wanted).select_related("nation")
        }
        missing = [
            # bulk_create skips Athlete.save(), which keeps the key the importer matches on.
            Athlete(name=name, slug=slug, nation=nation, name_key=name_key(name))
            for slug, (_, name, nation) in wanted.items()
            if slug not in existing
        ]
        for athlete in bulk_create(Athlete, missing, self.report):
            existing[athlete.slug] = athlete
        pools = {Gender.MEN: [], Gender.WOMEN: []}
        for slug, (gender, _, _) in wanted.items():
            pools[gender].append(existing[slug])
        return pools

    def ensure_venues(self, plans):
        existing = {venue.city: venue for venue in Venue.objects.filter(city__in=CITIES)}
        missing = {}
        for plan in plans:
            for city, line in plan.cities:
                if city not in existing and city not in missing:
                    missing[city] = Venue(
                        slug=f"synthetic-{slugify(city)}",
                        city=city,
                        arena=f"{city} Synthetic Ice Hall",
                        source=plan.source,
                        source_line=line,
                    )
        for venue in bulk_create(Venue, list(missing.values()), self.report):
            existing[venue.city] = venue
        return existing

    def plan_season(self, year):
        return _SeasonPlan(year, random.Random(f"{self.seed}:{year}"), self)


class _SeasonPlan:
    """One season's rows, planned before any is written, with the source text they cite."""

    def __init__(self, year, rng, generator):
        self.year = year
        self.rng = rng
        self.seed = generator.seed
        self.nations = generator.nations
        self.athletes = generator.athletes
        self.slug = season_slug(year)
        years = self.slug.replace("-", "–")
        self.title = f"Synthetic World Cup {years}"
        self.lines = [
            f"= {self.title} =",
            "",
            f"Generated by manage.py generate_archive (seed {self.seed}) to measure the archive "
            "at scale. None of it happened: every meet, race, result and standing is made up.",
            "",
        ]
        self.title_line = 1
        self.cities = []
        self.meet_plans = []
        first_saturday = date(year, 10, 1) + timedelta(days=(5 - date(year, 10, 1).weekday()) % 7)
        for order, city in enumerate(
            sorted(rng.sample(CITIES, MEETS_PER_SEASON), key=CITIES.index)
        ):
            saturday = first_saturday + timedelta(weeks=3 * order)
            meet_line = self.add_line(f"== World Cup {order + 1}: {city} ==")
            self.cities.append((city, meet_line))
            doubled = INDIVIDUAL_DISTANCES[order % len(INDIVIDUAL_DISTANCES)]
            races = []
            for gender in (Gender.MEN, Gender.WOMEN):
                events = [(distance, None) for distance in INDIVIDUAL_DISTANCES]
                events[INDIVIDUAL_DISTANCES.index(doubled)] = (doubled, 1)
                events.insert(INDIVIDUAL_DISTANCES.index(doubled) + 1, (doubled, 2))
                events.append((RELAY[gender], None))
                for index, (distance, number) in enumerate(events):
                    day = saturday + timedelta(days=index % 2)
                    races.append(self.plan_race(gender, distance, number, day))
            self.meet_plans.append((order + 1, city, meet_line, races))
        self.season = Season(
            slug=self.slug,
            title=self.title,
            start=date(year, 10, 1),
            end=date(year + 1, 3, 31),
            infobox=[["Event", "Synthetic World Cup"], ["Dates", f"{year}–{year + 1}"]],
            intro=self.lines[2],
            standings_note="Synthetic standings: the known results under the season's scoring "
            "rule, and places 9 to 17 (which no source names) for the rest of the 50 rows.",
            source_line=self.title_line,
        )
        self.rule = default_rule_values(self.season)
        self.table_plans = [
            self.plan_table(gender, distance)
            for gender in (Gender.MEN, Gender.WOMEN)
            for distance in (*INDIVIDUAL_DISTANCES, RELAY[gender])
        ]
        text = "\n".join(self.lines) + "\n"
        self.source = SourceFile(
            name=f"{SOURCE_PREFIX}{self.slug}.txt",
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            line_count=len(self.lines),
            text=text,
        )

    def add_line(self, text):
        self.lines.append(text)
        return len(self.lines)

    def competitors(self, gender, distance, count):
        """``count`` distinct (athlete, nation) pairs in random order (``None``: all of them); a
        relay names nations only."""
        if distance == RELAY[gender]:
            pool = [(None, nation) for nation in self.nations]
        else:
            pool = [(athlete, athlete.nation) for athlete in self.athletes[gender]]
        return self.rng.sample(pool, len(pool) if count is None else count)

    def plan_race(self, gender, distance, number, day):
        results = self.competitors(gender, distance, RESULTS_PER_RACE)
        label = f"{distance}m" + (f" ({number})" if number else "")
        names = " ".join(
            f"{place}. {name_of(competitor)}" for place, competitor in enumerate(results, start=1)
        )
        line = self.add_line(f"| {day:%d %B %Y} | {gender.label} | {label} | {names} |")
        return (gender, distance, number, day, line, results)

    def plan_table(self, gender, distance):
        """Totals a real table could publish: each competitor's best N results under the
        season's rule, from its known places (1st to 8th) or, for those with none, from a few
        places beyond 8th that no source names. The standings check finds them all reachable."""
        heading = self.add_line(f"== Standings: {gender.label}'s {distance} m ==")
        is_relay = distance == RELAY[gender]
        points = self.rule["points_per_place"]
        counted = self.rule["relay_counted" if is_relay else "individual_counted"]
        scores = {}
        for _, _, _, races in self.meet_plans:
            for race_gender, race_distance, _, _, _, results in races:
                if (race_gender, race_distance) == (gender, distance):
                    for place, competitor in enumerate(results, start=1):
                        scores.setdefault(competitor, []).append(points[place - 1])
        others = [c for c in self.competitors(gender, distance, None) if c not in scores]
        for competitor in others[: max(0, ENTRIES_PER_TABLE - len(scores))]:
            unnamed_places = range(RESULTS_PER_RACE, len(points))
            scores[competitor] = [
                points[self.rng.choice(unnamed_places)] for _ in range(self.rng.randint(1, counted))
            ]
        totals = sorted(
            (
                (sum(sorted(values, reverse=True)[:counted]), name_of(competitor), competitor)
                for competitor, values in scores.items()
            ),
            key=lambda item: (-item[0], item[1]),  # equal totals in name order
        )
        rows, position = [], 0
        for row, (total, name, (athlete, nation)) in enumerate(totals[:ENTRIES_PER_TABLE], start=1):
            if row == 1 or total != totals[row - 2][0]:
                position = row
            line = self.add_line(f"| {position} | {name} | {total} |")
            rows.append((row, position, athlete, nation, total, line))
        return (gender, distance, heading, rows)

    def new_rows(self, model, venues):
        """This season's rows of ``model``, asked for in ARCHIVE_MODELS order, so the rows they
        name are written, with their ids, by then. None of nations, athletes and venues (shared
        between seasons: ``_Generator.ensure_*``) and none of flags."""
        if model is SourceFile:
            return [self.source]
        if model is Season:
            self.season.source = self.source
            return [self.season]
        if model is ScoringRule:
            return [self.scoring_rule()]
        if model is Meet:
            return self.meets(venues)
        if model is Race:
            return self.races()
        if model is Result:
            return self.results()
        if model is StandingsTable:
            return self.tables()
        if model is StandingsEntry:
            return self.entries()
        return []

    def sourced(self, line):
        # Ids, not instances: assigning related instances costs most of the time at 27 000 rows.
        return {"source_id": self.source.pk, "source_line": line}

    def scoring_rule(self):
        return ScoringRule(season=self.season, **self.rule)

    def meets(self, venues):
        self.meet_objects = [
            Meet(
                season=self.season,
                slug=slugify(city),
                city=city,
                venue=venues[city],
                order=order,
                **self.sourced(line),
            )
            for order, city, line, _ in self.meet_plans
        ]
        return self.meet_objects

    def races(self):
        self.race_objects = []
        for meet, (_, _, _, races) in zip(self.meet_objects, self.meet_plans, strict=True):
            for gender, distance, number, day, line, results in races:
                race = Race(
                    meet=meet,
                    gender=gender,
                    distance=distance,
                    number=number,
                    date=day,
                    **self.sourced(line),
                )
                race.planned_results = results
                self.race_objects.append(race)
        return self.race_objects

    def results(self):
        return [
            Result(
                race_id=race.pk,
                place=place,
                athlete_id=athlete and athlete.pk,
                nation_id=nation and nation.pk,
                **self.sourced(race.source_line),
            )
            for race in self.race_objects
            for place, (athlete, nation) in enumerate(race.planned_results, start=1)
        ]

    def tables(self):
        self.table_objects = []
        for gender, distance, heading, rows in self.table_plans:
            held = sum(
                1
                for _, _, _, races in self.meet_plans
                for race_gender, race_distance, *_ in races
                if (race_gender, race_distance) == (gender, distance)
            )
            table = StandingsTable(
                season=self.season,
                gender=gender,
                distance=distance,
                events_held=held,
                events_total=held,
                **self.sourced(heading),
            )
            table.planned_rows = rows
            self.table_objects.append(table)
        return self.table_objects

    def entries(self):
        return [
            StandingsEntry(
                table_id=table.pk,
                row=row,
                position=position,
                athlete_id=athlete and athlete.pk,
                nation_id=nation and nation.pk,
                points=points,
                **self.sourced(line),
            )
            for table in self.table_objects
            for row, position, athlete, nation, points, line in table.planned_rows
        ]
