"""Check a layer against a Table Schema.

Speed comes from checking each *distinct* value once: a first pass counts the
distinct values of every schema field (and the distinct tuples that row checks
read); only the values that fail are looked for again, in a second pass that
ties each problem to its features. No widget here: the dock and the
Processing algorithm call :func:`validate` from a background thread.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Dict, List, Optional, Tuple

from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject, QgsWkbTypes

from ..compat import GEOMETRY_LINE, GEOMETRY_POINT, GEOMETRY_POLYGON
from .checks import geo
from .checks.custom import build_custom_checks, vectorised_prefilter
from .checks.finding import ERROR, WARNING, Finding, SeverityCounts, ValueProblem, severity_rank
from .checks.registry import describe
from .checks.safe_regex import LONG_TEXT, is_risky
from .checks.value_checker import checker_for
from .mapping import FieldMapping, resolve_mapping, suggest_mapping
from .reader import LayerInput, csv_header, csv_row_numbers, csv_row_problems, iter_records, plain_value
from .schema.model import TableSchema

WGS84 = "EPSG:4326"


@dataclass
class ValidationReport(SeverityCounts):
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
    reader: str = "qgis"  # "arrow" when the columnar GDAL path read the data, "csv" when the file itself was read
    encoding: str = ""  # the encoding a CSV file was read in (detected from its bytes)

    @property
    def valid(self) -> bool:
        return not self.cancelled and self.error_count == 0

    def to_dict(self) -> Dict[str, Any]:
        layer = {"name": self.layer_name, "feature_count": self.feature_count}
        if self.encoding:
            layer["encoding"] = self.encoding
        return {
            "schema": {"name": self.schema_name, "version": self.schema_version, "source": self.schema_source},
            "layer": layer,
            "valid": self.valid,
            "cancelled": self.cancelled,
            "error_count": self.error_count,
            "warning_count": self.warning_count,
            "mapping": dict(self.mapping),
            "rules_not_applied": [f.message for f in self.findings if f.code in RULE_NOT_APPLIED_CODES],
            "findings": [f.to_dict() for f in self.findings],
        }


#: findings saying that a rule of the schema could not be applied (the check is incomplete)
RULE_NOT_APPLIED_CODES = ("schema-warning", "check-error")


def _layer_finding(code: str, message: str, hint: str = "", severity: Optional[str] = None, **kwargs) -> Finding:
    return Finding(code=code, severity=severity or describe(code).severity, message=message, hint=hint, **kwargs)


def _duplicate_value_finding(name: str, value, fid, row_number) -> Finding:
    """A ``unique`` value already held by an earlier row (CSV read as a file: ``row_number``) or feature."""
    what = "ligne" if row_number is not None else "entité"
    return _layer_finding(
        "unique-error",
        f"La valeur « {value} » du champ « {name} » est déjà prise par une autre {what}.",
        f"Chaque {what} doit avoir sa propre valeur dans ce champ : corrigez le doublon.",
        field=name,
        feature_id=fid,
        row=row_number,
        value=value,
    )


def _duplicate_key_finding(fields, shown, fid, row_number) -> Finding:
    """A primary key already held by an earlier row (CSV read as a file: ``row_number``) or feature."""
    what = "ligne" if row_number is not None else "entité"
    return _layer_finding(
        "primary-key",
        f"La clé ({', '.join(fields)}) = ({', '.join(str(v) for v in shown)}) est déjà prise par une autre {what}.",
        f"Chaque {what} doit avoir une combinaison unique de ces champs.",
        field=", ".join(fields),
        feature_id=fid,
        row=row_number,
        value=list(shown),
    )


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
    if layer_input.csv is not None and layer_input.csv_direct:
        _use_file_labels(layer_input)

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
    plan.add_late_schema_warnings()
    if not cancelled:
        plan.report_geometry_mix()
    if layer_input.csv is not None and layer_input.csv_direct:
        report.encoding = layer_input.csv.encoding_label
        findings.extend(_csv_notes(layer_input))
    report.cancelled = cancelled
    report.reader = plan.reader_used
    _merge_point_findings(findings)
    if not cancelled:
        if layer_input.csv is not None and not layer_input.csv_direct:
            _add_csv_row_problems(layer_input, report.mapping, findings)
        _add_row_numbers(layer_input, findings)
    findings.sort(key=_sort_key)
    if feedback is not None:
        feedback.setProgress(100)
    return report


def _misdecoded(label: str, name: str) -> bool:
    """True when ``name`` is the header label ``label`` as QGIS decoded it in the wrong encoding (a
    Windows-1252 file read as UTF-8 gives « r\ufffdgion », a UTF-8 one read as Windows-1252 « rÃ©gion »)."""
    if "\ufffd" in name and len(name) == len(label):
        return all(a == b or b == "\ufffd" for a, b in zip(label, name))
    for wrong in ("cp1252", "latin-1"):
        try:
            if label.encode("utf-8").decode(wrong, errors="replace") == name:
                return True
        except LookupError:
            continue
    return False


def _use_file_labels(layer_input: LayerInput) -> None:
    """When QGIS decoded the header of a CSV file in the wrong encoding, check (and name) the columns with
    the labels as written in the file: the check reads the file in its own encoding."""
    header = csv_header(layer_input.csv)
    names = list(layer_input.field_names)
    changed = False
    for index, label in enumerate(header[: len(names)]):
        name = names[index]
        if label and label != name and label not in names and _misdecoded(label, name):
            names[index] = label
            changed = True
    if changed:
        layer_input.field_names = names
        layer_input._field_index = {name: index for index, name in enumerate(names)}


_POINT_CODES = ("french-gps-coordinates", "reversed-french-gps-coordinates")


def _merge_point_findings(findings: List[Finding]) -> None:
    """One mistake, one finding: when a feature's geometry and its longitude/latitude columns are both
    outside France (or both reversed), the column finding names the geometry too and the geometry one goes."""
    by_feature: Dict[tuple, List[Finding]] = {}
    for finding in findings:
        if finding.code in _POINT_CODES and finding.feature_id is not None:
            by_feature.setdefault((finding.feature_id, finding.code), []).append(finding)
    dropped = set()
    for group in by_feature.values():
        geometry = [f for f in group if f.field is None]
        columns = [f for f in group if f.field is not None]
        if not geometry or not columns:
            continue
        for finding in columns:
            finding.message += f" La géométrie de l'entité ({geometry[0].value}) a le même problème."
            finding.hint += " Corrigez aussi la géométrie (ou recalculez-la depuis les colonnes corrigées)."
        dropped.update(id(f) for f in geometry)
    if dropped:
        findings[:] = [f for f in findings if id(f) not in dropped]


def _csv_notes(layer_input: LayerInput) -> List[Finding]:
    """What the report must say about how a CSV file was read: its encoding when it is not UTF-8, the
    ``, `` dialect."""
    source = layer_input.csv
    notes = []
    label = source.encoding_label
    if label != "UTF-8":
        notes.append(
            _layer_finding(
                "csv-encoding",
                f"Le fichier « {os.path.basename(source.path)} » n'est pas en UTF-8 : il est écrit en {label}, "
                "et a été vérifié dans cet encodage.",
                "Enregistrez-le en « CSV UTF-8 » avant de le publier : data.gouv.fr et Validata attendent de l'UTF-8.",
                value=label,
            )
        )
    declared = (source.declared_encoding or "").lower().replace("-", "").replace("_", "")
    if label == "UTF-8" and declared and declared not in ("utf8", "system") and not declared.startswith("utf"):
        notes.append(
            _layer_finding(
                "csv-encoding",
                f"QGIS a ouvert « {os.path.basename(source.path)} » en {source.declared_encoding}, mais le fichier "
                "est en UTF-8 : il a été vérifié en UTF-8, et ses accents s'affichent mal dans QGIS.",
                "Rouvrez la couche avec l'encodage UTF-8 (Propriétés de la couche > Source) avant de l'exporter.",
                value=source.declared_encoding,
            )
        )
    if source.skip_initial_space:
        notes.append(
            _layer_finding(
                "csv-dialect",
                f"Le fichier « {os.path.basename(source.path)} » met une espace après chaque séparateur : "
                "ces espaces n'ont pas été comptées dans les valeurs.",
                "Rien à faire ; pour un fichier plus simple, retirez ces espaces (« a,b » plutôt que « a, b »).",
            )
        )
    return notes


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
    technical = set(layer_input.technical_fields) - used
    layer_fields = [name for name in layer_fields if name not in technical]
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
    #: primary key: the raw keys whose cells are all null (missing or not of the field's type)
    nulls: set = field(default_factory=set)
    #: primary key: raw key -> typed key (keys compare typed values: 7 and 007 are the same integer)
    typed: Dict[tuple, tuple] = field(default_factory=dict)


class _Plan:
    def __init__(self, layer_input: LayerInput, schema: TableSchema, resolved: Dict[str, str], findings: List[Finding]):
        self.input = layer_input
        self.schema = schema
        self.resolved = resolved  # schema -> layer
        self.findings = findings
        self.schema_fields = [d for d in schema.fields if d.name in resolved]
        self.checkers = {d.name: checker_for(d) for d in self.schema_fields}
        self.geometry_types: Counter = Counter()
        self.mixed_possible = False
        self.warnings_seen = {}
        for descriptor in self.schema_fields:
            warnings = list(getattr(self.checkers[descriptor.name], "warnings", []) or [])
            self.warnings_seen[descriptor.name] = len(warnings)
            for warning in warnings:
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
        self.unique_keys: Dict[str, Dict[Any, Any]] = {}  # field -> raw value -> typed value, for the duplicates
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
        self.locate_points = locate_points
        self.check_validity = check_validity
        self.geometry_missing = self._geometry_missing
        self.mixed_possible = _mixed_geometry_possible(layer_input)
        types = self.geometry_types
        expected_type = int(layer_input.geometry_type)

        def check_geometry(fid, geometry):
            if geometry is None or geometry.isNull() or geometry.isEmpty():
                self._geometry_missing(fid)
                return
            types[int(geometry.type())] += 1
            if int(geometry.type()) != expected_type:
                return  # counted, reported once for the layer (report_geometry_mix)
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
                        findings.append(Finding.from_problem(problem, None, fid, value=_point_text(lon, lat)))
                        break

        return check_geometry

    def _geometry_missing(self, fid):
        self.findings.append(
            _layer_finding(
                "geometry-missing",
                "L'entité n'a pas de géométrie.",
                "Numérisez sa géométrie ou retirez l'entité avant de publier.",
                feature_id=fid,
            )
        )

    # passes --------------------------------------------------------------
    def report_geometry_mix(self) -> None:
        """A layer holding several geometry types (a GeoJSON with points, lines and polygons)."""
        if len(self.geometry_types) < 2:
            return
        labels = {int(GEOMETRY_POINT): "point(s)", int(GEOMETRY_LINE): "ligne(s)", int(GEOMETRY_POLYGON): "polygone(s)"}
        counts = ", ".join(f"{n} {labels.get(t, 'autre(s)')}" for t, n in sorted(self.geometry_types.items()))
        self.findings.append(
            _layer_finding(
                "geometry-mixed",
                f"La couche « {self.input.name} » mélange plusieurs types de géométrie ({counts}) : QGIS la montre "
                f"comme une couche de {_geometry_label(self.input.geometry_type)}, et un fichier GeoPackage ou "
                "Shapefile ne peut en garder qu'un type.",
                "Séparez les entités par type de géométrie (ouvrez le fichier dans QGIS : il propose une couche par "
                "type) et publiez chaque couche séparément ; la mise en conformité ne reprend que les géométries du "
                "type de la couche.",
            )
        )

    def add_late_schema_warnings(self) -> None:
        """The rules a checker gave up on while checking (a pattern over its time budget...)."""
        for name, checker in self.checkers.items():
            warnings = list(getattr(checker, "warnings", []) or [])
            for warning in warnings[self.warnings_seen.get(name, 0) :]:
                self.findings.append(_layer_finding("schema-warning", warning, field=name))
            self.warnings_seen[name] = len(warnings)

    def run(self, feedback) -> bool:
        """Both passes. Returns True when cancelled."""
        check_geometry = self._geometry_setup()
        self.reader_used = "qgis"
        if self.input.csv_direct:
            findings_before = len(self.findings)
            try:
                self.reader_used = "csv"
                return self._run_csv(feedback, check_geometry)
            except (OSError, csv.Error, UnicodeError, LookupError, _NotReadable) as exc:
                del self.findings[findings_before:]
                self._reset_counts()
                self.reader_used = "qgis"
                self.fallback_reason = str(exc)
                self.input.csv_direct = False
        if self.input.postgis is not None:
            findings_before = len(self.findings)
            try:
                self.reader_used = "postgis"
                return self._run_postgis(feedback, check_geometry)
            except Exception as exc:  # noqa: BLE001 - the QGIS path reads everything QGIS reads
                if feedback is not None and feedback.isCanceled():
                    return True  # the server stopped the query (core/postgis.py): cancelled, never read again
                del self.findings[findings_before:]
                self._reset_counts()
                self.geometry_types.clear()
                self.reader_used = "qgis"
                self.fallback_reason = str(exc)
        if self.input.ogr is not None:
            findings_before = len(self.findings)
            try:
                self.reader_used = "arrow"
                return self._run_arrow(feedback, check_geometry)
            except Exception as exc:  # noqa: BLE001 - the QGIS path reads everything QGIS reads
                del self.findings[findings_before:]
                self._reset_counts()
                self.reader_used = "qgis"
                self.fallback_reason = str(exc)
        return self._run_qgis(feedback, check_geometry)

    def _reset_counts(self):
        self.counters = [Counter() for _ in self.schema_fields]
        for group in self.groups:
            group.counter = Counter()
            group.bad = {}
            group.duplicates = set()
            group.nulls = set()
            group.typed = {}
        self.bad_values = {}
        self.duplicate_values = {}
        self.unique_keys = {}

    def _needs_second_pass(self) -> bool:
        return (
            any(self.bad_values.values())
            or any(self.duplicate_values.values())
            or any(g.bad or g.duplicates or g.nulls for g in self.groups)
        )

    def _run_qgis(self, feedback, check_geometry) -> bool:
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
        if self._needs_second_pass():
            return self._second_pass(feedback)
        return False

    # PostgreSQL/PostGIS layers: the server aggregates, only failing rows come back ------------------
    def _run_postgis(self, feedback, check_geometry) -> bool:
        """The QGIS reading's findings, from what the server computes (see core/postgis.py): the distinct
        values and tuples with their counts, the geometries to look at, then only the failing rows."""
        from . import postgis as pg

        source = self.input.postgis
        sets = [[self.resolved[d.name]] for d in self.schema_fields]
        sets += [[self.resolved[n] for n in group.fields] for group in self.groups]
        width = len(self.schema_fields)
        texts: List[Dict[Any, set]] = [{} for _ in sets]  # only for the values that fail
        judge = _StreamJudge(self, source, width)
        read = [0] * len(sets)
        for index, values, text, count in pg.distinct_sets(source, sets, plain_value, feedback):
            read[index] += count
            if judge.take(index, values, count):
                texts[index].setdefault(values if index >= width else values[0], set()).add(text)
        judge.finish(texts)
        if sets and read[0] != self.input.feature_count:
            # the layer shows other rows than its table and filter (a geometry type chosen in QGIS, an
            # estimated count...): QGIS reads it
            raise RuntimeError(f"{read[0]} rows on the server, {self.input.feature_count} in the layer")
        if feedback is not None:
            feedback.setProgress(50.0)
            if feedback.isCanceled():
                return True
        if check_geometry is not None and source.geometry:
            server_types = pg.geometry_types(source, feedback)
            suspects = pg.geometry_suspects(source, self.check_validity, self.locate_points, feedback)
            for start in range(0, len(suspects), pg.FETCH_ROWS):  # QGIS holds one batch of ids at a time
                batch = suspects[start : start + pg.FETCH_ROWS]
                for fid, _values, geometry in self.input.iter_features([], True, feedback, fids=batch):
                    check_geometry(fid, geometry)
            # the suspects were counted by check_geometry: the server's counts are the whole layer's
            self.geometry_types.clear()
            self.geometry_types.update(server_types)
        if feedback is not None and feedback.isCanceled():
            return True
        if not self._needs_second_pass():
            return False
        jobs = []  # (columns, wanted texts, text -> value, emit)
        for name, bad, duplicates, seen in self._field_jobs():
            value_of = {t: v for v in set(bad) | duplicates for t in texts[self.slot[name]].get(v, ())}
            jobs.append(([self.resolved[name]], value_of, ("value", name, bad, duplicates, seen)))
        for position, group in enumerate(self.groups):
            if group.bad or group.duplicates or group.nulls:
                keys = set(group.bad) | group.duplicates | group.nulls
                value_of = {t: k for k in keys for t in texts[width + position].get(k, ())}
                jobs.append(([self.resolved[n] for n in group.fields], value_of, ("group", group, set())))
        if pg.too_many([len(value_of) for _columns, value_of, _e in jobs]):
            return self._second_pass(feedback)  # the failing values are too many to send: read the layer
        rows = pg.failing_rows(source, [(columns, set(value_of)) for columns, value_of, _e in jobs], feedback)
        for fid, row_texts in rows:
            for text, (_columns, value_of, emit) in zip(row_texts, jobs):
                if text not in value_of:
                    continue
                if emit[0] == "value":
                    _kind, name, bad, duplicates, seen = emit
                    self._emit_value(fid, name, value_of[text], bad, duplicates, seen)
                else:
                    self._emit_group(fid, emit[1], value_of[text], emit[2])
            if feedback is not None and feedback.isCanceled():
                return True
        return False

    def _value_problems(self, name: str, value: Any) -> List[ValueProblem]:
        """Every problem of one value of one schema field (type, constraints,
        custom single-value checks, coordinates in France)."""
        checker = self.checkers[name]
        problems = list(checker.check(value))
        if checker.is_missing(value) or any(p.code == "type-error" for p in problems):
            return problems
        for check in self.value_checks.get(name, ()):
            problem = check(value)
            if problem is not None:
                problems.append(problem)
        point = None
        if name in self.geopoints:
            ok, typed = checker.cast(value)
            point = typed if ok else None
        elif name in self.wkt_fields:
            point = first_wkt_point(value)
        # one finding per wrong point: the schema's french-gps-coordinates check may have located it already
        if point is not None and not any(p.code.endswith("french-gps-coordinates") for p in problems):
            problem = geo.geo_problem(point[0], point[1])
            if problem is not None:
                problems.append(problem)
        return problems

    def _judge_values(self):
        for descriptor in self.schema_fields:
            name = descriptor.name
            bad: Dict[Any, List[ValueProblem]] = {}
            duplicates = set()
            keys: Dict[Any, Any] = {}
            typed_counts: Counter = Counter()
            for value, count in self.counters[self.slot[name]].items():
                problems = self._value_problems(name, value)
                if problems:
                    bad[value] = problems
                if descriptor.unique:
                    key = self._unique_key(name, value)
                    if key is not None:
                        keys[value] = key
                        typed_counts[key] += count
            if descriptor.unique:
                duplicates = {value for value, key in keys.items() if typed_counts[key] > 1}
                self.unique_keys[name] = {value: keys[value] for value in duplicates}
            self.bad_values[name] = bad
            self.duplicate_values[name] = duplicates

    def _unique_key(self, name: str, value: Any) -> Any:
        """What uniqueness and keys compare: the typed value (hashable), None when the value is missing or
        failed its type (frictionless: such a cell is null, never a duplicate)."""
        checker = self.checkers[name]
        if checker.is_missing(value):
            return None
        ok, typed = checker.cast(value)
        if not ok or typed is None:
            return None
        try:
            hash(typed)
        except TypeError:
            typed = ("json", json.dumps(typed, sort_keys=True, default=str))
        return typed

    def _typed(self, name: str, value: Any) -> Any:
        """The typed value, None when it is missing or failed its type (as Validata's row checks take it)."""
        checker = self.checkers[name]
        if checker.is_missing(value):
            return None
        ok, typed = checker.cast(value)
        return typed if ok else None

    def _group_problems(self, group: _RowGroup, key: tuple) -> List[Tuple[str, ValueProblem]]:
        if group.kind == "custom":
            row = {n: self._typed(n, v) for n, v in zip(group.fields, key)}
            try:
                return list(group.check.check(row))
            except Exception as exc:  # noqa: BLE001 - a custom check must never stop the others
                return [
                    (
                        group.fields[0] if group.fields else "",
                        ValueProblem(
                            "check-error",
                            f"Le contrôle « {group.check.name} » n'a pas pu s'exécuter : {exc}",
                            severity=WARNING,
                        ),
                    )
                ]
        if group.kind == "lonlat":
            lon = _coordinate(self._typed(group.fields[0], key[0]))
            lat = _coordinate(self._typed(group.fields[1], key[1]))
            if lon is not None and lat is not None:
                problem = geo.geo_problem(lon, lat)
                if problem is not None:
                    return [(group.fields[0], problem)]
        return []

    def _typed_key(self, group: _RowGroup, key: tuple) -> Optional[tuple]:
        """The typed primary key, None when all its cells are null."""
        typed = tuple(self._unique_key(n, v) for n, v in zip(group.fields, key))
        return None if all(part is None for part in typed) else typed

    def _judge_groups(self):
        for group in self.groups:
            if group.kind == "primary-key":
                typed_counts: Counter = Counter()
                for key, count in group.counter.items():
                    typed = self._typed_key(group, key)
                    if typed is None:
                        group.nulls.add(key)
                        continue
                    group.typed[key] = typed
                    typed_counts[typed] += count
                group.duplicates = {key for key, typed in group.typed.items() if typed_counts[typed] > 1}
                group.typed = {key: group.typed[key] for key in group.duplicates}
                continue
            for key in group.counter:
                problems = self._group_problems(group, key)
                if problems:
                    group.bad[key] = problems

    def _field_jobs(self):
        return [
            (name, self.bad_values.get(name) or {}, self.duplicate_values.get(name) or set(), set())
            for name in (d.name for d in self.schema_fields)
            if self.bad_values.get(name) or self.duplicate_values.get(name)
        ]

    def _emit_value(self, fid, name, value, bad, duplicates, seen):
        findings = self.findings
        problems = bad.get(value)
        if problems:
            for problem in problems:
                findings.append(Finding.from_problem(problem, name, fid, value=value))
        if value in duplicates:
            key = self.unique_keys.get(name, {}).get(value, value)
            if key in seen:
                findings.append(_duplicate_value_finding(name, value, fid, None))
            else:
                seen.add(key)

    def _emit_group(self, fid, group, key, seen):
        problems = group.bad.get(key)
        if problems:
            for blamed, problem in problems:
                value = key[group.fields.index(blamed)] if blamed in group.fields else None
                if group.kind == "lonlat":
                    value = f"{key[0]}, {key[1]}"
                self.findings.append(Finding.from_problem(problem, blamed, fid, value=value))
        if key in group.nulls:
            self.findings.append(self._null_key_finding(group, fid, None))
        if key in group.duplicates:
            typed = group.typed.get(key, key)
            if typed in seen:
                self.findings.append(_duplicate_key_finding(group.fields, key, fid, None))
            else:
                seen.add(typed)

    def _second_pass(self, feedback) -> bool:
        names = [self.resolved[d.name] for d in self.schema_fields]
        group_slots = [[self.slot[name] for name in g.fields] for g in self.groups]
        field_jobs = [(self.slot[name], name, bad, dups, seen) for name, bad, dups, seen in self._field_jobs()]
        group_jobs = [(g, s, set()) for g, s in zip(self.groups, group_slots) if g.bad or g.duplicates or g.nulls]
        progress = _Progress(feedback, self.input.feature_count, 70.0, 29.0)
        for done, (fid, values, _geometry) in enumerate(self.input.iter_features(names, False, feedback), start=1):
            for i, name, bad, duplicates, seen in field_jobs:
                self._emit_value(fid, name, values[i], bad, duplicates, seen)
            for group, gslots, seen in group_jobs:
                self._emit_group(fid, group, tuple(values[s] for s in gslots), seen)
            if not progress(done):
                return True
        return bool(feedback is not None and feedback.isCanceled())

    # CSV files read by the check itself -----------------------------------
    def _csv_columns(self, header: List[str]) -> List[int]:
        """The file column of each schema field (the layer's fields are the file's columns, in order)."""
        columns = []
        for descriptor in self.schema_fields:
            layer_name = self.resolved[descriptor.name]
            if header.count(layer_name.strip()) == 1:  # by name (the provider may leave a WKT column out)
                columns.append(header.index(layer_name.strip()))
                continue
            index = self.input.field_index(layer_name)  # a doubled or empty label QGIS renamed: by position
            if index >= len(header):
                raise _NotReadable(f"column {layer_name} is not in the header")
            label = header[index]
            if label != layer_name.strip() and label and header.count(label) < 2:
                raise _NotReadable(f"column {index} is {label!r} in the file, {layer_name!r} in the layer")
            columns.append(index)
        return columns

    def _quick_text(self, descriptor) -> Optional[Any]:
        """For a plain text field (no format, list, custom check or coordinates): a cheap test telling
        that a cell is fine, so the full check runs only on the others (as the columnar path does)."""
        name = descriptor.name
        if descriptor.type != "string" or descriptor.format not in ("default", ""):
            return None
        if self.value_checks.get(name) or name in self.geopoints or name in self.wkt_fields:
            return None
        constraints = descriptor.constraints
        if any(key not in ("required", "unique", "pattern", "minLength", "maxLength") for key in constraints):
            return None
        pattern = constraints.get("pattern")
        try:
            compiled = re.compile("^" + pattern + "$") if isinstance(pattern, str) else None
        except (re.error, RecursionError, OverflowError):
            return None
        if pattern is not None and compiled is None:
            return None
        min_length = constraints.get("minLength")
        max_length = constraints.get("maxLength")
        if any(v is not None and (not isinstance(v, int) or isinstance(v, bool)) for v in (min_length, max_length)):
            return None
        missing = frozenset(descriptor.missing_values)

        def quick_ok(value) -> bool:
            if value.__class__ is not str or value in missing:
                return False
            if compiled is not None and not compiled.match(value):
                return False
            if min_length is not None and len(value) < min_length:
                return False
            return max_length is None or len(value) <= max_length

        return quick_ok

    def _quick_number(self, descriptor) -> Optional[Any]:
        """For a plain number or integer field: the typed value of a cell written the simplest way and
        within the bounds (None: let the full check decide)."""
        name = descriptor.name
        integer = descriptor.type == "integer"
        if descriptor.type not in ("number", "integer") or descriptor.format not in ("default", ""):
            return None
        if self.value_checks.get(name) or name in self.geopoints or name in self.wkt_fields:
            return None
        if any(key in descriptor.raw for key in ("groupChar", "decimalChar", "bareNumber", "floatNumber")):
            return None
        bounds = []
        for key, bound in descriptor.constraints.items():
            if key in ("required", "unique"):
                continue
            if key not in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
                return None
            if isinstance(bound, bool) or not isinstance(bound, (int, float)):
                return None
            bounds.append((key, Decimal(str(bound))))
        shape = _INTEGER_TEXT if integer else _DECIMAL_PLAIN
        missing = frozenset(descriptor.missing_values)

        def quick_typed(value):
            if value.__class__ is not str or value in missing or not shape.fullmatch(value):
                return None
            typed = int(value) if integer else Decimal(value)
            for key, bound in bounds:
                if key == "minimum":
                    ok = typed >= bound
                elif key == "maximum":
                    ok = typed <= bound
                elif key == "exclusiveMinimum":
                    ok = typed > bound
                else:
                    ok = typed < bound
                if not ok:
                    return None
            return typed

        return quick_typed

    def _cell_info(self, name: str, value: Any) -> tuple:
        """(problems, value for uniqueness and keys or None, missing) of one cell; None = a missing cell."""
        checker = self.checkers[name]
        problems = self._value_problems(name, value)
        if checker.is_missing(value):
            return problems, None, True
        ok, typed = checker.cast(value)
        if not ok or typed is None:
            return problems, None, False
        try:
            hash(typed)
        except TypeError:
            typed = ("json", json.dumps(typed, sort_keys=True, default=str))
        return problems, typed, False

    def _run_csv(self, feedback, check_geometry) -> bool:
        """The records of the CSV file, by batches, with frictionless' rules: a record whose cells are
        all missing values is a blank row (its other errors are not reported, extra cells included);
        uniqueness and keys compare typed values, a value that failed its type counting as null; a key
        of null cells is an error. Each distinct value of a column is checked once per batch at most."""
        source = self.input.csv
        header = csv_header(source)
        if not header:
            raise _NotReadable("no header")
        names = [d.name for d in self.schema_fields]
        columns = self._csv_columns(header)
        width = len(header)
        slot_of_column = {column: k for k, column in enumerate(columns)}
        pk_group = next((g for g in self.groups if g.kind == "primary-key"), None)
        state = {
            "header": header,
            "names": names,
            "columns": columns,
            "width": width,
            "slot_of_column": slot_of_column,
            # file columns that are no schema field: frictionless reads them as text whose only missing
            # value is the empty cell (a row is blank when they are empty too)
            "other_columns": [i for i in range(width) if i not in slot_of_column],
            "memos": [{} for _ in names],
            "quick": [self._quick_text(d) for d in self.schema_fields],
            "quick_numbers": [self._quick_number(d) for d in self.schema_fields],
            "unique": {k: set() for k, d in enumerate(self.schema_fields) if d.unique},
            "pk_group": pk_group,
            "pk_slots": [names.index(n) for n in pk_group.fields] if pk_group else [],
            "seen_keys": set(),
            "lonlat": [(g, [names.index(n) for n in g.fields]) for g in self.groups if g.kind == "lonlat"],
            "custom": [
                (g, [names.index(n) for n in g.fields], {})
                for g in self.groups
                if g.kind not in ("primary-key", "lonlat")
            ],
        }
        # Validata still runs one-of-required on a blank row (its other checks skip empty cells): its spec says so
        state["blank_custom"] = [item for item in state["custom"] if getattr(item[0].check, "on_blank_rows", False)]
        selected = self.input.selected_ids
        progress = _Progress(feedback, self.input.feature_count, 0.0, 90.0 if check_geometry else 99.0)
        batch: List[tuple] = []
        done = 0
        for item in iter_records(source):
            if selected is not None and item[1] not in selected:
                continue
            batch.append(item)
            if len(batch) >= _CSV_BATCH:
                self._csv_batch(batch, state)
                done += len(batch)
                batch = []
                if not progress(done):
                    return True
        if batch:
            self._csv_batch(batch, state)
        if check_geometry is not None:
            for fid, _values, geometry in self.input.iter_features([], True, feedback):
                check_geometry(fid, geometry)
        return bool(feedback is not None and feedback.isCanceled())

    def _csv_batch(self, batch: List[tuple], state: Dict[str, Any]) -> None:
        names = state["names"]
        width = state["width"]
        header = state["header"]
        findings = self.findings
        records = [record for _row, _fid, record in batch]
        padded = [record if len(record) >= width else record + [None] * (width - len(record)) for record in records]
        table = list(zip(*padded)) if padded and width else []
        cell_info = self._cell_info
        no_problem: tuple = ()
        infos: List[list] = []
        for k, name in enumerate(names):
            column = table[state["columns"][k]]
            memo = state["memos"][k]
            quick_ok = state["quick"][k]
            quick_typed = state["quick_numbers"][k]
            if len(memo) > 200_000:
                memo.clear()
            for value in set(column).difference(memo):
                if quick_ok is not None and quick_ok(value):
                    memo[value] = (no_problem, value, False)
                    continue
                typed = quick_typed(value) if quick_typed is not None else None
                memo[value] = (no_problem, typed, False) if typed is not None else cell_info(name, value)
            infos.append([memo[value] for value in column])
        flags = [[info[2] for info in column] for column in infos]
        flags += [[not value for value in table[i]] for i in state["other_columns"]]
        blank = [all(row) for row in zip(*flags)] if names else [False] * len(batch)
        pk_group = state["pk_group"]
        for index in (i for i, is_blank in enumerate(blank) if is_blank):
            row_number, fid, _record = batch[index]
            findings.append(
                _layer_finding(
                    "blank-row",
                    f"La ligne {row_number} du fichier est vide.",
                    "Supprimez cette ligne vide du fichier CSV.",
                    feature_id=fid,
                    row=row_number,
                )
            )
            if pk_group is not None:
                findings.append(self._null_key_finding(pk_group, fid, row_number))
            for group, group_slots, _memo in state["blank_custom"]:
                key = tuple(table[state["columns"][s]][index] for s in group_slots)
                for blamed, problem in self._group_problems(group, key):
                    findings.append(Finding.from_problem(problem, blamed, fid, row=row_number))
        # records of the wrong length
        for index in (i for i, record in enumerate(records) if len(record) != width and not blank[i]):
            row_number, fid, record = batch[index]
            for cell in range(width, len(record)):
                findings.append(
                    _layer_finding(
                        "extra-cell",
                        f"La ligne {row_number} a une cellule de plus que l'en-tête (cellule n°{cell + 1}).",
                        "Retirez la cellule en trop, ou mettez entre guillemets le texte qui contient le séparateur.",
                        feature_id=fid,
                        row=row_number,
                        value=record[cell],
                    )
                )
            for cell in range(len(record), width):
                k = state["slot_of_column"].get(cell)
                findings.append(
                    _layer_finding(
                        "missing-cell",
                        f"La ligne {row_number} a moins de cellules que l'en-tête : "
                        f"la cellule « {header[cell]} » manque.",
                        "Ajoutez le séparateur manquant : une cellule vide s'écrit avec deux séparateurs "
                        "qui se suivent.",
                        field=names[k] if k is not None else header[cell],
                        feature_id=fid,
                        row=row_number,
                    )
                )
        # cell problems
        for k, column in enumerate(infos):
            name = names[k]
            values = table[state["columns"][k]]
            for index in (i for i, info in enumerate(column) if info[0] and not blank[i]):
                row_number, fid, _record = batch[index]
                for problem in column[index][0]:
                    findings.append(Finding.from_problem(problem, name, fid, row=row_number, value=values[index]))
        # unique values
        for k, seen in state["unique"].items():
            values = table[state["columns"][k]]
            for index, info in enumerate(infos[k]):
                typed = info[1]
                if typed is None:
                    continue
                if typed not in seen:
                    seen.add(typed)
                    continue
                row_number, fid, _record = batch[index]
                findings.append(_duplicate_value_finding(names[k], values[index], fid, row_number))
        # primary key
        if pk_group is not None:
            seen_keys = state["seen_keys"]
            pk_slots = state["pk_slots"]
            keys = zip(*([info[1] for info in infos[s]] for s in pk_slots))
            for index, key in enumerate(keys):
                if blank[index]:
                    continue
                if all(part is None for part in key):
                    row_number, fid, _record = batch[index]
                    findings.append(self._null_key_finding(pk_group, fid, row_number))
                elif key not in seen_keys:
                    seen_keys.add(key)
                else:
                    row_number, fid, _record = batch[index]
                    shown = tuple(table[state["columns"][s]][index] for s in pk_slots)
                    findings.append(_duplicate_key_finding(pk_group.fields, shown, fid, row_number))
        # coordinates in France
        in_france = geo.in_france
        for group, (lon_slot, lat_slot) in state["lonlat"]:
            lon_values = table[state["columns"][lon_slot]]
            lat_values = table[state["columns"][lat_slot]]
            for index, (lon_info, lat_info) in enumerate(zip(infos[lon_slot], infos[lat_slot])):
                lon = _coordinate(lon_info[1])
                lat = _coordinate(lat_info[1])
                if lon is None or lat is None or in_france(lon, lat) or blank[index]:
                    continue
                row_number, fid, _record = batch[index]
                key = (lon_values[index], lat_values[index])
                for blamed, problem in self._group_problems(group, key):
                    findings.append(
                        Finding.from_problem(problem, blamed, fid, row=row_number, value=f"{key[0]}, {key[1]}")
                    )
        # the schema's row checks (Validata)
        for group, group_slots, memo in state["custom"]:
            keys = zip(*(table[state["columns"][s]] for s in group_slots))
            for index, key in enumerate(keys):
                if blank[index]:
                    continue
                problems = memo.get(key)
                if problems is None:
                    problems = self._group_problems(group, key)
                    if len(memo) > 200_000:
                        memo.clear()
                    memo[key] = problems
                if not problems:
                    continue
                row_number, fid, _record = batch[index]
                for blamed, problem in problems:
                    value = key[group.fields.index(blamed)] if blamed in group.fields else None
                    findings.append(Finding.from_problem(problem, blamed, fid, row=row_number, value=value))

    def _null_key_finding(self, group: _RowGroup, fid, row_number) -> Finding:
        where = f"à la ligne {row_number}" if row_number is not None else "pour cette entité"
        return _layer_finding(
            "primary-key",
            "Les champs de la clé (" + ", ".join(group.fields) + f") sont tous vides {where}.",
            "Chaque ligne doit avoir une valeur de clé : remplissez ces champs, ou supprimez la ligne si elle "
            "est vide.",
            field=", ".join(group.fields),
            feature_id=fid,
            row=row_number,
        )

    # columnar path (file layers read through GDAL/Arrow) --------------------
    def _run_arrow(self, feedback, check_geometry) -> bool:
        """One pass over NumPy batches: each batch's distinct values are
        checked at once (most of them by a vectorised or cheap pre-test), the
        uniqueness checks keep the values already seen, so features are tied to
        their problems without a second reading."""
        from . import arrow_reader as ar

        reader = ar.ArrowLayer(self.input.ogr)
        try:
            layer_names = sorted({self.resolved[d.name] for d in self.schema_fields})
            # a multipoint's every point is located by the QGIS reading below
            point_geometry = (
                check_geometry is not None
                and self.input.is_point
                and not QgsWkbTypes.isMultiType(self.input.wkb_type)
                and not self.mixed_possible
            )
            progress = _Progress(feedback, self.input.feature_count, 0.0, 99.0)
            seen_values = {d.name: _SeenHashes(ar.np) for d in self.schema_fields if d.unique}
            seen_keys = {id(g): _SeenHashes(ar.np) for g in self.groups if g.kind == "primary-key"}
            memo: Dict[int, Dict[tuple, list]] = {id(g): {} for g in self.groups}
            prefilters = {d.name: _prefilter_for(d, self) for d in self.schema_fields}
            # lon/lat pairs read the raw columns themselves: only other row checks need the distinct values
            in_groups = {name for g in self.groups if g.kind != "lonlat" for name in g.fields}
            row_filters = {
                d.name: _row_filter_for(d, self) for d in self.schema_fields if not d.unique and d.name not in in_groups
            }
            done = 0
            for batch in reader.batches(layer_names, point_geometry):
                fids = batch[reader.fid_column].tolist()
                encoded: Dict[str, Any] = {}

                def column_of(layer_name, batch=batch, encoded=encoded):
                    if layer_name not in encoded:
                        encoded[layer_name] = ar.encode_columns(batch[layer_name])
                    return encoded[layer_name]

                for descriptor in self.schema_fields:
                    name = descriptor.name
                    layer_name = self.resolved[name]
                    row_filter = row_filters.get(name)
                    if row_filter is not None:
                        need = row_filter(batch[layer_name])
                        if need is not None:
                            self._arrow_rows(ar, name, batch[layer_name], need, fids)
                            continue
                    column = column_of(layer_name)
                    self._arrow_values(ar.np, name, column, prefilters[name], fids)
                    if descriptor.unique:
                        self._arrow_unique(ar.np, name, column, seen_values[name], fids)
                for group in self.groups:
                    if group.kind == "lonlat":
                        self._arrow_lonlat(ar, group, batch, column_of, fids, memo[id(group)])
                    else:
                        columns = [column_of(self.resolved[n]) for n in group.fields]
                        self._arrow_group(ar, group, columns, fids, seen_keys.get(id(group)), memo[id(group)])
                if point_geometry:
                    self._arrow_points(ar, batch, reader, fids)
                done += len(fids)
                if not progress(done):
                    return True
            if done != self.input.feature_count:
                # GDAL ends a stream early on a read error, or the filter read
                # other rows than QGIS counts: let the QGIS reader do it all
                raise RuntimeError(f"{done} rows read, {self.input.feature_count} expected")
            if check_geometry is not None and not point_geometry:
                for fid, _values, geometry in self.input.iter_features([], True, feedback):
                    check_geometry(fid, geometry)
            return bool(feedback is not None and feedback.isCanceled())
        finally:
            reader.close()

    def _arrow_values(self, np, name, column, prefilter, fids):
        values, codes, uniques = column
        need = prefilter(values, uniques) if prefilter is not None else None
        indices = range(len(values)) if need is None else np.nonzero(need)[0].tolist()
        bad = {}
        for index in indices:
            problems = self._value_problems(name, values[index])
            if problems:
                bad[index] = problems
        if not bad:
            return
        flagged = np.zeros(len(values), dtype=bool)
        flagged[list(bad)] = True
        for row in np.nonzero(flagged[codes])[0].tolist():
            code = int(codes[row])
            for problem in bad[code]:
                self.findings.append(Finding.from_problem(problem, name, fids[row], value=values[code]))

    def _arrow_unique(self, np, name, column, seen, fids):
        values, codes, _uniques = column
        rows = np.arange(len(codes))
        typed = [self._unique_key(name, v) for v in values]
        # distinct texts with the same typed value (7, 007) share one code
        canonical: Dict[Any, int] = {}
        canon = np.fromiter(
            (i if t is None else canonical.setdefault(t, i) for i, t in enumerate(typed)), np.int64, len(values)
        )
        codes = canon[codes] if len(canon) else codes
        first = np.full(len(values), -1, dtype=np.int64)
        first[codes[::-1]] = rows[::-1]  # the last write wins: each value's first row
        hashes = seen.hashes(typed)
        already = seen.contains(hashes)
        skip = np.fromiter((t is None for t in typed), dtype=bool, count=len(values))
        skip |= first < 0  # a value no row of this batch holds (left by NULL rows' storage)
        flagged = ~skip[codes] & (already[codes] | (rows != first[codes]))
        for row in np.nonzero(flagged)[0].tolist():
            self._emit_value(fids[row], name, values[int(codes[row])], {}, _ALWAYS, _ALWAYS)
        seen.add(hashes[~skip])

    def _arrow_rows(self, ar, name, raw, need, fids):
        """Full check of the few rows a vectorised pre-test could not clear."""
        rows = ar.np.nonzero(need)[0].tolist()
        if not rows:
            return
        for row in rows:
            value = ar.row_value(raw, row)
            for problem in self._value_problems(name, value):
                self.findings.append(Finding.from_problem(problem, name, fids[row], value=value))

    def _arrow_group(self, ar, group, columns, fids, seen, memo):
        np = ar.np
        if not columns:
            return
        if len(columns) == 1:  # one field: its distinct values already are the keys
            values, inverse, _u = columns[0]
            rows = np.arange(len(inverse))
            first_rows = np.full(len(values), -1, dtype=np.int64)
            first_rows[inverse[::-1]] = rows[::-1]
            keys = [(value,) for value in values]
        else:
            combined, _ = _combine_codes(np, [c[1] for c in columns])
            uniques, inverse = np.unique(combined, return_inverse=True)
            inverse = inverse.reshape(-1)
            rows = np.arange(len(inverse))
            first_rows = np.empty(len(uniques), dtype=np.int64)
            first_rows[inverse[::-1]] = rows[::-1]
            keys = [tuple(col[0][int(col[1][row])] for col in columns) for row in first_rows.tolist()]
        if group.kind == "primary-key":
            typed_keys = [self._typed_key(group, key) for key in keys]
            null = np.fromiter((t is None for t in typed_keys), bool, len(keys))
            for row in np.nonzero(null[inverse])[0].tolist():
                self.findings.append(self._null_key_finding(group, fids[row], None))
            # distinct raw keys with the same typed key (7, 007) share one code
            canonical: Dict[Any, int] = {}
            canon = np.fromiter(
                (i if t is None else canonical.setdefault(t, i) for i, t in enumerate(typed_keys)), np.int64, len(keys)
            )
            inverse = canon[inverse] if len(canon) else inverse
            first_rows = np.full(len(keys), -1, dtype=np.int64)
            first_rows[inverse[::-1]] = rows[::-1]
            skip = null | (first_rows < 0)  # null, or held by no row of this batch
            hashes = seen.hashes(typed_keys)
            already = seen.contains(hashes)
            flagged = ~skip[inverse] & (already[inverse] | (rows != first_rows[inverse]))
            for row in np.nonzero(flagged)[0].tolist():
                self._emit_pk(fids[row], group, keys[int(inverse[row])], typed_keys[int(inverse[row])])
            seen.add(hashes[~skip])
            return
        bad = {}
        for index, key in enumerate(keys):
            problems = memo.get(key)
            if problems is None:
                problems = self._group_problems(group, key)
                if len(memo) > 200_000:
                    memo.clear()
                memo[key] = problems
            if problems:
                bad[index] = problems
        if not bad:
            return
        flagged = np.zeros(len(keys), dtype=bool)
        flagged[list(bad)] = True
        for row in np.nonzero(flagged[inverse])[0].tolist():
            key = keys[int(inverse[row])]
            group.bad[key] = bad[int(inverse[row])]
            self._emit_group(fids[row], group, key, set())

    def _arrow_lonlat(self, ar, group, batch, column_of, fids, memo):
        np = ar.np
        coords = []
        for name in group.fields:
            raw = batch[self.resolved[name]]
            numeric = ar.numeric_rows(raw)
            if numeric is None:
                values, codes, _uniques = column_of(self.resolved[name])
                typed = [self._typed(name, v) for v in values]
                table = np.array([_coordinate(t) if _coordinate(t) is not None else np.nan for t in typed], dtype=float)
                numeric = table[codes]
            coords.append(numeric)
        lons, lats = coords
        valid = ~np.isnan(lons) & ~np.isnan(lats)
        inside = ar.inside_boxes(lons, lats, geo.france_boxes())
        for row in np.nonzero(valid & ~inside)[0].tolist():
            key = tuple(ar.row_value(batch[self.resolved[name]], row) for name in group.fields)
            problems = memo.get(key)
            if problems is None:
                problems = memo[key] = self._group_problems(group, key)
            if problems:
                group.bad[key] = problems
                self._emit_group(fids[row], group, key, set())

    def _emit_pk(self, fid, group, key, typed):
        group.duplicates.add(key)
        group.typed[key] = typed
        self._emit_group(fid, group, key, {typed})

    def _arrow_points(self, ar, batch, reader, fids):
        column = batch.get(reader.geometry_column)
        if column is None:
            candidates = [k for k in batch if k not in reader.field_names and k != reader.fid_column]
            column = batch[candidates[0]] if candidates else None
        if column is None:
            return
        xs, ys, missing = ar.point_coordinates(column)
        fid_list = fids
        for row in ar.np.nonzero(missing)[0].tolist():
            self._geometry_missing(fid_list[row])
        if not self.locate_points:
            return
        present = ~missing
        if not present.any():
            return
        rows = ar.np.nonzero(present)[0]
        lons, lats = xs[rows], ys[rows]
        if self.input.crs.authid() != WGS84:
            lons, lats = ar.to_wgs84(lons, lats, self.input.crs.toWkt())
        inside = ar.inside_boxes(lons, lats, geo.france_boxes())
        for index in ar.np.nonzero(~inside)[0].tolist():
            lon, lat = float(lons[index]), float(lats[index])
            problem = geo.geo_problem(lon, lat)
            if problem:
                self.findings.append(
                    Finding.from_problem(problem, None, fid_list[rows[index]], value=_point_text(lon, lat))
                )


#: records read from a CSV file per batch (each column's distinct values are checked once per batch)
_CSV_BATCH = 8192


class _StreamJudge:
    """The judgement of :meth:`_Plan._judge_values` and :meth:`_Plan._judge_groups`, made as the server's
    distinct values stream in: only the failing values are kept. Uniqueness compares typed values; when
    the column's own type gives the typed value (a text column for a string field, an integer column for
    an integer field) distinct values are distinct keys and the server's counts say the duplicates;
    otherwise the typed keys are counted here."""

    def __init__(self, plan: _Plan, source, width: int):
        self.plan = plan
        self.width = width
        self.fields = [d.name for d in plan.schema_fields]
        self.unique = {d.name for d in plan.schema_fields if d.unique}
        self.identity = {d.name for d in plan.schema_fields if _typed_by_column(d, source, plan.resolved[d.name])}
        self.typed_counts: Dict[str, Counter] = {name: Counter() for name in self.unique - self.identity}
        self.raw_keys: Dict[str, Dict[Any, Any]] = {name: {} for name in self.unique - self.identity}
        self.group_identity = [all(n in self.identity for n in g.fields) for g in plan.groups]
        self.group_counts: List[Counter] = [Counter() for _ in plan.groups]
        self.group_raw: List[Dict[tuple, tuple]] = [{} for _ in plan.groups]
        for name in self.fields:
            plan.bad_values[name] = {}
            plan.duplicate_values[name] = set()
            plan.unique_keys[name] = {}

    def take(self, index: int, values: tuple, count: int) -> bool:
        """Judge one distinct value (or tuple); True when it must be found again in the rows."""
        plan = self.plan
        if index < self.width:
            name = self.fields[index]
            value = values[0]
            keep = False
            problems = plan._value_problems(name, value)
            if problems:
                plan.bad_values[name][value] = problems
                keep = True
            if name in self.unique:
                key = plan._unique_key(name, value)
                if key is not None:
                    if name in self.identity:
                        if count > 1:
                            plan.duplicate_values[name].add(value)
                            plan.unique_keys[name][value] = key
                            keep = True
                    else:
                        self.typed_counts[name][key] += count
                        self.raw_keys[name][value] = key
                        keep = True  # known at the end: the text is kept meanwhile
            return keep
        position = index - self.width
        group = plan.groups[position]
        if group.kind == "primary-key":
            typed = plan._typed_key(group, values)
            if typed is None:
                group.nulls.add(values)
                return True
            if self.group_identity[position]:
                if count > 1:
                    group.duplicates.add(values)
                    group.typed[values] = typed
                    return True
                return False
            self.group_counts[position][typed] += count
            self.group_raw[position][values] = typed
            return True
        problems = plan._group_problems(group, values)
        if problems:
            group.bad[values] = problems
            return True
        return False

    def finish(self, texts: List[Dict[Any, set]]) -> None:
        """The duplicates counted here; the texts of the values that turned out fine are dropped."""
        plan = self.plan
        for name, raw_keys in self.raw_keys.items():
            counts = self.typed_counts[name]
            duplicates = {value for value, key in raw_keys.items() if counts[key] > 1}
            plan.duplicate_values[name] = duplicates
            plan.unique_keys[name] = {value: raw_keys[value] for value in duplicates}
            index = self.fields.index(name)
            bad = plan.bad_values[name]
            texts[index] = {v: t for v, t in texts[index].items() if v in duplicates or v in bad}
        for position, group in enumerate(plan.groups):
            if group.kind != "primary-key" or self.group_identity[position]:
                continue
            counts = self.group_counts[position]
            raw = self.group_raw[position]
            group.duplicates = {key for key, typed in raw.items() if counts[typed] > 1}
            group.typed = {key: raw[key] for key in group.duplicates}
            index = self.width + position
            texts[index] = {
                k: t for k, t in texts[index].items() if k in group.duplicates or k in group.nulls or k in group.bad
            }


def _typed_by_column(descriptor, source, column: str) -> bool:
    """True when the column's PostgreSQL type makes the typed value the value itself (see _StreamJudge)."""
    kind = source.types.get(column, "")
    if descriptor.type == "string" and descriptor.format in ("", "default", None):
        return kind in ("text", "varchar")
    if descriptor.type == "integer":
        return kind in ("int2", "int4", "int8")
    return False


class _NotReadable(Exception):
    """The CSV file does not match the layer QGIS made of it: read the layer instead."""


class _SeenHashes:
    """The values (or keys) already met, as a sorted array of 64-bit hashes:
    8 bytes a value instead of a Python object, for uniqueness over millions
    of features. A false "already seen" needs two distinct values with the
    same 64-bit hash (odds about n²/2⁶⁵: 3·10⁻⁸ for a million values)."""

    def __init__(self, np):
        self.np = np
        self.sorted = np.empty(0, dtype=np.int64)

    def hashes(self, values):
        return self.np.fromiter((hash(v) for v in values), dtype=self.np.int64, count=len(values))

    def contains(self, hashes):
        np = self.np
        if not len(self.sorted):
            return np.zeros(len(hashes), dtype=bool)
        index = np.searchsorted(self.sorted, hashes)
        index[index == len(self.sorted)] = 0
        return self.sorted[index] == hashes

    def add(self, hashes):
        if len(hashes):  # two sorted runs: the stable sort merges them in linear time
            np = self.np
            self.sorted = np.sort(np.concatenate([self.sorted, np.sort(hashes)]), kind="stable")


class _Always:
    """A set that contains everything (to emit a unique-error directly)."""

    def __contains__(self, item) -> bool:
        return True

    def add(self, item) -> None:
        pass


_ALWAYS = _Always()


def _combine_codes(np, code_arrays):
    """One int64 code per row for a tuple of per-column codes."""
    combined = code_arrays[0].astype(np.int64)
    for codes in code_arrays[1:]:
        size = int(codes.max()) + 1 if len(codes) else 1
        if int(combined.max() if len(combined) else 0) >= (2**62) // max(size, 1):
            stacked = np.stack([combined, codes.astype(np.int64)], axis=1)
            _u, combined = np.unique(stacked, axis=0, return_inverse=True)
            combined = combined.reshape(-1).astype(np.int64)
            continue
        combined = combined * size + codes
    return combined, None


def _prefilter_for(descriptor, plan):
    """A cheap test telling, among a batch's distinct values, which ones need
    the full check; None means: check them all. It must never let a value
    with a problem through."""
    name = descriptor.name
    if name in plan.geopoints or name in plan.wkt_fields:
        return None
    custom_prefilters = []
    for check in plan.value_checks.get(name, ()):
        custom_prefilter = vectorised_prefilter(check)
        if custom_prefilter is None:
            return None  # a custom check we cannot pre-test: check every value
        custom_prefilters.append(custom_prefilter)
    if custom_prefilters and descriptor.type != "string":
        return None
    constraints = descriptor.constraints
    missing = set(descriptor.missing_values)
    if descriptor.type in ("number", "integer") and "enum" not in constraints:
        bounds = []
        for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            if key in constraints:
                try:
                    bounds.append((key, float(constraints[key])))
                except (TypeError, ValueError):
                    return None
        integer = descriptor.type == "integer"

        def numeric(values, uniques):
            np = plan_np()
            if uniques is None or uniques.dtype.kind not in "if":
                return None
            ok = np.isfinite(uniques) if uniques.dtype.kind == "f" else np.ones(len(uniques), dtype=bool)
            if integer and uniques.dtype.kind == "f":
                ok &= np.floor(uniques) == uniques
            for key, bound in bounds:
                if key == "minimum":
                    ok &= uniques >= bound
                elif key == "maximum":
                    ok &= uniques <= bound
                elif key == "exclusiveMinimum":
                    ok &= uniques > bound
                else:
                    ok &= uniques < bound
            need = ~ok
            if len(values) > len(uniques):  # the NULL code
                need = np.append(need, True)
            return need

        return numeric
    if descriptor.type == "string" and descriptor.format in ("default", "") and "enum" not in constraints:
        pattern = constraints.get("pattern")
        try:
            compiled = re.compile("^" + pattern + "$") if isinstance(pattern, str) else None
        except re.error:
            return None
        if compiled is not None and is_risky(pattern):
            return None  # the full check bounds its cost (core.checks.safe_regex)
        if pattern is not None and compiled is None:
            return None
        min_length = constraints.get("minLength")
        max_length = constraints.get("maxLength")
        if any(v is not None and (not isinstance(v, int) or isinstance(v, bool)) for v in (min_length, max_length)):
            return None

        def text(values, uniques):
            np = plan_np()

            def quick_ok(value):
                if value.__class__ is not str or value in missing:
                    return False
                if compiled is not None and (len(value) > LONG_TEXT or not compiled.match(value)):
                    return False
                if min_length is not None and len(value) < min_length:
                    return False
                return max_length is None or len(value) <= max_length

            need = np.fromiter((not quick_ok(v) for v in values), dtype=bool, count=len(values))
            if custom_prefilters:
                if uniques is None or uniques.dtype.kind != "S":
                    return None
                for custom_prefilter in custom_prefilters:
                    ok = custom_prefilter(np, uniques)
                    need[: len(ok)] |= ~ok
            return need

        return text
    return None


def _row_filter_for(descriptor, plan):
    """A vectorised test on a raw batch column telling which ROWS need the
    full check (numbers within bounds, texts without rules, booleans), so
    such columns are never sorted or turned into Python objects. Returns None
    (from the filter) when the column's kind does not allow it."""
    name = descriptor.name
    if plan.value_checks.get(name) or name in plan.geopoints or name in plan.wkt_fields:
        return None
    constraints = {k: v for k, v in descriptor.constraints.items() if k not in ("required", "unique")}
    required = descriptor.required
    missing_bytes = [m.encode("utf-8") for m in descriptor.missing_values]
    if descriptor.type == "string" and descriptor.format in ("default", "") and not constraints:

        def text(raw):
            np = plan_np()
            mask, data = _split_masked(np, raw)
            if data.dtype.kind != "S":
                return None
            if not required:
                return np.zeros(len(data), dtype=bool)
            need = mask.copy()
            for missing in missing_bytes:
                need |= data == missing
            return need

        return text
    if descriptor.type == "boolean" and not constraints:

        def boolean(raw):
            np = plan_np()
            mask, data = _split_masked(np, raw)
            if data.dtype.kind != "b":
                return None
            return mask.copy() if required else np.zeros(len(data), dtype=bool)

        return boolean
    if descriptor.type in ("number", "integer") and "enum" not in constraints:
        prefilter = _prefilter_for(descriptor, plan)
        if prefilter is None:
            return None

        def numeric(raw):
            np = plan_np()
            mask, data = _split_masked(np, raw)
            if data.dtype.kind not in "iuf":
                return None
            need = prefilter([None] * (len(data) + 1), data)[: len(data)]
            need = need | mask if required else need & ~mask
            return need

        return numeric
    return None


def _split_masked(np, raw):
    if isinstance(raw, np.ma.MaskedArray):
        return np.ma.getmaskarray(raw), raw.data
    return np.zeros(len(raw), dtype=bool), raw


def plan_np():
    from .arrow_reader import np

    return np


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


def _point_text(lon: float, lat: float) -> str:
    """WKT of a point for a report, rounded to about 10 cm (no « -0.000000 »)."""
    return f"POINT({round(lon, 6) + 0.0:.6f} {round(lat, 6) + 0.0:.6f})"


_INTEGER_TEXT = re.compile(r"-?(?:0|[1-9]\d*)")
_DECIMAL_PLAIN = re.compile(r"-?\d+(?:\.\d+)?")
_DECIMAL_TEXT = re.compile(r"\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)\s*")


def _coordinate(value: Any) -> Optional[float]:
    """A longitude or latitude as a float: a number, or a text column holding a decimal number (BAL's
    ``long``/``lat`` are text); None otherwise."""
    if not (_is_number(value) or (isinstance(value, str) and _DECIMAL_TEXT.fullmatch(value))):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _mixed_geometry_possible(layer_input: LayerInput) -> bool:
    """Whether the file's layer declares no single geometry type (GeoJSON, GeoPackage « GEOMETRY »...):
    then every feature's geometry type is looked at."""
    source = layer_input.ogr
    if source is None:
        return False
    try:
        from osgeo import gdal, ogr

        dataset = gdal.OpenEx(source.path, gdal.OF_VECTOR | gdal.OF_READONLY)
        if dataset is None:
            return True
        layer = (
            dataset.GetLayerByName(source.layer_name)
            if source.layer_name
            else dataset.GetLayerByIndex(source.layer_index)
        )
        flat = ogr.GT_Flatten(layer.GetGeomType()) if layer is not None else ogr.wkbUnknown
        return flat in (ogr.wkbUnknown, ogr.wkbGeometryCollection)
    except Exception:  # noqa: BLE001 - when in doubt, look at each geometry
        return True


def _geometry_label(geometry_type: int) -> str:
    return {
        int(GEOMETRY_LINE): "lignes",
        int(GEOMETRY_POLYGON): "polygones",
        int(GEOMETRY_POINT): "points",
    }.get(geometry_type, "géométries d'un autre type")


def _add_row_numbers(layer_input: LayerInput, findings: List[Finding]) -> None:
    if layer_input.csv is None:
        return
    wanted = {f.feature_id for f in findings if f.feature_id is not None and f.row is None}
    rows = csv_row_numbers(layer_input.csv, wanted)
    for finding in findings:
        if finding.feature_id is not None and finding.row is None:
            finding.row = rows.get(finding.feature_id)


def _add_csv_row_problems(layer_input: LayerInput, mapping: Dict[str, str], findings: List[Finding]) -> None:
    """Blank records and records with missing or extra cells, as frictionless reports them. A blank
    record is reported as such only (frictionless checks none of its cells); a missing cell is also
    checked as an empty value (a required field is then reported too, as frictionless does)."""
    problems = csv_row_problems(layer_input.csv)
    if not problems:
        return
    header = csv_header(layer_input.csv)
    schema_of = {layer_name: schema_name for schema_name, layer_name in mapping.items()}
    blank = {p.feature_id for p in problems if p.kind == "blank-row" and p.feature_id is not None}
    added: List[Finding] = []
    for problem in problems:
        if problem.kind == "blank-row":
            added.append(
                _layer_finding(
                    "blank-row",
                    f"La ligne {problem.row} du fichier est vide.",
                    "Supprimez cette ligne vide du fichier CSV.",
                    feature_id=problem.feature_id,
                    row=problem.row,
                )
            )
            continue
        name = header[problem.cell_index] if problem.cell_index < len(header) else ""
        if problem.kind == "missing-cell":
            field_name = schema_of.get(name, name)
            added.append(
                _layer_finding(
                    "missing-cell",
                    f"La ligne {problem.row} a moins de cellules que l'en-tête : la cellule « {name} » manque.",
                    "Ajoutez le séparateur manquant : une cellule vide s'écrit avec deux séparateurs qui se suivent.",
                    field=field_name,
                    feature_id=problem.feature_id,
                    row=problem.row,
                )
            )
        else:
            added.append(
                _layer_finding(
                    "extra-cell",
                    f"La ligne {problem.row} a une cellule de plus que l'en-tête (cellule n°{problem.cell_index + 1}).",
                    "Retirez la cellule en trop, ou mettez entre guillemets le texte qui contient le séparateur.",
                    feature_id=problem.feature_id,
                    row=problem.row,
                    value=problem.value,
                )
            )
    findings[:] = [f for f in findings if f.feature_id is None or f.feature_id not in blank] + added


def validate_layer(
    layer, schema: TableSchema, mapping: Optional[FieldMapping] = None, selected_only=False, feedback=None
):
    """Convenience for the main thread: snapshot ``layer`` and validate it."""
    return validate(LayerInput.from_layer(layer, selected_only), schema, mapping, feedback)
