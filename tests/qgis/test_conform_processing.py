"""The Processing algorithm opendata_publisher:conform_layer."""

from __future__ import annotations

import json

import pytest
from qgis.core import (
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingOutputLayerDefinition,
    QgsProcessingUtils,
    QgsProject,
    QgsVectorLayer,
)

from opendata_publisher.core.conform.output import history_lines
from opendata_publisher.processing.conform_layer import ConformLayerAlgorithm

from .test_conform_engine import SCHEMA, SIRET, _messy_points


@pytest.fixture
def schema_path(tmp_path):
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(SCHEMA), encoding="utf-8")
    return str(path)


def _run(parameters):
    alg = ConformLayerAlgorithm()
    alg.initAlgorithm()
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = QgsProcessingFeedback()
    results, ok = alg.run(parameters, context, feedback)
    return alg, context, results, ok


def test_conform_layer_to_geopackage_with_report(schema_path, tmp_path):
    layer = _messy_points()
    output = tmp_path / "out.gpkg"
    report = tmp_path / "reste.json"
    _alg, _context, results, ok = _run(
        {
            "INPUT": layer,
            "SCHEMA": schema_path,
            "FIXES": "all",
            "CONSTANTS": json.dumps({"siret_gestionnaire": SIRET}),
            "OUTPUT": str(output),
            "REPORT": str(report),
        }
    )
    assert ok
    assert results["FIXED_COUNT"] > 20 and results["ERROR_COUNT"] == 0
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["valid"] is True and data["error_count"] == 0
    out = QgsVectorLayer(str(output), "out", "ogr")
    assert out.isValid() and out.featureCount() == 3
    assert [f.name() for f in out.fields()][1:] == [f["name"] for f in SCHEMA["fields"]]  # after the GPKG fid
    assert layer.fields().names()[2] == "nom_equipe"  # the input is untouched
    lines = history_lines(out)  # written into the GeoPackage, though no project loads it
    assert len(lines) == 1 and "parkings_export" in lines[0] and "Stationnement (test)" in lines[0]
    # the schema chosen travels with the new GeoPackage: a headless publication of it finds it (issue 17)
    from opendata_publisher.core.publish import SCHEMA_PROPERTY
    from opendata_publisher.core.source_state import restore_settings

    fresh = QgsVectorLayer(str(output), "out", "ogr")
    restore_settings(fresh)
    assert fresh.customProperty(SCHEMA_PROPERTY) == schema_path


def test_default_fixes_and_what_remains(schema_path, tmp_path):
    layer = _messy_points()
    report = tmp_path / "reste.json"
    destination = QgsProcessingOutputLayerDefinition("TEMPORARY_OUTPUT", QgsProject.instance())
    alg, context, results, ok = _run(
        {"INPUT": layer, "SCHEMA": schema_path, "OUTPUT": destination, "REPORT": str(report)}
    )
    assert ok
    data = json.loads(report.read_text(encoding="utf-8"))
    remaining = {(f["field"], f["code"], f.get("constraint")) for f in data["findings"] if f["severity"] == "error"}
    # identifiers and constants are only applied when asked
    assert remaining == {
        ("id", "constraint-error", "pattern"),
        ("id", "constraint-error", "required"),
        ("id", "primary-key", None),  # an empty primary key is an error too (Table Schema, frictionless)
        ("siret_gestionnaire", "constraint-error", "required"),
    }
    assert results["ERROR_COUNT"] == len(data["findings"]) - sum(f["severity"] != "error" for f in data["findings"])
    alg.postProcessAlgorithm(context, QgsProcessingFeedback())
    out = QgsProcessingUtils.mapLayerFromString(results["OUTPUT"], context)
    lines = history_lines(out)
    assert len(lines) == 1 and "Stationnement (test)" in lines[0] and "Valeurs oui/non" in lines[0]


class _Feedback(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.errors = []

    def reportError(self, error, fatalError=False):  # noqa: N802, N803 - QGIS API
        self.errors.append(error)


def test_bad_parameters_are_explained(schema_path):
    layer = _messy_points()
    for parameters, expected in (
        ({"FIXES": "dates, magie"}, "Correction inconnue : magie"),
        ({"MAPPING": "{pas du json"}, "is not valid JSON"),
        ({"CONSTANTS": "[1, 2]"}, "must be a JSON object"),
    ):
        alg = ConformLayerAlgorithm()
        alg.initAlgorithm()
        feedback = _Feedback()
        params = {"INPUT": layer, "SCHEMA": schema_path, "OUTPUT": "TEMPORARY_OUTPUT", **parameters}
        _results, ok = alg.run(params, QgsProcessingContext(), feedback)
        assert not ok
        assert any(expected in error for error in feedback.errors), feedback.errors
    assert ConformLayerAlgorithm().name() == "conform_layer"


def test_constants_do_not_change_the_default_fixes(tmp_path):
    """With CONSTANTS and no FIXES, the defaults stay the safe fixes plus « constants »: a layer whose schema
    has no coordinates in degrees keeps its CRS, as it does without CONSTANTS."""
    schema = dict(SCHEMA, fields=[f for f in SCHEMA["fields"] if f["name"] not in ("Xlong", "Ylat")])
    path = tmp_path / "sans-coordonnees.json"
    path.write_text(json.dumps(schema), encoding="utf-8")
    crs = {}
    for constants in ("", json.dumps({"siret_gestionnaire": SIRET})):
        _alg, context, results, ok = _run(
            {"INPUT": _messy_points(), "SCHEMA": str(path), "CONSTANTS": constants, "OUTPUT": "TEMPORARY_OUTPUT"}
        )
        assert ok
        out = QgsProcessingUtils.mapLayerFromString(results["OUTPUT"], context)
        crs[constants] = out.crs().authid()
        if constants:
            assert {f["siret_gestionnaire"] for f in out.getFeatures()} == {SIRET}
    assert set(crs.values()) == {"EPSG:2154"}
