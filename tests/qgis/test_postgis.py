"""PostgreSQL/PostGIS layers checked on the server: the same findings as QGIS reading every row.

A real throw-away PostgreSQL + PostGIS cluster (tests/helpers/postgis.py) holds layers with every mistake
of the file tests; each layer is checked twice, through the server-side path (core/postgis.py) and
through plain QGIS iteration, and the findings must be the same, byte for byte.
"""

from __future__ import annotations

import pytest
from qgis.core import QgsFeedback, QgsVectorLayer

from opendata_publisher.core import postgis
from opendata_publisher.core.legal import collect
from opendata_publisher.core.legal.collect import LegalInput
from opendata_publisher.core.schema.model import parse_schema
from opendata_publisher.core.validation import LayerInput, validate
from tests.conftest import _skip_or_fail
from tests.helpers.postgis import PostgisServer, skip_reason

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
        {"name": "Xlong", "type": "number"},
        {"name": "Ylat", "type": "number"},
        {"name": "siret", "type": "string", "constraints": {"pattern": "^\\d{14}$"}},
        {"name": "tarif", "type": "number", "constraints": {"maximum": 10}},
        {"name": "ouvert", "type": "boolean"},
        {"name": "vu", "type": "datetime"},
        {"name": "code", "type": "string", "constraints": {"pattern": "^[A-Z]{2}$"}},
        {"name": "ratio", "type": "number", "constraints": {"minimum": 0}},
        {"name": "uid", "type": "string", "format": "uuid"},
    ],
    "primaryKey": ["id", "nb_places"],
    "custom_checks": [{"name": "siret", "params": {"column": "siret"}}],
}

POINTS_SQL = """
CREATE TABLE parkings (
    gid serial PRIMARY KEY, id text, nom text, type_usagers text, nb_places integer, date_maj date,
    nb_voitures_electriques integer, "Xlong" double precision, "Ylat" double precision, siret text,
    tarif numeric(6, 2), ouvert boolean, vu timestamp, code varchar(4), ratio real, uid uuid,
    geom geometry(Point, 2154));
INSERT INTO parkings (id, nom, type_usagers, nb_places, date_maj, nb_voitures_electriques, "Xlong", "Ylat",
                      siret, tarif, ouvert, vu, code, ratio, uid, geom)
SELECT 'P' || (i % 290),
       CASE WHEN i % 50 = 0 THEN NULL ELSE 'Parking ' || i END,
       (ARRAY['tous', 'abonnés', 'Tous', NULL])[i % 4 + 1],
       CASE WHEN i = 5 THEN -1 WHEN i = 17 THEN 16 ELSE i END,
       CASE WHEN i % 3 <> 0 THEN DATE '2024-01-01' + (i % 28) END,
       NULL,
       CASE WHEN i = 7 THEN 47.9 ELSE 1.9 + i / 1000.0 END,
       CASE WHEN i = 7 THEN 1.9 + i / 1000.0 ELSE 47.9 END,
       (ARRAY['21920044100018', '21450234500016', '35600000000001', '2145023450001', '214 502 345 00016',
              '', NULL])[i % 7 + 1],
       CASE WHEN i % 40 = 0 THEN 12.5 WHEN i % 9 = 0 THEN 'NaN'::numeric ELSE (i % 10)::numeric END,
       CASE WHEN i % 3 = 0 THEN NULL ELSE i % 2 = 0 END,
       CASE WHEN i % 5 <> 0 THEN TIMESTAMP '2024-03-01 08:30:00.250' + i * INTERVAL '1 hour' END,
       (ARRAY['AB', 'ab', 'ABC', NULL])[i % 4 + 1],
       CASE WHEN i % 11 = 0 THEN 'NaN'::real WHEN i % 13 = 0 THEN -0.5 ELSE i / 7.0 END,
       CASE WHEN i % 6 <> 0 THEN md5(i::text)::uuid END,
       CASE WHEN i = 13 THEN NULL
            WHEN i = 11 THEN ST_SetSRID(ST_MakePoint(0, 0), 2154)
            WHEN i = 19 THEN ST_SetSRID(ST_MakePoint(-3, 48), 2154)
            WHEN i = 23 THEN 'SRID=2154;POINT EMPTY'::geometry
            ELSE ST_SetSRID(ST_MakePoint(619000 + i, 6754000), 2154) END
FROM generate_series(0, 299) AS i;
"""

POLYGONS_SQL = """
CREATE TABLE zones (gid serial PRIMARY KEY, id text, nom text, geom geometry(Polygon, 2154));
INSERT INTO zones (id, nom, geom)
SELECT 'Z' || (i % 45), 'Zone ' || i,
       CASE WHEN i = 3 THEN 'SRID=2154;POLYGON((0 0, 10 10, 10 0, 0 10, 0 0))'::geometry
            WHEN i = 4 THEN 'SRID=2154;POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (20 20, 30 20, 30 30, 20 20))'::geometry
            WHEN i = 6 THEN NULL
            ELSE ST_Buffer(ST_SetSRID(ST_MakePoint(650000 + i * 100, 6860000), 2154), 20) END
FROM generate_series(0, 49) AS i;
"""

