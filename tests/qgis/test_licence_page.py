"""The « Licence » page: cards, ODbL justification, other licences behind a homologation, storage as SPDX
id + URL in QgsLayerMetadata, project round trip, free-text licences typed in QGIS's metadata tab."""

from __future__ import annotations

import pytest
from qgis.core import QgsLayerMetadata, QgsProject, QgsVectorLayer

from opendata_publisher.core.metadata.layer_metadata import read_layer_description, write_layer_description
from opendata_publisher.core.metadata.model import DatasetDescription
from opendata_publisher.gui.dock import OpenDataDock
from opendata_publisher.gui.licence_page import OTHER, LicencePage

LO_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence"


def memory_layer(name="equipements") -> QgsVectorLayer:
    layer = QgsVectorLayer("Point?crs=EPSG:2154&field=id:string", name, "memory")
    assert layer.isValid()
    return layer


@pytest.fixture
def project():
    QgsProject.instance().clear()
    yield QgsProject.instance()
    QgsProject.instance().clear()


@pytest.fixture
def page(qgis_iface, project):
    created = LicencePage(qgis_iface)
    created.ask_unsaved_func = lambda name: pytest.fail(f"unexpected question about {name}")
    yield created
    created.cleanup()


def test_default_is_the_licence_ouverte_stored_as_spdx_id_and_url(page, project):
    layer = memory_layer()
    project.addMapLayer(layer)
    page.set_layer(layer)
    assert page.chosen_key() == "etalab-2.0"  # proposed, not yet saved
    assert layer.metadata().licenses() == []
    assert page.cards["etalab-2.0"].radio.text() == "Licence Ouverte 2.0"
    assert "librement" in page.cards["etalab-2.0"].explanation.text()
    page.attribution_edit.setText("Orléans Métropole")
    assert page.save()
    assert layer.metadata().licenses() == ["etalab-2.0"]
    stored = read_layer_description(layer)
    assert stored.licence == "etalab-2.0" and stored.licence_url == LO_URL
    assert stored.attribution == "Orléans Métropole"
    assert any(link.url == LO_URL for link in layer.metadata().links())


def test_odbl_without_justification_is_refused(page, project):
    layer = memory_layer()
    project.addMapLayer(layer)
    page.set_layer(layer)
    assert page.choose("odbl")  # also found by the data.gouv.fr-style id
    assert page.chosen_key() == "ODbL-1.0"
    assert page.justification_edit.isEnabled()
    assert not page.save()
    assert "justification" in page.last_error
    assert layer.metadata().licenses() == []
    page.set_justification("Données dérivées d'OpenStreetMap")
    assert page.save()
    stored = read_layer_description(layer)
    assert stored.licence == "ODbL-1.0"
    assert stored.licence_url == "https://opendatacommons.org/licenses/odbl/1-0/"
    assert stored.licence_justification == "Données dérivées d'OpenStreetMap"


def test_other_licence_without_homologation_is_refused(page, project):
    layer = memory_layer()
    project.addMapLayer(layer)
    page.set_layer(layer)
    assert page.other_card.isHidden()
    assert page.choose("CC-BY-4.0")
    assert not page.other_card.isHidden() and page.chosen_key() == OTHER
    assert "D323-2-1" in page.other_card.explanation.text()
    assert page.current_licence() == "CC-BY-4.0"
    assert not page.save()
    assert "D323-2-2" in page.last_error
    assert layer.metadata().licenses() == []
    page.set_homologation("Décret n° 2099-1 du 1er janvier 2099")
    assert page.save()
    stored = read_layer_description(layer)
    assert stored.licence == "CC-BY-4.0" and stored.licence_url.startswith("https://creativecommons.org/")
    assert stored.licence_homologation == "Décret n° 2099-1 du 1er janvier 2099"
    assert stored.licence_justification == ""
    # going back to the Licence Ouverte clears the homologation
    page.other_button.setChecked(False)
    assert page.chosen_key() == "etalab-2.0"
    assert page.save()
    assert read_layer_description(layer).licence_homologation == ""


def test_odbl_is_suggested_when_the_lineage_mentions_openstreetmap(page, project):
    layer = memory_layer()
    project.addMapLayer(layer)
    write_layer_description(layer, DatasetDescription(title="x", lineage="Extraction OpenStreetMap de 2024"))
    other = memory_layer("autre")
    project.addMapLayer(other)
    page.set_layer(other)
    assert page.suggested_badge.isHidden()
    page.set_layer(layer)
    assert not page.suggested_badge.isHidden()
    assert page.chosen_key() == "ODbL-1.0"  # proposed because there is no licence yet
    page.set_justification("Dérivée d'OpenStreetMap")
    assert page.save()
    assert "OpenStreetMap" in read_layer_description(layer).attribution


def test_free_text_licence_typed_in_qgis_tab_is_recognised(page, project):
    layer = memory_layer()
    project.addMapLayer(layer)
    md = QgsLayerMetadata()
    md.setTitle("Saisi à la main")
    md.setLicenses(["Licence Ouverte v2.0 (Etalab)"])
    layer.setMetadata(md)
    page.set_layer(layer)
    assert page.chosen_key() == "etalab-2.0"
    assert "Licence Ouverte 2.0" in page.current_label.text()
    odbl = memory_layer("odbl")
    project.addMapLayer(odbl)
    md = QgsLayerMetadata()
    md.setLicenses(["Open Database License (ODbL)"])
    odbl.setMetadata(md)
    page.set_layer(odbl)
    assert page.chosen_key() == "ODbL-1.0"
    unknown = memory_layer("inconnue")
    project.addMapLayer(unknown)
    md = QgsLayerMetadata()
    md.setLicenses(["Licence maison"])
    unknown.setMetadata(md)
    page.set_layer(unknown)
    assert "not recognised" in page.current_label.text() or "reconnue" in page.current_label.text()


def test_licence_survives_a_project_reload_and_reaches_the_describe_page(qgis_iface, project, tmp_path):
    layer = memory_layer()
    project.addMapLayer(layer)
    dock = OpenDataDock(qgis_iface)
    try:
        for page in (dock.describe_page, dock.licence_page):
            page.ask_unsaved_func = lambda name: pytest.fail(f"unexpected question about {name}")
        dock.describe_page.set_layer(layer)
        dock.describe_page.licenceRequested.emit()  # « Choisir la licence… »
        assert dock.tabs.currentWidget() is dock.licence_page
        assert dock.licence_page.current_layer() is layer
        dock.licence_page.choose("ODbL-1.0")
        dock.licence_page.set_justification("Partage à l'identique voulu par le conseil")
        assert dock.licence_page.save()
        assert "ODbL" in dock.describe_page.licence_label.text()
        assert dock.describe_page.description().licence == "ODbL-1.0"
        dock.describe_page.title_edit.setText("Équipements")
        dock.describe_page._edited()
        assert dock.describe_page.save()  # keeps the licence chosen on the other page
    finally:
        dock.cleanup()
        dock.deleteLater()
    path = str(tmp_path / "licence.qgz")
    assert project.write(path)
    layer_id = layer.id()
    project.clear()
    assert project.read(path)
    reopened = project.mapLayer(layer_id)
    stored = read_layer_description(reopened)
    assert stored.title == "Équipements"
    assert stored.licence == "ODbL-1.0" and stored.licence_justification.startswith("Partage")
    page = LicencePage(qgis_iface)
    try:
        page.set_layer(reopened)
        assert page.chosen_key() == "ODbL-1.0"
        assert page.justification_edit.text() == "Partage à l'identique voulu par le conseil"
    finally:
        page.cleanup()
