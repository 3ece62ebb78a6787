"""OpendatasoftAdapter end to end against the local Automation API whose every exchange is validated against the
official OpenAPI spec (tests/portals/ods_server.py), with fault injection."""

from __future__ import annotations

import json
import secrets

import pytest
from qgis.core import QgsFeedback

from opendata_publisher.core.metadata.model import ContactPoint, DatasetDescription, Organisation, SchemaRef
from opendata_publisher.core.portals.base import DatasetRef, PortalConnection, PortalError, PublishFile, PublishRequest
from opendata_publisher.core.portals.opendatasoft import OpendatasoftAdapter
from opendata_publisher.toolbelt.network import NetworkError, request
from tests.portals.ods_server import API_PREFIX, DomainConfig, OdsServer, ods_server, require_spec  # noqa: F401

TEST_MASTER_PASSWORD = "opendata-publisher-tests"  # throw-away auth database of the test profile
FREQ = "http://publications.europa.eu/resource/authority/frequency/"


def _store_key(key: str) -> str:
    from qgis.core import QgsApplication

    from opendata_publisher.toolbelt.auth import store_api_key

    manager = QgsApplication.authManager()
    if not manager.masterPasswordIsSet() and not manager.setMasterPassword(TEST_MASTER_PASSWORD, True):
        pytest.skip("the QGIS authentication database of the test profile is locked by another master password")
    return store_api_key("ODS test", key)


def make_adapter(server: OdsServer, timeout_s: int = 5) -> OpendatasoftAdapter:
    connection = PortalConnection(
        name="Portail test",
        portal_type="opendatasoft",
        base_url=server.base_url,
        authcfg=_store_key(server.api_key),
        timeout_s=timeout_s,
    )
    adapter = OpendatasoftAdapter(connection)
    adapter.poll_interval_s = 0.02
    adapter.retry_delays = (0.05, 0.1)
    return adapter


def description(title="Stationnements vélo d'Orléans Métropole", licence="etalab-2.0") -> DatasetDescription:
    return DatasetDescription(
        title=title,
        description="Emplacements de stationnement vélo.\n\nMis à jour chaque année.",
        keywords=["stationnements", "vélos", "données ouvertes"],
        eu_themes=["TRAN"],
        publisher=Organisation(name="Orléans Métropole"),
        producer=Organisation(name="Orléans Métropole"),
        contact=ContactPoint(name="Service SIG", email="sig@orleans-metropole.fr"),
        frequency="ANNUAL",
        language="FRA",
        licence=licence,
        schema=SchemaRef(name="etalab/schema-stationnement", version="0.2.3"),
    )


