"""The demo project (scripts/make_demo.py): what it writes, and that the check finds every planted mistake."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from qgis.core import QgsProject, QgsVectorLayer

from opendata_publisher.core import mapping as mapping_module
from opendata_publisher.core import validation
from opendata_publisher.core.schema import catalogue
from tests.conftest import PROJECT_ROOT, SCDL_DIR, require_shared

MAKE_DEMO = PROJECT_ROOT / "scripts" / "make_demo.py"
STATIONNEMENT_SCHEMA = SCDL_DIR / "stationnement" / "0.1.5" / "schema.json"


def _load_make_demo():
    spec = importlib.util.spec_from_file_location("make_demo", MAKE_DEMO)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_demo = _load_make_demo()


@pytest.fixture(scope="module")
def demo_project(qgis_app, tmp_path_factory) -> Path:
    return make_demo.build_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def loaded(demo_project):
    project = QgsProject()
    assert project.read(str(demo_project)), project.error()
    yield project
    project.clear()


def _layer(project: QgsProject, name: str) -> QgsVectorLayer:
    layers = project.mapLayersByName(name)
    assert len(layers) == 1, f"expected one layer named {name!r}, got {len(layers)}"
    return layers[0]


def _fids_by_nom(layer: QgsVectorLayer) -> dict:
    fids = {}
    for feature in layer.getFeatures():
        fids[feature["nom"] if feature["nom"] else None] = feature.id()
        if feature["id"] == make_demo.MISSING_NAME_ID:
            fids["__missing_name__"] = feature.id()
    return fids


def test_build_writes_the_geopackage_and_the_project_with_relative_paths(demo_project):
    assert demo_project.name == "demo.qgs"
    assert (demo_project.parent / "demo.gpkg").is_file()
    text = demo_project.read_text(encoding="utf-8")
    assert "./demo.gpkg|layername=parkings" in text
    assert str(demo_project.parent) not in text


def test_parkings_layer_is_valid_in_lambert93_with_its_schema_property(loaded):
    parkings = _layer(loaded, make_demo.PARKINGS_LAYER_NAME)
    assert parkings.isValid()
    assert parkings.featureCount() == len(make_demo.PARKINGS) == 41
    assert parkings.crs().authid() == "EPSG:2154"
    assert loaded.crs().authid() == "EPSG:2154"
    assert parkings.customProperty("opendata_publisher/schema") == "etalab/schema-stationnement@0.1.5"
    names = parkings.fields().names()
    assert "nb_voiture" in names and "nb_voitures_electriques" not in names
    assert "commentaire_interne" in names


def test_communes_layer_gives_context(loaded):
    communes = _layer(loaded, make_demo.COMMUNES_LAYER_NAME)
    assert communes.isValid()
    assert communes.featureCount() == 22
    assert {f["insee"] for f in communes.getFeatures()} >= {"45234", "45147", "45232", "45302"}


def test_project_opens_on_the_metropolis_not_on_null_island(loaded):
    extent = loaded.viewSettings().defaultViewExtent()
    assert extent.crs().authid() == "EPSG:2154"
    # Orléans is around x=619 000, y=6 756 000 in Lambert-93; null island is far south-west.
    assert 600_000 < extent.xMinimum() < extent.xMaximum() < 645_000
    assert 6_740_000 < extent.yMinimum() < extent.yMaximum() < 6_775_000


def test_planted_coordinates_and_geometry(loaded):
    parkings = _layer(loaded, make_demo.PARKINGS_LAYER_NAME)
    by_nom = {f["nom"]: f for f in parkings.getFeatures() if f["nom"]}
    assert by_nom[make_demo.NULL_GEOMETRY_NOM].geometry().isNull()
    assert (by_nom[make_demo.NULL_ISLAND_NOM]["Xlong"], by_nom[make_demo.NULL_ISLAND_NOM]["Ylat"]) == (0.0, 0.0)
    reversed_feature = by_nom[make_demo.REVERSED_NOM]
    assert reversed_feature["Xlong"] > 40 and reversed_feature["Ylat"] < 3
    ids = [f["id"] for f in parkings.getFeatures()]
    assert ids.count(make_demo.DUPLICATED_ID) == 2


def test_siret_helpers():
    assert make_demo.luhn_ok("73282932000074")
    assert not make_demo.luhn_ok("73282932000075")
    assert not make_demo.luhn_ok("80295478500028")  # the schema's own example fails the Luhn key
    assert make_demo.luhn_ok(make_demo.with_luhn_key("2445004680004"))


def test_build_is_idempotent(qgis_app, tmp_path):
    first = make_demo.build_demo(tmp_path)
    (tmp_path / "unrelated.txt").write_text("kept", encoding="utf-8")
    second = make_demo.build_demo(tmp_path)
    assert first == second
    assert (tmp_path / "unrelated.txt").read_text(encoding="utf-8") == "kept"
    layer = QgsVectorLayer(f"{tmp_path / 'demo.gpkg'}|layername=parkings", "p", "ogr")
    assert layer.featureCount() == 41


def test_command_line_prints_the_project_path_and_exits_0(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = tmp_path / "cli"
    result = subprocess.run(
        [sys.executable, str(MAKE_DEMO), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(out.resolve() / "demo.qgs")
    assert (out / "demo.gpkg").is_file()


# --- the check on the demo: every planted mistake is found ----------------------------------------


@pytest.fixture
def demo_report(loaded):
    require_shared()
    schema = catalogue.load_schema_file(STATIONNEMENT_SCHEMA)
    parkings = _layer(loaded, make_demo.PARKINGS_LAYER_NAME)
    report = validation.validate(validation.LayerInput.from_layer(parkings), schema)
    return parkings, schema, report


@pytest.mark.parametrize(
    "code, constraint, field, nom",
    make_demo.PLANTED,
    ids=[f"{code}-{constraint or ''}-{field or nom}" for code, constraint, field, nom in make_demo.PLANTED],
)
def test_check_finds_planted_mistake(demo_report, code, constraint, field, nom):
    parkings, _schema, report = demo_report
    fids = _fids_by_nom(parkings)
    found = [f for f in report.findings if f.code == code]
    if constraint:
        found = [f for f in found if f.constraint == constraint]
    if field:
        found = [f for f in found if f.field == field]
    if code in ("missing-label", "extra-label"):
        assert found, f"no {code} on field {field}"
        assert all(f.severity == "warning" and f.feature_id is None for f in found)
        return
    expected_fid = fids["__missing_name__"] if nom is None else fids[nom]
    assert expected_fid in {f.feature_id for f in found}, (
        f"{code}/{constraint} not reported on {nom or make_demo.MISSING_NAME_ID}: "
        + ", ".join(f"{f.full_code}@{f.feature_id}:{f.field}" for f in report.findings)
    )
    if code == "geometry-missing":  # publishable without geometry as a table: an error or a warning
        assert all(f.severity in ("error", "warning") for f in found)
    else:
        assert all(f.severity == "error" for f in found)


def test_check_reports_no_error_on_the_clean_parkings(demo_report):
    parkings, _schema, report = demo_report
    fids = _fids_by_nom(parkings)
    planted = {fids["__missing_name__"] if nom is None else fids[nom] for _c, _k, _f, nom in make_demo.PLANTED}
    planted.add(fids["PLACE D'ARC"])  # holds the other copy of the duplicated id
    unexpected = [f for f in report.findings if f.severity == "error" and f.feature_id not in planted]
    assert not unexpected, ", ".join(f"{f.full_code}@{f.feature_id}:{f.field}={f.value!r}" for f in unexpected)
    assert not report.valid
    assert report.feature_count == 41


def test_truncated_field_is_suggested_and_mapping_clears_the_missing_label(demo_report):
    parkings, schema, report = demo_report
    _mapping, suggestions = mapping_module.suggest_mapping(parkings.fields().names(), schema)
    assert ("nb_voiture", "nb_voitures_electriques") in {(s.layer_field, s.schema_field) for s in suggestions}
    mapping = mapping_module.FieldMapping(layer_to_schema={"nb_voiture": "nb_voitures_electriques"})
    mapped = validation.validate(validation.LayerInput.from_layer(parkings), schema, mapping)
    assert not [f for f in mapped.findings if f.code == "missing-label"]
    extra = [f.field for f in mapped.findings if f.code == "extra-label"]
    assert "commentaire_interne" in extra
    assert "nb_voiture" not in extra


# --- make demo: the whole promise, end to end with qgis_process -------------------------------------

RUN_DEMO = PROJECT_ROOT / "scripts" / "run_demo.py"
QGIS_PROCESS = shutil.which("qgis_process.bin") or shutil.which("qgis_process")


def test_hand_fixes_name_existing_parkings_and_give_the_true_values():
    planted = {row["nom"]: row for row in make_demo._parking_rows() if row["nom"]}
    clean = {row["nom"]: row for row in make_demo._clean_rows()}
    for fix in make_demo.hand_fixes():
        assert fix.why
        if fix.key_field == "id":
            assert fix.key_value == make_demo.MISSING_NAME_ID and fix.values == {"nom": "BARON"}
            continue
        assert fix.key_value in planted
        for name, value in fix.values.items():
            assert planted[fix.key_value][name] != value == clean[fix.key_value][name]
        if fix.lonlat is not None:
            assert planted[fix.key_value]["_lonlat"] in (None, (0.0, 0.0))
            assert fix.lonlat == clean[fix.key_value]["_lonlat"]


@pytest.mark.skipif(QGIS_PROCESS is None, reason="qgis_process.bin not installed (apt install qgis)")
def test_run_demo_checks_fixes_describes_and_publishes_twice_into_one_dataset(tmp_path):
    shared = require_shared()
    demo, profile = tmp_path / "demo", tmp_path / "profile"
    (profile / "profiles" / "default" / "QGIS").mkdir(parents=True)
    (profile / "profiles" / "default" / "QGIS" / "QGIS3.ini").write_text(
        "[PythonPlugins]\nopendata_publisher=true\n", encoding="utf-8"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    built = subprocess.run(
        [sys.executable, str(MAKE_DEMO), "--out", str(demo)], capture_output=True, text=True, env=env, timeout=120
    )
    assert built.returncode == 0, built.stderr
    command = [sys.executable, str(RUN_DEMO), "--demo", str(demo), "--profile", str(profile)]
    command += ["--plugin-path", str(PROJECT_ROOT), "--qgis-process", QGIS_PROCESS, "--shared", str(shared)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    out = result.stdout
    assert "Conforme : non" in out  # the demo layer, as the agent got it
    assert "Conforme : oui — erreurs : 0, avertissements : 0" in out  # the new layer, fixed
    assert "Orléans Métropole" in out and "etalab-2.0" in out  # described from the profile and the defaults
    published = [p for p in (demo / "publication").iterdir() if p.is_dir()]
    assert len(published) == 1
    assert f"Dossier de publication : {published[0]}" in out
    assert "Jeu de données créé" in out and "Jeu de données mis à jour" in out
    data = json.loads((published[0] / "manifest.json").read_text(encoding="utf-8"))
    assert data
    assert {p.suffix for p in published[0].iterdir() if p.is_file()} >= {".csv", ".geojson"}
    # the source layer is unchanged: the fixes went into a new layer
    source = QgsVectorLayer(f"{demo / 'demo.gpkg'}|layername=parkings", "p", "ogr")
    assert [f["id"] for f in source.getFeatures()].count(make_demo.DUPLICATED_ID) == 2
