"""The conversion on messy layers built here: Lambert-93 points, DD/MM/YYYY dates, decimal commas,
oui/non, Shapefile-truncated names, reversed coordinates, an invalid polygon. Everything mechanical
is fixed, the check of the new layer is clean, and the source layer is never modified."""

from __future__ import annotations

import datetime as dt

import pytest
from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsProject, QgsVectorLayer, QgsWkbTypes

from opendata_publisher.compat import field_type_name, make_field
from opendata_publisher.core.conform import fixes as fx
from opendata_publisher.core.conform.model import ConformOptions, identifier_template
from opendata_publisher.core.conform.output import (
    add_next_to,
    finish_layer,
    gpkg_writer_factory,
    history_lines,
    memory_layer,
)
from opendata_publisher.core.conform.pipeline import ListSink, convert
from opendata_publisher.core.conform.suggestions import analyse, suggest_constants
from opendata_publisher.core.mapping import FieldMapping
from opendata_publisher.core.reader import LayerInput
from opendata_publisher.core.schema.model import parse_schema
from opendata_publisher.core.validation import validate_layer

INSEE = r"^([013-9]\d|2[AB1-9])\d{3}$"
SCHEMA = {
    "name": "test-stationnement",
    "title": "Stationnement (test)",
    "version": "1.0.0",
    "primaryKey": "id",
    "fields": [
        {"name": "id", "type": "string", "constraints": {"required": True, "pattern": INSEE[:-1] + r"-P-\d{3}$"}},
        {"name": "insee", "type": "string", "constraints": {"required": True, "pattern": INSEE}},
        {"name": "nom_equipement", "type": "string", "constraints": {"required": True}},
        {"name": "date_mise_en_service", "type": "date"},
        {"name": "gratuit", "type": "boolean", "trueValues": ["true"], "falseValues": ["false"]},
        {"name": "tarif_horaire", "type": "number", "constraints": {"minimum": 0}},
        {"name": "nb_places", "type": "integer", "constraints": {"required": True}},
        {"name": "type_usagers", "type": "string", "constraints": {"enum": ["tous", "abonnés"]}},
        {"name": "siret_gestionnaire", "type": "string", "constraints": {"required": True, "pattern": r"^\d{14}$"}},
        {"name": "Xlong", "type": "number", "constraints": {"required": True, "minimum": -180, "maximum": 180}},
        {"name": "Ylat", "type": "number", "constraints": {"required": True, "minimum": -90, "maximum": 90}},
    ],
}
SIRET = "21450234500018"

# (x, y) in Lambert-93, then the attributes as a business application exports them
ROWS = [
    ((619500.0, 6753000.0), ["P-1", 45234, " Place du Martroi ", "24/06/2019", "oui", "1,50", "1 250", "Tous"]),
    ((620500.0, 6754000.0), [None, 45234, "Gare", "05/12/2016", "non", "2,5", "80", "ABONNÉS"]),
    ((870000.0, 6570000.0), ["", 1053, "Bourg", "2019-06-24", "Non", "0", "12", "tous"]),
]
# Xlong / Ylat columns as found: metres, reversed, empty
COORDS = [("619500", "6753000"), ("47.90", "1.91"), (None, None)]


def _messy_points() -> QgsVectorLayer:
    layer = QgsVectorLayer("Point?crs=EPSG:2154", "parkings_export", "memory")
    fields = [
        ("id", "string"),
        ("insee", "int"),
        ("nom_equipe", "string"),  # nom_equipement truncated by the Shapefile format
        ("date_mise_", "string"),
        ("gratuit", "string"),
        ("tarif_hora", "string"),
        ("nb_places", "string"),
        ("type_usage", "string"),
        ("Xlong", "string"),
        ("Ylat", "string"),
        ("commentair", "string"),  # internal: not in the schema
    ]
    layer.dataProvider().addAttributes([make_field(name, kind) for name, kind in fields])
    layer.updateFields()
    features = []
    for ((x, y), values), (lon, lat) in zip(ROWS, COORDS):
        feature = QgsFeature(layer.fields())
        feature.setAttributes([*values, lon, lat, "à revoir"])
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    layer.updateExtents()
    return layer


