"""Validata custom checks built from a schema's ``custom_checks``."""

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from opendata_publisher.core.checks.custom import (
    CustomCheckSet,
    RowCheck,
    build_custom_checks,
    check_code_commune_insee,
    check_code_postal,
    check_nomenclature_acte,
    check_phone_number,
    check_siren,
    check_siret,
    phone_number_kind,
)
from opendata_publisher.core.checks.finding import INFO, WARNING
from opendata_publisher.core.schema.model import parse_schema

SCDL = Path(__file__).resolve().parents[2].parent / "shared" / "scdl"


def needs_scdl() -> Path:
    if not SCDL.is_dir():
        pytest.skip(f"reference schemas not found at {SCDL} (../shared is absent on this machine)")
    return SCDL


def make_schema(fields, checks):
    data = {"fields": [f if isinstance(f, dict) else {"name": f} for f in fields], "custom_checks": checks}
    return parse_schema(data)


def build(fields, *checks) -> CustomCheckSet:
    return build_custom_checks(make_schema(fields, list(checks)))


def run_value(checks: CustomCheckSet, field, value):
    return [p for check in checks.value_checks.get(field, []) for p in [check(value)] if p is not None]


def only_row_check(checks: CustomCheckSet) -> RowCheck:
    assert len(checks.row_checks) == 1
    return checks.row_checks[0]


# --- SIRET / SIREN ------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "21920044100018",  # stationnement valid example
        "52499120500013",  # subventions valid example
        "13001653800014",  # DAE schema example
        21920044100018,  # native integer from a numeric layer field
        21920044100018.0,
        Decimal("21920044100018"),
        "35600000049837",  # La Poste: Luhn fails, digit sum multiple of 5
    ],
)
def test_siret_valid(value):
    assert check_siret(value) is None


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("123", "doit compter 14 chiffres (il en compte 3)"),
        ("80295478500028", "clé de contrôle"),  # stationnement invalid example
        ("21860194600000", "clé de contrôle"),  # subventions invalid example
        ("35600000012345", "clé de contrôle"),  # La Poste prefix, digit sum not a multiple of 5
        ("219 200 441 00016", "espaces"),  # wrong key: the layout is the lesser problem
        ("2192004410001A", "14 chiffres"),
        ("217500016", "doit compter 14 chiffres"),
        (2192004410001, "compte 13 chiffres au lieu de 14"),
    ],
)
def test_siret_invalid(value, words):
    problem = check_siret(value)
    assert problem is not None
    assert problem.code == "siret"
    assert words in problem.message
    assert problem.hint


def test_siret_hints_say_what_to_do():
    assert "annuaire-entreprises.data.gouv.fr" in check_siret("123").hint
    assert "21920044100018" in check_siret("219 200 441 00018").hint
    assert "zéro" in check_siret(2192004410001).hint
    assert "SIREN" in check_siret("217500016").hint


@pytest.mark.parametrize("value", ["217602176", "576578587", "225300011", "130016538", 217500016])
def test_siren_valid(value):
    assert check_siren(value) is None


@pytest.mark.parametrize("value", ["123456789", "21750001", "2175000161", "21920044100018", 21750001])
def test_siren_invalid(value):
    problem = check_siren(value)
    assert problem is not None and problem.code == "siren"


def test_siren_given_a_siret_suggests_the_first_nine_digits():
    assert "219200441" in check_siren("21920044100018").hint


# --- code postal / INSEE ----------------------------------------------------------


@pytest.mark.parametrize("value", ["35000", "01000", "20000", "75350", "97400", "97133", "97150", "98800", "98000"])
def test_code_postal_valid(value):
    assert check_code_postal(value) is None


@pytest.mark.parametrize("value", ["3500", "350000", "00100", "96000", "99999", "97900", "35 000", "Rennes", 1000])
def test_code_postal_invalid(value):
    problem = check_code_postal(value)
    assert problem is not None and problem.code == "code-postal"


def test_code_postal_lost_leading_zero():
    assert "zéro initial" in check_code_postal(1000).hint


