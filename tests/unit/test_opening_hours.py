"""OSM opening_hours syntax validator (pure Python)."""

import pytest

from opendata_publisher.core.checks.opening_hours import check_opening_hours, is_valid_opening_hours

VALID = [
    "24/7",
    "Mo-Fr 08:00-12:00,14:00-18:00; Sa 08:00-12:00; PH off",
    "Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00",  # mediation-numerique example
    "Mo-Fr 08:00-20:00",  # lieux-covoiturage schema example
    "Mo-Su 22:00-02:00",  # over midnight
    "Mo-Fr 08:00-26:00",  # extended end time
    "Mo 00:00-24:00",
    "Fr-Mo 10:00-12:00",  # wrapping weekday range
    "Mo,We,Fr 10:00-12:00",
    "Mo-Fr",  # whole days
    "Jan-Mar Mo-Fr 08:00-12:00",
    "Nov-Feb off",
    "Jan,Mar Mo 10:00-11:00",
    "Dec 25 off",
    "Dec 24-26 off",
    "Dec 24-Jan 02 off",
    "Jan 01-Feb 28 Mo 08:00-10:00",
    "Dec 25+ off",
    "2024 Dec 25 off",
    "Dec 25 +Mo off",
    "easter off",
    "easter -2 days off",
    "week 01-53/2 Mo 10:00-12:00",
    "week 1,5,10-12 Fr 10:00-12:00",
    "2024 Mo-Fr 08:00-18:00",
    "2024+ Mo off",
    "2020-2030/2 Jan off",
    "2023-2025 Jan-Mar: Mo 08:00-09:00",
    "Jan-Mar: Mo-Fr 08:00-12:00",
    '"hiver": Mo 08:00-10:00',
    'Mo-Fr 08:00-12:00 "sur rendez-vous"',
    '"sur rendez-vous"',
    'Mo-Fr 08:00-12:00 unknown "à confirmer"',
    "Mo-Fr 08:00-12:00 open",
    "24/7 closed",
    'Mo-Fr 08:00-12:00 || "sur rendez-vous"',
    "Mo 10:00-12:00, Tu 14:00-16:00",
    "off",
    "sunrise-sunset",
    "(sunrise+01:00)-(sunset-00:30)",
    "Mo-Fr 06:00-sunset",
    "Mo-Fr 10:00+",
    "Mo-Fr 10:00-16:00/01:30",
    "Mo-Fr 10:00-16:00/90",
    "Tu 10:00",
    "Su[1] 10:00-12:00",
    "Su[-1] off",
    "Sa[1,3] 09:00-12:00",
    "Sa[1-2] -1 day 10:00-12:00",
    "PH off",
    "PH +1 day off",
    "PH,Su off",
    "SH Mo-Fr 09:00-11:00",
    "PH Mo-Fr 09:00-10:00",
    "Mo-Fr 08:00-12:00; PH off; SH Mo-Fr 09:00-11:00",
    "  Mo-Fr 08:00-12:00 ",
]

INVALID = [
    "",
    "   ",
    "true",  # what lieux-covoiturage's "valid" example puts in « horaires »
    "lundi 8h-12h",
    "Lu-Ve 08:00-12:00",
    "mo-fr 08:00-12:00",
    "Mo-Fr 8:00-12:00",
    "Mo-Fr 08h00-12h00",
    "Mo-Fr 08:00-49:00",
    "Mo-Fr 25:00-26:00",
    "Mo-Fr 08:60-09:00",
    "Mo-Fr 24:30-25:00",
    "Mo-Fr 08:00-",
    "Mo-Fr 08:00-12:00;",
    "Mo;;Tu off",
    "Mo-Fr 08:00-12:00 || ",
    "Mo-Fr 08:00 12:00",
    "Mo-Fr 08:00-12:00 14:00-18:00",
    "Mo-Fr 08:00–12:00",  # en dash
    "Mo-Xx 10:00-12:00",
    "Mo-Fr 08:00-12:00 fermé",
    "Mo-Fr 08:00-12:00 and 14:00-18:00",
    'Mo-Fr 08:00-12:00 "open',
    "Feb 30 off",
    "Dec 32 off",
    "week 54 off",
    "week 00 off",
    "Su[6] off",
    "Su[0] off",
    "Su[1 off",
    "1800 off",
    "2025-2020 off",
    "(sunrise)-sunset",
    "(sunrise+01:00-sunset",
    "24/7/",
    "24/70",
    "h24",
    "Mo-Fr 08:00-12:00 ; ; Sa off",
    "08:00-12:00 Mo-Fr",  # time before days
    "Jan 5-",
]


@pytest.mark.parametrize("text", VALID)
def test_valid(text):
    assert check_opening_hours(text) is None
    assert is_valid_opening_hours(text)


@pytest.mark.parametrize("text", INVALID)
def test_invalid(text):
    error = check_opening_hours(text)
    assert error is not None
    assert not is_valid_opening_hours(text)
    assert 0 <= error.position <= len(text)
    assert error.message


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ("Mo-Fr 8:00-12:00", 6, "deux chiffres"),
        ("Lu-Ve 08:00-12:00", 0, "Mo, Tu"),
        ("mo-fr 08:00-12:00", 0, "« Mo »"),
        ("Mo-Fr 08:00-12:00;", 17, "Règle vide"),
        ("Mo-Fr 08:00-12:00 14:00-18:00", 18, "virgule"),
        ("Mo-Fr 08:00–12:00", 11, "tiret"),
        ("Feb 30 off", 4, "n'existe pas"),
        ("h24", 0, "24/7"),
        ('Mo "ouvert', 3, "pas refermé"),
    ],
)
def test_error_position_and_explanation(text, position, words):
    error = check_opening_hours(text)
    assert error is not None
    assert error.position == position
    assert words in error.message
    assert f"caractère {position + 1}" in str(error)


def test_non_text_is_invalid():
    assert not is_valid_opening_hours(None)  # type: ignore[arg-type]
