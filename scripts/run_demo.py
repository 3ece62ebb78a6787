#!/usr/bin/env python3
"""Headless main job: check the demo layer with ``qgis_process`` and print the summary (``make demo``).

    python scripts/run_demo.py --demo .run/demo --profile .run/demo-profile --plugin-path . \
        [--qgis-process qgis_process.bin] [--shared ../shared]

The demo project is built beforehand by ``scripts/make_demo.py --out .run/demo``. The plugin is loaded
from ``--plugin-path`` (QGIS_PLUGINPATH) in the throw-away profile ``--profile`` (QGIS_CUSTOM_CONFIG_PATH,
with ``[PythonPlugins] opendata_publisher=true`` in ``profiles/default/QGIS/QGIS3.ini``). When
``../shared/scdl`` exists, the profile's schema cache is seeded from it, so no network is needed;
otherwise the schema is downloaded from schema.data.gouv.fr. No account is needed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_cache import seed  # noqa: E402

ALGORITHM = "opendata_publisher:validate_layer"
SCHEMA_REFERENCE = "etalab/schema-stationnement@0.1.5"
LAYER_TABLE = "parkings"
GPKG_NAME = "demo.gpkg"
PROJECT_NAME = "demo.qgs"
PARKINGS_LAYER_NAME = "Parkings (stationnement)"
try:  # use the demo's own names when its module can be imported without side effects
    import make_demo

    SCHEMA_REFERENCE = getattr(make_demo, "SCHEMA_REFERENCE", SCHEMA_REFERENCE)
    LAYER_TABLE = getattr(make_demo, "PARKINGS_TABLE", LAYER_TABLE)
    GPKG_NAME = getattr(make_demo, "GPKG_NAME", GPKG_NAME)
    PROJECT_NAME = getattr(make_demo, "PROJECT_NAME", PROJECT_NAME)
    PARKINGS_LAYER_NAME = getattr(make_demo, "PARKINGS_LAYER_NAME", PARKINGS_LAYER_NAME)
except Exception:  # noqa: BLE001 - the defaults above match the demo's documented layout
    pass


def main(argv: Optional[List[str]] = None) -> int:
    repo = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=Path, required=True)
    parser.add_argument("--profile", type=Path, required=True)
    parser.add_argument("--plugin-path", type=Path, default=repo)
    parser.add_argument("--qgis-process", default=shutil.which("qgis_process.bin") or shutil.which("qgis_process"))
    parser.add_argument("--shared", type=Path, default=repo.parent / "shared")
    args = parser.parse_args(argv)
    if not args.qgis_process:
        print("error: qgis_process not found (sudo apt install qgis)", file=sys.stderr)
        return 2

    gpkg = args.demo.resolve() / GPKG_NAME
    if not gpkg.is_file():
        print(f"error: {gpkg} not found: run scripts/make_demo.py --out {args.demo} first", file=sys.stderr)
        return 2
    profile = args.profile.resolve()
    cache = profile / "profiles" / "default" / "opendata_publisher" / "cache"
    if (args.shared / "scdl" / "_catalogue" / "schemas.json").is_file():
        count = seed(args.shared, cache)
        print(
            f"Cache des schémas prérempli depuis {args.shared / 'scdl'} ({count} schémas) : pas de réseau nécessaire."
        )
    else:
        print("../shared absent : le schéma sera téléchargé depuis schema.data.gouv.fr.")

    report = args.demo.resolve() / "rapport-verification.json"
    env = dict(os.environ)
    env.update(
        QGIS_PLUGINPATH=str(args.plugin_path.resolve()),
        QGIS_CUSTOM_CONFIG_PATH=str(profile),
        QT_QPA_PLATFORM="offscreen",
    )
    env.pop("QGIS_OPTIONS_PATH", None)
    command = [
        args.qgis_process,
        "run",
        ALGORITHM,
        "--json",
        f"--INPUT={gpkg}|layername={LAYER_TABLE}",
        f"--SCHEMA={SCHEMA_REFERENCE}",
        f"--OUTPUT_REPORT={report}",
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        print(result.stdout[-4000:])
        print(result.stderr[-4000:], file=sys.stderr)
        print(f"error: qgis_process failed (code {result.returncode})", file=sys.stderr)
        return result.returncode or 1
    try:
        payload = json.loads(result.stdout[result.stdout.index("{") :])
    except ValueError:
        payload = {}
    results = payload.get("results", {})
    info = payload.get("log", {}).get("info", []) if isinstance(payload.get("log"), dict) else []
    lines = info if isinstance(info, list) else str(info).splitlines()
    summary = [str(line).strip() for line in lines if str(line).strip()]
    print(f"Couche vérifiée : {gpkg}|layername={LAYER_TABLE}")
    print(f"Schéma : {SCHEMA_REFERENCE}")
    if summary:
        print(summary[-1])
    if results:
        print(
            f"Conforme : {'oui' if results.get('VALID') else 'non'} — erreurs : {results.get('ERROR_COUNT')}, "
            f"avertissements : {results.get('WARNING_COUNT')}"
        )
    print(f"Rapport : {report}")
    if not report.is_file():
        return 1
    project = args.demo.resolve() / PROJECT_NAME
    if project.is_file():  # the project holds the layer's schema, mapping and metadata
        publish_demo(args.qgis_process, env, PARKINGS_LAYER_NAME, args.demo.resolve() / "publication", project)
    else:
        publish_demo(args.qgis_process, env, f"{gpkg}|layername={LAYER_TABLE}", args.demo.resolve() / "publication")
    return 0


PUBLISH_ALGORITHM = "opendata_publisher:publish_layer"


def publish_demo(qgis_process: str, env: dict, layer: str, folder: Path, project: Optional[Path] = None) -> None:
    """Last step: publish the demo layer to the local publication folder (no account). The demo layer keeps
    its planted mistakes, so the gate refuses and lists them: that is what the demo shows."""
    command = [
        qgis_process,
        "run",
        PUBLISH_ALGORITHM,
        "--json",
        f"--INPUT={layer}",
        f"--CONNECTION=folder:{folder}",
        "--FORMAT=0",
    ]
    if project is not None:
        command.insert(4, f"--PROJECT_PATH={project}")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    print()
    print(f"Publication dans le dossier local {folder} :")
    if result.returncode == 0:
        try:
            payload = json.loads(result.stdout[result.stdout.index("{") :])
        except ValueError:
            payload = {}
        print(f"Publiée : {payload.get('results', {}).get('DATASET_URL', folder)}")
        return
    text = result.stdout + "\n" + result.stderr
    lines = [line.strip() for line in text.splitlines()]
    shown = []
    for line in lines:  # the refusal once (qgis_process writes it to both streams): from its title to the steps
        if line.startswith("Publication refusée") or shown:
            shown.append(line)
        if shown and line.startswith("Étapes à ouvrir"):
            break
    if shown:
        print("\n".join(shown))
    elif "publish_layer" in text and "not found" in text.lower():
        print("(algorithme de publication non disponible dans cette version)")
    else:
        print(text.strip()[-2000:])


if __name__ == "__main__":
    sys.exit(main())
