"""Licences: what the chooser offers, plain-French explanations, recognition of free text, and the
translation to each portal's identifiers.

Pure Python (no QGIS). Licences are identified by the ``id`` of ``metadata/licences.json`` (the SPDX id
when there is one: ``etalab-2.0``, ``ODbL-1.0``, ``CC-BY-4.0``…).

API for the licence chooser::

    licence_choices(description=None) -> List[LicenceChoice]
        # LO 2.0 first (default, recommended), ODbL (needs a justification; ``suggested`` when the lineage,
        # attribution or history mentions OpenStreetMap), then the others (``needs_homologation``, with
        # a French ``warning``). ``LicenceChoice.entry`` is the raw JSON entry.
    licence_entry(licence_id) -> dict | None
    recognise_licence(text) -> dict | None      # "Licence Ouverte v2.0", "ODbL", an URL, "lov2"…
    mentions_openstreetmap(description) -> bool
    apply_licence(description, licence_id)      # sets licence + licence_url (+ default attribution)

Per portal::

    udata_licence_id(licence_id, portal_licences=None) -> str | None
        # data.gouv.fr id ("lov2"); when the portal's /api/1/datasets/licenses/ list is given, the id is
        # checked against it (matching id, title, alternate titles, URLs — like data.gouv.fr does)
    ckan_licence_id(licence_id, portal_licences=None) -> str | None
    match_portal_licence(licence_id, portal_licences) -> dict | None
        # generic: the item of a portal's own list (Opendatasoft domain licences: {"id"/"license_id",
        # "label"/"title"/"name", "url"}, CKAN license_list, udata list) that is the same licence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional

from ..text import fold_words as _norm
from . import vocabulary
from .model import DatasetDescription

HOMOLOGATION_WARNING = (
    "Cette licence ne figure pas sur la liste des licences que peut utiliser une administration (article D323-2-1 "
    "du CRPA). Elle n'est possible qu'après homologation par l'État (article D323-2-2) : indiquez la référence de "
    "l'homologation, sinon choisissez la Licence Ouverte 2.0."
)
ODBL_NOTE = (
    "L'ODbL oblige les réutilisateurs à repartager sous ODbL toute base dérivée. Indiquez en une phrase pourquoi "
    "ce choix (par exemple « données dérivées d'OpenStreetMap »)."
)
OSM_SUGGESTION = (
    "La généalogie, l'attribution ou l'historique mentionne OpenStreetMap : une base dérivée d'OpenStreetMap doit "
    "être diffusée sous ODbL."
)


@dataclass
class LicenceChoice:
    id: str
    label: str  # French title
    short_label: str
    explanation: str  # plain French, for the agent
    url: str
    default: bool = False
    recommended: bool = False
    needs_justification: bool = False
    needs_homologation: bool = False
    suggested: bool = False
    warning: str = ""
    entry: Optional[Dict[str, Any]] = None


def _norm_url(url: Any) -> str:
    text = str(url or "").strip().lower()
    text = re.sub(r"^https?://", "", text)
    text = re.sub(r"^www\.", "", text)
    return text.rstrip("/")


def licence_entry(licence_id: Optional[str]) -> Optional[Dict[str, Any]]:
    """The entry of ``metadata/licences.json`` for an id (case-insensitive; also SPDX, udata or CKAN ids)."""
    if not licence_id:
        return None
    wanted = str(licence_id).strip().lower()
    for entry in vocabulary.licences():
        for key in ("id", "spdx", "udata_id", "ckan_id"):
            value = entry.get(key)
            if value and str(value).lower() == wanted:
                return entry
    return None


def mentions_openstreetmap(description: DatasetDescription) -> bool:
    """True when the lineage, attribution or history mentions OpenStreetMap (or OSM)."""
    texts = [description.lineage, description.attribution, *description.history]
    return any(re.search(r"openstreetmap|\bosm\b", _norm(t)) for t in texts if t)


def licence_choices(description: Optional[DatasetDescription] = None) -> List[LicenceChoice]:
    """The licences the chooser offers, in order: LO 2.0 (default), ODbL, then those needing homologation.

    The obsolete Licence Ouverte 1.0 and « non spécifiée » are left out (they can still be read).
    """
    osm = mentions_openstreetmap(description) if description is not None else False
    result = []
    for entry in vocabulary.licences():
        kind = entry.get("choice")
        if kind not in ("default", "justify", "homologation"):
            continue
        choice = LicenceChoice(
            id=entry["id"],
            label=entry["title_fr"],
            short_label=entry["short_fr"],
            explanation=entry["explanation_fr"],
            url=entry.get("url") or "",
            default=kind == "default",
            recommended=bool(entry.get("recommended")),
            needs_justification=kind == "justify",
            needs_homologation=kind == "homologation",
            entry=entry,
        )
        if kind == "justify":
            choice.warning = ODBL_NOTE
            choice.suggested = osm
        elif kind == "homologation":
            choice.warning = HOMOLOGATION_WARNING
        result.append(choice)
    order = {"default": 0, "justify": 1, "homologation": 2}
    result.sort(key=lambda c: order[c.entry.get("choice")])
    return result


def recognise_licence(text: Optional[str]) -> Optional[Dict[str, Any]]:
    """The licence meant by a free text typed in QGIS's metadata tab (or read from a portal).

    Matches, in this order: ids (our id, SPDX, udata, CKAN), URLs, titles and alternate titles (accents,
    case and punctuation ignored), then a title contained in the text ("Licence : Licence Ouverte v2.0
    (Etalab)"). Returns the ``licences.json`` entry or None.
    """
    if not text or not str(text).strip():
        return None
    raw = str(text).strip()
    entry = licence_entry(raw)
    if entry:
        return entry
    entries = vocabulary.licences()
    url = _norm_url(raw)
    for entry in entries:
        urls = [entry.get("url"), entry.get("dcat_uri"), *entry.get("match", {}).get("urls", [])]
        if url in {_norm_url(u) for u in urls if u}:
            return entry
    for entry in entries:  # an URL inside a longer text
        for candidate in [entry.get("url"), *entry.get("match", {}).get("urls", [])]:
            if candidate and _norm_url(candidate) in raw.lower():
                return entry
    norm = _norm(raw)
    for entry in entries:
        titles = [entry.get("title_fr"), entry.get("short_fr"), *entry.get("match", {}).get("titles", [])]
        if norm in {_norm(t) for t in titles if t}:
            return entry
    best = None
    best_len = 0
    for entry in entries:  # longest title contained in the text wins ("Licence Ouverte 1.0" vs "Licence Ouverte")
        titles = [entry.get("title_fr"), *entry.get("match", {}).get("titles", [])]
        for title in titles:
            t = _norm(title)
            if len(t) >= 4 and re.search(rf"(^| ){re.escape(t)}( |$)", norm) and len(t) > best_len:
                best, best_len = entry, len(t)
    return best


def apply_licence(description: DatasetDescription, licence_id: str) -> None:
    """Set the licence id and URL; fill a default attribution (producer + last update) when there is none."""
    entry = licence_entry(licence_id) or recognise_licence(licence_id)
    if entry is None:
        description.licence = licence_id
        return
    description.licence = entry["id"]
    description.licence_url = entry.get("url") or ""
    if not description.attribution and entry.get("attribution") and description.producer.name:
        description.attribution = description.producer.name


def _portal_matches(entry: Dict[str, Any], item: Dict[str, Any]) -> bool:
    ids = {str(entry.get(k)).lower() for k in ("id", "spdx", "udata_id", "ckan_id") if entry.get(k)}
    titles = {_norm(t) for t in [entry.get("title_fr"), entry.get("short_fr"), *entry["match"]["titles"]] if t}
    urls = {_norm_url(u) for u in [entry.get("url"), entry.get("dcat_uri"), *entry["match"]["urls"]] if u}
    item_ids = [item.get(k) for k in ("id", "license_id", "code")]
    if any(v and str(v).lower() in ids for v in item_ids):
        return True
    item_titles = [item.get(k) for k in ("title", "label", "name")] + list(item.get("alternate_titles") or [])
    if any(t and _norm(t) in titles for t in item_titles):
        return True
    item_urls = [item.get("url"), item.get("license_url"), *list(item.get("alternate_urls") or [])]
    return any(u and _norm_url(u) in urls for u in item_urls)


def match_portal_licence(licence_id: str, portal_licences: Iterable[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """The item of a portal's licence list that is our licence ``licence_id``, or None.

    Works on the lists of udata (``/api/1/datasets/licenses/``: id, title, alternate_titles, url,
    alternate_urls), CKAN (``license_list``: id, title, url) and Opendatasoft domains (id or license_id,
    label/title/name, url). Matching is on ids, then titles, then URLs.
    """
    entry = licence_entry(licence_id) or recognise_licence(licence_id)
    if entry is None:
        return None
    for item in portal_licences or []:
        if isinstance(item, dict) and _portal_matches(entry, item):
            return item
    return None


def udata_licence_id(licence_id: str, portal_licences: Optional[Iterable[Dict[str, Any]]] = None) -> Optional[str]:
    """data.gouv.fr licence id ("lov2", "odc-odbl"…); None if unknown or absent from the given portal list."""
    entry = licence_entry(licence_id) or recognise_licence(licence_id)
    if entry is None:
        return None
    if portal_licences is None:
        return entry.get("udata_id")
    item = match_portal_licence(entry["id"], portal_licences)
    return str(item.get("id")) if item and item.get("id") else None


def ckan_licence_id(licence_id: str, portal_licences: Optional[Iterable[Dict[str, Any]]] = None) -> Optional[str]:
    """CKAN ``license_id``; CKAN has no Etalab licence by default: pass the instance's list to find it."""
    entry = licence_entry(licence_id) or recognise_licence(licence_id)
    if entry is None:
        return None
    if portal_licences is not None:
        item = match_portal_licence(entry["id"], portal_licences)
        return str(item.get("id")) if item and item.get("id") else None
    return entry.get("ckan_id")