@pytest.mark.parametrize("value", ["35238", "01004", "2A004", "2B033", "75056", "75101", "97411", "97611", 35238])
def test_code_commune_valid(value):
    assert check_code_commune_insee(value) is None


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("20004", "2A ou 2B"),
        ("2a004", "majuscules"),
        ("3523", "5 caractères"),
        ("Rennes", "5 caractères"),
        ("00123", "n'existe pas"),
        ("96001", "n'existe pas"),
        ("35000", "n'existe pas"),
        (1004, "4 chiffres"),
    ],
)
def test_code_commune_invalid(value, words):
    problem = check_code_commune_insee(value)
    assert problem is not None and problem.code == "code-commune-insee"
    assert words in problem.message


# --- phone numbers ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("0476544254", "fixe"),
        ("04 76 54 42 54", "fixe"),
        ("04.76.54.42.54", "fixe"),
        ("04-76-54-42-54", "fixe"),
        ("+33 4 76 54 42 54", "fixe"),
        ("+33 (0)4 76 54 42 54", "fixe"),
        ("0033476544254", "fixe"),
        ("06 12 34 56 78", "mobile"),
        ("+33 7 12 34 56 78", "mobile"),
        ("0 800 123 456", "special"),
        ("15", "court"),
        ("112", "court"),
        ("3939", "court"),
        ("116000", "court"),
        ("+262 262 12 34 56", "outre-mer"),
        ("+590 590 12 34 56", "outre-mer"),
        ("+44 20 7946 0958", "international"),
        ("+1 212 555 0100", "international"),
    ],
)
def test_phone_valid(value, kind):
    assert phone_number_kind(value) == kind
    assert check_phone_number(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "476544254",
        476544254,
        "12345",
        "00 00 00 00 00",
        "tel: 04 76",
        "04 76 54 42 5",
        "+33 4 76",
        "+123",
        "0476544254 ou 0612",
    ],
)
def test_phone_invalid(value):
    problem = check_phone_number(value)
    assert problem is not None and problem.code == "phone-number-value"
    assert problem.hint


def test_phone_missing_zero_message():
    problem = check_phone_number(476544254)  # stations-taxi invalid example, read as a number
    assert "9 chiffres" in problem.message and "zéro initial" in problem.hint


# --- nomenclature ACTES -------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "Urbanisme/Documents d'urbanisme",
        "domaines de compétences par thèmes/aménagement du territoire",
        "DOMAINES DE COMPETENCES PAR THEMES/Aménagement du territoire",
        "Finances locales/Décisions budgétaires",
        "Commande publique/Marchés publics",
    ],
)
def test_nomenclature_acte_valid(value):
    assert check_nomenclature_acte(value) is None


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("Urbanisme", "barre oblique"),
        ("Voirie/Entretien", "n'est pas une matière"),
        ("Urbanisme / Documents d'urbanisme", "espaces"),
        ("'domaines de compétences par thèmes/aménagement du territoire", "n'est pas une matière"),
    ],
)
def test_nomenclature_acte_invalid(value, words):
    problem = check_nomenclature_acte(value)
    assert problem is not None and problem.code == "nomenclature-acte"
    assert words in problem.message
    assert "Urbanisme" in problem.hint or "oblique" in problem.hint


# --- building from a schema -----------------------------------------------------------


def test_value_checks_by_field_and_codes():
    checks = build(
        ["siret", "siren", "cp", "insee", "tel", "horaires", "matiere"],
        {"name": "siret", "params": {"column": "siret"}},
        {"name": "siren", "params": {"column": "siren"}},
        {"name": "code-postal", "params": {"column": "cp"}},
        {"name": "code-commune-insee", "params": {"column": "insee"}},
        {"name": "phone-number-value", "params": {"column": "tel"}},
        {"name": "opening-hours-value", "params": {"column": "horaires"}},
        {"name": "nomenclature-acte", "params": {"column": "matiere"}},
    )
    assert checks.notes == []
    assert checks.row_checks == []
    bad = {
        "siret": ("123", "siret"),
        "siren": ("123", "siren"),
        "cp": ("1", "code-postal"),
        "insee": ("1", "code-commune-insee"),
        "tel": ("1", "phone-number-value"),
        "horaires": ("true", "opening-hours-value"),
        "matiere": ("x", "nomenclature-acte"),
    }
    for field, (value, code) in bad.items():
        problems = run_value(checks, field, value)
        assert [p.code for p in problems] == [code], field
        assert problems[0].message and problems[0].hint
    assert run_value(checks, "horaires", "Mo-Fr 08:00-12:00") == []


