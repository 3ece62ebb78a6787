"""Exports for publication: CSV in the schema's order with lon/lat from the geometry, GeoJSON RFC 7946,
GeoPackage, zipped Shapefile; cancel and disk errors."""

from __future__ import annotations

import csv
import json
import zipfile

import pytest
from qgis.core import QgsFeature, QgsFeedback, QgsGeometry, QgsPointXY, QgsVectorLayer

from opendata_publisher.core.export.writers import (
    ExportError,
    ExportInput,
    export_csv,
    export_formats,
    export_geojson,
    export_gpkg,
    export_shapefile_zip,
)
from opendata_publisher.core.mapping import FieldMapping
from opendata_publisher.core.schema.model import parse_schema

SCHEMA = parse_schema(
    {
        "name": "test/points",
        "fields": [
            {"name": "id", "type": "string"},
            {"name": "nom_parking", "type": "string"},
            {"name": "absent", "type": "string"},
            {"name": "Xlong", "type": "number"},
            {"name": "Ylat", "type": "number"},
            {"name": "position", "type": "geopoint", "format": "array"},
            {"name": "places", "type": "integer"},
        ],
    },
    "test",
)

# Lambert 93's natural origin: (700000, 6600000) is exactly lon 3°, lat 46.5° (RGF93 ~ WGS 84).
POINTS = [
    ("A", "Gare", 12, "interne", 700000.0, 6600000.0),
    ("B", "Marché, place « centrale »", 0, "x", 700000.0, 6600000.0),
]


def make_layer() -> QgsVectorLayer:
    layer = QgsVectorLayer(
        "Point?crs=EPSG:2154&field=places:integer&field=NOM:string&field=id:string&field=interne:string",
        "points",
        "memory",
    )
    features = []
    for ident, name, places, internal, x, y in POINTS:
        feature = QgsFeature(layer.fields())
        feature.setAttributes([places, name, ident, internal])
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
        features.append(feature)
    assert layer.dataProvider().addFeatures(features)[0]
    return layer


def export_input(layer=None) -> ExportInput:
    return ExportInput.from_layer(layer or make_layer(), SCHEMA, FieldMapping({"NOM": "nom_parking"}))


def test_csv_schema_order_names_and_lonlat_from_geometry(tmp_path):
    path = export_csv(export_input(), tmp_path / "out.csv")
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8").splitlines()))
    assert rows[0] == ["id", "nom_parking", "absent", "Xlong", "Ylat", "position", "places"]
    assert rows[1] == ["A", "Gare", "", "3", "46.5", "[3, 46.5]", "12"]
    assert rows[2][1] == "Marché, place « centrale »"
    assert rows[2][6] == "0"
    assert "interne" not in raw.decode("utf-8")  # fields outside the schema are not published


def test_csv_without_schema_keeps_the_layer_fields(tmp_path):
    inp = ExportInput.from_layer(make_layer())
    rows = list(csv.reader(export_csv(inp, tmp_path / "raw.csv").read_text(encoding="utf-8").splitlines()))
    assert rows[0] == ["places", "NOM", "id", "interne"]
    assert rows[1] == ["12", "Gare", "A", "interne"]


def test_csv_without_schema_leaves_out_the_geopackage_fid(tmp_path):
    # the GeoPackage's storage key is not data: the published CSV has the layer's own fields only
    source = export_gpkg(ExportInput.from_layer(make_layer()), tmp_path / "source.gpkg")
    layer = QgsVectorLayer(str(source), "source", "ogr")
    assert layer.isValid() and "fid" in layer.fields().names()
    rows = list(csv.reader(export_csv(ExportInput.from_layer(layer), tmp_path / "out.csv").read_text().splitlines()))
    assert rows[0] == ["places", "NOM", "id", "interne"]


