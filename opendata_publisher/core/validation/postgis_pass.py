"""The PostGIS engine: the server aggregates distinct values and tuples, only the failing rows come back."""

from __future__ import annotations

from collections import Counter
from typing import Any, Dict, List

from ..reader import plain_value
from .keys import never_equal


class PostgisPass:
    """The PostgreSQL/PostGIS reading of :class:`~.plan._Plan`."""

    # PostgreSQL/PostGIS layers: the server aggregates, only failing rows come back ------------------
    def _run_postgis(self, feedback, check_geometry) -> bool:
        """The QGIS reading's findings, from what the server computes (see core/postgis.py): the distinct
        values and tuples with their counts, the geometries to look at, then only the failing rows."""
        from .. import postgis as pg

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


class _StreamJudge:
    """The judgement of :meth:`_Plan._judge_values` and :meth:`_Plan._judge_groups`, made as the server's
    distinct values stream in: only the failing values are kept. Uniqueness compares typed values; when
    the column's own type gives the typed value (a text column for a string field, an integer column for
    an integer field) distinct values are distinct keys and the server's counts say the duplicates;
    otherwise the typed keys are counted here."""

    def __init__(self, plan: PostgisPass, source, width: int):  # the _Plan (plan.py) that runs this pass
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
                if key is not None and not never_equal(key):  # PostgreSQL groups NaN with NaN; frictionless does not
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
            if never_equal(typed):
                return False  # a key holding a NaN repeats nothing (the server grouped its rows)
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
