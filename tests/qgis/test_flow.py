"""The guided flow above the dock's pages: statuses per step for the current layer, updated by the pages' own
work (check, description saved, licence saved, legal analysis, publication), « Étape suivante » and the step list
as navigation."""

from __future__ import annotations

import pytest
from qgis.core import QgsProject
from qgis.PyQt.QtCore import QCoreApplication

from opendata_publisher.core.publish import SCHEMA_PROPERTY, STEP_DESCRIBE, STEP_LEGAL, STEP_LICENCE, STEP_VERIFY
from opendata_publisher.core.reader import LayerInput
from opendata_publisher.core.schema.catalogue import load_schema_reference
from opendata_publisher.core.validation import validate
from opendata_publisher.gui.dock import OpenDataDock
from opendata_publisher.gui.flow import ATTENTION, DONE, PROBLEM, STEP_PUBLISH, STEPS, TODO, next_step
from tests.qgis.test_publish_folder import GOOD_ROWS, full_description, make_gpkg, schema_file


@pytest.fixture
def dock(qgis_iface, qgis_new_project):
    created = OpenDataDock(qgis_iface)
    created.publish_page.run_inline = True
    created.legal_page.run_inline = True
    yield created
    created.cleanup()
    created.deleteLater()
    QCoreApplication.processEvents()


def states(dock):
    return {s.step: (s.state, s.text) for s in dock.flow.statuses()}


def check_with_report(dock, layer):
    """What the « Vérifier » page does at the end of a check: show the report, emit validationFinished."""
    schema = load_schema_reference(str(layer.customProperty(SCHEMA_PROPERTY)), None)
    report = validate(LayerInput.from_layer(layer), schema)
    dock.check_page.show_report(report, layer.id(), schema)
    dock.check_page.validationFinished.emit(report)
    return report


def test_a_new_layer_starts_with_every_step_to_do(dock, tmp_path):
    layer = make_gpkg(tmp_path / "brut.gpkg", GOOD_ROWS)
    QgsProject.instance().addMapLayer(layer)
    dock.flow.set_layer(layer)
    header = dock.flow.header
    assert [header.list.item(i).data(0x0100) for i in range(5)] == list(STEPS)
    assert dock.tabs.tabBar().isHidden()  # the step list is the navigation
    got = states(dock)
    assert got[STEP_VERIFY] == (TODO, "no schema chosen")
    assert got[STEP_DESCRIBE][0] == PROBLEM and "gap" in got[STEP_DESCRIBE][1]
    assert got[STEP_LICENCE] == (TODO, "to choose")
    assert got[STEP_LEGAL] == (TODO, "not analysed yet")
    assert got[STEP_PUBLISH] == (TODO, "never published")
    # the « Vérifier » page is shown: the button does not send the agent to the page already open (issue 11)
    assert header.next_button.text() == "To finish on this page: Check"
    dock.flow.open_step(STEP_DESCRIBE)
    assert header.next_button.text() == "Next step: Check"
    assert "Parkings" in header.layer_label.text()
    header.next_button.click()
    assert dock.tabs.currentWidget() is dock.check_page
    assert dock.check_page.current_layer().id() == layer.id()


