"""Which athlete a cell names: one athlete per person, however the sources write the name.

A podium that writes "Simon Cho", a standings table that writes "Simon Cho (USA)" and next
season's "CHO Simon (USA)" name one skater. The importer takes, in order:

1. the athlete a source named so before (``imported_name`` and ``imported_nation``), however an
   editor has corrected the name or the nation since;
2. an athlete one of whose names (display name, native name, alias) is one of the cell's forms
   however written (:mod:`seasons.names`), and who has raced for the cell's nation: as their
   nation, or in a result or standings row (the nation of the day: Victor An raced for KOR, then
   for RUS). An alias an editor gave (or a merge left) names its athlete whatever the nation;
3. given a nation, the one athlete of that name whose nation is nowhere known (they get it);
   given none, the one athlete of that name, else the one of that name without a nation;
4. else a new athlete.

So two people of one name and different nations stay apart, and a name given without a nation
joins its athlete when there is only one. What a cell teaches about a found athlete is kept: a
new written form becomes an alias, a native-script name or a nation fills a blank (never a value
an editor has set). Nothing else of an athlete is ever changed by an import.
"""

from django.db.models import Q

from ..models import Athlete, AthleteAlias, Result, StandingsEntry
from ..names import name_keys
from ..vocabulary import FlagKind, readable_slug
from .records import Anomaly, Competitor


class AthleteFinder:
    """The athletes one import's cells name, found or created (see the module docstring)."""

    def __init__(self, source, report, anomalies, unique_slug):
        self.source = source
        self.report = report
        self.anomalies = anomalies  # where doubts go, flagged with the season's
        self.unique_slug = unique_slug
        # A name repeats across a season: each (competitor, nation) is looked up once, with any
        # doubt it raised, which is flagged again on every line that writes it.
        self.found = {}
        self.alias_names = {}  # athlete pk: the forms it is known by (name, aliases, native)
        self.edited = {}  # athlete pk: whether an editor has saved it

    def athlete(self, competitor: Competitor, nation, line, target):
        """The athlete ``competitor`` names (with ``nation``, the Nation row or None)."""
        cache_key = (competitor, nation.pk if nation else None)
        if cache_key not in self.found:
            self.found[cache_key] = self.find_or_create(competitor, nation)
        athlete, doubt = self.found[cache_key]
        if doubt:
            self.anomalies.append(Anomaly(line, FlagKind.CELL_DOUBTFUL, doubt, target))
        return athlete

    def find_or_create(self, competitor, nation):
        name = competitor.athlete or competitor.native
        as_imported = {"imported_name": name, "imported_nation": competitor.nation or ""}
        athlete = Athlete.objects.filter(**as_imported).select_related("nation").first()
        doubt = None
        if athlete is None:
            athlete, doubt = self.match(competitor, nation)
        if athlete is None:
            athlete = self.create(competitor, nation, as_imported)
        else:
            if not athlete.imported_name:
                # Imported before athletes remembered how a source named them.
                for field, value in as_imported.items():
                    setattr(athlete, field, value)
                athlete.save(update_fields=list(as_imported))
            self.report.count("unchanged", athlete)
            self.learn(athlete, competitor, nation)
        if nation is None and athlete.nation_id is None:
            doubt = self.namesakes(competitor, athlete)
        return athlete, doubt

    def namesakes(self, competitor, athlete):
        """The doubt about a name given without a nation that others of the name have, linked
        to an athlete of no nation: which of them is it?"""
        others = Athlete.objects.named(*written_forms(competitor)).exclude(pk=athlete.pk)
        others = list(others.select_related("nation").order_by("pk"))
        if not others:
            return None
        listed = ", ".join(str(other) for other in others)
        return (
            f"{competitor_text(competitor)} gives no nation, and {len(others)} other athletes "
            f"have that name ({listed}): linked to none of them (an editor can merge, or move "
            "the result)"
        )

    def match(self, competitor, nation):
        """``(athlete or None, doubt or None)`` by the rules 2 and 3 of the module docstring."""
        forms = written_forms(competitor)
        candidates = list(Athlete.objects.named(*forms).select_related("nation").order_by("pk"))
        if not candidates:
            return None, None
        keys = set().union(*(name_keys(form) for form in forms))
        by_editor = set(
            AthleteAlias.objects.filter(key__in=keys, source__isnull=True).values_list(
                "athlete_id", flat=True
            )
        )
        nations = represented(candidates)
        written = competitor_text(competitor)
        if nation is not None:
            same = [a for a in candidates if a.pk in by_editor or nation.code in nations[a.pk]]
            if same:
                return same[0], several(written, same)
            unplaced = [a for a in candidates if not nations[a.pk]]
            return (unplaced[0], None) if len(unplaced) == 1 else (None, None)
        if len(candidates) == 1:
            return candidates[0], None
        unplaced = [a for a in candidates if a.nation_id is None]
        if len(unplaced) == 1:
            return unplaced[0], None
        return None, None  # a new athlete of no nation, flagged (find_or_create)

    def create(self, competitor, nation, as_imported):
        name = as_imported["imported_name"]
        base = readable_slug(name, "athlete")
        if Athlete.objects.filter(slug=base).exists() and nation is not None:
            base = f"{base}-{nation.code.lower()}"
        native = competitor.native or ""
        athlete = Athlete(
            name=name,
            nation=nation,
            native_name=native if native != name else "",
            slug=self.unique_slug(Athlete, base),
            **as_imported,
        )
        athlete._change_reason = f"imported from {self.source.name}"
        athlete.save()
        self.report.count("created", athlete)
        self.edited[athlete.pk] = False
        self.learn(athlete, competitor, nation)
        return athlete

    def learn(self, athlete, competitor, nation):
        """Keep what the cell says of ``athlete`` that the archive does not know yet: another
        written form (an alias), a native-script name or a nation where there is none."""
        known = self.known_forms(athlete)
        for form in written_forms(competitor):
            if form in known:
                continue
            if form == competitor.native and not athlete.native_name and self.fill(athlete):
                athlete.native_name = form
                athlete._change_reason = f"native name from {self.source.name}"
                athlete.save(update_fields=["native_name"])
                self.report.count("updated", athlete)
            else:
                alias = AthleteAlias.objects.create(athlete=athlete, name=form, source=self.source)
                self.report.count("created", alias)
            known.add(form)
        if nation is not None and athlete.nation_id is None and self.fill(athlete):
            athlete.nation = nation
            athlete._change_reason = f"nation from {self.source.name}"
            athlete.save(update_fields=["nation"])
            self.report.count("updated", athlete)

    def known_forms(self, athlete):
        if athlete.pk not in self.alias_names:
            forms = {athlete.name, athlete.imported_name, athlete.native_name} - {""}
            forms.update(athlete.aliases.values_list("name", flat=True))
            self.alias_names[athlete.pk] = forms
        return self.alias_names[athlete.pk]

    def fill(self, athlete):
        """Whether the import may fill a blank of ``athlete``: never one an editor has saved
        (a blank they left may be on purpose)."""
        if athlete.pk not in self.edited:
            self.edited[athlete.pk] = athlete.history.filter(history_user__isnull=False).exists()
        return not self.edited[athlete.pk]


