"""The « Publier » page end to end with a local publication folder (real GeoPackage layers, real files): the gate's
refusal with working « open this step » buttons, a complete layer published with its link and history row,
« publier quand même » for warnings, the deleted-dataset question, simulation."""

from __future__ import annotations

import shutil

import pytest
from qgis.core import QgsProject
from qgis.PyQt.QtCore import QCoreApplication

from opendata_publisher.core.history import history
from opendata_publisher.core.metadata.layer_metadata import write_layer_description
from opendata_publisher.core.publish import DRY_RUN, FAILED, PUBLISHED, REFUSED, STEP_DESCRIBE, STEP_LICENCE
from opendata_publisher.gui.dock import OpenDataDock
from opendata_publisher.gui.publish_page import PublishPage
from tests.qgis.test_publish_folder import GOOD_ROWS, full_description, good_layer, make_gpkg

DATASET = "parkings-publics-de-la-commune-de-test"


@pytest.fixture
def dock(qgis_iface, qgis_new_project, tmp_path):
    created = OpenDataDock(qgis_iface)
    page = created.publish_page
    page.run_inline = True
    page.set_folder(str(tmp_path / "publication"))
    opened = []
    page.open_url = opened.append
    page.opened = opened
    yield created
    created.cleanup()
    created.deleteLater()
    QCoreApplication.processEvents()


def add(layer):
    QgsProject.instance().addMapLayer(layer)
    return layer


def test_publish_page_is_in_the_dock_with_the_folder_by_default(dock, tmp_path):
    page = dock.publish_page
    assert isinstance(page, PublishPage) and dock.pages()[-1] is page
    assert page.current_connection().portal_type == "folder"
    assert page.current_connection().base_url == str(tmp_path / "publication")
    assert page.formats() == ["csv", "geojson", "gpkg"]
    assert not page.folder_button.isHidden() and page.private_check.isHidden()


def test_gate_refusal_lists_the_steps_with_buttons_that_open_them(dock, tmp_path):
    page = dock.publish_page
    layer = add(make_gpkg(tmp_path / "brut.gpkg", GOOD_ROWS))  # no description, no licence
    page.set_layer(layer)
    page.check_gate()
    assert page.gate is not None and page.gate.blocking
    assert set(page.step_buttons) == {STEP_DESCRIBE, STEP_LICENCE}
    sentences = page.gate_sentences()
    assert "Licence — Aucune licence n'est choisie." in sentences
    assert any(s.startswith("Décrire — Le jeu de données n'a pas de titre") for s in sentences)
    assert "blocking" in page.gate_label.text()
    assert page.accept_check.isHidden()  # warnings cannot lift a blocking problem

    page.step_buttons[STEP_DESCRIBE].click()
    assert dock.tabs.currentWidget() is dock.describe_page
    assert dock.describe_page.current_layer().id() == layer.id()
    dock.flow.open_step("publier")
    page.step_buttons[STEP_LICENCE].click()
    assert dock.tabs.currentWidget() is dock.licence_page
    assert dock.licence_page.current_layer().id() == layer.id()

    # « Publier » anyway: refused, nothing written, nothing recorded
    page.publish()
    assert page.outcome.status == REFUSED
    assert not (tmp_path / "publication").exists() or not any((tmp_path / "publication").iterdir())
    assert history(layer) == []
    assert "href" not in page.result_label.text()
    assert page.step_buttons  # the list is shown again after the refusal


def test_complete_layer_is_published_with_its_link_and_history(dock, tmp_path):
    page = dock.publish_page
    layer = add(good_layer(tmp_path))
    page.set_layer(layer)
    page.set_formats(["csv"])
    page.publish()
    outcome = page.outcome
    assert outcome.status == PUBLISHED, outcome.summary()
    folder = tmp_path / "publication" / DATASET
    assert (folder / f"{DATASET}.csv").is_file() and (folder / "manifest.json").is_file()
    url = outcome.dataset_url
    assert url == folder.resolve().as_uri()
    assert f'href="{url}"' in page.result_label.text()
    page.result_label.linkActivated.emit(url)  # the agent clicks the link
    assert page.opened == [url]

    [entry] = history(layer)
    assert entry["dataset_url"] == url and entry["accepted_warnings"] == []
    tree = page.history_widget.tree
    assert tree.topLevelItemCount() == 1
    assert tree.topLevelItem(0).text(2) == url
    assert tree.topLevelItem(0).child(0).text(0) == "CSV"
    assert page.history_widget.open_selected() == url
    assert page.opened == [url, url]
    assert "never" not in page.history_widget.empty_label.text()


