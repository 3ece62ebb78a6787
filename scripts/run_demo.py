#!/usr/bin/env python3
"""Headless main job of the plugin on the demo layer, with the built-in defaults (``make demo``).

    python scripts/run_demo.py --demo .run/demo --profile .run/demo-profile --plugin-path . \
        [--qgis-process qgis_process.bin] [--shared ../shared]

Six steps, the way an agent goes through the dock, printed in French:

1. **Vérifier** — ``opendata_publisher:validate_layer`` on the demo parkings (``qgis_process``);
2. **Corriger** — ``opendata_publisher:conform_layer`` writes a new conforming layer
   (``parkings-conformes.gpkg``); what it cannot guess (a forgotten name, a point never placed…) is then
   corrected « by hand » with the values of :func:`make_demo.hand_fixes`, as the agent does in the
   attribute table, and the new layer is checked again;
3. **Décrire** — the description is prefilled from the organisation profile (:data:`make_demo.DEMO_PROFILE`),
   the schema and the plugin's defaults (licence Etalab 2.0, French, « données ouvertes »); the agent only
   types a title, a sentence, a frequency, a theme and the period (:data:`make_demo.DEMO_DESCRIPTION`) and
   confirms the « À vérifier » points of the legal check; the layer is added to ``demo.qgs``;
4. **Publier** — ``opendata_publisher:publish_layer`` to the local publication folder (no account);
5. **Publier à nouveau** — the same dataset is updated, not duplicated;
6. where the folder is.

The project is built beforehand by ``scripts/make_demo.py --out .run/demo``. The plugin is loaded from
``--plugin-path`` (QGIS_PLUGINPATH) in the throw-away profile ``--profile`` (QGIS_CUSTOM_CONFIG_PATH, with
``[PythonPlugins] opendata_publisher=true`` in ``profiles/default/QGIS/QGIS3.ini``). When ``../shared/scdl``
exists, the profile's schema cache is seeded from it, so no network is needed; otherwise the schema is
downloaded from schema.data.gouv.fr. Exit code 0 only when the layer was published twice into one dataset.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

SCRIPTS = Path(__file__).resolve().parent
sys.path.insert(0, str(SCRIPTS))
sys.path.insert(0, str(SCRIPTS.parent))  # the plugin package, from the repository

import make_demo  # noqa: E402
from seed_cache import seed  # noqa: E402

CONFORM_NAME = "parkings-conformes.gpkg"
CONFORM_LAYER_NAME = "Parkings conformes (stationnement)"
CONFORM_MAPPING = {"nb_voiture": "nb_voitures_electriques"}  # the truncated field name, as the dock suggests it
PUBLICATION_DIR = "publication"


class DemoFailure(Exception):
    """A step of the demo did not do what it promises (French message)."""


def _title(number: int, text: str) -> None:
    print()
    print(f"{number}. {text}")
    print("-" * (len(text) + 3))


def _payload(stdout: str) -> Dict[str, Any]:
    try:
        return json.loads(stdout[stdout.index("{") :])
    except ValueError:
        return {}


def _messages(payload: Dict[str, Any]) -> List[str]:
    info = payload.get("log", {}).get("info", []) if isinstance(payload.get("log"), dict) else []
    lines = info if isinstance(info, list) else str(info).splitlines()
    return [str(line).strip() for line in lines if str(line).strip()]


class Runner:
    """Runs the plugin's algorithms with ``qgis_process`` in the throw-away profile."""

    def __init__(self, qgis_process: str, profile: Path, plugin_path: Path, project: Optional[Path] = None):
        self.qgis_process = qgis_process
        self.project = project
        self.env = dict(os.environ)
        self.env.update(
            QGIS_PLUGINPATH=str(plugin_path.resolve()),
            QGIS_CUSTOM_CONFIG_PATH=str(profile),
            QT_QPA_PLATFORM="offscreen",
        )
        self.env.pop("QGIS_OPTIONS_PATH", None)

    def run(self, algorithm: str, *parameters: str, project: Optional[Path] = None):
        command = [self.qgis_process, "run", f"opendata_publisher:{algorithm}", "--json"]
        if project is not None:
            command.append(f"--PROJECT_PATH={project}")
        command += list(parameters)
        return subprocess.run(command, env=self.env, capture_output=True, text=True, check=False)

    def run_ok(self, algorithm: str, *parameters: str, project: Optional[Path] = None) -> Dict[str, Any]:
        result = self.run(algorithm, *parameters, project=project)
        if result.returncode != 0:
            print(result.stdout[-3000:])
            print(result.stderr[-3000:], file=sys.stderr)
            raise DemoFailure(f"l'algorithme {algorithm} a échoué (code {result.returncode}).")
        return _payload(result.stdout)