def written_forms(competitor):
    """Every way the cell writes the person: display name, other forms, native name."""
    forms = [competitor.athlete, *competitor.aliases, competitor.native]
    return list(dict.fromkeys(form for form in forms if form))


def competitor_text(competitor):
    name = competitor.athlete or competitor.native
    return f"“{name} ({competitor.nation})”" if competitor.nation else f"“{name}”"


def represented(athletes):
    """``{athlete pk: IOC codes}``: the nations each athlete is known to have raced for, as their
    nation, as a source first gave it, or in a result or standings row. Two queries."""
    codes = {athlete.pk: set() for athlete in athletes}
    for athlete in athletes:
        if athlete.nation_id:
            codes[athlete.pk].add(athlete.nation.code)
        if athlete.imported_nation:
            codes[athlete.pk].add(athlete.imported_nation)
    for model in (Result, StandingsEntry):
        rows = model.objects.filter(Q(athlete__in=athletes) & Q(nation__isnull=False))
        for athlete_id, code in rows.values_list("athlete_id", "nation__code").distinct():
            codes[athlete_id].add(code)
    return codes


def several(written, athletes):
    if len(athletes) == 1:
        return None
    listed = ", ".join(str(athlete) for athlete in athletes)
    return (
        f"{written} matches {len(athletes)} athletes ({listed}): linked to the first; an "
        "editor can merge them or move the result"
    )
