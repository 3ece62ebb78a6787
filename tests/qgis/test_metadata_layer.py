"""QGIS tests of the dataset description: QgsLayerMetadata round trip, project, GeoPackage, .qmd,
prefill, SCDL catalogue row accepted by our validator, export_metadata algorithm."""

from pathlib import Path

import pytest
from qgis.core import QgsLayerMetadata, QgsProject, QgsVectorFileWriter, QgsVectorLayer

from opendata_publisher.core.metadata.layer_metadata import (
    export_qmd,
    from_layer_metadata,
    read_layer_description,
    read_qmd,
    save_to_datasource,
    write_layer_description,
)
from opendata_publisher.core.metadata.model import DatasetDescription, OrganisationProfile
from opendata_publisher.core.metadata.prefill import prefill_description
from opendata_publisher.core.metadata.scdl_catalogue import catalogue_csv
from tests.unit.test_metadata_core import SHARED, full_description


def point_layer(name="velos"):
    layer = QgsVectorLayer("Point?crs=EPSG:2154&field=id:string", name, "memory")
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY

    features = []
    for x, y in ((619000, 6752000), (622000, 6755000)):
        f = QgsFeature(layer.fields())
        f.setAttributes(["a"])
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
        features.append(f)
    layer.dataProvider().addFeatures(features)
    layer.updateExtents()
    return layer


def test_round_trip_through_project(tmp_path):
    layer = point_layer()
    description = full_description()
    write_layer_description(layer, description)
    project = QgsProject()
    project.addMapLayer(layer)
    path = str(tmp_path / "projet.qgz")
    assert project.write(path)
    layer_id = layer.id()
    reopened = QgsProject()
    assert reopened.read(path)
    again = read_layer_description(reopened.mapLayer(layer_id))
    assert again == description


def test_native_slots_are_used():
    md = QgsLayerMetadata()
    from opendata_publisher.core.metadata.layer_metadata import to_layer_metadata

    md = to_layer_metadata(full_description())
    assert md.title().startswith("Stationnements")
    assert md.licenses() == ["etalab-2.0"]
    assert md.categories() == ["transportation"]
    assert md.language() == "fre"
    assert {c.role for c in md.contacts()} == {"originator", "publisher", "pointOfContact"}
    assert "opendata_publisher:frequency" in md.keywords()
    assert md.extent().temporalExtents()[0].begin().date().year() == 2024


def test_reads_metadata_typed_in_qgis_tab():
    md = QgsLayerMetadata()
    md.setTitle("Arbres")
    md.setLicenses(["Licence Ouverte / Open Licence version 2.0"])
    md.setKeywords({"thèmes": ["arbres", "environnement"]})
    contact = QgsLayerMetadata.Contact("Service espaces verts")
    contact.email = "espaces-verts@orleans-metropole.fr"
    contact.organization = "Ville d'Orléans"
    md.setContacts([contact])
    d = from_layer_metadata(md)
    assert d.licence == "etalab-2.0"
    assert d.licence_url.startswith("https://www.etalab.gouv.fr")
    assert d.keywords == ["arbres", "environnement"]
    assert d.contact.email == "espaces-verts@orleans-metropole.fr"
    assert d.publisher.name == "Ville d'Orléans"
    md.setLicenses(["ODbL"])
    assert from_layer_metadata(md).licence == "ODbL-1.0"


def test_partial_values_round_trip_unchanged(tmp_path):
    """A contact without a name and a place without a code come back as they were (layer and .qmd)."""
    from opendata_publisher.core.metadata.model import Area, ContactPoint

    description = full_description()
    description.contact = ContactPoint("", "sig@orleans-metropole.fr")
    description.spatial_coverage = [Area("other", "", "Centre-ville")]
    layer = point_layer()
    write_layer_description(layer, description)
    assert read_layer_description(layer) == description
    path = str(tmp_path / "partiel.qmd")
    export_qmd(layer, path)
    assert read_qmd(path) == description


def test_form_edit_wins_over_a_contact_typed_in_qgis_tab():
    """A « Point of contact » typed in QGIS's tab is read, then replaced by what the agent saves."""
    md = QgsLayerMetadata()
    typed = QgsLayerMetadata.Contact("Ancien service")
    typed.email = "ancien@orleans-metropole.fr"
    typed.role = "Point of contact"
    keeper = QgsLayerMetadata.Contact("Archives")
    keeper.role = "custodian"
    md.setContacts([keeper, typed])
    d = from_layer_metadata(md)
    assert (d.contact.name, d.contact.email) == ("Ancien service", "ancien@orleans-metropole.fr")
    d.contact.name, d.contact.email = "Service SIG", "sig@orleans-metropole.fr"
    from opendata_publisher.core.metadata.layer_metadata import to_layer_metadata

    again = from_layer_metadata(to_layer_metadata(d, md))
    assert (again.contact.name, again.contact.email) == ("Service SIG", "sig@orleans-metropole.fr")
    assert "Archives" in [c.name for c in to_layer_metadata(d, md).contacts()]  # other contacts are kept


