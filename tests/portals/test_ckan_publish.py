"""CkanAdapter against the REAL CKAN 2.11.6 (PostgreSQL cluster of the session, see ckan_fixture.py)."""

from __future__ import annotations

import secrets
import urllib.request
import uuid

import pytest

from opendata_publisher.core.metadata.model import Area, ContactPoint, DatasetDescription, SchemaRef
from opendata_publisher.core.portals.base import DatasetRef, PortalConnection, PortalError, PublishFile, PublishRequest
from opendata_publisher.core.portals.ckan import CkanAdapter, merge_package, slugify
from tests.portals.ckan_fixture import store_token


def make_description(title: str, licence: str = "ODbL-1.0") -> DatasetDescription:
    return DatasetDescription(
        title=title,
        description="Places de stationnement de la métropole (données de test).",
        keywords=["stationnement", "données ouvertes", "mobilité"],
        frequency="ANNUAL",
        spatial_coverage=[Area(kind="epci", code="244500468", name="Orléans Métropole")],
        bbox=(1.8, 47.8, 2.1, 48.0),
        temporal_start="2024-01-01",
        temporal_end="2024-12-31",
        schema=SchemaRef(name="etalab/schema-stationnement", version="0.2.0"),
        licence=licence,
        licence_justification="Données dérivées d'OpenStreetMap",
        contact=ContactPoint(name="Service SIG", email="sig@example.org"),
    )


def make_files(tmp_path, rows: int = 3, tag: str = "v1"):
    csv_path = tmp_path / f"stationnement-{tag}.csv"
    lines = ["id,nom,places"] + [f"{i},Parking {tag} {i},{10 + i}" for i in range(rows)]
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    geojson_path = tmp_path / f"stationnement-{tag}.geojson"
    geojson_path.write_text(
        f'{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"id":1,"tag":"{tag}"}},'
        '"geometry":{"type":"Point","coordinates":[1.9,47.9]}}]}',
        encoding="utf-8",
    )
    return [
        PublishFile(
            path=csv_path,
            format="csv",
            title="Stationnement (CSV)",
            mime="text/csv",
            schema_name="etalab/schema-stationnement",
            schema_version="0.2.0",
        ),
        PublishFile(path=geojson_path, format="geojson", title="Stationnement (GeoJSON)"),
    ]


def adapter_for(portal, base_url: str = "", user: str = "odp-agent", token: str = "", **kw) -> CkanAdapter:
    authcfg = store_token(f"ckan test {user}", token or portal.tokens[user])
    connection = PortalConnection(
        name="CKAN de test",
        portal_type="ckan",
        base_url=base_url or portal.url,
        organisation=kw.pop("organisation", portal.organisation["name"]),
        authcfg=authcfg,
        timeout_s=kw.pop("timeout_s", 20),
    )
    adapter = CkanAdapter(connection)
    adapter.retry_delays = (0.05, 0.2)  # reads retried quickly (CKAN's search has no index here: 500)
    return adapter


def download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.read()


