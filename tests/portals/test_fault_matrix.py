"""The fault matrix: every write step of the udata and CKAN adapters × every fault, against the REAL portals
(udata 17.18.0, CKAN 2.11.6) behind the fault proxy. Each case publishes once under the fault, then publishes
again as the agent would (with the reference the publication task stores), and asserts:

- the message is truthful (never « rien n'a été enregistré » / « aucun fichier » when the portal may have acted);
- the portal's final state: exactly one dataset carrying our key, one resource per format, content checksum
  (udata) equal to the export, the schema attached, public, a tag added on the portal meanwhile kept (CKAN);
- no API key in any message, and none received by the host a redirect points to.

The matrix (cases × portal) is printed at the end of the module."""

from __future__ import annotations

import hashlib
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from opendata_publisher.core.portals.base import PortalError, PublishRequest
from tests.portals.fault_proxy import Rule
from tests.portals.test_udata_publish import authcfg, master_password  # noqa: F401 - module fixtures

#: fault name -> how the proxy injects it (the outcome of the first try may be success or a PortalError)
FAULTS = {
    "answer-lost-after-write": {"action": "status_after", "status": 502},
    "reset-before": {"action": "reset"},
    "500": {"action": "status", "status": 500},
    "502": {"action": "status", "status": 502},
    "503": {"action": "status", "status": 503},
    "timeout-retry-at-once": {"action": "delay", "seconds": 2.5},
    "timeout-retry-later": {"action": "delay", "seconds": 2.5},
    "401": {"action": "status", "status": 401, "body": b'{"message": "Invalid API token"}'},
    "403": {"action": "status", "status": 403, "body": b'{"message": "Forbidden"}'},
    "413": {"action": "status", "status": 413, "body": b"<html><body>413 Request Entity Too Large</body></html>"},
    "429": {"action": "status", "status": 429, "body": b'{"message": "Too many requests"}'},
    "redirect-other-origin": {"action": "status", "status": 307, "body": b""},
}
UNTRUE = ("rien n'a été enregistré", "aucun fichier n'a été enregistré", "sans risque de doublon")

RESULTS: dict = {}


class _KeyCatcher(BaseHTTPRequestHandler):
    received: list = []

    def _any(self):
        _KeyCatcher.received.append(dict(self.headers))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    do_GET = do_POST = do_PUT = _any

    def log_message(self, *_args):
        pass


@pytest.fixture(scope="module")
def catcher():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _KeyCatcher)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


def write_matrix(reporter) -> None:
    """Print the matrix (called by tests/portals/conftest.py at the end of the run)."""
    if not RESULTS:
        return
    reporter.write_sep("-", f"fault matrix: {len(RESULTS)} cases (portal, step, fault: first try -> after one retry)")
    for (portal, step, fault), outcome in sorted(RESULTS.items()):
        reporter.write_line(f"{portal:6} {step:9} {fault:24} {outcome}")
    for portal in sorted({p for p, _s, _f in RESULTS}):
        cases = [v for (p, _s, _f), v in RESULTS.items() if p == portal]
        good = sum(1 for v in cases if v.endswith("ok"))
        reporter.write_line(f"{portal}: {len(cases)} cases, {good} ok, {len(cases) - good} failed")


def _rule(fault: str, method: str, path: str, catcher, **extra) -> Rule:
    spec = dict(FAULTS[fault], **extra)
    action = spec.pop("action")
    if fault == "redirect-other-origin":
        spec["headers"] = (("Location", f"http://127.0.0.1:{catcher.server_port}/steal"),)
    return Rule(action, method=method, path=path, **spec)


def _check_messages(texts, key: str, may_have_acted: bool):
    for text in texts:
        assert key not in text, "the API key appears in a message"
        if may_have_acted:
            lowered = text.lower()
            assert not any(u in lowered for u in UNTRUE), f"untruthful message: {text}"


# --- udata -----------------------------------------------------------------------------------------------------

