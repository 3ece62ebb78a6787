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

    _refuse_qgis_reading(monkeypatch)
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


def _capped(of, reader=None):
    """The legal check's input with a small cap (50 distinct values, a sample of 100 rows); ``reader="qgis"``
    reads a PostgreSQL layer through QGIS instead of the server."""
    legal_input = LegalInput.from_layer(of)
    legal_input.distinct_cap, legal_input.sample_rows = 50, 100
    if reader == "qgis":
        legal_input.layer_input.postgis = None
    return legal_input


def _legal_findings(report):
    return [(f.to_dict(), f.extra) for f in report.findings]


def _refuse_qgis_reading(monkeypatch):
    def refuse(*_args):
        raise AssertionError("a PostgreSQL layer must be counted on the server")

    monkeypatch.setattr(collect, "_count_with_qgis", refuse)


def _geopackage_copy(tmp_path, uri, name, rows):
    """The same rows in a GeoPackage (read by Arrow batches)."""
    from qgis.core import QgsCoordinateTransformContext, QgsVectorFileWriter

    from .test_legal_check import memory_layer

    path = str(tmp_path / f"{name}.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    QgsVectorFileWriter.writeAsVectorFormatV2(
        memory_layer(uri, name, rows), path, QgsCoordinateTransformContext(), options
    )
    return QgsVectorLayer(path, name, "ogr")


def test_legal_check_past_the_distinct_cap_on_the_server_finds_what_the_geopackage_finds(server, tmp_path, monkeypatch):
    """Fields with more distinct values than the cap: the server counts the distinct values up to the cap,
    groups the others, samples the same rows (feature id order) and finds the formulas; the findings are the
    GeoPackage's, byte for byte, and QGIS's reading of the same table's."""
    from opendata_publisher.core.postgis import quote_literal

    from .test_legal_check import CROWDED_URI, crowded_rows

    rows = crowded_rows()
    values = ",\n".join(
        "(" + ", ".join(quote_literal(v) for v in row[:4]) + f", {row[4]}, "
        f"ST_SetSRID(ST_MakePoint({1.90 + i / 1000}, 47.9), 4326))"
        for i, row in enumerate(rows)
    )
    server.sql(
        "CREATE TABLE foule (gid serial PRIMARY KEY, nom text, courriel varchar(80), tel text, remarque text, "
        f"nb_habitants integer, geom geometry(Point, 4326)); INSERT INTO foule "
        f"(nom, courriel, tel, remarque, nb_habitants, geom) VALUES {values}"
    )
    gpkg = _geopackage_copy(tmp_path, CROWDED_URI, "foule", rows)
    layer = _layer(server, "foule")

    slow = collect.legal_check(_capped(layer, "qgis"))
    on_file = collect.legal_check(_capped(gpkg))

    _refuse_qgis_reading(monkeypatch)
    fast = collect.legal_check(_capped(layer))
    assert _legal_findings(fast) == _legal_findings(slow)
    assert _legal_findings(fast) == _legal_findings(on_file)
    assert {"legal-person-name", "legal-email", "legal-phone", "legal-formula", "legal-small-counts"} <= {
        f.code for f in fast.findings
    }
    assert any(f.extra.get("estimated") for f in fast.findings)
    profiles = {p.name: p for p in collect.collect(_capped(layer)).fields}
    assert profiles["courriel"].sampled and len(profiles["courriel"].values) <= 100
    assert not profiles["nb_habitants"].sampled


