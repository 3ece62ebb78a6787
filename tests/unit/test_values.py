"""Tests of the Table Schema value engine (opendata_publisher.core.checks: parsing, constraints, wording,
value_checker).

Pure Python; runs with ``-p no:qgis``. The agreement tests use frictionless
(test-only dependency) as the oracle: each case is written to a CSV file and
validated by frictionless, and our verdict must equal frictionless' verdict.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

from opendata_publisher.core.checks import parsing
from opendata_publisher.core.checks.parsing import IsoDuration, YearMonth, canonical_text
from opendata_publisher.core.checks.value_checker import ValueChecker, checker_for
from opendata_publisher.core.schema.model import FieldDescriptor, parse_schema

SCDL_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "scdl"


def make(ftype: str = "string", **kwargs: Any) -> ValueChecker:
    return ValueChecker(FieldDescriptor(name=kwargs.pop("name", "champ"), type=ftype, **kwargs))


def verdict(problems) -> Tuple[Any, ...]:
    if not problems:
        return ("ok",)
    codes = {p.code for p in problems}
    if "type-error" in codes:
        assert codes == {"type-error"}, "a type error must come alone"
        return ("type-error",)
    return ("constraint-error", frozenset(p.constraint for p in problems))


def codes(checker: ValueChecker, value: Any) -> List[str]:
    return [p.constraint or p.code for p in checker.check(value)]


# ---------------------------------------------------------------------------
# canonical_text


@pytest.mark.parametrize(
    "value, text",
    [
        (45, "45"),
        (-3, "-3"),
        (1.5, "1.5"),
        (45234.0, "45234"),
        (1e20, "1e+20"),
        (float("nan"), "NaN"),
        (float("inf"), "INF"),
        (float("-inf"), "-INF"),
        (True, "true"),
        (False, "false"),
        (Decimal("2.50"), "2.50"),
        (dt.date(2021, 3, 12), "2021-03-12"),
        (dt.datetime(2021, 3, 12, 10, 5), "2021-03-12T10:05:00"),
        (dt.time(8, 30), "08:30:00"),
        ([2.35, 48.85], "[2.35, 48.85]"),
        ({"a": "é"}, '{"a": "é"}'),
        (b"abc", "abc"),
        (None, ""),
        ("déjà", "déjà"),
    ],
)
def test_canonical_text(value, text):
    assert canonical_text(value) == text


def test_canonical_text_never_raises():
    class Weird:
        def __str__(self):
            raise RuntimeError("boom")

    assert isinstance(canonical_text(Weird()), str)


# ---------------------------------------------------------------------------
# Missing values and required


def test_missing_values_exact_match():
    checker = make("number", missing_values=["", "NA"])
    assert checker.is_missing(None)
    assert checker.is_missing("")
    assert checker.is_missing("NA")
    assert not checker.is_missing("na")
    assert not checker.is_missing(" ")
    assert not checker.is_missing(0)
    assert checker.cast("NA") == (True, None)
    assert checker.check("NA") == []


def test_required_fires_only_on_missing():
    checker = make("integer", constraints={"required": True}, title="Nombre de places", description="Capacité.")
    problems = checker.check(None)
    assert [(p.code, p.constraint) for p in problems] == [("constraint-error", "required")]
    assert "Valeur obligatoire manquante" in problems[0].message
    assert "champ" in problems[0].message
    assert "Nombre de places" in problems[0].hint and "Capacité" in problems[0].hint
    assert codes(checker, "") == ["required"]
    assert checker.check("12") == []
    assert checker.check(0) == []


def test_required_mentions_missing_marker():
    checker = make(constraints={"required": True}, missing_values=["", "NA"])
    (problem,) = checker.check("NA")
    assert "« NA »" in problem.hint


def test_missing_not_required_is_silent():
    assert make("date").check(None) == []


# ---------------------------------------------------------------------------
# Types


def test_string_formats():
    assert make(format="email").check("agent@mairie-exemple.fr") == []
    (problem,) = make(format="email").check("agent@mairie")
    assert problem.code == "type-error" and "adresse électronique" in problem.message
    (problem,) = make(format="email").check("a@x.fr; b@x.fr")
    assert "une seule adresse" in problem.hint
    assert make(format="uri").check("https://www.exemple.fr/a") == []
    (problem,) = make(format="uri").check("www.exemple.fr")
    assert "https://www.exemple.fr" in problem.hint
    assert make(format="uuid").check("123e4567-e89b-12d3-a456-426614174000") == []
    assert codes(make(format="uuid"), "123e4567") == ["type-error"]
    assert make(format="binary").check("aGVsbG8=") == []
    assert codes(make(format="binary"), "abc") == ["type-error"]


def test_number_and_decimal_comma_hint():
    checker = make("number", name="Xlong")
    assert checker.cast("2.35") == (True, Decimal("2.35"))
    assert checker.cast(" 2.35 ") == (True, Decimal("2.35"))
    assert checker.cast("NaN")[0] and checker.cast("INF")[0] and checker.cast("-INF")[0]
    (problem,) = checker.check("2,35")
    assert problem.code == "type-error"
    assert "Xlong" in problem.message
    assert "virgule" in problem.hint and "2.35" in problem.hint
    assert "unité" in checker.check("12 m")[0].hint
    assert "milliers" in checker.check("1 250")[0].hint


def test_number_decimal_and_group_chars():
    checker = make("number", decimal_char=",", group_char=" ", raw={"decimalChar": ",", "groupChar": " "})
    assert checker.cast("1 234,5") == (True, Decimal("1234.5"))
    assert checker.cast("1234.5") == (False, None)


def test_number_bare_number_false():
    checker = make("number", bare_number=False, raw={"bareNumber": False})
    assert checker.cast("12 €") == (True, Decimal("12"))
    assert checker.cast("-5 %") == (True, Decimal("-5"))


def test_integer():
    checker = make("integer")
    assert checker.cast("12") == (True, 12)
    assert checker.cast(" 12 ") == (True, 12)
    assert checker.cast("12.0") == (False, None)
    (problem,) = checker.check("12.5")
    assert "décimales" in problem.message and "arrondissez" in problem.hint
    assert checker.cast(True) == (False, None)


def test_boolean_custom_values_and_case_hint():
    checker = make("boolean", true_values=["oui"], false_values=["non"], name="gratuit")
    assert checker.cast("oui") == (True, True)
    assert checker.cast("non") == (True, False)
    assert checker.cast(True) == (True, True)
    (problem,) = checker.check("Oui")
    assert problem.code == "type-error" and "« oui »" in problem.hint
    (problem,) = checker.check("peut-être")
    assert "« oui »" in problem.hint and "« non »" in problem.hint


def test_date_default_message_and_fix():
    checker = make("date", name="date_maj")
    assert checker.cast("2016-12-05") == (True, dt.date(2016, 12, 5))
    (problem,) = checker.check("12/03/2021")
    assert problem.code == "type-error"
    assert problem.message == "La date « 12/03/2021 » n'est pas au format attendu aaaa-mm-jj (ex. 2016-12-05)."
    assert "2021-03-12" in problem.hint
    assert "n'existe pas" in checker.check("31/02/2021")[0].hint
    assert "sans l'heure" in checker.check("2021-03-12T10:00:00")[0].hint


def test_date_custom_format():
    checker = make("date", format="%d/%m/%Y")
    assert checker.cast("05/12/2016") == (True, dt.date(2016, 12, 5))
    (problem,) = checker.check("2016-12-05")
    assert "jj/mm/aaaa" in problem.message and "05/12/2016" in problem.message
    year_only = make("date", format="%Y")
    assert year_only.cast("2016") == (True, dt.date(2016, 1, 1))


def test_date_any_format():
    checker = make("date", format="any")
    assert checker.cast("2016-12-05")[0]
    assert checker.cast("25/12/2016") == (True, dt.date(2016, 12, 25))
    assert checker.cast("pas une date") == (False, None)


def test_datetime_default():
    checker = make("datetime")
    utc = dt.timezone.utc
    assert checker.cast("2020-01-01T10:00:00") == (True, dt.datetime(2020, 1, 1, 10))
    assert checker.cast("2020-01-01T10:00:00Z") == (True, dt.datetime(2020, 1, 1, 10, tzinfo=utc))
    assert checker.cast("2020-01-01 10:00:00+01:00")[1].utcoffset() == dt.timedelta(hours=1)
    assert checker.cast("2020-01-01T24:00:00") == (True, dt.datetime(2020, 1, 2))
    assert checker.cast("2020-01-01T10:00") == (False, None)
    (problem,) = checker.check("2020-01-01")
    assert "2020-01-01T00:00:00" in problem.hint


def test_time_year_yearmonth_duration():
    assert make("time").cast("08:30:00") == (True, dt.time(8, 30))
    assert make("time").cast("8:30") == (False, None)
    assert "hh:mm:ss" in make("time").check("8h30")[0].message
    assert make("year").cast("2016") == (True, 2016)
    assert make("year").cast("16") == (False, None)
    assert make("yearmonth").cast("2016-12") == (True, YearMonth(2016, 12))
    assert make("yearmonth").cast("2016-13") == (False, None)
    assert make("duration").cast("PT30M") == (True, dt.timedelta(minutes=30))
    assert make("duration").cast("P1Y2M") == (True, IsoDuration(Decimal(1), Decimal(2), dt.timedelta(0)))
    assert make("duration").cast("-P1D") == (True, dt.timedelta(days=-1))
    assert make("duration").cast("30 minutes") == (False, None)
    assert "PT30M" in make("duration").check("30 min")[0].hint


def test_geopoint_formats_and_ranges():
    default = make("geopoint")
    assert default.cast("2.35, 48.85") == (True, (2.35, 48.85))
    array = make("geopoint", format="array")
    assert array.cast("[2.35, 48.85]") == (True, (2.35, 48.85))
    assert array.cast([2.35, 48.85]) == (True, (2.35, 48.85))
    obj = make("geopoint", format="object")
    assert obj.cast('{"lon": 2.35, "lat": 48.85}') == (True, (2.35, 48.85))
    assert obj.cast({"lon": 2.35, "lat": 48.85}) == (True, (2.35, 48.85))
    (problem,) = array.check("[2.35, 148.85]")
    assert problem.code == "type-error" and "hors limites" in problem.message and "inversées" in problem.hint
    (problem,) = array.check("[652000, 6862000]")
    assert "Lambert 93" in problem.hint
    (problem,) = default.check("2,35, 48,85")
    assert "point comme séparateur décimal" in problem.hint


def test_geojson_array_object_any():
    geojson = make("geojson")
    assert geojson.check('{"type": "Point", "coordinates": [2.35, 48.85]}') == []
    assert codes(geojson, '{"type": "Point", "coordinates": [2.35]}') == ["type-error"]
    assert codes(geojson, '{"coordinates": [2.35, 48.85]}') == ["type-error"]
    assert geojson.check({"type": "Feature", "geometry": None, "properties": {}}) == []
    topo = make("geojson", format="topojson")
    assert topo.check('{"type": "Topology", "objects": {}, "arcs": []}') == []
    assert codes(topo, '{"type": "Point"}') == ["type-error"]
    assert make("array").cast('["a", "b"]') == (True, ["a", "b"])
    assert make("array").cast(("a", "b")) == (True, ["a", "b"])
    assert codes(make("array"), '{"a": 1}') == ["type-error"]
    assert make("object").cast('{"a": 1}') == (True, {"a": 1})
    assert codes(make("object"), "[1]") == ["type-error"]
    assert make("any").cast(object)[0]


def test_type_error_hides_constraints():
    checker = make("integer", constraints={"minimum": 10, "enum": [10, 20]})
    assert codes(checker, "abc") == ["type-error"]


# ---------------------------------------------------------------------------
# Native values


def test_native_values_of_the_right_kind():
    assert make("integer").check(45) == []
    assert make("integer").check(3.0) == []
    assert codes(make("integer"), 3.5) == ["type-error"]
    assert make("number").check(1.5) == []
    assert make("number").cast(1.5) == (True, Decimal("1.5"))
    assert make("number").cast(7) == (True, 7)
    assert make("year").check(2020) == []
    assert make("date").check(dt.date(2020, 1, 1)) == []
    assert make("date").cast(dt.datetime(2020, 1, 1)) == (True, dt.date(2020, 1, 1))
    assert codes(make("date"), dt.datetime(2020, 1, 1, 10)) == ["type-error"]
    assert make("datetime").check(dt.datetime(2020, 1, 1, 10)) == []
    assert codes(make("datetime"), dt.date(2020, 1, 1)) == ["type-error"]
    assert make("time").check(dt.time(10)) == []
    assert make("boolean").check(False) == []
    assert codes(make("number"), True) == ["type-error"]


def test_native_values_are_read_as_their_text():
    code_postal = make(constraints={"pattern": r"\d{5}"}, example="45234")
    assert code_postal.check(45234) == []
    assert code_postal.check(45234.0) == []
    (problem,) = code_postal.check(1234)
    assert problem.constraint == "pattern" and "« 1234 »" in problem.message and "45234" in problem.hint
    assert make("boolean").cast(1) == (True, True)
    assert make("boolean").cast(0) == (True, False)
    assert make(constraints={"maxLength": 3}).check(12345)[0].constraint == "maxLength"
    assert make("date").cast("2020-01-01") == (True, dt.date(2020, 1, 1))


def test_odd_inputs_never_raise():
    class Weird:
        def __str__(self):
            raise RuntimeError("boom")

    for ftype in parsing.READERS:
        checker = make(ftype, constraints={"pattern": "x+", "minimum": 1, "maxLength": 3, "enum": ["a"]})
        for value in (b"\xff\xfe", Weird(), "x" * 100_000, [1, [2]], {"a": {}}, float("nan"), -0.0, object()):
            problems = checker.check(value)
            assert isinstance(problems, list)
            assert isinstance(checker.cast(value), tuple)


# ---------------------------------------------------------------------------
# Constraints


def test_enum_cast_values_and_hints():
    checker = make("integer", constraints={"enum": ["1", "2"]})
    assert checker.check("1") == []
    assert checker.check(2) == []
    assert codes(checker, "3") == ["enum"]
    number = make("number", constraints={"enum": [1.5, 2]})
    assert number.check("1.50") == []
    assert number.check("2.0") == []
    text = make(constraints={"enum": ["Oui", "Non"]}, name="acces")
    (problem,) = text.check("oui")
    assert problem.constraint == "enum" and "acces" in problem.message and "« Oui »" in problem.hint
    (problem,) = text.check("Peut-être")
    assert "« Oui », « Non »" in problem.hint


def test_enum_long_list_is_truncated():
    checker = make(constraints={"enum": [f"valeur{i}" for i in range(40)]})
    (problem,) = checker.check("autre")
    assert "valeur0" in problem.hint and "valeur39" not in problem.hint and "40 valeurs" in problem.hint


def test_pattern_semantics_and_invalid_regex():
    assert make(constraints={"pattern": "[0-9]{5}"}).check("123456")[0].constraint == "pattern"
    assert codes(make(constraints={"pattern": "[0-9]{5}"}), " 12345") == ["pattern"]
    assert "espaces" in make(constraints={"pattern": "[0-9]{5}"}).check(" 12345")[0].hint
    bad = make(constraints={"pattern": "([0-9"}, name="code")
    assert bad.check("anything") == []
    assert len(bad.warnings) == 1 and "code" in bad.warnings[0] and "expression régulière" in bad.warnings[0]


def test_pattern_applies_to_dates_as_written():
    checker = make("date", constraints={"pattern": r"[0-9]{4}-[0-9]{2}-[0-9]{2}"})
    assert checker.check("2020-01-05") == []
    assert codes(checker, "2020-1-5") == ["pattern"]
    assert checker.check(dt.date(2020, 1, 5)) == []


def test_lengths():
    checker = make(constraints={"minLength": 2, "maxLength": 4})
    assert checker.check("abc") == []
    assert codes(checker, "a") == ["minLength"]
    assert codes(checker, "abcde") == ["maxLength"]
    assert "au moins 2" in checker.check("a")[0].hint
    assert codes(make("array", constraints={"minLength": 2}), '["a"]') == ["minLength"]
    assert codes(make("object", constraints={"maxLength": 1}), '{"a": 1, "b": 2}') == ["maxLength"]


def test_bounds_on_every_ordered_type():
    lat = make("number", name="Ylat", constraints={"minimum": -90, "maximum": 90})
    assert lat.check("48.85") == []
    assert codes(lat, "90.0001") == ["maximum"]
    (problem,) = lat.check("6862000")
    assert "90" in problem.message and "Ylat" in problem.message and "EPSG:4326" in problem.hint
    assert codes(lat, "NaN") == ["minimum", "maximum"]
    assert codes(make("integer", constraints={"minimum": "1"}), "0") == ["minimum"]
    date = make("date", constraints={"minimum": "2020-01-01", "maximum": "2020-12-31"})
    assert date.check("2020-06-01") == [] and codes(date, "2019-12-31") == ["minimum"]
    assert codes(make("year", constraints={"maximum": 2024}), "2030") == ["maximum"]
    assert codes(make("yearmonth", constraints={"minimum": "2020-03"}), "2020-02") == ["minimum"]
    assert codes(make("time", constraints={"maximum": "18:00:00"}), "18:00:01") == ["maximum"]
    dtm = make("datetime", constraints={"minimum": "2020-01-01T00:00:00Z"})
    assert codes(dtm, "2019-12-31T23:00:00") == ["minimum"]
    assert dtm.check("2020-01-01T00:30:00+00:00") == []
    exclusive = make("number", constraints={"exclusiveMinimum": 0, "exclusiveMaximum": 10})
    assert codes(exclusive, "0") == ["exclusiveMinimum"] and codes(exclusive, "10") == ["exclusiveMaximum"]
    assert exclusive.check("5") == []


def test_unreadable_or_unsupported_constraints_warn():
    checker = make("integer", constraints={"minimum": "abc", "minLength": 2}, name="n")
    assert checker.check("5") == []
    assert len(checker.warnings) == 2
    assert any("minimum" in w for w in checker.warnings) and any("minLength" in w for w in checker.warnings)


def test_each_violated_constraint_is_reported():
    checker = make(constraints={"pattern": "[a-z]+", "maxLength": 3, "enum": ["abc"]})
    assert sorted(codes(checker, "ABCDE")) == ["enum", "maxLength", "pattern"]


# ---------------------------------------------------------------------------
# Memoisation and shared checkers


def test_check_is_memoised(monkeypatch):
    checker = make("integer", constraints={"minimum": 5})
    calls = []
    original = checker._compute
    monkeypatch.setattr(checker, "_compute", lambda value: calls.append(value) or original(value))
    first = checker.check("3")
    second = checker.check("3")
    assert first == second and len(first) == 1
    assert calls == ["3"]
    checker.check(3)  # another type, another entry
    assert calls == ["3", 3]
    second.clear()  # callers may mutate what they get back
    assert len(checker.check("3")) == 1
    checker.check(["unhashable"])
    checker.check(["unhashable"])
    assert calls[-2:] == [["unhashable"], ["unhashable"]]


def test_checker_for_reuses_and_rebuilds():
    field = FieldDescriptor(name="x", type="integer")
    first = checker_for(field)
    assert checker_for(field) is first
    field.constraints["minimum"] = 10
    second = checker_for(field)
    assert second is not first
    assert codes(second, "5") == ["minimum"]


def test_messages_are_french_and_actionable():
    samples = [
        (make("number", name="capacite"), "douze"),
        (make("integer", name="capacite"), "1,5"),
        (make("boolean", name="gratuit"), "peut-être"),
        (make("date", name="date_maj"), "hier"),
        (make("datetime", name="horodatage"), "hier"),
        (make("time", name="heure"), "midi"),
        (make("year", name="annee"), "an 2000"),
        (make("yearmonth", name="mois"), "décembre"),
        (make("duration", name="duree"), "1h"),
        (make("geopoint", name="coordonnees"), "Paris"),
        (make("geojson", name="geom"), "POINT(2 48)"),
        (make("array", name="liste"), "a;b"),
        (make("object", name="obj"), "a=b"),
        (make(format="email", name="courriel"), "x"),
        (make(format="uri", name="site"), "x"),
        (make(format="uuid", name="id"), "x"),
    ]
    for checker, value in samples:
        (problem,) = checker.check(value)
        assert problem.code == "type-error"
        assert problem.message and problem.hint
        assert checker.field.name in problem.message or value in problem.message
        assert re.search(r"[éèàêç«]|Écrivez|Ajoutez|Utilisez", problem.message + problem.hint)
        assert problem.hint.rstrip().endswith((".", "»", ")"))


# ---------------------------------------------------------------------------
# Agreement with frictionless (the oracle)

try:  # frictionless is a test-only dependency
    import frictionless
    from frictionless import Dialect, Resource, Schema
    from frictionless.formats import CsvControl
except Exception:  # pragma: no cover - depends on the environment
    frictionless = None

needs_frictionless = pytest.mark.skipif(frictionless is None, reason="frictionless is not installed (test-only)")

# (id, field descriptor, schema-level extras, CSV cell values)
AGREEMENT_CASES: List[Tuple[str, Dict[str, Any], Dict[str, Any], List[str]]] = [
    (
        "string-pattern-lengths-enum",
        {"type": "string", "constraints": {"pattern": "[0-9]{5}", "minLength": 5, "maxLength": 5}},
        {},
        ["45234", "1234", "452345", " 45234", "abcde", "45234\n", "4523a", "٤٥٢٣٤", ""],
    ),
    (
        "string-enum-required",
        {"type": "string", "constraints": {"required": True, "enum": ["Oui", "Non", "Ne sait pas"]}},
        {},
        ["Oui", "oui", "Non ", "", "Ne sait pas", "NA"],
    ),
    (
        "string-top-level-alternation",
        {"type": "string", "constraints": {"pattern": "a|b"}},
        {},
        ["a", "b", "ax", "xb", "ab", "c"],
    ),
    (
        "string-email",
        {"type": "string", "format": "email"},
        {},
        [
            "agent@mairie.fr",
            "a.b+c@sub.exemple.fr",
            "a@b",
            "a@b.c",
            "a b@x.fr",
            "a..b@x.fr",
            ".a@x.fr",
            "a@x..fr",
            "a@-x.fr",
            "é@x.fr",
            "a@é.fr",
            "a@x.f1",
            "a@x_y.fr",
            " a@x.fr",
            "a@x.fr ",
            "a@b@c.fr",
            "contact@mairie.fr; info@mairie.fr",
            "x" * 65 + "@x.fr",
        ],
    ),
    (
        "string-uri",
        {"type": "string", "format": "uri"},
        {},
        [
            "https://www.x.fr/a",
            "www.x.fr",
            "x.fr",
            "mailto:a@b.fr",
            "ftp://x",
            "urn:isbn:1",
            "1http://x",
            ":x",
            "a b:c",
        ],
    ),
    (
        "string-uuid",
        {"type": "string", "format": "uuid"},
        {},
        [
            "123e4567-e89b-12d3-a456-426614174000",
            "123E4567E89B12D3A456426614174000",
            "{123e4567-e89b-12d3-a456-426614174000}",
            "123e4567-e89b-12d3-a456-42661417400",
            " 123e4567-e89b-12d3-a456-426614174000",
            "pas un uuid",
        ],
    ),
    ("string-binary", {"type": "string", "format": "binary"}, {}, ["aGVsbG8=", "aGVsbG8", "abc", "!!!!"]),
    (
        "number-bounds",
        {"type": "number", "constraints": {"minimum": -90, "maximum": 90.5}},
        {},
        [
            "48.85",
            "-90",
            "90.5",
            "90.50001",
            "-90.1",
            " 12 ",
            "12,5",
            "1 000",
            "1e1",
            "1E3",
            "NaN",
            "nan",
            "INF",
            "-INF",
            "Infinity",
            "1_0",
            "0x10",
            "+5",
            ".5",
            "5.",
            "12 m",
            "",
        ],
    ),
    (
        "number-enum",
        {"type": "number", "constraints": {"enum": [1.5, 2, "3.0"]}},
        {},
        ["1.5", "1.50", "2", "2.0", "3", "4"],
    ),
    (
        "number-decimal-comma-group-space",
        {"type": "number", "decimalChar": ",", "groupChar": " "},
        {},
        ["1 234,5", "1234,5", "1234.5", "12", "1 234"],
    ),
    ("number-bare-false", {"type": "number", "bareNumber": False}, {}, ["12 €", "€12", "-5 %", "abc", "1.5m2"]),
    ("number-float", {"type": "number", "floatNumber": True}, {}, ["1.5", "nan", "inf", "abc", "1_000"]),
    (
        "integer",
        {"type": "integer", "constraints": {"minimum": 0, "maximum": "100"}},
        {},
        ["0", "100", "101", "-1", " 12 ", "+5", "1.0", "1.5", "1_000", "1e3", "٣", "", "abc", "12 places"],
    ),
    ("integer-bare-false", {"type": "integer", "bareNumber": False}, {}, ["12 places", "env. 12", "-3", "x"]),
    (
        "boolean-default",
        {"type": "boolean"},
        {},
        ["true", "True", "TRUE", "1", "false", "False", "FALSE", "0", "yes", "oui", " true", "tRUE"],
    ),
    (
        "boolean-oui-non-enum",
        {"type": "boolean", "trueValues": ["oui"], "falseValues": ["non"], "constraints": {"enum": [True]}},
        {},
        ["oui", "non", "Oui", "true", "1"],
    ),
    (
        "date-default-bounds",
        {"type": "date", "constraints": {"minimum": "2000-01-01", "maximum": "2030-12-31"}},
        {},
        [
            "2016-12-05",
            "2016-1-5",
            "2016-01- 5",
            "1999-12-31",
            "2031-01-01",
            "12/03/2021",
            "2021-02-30",
            "2021-02-29",
            "2020-02-29",
            "20210101",
            "2021-01-01T00:00:00",
            " 2021-01-01",
            "2021-01-01 ",
        ],
    ),
    ("date-dmy", {"type": "date", "format": "%d/%m/%Y"}, {}, ["05/12/2016", "5/12/2016", "2016-12-05", "31/02/2016"]),
    ("date-year", {"type": "date", "format": "%Y"}, {}, ["2016", "16", "2016-01-01"]),
    (
        "datetime-default",
        {"type": "datetime"},
        {},
        [
            "2020-01-01T10:00:00",
            "2020-01-01T10:00:00Z",
            "2020-01-01T10:00:00z",
            "2020-01-01T10:00:00+01:00",
            "2020-01-01T10:00:00+0100",
            "2020-01-01T10:00:00+01",
            "2020-01-01T10:00:00-00:00",
            "2020-01-01T10:00:00+25:00",
            "2020-01-01T10:00:00+01:60",
            "2020-01-01 10:00:00",
            "2020-01-01X10:00:00",
            "2020-01-01T10:00",
            "2020-01-01T10:00:00.123456",
            "2020-01-01T10:00:00,5",
            "2020-01-01T10:00:00.1234567",
            "2020-01-01T24:00:00",
            "2020-01-01T24:00:01",
            "2020-01-01T25:00:00",
            "2020-01-01T10:60:00",
            "2020-01-01T10:00:60",
            "2020-02-30T10:00:00",
            "2020-13-01T10:00:00",
            "2020-W01-1T10:00:00",
            "20200101T1000+01:00",
            "2020-123T1000+01:00",
            "2020-01-01T10:00:00 ",
            " 2020-01-01T10:00:00",
            "2020-01-01",
            "01/01/2020 10:00:00",
            "2020-01-01T10:00:00+01:00:00",
            "2020-01-01T10:00:00.",
            "2020-01-01Té0:00:00",
        ],
    ),
    (
        "datetime-custom",
        {"type": "datetime", "format": "%d/%m/%Y %H:%M"},
        {},
        ["05/12/2016 14:30", "05/12/2016", "2016-12-05T14:30:00"],
    ),
    (
        "time-default",
        {"type": "time", "constraints": {"minimum": "08:00:00"}},
        {},
        [
            "10:00:00",
            "07:59:59",
            "10:00",
            "9:00:00",
            "24:00:00",
            "10:60:00",
            "10:00:00.5",
            "10h00",
            "100000",
        ],
    ),
    # frictionless itself crashes comparing a naive bound with an aware time: no bound here
    ("time-default-offsets", {"type": "time"}, {}, ["10:00:00Z", "10:00:00+01:00", "10:00:00+0100", "10:00+01:00"]),
    ("time-custom", {"type": "time", "format": "%Hh%M"}, {}, ["10h30", "10:30", "25h00"]),
    (
        "year",
        {"type": "year", "constraints": {"minimum": 1900, "maximum": "2100"}},
        {},
        ["2016", "1899", "2101", "16", "20166", "0999", "-001", "+202", "abcd", "2016.0"],
    ),
    (
        "yearmonth",
        {"type": "yearmonth", "constraints": {"minimum": "2020-03"}},
        {},
        ["2020-03", "2020-02", "2020-3", "2020-13", "2020-00", "2020/03", "2020-03-01", "2021"],
    ),
    (
        "duration",
        {"type": "duration"},
        {},
        [
            "P1Y2M3DT4H5M6S",
            "PT0.5S",
            "PT0,5S",
            "P1W",
            "-P1D",
            "+P1D",
            "P",
            "PT",
            "1D",
            "p1d",
            "P1.5Y",
            "P1DT",
            "PT30M",
            "P0001-02-03T04:05:06",
            "P1D ",
            "P99999999999D",
        ],
    ),
    (
        "geopoint-default",
        {"type": "geopoint"},
        {},
        [
            "2.35, 48.85",
            "2.35,48.85",
            " 2.35 , 48.85 ",
            "200, 48",
            "2.35, 91",
            "-180, -90",
            "2,35, 48,85",
            "2.35",
            "[2.35, 48.85]",
            "NaN, 1",
            "abc, 1",
        ],
    ),
    (
        "geopoint-array",
        {"type": "geopoint", "format": "array"},
        {},
        [
            "[2.35, 48.85]",
            "[2.35,48.85]",
            '["2.35", "48.85"]',
            "[48.85, 2.35]",
            "[2.35, 148.85]",
            "[652000, 6862000]",
            "[2.35]",
            "[2.35, 48.85, 10]",
            "2.35, 48.85",
            '"12"',
            "[8.73889 , 41.929317]",
        ],
    ),
    (
        "geopoint-object",
        {"type": "geopoint", "format": "object"},
        {},
        [
            '{"lon": 2.35, "lat": 48.85}',
            '{"lat": 48.85, "lon": 2.35}',
            '{"lon": 2.35}',
            '{"lon": 2.35, "lat": 95}',
            "[2.35, 48.85]",
        ],
    ),
    (
        "geojson-default",
        {"type": "geojson"},
        {},
        [
            '{"type": "Point", "coordinates": [2.35, 48.85]}',
            '{"type": "Point", "coordinates": [2.35, 48.85, 35]}',
            '{"type": "Point", "coordinates": [2.35]}',
            '{"type": "LineString", "coordinates": [[0, 0], [1, 1]]}',
            '{"type": "LineString", "coordinates": [[0, 0]]}',
            '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}',
            '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}',
            '{"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]]]}',
            '{"type": "Feature", "geometry": null, "properties": null}',
            '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}}',
            '{"type": "FeatureCollection", "features": [{"geometry": null, "properties": {}}]}',
            '{"type": "FeatureCollection", "features": [{"type": "X", "geometry": null, "properties": {}}]}',
            '{"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [1, 2]}]}',
            '{"type": "Point", "coordinates": [1, 2], "crs": {"type": "name", "properties": {"name": "EPSG:4326"}}}',
            '{"type": "Point", "coordinates": [1, 2], "crs": {"type": "other", "properties": {}}}',
            '{"type": "Point", "coordinates": [1, 2], "bbox": [1, 2, 1, 2]}',
            '{"type": "Point", "coordinates": [true, 2]}',
            '{"type": "Circle", "coordinates": [1, 2]}',
            "[1, 2]",
            "POINT(2 48)",
        ],
    ),
    (
        "geojson-topojson",
        {"type": "geojson", "format": "topojson"},
        {},
        [
            '{"type": "Topology", "objects": {}, "arcs": []}',
            '{"type": "Topology", "objects": {"a": {"type": "LineString", "arcs": [0]}}, "arcs": [[[0, 0], [1, 1]]]}',
            '{"type": "Topology", "objects": {"a": {"type": "LineString", "arcs": [0.5]}}, "arcs": []}',
            '{"type": "Topology", "arcs": []}',
            '{"type": "Point", "coordinates": [1, 2, 3]}',
            '{"type": "Point"}',
            '{"type": "Topology", "objects": {}, "arcs": [], "transform": {"scale": [1, 1], "translate": [0, 0]}}',
        ],
    ),
    (
        "array-lengths",
        {"type": "array", "constraints": {"minLength": 1, "maxLength": 2}},
        {},
        ['["a"]', '["a", "b", "c"]', "[]", '{"a": 1}', "a,b", "[1, [2]]"],
    ),
    (
        "object-lengths",
        {"type": "object", "constraints": {"maxLength": 1}},
        {},
        ['{"a": 1}', '{"a": 1, "b": 2}', "[1]", "a=1", "{}"],
    ),
    ("any-enum", {"type": "any", "constraints": {"enum": ["a", "b"]}}, {}, ["a", "c", "A"]),
    (
        "schema-missing-values",
        {"type": "number", "constraints": {"required": True}},
        {"missingValues": ["", "NA", "NaN"]},
        ["NA", "NaN", "nan", "", "1"],
    ),
]


def _csv_verdicts(tmp_path: Path, schema: Dict[str, Any], cells: List[str]) -> Dict[int, Tuple[Any, ...]]:
    """Validate a two-column CSV (id, value) with frictionless, return the verdict of each value."""
    path = tmp_path / "data.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "value"])
        for index, cell in enumerate(cells):
            writer.writerow([index, cell])
    resource = Resource(
        path=path.name,
        basepath=str(tmp_path),
        schema=Schema.from_descriptor(schema),
        dialect=Dialect(controls=[CsvControl(delimiter=",")]),
        encoding="utf-8",
    )
    report = resource.validate(limit_errors=100_000)
    results: Dict[int, Tuple[Any, ...]] = dict.fromkeys(range(len(cells)), ("ok",))
    for task in report.tasks:
        for error in task.errors:
            row = getattr(error, "row_number", None)
            assert row is not None, f"unexpected frictionless error: {error.type} {error.note}"
            assert getattr(error, "field_name", "value") == "value", error.note
            index = row - 2
            if error.type == "type-error":
                results[index] = ("type-error",)
            elif error.type == "constraint-error":
                name = re.match(r'constraint "(\w+)"', error.note).group(1)
                previous = results[index]
                seen = previous[1] if previous[0] == "constraint-error" else frozenset()
                results[index] = ("constraint-error", seen | {name})
            else:
                raise AssertionError(f"unexpected frictionless error: {error.type} {error.note}")
    return results


def _assert_agreement(tmp_path: Path, descriptor: Dict[str, Any], extra: Dict[str, Any], cells: List[str]) -> None:
    field = dict(descriptor, name="value")
    schema = {"fields": [{"name": "id", "type": "integer"}, field], **extra}
    expected = _csv_verdicts(tmp_path, schema, cells)
    checker = ValueChecker(parse_schema(json.loads(json.dumps(schema))).fields[1])
    mismatches = []
    for index, cell in enumerate(cells):
        ours = verdict(checker.check(cell))
        if ours != expected[index]:
            mismatches.append((cell, ours, expected[index]))
    assert not mismatches, "value, ours, frictionless: " + repr(mismatches)


@needs_frictionless
@pytest.mark.parametrize("case_id, descriptor, extra, cells", AGREEMENT_CASES, ids=[c[0] for c in AGREEMENT_CASES])
def test_agreement_with_frictionless(tmp_path, case_id, descriptor, extra, cells):
    _assert_agreement(tmp_path, descriptor, extra, cells)


@needs_frictionless
def test_exclusive_bounds_agree_with_frictionless_field_reader():
    # frictionless refuses exclusive bounds in a v1 schema file, so compare with its cell reader directly.
    descriptor = {"name": "value", "type": "number", "constraints": {"exclusiveMinimum": 0, "exclusiveMaximum": "10"}}
    reader = frictionless.Field.from_descriptor(dict(descriptor)).create_cell_reader()
    checker = ValueChecker(parse_schema({"fields": [descriptor]}).fields[0])
    for cell in ["0", "0.001", "5", "10", "9.999", "-1", "NaN", "x"]:
        _, notes = reader(cell)
        expected = (
            ("ok",) if not notes else ("type-error",) if "type" in notes else ("constraint-error", frozenset(notes))
        )
        assert verdict(checker.check(cell)) == expected, cell


# Fields of real SCDL schemas, with values agents write.
REAL_FIELDS = [
    ("stationnement/0.1.5", "Xlong", ["2.35", "-61.5", "181", "2,35", "652000", ""]),
    ("stationnement/0.1.5", "Ylat", ["48.85", "91", "-21.1", "6862000", "abc"]),
    (
        "stationnement/0.1.5",
        "gratuit",
        ["true", "false", "oui", "non", "Oui", "1", "0", "vrai", "VRAI", "faux", "vRai"],
    ),
    ("irve-statique/2.3.1", "coordonneesXY", ["[2.35, 48.85]", "[48.85, 2.35]", "[2.35,48.85]", "2.35, 48.85", ""]),
    ("irve-statique/2.3.1", "date_mise_en_service", ["2021-03-12", "12/03/2021", "2021-3-12", ""]),
    ("irve-statique/2.3.1", "puissance_nominale", ["22", "22.5", "7,4", "-1", "0"]),
    (
        "irve-statique/2.3.1",
        "id_pdc_itinerance",
        ["FRA68E680210015", "FRA68P68021001", "fra68e680210015", "Non concerné"],
    ),
    ("subventions/2.1.1", "dateConvention", ["2021-03-12", "12/03/2021", "2021-02-30", ""]),
    ("subventions/2.1.1", "notificationUE", ["oui", "non", "Oui", "true", "false", ""]),
    ("subventions/2.1.1", "pourcentageSubvention", ["0.5", "1", "50", "0,5", "-0.1"]),
    ("subventions/2.1.1", "montant", ["1500", "1500.50", "1 500", "1500,50", "-3"]),
    ("subventions/2.1.1", "idBeneficiaire", ["21380185500015", "2138018550001", "abc"]),
]


def _real_schema(slug: str) -> Dict[str, Any]:
    if not SCDL_DIR.is_dir():
        pytest.skip(f"reference material not found at {SCDL_DIR} (../shared is absent on this machine)")
    path = SCDL_DIR / slug / "schema.json"
    if not path.is_file():
        candidates = sorted((SCDL_DIR / slug).glob("*.json"))
        if not candidates:
            pytest.skip(f"no schema file in {SCDL_DIR / slug}")
        path = candidates[0]
    return json.loads(path.read_text(encoding="utf-8"))


@needs_frictionless
@pytest.mark.shared
@pytest.mark.parametrize("slug, name, cells", REAL_FIELDS, ids=[f"{s}:{n}" for s, n, _ in REAL_FIELDS])
def test_agreement_on_real_schema_fields(tmp_path, slug, name, cells):
    data = _real_schema(slug)
    descriptors = [f for f in data["fields"] if f.get("name") == name]
    if not descriptors:
        pytest.skip(f"field {name} not in {slug}")
    descriptor = {k: v for k, v in descriptors[0].items() if k != "name"}
    extra = {"missingValues": data["missingValues"]} if "missingValues" in data else {}
    _assert_agreement(tmp_path, descriptor, extra, cells)


@pytest.mark.shared
def test_every_real_schema_field_builds_a_quiet_checker():
    if not SCDL_DIR.is_dir():
        pytest.skip(f"reference material not found at {SCDL_DIR} (../shared is absent on this machine)")
    count = 0
    for path in sorted(SCDL_DIR.glob("*/*/*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if not isinstance(data, dict) or not isinstance(data.get("fields"), list):
            continue
        for field in parse_schema(data, str(path)).fields:
            checker = ValueChecker(field)
            assert checker.warnings == [], (path, field.name, checker.warnings)
            if field.example not in (None, ""):
                checker.check(field.example)
            count += 1
    assert count > 300
