"""The validation engine on real QGIS layers (memory, CSV, GeoPackage)."""

from __future__ import annotations

import pytest
from qgis.core import (
    QgsFeature,
    QgsFeedback,
    QgsGeometry,
    QgsPointXY,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDate

from opendata_publisher.core.mapping import FieldMapping, load_mapping, save_mapping
from opendata_publisher.core.report import report_to_json, report_to_markdown
from opendata_publisher.core.schema.model import parse_schema
from opendata_publisher.core.validation import LayerInput, validate, validate_layer

SCHEMA = {
    "name": "test-parkings",
    "title": "Parkings de test",
    "version": "1.0.0",
    "fields": [
        {"name": "id", "type": "string", "constraints": {"required": True, "unique": True}},
        {"name": "nom", "type": "string", "constraints": {"required": True}},
        {"name": "type_usagers", "type": "string", "constraints": {"enum": ["tous", "abonnés", "résidents"]}},
        {"name": "nb_places", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "date_maj", "type": "date"},
        {"name": "nb_voitures_electriques", "type": "integer"},
    ],
}


def memory_layer(fields: str, rows, geometry: str = "None", crs: str = "") -> QgsVectorLayer:
    uri = f"{geometry}?" + (f"crs={crs}&" if crs else "") + fields
    layer = QgsVectorLayer(uri, "parkings", "memory")
    assert layer.isValid()
    features = []
    for row in rows:
        feature = QgsFeature(layer.fields())
        attrs, geom = (row, None) if geometry == "None" else row
        feature.setAttributes(list(attrs))
        if geom is not None:
            feature.setGeometry(geom)
        features.append(feature)
    assert layer.dataProvider().addFeatures(features)[0]
    layer.updateExtents()
    return layer


FIELDS = (
    "field=id:string&field=nom:string&field=type_usagers:string&field=nb_places:integer"
    "&field=date_maj:date&field=nb_voiture:integer"
)


@pytest.fixture
def schema():
    return parse_schema(SCHEMA, source="test")


def codes(report, feature_id=None):
    return sorted(f.full_code for f in report.findings if feature_id is None or f.feature_id == feature_id)


def test_valid_layer_has_no_error(schema):
    layer = memory_layer(
        FIELDS.replace("nb_voiture", "nb_voitures_electriques"),
        [["P1", "Gare", "tous", 10, QDate(2024, 1, 2), 2], ["P2", "Mairie", "abonnés", 0, None, None]],
    )
    report = validate_layer(layer, schema)
    assert report.valid, report.findings
    assert report.error_count == 0
    assert report.feature_count == 2


def test_each_problem_is_tied_to_its_feature(schema):
    layer = memory_layer(
        FIELDS,
        [
            ["P1", "Gare", "tous", 10, QDate(2024, 1, 2), 1],
            ["P1", None, "Tous", -3, None, 2],  # duplicate id, missing name, enum case, minimum
        ],
    )
    report = validate_layer(layer, schema)
    assert not report.valid
    fids = sorted({f.feature_id for f in report.findings if f.feature_id is not None})
    assert len(fids) == 1
    second = fids[0]
    assert codes(report, second) == [
        "constraint-error/enum",
        "constraint-error/minimum",
        "constraint-error/required",
        "unique-error",
    ]
    by_code = {f.full_code: f for f in report.findings if f.feature_id == second}
    assert by_code["constraint-error/enum"].field == "type_usagers"
    assert by_code["constraint-error/enum"].value == "Tous"
    assert by_code["unique-error"].value == "P1"
    assert all(f.message and f.hint for f in report.findings)


def test_truncated_shapefile_name_is_suggested_not_applied(schema):
    layer = memory_layer(FIELDS, [["P1", "Gare", "tous", 1, None, 3]])
    report = validate_layer(layer, schema)
    missing = [f for f in report.findings if f.code == "missing-label"]
    extra = [f for f in report.findings if f.code == "extra-label"]
    assert [f.field for f in missing] == ["nb_voitures_electriques"]
    assert missing[0].severity == "warning"  # optional field
    assert "nb_voiture" in missing[0].hint and "tronqué" in missing[0].hint
    assert [f.field for f in extra] == ["nb_voiture"]


def test_saved_mapping_is_used_and_survives_in_the_layer(schema):
    layer = memory_layer(FIELDS, [["P1", "Gare", "tous", 1, None, 3]])
    save_mapping(layer, schema, FieldMapping({"nb_voiture": "nb_voitures_electriques"}))
    mapping = load_mapping(layer, schema)
    assert mapping.layer_to_schema == {"nb_voiture": "nb_voitures_electriques"}
    report = validate_layer(layer, schema, mapping)
    assert not [f for f in report.findings if f.code in ("missing-label", "extra-label")]
    assert report.mapping["nb_voitures_electriques"] == "nb_voiture"


def test_missing_required_field_is_an_error(schema):
    layer = memory_layer("field=id:string", [["P1"]])
    report = validate_layer(layer, schema)
    missing = {f.field: f.severity for f in report.findings if f.code == "missing-label"}
    assert missing["nom"] == "error"
    assert missing["type_usagers"] == "warning"
    assert not report.valid


def test_disordered_fields_are_a_warning(schema):
    fields = (
        "field=nom:string&field=id:string&field=type_usagers:string&field=nb_places:integer"
        "&field=date_maj:date&field=nb_voitures_electriques:integer"
    )
    layer = memory_layer(fields, [["Gare", "P1", "tous", 1, None, None]])
    report = validate_layer(layer, schema)
    assert [f.code for f in report.findings] == ["disordered-labels"]
    assert report.valid


def test_text_values_are_checked_like_csv_cells(schema):
    fields = (
        "field=id:string&field=nom:string&field=type_usagers:string&field=nb_places:string"
        "&field=date_maj:string&field=nb_voitures_electriques:string"
    )
    layer = memory_layer(fields, [["P1", "Gare", "tous", "12,5", "02/01/2024", "3"]])
    report = validate_layer(layer, schema)
    assert {(f.field, f.code) for f in report.findings} == {("nb_places", "type-error"), ("date_maj", "type-error")}


def test_native_date_satisfies_date_type(schema):
    layer = memory_layer(
        FIELDS.replace("nb_voiture", "nb_voitures_electriques"), [["P1", "Gare", "tous", 1, QDate(2020, 5, 1), 1]]
    )
    report = validate_layer(layer, schema)
    assert report.valid


def test_selected_only(schema):
    layer = memory_layer(
        FIELDS.replace("nb_voiture", "nb_voitures_electriques"),
        [["P1", "Gare", "tous", 1, None, 1], ["P2", None, "tous", 1, None, 1]],
    )
    first = next(iter(layer.getFeatures())).id()
    layer.selectByIds([first])
    report = validate(LayerInput.from_layer(layer, selected_only=True), schema)
    assert report.feature_count == 1
    assert report.valid
    assert not validate_layer(layer, schema).valid


def test_empty_layer_is_reported(schema):
    layer = memory_layer(FIELDS.replace("nb_voiture", "nb_voitures_electriques"), [])
    report = validate_layer(layer, schema)
    assert [f.code for f in report.findings] == ["empty-layer"]


def test_cancel_stops_and_says_so(schema):
    layer = memory_layer(
        FIELDS.replace("nb_voiture", "nb_voitures_electriques"),
        [[f"P{i}", "x", "tous", i, None, None] for i in range(500)],
    )
    feedback = QgsFeedback()
    feedback.cancel()
    report = validate(LayerInput.from_layer(layer), schema, feedback=feedback)
    assert report.cancelled
    assert not report.valid


def test_primary_key_composite():
    schema = parse_schema(
        {
            "fields": [{"name": "a", "type": "string"}, {"name": "b", "type": "integer"}],
            "primaryKey": ["a", "b"],
        }
    )
    layer = memory_layer("field=a:string&field=b:integer", [["x", 1], ["x", 2], ["x", 1]])
    report = validate_layer(layer, schema)
    assert [f.code for f in report.findings] == ["primary-key"]
    assert report.findings[0].value == ["x", 1]


LONLAT_SCHEMA = {
    "name": "points",
    "fields": [
        {"name": "nom", "type": "string"},
        {"name": "Xlong", "type": "number"},
        {"name": "Ylat", "type": "number"},
    ],
}


def test_lonlat_columns_reversed_and_outside_france():
    schema = parse_schema(LONLAT_SCHEMA)
    layer = memory_layer(
        "field=nom:string&field=Xlong:double&field=Ylat:double",
        [["Orléans", 1.909, 47.902], ["inversé", 47.902, 1.909], ["Null Island", 0.0, 0.0]],
    )
    report = validate_layer(layer, schema)
    by_name = {}
    for feature in layer.getFeatures():
        by_name[feature["nom"]] = codes(report, feature.id())
    assert by_name["Orléans"] == []
    assert by_name["inversé"] == ["reversed-french-gps-coordinates"]
    assert by_name["Null Island"] == ["french-gps-coordinates"]


def test_point_geometry_checked_in_wgs84_from_lambert93():
    schema = parse_schema(LONLAT_SCHEMA)
    rows = [
        (["Orléans", 1.909, 47.902], QgsGeometry.fromPointXY(QgsPointXY(619000, 6754000))),
        (["Dakar", 1.909, 47.902], QgsGeometry.fromPointXY(QgsPointXY(-3500000, 4500000))),
        (["sans géométrie", 1.909, 47.902], None),
    ]
    layer = memory_layer("field=nom:string&field=Xlong:double&field=Ylat:double", rows, "Point", "EPSG:2154")
    report = validate_layer(layer, schema)
    by_name = {f["nom"]: codes(report, f.id()) for f in layer.getFeatures()}
    assert by_name["Orléans"] == []
    assert by_name["Dakar"] == ["french-gps-coordinates"]
    assert by_name["sans géométrie"] == ["geometry-missing"]


@pytest.mark.parametrize(
    "points",
    [
        [(0.001, 0.001)],  # one point: an extent of zero width and height
        [(100.0, 10.0), (101.0, 10.0)],  # a row of points: zero height
        [(10.0, 100.0), (10.0, 101.0)],  # a column of points: zero width
    ],
)
def test_points_outside_france_found_when_the_extent_is_flat(points):
    """QGIS calls a rectangle of zero width or height empty: the points it holds are still located."""
    schema = parse_schema(LONLAT_SCHEMA)
    rows = [(["p", 1.909, 47.902], QgsGeometry.fromPointXY(QgsPointXY(x, y))) for x, y in points]
    layer = memory_layer("field=nom:string&field=Xlong:double&field=Ylat:double", rows, "Point", "EPSG:4326")
    report = validate_layer(layer, schema)
    assert [codes(report, f.id()) for f in layer.getFeatures()] == [["french-gps-coordinates"]] * len(points)


def test_invalid_polygon_and_unexpected_geometry_type():
    schema = parse_schema(LONLAT_SCHEMA)
    bowtie = QgsGeometry.fromWkt("POLYGON((0 0, 10 10, 10 0, 0 10, 0 0))")
    layer = memory_layer(
        "field=nom:string&field=Xlong:double&field=Ylat:double",
        [(["zone", 1.9, 47.9], bowtie)],
        "Polygon",
        "EPSG:2154",
    )
    report = validate_layer(layer, schema)
    assert "geometry-invalid" in codes(report)
    assert "geometry-type" in codes(report)


def test_csv_rows_are_numbered_like_frictionless(tmp_path):
    schema = parse_schema({"fields": [{"name": "id", "type": "integer"}, {"name": "txt", "type": "string"}]})
    path = tmp_path / "data.csv"
    path.write_text('id,txt\n1,a\nx,"deux\nlignes"\n3,c\nbad,d\n', encoding="utf-8")
    for uri, provider in (
        (f"file://{path}?type=csv&detectTypes=no&geomType=none", "delimitedtext"),
        (str(path), "ogr"),
    ):
        layer = QgsVectorLayer(uri, "data", provider)
        assert layer.isValid()
        report = validate_layer(layer, schema)
        assert [(f.code, f.row, f.value) for f in report.findings] == [
            ("type-error", 3, "x"),
            ("type-error", 5, "bad"),
        ], provider


def test_duplicate_csv_header_is_reported(tmp_path):
    schema = parse_schema({"fields": [{"name": "id", "type": "integer"}]})
    path = tmp_path / "dup.csv"
    path.write_text("id,id\n1,2\n", encoding="utf-8")
    layer = QgsVectorLayer(f"file://{path}?type=csv&detectTypes=no&geomType=none", "dup", "delimitedtext")
    report = validate_layer(layer, schema)
    assert "duplicate-label" in codes(report)


def test_geopackage_layer_and_reports(tmp_path, schema):
    source = memory_layer(FIELDS, [["P1", "Gare", "tous", 1, QDate(2021, 1, 1), 1], ["P1", "x", "y", 2, None, 2]])
    gpkg = str(tmp_path / "parkings.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    from qgis.core import QgsCoordinateTransformContext

    result = QgsVectorFileWriter.writeAsVectorFormatV2(source, gpkg, QgsCoordinateTransformContext(), options)
    assert result[0] == QgsVectorFileWriter.WriterError.NoError
    layer = QgsVectorLayer(gpkg, "parkings", "ogr")
    assert layer.isValid()
    report = validate_layer(layer, schema)
    assert "unique-error" in codes(report) and "constraint-error/enum" in codes(report)
    # the GeoPackage's own feature-id column is not data the agent publishes
    assert "fid" in layer.fields().names()
    assert [f.field for f in report.findings if f.code == "extra-label"] == ["nb_voiture"]
    import json

    data = json.loads(report_to_json(report))
    assert data["schema"] == {"name": "test-parkings", "version": "1.0.0", "source": "test"}
    assert data["layer"] == {"name": "parkings", "feature_count": 2}
    assert data["valid"] is False
    assert data["error_count"] == report.error_count
    assert {"code", "severity", "field", "feature_id", "row", "value", "message"} <= set(data["findings"][0])
    markdown = report_to_markdown(report)
    assert "non conforme" in markdown and "Valeur en double" in markdown


def _gpkg_with_everything(tmp_path):
    """A GeoPackage mixing every kind of problem, NULLs, dates and geometry."""
    fields = (
        "field=id:string&field=nom:string&field=type_usagers:string&field=nb_places:integer"
        "&field=date_maj:date&field=nb_voitures_electriques:integer&field=Xlong:double&field=Ylat:double"
        "&field=siret:string"
    )
    sirets = [
        "21920044100018",  # valid key (and valid SIREN key)
        "21450234500016",  # wrong key
        "35600000000001",  # La Poste: sum of digits multiple of 5, Luhn key wrong
        "2145023450001",  # 13 digits
        "214 502 345 00016",  # spaces
        "",
        None,
    ]
    rows = []
    for i in range(300):
        lon, lat = 1.9 + i / 1000, 47.9
        if i == 7:
            lon, lat = lat, lon  # reversed
        geometry = QgsGeometry.fromPointXY(QgsPointXY(619000 + i, 6754000))
        if i == 11:
            geometry = QgsGeometry.fromPointXY(QgsPointXY(0, 0))  # far outside France
        if i == 13:
            geometry = None
        values = [
            f"P{i % 290}",  # duplicates from 290 on
            None if i % 50 == 0 else f"Parking {i}",
            ["tous", "abonnés", "Tous", None][i % 4],
            -1 if i == 5 else i,
            QDate(2024, 1, 1 + i % 28) if i % 3 else None,
            None,
            lon,
            lat,
            sirets[i % len(sirets)],
        ]
        rows.append((values, geometry))
    source = memory_layer(fields, rows, "Point", "EPSG:2154")
    from qgis.core import QgsCoordinateTransformContext

    path = str(tmp_path / "all.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    QgsVectorFileWriter.writeAsVectorFormatV2(source, path, QgsCoordinateTransformContext(), options)
    layer = QgsVectorLayer(path, "all", "ogr")
    assert layer.isValid()
    return layer


def test_columnar_and_qgis_readers_find_the_same_problems(tmp_path):
    schema_data = dict(SCHEMA)
    schema_data["fields"] = SCHEMA["fields"] + [
        {"name": "Xlong", "type": "number"},
        {"name": "Ylat", "type": "number"},
        {"name": "siret", "type": "string", "constraints": {"pattern": "^\\d{14}$"}},
    ]
    schema_data["primaryKey"] = ["id", "nb_places"]
    schema_data["custom_checks"] = [{"name": "siret", "params": {"column": "siret"}}]
    schema = parse_schema(schema_data)
    layer = _gpkg_with_everything(tmp_path)

    fast_input = LayerInput.from_layer(layer)
    assert fast_input.ogr is not None
    fast = validate(fast_input, schema)
    slow_input = LayerInput.from_layer(layer)
    slow_input.ogr = None
    slow = validate(slow_input, schema)

    assert fast.reader == "arrow" and slow.reader == "qgis"

    def key(report):
        return sorted((str(f.feature_id), str(f.field), f.full_code, str(f.value)) for f in report.findings)

    assert key(fast) == key(slow)
    found = {f.full_code for f in fast.findings}
    assert {
        "unique-error",
        "constraint-error/required",
        "constraint-error/enum",
        "constraint-error/minimum",
        "reversed-french-gps-coordinates",
        "french-gps-coordinates",
        "geometry-missing",
        "siret",
        "constraint-error/pattern",
    } <= found
    wrong = {f.value for f in fast.findings if f.code == "siret"}
    assert "21450234500016" in wrong and "21920044100018" not in wrong and "35600000000001" not in wrong


def test_subset_string_is_respected_by_the_columnar_reader(tmp_path):
    schema = parse_schema(SCHEMA)
    layer = _gpkg_with_everything(tmp_path)
    layer.setSubsetString('"nb_places" > 100')
    report = validate_layer(layer, schema)
    assert report.reader == "arrow"
    assert report.feature_count == layer.featureCount() < 300
    assert all(f.feature_id is None or f.feature_id > 100 for f in report.findings)


def test_columnar_reader_across_many_batches_matches_the_qgis_reader(tmp_path, monkeypatch):
    """Uniqueness, primary keys and NULLs must be judged the same when the rows come in many small batches."""
    from opendata_publisher.core import arrow_reader

    monkeypatch.setattr(arrow_reader, "BATCH_SIZE", 7)
    schema_data = dict(SCHEMA)
    schema_data["fields"] = SCHEMA["fields"] + [{"name": "Xlong", "type": "number"}, {"name": "Ylat", "type": "number"}]
    schema_data["primaryKey"] = ["id", "nb_places"]
    schema = parse_schema(schema_data)
    layer = _gpkg_with_everything(tmp_path)
    fast = validate(LayerInput.from_layer(layer), schema)
    slow_input = LayerInput.from_layer(layer)
    slow_input.ogr = None
    slow = validate(slow_input, schema)
    assert fast.reader == "arrow"

    def key(report):
        return sorted((str(f.feature_id), str(f.field), f.full_code, str(f.value)) for f in report.findings)

    assert key(fast) == key(slow)
    assert sum(f.code == "unique-error" for f in fast.findings) == 10  # P0…P9 seen again from row 290 on


def test_columnar_reader_joins_small_gdal_batches_into_check_batches(tmp_path, monkeypatch):
    """GDAL builds small batches (its transient memory grows with the batch); the checks get them joined,
    with the same values and NULLs as one direct reading, and the report does not change."""
    from opendata_publisher.core import arrow_reader

    layer = _gpkg_with_everything(tmp_path)
    schema = parse_schema(SCHEMA)
    source = LayerInput.from_layer(layer).ogr
    columns = ["id", "nom", "nb_places", "date_maj", "Xlong"]

    def read():
        reader = arrow_reader.ArrowLayer(source)
        try:
            return [{k: v.copy() for k, v in batch.items()} for batch in reader.batches(columns, True)]
        finally:
            reader.close()

    monkeypatch.setattr(arrow_reader, "READ_BATCH_SIZE", 1000)
    whole = read()
    assert [len(b["fid"]) for b in whole] == [300]
    reference = validate(LayerInput.from_layer(layer), schema)
    monkeypatch.setattr(arrow_reader, "BATCH_SIZE", 64)
    monkeypatch.setattr(arrow_reader, "READ_BATCH_SIZE", 16)
    joined = read()
    assert [len(b["fid"]) for b in joined] == [64, 64, 64, 64, 44]
    assert set(whole[0]) == set(joined[0]) > set(columns)
    for key in whole[0]:
        column = arrow_reader.np.ma.concatenate([b[key] for b in joined])
        if key in columns:
            assert [arrow_reader.row_value(column, r) for r in range(300)] == [
                arrow_reader.row_value(whole[0][key], r) for r in range(300)
            ], key
        else:  # fid, geometry
            assert column.tolist() == whole[0][key].tolist(), key
    small = validate(LayerInput.from_layer(layer), schema)
    assert small.reader == "arrow"
    assert [f.to_dict() for f in small.findings] == [f.to_dict() for f in reference.findings]


def test_batches_that_cannot_be_joined_come_as_they_were_read():
    """Columns of different kinds (e.g. 2D and 3D point blobs) cannot be concatenated: the batches are then
    given to the checks one by one, whole, with the columns joined before the failure cut back."""
    from opendata_publisher.core import arrow_reader

    np = arrow_reader.np
    first = {
        "fid": np.array([1, 2]),
        "nom": np.ma.MaskedArray(np.array([b"a", b"bb"]), mask=[False, True]),
        "geom": np.zeros(2, "V21"),
    }
    second = {"fid": np.array([3]), "nom": np.array([b"ccc"]), "geom": np.zeros(1, "V29")}
    batches = list(arrow_reader._joined([dict(first), dict(second)]))
    assert [b["fid"].tolist() for b in batches] == [[1, 2], [3]]
    assert [[arrow_reader.row_value(b["nom"], r) for r in range(len(b["fid"]))] for b in batches] == [
        ["a", None],
        ["ccc"],
    ]
    assert [b["geom"].dtype.itemsize for b in batches] == [21, 29]
    second["geom"] = np.zeros(1, "V21")
    (joined,) = arrow_reader._joined([dict(first), dict(second)])
    assert joined["fid"].tolist() == [1, 2, 3] and len(joined["geom"]) == 3


def test_json_report_written_finding_by_finding_is_the_same_text(tmp_path):
    """The report is written in pieces (never every finding's dictionary and the whole text at once), the
    same text as one ``json.dumps`` of the report, with findings, without any, and with odd values."""
    import json

    from opendata_publisher.core.report import report_json_chunks
    from opendata_publisher.core.safe_write import write_text_chunks

    layer = _gpkg_with_everything(tmp_path)
    report = validate(LayerInput.from_layer(layer), parse_schema(SCHEMA))
    report.findings[0].value = 'ligne 1\nligne 2 « guillemets » "\\ é'
    assert len(report.findings) > 20
    for findings in (report.findings, report.findings[:1], []):
        report.findings = findings
        expected = json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
        chunks = list(report_json_chunks(report))
        assert "".join(chunks) == report_to_json(report) == expected
        assert len(chunks) == (len(findings) + 2 if findings else 1)
        target = write_text_chunks(tmp_path / "rapport.json", iter(chunks), "Le rapport")
        assert target.read_bytes() == expected.encode("utf-8")
        assert json.loads(target.read_text(encoding="utf-8"))["findings"] == [f.to_dict() for f in findings]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".rapport")] == []


def test_seen_hashes_answer_like_a_set_and_rebuild_only_small_arrays():
    """Uniqueness over millions of rows: membership as exact as a set of the hashes, and adding a batch
    never copies the whole sorted array (memory: 8 bytes a value, not three copies of them)."""
    import numpy as np

    from opendata_publisher.core.validation.columnar_pass import _SeenHashes

    seen = _SeenHashes(np)
    known = set()
    rng = np.random.default_rng(7)
    for _ in range(40):
        batch = rng.integers(-(2**63), 2**63 - 1, size=5000, dtype=np.int64)
        if known:
            batch[:1000] = rng.choice(np.array(sorted(known), dtype=np.int64), 1000)
        batch[1000:1004] = [-(2**63), 2**63 - 1, 0, -1]
        assert seen.contains(batch).tolist() == [h in known for h in batch.tolist()]
        seen.add(batch)
        known.update(batch.tolist())
    sizes = [len(bucket) for bucket in seen.buckets]
    assert sum(sizes) >= len(known)
    assert max(sizes) < sum(sizes) / 16


def _both_readers(layer, schema):
    """The report of the columnar path (when it applies) and of the QGIS path."""
    fast = validate(LayerInput.from_layer(layer), schema)
    slow_input = LayerInput.from_layer(layer)
    slow_input.ogr = None
    slow = validate(slow_input, schema)

    def key(report):
        return sorted((str(f.feature_id), str(f.field), f.full_code, repr(f.value), f.row) for f in report.findings)

    assert key(fast) == key(slow)
    return fast, slow


def _points(fields, rows):
    """A WGS 84 point layer, every feature at Orléans."""
    point = QgsGeometry.fromPointXY(QgsPointXY(1.909, 47.902))
    return memory_layer(fields, [(row, point) for row in rows], "Point", "EPSG:4326")


def _write(layer, path, driver, encoding="UTF-8"):
    from qgis.core import QgsCoordinateTransformContext

    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = driver
    options.fileEncoding = encoding
    QgsVectorFileWriter.writeAsVectorFormatV2(layer, str(path), QgsCoordinateTransformContext(), options)
    written = QgsVectorLayer(str(path), "written", "ogr")
    assert written.isValid()
    return written


def test_shapefile_in_windows_1252_is_decoded_like_qgis_does(tmp_path):
    """GDAL 3.6's Arrow stream hands a Shapefile's bytes undecoded: QGIS, which knows the .cpg, reads it."""
    source = _points("field=nom:string", [["Évry-Courcouronnes"]])
    layer = _write(source, tmp_path / "communes.shp", "ESRI Shapefile", "windows-1252")
    assert (tmp_path / "communes.cpg").read_text() == "1252"
    assert "Évry".encode("cp1252") in (tmp_path / "communes.dbf").read_bytes()
    schema = parse_schema(
        {"fields": [{"name": "nom", "type": "string", "constraints": {"enum": ["Évry-Courcouronnes"]}}]}
    )
    fast, _slow = _both_readers(layer, schema)
    assert fast.valid, fast.findings


def test_dates_before_1970_are_the_same_in_both_readers(tmp_path):
    """GDAL 3.6's generic Arrow stream reads 1900-01-01 as 1900-01-02 (not the GeoPackage one)."""
    import datetime

    source = _points("field=d:date", [[QDate(1900, 1, 1)], [QDate(1969, 12, 31)], [QDate(2024, 5, 1)]])
    schema = parse_schema({"fields": [{"name": "d", "type": "date", "constraints": {"minimum": "2000-01-01"}}]})
    for driver, name in (("GeoJSON", "d.geojson"), ("ESRI Shapefile", "d.shp"), ("GPKG", "d.gpkg")):
        fast, _slow = _both_readers(_write(source, tmp_path / name, driver), schema)
        assert sorted(f.value for f in fast.findings) == [datetime.date(1900, 1, 1), datetime.date(1969, 12, 31)]
        if driver == "GPKG":
            assert fast.reader == "arrow"


def test_nan_is_a_missing_value_in_both_readers(tmp_path):
    source = _points("field=r:double", [[float("nan")], [1.0], [None]])
    schema = parse_schema({"fields": [{"name": "r", "type": "number", "constraints": {"required": True}}]})
    fast, _slow = _both_readers(_write(source, tmp_path / "nan.shp", "ESRI Shapefile"), schema)
    assert fast.reader == "arrow"
    assert [(f.full_code, f.value) for f in fast.findings] == [("constraint-error/required", None)] * 2


def test_every_point_of_a_multipoint_is_located_without_crashing(tmp_path):
    rows = [
        ([0], QgsGeometry.fromWkt("MULTIPOINT((2 47),(60 10))")),
        ([1], QgsGeometry.fromWkt("MULTIPOINT((2 47))")),
        ([2], QgsGeometry.fromWkt("MULTIPOINT((47 2),(2 47))")),
    ]
    source = memory_layer("field=n:integer", rows, "MultiPoint", "EPSG:4326")
    layer = _write(source, tmp_path / "multi.gpkg", "GPKG")
    fast, _slow = _both_readers(layer, parse_schema({"fields": [{"name": "n", "type": "integer"}]}))
    by_n = {f["n"]: codes(fast, f.id()) for f in layer.getFeatures()}
    assert by_n == {0: ["french-gps-coordinates"], 1: [], 2: ["reversed-french-gps-coordinates"]}


def test_a_filter_ogr_does_not_understand_is_still_applied(tmp_path):
    source = _points("field=n:integer", [[0], [1], [2]])
    layer = _write(source, tmp_path / "n.shp", "ESRI Shapefile")
    assert layer.setSubsetString("SELECT * FROM n WHERE n >= 1")
    assert layer.featureCount() == 2
    schema = parse_schema({"fields": [{"name": "n", "type": "integer", "constraints": {"minimum": 5}}]})
    fast, _slow = _both_readers(layer, schema)
    assert fast.feature_count == 2
    assert sorted(f.value for f in fast.findings) == [1, 2]


def test_unsaved_edits_are_checked(tmp_path, schema):
    source = memory_layer(FIELDS.replace("nb_voiture", "nb_voitures_electriques"), [["P1", "Gare", "tous", 1, None, 1]])
    layer = _write(source, tmp_path / "edit.gpkg", "GPKG")
    assert validate_layer(layer, schema).valid
    feature = next(layer.getFeatures())
    assert layer.startEditing()
    layer.changeAttributeValue(feature.id(), layer.fields().indexOf("nb_places"), -4)
    report = validate_layer(layer, schema)
    layer.rollBack()
    assert report.reader == "qgis"
    assert [(f.full_code, f.value) for f in report.findings] == [("constraint-error/minimum", -4)]


def test_ogr_csv_rows_with_only_delimiters_are_features(tmp_path):
    """OGR skips empty lines only; a line of delimiters is a feature, so the rows after it keep their number."""
    schema = parse_schema({"fields": [{"name": "id", "type": "integer"}, {"name": "txt", "type": "string"}]})
    path = tmp_path / "commas.csv"
    path.write_text("id,txt\n1,a\n,\nx,b\n\n,\nbad,d\n", encoding="utf-8")
    for uri, provider in (
        (f"file://{path}?type=csv&detectTypes=no&geomType=none", "delimitedtext"),
        (str(path), "ogr"),
    ):
        report = validate_layer(QgsVectorLayer(uri, "commas", provider), schema)
        assert [(f.row, f.value) for f in report.findings if f.code == "type-error"] == [(4, "x"), (7, "bad")]


def test_the_columnar_reader_leaves_gdal_error_mode_alone(tmp_path, schema):
    """gdal.UseExceptions() would change how GDAL behaves for every other plugin of the QGIS session."""
    from osgeo import gdal

    before = gdal.GetUseExceptions()
    layer = _gpkg_with_everything(tmp_path)
    assert validate_layer(layer, schema).reader == "arrow"
    assert gdal.GetUseExceptions() == before
