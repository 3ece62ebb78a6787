"""Each layer's last check and last legal analysis, kept in the layer's custom properties (issue 11).

So that a layer checked and analysed earlier still says « Vérifier — conforme » / « Contrôle juridique — aucun
obstacle » after the agent worked on other layers, and after the project is saved and opened again. A result
records its date, what it covered (schema and version, all features or a selection, number of features) and a
signature of the data; when the layer changed since (features, fields, file on disk, unsaved edits), the result
is *stale*: the step list says so and asks to check again.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any, Optional

from .layer_properties import LAST_CHECK_PROPERTY, LAST_LEGAL_PROPERTY


def _geopackage_last_change(path: str, source: str) -> Optional[str]:
    """``gpkg_contents.last_change`` of the layer's table: GDAL updates it when features are written, not when
    QGIS stores the description in the GeoPackage (the file's own date changes then)."""
    import sqlite3
    from urllib.parse import quote

    table = ""
    for option in source.split("|")[1:]:
        key, _, value = option.partition("=")
        if key.strip().lower() == "layername":
            table = value.strip()
    try:
        connection = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True, timeout=1)
        try:
            if table:
                rows = connection.execute(
                    "SELECT last_change FROM gpkg_contents WHERE lower(table_name) = lower(?)", (table,)
                ).fetchall()
            else:
                rows = connection.execute("SELECT last_change FROM gpkg_contents ORDER BY table_name").fetchall()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return ";".join(str(row[0]) for row in rows) if rows else None


def layer_signature(layer) -> str:
    """A short fingerprint of the layer's data: feature count, field names and types, and when its file was
    last written (GeoPackage: the table's ``last_change``; other files: size and date). It changes when the
    data changes, not when only its description is saved."""
    parts = [str(int(layer.featureCount()))]
    parts += [f"{f.name()}:{f.typeName()}" for f in layer.fields()]
    source = str(layer.source())
    path = source.split("|", 1)[0]
    if path.startswith("file://"):
        path = path[len("file://") :].split("?", 1)[0]
    if path and os.path.isfile(path):
        changed = _geopackage_last_change(path, source) if path.lower().endswith(".gpkg") else None
        if changed is None:
            stat = os.stat(path)
            changed = f"{stat.st_size}:{int(stat.st_mtime)}"
        parts.append(changed)
    return hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()[:16]


@dataclass
class StepResult:
    """What a check or a legal analysis found, and when."""

    date: str  # ISO 8601, UTC
    signature: str
    errors: int = 0
    warnings: int = 0
    features: int = 0
    schema: str = ""  # owner/slug@version, or a path / URL (check only)
    schema_title: str = ""
    selected_only: bool = False
    blocked: bool = False  # legal only
    to_confirm: int = 0  # legal only
    extra: dict = field(default_factory=dict)

    def local_date(self) -> str:
        """« 04/12/2026 » in the agent's time zone ("" when unreadable)."""
        try:
            return datetime.fromisoformat(self.date).astimezone().strftime("%d/%m/%Y")
        except ValueError:
            return ""

    def is_stale(self, layer) -> bool:
        """True when the layer changed since (or has unsaved edits)."""
        if layer.isEditable() and layer.isModified():
            return True
        return self.signature != layer_signature(layer)


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _write(layer, key: str, result: StepResult) -> StepResult:
    layer.setCustomProperty(key, json.dumps(asdict(result), ensure_ascii=False))
    return result


def _read(layer, key: str) -> Optional[StepResult]:
    raw = layer.customProperty(key, "") if layer is not None else ""
    if not raw:
        return None
    try:
        data: Any = json.loads(str(raw))
        known = {k: v for k, v in data.items() if k in StepResult.__dataclass_fields__}
        return StepResult(**known)
    except (ValueError, TypeError, AttributeError):
        return None


def record_check(layer, report, reference: str = "", selected_only: bool = False) -> Optional[StepResult]:
    """Keep the result of a finished check of ``layer`` (a cancelled check is not kept)."""
    if layer is None or report is None or getattr(report, "cancelled", False):
        return None
    version = getattr(report, "schema_version", "") or ""
    name = getattr(report, "schema_name", "") or ""
    result = StepResult(
        date=_now(),
        signature=layer_signature(layer),
        errors=int(report.error_count),
        warnings=int(report.warning_count),
        features=int(getattr(report, "feature_count", 0) or 0),
        schema=reference or (f"{name}@{version}" if version else name),
        schema_title=getattr(report, "schema_title", "") or "",
        selected_only=bool(selected_only),
    )
    return _write(layer, LAST_CHECK_PROPERTY, result)


def last_check(layer) -> Optional[StepResult]:
    return _read(layer, LAST_CHECK_PROPERTY)


def record_legal(layer, report, gate) -> Optional[StepResult]:
    """Keep the result of a finished legal analysis of ``layer`` with its gate (blocked, points to confirm)."""
    if layer is None or report is None or gate is None or getattr(report, "cancelled", False):
        return None
    result = StepResult(
        date=_now(),
        signature=layer_signature(layer),
        errors=int(getattr(report, "blocking_count", 0) or 0),
        features=int(getattr(report, "feature_count", 0) or 0),
        blocked=bool(gate.blocked),
        to_confirm=len(gate.needs_ack),
    )
    return _write(layer, LAST_LEGAL_PROPERTY, result)


def last_legal(layer) -> Optional[StepResult]:
    return _read(layer, LAST_LEGAL_PROPERTY)
