"""Pure-Python tests of the dataset description: vocabulary, licences, completeness, exports."""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from opendata_publisher.core.checks.finding import ERROR, WARNING
from opendata_publisher.core.checks.registry import describe
from opendata_publisher.core.metadata import vocabulary
from opendata_publisher.core.metadata.completeness import check_completeness, is_personal_email
from opendata_publisher.core.metadata.dcat import to_jsonld, to_turtle
from opendata_publisher.core.metadata.iso19139 import NS, to_iso19139
from opendata_publisher.core.metadata.licences import (
    ckan_licence_id,
    licence_choices,
    match_portal_licence,
    recognise_licence,
    udata_licence_id,
)
from opendata_publisher.core.metadata.model import (
    FIELD_HELP,
    Area,
    ContactPoint,
    DatasetDescription,
    Organisation,
    OrganisationProfile,
    SchemaRef,
)
from opendata_publisher.core.metadata.scdl_catalogue import COLUMNS, catalogue_row

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def full_description() -> DatasetDescription:
    org = Organisation("Orléans Métropole", "244500468", "24450046800016")
    return DatasetDescription(
        title="Stationnements vélo d'Orléans Métropole",
        description="Emplacements de stationnement pour vélos sur l'espace public des 22 communes, relevés sur le "
        "terrain par le service mobilité ; mis à jour chaque année.",
        keywords=["données ouvertes", "vélos", "stationnements"],
        eu_themes=["TRAN"],
        inspire_themes=["tn"],
        iso_categories=["transportation"],
        producer=org,
        publisher=Organisation(org.name, org.siren, org.siret),
        contact=ContactPoint("Service SIG", "sig@orleans-metropole.fr"),
        frequency="ANNUAL",
        spatial_coverage=[Area("epci", "244500468", "Orléans Métropole")],
        bbox=(1.75, 47.8, 2.05, 47.98),
        temporal_start="2024-01-01",
        temporal_end="2024-12-31",
        created="2023-05-02",
        issued="2024-02-01",
        modified="2025-01-15",
        lineage="Relevés terrain 2024.",
        schema=SchemaRef(
            "etalab/schema-stationnement-cyclable",
            "1.1.1",
            "https://schema.data.gouv.fr/schemas/etalab/schema-stationnement-cyclable/1.1.1/schema.json",
        ),
        licence="etalab-2.0",
        licence_url="https://www.etalab.gouv.fr/licence-ouverte-open-licence",
        attribution="Orléans Métropole",
        identifier="https://data.orleans-metropole.fr/datasets/stationnements-velo",
        landing_page="https://data.orleans-metropole.fr/datasets/stationnements-velo",
        download_url="https://data.orleans-metropole.fr/files/stationnements-velo.csv",
        file_format="CSV",
        history=["2024-02-01 : première publication"],
        crs="EPSG:2154",
        feature_count=1200,
    )


def codes(findings):
    return {f.code for f in findings}


# -- vocabulary --------------------------------------------------------------------------------------------


def test_vocabulary_files_load_with_expected_content():
    assert len(vocabulary.eu_themes()) == 13
    assert len(vocabulary.inspire_themes()) == 34
    assert len(vocabulary.iso_categories()) == 19
    assert vocabulary.by_code(vocabulary.frequencies(), "ANNUAL")["udata_id"] == "annual"
    assert vocabulary.by_code(vocabulary.frequencies(), "IRREG")["scdl_catalogue"] == "Irrégulière"
    communes = [a for a in vocabulary.territory() if a["kind"] == "commune"]
    assert len(communes) == 22
    assert vocabulary.territory_area("45234")["name"] == "Orléans"
    assert vocabulary.territory_area("244500468")["kind"] == "epci"
    assert vocabulary.language_from_any("fre")["code"] == "FRA"
    assert vocabulary.language_from_any("fr")["code"] == "FRA"
    mappings = vocabulary.field_mappings()
    assert mappings["frequency"]["datagouv"].startswith("frequency")
    for name in ("title", "licence", "spatial_coverage"):
        assert set(mappings[name]) >= {"qgis", "dcat_ap", "iso19139", "datagouv", "opendatasoft", "ckan"}


def test_every_field_has_help_and_mapping():
    fields = set(DatasetDescription().to_dict())
    assert fields <= set(FIELD_HELP)
    assert all(FIELD_HELP[f].strip() for f in fields)
    assert fields <= set(vocabulary.field_mappings()) | {"licence_url"}


def test_new_description_has_open_data_keyword():
    assert "données ouvertes" in DatasetDescription().keywords
    d = DatasetDescription(keywords=["vélos"])
    d.ensure_open_data_keyword()
    assert d.keywords == ["vélos", "données ouvertes"]