def test_statuses_follow_the_work_of_the_pages(dock, tmp_path):
    layer = make_gpkg(tmp_path / "parkings.gpkg", GOOD_ROWS)
    layer.setCustomProperty(SCHEMA_PROPERTY, str(schema_file(tmp_path)))
    QgsProject.instance().addMapLayer(layer)
    dock.flow.set_layer(layer)
    assert states(dock)[STEP_VERIFY] == (TODO, "not checked yet")

    # a check with errors, then a clean one
    broken = make_gpkg(tmp_path / "casse.gpkg", [("", "Sans identifiant", 3, (700000.0, 6600000.0))])
    broken.setCustomProperty(SCHEMA_PROPERTY, str(schema_file(tmp_path)))
    QgsProject.instance().addMapLayer(broken)
    dock.flow.set_layer(broken)
    check_with_report(dock, broken)
    state, text = states(dock)[STEP_VERIFY]
    assert state == PROBLEM and "error" in text
    assert next_step(dock.flow.statuses()) == STEP_VERIFY

    dock.flow.set_layer(layer)
    report = check_with_report(dock, layer)
    assert report.error_count == 0
    state, text = states(dock)[STEP_VERIFY]
    assert state == DONE and text.startswith("compliant")
    assert dock.flow.header.next_button.text() == "Next step: Describe"

    # the description saved from the « Décrire » page
    dock.flow.open_step(STEP_DESCRIBE)
    page = dock.describe_page
    assert page.current_layer().id() == layer.id()
    description = full_description()
    description.licence = ""
    description.licence_url = ""
    page.set_description(description)
    assert page.save()
    assert states(dock)[STEP_DESCRIBE][0] == DONE
    assert states(dock)[STEP_LICENCE] == (TODO, "to choose")
    assert dock.flow.header.next_button.text() == "Next step: Licence"

    # the licence saved from the « Licence » page
    dock.flow.header.next_button.click()
    assert dock.tabs.currentWidget() is dock.licence_page
    assert dock.licence_page.choose("etalab-2.0")
    assert dock.licence_page.save()
    state, text = states(dock)[STEP_LICENCE]
    assert state == DONE and "Licence Ouverte" in text

    # the legal analysis
    dock.flow.header.next_button.click()
    assert dock.tabs.currentWidget() is dock.legal_page
    dock.legal_page.run_analysis()
    assert dock.legal_page.report is not None
    state, text = states(dock)[STEP_LEGAL]
    # no point to confirm, but the checklist is not answered yet: not ticked green (issue 11)
    assert state == ATTENTION and text in ("checklist to answer",) + tuple(f"{n} to confirm" for n in range(1, 9))
    dock.legal_page.set_answers({"achieved": "oui", "legal_secret": "non", "personal_data": "non"})
    dock.legal_page.save_checklist()
    if not dock.legal_page.gate_result.needs_ack:
        assert states(dock)[STEP_LEGAL] == (DONE, "no obstacle")

    # publication: the last step says when
    publish = dock.publish_page
    publish.set_folder(str(tmp_path / "publication"))
    dock.flow.open_step(STEP_PUBLISH)
    assert publish.current_layer().id() == layer.id()
    publish.accept_check.setVisible(True)
    publish.accept_check.setChecked(True)
    publish.publish()
    assert publish.outcome.status == "published", publish.outcome.summary()
    state, text = states(dock)[STEP_PUBLISH]
    assert state == DONE and text.startswith("published on ")


def test_clicking_a_step_opens_its_page_on_the_flow_layer(dock, tmp_path):
    first = make_gpkg(tmp_path / "a.gpkg", GOOD_ROWS)
    second = make_gpkg(tmp_path / "b.gpkg", GOOD_ROWS)
    second.setName("Deuxième")
    QgsProject.instance().addMapLayers([first, second])
    dock.flow.open_step(STEP_PUBLISH)
    dock.publish_page.set_layer(second)  # the agent picks a layer in the current page: the flow follows it
    assert dock.flow.layer().id() == second.id()
    item = dock.flow.header.item(STEP_LICENCE)
    dock.flow.header.list.itemClicked.emit(item)
    assert dock.tabs.currentWidget() is dock.licence_page
    assert dock.licence_page.current_layer().id() == second.id()
    assert dock.flow.header.list.currentItem() is item
    QgsProject.instance().removeMapLayer(second.id())  # the page moves to the remaining layer: so does the flow
    assert dock.flow.layer().id() == first.id()
    assert "Parkings" in dock.flow.header.layer_label.text()
    QgsProject.instance().removeMapLayer(first.id())
    assert dock.flow.layer() is None
    assert dock.flow.statuses() == []
    assert not dock.flow.header.next_button.isEnabled()


