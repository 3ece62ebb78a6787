"""Publication state kept with a layer's data source, for when there is no saved project.

A layer published from ``qgis_process`` (or from an unsaved project) loses its custom properties when
QGIS closes: the reference of the dataset it was published to would be lost, and the next publication
would create a second dataset. The state is therefore also written next to the data file, in a sidecar
``<file name>.opendata_publisher.json`` (as QGIS keeps ``.qmd`` metadata beside a file), one entry per
layer of the file (a GeoPackage holds several)::

    write_state(layer, "published/udata local", {...})   # atomic write (temporary file, then rename)
    read_state(layer, "published/udata local")            # -> the dict, or None

Only file-based sources have a sidecar (GeoPackage, Shapefile, CSV, GeoJSON…); for others (memory layers,
databases, services) :func:`sidecar_path` is None and the functions do nothing. No secret is ever stored
here: the values are references on the portal (ids, addresses). Reused for other per-source state
(schema, mapping…) under other keys.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

SIDECAR_SUFFIX = ".opendata_publisher.json"
FORMAT_VERSION = 1


def source_file(layer) -> Tuple[Optional[Path], str]:
    """``(data file, layer name inside it)`` of a file-based layer, ``(None, "")`` otherwise."""
    try:
        from qgis.core import QgsProviderRegistry

        provider = layer.providerType()
        parts = QgsProviderRegistry.instance().decodeUri(provider, layer.source())
    except Exception:  # noqa: BLE001 - a layer without a decodable source has no sidecar
        return None, ""
    path = str(parts.get("path") or "")
    if not path or provider not in ("ogr", "delimitedtext", "spatialite"):
        return None, ""
    file = Path(path.replace("file://", "", 1) if path.startswith("file://") else path)
    if not file.is_file():
        return None, ""
    inner = str(parts.get("layerName") or parts.get("layerId") or "")
    return file, inner


def sidecar_path(layer) -> Optional[Path]:
    file, _inner = source_file(layer)
    return file.with_name(file.name + SIDECAR_SUFFIX) if file is not None else None


def _load(path: Path) -> Dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def read_state(layer, key: str) -> Optional[Dict[str, Any]]:
    """The value stored under ``key`` for ``layer``'s data source, or None."""
    path = sidecar_path(layer)
    if path is None or not path.is_file():
        return None
    _file, inner = source_file(layer)
    value = ((_load(path).get("layers") or {}).get(inner) or {}).get(key)
    return value if isinstance(value, dict) else None


def write_state(layer, key: str, value: Optional[Dict[str, Any]]) -> bool:
    """Store ``value`` under ``key`` for ``layer``'s data source (None removes it). Atomic: the sidecar is
    written to a temporary file in the same folder, then renamed. False when the source has no sidecar or
    the folder is read-only (the project still keeps the state when it is saved)."""
    path = sidecar_path(layer)
    if path is None:
        return False
    _file, inner = source_file(layer)
    data = _load(path)
    data["format"] = FORMAT_VERSION
    layers = data.setdefault("layers", {})
    entry = layers.setdefault(inner, {})
    if value is None:
        entry.pop(key, None)
    else:
        entry[key] = value
    try:
        handle, temp = tempfile.mkstemp(prefix=".odp-", suffix=".tmp", dir=str(path.parent))
    except OSError:
        return False
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, ensure_ascii=False, indent=1, sort_keys=True)
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        return False
    return True
