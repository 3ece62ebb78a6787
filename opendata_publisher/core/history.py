"""Publication history of a layer.

Each publication adds one entry (date ISO, portal type, connection, dataset and resource URLs, schema name and
version, who, warnings accepted with « publier quand même ») in two places of the layer, both saved with the
project:

- the layer's metadata history (``QgsLayerMetadata.history()``), as a French line starting with
  :data:`HISTORY_PREFIX`, readable in QGIS's metadata tab and exported with the metadata;
- the custom property :data:`PUBLISH_HISTORY_PROPERTY` (JSON list), read back by :func:`history`.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Optional

from .layer_properties import PUBLISH_HISTORY_PROPERTY
from .text import json_list_property

HISTORY_PREFIX = "[opendata_publisher:publish]"

PORTAL_NAMES = {
    "udata": "data.gouv.fr",
    "opendatasoft": "Opendatasoft",
    "ckan": "CKAN",
    "folder": "dossier local",
}


def make_entry(
    portal_type: str,
    connection_name: str,
    dataset_url: str,
    resource_urls: Optional[Dict[str, str]] = None,
    schema_name: str = "",
    schema_version: str = "",
    accepted_warnings: Iterable[str] = (),
    user: str = "",
    date: str = "",
    created: bool = False,
    feature_count: Optional[int] = None,
    title: str = "",
    licence: str = "",
    formats: Optional[List[str]] = None,
) -> Dict[str, Any]:
    """One history entry (plain JSON-able dict)."""
    from .legal.checklist import current_user

    if not date:
        import datetime

        date = datetime.datetime.now().astimezone().replace(microsecond=0).isoformat()
    return {
        "date": date,
        "portal_type": portal_type,
        "connection": connection_name,
        "dataset_url": dataset_url,
        "resource_urls": dict(resource_urls or {}),
        "schema_name": schema_name,
        "schema_version": schema_version,
        "user": user or current_user(),
        "accepted_warnings": list(accepted_warnings),
        "created": bool(created),
        # what the review before the next publication compares with (« Quoi de neuf »)
        "feature_count": feature_count,
        "title": title,
        "licence": licence,
        "formats": list(formats or []),
    }


def history_line(entry: Dict[str, Any]) -> str:
    """The French line written in the metadata history."""
    portal = PORTAL_NAMES.get(entry.get("portal_type", ""), entry.get("portal_type", ""))
    action = "créé" if entry.get("created") else "mis à jour"
    text = (
        f"{HISTORY_PREFIX} {entry.get('date', '')} — {entry.get('user', '')} — jeu de données {action} sur {portal} "
        f"(connexion « {entry.get('connection', '')} ») : {entry.get('dataset_url', '')}"
    )
    resources = entry.get("resource_urls") or {}
    if resources:
        text += " ; fichiers : " + ", ".join(f"{fmt} {url}" for fmt, url in resources.items())
    if entry.get("schema_name"):
        text += f" ; schéma {entry['schema_name']} {entry.get('schema_version', '')}".rstrip()
    accepted = entry.get("accepted_warnings") or []
    if accepted:
        text += f" ; publié malgré {len(accepted)} avertissement{'s' if len(accepted) > 1 else ''} : " + " | ".join(
            accepted
        )
    return text


def _read(layer) -> List[Dict[str, Any]]:
    return json_list_property(layer, PUBLISH_HISTORY_PROPERTY)


def record(layer, entry: Dict[str, Any]) -> None:
    """Add ``entry`` to the layer (metadata history line + custom property). Main thread."""
    metadata = layer.metadata()
    metadata.addHistoryItem(history_line(entry))
    layer.setMetadata(metadata)
    entries = _read(layer)
    entries.append(entry)
    layer.setCustomProperty(PUBLISH_HISTORY_PROPERTY, json.dumps(entries, ensure_ascii=False))


def history(layer) -> List[Dict[str, Any]]:
    """The layer's publications, oldest first."""
    return _read(layer)


def history_lines(layer) -> List[str]:
    """The publication lines of the layer's metadata history."""
    return [h for h in layer.metadata().history() if str(h).startswith(HISTORY_PREFIX)]
