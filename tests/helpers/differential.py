"""Seeded random CSV files for the differential test against frictionless.

For every Table Schema in ``../shared/scdl``, rows are built from the schema (examples, enum values, a
plausible value per type) and a share of them is mutated: cell mistakes (empty, missing-value markers,
spaces, tabs, junk, leading zeros, BOM, line breaks inside quotes, accents…), row shapes (blank rows,
rows of markers or spaces, missing and extra cells, empty lines, duplicated keys) and file variants
(header order, a dropped or an added column, CRLF, ``;`` or ``, `` separators, UTF-8 with BOM or
Windows-1252). Each reference error is tied to the mutation class of its row, so the test can say
which class we disagree on.
"""

from __future__ import annotations

import json
import random
import re
import uuid
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

COMPARED_CODES = {
    "type-error",
    "constraint-error",
    "unique-error",
    "primary-key",
    "blank-row",
    "missing-cell",
    "extra-cell",
}

ROW_CODES = {"primary-key", "blank-row", "extra-cell"}  # frictionless names no field for these


def schema_dirs(scdl: Path) -> List[Path]:
    return sorted(p.parent for p in scdl.glob("*/*/schema.json") if not p.parent.parent.name.startswith("_"))


def repaired(schema: dict, supported: Dict[str, Tuple[str, ...]]) -> dict:
    """What frictionless accepts of a published schema (see test_frictionless_agreement)."""
    data = json.loads(json.dumps(schema))
    if "name" in data and not re.fullmatch(r"[-a-z0-9._/]+", str(data["name"])):
        data["name"] = re.sub(r"[^-a-z0-9._/]+", "-", str(data["name"]).lower())
    for item in data.get("fields", []):
        allowed = supported.get(item.get("type", "string"), ())
        constraints = item.get("constraints") or {}
        item["constraints"] = {k: v for k, v in constraints.items() if k in allowed or k == "unique"}
    data.pop("foreignKeys", None)
    return data


_TYPE_VALUES = {
    "string": ["texte", "Mairie de Paris", "abc"],
    "integer": ["12", "0", "2024"],
    "number": ["3.5", "12", "0.25"],
    "boolean": ["true", "false"],
    "date": ["2024-01-15", "2023-12-31"],
    "datetime": ["2024-01-15T10:00:00Z", "2024-01-15T10:00:00+01:00"],
    "time": ["10:00:00", "23:59:00"],
    "year": ["2024", "1999"],
    "yearmonth": ["2024-01", "1999-12"],
    "geopoint": ["2.35,48.85", "-1.55,47.21"],
    "array": ['["a"]', "[]"],
    "object": ['{"a": 1}'],
    "duration": ["P1D", "PT2H"],
    "any": ["x"],
}

_FORMAT_VALUES = {
    "email": ["contact@mairie.fr", "a.b@exemple.org"],
    "uri": ["https://www.exemple.fr/page", "https://data.gouv.fr"],
    "uuid": None,
}


def _base_values(item: dict, rng: random.Random) -> List[str]:
    ftype = item.get("type", "string")
    constraints = item.get("constraints") or {}
    values: List[str] = []
    enum = constraints.get("enum")
    if isinstance(enum, list) and enum:
        values += [v if isinstance(v, str) else json.dumps(v) for v in enum]
        return values
    for key in ("example", "examples"):
        raw = item.get(key)
        for sample in raw if isinstance(raw, list) else [raw]:
            if sample is None or isinstance(sample, (dict, list)):
                continue
            if isinstance(sample, bool):
                sample = "true" if sample else "false"
            values.append(str(sample))
    if values:
        return values
    fmt = item.get("format", "default")
    if ftype == "string" and fmt == "uuid":
        return [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(3)]
    if ftype == "string" and _FORMAT_VALUES.get(fmt):
        return list(_FORMAT_VALUES[fmt])
    return list(_TYPE_VALUES.get(ftype, _TYPE_VALUES["string"]))


_PICKER = random.Random(0)


def _RNG_PICK(values):  # noqa: N802 - reseeded per file by generate()
    return _PICKER.choice(values)


