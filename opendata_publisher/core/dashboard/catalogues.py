"""Read-only catalogue readers: the organisations of a portal and their public datasets.

One reader per portal type, all giving :class:`~.model.PortalOrganisation` and :class:`~.model.PortalDataset`:

- udata: ``GET /api/1/organizations/`` and ``/api/1/organizations/{id}/datasets/`` (paged with ``next_page``);
  resources carry their ``schema {name, version, url}``;
- CKAN: ``organization_list`` and ``package_search?fq=owner_org:…`` (paged with ``start``); without a search
  index (``package_search`` answers 500), ``package_list`` + ``package_show``; schema from the resource's or
  dataset's ``schema`` / ``conforms_to`` field or extra;
- Opendatasoft: the Explore API v2.1 catalogue (``/api/explore/v2.1/catalog/datasets``, paged with
  ``offset``); the organisation is the dataset's publisher (``metas.default.publisher``), the schema its DCAT
  ``conforms_to``;
- the local publication folder: ``<folder>/<dataset>/manifest.json`` (title, dates, licence, schema) and the
  publisher and frequency of ``metadata/dcat-ap.jsonld``.

All HTTP goes through :mod:`opendata_publisher.toolbelt.network` (QGIS network stack), anonymously: the
dashboard reads what the public sees. Answers are cached on disk (``<cache>/dashboard/``) for
``max_age_s`` seconds so that the dialog and a nightly run do not hammer the portal; ``refresh`` ignores it.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional
from urllib.parse import quote, urlencode

from ...toolbelt import network
from ...toolbelt.network import NetworkError
from ..portals.base import PortalConnection, PortalError
from .freshness import parse_date
from .model import PortalDataset, PortalOrganisation, PortalResource

PAGE_SIZE = 100
MAX_PAGES = 200  # a safety net against a portal that pages forever
DEFAULT_MAX_AGE_S = 3600


class Cancelled(Exception):
    """The agent cancelled the measure."""


class CatalogueReader:
    """Base of the readers: cached JSON GETs with cancel; subclasses list organisations and datasets."""

    portal_type = ""

    def __init__(
        self,
        connection: PortalConnection,
        cache_dir: Optional[Path] = None,
        max_age_s: int = DEFAULT_MAX_AGE_S,
        refresh: bool = False,
        feedback=None,
    ):
        self.connection = connection
        self.base = (connection.base_url or "").rstrip("/")
        self.cache_dir = Path(cache_dir) / "dashboard" if cache_dir else None
        self.max_age_s = max_age_s
        self.refresh = refresh
        self.feedback = feedback
        self.requests = 0  # answers fetched from the portal (not from the cache)

    # -- HTTP ------------------------------------------------------------------------------------------

    def _check_cancel(self) -> None:
        if self.feedback is not None and self.feedback.isCanceled():
            raise Cancelled()

    def _cache_path(self, url: str) -> Optional[Path]:
        if self.cache_dir is None:
            return None
        return self.cache_dir / (hashlib.sha1(url.encode("utf-8")).hexdigest() + ".json")

    def get_json(self, url: str) -> Any:
        self._check_cancel()
        path = self._cache_path(url)
        fresh_copy = path is not None and not self.refresh and path.is_file()
        if fresh_copy and time.time() - path.stat().st_mtime <= self.max_age_s:
            try:
                return json.loads(path.read_text(encoding="utf-8"))
            except ValueError:
                pass
        try:
            body = network.fetch_bytes(url, headers={"Accept": "application/json"}, feedback=self.feedback)
        except NetworkError as exc:
            if exc.kind == "cancelled":
                raise Cancelled() from exc
            raise PortalError(
                f"Lecture du catalogue impossible ({self.connection.name or self.base}) : {exc}", kind="network"
            ) from exc
        self.requests += 1
        try:
            data = json.loads(body.decode("utf-8-sig"))
        except ValueError as exc:
            raise PortalError(
                f"Le portail {self.base} n'a pas renvoyé du JSON pour {url} : vérifiez l'adresse de la connexion "
                "(elle doit être la racine du portail).",
                kind="invalid",
            ) from exc
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(data), encoding="utf-8")
            except OSError:
                pass  # no cache is not a failure
        return data

    # -- what subclasses answer --------------------------------------------------------------------------

    def organisations(self) -> List[PortalOrganisation]:
        raise NotImplementedError

    def datasets(self, organisation: PortalOrganisation) -> List[PortalDataset]:
        raise NotImplementedError


# --- udata ------------------------------------------------------------------------------------------------


class UdataCatalogue(CatalogueReader):
    portal_type = "udata"

    def _pages(self, url: str) -> Iterator[Dict[str, Any]]:
        for _ in range(MAX_PAGES):
            data = self.get_json(url)
            yield from data.get("data") or []
            url = data.get("next_page") or ""
            if not url:
                return

    def organisations(self) -> List[PortalOrganisation]:
        url = f"{self.base}/api/1/organizations/?page_size={PAGE_SIZE}"
        return [
            PortalOrganisation(
                id=str(o["id"]),
                name=str(o.get("name") or ""),
                slug=str(o.get("slug") or ""),
                url=str(o.get("page") or ""),
            )
            for o in self._pages(url)
        ]

    def datasets(self, organisation: PortalOrganisation) -> List[PortalDataset]:
        url = f"{self.base}/api/1/organizations/{quote(organisation.id)}/datasets/?page_size={PAGE_SIZE}"
        result = []
        for item in self._pages(url):
            if item.get("private") or item.get("deleted") or item.get("archived"):
                continue
            resources = []
            for res in item.get("resources") or []:
                schema = res.get("schema") or {}
                resources.append(
                    PortalResource(
                        title=str(res.get("title") or ""),
                        url=str(res.get("url") or ""),
                        format=str(res.get("format") or "").lower(),
                        schema_ref=str(schema.get("name") or schema.get("url") or ""),
                        schema_version=str(schema.get("version") or ""),
                        size=res.get("filesize") if isinstance(res.get("filesize"), int) else None,
                    )
                )
            result.append(
                PortalDataset(
                    id=str(item.get("id")),
                    title=str(item.get("title") or ""),
                    organisation_id=organisation.id,
                    url=str(item.get("page") or ""),
                    last_update=parse_date(item.get("last_update") or item.get("last_modified")),
                    frequency=str(item.get("frequency") or ""),
                    licence=str(item.get("license") or ""),
                    tags=[str(t) for t in item.get("tags") or []],
                    resources=resources,
                )
            )
        return result


# --- CKAN -------------------------------------------------------------------------------------------------


def _extras(item: Dict[str, Any]) -> Dict[str, str]:
    return {str(e.get("key")): str(e.get("value") or "") for e in item.get("extras") or [] if isinstance(e, dict)}


def _first(*values) -> str:
    for value in values:
        if isinstance(value, list):
            value = value[0] if value else ""
        if isinstance(value, dict):
            value = value.get("name") or value.get("url") or value.get("uri") or ""
        if value:
            return str(value)
    return ""


class CkanCatalogue(CatalogueReader):
    portal_type = "ckan"

    def action(self, name: str, **params) -> Any:
        query = urlencode(params)
        data = self.get_json(f"{self.base}/api/3/action/{name}" + (f"?{query}" if query else ""))
        if not isinstance(data, dict) or not data.get("success"):
            raise PortalError(f"Le portail CKAN {self.base} a refusé {name}.", kind="invalid")
        return data.get("result")

    def organisations(self) -> List[PortalOrganisation]:
        # all_fields without the dataset count: answered from the database, no search index needed
        items = self.action("organization_list", all_fields="true", include_dataset_count="false", limit=1000) or []
        result = []
        for org in items:
            if not isinstance(org, dict):
                org = {"id": org, "name": org}
            name = str(org.get("name") or org.get("id"))
            result.append(
                PortalOrganisation(
                    id=str(org.get("id") or name),
                    name=str(org.get("title") or name),
                    slug=name,
                    url=f"{self.base}/organization/{quote(name)}",
                )
            )
        return result

    def _packages(self, organisation: PortalOrganisation) -> List[Dict[str, Any]]:
        try:
            packages: List[Dict[str, Any]] = []
            for page in range(MAX_PAGES):
                result = self.action(
                    "package_search", fq=f"owner_org:{organisation.id}", rows=PAGE_SIZE, start=page * PAGE_SIZE
                )
                batch = result.get("results") or []
                packages.extend(batch)
                if len(packages) >= int(result.get("count") or 0) or not batch:
                    return packages
            return packages
        except PortalError as exc:
            if exc.kind == "cancelled":
                raise
        # no search index on this CKAN: every dataset from the database (read once), kept when it is the
        # organisation's
        if getattr(self, "_every_package", None) is None:
            self._every_package = [
                self.action("package_show", id=name) or {} for name in self.action("package_list") or []
            ]
        return [p for p in self._every_package if p.get("owner_org") == organisation.id]

    def datasets(self, organisation: PortalOrganisation) -> List[PortalDataset]:
        result = []
        for item in self._packages(organisation):
            if item.get("private") or item.get("state", "active") != "active":
                continue
            extras = _extras(item)
            resources = []
            for res in item.get("resources") or []:
                resources.append(
                    PortalResource(
                        title=str(res.get("name") or ""),
                        url=str(res.get("url") or ""),
                        format=str(res.get("format") or "").lower(),
                        schema_ref=_first(res.get("schema"), res.get("conforms_to")),
                        schema_version=_first(res.get("schema_version")),
                        size=res.get("size") if isinstance(res.get("size"), int) else None,
                    )
                )
            result.append(
                PortalDataset(
                    id=str(item.get("id")),
                    title=str(item.get("title") or item.get("name") or ""),
                    organisation_id=organisation.id,
                    url=f"{self.base}/dataset/{quote(str(item.get('name') or item.get('id')))}",
                    last_update=parse_date(item.get("metadata_modified")),
                    frequency=_first(item.get("frequency"), extras.get("frequency"), extras.get("accrual_periodicity")),
                    licence=str(item.get("license_id") or ""),
                    tags=[str(t.get("name")) for t in item.get("tags") or [] if isinstance(t, dict)],
                    schema_ref=_first(
                        item.get("schema"), item.get("conforms_to"), extras.get("schema"), extras.get("conforms_to")
                    ),
                    schema_version=_first(item.get("schema_version"), extras.get("schema_version")),
                    resources=resources,
                )
            )
        return result


# --- Opendatasoft -----------------------------------------------------------------------------------------


class OdsCatalogue(CatalogueReader):
    """An Opendatasoft domain: organisations are the datasets' publishers."""

    portal_type = "opendatasoft"

    def _all(self) -> List[Dict[str, Any]]:
        if getattr(self, "_cache_all", None) is None:
            items: List[Dict[str, Any]] = []
            for page in range(MAX_PAGES):
                url = f"{self.base}/api/explore/v2.1/catalog/datasets?limit={PAGE_SIZE}&offset={page * PAGE_SIZE}"
                data = self.get_json(url)
                batch = data.get("results") or []
                items.extend(batch)
                if not batch or len(items) >= int(data.get("total_count") or 0):
                    break
            self._cache_all = items
        return self._cache_all

    @staticmethod
    def _publisher(item: Dict[str, Any]) -> str:
        default = (item.get("metas") or {}).get("default") or {}
        return str(default.get("publisher") or "").strip()

    def organisations(self) -> List[PortalOrganisation]:
        names = sorted({self._publisher(i) for i in self._all() if self._publisher(i)})
        return [PortalOrganisation(id=n, name=n, slug=n) for n in names]

    def datasets(self, organisation: PortalOrganisation) -> List[PortalDataset]:
        result = []
        for item in self._all():
            if self._publisher(item) != organisation.id:
                continue
            metas = item.get("metas") or {}
            default = metas.get("default") or {}
            dcat = metas.get("dcat") or {}
            dataset_id = str(item.get("dataset_id") or "")
            result.append(
                PortalDataset(
                    id=dataset_id,
                    title=str(default.get("title") or dataset_id),
                    organisation_id=organisation.id,
                    url=f"{self.base}/explore/dataset/{quote(dataset_id)}/",
                    last_update=parse_date(default.get("data_processed") or default.get("modified")),
                    frequency=_first(dcat.get("accrualperiodicity")),
                    licence=str(default.get("license") or ""),
                    tags=[str(k) for k in default.get("keyword") or []],
                    schema_ref=_first(dcat.get("conforms_to")),
                    resources=[
                        PortalResource(
                            title=f"{dataset_id}.csv",
                            url=f"{self.base}/api/explore/v2.1/catalog/datasets/{quote(dataset_id)}/exports/csv",
                            format="csv",
                        )
                    ],
                )
            )
        return result