def _convert(layer, schema, options):
    holder = {}

    def factory(fields, wkb_type, crs):
        holder["sink"] = ListSink(fields, wkb_type, crs)
        return holder["sink"]

    analysis = convert(LayerInput.from_layer(layer), schema, options, factory)
    return analysis, memory_layer(holder["sink"], layer.name() + " (conforme)")


@pytest.fixture
def schema():
    return parse_schema(SCHEMA, "test")


def test_messy_point_layer_fully_fixed(schema):
    layer = _messy_points()
    source = [(f.attributes(), f.geometry().asWkt()) for f in layer.getFeatures()]
    before = validate_layer(layer, schema)
    codes_before = {f.full_code for f in before.findings}
    assert {"missing-label", "extra-label", "constraint-error/pattern", "french-gps-coordinates"} <= codes_before

    constants = suggest_constants(schema, {"organisation_siret": SIRET, "organisation_name": "Orléans"})
    assert constants == {"siret_gestionnaire": SIRET}
    options = ConformOptions(fixes=[*fx.SAFE_FIX_IDS, fx.CONSTANTS, fx.IDENTIFIERS], constants=constants)
    analysis, converted = _convert(layer, schema, options)

    after = validate_layer(converted, schema)
    assert [(f.full_code, f.field, f.value) for f in after.findings if f.severity != "info"] == []
    assert after.valid

    # exactly the schema's fields, order and types
    assert [f.name() for f in converted.fields()] == schema.field_names()
    kinds = {f.name(): field_type_name(f) for f in converted.fields()}
    assert kinds["date_mise_en_service"] == "date" and kinds["gratuit"] == "bool"
    assert kinds["tarif_horaire"] == "double" and kinds["nb_places"] == "longlong" and kinds["insee"] == "string"
    assert converted.crs().authid() == "EPSG:4326"

    rows = {f["nom_equipement"]: f for f in converted.getFeatures()}
    martroi = rows["Place du Martroi"]
    assert martroi["id"] == "45234-P-001" and martroi["date_mise_en_service"].toPyDate() == dt.date(2019, 6, 24)
    assert martroi["gratuit"] is True and martroi["tarif_horaire"] == 1.5 and martroi["nb_places"] == 1250
    assert martroi["type_usagers"] == "tous" and martroi["siret_gestionnaire"] == SIRET
    assert 1.8 < martroi["Xlong"] < 2.0 and 47.8 < martroi["Ylat"] < 48.0
    assert rows["Gare"]["type_usagers"] == "abonnés" and rows["Gare"]["id"] == "45234-P-002"
    bourg = rows["Bourg"]
    assert bourg["insee"] == "01053" and bourg["id"] == "01053-P-001"  # the lost leading zero is back
    point = bourg.geometry().asPoint()
    assert (round(point.x(), 5), round(point.y(), 5)) == (round(bourg["Xlong"], 5), round(bourg["Ylat"], 5))

    for fix_id in (fx.FIELDS, fx.TRIM, fx.DATES, fx.NUMBERS, fx.BOOLEANS, fx.ENUMS, fx.FORMATS):
        assert fix_id in analysis.enabled
    assert analysis.suggested == {
        "nom_equipement": "nom_equipe",
        "date_mise_en_service": "date_mise_",
        "tarif_horaire": "tarif_hora",
        "type_usagers": "type_usage",
    }
    assert analysis.dropped_fields == ["commentair"]
    assert analysis.count(fx.COORDINATES) == 6 and analysis.count(fx.REPROJECT) == 3
    assert analysis.count(fx.CONSTANTS) == 3 and analysis.count(fx.IDENTIFIERS) == 3
    # the source is untouched
    assert [(f.attributes(), f.geometry().asWkt()) for f in layer.getFeatures()] == source
    assert [f.name() for f in layer.fields()][2] == "nom_equipe"


