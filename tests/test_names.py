"""seasons.names: when two written names are one name, and which nation a relay cell names. Pure:
no database."""

import pytest

from seasons.names import fold, name_key, name_keys, nation_code, same_name


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Park Se-yeong", "PARK Se-yeong"),  # ISU capitals
        ("Park Se-yeong", "Se-yeong Park"),  # given name first
        ("Park Se-yeong", "Park Seyeong"),  # no hyphen
        ("Park Se-yeong", "PARK Se Yeong"),  # the ISU's spaced given name
        ("Choi Min-a", "Min A Choi"),
        ("Élodie Testaz", "elodie testaz"),  # accents and case
        ("Marianne St-Gelais", "Marianne St Gelais"),
        ("Sjinkie Knegt", "Knegt, Sjinkie"),
        ("Sjinkie  Knegt", "Sjinkie\u00a0Knegt"),  # spacing
        ("Ørjan Søberg", "Orjan Soberg"),  # stroked letters
        ("Wu Dajing", "Dajing Wu"),
        ("J. R. Celski", "J.R. Celski"),
        ("곽윤기", "곽 윤기"),
        ("Jan van der Berg", "van der Berg Jan"),
    ],
)
def test_names_same_name_however_written(one, other):
    assert same_name(one, other)
    assert same_name(other, one)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Park Se-yeong", "Park Ji-won"),
        ("Simon Cho", "Simon Chow"),
        ("Kim A-lang", "Kim Alan"),
        ("곽윤기", "Kwak Yoon-gy"),  # another script is an alias, never the same key
        ("", ""),
    ],
)
def test_names_different_names_stay_apart(one, other):
    assert not same_name(one, other)


def test_names_key_runs_the_folded_words_together():
    assert name_key("PARK Se-yeong") == "parkseyeong"
    assert name_key("Straße") == "strasse"
    assert name_key("—") == ""


def test_names_keys_are_every_rotation():
    assert name_keys("Se-yeong Park") == {"seyeongpark", "yeongparkse", "parkseyeong"}
    assert name_keys("") == set()


def test_names_fold_keeps_other_scripts():
    assert fold("Виктор Ан") == "виктор ан"
    assert fold("武大靖") == "武大靖"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("South Korea", "KOR"),
        ("Netherlands", "NED"),
        ("kor", "KOR"),
        ("can", "CAN"),
        ("KOR", "KOR"),
        ("Great Britain", "GBR"),
        ("Chinese Taipei", "TPE"),
        ("United States", "USA"),
        ("Republic of Korea", "KOR"),
        ("Germany", "GER"),  # IOC, not ISO (DEU)
        (" Russia ", "RUS"),
    ],
)
def test_names_nation_code_reads_codes_and_names(text, code):
    assert nation_code(text) == code


@pytest.mark.parametrize("text", ["Charles Hamelin", "abc", "", "Team Canada 1"])
def test_names_nation_code_is_none_for_what_names_no_nation(text):
    assert nation_code(text) is None
