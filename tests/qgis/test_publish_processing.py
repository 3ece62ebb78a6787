"""The publish_layer algorithm: in process, and headless through ``qgis_process`` with ``folder:<path>`` on a
layer whose metadata was typed in QGIS's own metadata tab (free-text licence, contact, keywords)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from qgis.core import (
    QgsLayerMetadata,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsVectorLayer,
)

from opendata_publisher.processing.publish_layer import PublishLayerAlgorithm
from tests.qgis.test_publish_folder import GOOD_ROWS, make_gpkg
from tests.qgis.test_qgis_process import QGIS_PROCESS, run_qgis_process, write_profile

ABSTRACT = (
    "Emplacements et capacités des parkings publics de la commune de Test, relevés chaque année par le service SIG "
    "sur le terrain."
)


def native_metadata_layer(path: Path) -> QgsVectorLayer:
    """Metadata as an agent types it in Layer properties > Metadata, saved inside the GeoPackage."""
    layer = make_gpkg(path, GOOD_ROWS)
    md = QgsLayerMetadata()
    md.setTitle("Parkings publics de Test")
    md.setAbstract(ABSTRACT)
    md.setLicenses(["Licence Ouverte / Open Licence version 2.0"])
    md.addKeywords("Mots-clés", ["stationnement", "parking", "données ouvertes"])
    md.setCategories(["transportation"])
    contact = QgsLayerMetadata.Contact("Service SIG")
    contact.organization = "Commune de Test"
    contact.email = "sig@test-commune.fr"
    contact.role = "pointOfContact"
    md.addContact(contact)
    layer.setMetadata(md)
    message, ok = layer.saveDefaultMetadata()
    assert ok, message
    # as in QGIS, the algorithm runs on a layer of the project (a layer object outside any project, passed as a
    # parameter value, is left to C++ and crashes the interpreter when it is destroyed after QGIS has exited)
    QgsProject.instance().addMapLayer(layer)
    return layer


def run_algorithm(parameters):
    algorithm = PublishLayerAlgorithm()
    algorithm.initAlgorithm()
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = QgsProcessingFeedback()
    results, ok = algorithm.run(parameters, context, feedback)  # run() reports exceptions in the feedback
    return results, ok, feedback.textLog()


@pytest.fixture
def clean_project():
    yield
    QgsProject.instance().removeAllMapLayers()


def test_algorithm_publishes_and_refuses_in_process(tmp_path, clean_project):
    layer = native_metadata_layer(tmp_path / "natif.gpkg")
    root = tmp_path / "publication"
    _results, ok, log = run_algorithm({"INPUT": layer, "CONNECTION": f"folder:{root}", "FORMAT": [0]})
    assert not ok and "publier quand même" in log  # warnings only: accepted explicitly below
    assert not root.exists() or not any(root.iterdir())

    results, ok, log = run_algorithm(
        {"INPUT": layer, "CONNECTION": f"folder:{root}", "FORMAT": [0, 1], "ACCEPT_WARNINGS": True}
    )
    assert ok, log
    folder = root / "parkings-publics-de-test"
    assert results["DATASET_URL"] == folder.resolve().as_uri()
    assert results["RESOURCE_URL"] == (folder / "parkings-publics-de-test.csv").resolve().as_uri()
    assert "Licence Ouverte" in (folder / "LICENCE.txt").read_text(encoding="utf-8")
    assert "sig@test-commune.fr" in (folder / "README.md").read_text(encoding="utf-8")

    _results, ok, log = run_algorithm({"INPUT": layer, "CONNECTION": "connexion inconnue", "FORMAT": [0]})
    assert not ok and "Connexion « connexion inconnue » inconnue" in log


def test_cancel_after_the_dataset_was_created_keeps_its_reference(tmp_path, clean_project, monkeypatch):
    from opendata_publisher.core import portals as portals_module
    from opendata_publisher.core.portals.base import DatasetRef, PortalError
    from opendata_publisher.core.portals.connections import folder_connection
    from opendata_publisher.core.publish import stored_ref

    layer = native_metadata_layer(tmp_path / "natif.gpkg")
    root = tmp_path / "publication"
    created = DatasetRef("folder", str(root), "abc123", {}, "file:///publication/abc123")

    class CancelledAdapter:
        def publish(self, request, progress=None, feedback=None):
            raise PortalError("Publication annulée pendant l'envoi du fichier.", kind="cancelled", ref=created)

    monkeypatch.setattr(portals_module, "adapter_for", lambda _connection: CancelledAdapter())
    parameters = {"INPUT": layer, "CONNECTION": f"folder:{root}", "FORMAT": [0], "ACCEPT_WARNINGS": True}
    _results, ok, log = run_algorithm(parameters)
    assert not ok and "Publication annulée pendant l'envoi du fichier." in log
    assert "nothing was published" not in log and "rien n'a été publié" not in log
    assert stored_ref(layer, folder_connection(str(root))).dataset_id == "abc123"


@pytest.mark.skipif(QGIS_PROCESS is None, reason="qgis_process.bin not installed (apt install qgis)")
def test_qgis_process_publishes_to_a_folder(tmp_path, clean_project):
    from opendata_publisher.processing.provider import ALGORITHMS

    assert (".publish_layer", "PublishLayerAlgorithm") in ALGORITHMS, "register publish_layer in provider.py"
    gpkg = tmp_path / "natif.gpkg"
    native_metadata_layer(gpkg)
    root = tmp_path / "publication"
    profile = tmp_path / "profile"
    write_profile(profile)
    common = [f"--INPUT={gpkg}|layername=parkings", f"--CONNECTION=folder:{root}", "--FORMAT=0,1"]

    dry = run_qgis_process(
        profile,
        "run",
        "opendata_publisher:publish_layer",
        "--json",
        *common,
        "--DRY_RUN=true",
        "--ACCEPT_WARNINGS=true",
    )
    assert dry.returncode == 0, dry.stdout[-3000:] + dry.stderr[-3000:]
    assert not root.exists() or not any(root.iterdir())

    result = run_qgis_process(
        profile, "run", "opendata_publisher:publish_layer", "--json", *common, "--ACCEPT_WARNINGS=true"
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    payload = json.loads(result.stdout[result.stdout.index("{") :])
    folder = root / "parkings-publics-de-test"
    assert payload["results"]["DATASET_URL"] == folder.resolve().as_uri()
    assert (folder / "parkings-publics-de-test.csv").is_file() and (
        folder / "parkings-publics-de-test.geojson"
    ).is_file()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["licence"]["id"] == "etalab-2.0"

    again = run_qgis_process(
        profile, "run", "opendata_publisher:publish_layer", "--json", *common, "--ACCEPT_WARNINGS=true"
    )
    assert again.returncode == 0, again.stderr[-3000:]
    assert [p.name for p in root.iterdir()] == ["parkings-publics-de-test"]  # updated, not duplicated
    assert len(json.loads((folder / "historique.json").read_text(encoding="utf-8"))) == 2

    refused = run_qgis_process(profile, "run", "opendata_publisher:publish_layer", *common)
    assert refused.returncode != 0
    assert "publier quand même" in refused.stdout + refused.stderr


def test_algorithm_refuses_a_portal_address_in_clear_text(tmp_path, clean_project):
    from opendata_publisher.core.portals.base import PortalConnection
    from opendata_publisher.core.portals.connections import remove_connection, save_connection

    layer = native_metadata_layer(tmp_path / "clair.gpkg")
    # a connection edited by hand in the settings: http:// to a remote host (the key would travel in clear text)
    save_connection(PortalConnection(name="portail en clair", portal_type="udata", base_url="http://data.example.org"))
    try:
        _results, ok, log = run_algorithm(
            {"INPUT": layer, "CONNECTION": "portail en clair", "FORMAT": [0], "ACCEPT_WARNINGS": True}
        )
    finally:
        remove_connection("portail en clair")
    assert not ok and "n'est pas sécurisée (http://)" in log and "https://" in log