def test_opening_hours_message_explains_position():
    checks = build(["horaires"], {"name": "opening-hours-value", "params": {"column": "horaires"}})
    (problem,) = run_value(checks, "horaires", "Mo-Fr 8:00-12:00")
    assert "caractère 7" in problem.message
    assert "Mo-Fr 08:00-12:00" in problem.hint


def test_deprecated_names_are_accepted_with_one_info_note():
    checks = build(
        ["a", "b", "c", "m"],
        {"name": "french-siret-value", "params": {"column": "a"}},
        {"name": "french-siret-value", "params": {"column": "b"}},
        {"name": "french-siren-value", "params": {"column": "c"}},
        {"name": "nomenclature-actes-value", "params": {"column": "m"}},
    )
    assert [p.code for p in run_value(checks, "a", "123")] == ["siret"]
    assert [p.code for p in run_value(checks, "b", "123")] == ["siret"]
    assert [p.code for p in run_value(checks, "c", "123")] == ["siren"]
    assert [p.code for p in run_value(checks, "m", "x")] == ["nomenclature-acte"]
    assert len(checks.notes) == 3
    assert {n.severity for n in checks.notes} == {INFO}
    assert {n.code for n in checks.notes} == {"deprecated-custom-check"}
    siret_note = next(n for n in checks.notes if n.extra["check"] == "french-siret-value")
    assert "« siret »" in siret_note.message and "2 fois" in siret_note.message


@pytest.mark.parametrize(
    "entry",
    [
        {"name": "no-such-check", "params": {"column": "a"}},
        {"name": "commune", "params": {"column": "a", "cog": 2024}},  # frformat check needing the COG
        {"params": {"column": "a"}},
        {"name": ""},
        "siret",
    ],
)
def test_unknown_or_nameless_checks_are_skipped_with_a_warning(entry):
    schema = parse_schema({"fields": [{"name": "a"}]})
    schema.custom_checks = [entry]  # bypass parse_schema's own filtering of non-objects
    checks = build_custom_checks(schema)
    assert checks.value_checks == {} and checks.row_checks == []
    assert len(checks.notes) == 1
    note = checks.notes[0]
    assert note.code == "check-error" and note.severity == WARNING
    assert note.message and note.hint


def test_unknown_check_message_names_it():
    checks = build(["a"], {"name": "no-such-check", "params": {"column": "a"}})
    assert "« no-such-check »" in checks.notes[0].message
    assert "inconnu" in checks.notes[0].message


@pytest.mark.parametrize(
    "entry",
    [
        {"name": "siret"},
        {"name": "siret", "params": {"column": "nope"}},
        {"name": "siret", "params": "a"},
        {"name": "siret", "params": {"column": 3}},
        {"name": "compare-columns-value", "params": {"column": "a", "column2": "b", "op": "!="}},
        {"name": "compare-columns-value", "params": {"column": "a", "op": "<"}},
        {"name": "cohesive-columns-value", "params": {"column": "a", "othercolumns": 5}},
        {"name": "sum-columns-value", "params": {"column": "a", "columns": ["b", "zz"]}},
        {"name": "one-of-required", "params": {"column1": "a"}},
    ],
)
def test_bad_params_give_a_warning_not_an_exception(entry):
    checks = build(["a", "b"], entry)
    assert checks.value_checks == {} and checks.row_checks == []
    assert len(checks.notes) == 1
    assert checks.notes[0].code == "check-error" and checks.notes[0].severity == WARNING
    assert "ne peut pas être fait" in checks.notes[0].message


