"""France bounds / reversed coordinates, and finding lon/lat fields in a schema."""

import csv
import io
import json
from pathlib import Path

import pytest

from opendata_publisher.core.checks.geo import (
    extent_inside_one_box,
    france_boxes,
    geo_problem,
    geopoint_fields,
    locate,
    lonlat_pairs,
    parse_geopoint,
)
from opendata_publisher.core.schema.model import SchemaError, parse_schema

SCDL = Path(__file__).resolve().parents[2].parent / "shared" / "scdl"


def needs_scdl() -> Path:
    if not SCDL.is_dir():
        pytest.skip(f"reference schemas not found at {SCDL} (../shared is absent on this machine)")
    return SCDL


def schema_of(*fields, **extra):
    data = {"fields": [f if isinstance(f, dict) else {"name": f, "type": "number"} for f in fields]}
    data.update(extra)
    return parse_schema(data)


# --- locate ----------------------------------------------------------------

IN_FRANCE = {
    "Paris": (2.3522, 48.8566),
    "Brest": (-4.4861, 48.3904),
    "Ouessant": (-5.0950, 48.4580),
    "Strasbourg": (7.7521, 48.5734),
    "Lauterbourg": (8.2300, 48.9750),
    "Dunkerque": (2.3768, 51.0343),
    "Perpignan": (2.8948, 42.6887),
    "Nice": (7.2620, 43.7102),
    "Ajaccio": (8.7369, 41.9192),
    "Bonifacio": (9.1590, 41.3870),
    "Bastia": (9.4500, 42.7020),
    "Pointe-à-Pitre": (-61.5331, 16.2411),
    "Marie-Galante": (-61.2700, 15.9400),
    "Fort-de-France": (-61.0588, 14.6161),
    "Cayenne": (-52.3260, 4.9224),
    "Saint-Laurent-du-Maroni": (-54.0300, 5.5000),
    "Saint-Denis (Réunion)": (55.4504, -20.8823),
    "Mamoudzou": (45.2279, -12.7806),
    "Saint-Pierre (SPM)": (-56.1773, 46.7811),
    "Gustavia": (-62.8500, 17.8960),
    "Marigot": (-63.0850, 18.0680),
    "Mata-Utu": (-176.1750, -13.2820),
    "Papeete": (-149.5585, -17.5516),
    "Nouméa": (166.4572, -22.2758),
    "Port-aux-Français": (70.2190, -49.3500),
    "sea off La Rochelle (Pertuis d'Antioche)": (-1.3500, 46.0500),
    "sea off Arcachon": (-1.3000, 44.6000),
}

OUTSIDE = {
    "Madrid": (-3.7038, 40.4168),
    "London": (-0.1276, 51.5072),
    "Rome": (12.4964, 41.9028),
    "New York": (-74.0060, 40.7128),
    "Null Island": (0.0, 0.0),
    "passage-a-niveau example (1.452323, 1.452323)": (1.452323, 1.452323),
    "Lambert 93 metres": (652469.0, 6862035.0),
    "Dominica": (-61.3700, 15.4100),
    "Mauritius": (57.5522, -20.1609),
}


@pytest.mark.parametrize("name", sorted(IN_FRANCE))
def test_points_in_france(name):
    lon, lat = IN_FRANCE[name]
    assert locate(lon, lat) == "france"
    assert geo_problem(lon, lat) is None


@pytest.mark.parametrize("name", sorted(IN_FRANCE))
def test_swapped_points_are_reversed(name):
    lon, lat = IN_FRANCE[name]
    assert locate(lat, lon) == "reversed"
    problem = geo_problem(lat, lon)
    assert problem is not None and problem.code == "reversed-french-gps-coordinates"


@pytest.mark.parametrize("name", sorted(OUTSIDE))
def test_points_outside(name):
    lon, lat = OUTSIDE[name]
    assert locate(lon, lat) == "outside"
    problem = geo_problem(lon, lat)
    assert problem is not None and problem.code == "french-gps-coordinates"
    assert problem.message and problem.hint