def test_warnings_need_publish_anyway_which_is_recorded(dock, tmp_path):
    page = dock.publish_page
    layer = add(good_layer(tmp_path))
    description = full_description()
    description.frequency = ""  # a warning for every portal, nothing blocking
    write_layer_description(layer, description)
    page.set_layer(layer)
    page.set_formats(["csv"])
    page.publish()
    assert page.outcome.status == REFUSED
    assert not page.gate.blocking and page.gate.warnings
    assert not page.accept_check.isHidden() and not page.accept_check.isChecked()
    assert history(layer) == []

    page.accept_check.setChecked(True)
    page.publish()
    assert page.outcome.status == PUBLISHED, page.outcome.summary()
    [entry] = history(layer)
    assert any("fréquence" in text for text in entry["accepted_warnings"])
    # once published, the page no longer asks to fix the warnings or to tick « Publish anyway »
    assert "Published with" in page.gate_label.text() and "history" in page.gate_label.text()
    assert "Publish anyway" not in page.gate_label.text()


def test_deleted_dataset_asks_before_recreating(dock, tmp_path):
    page = dock.publish_page
    layer = add(good_layer(tmp_path))
    page.set_layer(layer)
    page.set_formats(["csv"])
    page.publish()
    assert page.outcome.status == PUBLISHED
    folder = tmp_path / "publication" / DATASET
    shutil.rmtree(folder)  # deleted on the « portal »

    asked = []
    page.ask_recreate = lambda: asked.append("non") or False
    page.publish()
    assert asked == ["non"]
    assert page.outcome.status == FAILED and page.outcome.error_kind == "deleted"
    assert page.last_error.startswith("La publication a échoué")
    assert "href" not in page.result_label.text()
    assert not folder.exists() and len(history(layer)) == 1

    page.ask_recreate = lambda: asked.append("oui") or True
    page.publish()
    assert asked == ["non", "oui"]
    assert page.outcome.status == PUBLISHED, page.outcome.summary()
    assert (folder / f"{DATASET}.csv").is_file()
    assert [e["created"] for e in history(layer)] == [True, True]
    assert page.history_widget.tree.topLevelItemCount() == 2


def test_simulation_sends_and_records_nothing(dock, tmp_path):
    page = dock.publish_page
    layer = add(good_layer(tmp_path))
    page.set_layer(layer)
    page.dry_run_check.setChecked(True)
    page.publish()
    assert page.outcome.status == DRY_RUN
    assert not (tmp_path / "publication" / DATASET).exists()
    assert history(layer) == [] and "Simulation" in page.result_label.text()
    assert not any(key.startswith("opendata_publisher/published/") for key in layer.customPropertyKeys())


def test_opendatasoft_connection_defaults_to_one_csv_file(dock, qgis_app):
    from opendata_publisher.core.portals.base import PortalConnection
    from opendata_publisher.core.portals.connections import remove_connection, save_connection

    name = "Publier test ODS"
    save_connection(PortalConnection(name=name, portal_type="opendatasoft", base_url="https://data.example.org"))
    try:
        page = dock.publish_page
        page.refresh_connections()
        assert page.select_connection(name)
        assert page.formats() == ["csv"]
        assert "one file" in page.format_hint.text()
        assert not page.private_check.isHidden() and page.folder_button.isHidden()
        page.set_folder(page.folder_path)
        assert page.formats() == ["csv", "geojson", "gpkg"]
    finally:
        remove_connection(name)


def test_refusal_scrolls_down_to_the_result(dock, tmp_path):
    """The result is written below the list of problems: in a short dock it is scrolled into view."""
    page = dock.publish_page
    layer = add(make_gpkg(tmp_path / "brut.gpkg", GOOD_ROWS))  # no description, no licence: refused
    page.set_layer(layer)
    dock.resize(420, 420)
    dock.show()
    dock.tabs.setCurrentWidget(page)
    for _ in range(3):
        QCoreApplication.processEvents()
    assert page.isVisible() and page.scroll.verticalScrollBar().value() == 0
    page.publish()
    for _ in range(3):
        QCoreApplication.processEvents()
    assert page.outcome.status == REFUSED and page.result_label.text()
    assert page.scroll.verticalScrollBar().value() > 0
    assert not page.result_label.visibleRegion().isEmpty()
    dock.hide()
