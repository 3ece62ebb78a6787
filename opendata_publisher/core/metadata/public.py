"""What a reuser sees: the description as published, without what only concerns the organisation.

Pure Python (no QGIS)::

    public_history(lines) -> list             # the history lines written by the agent, without the plugin's log
    check_note(report, when) -> str           # « Vérifiée le 2026-12-04 avec le schéma … : conforme. »
    schema_ref(schema) -> SchemaRef           # name, version, URL of a TableSchema (catalogue or local file)
    reference_schema_ref(ref, catalogue) -> SchemaRef   # the same from a schema reference, schema not loaded
    public_description(description, report=None, schema=None, files=(), when=None) -> DatasetDescription
    public_validation(report, title) / public_legal(report, title)   # the reports of the folder, same rule

The layer's metadata history holds the plugin's own log (lines starting with ``[opendata_publisher:``: conversions
with the internal layer names and the fields dropped, legal checklist answers with the agent's login, legal
acknowledgements, earlier publications). That log stays in the layer; the published DCAT ``adms:versionNotes`` and
ISO lineage carry the lines the agent wrote and one sentence on the check (schema, date, result).
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from pathlib import Path
from typing import Iterable, List, Optional, Sequence

from ..schema.reference import CATALOGUE, URL, parse_reference
from .model import DatasetDescription, Distribution, SchemaRef

INTERNAL_PREFIX = "[opendata_publisher:"
SCHEMA_SITE = "https://schema.data.gouv.fr"
_GITHUB_RE = re.compile(r"^https?://github\.com/([^/\s]+)/([^/\s]+)")


def public_history(lines: Iterable[str]) -> List[str]:
    """The history lines the agent wrote (QGIS metadata tab), without the plugin's internal log."""
    return [str(line).strip() for line in lines if str(line).strip() and not str(line).startswith(INTERNAL_PREFIX)]


def _is_url(text: str) -> bool:
    return bool(re.match(r"^https?://\S+$", str(text or "").strip()))


def schema_ref(schema) -> SchemaRef:
    """Name, version and URL of a parsed :class:`TableSchema`, also for a schema read from a local file.

    The catalogue gives a name (« etalab/schema-stationnement »); a ``schema.json`` saved on disk often has none:
    the name then comes from its ``path`` / ``homepage`` (the GitHub repository), else its title. The URL is
    never a local path: the source when it is a web address, else the schema's own ``path``, else its page on
    schema.data.gouv.fr when the name is a catalogue name.
    """
    if schema is None:
        return SchemaRef()
    raw = getattr(schema, "raw", None) or {}
    name = str(getattr(schema, "name", "") or "").strip()
    if not name:
        for key in ("path", "homepage"):
            match = _GITHUB_RE.match(str(raw.get(key) or ""))
            if match:
                name = f"{match.group(1)}/{match.group(2)}".lower()
                break
    if not name:
        name = str(getattr(schema, "title", "") or "").strip()
    source = str(getattr(schema, "source", "") or "").strip()
    url = source if _is_url(source) else ""
    if not url and _is_url(str(raw.get("path") or "")):
        url = str(raw["path"]).strip()
    if not url and re.match(r"^[a-z0-9-]+/[a-z0-9._-]+$", name):
        url = f"{SCHEMA_SITE}/{name}/"
    return SchemaRef(name=name, version=str(getattr(schema, "version", "") or "").strip(), url=url)


def reference_schema_ref(ref: str, catalogue=None) -> SchemaRef:
    """Name, version and URL from a schema reference (``owner/slug@version``, a path or a URL) when the schema
    itself could not be loaded. The URL of a catalogue schema is the one ``catalogue`` (the catalogue of the
    settings) gives, from what it already holds: "" when it does not know it, never a guessed address."""
    parsed = parse_reference(ref)
    if parsed.kind == URL:
        return SchemaRef(name="", version="", url=parsed.text)
    if parsed.kind == CATALOGUE:
        url = ""
        if parsed.version and catalogue is not None:
            try:
                url = catalogue.known_schema_url(parsed.name, parsed.version)
            except Exception:  # noqa: BLE001 - an unreadable cache: no URL rather than no description
                url = ""
        return SchemaRef(name=parsed.name, version=parsed.version or "", url=url)
    return SchemaRef(name=Path(parsed.text).stem if parsed.text else "", version="", url="")