# --- local publication folder -----------------------------------------------------------------------------


class FolderCatalogue(CatalogueReader):
    """The local publication folder: one organisation per publisher named in the DCAT-AP files."""

    portal_type = "folder"

    def _entries(self) -> List[Dict[str, Any]]:
        if getattr(self, "_cache_entries", None) is None:
            root = Path(self.base).expanduser()
            entries = []
            for manifest_path in sorted(root.glob("*/manifest.json")) if root.is_dir() else []:
                self._check_cancel()
                try:
                    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue
                publisher, frequency = _dcat_publisher_frequency(manifest_path.parent / "metadata" / "dcat-ap.jsonld")
                entries.append(
                    {
                        "folder": manifest_path.parent,
                        "manifest": manifest,
                        "publisher": publisher,
                        "frequency": frequency,
                    }
                )
            self._cache_entries = entries
        return self._cache_entries

    def organisations(self) -> List[PortalOrganisation]:
        names = sorted({e["publisher"] for e in self._entries() if e["publisher"]})
        return [PortalOrganisation(id=n, name=n, slug=n) for n in names]

    def datasets(self, organisation: PortalOrganisation) -> List[PortalDataset]:
        result = []
        for entry in self._entries():
            if entry["publisher"] != organisation.id:
                continue
            manifest = entry["manifest"]
            schema = manifest.get("schema") or {}
            licence = manifest.get("licence") or {}
            folder: Path = entry["folder"]
            resources = [
                PortalResource(
                    title=str(f.get("path")),
                    url=(folder / str(f.get("path"))).resolve().as_uri(),
                    format=str(f.get("format") or "").lower(),
                    size=f.get("size") if isinstance(f.get("size"), int) else None,
                )
                for f in manifest.get("files") or []
                if f.get("role") in (None, "", "donnees", "data")
                and str(f.get("format") or "").lower() in ("csv", "geojson", "gpkg", "shp.zip", "json")
            ]
            result.append(
                PortalDataset(
                    id=str(manifest.get("dataset") or folder.name),
                    title=str(manifest.get("title") or folder.name),
                    organisation_id=organisation.id,
                    url=folder.resolve().as_uri(),
                    last_update=parse_date(manifest.get("updated")),
                    frequency=entry["frequency"],
                    licence=str(licence.get("id") or "") if isinstance(licence, dict) else str(licence),
                    schema_ref=str(schema.get("name") or ""),
                    schema_version=str(schema.get("version") or ""),
                    resources=resources,
                )
            )
        return result


