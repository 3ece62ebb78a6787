"""Publishing a layer without a saved project (``qgis_process``) to the REAL CKAN 2.11.6: the dataset reference
is kept with the data source (in the GeoPackage's metadata tables, core/source_state.py), so renaming the title and
publishing again from a fresh layer updates the same dataset instead of creating a second one."""

from __future__ import annotations

from qgis.core import QgsVectorLayer

from opendata_publisher.core.metadata.layer_metadata import write_layer_description
from opendata_publisher.core.publish import PUBLISHED, SCHEMA_PROPERTY, publish_layer, ref_property
from opendata_publisher.core.source_state import read_state, sidecar_path, source_file
from tests.portals.test_ckan_publish import adapter_for
from tests.qgis.test_publish_folder import full_description, good_layer, schema_file


def test_renamed_title_republished_without_project_updates_the_same_ckan_dataset(ckan_portal, tmp_path):
    connection = adapter_for(ckan_portal).connection
    layer = good_layer(tmp_path)
    desc = full_description(title="Parkings sans projet")
    desc.identifier = ""  # the key follows the title: only the stored reference can find the dataset again
    write_layer_description(layer, desc)
    first = publish_layer(layer, connection, ["csv"], accept_warnings=True)
    assert first.status == PUBLISHED, first.summary()
    kept = read_state(layer, ref_property(connection.name))
    assert kept and kept["dataset_id"] == first.result.ref.dataset_id
    assert not sidecar_path(layer).exists()  # a GeoPackage keeps it inside, in its metadata tables
    assert ckan_portal.tokens["odp-agent"].encode() not in source_file(layer)[0].read_bytes()

    # a new qgis_process run: a fresh layer on the same file, no custom property, the title renamed
    again = QgsVectorLayer(layer.source(), "parkings", "ogr")
    assert again.isValid()
    desc.title = "Parkings sans projet (titre modifié)"
    write_layer_description(again, desc)
    again.setCustomProperty(SCHEMA_PROPERTY, str(schema_file(tmp_path)))
    second = publish_layer(again, connection, ["csv"], accept_warnings=True)
    assert second.status == PUBLISHED, second.summary()
    assert second.result.ref.dataset_id == first.result.ref.dataset_id
    assert not any("interrompue" in m for m in second.messages)
    package = ckan_portal.action("package_show", {"id": first.result.ref.dataset_id})
    assert package["title"] == desc.title and len(package["resources"]) == 1 and package["private"] is False
