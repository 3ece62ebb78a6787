"""Is a WGS 84 point in France? Are longitude and latitude swapped?

Pure Python. France is approximated by bounding boxes (metropolitan France,
Corsica, the overseas departments and collectivities, TAAF), each widened by
a few kilometres so that coastal points and points just offshore count as
France. Boxes are coarse: a point in Spain near the Pyrenees is "France" too.
The aim is to catch the common blunders — longitude and latitude swapped,
coordinates in metres (Lambert 93) instead of degrees, (0, 0) placeholders —
not to geocode.

``lonlat_pairs`` finds which schema fields hold longitude/latitude by a naming
rule (see its docstring), so the check can run on every coordinate pair, not
only on ``geopoint`` fields.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, List, Optional, Tuple

from opendata_publisher.core.checks.finding import ValueProblem
from opendata_publisher.core.schema.model import FieldDescriptor, TableSchema

# (name, min_lon, min_lat, max_lon, max_lat), WGS 84 degrees, a few km of margin.
_BOXES: List[Tuple[str, float, float, float, float]] = [
    ("France métropolitaine", -5.30, 42.25, 8.30, 51.15),
    ("Corse", 8.45, 41.30, 9.65, 43.10),
    ("Guadeloupe", -61.90, 15.80, -60.95, 16.55),
    ("Saint-Martin et Saint-Barthélemy", -63.20, 17.85, -62.75, 18.15),
    ("Martinique", -61.30, 14.35, -60.75, 14.95),
    ("Guyane", -54.65, 2.05, -51.55, 5.85),
    ("La Réunion", 55.15, -21.45, 55.90, -20.80),
    ("Mayotte", 44.90, -13.05, 45.35, -12.60),
    ("Saint-Pierre-et-Miquelon", -56.50, 46.70, -56.10, 47.20),
    ("Wallis-et-Futuna", -178.25, -14.40, -176.10, -13.15),
    ("Polynésie française", -155.00, -28.20, -134.20, -7.70),
    ("Nouvelle-Calédonie", 163.50, -22.90, 168.20, -18.90),
    ("Îles Kerguelen (TAAF)", 68.30, -50.10, 70.70, -48.40),
    ("Îles Crozet (TAAF)", 50.10, -46.55, 52.35, -45.90),
    ("Îles Saint-Paul et Amsterdam (TAAF)", 77.45, -38.80, 77.65, -37.75),
    ("Île Clipperton", -109.30, 10.25, -109.15, 10.35),
]

FRANCE = "france"
REVERSED = "reversed"
OUTSIDE = "outside"


def france_boxes() -> List[Tuple[str, float, float, float, float]]:
    """The boxes used: (name, min_lon, min_lat, max_lon, max_lat)."""
    return list(_BOXES)


def _in_france(lon: float, lat: float) -> bool:
    return any(x0 <= lon <= x1 and y0 <= lat <= y1 for _n, x0, y0, x1, y1 in _BOXES)


def in_france(lon: float, lat: float) -> bool:
    """True when (lon, lat), in degrees WGS 84, is in one of the French boxes."""
    return _in_france(lon, lat)


def _as_float(value: Any) -> Optional[float]:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value.strip().replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def locate(lon: float, lat: float) -> str:
    """``"france"`` when (lon, lat) is in a French box, ``"reversed"`` when the
    swapped pair (lat, lon) is, else ``"outside"``."""
    x, y = _as_float(lon), _as_float(lat)
    if x is None or y is None:
        return OUTSIDE
    if _in_france(x, y):
        return FRANCE
    if _in_france(y, x):
        return REVERSED
    return OUTSIDE


def extent_inside_one_box(min_lon: float, min_lat: float, max_lon: float, max_lat: float) -> bool:
    """True when the whole extent lies in a single box: every point is then in France
    and the per-feature check can be skipped."""
    return any(x0 <= min_lon and max_lon <= x1 and y0 <= min_lat and max_lat <= y1 for _n, x0, y0, x1, y1 in _BOXES)


def _fmt(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def geo_problem(lon: Any, lat: Any) -> Optional[ValueProblem]:
    """None when the point is in France; else a French problem.

    ``reversed-french-gps-coordinates`` when the swapped pair lies in France,
    ``french-gps-coordinates`` otherwise. Values that are not numbers give None
    (the type check reports them).
    """
    x, y = _as_float(lon), _as_float(lat)
    if x is None or y is None:
        return None
    where = locate(x, y)
    if where == FRANCE:
        return None
    shown = f"(longitude {_fmt(x)}, latitude {_fmt(y)})"
    if where == REVERSED:
        return ValueProblem(
            code="reversed-french-gps-coordinates",
            message=f"La longitude et la latitude semblent inversées : le point {shown} tombe hors de France, "
            "mais en France une fois les deux valeurs permutées.",
            hint="Échangez les valeurs (ou les colonnes) de longitude et de latitude : la longitude est l'axe "
            "est-ouest (environ -5 à 10 en métropole), la latitude l'axe nord-sud (environ 41 à 51).",
        )
    if x == 0 and y == 0:
        return ValueProblem(
            code="french-gps-coordinates",
            message="Les coordonnées valent (0, 0) : le point n'a pas été localisé.",
            hint="Renseignez la position réelle de l'objet (géolocalisez-le dans QGIS) "
            "ou laissez les coordonnées vides si le schéma le permet.",
        )
    if abs(x) > 180 or abs(y) > 90:
        return ValueProblem(
            code="french-gps-coordinates",
            message=f"Le point {shown} n'est pas en degrés : ces valeurs ressemblent à des mètres "
            "(Lambert 93 ou une autre projection).",
            hint="Le schéma attend des degrés WGS 84 (EPSG:4326) : recalculez les coordonnées dans QGIS avec "
            "$x et $y après reprojection, ou exportez la couche en EPSG:4326.",
        )
    return ValueProblem(
        code="french-gps-coordinates",
        message=f"Le point {shown} est hors de France (métropole et outre-mer).",
        hint="Vérifiez les coordonnées : elles doivent être en degrés WGS 84 (EPSG:4326), la longitude puis la "
        "latitude, avec un point comme séparateur décimal ; corrigez la position de l'objet si elle est fausse.",
    )


# --------------------------------------------------------------------------
# Which fields hold coordinates?

_LON_STEMS = {"lon", "long", "lng", "longi", "longitude", "longitudes"}
_LAT_STEMS = {"lat", "lati", "latitude", "latitudes"}
_NUMERIC_LIKE = ("number", "string", "any")
_TOKEN_RE = re.compile(r"[A-ZÀ-Þ]+(?=[A-ZÀ-Þ][a-zß-ÿ])|[A-ZÀ-Þ]?[a-zß-ÿ]+|[A-ZÀ-Þ]+|\d+")
_DEGREE_WORDS = ("wgs", "4326", "degré", "degre", "longitude", "latitude", "gps")
_PROJECTED_WORDS = ("lambert", "2154", "l93", "mètre", "metre", "projection", "projeté", "cc4", "cc5", "utm")


def _tokens(name: str) -> List[str]:
    out: List[str] = []
    for chunk in re.split(r"[^0-9A-Za-zÀ-ÿ]+", name):
        out.extend(t.lower() for t in _TOKEN_RE.findall(chunk))
    return out


def _axis_token(token: str) -> Optional[str]:
    """'lon' / 'lat' / 'x' / 'y' for a name token, else None."""
    if token in _LON_STEMS:
        return "lon"
    if token in _LAT_STEMS:
        return "lat"
    # Xlong, xlon, ylat, ylatitude: an axis letter glued to a stem
    if len(token) > 1 and token[0] == "x" and token[1:] in _LON_STEMS:
        return "lon"
    if len(token) > 1 and token[0] == "y" and token[1:] in _LAT_STEMS:
        return "lat"
    if token in ("x", "y"):
        return token
    return None


def _says_degrees(descriptor: FieldDescriptor, tokens: List[str]) -> bool:
    text = " ".join([descriptor.name, descriptor.title, descriptor.description]).lower()
    if any(word in text for word in _PROJECTED_WORDS):
        return False
    if any(word in text for word in _DEGREE_WORDS) or "wgs" in tokens:
        return True
    lo, hi = descriptor.constraints.get("minimum"), descriptor.constraints.get("maximum")
    lo, hi = _as_float(lo), _as_float(hi)
    return lo is not None and hi is not None and lo >= -180 and hi <= 180


def _candidates(schema: TableSchema) -> List[Tuple[str, str, Tuple[str, ...], int]]:
    """(field name, axis, pairing key, schema position) for every coordinate-looking field."""
    found = []
    for position, descriptor in enumerate(schema.fields):
        if descriptor.type not in _NUMERIC_LIKE:
            continue
        tokens = _tokens(descriptor.name)
        axes = [(i, _axis_token(t)) for i, t in enumerate(tokens)]
        axes = [(i, a) for i, a in axes if a]
        if len(axes) != 1:
            continue  # no axis word, or an ambiguous name like « lat_long »
        index, axis = axes[0]
        if axis in ("x", "y"):
            if not _says_degrees(descriptor, tokens):
                continue
            axis = "lon" if axis == "x" else "lat"
        key = tuple(t for i, t in enumerate(tokens) if i != index)
        found.append((descriptor.name, axis, key, position))
    return found


def lonlat_pairs(schema: TableSchema) -> List[Tuple[str, str]]:
    """(longitude field, latitude field) pairs among the schema's fields.

    Rule: a field name is cut into lower-case words (on ``_``, ``-``, spaces,
    digits and camelCase). A field is a longitude when exactly one word is a
    longitude stem (lon, long, lng, longitude), possibly glued to an ``x``
    (Xlong, xlong_wgs84); a latitude likewise (lat, latitude, Ylat). Bare
    ``x``/``y`` words count only when the field's name, title or description
    says degrees / WGS 84 (or its bounds fit in ±180) and nothing says
    Lambert/projection. Only number, string and any fields qualify. The other
    words form a key (``lat_coor1`` → ``coor 1``); a longitude pairs with the
    latitude that has the same key. If exactly one longitude and one latitude
    remain unpaired, they pair together.
    """
    candidates = _candidates(schema)
    lons = [c for c in candidates if c[1] == "lon"]
    lats = [c for c in candidates if c[1] == "lat"]
    pairs: List[Tuple[int, str, str]] = []
    used_lats: set = set()
    unpaired_lons = []
    for lon_name, _axis, key, position in lons:
        match = next((c for c in lats if c[2] == key and c[0] not in used_lats), None)
        if match is None:
            unpaired_lons.append((lon_name, position))
            continue
        used_lats.add(match[0])
        pairs.append((min(position, match[3]), lon_name, match[0]))
    unpaired_lats = [c for c in lats if c[0] not in used_lats]
    if len(unpaired_lons) == 1 and len(unpaired_lats) == 1:
        lon_name, position = unpaired_lons[0]
        pairs.append((min(position, unpaired_lats[0][3]), lon_name, unpaired_lats[0][0]))
    pairs.sort()
    return [(lon, lat) for _p, lon, lat in pairs]


def geopoint_fields(schema: TableSchema) -> List[str]:
    """Names of the schema's ``geopoint`` fields."""
    return [f.name for f in schema.fields if f.type == "geopoint"]