def test_bad_check_does_not_stop_the_good_ones():
    checks = build(
        ["a", "b"],
        {"name": "siret", "params": {"column": "missing"}},
        {"name": "whatever"},
        {"name": "siren", "params": {"column": "b"}},
    )
    assert list(checks.value_checks) == ["b"]
    assert len(checks.notes) == 2


def test_column_name_matched_case_insensitively():
    checks = build(["COLL_SIRET"], {"name": "siret", "params": {"column": "coll_siret"}})
    assert list(checks.value_checks) == ["COLL_SIRET"]
    assert checks.notes == []


# --- year interval ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("allow", "value", "ok"),
    [
        ("yes", "2017/2018", True),
        ("yes", "2017/2017", True),
        ("yes", "2017", True),
        ("yes", 2017, True),
        ("yes", "2018/2017", False),
        ("yes", "2017-2018", False),
        ("yes", "17/18", False),
        ("yes", "2017/2018/2019", False),
        (None, "2017/2018", True),
        (None, "2017", False),
        ("no", "2017", False),
        (True, "2017", True),
    ],
)
def test_year_interval(allow, value, ok):
    params = {"column": "BUDGET_ANNEE"}
    if allow is not None:
        params["allow-year-only"] = allow
    checks = build(["BUDGET_ANNEE"], {"name": "year-interval-value", "params": params})
    problems = run_value(checks, "BUDGET_ANNEE", value)
    assert (problems == []) is ok
    assert all(p.code == "year-interval-value" for p in problems)


def test_year_interval_accepts_underscore_param():
    checks = build(["y"], {"name": "year-interval-value", "params": {"column": "y", "allow_year_only": True}})
    assert run_value(checks, "y", "2020") == []


def test_reversed_interval_hint_gives_the_fix():
    checks = build(["y"], {"name": "year-interval-value", "params": {"column": "y"}})
    (problem,) = run_value(checks, "y", "2019/2017")
    assert "2017/2019" in problem.hint


# --- cohesive columns -------------------------------------------------------------------

VOTES = ["VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION"]


def cohesive():
    return only_row_check(
        build(
            VOTES,
            {"name": "cohesive-columns-value", "params": {"column": "VOTE_EFFECTIF", "othercolumns": VOTES[1:]}},
        )
    )


def test_cohesive_all_filled_or_all_empty():
    check = cohesive()
    assert check.name == "cohesive-columns-value"
    assert check.fields == VOTES
    assert check.check(dict(zip(VOTES, [43, 40, 30, 5, 5]))) == []
    assert check.check(dict.fromkeys(VOTES)) == []
    assert check.check(dict.fromkeys(VOTES, "")) == []


def test_cohesive_partly_filled():
    check = cohesive()
    row = dict(zip(VOTES, [43, 40, None, 5, 5]))
    ((field, problem),) = check.check(row)
    assert field == "VOTE_EFFECTIF"
    assert problem.code == "cohesive-columns-value"
    assert "« VOTE_POUR » est vide" in problem.message
    assert problem.hint


def test_cohesive_only_considers_columns_present_in_the_layer():
    check = cohesive()
    assert check.check({"VOTE_EFFECTIF": 43, "VOTE_REEL": 40}) == []
    assert check.check({"VOTE_EFFECTIF": 43}) == []
    assert len(check.check({"VOTE_EFFECTIF": 43, "VOTE_REEL": None})) == 1


# --- compare columns ------------------------------------------------------------------


def compare(op, a="A", b="B"):
    return only_row_check(
        build([a, b], {"name": "compare-columns-value", "params": {"column": a, "column2": b, "op": op}})
    )


