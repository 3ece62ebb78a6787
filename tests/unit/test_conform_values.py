"""Pure-Python repairs of one value, and the fixes registry (no QGIS)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from opendata_publisher.core.conform import fixes as fx
from opendata_publisher.core.conform.values import (
    format_candidates,
    match_enum,
    parse_boolean,
    parse_french_date,
    parse_french_datetime,
    parse_french_number,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24/06/2019", dt.date(2019, 6, 24)),
        ("24-06-2019", dt.date(2019, 6, 24)),
        ("3.4.2020", dt.date(2020, 4, 3)),  # day first, as in France
        (" 05/12/2016 ", dt.date(2016, 12, 5)),
        ("2019/06/24", dt.date(2019, 6, 24)),
        ("20190624", dt.date(2019, 6, 24)),
        ("1er janvier 2020", dt.date(2020, 1, 1)),
        ("24 Juin 2019", dt.date(2019, 6, 24)),
        ("14 février 2021", dt.date(2021, 2, 14)),
        ("2019-06-24 00:00:00", dt.date(2019, 6, 24)),
        (dt.datetime(2019, 6, 24), dt.date(2019, 6, 24)),
    ],
)
def test_french_dates(text, expected):
    assert parse_french_date(text) == expected


@pytest.mark.parametrize("text", ["2019-13-30", "31/02/2020", "2019-09-300", "demain", "", None, "24/06/19", 12])
def test_dates_never_guessed(text):
    assert parse_french_date(text) is None


def test_french_datetimes():
    assert parse_french_datetime("24/06/2019 14h30") == dt.datetime(2019, 6, 24, 14, 30)
    assert parse_french_datetime("24/06/2019 à 8:05:09") == dt.datetime(2019, 6, 24, 8, 5, 9)
    assert parse_french_datetime("2019-06-24 14:30") == dt.datetime(2019, 6, 24, 14, 30)
    assert parse_french_datetime("24/06/2019") == dt.datetime(2019, 6, 24)
    assert parse_french_datetime("24/06/2019 25h00") is None


@pytest.mark.parametrize(
    ("text", "integer", "expected"),
    [
        ("100000,10", False, Decimal("100000.10")),
        ("0,5", False, Decimal("0.5")),
        ("1 234,56", False, Decimal("1234.56")),
        ("1\u202f234,5", False, Decimal("1234.5")),
        ("1.234.567", False, Decimal("1234567")),
        ("1.234,5", False, Decimal("1234.5")),
        ("1,234.5", False, Decimal("1234.5")),
        ("12 €", False, Decimal("12")),
        ("1 250", True, 1250),
        ("12,0", True, 12),
        (45.0, True, 45),
    ],
)
def test_french_numbers(text, integer, expected):
    assert parse_french_number(text, integer=integer) == expected


@pytest.mark.parametrize(("text", "integer"), [("12,5", True), ("1,2,3", False), ("abc", False), ("", False)])
def test_numbers_never_guessed(text, integer):
    assert parse_french_number(text, integer=integer) is None


def test_booleans():
    assert parse_boolean("Oui") is True
    assert parse_boolean("N") is False
    assert parse_boolean("vrai") is True
    assert parse_boolean("FAUX") is False
    assert parse_boolean("yes") is True
    assert parse_boolean(0) is False
    assert parse_boolean("ouie") is None
    assert parse_boolean("peut-être") is None
    # the schema's own words count, whatever the case
    assert parse_boolean("ACTIF", ["actif"], ["inactif"]) is True


def test_enum_match_is_unambiguous():
    allowed = ["Intérieur", "Extérieur"]
    assert match_enum("intérieur", allowed) == "Intérieur"
    assert match_enum(" INTERIEUR ", allowed) == "Intérieur"
    assert match_enum("dedans", allowed) is None
    assert match_enum("a", ["A", "a "]) is None  # two allowed values fold the same: no guess
    nature = ["aide en numéraire", "aide en nature", "aide en numéraire;aide en nature"]
    assert match_enum("aide en numéraire, aide en nature", nature) == "aide en numéraire;aide en nature"


def test_format_candidates():
    assert "0476544254" in list(format_candidates("476544254"))
    assert list(format_candidates("1053"))[0] == "01053"
    assert "0238792222" in list(format_candidates("02 38 79 22 22"))
    assert "https://www.exemple.fr/a.jpg" in list(format_candidates("www.exemple.fr/a.jpg"))
    assert "lundi|mardi" in list(format_candidates("lundi, mardi"))
    assert "2A004" in list(format_candidates("2a004"))
    # a decimal number is never turned into an integer by removing its point
    assert "210" not in list(format_candidates("2.10"))
    assert list(format_candidates("")) == []


def test_fix_registry():
    assert fx.SAFE_FIX_IDS and fx.IDENTIFIERS not in fx.SAFE_FIX_IDS and fx.CONSTANTS not in fx.SAFE_FIX_IDS
    assert fx.ENUMS in fx.fixes_for_code("constraint-error/enum")
    assert fx.SWAP in fx.fixes_for_code("reversed-french-gps-coordinates")
    assert fx.MAKE_VALID in fx.fixes_for_code("geometry-invalid")
    assert fx.has_remedy("type-error")
    assert not fx.has_remedy("siret-unknown-code")
    assert not fx.has_remedy("opening-hours-value")
    assert not fx.has_remedy("constraint-error/maximum") or fx.COORDINATES in fx.fixes_for_code(
        "constraint-error/maximum"
    )
    assert fx.parse_fix_ids("") == list(fx.SAFE_FIX_IDS)
    assert fx.parse_fix_ids("all") == list(fx.FIX_IDS)
    assert fx.parse_fix_ids("numbers, dates") == ["dates", "numbers"]
    with pytest.raises(ValueError, match="inconnue"):
        fx.parse_fix_ids("dates, magie")
    for info in fx.FIXES:
        assert info.title and info.help.endswith((".", ")")) and info.codes
