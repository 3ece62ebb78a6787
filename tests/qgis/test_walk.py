"""The whole flow on a messy parking layer, through the real widgets of the dock (issue 11): check → fix values in
place and « Tout corriger » → describe → licence → legal → review → publish to the local folder → republish.

Every click and every field the agent fills is counted by :class:`Walk`; the totals are asserted, so a change that
adds a click or a field to the flow shows up here. The organisation profile (Options, filled once per
installation) and the publication folder are set up before the walk and not counted.

Before issue 11 the same walk took (estimate from the flow of that time, same layer, same answers):

- check: layer 1 field, « Autre schéma… » + « fichier » 2 clicks + 1 field, « Vérifier » 1 click;
- the SIRET, « 2m10 » and the negative price fixed in QGIS's attribute table: « Sélectionner les entités en
  erreur », open the table, « afficher la sélection », edit mode = 4 clicks; per value a double-click on the cell
  and the value = 3 clicks + 3 fields; save the edits, close the table, « Vérifier » again = 3 clicks;
- « Tout corriger » + OK = 2 clicks; « Identifiants construits » was not ticked, so the new check still listed
  the identifiers: « Tout corriger » again, tick it, OK = 3 clicks (and a layer « … (conforme) (conforme) »);
- describe: step, « Préremplir » = 2 clicks; the title (the schema's title) retyped, the description, the EU
  theme, the territory, the start date = 5 fields; the frequency in an 80-entry list with no search = 1 field +
  2 clicks of scrolling; « Enregistrer » 1 click;
- licence: step, save = 2 clicks; legal: step, « Analyser », « Enregistrer les réponses » = 3 clicks + 3 answers;
- publish: step 1 click; with no review screen, the describe, licence and check pages opened again to see what
  will be published, and back = 4 clicks; « Publier » 1 click; republish 1 click.

That is 35 clicks and 14 fields (:data:`BEFORE_CLICKS`, :data:`BEFORE_FIELDS`); the walk below takes
:data:`AFTER_CLICKS` clicks and :data:`AFTER_FIELDS` fields.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from osgeo import ogr, osr
from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, QDate, Qt
from qgis.PyQt.QtWidgets import QAbstractButton

from opendata_publisher.core.conform import fixes as fx
from opendata_publisher.core.metadata.model import OrganisationProfile
from opendata_publisher.gui.dock import OpenDataDock
from opendata_publisher.gui.flow import DONE
from opendata_publisher.gui.value_editor import ValueEditorDialog

from .test_gui_check_page import FakeCatalogue

BEFORE_CLICKS = 35
BEFORE_FIELDS = 14
AFTER_CLICKS = 26
AFTER_FIELDS = 11

INSEE = r"^([013-9]\d|2[AB1-9])\d{3}$"
SCHEMA = {
    "$schema": "https://frictionlessdata.io/schemas/table-schema.json",
    "title": "Lieux de stationnement (test)",
    "description": "Parkings publics",
    "version": "1.0.0",
    "keywords": ["stationnement", "mobilité"],
    "path": "https://github.com/test-org/schema-parkings/raw/v1.0.0/schema.json",
    "primaryKey": "id",
    "fields": [
        {"name": "id", "type": "string", "constraints": {"required": True, "pattern": INSEE[:-1] + r"-P-\d{3}$"}},
        {"name": "insee", "type": "string", "constraints": {"required": True, "pattern": INSEE}},
        {"name": "nom_equipement", "type": "string", "constraints": {"required": True}},
        {"name": "date_mise_en_service", "type": "date"},
        {"name": "gratuit", "type": "boolean", "trueValues": ["true"], "falseValues": ["false"]},
        {"name": "tarif_horaire", "type": "number", "constraints": {"minimum": 0}},
        {"name": "hauteur_max", "type": "number"},
        {"name": "nb_places", "type": "integer", "constraints": {"required": True}},
        {"name": "type_usagers", "type": "string", "constraints": {"enum": ["tous", "abonnés"]}},
        {"name": "siret_gestionnaire", "type": "string", "constraints": {"required": True}},
        {"name": "Xlong", "type": "number", "constraints": {"required": True, "minimum": -180, "maximum": 180}},
        {"name": "Ylat", "type": "number", "constraints": {"required": True, "minimum": -90, "maximum": 90}},
    ],
    "custom_checks": [{"name": "siret", "params": {"column": "siret_gestionnaire"}}],
}
SIRET = "21450230400014"
BAD_SIRET = "21450230400015"
# as a business application exports them: truncated names, French dates, decimal commas, oui/non, wrong values
FIELDS = ("id", "insee", "nom_equipe", "date_mise_", "gratuit", "tarif_horaire", "hauteur_max", "nb_places",
          "type_usage", "siret_gestionnaire", "commentair")  # fmt: skip
ROWS = [
    ((619500.0, 6753000.0), ["P-1", 45234, " Place du Martroi ", "24/06/2019", "oui", "1,50", "2.1", "1 250", "Tous",
                             SIRET, "à revoir"]),
    ((620500.0, 6754000.0), [None, 45234, "Gare", "05/12/2016", "non", "-2", "2m10", "80", "ABONNÉS",
                             BAD_SIRET, ""]),
    ((621500.0, 6755000.0), ["", 45232, "Olivet Centre", "2019-06-24", "Non", "0", "1.9", "12", "tous", SIRET, ""]),
]  # fmt: skip
PROFILE = OrganisationProfile(
    organisation_name="Commune de Test",
    organisation_siren="214502304",
    organisation_siret=SIRET,
    contact_name="Service SIG",
    contact_email="sig@test-commune.fr",
    default_licence="etalab-2.0",
    territory_code="244500468",
)


class Walk:
    """Does what the agent does with the real widgets, and counts it."""

    def __init__(self):
        self.clicks = 0
        self.fields = 0
        self.log = []

    def click(self, what, label: str = "", count: int = 1) -> None:
        """A button (clicked) or any callable standing for a click the test cannot make (a menu entry)."""
        self.clicks += count
        self.log.append(f"click {label or getattr(what, 'objectName', lambda: '')()}")
        if isinstance(what, QAbstractButton):
            assert what.isEnabled(), f"{label or what.objectName()} is disabled"
            what.click()
        else:
            what()
        QCoreApplication.processEvents()

    def type(self, edit, text: str, label: str = "") -> None:
        self.fields += 1
        self.log.append(f"type {label or edit.objectName()}: {text}")
        if hasattr(edit, "setPlainText"):
            edit.setPlainText(text)
        else:
            edit.setText(text)
        QCoreApplication.processEvents()

    def choose(self, combo, data, label: str = "") -> None:
        self.fields += 1
        self.log.append(f"choose {label or combo.objectName()}: {data}")
        index = combo.findData(data)
        assert index >= 0, (label, data)
        combo.setCurrentIndex(index)
        QCoreApplication.processEvents()


def _messy_gpkg(path: Path) -> QgsVectorLayer:
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(2154)
    layer = dataset.CreateLayer("parkings_export", srs, ogr.wkbPoint)
    for name in FIELDS:
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTInteger if name == "insee" else ogr.OFTString))
    for (x, y), values in ROWS:
        feature = ogr.Feature(layer.GetLayerDefn())
        for name, value in zip(FIELDS, values):
            if value is not None:
                feature.SetField(name, value)
        point = ogr.Geometry(ogr.wkbPoint)
        point.AddPoint_2D(x, y)
        feature.SetGeometry(point)
        layer.CreateFeature(feature)
    dataset = None
    qlayer = QgsVectorLayer(f"{path}|layername=parkings_export", "parkings_export", "ogr")
    assert qlayer.isValid()
    return qlayer


@pytest.fixture
def dock(qgis_iface, qgis_new_project, tmp_path):
    created = OpenDataDock(qgis_iface)
    check = created.check_page
    check.run_inline = True
    check.schema_picker._catalogue = FakeCatalogue([])  # offline: the schema is a local file
    check.schema_picker.catalogue_requested = True
    created.describe_page.run_inline = True
    created.describe_page._profile_func = lambda: PROFILE
    created.legal_page.run_inline = True
    created.publish_page.run_inline = True
    created.publish_page.set_folder(str(tmp_path / "publication"))
    created.publish_page.open_url = lambda url: None
    yield created
    created.cleanup()
    created.deleteLater()
    QCoreApplication.processEvents()


def _fix_in_place(walk: Walk, page, code: str, field: str, value: str) -> None:
    """Expand the finding's group, « Modifier la valeur… », type the value, « Enregistrer la valeur »."""
    finding = next(f for f in page.report.findings if f.full_code == code and f.field == field)
    group = page.findings_model.group_index(finding.full_code, field)
    walk.click(lambda: page.findings_view.tree.expand(group), f"expand {field}")
    index = page.findings_model.index(0, 0, group)
    assert page.findings_model.finding_at(index) is finding
    # a double-click on the problem opens the editor (and zooms to the feature)
    walk.click(lambda: page.findings_view.tree.doubleClicked.emit(index), f"double-click the {field} problem")
    dialog = page.value_dialog
    assert isinstance(dialog, ValueEditorDialog)
    walk.type(dialog.value_edit, value, field)
    walk.click(dialog.save_button, "Enregistrer la valeur")