# --------------------------------------------------------------------------- steps


def check(runner: Runner, layer: str, report: Path) -> Dict[str, Any]:
    payload = runner.run_ok(
        "validate_layer", f"--INPUT={layer}", f"--SCHEMA={make_demo.SCHEMA_REFERENCE}", f"--OUTPUT_REPORT={report}"
    )
    results = payload.get("results", {})
    summary = _messages(payload)
    if summary:
        print(summary[-1])
    print(
        f"Conforme : {'oui' if results.get('VALID') else 'non'} — erreurs : {results.get('ERROR_COUNT')}, "
        f"avertissements : {results.get('WARNING_COUNT')}"
    )
    print(f"Rapport : {report}")
    if not report.is_file():
        raise DemoFailure(f"le rapport {report} n'a pas été écrit.")
    return results


def conform(runner: Runner, layer: str, output: Path, report: Path) -> None:
    for path in (output, report):
        if path.exists():
            path.unlink()
    payload = runner.run_ok(
        "conform_layer",
        f"--INPUT={layer}",
        f"--SCHEMA={make_demo.SCHEMA_REFERENCE}",
        f"--MAPPING={json.dumps(CONFORM_MAPPING)}",
        "--FIXES=all",
        f"--OUTPUT={output}",
        f"--REPORT={report}",
    )
    results = payload.get("results", {})
    print(f"Nouvelle couche : {output} (la couche d'origine n'est pas modifiée)")
    print(f"Valeurs corrigées automatiquement : {results.get('FIXED_COUNT')}")
    remaining = [f for f in json.loads(report.read_text(encoding="utf-8"))["findings"] if f["severity"] == "error"]
    print(f"Reste à corriger à la main : {len(remaining)} erreur(s)")
    for finding in remaining:
        print(f"  - {finding['message']}")


def fix_by_hand(path: Path) -> None:
    """The values the agent knows (make_demo.hand_fixes), written like an edit in the attribute table."""
    from qgis.core import (
        QgsCoordinateReferenceSystem,
        QgsCoordinateTransform,
        QgsGeometry,
        QgsPointXY,
        QgsProject,
        QgsVectorLayer,
    )

    layer = QgsVectorLayer(str(path), "conforme", "ogr")
    if not layer.isValid():
        raise DemoFailure(f"la couche {path} ne s'ouvre pas.")
    to_layer = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), layer.crs(), QgsProject.instance())
    fields = layer.fields()
    provider = layer.dataProvider()
    for fix in make_demo.hand_fixes():
        matches = [f for f in layer.getFeatures() if str(f[fix.key_field]) == fix.key_value]
        if len(matches) != 1:
            raise DemoFailure(f"« {fix.key_value} » ({fix.key_field}) introuvable dans {path}.")
        feature = matches[0]
        label = feature["nom"] if fix.key_field == "nom" else f"{fix.key_field} {fix.key_value}"
        changes = {fields.indexOf(name): value for name, value in fix.values.items()}
        edits = [f"{name} « {_shown(feature[name])} » → « {value} »" for name, value in fix.values.items()]
        if fix.lonlat is not None:
            edits.append(f"point placé en {fix.lonlat[0]}, {fix.lonlat[1]}")
        print(f"  - {label} : {', '.join(edits)} ({fix.why})")
        if changes and not provider.changeAttributeValues({feature.id(): changes}):
            raise DemoFailure(f"la correction de « {label} » n'a pas pu être enregistrée.")
        if fix.lonlat is not None:
            geometry = QgsGeometry.fromPointXY(QgsPointXY(*fix.lonlat))
            geometry.transform(to_layer)
            if layer.wkbType() != geometry.wkbType():
                geometry.convertToMultiType()
            if not provider.changeGeometryValues({feature.id(): geometry}):
                raise DemoFailure(f"le point de « {label} » n'a pas pu être enregistré.")