def test_rare_personal_values_past_the_distinct_cap_are_found_on_the_server(server, tmp_path, monkeypatch):
    """One NIR, one IBAN, one e-mail and one mobile number in a text field, one NIR in an integer field, all
    past the cap and outside the sampled rows: the server screens every row in one query and finds each with
    its exact count, as the GeoPackage's Arrow reading and QGIS's reading of the same table do."""
    from opendata_publisher.core.postgis import quote_literal

    from .test_legal_check import RARE_URI, rare_findings, rare_rows

    rows = rare_rows()
    values = ",\n".join(
        f"({quote_literal(row[0])}, {row[1]}, {quote_literal(row[2])}, "
        f"ST_SetSRID(ST_MakePoint({1.90 + i / 1000}, 47.9), 4326))"
        for i, row in enumerate(rows)
    )
    server.sql(
        "CREATE TABLE rares (gid serial PRIMARY KEY, ref text, matricule int8, courriel varchar(80), "
        f"geom geometry(Point, 4326)); INSERT INTO rares (ref, matricule, courriel, geom) VALUES {values}"
    )
    gpkg = _geopackage_copy(tmp_path, RARE_URI, "rares", rows)
    layer = _layer(server, "rares")

    slow = collect.legal_check(_capped(layer, "qgis"))
    on_file = collect.legal_check(_capped(gpkg))
    exact = collect.legal_check(LegalInput.from_layer(gpkg))

    _refuse_qgis_reading(monkeypatch)
    fast = collect.legal_check(_capped(layer))
    assert _legal_findings(fast) == _legal_findings(slow)
    assert _legal_findings(fast) == _legal_findings(on_file)
    assert rare_findings(fast) == rare_findings(exact)
    found = {(f.code, f.field): f for f in fast.findings}
    for key in [
        ("legal-nir", "ref"),
        ("legal-iban", "ref"),
        ("legal-email", "ref"),
        ("legal-phone", "ref"),
        ("legal-nir", "matricule"),
    ]:
        assert found[key].extra["count"] == 1 and "estimated" not in found[key].extra, key
    assert found[("legal-email", "courriel")].extra["estimated"]
    profiles = {p.name: p for p in collect.collect(_capped(layer)).fields}
    assert profiles["ref"].sampled and profiles["matricule"].sampled
    assert profiles["courriel"].shapes_over == {"email"}


def test_server_screen_selects_the_values_of_the_python_screen(server):
    """The SQL form of the every-row screen (PostgreSQL regular expressions) keeps exactly the texts and
    integers the Python form keeps, on tricky and random values."""
    from opendata_publisher.core.legal import patterns
    from opendata_publisher.core.postgis import quote_literal
    from tests.unit.test_legal_screen import NIR as SCREEN_NIR
    from tests.unit.test_legal_screen import _random_texts

    texts = sorted(set(_random_texts(3000)))
    numbers = [int(SCREEN_NIR), -int(SCREEN_NIR), 10**12, 10**12 - 1, 10**15 - 1, 10**15, 423158930, 0]
    rows = [(text, numbers[i] if i < len(numbers) else i) for i, text in enumerate(texts)]
    values = ",\n".join(f"({quote_literal(text)}, {number})" for text, number in rows)
    server.sql(
        "CREATE TABLE ecran (gid serial PRIMARY KEY, texte text, nombre int8); "
        f"INSERT INTO ecran (texte, nombre) VALUES {values}"
    )
    layer = QgsVectorLayer(server.uri("ecran", geometry="", key="gid"), "ecran", "postgres")
    assert layer.isValid()
    source = LegalInput.from_layer(layer).layer_input.postgis
    assert source is not None
    found = {0: set(), 1: set()}
    for index, value, count in postgis.shape_candidates(source, ["texte", "nombre"]):
        found[index].add(value)
        assert count == 1
    assert found[0] == {text for text, _n in rows if patterns.screen_classes(text)}
    assert found[1] == {n for _t, n in rows if patterns.screen_classes(n)}
    assert found[0] and found[1] == {int(SCREEN_NIR), -int(SCREEN_NIR), 10**12, 10**15 - 1}


SLOW_SQL = """
CREATE TABLE slow_marker (pattern text);
INSERT INTO slow_marker VALUES ('never');
CREATE FUNCTION odp_slow(i integer) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    -- slow only inside the statement under test (the client's statement text matches the marker)
    IF current_query() LIKE (SELECT pattern FROM slow_marker) THEN
        PERFORM pg_sleep(0.05);
    END IF;
    RETURN i IS NOT NULL;
END $$;
"""


def _busy_sessions(server):
    """Sessions of the test database doing something other than waiting (this query's own excepted)."""
    return server.sql(
        "SELECT state || ': ' || query FROM pg_stat_activity WHERE datname = 'odp' AND pid <> pg_backend_pid() "
        "AND backend_type = 'client backend' AND state <> 'idle'"
    ).strip()