UDATA_STEPS = {
    "create": ("POST", r"/api/1/datasets/$"),
    "upload": ("POST", r"/api/1/datasets/[^/]+/upload/$"),
    "resource": ("PUT", r"/api/1/datasets/[^/]+/resources/[^/]+/$"),
    "publish": ("PUT", r"/api/1/datasets/[^/]+/$"),  # making the new private dataset public
    # a 2.5 MB file in 1 MB parts: the second part, and the final POST that combines the three
    "chunk": ("POST", r"/api/1/datasets/[^/]+/upload/$"),
    "combine": ("POST", r"/api/1/datasets/[^/]+/upload/$"),
}
CHUNKED = {"chunk": {"body_contains": b'"partindex"\r\n\r\n1\r\n'}, "combine": {"skip": 3}}


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("step", list(UDATA_STEPS))
def test_udata_fault(step, fault, fault_proxy, authcfg, udata_portal, tmp_path, catcher):  # noqa: F811
    from tests.portals.test_udata_publish import (
        api,
        big_file,
        csv_file,
        description,
        make_adapter,
        publish_file,
        sha1,
    )

    RESULTS[("udata", step, fault)] = "FAILED"
    chunked = step in CHUNKED
    options = {"chunk_size_mb": 1} if chunked else {}
    adapter = make_adapter(fault_proxy, authcfg, org=udata_portal["org_slug"], timeout_s=1.5, **options)
    adapter.late_write_grace_s = 0 if fault == "timeout-retry-at-once" else 1.5
    method, path = UDATA_STEPS[step]
    fault_proxy.add(_rule(fault, method, path, catcher, **CHUNKED.get(step, {})))
    _KeyCatcher.received.clear()
    desc = description(title=f"Matrice {step} {fault} {uuid.uuid4().hex[:6]}")
    export = big_file(tmp_path) if chunked else csv_file(tmp_path)
    first_outcome, ref, texts = "ok", None, []
    try:
        result = adapter.publish(PublishRequest(desc, [publish_file(export)]))
        ref, texts = result.ref, list(result.messages)
    except PortalError as exc:
        first_outcome, ref, texts = f"error:{exc.kind}", exc.ref, [str(exc), exc.portal_message]
    key = udata_portal["api_key"]
    _check_messages(texts, key, FAULTS[fault]["action"] in ("status_after", "delay"))
    assert not any("X-Api-Key" in h or "X-API-KEY" in h for h in _KeyCatcher.received), "key sent elsewhere"
    if fault == "timeout-retry-later":
        import time

        time.sleep(2.0)  # the delayed request reaches the portal before the agent tries again
    # the agent publishes again (the stored reference, when the task got one)
    fault_proxy.reset()
    retry = make_adapter(fault_proxy, authcfg, org=udata_portal["org_slug"], timeout_s=10, **options)
    retry.late_write_grace_s = 3.0
    result = retry.publish(PublishRequest(desc, [publish_file(export)], ref=ref))
    _check_messages(result.messages, key, False)
    import time

    time.sleep(0.2)
    ours = [
        d
        for d in api(udata_portal, "GET", "me/org_datasets/?q=Matrice")
        if (d.get("extras") or {}).get("opendata_publisher:key") == result_key(desc) and not d.get("deleted")
    ]
    assert len(ours) == 1, f"{len(ours)} datasets carry our key"
    remote = api(udata_portal, "GET", f"datasets/{ours[0]['id']}/")
    assert remote["id"] == result.ref.dataset_id and remote["private"] is False
    assert len(remote["resources"]) == 1, f"{len(remote['resources'])} resources"
    [resource] = remote["resources"]
    assert resource["checksum"]["value"] == sha1(export)
    assert resource["schema"]["name"] == desc.schema.name
    RESULTS[("udata", step, fault)] = f"{first_outcome} -> ok"


def result_key(desc) -> str:
    from opendata_publisher.core.portals.udata import dataset_key

    return dataset_key(desc)


# --- CKAN ------------------------------------------------------------------------------------------------------

