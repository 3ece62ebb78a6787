"""Which columns an export writes, and how a value becomes CSV text (pure Python).

With a schema, the columns are the schema's fields in the schema's order and with its names; each is read
from the layer field the mapping gives (:func:`opendata_publisher.core.mapping.resolve_mapping`), or left
empty when the layer has none. Longitude/latitude pairs and ``geopoint`` fields are filled from the
geometry (WGS 84) when the layer has one. Without a schema, the layer's fields are written as they are.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, List, Optional, Sequence, Tuple

from ..checks.geo import geopoint_fields, lonlat_pairs
from ..mapping import FieldMapping, resolve_mapping
from ..schema.model import TableSchema

VALUE, LON, LAT, GEOPOINT = "value", "lon", "lat", "geopoint"
COORDINATE_DECIMALS = 7


@dataclass
class Column:
    """One output column: its name, where its value comes from, and the schema field's type/format."""

    name: str
    layer_field: Optional[str] = None  # None: not in the layer (empty unless filled from the geometry)
    kind: str = VALUE  # value, lon, lat, geopoint
    schema_type: str = ""
    schema_format: str = "default"


def plan_columns(
    layer_fields: Sequence[str],
    schema: Optional[TableSchema] = None,
    mapping: Optional[FieldMapping] = None,
    has_geometry: bool = False,
) -> List[Column]:
    """The columns to write, in order (see the module docstring)."""
    if schema is None or not schema.fields:
        return [Column(name, name) for name in layer_fields]
    resolved = resolve_mapping(list(layer_fields), schema, mapping)
    lons, lats = set(), set()
    for lon, lat in lonlat_pairs(schema):
        lons.add(lon)
        lats.add(lat)
    geopoints = set(geopoint_fields(schema))
    columns = []
    for descriptor in schema.fields:
        kind = VALUE
        if has_geometry:
            if descriptor.name in lons:
                kind = LON
            elif descriptor.name in lats:
                kind = LAT
            elif descriptor.name in geopoints:
                kind = GEOPOINT
        columns.append(
            Column(
                descriptor.name,
                resolved.get(descriptor.name),
                kind,
                descriptor.type,
                descriptor.format or "default",
            )
        )
    return columns


def format_coordinate(value: float) -> str:
    """Degrees with at most 7 decimals (about 1 cm), no exponent, no trailing zeros."""
    text = f"{round(float(value), COORDINATE_DECIMALS):.{COORDINATE_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_geopoint(lon: float, lat: float, fmt: str = "default") -> str:
    """A geopoint as Table Schema writes it: ``"lon,lat"`` (default), ``[lon, lat]`` (array) or an object."""
    x, y = format_coordinate(lon), format_coordinate(lat)
    if fmt == "array":
        return f"[{x}, {y}]"
    if fmt == "object":
        return f'{{"lon": {x}, "lat": {y}}}'
    return f"{x},{y}"


def csv_text(value: Any) -> str:
    """A plain Python value (as :func:`opendata_publisher.core.reader.to_python` gives) as CSV text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        text = repr(value)
        return format(Decimal(text), "f") if "e" in text else text
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


#: the characters for which a CSV cell is quoted: those of GDAL's CSV writer (``STRING_QUOTING=IF_NEEDED``: the
#: comma, the semicolon, the tab, the quote and line ends), so that the streamed file and the one GDAL writes
#: are the same bytes (a quoted cell reads the same in any RFC 4180 reader)
_QUOTED = ',;\t"\r\n'
_SEPARATOR = "\x1f"
_NEEDS_QUOTES = {}


def _quote(cell: str, pattern) -> str:
    return '"' + cell.replace('"', '""') + '"' if pattern.search(cell) else cell


def csv_line(cells: Sequence[str], delimiter: str = ",") -> str:
    """One CSV record (CRLF-terminated) of text ``cells``: a cell is quoted (quotes doubled) when it holds the
    separator or one of ``, ; tab " CR LF``; a record of one empty cell is ``""`` (never an empty line)."""
    pattern = _NEEDS_QUOTES.get(delimiter)
    if pattern is None:
        pattern = _NEEDS_QUOTES[delimiter] = re.compile("[" + re.escape(_QUOTED + delimiter) + "]")
    joined = _SEPARATOR.join(cells)
    if pattern.search(joined) is None and joined.count(_SEPARATOR) == len(cells) - 1:  # most records: no quote
        if len(cells) == 1 and not joined:
            return '""\r\n'
        return joined.replace(_SEPARATOR, delimiter) + "\r\n"
    return delimiter.join(_quote(cell, pattern) for cell in cells) + "\r\n"


def row_values(columns: List[Column], values: Sequence[Any], point: Optional[Tuple[float, float]]) -> List[str]:
    """The CSV cells of one feature: ``values`` follow ``columns`` (None for columns without a layer field),
    ``point`` is the feature's (lon, lat) in WGS 84 or None."""
    cells = []
    for column, value in zip(columns, values):
        if point is not None and column.kind == LON:
            cells.append(format_coordinate(point[0]))
        elif point is not None and column.kind == LAT:
            cells.append(format_coordinate(point[1]))
        elif point is not None and column.kind == GEOPOINT:
            cells.append(format_geopoint(point[0], point[1], column.schema_format))
        else:
            cells.append(csv_text(value))
    return cells
