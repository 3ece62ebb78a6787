"""Which catalogue schema a portal dataset follows.

1. **Declared** (:data:`~.model.DECLARED`): the schema the portal records — udata resource ``schema``, CKAN
   ``schema`` / ``conforms_to`` fields or extras, Opendatasoft DCAT ``conformsTo``, the publication folder's
   manifest. A name (``etalab/schema-irve-statique``) or a URL of schema.data.gouv.fr, of the schema's
   GitHub repository or of one of the catalogue's ``schema_url`` is recognised, with its version when the URL
   holds one.
2. **Heuristic** (:data:`~.model.HEURISTIC`), only when nothing is declared, and always shown as such: the
   catalogue schema's distinctive words found in the dataset's title or tags, or — when the data was
   downloaded — the file's columns covering most of a schema's fields.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from ..schema.catalogue import SCDL_LABEL, sort_versions
from ..text import fold
from .model import DECLARED, HEURISTIC, PortalDataset, SchemaMatch

_URL_NAME_RES = (
    re.compile(r"schema\.data\.gouv\.fr/schemas/(?P<name>[\w.-]+/[\w.-]+?)(?:/(?P<version>[\w.+-]+))?(?:/[\w.-]+)?/?$"),
    re.compile(r"schema\.data\.gouv\.fr/(?P<name>[\w.-]+/[\w.-]+?)(?:/(?P<version>[\w.+-]+))?/?$"),
    re.compile(r"github\.com/(?P<name>[\w.-]+/[\w.-]+?)(?:\.git)?(?:/(?:blob|raw|tree)/v?(?P<version>[\w.+-]+).*)?/?$"),
    re.compile(r"raw\.githubusercontent\.com/(?P<name>[\w.-]+/[\w.-]+)/v?(?P<version>[\w.+-]+)/"),
)
#: words that say nothing about which schema a dataset follows
_STOP_WORDS = {
    "schema",
    "donnees",
    "des",
    "les",
    "de",
    "du",
    "la",
    "le",
    "et",
    "en",
    "aux",
    "d",
    "l",
    "a",
    "au",
    "sur",
    "dans",
    "liste",
    "fichier",
    "jeu",
    "etalab",
    "scdl",
    "locales",
    "local",
    "publics",
    "public",
    "statique",
    "dynamique",
}
#: share of a schema's fields a file must have for the column heuristic
COLUMN_SHARE = 0.6


@dataclass
class KnownSchema:
    """A catalogue schema, whatever its type (Table Schema, JSON Schema, other)."""

    name: str
    title: str
    versions: List[str] = field(default_factory=list)  # newest first
    is_scdl: bool = False
    urls: List[str] = field(default_factory=list)
    homepage: str = ""

    @property
    def latest_version(self) -> str:
        return self.versions[0] if self.versions else ""

    @property
    def words(self) -> List[str]:
        """Distinctive words of the schema (slug and title), used by the title heuristic."""
        slug = self.name.split("/", 1)[-1]
        text = f"{slug.replace('-', ' ')} {self.title}"
        return sorted({w for w in _words(text) if w not in _STOP_WORDS and len(w) >= 3})


def _words(text: str) -> List[str]:
    return re.sub(r"[^a-z0-9]+", " ", fold(text)).split()


def known_schemas(catalogue) -> List[KnownSchema]:
    """Every schema of the catalogue (the Table Schemas of ``catalogue.entries()`` and, read from its cached
    file, the JSON Schemas and others such as the Base Adresse Locale)."""
    entries = catalogue.entries()
    result = {
        e.name: KnownSchema(
            name=e.name,
            title=e.title,
            versions=list(e.versions),
            is_scdl=e.is_scdl,
            urls=[*e.schema_urls.values(), e.latest_url],
            homepage=e.homepage,
        )
        for e in entries
    }
    try:
        raw = json.loads(catalogue.catalogue_path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError, AttributeError):
        raw = {}
    for item in raw.get("schemas", []) if isinstance(raw, dict) else []:
        name = str(item.get("name") or "")
        if not name or name in result:
            continue
        versions = [str(v.get("version_name")) for v in item.get("versions") or [] if v.get("version_name")]
        result[name] = KnownSchema(
            name=name,
            title=str(item.get("title") or name),
            versions=list(reversed(sort_versions(versions))) if versions else [],
            is_scdl=SCDL_LABEL in (item.get("labels") or []),
            urls=[str(v.get("schema_url") or "") for v in item.get("versions") or []]
            + [str(item.get("schema_url") or "")],
            homepage=str(item.get("homepage") or ""),
        )
    return list(result.values())


class SchemaRecogniser:
    """Recognise datasets against a list of :class:`KnownSchema`."""

    def __init__(self, schemas: Sequence[KnownSchema]):
        self.schemas = list(schemas)
        self._by_name = {fold(s.name): s for s in self.schemas}
        self._by_url: Dict[str, Tuple[KnownSchema, str]] = {}
        for schema in self.schemas:
            for url in schema.urls:
                if url:
                    version = next((v for v in schema.versions if f"/{v}/" in url), "")
                    self._by_url[url.rstrip("/")] = (schema, version)
            if schema.homepage:
                self._by_url.setdefault(schema.homepage.rstrip("/"), (schema, ""))

    def _match(self, schema: KnownSchema, version: str, how: str, reason: str = "") -> SchemaMatch:
        return SchemaMatch(
            name=schema.name,
            title=schema.title,
            version=version,
            latest_version=schema.latest_version,
            is_scdl=schema.is_scdl,
            how=how,
            reason=reason,
        )

    def resolve(self, reference: str, version: str = "") -> Optional[SchemaMatch]:
        """A declared schema reference (name, name@version or URL) -> the catalogue schema, else None."""
        text = str(reference or "").strip()
        if not text:
            return None
        if "@" in text and "://" not in text:
            text, _, version = text.partition("@")
        schema = self._by_name.get(fold(text))
        if schema is None and "/" not in text:
            schema = next(
                (s for s in self.schemas if fold(s.name.split("/", 1)[-1]) in (fold(text), "schema-" + fold(text))),
                None,
            )
        if schema is not None:
            return self._match(schema, version, DECLARED)
        if "://" in text:
            known = self._by_url.get(text.rstrip("/"))
            if known is not None:
                return self._match(known[0], version or known[1], DECLARED)
            for pattern in _URL_NAME_RES:
                found = pattern.search(text)
                if found:
                    schema = self._by_name.get(fold(found.group("name")))
                    if schema is not None:
                        found_version = found.groupdict().get("version") or ""
                        if found_version in ("latest", "main", "master"):
                            found_version = ""
                        return self._match(schema, version or found_version, DECLARED)
        return None

    def declared(self, dataset: PortalDataset) -> Optional[SchemaMatch]:
        """The schema the portal records for the dataset (its resources first)."""
        for resource in dataset.resources:
            match = self.resolve(resource.schema_ref, resource.schema_version)
            if match is not None:
                return match
        return self.resolve(dataset.schema_ref, dataset.schema_version)

    def by_title(self, dataset: PortalDataset) -> Optional[SchemaMatch]:
        """Heuristic: every distinctive word of one common-core schema appears in the title or the tags."""
        words = set(_words(dataset.title)) | {w for tag in dataset.tags for w in _words(tag)}
        best: Optional[Tuple[int, KnownSchema]] = None
        for schema in self.schemas:
            if not schema.is_scdl:
                continue
            wanted = schema.words
            slug_words = [w for w in _words(schema.name.split("/", 1)[-1]) if w not in _STOP_WORDS]
            if slug_words and all(w in words for w in slug_words):
                score = len(slug_words) + 1
            elif wanted and all(w in words for w in wanted):
                score = len(wanted)
            else:
                continue
            if best is None or score > best[0]:
                best = (score, schema)
        if best is None:
            return None
        return self._match(best[1], "", HEURISTIC, "mots du titre ou des mots-clés")

    def by_columns(self, columns: Iterable[str], field_names: Dict[str, List[str]]) -> Optional[SchemaMatch]:
        """Heuristic: the file's columns hold at least :data:`COLUMN_SHARE` of a schema's fields.
        ``field_names`` is ``{schema name: [field names]}`` (schemas the caller could load)."""
        have = {fold(c) for c in columns}
        best: Optional[Tuple[float, str]] = None
        for name, fields in field_names.items():
            if not fields:
                continue
            share = len([f for f in fields if fold(f) in have]) / len(fields)
            if share >= COLUMN_SHARE and (best is None or share > best[0]):
                best = (share, name)
        if best is None:
            return None
        schema = self._by_name[fold(best[1])]
        return self._match(schema, "", HEURISTIC, f"colonnes du fichier ({round(best[0] * 100)} % des champs)")

    def recognise(self, dataset: PortalDataset) -> Optional[SchemaMatch]:
        return self.declared(dataset) or self.by_title(dataset)
