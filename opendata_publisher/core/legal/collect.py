"""Read a QGIS layer for the legal check: snapshot on the main thread, one pass in a task.

:meth:`LegalInput.from_layer` (main thread) snapshots the layer
(:class:`~opendata_publisher.core.reader.LayerInput`) with its field types and
the metadata texts; :func:`legal_check` (any thread) counts the distinct
values of every field over the whole layer in one pass, then runs the pure
detectors of :mod:`.detectors`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from ...compat import GEOMETRY_LINE, GEOMETRY_POINT, GEOMETRY_POLYGON, field_type_name
from ..reader import LayerInput, plain_value
from . import patterns as p
from .detectors import FieldProfile, LegalContext, MetadataTexts, run_detectors, value_shapes
from .report import LegalReport

#: Binary and list fields are not read (their values are never personal text the detectors understand).
_SKIPPED_TYPES = {"bytearray", "map"}

#: distinct values counted exactly per field; a field with more is summarised by a sample (memory bounded)
DISTINCT_CAP = 20000
#: rows of the regular sample kept for a field with more distinct values than the cap
SAMPLE_ROWS = 5000


def metadata_texts(layer) -> MetadataTexts:
    """The texts of ``layer.metadata()`` and of the layer's attribution that the detectors read."""
    md = layer.metadata()
    constraints = []
    for constraint in md.constraints() or []:
        text = getattr(constraint, "constraint", "")
        kind = getattr(constraint, "type", "")
        if text:
            constraints.append(f"{kind}: {text}" if kind else str(text))
    keywords: List[str] = []
    for words in (md.keywords() or {}).values():
        keywords.extend(str(w) for w in words)
    keywords.extend(str(c) for c in (md.categories() or []))
    attribution = ""
    server = getattr(layer, "serverProperties", None)
    if callable(server):
        props = server()
        attribution = str(getattr(props, "attribution", lambda: "")() or "")
    if not attribution and callable(getattr(layer, "attribution", None)):
        attribution = str(layer.attribution() or "")
    return MetadataTexts(
        title=str(md.title() or ""),
        abstract=str(md.abstract() or ""),
        history=[str(h) for h in md.history()],
        rights=[str(r) for r in md.rights()],
        licenses=[str(lic) for lic in md.licenses()],
        constraints=constraints,
        keywords=keywords,
        attribution=attribution,
    )


@dataclass
class LegalInput:
    """Everything the legal check reads, safe to use from another thread."""

    layer_input: LayerInput
    field_types: Dict[str, str] = field(default_factory=dict)
    metadata: MetadataTexts = field(default_factory=MetadataTexts)
    storage_type: str = ""
    small_count_threshold: int = 5
    #: distinct values kept exactly per field, and rows sampled beyond (see :class:`FieldProfile`)
    distinct_cap: int = DISTINCT_CAP
    sample_rows: int = SAMPLE_ROWS

    @classmethod
    def from_layer(cls, layer, selected_only: bool = False, small_count_threshold: int = 5) -> LegalInput:
        provider = layer.dataProvider()
        return cls(
            layer_input=LayerInput.from_layer(layer, selected_only),
            field_types={f.name(): field_type_name(f) for f in layer.fields()},
            metadata=metadata_texts(layer),
            storage_type=str(provider.storageType() or "") if provider is not None else "",
            small_count_threshold=small_count_threshold,
        )

    @property
    def name(self) -> str:
        return self.layer_input.name


def _geometry_kind(layer_input: LayerInput) -> Optional[str]:
    if not layer_input.is_spatial:
        return None
    kind = layer_input.geometry_type
    if kind == int(GEOMETRY_POINT):
        return "point"
    if kind == int(GEOMETRY_LINE):
        return "line"
    if kind == int(GEOMETRY_POLYGON):
        return "polygon"
    return None


