"""UdataAdapter against the REAL udata 17.18.0 (served on 127.0.0.1, see conftest.py), through a
fault-injecting proxy. Every assertion on the portal side is read back from udata's API."""

from __future__ import annotations

import hashlib
import json
import secrets
import time
import uuid
from pathlib import Path

import pytest

from opendata_publisher.core.metadata.model import Area, DatasetDescription, SchemaRef
from opendata_publisher.core.portals.base import DatasetRef, PortalConnection, PortalError, PublishFile, PublishRequest
from opendata_publisher.core.portals.udata import MARKER_KEY, UdataAdapter, dataset_key
from opendata_publisher.toolbelt import network
from opendata_publisher.toolbelt.auth import remove_api_key, store_api_key
from tests.portals.fault_proxy import Rule

SCHEMA = "etalab/schema-stationnement"


# --- fixtures ----------------------------------------------------------------------------------------------


#: master password of the throw-away QGIS auth database of the test profile (.qgis-settings), not a secret
TEST_MASTER_PASSWORD = "opendata-publisher-tests"  # same as the CKAN and ODS tests


@pytest.fixture(scope="module")
def master_password(qgis_app):
    from qgis.core import QgsApplication

    manager = QgsApplication.authManager()
    if not manager.masterPasswordIsSet() and not manager.setMasterPassword(TEST_MASTER_PASSWORD, True):
        pytest.fail(
            "the QGIS auth database of the test profile has another master password: delete "
            f"{QgsApplication.qgisAuthDatabaseFilePath()} (a test artefact) and run again"
        )
    return manager


@pytest.fixture(scope="module")
def authcfg(master_password, udata_portal):
    cfg = store_api_key("udata tests", udata_portal["api_key"])
    yield cfg
    remove_api_key(cfg)


@pytest.fixture(scope="module")
def bad_authcfg(master_password):
    cfg = store_api_key("udata bad key", "udata_" + secrets.token_urlsafe(32))
    yield cfg
    remove_api_key(cfg)


def make_adapter(proxy, authcfg, org="", **kwargs) -> UdataAdapter:
    connection = PortalConnection(
        name="udata local",
        portal_type="udata",
        base_url=proxy.url,
        organisation=org,
        authcfg=authcfg,
        timeout_s=kwargs.pop("timeout_s", 10),
        **kwargs,
    )
    adapter = UdataAdapter(connection)
    adapter.retry_delays = (0.05, 0.1)
    return adapter


@pytest.fixture
def adapter(fault_proxy, authcfg, udata_portal):
    return make_adapter(fault_proxy, authcfg, org=udata_portal["org_slug"])


