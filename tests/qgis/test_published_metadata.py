"""What a local-folder publication holds for reusers (issue 11, items 13 and 14): complete DCAT-AP and ISO 19139
metadata, and nothing internal (layer names, field names, login, legal checklist answers, local paths)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from opendata_publisher.core.legal.checklist import Checklist, save_checklist
from opendata_publisher.core.metadata.iso19139 import NS
from opendata_publisher.core.metadata.layer_metadata import write_layer_description
from opendata_publisher.core.metadata.public import public_history, schema_ref
from opendata_publisher.core.portals.connections import folder_connection
from opendata_publisher.core.publish import PUBLISHED, SCHEMA_PROPERTY, publish_layer
from opendata_publisher.core.schema.model import parse_schema
from tests.qgis.test_publish_folder import GOOD_ROWS, SCHEMA, full_description, make_gpkg

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
LOGIN = "jdupont-agent-sig"
INTERNAL_NAME = "Parkings (conforme) (conforme)"
# a schema.json saved on disk, as schema.data.gouv.fr serves it: no « name », a « path » on GitHub
LOCAL_SCHEMA = {k: v for k, v in SCHEMA.items() if k != "name"}
LOCAL_SCHEMA["path"] = "https://github.com/test-org/schema-parkings/raw/v1.2.0/schema.json"
SCHEMA_URL = LOCAL_SCHEMA["path"]


def messy_history_layer(tmp_path: Path):
    layer = make_gpkg(tmp_path / "parkings.gpkg", GOOD_ROWS)
    description = full_description()
    description.iso_categories = []  # the topic category comes from the EU theme
    description.history = [
        f"[opendata_publisher:conform] 2026-11-30T10:12 — Mise en conformité de « {INTERNAL_NAME} » avec le schéma "
        "« Parkings de test » 1.2.0 (2 entités ; couche source inchangée) : champ commentaire_interne retiré.",
        "Mise à jour annuelle après la campagne de relevés 2024.",
    ]
    write_layer_description(layer, description)
    save_checklist(layer, Checklist(answers={"achieved": "oui", "legal_secret": "non", "personal_data": "non"}), LOGIN)
    schema_path = tmp_path / "schemas" / "schema.json"
    schema_path.parent.mkdir()
    schema_path.write_text(json.dumps(LOCAL_SCHEMA), encoding="utf-8")
    layer.setCustomProperty(SCHEMA_PROPERTY, str(schema_path))
    return layer


@pytest.fixture
def published(tmp_path):
    layer = messy_history_layer(tmp_path)
    root = tmp_path / "publication"
    outcome = publish_layer(layer, folder_connection(str(root)), formats=["csv", "geojson"])
    assert outcome.status == PUBLISHED, outcome.summary()
    folder = Path(outcome.result.ref.dataset_id)
    yield layer, root / folder, tmp_path
    del outcome
    layer.deleteLater()


def _texts(folder: Path):
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in (".json", ".jsonld", ".xml", ".md", ".txt"):
            yield path, path.read_text(encoding="utf-8")


def test_nothing_internal_in_the_published_folder(published):
    layer, folder, tmp_path = published
    # the internal log is still in the layer
    assert any(LOGIN in line for line in layer.metadata().history())
    assert any(INTERNAL_NAME in line for line in layer.metadata().history())
    checked = 0
    for path, text in _texts(folder):
        checked += 1
        assert INTERNAL_NAME not in text, path
        assert "(conforme)" not in text, path
        assert "commentaire_interne" not in text, path
        assert LOGIN not in text, path
        assert "[opendata_publisher:" not in text, path
        assert "Secret légal" not in text and "données personnelles : non" not in text.lower(), path
        assert str(tmp_path) not in text, path
        assert "file://" not in text, path
    assert checked >= 8
    verification = (folder / "rapports" / "verification.md").read_text(encoding="utf-8")
    assert verification.startswith("# Rapport de vérification — Parkings publics de la commune de Test")
    # what reusers need is kept: the lineage the agent wrote, its own history line, the check with its date
    dcat = json.loads((folder / "metadata" / "dcat-ap.jsonld").read_text(encoding="utf-8"))
    dataset = next(n for n in dcat["@graph"] if "http://www.w3.org/ns/dcat#Dataset" in n.get("@type", []))
    notes = [v["@value"] for v in dataset["adms:versionNotes"]]
    assert notes[0] == "Mise à jour annuelle après la campagne de relevés 2024."
    assert notes[1].startswith("Vérifiée le 20") and "test-org/schema-parkings 1.2.0 : conforme" in notes[1]
    iso = ET.parse(folder / "metadata" / "iso19139.xml").getroot()
    lineage = iso.find(".//gmd:LI_Lineage", NS)
    assert lineage.find("gmd:statement/gco:CharacterString", NS).text == "Relevés de terrain du service SIG."
    steps = [e.text for e in lineage.findall("gmd:processStep//gmd:description/gco:CharacterString", NS)]
    assert steps == notes


def test_dcat_has_distributions_and_schema_and_passes_the_dcat_ap_3_shapes(published):
    pyshacl = pytest.importorskip("pyshacl", reason="pyshacl is a test-only dependency (pip install pyshacl)")
    shapes = SHARED / "vocabularies" / "dcat-ap-3.0.1-shapes.ttl"
    if not shapes.is_file():
        pytest.skip(f"DCAT-AP shapes not found at {shapes} (../shared is absent)")
    _layer, folder, _tmp = published
    jsonld = folder / "metadata" / "dcat-ap.jsonld"
    import rdflib

    graph = rdflib.Graph().parse(str(jsonld), format="json-ld")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    dct = rdflib.Namespace("http://purl.org/dc/terms/")
    dataset = next(graph.subjects(rdflib.RDF.type, dcat.Dataset))
    assert set(graph.objects(dataset, dct.conformsTo)) == {rdflib.URIRef(SCHEMA_URL)}
    distributions = list(graph.objects(dataset, dcat.distribution))
    assert len(distributions) == 2
    urls = {str(graph.value(d, dcat.downloadURL)) for d in distributions}
    # relative to metadata/: they resolve to the published files next to it
    assert urls == {
        (folder / name).resolve().as_uri()
        for name in ("parkings-publics-de-la-commune-de-test.csv", "parkings-publics-de-la-commune-de-test.geojson")
    }
    for url in urls:
        assert Path(url[len("file://") :]).is_file()
    formats = {str(graph.value(d, dct["format"])).rsplit("/", 1)[-1] for d in distributions}
    assert formats == {"CSV", "GEOJSON"}
    assert all(graph.value(d, dct.license) is not None for d in distributions)
    conforms, _, report = pyshacl.validate(data_graph=graph, shacl_graph=str(shapes), shacl_graph_format="turtle")
    assert conforms, report


def test_manifest_and_history_name_the_local_schema(published):
    _layer, folder, _tmp = published
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["schema"] == {"name": "test-org/schema-parkings", "version": "1.2.0"}
    history = json.loads((folder / "historique.json").read_text(encoding="utf-8"))
    assert history[-1]["schema"] == {"name": "test-org/schema-parkings", "version": "1.2.0"}


def test_iso19139_topic_category_online_resources_lineage(published):
    _layer, folder, _tmp = published
    root = ET.parse(folder / "metadata" / "iso19139.xml").getroot()
    categories = [e.text for e in root.findall(".//gmd:topicCategory/gmd:MD_TopicCategoryCode", NS)]
    assert categories == ["transportation"]
    online = root.findall(".//gmd:transferOptions//gmd:CI_OnlineResource", NS)
    assert [o.find("gmd:linkage/gmd:URL", NS).text for o in online] == [
        "../parkings-publics-de-la-commune-de-test.csv",
        "../parkings-publics-de-la-commune-de-test.geojson",
    ]
    names = [e.text for e in root.findall(".//gmd:distributionFormat/gmd:MD_Format/gmd:name/gco:CharacterString", NS)]
    assert names == ["CSV", "GEOJSON"]
    spec = root.find(".//gmd:DQ_ConformanceResult/gmd:specification/gmd:CI_Citation/gmd:title/gmx:Anchor", NS)
    assert spec.get("{http://www.w3.org/1999/xlink}href") == SCHEMA_URL
    assert "Généalogie non renseignée" not in ET.tostring(root, encoding="unicode")


def test_iso_lineage_without_agent_text_is_not_empty():
    from opendata_publisher.core.metadata.iso19139 import to_iso19139

    description = full_description()
    description.lineage = ""
    description.schema.name, description.schema.version = "etalab/schema-stationnement", "0.1.5"
    root = ET.fromstring(to_iso19139(description).split("\n", 1)[1])
    statement = root.find(".//gmd:LI_Lineage/gmd:statement/gco:CharacterString", NS).text
    assert statement == (
        "Données produites par Commune de Test. Mises en forme selon le schéma de données "
        "etalab/schema-stationnement 0.1.5."
    )


def test_schema_ref_of_a_real_scdl_file_read_from_disk():
    path = SHARED / "scdl" / "stationnement" / "0.1.5" / "schema.json"
    if not path.is_file():
        pytest.skip(f"SCDL schema not found at {path} (../shared is absent)")
    schema = parse_schema(json.loads(path.read_text(encoding="utf-8")), str(path))
    assert schema.name == ""  # the file itself has no name: the catalogue gives it
    ref = schema_ref(schema)
    assert ref.name == "etalab/schema-stationnement"
    assert ref.version == "0.1.5"
    assert ref.url == "https://github.com/etalab/schema-stationnement/raw/v0.1.5/schema.json"


def test_public_history_keeps_only_the_agents_lines():
    lines = [
        "[opendata_publisher:legal-ack] 2026 — x — points",
        "Création du jeu de données",
        " ",
        "[opendata_publisher:publish] y",
    ]
    assert public_history(lines) == ["Création du jeu de données"]


# The INSPIRE metadata rules (Technical Guidance 2.0, ISO 19139 encoding) that can be run without the online
# validator: each mandatory element of a dataset's metadata, as the validator's XPath assertions read them.
IDENT = "gmd:identificationInfo/gmd:MD_DataIdentification"
TEXT = "gco:CharacterString"
INSPIRE_MANDATORY = {
    "metadata point of contact with e-mail": f"gmd:contact//gmd:electronicMailAddress/{TEXT}",
    "metadata date": "gmd:dateStamp/gco:Date",
    "metadata language": "gmd:language/gmd:LanguageCode",
    "resource type": "gmd:hierarchyLevel/gmd:MD_ScopeCode[@codeListValue='dataset']",
    "resource title": f"{IDENT}/gmd:citation/gmd:CI_Citation/gmd:title/{TEXT}",
    "resource abstract": f"{IDENT}/gmd:abstract/{TEXT}",
    "resource locator": "gmd:distributionInfo//gmd:CI_OnlineResource/gmd:linkage/gmd:URL",
    "unique resource identifier": f"{IDENT}/gmd:citation//gmd:identifier//gmd:code/{TEXT}",
    "resource language": f"{IDENT}/gmd:language/gmd:LanguageCode",
    "topic category": f"{IDENT}/gmd:topicCategory/gmd:MD_TopicCategoryCode",
    "keyword": f"{IDENT}/gmd:descriptiveKeywords/gmd:MD_Keywords/gmd:keyword/*",
    "geographic bounding box": f"{IDENT}/gmd:extent//gmd:EX_GeographicBoundingBox/gmd:westBoundLongitude/gco:Decimal",
    "temporal reference": f"{IDENT}/gmd:citation//gmd:CI_Date/gmd:date/gco:Date",
    "lineage": f"gmd:dataQualityInfo//gmd:LI_Lineage/gmd:statement/{TEXT}",
    "conformity": "gmd:dataQualityInfo//gmd:DQ_ConformanceResult/gmd:pass/gco:Boolean",
    "conditions for access and use": f"{IDENT}/gmd:resourceConstraints//gmd:useLimitation/{TEXT}",
    "limitations on public access": f"{IDENT}/gmd:resourceConstraints//gmd:accessConstraints/gmd:MD_RestrictionCode",
    "responsible organisation": f"{IDENT}/gmd:pointOfContact//gmd:organisationName/{TEXT}",
    "encoding (distribution format)": f"gmd:distributionInfo//gmd:MD_Format/gmd:name/{TEXT}",
}


def test_iso19139_has_every_inspire_mandatory_element(published):
    _layer, folder, _tmp = published
    root = ET.parse(folder / "metadata" / "iso19139.xml").getroot()

    def filled(path: str) -> bool:
        return any((e.text or "").strip() or e.attrib for e in root.findall(path, NS))

    assert [name for name, path in INSPIRE_MANDATORY.items() if not filled(path)] == []


def test_metadata_exports_leave_the_internal_log_out(tmp_path):
    from opendata_publisher.core.metadata.export import render
    from opendata_publisher.core.metadata.layer_metadata import read_layer_description

    layer = messy_history_layer(tmp_path)
    description = read_layer_description(layer)
    assert any(LOGIN in line for line in description.history)
    for fmt in ("dcat-jsonld", "dcat-turtle", "iso19139"):
        text = render(description, fmt, layer)
        assert LOGIN not in text and INTERNAL_NAME not in text and "[opendata_publisher:" not in text, fmt
        assert "Mise à jour annuelle après la campagne de relevés 2024." in text, fmt
    layer.deleteLater()


def test_published_legal_report_leaves_out_the_fields_not_published():
    from opendata_publisher.core.checks.finding import WARNING, Finding
    from opendata_publisher.core.legal.report import LegalReport
    from opendata_publisher.core.metadata.public import public_legal

    report = LegalReport(
        "Parkings (conforme) (conforme)",
        3,
        [
            Finding(
                "legal-free-text", WARNING, "Texte libre dans « commentaire_interne ».", field="commentaire_interne"
            ),
            Finding("legal-person-name", WARNING, "Des noms de personnes.", field="nom_equipe"),
            Finding("legal-licence", "info", "Aucune licence."),
        ],
    )
    public = public_legal(report, "Parkings publics", {"nom_equipe": "nom_equipement", "id": "id"})
    assert public.layer_name == "Parkings publics"
    assert [(f.code, f.field) for f in public.findings] == [
        ("legal-person-name", "nom_equipement"),
        ("legal-licence", None),
    ]
    assert "commentaire_interne" not in public.to_json() and "(conforme)" not in public.to_json()
    assert len(report.findings) == 3  # the layer's own report is untouched
