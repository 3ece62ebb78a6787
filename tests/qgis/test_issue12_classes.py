"""The minimal cases of issue 12, one named test per class of disagreement with frictionless: each file is
checked as the delimited-text provider opens it (with and without trimFields/detectTypes) and as OGR
opens the plain path, and must give exactly frictionless' errors (row, field, code)."""

from __future__ import annotations

import pytest
from qgis.core import QgsVectorLayer

from opendata_publisher.core.schema.model import parse_schema
from opendata_publisher.core.validation import validate_layer

frictionless = pytest.importorskip("frictionless", reason="frictionless is the reference tool (test dependency)")

SCHEMA = {
    "primaryKey": ["id"],
    "missingValues": ["", "NA"],
    "fields": [
        {"name": "id", "type": "integer"},
        {"name": "nom", "type": "string", "constraints": {"required": True}},
        {"name": "ok", "type": "boolean"},
    ],
}
CODE_SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer"},
        {"name": "nom", "type": "string"},
        {"name": "code", "type": "string", "constraints": {"enum": ["A", "B"]}},
    ]
}
HEADER = b"id,nom,ok\n1,a,true\n"

OPENINGS = [
    ("delimitedtext", "trimFields=no&detectTypes=no"),
    ("delimitedtext", "trimFields=yes&detectTypes=yes"),
    ("ogr", ""),
]


def reference(path, schema, encoding=None):
    from frictionless import Detector, Resource, Schema, system, validate

    options = {"encoding": encoding} if encoding else {}
    with system.use_context(trusted=True):
        report = validate(
            Resource(str(path), schema=Schema.from_descriptor(schema), detector=Detector(schema_sync=True), **options)
        )
    result = set()
    for row, name, code, note in report.flatten(["rowNumber", "fieldName", "type", "note"]):
        if code == "constraint-error":
            code += "/" + note.split('constraint "')[1].split('"')[0]
        result.add((row, None if code in ("primary-key", "blank-row", "extra-cell") else name or None, code))
    return result


def ours(path, schema, provider, options, encoding="UTF-8"):
    if provider == "ogr":
        layer = QgsVectorLayer(str(path), "t", "ogr")
    else:
        layer = QgsVectorLayer(
            f"file://{path}?type=csv&delimiter=,&geomType=none&{options}&encoding={encoding}", "t", provider
        )
    assert layer.isValid()
    report = validate_layer(layer, parse_schema(schema))
    result = set()
    for f in report.findings:
        if f.severity != "error":
            continue
        result.add((f.row, None if f.code in ("primary-key", "blank-row", "extra-cell") else f.field, f.full_code))
    return result, report


def check(tmp_path, data: bytes, schema, expected, encoding=None):
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    assert reference(path, schema, encoding) == expected
    for provider, options in OPENINGS:
        found, report = ours(path, schema, provider, options)
        assert found == expected, (provider, options)
        assert report.reader == "csv"
    return path


def test_class1_a_null_primary_key_is_an_error(tmp_path):
    check(tmp_path, HEADER + b",b,false\n", SCHEMA, {(3, None, "primary-key")})
    # a key cell that failed its type is null too
    check(tmp_path, HEADER + b"x,b,false\n", SCHEMA, {(3, "id", "type-error"), (3, None, "primary-key")})


def test_class2_keys_and_unique_compare_typed_values(tmp_path):
    check(tmp_path, HEADER + b"007,b,false\n7,c,true\n+7,d,true\n-0,e,true\n0,f,true\n", SCHEMA,
          {(4, None, "primary-key"), (5, None, "primary-key"), (7, None, "primary-key")})  # fmt: skip
    numbers = {"fields": [{"name": "n", "type": "number", "constraints": {"unique": True}}, {"name": "x"}]}
    check(tmp_path, b"n,x\n1,a\n1.0,b\n2,c\n2e0,d\n", numbers, {(3, "n", "unique-error"), (5, "n", "unique-error")})
    uuids = {
        "fields": [{"name": "u", "type": "string", "format": "uuid", "constraints": {"unique": True}}, {"name": "x"}]
    }
    # two values that failed their type are not a duplicate
    check(tmp_path, b"u,x\nNOUPPER,a\nNOUPPER,b\n", uuids, {(2, "u", "type-error"), (3, "u", "type-error")})


