"""The dock and its « Vérifier » page: catalogue list, validation in a task, findings actions, export, mapping."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import QDialog

from opendata_publisher.core.checks.finding import ERROR, WARNING, Finding
from opendata_publisher.core.mapping import FieldMapping, mapping_property_name
from opendata_publisher.core.schema.catalogue import CatalogueEntry, CatalogueError
from opendata_publisher.core.schema.model import parse_schema
from opendata_publisher.core.validation import ValidationReport
from opendata_publisher.gui.check_page import SCHEMA_PROPERTY, CheckPage
from opendata_publisher.gui.check_schema_picker import SchemaPicker
from opendata_publisher.gui.dock import OpenDataDock
from opendata_publisher.gui.findings_model import FindingsModel
from opendata_publisher.gui.mapping_editor import MappingEditorDialog
from opendata_publisher.gui.tasks import ValidationTask
from opendata_publisher.toolbelt.settings import PluginSettings
from tests.qgis.test_french_ui import french, french_qm  # noqa: F401 - fixtures: the plugin's French translator

REF = "test/schema-parking@1.0"

SCHEMA_DICT = {
    "name": "test/schema-parking",
    "title": "Parkings de test",
    "version": "1.0",
    "fields": [
        {"name": "id", "title": "Identifiant", "type": "string", "constraints": {"required": True}},
        {
            "name": "type_usager",
            "title": "Type d'usager",
            "type": "string",
            "constraints": {"enum": ["tous", "abonnés", "résidents"]},
        },
        {"name": "nb_places", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "commentaire_usager", "type": "string"},
    ],
}

# fid -> (id, type_usager, nb_places, commentair)
ROWS = [
    ("P1", "tous", 10, "ok"),
    ("P2", "voitures", 5, ""),  # enum error
    ("", "abonnés", 3, ""),  # required error
    ("P4", "camions", -2, ""),  # enum error + minimum error
    ("P5", "résidents", 8, ""),
]


class FakeCatalogue:
    def __init__(self, entries=None, error=None):
        self._entries = entries or []
        self.error = error
        self.offline = False
        self.cached_at = None
        self.calls = 0

    def entries(self, refresh=False):
        self.calls += 1
        if self.error:
            raise CatalogueError(self.error)
        return list(self._entries)


def _entries():
    return [
        CatalogueEntry("scdl/budget", "Budget", "Budget des collectivités", ["Socle Commun des Données Locales"],
                       ["0.8.1", "0.8.0"], True),
        CatalogueEntry("test/schema-parking", "Parkings de test", "Lieux de stationnement", [], ["1.0", "0.9"], False),
        CatalogueEntry("etalab/schema-arbres", "Arbres urbains", "Patrimoine arboré", ["Énergie"], ["0.3.1"], False),
    ]  # fmt: skip


def fake_validate(layer_input, schema, mapping=None, feedback=None):
    """A small deterministic validator reading the snapshot made on the main thread."""
    findings = []
    for fid, values in layer_input["rows"]:
        if not values["id"]:
            findings.append(
                Finding(
                    "constraint-error",
                    ERROR,
                    "Valeur obligatoire manquante",
                    "Donnez un identifiant",
                    field="id",
                    feature_id=fid,
                    row=fid + 1,
                    value=None,
                    constraint="required",
                )
            )
        if values["type_usager"] not in ("tous", "abonnés", "résidents"):
            findings.append(
                Finding(
                    "constraint-error",
                    ERROR,
                    f"« {values['type_usager']} » n'est pas autorisé",
                    "Choisissez tous, abonnés ou résidents",
                    field="type_usager",
                    feature_id=fid,
                    row=fid + 1,
                    value=values["type_usager"],
                    constraint="enum",
                )
            )
        if values["nb_places"] < 0:
            findings.append(
                Finding(
                    "constraint-error",
                    ERROR,
                    "Valeur trop petite",
                    "Au moins 0",
                    field="nb_places",
                    feature_id=fid,
                    row=fid + 1,
                    value=values["nb_places"],
                    constraint="minimum",
                )
            )
        if feedback is not None and feedback.isCanceled():
            break
    findings.append(
        Finding("extra-label", WARNING, "Le champ « commentair » n'est pas dans le schéma", field="commentair")
    )
    fake_validate.calls.append(mapping)
    return ValidationReport(schema.name, schema.version, schema.source, schema.title, layer_input["name"],
                            len(layer_input["rows"]), findings,
                            cancelled=bool(feedback is not None and feedback.isCanceled()))  # fmt: skip


fake_validate.calls = []


def snapshot(layer, selected_only):
    request_ids = set(layer.selectedFeatureIds()) if selected_only else None
    rows = [
        (f.id(), {"id": f["id"], "type_usager": f["type_usager"], "nb_places": f["nb_places"]})
        for f in layer.getFeatures()
        if request_ids is None or f.id() in request_ids
    ]
    return {"name": layer.name(), "rows": rows}


@pytest.fixture
def layer(qgis_new_project):
    layer = QgsVectorLayer(
        "Point?crs=EPSG:4326&field=id:string&field=type_usager:string&field=nb_places:integer&field=commentair:string",
        "parkings",
        "memory",
    )
    features = []
    for i, row in enumerate(ROWS):
        feature = QgsFeature(layer.fields())
        feature.setAttributes(list(row))
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(1.9 + i * 0.01, 47.9)))
        features.append(feature)
    assert layer.dataProvider().addFeatures(features)[0]
    QgsProject.instance().addMapLayer(layer)
    return layer


@pytest.fixture
def schema():
    return parse_schema(SCHEMA_DICT, "test")


@pytest.fixture
def page(qgis_iface, layer, schema):
    fake_validate.calls.clear()
    page = CheckPage(
        qgis_iface,
        catalogue=FakeCatalogue(_entries()),
        run_inline=True,
        validate_func=fake_validate,
        layer_input_factory=snapshot,
    )
    page.load_catalogue()
    page.set_layer(layer)
    page.set_schema(REF, schema)
    yield page
    page.cleanup()
    page.deleteLater()


def _fids(layer):
    return {f.id(): f["id"] for f in layer.getFeatures()}


def _fid_of(layer, ident):
    return next(fid for fid, value in _fids(layer).items() if value == ident)


# --------------------------------------------------------------------------- dock


def test_dock_builds_with_the_check_page_first_and_cleans_up(qgis_iface):
    from opendata_publisher.gui.legal_page import LegalPage

    dock = OpenDataDock(qgis_iface)
    assert dock.objectName() == "OpenDataPublisherDock"
    assert isinstance(dock.tabs.widget(0), CheckPage)
    assert dock.pages()[0] is dock.check_page
    assert any(isinstance(page, LegalPage) for page in dock.pages())
    assert dock.check_page.running_tasks() == []  # the catalogue loads when the dock is first shown
    dock.cleanup()
    dock.cleanup()  # twice is harmless
    dock.deleteLater()
    QCoreApplication.processEvents()


def test_dock_cleanup_cancels_a_running_task(qgis_iface, layer, schema):
    dock = OpenDataDock(qgis_iface)
    page = dock.check_page
    task = ValidationTask(snapshot(layer, False), schema, None, fake_validate)
    page._tasks.keep("validation", task)
    dock.cleanup()
    assert task.isCanceled()
    assert page.running_tasks() == []
    dock.deleteLater()


# --------------------------------------------------------------------------- catalogue and schema choice


def test_catalogue_list_filter_badge_and_versions(page):
    picker = page.schema_picker
    model = picker.schema_model
    titles = [model.item(r).text() for r in range(model.rowCount())]
    assert titles == ["Budget", "Parkings de test", "Arbres urbains"]
    assert model.item(0).data(SchemaPicker.BadgeRole) == "SCDL"
    assert model.item(1).data(SchemaPicker.BadgeRole) == ""
    assert picker.catalogue_status.text() == "3 schemas in the catalogue."
    assert picker.retry_button.isHidden()

    picker.schema_filter.setValue("energie")  # accents and case do not count, labels are searched
    assert picker.schema_proxy.rowCount() == 1
    assert picker.schema_proxy.index(0, 0).data() == "Arbres urbains"
    assert page.current_reference() == REF  # searching does not change the chosen schema
    picker.schema_filter.setValue("")
    assert picker.schema_proxy.rowCount() == 3

    assert page.current_reference() == REF
    picker.schema_list.setCurrentIndex(picker.schema_proxy.index(2, 0))  # the agent clicks another schema
    assert page.current_reference() == "etalab/schema-arbres@0.3.1"
    assert not picker.version_combo.isEnabled()  # one version only
    page.select_reference(REF)
    versions = [picker.version_combo.itemData(i) for i in range(picker.version_combo.count())]
    assert versions == ["1.0", "0.9"]
    picker.version_combo.setCurrentIndex(1)
    assert page.current_reference() == "test/schema-parking@0.9"
    assert page.select_reference("scdl/budget@0.8.0")
    assert page.current_reference() == "scdl/budget@0.8.0"


def test_catalogue_offline_shows_french_error_and_retry(qgis_iface, layer):
    catalogue = FakeCatalogue(_entries(), error="Impossible de télécharger le catalogue : vérifiez votre connexion.")
    page = CheckPage(qgis_iface, catalogue=catalogue, run_inline=True)
    page.load_catalogue()
    picker = page.schema_picker
    assert "vérifiez votre connexion" in picker.catalogue_status.text()
    assert not picker.retry_button.isHidden()
    assert picker.schema_model.rowCount() == 0

    catalogue.error = None
    picker.retry_button.click()
    assert catalogue.calls == 2
    assert picker.schema_model.rowCount() == 3
    assert picker.retry_button.isHidden()
    page.cleanup()


def test_remembers_schema_per_layer_and_custom_paths(qgis_iface, layer, tmp_path):
    other = QgsVectorLayer("None?field=a:string", "table", "memory")
    QgsProject.instance().addMapLayer(other)
    schema_file = tmp_path / "schema.json"
    schema_file.write_text(json.dumps(SCHEMA_DICT), encoding="utf-8")
    layer.setCustomProperty(SCHEMA_PROPERTY, "scdl/budget@0.8.0")
    other.setCustomProperty(SCHEMA_PROPERTY, str(schema_file))

    page = CheckPage(qgis_iface, catalogue=FakeCatalogue(_entries()), run_inline=True)
    page.set_layer(layer)  # before the catalogue is there: selected once it is loaded
    page.load_catalogue()
    assert page.current_reference() == "scdl/budget@0.8.0"
    page.set_layer(other)
    assert page.current_reference() == str(schema_file)
    picker = page.schema_picker
    assert picker.schema_model.item(0).text() == "Local schema: schema.json"
    # a local schema is loaded (in a task) when the check runs
    page.load_schema()
    assert page.loaded_schema(str(schema_file)).title == "Parkings de test"
    page.cleanup()


# --------------------------------------------------------------------------- validation and results


def test_check_groups_findings_and_remembers_schema(page, layer):
    assert page.check_button.isEnabled()
    page.check_button.click()
    assert page.running_tasks() == []
    assert page.progress.isHidden() and page.cancel_button.isHidden()
    groups = {(g.code, g.field): g.count for g in page.findings_model.groups()}
    assert groups == {
        ("constraint-error/enum", "type_usager"): 2,
        ("constraint-error/required", "id"): 1,
        ("constraint-error/minimum", "nb_places"): 1,
        ("extra-label", "commentair"): 1,
    }
    assert [g.severity for g in page.findings_model.groups()][-1] == WARNING
    summary = page.summary_label.text()
    assert summary.startswith("4 erreurs, 1 avertissement sur 5 entités")
    assert "n'est pas conforme au schéma Parkings de test 1.0" in summary
    assert layer.customProperty(SCHEMA_PROPERTY) == REF
    assert page.export_button.isEnabled() and page.select_errors_button.isEnabled()


def test_filters_on_the_page(page):
    page.run_check()
    view = page.findings_view
    view.set_text_filter("camions")
    assert [f.value for f in page.findings_model.visible_findings()] == ["camions"]
    view.set_text_filter("")
    view.severity_buttons[ERROR].setChecked(False)
    assert [g.code for g in page.findings_model.groups()] == ["extra-label"]
    view.severity_buttons[ERROR].setChecked(True)
    assert len(page.findings_model.groups()) == 4


def test_select_error_features(page, layer):
    page.run_check()
    layer.removeSelection()
    ids = page.select_error_features()
    expected = {_fid_of(layer, "P2"), _fid_of(layer, ""), _fid_of(layer, "P4")}
    assert set(ids) == expected
    assert set(layer.selectedFeatureIds()) == expected
    assert "3 features in error" in page.info_label.text()


def test_double_click_selects_and_zooms_to_the_feature(page, layer, qgis_iface):
    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(layer.crs())
    canvas.setExtent(layer.extent().buffered(50))
    page.run_check()
    model = page.findings_model
    group = model.group_index("constraint-error/enum", "type_usager")
    child = model.index(1, FindingsModel.COL_PROBLEM, group)
    assert model.finding_at(child).value == "camions"
    page.findings_view.tree.doubleClicked.emit(child)
    p4 = _fid_of(layer, "P4")
    assert layer.selectedFeatureIds() == [p4]
    point = layer.getFeature(p4).geometry().asPoint()
    center = canvas.extent().center()  # a single point: QGIS centres the map on it
    assert abs(center.x() - point.x()) < 1e-6 and abs(center.y() - point.y()) < 1e-6


def test_export_json_and_markdown(page, tmp_path):
    page.run_check()
    json_path = page.export_report("json", str(tmp_path / "rapport.json"))
    data = json.loads(Path(json_path).read_text(encoding="utf-8"))
    assert data["valid"] is False
    assert len(data["findings"]) == 5
    md_path = page.export_report("markdown", str(tmp_path / "rapport.md"))
    text = Path(md_path).read_text(encoding="utf-8")
    assert text.startswith("# Rapport de vérification — parkings")
    assert "camions" in text
    assert page.export_report("json", str(tmp_path / "missing-folder" / "x.json")) is None
    assert "could not be written" in page.last_error


def test_selected_only_without_selection_says_what_to_do(page, layer):
    layer.removeSelection()
    page.selected_only_check.setChecked(True)
    page.run_check()
    assert "untick" in page.last_error
    assert fake_validate.calls == []
    layer.selectByIds([_fid_of(layer, "P4")])
    page.run_check()
    assert page.report.feature_count == 1
    assert {f.feature_id for f in page.report.findings if f.feature_id is not None} == {_fid_of(layer, "P4")}


def test_selected_only_is_ticked_at_start_when_the_options_say_so(qgis_iface, layer, monkeypatch):
    monkeypatch.delenv("QGIS_OPENDATA_PUBLISHER_SELECTED_ONLY_DEFAULT", raising=False)
    pages = []
    try:
        for default in (True, False):
            PluginSettings(selected_only_default=default).save()
            pages.append(CheckPage(qgis_iface, catalogue=FakeCatalogue(_entries()), run_inline=True))
            assert pages[-1].selected_only_check.isChecked() is default
        monkeypatch.setenv("QGIS_OPENDATA_PUBLISHER_SELECTED_ONLY_DEFAULT", "true")  # managed deployment
        pages.append(CheckPage(qgis_iface, catalogue=FakeCatalogue(_entries()), run_inline=True))
        assert pages[-1].selected_only_check.isChecked()
    finally:
        PluginSettings.reset()
        for page in pages:
            page.cleanup()
            page.deleteLater()


@pytest.mark.usefixtures("french")
def test_task_failure_is_reported_in_french_and_cancel_is_not_a_failure(page):
    def broken(layer_input, schema, mapping=None, feedback=None):
        raise ValueError("boom")

    page._validate_func = broken
    page.run_check()
    # the sentence is French; the technical detail is kept for the support
    assert page.last_error.startswith("La vérification a échoué à cause d'une erreur inattendue (ValueError: boom).")
    assert "Journal des messages" in page.last_error
    assert page.report is None and page.running_tasks() == []
    assert page.check_button.isEnabled()

    def cancelling(layer_input, schema, mapping=None, feedback=None):
        page.cancel()  # the user clicks « Annuler » while the task runs
        return fake_validate(layer_input, schema, mapping, feedback)

    page._validate_func = cancelling
    page.last_error = ""
    page.run_check()
    assert page.report is None
    assert page.summary_label.text().startswith("Vérification annulée")
    assert page.last_error == ""


def test_validation_through_the_qgis_task_manager(page, layer):
    page.run_inline = False
    reports = []
    page.validationFinished.connect(reports.append)
    page.run_check()
    assert page.running_tasks() == ["validation"]
    assert not page.check_button.isEnabled()
    deadline = time.monotonic() + 10
    while not reports and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.01)
    assert reports and reports[0].error_count == 4
    assert page.running_tasks() == []
    assert page.progress.isHidden() and page.check_button.isEnabled()


# --------------------------------------------------------------------------- mapping


def test_mapping_editor_suggests_saves_and_reloads(layer, schema):
    dialog = MappingEditorDialog(layer, schema)
    assert dialog.choice("id") == "id"
    assert dialog.choice("commentaire_usager") == "commentair"  # truncated Shapefile name suggested
    combo = dialog.combos["commentaire_usager"]
    assert combo.currentText().endswith("★")
    assert "Suggested" in dialog.table.item(3, MappingEditorDialog.COL_NOTE).text()
    dialog.set_choice("type_usager", None)
    dialog.accept()
    stored = layer.customProperty(mapping_property_name(schema))
    assert json.loads(stored) == {"id": "id", "nb_places": "nb_places", "commentair": "commentaire_usager"}

    again = MappingEditorDialog(layer, schema)
    assert again.choice("commentaire_usager") == "commentair"
    assert again.mapping().layer_to_schema["commentair"] == "commentaire_usager"


def test_mapping_editor_refuses_one_layer_field_for_two_schema_fields(layer, schema):
    dialog = MappingEditorDialog(layer, schema)
    dialog.set_choice("commentaire_usager", "id")
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Save).isEnabled()
    assert "only one schema field" in dialog.status.text()


def test_page_mapping_button_saves_and_checks_again(page, layer, schema, monkeypatch):
    def fake_exec(dialog):
        dialog.set_choice("commentaire_usager", "commentair")
        dialog.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(MappingEditorDialog, "exec", fake_exec)
    page.mapping_button.click()
    assert len(fake_validate.calls) == 1
    mapping = fake_validate.calls[0]
    assert isinstance(mapping, FieldMapping)
    assert mapping.layer_to_schema["commentair"] == "commentaire_usager"
    assert layer.customProperty(mapping_property_name(schema))


# --------------------------------------------------------------------------- with the real validator


def test_real_validator_end_to_end(qgis_iface, layer, schema):
    page = CheckPage(qgis_iface, catalogue=FakeCatalogue(_entries()), run_inline=True)
    page.load_catalogue()
    page.set_layer(layer)
    page.set_schema(REF, schema)
    page.run_check()
    assert page.last_error == ""
    report = page.report
    assert report is not None and not report.valid
    enum = [f for f in report.findings if f.full_code == "constraint-error/enum"]
    assert {f.feature_id for f in enum} == {_fid_of(layer, "P2"), _fid_of(layer, "P4")}
    assert page.findings_model.group_index("constraint-error/enum", "type_usager").isValid()
    assert _fid_of(layer, "") in page.findings_model.error_feature_ids()
    page.cleanup()


def test_results_always_belong_to_the_layer_shown(page, layer):
    """Issue 11 item 2: switching layer never leaves the previous layer's summary and findings on screen."""
    page.run_check()
    assert page.summary_label.text().startswith("4 erreurs")
    other = QgsVectorLayer("Point?crs=EPSG:4326&field=id:string", "autre couche", "memory")
    QgsProject.instance().addMapLayer(other)
    page.set_layer(other)
    assert page.report is None and page.report_layer_id is None
    assert page.findings_model.groups() == []
    assert "erreur" not in page.summary_label.text() and "autre couche" in page.summary_label.text()
    assert not page.fix_all_button.isEnabled() and not page.export_button.isEnabled()
    page.set_layer(layer)  # back: its own last check comes back
    assert page.report_layer_id == layer.id()
    assert page.summary_label.text().startswith("4 erreurs")
    assert len(page.findings_model.groups()) == 4