class _Tally:
    """The bounded profile of one field while the layer is read: exact counts up to ``cap`` distinct values,
    then only the formula-like values (exact, at most ``cap`` of them) and the values shaped like an e-mail,
    a phone number, a NIR or an IBAN (exact, at most ``cap`` per shape; a shape with more is dropped: the
    sample stands for it); and all along the values of the sampled rows (every ``stride``-th feature), which
    stand for the field once it went past the cap."""

    __slots__ = ("cap", "counts", "over", "sample", "sampled", "formulas", "shapes", "shapes_over")

    def __init__(self, cap: int):
        self.cap = cap
        self.counts: Counter = Counter()
        self.over = False
        self.sample: Counter = Counter()
        self.sampled = 0
        self.formulas: Counter = Counter()
        self.shapes: Dict[str, Counter] = {}
        self.shapes_over: set = set()

    def add_counts(self, pairs) -> None:
        """``(value, count)`` pairs of some rows (while the field is under the cap)."""
        counts = self.counts
        for value, count in pairs:
            counts[value] += count
        self.check()

    def check(self) -> None:
        if not self.over and len(self.counts) > self.cap:
            self.over = True
            self.add_formulas(self.counts.items())
            self.add_shapes(self.counts.items())
            self.counts = Counter()

    def add_formulas(self, pairs) -> None:
        """``(value, count)`` pairs that may be formulas (past the cap: the rest of the field is not kept)."""
        from ..conform.values import formula_like

        kept = self.formulas
        for value, count in pairs:
            if formula_like(value) and (value in kept or len(kept) < self.cap):
                kept[value] += count

    def screens(self) -> Tuple[str, ...]:
        """The screens of :data:`.patterns.SCREEN_CLASSES` still needed (a shape past the cap is not looked for)."""
        over = self.shapes_over
        return tuple(c for c in p.SCREEN_CLASSES if not all(kind in over for kind in p.SCREEN_KINDS[c]))

    def add_shapes(self, pairs) -> None:
        """``(value, count)`` pairs that may be shaped like personal data (past the cap: see the class)."""
        shapes, over, cap = self.shapes, self.shapes_over, self.cap
        for value, count in pairs:
            for kind in value_shapes(value):
                if kind in over:
                    continue
                kept = shapes.setdefault(kind, Counter())
                if value in kept or len(kept) < cap:
                    kept[value] += count
                else:  # more than the cap of values of this shape: the field is full of them
                    over.add(kind)
                    del shapes[kind]

    def add_sample(self, values) -> None:
        self.sample.update(values)
        self.sampled += len(values)

    def profile(self, name: str, type_name: str, rows: int) -> FieldProfile:
        if not self.over:
            return FieldProfile(name, type_name, self.counts)
        sampled = max(self.sampled, 1)
        estimated = Counter({value: max(round(n * rows / sampled), 1) for value, n in self.sample.items()})
        return FieldProfile(
            name, type_name, estimated, sampled, self.cap, self.formulas, self.shapes, frozenset(self.shapes_over)
        )