def test_geojson_is_rfc7946_in_wgs84(tmp_path):
    path = export_geojson(export_input(), tmp_path / "out.geojson")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert "crs" not in data
    feature = data["features"][0]
    lon, lat = feature["geometry"]["coordinates"]
    assert lon == pytest.approx(3.0, abs=1e-7) and lat == pytest.approx(46.5, abs=1e-7)
    assert feature["properties"]["nom_parking"] == "Gare"
    assert list(feature["properties"])[:2] == ["id", "nom_parking"]
    assert feature["properties"]["Xlong"] == pytest.approx(3.0)


def test_gpkg_and_zipped_shapefile_open(tmp_path):
    gpkg = export_gpkg(export_input(), tmp_path / "out.gpkg", "points")
    layer = QgsVectorLayer(f"{gpkg}|layername=points", "g", "ogr")
    assert layer.isValid() and layer.featureCount() == 2
    assert layer.crs().authid() == "EPSG:2154"
    assert [f.name() for f in layer.fields()][-7:] == [
        "id",
        "nom_parking",
        "absent",
        "Xlong",
        "Ylat",
        "position",
        "places",
    ]

    archive = export_shapefile_zip(export_input(), tmp_path / "out.shp.zip")
    names = zipfile.ZipFile(archive).namelist()
    assert {"out.shp", "out.dbf", "out.shx", "out.prj", "out.cpg"} <= set(names)
    shp = QgsVectorLayer(f"/vsizip/{archive}/out.shp", "s", "ogr")
    assert shp.isValid() and shp.featureCount() == 2
    values = sorted(f["nom_parkin"] for f in shp.getFeatures())  # DBF names are cut at 10 characters
    assert values == ["Gare", "Marché, place « centrale »"]
    assert not list(tmp_path.glob(".*-shp"))  # staging folder removed


def test_export_formats_names_files_and_reports_progress(tmp_path):
    labels = []
    written = export_formats(
        export_input(), ["csv", "geojson"], tmp_path, "parkings", progress=lambda d, t, label: labels.append(label)
    )
    assert [(fmt, p.name) for fmt, p in written] == [("csv", "parkings.csv"), ("geojson", "parkings.geojson")]
    assert "Export CSV : 2 / 2 entités" in labels and "Export GeoJSON : 2 / 2 entités" in labels
    with pytest.raises(ExportError, match="Format d'export inconnu"):
        export_formats(export_input(), ["xlsx"], tmp_path, "x")


def test_cancel_removes_the_partial_file(tmp_path):
    feedback = QgsFeedback()
    feedback.cancel()
    for writer in (export_csv, export_geojson):
        target = tmp_path / f"cancelled.{writer.__name__}"
        with pytest.raises(ExportError) as caught:
            writer(export_input(), target, feedback)
        assert caught.value.kind == "cancelled" and "annulé" in str(caught.value)
        assert not target.exists()


def test_disk_full_and_unusable_folder_are_french_errors(tmp_path):
    import os

    if not os.path.exists("/dev/full"):
        pytest.skip("/dev/full is not available")
    with pytest.raises(ExportError) as caught:
        export_csv(export_input(), "/dev/full")
    assert caught.value.kind == "disk-full" and "disque est plein" in str(caught.value)
    assert os.path.exists("/dev/full")  # the device is never removed

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(ExportError) as caught:
        export_csv(export_input(), blocker / "sub" / "out.csv")
    assert "Écriture impossible" in str(caught.value) or "accessible en écriture" in str(caught.value)


def test_source_is_not_modified(tmp_path):
    layer = make_layer()
    before = [f.attributes() for f in layer.getFeatures()]
    export_formats(export_input(layer), ["csv", "geojson", "gpkg", "shp"], tmp_path, "all")
    assert [f.attributes() for f in layer.getFeatures()] == before
    assert not layer.isModified()


