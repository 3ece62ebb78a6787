"""The layer's fields against the schema's: missing, extra, doubled or disordered columns, and the mapping used."""

from __future__ import annotations

from typing import Dict, List, Optional

from ..checks.finding import ERROR, WARNING, Finding
from ..mapping import FieldMapping, resolve_mapping, suggest_mapping
from ..reader import LayerInput, csv_header
from ..schema.model import TableSchema
from .report import _layer_finding


def _check_structure(
    layer_input: LayerInput, schema: TableSchema, mapping: Optional[FieldMapping], findings: List[Finding]
) -> Dict[str, str]:
    layer_fields = list(layer_input.field_names)
    if layer_input.csv is not None:
        header = csv_header(layer_input.csv)
        seen: Dict[str, int] = {}
        for name in header:
            seen[name] = seen.get(name, 0) + 1
        for name, count in seen.items():
            if count > 1 and name:
                findings.append(
                    _layer_finding(
                        "duplicate-label",
                        f"Le fichier a {count} colonnes nommées « {name} » : on ne sait pas laquelle vérifier.",
                        "Renommez ou supprimez les colonnes en double dans le fichier CSV, puis rechargez la couche.",
                        field=name,
                    )
                )
    resolved = resolve_mapping(layer_fields, schema, mapping)
    _, suggestions = suggest_mapping([n for n in layer_fields if n not in resolved.values()], schema)
    by_schema = {s.schema_field: s for s in suggestions if s.schema_field not in resolved}
    by_layer = {s.layer_field: s for s in by_schema.values()}
    primary = set(schema.primary_key)
    for descriptor in schema.fields:
        if descriptor.name in resolved:
            continue
        suggestion = by_schema.get(descriptor.name)
        required = descriptor.required or descriptor.name in primary
        if suggestion:
            hint = (
                f"Le champ « {suggestion.layer_field} » de la couche semble lui correspondre "
                f"({suggestion.reason}) : validez-le dans « Correspondance des champs »."
            )
        elif required:
            hint = "Ajoutez ce champ à la couche et remplissez-le, ou indiquez quel champ le contient."
        else:
            hint = "Ce champ est facultatif : ajoutez-le si vous avez l'information."
        what = "obligatoire" if required else "facultatif"
        findings.append(
            _layer_finding(
                "missing-label",
                f"Le champ {what} « {descriptor.name} » du schéma est absent de la couche.",
                hint,
                severity=ERROR if required else WARNING,
                field=descriptor.name,
            )
        )
    used = set(resolved.values())
    technical = set(layer_input.technical_fields) - used
    layer_fields = [name for name in layer_fields if name not in technical]
    for name in layer_fields:
        if name in used:
            continue
        suggestion = by_layer.get(name)
        if suggestion:
            hint = (
                f"Il correspond sans doute au champ « {suggestion.schema_field} » du schéma "
                f"({suggestion.reason}) : validez-le dans « Correspondance des champs »."
            )
        else:
            hint = "Retirez-le de l'export s'il est interne, ou indiquez à quel champ du schéma il correspond."
        findings.append(
            _layer_finding(
                "extra-label",
                f"Le champ « {name} » de la couche n'existe pas dans le schéma.",
                hint,
                field=name,
            )
        )
    if len(resolved) == len(schema.fields) and len(used) == len(layer_fields):
        layer_order = [n for n in layer_fields if n in used]
        schema_order = [resolved[d.name] for d in schema.fields]
        if layer_order != schema_order:
            findings.append(
                _layer_finding(
                    "disordered-labels",
                    "Les champs de la couche ne sont pas dans l'ordre du schéma.",
                    "Rien d'obligatoire : l'export les remettra dans l'ordre du schéma.",
                )
            )
    return resolved