def test_every_page_shown_works_on_the_flow_layer(dock, tmp_path):
    """Switching pages (tabs, « Étape suivante ») never silently changes the layer the agent is working on."""
    first = make_gpkg(tmp_path / "a.gpkg", GOOD_ROWS)
    second = make_gpkg(tmp_path / "b.gpkg", GOOD_ROWS)
    second.setName("Deuxième")
    QgsProject.instance().addMapLayers([first, second])
    dock.check_page.set_layer(second)
    dock.tabs.setCurrentWidget(dock.check_page)
    dock.flow.set_layer(second)
    for page in (dock.describe_page, dock.licence_page, dock.legal_page, dock.publish_page):
        dock.tabs.setCurrentWidget(page)
        assert page.current_layer().id() == second.id(), type(page).__name__
        assert dock.flow.layer().id() == second.id()
    QgsProject.instance().removeMapLayers([first.id(), second.id()])


def test_describe_status_counts_the_gaps_of_the_targets_ticked_on_the_page(dock, tmp_path):
    from opendata_publisher.core.metadata.completeness import check_completeness
    from opendata_publisher.core.publish import completeness_gate_items

    layer = make_gpkg(tmp_path / "brut.gpkg", GOOD_ROWS)
    QgsProject.instance().addMapLayer(layer)
    dock.flow.set_layer(layer)
    for targets in (["dcat"], ["dcat", "datagouv", "scdl-catalogue"]):
        dock.describe_page.set_targets(targets)
        dock.flow.refresh()
        expected = sum(
            item.count
            for item in completeness_gate_items(check_completeness(dock.describe_page.description(), targets))
            if item.step == STEP_DESCRIBE and item.severity == "error"
        )
        assert states(dock)[STEP_DESCRIBE][1] == f"{expected} gap(s)", targets
    QgsProject.instance().removeMapLayer(layer.id())


def test_the_dock_follows_the_active_layer_unless_pinned(dock, qgis_iface, tmp_path):
    """Issue 11 item 8: selecting a layer in the Layers panel shows it in the dock (page and step list), as
    QGIS's own panels do; once the agent pins the layer, the dock stays on it."""
    first = make_gpkg(tmp_path / "premiere.gpkg", GOOD_ROWS)
    second = make_gpkg(tmp_path / "seconde.gpkg", GOOD_ROWS)
    second.setName("Seconde couche")
    QgsProject.instance().addMapLayers([first, second])
    dock.tabs.setCurrentWidget(dock.check_page)
    qgis_iface.currentLayerChanged.emit(first)  # the dock is closed: nothing happens until it opens
    assert dock.flow.layer_id != first.id()
    dock.show()
    QCoreApplication.processEvents()
    assert dock.flow.layer_id == first.id() and dock.check_page.current_layer().id() == first.id()
    qgis_iface.currentLayerChanged.emit(second)
    assert dock.flow.layer_id == second.id() and dock.check_page.current_layer().id() == second.id()
    assert "Seconde couche" in dock.flow.header.layer_label.text()
    dock.tabs.setCurrentWidget(dock.describe_page)
    assert dock.describe_page.current_layer().id() == second.id()

    dock.flow.header.pin_button.click()
    assert dock.flow.pinned()
    qgis_iface.currentLayerChanged.emit(first)
    assert dock.flow.layer_id == second.id()
    assert dock.describe_page.current_layer().id() == second.id()  # the page does not follow on its own either
    dock.flow.header.pin_button.click()
    qgis_iface.currentLayerChanged.emit(first)
    assert dock.flow.layer_id == first.id() and dock.describe_page.current_layer().id() == first.id()


