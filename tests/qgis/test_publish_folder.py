"""The publishing pipeline end to end with the local publication folder (real GeoPackage layers, real files)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from osgeo import ogr, osr
from qgis.core import QgsVectorLayer

from opendata_publisher.core.history import HISTORY_PREFIX, history, history_lines
from opendata_publisher.core.metadata import ContactPoint, DatasetDescription, Organisation
from opendata_publisher.core.metadata.layer_metadata import write_layer_description
from opendata_publisher.core.portals import adapter_for
from opendata_publisher.core.portals.base import PortalConnection, PortalError, PublishFile, PublishRequest
from opendata_publisher.core.portals.connections import folder_connection
from opendata_publisher.core.publish import (
    CANCELLED,
    DRY_RUN,
    FAILED,
    PUBLISHED,
    REFUSED,
    SCHEMA_PROPERTY,
    STEP_DESCRIBE,
    STEP_LEGAL,
    STEP_LICENCE,
    STEP_VERIFY,
    publish_layer,
    stored_ref,
)

SCHEMA = {
    "name": "test/parkings",
    "title": "Parkings de test",
    "version": "1.2.0",
    "fields": [
        {"name": "id", "type": "string", "constraints": {"required": True}},
        {"name": "nom", "type": "string", "constraints": {"required": True}},
        {"name": "nb_places", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "Xlong", "type": "number"},
        {"name": "Ylat", "type": "number"},
    ],
}

GOOD_ROWS = [
    ("P1", "Parking de la gare", 120, (700000.0, 6600000.0)),
    ("P2", "Parking du marché", 45, (700100.0, 6600200.0)),
]


def make_gpkg(path: Path, rows, extra_field=None) -> QgsVectorLayer:
    """A real GeoPackage (EPSG:2154) written with OGR, opened as a QGIS layer."""
    driver = ogr.GetDriverByName("GPKG")
    dataset = driver.CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(2154)
    layer = dataset.CreateLayer("parkings", srs, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("id", ogr.OFTString))
    layer.CreateField(ogr.FieldDefn("nom", ogr.OFTString))
    layer.CreateField(ogr.FieldDefn("nb_places", ogr.OFTString))
    if extra_field:
        layer.CreateField(ogr.FieldDefn(extra_field, ogr.OFTString))
    for row in rows:
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("id", row[0])
        feature.SetField("nom", row[1])
        feature.SetField("nb_places", str(row[2]))
        if extra_field:
            feature.SetField(extra_field, row[4])
        point = ogr.Geometry(ogr.wkbPoint)
        point.AddPoint_2D(*row[3])
        feature.SetGeometry(point)
        layer.CreateFeature(feature)
    dataset = None
    qlayer = QgsVectorLayer(f"{path}|layername=parkings", "Parkings", "ogr")
    assert qlayer.isValid()
    return qlayer


def full_description(title: str = "Parkings publics de la commune de Test") -> DatasetDescription:
    return DatasetDescription(
        title=title,
        description=(
            "Emplacements et capacités des parkings publics de la commune de Test, mis à jour chaque année par le "
            "service SIG à partir des relevés de terrain."
        ),
        keywords=["stationnement", "parking", "données ouvertes"],
        eu_themes=["TRAN"],
        iso_categories=["transportation"],
        producer=Organisation(name="Commune de Test", siren="244500468"),
        publisher=Organisation(name="Commune de Test", siren="244500468"),
        contact=ContactPoint(name="Service SIG", email="sig@test-commune.fr"),
        frequency="ANNUAL",
        temporal_start="2024-01-01",
        created="2024-01-15",
        issued="2024-02-01",
        modified="2024-06-01",
        lineage="Relevés de terrain du service SIG.",
        licence="etalab-2.0",
        licence_url="https://www.etalab.gouv.fr/licence-ouverte-open-licence",
        attribution="Commune de Test",
        identifier="test-parkings-2024",
    )


def schema_file(tmp_path: Path) -> Path:
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(SCHEMA), encoding="utf-8")
    return path


def good_layer(tmp_path: Path) -> QgsVectorLayer:
    layer = make_gpkg(tmp_path / "parkings.gpkg", GOOD_ROWS)
    write_layer_description(layer, full_description())
    layer.setCustomProperty(SCHEMA_PROPERTY, str(schema_file(tmp_path)))
    return layer


def dataset_dirs(root: Path):
    return sorted(p for p in root.iterdir() if p.is_dir()) if root.exists() else []


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_folder_publication_end_to_end_and_update(tmp_path):
    layer = good_layer(tmp_path)
    root = tmp_path / "publication"
    connection = folder_connection(root)

    outcome = publish_layer(layer, connection, ["csv", "geojson"], accept_warnings=True)
    assert outcome.status == PUBLISHED, outcome.summary()
    assert outcome.gate.blocking == []
    [folder] = dataset_dirs(root)
    assert folder.name == "parkings-publics-de-la-commune-de-test"
    assert outcome.dataset_url == folder.resolve().as_uri()
    assert set(outcome.result.resource_urls) == {"csv", "geojson"}

    csv_file = folder / "parkings-publics-de-la-commune-de-test.csv"
    header, first = csv_file.read_text(encoding="utf-8").splitlines()[:2]
    assert header == "id,nom,nb_places,Xlong,Ylat"  # schema order, lon/lat from the geometry
    assert first == "P1,Parking de la gare,120,3,46.5"
    assert (folder / "parkings-publics-de-la-commune-de-test.geojson").is_file()
    licence = (folder / "LICENCE.txt").read_text(encoding="utf-8")
    assert "Licence Ouverte" in licence and "https://www.etalab.gouv.fr/licence-ouverte-open-licence" in licence
    jsonld = json.loads((folder / "metadata" / "dcat-ap.jsonld").read_text(encoding="utf-8"))
    assert "Parkings publics de la commune de Test" in json.dumps(jsonld, ensure_ascii=False)
    assert "<gmd:MD_Metadata" in (folder / "metadata" / "iso19139.xml").read_text(encoding="utf-8")
    check = json.loads((folder / "rapports" / "verification.json").read_text(encoding="utf-8"))
    assert check["schema"]["name"] == "test/parkings" and check["valid"] is True
    assert (folder / "rapports" / "verification.md").read_text(encoding="utf-8").startswith("# Rapport")
    assert json.loads((folder / "rapports" / "controle-juridique.json").read_text(encoding="utf-8"))["check"] == "legal"
    assert "Contrôle juridique" in (folder / "rapports" / "controle-juridique.md").read_text(encoding="utf-8")

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["path"]: entry for entry in manifest["files"]}
    on_disk = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()} - {"manifest.json"}
    assert set(listed) == on_disk
    for rel, entry in listed.items():
        assert entry["sha256"] == sha256(folder / rel), rel
        assert entry["size"] == (folder / rel).stat().st_size
    assert manifest["licence"]["id"] == "etalab-2.0"
    assert manifest["schema"] == {"name": "test/parkings", "version": "1.2.0"}

    ref = stored_ref(layer, connection)
    assert ref is not None and ref.dataset_id == folder.name
    [entry] = history(layer)
    assert entry["portal_type"] == "folder" and entry["dataset_url"] == outcome.dataset_url
    assert entry["schema_name"] == "test/parkings" and entry["schema_version"] == "1.2.0"
    assert entry["created"] is True and entry["user"]
    [line] = history_lines(layer)
    assert line.startswith(HISTORY_PREFIX) and "créé sur dossier local" in line

    # second publication: same folder, file replaced, history grows, no duplicate
    second = publish_layer(layer, connection, ["csv"], accept_warnings=True)
    assert second.status == PUBLISHED, second.summary()
    assert dataset_dirs(root) == [folder]
    assert second.result.created is False
    assert not (folder / "parkings-publics-de-la-commune-de-test.geojson").exists()  # no longer published
    assert len(json.loads((folder / "historique.json").read_text(encoding="utf-8"))) == 2
    assert [e["created"] for e in history(layer)] == [True, False]
    manifest2 = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest2["created"] == manifest["created"]
    for entry in manifest2["files"]:
        assert entry["sha256"] == sha256(folder / entry["path"])


def test_gate_refuses_schema_errors_nir_and_missing_licence(tmp_path):
    def nir(body13: str) -> str:  # social security number with its control key (97 - body mod 97)
        return f"{body13}{97 - int(body13) % 97:02d}"

    rows = [
        ("P1", "Parking de la gare", "beaucoup", (700000.0, 6600000.0), nir("1850578006084")),
        ("", "Parking du marché", "-3", (700100.0, 6600200.0), nir("2791275123001")),
    ]
    layer = make_gpkg(tmp_path / "bad.gpkg", rows, extra_field="num_secu")
    description = full_description()
    description.licence = ""
    description.licence_url = ""
    write_layer_description(layer, description)
    layer.setCustomProperty(SCHEMA_PROPERTY, str(schema_file(tmp_path)))
    root = tmp_path / "publication"

    outcome = publish_layer(layer, folder_connection(root), ["csv"], accept_warnings=True)
    assert outcome.status == REFUSED
    steps = {item.step for item in outcome.gate.blocking}
    assert {STEP_VERIFY, STEP_LEGAL, STEP_LICENCE} <= steps, outcome.gate.text()
    text = outcome.gate.text(True)
    assert text.startswith("Publication refusée")
    assert "Étapes à ouvrir : Vérifier, Licence, Contrôle juridique" in text
    assert any("nb_places" in item.sentence() for item in outcome.gate.blocking if item.step == STEP_VERIFY)
    assert not root.exists() or dataset_dirs(root) == []  # nothing written
    assert history(layer) == [] and stored_ref(layer, folder_connection(root)) is None


def test_warnings_need_acceptance_and_acceptance_is_recorded(tmp_path):
    layer = make_gpkg(tmp_path / "p.gpkg", GOOD_ROWS)
    description = full_description()
    description.frequency = ""  # a warning, not a blocking gap
    write_layer_description(layer, description)
    root = tmp_path / "publication"

    refused = publish_layer(layer, folder_connection(root), ["csv"])
    assert refused.status == REFUSED
    assert refused.gate.blocking == [] and refused.gate.warnings
    assert any(item.step == STEP_DESCRIBE for item in refused.gate.warnings)
    assert "publier quand même" in refused.gate.text()
    assert dataset_dirs(root) == []

    accepted = publish_layer(layer, folder_connection(root), ["csv"], accept_warnings=True)
    assert accepted.status == PUBLISHED
    [entry] = history(layer)
    assert entry["accepted_warnings"] and any("fréquence" in w.lower() for w in entry["accepted_warnings"])
    assert "publié malgré" in history_lines(layer)[0]


def test_dry_run_writes_nothing(tmp_path):
    layer = good_layer(tmp_path)
    root = tmp_path / "publication"
    root.mkdir()
    outcome = publish_layer(layer, folder_connection(root), ["csv", "gpkg", "shp"], accept_warnings=True, dry_run=True)
    assert outcome.status == DRY_RUN, outcome.summary()
    assert list(root.iterdir()) == []
    assert history(layer) == [] and stored_ref(layer, folder_connection(root)) is None
    assert not [h for h in layer.metadata().history() if h.startswith(HISTORY_PREFIX)]
    assert outcome.dataset_url.endswith("parkings-publics-de-la-commune-de-test")
    assert all(not f.path.exists() for f in outcome.files)  # temporary exports removed


def test_deleted_folder_is_reported_then_recreated(tmp_path):
    import shutil

    layer = good_layer(tmp_path)
    root = tmp_path / "publication"
    connection = folder_connection(root)
    assert publish_layer(layer, connection, ["csv"], accept_warnings=True).status == PUBLISHED
    [folder] = dataset_dirs(root)
    shutil.rmtree(folder)

    again = publish_layer(layer, connection, ["csv"], accept_warnings=True)
    assert again.status == FAILED and again.error_kind == "deleted"
    assert "supprimé" in str(again.error)
    assert dataset_dirs(root) == []

    recreated = publish_layer(layer, connection, ["csv"], accept_warnings=True, recreate_if_deleted=True)
    assert recreated.status == PUBLISHED
    assert dataset_dirs(root) == [folder]


def test_same_title_from_another_layer_does_not_overwrite(tmp_path):
    root = tmp_path / "publication"
    first = good_layer(tmp_path)
    assert publish_layer(first, folder_connection(root), ["csv"], accept_warnings=True).status == PUBLISHED
    other = make_gpkg(tmp_path / "other.gpkg", GOOD_ROWS)
    write_layer_description(other, full_description("Parkings publics de la commune de Test !"))
    outcome = publish_layer(other, folder_connection(root), ["csv"], accept_warnings=True)
    assert outcome.status == PUBLISHED
    assert [p.name for p in dataset_dirs(root)] == [
        "parkings-publics-de-la-commune-de-test",
        "parkings-publics-de-la-commune-de-test-2",
    ]


def test_cancel_before_portal_publishes_nothing(tmp_path):
    from qgis.core import QgsFeedback

    layer = good_layer(tmp_path)
    root = tmp_path / "publication"
    feedback = QgsFeedback()
    feedback.cancel()
    outcome = publish_layer(layer, folder_connection(root), ["csv"], accept_warnings=True, feedback=feedback)
    assert outcome.status == CANCELLED
    assert dataset_dirs(root) == [] and history(layer) == []


def test_adapter_for_unknown_type_is_a_french_error(tmp_path):
    with pytest.raises(PortalError) as caught:
        adapter_for(PortalConnection(name="x", portal_type="ftp", base_url="ftp://example"))
    assert "Type de portail inconnu" in str(caught.value)
    assert type(adapter_for(folder_connection(tmp_path))).__name__ == "FolderAdapter"


def test_dataset_created_before_a_failure_is_remembered(tmp_path, monkeypatch):
    """A portal that created the dataset then failed (e.g. upload timeout): publishing again must update
    that dataset, not create a second one."""
    from opendata_publisher.core import portals as portals_module
    from opendata_publisher.core.portals.base import DatasetRef, PublishResult

    layer = good_layer(tmp_path)
    connection = folder_connection(str(tmp_path / "publication"))
    created = DatasetRef("folder", str(tmp_path / "publication"), "abc123", {}, "file:///publication/abc123")
    seen_refs = []

    class FlakyAdapter:
        calls = 0

        def publish(self, request, progress=None, feedback=None):
            seen_refs.append(request.ref)
            FlakyAdapter.calls += 1
            if FlakyAdapter.calls == 1:
                raise PortalError("Délai dépassé pendant l'envoi du fichier.", kind="timeout", ref=created)
            return PublishResult(ref=created, dataset_url=created.dataset_url, resource_urls={}, created=False)

    monkeypatch.setattr(portals_module, "adapter_for", lambda _connection: FlakyAdapter())
    first = publish_layer(layer, connection, formats=("csv",))
    assert first.status == FAILED and first.error_kind == "timeout", first.summary()
    assert stored_ref(layer, connection).dataset_id == "abc123"
    second = publish_layer(layer, connection, formats=("csv",))
    assert second.status == PUBLISHED
    assert seen_refs[0] is None and seen_refs[1].dataset_id == "abc123"


def test_dataset_created_before_a_cancel_is_remembered(tmp_path, monkeypatch):
    """Cancelled during the upload, after the portal created the dataset: publishing again updates it."""
    from opendata_publisher.core import portals as portals_module
    from opendata_publisher.core.portals.base import DatasetRef

    layer = good_layer(tmp_path)
    connection = folder_connection(str(tmp_path / "publication"))
    created = DatasetRef("folder", str(tmp_path / "publication"), "abc123", {}, "file:///publication/abc123")

    class CancelledAdapter:
        def publish(self, request, progress=None, feedback=None):
            raise PortalError("Publication annulée pendant l'envoi du fichier.", kind="cancelled", ref=created)

    monkeypatch.setattr(portals_module, "adapter_for", lambda _connection: CancelledAdapter())
    outcome = publish_layer(layer, connection, formats=("csv",))
    assert outcome.status == CANCELLED, outcome.summary()
    assert stored_ref(layer, connection).dataset_id == "abc123"
    assert history(layer) == []  # nothing was published: no history entry


def test_a_renamed_connection_still_updates_the_same_dataset(tmp_path):
    layer = good_layer(tmp_path)
    root = tmp_path / "publication"
    first = PortalConnection(name="Dossier SIG", portal_type="folder", base_url=str(root))
    assert publish_layer(layer, first, ["csv"], accept_warnings=True).status == PUBLISHED
    renamed = PortalConnection(name="Dossier open data", portal_type="folder", base_url=str(root) + "/")
    assert stored_ref(layer, renamed).dataset_id == stored_ref(layer, first).dataset_id
    other_portal = PortalConnection(name="Autre", portal_type="folder", base_url=str(tmp_path / "ailleurs"))
    assert stored_ref(layer, other_portal) is None
    assert publish_layer(layer, renamed, ["csv"], accept_warnings=True).status == PUBLISHED
    assert len(dataset_dirs(root)) == 1


def test_pipeline_exports_are_moved_into_the_folder_and_hashed_once(tmp_path, monkeypatch):
    from opendata_publisher.core.portals import folder as folder_module

    copied, hashed = [], []
    real_copy, real_hash = folder_module.FolderAdapter._copy, folder_module.sha256_of
    monkeypatch.setattr(
        folder_module.FolderAdapter,
        "_copy",
        staticmethod(lambda source, *a: copied.append(source.name) or real_copy(source, *a)),
    )
    monkeypatch.setattr(folder_module, "sha256_of", lambda path: hashed.append(Path(path).name) or real_hash(path))
    root = tmp_path / "publication"
    outcome = publish_layer(good_layer(tmp_path), folder_connection(root), ["csv", "geojson"], accept_warnings=True)
    assert outcome.status == PUBLISHED, outcome.summary()
    [folder] = dataset_dirs(root)
    data = [f"{folder.name}.csv", f"{folder.name}.geojson"]
    assert not set(copied) & set(data)  # the temporary exports are moved (one rename), not copied
    assert sorted(n for n in hashed if n in data) == sorted(data)  # each read once for its checksum
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    sums = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    assert all(sums[name] == sha256(folder / name) for name in data)
    assert not [p for p in root.iterdir() if p.name.startswith(".")]  # no work folder left

    # files handed in by a caller are copied, never moved: they are still there
    given = tmp_path / "donnees.csv"
    given.write_bytes(b"id\n1\n")
    request = PublishRequest(description=full_description("Autre jeu"), files=[PublishFile(given, "csv", "Données")])
    adapter_for(folder_connection(root)).publish(request)
    assert given.read_bytes() == b"id\n1\n" and "donnees.csv" in copied