def test_class3_a_row_of_missing_value_markers_is_a_blank_row(tmp_path):
    check(tmp_path, HEADER + b"NA,NA,NA\n", SCHEMA, {(3, None, "blank-row"), (3, None, "primary-key")})


def test_class4_a_row_of_spaces_is_data(tmp_path):
    check(tmp_path, HEADER + b" , , \n", SCHEMA,
          {(3, "id", "type-error"), (3, "ok", "type-error"), (3, None, "primary-key")})  # fmt: skip


def test_class5_a_blank_row_with_an_extra_cell_is_a_blank_row(tmp_path):
    check(tmp_path, HEADER + b",,,en trop\n", SCHEMA, {(3, None, "blank-row"), (3, None, "primary-key")})


def test_class6_array_items_are_checked(tmp_path):
    schema = {
        "fields": [
            {"name": "id", "type": "integer"},
            {
                "name": "regime",
                "type": "array",
                "arrayItem": {"type": "string", "constraints": {"enum": ["végétarien", "sans sel"]}},
            },
        ]
    }
    data = b'id,regime\n1,"[""vegan""]"\n2,"[""sans sel""]"\n3,[1]\n4,[]\n'
    check(tmp_path, data, schema, {(2, "regime", "constraint-error/enum"), (4, "regime", "type-error")})


def test_class7_crlf_file_with_a_line_break_inside_quotes(tmp_path):
    data = b'id,nom,code\r\n1,"ligne\nsuite",A\r\n2,b,Z\r\n3,c,A\r\n4,d,Y\r\n'
    path = check(
        tmp_path, data, CODE_SCHEMA, {(3, "code", "constraint-error/enum"), (5, "code", "constraint-error/enum")}
    )
    # the findings point at the features QGIS made of those records
    for provider, options in OPENINGS:
        _found, report = ours(path, CODE_SCHEMA, provider, options)
        layer_ids = {
            f.feature_id: f.row for f in report.findings if f.code == "constraint-error" and f.feature_id is not None
        }
        layer = (
            QgsVectorLayer(str(path), "t", "ogr")
            if provider == "ogr"
            else QgsVectorLayer(f"file://{path}?type=csv&delimiter=,&geomType=none&{options}", "t", provider)
        )
        codes = {feature.id(): feature["code"] for feature in layer.getFeatures()}
        assert sorted(codes[fid] for fid in layer_ids) == ["Y", "Z"], provider


def test_class8_a_whitespace_only_last_cell_is_not_empty(tmp_path):
    check(tmp_path, b"id,nom,code\n1,a, \n2,b,\t\n", CODE_SCHEMA,
          {(2, "code", "constraint-error/enum"), (3, "code", "constraint-error/enum")})  # fmt: skip


def test_class9_a_bom_inside_a_record_is_data(tmp_path):
    check(tmp_path, "id,nom,code\n1,a,A\n\ufeff2,b,A\n".encode(), CODE_SCHEMA, {(3, "id", "type-error")})


def test_class10_windows_1252_is_detected_and_said(tmp_path):
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "saison", "type": "string",
              "constraints": {"enum": ["été", "hiver"]}}]}  # fmt: skip
    data = "id,saison\n1,été\n2,hiver\n3,Été\n".encode("cp1252")
    path = check(tmp_path, data, schema, {(4, "saison", "constraint-error/enum")}, encoding="cp1252")
    for provider, options in OPENINGS:
        _found, report = ours(path, schema, provider, options)
        assert report.encoding == "Windows-1252"
        notes = [f for f in report.findings if f.code == "csv-encoding"]
        assert len(notes) == 1 and "Windows-1252" in notes[0].message


