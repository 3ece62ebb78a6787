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
from typing import Dict, List, Optional

from ...compat import GEOMETRY_LINE, GEOMETRY_POINT, GEOMETRY_POLYGON, field_type_name
from ..reader import LayerInput, plain_value
from .detectors import FieldProfile, LegalContext, MetadataTexts, run_detectors
from .report import LegalReport

#: Binary and list fields are not read (their values are never personal text the detectors understand).
_SKIPPED_TYPES = {"bytearray", "map"}


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


def collect(legal_input: LegalInput, feedback=None) -> Optional[LegalContext]:
    """The distinct values of every field with their counts, over the whole layer. None when cancelled.

    Read like the check reads: on the server for a PostgreSQL layer (``GROUP BY``), by columns for a file
    GDAL reads (Arrow batches counted with NumPy), else one pass through QGIS."""
    layer_input = legal_input.layer_input
    names = [n for n in layer_input.field_names if legal_input.field_types.get(n, "string") not in _SKIPPED_TYPES]
    counters: Optional[List[Counter]] = None
    if names and layer_input.feature_count:
        if layer_input.postgis is not None:
            counters = _quietly_none(_count_on_server, layer_input, names, feedback)
        if counters is None and layer_input.ogr is not None:
            counters = _quietly_none(_count_by_columns, layer_input, names, feedback)
        if counters is None:
            counters = _count_with_qgis(layer_input, names, feedback)
    else:
        counters = [Counter() for _ in names]
    if feedback is not None and feedback.isCanceled():
        return None
    fields = [
        FieldProfile(name, legal_input.field_types.get(name, "string"), counter)
        for name, counter in zip(names, counters)
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


def _quietly_none(count, layer_input: LayerInput, names: List[str], feedback) -> Optional[List[Counter]]:
    """``count(...)``, or None when that reader cannot read the layer (QGIS then reads it)."""
    try:
        return count(layer_input, names, feedback)
    except Exception:  # noqa: BLE001 - the QGIS reading reads everything QGIS reads
        return None


def _count_with_qgis(layer_input: LayerInput, names: List[str], feedback) -> List[Counter]:
    counters = [Counter() for _ in names]
    slots = range(len(names))
    total = max(layer_input.feature_count, 1)
    step = max(total // 100, 1)
    for done, (_fid, values, _geometry) in enumerate(layer_input.iter_features(names, False, feedback), start=1):
        for i in slots:
            counters[i][values[i]] += 1
        if feedback is not None and done % step == 0:
            feedback.setProgress(90.0 * min(done / total, 1.0))
            if feedback.isCanceled():
                break
    return counters


def _count_on_server(layer_input: LayerInput, names: List[str], feedback) -> List[Counter]:
    """``GROUP BY`` each field on the server; the values come back converted by QGIS's provider."""
    from .. import postgis

    counters: List[Counter] = [Counter() for _ in names]
    sets = [[name] for name in names]
    for index, values, _text, count in postgis.distinct_sets(layer_input.postgis, sets, plain_value, ordered=True):
        counters[index][values[0]] += count
    if counters and sum(counters[0].values()) != layer_input.feature_count:
        raise RuntimeError("the layer shows other rows than its table and filter")
    return counters


def _count_by_columns(layer_input: LayerInput, names: List[str], feedback) -> List[Counter]:
    """The file read by Arrow batches: each batch's distinct values counted at once (NumPy)."""
    from .. import arrow_reader as ar

    reader = ar.ArrowLayer(layer_input.ogr)
    try:
        fid = reader.fid_column
        columns = sorted({n for n in names if n != fid})
        counters = [Counter() for _ in names]
        total = max(layer_input.feature_count, 1)
        done = 0
        for batch in reader.batches(columns, False):
            for counter, name in zip(counters, names):
                for value, count in _column_counts(ar, batch[fid if name == fid else name]):
                    counter[value] += count
            done += len(batch[fid])
            if feedback is not None:
                feedback.setProgress(90.0 * min(done / total, 1.0))
                if feedback.isCanceled():
                    return counters
        if done != layer_input.feature_count:
            raise RuntimeError(f"{done} rows read, {layer_input.feature_count} expected")
        return counters
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
    values, codes, _uniques = ar.encode_columns(column)
    counts = np.bincount(codes, minlength=len(values)).tolist()
    present, first = np.unique(codes, return_index=True)
    return [(values[code], counts[code]) for code in present[np.argsort(first, kind="stable")].tolist()]


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