def test_preview_counts_and_examples(schema):
    layer = _messy_points()
    analysis = analyse(LayerInput.from_layer(layer), schema, ConformOptions(constants={"siret_gestionnaire": SIRET}))
    assert analysis.feature_count == 3
    assert fx.IDENTIFIERS in analysis.available and fx.IDENTIFIERS not in analysis.enabled
    assert fx.CONSTANTS in analysis.enabled  # a value was given
    assert ("date_mise_en_service", "24/06/2019", "2019-06-24") in analysis.stats[fx.DATES].examples
    assert analysis.count(fx.DATES) == 2
    assert ("gratuit", "oui", "true") in analysis.stats[fx.BOOLEANS].examples
    assert analysis.count(fx.BOOLEANS) == 3
    assert ("tarif_horaire", "1,50", "1.50") in analysis.stats[fx.NUMBERS].examples
    assert ("nom_equipement", "«  Place du Martroi  »", "Place du Martroi") in analysis.stats[fx.TRIM].examples
    assert ("type_usagers", "ABONNÉS", "abonnés") in analysis.stats[fx.ENUMS].examples
    assert ("insee", "1053", "01053") in analysis.stats[fx.FORMATS].examples
    assert analysis.count(fx.IDENTIFIERS) == 3 and analysis.identifier.example == "45234-P-001"
    assert analysis.empty_counts["siret_gestionnaire"] == 3
    steps = " ".join(analysis.steps())
    assert "Dates et heures écrites au format ISO 8601 : 2 valeur(s) (date_mise_en_service)" in steps


def test_only_ticked_fixes_are_applied(schema):
    layer = _messy_points()
    analysis, converted = _convert(layer, schema, ConformOptions(fixes=[fx.FIELDS, fx.NUMBERS]))
    assert analysis.enabled == [fx.FIELDS, fx.NUMBERS]
    after = validate_layer(converted, schema)
    codes = {(f.field, f.full_code) for f in after.findings}
    assert ("date_mise_en_service", "type-error") in codes  # dates not ticked: still to fix
    assert ("tarif_horaire", "type-error") not in codes
    assert converted.crs().authid() == "EPSG:2154"  # no reprojection asked
    # a date column with values that are not dates stays text: nothing typed is lost
    kinds = {f.name(): field_type_name(f) for f in converted.fields()}
    assert kinds["date_mise_en_service"] == "string" and analysis.untyped["date_mise_en_service"] == 2
    assert {f["date_mise_en_service"] for f in converted.getFeatures()} == {"24/06/2019", "05/12/2016", "2019-06-24"}


def test_explicit_mapping_wins(schema):
    layer = _messy_points()
    mapping = FieldMapping({"commentair": "nom_equipement"})
    analysis, converted = _convert(layer, schema, ConformOptions(mapping=mapping))
    assert analysis.mapping["nom_equipement"] == "commentair"
    assert {f["nom_equipement"] for f in converted.getFeatures()} == {"à revoir"}


def test_invalid_polygon_repaired():
    schema = parse_schema({"name": "zones", "fields": [{"name": "nom", "type": "string"}]}, "test")
    layer = QgsVectorLayer("Polygon?crs=EPSG:2154", "zones", "memory")
    layer.dataProvider().addAttributes([make_field("nom", "string")])
    layer.updateFields()
    bowtie = QgsFeature(layer.fields())
    bowtie.setAttributes(["noeud papillon"])
    bowtie.setGeometry(
        QgsGeometry.fromWkt("POLYGON((619000 6753000, 619100 6753100, 619100 6753000, 619000 6753100, 619000 6753000))")
    )
    square = QgsFeature(layer.fields())
    square.setAttributes(["carré"])
    square.setGeometry(
        QgsGeometry.fromWkt("POLYGON((620000 6753000, 620100 6753000, 620100 6753100, 620000 6753100, 620000 6753000))")
    )
    layer.dataProvider().addFeatures([bowtie, square])
    assert "geometry-invalid" in {f.code for f in validate_layer(layer, schema).findings}
    analysis, converted = _convert(layer, schema, ConformOptions())
    assert analysis.count(fx.MAKE_VALID) == 1
    assert fx.REPROJECT not in analysis.enabled  # nothing in this schema asks for WGS 84
    assert converted.crs().authid() == "EPSG:2154"
    assert all(f.geometry().isGeosValid() for f in converted.getFeatures())
    assert QgsWkbTypes.isMultiType(converted.wkbType())  # repaired parts fit in multi-polygons
    areas = sorted(round(f.geometry().area()) for f in converted.getFeatures())
    assert areas == [5000, 10000]  # the bowtie keeps both triangles
    assert not [f for f in validate_layer(converted, schema).findings if f.severity != "info"]
    assert not next(layer.getFeatures()).geometry().isGeosValid()  # the source keeps its invalid geometry


