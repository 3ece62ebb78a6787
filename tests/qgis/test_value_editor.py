"""Fix a value where the problem is shown (issue 11, item 7): from a finding of the « Vérifier » page, edit the
value in place (checked against the schema field as it is typed), delete or deselect the feature."""

from __future__ import annotations

from pathlib import Path

import pytest
from osgeo import ogr, osr
from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtWidgets import QLabel

from opendata_publisher.compat import make_field
from opendata_publisher.core.checks.single import SingleValueChecker
from opendata_publisher.core.schema.catalogue import CatalogueEntry
from opendata_publisher.core.schema.model import parse_schema
from opendata_publisher.gui.check_page import CheckPage
from opendata_publisher.gui.value_editor import ValueEditorDialog

from .test_gui_check_page import FakeCatalogue

REF = "test/parkings@1.0.0"
SCHEMA = {
    "name": "test/parkings",
    "title": "Parkings (test)",
    "version": "1.0.0",
    "fields": [
        {"name": "id", "type": "string", "constraints": {"required": True}},
        {"name": "siret", "type": "string", "constraints": {"required": True}},
        {"name": "hauteur_max", "type": "number", "description": "Hauteur maximale en mètres (ex. 2.1)"},
        {"name": "tarif", "type": "number", "constraints": {"minimum": 0}},
    ],
    "custom_checks": [{"name": "siret", "params": {"column": "siret"}}],
}
GOOD_SIRET = "21450234600015"
# id, siret, hauteur_max (text field, as exported), tarif (real field)
ROWS = [
    ("P1", GOOD_SIRET, "2.1", 1.5),
    ("P2", "21450234500019", "2m10", 2.0),  # wrong SIRET (Luhn) + « 2m10 »
    ("P3", GOOD_SIRET, "1.9", -3.0),  # negative price
]


def _gpkg(path: Path) -> QgsVectorLayer:
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(2154)
    layer = dataset.CreateLayer("parkings", srs, ogr.wkbPoint)
    for name, kind in (("id", ogr.OFTString), ("siret", ogr.OFTString), ("hauteur_max", ogr.OFTString)):
        layer.CreateField(ogr.FieldDefn(name, kind))
    layer.CreateField(ogr.FieldDefn("tarif", ogr.OFTReal))
    for i, row in enumerate(ROWS):
        feature = ogr.Feature(layer.GetLayerDefn())
        for name, value in zip(("id", "siret", "hauteur_max", "tarif"), row):
            feature.SetField(name, value)
        point = ogr.Geometry(ogr.wkbPoint)
        point.AddPoint_2D(619500.0 + i * 10, 6753000.0)
        feature.SetGeometry(point)
        layer.CreateFeature(feature)
    dataset = None
    qlayer = QgsVectorLayer(f"{path}|layername=parkings", "parkings_export", "ogr")
    assert qlayer.isValid()
    return qlayer


@pytest.fixture
def layer(qgis_new_project, tmp_path):
    layer = _gpkg(tmp_path / "parkings.gpkg")
    QgsProject.instance().addMapLayer(layer)
    yield layer
    if layer.isEditable():
        layer.rollBack()


@pytest.fixture
def page(qgis_iface, layer):
    entry = CatalogueEntry("test/parkings", "Parkings (test)", "", [], ["1.0.0"], False)
    page = CheckPage(qgis_iface, catalogue=FakeCatalogue([entry]), run_inline=True)
    page.load_catalogue()
    page.set_layer(layer)
    page.set_schema(REF, parse_schema(SCHEMA, "test"))
    page.run_check()
    assert page.report is not None and page.report.error_count == 3, [f.message for f in page.report.findings]
    yield page
    if page.value_dialog is not None:
        page.value_dialog.reject()
    page.cleanup()
    page.deleteLater()


def _finding(page, field):
    return next(f for f in page.report.findings if f.field == field)


def _open(page, field) -> ValueEditorDialog:
    finding = _finding(page, field)
    row = page.findings_model.group_index(finding.full_code, field)
    assert row.isValid()
    index = page.findings_model.index(0, 0, row)
    assert page.findings_model.finding_at(index) is finding
    page.findings_view.tree.setCurrentIndex(index)
    assert page.edit_value_button.isEnabled()
    menu = page.findings_view.context_menu_for(index)
    action = next(a for a in menu.actions() if a.objectName() == "editValueAction")
    action.trigger()
    dialog = page.value_dialog
    assert isinstance(dialog, ValueEditorDialog) and dialog.isVisible()
    return dialog


def _value(layer, fid, field):
    return layer.getFeature(fid).attribute(field)


def test_the_value_is_checked_as_typed_and_saved_in_edit_mode(page, layer):
    dialog = _open(page, "siret")
    fid = dialog.fid
    assert dialog.value_edit.text() == "21450234500019"
    assert not dialog.save_button.isEnabled()
    assert "SIRET" in dialog.status_label.text()
    dialog.value_edit.setText("2145023450001")  # 13 digits
    assert not dialog.save_button.isEnabled()
    dialog.value_edit.setText(GOOD_SIRET)
    assert dialog.save_button.isEnabled()
    assert dialog.status_label.text().startswith("✓")
    assert not layer.isEditable()
    dialog.save_button.click()
    assert layer.isEditable() and layer.isModified()
    assert _value(layer, fid, "siret") == GOOD_SIRET
    assert page.value_dialog is None
    # the finding is gone, the others stay, the summary follows
    assert not [f for f in page.report.findings if f.field == "siret"]
    assert page.report.error_count == 2
    assert page.summary_label.text().startswith("2 erreurs")
    assert "save the layer's edits" in page.info_label.text() or "enregistrez" in page.info_label.text()
    # the file is untouched until the agent saves; a new check reads the edit buffer
    page.run_check()
    assert page.report.error_count == 2
    layer.rollBack()
    assert _value(layer, fid, "siret") == "21450234500019"


