"""« Décrire » details (issue 11, item 10): a date change refreshes « Ce qui manque », an empty date reads empty
(not « NULL »), help lines are not cut at « (ex. », « Préremplir » builds the title from the schema's subject and
the place, infers the theme from the schema and the territory from an INSEE code column, the frequency list can
be searched."""

from __future__ import annotations

from qgis.core import QgsFeature, QgsVectorLayer
from qgis.PyQt.QtCore import QDate

from opendata_publisher.core.metadata.model import FIELD_HELP
from opendata_publisher.core.metadata.prefill import communes_from_layer, prefill_description, title_from_schema
from opendata_publisher.core.schema.model import parse_schema
from opendata_publisher.gui.widgets.field_row import first_sentence

from .test_describe_page import PROFILE, make_gpkg, page, project  # noqa: F401 - fixtures

STATIONNEMENT = parse_schema(
    {
        "name": "etalab/schema-stationnement",
        "title": "Lieux de stationnement",
        "version": "0.1.5",
        "keywords": ["stationnement", "transport", "mobilité"],
        "fields": [{"name": "id", "type": "string"}, {"name": "insee", "type": "string"}],
    },
    "https://schema.data.gouv.fr/schemas/etalab/schema-stationnement/0.1.5/schema.json",
)


def _insee_layer(codes) -> QgsVectorLayer:
    layer = QgsVectorLayer("Point?crs=EPSG:2154&field=id:string&field=code_insee:integer", "parkings", "memory")
    features = []
    for index, code in enumerate(codes):
        feature = QgsFeature(layer.fields())
        feature.setAttributes([f"P{index}", code])
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def test_date_change_refreshes_what_is_missing_and_empty_dates_read_empty(page, project, tmp_path):  # noqa: F811
    layer = make_gpkg(tmp_path)
    project.addMapLayer(layer)
    p = page()
    p.set_layer(layer)
    p.show()
    edit = p.date_edits["temporal_start"]
    assert edit.isNull() and edit.lineEdit().text() == ""  # not « NULL »
    assert "temporal_start" in p.problem_fields("warning") or "temporal_start" in p.problem_fields("error")
    edit.setDate(QDate(2024, 1, 1))
    p._completeness_timer.timeout.emit()  # what the 300 ms timer does
    assert p._completeness_timer.isActive() is False
    assert "temporal_start" not in p.problem_fields("warning") + p.problem_fields("error")
    assert p.description().temporal_start == "2024-01-01"
    assert p.dirty


def test_the_date_signal_starts_the_refresh(page, project, tmp_path):  # noqa: F811
    layer = make_gpkg(tmp_path)
    project.addMapLayer(layer)
    p = page()
    p.set_layer(layer)
    assert not p._completeness_timer.isActive()
    p.date_edits["modified"].setDate(QDate(2024, 6, 1))
    assert p._completeness_timer.isActive()


def test_help_lines_are_not_cut_at_abbreviations():
    assert first_sentence(FIELD_HELP["attribution"]).endswith("12/03/2025 »).")
    assert first_sentence(FIELD_HELP["temporal_start"]) == (
        "Première date couverte par la donnée (ex. le 1er janvier de l'année décrite)."
    )
    assert first_sentence("Un. Deux.") == "Un."
    assert first_sentence("Le stop. Suite.") == "Le stop."
    for text in FIELD_HELP.values():
        line = first_sentence(text)
        assert not line.endswith(("(ex.", "ex.")) and line.count("(") == line.count(")"), line


def test_prefill_title_theme_and_territory_from_the_layer():
    layer = _insee_layer([45234, 45232, 45234])  # Orléans, Olivet; integer column (no leading zero issue here)
    areas = communes_from_layer(layer)
    assert [(a.kind, a.code) for a in areas] == [("commune", "45232"), ("commune", "45234")]
    assert all(a.name for a in areas)
    d = prefill_description(layer, STATIONNEMENT, PROFILE, today="2025-03-01")
    assert d.spatial_coverage == areas  # the layer's communes, not the whole EPCI of the profile
    assert d.title == "Lieux de stationnement — Orléans Métropole"
    assert d.eu_themes == ["TRAN"] and d.iso_categories == ["transportation"]
    single = prefill_description(_insee_layer([45234]), STATIONNEMENT, PROFILE)
    assert single.title == "Lieux de stationnement — Orléans"
    assert title_from_schema(STATIONNEMENT, "") == ""  # never the schema's title alone
    leading_zero = communes_from_layer(_insee_layer([1053]))
    assert [a.code for a in leading_zero] == ["01053"]
    no_column = QgsVectorLayer("Point?crs=EPSG:2154&field=id:string", "p", "memory")
    assert communes_from_layer(no_column) == []
    assert prefill_description(no_column, STATIONNEMENT, PROFILE).spatial_coverage[0].kind == "epci"


def test_frequency_list_can_be_searched(page, project, tmp_path):  # noqa: F811
    layer = make_gpkg(tmp_path)
    project.addMapLayer(layer)
    p = page()
    p.set_layer(layer)
    combo = p.frequency_combo
    assert combo.count() > 20 and combo.isEditable()
    completer = combo.completer()
    completer.setCompletionPrefix("quotid")
    assert completer.completionCount() >= 1
    found = completer.currentCompletion()
    assert "quotidien" in found.lower()
    completer.activated.emit(found)
    assert combo.currentData() == "DAILY"
    assert p.description().frequency == "DAILY"