def _as_list(value) -> list:
    return value if isinstance(value, list) else ([] if value is None else [value])


def _dcat_publisher_frequency(path: Path):
    """(publisher name, frequency URI) of a DCAT-AP JSON-LD file written by the plugin, else ("", "")."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "", ""
    nodes = data.get("@graph") if isinstance(data, dict) and "@graph" in data else _as_list(data)
    nodes = [n for n in nodes if isinstance(n, dict)]
    by_id = {n.get("@id"): n for n in nodes}
    publisher, frequency = "", ""
    for node in nodes:
        types = [str(t) for t in _as_list(node.get("@type"))]
        if not any(t in ("dcat:Dataset", "http://www.w3.org/ns/dcat#Dataset") for t in types):
            continue
        for prop in ("dct:publisher", "dct:creator"):
            for agent in _as_list(node.get(prop)):
                if not isinstance(agent, dict):
                    continue
                agent = by_id.get(agent.get("@id"), agent)
                for name in _as_list(agent.get("foaf:name")):
                    text = name.get("@value") if isinstance(name, dict) else name
                    if text and not publisher:
                        publisher = str(text)
        for periodicity in _as_list(node.get("dct:accrualPeriodicity")):
            if isinstance(periodicity, dict) and periodicity.get("@id"):
                frequency = str(periodicity["@id"])
    return publisher, frequency


READERS = {"udata": UdataCatalogue, "ckan": CkanCatalogue, "opendatasoft": OdsCatalogue, "folder": FolderCatalogue}


def reader_for(connection: PortalConnection, **kwargs) -> CatalogueReader:
    reader_class = READERS.get((connection.portal_type or "").lower())
    if reader_class is None:
        raise PortalError(f"Type de portail inconnu « {connection.portal_type} » pour le tableau de bord.")
    return reader_class(connection, **kwargs)
