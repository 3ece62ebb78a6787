"""The plan of a check, shared by every reading engine: the checkers of the mapped fields, the row groups
(custom row checks, longitude/latitude pairs, primary key), the judging of distinct values and keys and the
findings tied to features; :meth:`_Plan.run` picks the engine (CSV file, PostGIS server, columnar GDAL/Arrow,
QGIS features)."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from ..checks import geo
from ..checks.custom import build_custom_checks
from ..checks.finding import WARNING, Finding, ValueProblem
from ..checks.value_checker import checker_for
from ..reader import LayerInput
from ..schema.model import TableSchema
from .columnar_pass import ColumnarPass
from .csv_pass import CsvPass, _NotReadable
from .geometry import GeometryChecks, _coordinate, first_wkt_point, wkt_fields
from .keys import comparable, never_equal
from .postgis_pass import PostgisPass
from .qgis_pass import QgisPass
from .report import _duplicate_key_finding, _duplicate_value_finding, _layer_finding


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


class _Plan(CsvPass, PostgisPass, ColumnarPass, QgisPass, GeometryChecks):
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
                    if key is not None and not never_equal(key):  # a NaN repeats nothing, however often met
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
        return comparable(typed)

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
                    if never_equal(typed):
                        continue  # a key holding a NaN repeats nothing, however often met
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
