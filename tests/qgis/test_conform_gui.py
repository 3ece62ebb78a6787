"""« Corriger… » and « Tout corriger… » in the check page: preview dialog, conversion in a task, the new
layer added next to the source and checked again."""

from __future__ import annotations

import pytest
from qgis.core import QgsProject
from qgis.PyQt.QtCore import Qt

from opendata_publisher.core.conform import fixes as fx
from opendata_publisher.core.conform.output import history_lines
from opendata_publisher.core.schema.catalogue import CatalogueEntry
from opendata_publisher.core.schema.model import parse_schema
from opendata_publisher.gui.check_page import CheckPage
from opendata_publisher.gui.conform_dialog import ConformDialog

from .test_conform_engine import SCHEMA, SIRET, _messy_points
from .test_gui_check_page import FakeCatalogue

REF = "test/stationnement@1.0.0"


@pytest.fixture
def source(qgis_new_project):
    layer = _messy_points()
    QgsProject.instance().addMapLayer(layer)
    return layer


@pytest.fixture
def page(qgis_iface, source):
    schema = parse_schema(dict(SCHEMA, name="test/stationnement"), "test")
    entry = CatalogueEntry("test/stationnement", "Stationnement (test)", "", [], ["1.0.0"], False)
    page = CheckPage(qgis_iface, catalogue=FakeCatalogue([entry]), run_inline=True)
    page.load_catalogue()
    page.set_layer(source)
    page.set_schema(REF, schema)
    page.run_check()
    assert page.report is not None and not page.report.valid
    yield page
    if getattr(page, "conform_dialog", None) is not None:
        page.conform_dialog.reject()
    page.cleanup()
    page.deleteLater()


def _items(dialog: ConformDialog):
    return {fix_id: item.checkState(0) == Qt.CheckState.Checked for fix_id, item in dialog.fix_items.items()}


def test_fix_buttons_follow_the_selected_row(page):
    assert page.fix_all_button.isEnabled()
    assert not page.fix_button.isEnabled()  # no row selected yet
    index = page.findings_model.group_index("type-error", "gratuit")
    assert index.isValid()
    page.findings_view.tree.setCurrentIndex(index)
    assert page.fix_button.isEnabled()
    menu = page.findings_view.context_menu_for(index)
    assert menu is not None and [a.text() for a in menu.actions()] == ["Fix…"]
    assert page.findings_view.context_menu_for(page.findings_model.index(99, 0)) is None


def test_fix_one_row_ticks_only_its_fixes(page):
    index = page.findings_model.group_index("type-error", "gratuit")
    page.findings_view.tree.setCurrentIndex(index)
    page.conform.fix_current_group()
    dialog = page.conform_dialog
    assert isinstance(dialog, ConformDialog)
    ticked = _items(dialog)
    assert ticked[fx.BOOLEANS] and ticked[fx.FIELDS]
    assert not ticked[fx.ENUMS] and not ticked[fx.IDENTIFIERS] and not ticked[fx.REPROJECT]
    booleans = dialog.fix_items[fx.BOOLEANS]
    assert booleans.text(1) == "3 values"
    examples = [booleans.child(i).text(0) for i in range(booleans.childCount())]
    assert "gratuit : oui  →  true" in examples
    dates = dialog.fix_items[fx.DATES]
    assert dates.text(1) == "2 values"  # the preview also counts the fixes of the renamed fields


def test_fix_everything_creates_a_new_checked_layer(page, source, tmp_path):
    before = [f.attributes() for f in source.getFeatures()]
    page.open_conform(None)
    dialog = page.conform_dialog
    ticked = _items(dialog)
    assert ticked[fx.DATES] and ticked[fx.BOOLEANS] and ticked[fx.COORDINATES] and ticked[fx.REPROJECT]
    assert ticked[fx.IDENTIFIERS]  # two features have no identifier: built by default (issue 11)
    assert "siret_gestionnaire" in dialog.constant_edits  # required and absent: a constant is asked for
    dialog.constant_edits["siret_gestionnaire"].setText(SIRET)
    assert _items(dialog)[fx.CONSTANTS]  # typing a value ticks the fix
    dialog.set_fix_checked(fx.IDENTIFIERS, True)
    dialog.set_output_path(str(tmp_path / "parkings"))
    assert dialog.output_path().endswith("parkings.gpkg")
    dialog.grab().save(str(tmp_path / "conform_dialog.png"))
    dialog.accept()

    new_layer = page.conformed_layer
    assert new_layer is not None and new_layer.isValid() and new_layer.name() == "parkings_export (conforme)"
    assert new_layer.source().startswith(str(tmp_path / "parkings.gpkg"))
    ids = [node.layerId() for node in QgsProject.instance().layerTreeRoot().findLayers()]
    assert ids.index(new_layer.id()) == ids.index(source.id()) - 1
    assert len(history_lines(new_layer)) == 1
    # the page now shows the check of the new layer: everything was fixed
    assert page.current_layer() is new_layer
    assert page.report.layer_id == new_layer.id()
    assert page.report.valid and page.report.error_count == 0 and page.report.warning_count == 0
    assert "values fixed" in page.info_label.text()
    assert [f.attributes() for f in source.getFeatures()] == before


def test_cancelling_the_dialog_creates_nothing(page):
    count = len(QgsProject.instance().mapLayers())
    page.open_conform(None)
    page.conform_dialog.reject()
    assert len(QgsProject.instance().mapLayers()) == count
    assert page.running_tasks() == []


def test_created_note_survives_the_check_that_ends_after_it(page, source, monkeypatch):
    """In QGIS the check of the new layer ends after the conversion handler: its report must not erase
    « … created: N values fixed. … is unchanged »."""
    report, schema = page.report, page.report_schema
    monkeypatch.setattr(page, "run_check", lambda: None)  # the check task: still running
    page.open_conform(None)
    page.conform_dialog.accept()
    new_layer = page.conformed_layer
    assert "is unchanged" in page.info_label.text()
    page.show_report(report, new_layer.id(), schema)  # the task's report arriving after the handler
    assert "is unchanged" in page.info_label.text()
    assert new_layer.name() in page.info_label.text()
    page.show_report(report, source.id(), schema)  # any later check: the note is gone
    assert page.info_label.text() == ""
