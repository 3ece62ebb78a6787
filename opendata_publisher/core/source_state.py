"""Publication settings kept with a layer's data source, for when there is no saved project.

A layer published from ``qgis_process`` (or from an unsaved project) loses its custom properties when
QGIS closes: the schema chosen, the field mapping, the legal acknowledgements and checklist, the description
and the reference of the dataset it was published to would be lost, and the next publication would check
nothing and create a second dataset. What the agent decided therefore also travels with the data:

- in a GeoPackage, in its metadata tables (``gpkg_metadata`` + ``gpkg_metadata_reference``, where QGIS and
  GDAL keep layer metadata), one record per table, ``md_standard_uri`` = :data:`GPKG_STANDARD_URI`,
  ``mime_type`` ``application/json``;
- beside any other file, in a sidecar ``<file name>.opendata_publisher.json`` (as QGIS keeps ``.qmd``
  metadata beside a file), one entry per layer of the file.

::

    write_state(layer, "opendata_publisher/published/udata local", {...})   # one value (atomic write)
    read_state(layer, "opendata_publisher/published/udata local")            # -> the dict, or None
    save_settings(layer)      # every ``opendata_publisher/`` custom property + the layer metadata, dated
    restore_settings(layer)   # the newer of (project, data source) wins; -> French notice, or ""

Only file-based sources qualify (GeoPackage, Shapefile, CSV, GeoJSON…); for others (memory layers,
databases, services) :func:`sidecar_path` is None and the functions do nothing. No secret is ever stored
here: the values are decisions and references on the portal (ids, addresses), never a key.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

from .layer_properties import PREFIX, SETTINGS_SAVED_AT_PROPERTY

SIDECAR_SUFFIX = ".opendata_publisher.json"
FORMAT_VERSION = 1
GPKG_STANDARD_URI = "https://github.com/opendata-publisher/settings"
PROPERTY_PREFIX = PREFIX
SAVED_AT_PROPERTY = SETTINGS_SAVED_AT_PROPERTY
SETTINGS_KEY = "settings"
#: per-run, per-machine values that do not travel with the data
_LOCAL_PROPERTIES = {SAVED_AT_PROPERTY}


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
    if not inner and file.suffix.lower() == ".gpkg":
        inner = _single_table(file)
    return file, inner


def sidecar_path(layer) -> Optional[Path]:
    file, _inner = source_file(layer)
    return file.with_name(file.name + SIDECAR_SUFFIX) if file is not None else None


def _is_geopackage(file: Path, inner: str) -> bool:
    return file.suffix.lower() == ".gpkg" and bool(inner)


# ------------------------------------------------------------------ GeoPackage metadata tables


def tables_of(file: Path):
    """The feature and attribute tables of a GeoPackage ([] when unreadable)."""
    try:
        connection = sqlite3.connect(f"file:{file}?mode=ro", uri=True, timeout=2)
        try:
            rows = connection.execute(
                "SELECT table_name FROM gpkg_contents WHERE data_type IN ('features', 'attributes') ORDER BY table_name"
            ).fetchall()
        finally:
            connection.close()
    except sqlite3.Error:
        return []
    return [str(row[0]) for row in rows]


def _single_table(file: Path) -> str:
    """The table of a GeoPackage opened without a layer name (a GeoPackage with one table)."""
    tables = tables_of(file)
    return tables[0] if len(tables) == 1 else ""


_GPKG_TABLES = (
    "CREATE TABLE IF NOT EXISTS gpkg_metadata (id INTEGER CONSTRAINT m_pk PRIMARY KEY ASC NOT NULL, "
    "md_scope TEXT NOT NULL DEFAULT 'dataset', md_standard_uri TEXT NOT NULL, "
    "mime_type TEXT NOT NULL DEFAULT 'text/xml', metadata TEXT NOT NULL DEFAULT '')",
    "CREATE TABLE IF NOT EXISTS gpkg_metadata_reference (reference_scope TEXT NOT NULL, table_name TEXT, "
    "column_name TEXT, row_id_value INTEGER, timestamp DATETIME NOT NULL DEFAULT "
    "(strftime('%Y-%m-%dT%H:%M:%fZ','now')), md_file_id INTEGER NOT NULL, md_parent_id INTEGER, "
    "CONSTRAINT crmr_mfi_fk FOREIGN KEY (md_file_id) REFERENCES gpkg_metadata(id), "
    "CONSTRAINT crmr_mpi_fk FOREIGN KEY (md_parent_id) REFERENCES gpkg_metadata(id))",
)
_FIND = (
    "SELECT m.id, m.metadata FROM gpkg_metadata m JOIN gpkg_metadata_reference r ON r.md_file_id = m.id "
    "WHERE m.md_standard_uri = ? AND r.reference_scope = 'table' AND lower(r.table_name) = lower(?)"
)


def _gpkg_read(file: Path, table: str) -> Optional[Dict[str, Any]]:
    """Our record for ``table``, {} when there is none, None when the file cannot be read."""
    try:
        connection = sqlite3.connect(f"file:{file}?mode=ro", uri=True, timeout=5)
        try:
            try:
                row = connection.execute(_FIND, (GPKG_STANDARD_URI, table)).fetchone()
            except sqlite3.OperationalError:  # no metadata table yet
                return {}
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    if row is None:
        return {}
    try:
        data = json.loads(row[1])
    except (TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _gpkg_write(file: Path, table: str, entry: Dict[str, Any]) -> bool:
    text = json.dumps(entry, ensure_ascii=False, sort_keys=True)
    try:
        connection = sqlite3.connect(str(file), timeout=10)
    except sqlite3.Error:
        return False
    try:
        with connection:  # one transaction: the record is written whole or not at all
            for statement in _GPKG_TABLES:
                connection.execute(statement)
            has_extensions = connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'gpkg_extensions'"
            ).fetchone()[0]
            if has_extensions:
                for name in ("gpkg_metadata", "gpkg_metadata_reference"):
                    known = connection.execute(
                        "SELECT count(*) FROM gpkg_extensions WHERE table_name = ? AND extension_name = "
                        "'gpkg_metadata'",
                        (name,),
                    ).fetchone()[0]
                    if not known:
                        connection.execute(
                            "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, "
                            "scope) VALUES (?, NULL, 'gpkg_metadata', "
                            "'http://www.geopackage.org/spec120/#extension_metadata', 'read-write')",
                            (name,),
                        )
            row = connection.execute(_FIND, (GPKG_STANDARD_URI, table)).fetchone()
            if row is not None:
                connection.execute("UPDATE gpkg_metadata SET metadata = ? WHERE id = ?", (text, row[0]))
                connection.execute(
                    "UPDATE gpkg_metadata_reference SET timestamp = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
                    "WHERE md_file_id = ?",
                    (row[0],),
                )
            else:
                cursor = connection.execute(
                    "INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) "
                    "VALUES ('dataset', ?, 'application/json', ?)",
                    (GPKG_STANDARD_URI, text),
                )
                connection.execute(
                    "INSERT INTO gpkg_metadata_reference (reference_scope, table_name, md_file_id) "
                    "VALUES ('table', ?, ?)",
                    (table, cursor.lastrowid),
                )
    except sqlite3.Error:
        return False
    finally:
        connection.close()
    return True


# ------------------------------------------------------------------ sidecar


def _load(path: Path) -> Dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _sidecar_entry(file: Path, inner: str) -> Dict[str, Any]:
    path = file.with_name(file.name + SIDECAR_SUFFIX)
    if not path.is_file():
        return {}
    entry = (_load(path).get("layers") or {}).get(inner)
    return entry if isinstance(entry, dict) else {}


def _sidecar_write(file: Path, inner: str, entry: Dict[str, Any]) -> bool:
    path = file.with_name(file.name + SIDECAR_SUFFIX)
    data = _load(path)
    data["format"] = FORMAT_VERSION
    data.setdefault("layers", {})[inner] = entry
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


# ------------------------------------------------------------------ one entry per layer of the file


def read_entry(layer) -> Dict[str, Any]:
    """Everything kept with ``layer``'s data source ({} when nothing, or not a file)."""
    file, inner = source_file(layer)
    if file is None:
        return {}
    if _is_geopackage(file, inner):
        entry = _gpkg_read(file, inner)
        if entry:
            return entry
    return _sidecar_entry(file, inner)  # other files; a GeoPackage from before the metadata record


