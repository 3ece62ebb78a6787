#!/usr/bin/env python3
"""Build the snapshot of the schema.data.gouv.fr catalogue shipped inside the plugin (``make catalogue-snapshot``).

    python scripts/build_catalogue_snapshot.py --out opendata_publisher/resources/catalogue
    python scripts/build_catalogue_snapshot.py --out opendata_publisher/resources/catalogue --shared ../shared

The snapshot lets the very first check work with no network (or behind a proxy that blocks the catalogue):
the catalogue (``catalogue/schemas.json``, dated in ``catalogue/meta.json``) and the latest version of every
schema of the Socle Commun des Données Locales (``schemas/<owner>/<slug>/<version>/schema.json``), in the layout
of the plugin's schema cache (see ``opendata_publisher/core/schema/catalogue.py``). The plugin prefers the live
catalogue and its cache when they are newer.

Without ``--shared`` the catalogue and the schemas are downloaded from schema.data.gouv.fr (standard library,
developer machine). With ``--shared DIR`` they are taken from the reference copies in ``DIR/scdl`` (catalogue in
``DIR/scdl/_catalogue/schemas.json``, schemas in ``DIR/scdl/<slug>/<version>/schema.json``), dated by the
catalogue file's modification time. Catalogue and schemas: Licence Ouverte 2.0 (schema.data.gouv.fr).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import urllib.request
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from seed_cache import match_local_schemas  # noqa: E402 - sibling script

# the plugin's own catalogue rules (pure Python: no QGIS needed here)
from opendata_publisher.core.schema.catalogue import (  # noqa: E402
    DEFAULT_CATALOGUE_URL,
    SCDL_LABEL,
    version_key,
)


def common_core(catalogue: Dict) -> Dict[str, Dict[str, str]]:
    """{name: {version: schema_url}} of the latest version of each SCDL Table Schema of the catalogue."""
    found: Dict[str, Dict[str, str]] = {}
    for entry in catalogue.get("schemas", []):
        if entry.get("schema_type") != "tableschema" or SCDL_LABEL not in (entry.get("labels") or []):
            continue
        versions = {
            v.get("version_name"): v.get("schema_url")
            for v in entry.get("versions") or []
            if v.get("version_name") and v.get("version_name") != "latest" and v.get("schema_url")
        }
        if versions:
            latest = max(versions, key=version_key)
            found[entry["name"]] = {latest: versions[latest]}
    return found


def _download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as answer:  # noqa: S310 - fixed https address
        return answer.read()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def build(out: Path, shared: Optional[Path] = None, url: str = DEFAULT_CATALOGUE_URL) -> List[str]:
    """Write the snapshot into ``out`` (replaced); returns the ``owner/slug@version`` of the schemas included."""
    if shared is not None:
        catalogue_file = shared / "scdl" / "_catalogue" / "schemas.json"
        data = catalogue_file.read_bytes()
        dated = datetime.fromtimestamp(catalogue_file.stat().st_mtime, timezone.utc)
        source = f"copy of {url} in {catalogue_file.name} (reference material)"
    else:
        data = _download(url)
        dated = datetime.now(timezone.utc)
        source = url
    catalogue = json.loads(data.decode("utf-8-sig"))
    wanted = common_core(catalogue)
    schemas: Dict[str, bytes] = {}
    if shared is not None:
        for name, version, local in match_local_schemas(shared / "scdl", catalogue):
            if version in wanted.get(name, {}):
                schemas[f"{name}@{version}"] = local.read_bytes()
    else:
        for name, versions in wanted.items():
            for version, schema_url in versions.items():
                schemas[f"{name}@{version}"] = _download(schema_url)
    if out.exists():
        shutil.rmtree(out)
    _write(out / "catalogue" / "schemas.json", data)
    meta = {
        "url": url,
        "fetched_at": dated.replace(microsecond=0).isoformat(),
        "snapshot": True,
        "source": source,
        "licence": "Licence Ouverte 2.0 (schema.data.gouv.fr)",
        "schemas": sorted(schemas),
    }
    _write(out / "catalogue" / "meta.json", (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    for ref, content in schemas.items():
        name, version = ref.split("@", 1)
        _write(out / "schemas" / Path(*name.split("/")) / version / "schema.json", content)
    return sorted(schemas)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Build the catalogue snapshot shipped in the plugin")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--shared", type=Path, help="build from the reference copies of DIR/scdl (no network)")
    parser.add_argument("--url", default=DEFAULT_CATALOGUE_URL)
    args = parser.parse_args(argv)
    try:
        included = build(args.out, args.shared, args.url)
    except (OSError, ValueError) as exc:
        print(f"snapshot not built: {exc}", file=sys.stderr)
        return 1
    print(f"catalogue snapshot in {args.out}: catalogue + {len(included)} schema(s): {', '.join(included)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