# (class name, function(value, field) -> new value)
def _cell_mutations(item: dict, missing: List[str]) -> List[Tuple[str, object]]:
    marker = next((m for m in missing if m), "")
    mutations = [
        ("cell-empty", lambda v: ""),
        ("cell-spaces", lambda v: " "),
        ("cell-tab", lambda v: "\t"),
        ("cell-padded", lambda v: f" {v}" if v else " x"),
        ("cell-trailing-space", lambda v: f"{v} " if v else "x "),
        ("cell-junk", lambda v: "n/a?"),
        ("cell-accents", lambda v: "été à Noël"),
        ("cell-upper", lambda v: v.upper() if v.upper() != v else v + "X"),
        ("cell-bom", lambda v: "\ufeff" + v),
        ("cell-newline", lambda v: f"{v}\nsuite"),
        ("cell-quote-delim", lambda v: f'{v}, "dit" ; x'),
        ("cell-nbsp", lambda v: f"{v}\u00a0"),
        ("cell-leading-zero", lambda v: "0" + v if v[:1].isdigit() else "007"),
        ("cell-plus", lambda v: "+" + v if v[:1].isdigit() else "+7"),
        ("cell-float", lambda v: v + ".0" if v.isdigit() else "1.0"),
        ("cell-exp", lambda v: v + "e0" if v.isdigit() else "2e0"),
        ("cell-negative-zero", lambda v: "-0"),
        ("cell-array", lambda v: '["vegan"]'),
    ]
    tricky = [
        "3,5",
        "1 000",
        "0.5e-3",
        "NaN",
        "inf",
        "-1",
        "99999999999999999999",
        "1e400",
        ".5",
        "5.",
        "15/01/2024",
        "2024-02-30",
        "2024-1-5",
        "24:00:00",
        "10:00",
        "2024-01-15T25:00:00",
        "2024-01-15 10:00:00",
        "2024-01-15T10:00:00",
        "P1Y2M",
        "PT",
        "True",
        "FALSE",
        "1",
        "0",
        "oui",
        "yes",
        "abc@",
        "a@b",
        "http://",
        "https://exemple.fr/a b",
        "www.exemple.fr",
        "2.35, 48.85",
        "[2.35, 48.85]",
        '{"a": 1}',
        "[1, 2]",
        '["sans sel", "végétarien"]',
        '["sans sel"]',
        "[]",
        "null",
        "2024",
        "2024-13",
        "0038792222",
        "0238792222",
        "+33 2 38 79 22 22",
        "75001",
        "2B033",
        "97123",
        "12345678000014",
        "732 829 320 00017",
        "Mo-Fr 08:00-12:00",
        "x" * 300,
        "ÉTÉ",
        "<b>html</b>",
        "'quoted'",
    ]
    mutations.append(("cell-tricky", lambda v, _t=tricky: _RNG_PICK(_t)))
    if marker:
        mutations.append(("cell-marker", lambda v, m=marker: m))
    return mutations


@dataclass
class Variant:
    delimiter: str = ","
    spaced: bool = False  # ", " after each separator
    line_end: str = "\n"
    encoding: str = "utf-8"
    header_change: str = ""  # "", "shuffle", "drop", "extra"

    @property
    def name(self) -> str:
        parts = [
            {",": "comma", ";": "semicolon", "\t": "tab"}[self.delimiter] + ("-spaced" if self.spaced else ""),
            "crlf" if self.line_end == "\r\n" else "lf",
            self.encoding,
        ]
        if self.header_change:
            parts.append(self.header_change)
        return "/".join(parts)


@dataclass
class GeneratedFile:
    path: Path
    schema: dict
    variant: Variant
    row_classes: Dict[int, str] = field(default_factory=dict)  # frictionless row number -> mutation class
    labels: List[str] = field(default_factory=list)