def _wgs84_geopackage(tmp_path, decimals=None):
    from qgis.core import QgsCoordinateTransformContext, QgsVectorFileWriter
    from qgis.PyQt.QtCore import QDate, QDateTime

    layer = QgsVectorLayer(
        "Point?crs=EPSG:4326&field=places:integer&field=NOM:string&field=id:string&field=taux:double"
        "&field=maj:date&field=vu:datetime&field=ouvert:boolean",
        "points",
        "memory",
    )
    features = []
    for i in range(250):
        feature = QgsFeature(layer.fields())
        feature.setAttributes(
            [
                i if i % 7 else None,
                ["Gare « centrale »", 'Marché, "place"', "ligne\nsuivante", None, ""][i % 5],
                f"P{i}",
                [0.1 + i / 3, 1e-9 * i, None, 12345678.125][i % 4],
                QDate(2024, 1, 1 + i % 28) if i % 3 else None,
                QDateTime(QDate(2024, 2, 1 + i % 20), QDate(2024, 1, 1).startOfDay().time()) if i % 4 else None,
                [True, False, None][i % 3],
            ]
        )
        x, y = 1.9 + i / 997 - 1.95, 47.9 - i / 1009
        if decimals is not None:  # coordinates of a few decimals, longitudes on both sides of Greenwich
            x, y = round(x, decimals), round(y, decimals)
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
        features.append(feature)
    assert layer.dataProvider().addFeatures(features)[0]
    path = str(tmp_path / "source.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    QgsVectorFileWriter.writeAsVectorFormatV2(layer, path, QgsCoordinateTransformContext(), options)
    source = QgsVectorLayer(path, "source", "ogr")
    assert source.isValid()
    return source


@pytest.mark.parametrize("with_schema", [False, True])
def test_geojson_of_a_whole_wgs84_file_is_written_by_gdal_identically(tmp_path, monkeypatch, with_schema):
    from opendata_publisher.core.export import writers

    layer = _wgs84_geopackage(tmp_path)
    schema = None
    mapping = None
    if with_schema:
        fields = [("id", "string"), ("nom", "string"), ("places", "integer"), ("taux", "number")]
        fields += [("maj", "date"), ("vu", "datetime"), ("ouvert", "boolean")]
        schema = parse_schema({"name": "t", "fields": [{"name": n, "type": t} for n, t in fields]}, "test")
        mapping = FieldMapping({"NOM": "nom"})
    streamed = writers._write_vector(
        ExportInput.from_layer(layer, schema, mapping),
        tmp_path / "streamed.geojson",
        "GeoJSON",
        "GeoJSON",
        writers.QgsCoordinateReferenceSystem("EPSG:4326"),
        ["RFC7946=YES", "COORDINATE_PRECISION=7", "WRITE_NAME=NO"],
    )

    def refuse(*_args, **_kwargs):
        raise AssertionError("a whole WGS 84 file must be translated by GDAL, not streamed")

    monkeypatch.setattr(writers, "_write_vector", refuse)
    labels = []
    fast = export_geojson(
        ExportInput.from_layer(layer, schema, mapping),
        tmp_path / "fast.geojson",
        progress=lambda d, t, label: labels.append((d, t)),
    )
    assert fast.read_bytes() == streamed.read_bytes()
    assert labels[-1] == (250, 250)
    names = list(json.loads(fast.read_text(encoding="utf-8"))["features"][0]["properties"])
    assert names == (
        ["id", "nom", "places", "taux", "maj", "vu", "ouvert"]
        if with_schema
        else ["places", "NOM", "id", "taux", "maj", "vu", "ouvert"]
    )


def test_filtered_or_reprojected_layers_are_streamed(tmp_path, monkeypatch):
    from opendata_publisher.core.export import writers

    layer = _wgs84_geopackage(tmp_path)
    layer.setSubsetString('"places" > 100')
    calls = []
    original = writers._write_vector
    monkeypatch.setattr(writers, "_write_vector", lambda *a, **k: calls.append(1) or original(*a, **k))
    path = export_geojson(ExportInput.from_layer(layer), tmp_path / "filtered.geojson")
    assert calls and len(json.loads(path.read_text(encoding="utf-8"))["features"]) == layer.featureCount()
    calls.clear()
    export_geojson(export_input(), tmp_path / "lambert.geojson")  # Lambert-93 memory layer
    assert calls


# ------------------------------------------------------------------ CSV written by GDAL (issue 15, item 3)

TRICKY_TEXTS = [
    "Gare « centrale »",
    'Marché, "place"',
    "ligne\nsuivante",
    "fin\r\nde ligne",
    None,
    "",
    "a;b",
    "tab\tulation",
    '"',
    " espaces ",
    "0012",
    "1e5",
    "=1+2",
    "Œuvre — été",
]
#: reals GDAL's %.15g prints as Python's shortest form (the GDAL path keeps them)
ALIKE_REALS = [0.1, 2.5, -3.25, 12345678.125, 1e6, 0.0001, 999999999999999.0, 48.8566, -0.5, 0.0, None, 1234.56789]
#: reals GDAL's %.15g prints otherwise (-2.7e-05) but that have a few decimals: written through SQLite's printf
SMALL_REALS = [-2.7e-05, 1e-9, 0.5, None, 3.0, 100.0, 48.123456, -0.000098, 1.25e-7]


def _tricky_geopackage(tmp_path, extra=None, name="tricky"):
    """A real GeoPackage (multi-polygons, empty and NULL geometries, EPSG:2154) with the values a CSV writer
    gets wrong; ``extra``: (OGR field type, subtype, [values]) for one more field ``extra``."""
    from osgeo import ogr, osr

    path = tmp_path / f"{name}.gpkg"
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(2154)
    layer = dataset.CreateLayer(name, srs, ogr.wkbMultiPolygon)
    kinds = [("texte", ogr.OFTString, None), ("entier", ogr.OFTInteger, None), ("grand", ogr.OFTInteger64, None)]
    kinds += [("reel", ogr.OFTReal, None), ("petit", ogr.OFTReal, None)]
    if extra is not None:
        kinds.append(("extra", extra[0], extra[1]))
    for field_name, kind, subtype in kinds:
        definition = ogr.FieldDefn(field_name, kind)
        if subtype is not None:
            definition.SetSubType(subtype)
        layer.CreateField(definition)
    bigs = [9007199254740993, -9223372036854775807, 9223372036854775807, 0, None]
    for i in range(300):
        feature = ogr.Feature(layer.GetLayerDefn())
        values = {
            "texte": TRICKY_TEXTS[i % len(TRICKY_TEXTS)],
            "entier": i * 1000 - 7 if i % 5 else None,
            "grand": bigs[i % len(bigs)],
            "reel": ALIKE_REALS[i % len(ALIKE_REALS)],
            "petit": SMALL_REALS[i % len(SMALL_REALS)],
        }
        if extra is not None:
            values["extra"] = extra[2][i % len(extra[2])]
        for field_name, value in values.items():
            if value is None:
                continue
            if isinstance(value, tuple):
                feature.SetField(field_name, *value)
            else:
                feature.SetField(field_name, value)
        shape = i % 3
        if shape == 0:
            x = 700000 + i
            square = f"(({x} 6600000, {x + 10} 6600000, {x + 10} 6600010, {x} 6600000))"
            feature.SetGeometry(
                ogr.CreateGeometryFromWkt(f"MULTIPOLYGON ({square}, {square.replace('66000', '66001')})")
            )
        elif shape == 1:
            feature.SetGeometry(ogr.CreateGeometryFromWkt("MULTIPOLYGON EMPTY"))
        layer.CreateFeature(feature)
    layer = dataset = None
    source = QgsVectorLayer(str(path), name, "ogr")
    assert source.isValid() and source.featureCount() == 300
    return source


def _streamed_csv(monkeypatch, inp, path):
    from opendata_publisher.core.export import writers

    with monkeypatch.context() as patch:
        patch.setattr(writers, "_gdal_translate", lambda *a, **k: False)
        return export_csv(inp, path)


def _csv_through_gdal_only(monkeypatch, inp, path):
    """export_csv with the streamed writer forbidden."""
    from opendata_publisher.core.export import writers

    def refuse(*_args, **_kwargs):
        raise AssertionError("this layer must be written by GDAL, not streamed")

    with monkeypatch.context() as patch:
        patch.setattr(writers, "csv_line", refuse)
        return export_csv(inp, path)


@pytest.mark.parametrize("with_schema", [False, True])
def test_csv_of_a_whole_file_is_written_by_gdal_identically(tmp_path, monkeypatch, with_schema):
    layer = _tricky_geopackage(tmp_path)
    schema = mapping = None
    if with_schema:  # the schema's order and names (one renamed field), not the layer's
        fields = [("reel", "number"), ("libelle", "string"), ("grand", "integer"), ("entier", "integer")]
        fields.append(("petit", "number"))
        schema = parse_schema({"name": "t", "fields": [{"name": n, "type": t} for n, t in fields]}, "test")
        mapping = FieldMapping({"texte": "libelle"})
    streamed = _streamed_csv(monkeypatch, ExportInput.from_layer(layer, schema, mapping), tmp_path / "streamed.csv")
    labels = []
    fast = export_csv(
        ExportInput.from_layer(layer, schema, mapping),
        tmp_path / "fast.csv",
        progress=lambda d, t, label: labels.append((d, t, label)),
    )
    again = _csv_through_gdal_only(monkeypatch, ExportInput.from_layer(layer, schema, mapping), tmp_path / "g.csv")
    assert fast.read_bytes() == streamed.read_bytes() == again.read_bytes()
    assert labels[-1] == (300, 300, "Export CSV : 300 / 300 entités")

    raw = fast.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"\r\n")
    rows = list(csv.reader(raw.decode("utf-8").splitlines(keepends=True)))
    header = ["reel", "libelle", "grand", "entier", "petit"] if with_schema else ["texte", "entier", "grand", "reel"]
    header += [] if with_schema else ["petit"]
    assert rows[0] == header  # no fid, no geometry column
    assert len(rows) == 301
    by_name = [dict(zip(header, row)) for row in rows[1:]]
    text = "libelle" if with_schema else "texte"
    assert [r[text] for r in by_name[: len(TRICKY_TEXTS)]] == [t or "" for t in TRICKY_TEXTS]
    assert by_name[0]["grand"] == "9007199254740993" and by_name[2]["grand"] == "9223372036854775807"
    reals = [r["reel"] for r in by_name[: len(ALIKE_REALS)]]
    assert reals == ["0.1", "2.5", "-3.25", "12345678.125", "1000000", "0.0001", "999999999999999", "48.8566"] + [
        "-0.5",
        "0",
        "",
        "1234.56789",
    ]
    assert [r["petit"] for r in by_name[: len(SMALL_REALS)]] == ["-0.000027", "0.000000001", "0.5", ""] + [
        "3",
        "100",
        "48.123456",
        "-0.000098",
        "0.000000125",
    ]
    assert b'"a;b"' in raw and b'"tab\tulation"' in raw and b'"fin\r\nde ligne"' in raw


