"""Standings that explain themselves: published World Cup totals checked against the results.

The sources publish totals but name few of the results behind them, so the check runs as a
pipeline, each step importing only the ones before it. :mod:`.scoring` is the pure calculation:
the rule, the plain data in and out, and the standings the known results give (best N of M).
:mod:`.reachability`, also pure, decides whether each published total can be reached at all
and says why in words. :mod:`.check` is the database side: it builds that input from the models,
gives a season its default rule, and stores a flag for every total that cannot be reached. The
standings page's explanation (:mod:`.explain`) runs the same check on the rows the page has
loaded, and :mod:`.chart` draws the computed totals after each meet as an SVG. Apart from the
page, :mod:`.docs` writes the evidence for the stored rules into docs/STANDINGS.md.
"""