def write_entry(layer, entry: Dict[str, Any]) -> bool:
    """Replace what is kept with ``layer``'s data source. False when the source is not a file or cannot be
    written (read-only folder or file: the project still keeps the settings when it is saved)."""
    file, inner = source_file(layer)
    if file is None:
        return False
    if _is_geopackage(file, inner):
        return _gpkg_write(file, inner, entry)
    return _sidecar_write(file, inner, entry)


def read_state(layer, key: str) -> Optional[Dict[str, Any]]:
    """The value stored under ``key`` for ``layer``'s data source, or None."""
    value = read_entry(layer).get(key)
    return value if isinstance(value, dict) else None


def write_state(layer, key: str, value: Optional[Dict[str, Any]]) -> bool:
    """Store ``value`` under ``key`` for ``layer``'s data source (None removes it). Atomic (one SQLite
    transaction in a GeoPackage; a temporary file renamed for a sidecar)."""
    if source_file(layer)[0] is None:
        return False
    entry = read_entry(layer)
    if value is None:
        entry.pop(key, None)
    else:
        entry[key] = value
    settings = entry.get(SETTINGS_KEY)
    if isinstance(settings, dict) and isinstance(settings.get("properties"), dict):
        # the dated settings carry the same value: a published reference is never older there
        properties = settings["properties"]
        if value is None:
            properties.pop(key, None)
        else:
            properties[key] = json.dumps(value, ensure_ascii=False)
    return write_entry(layer, entry)


