"""Table Schema model and lenient parser.

Pure Python. Reads any ``schema.json`` of the Table Schema v1 spec
(https://specs.frictionlessdata.io/table-schema/) as schema.data.gouv.fr
publishes them. Parsing is *lenient*: metadata problems that frictionless v5
refuses (a ``name`` with capitals or spaces, a ``pattern`` on a date field)
become warnings, and the data can still be checked. Only a document that
cannot describe a table at all raises :class:`SchemaError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from opendata_publisher.errors import UserFacingError

KNOWN_TYPES = (
    "string",
    "number",
    "integer",
    "boolean",
    "object",
    "array",
    "date",
    "time",
    "datetime",
    "year",
    "yearmonth",
    "duration",
    "geopoint",
    "geojson",
    "any",
)

_ORDERED = ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum")
SUPPORTED_CONSTRAINTS = {
    "any": ("required", "enum"),
    "array": ("required", "minLength", "maxLength", "enum"),
    "boolean": ("required", "enum"),
    "date": _ORDERED,
    "datetime": _ORDERED,
    "duration": ("required", "enum"),
    "geojson": ("required", "enum"),
    "geopoint": ("required", "enum"),
    "integer": _ORDERED,
    "number": _ORDERED,
    "object": ("required", "minLength", "maxLength", "enum"),
    "string": ("required", "minLength", "maxLength", "pattern", "enum"),
    "time": _ORDERED,
    "year": _ORDERED,
    "yearmonth": _ORDERED,
}

DEFAULT_MISSING_VALUES = [""]
DEFAULT_TRUE_VALUES = ["true", "True", "TRUE", "1"]
DEFAULT_FALSE_VALUES = ["false", "False", "FALSE", "0"]


class SchemaError(UserFacingError):
    """A schema that cannot be used to check data. The message is French and
    says what is wrong and what to do."""


@dataclass
class FieldDescriptor:
    """One field of a Table Schema, with the spec's defaults applied."""

    name: str
    type: str = "string"
    format: str = "default"
    title: str = ""
    description: str = ""
    example: Any = None
    constraints: Dict[str, Any] = field(default_factory=dict)
    true_values: List[str] = field(default_factory=lambda: list(DEFAULT_TRUE_VALUES))
    false_values: List[str] = field(default_factory=lambda: list(DEFAULT_FALSE_VALUES))
    decimal_char: str = "."
    group_char: str = ""
    bare_number: bool = True
    missing_values: List[str] = field(default_factory=lambda: list(DEFAULT_MISSING_VALUES))
    raw: Dict[str, Any] = field(default_factory=dict)

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required", False))

    @property
    def unique(self) -> bool:
        return bool(self.constraints.get("unique", False))

    @property
    def enum(self) -> Optional[List[Any]]:
        value = self.constraints.get("enum")
        return list(value) if isinstance(value, list) else None

    @property
    def label(self) -> str:
        """What to show an agent: the title when there is one."""
        return self.title or self.name


@dataclass
class TableSchema:
    """A parsed Table Schema."""

    fields: List[FieldDescriptor]
    name: str = ""
    title: str = ""
    description: str = ""
    version: str = ""
    keywords: List[str] = field(default_factory=list)
    primary_key: List[str] = field(default_factory=list)
    missing_values: List[str] = field(default_factory=lambda: list(DEFAULT_MISSING_VALUES))
    custom_checks: List[Dict[str, Any]] = field(default_factory=list)
    source: str = ""
    warnings: List[str] = field(default_factory=list)
    raw: Dict[str, Any] = field(default_factory=dict)

    def field_names(self) -> List[str]:
        return [f.name for f in self.fields]

    def get_field(self, name: str) -> Optional[FieldDescriptor]:
        for descriptor in self.fields:
            if descriptor.name == name:
                return descriptor
        return None


def _as_str_list(value: Any) -> Optional[List[str]]:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def parse_field(data: Any, index: int, schema_missing: List[str], warnings: List[str]) -> FieldDescriptor:
    if not isinstance(data, dict):
        raise SchemaError(
            f"Le champ n°{index + 1} du schéma n'est pas un objet JSON. "
            "Le fichier schema.json est abîmé : prenez une version publiée sur schema.data.gouv.fr."
        )
    name = data.get("name")
    if not isinstance(name, str) or not name:
        raise SchemaError(
            f"Le champ n°{index + 1} du schéma n'a pas de nom (propriété « name »). "
            "Corrigez le schema.json ou choisissez une autre version du schéma."
        )
    ftype = data.get("type", "string")
    if ftype not in KNOWN_TYPES:
        warnings.append(
            f"Le champ « {name} » a un type inconnu « {ftype} » : ses valeurs ne seront vérifiées que comme du texte."
        )
        ftype = "string"
    fmt = data.get("format", "default")
    if not isinstance(fmt, str) or not fmt:
        fmt = "default"
    constraints = data.get("constraints") or {}
    if not isinstance(constraints, dict):
        warnings.append(f"Les contraintes du champ « {name} » sont illisibles : elles sont ignorées.")
        constraints = {}
    unsupported = [c for c in constraints if c not in SUPPORTED_CONSTRAINTS.get(ftype, ()) and c != "unique"]
    if unsupported:
        warnings.append(
            f"Le champ « {name} » ({ftype}) déclare des contraintes que la spécification Table Schema ne prévoit "
            f"pas pour ce type ({', '.join(unsupported)}) : elles sont ignorées."
        )
        constraints = {k: v for k, v in constraints.items() if k not in unsupported}
    descriptor = FieldDescriptor(
        name=name,
        type=ftype,
        format=fmt,
        title=str(data.get("title") or ""),
        description=str(data.get("description") or ""),
        example=data.get("example"),
        constraints=dict(constraints),
        missing_values=list(schema_missing),
        raw=dict(data),
    )
    true_values = _as_str_list(data.get("trueValues"))
    if true_values is not None:
        descriptor.true_values = true_values
    false_values = _as_str_list(data.get("falseValues"))
    if false_values is not None:
        descriptor.false_values = false_values
    if isinstance(data.get("decimalChar"), str) and data["decimalChar"]:
        descriptor.decimal_char = data["decimalChar"]
    if isinstance(data.get("groupChar"), str):
        descriptor.group_char = data["groupChar"]
    if isinstance(data.get("bareNumber"), bool):
        descriptor.bare_number = data["bareNumber"]
    field_missing = _as_str_list(data.get("missingValues"))
    if field_missing is not None:  # Table Schema v2 allows it per field
        descriptor.missing_values = field_missing
    return descriptor