@pytest.mark.parametrize(
    "marker",
    [
        "%GROUPING SETS%",  # the aggregate of the distinct values (a GROUP BY over the whole table)
        "%ST_IsEmpty%",  # the geometry queries
        "%\\_odp\\_k0 IN%",  # the failing rows
    ],
)
def test_cancel_stops_the_query_on_the_server(server, marker):
    """Cancelling the check while the server runs a long query (300 rows × 50 ms = 15 s) stops the query
    on the server within moments: the check reports « annulé » (never a success, never a reading through
    QGIS after), no statement stays active, no transaction stays open, no cursor is left, and the
    connection QGIS pools serves the next check."""
    import threading
    import time

    if server.sql("SELECT count(*) FROM pg_proc WHERE proname = 'odp_slow'").strip() != "1":
        server.sql(SLOW_SQL)
    server.sql("UPDATE slow_marker SET pattern = 'never'")
    layer = _layer(server, "parkings", sql="odp_slow(gid)")
    schema = parse_schema(SCHEMA)
    server.sql(f"UPDATE slow_marker SET pattern = {postgis.quote_literal(marker)}")
    feedback = QgsFeedback()
    timer = threading.Timer(1.0, feedback.cancel)
    start = time.monotonic()
    timer.start()
    try:
        report = validate(LayerInput.from_layer(layer), schema, feedback=feedback)
    finally:
        timer.cancel()
    elapsed = time.monotonic() - start
    assert report.cancelled and not report.valid
    assert report.reader == "postgis", getattr(report, "fallback_reason", "")
    assert 1.0 <= elapsed < 4.0, elapsed  # cancelled at 1 s; the query alone takes 15 s
    assert _busy_sessions(server) == ""
    source = LayerInput.from_layer(layer).postgis
    server.sql("UPDATE slow_marker SET pattern = 'never'")
    # the pooled connection is usable and holds no cursor of the cancelled check
    assert postgis._execute(source, "SELECT count(*) FROM pg_cursors WHERE name LIKE 'odp\\_cursor%'") == [[0]]
    again = validate(LayerInput.from_layer(layer), schema, feedback=QgsFeedback())
    assert again.reader == "postgis" and not again.cancelled
    assert any(f.code == "unique-error" for f in again.findings)


@pytest.mark.parametrize("marker", ["%count(DISTINCT%", "%GROUPING SETS%"])
def test_cancel_stops_the_legal_check_on_the_server(server, marker):
    """The legal check cancelled while the server counts (distinct values, then the groups): it returns
    within moments, says cancelled (never a report of no finding), never reads the layer again through
    QGIS, and leaves no statement running on the server."""
    import threading
    import time

    if server.sql("SELECT count(*) FROM pg_proc WHERE proname = 'odp_slow'").strip() != "1":
        server.sql(SLOW_SQL)
    server.sql("UPDATE slow_marker SET pattern = 'never'")
    layer = _layer(server, "parkings", sql="odp_slow(gid)")
    server.sql(f"UPDATE slow_marker SET pattern = {postgis.quote_literal(marker)}")
    feedback = QgsFeedback()
    timer = threading.Timer(1.0, feedback.cancel)
    start = time.monotonic()
    timer.start()
    try:
        report = collect.legal_check(LegalInput.from_layer(layer), feedback)
    finally:
        timer.cancel()
        elapsed = time.monotonic() - start
        server.sql("UPDATE slow_marker SET pattern = 'never'")
    assert report.cancelled and not report.findings
    assert 1.0 <= elapsed < 4.0, elapsed  # cancelled at 1 s; the query alone takes 15 s
    assert _busy_sessions(server) == ""


def test_cancelled_before_the_first_query_sends_none(server):
    layer = _layer(server, "parkings")
    source = LayerInput.from_layer(layer).postgis
    feedback = QgsFeedback()
    feedback.cancel()
    with pytest.raises(postgis.Cancelled):
        postgis.geometry_types(source, feedback)
    with pytest.raises(postgis.Cancelled):
        list(postgis.distinct_sets(source, [["id"]], str, feedback))
    report = validate(LayerInput.from_layer(layer), parse_schema(SCHEMA), feedback=feedback)
    assert report.cancelled and report.reader == "postgis"