def test_geopackage_persistence(tmp_path):
    source = point_layer()
    gpkg = str(tmp_path / "velos.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    result = QgsVectorFileWriter.writeAsVectorFormatV2(source, gpkg, QgsProject.instance().transformContext(), options)
    assert result[0] == QgsVectorFileWriter.NoError
    layer = QgsVectorLayer(gpkg + "|layername=velos", "velos", "ogr")
    assert layer.isValid()
    write_layer_description(layer, full_description())
    ok, message = save_to_datasource(layer)
    assert ok, message
    del layer
    reopened = QgsVectorLayer(gpkg + "|layername=velos", "velos", "ogr")
    assert read_layer_description(reopened) == full_description()


def test_qmd_file(tmp_path):
    path = str(tmp_path / "velos.qmd")
    export_qmd(full_description(), path)
    assert "<qgis" in Path(path).read_text(encoding="utf-8")
    assert read_qmd(path) == full_description()
    layer = point_layer()
    message, ok = layer.loadNamedMetadata(path)
    assert ok, message
    assert read_layer_description(layer) == full_description()


def test_prefill_from_layer_schema_and_profile():
    layer = point_layer()
    profile = OrganisationProfile(
        organisation_name="Orléans Métropole",
        organisation_siren="244500468",
        organisation_siret="24450046800016",
        contact_name="Service SIG",
        contact_email="sig@orleans-metropole.fr",
        default_keywords=["mobilité"],
        territory_code="244500468",
    )

    class Schema:
        name = "etalab/schema-stationnement-cyclable"
        title = "Stationnement cyclable"
        version = "1.1.1"
        keywords = ["vélo", "stationnement"]
        source = ""

    d = prefill_description(layer, Schema(), profile, today="2025-03-01")
    # the schema's subject and the place, never the schema's title alone (issue 11); theme from the schema
    assert d.title == "Stationnement cyclable — Orléans Métropole"
    assert d.eu_themes == ["TRAN"] and d.iso_categories == ["transportation"]
    assert d.crs == "EPSG:2154" and d.feature_count == 2
    west, south, east, north = d.bbox
    assert 1.7 < west < east < 2.2 and 47.7 < south < north < 48.1
    assert d.producer.siren == "244500468" and d.publisher.name == "Orléans Métropole"
    assert d.contact.email == "sig@orleans-metropole.fr"
    assert d.licence == "etalab-2.0" and d.licence_url
    assert d.spatial_coverage[0].kind == "epci" and d.spatial_coverage[0].name == "Orléans Métropole"
    assert {"données ouvertes", "mobilité", "vélo"} <= set(d.keywords)
    assert d.schema.url.endswith("/1.1.1/schema.json")
    assert d.modified == "2025-03-01" and d.language == "FRA"
    # an existing value is never overwritten
    kept = prefill_description(layer, Schema(), profile, existing=DatasetDescription(title="Mon titre"))
    assert kept.title == "Mon titre"


def test_scdl_catalogue_row_passes_our_validator(tmp_path):
    schema_path = SHARED / "scdl" / "catalogue" / "0.1.3" / "schema.json"
    if not schema_path.is_file():
        pytest.skip(f"SCDL catalogue schema not found at {schema_path} (../shared is absent)")
    from opendata_publisher.core.schema.catalogue import load_schema_file
    from opendata_publisher.core.validation import validate_layer

    schema = load_schema_file(schema_path)
    for description, expect_valid in ((full_description(), True), (DatasetDescription(title="x"), False)):
        csv_path = tmp_path / f"catalogue-{expect_valid}.csv"
        csv_path.write_text(catalogue_csv(description), encoding="utf-8")
        layer = QgsVectorLayer(f"file://{csv_path}?type=csv&detectTypes=no&geomType=none", "cat", "delimitedtext")
        assert layer.isValid()
        report = validate_layer(layer, schema)
        assert report.valid is expect_valid, [f.message for f in report.findings]


@pytest.mark.parametrize("fmt", ["dcat-jsonld", "dcat-turtle", "iso19139", "scdl-catalogue", "qmd", "2"])
def test_export_metadata_algorithm(tmp_path, fmt):
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    from opendata_publisher.processing.export_metadata import ExportMetadataAlgorithm

    layer = point_layer()
    write_layer_description(layer, full_description())
    algorithm = ExportMetadataAlgorithm()
    algorithm.initAlgorithm()
    context = QgsProcessingContext()
    out = str(tmp_path / f"export-{fmt}.out")
    context.temporaryLayerStore().addMapLayer(layer)
    params = {"INPUT": layer.id(), "FORMAT": fmt, "OUTPUT": out}
    ok, message = algorithm.checkParameterValues(params, context)
    assert ok, message
    results = algorithm.processAlgorithm(params, context, QgsProcessingFeedback())
    text = Path(results["OUTPUT"]).read_text(encoding="utf-8")
    assert "Stationnements" in text
    assert results["ERROR_COUNT"] == 0


def test_export_metadata_rejects_unknown_format():
    from qgis.core import QgsProcessingContext

    from opendata_publisher.processing.export_metadata import ExportMetadataAlgorithm

    algorithm = ExportMetadataAlgorithm()
    algorithm.initAlgorithm()
    ok, message = algorithm.checkParameterValues(
        {"INPUT": point_layer(), "FORMAT": "pdf", "OUTPUT": "/tmp/x"}, QgsProcessingContext()
    )
    assert not ok and "pdf" in message
