"""Which layer field holds which schema field.

Fields are matched by name, as Validata does. When a layer field does not
carry a schema name exactly, near-matches are *offered* (never applied
silently): the agent accepts them in the mapping editor, and the accepted
mapping is stored in the layer's custom properties, so it is saved with the
project.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from .layer_properties import MAPPING_PREFIX
from .schema.model import TableSchema
from .text import fold

SHAPEFILE_NAME_LENGTH = 10


@dataclass
class FieldMapping:
    """layer field name -> schema field name (only the pairs that differ from
    exact name matching need to be listed, but listing them all is fine)."""

    layer_to_schema: Dict[str, str] = field(default_factory=dict)

    def schema_to_layer(self) -> Dict[str, str]:
        return {schema_name: layer_name for layer_name, schema_name in self.layer_to_schema.items()}

    def to_json(self) -> str:
        return json.dumps(self.layer_to_schema, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> FieldMapping:
        try:
            data = json.loads(text) if text else {}
        except (TypeError, ValueError):
            data = {}
        if not isinstance(data, dict):
            data = {}
        return cls({str(k): str(v) for k, v in data.items() if isinstance(k, str) and isinstance(v, str) and v})


@dataclass
class Suggestion:
    layer_field: str
    schema_field: str
    reason: str


def normalise_name(name: str) -> str:
    """Case, accents and separators do not count."""
    return "".join(ch for ch in fold(name) if ch.isalnum())


def _near_match_reason(layer_field: str, schema_field: str) -> Optional[str]:
    if layer_field == schema_field:
        return None
    if layer_field.casefold() == schema_field.casefold():
        return "même nom, à la casse près (majuscules/minuscules)"
    if normalise_name(layer_field) == normalise_name(schema_field):
        return "même nom, aux accents, à la casse ou aux séparateurs près"
    if (
        len(layer_field) == SHAPEFILE_NAME_LENGTH
        and len(schema_field) > SHAPEFILE_NAME_LENGTH
        and schema_field.casefold().startswith(layer_field.casefold())
    ):
        return "nom tronqué à 10 caractères (format Shapefile)"
    norm_layer = normalise_name(layer_field)
    if (
        len(layer_field) <= SHAPEFILE_NAME_LENGTH
        and len(norm_layer) >= 6
        and len(schema_field) > SHAPEFILE_NAME_LENGTH
        and normalise_name(schema_field).startswith(norm_layer)
    ):
        return "nom tronqué (format Shapefile), aux séparateurs près"
    return None


def suggest_mapping(layer_fields: List[str], schema: TableSchema) -> Tuple[FieldMapping, List[Suggestion]]:
    """Propose a mapping for the layer fields that do not carry a schema name.

    Returns the proposed mapping (exact matches are implicit and not listed)
    and the suggestions with their reason, one per schema field at most, and
    only when the near match is unambiguous.
    """
    schema_names = schema.field_names()
    exact = set(layer_fields) & set(schema_names)
    free_layer = [name for name in layer_fields if name not in exact]
    free_schema = [name for name in schema_names if name not in exact]
    candidates: Dict[str, List[Tuple[str, str]]] = {}
    for schema_name in free_schema:
        for layer_name in free_layer:
            reason = _near_match_reason(layer_name, schema_name)
            if reason:
                candidates.setdefault(schema_name, []).append((layer_name, reason))
    used_layer: Dict[str, int] = {}
    for options in candidates.values():
        if len(options) == 1:
            used_layer[options[0][0]] = used_layer.get(options[0][0], 0) + 1
    suggestions: List[Suggestion] = []
    mapping = FieldMapping()
    for schema_name in free_schema:
        options = candidates.get(schema_name, [])
        if len(options) != 1:
            continue
        layer_name, reason = options[0]
        if used_layer.get(layer_name, 0) != 1:
            continue  # one layer field near several schema fields: let the agent decide
        suggestions.append(Suggestion(layer_name, schema_name, reason))
        mapping.layer_to_schema[layer_name] = schema_name
    return mapping, suggestions


def resolve_mapping(layer_fields: List[str], schema: TableSchema, mapping: Optional[FieldMapping]) -> Dict[str, str]:
    """schema field -> layer field actually used for checking.

    Explicit mapping first (ignoring pairs whose layer field no longer exists),
    then exact names for the schema fields still free.
    """
    result: Dict[str, str] = {}
    taken_layer = set()
    schema_names = set(schema.field_names())
    if mapping:
        for layer_name, schema_name in mapping.layer_to_schema.items():
            if layer_name in layer_fields and schema_name in schema_names and schema_name not in result:
                result[schema_name] = layer_name
                taken_layer.add(layer_name)
    for schema_name in schema.field_names():
        if schema_name in result:
            continue
        if schema_name in layer_fields and schema_name not in taken_layer:
            result[schema_name] = schema_name
            taken_layer.add(schema_name)
    return result


def mapping_property_name(schema: TableSchema) -> str:
    key = schema.name or schema.title or schema.source or "schema"
    return MAPPING_PREFIX + key


def load_mapping(layer, schema: TableSchema) -> Optional[FieldMapping]:
    """The mapping the agent saved on this layer for this schema, if any."""
    text = layer.customProperty(mapping_property_name(schema))
    if not text:
        return None
    return FieldMapping.from_json(str(text))


def save_mapping(layer, schema: TableSchema, mapping: FieldMapping) -> None:
    """Store the mapping in the layer (custom property: saved with the project)."""
    layer.setCustomProperty(mapping_property_name(schema), mapping.to_json())
