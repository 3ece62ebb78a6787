"""Make a layer conform to a Table Schema: analyse (the preview) and convert.

The source layer is never modified: :func:`convert` writes new features, with
exactly the schema's fields in its order, into a sink the caller gives
(Processing sink, GeoPackage writer or a list for a memory layer).

Both steps run the same per-feature pipeline on a :class:`LayerInput` (a
thread-safe snapshot), so they can run in a background task:

1. values, field by field: spaces trimmed, then, for a value that fails the
   field's checks, the first repair (:mod:`.values`) whose result passes them
   all — dates, numbers, booleans, list values, formats. A repair that does
   not make the value valid is never applied;
2. the row: coordinates computed from the geometry or swapped, constant
   fields filled, identifiers built from the schema's pattern;
3. the geometry: repaired (makeValid), swapped, reprojected to WGS 84;
4. types: each value is cast to the QGIS type of its schema type. A column
   where a value still cannot be cast (« 2019-13-30 » in a date field) stays
   text, so that nothing the agent typed is lost and the check shows it.

:func:`analyse` runs steps 1-4 without writing and counts, per fix, the values
that change with examples « avant → après ».
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Dict, Iterable, List, Optional, Set, Tuple

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QTime

from ...compat import GEOMETRY_LINE, GEOMETRY_POINT, GEOMETRY_POLYGON, WKB_NO_GEOMETRY, make_field
from ..checks import geo
from ..checks.custom import build_custom_checks
from ..checks.values import canonical_text, checker_for
from ..mapping import FieldMapping, normalise_name, resolve_mapping, suggest_mapping
from ..reader import LayerInput
from ..schema.model import FieldDescriptor, TableSchema
from ..validation import wkt_fields
from . import fixes as fx
from .values import (
    format_candidates,
    formula_like,
    iso_text,
    match_enum,
    neutralise_formula,
    parse_boolean,
    parse_french_date,
    parse_french_datetime,
    parse_french_number,
)

WGS84 = "EPSG:4326"
MAX_EXAMPLES = 5

#: Table Schema type → QGIS field type (compat.make_field names)
QGIS_TYPES = {
    "string": "string",
    "integer": "longlong",
    "number": "double",
    "boolean": "bool",
    "date": "date",
    "datetime": "datetime",
    "time": "time",
    "year": "int",
}


# ---------------------------------------------------------------------------------------------------
# options and results


@dataclass
class ConformOptions:
    """What to apply. ``fixes`` None means the safe fixes (plus ``constants`` when values are given)."""

    fixes: Optional[Iterable[str]] = None
    mapping: Optional[FieldMapping] = None
    constants: Dict[str, Any] = field(default_factory=dict)  # schema field -> value

    def enabled(self, available: Iterable[str]) -> Set[str]:
        available = set(available)
        if self.fixes is None:
            wanted = set(fx.SAFE_FIX_IDS)
            if self.constants:
                wanted.add(fx.CONSTANTS)
        else:
            wanted = set(self.fixes)
        return wanted & available


@dataclass
class FixStats:
    fix_id: str
    count: int = 0
    examples: List[Tuple[str, str, str]] = field(default_factory=list)  # (field, before, after)
    fields: Dict[str, int] = field(default_factory=dict)

    @property
    def info(self) -> fx.FixInfo:
        return fx.fix_info(self.fix_id)

    def add(self, field_name: str, before: Any, after: Any, limit: int = MAX_EXAMPLES) -> None:
        if _shown(before) == _shown(after):
            return  # same value written another way (text → number): nothing changes for the agent
        self.count += 1
        self.fields[field_name] = self.fields.get(field_name, 0) + 1
        if len(self.examples) < limit:
            example = (field_name, _shown(before), _shown(after))
            if example not in self.examples:
                self.examples.append(example)


@dataclass
class IdentifierTemplate:
    """``<insee>-P-<nnn>``: how to build an identifier the schema's pattern accepts."""

    field: str  # the identifier field
    source: str  # the schema field holding the INSEE code
    letter: str
    width: int

    def build(self, code: str, number: int) -> str:
        return f"{code}-{self.letter}-{str(number).zfill(self.width)}"

    @property
    def example(self) -> str:
        return self.build("45234", 1)


