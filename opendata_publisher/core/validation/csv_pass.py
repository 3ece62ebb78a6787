"""The CSV engine: the file read by the check itself with frictionless' rules (encoding, blank rows, missing
and extra cells, row numbers), and what the report says about how a CSV file was read."""

from __future__ import annotations

import gc
import math
import os
import re
import threading
from contextlib import contextmanager
from decimal import Decimal
from itertools import compress, islice
from typing import Any, Dict, List, Optional

from ..checks import geo
from ..checks.finding import Finding
from ..reader import LayerInput, csv_header, csv_row_numbers, csv_row_problems, iter_records
from .columnar_pass import _SeenHashes
from .geometry import _coordinate
from .keys import comparable
from .progress import _Progress
from .report import _duplicate_key_finding, _duplicate_value_finding, _layer_finding

_CSV_BATCH = 8192
#: values judged kept per column (a column of all different values - identifiers, addresses, coordinates -
#: would otherwise keep hundreds of thousands of values that never come back): two batches' worth, about
#: 2.5 MB a column; a value that comes back after a reset is judged again (same result, microseconds)
_MEMO_LIMIT = 2 * _CSV_BATCH


class _NotReadable(Exception):
    """The CSV file does not match the layer QGIS made of it: read the layer instead."""


_INTEGER_TEXT = re.compile(r"-?(?:0|[1-9]\d*)")
_DECIMAL_PLAIN = re.compile(r"-?\d+(?:\.\d+)?")