def random_variant(rng: random.Random) -> Variant:
    variant = Variant()
    variant.delimiter = rng.choice([",", ",", ";"])
    variant.spaced = variant.delimiter == "," and rng.random() < 0.2
    variant.line_end = rng.choice(["\n", "\r\n"])
    variant.encoding = rng.choice(["utf-8", "utf-8", "utf-8-sig", "cp1252"])
    variant.header_change = rng.choice(["", "", "", "shuffle", "drop", "extra"])
    return variant


def _quote(cell: str, delimiter: str) -> str:
    if any(c in cell for c in (delimiter, '"', "\n", "\r")):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _write_record(cells: List[str], variant: Variant) -> str:
    joiner = variant.delimiter + (" " if variant.spaced else "")
    return joiner.join(_quote(c, variant.delimiter) for c in cells) + variant.line_end


def generate(schema_dir: Path, out_dir: Path, seed: int, rows: int, index: int = 0) -> Optional[GeneratedFile]:
    schema = json.loads((schema_dir / "schema.json").read_text(encoding="utf-8"))
    fields = [f for f in schema.get("fields", []) if isinstance(f, dict) and f.get("name")]
    if not fields:
        return None
    slug = f"{schema_dir.parent.name}-{schema_dir.name}"
    rng = random.Random(seed * 1000003 + zlib.crc32(slug.encode()) + index)
    variant = random_variant(rng)
    _PICKER.seed(rng.random())
    missing = schema.get("missingValues", [""])
    if not isinstance(missing, list):
        missing = [""]
    pool = {f["name"]: _base_values(f, rng) for f in fields}
    labels = [f["name"] for f in fields]
    optional = [f["name"] for f in fields if not (f.get("constraints") or {}).get("required")]
    optional = [n for n in optional if n not in (schema.get("primaryKey") or [])]
    if variant.header_change == "shuffle":
        rng.shuffle(labels)
    elif variant.header_change == "drop" and optional:
        labels.remove(rng.choice(optional))
    elif variant.header_change == "extra":
        labels.insert(rng.randrange(len(labels) + 1), "remarque")
    by_name = {f["name"]: f for f in fields}
    unique_fields = [f["name"] for f in fields if (f.get("constraints") or {}).get("unique")]
    primary = schema.get("primaryKey") or []
    if isinstance(primary, str):
        primary = [primary]
    counters = dict.fromkeys(set(unique_fields) | set(primary), 0)

    def fresh_row() -> List[str]:
        cells = []
        for label in labels:
            if label not in by_name:
                cells.append("note libre")
                continue
            value = rng.choice(pool[label])
            if label in counters:
                counters[label] += 1
                item = by_name[label]
                if item.get("type") in ("integer", "number"):
                    value = str(counters[label])
                elif item.get("format") == "uuid":
                    value = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                else:
                    value = f"{value}-{counters[label]}"
            cells.append(value)
        return cells

    records: List[Tuple[str, List[str]]] = []  # (class, cells); cells None = empty line
    previous: Optional[List[str]] = None
    for _ in range(rows):
        cells = fresh_row()
        kind = "valid"
        draw = rng.random()
        if draw < 0.45:
            position = rng.randrange(len(labels))
            item = by_name.get(labels[position], {"name": labels[position]})
            kind, mutate = rng.choice(_cell_mutations(item, missing))
            cells[position] = mutate(cells[position])
        elif draw < 0.62:
            width = len(labels)
            kind = rng.choice(
                [
                    "row-blank",
                    "row-markers",
                    "row-spaces",
                    "row-blank-extra",
                    "row-missing-cell",
                    "row-extra-cell",
                    "row-empty-line",
                    "row-duplicate",
                    "row-key-null",
                ]
            )
            if kind == "row-blank":
                cells = [""] * width
            elif kind == "row-markers":
                marker = next((m for m in missing if m), "")
                cells = [marker] * width
            elif kind == "row-spaces":
                cells = [" "] * width
            elif kind == "row-blank-extra":
                cells = [""] * width + ["en trop"]
            elif kind == "row-missing-cell":
                cells = cells[: max(1, width - rng.randint(1, 2))]
            elif kind == "row-extra-cell":
                cells = cells + ["en trop"]
            elif kind == "row-empty-line":
                cells = None
            elif kind == "row-duplicate" and previous is not None:
                cells = list(previous)
            elif kind == "row-key-null":
                for name in primary or unique_fields[:1]:
                    if name in labels:
                        cells[labels.index(name)] = ""
        records.append((kind, cells))
        if cells:
            previous = cells
    if not variant.encoding.startswith("utf"):
        # every text must be writable in the legacy encoding
        records = [(k, None if c is None else [_legacy(cell, variant.encoding) for cell in c]) for k, c in records]
        labels = [_legacy(label, variant.encoding) for label in labels]
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{slug}-{seed}-{index}.csv"
    text = _write_record(labels, variant)
    generated = GeneratedFile(path, schema, variant, labels=labels)
    for number, (kind, cells) in enumerate(records, start=2):
        generated.row_classes[number] = kind
        text += variant.line_end if cells is None else _write_record(cells, variant)
    path.write_bytes(text.encode(variant.encoding))
    return generated