@dataclass
class ConformAnalysis:
    """What the conversion would do (the preview), or did (the result of :func:`convert`)."""

    schema_name: str
    schema_title: str
    schema_version: str
    layer_name: str
    feature_count: int = 0
    mapping: Dict[str, str] = field(default_factory=dict)  # schema field -> layer field
    suggested: Dict[str, str] = field(default_factory=dict)  # schema field -> layer field (near-match)
    dropped_fields: List[str] = field(default_factory=list)
    missing_fields: List[str] = field(default_factory=list)
    available: List[str] = field(default_factory=list)
    enabled: List[str] = field(default_factory=list)
    stats: Dict[str, FixStats] = field(default_factory=dict)
    untyped: Dict[str, int] = field(default_factory=dict)  # schema field kept as text -> values not castable
    untyped_examples: Dict[str, List[str]] = field(default_factory=dict)
    empty_counts: Dict[str, int] = field(default_factory=dict)  # after the value repairs, before constants
    blanked: Dict[str, int] = field(default_factory=dict)  # required field -> values made only of spaces
    constants: Dict[str, Any] = field(default_factory=dict)
    constant_problems: Dict[str, str] = field(default_factory=dict)
    identifier: Optional[IdentifierTemplate] = None
    required_fields: List[str] = field(default_factory=list)
    computed_fields: List[str] = field(default_factory=list)  # coordinates and identifiers built by fixes
    output_crs: str = ""
    output_wkb: int = int(WKB_NO_GEOMETRY)
    cancelled: bool = False
    written: int = 0
    #: geometries of another type than the layer's (a GeoJSON mixing types): type name -> count
    dropped_geometries: Dict[str, int] = field(default_factory=dict)

    def count(self, fix_id: str) -> int:
        stats = self.stats.get(fix_id)
        return stats.count if stats else 0

    @property
    def fixed_count(self) -> int:
        """Values (and geometries) changed by the enabled fixes."""
        return sum(self.count(fix_id) for fix_id in self.enabled)

    def steps(self) -> List[str]:
        """One French sentence per applied fix, for the metadata history and the summary."""
        lines = []
        for fix_id in fx.FIX_IDS:
            if fix_id not in self.enabled:
                continue
            stats = self.stats.get(fix_id)
            if fix_id == fx.FIELDS:
                parts = []
                if self.suggested:
                    parts.append(
                        "renommés : " + ", ".join(f"{layer} → {name}" for name, layer in self.suggested.items())
                    )
                if self.dropped_fields:
                    parts.append("non repris : " + ", ".join(self.dropped_fields))
                if self.missing_fields:
                    parts.append("ajoutés : " + ", ".join(self.missing_fields))
                detail = " (" + " ; ".join(parts) + ")" if parts else ""
                lines.append(f"{fx.fix_info(fix_id).title}{detail}")
                continue
            if not stats or not stats.count:
                continue
            fields = ", ".join(sorted(stats.fields))
            unit = "géométrie(s)" if fix_id in (fx.REPROJECT, fx.MAKE_VALID) else "valeur(s)"
            lines.append(f"{fx.fix_info(fix_id).title} : {stats.count} {unit} ({fields})")
        for name, count in self.untyped.items():
            lines.append(f"Champ « {name} » gardé en texte : {count} valeur(s) à corriger à la main")
        if self.dropped_geometries:
            counts = ", ".join(f"{name} : {count}" for name, count in sorted(self.dropped_geometries.items()))
            lines.append(
                f"Géométries d'un autre type que celui de la couche non reprises ({counts}) : ces entités sont "
                "gardées sans géométrie"
            )
        return lines


# ---------------------------------------------------------------------------------------------------
# helpers


def _shown(value: Any) -> str:
    if value is None:
        return "(vide)"
    if isinstance(value, str):
        return f"« {value} »" if value != value.strip() or not value else value
    return iso_text(value)


_ID_PATTERN_RE = re.compile(r"^\^?(?P<code>.+?\\d\{3\})-(?P<letter>[A-Za-z]{1,3})-\\d\{(?P<width>\d)\}\$?$")


def identifier_template(schema: TableSchema) -> Optional[IdentifierTemplate]:
    """``<insee>-P-<nnn>`` when an identifier field's pattern is an INSEE code, a letter and a number."""
    insee = [d.name for d in schema.fields if "insee" in normalise_name(d.name)]
    if not insee:
        return None
    candidates = [schema.get_field(n) for n in schema.primary_key] + list(schema.fields)
    for descriptor in candidates:
        if descriptor is None or descriptor.name in insee:
            continue
        pattern = descriptor.constraints.get("pattern")
        if not isinstance(pattern, str):
            continue
        match = _ID_PATTERN_RE.match(pattern)
        if match:
            return IdentifierTemplate(descriptor.name, insee[0], match.group("letter"), int(match.group("width")))
    return None