def test_class10_frictionless_detector_is_not_needed(tmp_path):
    """A short Windows-1252 file frictionless' own detector takes for another encoding."""
    from frictionless import Detector, Resource, Schema, system, validate

    schema = {
        "fields": [
            {"name": "id", "type": "integer"},
            {"name": "commune", "type": "string", "constraints": {"enum": ["Orléans", "Saint-Étienne"]}},
        ]
    }
    path = tmp_path / "t.csv"
    path.write_bytes("id,commune\n1,Orléans\n2,Saint-Étienne\n".encode("cp1252"))
    with system.use_context(trusted=True):
        guessed = validate(
            Resource(str(path), schema=Schema.from_descriptor(schema), detector=Detector(schema_sync=True))
        )
    for provider, options in OPENINGS:
        found, report = ours(path, schema, provider, options)
        assert found == set() and report.encoding == "Windows-1252"
    # frictionless, left to guess, misreads it (its detector says another code page)
    assert not guessed.valid


def test_class11_comma_space_files_read_the_same_on_both_paths(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"id, nom, code\n1, a, A\n2, b, C\n3, c,A\xc2\xa0\n")
    expected = {(3, "code", "constraint-error/enum"), (4, "code", "constraint-error/enum")}
    for provider, options in OPENINGS:
        found, report = ours(path, CODE_SCHEMA, provider, options)
        assert found == expected, provider
        assert [f.code for f in report.findings if f.code == "csv-dialect"] == ["csv-dialect"]


def test_class12_same_findings_however_qgis_opened_the_file(tmp_path):
    data = b'id,nom,code\r\n1,"a\nb",A\r\n\r\n,,\r\n 2,b,A \r\n3,c,\t\r\n4,,B,x\r\n5\r\n'
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    expected = reference(path, CODE_SCHEMA)
    results = []
    for provider, options in OPENINGS + [("delimitedtext", "trimFields=yes&detectTypes=no")]:
        found, _report = ours(path, CODE_SCHEMA, provider, options)
        results.append(found)
    assert all(found == expected for found in results)


def test_a_modified_layer_is_read_through_qgis(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"id,nom,code\n1,a,A\n2,b,Z\n")
    layer = QgsVectorLayer(f"file://{path}?type=csv&delimiter=,&geomType=none&detectTypes=no", "t", "delimitedtext")
    layer.setSubsetString("\"id\" = '1'")
    report = validate_layer(layer, parse_schema(CODE_SCHEMA))
    assert report.reader == "qgis"
    assert not [f for f in report.findings if f.severity == "error"]


def _key_findings(report):
    return sorted((f.feature_id, f.code, f.field) for f in report.findings if f.code in ("primary-key", "unique-error"))


def test_keys_and_unique_on_other_layers_follow_table_schema_too(tmp_path):
    """Classes 1 and 2 on a memory layer (QGIS reader) and a GeoPackage (columnar reader): a null key is
    an error, 7 and 007 are the same integer, values that failed their type are not duplicates."""
    from qgis.core import QgsCoordinateTransformContext, QgsFeature, QgsVectorFileWriter

    from opendata_publisher.core.reader import LayerInput
    from opendata_publisher.core.validation import validate

    schema = parse_schema(
        {
            "primaryKey": ["id"],
            "fields": [
                {"name": "id", "type": "integer"},
                {"name": "u", "type": "number", "constraints": {"unique": True}},
            ],
        }
    )
    memory = QgsVectorLayer("None?field=id:string&field=u:string", "t", "memory")
    rows = [("1", "1"), ("007", "1.0"), ("7", "x"), (None, "x"), ("x", "2e0"), ("2", "2")]
    features = []
    for values in rows:
        feature = QgsFeature(memory.fields())
        feature.setAttributes(list(values))
        features.append(feature)
    assert memory.dataProvider().addFeatures(features)[0]
    ids = [f.id() for f in memory.getFeatures()]
    expected_rows = {
        (2, "primary-key"),  # 7 = 007
        (3, "primary-key"),  # null
        (4, "primary-key"),  # x is not an integer: null
        (1, "unique-error"),  # 1.0 = 1
        (5, "unique-error"),  # 2 = 2e0
    }
    report = validate(LayerInput.from_layer(memory), schema)
    assert report.reader == "qgis"
    assert {(ids.index(fid), code) for fid, code, _f in _key_findings(report)} == expected_rows

    path = str(tmp_path / "t.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    QgsVectorFileWriter.writeAsVectorFormatV2(memory, path, QgsCoordinateTransformContext(), options)
    gpkg = QgsVectorLayer(path, "t", "ogr")
    gpkg_ids = [f.id() for f in gpkg.getFeatures()]
    report = validate(LayerInput.from_layer(gpkg), schema)
    assert report.reader == "arrow"
    assert {(gpkg_ids.index(fid), code) for fid, code, _f in _key_findings(report)} == expected_rows
    # and through QGIS for the same file
    layer_input = LayerInput.from_layer(gpkg)
    layer_input.ogr = None
    report = validate(layer_input, schema)
    assert report.reader == "qgis"
    assert {(gpkg_ids.index(fid), code) for fid, code, _f in _key_findings(report)} == expected_rows


SUM_SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer"},
        {"name": "total", "type": "number"},
        {"name": "a", "type": "number"},
        {"name": "b", "type": "number"},
        {"name": "siret", "type": "string"},
        {"name": "rna", "type": "string"},
    ],
    "custom_checks": [
        {"name": "sum-columns-value", "params": {"column": "total", "columns": ["a", "b"]}},
        {"name": "one-of-required", "params": {"column1": "siret", "column2": "rna"}},
    ],
}


