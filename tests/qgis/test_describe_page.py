"""The « Décrire » page: form ↔ QgsLayerMetadata, project round trip, prefill, completeness, unsaved
changes, exports, QGIS's own metadata tab, layer tree menu entry and the organisation profile options."""

from __future__ import annotations

import json
import xml.dom.minidom
from pathlib import Path

import pytest
from qgis.core import (
    QgsFeature,
    QgsGeometry,
    QgsLayerMetadata,
    QgsPointXY,
    QgsProject,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication, QDate, QEvent

from opendata_publisher.core.checks.finding import ERROR
from opendata_publisher.core.metadata.completeness import check_completeness
from opendata_publisher.core.metadata.layer_metadata import read_layer_description
from opendata_publisher.core.metadata.model import OrganisationProfile
from opendata_publisher.core.schema.model import parse_schema
from opendata_publisher.gui.describe_page import SCHEMA_PROPERTY, DescribePage
from opendata_publisher.gui.widgets.layer_page import CANCEL, DISCARD
from opendata_publisher.toolbelt.settings import ENV_PREFIX, PluginSettings

REF = "etalab/schema-stationnement@0.1.5"
SCHEMA = parse_schema(
    {
        "name": "etalab/schema-stationnement",
        "title": "",
        "version": "0.1.5",
        "keywords": ["stationnements", "parkings"],
        "fields": [{"name": "id", "type": "string"}],
    },
    "https://schema.data.gouv.fr/schemas/etalab/schema-stationnement/0.1.5/schema.json",
)
PROFILE = OrganisationProfile(
    organisation_name="Orléans Métropole",
    organisation_siren="244500468",
    organisation_siret="",
    contact_name="Service SIG",
    contact_email="sig@orleans-metropole.fr",
    default_licence="etalab-2.0",
    default_keywords=["métropole"],
    territory_code="244500468",
)


def make_gpkg(tmp_path: Path, name: str = "parkings") -> QgsVectorLayer:
    memory = QgsVectorLayer("Point?crs=EPSG:2154&field=id:string", name, "memory")
    features = []
    for index, (x, y) in enumerate(((619000, 6752000), (622000, 6755000))):
        feature = QgsFeature(memory.fields())
        feature.setAttributes([f"P{index}"])
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
        features.append(feature)
    memory.dataProvider().addFeatures(features)
    path = str(tmp_path / f"{name}.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = name
    writer = getattr(QgsVectorFileWriter, "writeAsVectorFormatV3", None)
    if writer is not None:
        from qgis.core import QgsCoordinateTransformContext

        error = writer(memory, path, QgsCoordinateTransformContext(), options)
    else:  # pragma: no cover - old QGIS
        error = QgsVectorFileWriter.writeAsVectorFormatV2(
            memory, path, QgsProject.instance().transformContext(), options
        )
    assert error[0] == QgsVectorFileWriter.WriterError.NoError, error
    layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
    assert layer.isValid()
    return layer


@pytest.fixture
def project():
    QgsProject.instance().clear()
    yield QgsProject.instance()
    QgsProject.instance().clear()


@pytest.fixture
def page(qgis_iface, project):
    pages = []

    def make(**kwargs):
        kwargs.setdefault("run_inline", True)
        kwargs.setdefault("profile_func", lambda: PROFILE)
        kwargs.setdefault("schema_loader", lambda ref, catalogue: SCHEMA)
        created = DescribePage(qgis_iface, **kwargs)
        created.ask_unsaved_func = lambda name: pytest.fail(f"unexpected question about {name}")
        pages.append(created)
        return created

    yield make
    for created in pages:
        created.cleanup()


def fill(p: DescribePage) -> None:
    p.title_edit.setText("Stationnements vélo d'Orléans Métropole")
    p.description_edit.setPlainText(
        "Emplacements de stationnement pour vélos sur l'espace public, relevés sur le terrain par le service "
        "mobilité, mis à jour chaque année."
    )
    p.keyword_editor.add("vélos; stationnements")
    p.eu_themes_list.set_checked("TRAN")
    p.inspire_list.set_checked("tn")
    p.iso_list.set_checked("transportation")
    p.org_edits["producer_name"].setText("Orléans Métropole")
    p.org_edits["producer_siren"].setText("244500468")
    p.org_edits["publisher_name"].setText("Orléans Métropole")
    p.contact_name_edit.setText("Service SIG")
    p.contact_email_edit.setText("sig@orleans-metropole.fr")
    p.coverage_list.set_checked("244500468")
    p.coverage_list.set_checked("45234")
    p.frequency_combo.setCurrentIndex(p.frequency_combo.findData("ANNUAL"))
    p.date_edits["temporal_start"].setDate(QDate(2024, 1, 1))
    p.date_edits["created"].setDate(QDate(2019, 6, 3))
    p.date_edits["modified"].setDate(QDate(2025, 3, 12))
    p.language_combo.setCurrentIndex(p.language_combo.findData("FRA"))
    p.lineage_edit.setPlainText("Relevés GPS du service mobilité.")
    p.attribution_edit.setText("Orléans Métropole — mise à jour du 12/03/2025")
    p.identifier_edit.setText("om-stationnements-velo")
    # edits made with setText / setChecked are not "typed": mark the form as edited like typing does
    p._edited()


def test_fill_save_reload_project_and_find_everything_back(page, project, tmp_path):
    layer = make_gpkg(tmp_path)
    project.addMapLayer(layer)
    layer.setCustomProperty(SCHEMA_PROPERTY, REF)
    p = page()
    assert p.set_layer(layer)
    fill(p)
    assert p.dirty
    shown = p.description()
    assert p.save()
    assert not p.dirty
    stored = read_layer_description(layer)
    assert stored.title == "Stationnements vélo d'Orléans Métropole"
    assert layer.metadata().title() == stored.title  # QGIS's own metadata tab shows it
    assert {"vélos", "stationnements", "données ouvertes"} <= set(stored.keywords)
    assert [a.code for a in stored.spatial_coverage] == ["244500468", "45234"]
    assert stored.spatial_coverage[1].kind == "commune" and stored.spatial_coverage[1].name == "Orléans"

    path = str(tmp_path / "projet.qgz")
    assert project.write(path)
    layer_id = layer.id()
    project.clear()
    assert project.read(path)
    reopened = project.mapLayer(layer_id)
    assert reopened is not None
    p2 = page()
    p2.set_layer(reopened)
    again = p2.description()
    assert again.to_dict() == {**shown.to_dict(), "licence": again.licence, "licence_url": again.licence_url}
    assert p2.title_edit.text() == "Stationnements vélo d'Orléans Métropole"
    assert p2.eu_themes_list.codes() == ["TRAN"] and p2.inspire_list.codes() == ["tn"]
    assert p2.iso_list.codes() == ["transportation"]
    assert p2.frequency_combo.currentData() == "ANNUAL"
    assert p2.date_edits["temporal_start"].date() == QDate(2024, 1, 1)
    assert p2.date_edits["temporal_end"].isNull()
    assert p2.org_edits["producer_siren"].text() == "244500468"
    assert p2.coverage_list.codes() == ["244500468", "45234"]
    assert not p2.dirty


def test_save_also_in_the_geopackage(page, project, tmp_path):
    layer = make_gpkg(tmp_path, "arbres")
    project.addMapLayer(layer)
    p = page()
    p.set_layer(layer)
    p.title_edit.setText("Arbres d'alignement")
    p._edited()
    assert p.save(to_datasource=True)
    # a fresh layer on the same file (no project) reads the metadata stored in the GeoPackage
    fresh = QgsVectorLayer(layer.source(), "fresh", "ogr")
    fresh.loadDefaultMetadata()
    assert fresh.metadata().title() == "Arbres d'alignement"


def test_prefill_from_profile_and_schema_leaves_only_title_and_description(page, project, tmp_path):
    layer = make_gpkg(tmp_path)
    project.addMapLayer(layer)
    layer.setCustomProperty(SCHEMA_PROPERTY, REF)
    p = page()
    p.set_layer(layer)
    p.prefill()
    d = p.description()
    assert p.dirty
    assert d.title == "" and d.description == ""
    assert p.org_edits["producer_name"].text() == "Orléans Métropole"
    assert p.org_edits["producer_siren"].text() == "244500468"
    assert p.contact_email_edit.text() == "sig@orleans-metropole.fr"
    assert {"stationnements", "parkings", "métropole", "données ouvertes"} <= set(p.keyword_editor.keywords())
    assert p.coverage_list.codes() == ["244500468"]
    assert d.schema.name == "etalab/schema-stationnement" and d.schema.version == "0.1.5"
    assert "etalab/schema-stationnement" in p.schema_label.text()
    assert d.licence == "etalab-2.0" and d.crs == "EPSG:2154" and d.bbox is not None
    assert d.language == "FRA" and d.modified
    blocking = {f.field for f in check_completeness(d, ["datagouv"]) if f.severity == ERROR}
    assert blocking == {"title", "description"}
    assert set(p.problem_fields("error")) == {"title", "description"}
    # prefill never replaces what the agent typed
    p.title_edit.setText("Mon titre")
    p.contact_email_edit.setText("mobilite@orleans-metropole.fr")
    p.prefill()
    assert p.title_edit.text() == "Mon titre"
    assert p.contact_email_edit.text() == "mobilite@orleans-metropole.fr"


def test_prefill_when_the_schema_cannot_be_loaded(page, project, tmp_path):
    layer = make_gpkg(tmp_path)
    project.addMapLayer(layer)
    layer.setCustomProperty(SCHEMA_PROPERTY, REF)

    def failing(ref, catalogue):
        from opendata_publisher.core.schema.catalogue import CatalogueError

        raise CatalogueError("Le catalogue est injoignable : vérifiez la connexion.")

    p = page(schema_loader=failing)
    p.set_layer(layer)
    p.prefill()
    d = p.description()
    assert d.schema.name == "etalab/schema-stationnement" and d.schema.version == "0.1.5"
    assert "injoignable" in p.status_label.text()
    assert d.producer.name == "Orléans Métropole"


def test_completeness_highlights_fields_and_follows_targets(page, project, tmp_path):
    layer = make_gpkg(tmp_path)
    project.addMapLayer(layer)
    p = page()
    p.set_layer(layer)
    p.apply_prefill(SCHEMA)
    errors = p.problem_fields("error")
    assert "title" in errors and "description" in errors
    row = p.rows["title"]
    assert "border" in row.frame.styleSheet() and "#b00020" in row.frame.styleSheet()
    assert "titre" in row.problem().lower()
    assert p.findings_view.model.counts()[ERROR] >= 2
    p.title_edit.setText("Stationnements vélo")
    p.refresh_completeness()
    assert "title" not in p.problem_fields("error")
    assert p.rows["title"].frame.styleSheet() == "" and p.rows["title"].problem() == ""
    # the SCDL catalogue wants a SIRET and a frequency: ticking it adds blocking gaps
    p.set_targets(["datagouv"])
    assert "frequency" not in p.problem_fields("error")
    p.set_targets(["datagouv", "scdl-catalogue"])
    assert "frequency" in p.problem_fields("error")
    assert "producer" in p.problem_fields("error")  # SIRET missing
    # a finding of the list scrolls to its field
    finding = next(f for f in p.findings_view.model.all_findings() if f.extra.get("form_field") == "frequency")
    assert finding.field == "Fréquence de mise à jour"  # French label in the list
    p.show_field_of(finding)


def test_unsaved_changes_are_never_lost_silently(page, project, tmp_path):
    first = make_gpkg(tmp_path, "premiere")
    second = make_gpkg(tmp_path, "seconde")
    project.addMapLayers([first, second])
    p = page()
    p.set_layer(first)
    p.title_edit.setText("Titre non enregistré")
    p._edited()
    asked = []
    p.ask_unsaved_func = lambda name: asked.append(name) or CANCEL
    assert not p.set_layer(second)
    assert asked == ["premiere"]
    assert p.current_layer() is first and p.title_edit.text() == "Titre non enregistré"
    p.layer_combo.setLayer(second)  # the agent picks another layer in the combo: same question
    assert asked == ["premiere", "premiere"]
    assert p.layer_combo.currentLayer() is first and p.current_layer() is first
    p.ask_unsaved_func = lambda name: "save"
    assert p.set_layer(second)
    assert first.metadata().title() == "Titre non enregistré"
    assert p.current_layer() is second and p.title_edit.text() == ""
    p.title_edit.setText("Autre")
    p._edited()
    p.ask_unsaved_func = lambda name: DISCARD
    p.follow_layer(first)  # QGIS's current layer changed (the page is visible in QGIS; here: not shown)
    assert p.current_layer() is second  # hidden page with changes keeps its layer, no dialog
    p.show()
    p.follow_layer(first)
    assert p.current_layer() is first and p.title_edit.text() == "Titre non enregistré"
    assert second.metadata().title() == ""
    p.hide()


def test_metadata_typed_in_qgis_tab_shows_up(page, project, tmp_path):
    layer = make_gpkg(tmp_path)
    project.addMapLayer(layer)
    md = QgsLayerMetadata()
    md.setTitle("Parkings (saisi dans QGIS)")
    md.setAbstract("Saisi dans l'onglet Métadonnées de QGIS.")
    md.setKeywords({"gemet": ["transport"]})
    md.setLicenses(["Licence Ouverte v2.0 (Etalab)"])
    md.setRights(["Ville d'Orléans"])
    contact = QgsLayerMetadata.Contact("Service SIG")
    contact.email = "sig@orleans.fr"
    md.addContact(contact)
    layer.setMetadata(md)
    p = page()
    p.set_layer(layer)
    assert p.title_edit.text() == "Parkings (saisi dans QGIS)"
    assert "transport" in p.keyword_editor.keywords() and "données ouvertes" in p.keyword_editor.keywords()
    assert p.contact_email_edit.text() == "sig@orleans.fr"
    assert p.attribution_edit.text() == "Ville d'Orléans"
    assert "Licence Ouverte 2.0" in p.licence_label.text()
    assert p.description().licence == "etalab-2.0"
    # typed again in QGIS's tab while the page shows the layer (no unsaved change here): the form follows
    md.setTitle("Titre corrigé dans QGIS")
    layer.setMetadata(md)
    assert p.title_edit.text() == "Titre corrigé dans QGIS"
    # with unsaved changes, the form keeps what the agent typed
    p.title_edit.setText("Titre tapé ici")
    p._edited()
    md.setTitle("Encore changé dans QGIS")
    layer.setMetadata(md)
    assert p.title_edit.text() == "Titre tapé ici"


def test_exports_are_written_and_readable(page, project, tmp_path):
    layer = make_gpkg(tmp_path)
    project.addMapLayer(layer)
    p = page()
    p.set_layer(layer)
    p.apply_prefill(SCHEMA)
    fill(p)
    outputs = {fmt: p.export(fmt, str(tmp_path / f"export-{fmt}")) for fmt in ("dcat-jsonld", "dcat-turtle")}
    outputs.update(
        {fmt: p.export(fmt, str(tmp_path / f"export-{fmt}")) for fmt in ("iso19139", "scdl-catalogue", "qmd")}
    )
    assert all(Path(path).is_file() for path in outputs.values())
    assert outputs["dcat-jsonld"].endswith(".jsonld") and outputs["qmd"].endswith(".qmd")
    data = json.loads(Path(outputs["dcat-jsonld"]).read_text(encoding="utf-8"))
    assert "Stationnements vélo d'Orléans Métropole" in json.dumps(data, ensure_ascii=False)
    iso = xml.dom.minidom.parse(outputs["iso19139"])
    assert iso.documentElement.tagName.endswith("MD_Metadata")
    assert "Stationnements vélo" in Path(outputs["scdl-catalogue"]).read_text(encoding="utf-8")
    from opendata_publisher.core.metadata.layer_metadata import read_qmd

    assert read_qmd(outputs["qmd"]).title == "Stationnements vélo d'Orléans Métropole"
    assert p.export("iso19139", str(tmp_path / "missing-folder" / "x.xml")) is None
    assert "x.xml" in p.last_error


def test_layer_removed_empties_the_form(page, project, tmp_path):
    layer = make_gpkg(tmp_path)
    project.addMapLayer(layer)
    p = page()
    p.set_layer(layer)
    p.title_edit.setText("x")
    p._edited()
    project.removeMapLayer(layer.id())
    assert p.current_layer() is None and not p.dirty and p.title_edit.text() == ""
    assert not p.save_button.isEnabled()


def _flush():
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


def test_layer_tree_menu_entry_opens_the_page(qgis_iface, project, tmp_path, monkeypatch):
    import opendata_publisher

    monkeypatch.setenv(ENV_PREFIX + "CATALOGUE_URL", "http://127.0.0.1:9/schemas.json")  # never the Internet
    monkeypatch.setenv(ENV_PREFIX + "CACHE_DIR", str(tmp_path / "cache"))
    qgis_iface.addCustomActionForLayerType.reset_mock()
    qgis_iface.removeCustomActionForLayerType.reset_mock()
    layer = make_gpkg(tmp_path)
    project.addMapLayer(layer)
    plugin = opendata_publisher.classFactory(qgis_iface)
    plugin.initGui()
    try:
        qgis_iface.addCustomActionForLayerType.assert_called_once()
        action, menu, layer_type, all_layers = qgis_iface.addCustomActionForLayerType.call_args.args
        assert action is plugin.action_describe and all_layers is True
        from opendata_publisher.gui.check_page import CheckPage
        from opendata_publisher.gui.layer_menu import _vector_layer_type

        assert layer_type == _vector_layer_type()
        monkeypatch.setattr(CheckPage, "load_catalogue", lambda self, refresh=False: None)
        assert not plugin.dock.pages_built()  # the entry builds the pages on first use (issue 18)
        qgis_iface.setActiveLayer(layer)
        action.trigger()
        assert not plugin.dock.isHidden()
        assert plugin.dock.tabs.currentWidget() is plugin.dock.describe_page
        assert plugin.dock.describe_page.current_layer() is layer
        tab_titles = [plugin.dock.tabs.tabText(i) for i in range(plugin.dock.tabs.count())]
        assert tab_titles.index("Describe") == 1 and tab_titles.index("Licence") == 2
        assert tab_titles.index("Licence") < tab_titles.index("Legal check")
    finally:
        plugin.unload()
        _flush()
    qgis_iface.removeCustomActionForLayerType.assert_called_once_with(action)
    assert plugin.action_describe is None


@pytest.fixture
def clean_settings(monkeypatch):
    for name in PluginSettings.field_names():
        monkeypatch.delenv(ENV_PREFIX + name.upper(), raising=False)
    PluginSettings.reset()
    yield
    PluginSettings.reset()


def test_options_page_edits_the_organisation_profile(clean_settings, monkeypatch):
    from opendata_publisher.core.metadata.prefill import profile_from_settings
    from opendata_publisher.gui.options_page import OptionsPage

    options = OptionsPage()
    box = options.profile_box
    box.set_value("organisation_name", "Orléans Métropole")
    box.set_value("organisation_siren", "244500468")
    box.set_value("organisation_siret", "12345678901234")
    box.set_value("contact_email", "pas-une-adresse")
    problems = box.check()
    assert set(problems) == {"organisation_siret", "contact_email"}
    assert not box.problems["organisation_siret"].isHidden()
    box.set_value("organisation_siret", "")
    box.set_value("contact_email", "sig@orleans-metropole.fr")
    box.set_value("default_licence", "ODbL-1.0")
    box.set_value("default_keywords", "Orléans; métropole")
    box.set_value("territory_code", "45234")
    assert box.check() == {}
    options.apply()
    profile = profile_from_settings()
    assert profile.organisation_name == "Orléans Métropole" and profile.organisation_siren == "244500468"
    assert profile.default_licence == "ODbL-1.0" and profile.default_keywords == ["Orléans", "métropole"]
    assert profile.territory_code == "45234" and profile.contact_email == "sig@orleans-metropole.fr"
    # a value forced by the environment is shown disabled and never written to the profile
    monkeypatch.setenv(ENV_PREFIX + "ORGANISATION_NAME", "Ville d'Orléans")
    forced = OptionsPage()
    assert forced.profile_box.value("organisation_name") == "Ville d'Orléans"
    assert not forced.profile_box.widgets["organisation_name"].isEnabled()
    forced.apply()
    assert PluginSettings.load(apply_env=False).organisation_name == "Orléans Métropole"


def test_save_button_honours_the_file_checkbox(page, project, tmp_path):
    """Clicking « Enregistrer dans la couche » with the box ticked writes the GeoPackage too (issue 11 item 4:
    ``clicked(checked=False)`` used to arrive as ``to_datasource=False``)."""
    layer = make_gpkg(tmp_path, "bancs")
    project.addMapLayer(layer)
    p = page()
    p.set_layer(layer)
    p.title_edit.setText("Bancs publics")
    p._edited()
    p.save_file_check.setChecked(True)
    p.save_button.click()
    assert not p.dirty
    fresh = QgsVectorLayer(layer.source(), "fresh", "ogr")
    fresh.loadDefaultMetadata()
    assert fresh.metadata().title() == "Bancs publics"


def test_options_profile_fields_are_never_crushed(clean_settings):
    """Issue 11 item 5: in a window lower than the page, the profile fields keep their height and their help
    text stays under them (the page scrolls)."""
    from qgis.PyQt.QtCore import QPoint, QRect
    from qgis.PyQt.QtWidgets import QLabel

    from opendata_publisher.gui.options_page import OptionsPage
    from opendata_publisher.gui.widgets.profile_box import PROFILE_FIELDS

    options = OptionsPage()
    options.resize(700, 450)
    options.show()
    for _ in range(3):
        QCoreApplication.processEvents()
    box = options.profile_box
    for name in PROFILE_FIELDS:
        widget = box.widgets[name]
        assert widget.height() >= widget.minimumSizeHint().height(), name
        cell = widget.parentWidget()
        helps = [label for label in cell.findChildren(QLabel) if label.isVisibleTo(cell) and label.text()]
        field_rect = QRect(widget.mapTo(options, QPoint(0, 0)), widget.size())
        for label in helps:
            label_rect = QRect(label.mapTo(options, QPoint(0, 0)), label.size())
            assert not field_rect.intersects(label_rect), f"the help of {name} covers the field"
            assert label.height() >= label.heightForWidth(label.width()) - 1, f"the help of {name} is cut"
    options.close()