def _shown(value: Any) -> str:
    """A value as the attribute table shows it (an empty value is « NULL » there: « vide » here)."""
    from qgis.PyQt.QtCore import QVariant

    return "vide" if value is None or (isinstance(value, QVariant) and value.isNull()) else str(value)


def describe(path: Path, project_path: Path) -> None:
    """Prefill the description (profile, schema, defaults), add what the agent types, confirm the legal
    « À vérifier » points, and add the layer to the demo project."""
    from osgeo import ogr
    from qgis.core import QgsProject, QgsVectorLayer

    from opendata_publisher.core.layer_properties import SCHEMA_PROPERTY
    from opendata_publisher.core.legal.collect import LegalInput, legal_check
    from opendata_publisher.core.legal.gate import legal_gate, load_acknowledgements, record_acknowledgements
    from opendata_publisher.core.metadata import FIELD_LABELS, OrganisationProfile
    from opendata_publisher.core.metadata.completeness import check_completeness
    from opendata_publisher.core.metadata.layer_metadata import (
        read_layer_description,
        save_to_datasource,
        write_layer_description,
    )
    from opendata_publisher.core.metadata.prefill import prefill_description
    from opendata_publisher.core.schema.catalogue import load_schema_reference

    dataset = ogr.Open(str(path))
    table = dataset.GetLayer(0).GetName() if dataset is not None and dataset.GetLayerCount() else ""
    dataset = None
    layer = QgsVectorLayer(f"{path}|layername={table}", CONFORM_LAYER_NAME, "ogr")
    if not layer.isValid():
        raise DemoFailure(f"la couche {path} ne s'ouvre pas.")
    schema = load_schema_reference(make_demo.SCHEMA_REFERENCE)
    profile = OrganisationProfile(**make_demo.DEMO_PROFILE)
    description = prefill_description(layer, schema, profile, read_layer_description(layer))
    print(
        f"Prérempli : producteur et diffuseur « {description.publisher.name} », contact "
        f"« {description.contact.email} », licence « {description.licence} », langue « {description.language} », "
        f"mots-clés {', '.join(description.keywords)}, schéma « {schema.title} » {description.schema.version}."
    )
    for name, value in make_demo.DEMO_DESCRIPTION.items():
        setattr(description, name, list(value) if isinstance(value, list) else value)
    typed = [FIELD_LABELS.get(name, name).lower() for name in make_demo.DEMO_DESCRIPTION]
    print(f"Saisi par l'agent : {', '.join(typed)}.")
    missing = [f for f in check_completeness(description, ["dcat"]) if f.severity == "error"]
    if missing:
        raise DemoFailure("description incomplète : " + " ".join(f.message for f in missing))
    write_layer_description(layer, description)
    layer.setCustomProperty(SCHEMA_PROPERTY, make_demo.SCHEMA_REFERENCE)

    report = legal_check(LegalInput.from_layer(layer))
    result = legal_gate(report.findings, load_acknowledgements(layer))
    if result.blocked:
        raise DemoFailure("le contrôle juridique bloque : " + " ".join(result.reasons))
    for finding in result.needs_ack:
        print(f"Contrôle juridique, vérifié et confirmé par l'agent : {finding.message}")
    record_acknowledgements(layer, result.needs_ack, user="agent de la démo")
    ok, message = save_to_datasource(layer)
    print(message)
    from opendata_publisher.core.source_state import save_settings

    if not save_settings(layer):  # schema, acknowledgements…: with the GeoPackage, for publications without a project
        raise DemoFailure("les réglages de publication n'ont pas pu être enregistrés avec la donnée.")

    project = QgsProject()
    if not project.read(str(project_path)):
        raise DemoFailure(f"le projet {project_path} ne s'ouvre pas : {project.error()}")
    for old in project.mapLayersByName(CONFORM_LAYER_NAME):
        project.removeMapLayer(old.id())
    project.addMapLayer(layer)
    if not project.write():
        raise DemoFailure(f"le projet {project_path} n'a pas pu être enregistré : {project.error()}")
    project.clear()