@pytest.mark.parametrize(
    ("op", "a", "b", "ok"),
    [
        (">=", 40, 30, True),
        (">=", 30, 30, True),
        (">=", 30, 40, False),
        (">", 30, 30, False),
        ("<", 1, 2, True),
        ("<", 2, 1, False),
        ("<=", 2, 2, True),
        ("==", 2, 2.0, True),
        ("==", Decimal("2.5"), 2.5, True),
        ("==", 2, 3, False),
        (">=", dt.date(2017, 2, 3), dt.date(2017, 1, 1), True),
        (">=", dt.date(2017, 1, 1), dt.date(2017, 2, 3), False),
        (">=", "2017-01-01", "2017-02-03", False),
        (">=", "10", "9", True),  # numbers in text compare as numbers
        (">=", dt.datetime(2017, 1, 1, 12), dt.date(2017, 1, 1), True),
    ],
)
def test_compare(op, a, b, ok):
    problems = compare(op).check({"A": a, "B": b})
    assert (problems == []) is ok
    for field, problem in problems:
        assert field == "A"
        assert problem.code == "compare-columns-value"


@pytest.mark.parametrize(
    "row",
    [
        {"A": None, "B": 3},
        {"A": 3, "B": None},
        {"A": 3},
        {},
        {"A": "abc", "B": 3},  # failed its type check: the type error is enough
        {"A": True, "B": 3},
        {"A": dt.date(2017, 1, 1), "B": 3},
    ],
)
def test_compare_skips_missing_or_incomparable(row):
    assert compare("<").check(row) == []


def test_compare_message_reads_well_for_dates():
    check = compare(">=", "PREF_DATE", "DELIB_DATE")
    ((field, problem),) = check.check({"PREF_DATE": dt.date(2017, 1, 1), "DELIB_DATE": dt.date(2017, 2, 3)})
    assert field == "PREF_DATE"
    assert "postérieur ou égal à" in problem.message
    assert "2017-01-01" in problem.message and "2017-02-03" in problem.message


# --- sum columns --------------------------------------------------------------------------


def summation():
    return only_row_check(
        build(
            VOTES,
            {"name": "sum-columns-value", "params": {"column": "VOTE_REEL", "columns": VOTES[2:]}},
        )
    )


def test_sum_ok_and_wrong():
    check = summation()
    assert check.fields == ["VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION"]
    assert check.check({"VOTE_REEL": 40, "VOTE_POUR": 30, "VOTE_CONTRE": 5, "VOTE_ABSTENTION": 5}) == []
    ((field, problem),) = check.check({"VOTE_REEL": 41, "VOTE_POUR": 30, "VOTE_CONTRE": 5, "VOTE_ABSTENTION": 5})
    assert field == "VOTE_REEL"
    assert problem.code == "sum-columns-value"
    assert "41" in problem.message and "fait 40" in problem.message


def test_sum_float_tolerance_and_decimals():
    check = only_row_check(
        build(["t", "a", "b"], {"name": "sum-columns-value", "params": {"column": "t", "columns": ["a", "b"]}})
    )
    assert check.check({"t": 0.3, "a": 0.1, "b": 0.2}) == []
    assert check.check({"t": Decimal("0.3"), "a": Decimal("0.1"), "b": Decimal("0.2")}) == []
    assert check.check({"t": "0.3", "a": "0.1", "b": "0.2"}) == []
    assert len(check.check({"t": 0.31, "a": 0.1, "b": 0.2})) == 1


@pytest.mark.parametrize(
    "row",
    [
        {"VOTE_REEL": None, "VOTE_POUR": 30, "VOTE_CONTRE": 5, "VOTE_ABSTENTION": 5},
        {"VOTE_REEL": 40, "VOTE_POUR": 30, "VOTE_CONTRE": None, "VOTE_ABSTENTION": 5},
        {"VOTE_REEL": 40, "VOTE_POUR": 30, "VOTE_CONTRE": 5},
        {"VOTE_REEL": "abc", "VOTE_POUR": 30, "VOTE_CONTRE": 5, "VOTE_ABSTENTION": 5},
    ],
)
def test_sum_skips_missing(row):
    assert summation().check(row) == []


# --- one of required ------------------------------------------------------------------------


def one_of():
    return only_row_check(
        build(
            ["idBeneficiaire", "rnaBeneficiaire"],
            {"name": "one-of-required", "params": {"column1": "idBeneficiaire", "column2": "rnaBeneficiaire"}},
        )
    )