def api(portal, method, path, payload=None):
    """Direct call to udata (not through the adapter nor the proxy): the portal-side view."""
    data = json.dumps(payload).encode() if payload is not None else None
    headers = {"X-API-KEY": portal["api_key"], "Accept": "application/json"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    _s, _h, body = network.request(method, portal["base_url"] + "/api/1/" + path, data=data, headers=headers)
    return json.loads(body) if body else None


def description(title=None, licence="etalab-2.0", keywords=("stationnement", "mobilité")) -> DatasetDescription:
    return DatasetDescription(
        title=title or f"Stationnement {uuid.uuid4().hex[:8]}",
        description="Lieux de stationnement de la métropole.",
        keywords=list(keywords),
        frequency="ANNUAL",
        spatial_coverage=[Area(kind="epci", code="244500468", name="Orléans Métropole")],
        temporal_start="2024-01-01",
        temporal_end="2024-12-31",
        licence=licence,
        schema=SchemaRef(name=SCHEMA, version="0.2.3"),
    )


def csv_file(tmp_path: Path, rows=3, name="stationnement.csv") -> Path:
    path = tmp_path / name
    lines = ["id,nom,places"] + [f"{i},Parking {i},{i * 10}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def publish_file(path: Path, title="Stationnement (CSV)") -> PublishFile:
    return PublishFile(
        path=path, format="csv", title=title, description="Export CSV", schema_name=SCHEMA, schema_version="0.2.3"
    )


def sha1(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()  # noqa: S324


# --- connection, licences ----------------------------------------------------------------------------------


def test_connection_lists_the_organisations_of_the_key(adapter, udata_portal):
    orgs = adapter.test_connection()
    assert [o.id for o in orgs] == [udata_portal["org_id"]]
    assert orgs[0].slug == udata_portal["org_slug"]
    assert "lov2" in {lic.id for lic in adapter.licences()}


def test_bad_key_gives_french_401_with_portal_text(fault_proxy, bad_authcfg, tmp_path):
    adapter = make_adapter(fault_proxy, bad_authcfg)
    with pytest.raises(PortalError) as err:
        adapter.test_connection()
    assert err.value.kind == "auth" and err.value.status == 401
    assert "Invalid API token" in str(err.value)
    assert "clé d'API" in str(err.value)
    with pytest.raises(PortalError) as err:
        adapter.publish(PublishRequest(description(), [publish_file(csv_file(tmp_path))]))
    assert err.value.status == 401
    assert not fault_proxy.requests("POST"), "nothing may be written with a refused key"


def test_unknown_licence_refused_before_anything_is_sent(adapter, fault_proxy, tmp_path):
    with pytest.raises(PortalError) as err:
        adapter.publish(PublishRequest(description(licence="licence-maison"), [publish_file(csv_file(tmp_path))]))
    assert err.value.kind == "licence"
    assert "lov2" in str(err.value) and "licence non spécifiée" in str(err.value)
    assert not fault_proxy.requests("POST") and not fault_proxy.requests("PUT")


def test_organisation_the_key_cannot_publish_for_is_refused(fault_proxy, authcfg, udata_portal, tmp_path):
    adapter = make_adapter(fault_proxy, authcfg, org=udata_portal["other_org_id"])
    with pytest.raises(PortalError) as err:
        adapter.publish(PublishRequest(description(), [publish_file(csv_file(tmp_path))]))
    assert err.value.kind == "forbidden" and "Orléans Métropole test" in str(err.value)
    assert not fault_proxy.requests("POST")


# --- create, update, delete --------------------------------------------------------------------------------


def test_create_uploads_and_sets_schema(adapter, udata_portal, tmp_path):
    path = csv_file(tmp_path)
    progress = []
    result = adapter.publish(
        PublishRequest(description(), [publish_file(path)]), progress=lambda d, t, s: progress.append((d, t))
    )
    assert result.created
    remote = api(udata_portal, "GET", f"datasets/{result.ref.dataset_id}/")
    assert remote["license"] == "lov2"
    assert remote["frequency"] == "annual"
    assert remote["organization"]["id"] == udata_portal["org_id"]
    assert remote["spatial"]["zones"] == ["fr:epci:244500468"]
    assert remote["temporal_coverage"] == {"start": "2024-01-01", "end": "2024-12-31"}
    assert set(remote["tags"]) == {"stationnement", "mobilite"}
    assert remote["private"] is False
    assert result.dataset_url == remote["page"] and remote["page"]
    [resource] = remote["resources"]
    assert resource["id"] == result.ref.resource_ids["csv"]
    assert resource["title"] == "Stationnement (CSV)"
    assert resource["schema"]["name"] == SCHEMA and resource["schema"]["version"] == "0.2.3"
    assert resource["checksum"]["value"] == sha1(path)
    assert result.resource_urls["csv"] == resource["url"]
    assert progress and progress[-1][0] == progress[-1][1] == path.stat().st_size


def test_update_merges_and_never_duplicates(adapter, udata_portal, tmp_path):
    path = csv_file(tmp_path)
    first = adapter.publish(PublishRequest(description(title="Parkings à mettre à jour"), [publish_file(path)]))
    dataset_id = first.ref.dataset_id
    # the agent edits the dataset on the portal: adds a tag and a short description
    remote = api(udata_portal, "GET", f"datasets/{dataset_id}/")
    edited = {k: remote[k] for k in ("title", "description", "license", "frequency", "private", "temporal_coverage")}
    edited.update(tags=remote["tags"] + ["ajout-portail"], description_short="Résumé saisi sur le portail")
    edited["spatial"] = {"zones": remote["spatial"]["zones"], "granularity": remote["spatial"]["granularity"]}
    api(udata_portal, "PUT", f"datasets/{dataset_id}/", edited)

    path2 = csv_file(tmp_path, rows=7, name="stationnement-v2.csv")
    desc = description(title="Parkings mis à jour", keywords=("stationnement", "vélo"))
    second = adapter.publish(PublishRequest(desc, [publish_file(path2)], ref=first.ref))
    assert not second.created and second.ref.dataset_id == dataset_id
    remote = api(udata_portal, "GET", f"datasets/{dataset_id}/")
    assert remote["title"] == "Parkings mis à jour"
    assert {"ajout-portail", "stationnement", "mobilite", "velo"} <= set(remote["tags"])
    assert remote["description_short"] == "Résumé saisi sur le portail"
    assert remote["temporal_coverage"] == {"start": "2024-01-01", "end": "2024-12-31"}
    assert len(remote["resources"]) == 1
    assert remote["resources"][0]["id"] == first.ref.resource_ids["csv"]
    assert remote["resources"][0]["checksum"]["value"] == sha1(path2)
    assert remote["resources"][0]["schema"]["name"] == SCHEMA
    # same again without the stored resource id: found by title, still no duplicate
    third = adapter.publish(
        PublishRequest(desc, [publish_file(path2)], ref=DatasetRef("udata", adapter.connection.base_url, dataset_id))
    )
    assert third.ref.resource_ids == first.ref.resource_ids
    assert len(api(udata_portal, "GET", f"datasets/{dataset_id}/")["resources"]) == 1


def test_deleted_dataset_detected_then_recreated(adapter, udata_portal, tmp_path):
    path = csv_file(tmp_path)
    first = adapter.publish(PublishRequest(description(), [publish_file(path)]))
    network.request(
        "DELETE",
        f"{udata_portal['base_url']}/api/1/datasets/{first.ref.dataset_id}/",
        headers={"X-API-KEY": udata_portal["api_key"]},
    )
    assert adapter.dataset_exists(first.ref) is False
    with pytest.raises(PortalError) as err:
        adapter.publish(PublishRequest(description(), [publish_file(path)], ref=first.ref))
    assert err.value.kind == "deleted" and "recréer" in str(err.value)
    again = adapter.publish(
        PublishRequest(description(), [publish_file(path)], ref=first.ref, recreate_if_deleted=True)
    )
    assert again.created and again.ref.dataset_id != first.ref.dataset_id
    assert adapter.dataset_exists(again.ref)
    assert len(api(udata_portal, "GET", f"datasets/{again.ref.dataset_id}/")["resources"]) == 1


# --- large files: chunked upload ---------------------------------------------------------------------------


def big_file(tmp_path: Path, size_mb=2.5) -> Path:
    path = tmp_path / "gros.csv"
    line = b"1234567890,abcdefghijklmnopqrstuvwxyz,ABCDEFGHIJKLMNOPQRSTUVWXYZ\n"
    with open(path, "wb") as handle:
        handle.write(b"code,texte,texte2\n")
        handle.write(line * int(size_mb * 1024 * 1024 / len(line)))
    return path


def chunk_posts(proxy):
    return [s for s in proxy.requests("POST", r"/upload/$") if s.form_field("partindex")]


def test_chunked_upload_above_threshold(fault_proxy, authcfg, udata_portal, tmp_path):
    adapter = make_adapter(fault_proxy, authcfg, chunk_size_mb=1)
    path = big_file(tmp_path)
    result = adapter.publish(PublishRequest(description(), [publish_file(path)]))
    parts = chunk_posts(fault_proxy)
    assert [p.form_field("partindex") for p in parts] == ["0", "1", "2"]
    assert {p.form_field("uuid") for p in parts} == {parts[0].form_field("uuid")}
    assert all(int(p.form_field("chunksize")) <= 1024 * 1024 for p in parts)
    [resource] = api(udata_portal, "GET", f"datasets/{result.ref.dataset_id}/")["resources"]
    assert resource["checksum"]["value"] == sha1(path) and resource["filesize"] == path.stat().st_size
    assert resource["schema"]["name"] == SCHEMA


def test_500_on_one_chunk_resends_only_that_part(fault_proxy, authcfg, udata_portal, tmp_path):
    adapter = make_adapter(fault_proxy, authcfg, chunk_size_mb=1)
    fault_proxy.add(Rule("status", method="POST", path=r"/upload/$", body_contains=b'"partindex"\r\n\r\n1\r\n'))
    path = big_file(tmp_path)
    result = adapter.publish(PublishRequest(description(), [publish_file(path)]))
    parts = chunk_posts(fault_proxy)
    assert [p.form_field("partindex") for p in parts] == ["0", "1", "1", "2"]
    assert parts[1].action == "status" and len({p.form_field("uuid") for p in parts}) == 1
    [resource] = api(udata_portal, "GET", f"datasets/{result.ref.dataset_id}/")["resources"]
    assert resource["checksum"]["value"] == sha1(path)


def test_chunk_stored_but_answer_lost_restarts_under_new_uuid(fault_proxy, authcfg, udata_portal, tmp_path):
    adapter = make_adapter(fault_proxy, authcfg, chunk_size_mb=1)
    # udata stores part 1 but the client gets a 500: re-sending it hits udata's own 500 (FileExists)
    fault_proxy.add(Rule("status_after", method="POST", path=r"/upload/$", body_contains=b'"partindex"\r\n\r\n1\r\n'))
    path = big_file(tmp_path)
    result = adapter.publish(PublishRequest(description(), [publish_file(path)]))
    parts = chunk_posts(fault_proxy)
    uuids = [p.form_field("uuid") for p in parts]
    assert len(set(uuids)) == 2, "the upload must restart under a new uuid"
    assert parts[2].status == 500 and parts[2].action == "forward", "udata itself refused the re-sent part"
    assert [p.form_field("partindex") for p in parts if p.form_field("uuid") == uuids[-1]] == ["0", "1", "2"]
    [resource] = api(udata_portal, "GET", f"datasets/{result.ref.dataset_id}/")["resources"]
    assert resource["checksum"]["value"] == sha1(path)


# --- faults on plain requests ------------------------------------------------------------------------------


def test_slow_get_is_retried(fault_proxy, authcfg, udata_portal):
    adapter = make_adapter(fault_proxy, authcfg, timeout_s=1)
    fault_proxy.add(Rule("delay", method="GET", path=r"/me/$", seconds=2.5))
    orgs = adapter.test_connection()
    assert [o.id for o in orgs] == [udata_portal["org_id"]]
    assert len(fault_proxy.requests("GET", r"/me/$")) == 2


def test_upload_timeout_is_not_retried_and_creates_nothing(fault_proxy, authcfg, udata_portal, tmp_path):
    adapter = make_adapter(fault_proxy, authcfg, timeout_s=1)
    fault_proxy.add(Rule("stall", method="POST", path=r"/upload/$", seconds=3))
    path = csv_file(tmp_path)
    with pytest.raises(PortalError) as err:
        adapter.publish(PublishRequest(description(), [publish_file(path)]))
    assert err.value.kind == "timeout" and "Pas de réponse" in str(err.value)
    assert len(fault_proxy.requests("POST", r"/upload/$")) == 1, "a plain upload is never re-sent blindly"
    dataset_id = err.value.ref.dataset_id
    assert api(udata_portal, "GET", f"datasets/{dataset_id}/")["resources"] == []
    # publishing again (the agent retries) updates the same dataset: one resource, no copy
    result = adapter.publish(PublishRequest(description(), [publish_file(path)], ref=err.value.ref))
    assert result.ref.dataset_id == dataset_id
    assert len(api(udata_portal, "GET", f"datasets/{dataset_id}/")["resources"]) == 1


def test_reset_after_udata_stored_a_new_resource_never_duplicates(fault_proxy, authcfg, udata_portal, tmp_path):
    # a front proxy cuts the answer after udata stored the file: Qt must not send the upload again by itself
    # (it would, up to 3 times); the adapter finds the stored file by its SHA-1 and adopts it
    adapter = make_adapter(fault_proxy, authcfg)
    fault_proxy.add(Rule("forward_reset", method="POST", path=r"/datasets/[^/]+/upload/$"))
    path = csv_file(tmp_path)
    result = adapter.publish(PublishRequest(description(), [publish_file(path)]))
    assert [s.action for s in fault_proxy.requests("POST", r"/upload/$")] == ["forward_reset"]
    remote = api(udata_portal, "GET", f"datasets/{result.ref.dataset_id}/")
    assert len(remote["resources"]) == 1 and remote["resources"][0]["checksum"]["value"] == sha1(path)
    assert result.ref.resource_ids["csv"] == remote["resources"][0]["id"]


def test_connection_reset_mid_upload_of_a_replacement(fault_proxy, authcfg, udata_portal, tmp_path):
    adapter = make_adapter(fault_proxy, authcfg)
    path1 = csv_file(tmp_path)
    first = adapter.publish(PublishRequest(description(), [publish_file(path1)]))
    fault_proxy.add(Rule("reset", method="POST", path=r"/resources/.+/upload/$"))
    path2 = csv_file(tmp_path, rows=50, name="v2.csv")
    # Qt itself re-sends a request whose connection dropped before any answer (nothing reached udata here):
    # allowed only for replacing a resource's file, safe to repeat: still one resource, holding the new file
    result = adapter.publish(PublishRequest(description(), [publish_file(path2)], ref=first.ref))
    actions = [s.action for s in fault_proxy.requests("POST", r"/resources/.+/upload/$")]
    assert actions == ["reset", "forward"]
    remote = api(udata_portal, "GET", f"datasets/{first.ref.dataset_id}/")
    assert len(remote["resources"]) == 1 and remote["resources"][0]["checksum"]["value"] == sha1(path2)
    assert result.ref.resource_ids == first.ref.resource_ids


def test_chunk_failing_every_time_gives_up_without_a_resource(fault_proxy, authcfg, udata_portal, tmp_path):
    adapter = make_adapter(fault_proxy, authcfg, chunk_size_mb=1)
    part1 = b'"partindex"\r\n\r\n1\r\n'
    fault_proxy.add(Rule("status", method="POST", path=r"/upload/$", body_contains=part1, times=1000))
    path = big_file(tmp_path)
    with pytest.raises(PortalError) as err:
        adapter.publish(PublishRequest(description(), [publish_file(path)]))
    assert err.value.kind == "server" and "Internal Server Error" in str(err.value)
    assert "plusieurs parties" in str(err.value) and "aucune ressource" in str(err.value)
    parts = chunk_posts(fault_proxy)
    uuids = {p.form_field("uuid") for p in parts}
    assert len(uuids) == 1 + adapter.max_upload_restarts
    assert not [p for p in fault_proxy.requests("POST", r"/upload/$") if not p.form_field("partindex")], (
        "never asked to combine an incomplete upload"
    )
    assert api(udata_portal, "GET", f"datasets/{err.value.ref.dataset_id}/")["resources"] == []


def test_413_from_the_proxy(fault_proxy, authcfg, udata_portal, tmp_path):
    adapter = make_adapter(fault_proxy, authcfg)
    html = (
        b"<html><head><title>413 Request Entity Too Large</title></head>"
        b"<body><h1>413 Request Entity Too Large</h1></body></html>"
    )
    fault_proxy.add(Rule("status", method="POST", path=r"/upload/$", status=413, body=html, content_type="text/html"))
    with pytest.raises(PortalError) as err:
        adapter.publish(PublishRequest(description(), [publish_file(csv_file(tmp_path))]))
    assert err.value.kind == "too-large" and err.value.status == 413
    assert "Request Entity Too Large" in str(err.value) and "parties" in str(err.value)
    assert "<html>" not in str(err.value)
    assert len(fault_proxy.requests("POST", r"/upload/$")) == 1
    assert api(udata_portal, "GET", f"datasets/{err.value.ref.dataset_id}/")["resources"] == []


def test_api_key_never_in_messages(fault_proxy, authcfg, udata_portal, tmp_path):
    adapter = make_adapter(fault_proxy, authcfg)
    fault_proxy.add(Rule("status", method="POST", path=r"/datasets/$", status=500))
    with pytest.raises(PortalError) as err:
        adapter.publish(PublishRequest(description(), [publish_file(csv_file(tmp_path))]))
    assert err.value.kind == "server" and "Internal Server Error" in str(err.value)
    assert udata_portal["api_key"] not in str(err.value) + repr(err.value.__dict__)
    assert len(fault_proxy.requests("POST", r"/datasets/$")) == 1, "a create POST is not retried"


# --- create POST whose answer is lost --------------------------------------------------------------------


def org_datasets_titled(portal, title):
    """The organisation's live datasets with this title, read straight from udata (not the adapter's lookup)."""
    page = api(portal, "GET", f"organizations/{portal['org_id']}/datasets/?page_size=1000")
    return [d for d in page["data"] if d["title"] == title and not d.get("deleted")]


def test_create_answer_lost_then_publish_again_adopts_the_dataset(fault_proxy, adapter, udata_portal, tmp_path):
    # udata stores the dataset but the connection is cut before its answer, and the lookup that follows fails
    # too (the one before the create passes): the first attempt ends in a French error with no reference
    fault_proxy.add(Rule("forward_reset", method="POST", path=r"/api/1/datasets/$"))
    fault_proxy.add(Rule("status", method="GET", path=r"/me/org_datasets/", status=503, times=100, skip=1))
    adapter.late_write_grace_s = 0  # one lookup after the lost answer, failing too
    desc = description()
    path = csv_file(tmp_path)
    with pytest.raises(PortalError) as err:
        adapter.publish(PublishRequest(desc, [publish_file(path)]))
    assert err.value.kind == "network" and err.value.ref is None
    message = str(err.value)
    assert "coupée pendant la création du jeu de données" in message
    assert "la prochaine publication le retrouvera" in message and "sans risque" not in message
    [post] = fault_proxy.requests("POST", r"/api/1/datasets/$")
    assert post.action == "forward_reset" and post.status == 201, "udata did create the dataset"
    [stored] = org_datasets_titled(udata_portal, desc.title)
    assert stored["extras"]["opendata_publisher:key"]

    # the portal is healthy again; the agent publishes again (no stored reference): the dataset is adopted
    fault_proxy.reset()
    result = adapter.publish(PublishRequest(desc, [publish_file(path)]))
    assert not result.created and result.ref.dataset_id == stored["id"]
    assert any("au lieu d'être créé en double" in m for m in result.messages)
    assert not fault_proxy.requests("POST", r"/api/1/datasets/$"), "no second create"
    [remote] = org_datasets_titled(udata_portal, desc.title)
    assert remote["id"] == stored["id"]
    [resource] = api(udata_portal, "GET", f"datasets/{stored['id']}/")["resources"]
    assert resource["checksum"]["value"] == sha1(path) and resource["id"] == result.ref.resource_ids["csv"]


def test_create_answer_lost_is_recovered_in_the_same_publication(fault_proxy, adapter, udata_portal, tmp_path):
    fault_proxy.add(Rule("forward_reset", method="POST", path=r"/api/1/datasets/$"))
    desc = description()
    path = csv_file(tmp_path)
    result = adapter.publish(PublishRequest(desc, [publish_file(path)]))
    assert [s.action for s in fault_proxy.requests("POST", r"/api/1/datasets/$")] == ["forward_reset"]
    assert result.created and any("sans doublon" in m for m in result.messages)
    [remote] = org_datasets_titled(udata_portal, desc.title)
    assert remote["id"] == result.ref.dataset_id
    [resource] = api(udata_portal, "GET", f"datasets/{remote['id']}/")["resources"]
    assert resource["checksum"]["value"] == sha1(path)


def test_create_timeout_then_late_creation_is_adopted(fault_proxy, authcfg, udata_portal, tmp_path):
    # the answer comes after the client gave up (timeout): udata creates the dataset after our lookup
    adapter = make_adapter(fault_proxy, authcfg, org=udata_portal["org_slug"], timeout_s=1)
    adapter.late_write_grace_s = 0  # do not watch for the late creation: the next publication must find it
    fault_proxy.add(Rule("delay", method="POST", path=r"/api/1/datasets/$", seconds=1.5))
    desc = description()
    path = csv_file(tmp_path)
    with pytest.raises(PortalError) as err:
        adapter.publish(PublishRequest(desc, [publish_file(path)]))
    assert err.value.kind == "timeout" and "Pas de réponse" in str(err.value) and err.value.ref is None
    for _ in range(50):  # wait until the proxy has forwarded the delayed POST and udata answered
        if fault_proxy.requests("POST", r"/api/1/datasets/$")[0].status:
            break
        time.sleep(0.1)
    result = adapter.publish(PublishRequest(desc, [publish_file(path)]))
    assert not result.created
    assert len(fault_proxy.requests("POST", r"/api/1/datasets/$")) == 1
    [remote] = org_datasets_titled(udata_portal, desc.title)
    assert remote["id"] == result.ref.dataset_id and len(remote["resources"]) == 1


def test_create_timeout_then_late_creation_is_found_in_the_same_publication(
    fault_proxy, authcfg, udata_portal, tmp_path
):
    adapter = make_adapter(fault_proxy, authcfg, org=udata_portal["org_slug"], timeout_s=1)
    fault_proxy.add(Rule("delay", method="POST", path=r"/api/1/datasets/$", seconds=1.5))
    desc = description()
    result = adapter.publish(PublishRequest(desc, [publish_file(csv_file(tmp_path))]))
    assert any("sans doublon" in m for m in result.messages)
    assert len(fault_proxy.requests("POST", r"/api/1/datasets/$")) == 1
    [remote] = org_datasets_titled(udata_portal, desc.title)
    assert remote["id"] == result.ref.dataset_id and len(remote["resources"]) == 1 and not remote["private"]


def test_create_refused_by_a_proxy_then_created_once(fault_proxy, adapter, udata_portal, tmp_path):
    # nothing reached udata (a 502 from the front proxy): the lookup finds nothing, the next publication creates
    fault_proxy.add(Rule("status", method="POST", path=r"/api/1/datasets/$", status=502))
    desc = description()
    with pytest.raises(PortalError) as err:
        adapter.publish(PublishRequest(desc, [publish_file(csv_file(tmp_path))]))
    assert err.value.kind == "server" and err.value.ref is None and "prochaine publication" in str(err.value)
    assert org_datasets_titled(udata_portal, desc.title) == []
    result = adapter.publish(PublishRequest(desc, [publish_file(csv_file(tmp_path))]))
    assert result.created
    assert [d["id"] for d in org_datasets_titled(udata_portal, desc.title)] == [result.ref.dataset_id]


def test_marked_dataset_of_another_owner_or_identity_is_not_adopted(fault_proxy, adapter, udata_portal, tmp_path):
    desc = description()
    key = dataset_key(desc)
    # same title and key, but owned by the user, not the organisation
    mine = api(
        udata_portal, "POST", "datasets/", {"title": desc.title, "description": "x", "extras": {MARKER_KEY: key}}
    )
    # same title and organisation, but another identity
    other = api(
        udata_portal,
        "POST",
        "datasets/",
        {
            "title": desc.title,
            "description": "x",
            "organization": udata_portal["org_id"],
            "extras": {MARKER_KEY: "v1-x"},
        },
    )
    result = adapter.publish(PublishRequest(desc, [publish_file(csv_file(tmp_path))]))
    assert result.created and result.ref.dataset_id not in (mine["id"], other["id"])
    remote = api(udata_portal, "GET", f"datasets/{result.ref.dataset_id}/")
    assert remote["extras"][MARKER_KEY] == key and remote["organization"]["id"] == udata_portal["org_id"]


def test_dataset_key_follows_the_identifier_else_the_title():
    assert dataset_key(description(title="Parkings")) == dataset_key(description(title="  parkings "))
    assert dataset_key(description(title="Parkings")) != dataset_key(description(title="Vélos"))
    a, b = description(title="Parkings"), description(title="Autre titre")
    a.identifier = b.identifier = "https://data.example.org/parkings"
    assert dataset_key(a) == dataset_key(b)


def test_dry_run_reports_the_dataset_it_would_adopt(fault_proxy, adapter, udata_portal, tmp_path):
    desc = description()
    first = adapter.publish(PublishRequest(desc, [publish_file(csv_file(tmp_path))]))
    fault_proxy.reset()
    trial = adapter.publish(PublishRequest(desc, [publish_file(csv_file(tmp_path))], dry_run=True))
    assert not trial.created and trial.ref.dataset_id == first.ref.dataset_id
    assert not fault_proxy.requests("POST") and not fault_proxy.requests("PUT")


def test_schema_version_unknown_to_the_portal_sends_the_name_and_says_so(adapter, udata_portal, tmp_path):
    # the portal's catalogue lists 0.1.0, 0.2.0, 0.2.2, 0.2.3 for stationnement: udata refuses another version
    item = publish_file(csv_file(tmp_path))
    item.schema_version = "0.1.5"
    result = adapter.publish(PublishRequest(description(), [item]))
    resource = api(udata_portal, "GET", f"datasets/{result.ref.dataset_id}/")["resources"][0]
    assert resource["schema"]["name"] == SCHEMA
    assert any("0.1.5" in m and "sans numéro de version" in m for m in result.messages)


def test_two_datasets_with_our_key_are_named_and_the_one_with_files_is_updated(adapter, udata_portal, tmp_path):
    desc = description()
    path = csv_file(tmp_path)
    first = adapter.publish(PublishRequest(desc, [publish_file(path)]))
    # an empty copy carrying our key (left by a creation whose answer came after the agent retried)
    payload = adapter.build_payload(desc, [], udata_portal["org_id"])
    copy = api(udata_portal, "POST", "datasets/", dict(payload, private=True))
    result = adapter.publish(PublishRequest(desc, [publish_file(path)]))  # no stored reference (qgis_process)
    assert result.ref.dataset_id == first.ref.dataset_id
    [note] = [m for m in result.messages if "portent la marque" in m]
    assert copy["id"] in note or copy["slug"] in note
    assert len(api(udata_portal, "GET", f"datasets/{first.ref.dataset_id}/")["resources"]) == 1


def test_resource_update_failing_after_the_upload_then_rerun_without_reference(
    fault_proxy, adapter, udata_portal, tmp_path
):
    # the file is stored, then every PUT of the resource answers 500; the agent re-runs from qgis_process without
    # any stored reference: the dataset is found by its key, the resource by its content, no second CSV
    fault_proxy.add(Rule("status", method="PUT", path=r"/resources/[^/]+/$", times=10))
    desc = description()
    path = csv_file(tmp_path)
    with pytest.raises(PortalError) as err:
        adapter.publish(PublishRequest(desc, [publish_file(path)]))
    assert err.value.status == 500
    fault_proxy.reset()
    result = adapter.publish(PublishRequest(desc, [publish_file(path)]))
    assert not fault_proxy.requests("POST", r"/upload/$"), "the stored file is reused, not sent again"
    [resource] = api(udata_portal, "GET", f"datasets/{result.ref.dataset_id}/")["resources"]
    assert resource["checksum"]["value"] == sha1(path) and resource["title"] == "Stationnement (CSV)"
    assert resource["extras"]["opendata_publisher:key"] == f"{dataset_key(desc)}:csv"
    assert resource["schema"]["name"] == SCHEMA