def test_first_use_offline_lists_the_snapshot_and_imports_a_catalogue(qgis_iface, layer, tmp_path):
    """Issue 11 item 6: no network, empty cache: the catalogue shipped with the plugin is listed and says so;
    without it, the failure is readable in the dock (no traceback in the log for an expected situation), and
    « Importer un catalogue… » from a folder fills the list."""
    from qgis.core import Qgis, QgsApplication

    from opendata_publisher.core.schema.catalogue import SNAPSHOT_DIR, SchemaCatalogue

    def down(url):
        raise CatalogueError(f"Pas de réseau pour {url}")

    messages = []

    def received(message, tag, level):
        messages.append((message, level))

    QgsApplication.messageLog().messageReceived.connect(received)
    try:
        shipped = CheckPage(qgis_iface, catalogue=SchemaCatalogue("", tmp_path / "cache1", down), run_inline=True)
        shipped.load_catalogue()
        assert shipped.schema_picker.schema_model.rowCount() > 40
        assert "shipped with the plugin" in shipped.schema_picker.catalogue_status.text()  # and that it is offline
        assert "No connection" in shipped.schema_picker.catalogue_status.text()
        assert shipped.select_reference("scdl/budget")
        shipped.cleanup()

        bare = SchemaCatalogue("", tmp_path / "cache2", down, snapshot_dir=None)
        page = CheckPage(qgis_iface, catalogue=bare, run_inline=True)
        page.load_catalogue()
        picker = page.schema_picker
        assert picker.schema_model.rowCount() == 0
        status = picker.catalogue_status.text()
        assert "Impossible de télécharger le catalogue" in status and "import a catalogue" in status
        assert not picker.retry_button.isHidden()
        assert page.import_catalogue(str(SNAPSHOT_DIR)) >= 5
        assert picker.schema_model.rowCount() > 40 and "Catalogue imported" in picker.catalogue_status.text()
        (tmp_path / "vide").mkdir()
        assert page.import_catalogue(str(tmp_path / "vide")) == -1  # no schemas.json there: said under the list
        assert "schemas.json" in picker.catalogue_status.text()
        page.cleanup()
    finally:
        QgsApplication.messageLog().messageReceived.disconnect(received)
    assert not [m for m, level in messages if "Traceback" in m or level == Qgis.MessageLevel.Warning]