def test_profile_from_settings_like_object():
    class S:
        organisation_name = "Orléans Métropole"
        organisation_siren = "244500468"
        default_keywords = "mobilité; vélos ;"
        default_licence = ""

    profile = OrganisationProfile.from_settings(S())
    assert profile.default_keywords == ["mobilité", "vélos"]
    assert profile.default_licence == "etalab-2.0"
    assert profile.organisation_siren == "244500468"


# -- licences ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Licence Ouverte / Open Licence version 2.0", "etalab-2.0"),
        ("licence ouverte v2.0", "etalab-2.0"),
        ("Licence : Licence Ouverte v2.0 (Etalab)", "etalab-2.0"),
        ("https://www.etalab.gouv.fr/licence-ouverte-open-licence/", "etalab-2.0"),
        ("lov2", "etalab-2.0"),
        ("ODbL", "ODbL-1.0"),
        ("Open Database License (ODbL)", "ODbL-1.0"),
        ("http://opendatacommons.org/licenses/odbl/summary/", "ODbL-1.0"),
        ("Licence Ouverte version 1.0", "etalab-1.0"),
        ("CC-BY 4.0", "CC-BY-4.0"),
    ],
)
def test_recognise_licence_from_free_text(text, expected):
    assert recognise_licence(text)["id"] == expected


def test_recognise_licence_unknown():
    assert recognise_licence("Tous droits réservés") is None
    assert recognise_licence("") is None


def test_licence_choices_order_and_rules():
    choices = licence_choices()
    assert choices[0].id == "etalab-2.0" and choices[0].default and choices[0].recommended
    assert choices[1].id == "ODbL-1.0" and choices[1].needs_justification and not choices[1].suggested
    others = choices[2:]
    assert others and all(c.needs_homologation and "D323-2-2" in c.warning for c in others)
    assert all(c.explanation for c in choices)
    assert "etalab-1.0" not in [c.id for c in choices]
    osm = DatasetDescription(lineage="Extraction d'OpenStreetMap du 3 mars 2025")
    assert licence_choices(osm)[1].suggested


def test_portal_licence_translation():
    assert udata_licence_id("etalab-2.0") == "lov2"
    assert udata_licence_id("ODbL-1.0") == "odc-odbl"
    assert ckan_licence_id("etalab-2.0") is None
    assert ckan_licence_id("ODbL-1.0") == "odc-odbl"
    udata_list = [
        {"id": "notspecified", "title": "License Not Specified", "url": None},
        {"id": "lov2", "title": "Licence Ouverte / Open Licence version 2.0", "alternate_titles": ["etalab-2.0"]},
    ]
    assert udata_licence_id("etalab-2.0", udata_list) == "lov2"
    assert udata_licence_id("ODbL-1.0", udata_list) is None
    ods = [
        {
            "license_id": "5sylls5",
            "label": "Licence Ouverte v2.0 (Etalab)",
            "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
        },
        {
            "license_id": "x9",
            "label": "Open Database License (ODbL)",
            "url": "https://opendatacommons.org/licenses/odbl/",
        },
    ]
    assert match_portal_licence("etalab-2.0", ods)["license_id"] == "5sylls5"
    assert match_portal_licence("ODbL-1.0", ods)["license_id"] == "x9"
    assert match_portal_licence("CC0-1.0", ods) is None


# -- completeness ------------------------------------------------------------------------------------------


def test_complete_description_has_no_blocking_finding():
    findings = check_completeness(full_description(), ["dcat", "datagouv", "iso19139", "scdl-catalogue"])
    assert not [f for f in findings if f.severity in (ERROR, WARNING)], [f.message for f in findings]


def test_empty_description_blocks_on_title_description_licence():
    findings = check_completeness(DatasetDescription(), ["dcat", "datagouv"])
    errors = {f.code for f in findings if f.severity == ERROR}
    assert {"metadata-missing-title", "metadata-missing-description", "metadata-missing-licence"} <= errors
    for f in findings:
        assert f.message and f.hint and f.field
        assert describe(f.code).family == "metadata"


def test_target_changes_severity():
    d = full_description()
    d.frequency = ""
    dcat_only = {f.code: f.severity for f in check_completeness(d, ["dcat"])}
    scdl = {f.code: f.severity for f in check_completeness(d, ["scdl-catalogue"])}
    assert dcat_only["metadata-missing-frequency"] == WARNING
    assert scdl["metadata-missing-frequency"] == ERROR
    with pytest.raises(ValueError):
        check_completeness(d, ["nope"])