@pytest.mark.parametrize(
    "extra, written",
    [
        ("date", "2024-01-02"),
        ("datetime", "2024-02-01T13:04:05"),
        ("boolean", "true"),
        ("real-17-digits", "0.43333333333333335"),
        ("real-1e15", "1000000000000000.0"),
        ("real-19-decimals", "0.0000000000000012345"),
        ("real-huge", "123456789012345680"),
    ],
)
def test_csv_values_gdal_writes_otherwise_are_streamed(tmp_path, monkeypatch, extra, written):
    from osgeo import ogr

    from opendata_publisher.core.export import writers

    fields = {
        "date": (ogr.OFTDate, None, [(2024, 1, 2, 0, 0, 0, 0)]),
        "datetime": (ogr.OFTDateTime, None, [(2024, 2, 1, 13, 4, 5, 0)]),
        "boolean": (ogr.OFTInteger, ogr.OFSTBoolean, [1]),
        "real-17-digits": (ogr.OFTReal, None, [0.1 + 1 / 3]),
        "real-19-decimals": (ogr.OFTReal, None, [1.2345e-15]),
        "real-1e15": (ogr.OFTReal, None, [1e15]),
        "real-huge": (ogr.OFTReal, None, [123456789012345678.0]),
    }
    layer = _tricky_geopackage(tmp_path, fields[extra])
    calls = []
    original = writers.csv_line
    monkeypatch.setattr(writers, "csv_line", lambda *a: calls.append(1) or original(*a))
    path = export_csv(ExportInput.from_layer(layer), tmp_path / "out.csv")
    assert len(calls) == 301  # streamed: header + every feature
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines(keepends=True)))
    assert rows[0][-1] == "extra" and rows[1][-1] == written


