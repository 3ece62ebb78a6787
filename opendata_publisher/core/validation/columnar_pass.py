"""The columnar engine: file layers read through GDAL's Arrow stream in NumPy batches, each batch's distinct
values judged at once behind vectorised pre-filters, uniqueness kept as sorted 64-bit hashes."""

from __future__ import annotations

import re
from typing import Any, Dict

from qgis.core import QgsWkbTypes

from ..checks import geo
from ..checks.custom import vectorised_prefilter
from ..checks.finding import Finding
from ..checks.safe_regex import LONG_TEXT, is_risky
from .geometry import WGS84, _coordinate, _point_text
from .keys import value_key, whole_number_keys
from .progress import _Progress


class ColumnarPass:
    """The columnar (GDAL/Arrow) reading of :class:`~.plan._Plan`."""

    # columnar path (file layers read through GDAL/Arrow) --------------------
    def _run_arrow(self, feedback, check_geometry) -> bool:
        """One pass over NumPy batches: each batch's distinct values are
        checked at once (most of them by a vectorised or cheap pre-test), the
        uniqueness checks keep the values already seen, so features are tied to
        their problems without a second reading."""
        from .. import arrow_reader as ar

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
            # a column's distinct values (a Python object each) are dropped once the last field reading them
            # is checked, unless a row group reads them after the fields
            group_columns = {self.resolved[n] for g in self.groups for n in g.fields}
            last_reader = {self.resolved[d.name]: d.name for d in self.schema_fields}
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
                    del column
                    if last_reader[layer_name] == name and layer_name not in group_columns:
                        del encoded[layer_name]
                for group in self.groups:
                    if group.kind == "lonlat":
                        self._arrow_lonlat(ar, group, batch, column_of, fids, memo[id(group)])
                    else:
                        columns = [column_of(self.resolved[n]) for n in group.fields]
                        self._arrow_group(ar, group, columns, fids, seen_keys.get(id(group)), memo[id(group)])
                if point_geometry:
                    self._arrow_points(ar, batch, reader, fids)
                done += len(fids)
                # the batch is freed before GDAL reads the next one
                del batch, encoded, column_of, fids
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


class _SeenHashes:
    """The values (or keys) already met, as sorted arrays of 64-bit hashes:
    8 bytes a value instead of a Python object, for uniqueness over millions
    of features. A false "already seen" needs two distinct values with the
    same 64-bit key (:func:`.keys.value_key`: never for two whole numbers; odds
    about n²/2⁶⁵ otherwise, 3·10⁻⁸ for a million values).

    The hashes are spread over ``BUCKETS`` sorted arrays by their top bits, so
    that adding a batch rebuilds small arrays only: one sorted array would be
    copied whole at every batch (three copies alive at once, 24 MB at a million
    values, instead of the 8 MB the hashes take)."""

    BUCKETS = 64

    def __init__(self, np):
        self.np = np
        self.buckets = [np.empty(0, dtype=np.int64) for _ in range(self.BUCKETS)]
        step = 2**64 // self.BUCKETS
        #: the first hash of each bucket (and the end of the int64 range), for searchsorted
        self.edges = np.array([-(2**63) + i * step for i in range(self.BUCKETS)], dtype=np.int64)

    def hashes(self, values):
        values = values if isinstance(values, list) else list(values)
        keys = whole_number_keys(self.np, values) if values else None  # an integer column: at once
        if keys is not None:
            return keys
        return self.np.fromiter((value_key(v) for v in values), dtype=self.np.int64, count=len(values))

    def _runs(self, sorted_hashes):
        """(bucket, start, end) of each bucket's slice of sorted hashes."""
        bounds = self.np.searchsorted(sorted_hashes, self.edges).tolist() + [len(sorted_hashes)]
        return [(i, bounds[i], bounds[i + 1]) for i in range(self.BUCKETS) if bounds[i] < bounds[i + 1]]

    def contains(self, hashes):
        np = self.np
        found = np.zeros(len(hashes), dtype=bool)
        if not len(hashes):
            return found
        order = np.argsort(hashes, kind="stable")
        ordered = hashes[order]
        for bucket, start, end in self._runs(ordered):
            known = self.buckets[bucket]
            if not len(known):
                continue
            part = ordered[start:end]
            index = np.searchsorted(known, part)
            index[index == len(known)] = 0
            found[order[start:end]] = known[index] == part
        return found

    def add(self, hashes):
        if not len(hashes):
            return
        np = self.np
        ordered = np.sort(hashes)
        for bucket, start, end in self._runs(ordered):
            # two sorted runs: the stable sort merges them in linear time
            self.buckets[bucket] = np.sort(np.concatenate([self.buckets[bucket], ordered[start:end]]), kind="stable")


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
    from ..arrow_reader import np

    return np