def _legacy(text: str, encoding: str) -> str:
    return text.encode(encoding, errors="replace").decode(encoding)


def frictionless_errors(generated: GeneratedFile, schema: dict) -> Tuple[set, list]:
    """frictionless 5's errors (row, field, code) with the file's true dialect and encoding, by name."""
    from frictionless import Detector, Dialect, Resource, Schema, system, validate
    from frictionless.formats import CsvControl

    variant = generated.variant
    control = CsvControl(delimiter=variant.delimiter, skip_initial_space=variant.spaced)
    encoding = "utf-8-sig" if variant.encoding.startswith("utf") else variant.encoding
    with system.use_context(trusted=True):
        resource = Resource(
            str(generated.path),
            schema=Schema.from_descriptor(schema),
            detector=Detector(schema_sync=True),
            dialect=Dialect(controls=[control]),
            encoding=encoding,
            format="csv",
        )
        report = validate(resource, limit_errors=10**7)
    errors = set()
    generic = []
    for row, name, code, note in report.flatten(["rowNumber", "fieldName", "type", "note"]):
        if code == "constraint-error":
            match = re.search(r'constraint "(\w+)"', note or "")
            code = f"constraint-error/{match.group(1)}" if match else code
        if code.split("/")[0] in COMPARED_CODES:
            errors.add((row, None if code in ROW_CODES else (name or None), code))
        else:
            generic.append((code, note))
    return errors, generic


def our_errors(findings) -> set:
    result = set()
    for finding in findings:
        if finding.severity != "error" or finding.code not in COMPARED_CODES:
            continue
        name = None if finding.code in ROW_CODES else finding.field
        result.add((finding.row, name, finding.full_code))
    return result


@dataclass
class Tally:
    reference: int = 0
    found: int = 0
    extra: int = 0

    def add(self, other: Tally) -> None:
        self.reference += other.reference
        self.found += other.found
        self.extra += other.extra

    @property
    def found_pct(self) -> float:
        return 100.0 * self.found / self.reference if self.reference else 100.0

    @property
    def extra_pct(self) -> float:
        return 100.0 * self.extra / self.reference if self.reference else (0.0 if not self.extra else 100.0)


def tally(reference: set, ours: set, generated: GeneratedFile, per_class: Dict[str, Tally], examples: dict) -> Tally:
    total = Tally(reference=len(reference), found=len(reference & ours), extra=len(ours - reference))
    for row, name, code in reference | ours:
        kind = generated.row_classes.get(row, "header") if row is not None else "header"
        if generated.variant.encoding == "cp1252" and kind == "valid":
            kind = "file-cp1252"
        bucket = per_class.setdefault(kind, Tally())
        key = (row, name, code)
        if key in reference:
            bucket.reference += 1
            if key in ours:
                bucket.found += 1
            else:
                examples.setdefault((kind, "missed", code), (generated.path.name, generated.variant.name, key))
        else:
            bucket.extra += 1
            examples.setdefault((kind, "extra", code), (generated.path.name, generated.variant.name, key))
    return total