def test_csv_of_filtered_selected_or_single_column_layers_is_streamed(tmp_path, monkeypatch):
    from opendata_publisher.core.export import writers

    calls = []
    original = writers.csv_line
    monkeypatch.setattr(writers, "csv_line", lambda *a: calls.append(1) or original(*a))
    layer = _tricky_geopackage(tmp_path)
    layer.setSubsetString('"entier" > 100000')
    export_csv(ExportInput.from_layer(layer), tmp_path / "filtered.csv")
    assert len(calls) == layer.featureCount() + 1
    layer.setSubsetString("")
    layer.selectByIds([1, 2, 3])
    calls.clear()
    export_csv(ExportInput.from_layer(layer, selected_only=True), tmp_path / "selected.csv")
    assert len(calls) == 4
    schema = parse_schema({"name": "t", "fields": [{"name": "texte", "type": "string"}]}, "test")
    calls.clear()
    path = export_csv(ExportInput.from_layer(layer, schema), tmp_path / "one.csv")
    assert len(calls) == 301
    assert path.read_bytes().count(b'\r\n""\r\n') >= 1  # a lone empty cell is never an empty line


def test_print_alike_never_accepts_a_real_gdal_prints_otherwise():
    import random

    from opendata_publisher.core.export.columns import csv_text
    from opendata_publisher.core.export.writers import print_alike

    randomness = random.Random(15)
    values = [0.1 + 0.2, 1 / 3, 1e-5, 9.999999999999999e-5, 1e15, 999999999999999.9, 5e-324, 1e308, -0.0, 0.0]
    for _ in range(20000):
        pick = randomness.random()
        if pick < 0.4:
            values.append(round(randomness.uniform(-1e6, 1e6), randomness.randint(0, 9)))
        elif pick < 0.6:
            values.append(randomness.uniform(-10, 10))
        elif pick < 0.8:
            values.append(10 ** randomness.uniform(-6, 17) * randomness.choice([1, -1]))
        else:
            values.append(randomness.randint(0, 10 ** randomness.randint(1, 18)) / 10 ** randomness.randint(0, 18))
    accepted = 0
    for value in values:
        if print_alike([value]):
            accepted += 1
            assert f"{value:.15g}" == csv_text(value), value
    assert 5000 < accepted < len(values)  # both kinds were drawn
    assert print_alike(ALIKE_REALS[:-2]) and not print_alike([0.1, 0.1 + 1 / 3])
    assert not print_alike([1.0, -0.0])  # GDAL prints -0, Python 0 (a GeoPackage stores it as 0)