def expects_wgs84(schema: TableSchema) -> bool:
    """The schema describes coordinates in degrees (lon/lat pair, geopoint, WKT): publish in WGS 84."""
    return bool(geo.lonlat_pairs(schema) or geo.geopoint_fields(schema) or wkt_fields(schema))


def schema_text(descriptor: FieldDescriptor, value: Any) -> Any:
    """A value written as the schema reads it in a CSV cell (None stays None)."""
    if value is None:
        return None
    if isinstance(value, bool):
        if descriptor.type == "boolean":
            values = descriptor.true_values if value else descriptor.false_values
            if values:
                return values[0]
        return "true" if value else "false"
    if isinstance(value, (_dt.date, _dt.datetime)) and descriptor.format not in ("default", "any", ""):
        try:
            return value.strftime(descriptor.format)
        except ValueError:
            return iso_text(value)
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return iso_text(value)
    if isinstance(value, str):
        return value
    return canonical_text(value)


def _format_number(value: float) -> str:
    return f"{value:.7f}".rstrip("0").rstrip(".")


# ---------------------------------------------------------------------------------------------------
# the pipeline


@dataclass(frozen=True)
class ValueRepair:
    """A conform fix that rewrites a value failing its field's checks: when it applies (``applies`` on the
    field) and its repair (``make`` on the field gives a function value -> candidate, or candidates when
    ``several``). The first candidate that passes every check of the field is kept."""

    fix_id: str
    applies: Callable[[FieldDescriptor], bool]
    make: Callable[[FieldDescriptor], Callable[[Any], Any]]
    several: bool = False


#: the value repairs, tried in this order on a value that fails its checks
VALUE_REPAIRS: Tuple[ValueRepair, ...] = (
    ValueRepair(fx.DATES, lambda d: d.type == "date", lambda d: parse_french_date),
    ValueRepair(fx.DATES, lambda d: d.type == "datetime", lambda d: parse_french_datetime),
    ValueRepair(
        fx.NUMBERS,
        lambda d: d.type in ("number", "integer", "year"),
        lambda d: lambda v, i=d.type != "number": parse_french_number(v, integer=i),
    ),
    ValueRepair(
        fx.BOOLEANS,
        lambda d: d.type == "boolean",
        lambda d: lambda v: parse_boolean(v, d.true_values, d.false_values),
    ),
    ValueRepair(fx.ENUMS, lambda d: bool(d.enum), lambda d: lambda v, allowed=d.enum: match_enum(v, allowed)),
    ValueRepair(fx.FORMATS, lambda d: d.type in ("string", "any"), lambda d: format_candidates, several=True),
)