_NUM = r"([-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)"
_WKT_POINT_RE = re.compile(
    r"^(?:SRID=\d+;)?\s*POINT\s*(?:ZM|Z|M)?\s*\(\s*" + _NUM + r"\s+" + _NUM + r"(?:\s+\S+)*\s*\)$", re.IGNORECASE
)


def parse_geopoint(value: Any, fmt: str = "default") -> Optional[Tuple[float, float]]:
    """(lon, lat) from a geopoint value as Table Schema writes it — "lon, lat",
    "[lon, lat]", {"lon": .., "lat": ..}, an already cast tuple/list, or a WKT
    ``POINT(lon lat)`` text (CNIG friches) — else None. ``fmt`` is the field's
    geopoint format; every form is tried whatever it says."""
    if isinstance(value, dict):
        lon, lat = value.get("lon"), value.get("lat")
    elif isinstance(value, (list, tuple)) and len(value) == 2:
        lon, lat = value
    elif isinstance(value, str):
        text = value.strip()
        wkt = _WKT_POINT_RE.match(text)
        if wkt:
            lon, lat = wkt.group(1), wkt.group(2)
        elif text.startswith("{"):
            try:
                data = json.loads(text)
            except ValueError:
                return None
            return parse_geopoint(data) if isinstance(data, dict) else None
        else:
            text = text.strip("[]() \t\r\n")
            parts = [p for p in re.split(r"\s*,\s*|\s+", text) if p]
            if len(parts) != 2:
                return None
            lon, lat = parts
    else:
        lon, lat = getattr(value, "x", None), getattr(value, "y", None)
        if callable(lon) and callable(lat):  # QgsPointXY
            lon, lat = lon(), lat()
    x, y = _as_float(lon), _as_float(lat)
    if x is None or y is None:
        return None
    return x, y
