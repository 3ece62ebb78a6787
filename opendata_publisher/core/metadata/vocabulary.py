"""The shared vocabulary, read from the project's own JSON files in ``metadata/``.

Pure Python (no QGIS). The folder is ``<plugin folder>/metadata/`` in the packaged plugin and
``<repository root>/metadata/`` in the source tree; :func:`vocabulary_dir` tries both.

Every list is a list of dicts as stored in the JSON (see the ``_about`` block of each file)::

    licences()            # id, spdx, title_fr, short_fr, summary_fr, explanation_fr, url, dcat_uri, udata_id,
                          # ckan_id, scdl_catalogue, choice, allowed_for_administration, share_alike, match…
    frequencies()         # code (EU), uri, label_fr, udata_id, iso19139, scdl_catalogue
    eu_themes()           # code, uri, label_fr, label_en
    inspire_themes()      # code, uri, label_fr, label_en
    iso_categories()      # code, uri, label_fr, label_en
    languages()           # code (EU, "FRA"), uri, iso639_1 ("fr"), iso639_2b ("fre"), label_fr, label_en
    territory()           # kind ("epci" | "commune"), code (SIREN | INSEE), name, udata_zone, verified
    field_mappings()      # field name -> {qgis, dcat_ap, iso19139, datagouv, opendatasoft, ckan, scdl_catalogue}

``by_code(items, code)`` finds one entry (case-insensitive on ``code``/``id``); ``choices(items)`` gives
``(code, label_fr)`` pairs for a combo box.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

_PACKAGE_DIR = Path(__file__).resolve().parents[2]  # .../opendata_publisher


class VocabularyError(Exception):
    """The vocabulary folder or one of its files is missing or unreadable (French message)."""


def _candidates() -> List[Path]:
    return [_PACKAGE_DIR / "metadata", _PACKAGE_DIR.parent / "metadata"]


def vocabulary_dir() -> Path:
    """``<plugin>/metadata`` when packaged, else ``<repo root>/metadata``."""
    for candidate in _candidates():
        if (candidate / "licences.json").is_file():
            return candidate
    raise VocabularyError(
        "Le vocabulaire des métadonnées (dossier « metadata » de l'extension) est introuvable. "
        "Réinstallez l'extension « Données ouvertes »."
    )


@cache
def load_file(name: str) -> Dict[str, Any]:
    """The decoded JSON file ``metadata/<name>`` (cached)."""
    path = vocabulary_dir() / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise VocabularyError(
            f"Le fichier de vocabulaire « {name} » est illisible ({exc}). Réinstallez l'extension « Données ouvertes »."
        ) from exc


def _items(name: str) -> List[Dict[str, Any]]:
    return [dict(item) for item in load_file(name).get("items", [])]


def licences() -> List[Dict[str, Any]]:
    return _items("licences.json")


def frequencies() -> List[Dict[str, Any]]:
    return _items("frequencies.json")


def frequency_short_list() -> List[str]:
    """EU frequency codes suggested first to agents."""
    return list(load_file("frequencies.json").get("_about", {}).get("short_list", []))


def eu_themes() -> List[Dict[str, Any]]:
    return _items("eu-themes.json")


def inspire_themes() -> List[Dict[str, Any]]:
    return _items("inspire-themes.json")


def iso_categories() -> List[Dict[str, Any]]:
    return _items("iso-topic-categories.json")


def languages() -> List[Dict[str, Any]]:
    return _items("languages.json")


def territory() -> List[Dict[str, Any]]:
    return _items("territory.json")


def field_mappings() -> Dict[str, Dict[str, str]]:
    return dict(load_file("field-mappings.json").get("fields", {}))


def by_code(items: List[Dict[str, Any]], code: Optional[str]) -> Optional[Dict[str, Any]]:
    """The entry whose ``code`` (or ``id``) equals ``code``, ignoring case; also matches the ``uri``."""
    if not code:
        return None
    wanted = str(code).strip().lower()
    for item in items:
        for key in ("code", "id", "uri"):
            value = item.get(key)
            if isinstance(value, str) and value.lower() == wanted:
                return item
    return None


def choices(items: List[Dict[str, Any]]) -> List[Tuple[str, str]]:
    """``(code, label_fr)`` pairs in file order, for a combo box."""
    return [(str(i.get("code") or i.get("id")), str(i.get("label_fr") or i.get("title_fr") or "")) for i in items]


def language_from_any(text: Optional[str]) -> Optional[Dict[str, Any]]:
    """The language entry for an EU code ("FRA"), ISO 639-1 ("fr"), 639-2/B ("fre"), URI or French label."""
    if not text:
        return None
    wanted = str(text).strip().lower()
    for item in languages():
        values = [item.get("code"), item.get("uri"), item.get("iso639_1"), item.get("iso639_2b"), item.get("label_fr")]
        values += [item.get("label_en")]
        if wanted in {str(v).lower() for v in values if v}:
            return item
    return None


def territory_area(code: str) -> Optional[Dict[str, Any]]:
    """The territory entry (commune or EPCI) for an INSEE code or a SIREN."""
    return by_code(territory(), code)