def publish(runner: Runner, layer: str, folder: Path) -> str:
    # no project: what the agent decided travels with the GeoPackage (and QGIS 3.22's qgis_process crashes at
    # exit when given --PROJECT_PATH)
    result = runner.run(
        "publish_layer",
        f"--INPUT={layer}",
        f"--CONNECTION=folder:{folder}",
        "--FORMAT=0,1",  # CSV and GeoJSON
    )
    if result.returncode != 0:
        text = result.stdout + "\n" + result.stderr
        shown = []
        for line in (line.strip() for line in text.splitlines()):
            if line.startswith("Publication refusée") or shown:
                shown.append(line)
            if shown and line.startswith("Étapes à ouvrir"):
                break
        print("\n".join(shown) if shown else text.strip()[-3000:])
        raise DemoFailure("la publication n'a pas eu lieu.")
    payload = _payload(result.stdout)
    for line in _messages(payload)[-3:]:
        print(line)
    return str(payload.get("results", {}).get("DATASET_URL", ""))


def datasets(folder: Path) -> List[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


# --------------------------------------------------------------------------- main


def main(argv: Optional[List[str]] = None) -> int:
    repo = SCRIPTS.parent
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

    demo = args.demo.resolve()
    gpkg = demo / make_demo.GPKG_NAME
    project = demo / make_demo.PROJECT_NAME
    if not gpkg.is_file() or not project.is_file():
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

    # the in-process steps (hand fixes, description) use the same throw-away profile as qgis_process
    os.environ["QGIS_CUSTOM_CONFIG_PATH"] = str(profile)
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    runner = Runner(args.qgis_process, profile, args.plugin_path)
    conformed = demo / CONFORM_NAME
    folder = demo / PUBLICATION_DIR
    try:
        _title(1, "Vérifier")
        print(f"Couche : {gpkg}|layername={make_demo.PARKINGS_TABLE} — schéma {make_demo.SCHEMA_REFERENCE}")
        check(runner, f"{gpkg}|layername={make_demo.PARKINGS_TABLE}", demo / "rapport-verification.json")

        _title(2, "Corriger : une nouvelle couche conforme")
        conform(runner, f"{gpkg}|layername={make_demo.PARKINGS_TABLE}", conformed, demo / "rapport-conforme.json")
        print("Corrections à la main (ce que l'agent sait du terrain, saisi dans la table attributaire) :")
        fix_by_hand(conformed)
        print("Nouvelle vérification de la couche conforme :")
        results = check(runner, str(conformed), demo / "rapport-verification-conforme.json")
        if not results.get("VALID"):
            raise DemoFailure("la couche corrigée n'est pas conforme.")

        _title(3, "Décrire (profil de l'organisation et valeurs par défaut de l'extension)")
        describe(conformed, project)

        if folder.exists():
            shutil.rmtree(folder)  # the demo starts from an empty publication folder
        _title(4, "Publier dans le dossier de publication local (sans compte)")
        first = publish(runner, str(conformed), folder)
        _title(5, "Publier à nouveau : le même jeu de données est mis à jour")
        second = publish(runner, str(conformed), folder)
        published = datasets(folder)
        if len(published) != 1 or first != second:
            raise DemoFailure(f"deux publications ont créé {len(published)} jeux de données ({first}, {second}).")
        history = published[0] / "historique.json"
        if history.is_file():
            entries = json.loads(history.read_text(encoding="utf-8"))
            count = len(entries) if isinstance(entries, list) else len(entries.get("publications", []))
            print(f"Un seul jeu de données, mis à jour ; son historique compte {count} publications.")
        else:
            print("Un seul jeu de données, mis à jour.")

        _title(6, "Dossier de publication")
        print(f"Dossier de publication : {published[0]}")
        for path in sorted(p for p in published[0].rglob("*") if p.is_file()):
            print(f"  {path.relative_to(published[0])}")
        print(f"Projet QGIS de la démo (couche d'origine et couche conforme) : {project}")
    except DemoFailure as exc:
        print(f"\nLa démonstration s'arrête : {exc}", file=sys.stderr)
        return 1
    finally:
        app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