ZONES_SCHEMA = {
    "name": "zones",
    "fields": [
        {"name": "id", "type": "string", "constraints": {"unique": True}},
        {"name": "nom", "type": "string"},
    ],
}


@pytest.fixture(scope="module")
def server():
    reason = skip_reason()
    if reason:
        _skip_or_fail(reason)
    instance = PostgisServer()
    try:
        instance.start()
        instance.sql(POINTS_SQL)
        instance.sql(POLYGONS_SQL)
        yield instance
    finally:
        instance.stop()


def _layer(server, table, sql=""):
    layer = QgsVectorLayer(server.uri(table, key="gid", sql=sql), table, "postgres")
    assert layer.isValid(), table
    return layer


def _key(report):
    return [(f.feature_id, f.field, f.full_code, repr(f.value), f.message, f.severity) for f in report.findings]


def _both(layer, schema, selected_only=False):
    fast_input = LayerInput.from_layer(layer, selected_only)
    assert fast_input.postgis is not None
    fast = validate(fast_input, schema, feedback=QgsFeedback())
    slow_input = LayerInput.from_layer(layer, selected_only)
    slow_input.postgis = None
    slow = validate(slow_input, schema)
    assert fast.reader == "postgis", getattr(fast, "fallback_reason", "")
    assert slow.reader == "qgis"
    assert _key(fast) == _key(slow)
    assert fast.to_dict() == slow.to_dict()
    return fast


def test_server_side_check_finds_what_qgis_finds(server):
    report = _both(_layer(server, "parkings"), parse_schema(SCHEMA))
    found = {f.full_code for f in report.findings}
    assert {
        "unique-error",
        "constraint-error/required",
        "constraint-error/enum",
        "constraint-error/minimum",
        "constraint-error/maximum",
        "constraint-error/pattern",
        "reversed-french-gps-coordinates",
        "french-gps-coordinates",
        "geometry-missing",
        "siret",
    } <= found
    assert sum(f.code == "unique-error" for f in report.findings) == 10  # P0…P9 seen again from row 290 on
    missing = {f.feature_id for f in report.findings if f.code == "geometry-missing"}
    assert missing == {14, 24}  # gid = i + 1: the NULL and the empty point
    outside = {f.feature_id for f in report.findings if f.code == "french-gps-coordinates" and f.field is None}
    assert {12, 20} <= outside  # (0, 0) and (-3, 48) in Lambert-93: far from France


def test_filter_and_selection_are_applied_on_the_server(server):
    schema = parse_schema(SCHEMA)
    filtered = _layer(server, "parkings", sql='"nb_places" > 100')
    report = _both(filtered, schema)
    assert report.feature_count == filtered.featureCount() < 300
    assert all(f.feature_id is None or f.feature_id > 100 for f in report.findings)
    layer = _layer(server, "parkings")
    layer.selectByIds([1, 2, 3, 6, 8, 12, 14, 291, 292])
    selected = _both(layer, schema, selected_only=True)
    assert {f.feature_id for f in selected.findings} - {None} <= {1, 2, 3, 6, 8, 12, 14, 291, 292}
    assert any(f.code == "unique-error" and f.feature_id in (291, 292) for f in selected.findings)


def test_invalid_polygons_on_the_server(server):
    report = _both(_layer(server, "zones"), parse_schema(ZONES_SCHEMA))
    # a bow-tie and a polygon whose hole lies outside its shell
    assert {f.feature_id for f in report.findings if f.code == "geometry-invalid"} == {4, 5}
    assert {f.feature_id for f in report.findings if f.code == "geometry-missing"} == {7}
    assert sum(f.code == "unique-error" for f in report.findings) == 5


def test_only_failing_rows_come_back(server):
    layer = _layer(server, "parkings")
    source = LayerInput.from_layer(layer).postgis
    rows = list(postgis.failing_rows(source, [(["id"], {'["P3"]', '["P4"]'})]))
    assert [fid for fid, _texts in rows] == [4, 5, 294, 295]
    suspects = postgis.geometry_suspects(source, check_validity=False, locate_points=True)
    assert {12, 14, 20, 24} <= set(suspects) and len(suspects) < 10


def test_many_failing_values_and_unusual_types(server, monkeypatch):
    """Beyond the keys one query may carry, the failing rows are found by reading the layer; a column of a
    type QGIS's connection converts otherwise (json) sends the layer to the QGIS reading."""
    monkeypatch.setattr(postgis, "MAX_LITERAL_KEYS", 3)
    monkeypatch.setattr(postgis, "FETCH_ROWS", 7)  # many batches from the cursor
    _both(_layer(server, "parkings"), parse_schema(SCHEMA))
    server.sql("CREATE TABLE notes (gid serial PRIMARY KEY, id json); INSERT INTO notes (id) VALUES ('{\"a\": 1}')")
    layer = QgsVectorLayer(server.uri("notes", geometry="", key="gid"), "notes", "postgres")
    assert layer.isValid()
    report = validate(LayerInput.from_layer(layer), parse_schema(ZONES_SCHEMA))
    assert report.reader == "qgis"