@pytest.fixture
def files(tmp_path):
    geojson = tmp_path / "stationnements.geojson"
    geojson.write_text(json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8")
    csv = tmp_path / "stationnements.csv"
    csv.write_text("id,capacite\n1,10\n", encoding="utf-8")
    return [
        PublishFile(path=csv, format="csv", title="Stationnements (CSV)"),
        PublishFile(path=geojson, format="geojson", title="Stationnements"),
    ]


def only_dataset(server: OdsServer):
    assert len(server.datasets) == 1, f"expected one dataset, got {list(server.datasets)}"
    uid = next(iter(server.datasets))
    return uid, server.datasets[uid]


# --- end to end -------------------------------------------------------------------------------------


def test_create_then_update_merges_metadata_and_replaces_the_file(ods_server, files):  # noqa: F811
    adapter = make_adapter(ods_server)
    steps = []
    result = adapter.publish(
        PublishRequest(description=description(), files=files), progress=lambda d, t, label: steps.append(label)
    )
    uid, dataset = only_dataset(ods_server)
    assert result.created
    assert result.ref.dataset_id == uid
    assert result.dataset_url == f"{ods_server.base_url}/explore/dataset/stationnements-velo-d-orleans-metropole/"
    assert result.resource_urls["csv"].endswith("/catalog/datasets/stationnements-velo-d-orleans-metropole/exports/csv")
    assert dataset["is_published"]
    meta = dataset["metadata"]
    assert meta["default"]["title"]["value"] == "Stationnements vélo d'Orléans Métropole"
    assert meta["default"]["description"]["value"].startswith("<p>Emplacements de stationnement vélo.</p><p>")
    assert meta["default"]["keyword"]["value"] == ["stationnements", "vélos", "données ouvertes"]
    assert meta["default"]["language"]["value"] == "fr"
    assert meta["default"]["publisher"]["value"] == "Orléans Métropole"
    assert meta["internal"]["license_id"]["value"] == "9x2kq7h"  # the domain's id of « Licence Ouverte v2.0 »
    assert meta["internal"]["theme_id"]["value"] == ["t7aa1b2"]  # « Transports, Déplacements »
    assert meta["dcat"]["accrualperiodicity"]["value"] == FREQ + "ANNUAL"
    assert meta["dcat"]["contact_email"]["value"] == "sig@orleans-metropole.fr"
    # the schema the data follows, in the DCAT template (spec-validated server)
    assert meta["dcat"]["conforms_to"]["value"] == (
        "https://schema.data.gouv.fr/schemas/etalab/schema-stationnement/0.2.3/schema.json"
    )
    assert "inspire" not in meta  # not active on this domain: never sent
    # one resource: the GeoJSON (preferred), read with the extractor the portal guessed
    (resource,) = ods_server.resources[uid].values()
    assert resource["type"] == "geojson"
    file_uid = resource["datasource"]["file"]["uid"]
    assert ods_server.files[uid][file_uid]["content"] == files[1].path.read_bytes()
    assert result.ref.resource_ids == {"geojson": resource["uid"]}
    assert any("un seul fichier" in m for m in result.messages)
    assert "Publication terminée" in steps
    # the key went in the Authorization header, never in a URL
    assert all(e.status != 401 for e in ods_server.exchanges)
    assert not any("apikey" in q for e in ods_server.exchanges for q in e.query)

    # the portal's administrator adds a field we do not manage; the agent changes the title and the data
    meta["default"]["attributions"] = {"value": "Données : Orléans Métropole"}
    files[1].path.write_text(json.dumps({"type": "FeatureCollection", "features": [{"n": 1}]}), encoding="utf-8")
    again = adapter.publish(
        PublishRequest(description=description(title="Stationnements vélo 2025"), files=files, ref=result.ref)
    )
    uid2, dataset = only_dataset(ods_server)
    assert uid2 == uid and not again.created
    assert again.ref.resource_ids == result.ref.resource_ids  # same resource, new file
    (resource,) = ods_server.resources[uid].values()
    assert ods_server.files[uid][resource["datasource"]["file"]["uid"]]["content"] == files[1].path.read_bytes()
    assert dataset["metadata"]["default"]["title"]["value"] == "Stationnements vélo 2025"
    assert dataset["metadata"]["default"]["attributions"]["value"] == "Données : Orléans Métropole"  # not wiped
    assert dataset["metadata"]["internal"]["license_id"]["value"] == "9x2kq7h"
    assert len(ods_server.calls("POST", r"/datasets/")) == 1
    assert len(ods_server.calls("POST", r"/datasets/[^/]+/publish/")) == 2


def test_licence_and_theme_ids_are_read_from_the_domain_and_matched_by_label_or_url(files):
    require_spec()
    cc_id, lo_id, theme_id = (secrets.token_hex(4) for _ in range(3))
    domain = DomainConfig(
        licences={lo_id: "Licence Ouverte / Open Licence", cc_id: "https://creativecommons.org/licenses/by/4.0/"},
        themes={theme_id: "Mobilité et transports", "x1": "Culture"},
    )
    server = OdsServer(domain).start()
    try:
        adapter = make_adapter(server)
        licences = {lic.id: lic for lic in adapter.licences()}
        assert licences[cc_id].url == "https://creativecommons.org/licenses/by/4.0/"
        adapter.publish(PublishRequest(description=description(licence="CC-BY-4.0"), files=files))
        _uid, dataset = only_dataset(server)
        assert dataset["metadata"]["internal"]["license_id"]["value"] == cc_id  # matched by URL
        assert dataset["metadata"]["internal"]["theme_id"]["value"] == [theme_id]  # matched by label word

        adapter.publish(PublishRequest(description=description(title="Autre", licence="etalab-2.0"), files=files))
        other = [d for d in server.datasets.values() if d["dataset_id"] == "autre"][0]
        assert other["metadata"]["internal"]["license_id"]["value"] == lo_id  # matched by label

        before = len(server.datasets)
        with pytest.raises(PortalError) as info:
            adapter.publish(PublishRequest(description=description(title="ODbL", licence="ODbL-1.0"), files=files))
        assert info.value.kind == "licence"
        assert "Open Database License" in str(info.value) and "Licence Ouverte / Open Licence" in str(info.value)
        assert len(server.datasets) == before  # nothing created, never silently replaced
    finally:
        server.stop()
    assert not server.violations, server.violations


def test_status_polling_waits_for_the_end_of_processing(ods_server, files):  # noqa: F811
    ods_server.processing_polls = 5
    adapter = make_adapter(ods_server)
    adapter.publish(PublishRequest(description=description(), files=files))
    polls = ods_server.calls("GET", r"/datasets/[^/]+/status/")
    assert len(polls) >= 6  # the state before publishing + 5 polls until idle
    _uid, dataset = only_dataset(ods_server)
    assert dataset["is_published"]


def test_failed_processing_is_reported_and_the_retry_updates_the_same_dataset(ods_server, files):  # noqa: F811
    ods_server.fail_next_processing = "Geometry column could not be parsed"
    adapter = make_adapter(ods_server)
    with pytest.raises(PortalError) as info:
        adapter.publish(PublishRequest(description=description(), files=files))
    error = info.value
    assert error.kind == "invalid"
    assert "a échoué" in str(error) and "Geometry column could not be parsed" in str(error)
    assert "Invalid geometry" in str(error)  # the record errors
    uid, _ = only_dataset(ods_server)
    assert error.ref.dataset_id == uid

    result = adapter.publish(PublishRequest(description=description(), files=files, ref=error.ref))
    assert not result.created and result.ref.dataset_id == uid
    only_dataset(ods_server)
    assert len(ods_server.resources[uid]) == 1


def test_polling_gives_up_after_the_time_limit(ods_server, files):  # noqa: F811
    ods_server.processing_polls = 10_000
    adapter = make_adapter(ods_server)
    adapter.poll_timeout_s = 0.3
    with pytest.raises(PortalError) as info:
        adapter.publish(PublishRequest(description=description(), files=files))
    assert info.value.kind == "timeout" and "traite toujours" in str(info.value)


def test_cancel_stops_before_anything_is_written(ods_server, files):  # noqa: F811
    adapter = make_adapter(ods_server)
    feedback = QgsFeedback()
    feedback.cancel()
    with pytest.raises(PortalError) as info:
        adapter.publish(PublishRequest(description=description(), files=files), feedback=feedback)
    assert info.value.kind == "cancelled"
    assert not ods_server.datasets


def test_connection_check_lists_the_domain(ods_server):  # noqa: F811
    adapter = make_adapter(ods_server)
    (org,) = adapter.test_connection()
    assert org.id == "127.0.0.1"
    assert set(adapter.permissions) >= {"create_dataset", "edit_dataset", "publish_dataset"}
    assert ods_server.calls("GET", r"/apikeys/")


# --- fault injection --------------------------------------------------------------------------------


def test_timeout_on_an_idempotent_read_is_retried(ods_server, files):  # noqa: F811
    adapter = make_adapter(ods_server, timeout_s=1)
    ods_server.fault("GET", r"/metadata/templates/", delay=2.0)
    result = adapter.publish(PublishRequest(description=description(), files=files))
    assert result.created
    assert len(ods_server.calls("GET", r"/metadata/templates/")) == 2
    only_dataset(ods_server)


def test_timeout_on_upload_is_not_retried_and_the_next_try_does_not_duplicate(ods_server, files):  # noqa: F811
    adapter = make_adapter(ods_server, timeout_s=1)
    ods_server.fault("POST", r"/datasets/[^/]+/resources/files/", delay=2.5)
    with pytest.raises(PortalError) as info:
        adapter.publish(PublishRequest(description=description(), files=files))
    assert info.value.kind == "timeout"
    assert "pas de doublon" in str(info.value)
    assert len(ods_server.calls("POST", r"/datasets/[^/]+/resources/files/")) == 1  # never blindly re-sent
    adapter.publish(PublishRequest(description=description(), files=files, ref=info.value.ref))
    uid, _ = only_dataset(ods_server)
    assert len(ods_server.resources[uid]) == 1


def test_500_on_upload_gives_the_portal_text_and_a_retry_without_ref_reuses_the_leftover(ods_server, files):  # noqa: F811
    adapter = make_adapter(ods_server)
    ods_server.fault(
        "POST",
        r"/datasets/[^/]+/resources/files/",
        status=500,
        body={"error_code": "internal_error", "message": "Storage backend unavailable", "trace_id": "t-42"},
    )
    with pytest.raises(PortalError) as info:
        adapter.publish(PublishRequest(description=description(), files=files))
    assert info.value.kind == "server" and info.value.status == 500
    assert "Storage backend unavailable" in str(info.value)
    # the stored reference was lost: publishing again finds the empty, unpublished dataset and reuses it
    result = adapter.publish(PublishRequest(description=description(), files=files))
    uid, _ = only_dataset(ods_server)
    assert result.ref.dataset_id == uid
    assert len(ods_server.resources[uid]) == 1


def test_connection_reset_mid_upload(ods_server, files):  # noqa: F811
    adapter = make_adapter(ods_server)
    big = files[1].path
    big.write_bytes(b'{"type": "FeatureCollection", "features": [' + b" " * 300_000 + b"]}")
    # Qt's HTTP layer itself re-sends a request whose connection was reset before any answer (up to 3 more
    # times): one reset is absorbed there; the upload only leaves an orphan file, never a second resource
    ods_server.fault("POST", r"/datasets/[^/]+/resources/files/", reset=True, times=1)
    first = adapter.publish(PublishRequest(description=description(), files=files))
    uid, _ = only_dataset(ods_server)
    assert len(ods_server.resources[uid]) == 1
    # resets that persist: a French error, and the next publication updates the same dataset
    ods_server.fault("POST", r"/datasets/[^/]+/resources/files/", reset=True, times=10)
    with pytest.raises(PortalError) as info:
        adapter.publish(PublishRequest(description=description(), files=files, ref=first.ref))
    assert info.value.kind == "network"
    assert "la connexion au portail Opendatasoft a échoué" in str(info.value)
    assert "pas de doublon" in str(info.value)
    assert info.value.ref.dataset_id == uid
    ods_server.faults.clear()
    adapter.publish(PublishRequest(description=description(), files=files, ref=info.value.ref))
    assert only_dataset(ods_server)[0] == uid
    assert len(ods_server.resources[uid]) == 1
    assert len(ods_server.calls("POST", r"/datasets/[^/]+/resources/")) == 1  # created once, then replaced


def test_413_file_too_large(ods_server, files):  # noqa: F811
    adapter = make_adapter(ods_server)
    ods_server.fault(
        "POST",
        r"/datasets/[^/]+/resources/files/",
        status=413,
        body={"error_code": "request_entity_too_large", "message": "File exceeds the 240 MB limit"},
    )
    with pytest.raises(PortalError) as info:
        adapter.publish(PublishRequest(description=description(), files=files))
    assert info.value.kind == "too-large" and info.value.status == 413
    assert "File exceeds the 240 MB limit" in str(info.value) and "240 Mo" in str(info.value)


def test_expired_key(ods_server, files):  # noqa: F811
    adapter = make_adapter(ods_server)
    ods_server.expire_key()
    with pytest.raises(PortalError) as info:
        adapter.test_connection()
    assert info.value.kind == "auth" and info.value.status == 401
    assert "The API key is invalid or has expired." in str(info.value)
    assert "nouvelle clé" in str(info.value)
    assert ods_server.api_key not in str(info.value)
    with pytest.raises(PortalError) as info:
        adapter.publish(PublishRequest(description=description(), files=files))
    assert info.value.kind == "auth"
    assert not ods_server.datasets


def test_dataset_deleted_between_two_publications(ods_server, files):  # noqa: F811
    adapter = make_adapter(ods_server)
    first = adapter.publish(PublishRequest(description=description(), files=files))
    ods_server.delete_dataset(first.ref.dataset_id)
    assert not adapter.dataset_exists(first.ref)
    with pytest.raises(PortalError) as info:
        adapter.publish(PublishRequest(description=description(), files=files, ref=first.ref))
    assert info.value.kind == "deleted"
    assert "supprimé" in str(info.value)
    assert not ods_server.datasets  # nothing recreated without the agent's consent

    again = adapter.publish(
        PublishRequest(description=description(), files=files, ref=first.ref, recreate_if_deleted=True)
    )
    uid, _ = only_dataset(ods_server)
    assert again.created and again.ref.dataset_id == uid != first.ref.dataset_id


# --- the fake holds to the spec -----------------------------------------------------------------------


def _raw(server: OdsServer, method: str, path: str, body=None):
    headers = {"Authorization": f"apikey {server.api_key}", "Content-Type": "application/json"}
    data = json.dumps(body).encode() if body is not None else None
    return request(method, server.base_url + API_PREFIX + path, data=data, headers=headers, timeout_s=5)


def test_the_server_rejects_requests_that_violate_the_spec(ods_server):  # noqa: F811
    cases = [
        ("POST", "/datasets/", {"dataset_id": "sans-metadonnees"}),  # metadata is required
        ("POST", "/datasets/", {"uid": "da_x", "metadata": {"default": {}}}),  # uid is read-only
        ("POST", "/datasets/", {"metadata": {"default": {"title": "no MetadataValue"}}}),
        ("GET", "/datasets/unknown/things/", None),  # not an operation of the spec
    ]
    for method, path, body in cases:
        with pytest.raises(NetworkError) as info:
            _raw(ods_server, method, path, body)
        assert info.value.status == 500 and "spec_violation" in info.value.body
    assert len(ods_server.violations) == len(cases)
    assert not ods_server.datasets
    ods_server.violations.clear()  # expected here


def test_the_server_refuses_to_send_a_response_that_violates_the_spec(ods_server):  # noqa: F811
    ods_server.datasets["da_bad"] = {"uid": "da_bad", "dataset_id": "bad"}  # no "metadata": not a Dataset
    with pytest.raises(NetworkError) as info:
        _raw(ods_server, "GET", "/datasets/da_bad/")
    assert info.value.status == 500
    assert len(ods_server.violations) == 1 and "RESPONSE GET /datasets/da_bad/" in ods_server.violations[0]
    ods_server.violations.clear()
    del ods_server.datasets["da_bad"]
    assert _raw(ods_server, "GET", "/datasets/?limit=1")[0] == 200


def test_dataset_ref_round_trip_keeps_the_resource():
    ref = DatasetRef("opendatasoft", "https://data.example.fr", "da_x", {"geojson": "re_1"}, "u")
    assert DatasetRef.from_dict(ref.to_dict()) == ref


def test_unchanged_file_is_not_sent_again_only_the_metadata(ods_server, files):  # noqa: F811
    """Issue 17: a nightly republication of the same data refreshes the metadata and keeps the resource's file."""
    adapter = make_adapter(ods_server)
    first = adapter.publish(PublishRequest(description=description(), files=files))
    uid, _dataset = only_dataset(ods_server)
    uploads = len(ods_server.calls("POST", r"/datasets/[^/]+/resources/files/"))
    for item in files:
        item.unchanged = True  # same checksums as last published (core/publish.py decides it)
    again = adapter.publish(
        PublishRequest(description=description(title="Stationnements vélo (titre)"), files=files, ref=first.ref)
    )
    assert again.ref.resource_ids == first.ref.resource_ids
    assert len(ods_server.calls("POST", r"/datasets/[^/]+/resources/files/")) == uploads  # no new upload
    assert ods_server.datasets[uid]["metadata"]["default"]["title"]["value"] == "Stationnements vélo (titre)"
    assert len(ods_server.calls("POST", r"/datasets/[^/]+/publish/")) == 2  # republished with its new metadata

    # the resource was removed on the portal meanwhile: the file is sent again
    ods_server.resources[uid].clear()
    third = adapter.publish(PublishRequest(description=description(), files=files, ref=again.ref))
    assert len(ods_server.calls("POST", r"/datasets/[^/]+/resources/files/")) == uploads + 1
    assert third.ref.resource_ids and third.ref.resource_ids != first.ref.resource_ids