def _stride(rows: int, sample_rows: int) -> int:
    """Every how many features a row is sampled (the same rows whatever reads the layer)."""
    return max(-(-rows // max(sample_rows, 1)), 1)


def collect(legal_input: LegalInput, feedback=None) -> Optional[LegalContext]:
    """The values of every field with their counts over the whole layer (bounded: see :class:`FieldProfile`).
    None when cancelled.

    Read like the check reads: on the server for a PostgreSQL layer (``GROUP BY``), by columns for a file
    GDAL reads (Arrow batches counted with NumPy), else one pass through QGIS."""
    layer_input = legal_input.layer_input
    names = [n for n in layer_input.field_names if legal_input.field_types.get(n, "string") not in _SKIPPED_TYPES]
    cap = max(int(legal_input.distinct_cap), 1)
    stride = _stride(layer_input.feature_count, legal_input.sample_rows)
    tallies: Optional[List[_Tally]] = None

    def cancelled() -> bool:  # a cancelled reading is never followed by another one
        return feedback is not None and feedback.isCanceled()

    if names and layer_input.feature_count:
        if layer_input.postgis is not None:
            tallies = _quietly_none(_count_on_server, layer_input, names, cap, stride, feedback)
        if tallies is None and not cancelled() and layer_input.ogr is not None:
            tallies = _quietly_none(_count_by_columns, layer_input, names, cap, stride, feedback)
        if tallies is None and not cancelled():
            tallies = _count_with_qgis(layer_input, names, cap, stride, feedback)
    else:
        tallies = [_Tally(cap) for _ in names]
    if cancelled():
        return None
    fields = [
        tally.profile(name, legal_input.field_types.get(name, "string"), layer_input.feature_count)
        for name, tally in zip(names, tallies)
    ]
    return LegalContext(
        layer_name=layer_input.name,
        feature_count=layer_input.feature_count,
        fields=fields,
        geometry=_geometry_kind(layer_input),
        source=layer_input.source,
        provider=layer_input.provider,
        storage_type=legal_input.storage_type,
        metadata=legal_input.metadata,
        small_count_threshold=legal_input.small_count_threshold,
    )


def _quietly_none(count, layer_input: LayerInput, names: List[str], *args) -> Optional[List[_Tally]]:
    """``count(...)``, or None when that reader cannot read the layer (QGIS then reads it)."""
    try:
        return count(layer_input, names, *args)
    except Exception:  # noqa: BLE001 - the QGIS reading reads everything QGIS reads
        return None


#: rows read through QGIS between two looks at the number of distinct values
_QGIS_CHUNK = 4096


def _count_with_qgis(layer_input: LayerInput, names: List[str], cap: int, stride: int, feedback) -> List[_Tally]:
    tallies = [_Tally(cap) for _ in names]
    slots = range(len(names))
    total = max(layer_input.feature_count, 1)
    step = max(total // 100, 1)
    for row, (_fid, values, _geometry) in enumerate(layer_input.iter_features(names, False, feedback)):
        for i in slots:
            tally = tallies[i]
            if tally.over:
                value = values[i]
                if isinstance(value, str) and value[:1] in _FORMULA_STARTS:
                    tally.add_formulas(((value, 1),))
                tally.add_shapes(((value, 1),))
            else:
                tally.counts[values[i]] += 1
        if row % stride == 0:
            for i in slots:
                tallies[i].add_sample((values[i],))
        done = row + 1
        if done % _QGIS_CHUNK == 0:
            for tally in tallies:
                tally.check()
        if feedback is not None and done % step == 0:
            feedback.setProgress(90.0 * min(done / total, 1.0))
            if feedback.isCanceled():
                break
    for tally in tallies:
        tally.check()
    return tallies


def _count_on_server(layer_input: LayerInput, names: List[str], cap: int, stride: int, feedback) -> List[_Tally]:
    """On the server: how many distinct values each field has (one reading); ``GROUP BY`` the fields under
    the cap; the sampled rows and the formula-like values of the others. Values come back converted by
    QGIS's provider."""
    from .. import postgis

    source = layer_input.postgis
    tallies = [_Tally(cap) for _ in names]
    rows, distinct = postgis.distinct_counts(source, names, feedback)
    if rows != layer_input.feature_count:
        raise RuntimeError("the layer shows other rows than its table and filter")
    few = [i for i, n in enumerate(distinct) if n <= cap]
    many = [i for i, n in enumerate(distinct) if n > cap]
    sets = [[names[i]] for i in few]
    for index, values, _text, count in postgis.distinct_sets(source, sets, plain_value, feedback, ordered=True):
        tallies[few[index]].counts[values[0]] += count
    if many:
        for i in many:
            tallies[i].over = True
        columns = [names[i] for i in many]
        for values in postgis.sampled_rows(source, columns, stride, feedback):
            for i, value in zip(many, values):
                tallies[i].add_sample((plain_value(value),))
        for index, value, count in postgis.formula_candidates(source, columns, cap, feedback):
            tallies[many[index]].add_formulas(((plain_value(value), count),))
        for index, value, count in postgis.shape_candidates(source, columns, feedback):
            tallies[many[index]].add_shapes(((plain_value(value), count),))
    return tallies


def _count_by_columns(layer_input: LayerInput, names: List[str], cap: int, stride: int, feedback) -> List[_Tally]:
    """The file read by Arrow batches: each batch's distinct values counted at once (NumPy) while the field
    is under the cap; past it, only the sampled rows (a NumPy slice) and the formula-like texts."""
    from .. import arrow_reader as ar

    reader = ar.ArrowLayer(layer_input.ogr)
    try:
        fid = reader.fid_column
        columns = sorted({n for n in names if n != fid})
        tallies = [_Tally(cap) for _ in names]
        total = max(layer_input.feature_count, 1)
        done = 0
        for batch in reader.batches(columns, False):
            size = len(batch[fid])
            first = (-done) % stride
            for tally, name in zip(tallies, names):
                column = batch[fid if name == fid else name]
                if tally.over:
                    tally.add_formulas(_formula_candidates(ar, column))
                    screens = tally.screens()
                    if screens:
                        tally.add_shapes(_shape_candidates(ar, column, screens))
                else:
                    tally.add_counts(_column_counts(ar, column))
                if first < size:
                    tally.add_sample(_column_values(ar, column[first::stride]))
            done += size
            if feedback is not None:
                feedback.setProgress(90.0 * min(done / total, 1.0))
                if feedback.isCanceled():
                    return tallies
        if done != layer_input.feature_count:
            raise RuntimeError(f"{done} rows read, {layer_input.feature_count} expected")
        return tallies
    finally:
        reader.close()


def _column_counts(ar, column):
    """``(value, count)`` of a batch column, in the order of their first row (as QGIS's reading meets them:
    the examples shown follow it); values as the check reads them (NULL and NaN: None)."""
    np = ar.np
    data = column.data if isinstance(column, np.ma.MaskedArray) else column
    if data.dtype.kind == "O":  # text: counted by Python's C counter, decoded once per distinct value
        mask = np.ma.getmaskarray(column) if isinstance(column, np.ma.MaskedArray) else None
        if mask is not None and mask.any():
            data = data.copy()
            data[mask] = None
        counted = Counter(data.tolist())
        return [(None if raw is None else ar._python(raw), count) for raw, count in counted.items()]
    # numbers, dates, fixed-width bytes: one sort gives the distinct values, their first rows and counts
    missing = np.ma.getmaskarray(column) if isinstance(column, np.ma.MaskedArray) else None
    if data.dtype.kind == "f":
        nan = np.isnan(data)
        missing = nan if missing is None else (missing | nan)
    rows = None
    if missing is not None and missing.any():
        rows = np.flatnonzero(~missing)
        data = data[rows]
    else:
        missing = None
    small = _small_range_key(np, data)
    if small is not None:  # integers or days over a short range: counted, their first rows by a radix sort
        counts = np.bincount(small)
        present = np.flatnonzero(counts)
        counts = counts[present]
        first = np.argsort(small, kind="stable")[np.cumsum(counts) - counts]
        values = data[first].tolist()
    else:
        uniques, first, counts = np.unique(data, return_index=True, return_counts=True)
        values = np.char.decode(uniques, "utf-8").tolist() if uniques.dtype.kind == "S" else uniques.tolist()
    if rows is not None:
        first = rows[first]
    pairs = list(zip(first.tolist(), values, counts.tolist()))
    if missing is not None:
        pairs.append((int(np.argmax(missing)), None, int(missing.sum())))
    pairs.sort(key=lambda pair: pair[0])
    return [(value, count) for _first, value, count in pairs]


def _small_range_key(np, data):
    """``data`` (integers, booleans or days) as ``uint16`` offsets from its minimum when they fit, else None."""
    kind = data.dtype.kind
    if kind == "M" and np.datetime_data(data.dtype)[0] == "D":
        numbers = data.view(np.int64)
    elif kind in "iub":
        numbers = data.astype(np.int64, copy=False)
    else:
        return None
    if not len(numbers):
        return None
    low = int(numbers.min())
    if int(numbers.max()) - low >= 1 << 16:
        return None
    return (numbers - low).astype(np.uint16)


def _column_values(ar, column) -> list:
    """The values of some rows of a batch column, as :func:`_column_counts` gives them."""
    np = ar.np
    mask = np.ma.getmaskarray(column).tolist() if isinstance(column, np.ma.MaskedArray) else None
    data = column.data if isinstance(column, np.ma.MaskedArray) else column
    if data.dtype.kind == "O":
        values = [None if raw is None else ar._python(raw) for raw in data.tolist()]
    elif data.dtype.kind == "S":
        values = np.char.decode(data, "utf-8").tolist()
    else:
        values = data.tolist()
        if data.dtype.kind == "f":
            values = [None if value != value else value for value in values]
    if mask is not None:
        values = [None if hidden else value for value, hidden in zip(values, mask)]
    return values


#: first characters of a text a spreadsheet may run as a formula (leading spaces are skipped by the test)
_FORMULA_STARTS = frozenset(["=", "@", "\t", "\r", "+", "-", " ", b"=", b"@", b"\t", b"\r", b"+", b"-", b" "])
_FORMULA_FIRST_BYTES = [ord(start) for start in "=@\t\r+- "]


def _formula_candidates(ar, column):
    """``(value, 1)`` for the texts of a batch column that may be formulas (a cheap test on the first
    character, on the whole array for fixed-width texts; :func:`~opendata_publisher.core.conform.values.formula_like`
    decides)."""
    np = ar.np
    data = column.data if isinstance(column, np.ma.MaskedArray) else column
    hidden = np.ma.getmaskarray(column) if isinstance(column, np.ma.MaskedArray) else None
    if data.dtype.kind == "S":
        if not len(data) or not data.dtype.itemsize:
            return []
        firsts = data.view(np.uint8).reshape(len(data), data.dtype.itemsize)[:, 0]
        wanted = np.isin(firsts, _FORMULA_FIRST_BYTES)
        if hidden is not None:
            wanted &= ~hidden
        return [(value, 1) for value in np.char.decode(data[wanted], "utf-8").tolist()]
    if data.dtype.kind != "O":
        return []
    starts = _FORMULA_STARTS
    raws = data.tolist()
    if hidden is not None and hidden.any():
        raws = [None if masked else raw for raw, masked in zip(raws, hidden.tolist())]
    return [(ar._python(raw), 1) for raw in raws if raw and raw[:1] in starts]


#: bytes of a batch column screened at once (the screen's work arrays are a few times this size)
_SCREEN_BYTES = 1 << 22


def _shape_candidates(ar, column, screens: Tuple[str, ...]):
    """``(value, count)`` for the values of a batch column that pass the ``screens`` of
    :func:`.patterns.screen_classes`, in the order of their first row (NumPy on the bytes of fixed-width
    texts and on integers; :func:`.detectors.value_shapes` decides)."""
    np = ar.np
    data = column.data if isinstance(column, np.ma.MaskedArray) else column
    hidden = np.ma.getmaskarray(column) if isinstance(column, np.ma.MaskedArray) else None
    kind = data.dtype.kind
    if kind in "iu":
        if "digits" not in screens:
            return []
        size = data if kind == "u" else np.abs(data.astype(np.int64))
        wanted = (size >= 10**12) & (size < 10**15)
    elif kind == "S":
        if not len(data) or not data.dtype.itemsize:
            return []
        wanted = _screen_mask(np, np.ascontiguousarray(data), screens)
    elif kind == "O":
        raws = data.tolist()
        if hidden is not None and hidden.any():
            raws = [None if masked else raw for raw, masked in zip(raws, hidden.tolist())]
        values = (None if raw is None else ar._python(raw) for raw in raws)
        return Counter(v for v in values if any(c in screens for c in p.screen_classes(v))).items()
    else:
        return []
    if hidden is not None:
        wanted &= ~hidden
    chosen = data[wanted]
    if kind == "S":
        return Counter(np.char.decode(chosen, "utf-8").tolist()).items()
    return Counter(chosen.tolist()).items()


#: byte classes of the screen (see :func:`.patterns.screen_classes`): bit flags, one table lookup per byte
_DIGIT, _SEP, _LETTER, _NIR_LETTER, _END = 1, 2, 4, 8, 16
_BYTE_CLASSES: list = []


def _byte_classes(np):
    if not _BYTE_CLASSES:
        table = np.full(256, _END, dtype=np.uint8)
        table[48:58] = _DIGIT
        for low, high in ((9, 14), (28, 33), (45, 47), (128, 256)):  # separators (non-ASCII: maybe a space)
            table[low:high] = _SEP
        table[65:91] = table[97:123] = _LETTER | _END
        for byte in b"ABab":
            table[byte] |= _NIR_LETTER
        table[0] = _SEP  # the padding of fixed-width texts: neither in a stretch's digits nor an end
        _BYTE_CLASSES.append(table)
    return _BYTE_CLASSES[0]


def _screen_mask(np, data, screens: Tuple[str, ...]):
    """The rows of a fixed-width text array that pass the ``screens`` (the rules of
    :func:`.patterns.screen_classes` on the UTF-8 bytes: every byte of a non-ASCII character is a separator,
    as the character is there)."""
    width = data.dtype.itemsize
    wanted = np.zeros(len(data), dtype=bool)
    step = max(_SCREEN_BYTES // width, 1)
    table = _byte_classes(np)
    for start in range(0, len(data), step):
        block = data[start : start + step].view(np.uint8).reshape(-1, width)
        part = wanted[start : start + step]
        classes = table[block]
        digit = (classes & _DIGIT).astype(bool)
        if "@" in screens:  # detect_emails
            part |= (block == 64).any(axis=1)
        if "digits" in screens:  # detect_phones, detect_nir: only rows with 9 digits or more
            rows = np.flatnonzero(digit.sum(axis=1) >= 9)
            if len(rows):
                part[rows[_digit_screen(np, classes[rows])]] = True
        if "iban" in screens:  # detect_iban: the first four letters or digits are two letters, two digits
            letter = (classes & _LETTER).astype(bool)
            alnum = letter | digit
            rows = np.flatnonzero(~part & (alnum.sum(axis=1) >= 4))
            place = np.full(len(rows), -1)
            columns = np.arange(width)
            for shape in (letter, letter, digit, digit):  # the next letter or digit, row by row
                place = np.argmax(alnum[rows] & (columns > place[:, None]), axis=1)
                keep = shape[rows, place]
                rows, place = rows[keep], place[keep]
            part[rows] = True
    return wanted


def _digit_screen(np, classes):
    """Rows of ``classes`` (byte classes, one row per value) with a stretch of 9 to 11 or 13 digits (phones),
    or made of digits, A, B and separators only with 13 or 15 of those digits and letters (NIR): see
    :data:`.patterns.PHONE_SCREEN` and :data:`.patterns.NIR_SCREEN`."""
    count, width = classes.shape
    joined = (classes & (_DIGIT | _SEP)).astype(bool)
    starts = joined.copy()  # first byte of each stretch (a row's first byte starts one)
    starts[:, 1:] &= ~joined[:, :-1]
    first = np.flatnonzero(starts.ravel())
    # digits from a stretch's first byte to the next one's: only that stretch's (ends hold no digit)
    held = np.add.reduceat((classes & _DIGIT).ravel(), first, dtype=np.int32)
    phone = ((held >= 9) & (held <= 11)) | (held == 13)
    found = np.zeros(count, dtype=bool)
    found[first[phone] // width] = True
    keys = ((classes & (_DIGIT | _NIR_LETTER)) != 0).sum(axis=1)
    only = ((classes & _END) == 0) | ((classes & _NIR_LETTER) != 0)
    found |= ((keys == 13) | (keys == 15)) & only.all(axis=1)
    return found


def legal_check(legal_input: LegalInput, feedback=None) -> LegalReport:
    """Run the legal check; never raises on bad data. A cancelled check returns a report flagged ``cancelled``."""
    report = LegalReport(
        layer_name=legal_input.name,
        feature_count=legal_input.layer_input.feature_count,
        layer_id=legal_input.layer_input.layer_id,
    )
    context = collect(legal_input, feedback)
    if context is None:
        report.cancelled = True
        return report
    report.findings = run_detectors(context)
    if feedback is not None:
        feedback.setProgress(100)
    return report


def legal_check_layer(layer, selected_only: bool = False, feedback=None) -> LegalReport:
    """Snapshot and check ``layer`` in the calling thread (Processing, tests, the publishing flow)."""
    return legal_check(LegalInput.from_layer(layer, selected_only), feedback)
