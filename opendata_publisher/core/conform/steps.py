"""Every conform fix as one spec: where it acts in the pipeline, when the dialog offers it, which fields it
applies to, and its repair. :data:`STEPS` is the one registry; the pipeline (:mod:`.pipeline`) runs its
steps stage by stage and the dialog's list of available fixes (:func:`offered_fixes`) is read from it. The
French label, help and finding codes of a fix are in :mod:`.fixes` (``fix_info(step.fix_id)``).

Stages, in the order the pipeline runs them on each feature:

* ``fields`` — which layer field feeds which schema field: ``repair(explicit, suggested)`` → mapping;
* ``clean`` — every value of the fields it ``applies`` to: ``repair(value)`` → value (same value: nothing
  to do);
* ``value`` — a value that still fails its field's checks: ``repair(descriptor)`` gives a function value →
  candidate (or candidates when ``several``); the first candidate that passes every check is kept, a repair
  that does not make the value valid is never applied;
* ``geometry`` — ``repair(conformer, geometry, stats)`` → geometry;
* ``row`` — the values that depend on the whole feature: ``repair(conformer, row, geometry, stats, touched)``
  rewrites ``row`` in place; ``touched`` holds the fields an earlier row step of this feature rewrote.

A fix may have several steps (dates and datetimes; swapped coordinates in the values and in the geometry).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

from qgis.core import QgsGeometry, QgsPointXY, QgsWkbTypes

from ...compat import GEOMETRY_LINE, GEOMETRY_POLYGON
from ..checks import geo
from ..checks.parsing import canonical_text
from ..reader import LayerInput
from ..schema.model import FieldDescriptor, TableSchema
from . import fixes as fx
from .model import identifier_template, shown
from .values import (
    format_candidates,
    formula_like,
    match_enum,
    neutralise_formula,
    parse_boolean,
    parse_french_date,
    parse_french_datetime,
    parse_french_number,
)

WGS84 = "EPSG:4326"

FIELDS_STAGE = "fields"
CLEAN = "clean"
VALUE = "value"
GEOMETRY = "geometry"
ROW = "row"
STAGES = (FIELDS_STAGE, CLEAN, VALUE, GEOMETRY, ROW)


def _always(*_args) -> bool:
    return True


@dataclass(frozen=True)
class ConformStep:
    """One conform fix at one stage of the pipeline (see the module docstring for ``repair`` per stage)."""

    fix_id: str
    stage: str
    repair: Callable[..., Any]
    #: the dialog offers the fix for this layer and schema: ``offered(layer_input, schema)``
    offered: Callable[[LayerInput, TableSchema], bool] = _always
    #: ``clean`` and ``value`` stages: the schema fields the step applies to
    applies: Callable[[FieldDescriptor], bool] = _always
    several: bool = False  # ``value`` stage: the repair gives several candidates

    @property
    def label(self) -> str:
        """The French title the dialog shows for this fix."""
        return fx.fix_info(self.fix_id).title


# ---------------------------------------------------------------------------------------------------
# when a fix is offered


def _has_coordinate_fields(schema: TableSchema) -> bool:
    return bool(geo.lonlat_pairs(schema) or geo.geopoint_fields(schema))


def _coordinates_offered(layer_input: LayerInput, schema: TableSchema) -> bool:
    return layer_input.is_spatial and _has_coordinate_fields(schema)


def _geographic_points(layer_input: LayerInput, _schema: TableSchema) -> bool:
    return layer_input.is_spatial and layer_input.is_point and layer_input.crs.isGeographic()


def _not_in_wgs84(layer_input: LayerInput, _schema: TableSchema) -> bool:
    return layer_input.is_spatial and layer_input.crs.isValid() and layer_input.crs.authid() != WGS84


def _lines_or_polygons(layer_input: LayerInput, _schema: TableSchema) -> bool:
    return layer_input.is_spatial and not layer_input.is_point


def _identifier_pattern(_layer_input: LayerInput, schema: TableSchema) -> bool:
    return identifier_template(schema) is not None


# ---------------------------------------------------------------------------------------------------
# fields and values


def rename_fields(explicit: Dict[str, str], suggested: Dict[str, str]) -> Dict[str, str]:
    """The mapping the agent gave, completed by the near-matches (truncated Shapefile names, accents…)."""
    return {**explicit, **suggested}


def trim(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def neutralise(value: Any) -> Any:
    return neutralise_formula(value) if formula_like(value) else value


def _number_repair(descriptor: FieldDescriptor) -> Callable[[Any], Any]:
    integer = descriptor.type != "number"
    return lambda value: parse_french_number(value, integer=integer)


def _boolean_repair(descriptor: FieldDescriptor) -> Callable[[Any], Any]:
    return lambda value: parse_boolean(value, descriptor.true_values, descriptor.false_values)


def _enum_repair(descriptor: FieldDescriptor) -> Callable[[Any], Any]:
    allowed = descriptor.enum
    return lambda value: match_enum(value, allowed)


# ---------------------------------------------------------------------------------------------------
# geometry


def repair_geometry(conformer, geometry: QgsGeometry, stats) -> QgsGeometry:
    """makeValid on an invalid line or polygon (parts of the layer's type kept); multi-part output."""
    if not conformer.make_valid:
        return geometry
    if not geometry.isGeosValid():
        before = geometry.asWkt(3)
        repaired = _keep_type(geometry.makeValid(), conformer.input.geometry_type)
        if repaired is not None and not repaired.isEmpty():
            geometry = repaired
            stats[fx.MAKE_VALID].add("géométrie", _short_wkt(before), _short_wkt(geometry.asWkt(3)))
    if not geometry.isMultipart():
        geometry.convertToMultiType()  # the output layer is multi: repaired parts fit in it
    return geometry


def swap_geometry(conformer, geometry: QgsGeometry, stats) -> QgsGeometry:
    """A point in degrees that falls in France only with x and y exchanged."""
    if not (conformer.geographic and conformer.input.is_point):
        return geometry
    swapped = _swap_if_reversed(geometry)
    if swapped is None:
        return geometry
    stats[fx.SWAP].add("géométrie", _short_wkt(geometry.asWkt(6)), _short_wkt(swapped.asWkt(6)))
    return swapped


def reproject(conformer, geometry: QgsGeometry, stats) -> QgsGeometry:
    """To WGS 84 (a point the transform cannot reach keeps no geometry)."""
    if not conformer.reproject:
        return geometry
    before = geometry.asWkt(1)
    transformed = QgsGeometry(geometry)
    try:
        transformed.transform(conformer.to_wgs84)
    except Exception:  # noqa: BLE001 - a point the transform cannot reach keeps no geometry
        transformed = QgsGeometry()
    stats[fx.REPROJECT].add("géométrie", _short_wkt(before), _short_wkt(transformed.asWkt(6)))
    return transformed


# ---------------------------------------------------------------------------------------------------
# row


def _coordinates_wrong(conformer, lon_name: str, lat_name: str, lon: Any, lat: Any) -> Tuple[bool, bool]:
    """(wrong, missing) for a longitude/latitude pair of ``row``."""
    lon_plan, lat_plan = conformer.plan_by_name[lon_name], conformer.plan_by_name[lat_name]
    missing = lon_plan.checker.is_missing(lon) or lat_plan.checker.is_missing(lat)
    fine = not missing and lon_plan.ok(lon) and lat_plan.ok(lat) and geo.geo_problem(lon, lat) is None
    return not fine, missing


def _geopoint_wrong(conformer, name: str, value: Any):
    """(wrong, parsed pair or None) for a geopoint value."""
    plan = conformer.plan_by_name[name]
    pair = None if plan.checker.is_missing(value) else geo.parse_geopoint(value, plan.descriptor.format)
    return not (pair is not None and plan.ok(value) and geo.geo_problem(*pair) is None), pair


def compute_coordinates(conformer, row: Dict[str, Any], geometry, stats, touched: Set[str]) -> None:
    """Empty, missing or wrong longitude/latitude (or geopoint) values computed from the geometry, in WGS 84."""
    if not conformer.input.is_spatial:
        return
    point: Optional[Tuple[float, float]] = None
    for lon_name, lat_name in conformer.pairs:
        lon, lat = row[lon_name], row[lat_name]
        if not _coordinates_wrong(conformer, lon_name, lat_name, lon, lat)[0]:
            continue
        point = point or conformer.point_wgs84(geometry)
        if point is None:
            continue
        new_lon = _coordinate(conformer.plan_by_name[lon_name], point[0])
        new_lat = _coordinate(conformer.plan_by_name[lat_name], point[1])
        if new_lon != lon:
            stats[fx.COORDINATES].add(lon_name, lon, new_lon)
        if new_lat != lat:
            stats[fx.COORDINATES].add(lat_name, lat, new_lat)
        row[lon_name], row[lat_name] = new_lon, new_lat
        touched.update((lon_name, lat_name))
    for name in conformer.geopoints:
        value = row[name]
        if not _geopoint_wrong(conformer, name, value)[0]:
            continue
        point = point or conformer.point_wgs84(geometry)
        if point is None:
            continue
        new = _geopoint_text(conformer.plan_by_name[name].descriptor.format, point[0], point[1])
        stats[fx.COORDINATES].add(name, value, new)
        row[name] = new
        touched.add(name)


def swap_coordinates(conformer, row: Dict[str, Any], _geometry, stats, touched: Set[str]) -> None:
    """Longitude and latitude values typed the wrong way round (the point falls in France once exchanged)."""
    for lon_name, lat_name in conformer.pairs:
        if lon_name in touched or lat_name in touched:
            continue
        lon, lat = row[lon_name], row[lat_name]
        wrong, missing = _coordinates_wrong(conformer, lon_name, lat_name, lon, lat)
        lon_plan, lat_plan = conformer.plan_by_name[lon_name], conformer.plan_by_name[lat_name]
        if wrong and not missing and geo.locate(lon, lat) == geo.REVERSED and lon_plan.ok(lat) and lat_plan.ok(lon):
            stats[fx.SWAP].add(lon_name, f"{shown(lon)}, {shown(lat)}", f"{shown(lat)}, {shown(lon)}")
            row[lon_name], row[lat_name] = lat, lon
            touched.update((lon_name, lat_name))
    for name in conformer.geopoints:
        if name in touched:
            continue
        value = row[name]
        wrong, pair = _geopoint_wrong(conformer, name, value)
        if wrong and pair is not None and geo.locate(*pair) == geo.REVERSED:
            plan = conformer.plan_by_name[name]
            new = _geopoint_text(plan.descriptor.format, pair[1], pair[0])
            if plan.ok(new):
                stats[fx.SWAP].add(name, value, new)
                row[name] = new
                touched.add(name)


def fill_constants(conformer, row: Dict[str, Any], _geometry, stats, touched: Set[str]) -> None:
    """Empty values of the fields given a constant (the organisation's name, SIREN, SIRET…)."""
    for name, value in conformer.constants.items():
        if conformer.plan_by_name[name].checker.is_missing(row[name]):
            stats[fx.CONSTANTS].add(name, row[name], value)
            row[name] = value
            touched.add(name)


def build_identifier(conformer, row: Dict[str, Any], _geometry, stats, touched: Set[str]) -> None:
    """An empty, malformed or repeated identifier rebuilt from the schema's pattern (``<insee>-P-<nnn>``)."""
    template = conformer.identifier
    if template is None:
        return
    plan = conformer.plan_by_name[template.field]
    value = row[template.field]
    text = value if isinstance(value, str) else None
    if text and plan.ok(text) and text not in conformer.seen_ids:
        conformer.seen_ids.add(text)
        return
    code = row.get(template.source)
    code = code if isinstance(code, str) else (canonical_text(code) if code is not None else "")
    if not code or not conformer.plan_by_name[template.source].ok(code):
        return
    used = conformer.used_ids.setdefault(code, set())
    number = 1
    while number in used:
        number += 1
    new = template.build(code, number)
    if len(str(number)) > template.width or not plan.ok(new):
        return
    used.add(number)
    conformer.seen_ids.add(new)
    stats[fx.IDENTIFIERS].add(template.field, value, new)
    row[template.field] = new
    touched.add(template.field)


# ---------------------------------------------------------------------------------------------------
# the registry


#: every conform step, in the order the pipeline runs them within a stage
STEPS: Tuple[ConformStep, ...] = (
    ConformStep(fx.FIELDS, FIELDS_STAGE, rename_fields),
    ConformStep(fx.TRIM, CLEAN, trim),
    ConformStep(fx.FORMULAS, CLEAN, neutralise),
    ConformStep(fx.DATES, VALUE, lambda d: parse_french_date, applies=lambda d: d.type == "date"),
    ConformStep(fx.DATES, VALUE, lambda d: parse_french_datetime, applies=lambda d: d.type == "datetime"),
    ConformStep(fx.NUMBERS, VALUE, _number_repair, applies=lambda d: d.type in ("number", "integer", "year")),
    ConformStep(fx.BOOLEANS, VALUE, _boolean_repair, applies=lambda d: d.type == "boolean"),
    ConformStep(fx.ENUMS, VALUE, _enum_repair, applies=lambda d: bool(d.enum)),
    ConformStep(
        fx.FORMATS, VALUE, lambda d: format_candidates, applies=lambda d: d.type in ("string", "any"), several=True
    ),
    ConformStep(fx.MAKE_VALID, GEOMETRY, repair_geometry, offered=_lines_or_polygons),
    ConformStep(fx.SWAP, GEOMETRY, swap_geometry, offered=_geographic_points),
    ConformStep(fx.REPROJECT, GEOMETRY, reproject, offered=_not_in_wgs84),
    ConformStep(fx.COORDINATES, ROW, compute_coordinates, offered=_coordinates_offered),
    ConformStep(fx.SWAP, ROW, swap_coordinates, offered=lambda _layer, schema: _has_coordinate_fields(schema)),
    ConformStep(fx.CONSTANTS, ROW, fill_constants),
    ConformStep(fx.IDENTIFIERS, ROW, build_identifier, offered=_identifier_pattern),
)


def steps_of(stage: str, enabled: Optional[Set[str]] = None) -> List[ConformStep]:
    """The steps of ``stage`` in order (only those of the ``enabled`` fixes when given)."""
    return [step for step in STEPS if step.stage == stage and (enabled is None or step.fix_id in enabled)]


def offered_fixes(layer_input: LayerInput, schema: TableSchema) -> List[str]:
    """The fixes the dialog offers for this layer and schema, in the order of :data:`.fixes.FIX_IDS`."""
    offered = {step.fix_id for step in STEPS if step.offered(layer_input, schema)}
    return [fix_id for fix_id in fx.FIX_IDS if fix_id in offered]


# ---------------------------------------------------------------------------------------------------
# helpers


def _format_number(value: float) -> str:
    return f"{value:.7f}".rstrip("0").rstrip(".")


def _coordinate(plan, number: float) -> Any:
    if plan.descriptor.type in ("number", "integer"):
        return Decimal(_format_number(number))
    return _format_number(number)


def _geopoint_text(fmt: str, lon: float, lat: float) -> str:
    x, y = _format_number(lon), _format_number(lat)
    if fmt == "array":
        return f"[{x}, {y}]"
    if fmt == "object":
        return json.dumps({"lon": float(x), "lat": float(y)})
    return f"{x}, {y}"


def _swap_if_reversed(geometry: QgsGeometry) -> Optional[QgsGeometry]:
    points = geometry.asMultiPoint() if geometry.isMultipart() else [geometry.asPoint()]
    if not points or not all(geo.locate(p.x(), p.y()) == geo.REVERSED for p in points):
        return None
    swapped = [QgsPointXY(p.y(), p.x()) for p in points]
    return QgsGeometry.fromMultiPointXY(swapped) if geometry.isMultipart() else QgsGeometry.fromPointXY(swapped[0])


def _keep_type(geometry: QgsGeometry, geometry_type: int) -> Optional[QgsGeometry]:
    """makeValid may return a collection: keep the parts of the layer's geometry type."""
    if geometry is None or geometry.isNull():
        return None
    collection = QgsWkbTypes.displayString(QgsWkbTypes.flatType(geometry.wkbType())) == "GeometryCollection"
    if int(geometry.type()) == int(geometry_type) and not collection:
        return geometry
    wanted = {int(GEOMETRY_POLYGON): GEOMETRY_POLYGON, int(GEOMETRY_LINE): GEOMETRY_LINE}.get(geometry_type)
    if wanted is None:
        return geometry
    parts = [QgsGeometry(part.clone()) for part in geometry.constParts()]
    kept = [part for part in parts if part.type() == wanted]
    if not kept:
        return None
    return QgsGeometry.collectGeometry(kept)


def _short_wkt(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