# ------------------------------------------------------------------ the agent's decisions, dated


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def layer_settings(layer) -> Dict[str, Any]:
    """What the agent decided for ``layer``: its ``opendata_publisher/`` custom properties (schema, field
    mapping, legal acknowledgements and checklist, licence confirmation, published references, history,
    last check results) and its QGIS metadata (description, licence) as XML."""
    from .metadata.layer_metadata import metadata_xml

    properties = {}
    for key in layer.customPropertyKeys():
        key = str(key)
        if key.startswith(PROPERTY_PREFIX) and key not in _LOCAL_PROPERTIES:
            value = layer.customProperty(key)
            properties[key] = value if isinstance(value, (str, int, float, bool)) else str(value or "")
    return {"properties": properties, "metadata": metadata_xml(layer.metadata())}


def has_settings(layer) -> bool:
    """True when the layer (or its data source) carries publication settings: decisions made with this plugin
    (a schema, a published reference…) or a description saved by it with the data. A layer that only has
    QGIS metadata (a basemap of the project) does not."""
    stored = read_entry(layer).get(SETTINGS_KEY)
    if isinstance(stored, dict) and (stored.get("properties") or _described(str(stored.get("metadata") or ""))):
        return True
    return any(str(k).startswith(PROPERTY_PREFIX) and str(k) != SAVED_AT_PROPERTY for k in layer.customPropertyKeys())


def _described(xml: str) -> bool:
    """True when a stored QGIS metadata document has a title."""
    start = xml.find("<title>")
    return start >= 0 and xml.find("</title>") > start + len("<title>")