def test_text_2m10_and_negative_price(page, layer):
    dialog = _open(page, "hauteur_max")
    assert dialog.value_edit.text() == "2m10"
    dialog.value_edit.setText("2,10")  # the schema wants a decimal point
    assert not dialog.save_button.isEnabled()
    dialog.value_edit.setText("2.10")
    assert dialog.save_button.isEnabled()
    dialog.value_edit.returnPressed.emit()
    assert page.report.error_count == 2

    dialog = _open(page, "tarif")
    fid = dialog.fid
    assert float(dialog.value_edit.text()) == -3.0
    dialog.value_edit.setText("-1")
    assert not dialog.save_button.isEnabled()
    assert "0" in dialog.status_label.text()
    dialog.value_edit.setText("abc")  # neither the schema nor the real field accept it
    assert not dialog.save_button.isEnabled()
    dialog.value_edit.setText("0")
    dialog.save_button.click()
    assert _value(layer, fid, "tarif") == 0.0
    assert page.report.error_count == 1
    page.run_check()
    assert page.report.error_count == 1


def test_delete_or_deselect_the_feature(page, layer):
    dialog = _open(page, "tarif")
    fid = dialog.fid
    layer.selectByIds([fid, 1])
    dialog.deselect_button.click()
    assert fid not in layer.selectedFeatureIds() and 1 in layer.selectedFeatureIds()
    assert page.report.error_count == 3  # a whole-layer check: the finding stays
    assert not layer.isEditable()

    dialog = _open(page, "tarif")
    dialog.delete_button.click()
    assert layer.isEditable()
    assert not layer.getFeature(fid).isValid()
    assert layer.featureCount() == 2
    assert page.report.error_count == 2
    page.run_check()
    assert page.report.error_count == 2


def test_single_value_checker_uses_the_schema_custom_checks():
    checker = SingleValueChecker(parse_schema(SCHEMA, "test"), "siret")
    assert [p.code for p in checker.problems("21450234500019")] == ["siret"]
    assert checker.problems(GOOD_SIRET) == []
    assert checker.problems("  ")[0].constraint == "required"


def test_a_read_only_csv_offers_no_editor(qgis_iface, qgis_new_project, tmp_path):
    path = tmp_path / "parkings.csv"
    path.write_text("id,siret,hauteur_max,tarif\nP1,21450234500017,2m10,1.5\n", encoding="utf-8")
    layer = QgsVectorLayer(f"file://{path}?delimiter=,", "parkings_csv", "delimitedtext")
    assert layer.isValid()
    QgsProject.instance().addMapLayer(layer)
    entry = CatalogueEntry("test/parkings", "Parkings (test)", "", [], ["1.0.0"], False)
    page = CheckPage(qgis_iface, catalogue=FakeCatalogue([entry]), run_inline=True)
    try:
        page.load_catalogue()
        page.set_layer(layer)
        page.set_schema(REF, parse_schema(SCHEMA, "test"))
        page.run_check()
        finding = next(f for f in page.report.findings if f.field == "hauteur_max")
        assert not page.can_edit_finding(finding)  # the delimited-text provider cannot change values
        page.findings_view.findingActivated.emit(finding)  # a double-click only zooms
        assert page.value_dialog is None
    finally:
        page.cleanup()
        page.deleteLater()


def test_a_list_value_is_offered_as_it_is_typed(qgis_iface, layer):
    from opendata_publisher.core.checks.finding import ERROR, Finding

    schema = parse_schema(
        {"fields": [{"name": "type_usagers", "type": "string", "constraints": {"enum": ["tous", "abonnés"]}}]}, "t"
    )
    layer.startEditing()
    layer.addAttribute(make_field("type_usagers", "string"))
    layer.commitChanges()
    finding = Finding("constraint-error", ERROR, "« camions » n'est pas autorisé", "Choisissez tous ou abonnés",
                      field="type_usagers", feature_id=1, value="camions", constraint="enum")  # fmt: skip
    dialog = ValueEditorDialog(layer, finding, schema)
    try:
        assert dialog.findChild(QLabel, "valueEditorAllowed").text() == "tous, abonnés"
        assert dialog.findChild(QLabel, "valueEditorHint").text() == "Choisissez tous ou abonnés"
        completer = dialog.value_edit.completer()
        completer.setCompletionPrefix("abo")
        assert completer.currentCompletion() == "abonnés"
        dialog.value_edit.setText("camions")
        assert not dialog.save_button.isEnabled()
        dialog.value_edit.setText("abonnés")
        assert dialog.save_button.isEnabled()
        dialog.save_button.click()
        assert layer.getFeature(1).attribute("type_usagers") == "abonnés"
    finally:
        dialog.deleteLater()
