"""The CSV engine (core/validation/csv_pass.py): the file read by the check itself, batch by batch, judged per
distinct value of each column; the same findings whatever the batch size, and Python's cyclic garbage collector
paused only while the file is read."""

from __future__ import annotations

import gc

import pytest
from qgis.core import QgsFeedback, QgsVectorLayer

from opendata_publisher.core.schema.model import parse_schema
from opendata_publisher.core.validation import csv_pass, validate_layer

SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True, "unique": True}},
        {"name": "code", "type": "string"},
        {"name": "n", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "lon", "type": "number"},
        {"name": "lat", "type": "number"},
    ],
    "primaryKey": ["code", "n"],
}

#: every kind of row the batch reading treats apart: a typed duplicate (7 and 007), blank records, records
#: with an extra or a missing cell, a key of empty cells, a repeated key, reversed and null-island points
ROWS = [
    "id,code,n,lon,lat,note",
    "1,a,1,1.9,47.9,",
    "2,a,2,1.9,47.9,",
    "007,b,-1,47.9,1.9,x",
    ",,,,,",
    "7,a,1,0,0,",
    "8,c,2,1.9,47.9,y,extra",
    "9,,,1.9,47.9",
    "10,d,3,1.9,47.9,",
    "x,d,3,1.9,47.9,",
    "11,e,4,1.9,47.9,",
    ",,,,,",
    "12,f,-1,1.9,47.9,",
]

#: what frictionless (and our check) report on ROWS, in the report's order, for the OGR provider
EXPECTED = [
    ("extra-label", None, "note", None),
    ("reversed-french-gps-coordinates", 4, "lon", "47.9, 1.9"),
    ("constraint-error", 4, "n", "-1"),
    ("blank-row", 5, None, None),
    ("primary-key", 5, "code, n", None),
    ("primary-key", 6, "code, n", ["a", "1"]),
    ("unique-error", 6, "id", "7"),
    ("french-gps-coordinates", 6, "lon", "0, 0"),
    ("extra-cell", 7, None, "extra"),
    ("primary-key", 8, "code, n", None),
    ("missing-cell", 8, "note", None),
    ("primary-key", 10, "code, n", ["d", "3"]),
    ("type-error", 10, "id", "x"),
    ("blank-row", 12, None, None),
    ("primary-key", 12, "code, n", None),
    ("constraint-error", 13, "n", "-1"),
]


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    return path


def _findings(path, provider):
    uri = f"file://{path}?type=csv&detectTypes=no&geomType=none" if provider == "delimitedtext" else str(path)
    layer = QgsVectorLayer(uri, "mixed", provider)
    assert layer.isValid()
    report = validate_layer(layer, parse_schema(SCHEMA))
    assert report.reader == "csv"
    return [(f.code, f.row, f.field, f.value) for f in report.findings]


@pytest.mark.parametrize("batch_size", [1, 2, 3, 5, 8192])
def test_same_findings_whatever_the_batch_size(csv_file, monkeypatch, batch_size):
    """Duplicates, keys and blank rows met in another batch than their first occurrence, the fast paths (no
    missing value, no repeated key in a batch) and the cell-by-cell ones give the same report."""
    monkeypatch.setattr(csv_pass, "_CSV_BATCH", batch_size)
    assert _findings(csv_file, "ogr") == EXPECTED
    delimited = _findings(csv_file, "delimitedtext")
    # the delimited-text provider makes no feature of a blank record: those findings come first (no feature id)
    assert sorted(delimited, key=repr) == sorted(EXPECTED, key=repr)


class _Recorder(QgsFeedback):
    """Notes whether the cyclic garbage collector runs while the file is read; cancels after ``cancel_at``."""

    def __init__(self, cancel_at=None):
        super().__init__()
        self.gc_states = []
        self.cancel_at = cancel_at

    def setProgress(self, progress):  # noqa: N802 - QgsFeedback's name
        self.gc_states.append(gc.isenabled())
        if self.cancel_at is not None and 0 < progress < 100 and len(self.gc_states) >= self.cancel_at:
            self.cancel()
        super().setProgress(progress)


def _check(path, feedback):
    layer = QgsVectorLayer(str(path), "big", "ogr")
    from opendata_publisher.core.validation import LayerInput, validate

    return validate(LayerInput.from_layer(layer), parse_schema(SCHEMA), feedback=feedback)


@pytest.mark.parametrize("cancel_at", [None, 3])
def test_garbage_collector_paused_while_reading_and_switched_back_on(tmp_path, monkeypatch, cancel_at):
    monkeypatch.setattr(csv_pass, "_CSV_BATCH", 10)
    path = tmp_path / "big.csv"
    path.write_text("id,code,n,lon,lat\n" + "".join(f"{i},c{i},{i},1.9,47.9\n" for i in range(2000)), encoding="utf-8")
    assert gc.isenabled()
    feedback = _Recorder(cancel_at)
    report = _check(path, feedback)
    assert report.reader == "csv"
    assert report.cancelled is (cancel_at is not None)
    reading = feedback.gc_states[:-1]  # the last one: 100 %, once the reading is over
    assert reading and not any(reading)
    assert gc.isenabled()