class _FieldPlan:
    def __init__(self, descriptor: FieldDescriptor, source: Optional[str], value_checks):
        self.descriptor = descriptor
        self.name = descriptor.name
        self.source = source
        self.checker = checker_for(descriptor)
        self.value_checks = list(value_checks or [])
        self.kind = QGIS_TYPES.get(descriptor.type, "string")
        self.cache: Dict[Tuple[type, Any], Tuple[Any, Optional[str]]] = {}

    def ok(self, value: Any) -> bool:
        """The value passes every check of its field (missing counts as fine here)."""
        checker = self.checker
        if checker.is_missing(value):
            return True
        if checker.check(value):
            return False
        for check in self.value_checks:
            try:
                if check(value) is not None:
                    return False
            except Exception:  # noqa: BLE001 - a failing custom check is not a reason to repair
                continue
        return True

    def candidates(self, enabled: Set[str]) -> List[Tuple[str, Callable[[Any], Any], bool]]:
        """(fix id, repair function, several candidates) to try, in order, for a value that fails its checks."""
        return [
            (repair.fix_id, repair.make(self.descriptor), repair.several)
            for repair in VALUE_REPAIRS
            if repair.fix_id in enabled and repair.applies(self.descriptor)
        ]

    def repair(self, value: Any, enabled: Set[str]) -> Tuple[Any, List[Tuple[str, Any, Any]]]:
        """(repaired value, [(fix id, before, after)])."""
        try:
            key = (type(value), value)
            cached = self.cache.get(key)
        except TypeError:
            key, cached = None, None
        if cached is not None:
            return cached
        changes: List[Tuple[str, Any, Any]] = []
        current = value
        if fx.TRIM in enabled and isinstance(current, str):
            trimmed = current.strip()
            if trimmed != current:
                changes.append((fx.TRIM, current, trimmed))
                current = trimmed
        if fx.FORMULAS in enabled and formula_like(current):
            neutral = neutralise_formula(current)
            changes.append((fx.FORMULAS, current, neutral))
            current = neutral
        if not self.checker.is_missing(current) and not self.ok(current):
            for fix_id, function, several in self.candidates(enabled):
                found = None
                try:
                    result = function(current)
                    options = result if several else [result]
                    for candidate in options:
                        if candidate is not None and candidate != current and self.ok(candidate):
                            found = candidate
                            break
                except Exception:  # noqa: BLE001 - a repair that fails is simply not applied
                    found = None
                if found is not None:
                    changes.append((fix_id, current, found))
                    current = found
                    break
        result = (current, changes)
        if key is not None:
            if len(self.cache) > 100_000:
                self.cache.clear()
            self.cache[key] = result
        return result

    def typed(self, value: Any, as_text: bool) -> Tuple[bool, Any]:
        """(castable, value for a QGIS attribute of this field's output type)."""
        if self.checker.is_missing(value):
            return True, None
        if as_text or self.kind == "string":
            return True, schema_text(self.descriptor, value)
        ok, typed = self.checker.cast(value)
        if not ok or typed is None:
            return False, None
        try:
            if self.kind == "bool":
                return isinstance(typed, bool), typed
            if self.kind == "double":
                return True, float(typed)
            if self.kind in ("longlong", "int"):
                number = int(typed)
                if self.kind == "int" and not -(2**31) <= number < 2**31:
                    return False, None
                return True, number
            if self.kind == "date":
                return True, QDate(typed.year, typed.month, typed.day)
            if self.kind == "datetime":
                if typed.tzinfo is not None:
                    typed = typed.astimezone(_dt.timezone.utc).replace(tzinfo=None)
                return True, QDateTime(
                    QDate(typed.year, typed.month, typed.day),
                    QTime(typed.hour, typed.minute, typed.second, typed.microsecond // 1000),
                )
            if self.kind == "time":
                return True, QTime(typed.hour, typed.minute, typed.second, typed.microsecond // 1000)
        except (TypeError, ValueError, AttributeError, OverflowError):
            return False, None
        return True, schema_text(self.descriptor, value)


class Conformer:
    """The conversion of one layer snapshot to one schema (see the module docstring)."""

    def __init__(self, layer_input: LayerInput, schema: TableSchema, options: Optional[ConformOptions] = None):
        self.input = layer_input
        self.schema = schema
        self.options = options or ConformOptions()
        layer_fields = list(layer_input.field_names)
        explicit = resolve_mapping(layer_fields, schema, self.options.mapping)
        _, suggestions = suggest_mapping([n for n in layer_fields if n not in explicit.values()], schema)
        self.suggested = {s.schema_field: s.layer_field for s in suggestions if s.schema_field not in explicit}
        self.explicit = explicit
        self.available = self._available()
        self.enabled = self.options.enabled(self.available)
        if self.options.fixes is None and not expects_wgs84(schema):
            self.enabled.discard(fx.REPROJECT)  # by default, reproject only when the schema wants degrees
        resolved = dict(explicit)
        if fx.FIELDS in self.enabled:
            resolved.update(self.suggested)
        self.resolved = resolved
        custom = build_custom_checks(schema)
        self.plans = [_FieldPlan(d, resolved.get(d.name), custom.value_checks.get(d.name)) for d in schema.fields]
        self.plan_by_name = {p.name: p for p in self.plans}
        self.sources = [p.source for p in self.plans if p.source is not None]
        self.pairs = [(lon, lat) for lon, lat in geo.lonlat_pairs(schema)]
        self.geopoints = geo.geopoint_fields(schema)
        self.constants = {
            name: value
            for name, value in (self.options.constants or {}).items()
            if name in self.plan_by_name and value not in (None, "")
        }
        self.identifier = identifier_template(schema) if fx.IDENTIFIERS in self.available else None
        crs = layer_input.crs
        self.wgs84 = QgsCoordinateReferenceSystem(WGS84)
        self.to_wgs84 = None
        if layer_input.is_spatial and crs.isValid() and crs != self.wgs84:
            self.to_wgs84 = QgsCoordinateTransform(crs, self.wgs84, QgsProject.instance())
        self.geographic = layer_input.is_spatial and crs.isValid() and crs.isGeographic()
        self.reproject = fx.REPROJECT in self.enabled and self.to_wgs84 is not None
        self.make_valid = fx.MAKE_VALID in self.enabled and layer_input.is_spatial and not layer_input.is_point
        self.output_crs = QgsCoordinateReferenceSystem(self.wgs84 if self.reproject else crs)
        if not layer_input.is_spatial:
            self.output_wkb = int(WKB_NO_GEOMETRY)
        elif self.make_valid:
            self.output_wkb = int(QgsWkbTypes.multiType(layer_input.wkb_type))
        else:
            self.output_wkb = int(layer_input.wkb_type)
        self._used_ids: Dict[str, Set[int]] = {}
        self._seen_ids: Set[str] = set()

    # -- what is offered -----------------------------------------------------------------------------
    def _available(self) -> List[str]:
        layer_input = self.input
        schema = self.schema
        spatial = layer_input.is_spatial
        coords = bool(geo.lonlat_pairs(schema) or geo.geopoint_fields(schema))
        result = [fx.FIELDS, fx.TRIM, fx.DATES, fx.NUMBERS, fx.BOOLEANS, fx.ENUMS, fx.FORMATS, fx.CONSTANTS]
        result.append(fx.FORMULAS)
        if spatial and coords:
            result.append(fx.COORDINATES)
        if coords or (spatial and layer_input.is_point and layer_input.crs.isGeographic()):
            result.append(fx.SWAP)
        if spatial and layer_input.crs.isValid() and layer_input.crs.authid() != WGS84:
            result.append(fx.REPROJECT)
        if spatial and not layer_input.is_point:
            result.append(fx.MAKE_VALID)
        if identifier_template(schema) is not None:
            result.append(fx.IDENTIFIERS)
        return result

    def output_fields(self, untyped: Iterable[str] = ()) -> QgsFields:
        untyped = set(untyped)
        fields = QgsFields()
        for plan in self.plans:
            fields.append(make_field(plan.name, "string" if plan.name in untyped else plan.kind))
        return fields

    # -- running ---------------------------------------------------------------------------------------
    def _prescan_identifiers(self, feedback=None) -> None:
        template = self.identifier
        if template is None or fx.IDENTIFIERS not in self.enabled:
            return
        id_plan = self.plan_by_name[template.field]
        if id_plan.source is None:
            return
        for _fid, values, _geometry in self.input.iter_features([id_plan.source], False):
            value, _changes = id_plan.repair(values[0], self.enabled)
            text = value if isinstance(value, str) else None
            if text and id_plan.ok(text):
                code, _, number = text.rpartition("-")
                code = code.rsplit("-", 1)[0]
                if number.isdigit():
                    self._used_ids.setdefault(code, set()).add(int(number))

    def run(self, analysis: ConformAnalysis, sink=None, untyped: Iterable[str] = (), feedback=None) -> None:
        """One pass over the features; writes to ``sink`` when given, else only counts."""
        self._used_ids = {}
        self._seen_ids = set()
        self._prescan_identifiers(feedback)
        untyped = set(untyped)
        fields = self.output_fields(untyped)
        stats = analysis.stats
        for fix_id in self.available:
            stats.setdefault(fix_id, FixStats(fix_id))
        wanted_geometry = self.input.is_spatial
        total = max(self.input.feature_count, 1)
        step = max(total // 100, 1)
        done = 0
        enabled = self.enabled
        for _fid, values, geometry in self.input.iter_features(self.sources, wanted_geometry):
            if feedback is not None and feedback.isCanceled():
                analysis.cancelled = True
                return
            by_source = dict(zip(self.sources, values))
            row: Dict[str, Any] = {}
            for plan in self.plans:
                raw = by_source.get(plan.source) if plan.source is not None else None
                if isinstance(raw, bytes):
                    raw = raw.decode("utf-8", "replace")
                value, changes = plan.repair(raw, enabled)
                for fix_id, before, after in changes:
                    stats[fix_id].add(plan.name, before, schema_text(plan.descriptor, after))
                if changes and plan.descriptor.required and plan.checker.is_missing(value):
                    analysis.blanked[plan.name] = analysis.blanked.get(plan.name, 0) + 1
                row[plan.name] = value
            for plan in self.plans:
                if plan.checker.is_missing(row[plan.name]):
                    analysis.empty_counts[plan.name] = analysis.empty_counts.get(plan.name, 0) + 1
            if (
                geometry is not None
                and not geometry.isNull()
                and not geometry.isEmpty()
                and int(geometry.type()) != int(self.input.geometry_type)
            ):
                kind = QgsWkbTypes.displayString(QgsWkbTypes.flatType(geometry.wkbType()))
                analysis.dropped_geometries[kind] = analysis.dropped_geometries.get(kind, 0) + 1
                geometry = None
            geometry = self._geometry(geometry, stats)
            self._coordinates(row, geometry, stats)
            self._constants(row, stats)
            self._identifiers(row, stats)
            attributes = []
            for plan in self.plans:
                ok, typed = plan.typed(row[plan.name], plan.name in untyped)
                if not ok:
                    analysis.untyped[plan.name] = analysis.untyped.get(plan.name, 0) + 1
                    examples = analysis.untyped_examples.setdefault(plan.name, [])
                    if len(examples) < MAX_EXAMPLES:
                        examples.append(_shown(row[plan.name]))
                    typed = None
                attributes.append(typed)
            if sink is not None:
                feature = QgsFeature(fields)
                feature.setAttributes(attributes)
                if geometry is not None:
                    feature.setGeometry(geometry)
                if not sink.addFeature(feature):
                    raise OutputError(_sink_failure(sink, analysis.written + 1))
                analysis.written += 1
            done += 1
            if feedback is not None and done % step == 0:
                feedback.setProgress(min(99.0, 100.0 * done / total))
        analysis.feature_count = done

    # -- geometry ----------------------------------------------------------------------------------------
    def _geometry(self, geometry: Optional[QgsGeometry], stats) -> Optional[QgsGeometry]:
        if geometry is None or geometry.isNull() or geometry.isEmpty():
            return None if geometry is None else QgsGeometry()
        geometry = QgsGeometry(geometry)
        if self.make_valid and not geometry.isGeosValid():
            before = geometry.asWkt(3)
            repaired = geometry.makeValid()
            repaired = _keep_type(repaired, self.input.geometry_type)
            if repaired is not None and not repaired.isEmpty():
                geometry = repaired
                stats[fx.MAKE_VALID].add("géométrie", _short_wkt(before), _short_wkt(geometry.asWkt(3)))
        if fx.SWAP in self.enabled and self.geographic and self.input.is_point:
            swapped = _swap_if_reversed(geometry)
            if swapped is not None:
                stats[fx.SWAP].add("géométrie", _short_wkt(geometry.asWkt(6)), _short_wkt(swapped.asWkt(6)))
                geometry = swapped
        if self.reproject:
            before = geometry.asWkt(1)
            transformed = QgsGeometry(geometry)
            try:
                transformed.transform(self.to_wgs84)
            except Exception:  # noqa: BLE001 - a point the transform cannot reach keeps no geometry
                transformed = QgsGeometry()
            geometry = transformed
            stats[fx.REPROJECT].add("géométrie", _short_wkt(before), _short_wkt(geometry.asWkt(6)))
        if self.make_valid and not geometry.isMultipart():
            geometry.convertToMultiType()
        return geometry

    def _point_wgs84(self, geometry: Optional[QgsGeometry]) -> Optional[Tuple[float, float]]:
        if geometry is None or geometry.isNull() or geometry.isEmpty():
            return None
        if geometry.type() == GEOMETRY_POINT:
            point = geometry.asMultiPoint()[0] if geometry.isMultipart() else geometry.asPoint()
        else:
            point = geometry.pointOnSurface().asPoint()
        if not self.reproject and self.to_wgs84 is not None:
            try:
                point = self.to_wgs84.transform(point)
            except Exception:  # noqa: BLE001
                return None
        elif not self.reproject and not self.output_crs.isValid():
            return None
        return point.x(), point.y()

    # -- row fixes ----------------------------------------------------------------------------------------
    def _coordinates(self, row: Dict[str, Any], geometry, stats) -> None:
        enabled = self.enabled
        compute = fx.COORDINATES in enabled and self.input.is_spatial
        swap = fx.SWAP in enabled
        if not (compute or swap):
            return
        point = None
        for lon_name, lat_name in self.pairs:
            lon_plan, lat_plan = self.plan_by_name[lon_name], self.plan_by_name[lat_name]
            lon, lat = row[lon_name], row[lat_name]
            missing = lon_plan.checker.is_missing(lon) or lat_plan.checker.is_missing(lat)
            if not missing and lon_plan.ok(lon) and lat_plan.ok(lat) and geo.geo_problem(lon, lat) is None:
                continue
            if compute:
                point = point or self._point_wgs84(geometry)
                if point is not None:
                    new_lon, new_lat = (self._coordinate(lon_plan, point[0]), self._coordinate(lat_plan, point[1]))
                    if new_lon != lon:
                        stats[fx.COORDINATES].add(lon_name, lon, new_lon)
                    if new_lat != lat:
                        stats[fx.COORDINATES].add(lat_name, lat, new_lat)
                    row[lon_name], row[lat_name] = new_lon, new_lat
                    continue
            if swap and not missing and geo.locate(lon, lat) == geo.REVERSED and lon_plan.ok(lat) and lat_plan.ok(lon):
                stats[fx.SWAP].add(lon_name, f"{_shown(lon)}, {_shown(lat)}", f"{_shown(lat)}, {_shown(lon)}")
                row[lon_name], row[lat_name] = lat, lon
        for name in self.geopoints:
            plan = self.plan_by_name[name]
            value = row[name]
            pair = None if plan.checker.is_missing(value) else geo.parse_geopoint(value, plan.descriptor.format)
            if pair is not None and plan.ok(value) and geo.geo_problem(*pair) is None:
                continue
            if compute:
                point = point or self._point_wgs84(geometry)
                if point is not None:
                    new = _geopoint_text(plan.descriptor.format, point[0], point[1])
                    stats[fx.COORDINATES].add(name, value, new)
                    row[name] = new
                    continue
            if swap and pair is not None and geo.locate(*pair) == geo.REVERSED:
                new = _geopoint_text(plan.descriptor.format, pair[1], pair[0])
                if plan.ok(new):
                    stats[fx.SWAP].add(name, value, new)
                    row[name] = new

    @staticmethod
    def _coordinate(plan: _FieldPlan, number: float) -> Any:
        if plan.descriptor.type in ("number", "integer"):
            return Decimal(_format_number(number))
        return _format_number(number)

    def _constants(self, row: Dict[str, Any], stats) -> None:
        if fx.CONSTANTS not in self.enabled:
            return
        for name, value in self.constants.items():
            plan = self.plan_by_name[name]
            if plan.checker.is_missing(row[name]):
                stats[fx.CONSTANTS].add(name, row[name], value)
                row[name] = value

    def _identifiers(self, row: Dict[str, Any], stats) -> None:
        template = self.identifier
        if template is None or fx.IDENTIFIERS not in self.enabled:
            return
        plan = self.plan_by_name[template.field]
        value = row[template.field]
        text = value if isinstance(value, str) else None
        if text and plan.ok(text) and text not in self._seen_ids:
            self._seen_ids.add(text)
            return
        code = row.get(template.source)
        code = code if isinstance(code, str) else (canonical_text(code) if code is not None else "")
        if not code or not self.plan_by_name[template.source].ok(code):
            return
        used = self._used_ids.setdefault(code, set())
        number = 1
        while number in used:
            number += 1
        new = template.build(code, number)
        if len(str(number)) > template.width or not plan.ok(new):
            return
        used.add(number)
        self._seen_ids.add(new)
        stats[fx.IDENTIFIERS].add(template.field, value, new)
        row[template.field] = new


class OutputError(Exception):
    """The new layer cannot be written (French message: what and what to do)."""


def _sink_failure(sink, number: int) -> str:
    detail = ""
    last_error = getattr(sink, "lastError", None)
    if callable(last_error):
        try:
            detail = str(last_error() or "").strip()
        except Exception:  # noqa: BLE001 - the detail is optional
            detail = ""
    detail = f" ({detail})" if detail else ""
    return (
        f"L'entité n° {number} n'a pas pu être écrite dans la nouvelle couche{detail} : la couche conforme est "
        "incomplète et n'a pas été créée. Vérifiez la place disponible et les droits d'écriture du dossier choisi, "
        "ou choisissez un autre emplacement."
    )


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


# ---------------------------------------------------------------------------------------------------
# entry points


def _new_analysis(conformer: Conformer) -> ConformAnalysis:
    schema = conformer.schema
    layer_fields = list(conformer.input.field_names)
    used = set(conformer.resolved.values())
    technical = set(getattr(conformer.input, "technical_fields", None) or ())  # a GeoPackage's fid: not data
    return ConformAnalysis(
        schema_name=schema.name,
        schema_title=schema.title,
        schema_version=schema.version,
        layer_name=conformer.input.name,
        mapping=dict(conformer.resolved),
        suggested=dict(conformer.suggested) if fx.FIELDS in conformer.enabled else {},
        dropped_fields=[n for n in layer_fields if n not in used and n not in technical],
        missing_fields=[d.name for d in schema.fields if d.name not in conformer.resolved],
        available=list(conformer.available),
        enabled=[f for f in fx.FIX_IDS if f in conformer.enabled],
        constants=dict(conformer.constants),
        identifier=conformer.identifier,
        required_fields=[d.name for d in schema.fields if d.required or d.name in schema.primary_key],
        computed_fields=[n for pair in conformer.pairs for n in pair]
        + list(conformer.geopoints)
        + ([conformer.identifier.field] if conformer.identifier else []),
        output_crs=conformer.output_crs.authid(),
        output_wkb=conformer.output_wkb,
    )


def analyse(
    layer_input: LayerInput, schema: TableSchema, options: Optional[ConformOptions] = None, feedback=None
) -> ConformAnalysis:
    """The preview: every fix the layer needs, counted with examples, nothing written.

    Fixes are counted as if all available fixes were ticked (``options.fixes``
    is ignored), so the agent sees what each one would change; ``enabled``
    lists the ones ticked by default.
    """
    options = options or ConformOptions()
    default = Conformer(layer_input, schema, options)
    everything = ConformOptions(fixes=list(default.available), mapping=options.mapping, constants=options.constants)
    conformer = Conformer(layer_input, schema, everything)
    analysis = _new_analysis(conformer)
    analysis.enabled = [f for f in fx.FIX_IDS if f in default.enabled]
    analysis.suggested = dict(conformer.suggested)
    for name, value in conformer.constants.items():
        plan = conformer.plan_by_name[name]
        if not plan.ok(value):
            problems = plan.checker.check(value)
            analysis.constant_problems[name] = problems[0].message if problems else "valeur refusée par le schéma"
    conformer.run(analysis, feedback=feedback)
    return analysis


def convert(
    layer_input: LayerInput,
    schema: TableSchema,
    options: Optional[ConformOptions],
    sink_factory: Callable[[QgsFields, int, QgsCoordinateReferenceSystem], Any],
    feedback=None,
) -> ConformAnalysis:
    """Write the conforming features into ``sink_factory(fields, wkb_type, crs)``; returns what was done.

    Two passes: the first finds the columns whose values cannot all take the
    schema's type (they are written as text), the second writes.
    """
    conformer = Conformer(layer_input, schema, options)
    first = _new_analysis(conformer)
    conformer.run(first, feedback=_SubFeedback(feedback, 0, 40))
    if first.cancelled:
        return first
    result = _new_analysis(conformer)
    untyped = dict(first.untyped)
    fields = conformer.output_fields(untyped)
    sink = sink_factory(fields, conformer.output_wkb, conformer.output_crs)
    conformer.run(result, sink=sink, untyped=untyped, feedback=_SubFeedback(feedback, 40, 60))
    result.untyped = untyped
    result.untyped_examples = first.untyped_examples
    if feedback is not None:
        feedback.setProgress(100)
    return result


class _SubFeedback:
    """A part of a feedback's progress bar (cancelling goes through)."""

    def __init__(self, feedback, start: float, span: float):
        self.feedback = feedback
        self.start = start
        self.span = span

    def isCanceled(self) -> bool:  # noqa: N802 - QgsFeedback API
        return bool(self.feedback is not None and self.feedback.isCanceled())

    def setProgress(self, value: float) -> None:  # noqa: N802 - QgsFeedback API
        if self.feedback is not None:
            self.feedback.setProgress(self.start + self.span * value / 100.0)


class ListSink:
    """A sink that keeps the features (for a memory layer built on the main thread)."""

    def __init__(self, fields: QgsFields, wkb_type: int, crs: QgsCoordinateReferenceSystem):
        self.fields = fields
        self.wkb_type = wkb_type
        self.crs = QgsCoordinateReferenceSystem(crs)
        self.features: List[QgsFeature] = []

    def addFeature(self, feature: QgsFeature, flags=None) -> bool:  # noqa: N802 - QgsFeatureSink API
        self.features.append(QgsFeature(feature))
        return True