def test_layers_without_an_integer_key_are_read_by_qgis(server):
    server.sql("CREATE TABLE coded (code text PRIMARY KEY, nom text); INSERT INTO coded VALUES ('a', NULL)")
    layer = QgsVectorLayer(server.uri("coded", geometry="", key="code"), "coded", "postgres")
    assert layer.isValid()
    assert LayerInput.from_layer(layer).postgis is None
    report = validate(LayerInput.from_layer(layer), parse_schema(ZONES_SCHEMA))
    assert report.reader == "qgis"


PERSONS_SQL = """
CREATE TABLE habitants (gid serial PRIMARY KEY, nom text, courriel text, tel text, date_naissance date,
                        effectif integer, taux double precision, geom geometry(Point, 4326));
INSERT INTO habitants (nom, courriel, tel, date_naissance, effectif, taux, geom)
SELECT (ARRAY['Jean Exemple', 'Marie Test', NULL])[i % 3 + 1],
       CASE WHEN i % 5 <> 0 THEN 'personne' || (i % 7) || '@exemple.fr' END,
       CASE WHEN i % 2 = 1 THEN '06 00 00 00 01' ELSE '02 38 00 00 00' END,
       CASE WHEN i % 4 <> 0 THEN DATE '1950-01-01' + (i * 97) END,
       i % 6, CASE WHEN i % 10 <> 0 THEN i / 8.0 END,
       ST_SetSRID(ST_MakePoint(1.9 + i / 1000.0, 47.9), 4326)
FROM generate_series(0, 119) AS i;
"""


def test_legal_check_counts_on_the_server(server, monkeypatch):
    from opendata_publisher.core.legal import collect

    server.sql(PERSONS_SQL)
    layer = _layer(server, "habitants")
    slow_input = collect.LegalInput.from_layer(layer)
    slow_input.layer_input.postgis = None
    slow = collect.legal_check(slow_input)

    def refuse(*_args):
        raise AssertionError("a PostgreSQL layer must be counted on the server")

    monkeypatch.setattr(collect, "_count_with_qgis", refuse)
    fast = collect.legal_check(collect.LegalInput.from_layer(layer))
    assert fast.to_dict() == slow.to_dict()
    assert {"legal-email", "legal-person-name", "legal-birth-date"} <= {f.code for f in fast.findings}


def test_a_layer_showing_one_geometry_type_of_its_table_is_read_by_qgis(server):
    """QGIS shows only the polygons of a generic geometry column: the server's table holds more rows than
    the layer, so the check reads the layer through QGIS (never findings on rows the agent does not see)."""
    server.sql(
        "CREATE TABLE melange (gid serial PRIMARY KEY, id text, geom geometry(Geometry, 2154));"
        "INSERT INTO melange (id, geom) VALUES ('a', 'SRID=2154;POINT(650000 6860000)'),"
        "('a', 'SRID=2154;POLYGON((650000 6860000, 650010 6860000, 650010 6860010, 650000 6860000))'),"
        "('b', 'SRID=2154;POLYGON((650000 6860000, 650010 6860000, 650010 6860010, 650000 6860000))')"
    )
    uri = server.uri("melange", key="gid").replace(" table=", " type=Polygon srid=2154 table=")
    layer = QgsVectorLayer(uri, "melange", "postgres")
    assert layer.isValid() and layer.featureCount() == 2
    report = validate(LayerInput.from_layer(layer), parse_schema(ZONES_SCHEMA))
    assert report.reader == "qgis"
    assert not any(f.code == "unique-error" for f in report.findings)
    legal = LegalInput.from_layer(layer)
    assert sum(collect.collect(legal).fields[1].values.values()) == 2


def test_typed_duplicates_of_a_text_column_are_found_on_the_server(server):
    """« 7 » and « 007 » in a text column are the same integer: uniqueness and keys compare typed values,
    which the client counts when the column's own type does not give them."""
    server.sql(
        "CREATE TABLE numeros (gid serial PRIMARY KEY, num text, lettre text);"
        "INSERT INTO numeros (num, lettre) VALUES ('7', 'a'), ('007', 'a'), ('8', 'b'), (NULL, NULL), ('x', 'c'),"
        "(' 8', 'b'), ('9', NULL)"
    )
    schema = parse_schema(
        {
            "name": "numeros",
            "fields": [
                {"name": "num", "type": "integer", "constraints": {"unique": True}},
                {"name": "lettre", "type": "string"},
            ],
            "primaryKey": ["num", "lettre"],
        }
    )
    layer = QgsVectorLayer(server.uri("numeros", geometry="", key="gid"), "numeros", "postgres")
    report = _both(layer, schema)
    assert {f.feature_id for f in report.findings if f.code == "unique-error"} == {2, 6}
    assert {f.feature_id for f in report.findings if f.code == "primary-key"} == {2, 4, 6}  # 4: a null key
