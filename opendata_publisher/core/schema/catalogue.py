"""Client of the schema.data.gouv.fr catalogue, with a disk cache, and schema loader.

Pure Python (stdlib only). The network is reached through a *fetcher*: a
callable ``fetcher(url) -> bytes`` that raises an exception with a French
message on failure. The default fetcher is
:func:`opendata_publisher.toolbelt.network.fetch_bytes` (QGIS network stack:
proxy, SSL and authentication settings of QGIS apply); it is imported only when
first used, so this module stays importable (and testable) without QGIS.

Catalogue format
----------------
``https://schema.data.gouv.fr/schemas.json``::

    {"$schema": "...", "version": 1, "schemas": [
        {"name": "etalab/schema-stationnement", "title": "...", "description": "...",
         "schema_type": "tableschema" | "jsonschema" | "datapackage" | "other",
         "labels": ["Socle Commun des Données Locales", ...], "homepage": "...",
         "versions": [{"version_name": "0.1.5", "schema_url": "https://…/0.1.5/schema.json"}, ...],
         "schema_url": "https://…/latest/schema.json", ...}, ...]}

Only ``tableschema`` entries are listed by :meth:`SchemaCatalogue.entries`.

Disk cache layout (``cache_dir`` is chosen by the caller, e.g. the plugin's
cache folder setting; it can be seeded by copying files into place)::

    <cache_dir>/catalogue/schemas.json        the catalogue exactly as downloaded
    <cache_dir>/catalogue/meta.json           {"url": "<catalogue url>", "fetched_at": "<ISO 8601 UTC>"}
                                              (optional: without it the file's date is used and the
                                              catalogue is accepted whatever its URL)
    <cache_dir>/schemas/<owner>/<slug>/<version>/schema.json
                                              one catalogue schema, e.g.
                                              schemas/etalab/schema-stationnement/0.1.5/schema.json
                                              ("latest" is always resolved to a version number first)
    <cache_dir>/urls/<sha1 of the URL>.json   a schema loaded from an http(s) URL
                                              (sha1 of the URL string, UTF-8, hex digest)

Files are UTF-8 (a BOM is tolerated when reading) and written atomically
(temporary file in the same folder, then ``os.replace``). A cache file that
cannot be read or decoded is ignored and fetched again; a cache that cannot be
written is skipped silently (the data is still returned).

Cache policy: a cached catalogue is used until ``entries(refresh=True)``;
catalogue schema versions are immutable and always served from the cache once
fetched; URL schemas are fetched each time and the cached copy is used only when
the network fails. When the network fails and a cached copy exists, it is used
and ``SchemaCatalogue.offline`` is set to ``True`` (``cached_at`` tells when the
copy was downloaded).
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple, Union
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

from opendata_publisher.core.schema.model import SchemaError, TableSchema, parse_schema
from opendata_publisher.core.schema.reference import CATALOGUE, URL, is_catalogue_name, parse_reference
from opendata_publisher.core.text import fold
from opendata_publisher.errors import UserFacingError

DEFAULT_CATALOGUE_URL = "https://schema.data.gouv.fr/schemas.json"
#: snapshot of the catalogue and of the SCDL schemas shipped with the plugin (``make catalogue-snapshot``), in the
#: layout of the disk cache: the first check works with no network; the live catalogue and the cache win when newer
SNAPSHOT_DIR = Path(__file__).resolve().parents[2] / "resources" / "catalogue"
SCDL_LABEL = "Socle Commun des Données Locales"
TABLESCHEMA = "tableschema"

Fetcher = Callable[[str], bytes]

_SCHEMA_TYPE_LABELS = {
    "jsonschema": "un schéma JSON (fichiers GeoJSON ou JSON)",
    "datapackage": "un ensemble de schémas (Data Package)",
    "other": "un schéma d'un autre format (par exemple YAML)",
}
_SAFE_PART_RE = re.compile(r"[^A-Za-z0-9_.\-+]")


class CatalogueError(UserFacingError):
    """The catalogue or a schema could not be obtained. The message is French
    and user-facing: it says what is wrong and what to do."""


@dataclass
class CatalogueEntry:
    """One Table Schema of the catalogue."""

    name: str  # "owner/slug", e.g. "etalab/schema-stationnement"
    title: str
    description: str = ""
    labels: List[str] = field(default_factory=list)
    versions: List[str] = field(default_factory=list)  # newest first
    is_scdl: bool = False
    schema_type: str = TABLESCHEMA
    homepage: str = ""
    schema_urls: Dict[str, str] = field(default_factory=dict)  # version -> schema_url
    latest_url: str = ""

    @property
    def slug(self) -> str:
        return self.name.split("/", 1)[-1]

    @property
    def latest_version(self) -> str:
        """The newest version number, or "" when the catalogue lists none."""
        return self.versions[0] if self.versions else ""

    @property
    def label(self) -> str:
        """What to show an agent: "Title (owner/slug)"."""
        return f"{self.title} ({self.name})" if self.title else self.name


# --------------------------------------------------------------------------- helpers


def version_key(version: str) -> Tuple:
    """Sort key of a version name: semantic order (0.10.0 > 0.9.1), a release
    after its pre-releases (1.0.0 > 1.0.0-rc1), unparsable names lowest."""
    text = str(version).strip()
    match = re.match(r"^[vV]?(\d+(?:\.\d+)*)(.*)$", text)
    if not match:
        return (0, (), 0, text)
    numbers = tuple(int(part) for part in match.group(1).split("."))
    numbers = numbers + (0,) * (4 - len(numbers)) if len(numbers) < 4 else numbers
    rest = match.group(2).lstrip("-.+_ ")
    return (1, numbers, 0 if rest else 1, rest)


def sort_versions(versions: List[str]) -> List[str]:
    """Newest first, duplicates removed."""
    unique = list(dict.fromkeys(str(v) for v in versions))
    return sorted(unique, key=version_key, reverse=True)


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _parse_datetime(value: Any) -> Optional[datetime]:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _atomic_write(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically. Returns False (never raises) when
    the cache cannot be written."""
    tmp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=str(path.parent), prefix=".tmp-", suffix=".part", delete=False) as tmp:
            tmp_name = tmp.name
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, str(path))
        return True
    except OSError:
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
        return False


