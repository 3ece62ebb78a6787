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
from ..reader import LayerInput
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
    """One pass over the whole layer, counting distinct values per field. None when cancelled."""
    layer_input = legal_input.layer_input
    names = [n for n in layer_input.field_names if legal_input.field_types.get(n, "string") not in _SKIPPED_TYPES]
    counters = [Counter() for _ in names]
    slots = range(len(names))
    total = max(layer_input.feature_count, 1)
    step = max(total // 100, 1)
    done = 0
    if names and layer_input.feature_count:
        for _fid, values, _geometry in layer_input.iter_features(names, False, feedback):
            for i in slots:
                counters[i][values[i]] += 1
            done += 1
            if feedback is not None and done % step == 0:
                feedback.setProgress(90.0 * min(done / total, 1.0))
                if feedback.isCanceled():
                    return None
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
