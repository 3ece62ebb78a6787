"""Wording and state consistency (issue 11, item 12): the step list and the pages count and name things the same
way, the « Étape suivante » button never points at the page shown, a schema chosen is not « aucun schéma », legal
reasons read as sentences, the default publication folder is in the user's Documents and can be changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from qgis.core import QgsProject
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import QFileDialog

from opendata_publisher.core.checks.finding import ERROR, Finding
from opendata_publisher.core.legal.gate import GateResult
from opendata_publisher.core.metadata.layer_metadata import write_layer_description
from opendata_publisher.core.portals.connections import PUBLICATION_FOLDER_NAME, default_folder, documents_folder
from opendata_publisher.core.publish import STEP_DESCRIBE, STEP_VERIFY, GateItem
from opendata_publisher.core.publish import GateResult as PublishGate
from opendata_publisher.core.report import report_to_markdown
from opendata_publisher.core.validation import ValidationReport
from opendata_publisher.gui.dock import OpenDataDock
from opendata_publisher.toolbelt.settings import ENV_PREFIX, PluginSettings
from tests.qgis.test_publish_folder import GOOD_ROWS, full_description, make_gpkg, schema_file


@pytest.fixture
def dock(qgis_iface, qgis_new_project):
    created = OpenDataDock(qgis_iface)
    created.check_page.schema_picker.catalogue_requested = True
    yield created
    created.cleanup()
    created.deleteLater()
    QCoreApplication.processEvents()


def _states(dock):
    return {s.step: (s.state, s.text) for s in dock.flow.statuses()}


def test_describe_gaps_are_counted_the_same_in_the_step_list_and_on_the_page(dock, tmp_path):
    layer = QgsProject.instance().addMapLayer(make_gpkg(tmp_path / "p.gpkg", GOOD_ROWS))
    description = full_description()
    description.description = ""  # one gap on the page's own fields
    description.licence = ""  # and the licence, counted by its own step
    description.licence_url = ""
    write_layer_description(layer, description)
    dock.flow.set_layer(layer)
    dock.flow.open_step(STEP_DESCRIBE)
    page = dock.describe_page
    page.refresh_completeness()
    state, text = _states(dock)[STEP_DESCRIBE]
    gaps = int(text.split()[0])
    assert page.completeness_label.text().startswith(f"{gaps} blocking gap(s)")
    # the portal chosen on « Publier » is counted on the page too
    assert page.required_targets_func is not None and set(page.required_targets_func()) <= {"dcat"}


def test_verify_status_words(dock, tmp_path):
    layer = QgsProject.instance().addMapLayer(make_gpkg(tmp_path / "p.gpkg", GOOD_ROWS))
    dock.flow.set_layer(layer)
    assert _states(dock)[STEP_VERIFY][1] == "no schema chosen"
    check = dock.check_page
    check.set_layer(layer)
    check.select_reference(str(schema_file(tmp_path)))  # chosen, not checked yet
    assert _states(dock)[STEP_VERIFY][1] == "not checked yet"
    # a gate's verdict counts each case, with the check page's word « error(s) »
    layer.setCustomProperty("opendata_publisher/schema", str(schema_file(tmp_path)))
    publish = dock.publish_page
    publish.set_layer(layer)
    gate = PublishGate(blocking=[GateItem(STEP_VERIFY, ERROR, "Valeur hors liste", count=12)])
    publish.show_gate(gate, layer.id())
    check.report = None
    check.report_layer_id = None
    dock.flow.refresh()
    assert _states(dock)[STEP_VERIFY][1] == "12 error(s)"


def test_next_button_never_points_at_the_page_shown(dock, tmp_path):
    layer = QgsProject.instance().addMapLayer(make_gpkg(tmp_path / "p.gpkg", GOOD_ROWS))
    dock.flow.set_layer(layer)
    dock.flow.open_step(STEP_VERIFY)
    assert dock.flow.header.next_button.text() == "To finish on this page: Check"
    dock.flow.open_step("publier")
    assert dock.flow.header.next_button.text() == "Next step: Check"


def test_legal_reasons_read_as_sentences():
    result = GateResult(blocked=True, reasons=["Le champ « nom » contient des noms (NIR).", "Le champ « iban »"])
    text = result.status_text()
    assert ". ;" not in text and "). ;" not in text
    assert text == "Publication bloquée : Le champ « nom » contient des noms (NIR). Le champ « iban »."


def test_markdown_report_keeps_what_to_do_whole():
    hint = "Remplacez la valeur par une des valeurs autorisées du schéma : " + "tous, abonnés, résidents, " * 4
    finding = Finding("constraint-error", ERROR, "Valeur hors liste", hint, field="type", feature_id=1, row=2,
                      value="x" * 120, constraint="enum")  # fmt: skip
    report = ValidationReport("s", "1", "", "S", "couche", 1, [finding])
    text = report_to_markdown(report)
    assert hint.replace("|", "\\|") in text
    assert "x" * 77 + "…" in text  # long values are still shortened


def test_default_publication_folder_is_in_documents_and_can_be_changed(dock, monkeypatch, tmp_path):
    monkeypatch.delenv(ENV_PREFIX + "PUBLICATION_DIR", raising=False)
    PluginSettings.reset()
    try:
        assert default_folder() == documents_folder() / PUBLICATION_FOLDER_NAME
        assert "opendata_publisher" not in str(default_folder())
        chosen = tmp_path / "partage" / "opendata"
        chosen.mkdir(parents=True)
        monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(chosen))
        dock.publish_page.choose_folder()
        assert dock.publish_page.current_connection().base_url == str(chosen)
        assert default_folder() == chosen  # remembered for the next sessions
        monkeypatch.setenv(ENV_PREFIX + "PUBLICATION_DIR", str(tmp_path / "managed"))
        assert default_folder() == Path(tmp_path / "managed")
    finally:
        PluginSettings.reset()


def test_describe_page_names_the_schema_chosen_on_the_check_page(dock, tmp_path):
    layer = QgsProject.instance().addMapLayer(make_gpkg(tmp_path / "p.gpkg", GOOD_ROWS))
    dock.check_page.set_layer(layer)
    path = str(schema_file(tmp_path))
    dock.check_page.select_reference(path)
    dock.flow.set_layer(layer)
    dock.flow.open_step(STEP_DESCRIBE)
    text = dock.describe_page.schema_label.text()
    assert "None" not in text and "Aucun" not in text
    assert path in text and ("Check" in text or "Vérifier" in text)
