"""Check a layer against a Table Schema.

Speed comes from checking each *distinct* value once: a first pass counts the
distinct values of every schema field (and the distinct tuples that row checks
read); only the values that fail are looked for again, in a second pass that
ties each problem to its features. No widget here: the dock and the
Processing algorithm call :func:`validate` from a background thread.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Dict, List, Optional, Tuple

from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject

from ..compat import GEOMETRY_LINE, GEOMETRY_POINT, GEOMETRY_POLYGON
from .checks import geo
from .checks.custom import build_custom_checks
from .checks.finding import ERROR, INFO, WARNING, Finding, ValueProblem, count_by_severity, severity_rank
from .checks.registry import describe
from .checks.values import checker_for
from .mapping import FieldMapping, resolve_mapping, suggest_mapping
from .reader import LayerInput, csv_header, csv_row_numbers
from .schema.model import TableSchema

WGS84 = "EPSG:4326"


@dataclass
class ValidationReport:
    """What :func:`validate` found, ready for the dock, the JSON report and
    the publishing gate."""

    schema_name: str
    schema_version: str
    schema_source: str
    schema_title: str
    layer_name: str
    feature_count: int
    findings: List[Finding] = field(default_factory=list)
    cancelled: bool = False
    mapping: Dict[str, str] = field(default_factory=dict)  # schema field -> layer field used
    layer_id: str = ""

    @property
    def error_count(self) -> int:
        return count_by_severity(self.findings)[ERROR]

    @property
    def warning_count(self) -> int:
        return count_by_severity(self.findings)[WARNING]

    @property
    def info_count(self) -> int:
        return count_by_severity(self.findings)[INFO]

    @property
    def valid(self) -> bool:
        return not self.cancelled and self.error_count == 0

    def to_dict(self) -> Dict[str, Any]:
        return {
            "schema": {"name": self.schema_name, "version": self.schema_version, "source": self.schema_source},
            "layer": {"name": self.layer_name, "feature_count": self.feature_count},
            "valid": self.valid,
            "cancelled": self.cancelled,
            "error_count": self.error_count,
            "warning_count": self.warning_count,
            "mapping": dict(self.mapping),
            "findings": [f.to_dict() for f in self.findings],
        }


def _layer_finding(code: str, message: str, hint: str = "", severity: Optional[str] = None, **kwargs) -> Finding:
    return Finding(code=code, severity=severity or describe(code).severity, message=message, hint=hint, **kwargs)


class _Progress:
    def __init__(self, feedback, total: int, start: float, span: float):
        self.feedback = feedback
        self.total = max(total, 1)
        self.start = start
        self.span = span
        self.step = max(self.total // 100, 1)

    def __call__(self, done: int) -> bool:
        """Report progress; False when the user cancelled."""
        if self.feedback is None:
            return True
        if done % self.step == 0:
            self.feedback.setProgress(self.start + self.span * min(done / self.total, 1.0))
        return not self.feedback.isCanceled()


def validate(
    layer_input: LayerInput,
    schema: TableSchema,
    mapping: Optional[FieldMapping] = None,
    feedback=None,
) -> ValidationReport:
    """Check ``layer_input`` against ``schema``; never raises on bad data."""
    report = ValidationReport(
        schema_name=schema.name,
        schema_version=schema.version,
        schema_source=schema.source,
        schema_title=schema.title,
        layer_name=layer_input.name,
        feature_count=layer_input.feature_count,
        layer_id=layer_input.layer_id,
    )
    findings = report.findings
    for warning in schema.warnings:
        findings.append(_layer_finding("schema-warning", warning))

    resolved = _check_structure(layer_input, schema, mapping, findings)
    report.mapping = dict(resolved)

    if layer_input.feature_count == 0:
        findings.append(
            _layer_finding(
                "empty-layer",
                f"La couche « {layer_input.name} » ne contient aucune entité à vérifier.",
                "Vérifiez le filtre de la couche ou la sélection, ou choisissez une autre couche.",
            )
        )

    plan = _Plan(layer_input, schema, resolved, findings)
    cancelled = plan.run(feedback)
    report.cancelled = cancelled
    if not cancelled:
        _add_row_numbers(layer_input, findings)
    findings.sort(key=_sort_key)
    if feedback is not None:
        feedback.setProgress(100)
    return report


def _sort_key(finding: Finding):
    return (
        finding.feature_id is not None,
        finding.feature_id if finding.feature_id is not None else -1,
        severity_rank(finding.severity),
        finding.field or "",
    )


# --- structure -------------------------------------------------------------


def _check_structure(
    layer_input: LayerInput, schema: TableSchema, mapping: Optional[FieldMapping], findings: List[Finding]
) -> Dict[str, str]:
    layer_fields = list(layer_input.field_names)
    if layer_input.csv is not None:
        header = csv_header(layer_input.csv)
        seen: Dict[str, int] = {}
        for name in header:
            seen[name] = seen.get(name, 0) + 1
        for name, count in seen.items():
            if count > 1 and name:
                findings.append(
                    _layer_finding(
                        "duplicate-label",
                        f"Le fichier a {count} colonnes nommées « {name} » : on ne sait pas laquelle vérifier.",
                        "Renommez ou supprimez les colonnes en double dans le fichier CSV, puis rechargez la couche.",
                        field=name,
                    )
                )
    resolved = resolve_mapping(layer_fields, schema, mapping)
    _, suggestions = suggest_mapping([n for n in layer_fields if n not in resolved.values()], schema)
    by_schema = {s.schema_field: s for s in suggestions if s.schema_field not in resolved}
    by_layer = {s.layer_field: s for s in by_schema.values()}
    primary = set(schema.primary_key)
    for descriptor in schema.fields:
        if descriptor.name in resolved:
            continue
        suggestion = by_schema.get(descriptor.name)
        required = descriptor.required or descriptor.name in primary
        if suggestion:
            hint = (
                f"Le champ « {suggestion.layer_field} » de la couche semble lui correspondre "
                f"({suggestion.reason}) : validez-le dans « Correspondance des champs »."
            )
        elif required:
            hint = "Ajoutez ce champ à la couche et remplissez-le, ou indiquez quel champ le contient."
        else:
            hint = "Ce champ est facultatif : ajoutez-le si vous avez l'information."
        what = "obligatoire" if required else "facultatif"
        findings.append(
            _layer_finding(
                "missing-label",
                f"Le champ {what} « {descriptor.name} » du schéma est absent de la couche.",
                hint,
                severity=ERROR if required else WARNING,
                field=descriptor.name,
            )
        )
    used = set(resolved.values())
    for name in layer_fields:
        if name in used:
            continue
        suggestion = by_layer.get(name)
        if suggestion:
            hint = (
                f"Il correspond sans doute au champ « {suggestion.schema_field} » du schéma "
                f"({suggestion.reason}) : validez-le dans « Correspondance des champs »."
            )
        else:
            hint = "Retirez-le de l'export s'il est interne, ou indiquez à quel champ du schéma il correspond."
        findings.append(
            _layer_finding(
                "extra-label",
                f"Le champ « {name} » de la couche n'existe pas dans le schéma.",
                hint,
                field=name,
            )
        )
    if len(resolved) == len(schema.fields) and len(used) == len(layer_fields):
        layer_order = [n for n in layer_fields if n in used]
        schema_order = [resolved[d.name] for d in schema.fields]
        if layer_order != schema_order:
            findings.append(
                _layer_finding(
                    "disordered-labels",
                    "Les champs de la couche ne sont pas dans l'ordre du schéma.",
                    "Rien d'obligatoire : l'export les remettra dans l'ordre du schéma.",
                )
            )
    return resolved


# --- rows and values -------------------------------------------------------


@dataclass
class _RowGroup:
    """Something that reads several fields of one row: a custom row check, a
    lon/lat pair or the primary key."""

    kind: str  # "custom", "lonlat", "primary-key"
    fields: List[str]  # schema field names
    check: Any = None
    counter: Counter = field(default_factory=Counter)
    bad: Dict[tuple, List[Tuple[str, ValueProblem]]] = field(default_factory=dict)
    duplicates: set = field(default_factory=set)


class _Plan:
    def __init__(self, layer_input: LayerInput, schema: TableSchema, resolved: Dict[str, str], findings: List[Finding]):
        self.input = layer_input
        self.schema = schema
        self.resolved = resolved  # schema -> layer
        self.findings = findings
        self.schema_fields = [d for d in schema.fields if d.name in resolved]
        self.checkers = {d.name: checker_for(d) for d in self.schema_fields}
        for descriptor in self.schema_fields:
            for warning in getattr(self.checkers[descriptor.name], "warnings", []) or []:
                findings.append(_layer_finding("schema-warning", warning, field=descriptor.name))
        custom = build_custom_checks(schema)
        findings.extend(custom.notes)
        self.value_checks = {name: checks for name, checks in custom.value_checks.items() if name in resolved}
        self.groups: List[_RowGroup] = []
        for row_check in custom.row_checks:
            present = [name for name in row_check.fields if name in resolved]
            self.groups.append(_RowGroup("custom", present, row_check))
        for lon_name, lat_name in geo.lonlat_pairs(schema):
            if lon_name in resolved and lat_name in resolved:
                self.groups.append(_RowGroup("lonlat", [lon_name, lat_name]))
        pk = [name for name in schema.primary_key if name in resolved]
        if pk and len(pk) == len(schema.primary_key):
            self.groups.append(_RowGroup("primary-key", pk))
        self.geopoints = set(geo.geopoint_fields(schema)) & set(resolved)
        self.wkt_fields = {name for name in wkt_fields(schema) if name in resolved}
        self.unique_fields = [d.name for d in self.schema_fields if d.unique]
        self.slot = {d.name: i for i, d in enumerate(self.schema_fields)}
        self.counters: List[Counter] = [Counter() for _ in self.schema_fields]
        self.bad_values: Dict[str, Dict[Any, List[ValueProblem]]] = {}
        self.duplicate_values: Dict[str, set] = {}
        self.expect_points = bool(geo.lonlat_pairs(schema) or geo.geopoint_fields(schema))

    # geometry ------------------------------------------------------------
    def _geometry_setup(self):
        """Decide which geometry checks run; returns a per-feature checker or None."""
        layer_input = self.input
        if not layer_input.is_spatial:
            return None
        if not layer_input.crs.isValid():
            self.findings.append(
                _layer_finding(
                    "crs-unknown",
                    f"La couche « {layer_input.name} » n'a pas de système de coordonnées connu.",
                    "Définissez-le dans Propriétés de la couche > Source (Lambert-93 = EPSG:2154, WGS 84 = EPSG:4326).",
                )
            )
        if self.expect_points and not layer_input.is_point:
            self.findings.append(
                _layer_finding(
                    "geometry-type",
                    f"Le schéma attend des points, mais « {layer_input.name} » est une couche de "
                    f"{_geometry_label(layer_input.geometry_type)}.",
                    "Créez une couche de points (centroïdes ou points sur la surface) pour publier selon ce schéma.",
                )
            )
        transform = None
        locate_points = False
        if layer_input.is_point and layer_input.crs.isValid():
            wgs84 = QgsCoordinateReferenceSystem(WGS84)
            if layer_input.crs != wgs84:
                transform = QgsCoordinateTransform(layer_input.crs, wgs84, QgsProject.instance())
            extent = layer_input.extent
            try:
                box = transform.transformBoundingBox(extent) if transform else extent
                locate_points = not box.isEmpty() and not geo.extent_inside_one_box(
                    box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum()
                )
            except Exception:  # noqa: BLE001 - a failing transform means: look at every point
                locate_points = True
        check_validity = not layer_input.is_point
        findings = self.findings

        def check_geometry(fid, geometry):
            if geometry is None or geometry.isNull() or geometry.isEmpty():
                findings.append(
                    _layer_finding(
                        "geometry-missing",
                        "L'entité n'a pas de géométrie.",
                        "Numérisez sa géométrie ou retirez l'entité avant de publier.",
                        feature_id=fid,
                    )
                )
                return
            if check_validity and not geometry.isGeosValid():
                error = geometry.validateGeometry()
                detail = f" ({error[0].what()})" if error else ""
                findings.append(
                    _layer_finding(
                        "geometry-invalid",
                        f"La géométrie de l'entité est invalide{detail}.",
                        "Utilisez Vecteur > Outils de géométrie > Réparer les géométries (la mise en conformité le "
                        "fait dans une nouvelle couche).",
                        feature_id=fid,
                    )
                )
            if locate_points:
                points = geometry.asMultiPoint() if geometry.isMultipart() else [geometry.asPoint()]
                for point in points:
                    lon, lat = point.x(), point.y()
                    if transform is not None:
                        try:
                            p = transform.transform(point)
                            lon, lat = p.x(), p.y()
                        except Exception:  # noqa: BLE001
                            continue
                    problem = geo.geo_problem(lon, lat)
                    if problem:
                        findings.append(Finding.from_problem(problem, None, fid, value=f"POINT({lon:.6f} {lat:.6f})"))
                        break

        return check_geometry

    # passes --------------------------------------------------------------
    def run(self, feedback) -> bool:
        """Both passes. Returns True when cancelled."""
        check_geometry = self._geometry_setup()
        names = [self.resolved[d.name] for d in self.schema_fields]
        group_slots = [[self.slot[name] for name in g.fields] for g in self.groups]
        progress = _Progress(feedback, self.input.feature_count, 0.0, 70.0 if names else 95.0)
        counters = self.counters
        slots = range(len(names))
        done = 0
        if names or check_geometry is not None:
            for fid, values, geometry in self.input.iter_features(names, check_geometry is not None, feedback):
                for i in slots:
                    counters[i][values[i]] += 1
                for group, gslots in zip(self.groups, group_slots):
                    group.counter[tuple(values[s] for s in gslots)] += 1
                if check_geometry is not None:
                    check_geometry(fid, geometry)
                done += 1
                if not progress(done):
                    return True
        if feedback is not None and feedback.isCanceled():
            return True
        self._judge_values()
        self._judge_groups()
        needs_second_pass = (
            any(self.bad_values.values())
            or any(self.duplicate_values.values())
            or any(g.bad or g.duplicates for g in self.groups)
        )
        if needs_second_pass:
            return self._second_pass(feedback)
        return False

    def _judge_values(self):
        for descriptor in self.schema_fields:
            name = descriptor.name
            checker = self.checkers[name]
            extra = self.value_checks.get(name, [])
            bad: Dict[Any, List[ValueProblem]] = {}
            duplicates = set()
            counter = self.counters[self.slot[name]]
            for value, count in counter.items():
                problems = list(checker.check(value))
                missing = checker.is_missing(value)
                if not missing and not any(p.code == "type-error" for p in problems):
                    for check in extra:
                        problem = check(value)
                        if problem is not None:
                            problems.append(problem)
                    if name in self.geopoints:
                        ok, point = checker.cast(value)
                        if ok and point is not None:
                            problem = geo.geo_problem(point[0], point[1])
                            if problem is not None:
                                problems.append(problem)
                    if name in self.wkt_fields:
                        point = first_wkt_point(value)
                        if point is not None:
                            problem = geo.geo_problem(*point)
                            if problem is not None:
                                problems.append(problem)
                if problems:
                    bad[value] = problems
                if descriptor.unique and count > 1 and not missing:
                    duplicates.add(value)
            self.bad_values[name] = bad
            self.duplicate_values[name] = duplicates

    def _typed(self, name: str, value: Any) -> Any:
        checker = self.checkers[name]
        if checker.is_missing(value):
            return None
        ok, typed = checker.cast(value)
        return typed if ok else value

    def _judge_groups(self):
        for group in self.groups:
            if group.kind == "primary-key":
                for key, count in group.counter.items():
                    if count > 1 and not any(self.checkers[n].is_missing(v) for n, v in zip(group.fields, key)):
                        group.duplicates.add(key)
                continue
            for key in group.counter:
                if group.kind == "custom":
                    row = {n: self._typed(n, v) for n, v in zip(group.fields, key)}
                    try:
                        problems = group.check.check(row)
                    except Exception as exc:  # noqa: BLE001 - a custom check must never stop the others
                        problems = [
                            (
                                group.fields[0] if group.fields else "",
                                ValueProblem(
                                    "check-error",
                                    f"Le contrôle « {group.check.name} » n'a pas pu s'exécuter : {exc}",
                                    severity=WARNING,
                                ),
                            )
                        ]
                else:  # lon/lat pair
                    lon = self._typed(group.fields[0], key[0])
                    lat = self._typed(group.fields[1], key[1])
                    problems = []
                    if _is_number(lon) and _is_number(lat):
                        problem = geo.geo_problem(float(lon), float(lat))
                        if problem is not None:
                            problems.append((group.fields[0], problem))
                if problems:
                    group.bad[key] = problems

    def _second_pass(self, feedback) -> bool:
        wanted = [d.name for d in self.schema_fields]
        names = [self.resolved[n] for n in wanted]
        group_slots = [[self.slot[name] for name in g.fields] for g in self.groups]
        field_jobs = [
            (i, name, self.bad_values.get(name) or {}, self.duplicate_values.get(name) or set(), set())
            for i, name in enumerate(wanted)
            if self.bad_values.get(name) or self.duplicate_values.get(name)
        ]
        group_jobs = [(g, s, set()) for g, s in zip(self.groups, group_slots) if g.bad or g.duplicates]
        progress = _Progress(feedback, self.input.feature_count, 70.0, 29.0)
        findings = self.findings
        for done, (fid, values, _geometry) in enumerate(self.input.iter_features(names, False, feedback), start=1):
            for i, name, bad, duplicates, seen in field_jobs:
                value = values[i]
                problems = bad.get(value)
                if problems:
                    for problem in problems:
                        findings.append(Finding.from_problem(problem, name, fid, value=value))
                if value in duplicates:
                    if value in seen:
                        findings.append(
                            _layer_finding(
                                "unique-error",
                                f"La valeur « {value} » du champ « {name} » est déjà prise par une autre entité.",
                                "Chaque entité doit avoir sa propre valeur dans ce champ : corrigez le doublon.",
                                field=name,
                                feature_id=fid,
                                value=value,
                            )
                        )
                    else:
                        seen.add(value)
            for group, gslots, seen in group_jobs:
                key = tuple(values[s] for s in gslots)
                problems = group.bad.get(key)
                if problems:
                    for blamed, problem in problems:
                        value = key[group.fields.index(blamed)] if blamed in group.fields else None
                        if group.kind == "lonlat":
                            value = f"{key[0]}, {key[1]}"
                        findings.append(Finding.from_problem(problem, blamed, fid, value=value))
                if key in group.duplicates:
                    if key in seen:
                        findings.append(
                            _layer_finding(
                                "primary-key",
                                "La clé ("
                                + ", ".join(group.fields)
                                + ") = ("
                                + ", ".join(str(v) for v in key)
                                + ") est déjà prise par une autre entité.",
                                "Chaque entité doit avoir une combinaison unique de ces champs.",
                                field=", ".join(group.fields),
                                feature_id=fid,
                                value=list(key),
                            )
                        )
                    else:
                        seen.add(key)
            if not progress(done):
                return True
        return bool(feedback is not None and feedback.isCanceled())


_WKT_START = re.compile(r"^\s*(?:SRID=\d+;\s*)?(MULTI)?(POINT|LINESTRING|POLYGON)\s*Z?M?\s*\(", re.IGNORECASE)
_WKT_PAIR = re.compile(r"(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)")


def wkt_fields(schema: TableSchema) -> List[str]:
    """Text fields that hold a geometry written as WKT (``geompoint``,
    ``GEOM_WKT``…): named so, or described as WKT."""
    names = []
    for descriptor in schema.fields:
        if descriptor.type not in ("string", "any"):
            continue
        text = f"{descriptor.name} {descriptor.title} {descriptor.description}".lower()
        if "wkt" in text or re.search(r"(^|_)geom", descriptor.name.lower()):
            names.append(descriptor.name)
    return names


def first_wkt_point(value: Any) -> Optional[Tuple[float, float]]:
    """The first coordinate pair of a WKT value (in WGS 84 per the schemas
    that use them), or None when the value is not WKT."""
    if not isinstance(value, str) or not _WKT_START.match(value):
        return None
    match = _WKT_PAIR.search(value)
    if match is None:
        return None
    return float(match.group(1)), float(match.group(2))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _geometry_label(geometry_type: int) -> str:
    return {
        int(GEOMETRY_LINE): "lignes",
        int(GEOMETRY_POLYGON): "polygones",
        int(GEOMETRY_POINT): "points",
    }.get(geometry_type, "géométries d'un autre type")


def _add_row_numbers(layer_input: LayerInput, findings: List[Finding]) -> None:
    if layer_input.csv is None:
        return
    wanted = {f.feature_id for f in findings if f.feature_id is not None}
    rows = csv_row_numbers(layer_input.csv, wanted)
    for finding in findings:
        if finding.feature_id is not None:
            finding.row = rows.get(finding.feature_id)


def validate_layer(
    layer, schema: TableSchema, mapping: Optional[FieldMapping] = None, selected_only=False, feedback=None
):
    """Convenience for the main thread: snapshot ``layer`` and validate it."""
    return validate(LayerInput.from_layer(layer, selected_only), schema, mapping, feedback)
