"""A small JSON Schema validator (pure Python) for the plugin's own schemas (the shared profile).

QGIS ships no JSON Schema library on every platform, so this module implements the subset of
draft 2020-12 that ``metadata/profile.schema.json`` uses: ``type``, ``const``, ``enum``, ``required``,
``properties``, ``additionalProperties`` (boolean or schema), ``items``, ``minItems``, ``minLength``,
``pattern``, ``format`` (``date``, ``email``) and local ``$ref`` (``#/$defs/…``). A keyword outside that
subset raises :class:`UnsupportedKeyword` (so the schema cannot silently stop being enforced); the test
suite checks that it agrees with the reference ``jsonschema`` library on valid and broken profiles.

::

    errors = validate(instance, schema)   # [ValidationIssue(path="territory.members[3].siren", message="…")]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Dict, List

_ANNOTATIONS = {"$schema", "$id", "title", "description", "$defs", "default", "examples", "$comment"}
_SUPPORTED = _ANNOTATIONS | {
    "type",
    "const",
    "enum",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "minItems",
    "minLength",
    "minimum",
    "maximum",
    "pattern",
    "format",
    "$ref",
}
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TYPE_LABELS = {
    "object": "un objet",
    "array": "une liste",
    "string": "un texte",
    "integer": "un entier",
    "number": "un nombre",
    "boolean": "vrai ou faux",
    "null": "null",
}


class UnsupportedKeyword(ValueError):
    """The schema uses a keyword this validator does not implement."""


@dataclass(frozen=True)
class ValidationIssue:
    path: str  # "territory.members[3].siren" ("" = the document itself)
    message: str  # French

    def __str__(self) -> str:
        return f"{self.path or 'document'} : {self.message}"


def _is_type(value: Any, kind: str) -> bool:
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "null":
        return value is None
    raise UnsupportedKeyword(f"type {kind!r}")


def _join(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


class _Validator:
    def __init__(self, root: Dict[str, Any]):
        self.root = root
        self.issues: List[ValidationIssue] = []

    def resolve(self, ref: str) -> Dict[str, Any]:
        if not ref.startswith("#/"):
            raise UnsupportedKeyword(f"$ref {ref!r} (seules les références locales sont prises en charge)")
        node: Any = self.root
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def add(self, path: str, message: str) -> None:
        self.issues.append(ValidationIssue(path, message))

    def check(self, value: Any, schema: Any, path: str) -> None:  # noqa: C901 - one branch per keyword
        if schema is True or schema == {}:
            return
        if schema is False:
            self.add(path, "propriété non autorisée")
            return
        unknown = set(schema) - _SUPPORTED
        if unknown:
            raise UnsupportedKeyword(", ".join(sorted(unknown)))
        if "$ref" in schema:
            self.check(value, self.resolve(schema["$ref"]), path)
        if "type" in schema:
            kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(_is_type(value, k) for k in kinds):
                expected = " ou ".join(_TYPE_LABELS.get(k, k) for k in kinds)
                self.add(path, f"doit être {expected}")
                return
        if "const" in schema and value != schema["const"]:
            self.add(path, f"doit valoir {schema['const']!r}")
        if "enum" in schema and value not in schema["enum"]:
            allowed = ", ".join(repr(v) for v in schema["enum"])
            self.add(path, f"valeur {value!r} non prévue (valeurs possibles : {allowed})")
        if isinstance(value, str):
            if "minLength" in schema and len(value) < schema["minLength"]:
                self.add(path, "ne peut pas être vide" if schema["minLength"] == 1 else "texte trop court")
            if "pattern" in schema and not re.search(schema["pattern"], value):
                self.add(path, f"{value!r} n'a pas la forme attendue ({schema['pattern']})")
            fmt = schema.get("format")
            if fmt == "date":
                try:
                    date.fromisoformat(value)
                except ValueError:
                    self.add(path, f"{value!r} n'est pas une date AAAA-MM-JJ")
            elif fmt == "email" and not _EMAIL_RE.match(value):
                self.add(path, f"{value!r} n'est pas une adresse électronique")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if "minimum" in schema and value < schema["minimum"]:
                self.add(path, f"doit être supérieur ou égal à {schema['minimum']}")
            if "maximum" in schema and value > schema["maximum"]:
                self.add(path, f"doit être inférieur ou égal à {schema['maximum']}")
        if isinstance(value, list):
            if "minItems" in schema and len(value) < schema["minItems"]:
                self.add(path, f"doit contenir au moins {schema['minItems']} élément(s)")
            if "items" in schema:
                for index, item in enumerate(value):
                    self.check(item, schema["items"], _join(path, index))
        if isinstance(value, dict):
            for key in schema.get("required", []):
                if key not in value:
                    self.add(_join(path, key), "obligatoire mais absent")
            properties = schema.get("properties", {})
            extra = schema.get("additionalProperties", True)
            for key, item in value.items():
                if key in properties:
                    self.check(item, properties[key], _join(path, key))
                elif extra is False:
                    self.add(_join(path, key), "propriété inconnue (faute de frappe ?)")
                elif isinstance(extra, dict):
                    self.check(item, extra, _join(path, key))


def validate(instance: Any, schema: Dict[str, Any]) -> List[ValidationIssue]:
    """Every place where ``instance`` breaks ``schema`` (empty list: valid)."""
    validator = _Validator(schema)
    validator.check(instance, schema, "")
    return validator.issues
