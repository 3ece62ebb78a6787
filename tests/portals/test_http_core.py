"""The portals' shared HTTP core (core/portals/http.py) on 127.0.0.1: the key goes to the connection's own origin
only, redirects to another origin fail clearly, https is required (loopback excepted), secrets are redacted
in every quoting style, 429 with Retry-After is waited for."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from opendata_publisher.core.portals.base import PortalConnection, PortalError
from opendata_publisher.core.portals.http import PortalHttp, check_portal_url, redact_text, same_origin
from opendata_publisher.toolbelt.log import redact

KEY = "k3y-" + "x" * 28


class Recorder(BaseHTTPRequestHandler):
    """Answers by path: /to-other (307 to the other server), /same (307 to /ok), /busy (429 once), /ok, /echo
    (a 500 echoing the request headers, as some portals do)."""

    seen: list = []
    target = ""
    busy = {"left": 1}

    def _answer(self, status, body=b"{}", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _any(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        Recorder.seen.append((self.server.server_port, self.path, dict(self.headers)))
        if self.path == "/to-other":
            return self._answer(307, b"", (("Location", Recorder.target + "/stolen"),))
        if self.path == "/same":
            return self._answer(307, b"", (("Location", "/ok"),))
        if self.path == "/busy" and Recorder.busy["left"] > 0:
            Recorder.busy["left"] -= 1
            return self._answer(429, b'{"message": "slow down"}', (("Retry-After", "1"),))
        if self.path == "/stall":
            import time

            time.sleep(2.5)
            return self._answer(200)
        if self.path == "/echo":
            body = json.dumps({"message": "bad request", "headers": dict(self.headers.items())})
            return self._answer(500, body.encode())
        return self._answer(200)

    do_GET = do_POST = do_PUT = _any

    def log_message(self, *_args):
        pass


@pytest.fixture(scope="module")
def servers():
    portal = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    other = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    for server in (portal, other):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    Recorder.target = f"http://127.0.0.1:{other.server_port}"
    yield portal, other
    portal.shutdown()
    other.shutdown()


def core(base_url: str, header="X-API-KEY", value=KEY) -> PortalHttp:
    connection = PortalConnection(name="t", portal_type="udata", base_url=base_url, timeout_s=5)
    return PortalHttp(
        connection,
        credentials=lambda: {header: value},
        describe=lambda exc, step, write: PortalError(f"{step}: {exc.body}", kind="server", status=exc.status),
        retry_delays=(0.05,),
    )


def _key_seen_by(port: int) -> bool:
    return any(p == port and KEY in json.dumps(h) for p, _path, h in Recorder.seen)


@pytest.mark.parametrize("method", ["GET", "POST", "PUT"])
def test_redirect_to_another_origin_never_gets_the_key(qgis_app, servers, method):
    portal, other = servers
    Recorder.seen.clear()
    http = core(f"http://127.0.0.1:{portal.server_port}")
    with pytest.raises(PortalError) as err:
        http.request_json(method, f"http://127.0.0.1:{portal.server_port}/to-other", {"a": 1}, step="écriture")
    assert err.value.kind == "redirect" and "autre adresse" in str(err.value)
    assert not _key_seen_by(other.server_port), "the key reached another origin"
    assert _key_seen_by(portal.server_port)


def test_redirect_within_the_origin_is_followed_with_the_key(qgis_app, servers):
    portal, _other = servers
    Recorder.seen.clear()
    http = core(f"http://127.0.0.1:{portal.server_port}")
    assert http.request_json("POST", f"http://127.0.0.1:{portal.server_port}/same", {"a": 1}, step="x") == {}
    assert [path for _p, path, _h in Recorder.seen] == ["/same", "/ok"]
    assert _key_seen_by(portal.server_port)


def test_429_with_retry_after_is_waited_for_on_idempotent_requests_only(qgis_app, servers):
    portal, _other = servers
    url = f"http://127.0.0.1:{portal.server_port}/busy"
    Recorder.busy["left"] = 1
    with pytest.raises(PortalError) as err:
        core(url).request_json("POST", url, {"a": 1}, step="création")
    assert err.value.status == 429
    Recorder.busy["left"] = 1
    assert core(url).request_json("GET", url, step="lecture") == {}


def test_portal_text_echoing_the_key_is_redacted(qgis_app, servers):
    portal, _other = servers
    url = f"http://127.0.0.1:{portal.server_port}/echo"
    for header, value in (("X-API-KEY", KEY), ("Authorization", f"apikey {KEY}"), ("Authorization", KEY)):
        http = core(url, header, value)
        with pytest.raises(PortalError) as err:
            http.request_json("POST", url, {"a": 1}, step="création")
        assert KEY not in str(err.value) and KEY not in err.value.portal_message
        assert "***" in str(err.value)


def test_upload_timeout_says_so_without_qt_noise(qgis_app, servers, tmp_path, capfd):
    portal, _other = servers
    url = f"http://127.0.0.1:{portal.server_port}/stall"
    http = core(url)
    http.connection.timeout_s = 1
    path = tmp_path / "f.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    capfd.readouterr()
    with pytest.raises(PortalError) as err:
        http.upload(url, path, step="envoi")
    assert err.value.kind == "server"  # the describe() of this test core: the adapter words it
    captured = capfd.readouterr()
    assert "QIODevice" not in captured.err + captured.out


def test_http_addresses_are_refused_except_loopback(qgis_app):
    assert check_portal_url("https://www.data.gouv.fr") == ""
    assert check_portal_url("http://127.0.0.1:5000") == "" and check_portal_url("http://localhost:8080/") == ""
    assert check_portal_url("http://[::1]:8080") == ""
    refused = check_portal_url("http://data.example.org")
    assert "https" in refused and "en clair" in refused
    http = core("http://data.example.org")
    with pytest.raises(PortalError) as err:  # refused before any request (nothing leaves this computer)
        http.request_json("GET", "http://data.example.org/api/1/me/", step="lecture")
    assert err.value.kind == "invalid"


def test_same_origin_compares_scheme_host_and_port():
    assert same_origin("https://a.fr/x", "https://a.fr:443/y")
    assert not same_origin("https://a.fr", "http://a.fr")
    assert not same_origin("https://a.fr", "https://a.fr:8443")
    assert not same_origin("https://a.fr", "https://b.a.fr")


@pytest.mark.parametrize(
    "text",
    [
        "Authorization: apikey K9s8d7f6g5h4",
        "{'X-API-KEY': 'K9s8d7f6g5h4'}",
        '{"authorization": "K9s8d7f6g5h4"}',
        '"Authorization": "apikey K9s8d7f6g5h4"',
        "X-API-KEY: K9s8d7f6g5h4",
        "https://portail/api?api_key=K9s8d7f6g5h4&x=1",
        "Authorization: Bearer K9s8d7f6g5h4",
    ],
)
def test_redact_masks_every_quoting_style(text):
    assert "K9s8d7f6g5h4" not in redact(text)
    assert "K9s8d7f6g5h4" not in redact_text("the portal said " + text)


def test_redact_by_value_anywhere():
    assert redact_text(f"echo: {KEY} in free text", [KEY]) == "echo: *** in free text"