def test_licence_rules():
    d = full_description()
    d.licence = "ODbL-1.0"
    assert "metadata-licence-justification" in codes(check_completeness(d))
    d.licence_justification = "Données dérivées d'OpenStreetMap."
    assert "metadata-licence-justification" not in codes(check_completeness(d))
    d.licence = "CC-BY-4.0"
    found = [f for f in check_completeness(d) if f.code == "metadata-licence-homologation"]
    assert found and found[0].severity == ERROR
    d.licence_homologation = "Arrêté du 1er janvier 2030"
    found = [f for f in check_completeness(d) if f.code == "metadata-licence-homologation"]
    assert found and found[0].severity == WARNING
    d = full_description()
    d.lineage = "Extraction OpenStreetMap"
    assert "metadata-licence-odbl-suggested" in codes(check_completeness(d))
    d.licence = "Tous droits réservés"
    assert "metadata-unknown-licence" in codes(check_completeness(d))


def test_contact_and_identifier_checks():
    d = full_description()
    d.contact.email = "jean.dupont@orleans-metropole.fr"
    assert "metadata-generic-contact" in codes(check_completeness(d))
    assert is_personal_email("jean.dupont@x.fr") and not is_personal_email("sig@x.fr")
    assert not is_personal_email("opendata.metropole@x.fr")
    d.contact.email = "pas-une-adresse"
    assert "metadata-invalid-email" in codes(check_completeness(d))
    d = full_description()
    d.producer.siren = "244500469"
    d.temporal_start, d.temporal_end = "2025-01-01", "2024-01-01"
    d.eu_themes = ["XXXX"]
    found = codes(check_completeness(d))
    assert {"metadata-invalid-siren", "metadata-invalid-date", "metadata-unknown-code"} <= found


# -- exports -----------------------------------------------------------------------------------------------


def test_turtle_and_jsonld_are_consistent_rdf():
    rdflib = pytest.importorskip("rdflib", reason="rdflib is a test-only dependency (pip install rdflib)")
    d = full_description()
    d.description += ' Avec des "guillemets" et\nun retour à la ligne.'
    g1 = rdflib.Graph().parse(data=to_turtle(d), format="turtle")
    g2 = rdflib.Graph().parse(data=to_jsonld(d), format="json-ld")
    assert len(g1) == len(g2) > 30
    from rdflib.compare import isomorphic

    assert isomorphic(g1, g2)
    DCT = rdflib.Namespace("http://purl.org/dc/terms/")
    ds = rdflib.URIRef(d.identifier)
    assert str(g1.value(ds, DCT.description)) == d.description
    assert str(g1.value(ds, DCT.accrualPeriodicity)).endswith("/frequency/ANNUAL")


@pytest.mark.parametrize("minimal", [False, True])
def test_dcat_conforms_to_dcat_ap_3_shapes(minimal):
    pyshacl = pytest.importorskip("pyshacl", reason="pyshacl is a test-only dependency (pip install pyshacl)")
    shapes = SHARED / "vocabularies" / "dcat-ap-3.0.1-shapes.ttl"
    if not shapes.is_file():
        pytest.skip(f"DCAT-AP shapes not found at {shapes} (../shared is absent)")
    d = full_description() if not minimal else DatasetDescription(title="Titre", description="Description")
    for text, fmt in ((to_turtle(d), "turtle"), (to_jsonld(d), "json-ld")):
        conforms, _, report = pyshacl.validate(
            data_graph=text, data_graph_format=fmt, shacl_graph=str(shapes), shacl_graph_format="turtle"
        )
        assert conforms, report
    # a description without a title breaks the shapes: the test can fail
    conforms, _, _ = pyshacl.validate(
        data_graph=to_turtle(DatasetDescription(title="", description="x")),
        data_graph_format="turtle",
        shacl_graph=str(shapes),
        shacl_graph_format="turtle",
    )
    assert conforms  # empty literal is still a literal; the completeness check reports the empty title
    assert "metadata-missing-title" in codes(check_completeness(DatasetDescription(title="", description="x")))