@pytest.mark.parametrize(("provider", "options"), OPENINGS)
def test_class16_row_checks_take_a_value_that_failed_its_type_as_empty(tmp_path, provider, options):
    path = tmp_path / "t.csv"
    # row 2: "3,0" is not a number (decimal comma): the sum is not checked, as in Validata
    # row 3: a real sum mistake; row 4: blank row: Validata still reports one-of-required
    path.write_bytes(b'id;total;a;b;siret;rna\n1;9;"3,0";4;;W1\n2;9;3;4;;W2\n;;;;;\n')
    if provider == "ogr":
        layer = QgsVectorLayer(str(path), "t", "ogr")
    else:
        layer = QgsVectorLayer(f"file://{path}?type=csv&delimiter=;&geomType=none&{options}", "t", provider)
    report = validate_layer(layer, parse_schema(SUM_SCHEMA))
    found = {(f.row, f.code) for f in report.findings if f.severity == "error"}
    assert found == {(2, "type-error"), (3, "sum-columns-value"), (4, "blank-row"), (4, "one-of-required")}


@pytest.mark.parametrize(("provider", "options"), OPENINGS)
def test_class17_text_lon_lat_columns_are_located(tmp_path, provider, options):
    """BAL types long/lat as text: a point in Spain or at 0, 0 is still reported."""
    schema = {
        "fields": [
            {"name": "id", "type": "integer"},
            {"name": "long", "type": "string"},
            {"name": "lat", "type": "string"},
        ]
    }
    path = tmp_path / "t.csv"
    path.write_bytes(b"id,long,lat\n1,1.9086,47.9029\n2,-3.70,40.42\n3,0,0\n4,abc,47\n")
    if provider == "ogr":
        layer = QgsVectorLayer(str(path), "t", "ogr")
    else:
        layer = QgsVectorLayer(f"file://{path}?type=csv&delimiter=,&geomType=none&{options}", "t", provider)
    report = validate_layer(layer, parse_schema(schema))
    rows = sorted(f.row for f in report.findings if f.code.endswith("gps-coordinates"))
    assert rows == [3, 4]


def test_class17_a_wrong_geopoint_is_reported_once(tmp_path):
    schema = {
        "fields": [{"name": "id", "type": "integer"}, {"name": "coords", "type": "geopoint"}],
        "custom_checks": [{"name": "french-gps-coordinates", "params": {"column": "coords"}}],
    }
    path = tmp_path / "t.csv"
    path.write_bytes(b'id,coords\n1,"1.9086,47.9029"\n2,"-3.70,40.42"\n')
    layer = QgsVectorLayer(str(path), "t", "ogr")
    report = validate_layer(layer, parse_schema(schema))
    assert [(f.row, f.code) for f in report.findings if f.severity == "error"] == [(3, "french-gps-coordinates")]


