"""``opendata_publisher:validate_layer`` as a Processing algorithm: in QGIS and headless under qgis_process."""

from __future__ import annotations

import json

import pytest
from qgis.core import (
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsVectorLayer,
)

from opendata_publisher.processing.validate_layer import ValidateLayerAlgorithm

from .test_qgis_process import QGIS_PROCESS, run_qgis_process, write_profile

SCHEMA = {
    "name": "test-points",
    "version": "2.0.0",
    "fields": [
        {"name": "id", "type": "string", "constraints": {"required": True, "unique": True}},
        {"name": "nb", "type": "integer", "constraints": {"minimum": 0}},
    ],
}


@pytest.fixture
def schema_path(tmp_path):
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(SCHEMA), encoding="utf-8")
    return path


@pytest.fixture
def layer():
    layer = QgsVectorLayer("Point?crs=EPSG:4326&field=id:string&field=nb:integer", "points", "memory")
    rows = [["A", 1], ["A", -2], [None, 3]]
    features = []
    for row in rows:
        feature = QgsFeature(layer.fields())
        feature.setAttributes(row)
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(1.9, 47.9)))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    QgsProject.instance().addMapLayer(layer)
    yield layer
    QgsProject.instance().removeMapLayer(layer.id())


class RecordingFeedback(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.errors = []

    def reportError(self, error, fatalError=False):  # noqa: N802 - Qt API
        self.errors.append(error)


def run_algorithm(parameters, feedback=None):
    algorithm = ValidateLayerAlgorithm()
    algorithm.initAlgorithm()
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    results, ok = algorithm.run(parameters, context, feedback or QgsProcessingFeedback())
    return results, ok, context


def test_report_outputs_and_error_layer(layer, schema_path, tmp_path):
    report_path = tmp_path / "report.json"
    results, ok, context = run_algorithm(
        {
            "INPUT": layer.id(),
            "SCHEMA": str(schema_path),
            "OUTPUT_REPORT": str(report_path),
            "OUTPUT": "memory:errors",
        }
    )
    assert ok
    assert results["VALID"] is False
    assert results["ERROR_COUNT"] == 3  # duplicate id, minimum, required
    assert results["WARNING_COUNT"] == 0
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["schema"] == {"name": "test-points", "version": "2.0.0", "source": str(schema_path)}
    assert report["layer"] == {"name": "points", "feature_count": 3}
    assert report["valid"] is False and report["error_count"] == 3 and report["warning_count"] == 0
    assert {(f["code"], f["field"]) for f in report["findings"]} == {
        ("unique-error", "id"),
        ("constraint-error", "nb"),
        ("constraint-error", "id"),
    }
    for finding in report["findings"]:
        assert {"code", "severity", "field", "feature_id", "row", "value", "message"} <= set(finding)
    errors = context.takeResultLayer(results["OUTPUT"])
    assert errors.featureCount() == 2  # the first feature is fine
    assert {"odp_codes", "odp_messages", "odp_errors"} <= set(errors.fields().names())
    messages = " ".join(f["odp_messages"] for f in errors.getFeatures())
    assert "nb" in messages and "id" in messages


def test_broken_schema_is_a_clear_error(layer, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"fields": [', encoding="utf-8")
    feedback = RecordingFeedback()
    _results, ok, _context = run_algorithm(
        {"INPUT": layer.id(), "SCHEMA": str(broken), "OUTPUT_REPORT": str(tmp_path / "r.json")}, feedback
    )
    assert not ok
    assert not (tmp_path / "r.json").exists()
    assert any("JSON" in error and "ligne" in error for error in feedback.errors), feedback.errors


@pytest.mark.skipif(QGIS_PROCESS is None, reason="qgis_process.bin not installed (apt install qgis)")
def test_runs_headless_under_qgis_process(tmp_path, schema_path):
    csv_path = tmp_path / "points.csv"
    csv_path.write_text("id,nb\nA,1\nA,x\n", encoding="utf-8")
    profile = tmp_path / "profile"
    write_profile(profile)
    report_path = tmp_path / "report.json"
    completed = run_qgis_process(
        profile,
        "run",
        "opendata_publisher:validate_layer",
        "--",
        f"INPUT={csv_path}",
        f"SCHEMA={schema_path}",
        f"OUTPUT_REPORT={report_path}",
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "ERROR_COUNT:\t2" in completed.stdout
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert sorted((f["code"], f["row"]) for f in report["findings"]) == [("type-error", 3), ("unique-error", 3)]
