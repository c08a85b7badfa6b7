"""The top of a season article: its title, infobox and intro.

The bundled form opens with a title line (``= 2011–12 ISU Short Track Speed Skating World Cup =``)
and a plain infobox (``Infobox`` then ``- Key: Value`` lines). Wikipedia's own wikitext has no
title line: the season is the one the infobox's title or the intro's bold phrase names
(``The '''2019–20 ISU Short Track Speed Skating World Cup''' was …``), and the infobox is an
``{{Infobox …}}`` template over several lines. Both read the same.

A mixin of the parser (:mod:`.parser`).
"""

import re

import wikitextparser

from . import grammar
from .cells import cell_text, short
from .dates import parse_date
from .records import ParsedSeason

BOLD = re.compile(r"'''(.+?)'''")
# Templates at the top of an article that say nothing about the season.
INFOBOX_SKIPPED = {"title", "name", "image", "image_size", "caption", "alt", "logo", "logo_size"}


class IntroReader:
    def parse_title(self, first):
        """Read the title from line ``first`` (the first that is not blank), or find the
        season the intro names; the number of the next line to read."""
        line = self.lines[first - 1].strip()
        match = grammar.HEADING.match(line)
        if match and len(match.group(1)) == 1 and len(match.group(3)) == 1:
            self.start_season(first, cell_text(match.group(2)))
            return first + 1
        if match:
            raise self.error(first, "no title: expected '= 2011–12 ISU … World Cup =' first")
        number, title = self.named_season(first)
        self.start_season(number, title)
        return first

    def named_season(self, first):
        """(line, title) of the season an article without a title line names: its infobox's
        title or name, else the first bold phrase of the intro with the season's years."""
        candidates = []
        for number in range(first, len(self.lines) + 1):
            line = self.lines[number - 1]
            if grammar.HEADING.match(line.strip()):
                break
            infobox = re.match(r"^\s*\|\s*(?:title|name)\s*=\s*(.+)$", line)
            if infobox:
                candidates.append((0, number, infobox.group(1)))
            candidates += [(1, number, bold) for bold in BOLD.findall(line)]
        for _, number, text in sorted(candidates):
            title = cell_text(text)
            if grammar.SEASON_YEARS.search(title):
                return number, title
        raise self.error(
            first,
            "no title: expected '= 2011–12 ISU … World Cup =' first, or an intro naming the "
            "season ('''2011–12 ISU Short Track Speed Skating World Cup''')",
        )

    def start_season(self, number, title):
        years = grammar.SEASON_YEARS.search(title)
        if not years:
            raise self.error(number, f"the title {title!r} names no season (e.g. 2011–12)")
        start_year, end_year = years.groups()
        end = int(end_year) if len(end_year) == 4 else int(start_year[:2] + end_year)
        if end != int(start_year) + 1:
            raise self.error(
                number, f"the title names {years.group()}, not one season (e.g. 2011–12)"
            )
        if len(title) > grammar.LONGEST_TITLE:
            raise self.error(
                number, f"a title of {len(title)} characters: at most {grammar.LONGEST_TITLE}"
            )
        # "2014/15" and "2014-2015" are written the way Wikipedia titles the season.
        title = title.replace(years.group(), f"{start_year}–{end_year[-2:]}", 1)
        self.season = ParsedSeason(
            path=self.path,
            sha256=self.sha256,
            text=self.text,
            line_count=len(self.lines),
            title=title,
            slug=f"{start_year}-{end_year[-2:]}",
            title_line=number,
        )

    def template_end(self, number):
        """The last line of the template that opens at line ``number``."""
        depth = 0
        for end in range(number, len(self.lines) + 1):
            line = self.lines[end - 1]
            depth += line.count("{{") - line.count("}}")
            if depth <= 0:
                return end
        raise self.error(number, "a template opened with '{{' is never closed with '}}'")

    def intro_template(self, number, lines):
        """A template at the top of the article: an infobox gives the season's facts; others
        (a short description, "use dmy dates") say nothing about the season."""
        parsed = wikitextparser.parse("\n".join(lines))
        for template in parsed.templates:
            if not template.normal_name().lower().startswith("infobox"):
                continue
            for argument in template.arguments:
                name, value = argument.name.strip(), cell_text(argument.value)
                if value and name and name.lower() not in INFOBOX_SKIPPED:
                    self.season.infobox.append([name.replace("_", " ").capitalize(), value])
            return

    def line_in_intro(self, number, line):
        if line.lower() == "infobox":
            self.section = "infobox"
            return
        self.add_intro(number, line)

    def line_in_infobox(self, number, line):
        match = grammar.INFOBOX_ITEM.match(line)
        if match:
            self.season.infobox.append([match.group(1), cell_text(match.group(2))])
            return
        self.section = "intro"
        self.add_intro(number, line)

    def add_intro(self, number, line):
        season = self.season
        if grammar.CATEGORY.match(line):
            self.skipped(number, f"the link {short(line)!r}")
            return
        # The intro as a reader sees it: bold, links and citations are markup.
        text = cell_text(line)
        if not text:
            return
        if season.intro_line is None:
            season.intro_line = number
        season.intro = f"{season.intro}\n\n{text}" if season.intro else text
        for pattern, attribute in ((grammar.BEGAN, "start"), (grammar.ENDED, "end")):
            match = pattern.search(text)
            if match:
                setattr(season, attribute, parse_date(match.group(1), self.path, number))
        if season.start and season.end and season.start > season.end:
            raise self.error(number, "the intro's season ends before it begins")