LONLAT_SCHEMA = parse_schema(
    {
        "name": "t",
        "fields": [
            {"name": "id", "type": "string"},
            {"name": "Xlong", "type": "number"},
            {"name": "Ylat", "type": "number"},
            {"name": "places", "type": "integer"},
        ],
    },
    "test",
)
#: longitudes near the Greenwich meridian, more than 7 decimals (rounded, far from a tie), whole degrees
COORDINATES = [(-0.000027, 47.1), (2.1234567, 48.8566), (1.123456789, 45.0), (3.0, 46.5), (-1.99999999, 43.123)]


def _wgs84_points(tmp_path, coordinates, name="points", empty_at=None):
    from osgeo import ogr, osr

    path = tmp_path / f"{name}.gpkg"
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    layer = dataset.CreateLayer(name, srs, ogr.wkbPoint)
    for field_name, kind in (("id", ogr.OFTString), ("places", ogr.OFTInteger), ("Xlong", ogr.OFTReal)):
        layer.CreateField(ogr.FieldDefn(field_name, kind))
    for i in range(120):
        x, y = coordinates[i % len(coordinates)]
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("id", f"P{i};{i}")
        feature.SetField("places", i)
        feature.SetField("Xlong", 99.5)  # the layer's own column: the geometry wins
        point = ogr.Geometry(ogr.wkbPoint)
        if i != empty_at:
            point.AddPoint_2D(x, y)
        feature.SetGeometry(point)
        layer.CreateFeature(feature)
    layer = dataset = None
    source = QgsVectorLayer(str(path), name, "ogr")
    assert source.isValid()
    return source