def save_settings(layer) -> bool:
    """Write the layer's settings with its data source, dated now (and the date in the layer, so that the
    project knows which is newer). False when the source cannot hold them."""
    if source_file(layer)[0] is None:
        return False
    entry = read_entry(layer)
    settings = layer_settings(layer)
    previous = entry.get(SETTINGS_KEY) if isinstance(entry.get(SETTINGS_KEY), dict) else {}
    if _same(previous, settings) and previous.get("saved_at"):
        stamp = str(previous["saved_at"])  # nothing changed: the date stays (the newer-wins rule needs it)
    else:
        stamp = _now()
        settings["saved_at"] = stamp
        entry[SETTINGS_KEY] = settings
        if not write_entry(layer, entry):
            return False
    if str(layer.customProperty(SAVED_AT_PROPERTY, "") or "") != stamp:
        layer.setCustomProperty(SAVED_AT_PROPERTY, stamp)
    return True


def _same(stored: Dict[str, Any], current: Dict[str, Any]) -> bool:
    return (stored.get("properties") or {}) == current["properties"] and _metadata_equal(
        str(stored.get("metadata") or ""), current["metadata"]
    )


def _metadata_equal(left: str, right: str) -> bool:
    return " ".join(left.split()) == " ".join(right.split())


def restore_settings(layer) -> str:
    """Bring the layer and its data source in step; the newer wins when they disagree:

    - settings written with the data after the layer last read or wrote them (a headless publication,
      another project) are applied to the layer, and the returned French notice tells the agent;
    - settings changed in the layer since (the dock writes at once; a script may not) are written with the
      data;
    - a layer that never met its data source's settings (a layer just opened without a project, a project
      from an older version) takes them, its own values for the same keys prevailing.

    Returns "" when the agent need not be told."""
    if source_file(layer)[0] is None:
        return ""
    stored = read_entry(layer).get(SETTINGS_KEY)
    current = layer_settings(layer)
    if not isinstance(stored, dict) or not (stored.get("properties") or _described(str(stored.get("metadata") or ""))):
        if current["properties"] or _has_description(layer):
            save_settings(layer)  # first time: the project's settings now travel with the data
        return ""
    source_date = str(stored.get("saved_at") or "")
    layer_date = str(layer.customProperty(SAVED_AT_PROPERTY, "") or "")
    if _same(stored, current):
        if layer_date != source_date:
            layer.setCustomProperty(SAVED_AT_PROPERTY, source_date)
        return ""
    if not layer_date:
        own = current["properties"]
        merged = dict(stored, properties=dict(stored.get("properties") or {}, **own))
        if _has_description(layer):
            merged["metadata"] = current["metadata"]
        _apply(layer, merged)
        if own or _has_description(layer):
            save_settings(layer)
        return ""
    if layer_date >= source_date:
        save_settings(layer)
        return ""
    _apply(layer, stored)
    return (
        f"Les réglages de publication enregistrés avec les données de « {layer.name()} » "
        f"({_local(source_date)}) sont plus récents que ceux du projet et ne sont pas les mêmes : ce sont eux qui "
        "s'appliquent (schéma, correspondance des champs, description, contrôle juridique, jeu de données publié)."
    )


def _has_description(layer) -> bool:
    metadata = layer.metadata()
    return bool(metadata.title().strip() or metadata.abstract().strip())


def _local(stamp: str) -> str:
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return stamp or "date inconnue"


def _apply(layer, stored: Dict[str, Any]) -> None:
    from qgis.core import QgsLayerMetadata
    from qgis.PyQt.QtXml import QDomDocument

    properties = stored.get("properties") or {}
    for key in list(layer.customPropertyKeys()):
        key = str(key)
        if key.startswith(PROPERTY_PREFIX) and key not in _LOCAL_PROPERTIES and key not in properties:
            layer.removeCustomProperty(key)
    for key, value in properties.items():
        if str(key).startswith(PROPERTY_PREFIX) and layer.customProperty(key) != value:
            layer.setCustomProperty(key, value)
    text = str(stored.get("metadata") or "")
    if text and not _metadata_equal(text, layer_settings(layer)["metadata"]):
        document = QDomDocument("qgis")
        document.setContent(text)
        metadata = QgsLayerMetadata()
        if metadata.readMetadataXml(document.documentElement()):
            layer.setMetadata(metadata)
    layer.setCustomProperty(SAVED_AT_PROPERTY, str(stored.get("saved_at") or ""))