def test_swapped_metropolitan_pair_from_brief():
    assert locate(46.6, 1.45) == "reversed"
    assert locate(1.45, 46.6) == "france"


def test_messages_are_specific():
    reversed_ = geo_problem(48.8566, 2.3522)
    assert "inversées" in reversed_.message and "Échangez" in reversed_.hint
    metres = geo_problem(652469.0, 6862035.0)
    assert "mètres" in metres.message and "EPSG:4326" in metres.hint
    zero = geo_problem(0, 0)
    assert "(0, 0)" in zero.message
    far = geo_problem(-74.006, 40.7128)
    assert "hors de France" in far.message and "WGS 84" in far.hint


def test_non_numbers_and_strings():
    assert geo_problem("abc", 48.0) is None  # the type check reports it
    assert geo_problem(float("nan"), 48.0) is None
    assert locate("2,35", "48,85") == "france"  # decimal comma read leniently
    assert locate(None, 48.0) == "outside"


def test_boxes_are_sane_and_cover_listed_territories():
    boxes = france_boxes()
    names = " ".join(b[0] for b in boxes)
    for territory in (
        "métropolitaine",
        "Corse",
        "Guadeloupe",
        "Martinique",
        "Guyane",
        "Réunion",
        "Mayotte",
        "Saint-Pierre",
        "Saint-Barthélemy",
        "Wallis",
        "Polynésie",
        "Nouvelle-Calédonie",
    ):
        assert territory in names
    for name, x0, y0, x1, y1 in boxes:
        assert -180 <= x0 < x1 <= 180 and -90 <= y0 < y1 <= 90, name
        # a box and its mirror must not overlap, else "reversed" would be ambiguous
        for _n, a0, b0, a1, b1 in boxes:
            assert not (y0 <= a1 and a0 <= y1 and x0 <= b1 and b0 <= x1), (name, _n)


def test_extent_inside_one_box():
    assert extent_inside_one_box(-1.7, 47.1, 2.5, 48.9)  # Pays de la Loire to Paris
    assert extent_inside_one_box(55.3, -21.3, 55.8, -20.9)  # Réunion
    assert not extent_inside_one_box(2.0, 41.5, 9.0, 48.0)  # métropole + Corse need two boxes
    assert not extent_inside_one_box(-62.0, 14.0, 56.0, 49.0)
    assert not extent_inside_one_box(48.0, 1.0, 49.0, 2.0)  # swapped Paris


# --- parse_geopoint ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5.7118754, 45.1800016", (5.7118754, 45.1800016)),
        ("5.7118754,45.1800016", (5.7118754, 45.1800016)),
        ("[5.7145295,45.191463]\n", (5.7145295, 45.191463)),
        ("[8.73889 , 41.929317]", (8.73889, 41.929317)),  # transport-site#5262
        ('{"lon": 2.35, "lat": 48.85}', (2.35, 48.85)),
        ({"lon": 2.35, "lat": 48.85}, (2.35, 48.85)),
        ((2.35, 48.85), (2.35, 48.85)),
        ([2.35, 48.85], (2.35, 48.85)),
        ("POINT(49.2527 3.9815)", (49.2527, 3.9815)),
        ("SRID=4326;POINT Z (2.35 48.85 35)", (2.35, 48.85)),
        ("abc", None),
        ("1, 2, 3", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_geopoint(value, expected):
    assert parse_geopoint(value) == expected


# --- lonlat_pairs ------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["id", "Xlong", "Ylat"], [("Xlong", "Ylat")]),
        (["Ylat", "Xlong"], [("Xlong", "Ylat")]),
        (["xlong_wgs84", "ylat_wgs84"], [("xlong_wgs84", "ylat_wgs84")]),
        (["longitude", "latitude"], [("longitude", "latitude")]),
        (["LONGITUDE", "LATITUDE", "LONGUEUR"], [("LONGITUDE", "LATITUDE")]),
        (["long", "lat"], [("long", "lat")]),
        (["lon", "lat"], [("lon", "lat")]),
        (["lng", "lat"], [("lng", "lat")]),
        (["EQUIP_LAT", "EQUIP_LONG"], [("EQUIP_LONG", "EQUIP_LAT")]),
        (["lat_coor1", "long_coor1"], [("long_coor1", "lat_coor1")]),
        (["geoLongitude", "geoLatitude"], [("geoLongitude", "geoLatitude")]),
        # several pairs: each lat with its own lon
        (
            ["lat_coor1", "long_coor1", "lat_coor2", "long_coor2"],
            [("long_coor1", "lat_coor1"), ("long_coor2", "lat_coor2")],
        ),
        (
            ["lon_depart", "lat_arrivee", "lat_depart", "lon_arrivee"],
            [("lon_depart", "lat_depart"), ("lon_arrivee", "lat_arrivee")],
        ),
        (
            ["longitude_wgs84", "lat_wgs84", "longitude_l93", "latitude_l93"],
            [("longitude_wgs84", "lat_wgs84"), ("longitude_l93", "latitude_l93")],
        ),
        # a single leftover lon and lat with different decorations still pair
        (["coord_lon", "lat_point"], [("coord_lon", "lat_point")]),
        # not coordinates
        (["menuPlatType", "platNom", "LONGUEUR", "latence"], []),
        (["lat_long"], []),
        (["longitude"], []),
        (["x", "y"], []),  # bare x/y with nothing saying degrees
    ],
)
def test_lonlat_pairs_rule(names, expected):
    assert lonlat_pairs(schema_of(*names)) == expected