def array_item_descriptor(descriptor: FieldDescriptor) -> Optional[FieldDescriptor]:
    """The field every item of an ``array`` field must be (Table Schema's ``arrayItem``), or None."""
    item = descriptor.raw.get("arrayItem") if descriptor.type == "array" else None
    if not isinstance(item, dict):
        return None
    data = {k: v for k, v in item.items() if k != "arrayItem"}
    data.setdefault("type", "any")
    data["name"] = descriptor.name
    warnings: List[str] = []
    try:
        return parse_field(data, 0, list(descriptor.missing_values), warnings)
    except SchemaError:
        return None


def parse_schema(data: Any, source: str = "") -> TableSchema:
    """Build a :class:`TableSchema` from a decoded ``schema.json``.

    Raises :class:`SchemaError` (French message) when the document is not a
    Table Schema at all.
    """
    if not isinstance(data, dict):
        raise SchemaError(
            "Ce fichier n'est pas un schéma Table Schema (on attend un objet JSON avec une liste « fields »). "
            "Vérifiez que vous avez choisi le fichier schema.json et non un fichier de données."
        )
    fields_data = data.get("fields")
    if not isinstance(fields_data, list) or not fields_data:
        if data.get("type") == "FeatureCollection" or "$defs" in data or "properties" in data:
            raise SchemaError(
                "Ce schéma est un schéma JSON (JSON Schema), pas un schéma tabulaire (Table Schema) : "
                "il décrit des fichiers GeoJSON et ne peut pas encore servir à vérifier une couche. "
                "Choisissez un schéma de type « tableschema » dans le catalogue."
            )
        raise SchemaError(
            "Ce schéma ne décrit aucun champ (la liste « fields » est absente ou vide). "
            "Choisissez une version publiée du schéma sur schema.data.gouv.fr."
        )
    warnings: List[str] = []
    schema_missing = _as_str_list(data.get("missingValues"))
    if schema_missing is None:
        if "missingValues" in data:
            warnings.append(
                "La liste « missingValues » du schéma est illisible : seule la cellule vide compte comme manquante."
            )
        schema_missing = list(DEFAULT_MISSING_VALUES)
    fields = [parse_field(f, i, schema_missing, warnings) for i, f in enumerate(fields_data)]
    seen = set()
    for descriptor in fields:
        if descriptor.name in seen:
            warnings.append(
                f"Le schéma déclare deux fois le champ « {descriptor.name} » : seule la première définition compte."
            )
        seen.add(descriptor.name)
    primary_key = data.get("primaryKey") or []
    if isinstance(primary_key, str):
        primary_key = [primary_key]
    if not isinstance(primary_key, list):
        warnings.append("La clé primaire (« primaryKey ») du schéma est illisible : elle est ignorée.")
        primary_key = []
    missing_pk = [name for name in primary_key if name not in seen]
    if missing_pk:
        warnings.append(
            "La clé primaire du schéma cite des champs qu'il ne déclare pas ("
            + ", ".join(missing_pk)
            + ") : elle est ignorée."
        )
        primary_key = []
    custom_checks = data.get("custom_checks") or []
    if not isinstance(custom_checks, list):
        warnings.append(
            "La liste « custom_checks » du schéma est illisible : les contrôles complémentaires sont ignorés."
        )
        custom_checks = []
    name = data.get("name")
    if isinstance(name, str) and name and not _is_valid_name(name):
        warnings.append(
            f"Le nom du schéma « {name} » ne suit pas la règle des identifiants Table Schema "
            "(minuscules, chiffres, « - . _ / ») ; les données sont vérifiées quand même."
        )
    keywords = data.get("keywords") or []
    return TableSchema(
        fields=fields,
        name=str(name or ""),
        title=str(data.get("title") or ""),
        description=str(data.get("description") or ""),
        version=str(data.get("version") or ""),
        keywords=[str(k) for k in keywords] if isinstance(keywords, list) else [],
        primary_key=[str(k) for k in primary_key],
        missing_values=schema_missing,
        custom_checks=[c for c in custom_checks if isinstance(c, dict)],
        source=source,
        warnings=warnings,
        raw=dict(data),
    )


def _is_valid_name(name: str) -> bool:
    allowed = set("abcdefghijklmnopqrstuvwxyz0123456789-._/")
    return all(ch in allowed for ch in name)
