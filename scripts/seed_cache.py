#!/usr/bin/env python3
"""Fill the plugin's schema cache from the reference copies in ``../shared/scdl`` (offline demo / run).

    python scripts/seed_cache.py --shared ../shared --cache <cache folder>

Writes the layout read by ``opendata_publisher/core/schema/catalogue.py``:
``<cache>/catalogue/schemas.json`` (+ ``meta.json``) and
``<cache>/schemas/<owner>/<slug>/<version>/schema.json`` for every local schema that matches a catalogue
entry (by slug, or by the schema's own ``name``). Best effort, standard library only; prints a summary.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List, Optional, Tuple

DEFAULT_CATALOGUE_URL = "https://schema.data.gouv.fr/schemas.json"


def _schema_name(path: Path) -> Optional[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return None
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) else None


def match_local_schemas(scdl: Path, catalogue: Dict) -> List[Tuple[str, str, Path]]:
    """(catalogue name, version, local schema.json) for local copies that match a Table Schema entry."""
    entries = [s for s in catalogue.get("schemas", []) if s.get("schema_type") == "tableschema"]
    found = []
    for local in sorted(scdl.glob("*/*/schema.json")):
        folder, version = local.parts[-3], local.parts[-2]
        own_name = _schema_name(local)
        for entry in entries:
            slug = entry.get("name", "").split("/")[-1]
            versions = [v.get("version_name") for v in entry.get("versions", [])]
            if version not in versions:
                continue
            if slug in (folder, f"schema-{folder}", own_name) or slug.replace("schema-", "") == folder:
                found.append((entry["name"], version, local))
    return found


def seed(shared: Path, cache: Path, catalogue_url: str = DEFAULT_CATALOGUE_URL) -> int:
    scdl = shared / "scdl"
    catalogue_file = scdl / "_catalogue" / "schemas.json"
    if not catalogue_file.is_file():
        raise FileNotFoundError(f"{catalogue_file} not found")
    catalogue = json.loads(catalogue_file.read_text(encoding="utf-8-sig"))
    (cache / "catalogue").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(catalogue_file, cache / "catalogue" / "schemas.json")
    meta = {"url": catalogue_url, "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    (cache / "catalogue" / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    count = 0
    for name, version, local in match_local_schemas(scdl, catalogue):
        target = cache / "schemas" / Path(*name.split("/")) / version / "schema.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(local, target)
        count += 1
    return count


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Seed the schema cache from ../shared/scdl")
    parser.add_argument("--shared", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--catalogue-url", default=DEFAULT_CATALOGUE_URL)
    args = parser.parse_args(argv)
    try:
        count = seed(args.shared, args.cache, args.catalogue_url)
    except (OSError, ValueError) as exc:
        print(f"cache not seeded: {exc}", file=sys.stderr)
        return 1
    print(f"schema cache seeded in {args.cache}: catalogue + {count} schema(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
