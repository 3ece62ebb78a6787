"""What a conversion to a Table Schema is asked (:class:`ConformOptions`) and what it found or did
(:class:`FixStats` per fix, :class:`ConformAnalysis` for the whole layer), shared by the pipeline
(:mod:`.pipeline`), the dialog's preview (:mod:`.suggestions`) and the new layer's history (:mod:`.output`).
Pure Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Set, Tuple

from ...compat import WKB_NO_GEOMETRY
from ..mapping import FieldMapping, normalise_name
from ..schema.model import TableSchema
from . import fixes as fx
from .values import iso_text

MAX_EXAMPLES = 5

# ---------------------------------------------------------------------------------------------------
# options and results


@dataclass
class ConformOptions:
    """What to apply. ``fixes`` None means the safe fixes (plus ``constants`` when values are given)."""

    fixes: Optional[Iterable[str]] = None
    mapping: Optional[FieldMapping] = None
    constants: Dict[str, Any] = field(default_factory=dict)  # schema field -> value

    def enabled(self, available: Iterable[str]) -> Set[str]:
        available = set(available)
        if self.fixes is None:
            wanted = set(fx.SAFE_FIX_IDS)
            if self.constants:
                wanted.add(fx.CONSTANTS)
        else:
            wanted = set(self.fixes)
        return wanted & available


@dataclass
class FixStats:
    fix_id: str
    count: int = 0
    examples: List[Tuple[str, str, str]] = field(default_factory=list)  # (field, before, after)
    fields: Dict[str, int] = field(default_factory=dict)

    @property
    def info(self) -> fx.FixInfo:
        return fx.fix_info(self.fix_id)

    def add(self, field_name: str, before: Any, after: Any, limit: int = MAX_EXAMPLES) -> None:
        if shown(before) == shown(after):
            return  # same value written another way (text → number): nothing changes for the agent
        self.count += 1
        self.fields[field_name] = self.fields.get(field_name, 0) + 1
        if len(self.examples) < limit:
            example = (field_name, shown(before), shown(after))
            if example not in self.examples:
                self.examples.append(example)


@dataclass
class IdentifierTemplate:
    """``<insee>-P-<nnn>``: how to build an identifier the schema's pattern accepts."""

    field: str  # the identifier field
    source: str  # the schema field holding the INSEE code
    letter: str
    width: int

    def build(self, code: str, number: int) -> str:
        return f"{code}-{self.letter}-{str(number).zfill(self.width)}"

    @property
    def example(self) -> str:
        return self.build("45234", 1)


@dataclass
class ConformAnalysis:
    """What the conversion would do (the preview), or did (the result of :func:`convert`)."""

    schema_name: str
    schema_title: str
    schema_version: str
    layer_name: str
    feature_count: int = 0
    mapping: Dict[str, str] = field(default_factory=dict)  # schema field -> layer field
    suggested: Dict[str, str] = field(default_factory=dict)  # schema field -> layer field (near-match)
    dropped_fields: List[str] = field(default_factory=list)
    missing_fields: List[str] = field(default_factory=list)
    available: List[str] = field(default_factory=list)
    enabled: List[str] = field(default_factory=list)
    stats: Dict[str, FixStats] = field(default_factory=dict)
    untyped: Dict[str, int] = field(default_factory=dict)  # schema field kept as text -> values not castable
    untyped_examples: Dict[str, List[str]] = field(default_factory=dict)
    empty_counts: Dict[str, int] = field(default_factory=dict)  # after the value repairs, before constants
    blanked: Dict[str, int] = field(default_factory=dict)  # required field -> values made only of spaces
    constants: Dict[str, Any] = field(default_factory=dict)
    constant_problems: Dict[str, str] = field(default_factory=dict)
    identifier: Optional[IdentifierTemplate] = None
    required_fields: List[str] = field(default_factory=list)
    computed_fields: List[str] = field(default_factory=list)  # coordinates and identifiers built by fixes
    output_crs: str = ""
    output_wkb: int = int(WKB_NO_GEOMETRY)
    cancelled: bool = False
    written: int = 0
    #: geometries of another type than the layer's (a GeoJSON mixing types): type name -> count
    dropped_geometries: Dict[str, int] = field(default_factory=dict)

    def count(self, fix_id: str) -> int:
        stats = self.stats.get(fix_id)
        return stats.count if stats else 0

    @property
    def fixed_count(self) -> int:
        """Values (and geometries) changed by the enabled fixes."""
        return sum(self.count(fix_id) for fix_id in self.enabled)

    def steps(self) -> List[str]:
        """One French sentence per applied fix, for the metadata history and the summary."""
        lines = []
        for fix_id in fx.FIX_IDS:
            if fix_id not in self.enabled:
                continue
            stats = self.stats.get(fix_id)
            if fix_id == fx.FIELDS:
                parts = []
                if self.suggested:
                    parts.append(
                        "renommés : " + ", ".join(f"{layer} → {name}" for name, layer in self.suggested.items())
                    )
                if self.dropped_fields:
                    parts.append("non repris : " + ", ".join(self.dropped_fields))
                if self.missing_fields:
                    parts.append("ajoutés : " + ", ".join(self.missing_fields))
                detail = " (" + " ; ".join(parts) + ")" if parts else ""
                lines.append(f"{fx.fix_info(fix_id).title}{detail}")
                continue
            if not stats or not stats.count:
                continue
            fields = ", ".join(sorted(stats.fields))
            unit = "géométrie(s)" if fix_id in (fx.REPROJECT, fx.MAKE_VALID) else "valeur(s)"
            lines.append(f"{fx.fix_info(fix_id).title} : {stats.count} {unit} ({fields})")
        for name, count in self.untyped.items():
            lines.append(f"Champ « {name} » gardé en texte : {count} valeur(s) à corriger à la main")
        if self.dropped_geometries:
            counts = ", ".join(f"{name} : {count}" for name, count in sorted(self.dropped_geometries.items()))
            lines.append(
                f"Géométries d'un autre type que celui de la couche non reprises ({counts}) : ces entités sont "
                "gardées sans géométrie"
            )
        return lines


# ---------------------------------------------------------------------------------------------------
# helpers


def shown(value: Any) -> str:
    """A value as the agent reads it in the examples « avant → après »."""
    if value is None:
        return "(vide)"
    if isinstance(value, str):
        return f"« {value} »" if value != value.strip() or not value else value
    return iso_text(value)


_ID_PATTERN_RE = re.compile(r"^\^?(?P<code>.+?\\d\{3\})-(?P<letter>[A-Za-z]{1,3})-\\d\{(?P<width>\d)\}\$?$")


def identifier_template(schema: TableSchema) -> Optional[IdentifierTemplate]:
    """``<insee>-P-<nnn>`` when an identifier field's pattern is an INSEE code, a letter and a number."""
    insee = [d.name for d in schema.fields if "insee" in normalise_name(d.name)]
    if not insee:
        return None
    candidates = [schema.get_field(n) for n in schema.primary_key] + list(schema.fields)
    for descriptor in candidates:
        if descriptor is None or descriptor.name in insee:
            continue
        pattern = descriptor.constraints.get("pattern")
        if not isinstance(pattern, str):
            continue
        match = _ID_PATTERN_RE.match(pattern)
        if match:
            return IdentifierTemplate(descriptor.name, insee[0], match.group("letter"), int(match.group("width")))
    return None