def test_one_of_required():
    check = one_of()
    assert check.check({"idBeneficiaire": "52499120500013", "rnaBeneficiaire": None}) == []
    assert check.check({"idBeneficiaire": None, "rnaBeneficiaire": "W333216789"}) == []
    assert check.check({"rnaBeneficiaire": "W333216789"}) == []
    ((field, problem),) = check.check({"idBeneficiaire": None, "rnaBeneficiaire": ""})
    assert field == "idBeneficiaire" and problem.code == "one-of-required"
    ((field, _p),) = check.check({"rnaBeneficiaire": None})
    assert field == "rnaBeneficiaire"


def test_one_of_required_both_columns_absent_is_an_error():
    ((field, problem),) = one_of().check({})
    assert field == "idBeneficiaire"
    assert problem.severity == "error"
    assert "manquent toutes les deux" in problem.message


# --- french-gps-coordinates -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["french-gps-coordinates", "coordonnees-gps-francaises"])
def test_french_gps_coordinates(name):
    checks = build(
        [{"name": "geopoint", "type": "geopoint"}],
        {"name": name, "params": {"column": "geopoint"}},
    )
    assert checks.notes == []
    assert run_value(checks, "geopoint", "5.7118754, 45.1800016") == []
    assert run_value(checks, "geopoint", (5.71, 45.18)) == []
    assert [p.code for p in run_value(checks, "geopoint", "45.1800016, 5.7118754")] == [
        "reversed-french-gps-coordinates"
    ]
    assert [p.code for p in run_value(checks, "geopoint", "[-74.0, 40.7]")] == ["french-gps-coordinates"]
    assert run_value(checks, "geopoint", "not a point") == []  # the type check reports it


# --- real schemas -----------------------------------------------------------------------------------


def load(rel):
    root = needs_scdl()
    return parse_schema(json.loads((root / rel / "schema.json").read_text("utf-8")), rel)


def test_every_real_custom_check_is_built_without_warnings():
    root = needs_scdl()
    seen = 0
    for path in sorted(root.glob("*/*/schema.json")):
        data = json.loads(path.read_text("utf-8"))
        if not data.get("custom_checks"):
            continue
        seen += 1
        checks = build_custom_checks(parse_schema(data, str(path)))
        warnings = [n for n in checks.notes if n.severity != INFO]
        assert warnings == [], (path, [n.message for n in warnings])
        built = sum(len(v) for v in checks.value_checks.values()) + len(checks.row_checks)
        assert built == len(data["custom_checks"]), path
    assert seen >= 12


def test_deliberations_schema():
    checks = build_custom_checks(load("deliberations/2.1.5"))
    assert set(checks.value_checks) == {"COLL_SIRET", "BUDGET_ANNEE", "DELIB_MATIERE_NOM"}
    assert [r.name for r in checks.row_checks] == [
        "cohesive-columns-value",
        "cohesive-columns-value",
        "compare-columns-value",
        "compare-columns-value",
        "compare-columns-value",
        "compare-columns-value",
        "compare-columns-value",
        "sum-columns-value",
    ]
    assert {n.extra["check"] for n in checks.notes} == {"french-siret-value", "nomenclature-actes-value"}
    # allow-year-only: "yes" in the real schema
    assert run_value(checks, "BUDGET_ANNEE", "2017") == []
    assert run_value(checks, "BUDGET_ANNEE", "2017/2018") == []
    assert run_value(checks, "DELIB_MATIERE_NOM", "domaines de compétences par thèmes/aménagement du territoire") == []
    row = {
        "VOTE_EFFECTIF": 43,
        "VOTE_REEL": 40,
        "VOTE_POUR": 30,
        "VOTE_CONTRE": 5,
        "VOTE_ABSTENTION": 5,
        "PREF_DATE": dt.date(2017, 10, 20),
        "DELIB_DATE": dt.date(2017, 10, 15),
        "BUDGET_ANNEE": None,
        "BUDGET_NOM": None,
    }
    assert [p for r in checks.row_checks for p in r.check(row)] == []
    row.update(VOTE_POUR=45, PREF_DATE=dt.date(2017, 10, 1), BUDGET_NOM="Budget annexe")
    codes = sorted(p.code for r in checks.row_checks for _f, p in r.check(row))
    assert codes == ["cohesive-columns-value", "compare-columns-value", "compare-columns-value", "sum-columns-value"]