class CsvPass:
    """The CSV file reading of :class:`~.plan._Plan`."""

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
        return problems, comparable(typed), False

    def _run_csv(self, feedback, check_geometry) -> bool:
        """The records of the CSV file, by batches, with frictionless' rules: a record whose cells are
        all missing values is a blank row (its other errors are not reported, extra cells included);
        uniqueness and keys compare typed values, a value that failed its type counting as null; a key
        of null cells is an error. Each distinct value of a column is checked once per batch at most."""
        from ..arrow_reader import np

        if np is None:
            raise _NotReadable("numpy missing")
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
            "memos": [{} for _ in names],  # value -> (problems, typed value or None, missing)
            "odd": [set() for _ in names],  # the values of each memo with a problem or missing
            "quick": [self._quick_text(d) for d in self.schema_fields],
            "quick_numbers": [self._quick_number(d) for d in self.schema_fields],
            # the typed values and keys of earlier batches, as 64-bit hashes (8 bytes a row, not an object)
            "unique": {k: _SeenHashes(np) for k, d in enumerate(self.schema_fields) if d.unique},
            "pk_group": pk_group,
            "pk_slots": [names.index(n) for n in pk_group.fields] if pk_group else [],
            "seen_keys": _SeenHashes(np),
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
        records = iter_records(source)
        if selected is not None:
            records = (item for item in records if item[1] in selected)
        with _cyclic_gc_paused():
            done = 0
            while True:
                batch = list(islice(records, _CSV_BATCH))
                if batch:
                    self._csv_batch(batch, state)
                if len(batch) < _CSV_BATCH:
                    break
                done += len(batch)
                if not progress(done):
                    return True
        if check_geometry is not None:
            for fid, _values, geometry in self.input.iter_features([], True, feedback):
                check_geometry(fid, geometry)
        return bool(feedback is not None and feedback.isCanceled())

    def _judge_csv_values(self, k: int, name: str, new_values, memo: dict, odd: set, state: Dict[str, Any]) -> None:
        """Judge the values of a column met for the first time (since the memo was last emptied)."""
        quick_ok = state["quick"][k]
        quick_typed = state["quick_numbers"][k]
        cell_info = self._cell_info
        no_problem: tuple = ()
        for value in new_values:
            if quick_ok is not None and quick_ok(value):
                memo[value] = (no_problem, value, False)
                continue
            typed = quick_typed(value) if quick_typed is not None else None
            info = (no_problem, typed, False) if typed is not None and typed == typed else cell_info(name, value)
            memo[value] = info
            if info[0] or info[2]:
                odd.add(value)

    def _csv_batch(self, batch: List[tuple], state: Dict[str, Any]) -> None:
        """One batch of records. Work is done per distinct value of each column (a set, in C); only the
        cells holding a value with a problem, a missing value or a repeated key are visited one by one.
        Findings come in the order of a cell-by-cell reading: blank rows, records of the wrong length, cell
        problems column by column, unique values, primary key, coordinates, row checks."""
        names = state["names"]
        width = state["width"]
        header = state["header"]
        findings = self.findings
        records = [record for _row, _fid, record in batch]
        lengths = list(map(len, records))
        uneven = [] if lengths.count(width) == len(lengths) else [i for i, n in enumerate(lengths) if n != width]
        if uneven:
            padded = [record if len(record) >= width else record + [None] * (width - len(record)) for record in records]
        else:
            padded = records
        table = list(zip(*padded)) if padded and width else []
        count = len(batch)
        memos = state["memos"]
        problem_values: List[set] = []  # per schema field: the batch's values with a problem
        missing_values: List[set] = []  # per schema field: the batch's missing values
        for k, name in enumerate(names):
            column = table[state["columns"][k]]
            memo = memos[k]
            odd = state["odd"][k]
            if len(memo) > _MEMO_LIMIT:
                memo.clear()
                odd.clear()
            distinct = set(column)
            self._judge_csv_values(k, name, distinct.difference(memo), memo, odd, state)
            flagged = distinct & odd
            problem_values.append({value for value in flagged if memo[value][0]})
            missing_values.append({value for value in flagged if memo[value][2]})
        # a record is blank when all its cells are missing: impossible while a column has no missing cell
        if names and all(missing_values):
            flags = [
                [value in missing for value in table[state["columns"][k]]] for k, missing in enumerate(missing_values)
            ]
            flags += [[not value for value in table[i]] for i in state["other_columns"]]
            blank = [all(row) for row in zip(*flags)]
        else:
            blank = [False] * count
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
        for index in (i for i in uneven if not blank[i]):
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
        for k, bad in enumerate(problem_values):
            if not bad:
                continue
            name = names[k]
            memo = memos[k]
            values = table[state["columns"][k]]
            for index in list(compress(range(count), map(bad.__contains__, values))):
                if blank[index]:
                    continue
                row_number, fid, _record = batch[index]
                value = values[index]
                for problem in memo[value][0]:
                    findings.append(Finding.from_problem(problem, name, fid, row=row_number, value=value))
        # unique values
        for k, seen in state["unique"].items():
            values = table[state["columns"][k]]
            memo = memos[k]
            typed_values = [memo[value][1] for value in values]
            distinct = set(typed_values)
            distinct.discard(None)
            hashes = seen.hashes(distinct)
            earlier = seen.contains(hashes)
            if len(distinct) == count and not earlier.any():
                seen.add(hashes)  # no missing value, no repeat: nothing to report
                continue
            taken = {typed for typed, old in zip(distinct, earlier.tolist()) if old}  # held by earlier batches
            for index, typed in enumerate(typed_values):
                if typed is None:
                    continue
                if typed not in taken:
                    taken.add(typed)
                    continue
                row_number, fid, _record = batch[index]
                findings.append(_duplicate_value_finding(names[k], values[index], fid, row_number))
            seen.add(hashes)
        # primary key
        if pk_group is not None:
            seen_keys = state["seen_keys"]
            pk_slots = state["pk_slots"]
            typed_columns = [[memos[s][value][1] for value in table[state["columns"][s]]] for s in pk_slots]
            single = len(pk_slots) == 1  # a key of one field is kept as its typed value, not a tuple a row
            keys = typed_columns[0] if single else list(zip(*typed_columns))
            distinct = set(keys)
            null_key = None if single else (None,) * len(pk_slots)
            has_null = null_key in distinct
            distinct.discard(null_key)
            hashes = seen_keys.hashes(distinct)
            earlier = seen_keys.contains(hashes)
            if has_null or len(distinct) != count or earlier.any():
                taken = {key for key, old in zip(distinct, earlier.tolist()) if old}  # held by earlier batches
                for index, key in enumerate(keys):
                    if blank[index]:
                        continue
                    if key is None if single else all(part is None for part in key):
                        row_number, fid, _record = batch[index]
                        findings.append(self._null_key_finding(pk_group, fid, row_number))
                    elif key not in taken:
                        taken.add(key)
                    else:
                        row_number, fid, _record = batch[index]
                        shown = tuple(table[state["columns"][s]][index] for s in pk_slots)
                        findings.append(_duplicate_key_finding(pk_group.fields, shown, fid, row_number))
            # (a blank row's key is null: every key kept is one of a row read)
            seen_keys.add(hashes)
        # coordinates in France
        for group, (lon_slot, lat_slot) in state["lonlat"]:
            lon_values = table[state["columns"][lon_slot]]
            lat_values = table[state["columns"][lat_slot]]
            for index in _outside_france(
                _coordinates(lon_values, memos[lon_slot]), _coordinates(lat_values, memos[lat_slot])
            ):
                if blank[index]:
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


