"""The parts of the « Vérifier » page on their own: the schema picker, the results panel and the conform launcher
(the page itself is tested in test_gui_check_page.py, the conversion dialog in test_conform_gui.py)."""

from __future__ import annotations

import json

import pytest
from qgis.PyQt.QtWidgets import QInputDialog

from opendata_publisher.core.schema.model import parse_schema
from opendata_publisher.core.validation import ValidationReport
from opendata_publisher.gui.check_conform import ConformLauncher
from opendata_publisher.gui.check_page import CheckPage
from opendata_publisher.gui.check_results import ResultsPanel
from opendata_publisher.gui.check_schema_picker import SchemaPicker
from opendata_publisher.gui.widgets.task_host import TaskHost
from tests.qgis.test_gui_check_page import SCHEMA_DICT, FakeCatalogue, _entries


class _Owner:
    run_inline = True  # the picker's tasks run at once


@pytest.fixture
def picker():
    tasks = TaskHost(_Owner())
    loaded = []

    def loader(ref, _catalogue):
        loaded.append(ref)
        return parse_schema(SCHEMA_DICT, ref)

    widget = SchemaPicker(tasks, catalogue=FakeCatalogue(_entries()), schema_loader=loader)
    widget.loaded = loaded
    yield widget
    tasks.cleanup()
    widget.deleteLater()


def test_schema_picker_lists_selects_and_says_which_schema(picker):
    changes = []
    picker.schemaChanged.connect(changes.append)
    assert picker.title() == "Schema"
    assert picker.current_reference() == ""
    picker.load_catalogue()
    assert picker.catalogue_requested
    assert picker.schema_model.rowCount() == 3
    assert picker.select_reference("test/schema-parking@0.9")
    assert picker.current_reference() == "test/schema-parking@0.9"
    assert changes[-1] == "test/schema-parking@0.9"
    assert picker.chosen_label.text() == "<b>Parkings de test</b>"


def test_schema_picker_loads_a_schema_once_and_says_it_is_busy(picker):
    busy, got = [], []
    picker.busyChanged.connect(lambda running, message: busy.append((running, message)))
    picker.load_catalogue()
    picker.select_reference("scdl/budget")
    picker.load_schema(got.append)
    picker.load_schema(got.append)  # the second time from the session's schemas: no task
    assert picker.loaded == ["scdl/budget@0.8.1"]
    assert len(got) == 2 and got[0] is got[1] and got[0].title == "Parkings de test"
    assert busy == [(True, "Loading the schema…"), (False, "")]
    assert picker.schemas["scdl/budget@0.8.1"] is got[0]


def test_schema_picker_reports_its_errors_to_the_page(picker, monkeypatch):
    errors = []
    picker.errorRaised.connect(errors.append)
    picker.load_schema()  # nothing chosen
    assert errors == ["Choose a schema in the list (or « Other schema… ») first."]
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: ("schema.data.gouv.fr/x.json", True))
    picker.choose_schema_url()
    assert "is not a web address" in errors[-1]
    assert picker.current_reference() == ""  # not chosen


def test_results_panel_shows_the_problems_only_after_a_check_and_reports_export_errors(tmp_path):
    panel = ResultsPanel()
    errors = []
    panel.errorRaised.connect(errors.append)
    assert panel.findings_view.isHidden() and panel.fix_all_button.isHidden() and panel.export_button.isHidden()
    panel.show_body(True)
    assert not panel.findings_view.isHidden() and not panel.export_button.isHidden()

    panel.set_running(True, "Checking…")
    assert not panel.progress.isHidden() and not panel.cancel_button.isHidden()
    assert panel.summary_label.text() == "Checking…"
    panel.set_progress(42.7)
    assert panel.progress.value() == 42
    panel.set_running(False)
    assert panel.progress.isHidden() and panel.cancel_button.isHidden()
    panel.show_error("Non")
    assert panel.summary_label.text() == "Non" and "b00020" in panel.summary_label.styleSheet()

    report = ValidationReport("test/schema-parking", "1.0", "", "Parkings", "parkings", 0)
    path = panel.export_report(report, "json", str(tmp_path / "r.json"))
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["layer"]["name"] == "parkings"
    assert panel.info_label.text() == f"Report written to {path}"
    assert panel.export_report(report, "json", str(tmp_path / "missing" / "r.json")) is None
    assert "could not be written" in errors[-1]
    assert panel.export_report(None, "json", str(tmp_path / "x.json")) is None  # nothing checked: nothing written
    assert not (tmp_path / "x.json").exists()
    panel.deleteLater()


def test_conform_launcher_needs_a_check_first(qgis_iface):
    page = CheckPage(qgis_iface, catalogue=FakeCatalogue([]), run_inline=True)
    assert isinstance(page.conform, ConformLauncher)
    page.open_conform(None)
    assert page.last_error == "Check the layer first: the fixes are prepared from the check."
    assert page.running_tasks() == [] and page.conform_dialog is None and page.conformed_layer is None
    page.cleanup()
    page.deleteLater()