def test_step_results_are_kept_in_the_layer_and_restored_with_the_project(dock, tmp_path):
    """Issue 11 item 3: each layer's last check and legal analysis stay in the layer (date, what they covered),
    survive working on other layers and reopening the project, and turn stale when the layer changes."""
    from opendata_publisher.core.schema.catalogue import load_schema_file
    from opendata_publisher.core.step_results import last_check, last_legal

    layer = make_gpkg(tmp_path / "parkings.gpkg", GOOD_ROWS)
    path = schema_file(tmp_path)
    layer.setCustomProperty(SCHEMA_PROPERTY, str(path))
    other = make_gpkg(tmp_path / "autre.gpkg", GOOD_ROWS)
    QgsProject.instance().addMapLayers([layer, other])
    page = dock.check_page
    page.run_inline = True
    page.set_layer(layer)
    page.set_schema(str(path), load_schema_file(str(path)))
    page.run_check()
    assert page.report is not None and page.report_layer_id == layer.id()
    saved = last_check(layer)
    assert saved is not None and saved.errors == 0 and saved.features == len(GOOD_ROWS)
    assert saved.schema == str(path) and not saved.selected_only and saved.date
    dock.flow.set_layer(layer)
    dock.tabs.setCurrentWidget(dock.legal_page)
    dock.legal_page.run_analysis()
    assert last_legal(layer) is not None
    assert states(dock)[STEP_LEGAL][0] == ATTENTION  # the checklist is not answered yet
    dock.legal_page.save_checklist()
    assert states(dock)[STEP_LEGAL][0] == DONE

    # work on another layer, then come back: the steps are still done
    dock.tabs.setCurrentWidget(dock.check_page)
    page.set_layer(other)
    dock.flow.set_layer(other)
    dock.tabs.setCurrentWidget(dock.legal_page)
    dock.legal_page.set_layer(other)
    page.set_layer(layer)
    dock.legal_page.set_layer(layer)
    page._reports.clear()  # as after a restart: only the layer remembers
    page.set_layer(other)
    dock.flow.set_layer(layer)
    got = states(dock)
    assert got[STEP_VERIFY][0] == DONE and got[STEP_VERIFY][1].startswith("compliant on ")
    assert got[STEP_LEGAL][0] == DONE and got[STEP_LEGAL][1].startswith("no obstacle on ")

    # saved with the project, read back
    project_path = str(tmp_path / "projet.qgz")
    assert QgsProject.instance().write(project_path)
    layer_id = layer.id()
    QgsProject.instance().clear()
    assert QgsProject.instance().read(project_path)
    reopened = QgsProject.instance().mapLayer(layer_id)
    dock.flow.set_layer(reopened)
    got = states(dock)
    assert got[STEP_VERIFY][1].startswith("compliant on ") and got[STEP_LEGAL][1].startswith("no obstacle on ")

    # the data changes: both results are stale
    from qgis.core import QgsFeature

    feature = QgsFeature(reopened.fields())
    feature.setAttributes([None] * reopened.fields().count())
    feature.setGeometry(next(reopened.getFeatures()).geometry())
    assert reopened.dataProvider().addFeatures([feature])[0]
    reopened.reload()
    dock.flow.refresh()
    got = states(dock)
    assert got[STEP_VERIFY][0] == ATTENTION and "check again" in got[STEP_VERIFY][1]
    assert got[STEP_LEGAL][0] == ATTENTION and "analyse again" in got[STEP_LEGAL][1]


def test_a_saved_description_does_not_make_the_check_stale_an_edit_does(tmp_path):
    """The data signature of a GeoPackage layer follows its features, not its metadata (stored in the file)."""
    from opendata_publisher.core.metadata.layer_metadata import save_to_datasource
    from opendata_publisher.core.step_results import layer_signature

    layer = make_gpkg(tmp_path / "parkings.gpkg", GOOD_ROWS)
    before = layer_signature(layer)
    metadata = layer.metadata()
    metadata.setTitle("Parkings")
    layer.setMetadata(metadata)
    assert save_to_datasource(layer)[0]
    assert layer_signature(layer) == before
    import time

    time.sleep(1.1)  # last_change has a millisecond resolution, but be safe with the clock
    assert layer.startEditing()
    feature = next(layer.getFeatures())
    assert layer.changeAttributeValue(feature.id(), 1, "modifié")
    assert layer.commitChanges()
    assert layer_signature(layer) != before