def test_walk_from_a_messy_layer_to_a_published_conforming_dataset(dock, tmp_path):
    project = QgsProject.instance()
    source = project.addMapLayer(_messy_gpkg(tmp_path / "export.gpkg"))
    schema_path = tmp_path / "schema-parkings" / "schema.json"
    schema_path.parent.mkdir()
    schema_path.write_text(json.dumps(SCHEMA, ensure_ascii=False), encoding="utf-8")
    walk = Walk()
    check = dock.check_page

    # ---- Vérifier
    walk.fields += 1  # the layer in the combo (or the active layer when the dock follows it)
    check.set_layer(source)
    walk.click(lambda: None, "Autre schéma…")
    walk.fields += 1  # « Fichier schema.json… » then the file in the dialog
    walk.click(lambda: check.select_reference(str(schema_path)), "schema.json file…")
    walk.click(check.check_button, "Vérifier")
    report = check.report
    assert report is not None and report.error_count > 0
    codes = {(f.full_code, f.field) for f in report.findings}
    assert ("siret", "siret_gestionnaire") in codes
    assert ("type-error", "hauteur_max") in codes
    assert ("constraint-error/minimum", "tarif_horaire") in codes

    # ---- fix three values in place, then « Tout corriger »
    _fix_in_place(walk, check, "siret", "siret_gestionnaire", SIRET)
    _fix_in_place(walk, check, "type-error", "hauteur_max", "2.10")
    _fix_in_place(walk, check, "constraint-error/minimum", "tarif_horaire", "2")
    assert not {("siret", "siret_gestionnaire"), ("type-error", "hauteur_max")} & {
        (f.full_code, f.field) for f in check.report.findings
    }
    walk.click(lambda: source.commitChanges(), "QGIS « Enregistrer les modifications »")
    assert not source.isModified()
    walk.click(check.fix_all_button, "Tout corriger…")
    dialog = check.conform_dialog
    ticked = {k for k, item in dialog.fix_items.items() if item.checkState(0) == Qt.CheckState.Checked}
    assert {fx.FIELDS, fx.DATES, fx.NUMBERS, fx.BOOLEANS, fx.ENUMS, fx.COORDINATES, fx.IDENTIFIERS} <= ticked
    walk.click(dialog.ok_button, "Créer la couche conforme")
    conformed = check.conformed_layer
    assert conformed is not None and check.current_layer() is conformed
    assert check.report.layer_id == conformed.id()
    assert check.report.error_count == 0, [(f.full_code, f.field, f.value) for f in check.report.findings]
    assert conformed.name() == "parkings_export (conforme)"

    # ---- Décrire
    flow = dock.flow
    assert flow.layer() is conformed  # the flow follows the page's layer
    walk.click(flow.header.next_button, "Étape suivante : Décrire")
    describe = dock.describe_page
    assert dock.tabs.currentWidget() is describe and describe.current_layer() is conformed
    walk.click(describe.prefill_button, "Préremplir")
    d = describe.description()
    assert d.title == "Lieux de stationnement (test) — Commune de Test"
    assert d.eu_themes == ["TRAN"] and {a.code for a in d.spatial_coverage} == {"45232", "45234"}
    assert d.schema.name == "test-org/schema-parkings"
    walk.type(
        describe.description_edit,
        "Emplacements, capacités et tarifs des parkings publics de la commune de Test, relevés par le service SIG "
        "et mis à jour chaque année.",
        "description",
    )
    walk.choose(describe.frequency_combo, "ANNUAL", "fréquence")
    walk.fields += 1
    describe.date_edits["temporal_start"].setDate(QDate(2024, 1, 1))  # the period covered starts
    assert not [f for f in describe.refresh_completeness() if f.severity in ("error", "warning")]
    walk.click(describe.save_button, "Enregistrer dans la couche")
    assert not describe.dirty

    # ---- Licence
    # the licence put by « Préremplir » from the profile is not « done » until the agent confirms it
    assert {s.step: s.state for s in flow.statuses()}["licence"] != DONE
    walk.click(flow.header.next_button, "Étape suivante : Licence")
    licence = dock.licence_page
    assert dock.tabs.currentWidget() is licence
    assert licence.current_licence() == "etalab-2.0"  # from the organisation profile
    walk.click(licence.save_button, "Enregistrer la licence")
    assert {s.step: s.state for s in flow.statuses()}["licence"] == DONE

    # ---- Contrôle juridique
    walk.click(flow.header.next_button, "Étape suivante : Contrôle juridique")
    legal = dock.legal_page
    assert dock.tabs.currentWidget() is legal and legal.current_layer() is conformed
    walk.click(legal.analyse_button, "Analyser")
    assert legal.report is not None
    for key, answer in (("achieved", "oui"), ("legal_secret", "non"), ("personal_data", "non")):
        walk.choose(legal.answer_combos[key], answer, key)
    walk.click(legal.save_button, "Enregistrer les réponses")
    assert legal.status_label.text().startswith("✓") and legal.save_button.text().endswith("✓")  # visibly saved
    to_confirm = legal.ack_list.count()
    for row in range(legal.ack_list.count()):
        item = legal.ack_list.item(row)
        if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            walk.click(lambda item=item: item.setCheckState(Qt.CheckState.Checked), "tick a point")
    if legal.confirm_button.isEnabled():
        walk.click(legal.confirm_button, "Confirmer les points cochés")
    assert legal.gate_result is not None and not legal.gate_result.blocked and not legal.gate_result.needs_ack

    # ---- review and publish
    walk.click(flow.header.next_button, "Étape suivante : Publier")
    publish = dock.publish_page
    assert dock.tabs.currentWidget() is publish and publish.current_layer() is conformed
    review = publish.review_box
    assert review.text("title") == "Lieux de stationnement (test) — Commune de Test"
    assert review.text("licence").startswith("Licence Ouverte")
    assert review.text("schema") == "test-org/schema-parkings 1.0.0"
    assert review.text("files").endswith(".csv, lieux-de-stationnement-test-commune-de-test.geojson, "
                                         "lieux-de-stationnement-test-commune-de-test.gpkg")  # fmt: skip
    assert review.text("news") == "First publication to this place." or "Première" in review.text("news")
    walk.click(publish.publish_button, "Publier")
    outcome = publish.outcome
    assert outcome.status == "published", outcome.summary()
    assert not outcome.gate.warnings and not outcome.gate.blocking
    folder = Path(outcome.result.ref.dataset_url[len("file://") :])
    assert (folder / "metadata" / "dcat-ap.jsonld").is_file()
    # nothing internal in what is published: layer names, dropped fields, login, checklist, local paths
    for path in [*folder.glob("metadata/*"), *folder.glob("rapports/*"), folder / "README.md"]:
        text = path.read_text(encoding="utf-8")
        for internal in ("parkings_export", "(conforme)", "commentair", str(tmp_path), "[opendata_publisher:"):
            assert internal not in text, (path.name, internal)
    assert {s.step: s.state for s in flow.statuses()}["publier"] == DONE

    # ---- republish (same dataset, updated)
    walk.click(publish.publish_button, "Publier (mise à jour)")
    assert publish.outcome.status == "published"
    assert Path(publish.outcome.result.ref.dataset_url[len("file://") :]) == folder
    history = json.loads((folder / "historique.json").read_text(encoding="utf-8"))
    assert [h["action"] for h in history] == ["création", "mise à jour"]
    assert review.text("news").startswith(("Update of the publication of", "Mise à jour de la publication"))
    assert [p.name for p in tmp_path.joinpath("publication").iterdir()] == [folder.name]
    assert source.featureCount() == 3  # the source keeps its features (only the three values were fixed)

    print(f"\nWALK: {walk.clicks} clicks, {walk.fields} fields ({to_confirm} legal points listed)")
    print("\n".join(walk.log))
    assert (walk.clicks, walk.fields) == (AFTER_CLICKS, AFTER_FIELDS), walk.log
    assert walk.clicks < BEFORE_CLICKS and walk.fields < BEFORE_FIELDS
