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
from opendata_publisher.core.validator import validate
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
