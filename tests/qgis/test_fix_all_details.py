"""« Tout corriger » details (issue 11, item 9): no-op changes and float noise are not listed, a required value made
only of spaces is announced, a GeoPackage's fid is not « non repris », the new layer's name does not pile up
« (conforme) » nor claim conformity with errors left."""

from __future__ import annotations

from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

from opendata_publisher.compat import make_field
from opendata_publisher.core.conform import fixes as fx
from opendata_publisher.core.conform.model import ConformOptions, FixStats, shown
from opendata_publisher.core.conform.output import conform_layer_name
from opendata_publisher.core.conform.suggestions import analyse
from opendata_publisher.core.reader import LayerInput
from opendata_publisher.core.schema.model import parse_schema
from opendata_publisher.gui.conform_dialog import ConformDialog

from .test_value_editor import SCHEMA as GPKG_SCHEMA
from .test_value_editor import _gpkg

SCHEMA = {
    "name": "test/points",
    "version": "1.0.0",
    "fields": [
        {"name": "nom", "type": "string", "constraints": {"required": True}},
        {"name": "Xlong", "type": "number", "constraints": {"required": True, "minimum": -180, "maximum": 180}},
        {"name": "Ylat", "type": "number", "constraints": {"required": True, "minimum": -90, "maximum": 90}},
    ],
}


def _points() -> QgsVectorLayer:
    layer = QgsVectorLayer("Point?crs=EPSG:4326", "points", "memory")
    layer.dataProvider().addAttributes([make_field("nom", "string"), make_field("Xlong", "double"),
                                        make_field("Ylat", "string")])  # fmt: skip
    layer.updateFields()
    rows = [("Gare", 1.452323, "", (1.452323, 47.9075)), ("   ", 1.9, "47.9", (1.9, 47.9))]
    features = []
    for name, lon, lat, (x, y) in rows:
        feature = QgsFeature(layer.fields())
        feature.setAttributes([name, lon, lat])
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def test_no_op_and_float_noise_are_not_listed():
    assert shown(47.907500000000006) == "47.9075"
    assert shown(2.0) == "2.0"
    stats = FixStats(fx.COORDINATES)
    stats.add("Xlong", "1.452323", 1.452323)
    assert stats.count == 0 and stats.examples == []
    stats.add("Ylat", None, 47.907500000000006)
    assert stats.count == 1 and stats.examples == [("Ylat", "(vide)", "47.9075")]

    analysis = analyse(LayerInput.from_layer(_points()), parse_schema(SCHEMA, "test"), ConformOptions())
    coordinates = analysis.stats[fx.COORDINATES]
    # the first point lacks its latitude: only Ylat changes, Xlong (same number) is not listed
    assert [e[0] for e in coordinates.examples] == ["Ylat"]
    assert coordinates.count == 1


def test_whitespace_only_required_value_is_announced(qgis_iface):
    analysis = analyse(LayerInput.from_layer(_points()), parse_schema(SCHEMA, "test"), ConformOptions())
    assert analysis.blanked == {"nom": 1}
    dialog = ConformDialog(analysis)
    try:
        text = dialog.remaining_label.text()
        assert "« nom »: 1 values are only spaces" in text or "« nom » : 1 valeurs" in text, text
    finally:
        dialog.deleteLater()


def test_geopackage_fid_is_not_reported_as_dropped(tmp_path):
    layer = _gpkg(tmp_path / "p.gpkg")
    assert "fid" in [f.name() for f in layer.fields()]
    analysis = analyse(LayerInput.from_layer(layer), parse_schema(GPKG_SCHEMA, "test"), ConformOptions())
    assert "fid" not in analysis.dropped_fields
    assert not any("fid" in step for step in analysis.steps())


def test_conformed_layer_name():
    assert conform_layer_name("parkings") == "parkings (conforme)"
    assert conform_layer_name("parkings (conforme)") == "parkings (conforme)"
    assert conform_layer_name("parkings (conforme) (conforme)") == "parkings (conforme)"
    assert conform_layer_name("parkings (conforme)", remaining_errors=8) == "parkings (à corriger)"
    assert conform_layer_name("parkings (à corriger)", remaining_errors=0) == "parkings (conforme)"
