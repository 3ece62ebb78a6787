"""One review screen before « Publier » (issue 11, item 11): title, description, licence, schema and version, files
and formats, portal and organisation, what is new since last time, with « Modifier » links to each step."""

from __future__ import annotations

import pytest
from qgis.core import QgsProject
from qgis.PyQt.QtCore import QCoreApplication

from opendata_publisher.core.metadata.layer_metadata import read_layer_description, write_layer_description
from opendata_publisher.core.portals.base import PortalConnection
from opendata_publisher.core.publish import PUBLISHED
from opendata_publisher.gui.dock import OpenDataDock
from opendata_publisher.gui.review_box import review_rows
from tests.qgis.test_publish_folder import GOOD_ROWS, good_layer, make_gpkg

DATASET = "parkings-publics-de-la-commune-de-test"


@pytest.fixture
def dock(qgis_iface, qgis_new_project, tmp_path):
    created = OpenDataDock(qgis_iface)
    page = created.publish_page
    page.run_inline = True
    page.set_folder(str(tmp_path / "publication"))
    page.open_url = lambda url: None
    yield created
    created.cleanup()
    created.deleteLater()
    QCoreApplication.processEvents()


def test_review_shows_what_will_be_published_and_links_to_each_step(dock, tmp_path):
    page = dock.publish_page
    layer = good_layer(tmp_path)
    QgsProject.instance().addMapLayer(layer)
    page.set_layer(layer)
    box = page.review_box
    assert box.isVisibleTo(page)
    assert box.text("title") == "Parkings publics de la commune de Test"
    assert box.text("description").startswith("Emplacements et capacités des parkings publics")
    assert box.text("licence") == "Licence Ouverte / Open Licence version 2.0 (Etalab)"
    assert box.text("schema") == "schema.json"  # a local schema file: its file name, never « aucun schéma »
    assert box.text("files") == f"{DATASET}.csv, {DATASET}.geojson, {DATASET}.gpkg"
    assert box.text("portal") == f"Local folder: {tmp_path / 'publication'}" or str(tmp_path) in box.text("portal")
    assert box.text("news") in ("First publication to this place.", "Première publication à cet endroit.")
    # the formats follow the boxes
    page.format_checks["gpkg"].setChecked(False)
    assert box.text("files") == f"{DATASET}.csv, {DATASET}.geojson"
    # « Modifier » opens the step with this layer
    assert set(box.edit_links) == {"title", "description", "licence", "schema"}
    box.edit_links["licence"].linkActivated.emit("licence")
    assert dock.tabs.currentWidget() is dock.licence_page
    assert dock.licence_page.current_layer().id() == layer.id()
    dock.flow.open_step("publier")
    box.edit_links["title"].linkActivated.emit("decrire")
    assert dock.tabs.currentWidget() is dock.describe_page
    dock.flow.open_step("publier")

    # published once: the next review says what changed since
    page.publish()
    assert page.outcome.status == PUBLISHED
    assert "written in the local folder" in page.result_label.text() or "dossier local" in page.result_label.text()
    assert "portal confirmed" not in page.result_label.text()
    description = read_layer_description(layer)
    description.title = "Parkings publics de Test"
    write_layer_description(layer, description)
    page.format_checks["gpkg"].setChecked(True)
    news = box.text("news")
    assert news.startswith("Update of the publication of 20") or news.startswith("Mise à jour de la publication")
    assert "new title" in news or "nouveau titre" in news
    assert "GeoPackage" in news


def test_review_marks_what_is_missing(dock, tmp_path):
    layer = make_gpkg(tmp_path / "brut.gpkg", GOOD_ROWS)
    rows = {r.key: r for r in review_rows(layer, None, [])}
    assert rows["title"].missing and rows["description"].missing and rows["licence"].missing
    assert rows["files"].missing and rows["portal"].missing
    connection = PortalConnection("Orléans", "udata", "https://www.data.gouv.fr", organisation="orleans-metropole")
    rows = {r.key: r for r in review_rows(layer, connection, ["csv"])}
    assert "Orléans" in rows["portal"].text and "orleans-metropole" in rows["portal"].text
    assert rows["files"].text == "parkings.csv"
