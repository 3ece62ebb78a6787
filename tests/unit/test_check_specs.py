"""Each custom check is one spec (issue 16, item 4): the builder, the finding registry and the columnar
engine's pre-filter read it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import numpy as np
import pytest

from opendata_publisher.core.checks import custom
from opendata_publisher.core.checks.custom import (
    CHECK_EVERY_VALUE,
    CUSTOM_CHECKS,
    DEPRECATED_NAMES,
    KNOWN_CHECKS,
    ROW,
    SYNONYMS,
    VALUE,
    CustomCheckSpec,
    build_custom_checks,
    check_siren,
    check_siret,
    vectorised_prefilter,
    with_luhn_key,
)
from opendata_publisher.core.checks.registry import describe
from opendata_publisher.core.schema.model import parse_schema


def _schema(custom_checks):
    return parse_schema(
        {
            "fields": [
                {"name": "siret", "type": "string"},
                {"name": "debut", "type": "integer"},
                {"name": "fin", "type": "integer"},
            ],
            "custom_checks": custom_checks,
        }
    )


def test_every_spec_is_known_registered_and_built_from_its_names():
    assert tuple(spec.name for spec in CUSTOM_CHECKS) == KNOWN_CHECKS
    assert len(set(KNOWN_CHECKS)) == len(KNOWN_CHECKS)
    for spec in CUSTOM_CHECKS:
        assert spec.kind in (VALUE, ROW)
        if spec.title:
            info = describe(spec.name)
            assert (info.title, info.help, info.severity, info.family) == (
                spec.title,
                spec.help,
                spec.severity,
                "custom",
            )
        for old in spec.former_names:
            assert DEPRECATED_NAMES[old] == spec.name
        for other in spec.synonyms:
            assert SYNONYMS[other] == spec.name


def test_a_former_name_builds_the_same_check_with_a_note():
    built = build_custom_checks(_schema([{"name": "french-siret-value", "params": {"column": "siret"}}]))
    assert built.value_checks == {"siret": [check_siret]}
    assert [n.code for n in built.notes] == ["deprecated-custom-check"]
    rows = build_custom_checks(
        _schema([{"name": "compare-columns-value", "params": {"column": "debut", "column2": "fin", "op": "<="}}])
    )
    assert [(r.name, r.fields) for r in rows.row_checks] == [("compare-columns-value", ["debut", "fin"])]


def test_the_prefilter_belongs_to_the_check_itself_not_to_its_function_name():
    assert vectorised_prefilter(check_siret) is not None and vectorised_prefilter(check_siren) is not None

    def homonym(value):  # another check that happens to have the same function name
        return None

    homonym.__name__ = "check_siret"
    assert vectorised_prefilter(homonym) is None
    assert not hasattr(custom, "_SIMPLE_VALUE_CHECKS")


def test_the_siret_prefilter_clears_only_values_the_full_check_accepts():
    good = with_luhn_key("2192004410001")
    la_poste = "35600000000048"
    values = [good, "21920044100019", la_poste, "1234", with_luhn_key("21920044")]
    uniques = np.array([v.encode() for v in values])
    cleared = vectorised_prefilter(custom.check_siret)(np, uniques)
    for value, ok in zip(values, cleared):
        if ok:
            assert check_siret(value) is None, value
    assert list(cleared) == [True, False, False, False, False]


def test_adding_a_spec_is_enough_every_spec_is_registered_built_and_says_its_prefilter():
    # everything the builder, the registry and the columnar engine know of a check comes from its spec
    schema = parse_schema(
        {
            "fields": [{"name": name, "type": "string"} for name in ("siret", "autre", "total", "a")],
            "custom_checks": [],
        }
    )
    params = {
        VALUE: {"column": "siret"},
        ROW: {"column": "siret", "column1": "siret", "column2": "autre", "op": "<", "othercolumns": ["autre"]},
    }
    for spec in CUSTOM_CHECKS:
        assert describe(spec.name).code == spec.name  # a registry entry (its own, or the codes it emits)
        schema.custom_checks = [{"name": spec.name, "params": dict(params[spec.kind], columns=["a", "total"])}]
        built = build_custom_checks(schema)
        assert not built.notes, (spec.name, [n.message for n in built.notes])
        if spec.kind == VALUE:
            assert callable(spec.prefilter) or spec.prefilter is CHECK_EVERY_VALUE, spec.name
            assert not built.row_checks and len(built.value_checks["siret"]) == 1
            check = built.value_checks["siret"][0]
            declared = spec.prefilter if callable(spec.prefilter) else None
            assert vectorised_prefilter(check) is declared, spec.name
        else:
            assert spec.prefilter is None and spec.value_check is None
            assert not built.value_checks and [r.name for r in built.row_checks] == [spec.name]
            assert built.row_checks[0].on_blank_rows is spec.on_blank_rows


def test_a_spec_must_say_how_the_fast_engine_treats_it():
    def build(builder, name, params):
        return None

    with pytest.raises(ValueError, match="prefilter"):
        CustomCheckSpec("nouveau-controle", VALUE, build, "Titre", "Aide")
    with pytest.raises(ValueError, match="ROW spec"):
        CustomCheckSpec("nouveau-controle", ROW, build, "Titre", "Aide", prefilter=CHECK_EVERY_VALUE)
    with pytest.raises(ValueError, match="blank rows"):
        CustomCheckSpec("nouveau-controle", VALUE, build, prefilter=CHECK_EVERY_VALUE, on_blank_rows=True)
    assert CustomCheckSpec("nouveau-controle", VALUE, build, prefilter=CHECK_EVERY_VALUE).name == "nouveau-controle"


def test_only_one_of_required_runs_on_blank_rows_as_in_validata():
    assert [spec.name for spec in CUSTOM_CHECKS if spec.on_blank_rows] == ["one-of-required"]


# --------------------------------------------------------------------------- conform fixes


def test_each_value_fix_says_when_it_applies_and_carries_its_repair():
    from opendata_publisher.core.conform import fixes as fx
    from opendata_publisher.core.conform.pipeline import FieldPlan
    from opendata_publisher.core.conform.steps import STEPS, VALUE

    known = {info.id for info in fx.FIXES}
    assert {step.fix_id for step in STEPS if step.stage == VALUE} <= known
    schema = parse_schema(
        {
            "fields": [
                {"name": "date", "type": "date"},
                {"name": "montant", "type": "number"},
                {"name": "ouvert", "type": "boolean", "trueValues": ["oui"], "falseValues": ["non"]},
                {"name": "type", "type": "string", "constraints": {"enum": ["Aérien", "Souterrain"]}},
            ]
        }
    )
    everything = {info.id for info in fx.FIXES}
    plans = {d.name: FieldPlan(d, d.name, []) for d in schema.fields}
    assert [c[0] for c in plans["date"].candidates(everything)] == [fx.DATES]
    assert [c[0] for c in plans["type"].candidates(everything)] == [fx.ENUMS, fx.FORMATS]
    assert plans["date"].candidates(everything - {fx.DATES}) == []
    assert plans["date"].repair("24/06/2019", everything)[0] == datetime.date(2019, 6, 24)
    assert plans["montant"].repair("1 234,5", everything) == (
        Decimal("1234.5"),
        [(fx.NUMBERS, "1 234,5", Decimal("1234.5"))],
    )
    assert plans["ouvert"].repair("Oui", everything)[0] is True
    assert plans["type"].repair("aerien ", everything) == (
        "Aérien",
        [(fx.TRIM, "aerien ", "aerien"), (fx.ENUMS, "aerien", "Aérien")],
    )


def test_value_keys_never_confuse_two_whole_numbers_and_match_python_equality():
    from decimal import Decimal

    from opendata_publisher.core.validation.keys import NeverEqual, comparable, value_key

    numbers = list(range(-5000, 5000)) + [2**61 - 1 + n for n in range(-3, 3)] + [-(2**63), 2**63 - 1]
    assert len({value_key(n) for n in numbers}) == len(numbers)
    assert value_key(7) == value_key(7.0) == value_key(Decimal("7.00")) == value_key(True and 7)
    assert value_key(0.0) == value_key(-0.0) == value_key(0)
    assert value_key(0.5) == value_key(Decimal("0.5")) and value_key(0.1) == value_key(0.1)
    assert value_key((-1, "a")) != value_key((-2, "a")) and value_key((1, "a")) == value_key((1.0, "a"))
    assert all(-(2**63) <= value_key(v) < 2**63 for v in [*numbers, "é", (1, 2), 1e300, 10**30])
    nan = comparable(float("nan"))
    assert isinstance(nan, NeverEqual) and nan != comparable(Decimal("NaN")) and comparable(3) == 3


def test_whole_number_keys_at_once_are_the_keys_one_by_one():
    import random

    import numpy as np

    from opendata_publisher.core.validation.keys import value_key, whole_number_keys

    rng = random.Random(7)
    values = [rng.randrange(-(2**63), 2**63) for _ in range(5000)] + [-1, -2, 0, 2**61 - 1, -(2**63), 2**63 - 1]
    assert whole_number_keys(np, values).tolist() == [value_key(v) for v in values]
    assert whole_number_keys(np, [1, 2**64]) is None and whole_number_keys(np, [1, "2"]) is None