def test_a_delimited_text_layer_with_a_wkt_geometry_is_read_from_the_file(tmp_path):
    """The provider leaves the WKT column out of the fields: the columns are found by name."""
    schema = {
        "fields": [
            {"name": "id", "type": "integer"},
            {"name": "wkt", "type": "string"},
            {"name": "code", "type": "string", "constraints": {"enum": ["A", "B"]}},
        ]
    }
    path = tmp_path / "t.csv"
    path.write_bytes(b'id,wkt,code\n1,"POINT(1.9 47.9)",A\n2,"POINT(1.9 47.9)",Z\n')
    layer = QgsVectorLayer(
        f"file://{path}?type=csv&delimiter=,&wktField=wkt&geomType=point&crs=EPSG:4326&detectTypes=no",
        "t",
        "delimitedtext",
    )
    assert layer.isValid()
    report = validate_layer(layer, parse_schema(schema))
    assert report.reader == "csv"
    assert {(f.row, f.field, f.full_code) for f in report.findings if f.severity == "error"} == {
        (3, "code", "constraint-error/enum")
    }


def test_class17_geometry_and_columns_both_wrong_is_one_finding(tmp_path):
    schema = {
        "fields": [
            {"name": "id", "type": "integer"},
            {"name": "long", "type": "number"},
            {"name": "lat", "type": "number"},
        ]
    }
    path = tmp_path / "t.csv"
    path.write_bytes(b"id,long,lat\n1,1.9086,47.9029\n2,-3.70,40.42\n")
    layer = QgsVectorLayer(
        f"file://{path}?type=csv&delimiter=,&xField=long&yField=lat&crs=EPSG:4326&detectTypes=no", "t", "delimitedtext"
    )
    assert layer.isValid() and layer.isSpatial()
    report = validate_layer(layer, parse_schema(schema))
    located = [f for f in report.findings if f.code == "french-gps-coordinates"]
    assert len(located) == 1
    assert located[0].row == 3 and located[0].field == "long" and "géométrie" in located[0].message


def test_a_filtered_layer_is_checked_through_qgis_with_the_file_row_numbers(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b'id,nom,code\r\n1,"a\nb",A\r\n,,\r\n2,b,Z\r\n')
    layer = QgsVectorLayer(f"file://{path}?type=csv&delimiter=,&geomType=none&detectTypes=no", "t", "delimitedtext")
    assert layer.isValid()
    layer.setSubsetString("\"code\" <> 'A'")
    report = validate_layer(layer, parse_schema(CODE_SCHEMA))
    assert report.reader == "qgis"
    assert {(f.row, f.full_code) for f in report.findings if f.severity == "error"} == {
        (3, "blank-row"),
        (4, "constraint-error/enum"),
    }


def test_class10_an_accented_header_misread_by_qgis_is_matched(tmp_path):
    """A Windows-1252 file opened as UTF-8 (delimited text) or as a plain path (OGR): QGIS shows
    « r\ufffdgion », the check reads « région » as frictionless does with the right encoding."""
    schema = {
        "fields": [
            {"name": "id", "type": "integer"},
            {"name": "région", "type": "string", "constraints": {"enum": ["été", "hiver"]}},
        ]
    }
    data = "id,région\n1,été\n2,hiver\n3,Été\n".encode("cp1252")
    path = check(tmp_path, data, schema, {(4, "région", "constraint-error/enum")}, encoding="cp1252")
    for provider, options in OPENINGS:
        _found, report = ours(path, schema, provider, options)
        assert not [f for f in report.findings if f.code in ("missing-label", "extra-label")], provider


def test_class10_a_utf8_file_opened_in_another_encoding_is_said(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("id,nom,code\n1,été,A\n".encode())
    layer = QgsVectorLayer(
        f"file://{path}?type=csv&delimiter=,&geomType=none&detectTypes=no&encoding=windows-1252", "t", "delimitedtext"
    )
    report = validate_layer(layer, parse_schema(CODE_SCHEMA))
    assert report.encoding == "UTF-8"
    notes = [f for f in report.findings if f.code == "csv-encoding"]
    assert len(notes) == 1 and "windows-1252" in notes[0].message
    # a file opened in its own encoding gets no note
    layer = QgsVectorLayer(f"file://{path}?type=csv&delimiter=,&geomType=none&encoding=UTF-8", "t", "delimitedtext")
    assert not [f for f in validate_layer(layer, parse_schema(CODE_SCHEMA)).findings if f.code == "csv-encoding"]