def _read_bytes(path: Path) -> Optional[bytes]:
    try:
        return path.read_bytes()
    except OSError:
        return None


_JSON_MESSAGES = (
    ("Expecting property name enclosed in double quotes", 'nom de propriété entre guillemets droits (") attendu'),
    ("Expecting ',' delimiter", "virgule attendue"),
    ("Expecting ':' delimiter", "deux-points attendus"),
    ("Expecting value", "valeur attendue (texte vide, virgule en trop ou valeur non JSON)"),
    ("Unterminated string starting at", "texte commencé mais jamais fermé (guillemet fermant manquant)"),
    ("Invalid control character at", "caractère de contrôle interdit dans un texte"),
    ("Invalid \\escape", "séquence d'échappement « \\ » invalide"),
    ("Invalid \\uXXXX escape", "séquence « \\u » invalide"),
    ("Extra data", "contenu en trop après la fin du document JSON"),
)


def _french_json_error(error: json.JSONDecodeError) -> str:
    for english, french in _JSON_MESSAGES:
        if error.msg.startswith(english):
            return french
    return error.msg


def decode_json_bytes(data: bytes, source: str) -> Any:
    """Decode UTF-8 JSON (BOM tolerated). Raises :class:`SchemaError` with a
    French message naming the position of the error."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SchemaError(
            f"Le fichier de schéma « {source} » n'est pas encodé en UTF-8 (octet illisible à la position "
            f"{exc.start + 1}). Enregistrez-le en UTF-8 depuis votre éditeur de texte, ou téléchargez-le à nouveau."
        ) from None
    if not text.strip():
        raise SchemaError(
            f"Le fichier de schéma « {source} » est vide. "
            "Téléchargez à nouveau le schema.json ou choisissez un autre fichier."
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SchemaError(
            f"Le fichier de schéma « {source} » n'est pas un JSON valide : {_french_json_error(exc)}, "
            f"ligne {exc.lineno}, colonne {exc.colno}. "
            "Corrigez-le à cet endroit dans un éditeur de texte, ou téléchargez à nouveau le schema.json d'origine."
        ) from None
    except RecursionError:
        raise SchemaError(
            f"Le fichier de schéma « {source} » est imbriqué trop profondément pour être lu (ce n'est pas un "
            "schéma Table Schema). Choisissez le schema.json d'origine."
        ) from None


def _parse_schema_bytes(data: bytes, source: str) -> TableSchema:
    return parse_schema(decode_json_bytes(data, source), source=source)


def _default_fetcher(url: str) -> bytes:
    from opendata_publisher.toolbelt.network import fetch_bytes  # lazy: needs QGIS

    return fetch_bytes(url)


def _default_location() -> Tuple[str, Path]:
    """Catalogue URL and cache folder of the plugin settings when QGIS is
    there, else the public catalogue and ``~/.cache/opendata_publisher``."""
    try:
        from opendata_publisher.toolbelt.settings import PluginSettings  # lazy: needs QGIS

        settings = PluginSettings.load()
        return settings.catalogue_url or DEFAULT_CATALOGUE_URL, settings.cache_directory(create=False)
    except Exception:  # noqa: BLE001 - no QGIS, or settings unreadable
        return DEFAULT_CATALOGUE_URL, Path.home() / ".cache" / "opendata_publisher"


def default_catalogue(fetcher: Optional[Fetcher] = None) -> SchemaCatalogue:
    """The catalogue of the plugin settings (URL and cache folder)."""
    url, cache_dir = _default_location()
    return SchemaCatalogue(url, cache_dir, fetcher)


def _error_text(exc: BaseException) -> str:
    text = str(exc).strip()
    return text or exc.__class__.__name__


# --------------------------------------------------------------------------- catalogue


class SchemaCatalogue:
    """The schema.data.gouv.fr catalogue (or any catalogue of the same format).

    ``offline`` is True when the last answer came from the disk cache because
    the network failed; ``cached_at`` (aware UTC datetime or None) is when the
    catalogue in use was downloaded.
    """

    def __init__(
        self,
        url: str,
        cache_dir: Union[Path, str],
        fetcher: Optional[Fetcher] = None,
        snapshot_dir: Optional[Union[Path, str]] = SNAPSHOT_DIR,
    ):
        """``snapshot_dir``: the catalogue snapshot shipped with the plugin (None: no snapshot)."""
        self.url = url or DEFAULT_CATALOGUE_URL
        self.cache_dir = Path(cache_dir)
        self.snapshot_dir = Path(snapshot_dir) if snapshot_dir is not None else None
        self.fetcher: Fetcher = fetcher or _default_fetcher
        self.offline = False
        self.from_snapshot = False  # the catalogue in use is the snapshot shipped with the plugin
        self.cached_at: Optional[datetime] = None
        self._entries: Optional[List[CatalogueEntry]] = None
        self._other_types: Dict[str, str] = {}

    # ----------------------------------------------------------------- paths

    @property
    def catalogue_path(self) -> Path:
        return self.cache_dir / "catalogue" / "schemas.json"

    @property
    def meta_path(self) -> Path:
        return self.cache_dir / "catalogue" / "meta.json"

    def schema_cache_path(self, name: str, version: str) -> Path:
        parts = [_safe_part(p) for p in name.split("/")] + [_safe_part(version)]
        return self.cache_dir.joinpath("schemas", *parts, "schema.json")

    def url_cache_path(self, url: str) -> Path:
        return self.cache_dir / "urls" / (hashlib.sha1(url.encode("utf-8")).hexdigest() + ".json")

    # ----------------------------------------------------------------- catalogue

    def entries(self, refresh: bool = False) -> List[CatalogueEntry]:
        """Table Schemas of the catalogue: SCDL first, then by title."""
        if self._entries is not None and not refresh:
            return list(self._entries)
        if not refresh and self._newest_local() == self.cache_dir:
            cached = self._load_cached_catalogue()
            if cached is not None:
                self.offline = False
                return list(cached)
        try:
            data = self.fetcher(self.url)
        except Exception as exc:  # noqa: BLE001 - any fetcher failure: fall back to the cache or the snapshot
            cached = self._load_local_catalogue()
            if cached is not None:
                self.offline = True
                return list(cached)
            raise CatalogueError(
                f"Impossible de télécharger le catalogue des schémas ({self.url}) : {_error_text(exc)}\n"
                "Vérifiez votre connexion à Internet (ou le proxy dans Préférences › Options › Réseau de QGIS) "
                "et l'adresse du catalogue dans les options de l'extension, puis réessayez. "
                "Vous pouvez aussi choisir un fichier schema.json sur votre ordinateur."
            ) from exc
        try:
            entries = self._build(data)
        except CatalogueError:
            cached = self._load_local_catalogue()
            if cached is not None:
                self.offline = True
                return list(cached)
            raise
        now = _utc_now()
        self.from_snapshot = False
        if _atomic_write(self.catalogue_path, bytes(data)):
            meta = {"url": self.url, "fetched_at": now.isoformat(timespec="seconds")}
            _atomic_write(self.meta_path, json.dumps(meta, ensure_ascii=False, indent=2).encode("utf-8"))
        self.offline = False
        self.cached_at = now
        self._entries = entries
        return list(entries)

    def _local_meta(self, base: Path) -> Tuple[Optional[datetime], Dict[str, Any]]:
        """The date and the meta.json of the catalogue copy kept under ``base`` (cache or snapshot)."""
        meta: Dict[str, Any] = {}
        meta_bytes = _read_bytes(base / "catalogue" / "meta.json")
        if meta_bytes is not None:
            try:
                loaded = json.loads(meta_bytes.decode("utf-8-sig"))
                if isinstance(loaded, dict):
                    meta = loaded
            except (UnicodeDecodeError, ValueError):
                meta = {}
        dated = _parse_datetime(meta.get("fetched_at"))
        if dated is None:
            try:
                dated = datetime.fromtimestamp((base / "catalogue" / "schemas.json").stat().st_mtime, timezone.utc)
            except OSError:
                dated = None
        return dated, meta

    def _local_bases(self) -> List[Path]:
        """Where a copy of this catalogue is kept (cache, snapshot shipped with the plugin), newest first."""
        found = []
        for base in (self.cache_dir, self.snapshot_dir):
            if base is None or not (base / "catalogue" / "schemas.json").is_file():
                continue
            dated, meta = self._local_meta(base)
            url = meta.get("url")
            if isinstance(url, str) and url and url != self.url:
                continue  # a copy of another catalogue
            found.append((dated or datetime.min.replace(tzinfo=timezone.utc), base is self.cache_dir, base))
        found.sort(key=lambda item: (item[0], item[1]), reverse=True)  # same date: the cache first
        return [base for _date, _is_cache, base in found]

    def _newest_local(self) -> Optional[Path]:
        bases = self._local_bases()
        return bases[0] if bases else None

    def _load_local_catalogue(self) -> Optional[List[CatalogueEntry]]:
        """The newest readable copy: the cache, or the snapshot shipped with the plugin."""
        for base in self._local_bases():
            entries = self._load_cached_catalogue(base)
            if entries is not None:
                return entries
        return None

    def _load_cached_catalogue(self, base: Optional[Path] = None) -> Optional[List[CatalogueEntry]]:
        base = self.cache_dir if base is None else base
        data = _read_bytes(base / "catalogue" / "schemas.json")
        if data is None:
            return None
        cached_at, meta = self._local_meta(base)
        cached_url = meta.get("url")
        if isinstance(cached_url, str) and cached_url and cached_url != self.url:
            return None  # the cache holds another catalogue
        try:
            entries = self._build(data)
        except CatalogueError:
            return None  # corrupted cache: ignored, fetched again
        self.cached_at = cached_at
        self.from_snapshot = base == self.snapshot_dir
        self._entries = entries
        return entries

    def _build(self, data: bytes) -> List[CatalogueEntry]:
        unreadable = CatalogueError(
            f"Le catalogue des schémas reçu de {self.url} est illisible (ce n'est pas un catalogue au format "
            "schema.data.gouv.fr). Vérifiez l'adresse du catalogue dans les options de l'extension "
            f"(par défaut {DEFAULT_CATALOGUE_URL}), puis réessayez."
        )
        try:
            document = json.loads(bytes(data).decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, TypeError):
            raise unreadable from None
        schemas = document.get("schemas") if isinstance(document, dict) else None
        if not isinstance(schemas, list):
            raise unreadable
        entries: List[CatalogueEntry] = []
        other_types: Dict[str, str] = {}
        seen = set()
        for item in schemas:
            if not isinstance(item, dict):
                continue
            name = item.get("name")
            if not isinstance(name, str) or "/" not in name.strip():
                continue
            name = name.strip()
            schema_type = str(item.get("schema_type") or "")
            if schema_type != TABLESCHEMA:
                other_types[name] = schema_type
                continue
            if name in seen:
                continue
            seen.add(name)
            entries.append(_entry_from_item(name, item))
        entries.sort(key=lambda e: (not e.is_scdl, fold(e.title) or fold(e.name), e.name.casefold()))
        self._other_types = other_types
        return entries

    # ----------------------------------------------------------------- lookup

    def find(self, name: str) -> CatalogueEntry:
        """The entry named ``name`` ("owner/slug"); the slug alone is accepted
        when only one entry has it ("schema-stationnement", even "stationnement")."""
        wanted = str(name or "").strip()
        entries = self.entries()
        for entry in entries:
            if entry.name == wanted:
                return entry
        folded = wanted.casefold()
        matches = [e for e in entries if e.name.casefold() == folded]
        if "/" not in wanted:
            if not matches:
                matches = [e for e in entries if e.slug.casefold() == folded]
            if not matches:
                matches = [e for e in entries if e.slug.casefold() == "schema-" + folded]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            names = ", ".join(e.name for e in matches)
            raise CatalogueError(
                f"« {wanted} » désigne plusieurs schémas du catalogue : {names}. "
                "Indiquez le nom complet (propriétaire/schéma), par exemple « " + matches[0].name + " »."
            )
        other_type = self._other_types.get(wanted) or next(
            (
                t
                for n, t in self._other_types.items()
                if n.casefold() == folded or n.split("/", 1)[-1].casefold() == folded
            ),
            None,
        )
        if other_type is not None:
            kind = _SCHEMA_TYPE_LABELS.get(other_type, f"de type « {other_type} »")
            raise CatalogueError(
                f"Le schéma « {wanted} » du catalogue est {kind}, pas un schéma tabulaire (Table Schema) : "
                "l'extension ne sait pas encore vérifier une couche avec ce type de schéma. "
                "Choisissez un schéma tabulaire dans la liste."
            )
        raise CatalogueError(self._unknown_message(wanted, entries))

    def _unknown_message(self, wanted: str, entries: List[CatalogueEntry]) -> str:
        candidates: Dict[str, str] = {}
        for entry in entries:
            candidates[entry.name.casefold()] = entry.name
            candidates.setdefault(entry.slug.casefold(), entry.name)
            candidates.setdefault(fold(entry.title), entry.name)
        close = difflib.get_close_matches(wanted.casefold(), list(candidates), n=8, cutoff=0.6)
        if not close:  # "schema-stationnement" -> compare slugs without the usual prefix too
            bare = wanted.casefold().split("/", 1)[-1].replace("schema-", "")
            close = [key for key in candidates if bare and bare in key]
        suggestions = list(dict.fromkeys(candidates[key] for key in close))[:5]
        message = f"Le schéma « {wanted} » n'existe pas dans le catalogue ({self.url})."
        if suggestions:
            message += " Vouliez-vous dire : " + ", ".join(f"« {s} »" for s in suggestions) + " ?"
        message += (
            " Vérifiez l'orthographe (forme « propriétaire/schéma », par exemple « etalab/schema-stationnement ») "
            "ou choisissez le schéma dans la liste du catalogue."
        )
        return message

    def search(self, text: str) -> List[CatalogueEntry]:
        """Entries whose name, title, labels or description contain every word
        of ``text`` (case and accents ignored); name/title matches first."""
        words = fold(text).split()
        entries = self.entries()
        if not words:
            return entries
        first: List[CatalogueEntry] = []
        second: List[CatalogueEntry] = []
        for entry in entries:
            main = fold(entry.name + " " + entry.title)
            full = " ".join([main, fold(" ".join(entry.labels)), fold(entry.description)])
            if all(word in main for word in words):
                first.append(entry)
            elif all(word in full for word in words):
                second.append(entry)
        return first + second

    # ----------------------------------------------------------------- schemas

    def fetch_schema(self, name: str, version: Optional[str] = None, refresh: bool = False) -> TableSchema:
        """The Table Schema ``name`` at ``version`` (None or "latest": the
        newest), from the disk cache when already fetched. Its ``name`` is the
        catalogue's (``owner/slug``, what the portals know it by) when
        schema.json has none or a bare one."""
        schema = self._fetch_schema(name, version, refresh)
        if not schema.name or "/" not in schema.name:
            wanted = str(name or "").strip()
            try:
                schema.name = self.find(wanted).name
            except CatalogueError:  # offline, from the cache: the reference itself when it is owner/slug
                if is_catalogue_name(wanted):
                    schema.name = wanted
        return schema

    def known_schema_url(self, name: str, version: Optional[str] = None) -> str:
        """The schema.json address this catalogue gives for ``name`` at ``version`` (None or "latest": the
        newest), from the catalogue already read, its cache or the snapshot shipped with the plugin: never
        downloads. "" when unknown."""
        entries = self._entries if self._entries is not None else self._load_local_catalogue()
        entry = next((e for e in entries or [] if e.name == name), None)
        if entry is None:
            return ""
        if version and version.casefold() != "latest":
            return entry.schema_urls.get(version, "")
        return entry.latest_url

    def _fetch_schema(self, name: str, version: Optional[str] = None, refresh: bool = False) -> TableSchema:
        if version is not None:
            version = str(version).strip() or None
        try:
            entry = self.find(name)
        except CatalogueError as exc:
            # the catalogue itself cannot be had: a schema fetched earlier is still usable
            local = self._cached_schema_without_catalogue(name, version) if self._entries is None else None
            if local is not None:
                self.offline = True
                return local
            raise exc
        resolved = self._resolve_version(entry, version)
        url = entry.schema_urls.get(resolved) or entry.latest_url
        if not str(url).lower().startswith(("http://", "https://")):
            # a remote catalogue never points the plugin at a local file or a share (file://host/… is SMB)
            raise CatalogueError(
                f"Le catalogue indique pour le schéma « {entry.name} » version {resolved} une adresse qui n'est pas "
                f"une adresse web ({str(url)[:120]}) : elle n'est pas ouverte. Seules les adresses http(s) d'un "
                "catalogue sont suivies ; pour un fichier schema.json sur votre ordinateur, choisissez-le vous-même."
            )
        path = self.schema_cache_path(entry.name, resolved)
        if not refresh:
            cached = self._schema_from_cache(path, url, resolved) or self._schema_from_snapshot(entry, resolved, url)
            if cached is not None:
                _complete(cached, entry, resolved)
                return cached
        try:
            data = self.fetcher(url)
        except Exception as exc:  # noqa: BLE001
            cached = self._schema_from_cache(path, url, resolved) or self._schema_from_snapshot(entry, resolved, url)
            if cached is not None:
                self.offline = True
                return cached
            raise CatalogueError(
                f"Impossible de télécharger le schéma « {entry.name} » version {resolved} ({url}) : "
                f"{_error_text(exc)}\n"
                "Vérifiez votre connexion à Internet, puis réessayez ; ou choisissez une autre version, "
                "ou un fichier schema.json sur votre ordinateur."
            ) from exc
        schema = _parse_schema_bytes(data, url)
        _complete(schema, entry, resolved)
        _atomic_write(path, bytes(data))
        return schema

    def _resolve_version(self, entry: CatalogueEntry, version: Optional[str]) -> str:
        if version is None or version.casefold() == "latest":
            if entry.versions:
                return entry.versions[0]
            if entry.latest_url:
                return "latest"
            raise CatalogueError(
                f"Le catalogue ne donne aucune version téléchargeable du schéma « {entry.name} ». "
                "Choisissez un autre schéma, ou signalez le problème à schema.data.gouv.fr."
            )
        if version in entry.schema_urls:
            return version
        bare = version[1:] if version[:1] in ("v", "V") else version
        if bare in entry.schema_urls:
            return bare
        available = ", ".join(entry.versions) or "aucune"
        raise CatalogueError(
            f"La version « {version} » du schéma « {entry.name} » n'existe pas dans le catalogue. "
            f"Versions disponibles (de la plus récente à la plus ancienne) : {available}. Choisissez l'une d'elles."
        )

    def _schema_from_cache(self, path: Path, source: str, version: str) -> Optional[TableSchema]:
        data = _read_bytes(path)
        if data is None:
            return None
        try:
            schema = _parse_schema_bytes(data, source or str(path))
        except SchemaError:
            return None  # corrupted cache: ignored, fetched again
        if not schema.version and version != "latest":
            schema.version = version
        return schema

    def _schema_from_snapshot(self, entry: CatalogueEntry, version: str, url: str) -> Optional[TableSchema]:
        """The copy shipped with the plugin (a version never changes: it is as good as a download); it is
        copied into the cache like a downloaded schema."""
        if self.snapshot_dir is None or version == "latest":
            return None
        source = self._snapshot_schema_path(entry.name, version)
        schema = self._schema_from_cache(source, url, version)
        if schema is not None:
            data = _read_bytes(source)
            if data is not None:
                _atomic_write(self.schema_cache_path(entry.name, version), data)
        return schema

    def _snapshot_schema_path(self, name: str, version: str) -> Path:
        if self.snapshot_dir is None:
            return self.schema_cache_path(name, version)
        parts = [_safe_part(p) for p in name.split("/")] + [_safe_part(version)]
        return self.snapshot_dir.joinpath("schemas", *parts, "schema.json")

    def _cached_schema_without_catalogue(self, name: str, version: Optional[str]) -> Optional[TableSchema]:
        """A schema fetched earlier (or shipped with the plugin), when the catalogue itself is unavailable."""
        for base in (self.cache_dir, self.snapshot_dir):
            if base is not None:
                schema = self._local_schema_without_catalogue(base, name, version)
                if schema is not None:
                    return schema
        return None

    def _local_schema_without_catalogue(self, base: Path, name: str, version: Optional[str]) -> Optional[TableSchema]:
        wanted = str(name or "").strip()
        if not is_catalogue_name(wanted):
            return None
        folder = base.joinpath("schemas", *[_safe_part(p) for p in wanted.split("/")])
        if version is not None and version.casefold() != "latest":
            candidates = [version]
        else:
            try:
                candidates = sort_versions([p.name for p in folder.iterdir() if p.is_dir()])
            except OSError:
                return None
        for candidate in candidates:
            path = folder / _safe_part(candidate) / "schema.json"
            schema = self._schema_from_cache(path, str(path), candidate)
            if schema is not None:
                return schema
        return None

    # ----------------------------------------------------------------- import

    def import_catalogue(self, source: Union[str, Path]) -> int:
        """Copy a catalogue given as a folder or a .zip file into the cache (« Importer un catalogue… »), for
        computers that never reach schema.data.gouv.fr. Returns the number of schemas imported.

        The folder (or the zip) holds ``schemas.json`` (the catalogue, at its top or in ``catalogue/``) and
        optionally ``schemas/<owner>/<slug>/<version>/schema.json`` files: the layout of the cache and of the
        snapshot shipped with the plugin. Raises :class:`CatalogueError` with a French message."""
        import zipfile

        path = Path(source).expanduser()
        files: Dict[str, bytes] = {}
        try:
            if path.is_dir():
                for item in path.rglob("*.json"):
                    files[item.relative_to(path).as_posix()] = item.read_bytes()
            elif path.is_file() and zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as archive:
                    for info in archive.infolist():
                        if not info.is_dir() and info.filename.lower().endswith(".json"):
                            files[info.filename.replace("\\", "/")] = archive.read(info)
            else:
                raise CatalogueError(
                    f"« {path} » n'est ni un dossier ni un fichier .zip. Choisissez le dossier (ou le .zip) qui "
                    "contient le fichier schemas.json du catalogue."
                )
        except (OSError, zipfile.BadZipFile) as exc:
            raise CatalogueError(
                f"« {path} » ne peut pas être lu ({exc}). Vérifiez le fichier, puis réessayez."
            ) from None
        candidates = sorted(
            (name for name in files if name.rsplit("/", 1)[-1] == "schemas.json"), key=lambda n: n.count("/")
        )
        if not candidates:
            raise CatalogueError(
                f"Aucun fichier schemas.json dans « {path} » : ce n'est pas un catalogue de schémas. Choisissez le "
                "dossier (ou le .zip) qui contient schemas.json, par exemple une copie de "
                f"{DEFAULT_CATALOGUE_URL} faite sur un autre ordinateur."
            )
        catalogue_name = candidates[0]
        root = catalogue_name[: -len("schemas.json")]
        if root.endswith("catalogue/"):
            root = root[: -len("catalogue/")]
        entries = self._build(files[catalogue_name])  # raises a French error when it is not a catalogue
        if not _atomic_write(self.catalogue_path, files[catalogue_name]):
            raise CatalogueError(
                f"Le catalogue ne peut pas être copié dans le dossier de cache {self.cache_dir}. "
                "Choisissez un autre dossier de cache dans les options de l'extension."
            )
        meta = {"url": self.url, "fetched_at": _utc_now().isoformat(timespec="seconds"), "imported_from": str(path)}
        _atomic_write(self.meta_path, json.dumps(meta, ensure_ascii=False, indent=2).encode("utf-8"))
        count = 0
        known = {entry.name for entry in entries}
        for name, data in files.items():
            parts = name[len(root) :].split("/") if name.startswith(root) else []
            if len(parts) != 5 or parts[0] != "schemas" or parts[4] != "schema.json":
                continue
            schema_name = f"{parts[1]}/{parts[2]}"
            if schema_name not in known:
                continue
            try:
                _parse_schema_bytes(data, name)
            except SchemaError:
                continue  # an unreadable schema is not copied; it will be downloaded when possible
            if _atomic_write(self.schema_cache_path(schema_name, parts[3]), data):
                count += 1
        self._entries = entries
        self.cached_at = _utc_now()
        self.offline = False
        self.from_snapshot = False
        return count


def _entry_from_item(name: str, item: Dict[str, Any]) -> CatalogueEntry:
    labels = [str(label).strip() for label in item.get("labels") or [] if isinstance(label, str) and label.strip()]
    schema_urls: Dict[str, str] = {}
    latest_url = item.get("schema_url") if isinstance(item.get("schema_url"), str) else ""
    for version in item.get("versions") or []:
        if not isinstance(version, dict):
            continue
        version_name = version.get("version_name")
        url = version.get("schema_url")
        if not isinstance(version_name, str) or not version_name.strip() or not isinstance(url, str) or not url:
            continue
        version_name = version_name.strip()
        if version_name.casefold() == "latest":  # an alias, not a version
            latest_url = latest_url or url
            continue
        schema_urls[version_name] = url
    versions = sort_versions(list(schema_urls))
    if not latest_url and versions:
        latest_url = schema_urls[versions[0]]
    return CatalogueEntry(
        name=name,
        title=" ".join(str(item.get("title") or "").split()) or name,
        description=str(item.get("description") or "").strip(),
        labels=labels,
        versions=versions,
        is_scdl=any(fold(label) == fold(SCDL_LABEL) for label in labels),
        schema_type=TABLESCHEMA,
        homepage=str(item.get("homepage") or ""),
        schema_urls=schema_urls,
        latest_url=str(latest_url or ""),
    )


def _complete(schema: TableSchema, entry: CatalogueEntry, version: str) -> None:
    if not schema.version and version != "latest":
        schema.version = version
    if not schema.title:
        schema.title = entry.title


def _safe_part(part: str) -> str:
    cleaned = _SAFE_PART_RE.sub("_", str(part).strip())
    if cleaned in ("", ".", ".."):
        cleaned = "_" + cleaned.replace(".", "_")
    return cleaned


# --------------------------------------------------------------------------- loading by reference


def load_schema_file(path: Union[str, Path]) -> TableSchema:
    """Read and parse a local ``schema.json`` (a folder holding one is
    accepted). Raises :class:`SchemaError` with a French message."""
    file_path = Path(path).expanduser()
    if file_path.is_dir():
        file_path = file_path / "schema.json"
    source = str(file_path)
    if file_path.suffix.lower() in (".yml", ".yaml"):
        raise SchemaError(
            f"Le schéma « {source} » est au format YAML, que l'extension ne lit pas. "
            "Choisissez le fichier schema.json (format JSON) du même schéma."
        )
    if not file_path.is_file():
        raise SchemaError(
            f"Le fichier de schéma « {source} » est introuvable. "
            "Vérifiez le chemin (le fichier a peut-être été déplacé ou renommé) et choisissez-le à nouveau."
        )
    try:
        data = file_path.read_bytes()
    except OSError as exc:
        raise SchemaError(
            f"Le fichier de schéma « {source} » ne peut pas être lu ({exc.strerror or exc}). "
            "Vérifiez qu'il n'est pas ouvert dans un autre logiciel et que vous avez le droit de le lire."
        ) from None
    return _parse_schema_bytes(data, source)


def _load_url(url: str, fetcher: Fetcher, catalogue: Optional[SchemaCatalogue]) -> TableSchema:
    cache_path = catalogue.url_cache_path(url) if catalogue is not None else None
    try:
        data = fetcher(url)
    except Exception as exc:  # noqa: BLE001
        if cache_path is not None:
            cached = _read_bytes(cache_path)
            if cached is not None:
                try:
                    schema = _parse_schema_bytes(cached, url)
                except SchemaError:
                    schema = None
                if schema is not None:
                    catalogue.offline = True
                    return schema
        raise CatalogueError(
            f"Impossible de télécharger le schéma {url} : {_error_text(exc)}\n"
            "Vérifiez l'adresse du schéma et votre connexion à Internet, puis réessayez ; "
            "ou enregistrez le schema.json sur votre ordinateur et choisissez ce fichier."
        ) from exc
    schema = _parse_schema_bytes(data, url)
    if cache_path is not None:
        _atomic_write(cache_path, bytes(data))
    return schema


def _file_url_to_path(ref: str) -> Path:
    parsed = urlparse(ref)
    path = url2pathname(unquote(parsed.path)) if parsed.path else ""
    if parsed.netloc and parsed.netloc.lower() != "localhost":
        path = "//" + parsed.netloc + path  # UNC share
    return Path(path)


def load_schema_reference(
    ref: str,
    catalogue: Optional[SchemaCatalogue] = None,
    fetcher: Optional[Fetcher] = None,
) -> TableSchema:
    """Load a schema from a reference:

    - ``"owner/slug"`` or ``"owner/slug@version"``: a schema of the catalogue
      (``catalogue``, or :func:`default_catalogue`: the catalogue URL and
      cache folder of the plugin settings);
    - a local path (absolute or relative, or a ``file://`` URL) of a schema.json;
    - an ``http(s)://`` URL of a schema.json (cached under the catalogue's
      cache folder when a catalogue is given).

    ``TableSchema.source`` is the path or URL used. Raises :class:`SchemaError`
    (unreadable or unusable schema) or :class:`CatalogueError` (download or
    catalogue problem), both with French messages.
    """
    parsed = parse_reference(ref)
    text = parsed.text
    if not text:
        raise SchemaError("Aucun schéma n'est indiqué. Choisissez un schéma du catalogue ou un fichier schema.json.")
    if parsed.kind == URL:
        use_fetcher = fetcher or (catalogue.fetcher if catalogue is not None else _default_fetcher)
        return _load_url(text, use_fetcher, catalogue)
    if parsed.kind == CATALOGUE:
        if catalogue is None:
            catalogue = default_catalogue(fetcher)
        return catalogue.fetch_schema(parsed.name, parsed.version)
    if text.lower().startswith("file:"):
        return load_schema_file(_file_url_to_path(text))
    return load_schema_file(text)