def test_stations_taxi_phone_examples():
    root = needs_scdl()
    checks = build_custom_checks(load("stations-taxi/0.1.2"))

    def numbers(name):
        with open(root / "stations-taxi/0.1.2" / name, encoding="utf-8") as handle:
            return [r["no_appel"] for r in csv.DictReader(handle, delimiter=";") if r["no_appel"]]

    assert [p for v in numbers("exemple-valide.csv") for p in run_value(checks, "no_appel", v)] == []
    bad = [p for v in numbers("exemple-non-valide.csv") for p in run_value(checks, "no_appel", v)]
    assert [p.code for p in bad] == ["phone-number-value"]


def test_lieux_covoiturage_example_horaires_true_is_flagged():
    root = needs_scdl()
    checks = build_custom_checks(load("lieux-covoiturage/0.3.0"))
    with open(root / "lieux-covoiturage/0.3.0/exemple-valide.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [run_value(checks, "source", r["source"]) for r in rows] == [[]]
    assert [p.code for r in rows for p in run_value(checks, "horaires", r["horaires"])] == ["opening-hours-value"]


# --- issue 12: the same answers as Validata ---------------------------------------------------------


@pytest.mark.parametrize("value", ["12345678000014", "21450234500017"])
def test_class13_siret_whose_siren_key_is_wrong_is_an_error(value):
    problem = check_siret(value)
    assert problem is not None and problem.severity == "error"
    assert "SIREN" in problem.message


@pytest.mark.parametrize("value", ["732 829 320 00017", "360.504.500.49534", "７３２８２９３２００００１７"])
def test_class13_siret_validata_accepts_is_only_a_warning(value):
    problem = check_siret(value)
    assert problem is not None and problem.severity == "warning"
    assert "collés" in problem.message


def test_class13_siren_with_spaces_is_a_warning():
    assert check_siren("732 829 320").severity == "warning"
    assert check_siren("732 829 321").severity == "error"


@pytest.mark.parametrize("value", ["75001", "97701", "97123", "98735", "2B999", "01999", " 75056", "75056 "])
def test_class14_commune_codes_are_checked_against_the_cog(value):
    problem = check_code_commune_insee(value)
    assert problem is not None and problem.code == "code-commune-insee"


@pytest.mark.parametrize("value", ["75056", "75101", "13201", "69381", "2A004", "01015", "01039", "97611"])
def test_class14_cog_codes_of_every_kind_are_accepted(value):
    # communes, municipal arrondissements, delegated (01015) and associated communes, overseas départements
    assert check_code_commune_insee(value) is None


def test_class14_a_postal_code_given_for_a_commune_code_is_named():
    assert "code postal" in check_code_commune_insee("75001").hint


def test_class14_the_shipped_cog_list_is_complete():
    from opendata_publisher.core.checks.custom import cog_lists

    lists = cog_lists()
    assert 36_500 < len(lists["communes"]) < 37_500
    assert "45234" in lists["communes"] and "97701" not in lists["communes"]
    assert "45000" in lists["postaux"]


@pytest.mark.parametrize("value", [" 45000", "45000 "])
def test_class15_postal_code_with_spaces_is_an_error(value):
    problem = check_code_postal(value)
    assert problem is not None and "espace" in problem.message


@pytest.mark.parametrize("value", ["tel: 0238792222", "tel:+33238792222", "(0)2 38 79 22 22"])
def test_class15_phone_numbers_validata_reads(value):
    assert check_phone_number(value) is None


def test_class15_opening_hours_of_spaces_are_no_opening_hours():
    from opendata_publisher.core.checks.custom import check_opening_hours_value

    assert check_opening_hours_value("   ") is None