def test_csv_lon_lat_from_the_points_are_written_by_gdal_identically(tmp_path, monkeypatch):
    layer = _wgs84_points(tmp_path, COORDINATES)
    streamed = _streamed_csv(monkeypatch, ExportInput.from_layer(layer, LONLAT_SCHEMA), tmp_path / "streamed.csv")
    fast = _csv_through_gdal_only(monkeypatch, ExportInput.from_layer(layer, LONLAT_SCHEMA), tmp_path / "fast.csv")
    assert fast.read_bytes() == streamed.read_bytes()
    rows = list(csv.reader(fast.read_text(encoding="utf-8").splitlines()))
    assert rows[0] == ["id", "Xlong", "Ylat", "places"]
    assert [r[1:3] for r in rows[1:6]] == [
        ["-0.000027", "47.1"],
        ["2.1234567", "48.8566"],
        ["1.1234568", "45"],
        ["3", "46.5"],
        ["-2", "43.123"],
    ]


@pytest.mark.parametrize(
    "coordinates, empty_at",
    [
        ([(0.00390625, 45.0)], None),  # 2**-8: an exact tie at the 8th decimal
        ([(-0.00000001, 45.0)], None),  # rounds to -0, written 0
        (COORDINATES, 7),  # an empty point: the layer's own column is written
    ],
)
def test_csv_lon_lat_gdal_cannot_write_alike_are_streamed(tmp_path, monkeypatch, coordinates, empty_at):
    from opendata_publisher.core.export import writers

    layer = _wgs84_points(tmp_path, coordinates, empty_at=empty_at)
    calls = []
    original = writers.csv_line
    monkeypatch.setattr(writers, "csv_line", lambda *a: calls.append(1) or original(*a))
    path = export_csv(ExportInput.from_layer(layer, LONLAT_SCHEMA), tmp_path / "out.csv")
    assert len(calls) == 121
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    if empty_at is None:
        assert rows[1][1] == ("0.0039062" if coordinates[0][0] > 0 else "0")
    else:
        assert rows[1 + empty_at][1:3] == ["99.5", ""]


def test_coordinates_alike_never_accepts_a_coordinate_rounded_otherwise():
    import random

    from opendata_publisher.core.export.columns import format_coordinate
    from opendata_publisher.core.export.writers import coordinates_alike

    randomness = random.Random(7)
    values = [randomness.uniform(-180, 180) for _ in range(5000)]
    values += [round(randomness.uniform(-10, 10), randomness.randint(0, 9)) for _ in range(5000)]
    values += [k / 2**20 for k in range(-3000, 3000)]  # dyadic: exact ties at the 8th decimal among them
    accepted = 0
    for value in values:
        if coordinates_alike([value]):
            accepted += 1
            expected = f"{value:.7f}".rstrip("0").rstrip(".")  # C's correctly rounded printf, as SQLite's
            assert expected == format_coordinate(value), value
    assert 10000 < accepted < len(values)


