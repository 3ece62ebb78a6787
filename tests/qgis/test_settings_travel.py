"""Issue 17: what the agent decided travels with the data (core/source_state.py): in the GeoPackage's metadata
tables, in a sidecar beside other files; read back without a project; the newer of (project, data) wins."""

from __future__ import annotations

import json
import sqlite3
import time

from qgis.core import QgsVectorLayer

from opendata_publisher.core.layer_properties import LEGAL_ACKNOWLEDGEMENTS_PROPERTY as ACK_PROPERTY
from opendata_publisher.core.layer_properties import SCHEMA_PROPERTY
from opendata_publisher.core.metadata.layer_metadata import read_layer_description, write_layer_description
from opendata_publisher.core.source_state import (
    GPKG_STANDARD_URI,
    SAVED_AT_PROPERTY,
    restore_settings,
    save_settings,
    sidecar_path,
)
from tests.qgis.test_publish_folder import full_description, good_layer, schema_file

MAPPING_KEY = "opendata_publisher/mapping/test/parkings"


def fresh(layer) -> QgsVectorLayer:
    """The same data opened again, as qgis_process does: no project, no custom property, no metadata."""
    again = QgsVectorLayer(layer.source(), "parkings", "ogr")
    assert again.isValid()
    assert not again.customPropertyKeys() and not again.metadata().title()
    return again


def test_geopackage_keeps_the_settings_in_its_metadata_tables(tmp_path):
    layer = good_layer(tmp_path)
    layer.setCustomProperty(MAPPING_KEY, json.dumps({"fields": {"nb_places": "nb_places"}}))
    layer.setCustomProperty(ACK_PROPERTY, json.dumps([{"key": "personal-data:nom"}]))
    assert save_settings(layer)
    assert not sidecar_path(layer).exists()
    gpkg = tmp_path / "parkings.gpkg"
    with sqlite3.connect(gpkg) as connection:
        rows = connection.execute(
            "SELECT m.mime_type, r.reference_scope, r.table_name, m.metadata FROM gpkg_metadata m "
            "JOIN gpkg_metadata_reference r ON r.md_file_id = m.id WHERE m.md_standard_uri = ?",
            (GPKG_STANDARD_URI,),
        ).fetchall()
        extensions = connection.execute(
            "SELECT table_name FROM gpkg_extensions WHERE extension_name = 'gpkg_metadata'"
        ).fetchall()
    assert [r[:3] for r in rows] == [("application/json", "table", "parkings")]
    assert {"gpkg_metadata", "gpkg_metadata_reference"} <= {e[0] for e in extensions}
    # the GeoPackage is still read by QGIS/GDAL
    again = fresh(layer)
    assert again.featureCount() == 2
    assert restore_settings(again) == ""  # no project: simply its settings, nothing to tell
    assert again.customProperty(SCHEMA_PROPERTY) == str(schema_file(tmp_path))
    assert json.loads(again.customProperty(MAPPING_KEY)) == {"fields": {"nb_places": "nb_places"}}
    assert json.loads(again.customProperty(ACK_PROPERTY)) == [{"key": "personal-data:nom"}]
    assert read_layer_description(again).title == full_description().title


def test_csv_keeps_the_settings_in_a_sidecar(tmp_path):
    csv = tmp_path / "parkings.csv"
    csv.write_text("id,nom,nb_places\nP1,Gare,120\n", encoding="utf-8")
    layer = QgsVectorLayer(f"file://{csv}?delimiter=,", "parkings", "delimitedtext")
    assert layer.isValid()
    layer.setCustomProperty(SCHEMA_PROPERTY, "etalab/schema-stationnement")
    assert save_settings(layer)
    assert sidecar_path(layer).is_file()
    again = QgsVectorLayer(layer.source(), "parkings", "delimitedtext")
    restore_settings(again)
    assert again.customProperty(SCHEMA_PROPERTY) == "etalab/schema-stationnement"


def test_newer_data_settings_win_over_an_older_project_and_the_agent_is_told(tmp_path):
    project_layer = good_layer(tmp_path)
    assert restore_settings(project_layer) == ""  # first time: the project's settings go with the data
    saved = project_layer.customProperty(SAVED_AT_PROPERTY)
    assert saved

    # later, a headless run changes the description kept with the data
    time.sleep(0.01)
    headless = fresh(project_layer)
    restore_settings(headless)
    write_layer_description(headless, full_description(title="Titre changé la nuit"))
    assert save_settings(headless)

    # the project (older) is opened again: the data's settings win, and the agent is told
    notice = restore_settings(project_layer)
    assert "plus récents que ceux du projet" in notice
    assert read_layer_description(project_layer).title == "Titre changé la nuit"
    assert project_layer.customProperty(SAVED_AT_PROPERTY) > saved


def test_project_changes_newer_than_the_data_are_written_with_the_data(tmp_path):
    layer = good_layer(tmp_path)
    restore_settings(layer)
    layer.setCustomProperty(SCHEMA_PROPERTY, "etalab/schema-stationnement@0.3.0")  # changed since the last sync
    assert restore_settings(layer) == ""
    assert layer.customProperty(SCHEMA_PROPERTY) == "etalab/schema-stationnement@0.3.0"
    again = fresh(layer)
    restore_settings(again)
    assert again.customProperty(SCHEMA_PROPERTY) == "etalab/schema-stationnement@0.3.0"


def test_memory_layer_has_no_data_source_settings():
    layer = QgsVectorLayer("Point?crs=EPSG:4326&field=id:string", "m", "memory")
    layer.setCustomProperty(SCHEMA_PROPERTY, "x")
    assert not save_settings(layer)
    assert restore_settings(layer) == ""


def test_the_dock_writes_what_the_agent_decides_with_the_data_and_tells_when_the_data_is_newer(
    qgis_iface, qgis_new_project, tmp_path
):
    from qgis.core import QgsProject
    from qgis.PyQt.QtCore import QCoreApplication

    from opendata_publisher.gui.dock import OpenDataDock
    from tests.qgis.test_publish_folder import GOOD_ROWS, make_gpkg

    dock = OpenDataDock(qgis_iface)
    try:
        layer = make_gpkg(tmp_path / "parkings.gpkg", GOOD_ROWS)
        QgsProject.instance().addMapLayer(layer)
        dock.flow.set_layer(layer)
        layer.setCustomProperty(SCHEMA_PROPERTY, "etalab/schema-stationnement")  # chosen on « Vérifier »
        QCoreApplication.processEvents()  # the dock writes it with the data once the change is complete
        again = fresh(layer)
        restore_settings(again)
        assert again.customProperty(SCHEMA_PROPERTY) == "etalab/schema-stationnement"

        # a headless run later changes the settings kept with the data: shown again, the dock takes them and says so
        time.sleep(0.01)
        again.setCustomProperty(SCHEMA_PROPERTY, "etalab/schema-stationnement@0.3.0")
        assert save_settings(again)
        dock.flow.set_layer(None)
        dock.flow.set_layer(layer)
        assert layer.customProperty(SCHEMA_PROPERTY) == "etalab/schema-stationnement@0.3.0"
        assert "plus récents que ceux du projet" in dock.flow.settings_notice
    finally:
        dock.cleanup()
        dock.deleteLater()
        QCoreApplication.processEvents()
