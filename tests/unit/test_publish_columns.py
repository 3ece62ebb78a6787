"""Pure parts of the publishing pipeline: export columns, CSV text, folder slugs, history lines."""

from __future__ import annotations

import datetime

from opendata_publisher.core.export.columns import (
    GEOPOINT,
    LAT,
    LON,
    VALUE,
    csv_line,
    csv_text,
    format_coordinate,
    format_geopoint,
    plan_columns,
    row_values,
)
from opendata_publisher.core.history import HISTORY_PREFIX, history_line
from opendata_publisher.core.mapping import FieldMapping
from opendata_publisher.core.portals.folder import slugify
from opendata_publisher.core.schema.model import parse_schema

SCHEMA = parse_schema(
    {
        "fields": [
            {"name": "id_station", "type": "string"},
            {"name": "Xlongitude", "type": "number"},
            {"name": "Ylatitude", "type": "number"},
            {"name": "coordonneesXY", "type": "geopoint", "format": "array"},
            {"name": "nom", "type": "string"},
        ]
    },
    "test",
)


def test_columns_follow_the_schema_and_mapping():
    columns = plan_columns(["NOM_STATION", "id_station", "autre"], SCHEMA, FieldMapping({"NOM_STATION": "nom"}), True)
    assert [(c.name, c.layer_field, c.kind) for c in columns] == [
        ("id_station", "id_station", VALUE),
        ("Xlongitude", None, LON),
        ("Ylatitude", None, LAT),
        ("coordonneesXY", None, GEOPOINT),
        ("nom", "NOM_STATION", VALUE),
    ]
    assert columns[3].schema_format == "array"


def test_without_geometry_coordinates_come_from_the_layer():
    columns = plan_columns(["Xlongitude", "Ylatitude"], SCHEMA, None, has_geometry=False)
    assert [(c.name, c.kind, c.layer_field) for c in columns[1:3]] == [
        ("Xlongitude", VALUE, "Xlongitude"),
        ("Ylatitude", VALUE, "Ylatitude"),
    ]
    assert [c.name for c in plan_columns(["b", "a"], None)] == ["b", "a"]


def test_coordinates_and_geopoints():
    assert format_coordinate(1.909312345678) == "1.9093123"
    assert format_coordinate(3.0) == "3"
    assert format_coordinate(-0.00000001) == "0"
    assert format_geopoint(1.5, 47.25) == "1.5,47.25"
    assert format_geopoint(1.5, 47.25, "array") == "[1.5, 47.25]"
    assert format_geopoint(1.5, 47.25, "object") == '{"lon": 1.5, "lat": 47.25}'


def test_csv_text():
    assert csv_text(None) == ""
    assert csv_text(True) == "true" and csv_text(False) == "false"
    assert csv_text(12.0) == "12" and csv_text(0.1) == "0.1" and csv_text(1e-7) == "0.0000001"
    assert csv_text(float("nan")) == ""
    assert csv_text(datetime.date(2024, 5, 31)) == "2024-05-31"
    assert csv_text(datetime.datetime(2024, 5, 31, 8, 30)) == "2024-05-31T08:30:00"
    assert csv_text(["a", "é"]) == '["a", "é"]'
    assert csv_text("Orléans") == "Orléans"


def test_row_values_fill_coordinates_from_the_point():
    columns = plan_columns(["id_station"], SCHEMA, None, True)
    assert row_values(columns, ["S1", None, None, None, None], (1.9, 47.9)) == [
        "S1",
        "1.9",
        "47.9",
        "[1.9, 47.9]",
        "",
    ]
    assert row_values(columns, ["S1", None, None, None, None], None) == ["S1", "", "", "", ""]


def test_slugify():
    assert slugify("Parkings d'Orléans Métropole — 2024") == "parkings-d-orleans-metropole-2024"
    assert slugify("  ") == ""
    assert len(slugify("x" * 200)) == 80


def test_history_line_is_french_and_prefixed():
    line = history_line(
        {
            "date": "2024-06-01T10:00:00+02:00",
            "user": "Agent SIG",
            "portal_type": "udata",
            "connection": "data.gouv.fr",
            "dataset_url": "https://www.data.gouv.fr/fr/datasets/x/",
            "resource_urls": {"csv": "https://static.data.gouv.fr/x.csv"},
            "schema_name": "etalab/schema-stationnement",
            "schema_version": "0.1.5",
            "accepted_warnings": ["Décrire — La fréquence n'est pas indiquée."],
            "created": True,
        }
    )
    assert line.startswith(
        HISTORY_PREFIX + " 2024-06-01T10:00:00+02:00 — Agent SIG — jeu de données créé sur data.gouv.fr"
    )
    assert "schéma etalab/schema-stationnement 0.1.5" in line
    assert "publié malgré 1 avertissement : Décrire — La fréquence n'est pas indiquée." in line


def test_csv_line_reads_back_as_its_cells_and_quotes_like_gdal():
    import csv
    import io
    import random

    randomness = random.Random(3)
    alphabet = ["a", "é", " ", ",", ";", "\t", '"', "\r", "\n", "\r\n", "\x1f", "1", "«"]
    rows = [[""], ["", ""], ["a"], ["\x1f"], ["a\x1fb", "c"]]
    for _ in range(2000):
        rows.append(["".join(randomness.choice(alphabet) for _ in range(randomness.randint(0, 4))) for _ in range(3)])
    text = "".join(csv_line(row) for row in rows)
    assert list(csv.reader(io.StringIO(text, newline=""))) == rows
    # quoted exactly when GDAL's CSV writer quotes (separator, semicolon, tab, quote, line ends)
    assert csv_line(["a;b", "tab\tx", "x", 'q"', " s "]) == '"a;b","tab\tx",x,"q""",\x20s\x20\r\n'
    assert csv_line([""]) == '""\r\n' and csv_line(["", ""]) == ",\r\n"
    assert csv_line(["a;b", "c"], ";") == '"a;b";c\r\n'
