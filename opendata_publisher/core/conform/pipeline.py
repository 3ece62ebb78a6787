"""The pipeline that writes the conforming layer: :func:`convert` runs every enabled conform step
(:mod:`.steps`) on each feature of a :class:`LayerInput` (a thread-safe snapshot, so it can run in a
background task) and writes new features, with exactly the schema's fields in its order, into a sink the
caller gives (Processing sink, GeoPackage writer or a :class:`ListSink` for a memory layer). The source
layer is never modified.

Per feature:

1. values, field by field: the ``clean`` steps (spaces trimmed, formulas neutralised), then, for a value
   that fails the field's checks, the first ``value`` repair whose result passes them all — dates,
   numbers, booleans, list values, formats;
2. the geometry: repaired (makeValid), swapped, reprojected to WGS 84;
3. the row: coordinates computed from the geometry or swapped, constant fields filled, identifiers built
   from the schema's pattern;
4. types: each value is cast to the QGIS type of its schema type. A column where a value still cannot be
   cast (« 2019-13-30 » in a date field) stays text, so that nothing the agent typed is lost and the check
   shows it.

The dialog's preview runs the same pipeline without a sink (:func:`.suggestions.analyse`).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Callable, Dict, Iterable, List, Optional, Set, Tuple

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFields,
    QgsGeometry,
    QgsProject,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QTime

from ...compat import GEOMETRY_POINT, WKB_NO_GEOMETRY, make_field
from ..checks import geo
from ..checks.custom import build_custom_checks
from ..checks.parsing import canonical_text
from ..checks.value_checker import checker_for
from ..mapping import resolve_mapping, suggest_mapping
from ..reader import LayerInput
from ..schema.model import FieldDescriptor, TableSchema
from ..validation import wkt_fields
from . import fixes as fx
from . import steps as st
from .model import MAX_EXAMPLES, ConformAnalysis, ConformOptions, FixStats, identifier_template, shown
from .values import iso_text

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


# ---------------------------------------------------------------------------------------------------
# the pipeline


class FieldPlan:
    """One schema field of the output: where its value comes from, its checks, its repairs and its type."""

    def __init__(self, descriptor: FieldDescriptor, source: Optional[str], value_checks):
        self.descriptor = descriptor
        self.name = descriptor.name
        self.source = source
        self.checker = checker_for(descriptor)
        self.value_checks = list(value_checks or [])
        self.kind = QGIS_TYPES.get(descriptor.type, "string")
        self.cache: Dict[Tuple[type, Any], Tuple[Any, Optional[str]]] = {}
        self._steps_for: Optional[Set[str]] = None
        self._steps: Tuple[list, list] = ([], [])

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

    def steps(self, enabled: Set[str]) -> Tuple[List[st.ConformStep], List[Tuple[str, Callable[[Any], Any], bool]]]:
        """(``clean`` steps, ``value`` repairs as (fix id, repair function, several)) of this field for the
        ``enabled`` fixes, read from the registry once per set of enabled fixes."""
        if self._steps_for is not enabled:
            clean = [step for step in st.steps_of(st.CLEAN, enabled) if step.applies(self.descriptor)]
            repairs = [
                (step.fix_id, step.repair(self.descriptor), step.several)
                for step in st.steps_of(st.VALUE, enabled)
                if step.applies(self.descriptor)
            ]
            self._steps = (clean, repairs)
            self._steps_for = enabled
        return self._steps

    def candidates(self, enabled: Set[str]) -> List[Tuple[str, Callable[[Any], Any], bool]]:
        """(fix id, repair function, several candidates) to try, in order, for a value that fails its checks."""
        return self.steps(enabled)[1]

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
        clean, repairs = self.steps(enabled)
        for step in clean:
            cleaned = step.repair(current)
            if cleaned != current:
                changes.append((step.fix_id, current, cleaned))
                current = cleaned
        if not self.checker.is_missing(current) and not self.ok(current):
            for fix_id, function, several in repairs:
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
        self.available = st.offered_fixes(layer_input, schema)
        self.enabled = self.options.enabled(self.available)
        if self.options.fixes is None and not expects_wgs84(schema):
            self.enabled.discard(fx.REPROJECT)  # by default, reproject only when the schema wants degrees
        resolved = dict(explicit)
        for step in st.steps_of(st.FIELDS_STAGE, self.enabled):
            resolved = step.repair(resolved, self.suggested)
        self.resolved = resolved
        custom = build_custom_checks(schema)
        self.plans = [FieldPlan(d, resolved.get(d.name), custom.value_checks.get(d.name)) for d in schema.fields]
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
        self.wgs84 = QgsCoordinateReferenceSystem(st.WGS84)
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
        self.used_ids: Dict[str, Set[int]] = {}  # INSEE code -> identifier numbers taken
        self.seen_ids: Set[str] = set()  # identifiers written so far
        self.geometry_steps = st.steps_of(st.GEOMETRY, self.enabled)
        self.row_steps = st.steps_of(st.ROW, self.enabled)

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
                    self.used_ids.setdefault(code, set()).add(int(number))

    def run(self, analysis: ConformAnalysis, sink=None, untyped: Iterable[str] = (), feedback=None) -> None:
        """One pass over the features; writes to ``sink`` when given, else only counts."""
        self.used_ids = {}
        self.seen_ids = set()
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
            touched: Set[str] = set()
            for row_step in self.row_steps:
                row_step.repair(self, row, geometry, stats, touched)
            attributes = []
            for plan in self.plans:
                ok, typed = plan.typed(row[plan.name], plan.name in untyped)
                if not ok:
                    analysis.untyped[plan.name] = analysis.untyped.get(plan.name, 0) + 1
                    examples = analysis.untyped_examples.setdefault(plan.name, [])
                    if len(examples) < MAX_EXAMPLES:
                        examples.append(shown(row[plan.name]))
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
        for geometry_step in self.geometry_steps:
            geometry = geometry_step.repair(self, geometry, stats)
        return geometry

    def point_wgs84(self, geometry: Optional[QgsGeometry]) -> Optional[Tuple[float, float]]:
        """A point of the feature (on its surface for a line or polygon) in WGS 84; None without one."""
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


# ---------------------------------------------------------------------------------------------------
# entry points


def new_analysis(conformer: Conformer) -> ConformAnalysis:
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
    first = new_analysis(conformer)
    conformer.run(first, feedback=_SubFeedback(feedback, 0, 40))
    if first.cancelled:
        return first
    result = new_analysis(conformer)
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