def test_every_geometry_suspect_is_read_by_batches(server, monkeypatch):
    """A layer whose every point lies outside France (a wrong CRS): the suspect ids come from a server-side
    cursor into a compact array and QGIS reads their geometries one batch of ids at a time; the findings
    are the QGIS reading's."""
    server.sql(
        "CREATE TABLE ailleurs (gid serial PRIMARY KEY, id text, nom text, geom geometry(Point, 4326));"
        "INSERT INTO ailleurs (id, geom) SELECT 'A' || i, ST_SetSRID(ST_MakePoint(i / 1000.0, i / 1000.0), 4326)"
        " FROM generate_series(1, 50) AS i"
    )
    monkeypatch.setattr(postgis, "FETCH_ROWS", 7)
    layer = _layer(server, "ailleurs")
    suspects = postgis.geometry_suspects(LayerInput.from_layer(layer).postgis, False, True)
    assert sorted(suspects) == list(range(1, 51))
    batches = []
    real_iter = LayerInput.iter_features

    def counting(self, names, with_geometry, feedback=None, fids=None):
        batches.append(None if fids is None else len(fids))
        return real_iter(self, names, with_geometry, feedback, fids)

    monkeypatch.setattr(LayerInput, "iter_features", counting)
    report = _both(layer, parse_schema(ZONES_SCHEMA))
    assert sum(f.code == "french-gps-coordinates" for f in report.findings) == 50
    assert batches[:8] == [7, 7, 7, 7, 7, 7, 7, 1]  # the server-side check's batches, then the QGIS reading's


def test_the_client_never_holds_more_than_one_batch_of_server_rows(server, monkeypatch):
    """Client memory does not follow the row count: every statement of the server-side check returns at most
    one batch (:data:`postgis.FETCH_ROWS` rows: aggregates, failing rows and suspect ids through a cursor, a
    few geometry type counts), and the same findings as the QGIS reading come out."""
    monkeypatch.setattr(postgis, "FETCH_ROWS", 7)
    sizes = []
    real_run = postgis._run

    def recording(connection, sql, feedback=None):
        rows = real_run(connection, sql, feedback)
        sizes.append(len(rows))
        return rows

    monkeypatch.setattr(postgis, "_run", recording)
    _both(_layer(server, "parkings"), parse_schema(SCHEMA))
    assert len(sizes) > 40 and max(sizes) == 7  # 300 rows, hundreds of distinct values: many batches


@pytest.mark.parametrize("column", ["double precision", "numeric", "text"])
def test_nan_is_never_a_duplicate_on_the_server_either(server, column):
    """PostgreSQL groups NaN with NaN; frictionless (and the QGIS reading) never call a NaN a duplicate: the
    server's findings are the QGIS reading's, the repeated 2 alone is reported."""
    table = "mesures_" + column.split()[0]
    server.sql(
        f"CREATE TABLE {table} (gid serial PRIMARY KEY, valeur {column}, code {column});"
        f"INSERT INTO {table} (valeur, code) VALUES "
        "('1.5', '1'), ('NaN', 'NaN'), ('NaN', 'NaN'), ('2', '2'), ('2', '3')"
    )
    schema = parse_schema(
        {
            "fields": [
                {"name": "valeur", "type": "number", "constraints": {"unique": True}},
                {"name": "code", "type": "number"},
            ],
            "primaryKey": ["code"],
        }
    )
    layer = QgsVectorLayer(server.uri(table, geometry="", key="gid"), table, "postgres")
    assert layer.isValid()
    fast = validate(LayerInput.from_layer(layer), schema)
    slow_input = LayerInput.from_layer(layer)
    slow_input.postgis = None
    slow = validate(slow_input, schema)
    assert fast.reader == "postgis" and slow.reader == "qgis"
    assert [f.to_dict() for f in fast.findings] == [f.to_dict() for f in slow.findings]
    repeated = [(f.code, f.feature_id) for f in fast.findings if "déjà prise" in f.message]
    assert repeated == [("unique-error", 5)]  # (a NaN the provider reads as a missing value makes a null key)
