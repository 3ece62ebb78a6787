"""Fault injection between CkanAdapter and the REAL CKAN 2.11.6: a proxy on 127.0.0.1 (tests/portals/fault_proxy.py)
times out, answers 500 or 413, or resets the connection; each test checks the French message and that nothing was
duplicated or lost."""

from __future__ import annotations

import secrets
import time
from urllib.parse import urlsplit

import pytest

from opendata_publisher.core.portals.base import PortalError, PublishRequest
from tests.portals.fault_proxy import FaultProxy, Rule
from tests.portals.test_ckan_publish import adapter_for, make_description, make_files, unique_title

RESOURCE_CREATE = r"/api/3/action/resource_create$"


@pytest.fixture
def ckan_proxy(ckan_portal):
    parts = urlsplit(ckan_portal.url)
    proxy = FaultProxy(parts.hostname, parts.port)
    yield proxy
    proxy.close()


def wait_forwarded(proxy: FaultProxy, path: str, count: int = 1, timeout_s: float = 15) -> None:
    """Wait until the proxy has delivered ``count`` requests on ``path`` to CKAN (delayed rules)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if len([s for s in proxy.requests(path=path) if s.status is not None]) >= count:
            return
        time.sleep(0.1)
    raise AssertionError(f"the proxy did not forward {path}")


def resources_of(portal, dataset_id):
    return portal.action("package_show", {"id": dataset_id})["resources"]


def test_timeout_after_ckan_stored_the_file_then_no_duplicate(qgis_app, ckan_portal, ckan_proxy, tmp_path):
    adapter = adapter_for(ckan_portal, base_url=ckan_proxy.url, timeout_s=1)
    ckan_proxy.add(Rule("delay", method="POST", path=RESOURCE_CREATE, seconds=2.5))
    title = unique_title("Délai")
    files = make_files(tmp_path)[:1]
    with pytest.raises(PortalError) as info:
        adapter.publish(PublishRequest(description=make_description(title), files=files))
    err = info.value
    assert err.kind == "timeout"
    assert "n'a pas répondu pendant 1 s" in str(err) and "publiez à nouveau" in str(err)
    assert err.ref.dataset_id  # where the publication got to
    wait_forwarded(ckan_proxy, RESOURCE_CREATE)  # CKAN got the file after the client gave up
    assert len(resources_of(ckan_portal, err.ref.dataset_id)) == 1

    # publishing again updates the same dataset and resource: nothing in double
    result = adapter.publish(PublishRequest(description=make_description(title), files=files, ref=err.ref))
    assert result.ref.dataset_id == err.ref.dataset_id
    assert len(resources_of(ckan_portal, err.ref.dataset_id)) == 1
    assert len(ckan_proxy.requests("POST", RESOURCE_CREATE)) == 1  # never re-sent blindly


def test_timeout_on_dataset_creation_then_publish_again_without_reference(qgis_app, ckan_portal, ckan_proxy, tmp_path):
    adapter = adapter_for(ckan_portal, base_url=ckan_proxy.url, timeout_s=1)
    ckan_proxy.add(Rule("delay", method="POST", path=r"/package_create$", seconds=2.5))
    title = unique_title("Création interrompue")
    with pytest.raises(PortalError) as info:
        adapter.publish(PublishRequest(description=make_description(title), files=make_files(tmp_path)))
    assert info.value.kind == "timeout"
    wait_forwarded(ckan_proxy, r"/package_create$")

    # the layer has no reference (the answer never came): the dataset is found again, not created twice
    result = adapter.publish(PublishRequest(description=make_description(title), files=make_files(tmp_path)))
    assert not result.created
    assert any("au lieu d'être créé en double" in m for m in result.messages)
    same = [p for p in ckan_portal.org_datasets() if p["title"] == title]
    assert len(same) == 1 and len(same[0]["resources"]) == 2


def test_connection_reset_after_ckan_created_the_resource_is_not_resent(qgis_app, ckan_portal, ckan_proxy, tmp_path):
    # a front proxy cuts the answer after CKAN committed resource_create: Qt must not send it again by itself
    adapter = adapter_for(ckan_portal, base_url=ckan_proxy.url)
    ckan_proxy.add(Rule("forward_reset", method="POST", path=RESOURCE_CREATE))
    title = unique_title("Réponse coupée")
    files = make_files(tmp_path)[:1]
    with pytest.raises(PortalError) as info:
        adapter.publish(PublishRequest(description=make_description(title), files=files))
    err = info.value
    assert err.kind == "network" and "publiez à nouveau" in str(err)
    assert [s.action for s in ckan_proxy.requests("POST", RESOURCE_CREATE)] == ["forward_reset"]
    assert len(resources_of(ckan_portal, err.ref.dataset_id)) == 1

    result = adapter.publish(PublishRequest(description=make_description(title), files=files, ref=err.ref))
    assert result.ref.dataset_id == err.ref.dataset_id
    assert len(resources_of(ckan_portal, err.ref.dataset_id)) == 1


def test_server_error_on_upload_then_retry(qgis_app, ckan_portal, ckan_proxy, tmp_path):
    adapter = adapter_for(ckan_portal, base_url=ckan_proxy.url)
    body = b'{"success": false, "error": {"__type": "Internal Server Error", "message": "disk full"}}'
    ckan_proxy.add(Rule("status", method="POST", path=RESOURCE_CREATE, status=500, body=body))
    title = unique_title("Erreur 500")
    with pytest.raises(PortalError) as info:
        adapter.publish(PublishRequest(description=make_description(title), files=make_files(tmp_path)))
    err = info.value
    assert err.kind == "server" and err.status == 500
    assert "disk full" in str(err) and "Réessayez plus tard" in str(err)
    assert resources_of(ckan_portal, err.ref.dataset_id) == []  # nothing half-stored
    assert len(ckan_proxy.requests("POST", RESOURCE_CREATE)) == 1  # a write is not retried

    result = adapter.publish(
        PublishRequest(description=make_description(title), files=make_files(tmp_path), ref=err.ref)
    )
    assert len(resources_of(ckan_portal, result.ref.dataset_id)) == 2


def test_reads_are_retried_after_a_500(qgis_app, ckan_portal, ckan_proxy, tmp_path):
    adapter = adapter_for(ckan_portal, base_url=ckan_proxy.url)
    ckan_proxy.add(Rule("status", method="GET", path=r"/license_list", status=503, body=b"busy", times=1))
    result = adapter.publish(
        PublishRequest(description=make_description(unique_title("Relecture")), files=make_files(tmp_path))
    )
    assert result.created
    statuses = [s.status for s in ckan_proxy.requests("GET", r"/license_list")]
    assert statuses == [503, 200]


def test_connection_reset_mid_upload(qgis_app, ckan_portal, ckan_proxy, tmp_path):
    adapter = adapter_for(ckan_portal, base_url=ckan_proxy.url)
    # a resource_create is never re-sent (not even by Qt itself, which would for a dropped connection)
    ckan_proxy.add(Rule("reset", method="POST", path=RESOURCE_CREATE, times=10))
    title = unique_title("Coupure")
    files = make_files(tmp_path, rows=2000)
    with pytest.raises(PortalError) as info:
        adapter.publish(PublishRequest(description=make_description(title), files=files))
    err = info.value
    assert err.kind == "network"
    assert "interrompue pendant l'envoi du fichier" in str(err)
    assert resources_of(ckan_portal, err.ref.dataset_id) == []
    attempts = ckan_proxy.requests("POST", RESOURCE_CREATE)
    assert attempts and all(a.action == "reset" for a in attempts)  # none reached CKAN

    ckan_proxy.reset()
    result = adapter.publish(PublishRequest(description=make_description(title), files=files, ref=err.ref))
    assert sorted(r["format"] for r in resources_of(ckan_portal, result.ref.dataset_id)) == ["CSV", "GeoJSON"]


def test_413_from_a_front_proxy(qgis_app, ckan_portal, ckan_proxy, tmp_path):
    adapter = adapter_for(ckan_portal, base_url=ckan_proxy.url)
    html = b"<html><head><title>413 Request Entity Too Large</title></head><body><h1>413 Request Entity Too Large</h1>"
    html += b"<hr>nginx</body></html>"
    ckan_proxy.add(Rule("status", method="POST", path=RESOURCE_CREATE, status=413, body=html, content_type="text/html"))
    with pytest.raises(PortalError) as info:
        adapter.publish(
            PublishRequest(description=make_description(unique_title("Trop gros")), files=make_files(tmp_path))
        )
    err = info.value
    assert err.kind == "too-large" and err.status == 413
    assert "trop volumineux" in str(err) and "413 Request Entity Too Large" in str(err)
    assert resources_of(ckan_portal, err.ref.dataset_id) == []


def test_expired_key_message_never_shows_the_key(qgis_app, ckan_portal, ckan_proxy, tmp_path):
    token = secrets.token_urlsafe(32)
    adapter = adapter_for(ckan_portal, base_url=ckan_proxy.url, token=token)
    with pytest.raises(PortalError) as info:
        adapter.test_connection()
    assert info.value.kind == "auth"
    assert token not in str(info.value) and token not in info.value.portal_message
    assert len(ckan_proxy.requests("GET", r"/user_show")) == 1  # a refused key is not retried