def test_xy_only_when_degrees():
    wgs = schema_of(
        {"name": "x", "type": "number", "description": "Longitude en WGS 84"},
        {"name": "y", "type": "number", "description": "Latitude en WGS 84"},
    )
    assert lonlat_pairs(wgs) == [("x", "y")]
    bounded = schema_of(
        {"name": "x", "type": "number", "constraints": {"minimum": -180, "maximum": 180}},
        {"name": "y", "type": "number", "constraints": {"minimum": -90, "maximum": 90}},
    )
    assert lonlat_pairs(bounded) == [("x", "y")]
    lambert = schema_of(
        {"name": "x", "type": "number", "title": "x en lambert 93"},
        {"name": "y", "type": "number", "title": "y en lambert 93"},
        {"name": "lon", "type": "number"},
        {"name": "lat", "type": "number"},
    )
    assert lonlat_pairs(lambert) == [("lon", "lat")]
    assert lonlat_pairs(schema_of({"name": "x_wgs84"}, {"name": "y_wgs84"})) == [("x_wgs84", "y_wgs84")]


def test_non_numeric_types_are_ignored():
    schema = schema_of({"name": "longitude", "type": "date"}, {"name": "latitude", "type": "boolean"})
    assert lonlat_pairs(schema) == []
    strings = schema_of({"name": "long", "type": "string"}, {"name": "lat", "type": "string"})
    assert lonlat_pairs(strings) == [("long", "lat")]


def test_geopoint_fields():
    schema = schema_of(
        {"name": "coordonneesXY", "type": "geopoint", "format": "array"},
        {"name": "geopoint", "type": "geopoint"},
        {"name": "geom", "type": "string"},
    )
    assert geopoint_fields(schema) == ["coordonneesXY", "geopoint"]
    assert lonlat_pairs(schema) == []


# --- real schemas and example files --------------------------------------------