def test_garbage_collector_left_off_when_it_was_off(tmp_path):
    path = tmp_path / "small.csv"
    path.write_text("id,code,n,lon,lat\n1,a,1,1.9,47.9\n", encoding="utf-8")
    gc.disable()
    try:
        assert _check(path, None).reader == "csv"
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("batch_size", [1, 2, 4, 8192])
def test_one_field_primary_key_across_batches(tmp_path, monkeypatch, batch_size):
    """A key of one field compares typed values (7 and 007 are the same integer); an empty or untyped cell is
    a null key; a repeat is found in any later batch."""
    monkeypatch.setattr(csv_pass, "_CSV_BATCH", batch_size)
    schema = parse_schema(
        {"fields": [{"name": "id", "type": "integer"}, {"name": "nom", "type": "string"}], "primaryKey": ["id"]}
    )
    path = tmp_path / "keys.csv"
    path.write_text("id,nom\n1,a\n7,b\n2,c\n,d\n3,e\n007,f\nx,g\n1,h\n4,i\n", encoding="utf-8")
    report = validate_layer(QgsVectorLayer(str(path), "keys", "ogr"), schema)
    assert report.reader == "csv"
    assert [(f.code, f.row, f.value) for f in report.findings] == [
        ("primary-key", 5, None),
        ("primary-key", 7, ["007"]),
        ("type-error", 8, "x"),
        ("primary-key", 8, None),
        ("primary-key", 9, ["1"]),
    ]


def test_memory_of_uniqueness_does_not_hold_every_value(tmp_path):
    """Unique values and keys of earlier batches are kept as 8-byte hashes, and each column keeps at most
    two batches of judged values: 120 000 rows of two distinct 40-character identifiers peaked at 44 MB of
    Python objects when every value and key was kept, 16 MB now; the duplicates are all found."""
    import tracemalloc

    schema = parse_schema(
        {
            "fields": [
                {"name": "id", "type": "string", "constraints": {"unique": True}},
                {"name": "ref", "type": "string"},
            ],
            "primaryKey": ["ref"],
        }
    )
    rows = 120_000
    path = tmp_path / "ids.csv"
    with path.open("w", encoding="utf-8") as stream:
        stream.write("id,ref\n")
        for i in range(rows):
            j = 7 if i in (40_000, 80_000) else i  # these two repeat the 8th row
            stream.write(f"identifiant-{j:028d},ref-{j:036d}\n")
    layer = QgsVectorLayer(str(path), "ids", "ogr")
    tracemalloc.start()
    try:
        report = validate_layer(layer, schema)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.reader == "csv"
    assert [(f.code, f.row) for f in report.findings] == [
        ("unique-error", 40_002),
        ("primary-key", 40_002),
        ("unique-error", 80_002),
        ("primary-key", 80_002),
    ]
    assert peak < 25_000_000


def _unique_report(tmp_path, first, later, pk=False, kind="integer", fmt="csv"):
    """A unique (or primary key) column holding ``first`` in the first batch and ``later`` in the second."""
    from qgis.core import QgsCoordinateTransformContext, QgsVectorFileWriter

    fields = [{"name": "id", "type": kind, "constraints": ({} if pk else {"unique": True})}, {"name": "x"}]
    schema = parse_schema({"fields": fields, **({"primaryKey": ["id"]} if pk else {})})
    path = tmp_path / "c.csv"
    with path.open("w", encoding="utf-8") as stream:
        stream.write(f"id,x\n{first},a\n")
        stream.writelines(f"{1000 + i},a\n" for i in range(1, 9000))
        stream.write(f"{later},a\n")  # far into a later batch
    layer = QgsVectorLayer(str(path), "c", "ogr")
    if fmt == "gpkg":
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = "GPKG"
        out = str(tmp_path / "c.gpkg")
        QgsVectorFileWriter.writeAsVectorFormatV2(layer, out, QgsCoordinateTransformContext(), options)
        layer = QgsVectorLayer(out, "c", "ogr")
    report = validate_layer(layer, schema)
    assert report.reader == ("csv" if fmt == "csv" else "arrow"), report.reader
    return [(f.code, str(f.value)) for f in report.findings]


@pytest.mark.parametrize("fmt", ["csv", "gpkg"])
@pytest.mark.parametrize("pk", [False, True])
@pytest.mark.parametrize("first,later", [(-1, -2), (0, 2**61 - 1), (5, 5 + 2**61 - 1)])
def test_different_numbers_in_different_batches_are_not_duplicates(tmp_path, first, later, pk, fmt):
    """Python's hash() is not a random 64-bit value for numbers (hash(-1) == hash(-2)): the values already met
    are kept by a key that never confuses two whole numbers."""
    assert _unique_report(tmp_path, first, later, pk, fmt=fmt) == []


@pytest.mark.parametrize("fmt", ["csv", "gpkg"])
def test_equal_numbers_in_different_batches_are_still_duplicates(tmp_path, fmt):
    assert [code for code, _v in _unique_report(tmp_path, -2, -2, fmt=fmt)] == ["unique-error"]
    assert [code for code, _v in _unique_report(tmp_path, "7", "007", fmt="csv")] == ["unique-error"]


@pytest.mark.parametrize("later", ["NaN", "nan"])
def test_nan_is_never_a_duplicate(tmp_path, later):
    """frictionless never reports a NaN as a duplicate, wherever the second one is."""
    assert _unique_report(tmp_path, "NaN", later, kind="number") == []


def test_overlapping_readings_in_two_tasks_restore_the_collector_once_both_end():
    """Checks run in parallel tasks: when one ends while another still reads, the collector stays paused, and
    it is switched back on when the last one ends (never left off for the session)."""
    assert gc.isenabled()
    first, second = csv_pass._cyclic_gc_paused(), csv_pass._cyclic_gc_paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()
    gc.disable()  # a collector the user switched off stays off
    try:
        with csv_pass._cyclic_gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