def test_jsonld_is_json_with_context():
    doc = json.loads(to_jsonld(full_description()))
    assert doc["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    types = [t for node in doc["@graph"] for t in node.get("@type", [])]
    assert "http://www.w3.org/ns/dcat#Dataset" in types
    assert "http://www.w3.org/ns/dcat#Distribution" in types


def test_iso19139_namespaces_and_inspire_elements():
    text = to_iso19139(full_description(), today="2025-02-01")
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{{{NS['gmd']}}}MD_Metadata"
    for prefix in ("gmd", "gco", "gml", "gmx", "xlink"):
        assert f'xmlns:{prefix}="{NS[prefix]}"' in text

    def find(path):
        return root.find(path, NS)

    assert find("gmd:fileIdentifier/gco:CharacterString").text
    assert find("gmd:hierarchyLevel/gmd:MD_ScopeCode").get("codeListValue") == "dataset"
    assert find("gmd:language/gmd:LanguageCode").get("codeListValue") == "fre"
    ident = find("gmd:identificationInfo/gmd:MD_DataIdentification")
    assert ident.find("gmd:citation/gmd:CI_Citation/gmd:title/gco:CharacterString", NS).text.startswith("Station")
    date_types = [e.get("codeListValue") for e in ident.iterfind(".//gmd:CI_DateTypeCode", NS)]
    assert {"creation", "publication", "revision"} <= set(date_types)
    assert ident.find("gmd:topicCategory/gmd:MD_TopicCategoryCode", NS).text == "transportation"
    thesauri = [e.text for e in ident.iterfind(".//gmd:thesaurusName//gmd:title/gmx:Anchor", NS)]
    assert "GEMET - INSPIRE themes, version 1.0" in thesauri
    keywords = [e.text for e in ident.iterfind(".//gmd:keyword/gco:CharacterString", NS)]
    assert "données ouvertes" in keywords
    box = ident.find(".//gmd:EX_GeographicBoundingBox", NS)
    assert float(box.find("gmd:westBoundLongitude/gco:Decimal", NS).text) == 1.75
    assert float(box.find("gmd:northBoundLatitude/gco:Decimal", NS).text) == 47.98
    assert ident.find(".//gml:TimePeriod/gml:beginPosition", NS).text == "2024-01-01"
    anchors = [e.get(f"{{{NS['xlink']}}}href") for e in ident.iterfind(".//gmd:otherConstraints/gmx:Anchor", NS)]
    assert "https://www.etalab.gouv.fr/licence-ouverte-open-licence" in anchors
    assert any("LimitationsOnPublicAccess" in a for a in anchors)
    roles = {e.get("codeListValue") for e in ident.iterfind(".//gmd:CI_RoleCode", NS)}
    assert {"originator", "publisher", "pointOfContact"} <= roles
    assert ident.find("gmd:resourceMaintenance//gmd:MD_MaintenanceFrequencyCode", NS).get("codeListValue") == "annually"
    assert find("gmd:dataQualityInfo//gmd:LI_Lineage/gmd:statement/gco:CharacterString").text == "Relevés terrain 2024."
    assert find("gmd:referenceSystemInfo//gmd:code/gmx:Anchor").text == "EPSG:2154"


def test_scdl_catalogue_row_values():
    row = catalogue_row(full_description())
    assert list(row) == COLUMNS
    assert row["COLL_SIRET"] == "24450046800016"
    assert row["COUV_SPAT_MAILLE"] == "Intercommunale"
    assert row["FREQ_MAJ"] == "Annuelle"
    assert row["LICENCE"] == "Licence Ouverte-LO"
    assert row["MOTS_CLES"] == "velos;stationnements"
    assert row["THEME"].startswith("Transports")
    single = full_description()
    single.spatial_coverage = [Area("commune", "45234", "Orléans")]
    single.licence = "ODbL-1.0"
    row = catalogue_row(single)
    assert row["COUV_SPAT_MAILLE"] == "Communale" and row["LICENCE"] == "Open Database License-ODBL"


def test_scdl_catalogue_completeness_covers_what_the_row_needs():
    """Each gap that would make the catalogue row invalid is an error for the « scdl-catalogue » target."""
    d = full_description()
    d.publisher = Organisation("Commune de Test", "", "")  # COLL_SIRET comes from the publisher
    d.landing_page, d.download_url = "data.exemple.fr/jeu", ""  # URL must be a full address
    d.file_format = ""  # FORMAT_RESSOURCES is required
    errors = {(f.code, f.field) for f in check_completeness(d, ["scdl-catalogue"]) if f.severity == ERROR}
    assert ("metadata-missing-siret", "publisher") in errors
    assert ("metadata-missing-url", "landing_page") in errors
    assert ("metadata-missing-format", "file_format") in errors
    assert not [f for f in check_completeness(d, ["dcat"]) if f.severity == ERROR]


def test_description_and_legal_check_share_one_list_of_generic_mailboxes():
    """The contact e-mail of the description is judged with the legal check's list of service mailboxes (one
    home, core/legal/vocabulary.py): urbanisme.ville@ is a service, geo@ is one for both."""
    from opendata_publisher.core.legal import patterns

    assert not is_personal_email("urbanisme.ville@x.fr") and not is_personal_email("geo.service@x.fr")
    assert patterns.email_is_generic("geo@x.fr") and patterns.email_is_generic("urbanisme.ville@x.fr")
    assert is_personal_email("jean.dupont@x.fr")