CKAN_STEPS = {
    "create": ("POST", r"/api/3/action/package_create"),
    "upload": ("POST", r"/api/3/action/resource_create"),
    "publish": ("POST", r"/api/3/action/package_patch"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("step", list(CKAN_STEPS))
def test_ckan_fault(step, fault, ckan_portal, tmp_path, catcher):
    from opendata_publisher.core.portals.ckan import KEY_EXTRA
    from tests.portals.fault_proxy import FaultProxy
    from tests.portals.test_ckan_publish import adapter_for, make_description, make_files

    RESULTS[("ckan", step, fault)] = "FAILED"
    host, port = ckan_portal.url.split("://", 1)[1].split(":")
    proxy = FaultProxy(host, int(port.rstrip("/")))
    try:
        adapter = adapter_for(ckan_portal, base_url=proxy.url, timeout_s=1.5)
        method, path = CKAN_STEPS[step]
        proxy.add(_rule(fault, method, path, catcher))
        _KeyCatcher.received.clear()
        desc = make_description(f"Matrice CKAN {step} {fault} {uuid.uuid4().hex[:6]}")
        files = make_files(tmp_path)[:1]
        first_outcome, ref, texts = "ok", None, []
        try:
            result = adapter.publish(PublishRequest(desc, files))
            ref, texts = result.ref, list(result.messages)
        except PortalError as exc:
            first_outcome, ref, texts = f"error:{exc.kind}", exc.ref, [str(exc), exc.portal_message]
        token = ckan_portal.tokens["odp-agent"]
        _check_messages(texts, token, FAULTS[fault]["action"] in ("status_after", "delay"))
        assert not any("Authorization" in h for h in _KeyCatcher.received), "key sent elsewhere"
        if fault == "timeout-retry-later":
            import time

            time.sleep(2.0)
        edited = False
        if ref is not None and ref.dataset_id:  # someone adds a tag on the portal before the agent retries
            current = ckan_portal.action("package_show", {"id": ref.dataset_id})
            ckan_portal.action(
                "package_patch", {"id": ref.dataset_id, "tags": current["tags"] + [{"name": "ajout du portail"}]}
            )
            edited = True
        proxy.reset()
        retry = adapter_for(ckan_portal, base_url=proxy.url, timeout_s=20)
        result = retry.publish(PublishRequest(desc, files, ref=ref if ref and ref.dataset_id else None))
        _check_messages(result.messages, token, False)
        package = ckan_portal.action("package_show", {"id": result.ref.dataset_id})
        extras = {e["key"]: e["value"] for e in package.get("extras") or []}
        # a second dataset would get the next free address (name-2, name-3): none may exist
        for suffix in (2, 3):
            try:
                other = ckan_portal.action("package_show", {"id": f"{package['name'][:85]}-{suffix}"})
            except AssertionError:
                continue  # 404: no such dataset
            assert other.get("state") == "deleted", f"second dataset {other['name']} carries our title"
        assert extras.get(KEY_EXTRA) and package["title"] == desc.title
        assert package["private"] is False
        if edited:
            assert "ajout du portail" in {t["name"] for t in package["tags"]}, "a tag added on the portal was lost"
        live = [r for r in package["resources"] if r.get("state", "active") == "active"]
        assert len(live) == 1, f"{len(live)} resources"
        assert live[0].get("schema_name") == "etalab/schema-stationnement"
        assert hashlib.sha1(files[0].path.read_bytes()).hexdigest()  # noqa: S324 - the file still exists
        RESULTS[("ckan", step, fault)] = f"{first_outcome} -> ok"
    finally:
        proxy.close()


# --- Opendatasoft (the local Automation API validated against the official OpenAPI spec) -----------------------

ODS_STEPS = {
    "create": ("POST", r"/api/automation/v1\.0/datasets/$"),
    "upload": ("POST", r"/resources/files/$"),
    "resource": ("POST", r"/api/automation/v1\.0/datasets/[^/]+/resources/$"),
    "publish": ("POST", r"/publish/$"),
}


@pytest.fixture(scope="module")
def ods_portal():
    from tests.portals.ods_server import OdsServer, require_spec

    require_spec()
    server = OdsServer().start()
    yield server
    server.stop()
    assert not server.violations, "exchanges violating the Opendatasoft OpenAPI spec:\n" + "\n\n".join(
        server.violations
    )


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("step", list(ODS_STEPS))
def test_ods_fault(step, fault, ods_portal, tmp_path, catcher):
    from opendata_publisher.core.portals.base import PortalConnection
    from opendata_publisher.core.portals.opendatasoft import OpendatasoftAdapter
    from tests.portals.fault_proxy import FaultProxy
    from tests.portals.test_ods_adapter import _store_key, description

    RESULTS[("ods", step, fault)] = "FAILED"
    proxy = FaultProxy("127.0.0.1", int(ods_portal.base_url.rsplit(":", 1)[1].split("/")[0]))
    ods_authcfg = _store_key(ods_portal.api_key)

    def adapter(timeout_s):
        connection = PortalConnection(
            name="ODS", portal_type="opendatasoft", base_url=proxy.url, authcfg=ods_authcfg, timeout_s=timeout_s
        )
        made = OpendatasoftAdapter(connection)
        made.poll_interval_s = 0.02
        made.retry_delays = (0.05, 0.1)
        return made

    try:
        method, path = ODS_STEPS[step]
        proxy.add(_rule(fault, method, path, catcher))
        _KeyCatcher.received.clear()
        desc = description(title=f"Matrice ODS {step} {fault} {uuid.uuid4().hex[:6]}")
        csv_path = tmp_path / "donnees.csv"
        csv_path.write_text("id,capacite\n1,10\n2,20\n", encoding="utf-8")
        from opendata_publisher.core.portals.base import PublishFile

        files = [PublishFile(path=csv_path, format="csv", title="Données (CSV)")]
        first_outcome, ref, texts = "ok", None, []
        try:
            result = adapter(1.5).publish(PublishRequest(desc, files))
            ref, texts = result.ref, list(result.messages)
        except PortalError as exc:
            first_outcome, ref, texts = f"error:{exc.kind}", exc.ref, [str(exc), exc.portal_message]
        _check_messages(texts, ods_portal.api_key, FAULTS[fault]["action"] in ("status_after", "delay"))
        assert not any("Authorization" in h for h in _KeyCatcher.received), "key sent elsewhere"
        if fault == "timeout-retry-later":
            import time

            time.sleep(2.0)
        proxy.reset()
        result = adapter(10).publish(PublishRequest(desc, files, ref=ref))
        _check_messages(result.messages, ods_portal.api_key, False)
        ours = [
            uid
            for uid, d in ods_portal.datasets.items()
            if (d.get("metadata") or {}).get("default", {}).get("title", {}).get("value") == desc.title
        ]
        assert ours == [result.ref.dataset_id], f"datasets with our title: {ours}"
        dataset = ods_portal.datasets[ours[0]]
        assert dataset["is_published"]
        assert len(ods_portal.resources[ours[0]]) == 1, f"{len(ods_portal.resources[ours[0]])} resources"
        RESULTS[("ods", step, fault)] = f"{first_outcome} -> ok"
    finally:
        proxy.close()
