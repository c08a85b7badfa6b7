"""Doubts that follow the data (issue #18): the date checks use what the source gives."""

from seasons.vocabulary import FlagKind
from tests.test_formats import PLAIN, parse, replaced


def intro_flags(text):
    season = parse(text)
    return [
        a.message for a in season.anomalies if a.kind in (FlagKind.INTRO_START, FlagKind.INTRO_END)
    ]


def test_doubts_season_beginning_with_the_heats_raises_nothing():
    # The first final is on 8 November 2014: heats the day before, or two days before.
    for day in ("7 November 2014", "6 November 2014", "8 November 2014"):
        assert intro_flags(replaced(PLAIN, "began on 8 November 2014", f"began on {day}")) == []


def test_doubts_intro_start_three_days_early_or_after_the_first_final_is_doubtful():
    for day in ("5 November 2014", "9 November 2014"):
        (message,) = intro_flags(replaced(PLAIN, "began on 8 November 2014", f"began on {day}"))
        assert message == (
            f"the intro says the season began on {day}; the first final is dated "
            "8 November 2014 (heats up to two days before)"
        )


def test_doubts_intro_end_after_the_last_final_is_doubtful():
    (message,) = intro_flags(
        replaced(PLAIN, "ended on 21 December 2014", "ended on 15 February 2015")
    )
    assert message.startswith("the intro says the season ended on 15 February 2015; the last final")


def test_doubts_meet_heading_dates_silence_the_intro_check_when_they_agree():
    text = replaced(PLAIN, "began on 8 November 2014", "began on 5 November 2014")
    assert intro_flags(text)  # three days before the first final: doubtful
    # The meet heading says the meet ran from 5 to 9 November: the intro agrees with it.
    dated = replaced(text, "==== Montreal ====", "==== Montreal (5–9 November 2014) ====")
    assert intro_flags(dated) == []
    # ... and a start outside the heading's dates is doubtful, said with the heading's dates.
    late = replaced(dated, "began on 5 November 2014", "began on 4 November 2014")
    (message,) = intro_flags(late)
    assert message.endswith("Montreal's heading gives 5 November 2014 to 9 November 2014")