def _date(when: Optional[str]) -> str:
    return (when or datetime.date.today().isoformat())[:10]


def check_note(report, when: Optional[str] = None, schema: Optional[SchemaRef] = None) -> str:
    """One French sentence on the schema check: schema, date, result (no layer name, no path)."""
    if report is None:
        return ""
    name = (schema.name if schema else "") or report.schema_title or report.schema_name
    version = (schema.version if schema else "") or report.schema_version
    label = f"{name} {version}".strip()
    if report.cancelled:
        result = "vérification interrompue"
    elif report.valid:
        result = "conforme"
    else:
        n = report.error_count
        result = f"non conforme ({n} erreur{'s' if n > 1 else ''})"
    warnings = report.warning_count
    if warnings and not report.cancelled:
        result += f", {warnings} avertissement{'s' if warnings > 1 else ''}"
    return f"Vérifiée le {_date(when)} avec le schéma de données {label} : {result}."


def distributions_of(files: Sequence, base: str = "") -> List[Distribution]:
    """One :class:`Distribution` per published file (``base`` + file name as its address)."""
    return [
        Distribution(
            title=getattr(f, "title", "") or Path(f.path).name,
            url=f"{base}{Path(f.path).name}",
            file_format=getattr(f, "format", ""),
            media_type=getattr(f, "mime", ""),
        )
        for f in files
    ]


def public_description(
    description: DatasetDescription,
    report=None,
    schema=None,
    files: Sequence = (),
    when: Optional[str] = None,
    base: str = "",
) -> DatasetDescription:
    """A copy of ``description`` fit for publication (see the module docstring).

    ``report`` is the schema check run for the publication (its date is ``when``), ``schema`` the
    :class:`TableSchema` it used, ``files`` the published files (:class:`PublishFile`) with their address
    ``base`` + name.
    """
    public = description.copy()
    if schema is not None:
        ref = schema_ref(schema)
        public.schema = SchemaRef(
            name=public.schema.name or ref.name,
            version=public.schema.version or ref.version,
            url=public.schema.url if _is_url(public.schema.url) else ref.url,
        )
    elif not _is_url(public.schema.url):
        public.schema = dataclasses.replace(public.schema, url="")
    history = public_history(description.history)
    note = check_note(report, when, public.schema)
    if note:
        history.append(note)
    public.history = history
    if files:
        public.distributions = distributions_of(files, base)
        if not public.file_format:
            public.file_format = getattr(files[0], "format", "")
    return public


def public_validation(report, title: str):
    """The schema check report with the dataset's title instead of the layer's name, no local path and no
    layer field name (the mapping schema field -> layer field stays in the layer)."""
    if report is None:
        return None
    source = str(report.schema_source or "")
    return dataclasses.replace(
        report, layer_name=title or "jeu de données", schema_source=source if _is_url(source) else "", mapping={}
    )


def public_legal(report, title: str, published_fields: Optional[dict] = None):
    """The legal check report with the dataset's title instead of the layer's name. With ``published_fields``
    (layer field -> published column), the points on a field that is not published are left out (its name is
    internal and its values are not in the files) and the others name the published column."""
    if report is None:
        return None
    findings = list(report.findings)
    if published_fields is not None:
        findings = [
            dataclasses.replace(f, field=published_fields[f.field]) if f.field else f
            for f in findings
            if not f.field or f.field in published_fields
        ]
    return dataclasses.replace(report, layer_name=title or "jeu de données", findings=findings)