def test_reversed_wgs84_points_swapped():
    schema = parse_schema(
        {
            "name": "points",
            "fields": [
                {"name": "nom", "type": "string"},
                {"name": "longitude", "type": "number"},
                {"name": "latitude", "type": "number"},
            ],
        },
        "test",
    )
    layer = QgsVectorLayer("Point?crs=EPSG:4326", "points", "memory")
    layer.dataProvider().addAttributes([make_field("nom", "string")])
    layer.updateFields()
    feature = QgsFeature(layer.fields())
    feature.setAttributes(["Orléans"])
    feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(47.9027, 1.9086)))  # y, x typed the wrong way
    layer.dataProvider().addFeatures([feature])
    analysis, converted = _convert(layer, schema, ConformOptions())
    assert analysis.count(fx.SWAP) == 1 and analysis.count(fx.COORDINATES) == 2
    out = next(converted.getFeatures())
    assert (round(out.geometry().asPoint().x(), 4), round(out.geometry().asPoint().y(), 4)) == (1.9086, 47.9027)
    assert (out["longitude"], out["latitude"]) == (1.9086, 47.9027)
    assert not [f for f in validate_layer(converted, schema).findings if f.severity != "info"]


def test_geopackage_output_with_history(schema, tmp_path):
    layer = _messy_points()
    QgsProject.instance().addMapLayer(layer)
    try:
        path = str(tmp_path / "parkings.gpkg")
        factory = gpkg_writer_factory(path, "parkings_conforme", QgsProject.instance().transformContext())
        options = ConformOptions(constants={"siret_gestionnaire": SIRET})
        analysis = convert(LayerInput.from_layer(layer), schema, options, factory)
        factory.writer = None
        out = QgsVectorLayer(f"{path}|layername=parkings_conforme", "parkings (conforme)", "ogr")
        assert out.isValid() and out.featureCount() == 3
        line = finish_layer(out, analysis, layer, "test-stationnement@1.0.0", when="2026-01-02T10:00")
        add_next_to(out, layer)
        assert line.startswith(
            "[opendata_publisher:conform] 2026-01-02T10:00 — Mise en conformité de « parkings_export »"
        )
        assert "couche source inchangée" in line and "Dates et heures" in line
        assert history_lines(out) == [line]
        assert out.customProperty("opendata_publisher/schema") == "test-stationnement@1.0.0"
        tree = QgsProject.instance().layerTreeRoot()
        ids = [node.layerId() for node in tree.findLayers()]
        assert ids.index(out.id()) == ids.index(layer.id()) - 1  # right above the source
        after = validate_layer(out, schema)
        # identifiers were not asked: only the identifiers remain to fix
        assert {(f.field, f.full_code) for f in after.findings if f.severity == "error"} == {
            ("id", "constraint-error/pattern"),
            ("id", "constraint-error/required"),
            ("id", "primary-key"),  # an empty primary key is an error too (Table Schema, frictionless)
        }
        assert identifier_template(schema).build("45234", 7) == "45234-P-007"
    finally:
        QgsProject.instance().removeAllMapLayers()


def test_cancelled_conversion_writes_nothing(schema):
    from qgis.core import QgsFeedback

    feedback = QgsFeedback()
    feedback.cancel()
    calls = []
    analysis = convert(
        LayerInput.from_layer(_messy_points()), schema, ConformOptions(), lambda *a: calls.append(a), feedback
    )
    assert analysis.cancelled and calls == [] and analysis.written == 0


def test_constant_candidates_from_the_organisation_profile():
    schema = parse_schema(
        {
            "name": "subventions",
            "fields": [
                {"name": "nomAttribuant", "type": "string"},
                {"name": "idAttribuant", "type": "string", "constraints": {"pattern": r"^\d{14}$"}},
                {"name": "fab_siren", "type": "string", "constraints": {"pattern": r"^\d{9}$"}},
                {"name": "montant", "type": "number"},
            ],
        },
        "test",
    )
    profile = {"organisation_name": "Orléans Métropole", "organisation_siret": SIRET, "organisation_siren": ""}
    assert suggest_constants(schema, profile) == {"nomAttribuant": "Orléans Métropole", "idAttribuant": SIRET}