def test_geojson_lon_lat_from_points_of_few_decimals_are_written_by_gdal_identically(tmp_path, monkeypatch):
    from opendata_publisher.core.export import writers

    layer = _wgs84_geopackage(tmp_path, decimals=6)
    fields = [("id", "string"), ("Xlong", "number"), ("Ylat", "number"), ("places", "integer")]
    fields += [("maj", "date"), ("vu", "datetime"), ("ouvert", "boolean"), ("taux", "number")]
    schema = parse_schema({"name": "t", "fields": [{"name": n, "type": t} for n, t in fields]}, "test")
    options = ["RFC7946=YES", "COORDINATE_PRECISION=7", "WRITE_NAME=NO"]
    wgs84 = writers.QgsCoordinateReferenceSystem("EPSG:4326")
    streamed = writers._write_vector(
        ExportInput.from_layer(layer, schema), tmp_path / "streamed.geojson", "GeoJSON", "GeoJSON", wgs84, options
    )

    def refuse(*_args, **_kwargs):
        raise AssertionError("must be translated by GDAL, not streamed")

    with monkeypatch.context() as patch:
        patch.setattr(writers, "_write_vector", refuse)
        fast = export_geojson(ExportInput.from_layer(layer, schema), tmp_path / "fast.geojson")
    assert fast.read_bytes() == streamed.read_bytes()
    feature = json.loads(fast.read_text(encoding="utf-8"))["features"][1]
    assert list(feature["properties"]) == [name for name, _type in fields]
    assert feature["properties"]["Xlong"] == feature["geometry"]["coordinates"][0] == round(1.9 + 1 / 997 - 1.95, 6)

    # coordinates of many decimals (rounded to 7 by the export): streamed
    (tmp_path / "fin").mkdir()
    layer = _wgs84_geopackage(tmp_path / "fin")
    calls = []
    monkeypatch.setattr(writers, "_write_vector", lambda *a, **k: calls.append(1) or streamed)
    export_geojson(ExportInput.from_layer(layer, schema), tmp_path / "fin.geojson")
    assert calls


def test_csv_of_the_layer_s_own_fields_is_read_without_sql_identically(tmp_path, monkeypatch):
    """Columns that are the layer's fields, unrenamed, no expression: GDAL reads the fields, no SQL layer."""
    from osgeo import gdal

    layer = _tricky_geopackage(tmp_path)
    schema = parse_schema(
        {"name": "t", "fields": [{"name": n, "type": "string"} for n in ("grand", "texte", "reel", "entier")]}, "t"
    )
    streamed = _streamed_csv(monkeypatch, ExportInput.from_layer(layer, schema), tmp_path / "streamed.csv")
    seen = []
    real = gdal.VectorTranslateOptions
    monkeypatch.setattr(gdal, "VectorTranslateOptions", lambda **k: seen.append(k) or real(**k))
    fast = _csv_through_gdal_only(monkeypatch, ExportInput.from_layer(layer, schema), tmp_path / "fast.csv")
    assert fast.read_bytes() == streamed.read_bytes()
    assert seen[0]["selectFields"] == ["grand", "texte", "reel", "entier"] and "SQLStatement" not in seen[0]
    assert fast.read_text(encoding="utf-8").splitlines()[0] == "grand,texte,reel,entier"


@pytest.mark.parametrize("names", [("Nom commune", "code"), ("a,b", "b"), (" sp", "x")])
def test_field_names_with_spaces_or_commas_are_exported_identically(tmp_path, monkeypatch, names):
    """GDAL splits a list of fields on spaces and commas: such names go through a quoted SQL statement
    (« Nom commune » stays one field), with the streamed writer's bytes."""
    from osgeo import ogr, osr

    path = tmp_path / "noms.gpkg"
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(2154)
    layer = dataset.CreateLayer("noms", srs, ogr.wkbPoint)
    for name in names:
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    for i in range(5):
        feature = ogr.Feature(layer.GetLayerDefn())
        for name in names:
            feature.SetField(name, f"{name}-{i}")
        feature.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({619000 + i} 6754000)"))
        layer.CreateFeature(feature)
    layer = dataset = None
    source = QgsVectorLayer(str(path), "noms", "ogr")
    streamed = _streamed_csv(monkeypatch, ExportInput.from_layer(source), tmp_path / "streamed.csv")
    fast = export_csv(ExportInput.from_layer(source), tmp_path / "fast.csv")
    assert fast.read_bytes() == streamed.read_bytes()
    assert f"{names[0]}-4" in fast.read_text(encoding="utf-8")