EXPECTED_PAIRS = {
    "aire-livraison/1.0.0": [("LONGITUDE", "LATITUDE")],
    "arbres/0.3.1": [("longitude", "latitude")],
    "bal/1.5.0": [("long", "lat")],  # x/y there are projected: excluded
    "dae/1.0.0": [("long_coor1", "lat_coor1")],
    "dae/1.0.7": [("long_coor1", "lat_coor1")],
    "equipements/0.1.5": [("EQUIP_LONG", "EQUIP_LAT")],
    "fontaine-eau/0.1.0": [("longitude", "latitude")],
    "lieux-covoiturage/0.3.0": [("Xlong", "Ylat")],
    "lieux-covoiturage/0.3.1": [("Xlong", "Ylat")],
    "mediation-numerique/1.0.1": [("longitude", "latitude")],
    "passage-a-niveau/0.1.0": [("xlong_wgs84", "ylat_wgs84")],
    "pei/1.0.1": [("lon", "lat")],  # x/y there are Lambert 93: excluded
    "stationnement/0.1.5": [("Xlong", "Ylat")],
}
EXPECTED_GEOPOINTS = {
    "irve-statique/2.3.1": ["coordonneesXY"],
    "stationnement-cyclable/1.1.1": ["coordonneesxy"],
    "stations-taxi/0.1.2": ["geopoint"],
}


def load_schemas():
    root = needs_scdl()
    schemas = {}
    for path in sorted(root.glob("*/*/schema.json")):
        try:
            schemas[f"{path.parent.parent.name}/{path.parent.name}"] = parse_schema(json.loads(path.read_text("utf-8")))
        except SchemaError:
            continue  # JSON Schemas (GeoJSON) are not Table Schemas
    return schemas


def test_pairs_in_real_schemas():
    schemas = load_schemas()
    found_pairs = {key: lonlat_pairs(s) for key, s in schemas.items() if lonlat_pairs(s)}
    found_points = {key: geopoint_fields(s) for key, s in schemas.items() if geopoint_fields(s)}
    assert found_pairs == EXPECTED_PAIRS
    assert found_points == EXPECTED_GEOPOINTS


def read_rows(path: Path):
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    header = text.splitlines()[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter, skipinitialspace=True)
    return [{(k or "").strip(): v for k, v in row.items()} for row in reader]


def classify_example(path: Path, schema) -> dict:
    counts = {}
    for row in read_rows(path):
        points = [(row.get(lon), row.get(lat)) for lon, lat in lonlat_pairs(schema)]
        points += [parse_geopoint(row.get(name)) or (None, None) for name in geopoint_fields(schema)]
        # WKT point columns (CNIG friches « geompoint »)
        points += [parse_geopoint(v) or (None, None) for k, v in row.items() if k.startswith("geompoint") and v]
        for lon, lat in points:
            if lon in (None, "") or lat in (None, ""):
                continue
            where = locate(lon, lat)
            counts[where] = counts.get(where, 0) + 1
    return counts


def test_valid_examples_with_bad_coordinates():
    """Three « valid » example files carry coordinates outside France that no schema constraint catches."""
    schemas = load_schemas()
    root = needs_scdl()
    bad = {}
    checked = 0
    for path in sorted(root.glob("*/*/*valide*.csv")):
        if "invalide" in path.name or "non-valide" in path.name:
            continue
        key = f"{path.parent.parent.name}/{path.parent.name}"
        if key not in schemas:
            continue
        counts = classify_example(path, schemas[key])
        if counts:
            checked += 1
        if set(counts) - {"france"}:
            bad[f"{key}/{path.name}"] = counts
    assert checked >= 10
    assert bad == {
        # longitude/latitude swapped (and the schema bounds latitude to ±180, so nothing catches it)
        "arbres/0.3.1/exemple-valide.csv": {"reversed": 4},
        # (1.452323, 1.452323): in the Gulf of Guinea
        "passage-a-niveau/0.1.0/exemple-valide.csv": {"outside": 1},
        # WKT POINT(49.2527 3.9815): latitude written first
        "friches/1.0.6/fichier-valide.csv": {"reversed": 1},
    }


def test_invalid_examples_catch_swapped_coordinates():
    schemas = load_schemas()
    root = needs_scdl()
    counts = classify_example(root / "lieux-covoiturage/0.3.0/exemple-invalide.csv", schemas["lieux-covoiturage/0.3.0"])
    assert counts == {"france": 1, "reversed": 1}


def test_no_negative_zero_in_messages():
    problem = geo_problem(-0.0000001, -0.0)
    assert "-0" not in problem.message