def unique_title(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def extras(package) -> dict:
    return {e["key"]: e["value"] for e in package.get("extras") or []}


def test_connection_lists_the_organisations_of_the_key(qgis_app, ckan_portal):
    orgs = adapter_for(ckan_portal).test_connection()
    assert [o.slug for o in orgs] == [ckan_portal.organisation["name"]]
    assert orgs[0].name == "Métropole de test"
    assert adapter_for(ckan_portal, user="odp-outsider").test_connection() == []
    with pytest.raises(PortalError) as info:
        adapter_for(ckan_portal, token=secrets.token_urlsafe(32)).test_connection()
    assert info.value.kind == "auth" and "n'a reconnu aucun compte" in str(info.value)
    ids = {lic.id for lic in adapter_for(ckan_portal).licences()}
    assert {"odc-odbl", "cc-by", "other-at"} <= ids


def test_create_then_update_without_duplicate(qgis_app, ckan_portal, tmp_path):
    adapter = adapter_for(ckan_portal)
    title = unique_title("Stationnement")
    steps = []
    result = adapter.publish(
        PublishRequest(description=make_description(title), files=make_files(tmp_path)),
        progress=lambda done, total, label: steps.append((done, total, label)),
    )
    assert result.created
    pkg = ckan_portal.action("package_show", {"id": result.ref.dataset_id})
    assert pkg["title"] == title and pkg["name"] == slugify(title)
    assert pkg["license_id"] == "odc-odbl"
    assert pkg["owner_org"] == ckan_portal.organisation["id"]
    assert {t["name"] for t in pkg["tags"]} == {"stationnement", "données ouvertes", "mobilité"}
    ex = extras(pkg)
    assert ex["frequency"].endswith("/frequency/ANNUAL")
    assert ex["temporal_start"] == "2024-01-01" and ex["temporal_end"] == "2024-12-31"
    assert ex["schema"] == "etalab/schema-stationnement" and ex["schema_version"] == "0.2.0"
    assert "Orléans Métropole" in ex["spatial_text"]
    assert pkg["maintainer_email"] == "sig@example.org"
    assert len(pkg["resources"]) == 2
    csv_res = next(r for r in pkg["resources"] if r["id"] == result.ref.resource_ids["csv"])
    assert csv_res["url_type"] == "upload" and csv_res["format"] == "CSV"
    assert csv_res["schema_name"] == "etalab/schema-stationnement"
    assert download(result.resource_urls["csv"]) == make_files(tmp_path)[0].path.read_bytes()
    assert result.dataset_url == f"{ckan_portal.url}/dataset/{pkg['name']}"
    total = steps[-1][1]
    assert total == sum(f.path.stat().st_size for f in make_files(tmp_path)) and steps[-1][0] == total

    # publish again, with a new file and a new title: same dataset, same resources, new content
    new_files = make_files(tmp_path, rows=5, tag="v2")
    stored = DatasetRef.from_dict(result.ref.to_dict())
    again = adapter.publish(
        PublishRequest(description=make_description(title + " (mis à jour)"), files=new_files, ref=stored)
    )
    assert not again.created
    assert again.ref.dataset_id == result.ref.dataset_id
    assert again.ref.resource_ids == result.ref.resource_ids
    pkg2 = ckan_portal.action("package_show", {"id": result.ref.dataset_id})
    assert pkg2["title"] == title + " (mis à jour)"
    assert len(pkg2["resources"]) == 2
    assert download(again.resource_urls["csv"]) == new_files[0].path.read_bytes()
    same_title = [p for p in ckan_portal.org_datasets() if p["name"].startswith(slugify(title))]
    assert len(same_title) == 1


def test_update_keeps_what_was_set_on_the_portal(qgis_app, ckan_portal, tmp_path):
    adapter = adapter_for(ckan_portal)
    title = unique_title("Arbres")
    first = adapter.publish(PublishRequest(description=make_description(title), files=make_files(tmp_path)[:1]))
    pkg = ckan_portal.action("package_show", {"id": first.ref.dataset_id})
    # someone edits the dataset in CKAN's web interface: a version, an extra, a resource description
    ckan_portal.action(
        "package_patch",
        {
            "id": pkg["id"],
            "version": "2024-b",
            "url": "https://example.org/source",
            "extras": pkg["extras"] + [{"key": "note_portail", "value": "ajouté sur le portail"}],
            "tags": pkg["tags"] + [{"name": "ajout du portail"}],
        },
    )
    ckan_portal.action("resource_patch", {"id": first.ref.resource_ids["csv"], "description": "Décrit sur le portail"})

    again = adapter.publish(
        PublishRequest(description=make_description(title), files=make_files(tmp_path, tag="v3")[:1], ref=first.ref)
    )
    pkg2 = ckan_portal.action("package_show", {"id": again.ref.dataset_id})
    assert pkg2["version"] == "2024-b"
    assert pkg2["url"] == "https://example.org/source"
    assert extras(pkg2)["note_portail"] == "ajouté sur le portail"
    assert extras(pkg2)["schema"] == "etalab/schema-stationnement"
    assert [r["description"] for r in pkg2["resources"]] == ["Décrit sur le portail"]
    assert len(pkg2["resources"]) == 1
    # a tag added on the portal by someone else is kept next to ours
    assert {"ajout du portail", "stationnement"} <= {t["name"] for t in pkg2["tags"]}
    assert pkg2["resources"][0]["schema_name"] == "etalab/schema-stationnement"
    assert extras(pkg2)["conforms_to"].startswith("https://") or extras(pkg2)["schema_version"] == "0.2.0"


def test_new_dataset_is_private_until_its_first_file(qgis_app, ckan_portal, tmp_path):
    # CKAN refuses the file (its upload limit): the dataset created just before stays private, never an empty
    # public dataset; the next publication (a smaller file) attaches it and makes it public
    from tests.portals.ckan_fixture import MAX_RESOURCE_SIZE_MB

    adapter = adapter_for(ckan_portal)
    title = unique_title("Vide")
    files = make_files(tmp_path)[:1]
    big = tmp_path / "gros.csv"
    big.write_bytes(b"id,nom\n" + b"1,x" * (MAX_RESOURCE_SIZE_MB * 1024 * 1024 // 3 + 1000) + b"\n")
    files[0].path = big
    with pytest.raises(PortalError) as err:
        adapter.publish(PublishRequest(description=make_description(title), files=files))
    pkg = ckan_portal.action("package_show", {"id": err.value.ref.dataset_id})
    assert pkg["private"] is True and not pkg["resources"]
    again = adapter.publish(
        PublishRequest(description=make_description(title), files=make_files(tmp_path)[:1], ref=err.value.ref)
    )
    pkg = ckan_portal.action("package_show", {"id": again.ref.dataset_id})
    assert pkg["private"] is False and len(pkg["resources"]) == 1
    assert "opendata_publisher_private_until_published" not in extras(pkg)


def test_merge_package_keeps_unmanaged_fields():
    portal = {"title": "old", "version": "3", "extras": [{"key": "x", "value": "1"}, {"key": "schema", "value": "a"}]}
    ours = {"title": "new", "notes": "", "extras": [{"key": "schema", "value": "b"}], "tags": [{"name": "t1"}]}
    merged = merge_package(portal, ours)
    assert merged["title"] == "new" and merged["version"] == "3"
    assert {e["key"]: e["value"] for e in merged["extras"]} == {"x": "1", "schema": "b"}
    assert "notes" not in merged  # an empty value of ours never wipes the portal's


def test_licence_missing_from_ckan_is_announced_not_silently_replaced(qgis_app, ckan_portal, tmp_path):
    adapter = adapter_for(ckan_portal)
    result = adapter.publish(
        PublishRequest(
            description=make_description(unique_title("Bornes"), "etalab-2.0"), files=make_files(tmp_path)[:1]
        )
    )
    pkg = ckan_portal.action("package_show", {"id": result.ref.dataset_id})
    assert pkg["license_id"] == "other-at"
    assert extras(pkg)["licence_name"].startswith("Licence Ouverte")
    assert extras(pkg)["licence_url"] == "https://www.etalab.gouv.fr/licence-ouverte-open-licence"
    assert any("ne propose pas la licence" in m for m in result.messages)


def test_bad_token_is_refused_in_french_and_creates_nothing(qgis_app, ckan_portal, tmp_path):
    before = len(ckan_portal.org_datasets())
    adapter = adapter_for(ckan_portal, token=secrets.token_urlsafe(32))
    with pytest.raises(PortalError) as info:
        adapter.publish(PublishRequest(description=make_description(unique_title("Refus")), files=make_files(tmp_path)))
    err = info.value
    assert err.kind == "auth" and err.status in (401, 403, 404)
    assert "clé d'API" in str(err) and "Jetons d'API" in str(err)
    assert adapter.connection.authcfg not in str(err)
    assert err.portal_message and err.portal_message in str(err)
    assert len(ckan_portal.org_datasets()) == before


def test_key_of_an_account_without_the_organisation(qgis_app, ckan_portal, tmp_path):
    adapter = adapter_for(ckan_portal, user="odp-outsider")
    with pytest.raises(PortalError) as info:
        adapter.publish(
            PublishRequest(description=make_description(unique_title("Intrus")), files=make_files(tmp_path))
        )
    assert info.value.kind == "forbidden"
    assert "odp-test-org" in str(info.value) and "éditeur" in str(info.value)


def test_deleted_dataset_is_detected_then_recreated(qgis_app, ckan_portal, tmp_path):
    adapter = adapter_for(ckan_portal)
    title = unique_title("Défibrillateurs")
    first = adapter.publish(PublishRequest(description=make_description(title), files=make_files(tmp_path)))
    ckan_portal.action("package_delete", {"id": first.ref.dataset_id})
    assert not adapter.dataset_exists(first.ref)

    with pytest.raises(PortalError) as info:
        adapter.publish(PublishRequest(description=make_description(title), files=make_files(tmp_path), ref=first.ref))
    assert info.value.kind == "deleted"
    assert "supprimé" in str(info.value) and "recréer" in str(info.value)

    again = adapter.publish(
        PublishRequest(
            description=make_description(title), files=make_files(tmp_path), ref=first.ref, recreate_if_deleted=True
        )
    )
    assert again.created and again.ref.dataset_id != first.ref.dataset_id
    assert adapter.dataset_exists(again.ref)
    pkg = ckan_portal.action("package_show", {"id": again.ref.dataset_id})
    assert pkg["state"] == "active" and len(pkg["resources"]) == 2

    # purged (404) is "deleted" too
    ckan_portal.action("dataset_purge", {"id": again.ref.dataset_id})
    with pytest.raises(PortalError) as info:
        adapter.publish(PublishRequest(description=make_description(title), files=make_files(tmp_path), ref=again.ref))
    assert info.value.kind == "deleted"


def test_file_over_ckan_upload_limit(qgis_app, ckan_portal, tmp_path):
    adapter = adapter_for(ckan_portal)
    big = tmp_path / "gros.csv"
    big.write_bytes(
        b"id,valeur\n" + b"1,xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n" * 22000
    )  # ~1.3 MB > 1 MB
    with pytest.raises(PortalError) as info:
        adapter.publish(
            PublishRequest(
                description=make_description(unique_title("Gros")),
                files=[PublishFile(path=big, format="csv", title="Gros fichier")],
            )
        )
    err = info.value
    assert err.kind == "too-large"
    assert "File upload too large" in str(err) and "trop volumineux" in str(err)
    assert "1,3 Mo" in str(err)
    pkg = ckan_portal.action("package_show", {"id": err.ref.dataset_id})
    assert pkg["resources"] == []


def test_dry_run_sends_nothing(qgis_app, ckan_portal, tmp_path):
    before = len(ckan_portal.org_datasets())
    title = unique_title("Simulation")
    result = adapter_for(ckan_portal).publish(
        PublishRequest(description=make_description(title), files=make_files(tmp_path), dry_run=True)
    )
    assert result.created and result.dataset_url.endswith(slugify(title))
    assert any(m.startswith("Simulation") for m in result.messages)
    assert len(ckan_portal.org_datasets()) == before