#: CSV readings under way in any thread, and whether the collector was on before the first of them
_GC_LOCK = threading.Lock()
_GC_READERS = 0
_GC_WAS_ENABLED = True


@contextmanager
def _cyclic_gc_paused():
    """Pause Python's cyclic garbage collector while a file is read. Reading makes no reference cycle, but
    millions of short-lived lists and tuples (one per record, one per new value) that start the collector
    again and again, each time walking the values kept so far: a quarter to a third of the reading time.
    Reference counting still frees everything meanwhile; the collector is switched back on afterwards
    (unless it was off already)."""
    global _GC_READERS, _GC_WAS_ENABLED
    with _GC_LOCK:  # checks run in parallel tasks: the first to start saves the state, the last to end restores it
        if _GC_READERS == 0:
            _GC_WAS_ENABLED = gc.isenabled()
            gc.disable()
        _GC_READERS += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_READERS -= 1
            if _GC_READERS == 0 and _GC_WAS_ENABLED:
                gc.enable()


def _coordinates(values, memo: dict) -> list:
    """:func:`_coordinate` of the typed value of each cell of a column, computed once per distinct value."""
    numbers = {}
    for value in set(values):
        typed = memo[value][1]
        kind = typed.__class__
        if kind is Decimal or kind is float or kind is int:
            number = float(typed)
            numbers[value] = number if math.isfinite(number) else None
        else:
            numbers[value] = _coordinate(typed)
    return [numbers[value] for value in values]


def _outside_france(lons: list, lats: list) -> List[int]:
    """The rows whose longitude and latitude are both known and outside every French box (as
    :func:`geo.in_france` tells), tested on whole columns at once."""
    try:
        import numpy as np
    except ImportError:  # numpy ships with QGIS; still, never fail on import
        in_france = geo.in_france
        return [
            index
            for index, (lon, lat) in enumerate(zip(lons, lats))
            if lon is not None and lat is not None and not in_france(lon, lat)
        ]
    lon = np.array(lons, dtype=float)  # None -> NaN, which no comparison holds
    lat = np.array(lats, dtype=float)
    inside = np.zeros(len(lon), dtype=bool)
    for _name, x0, y0, x1, y1 in geo.france_boxes():
        inside |= (x0 <= lon) & (lon <= x1) & (y0 <= lat) & (lat <= y1)
    return np.nonzero(~np.isnan(lon) & ~np.isnan(lat) & ~inside)[0].tolist()


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
