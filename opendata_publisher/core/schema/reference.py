"""The one parser of schema references: what the « Vérifier » page stores on a layer, what the Processing
algorithms and :func:`~opendata_publisher.core.schema.catalogue.load_schema_reference` accept.

A reference is one of:

- ``owner/slug`` or ``owner/slug@version``: a schema of the catalogue (the catalogue URL of the settings);
- an ``http(s)://`` address of a schema.json;
- a local file (a path, or a ``file://`` URL).

``owner/slug`` without a version that names an existing file, or ends in .json/.yml/.yaml, is that file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

CATALOGUE = "catalogue"
URL = "url"
FILE = "file"
EMPTY = ""

_NAME_RE = re.compile(r"^(?P<name>[A-Za-z0-9_.\-]+/[A-Za-z0-9_.\-]+)(?:@(?P<version>[A-Za-z0-9_.\-+]+))?$")


@dataclass(frozen=True)
class SchemaReference:
    text: str  # the reference, stripped
    kind: str  # CATALOGUE, URL, FILE or EMPTY
    name: str = ""  # owner/slug (catalogue references)
    version: Optional[str] = None  # the version asked for (catalogue references), None: the newest

    @property
    def is_catalogue(self) -> bool:
        return self.kind == CATALOGUE

    @property
    def label(self) -> str:
        """Short text for the agent: « owner/slug 1.0 », the address, or the file's name."""
        if self.kind == CATALOGUE:
            return f"{self.name} {self.version or ''}".strip()
        if self.kind == FILE:
            return self.text.replace("\\", "/").rsplit("/", 1)[-1]
        return self.text


def is_catalogue_name(text: object) -> bool:
    """``owner/slug`` or ``owner/slug@version`` in form (whether a file of that name exists or not)."""
    return bool(_NAME_RE.match(str(text or "").strip()))


def parse_reference(ref: object) -> SchemaReference:
    text = str(ref or "").strip()
    if not text:
        return SchemaReference(text, EMPTY)
    lowered = text.lower()
    if lowered.startswith(("http://", "https://")):
        return SchemaReference(text, URL)
    if lowered.startswith("file:"):
        return SchemaReference(text, FILE)
    match = _NAME_RE.match(text)
    if match and (match.group("version") or not _looks_like_file(text)):
        return SchemaReference(text, CATALOGUE, match.group("name"), match.group("version"))
    return SchemaReference(text, FILE)


def _looks_like_file(text: str) -> bool:
    if Path(text).expanduser().exists():
        return True
    return Path(text).suffix.lower() in (".json", ".yml", ".yaml")
