"""toolbelt.network against a real local HTTP server, through the QGIS network stack."""

from __future__ import annotations

import threading
import time

import pytest
from qgis.core import QgsBlockingNetworkRequest, QgsFeedback
from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtNetwork import QNetworkRequest

from opendata_publisher.__about__ import USER_AGENT, __version__
from opendata_publisher.toolbelt import network
from opendata_publisher.toolbelt.network import NetworkError, fetch_bytes, request
from tests.helpers.http_server import LocalHTTPServer, http_server  # noqa: F401 - fixture
from tests.qgis.test_publish_upload import closing_server  # noqa: F401 - fixture


def test_get_200_returns_body_and_sends_our_user_agent(http_server):  # noqa: F811
    http_server.route("/schemas.json", body={"schemas": []})
    body = fetch_bytes(http_server.url("/schemas.json"), headers={"Accept": "application/json"}, timeout_s=5)
    assert body == b'{"schemas": []}'
    sent = http_server.last_request
    assert sent.method == "GET"
    assert sent.header("User-Agent").startswith(f"opendata_publisher/{__version__}")
    assert USER_AGENT.split("/") == ["opendata_publisher", __version__]
    assert sent.header("Accept") == "application/json"


def test_user_agent_left_alone_on_other_requests(http_server):  # noqa: F811
    http_server.route("/other", body="x")
    fetch_bytes(http_server.url("/other"), timeout_s=5)  # registers our preprocessor
    blocking = QgsBlockingNetworkRequest()
    blocking.get(QNetworkRequest(QUrl(http_server.url("/other"))), True)
    assert "opendata_publisher" not in http_server.last_request.header("User-Agent")


def test_404_raises_with_server_text_and_french_advice(http_server):  # noqa: F811
    http_server.route("/schemas/x.json", status=404, body="No schema named x here")
    url = http_server.url("/schemas/x.json")
    with pytest.raises(NetworkError) as info:
        fetch_bytes(url, timeout_s=5)
    error = info.value
    assert error.status == 404
    assert error.kind == "http"
    assert error.url == url
    assert error.body == "No schema named x here"
    text = str(error)
    assert text.startswith(f"Le serveur a répondu 404 (introuvable) pour {url} : No schema named x here")
    assert "Vérifiez l'adresse" in text


def test_500_raises_with_retry_advice_and_trimmed_html(http_server):  # noqa: F811
    page = "<html><head><style>p {color: red}</style></head><body><h1>Oups</h1><p>" + "panne " * 200 + "</p></body>"
    http_server.route("/boom", status=500, body=page, headers={"Content-Type": "text/html"})
    with pytest.raises(NetworkError) as info:
        request("GET", http_server.url("/boom"), timeout_s=5)
    error = info.value
    assert error.status == 500
    assert error.body == page
    text = str(error)
    assert "500 (erreur interne du serveur)" in text
    assert "Oups panne panne" in text
    assert "<h1>" not in text and "color: red" not in text
    assert len(error.body_excerpt()) <= network.BODY_EXCERPT_CHARS
    assert "réessayez plus tard" in text


def test_timeout_when_server_is_slower_than_the_limit(http_server):  # noqa: F811
    http_server.route("/slow", body="late", delay=3)
    started = time.monotonic()
    with pytest.raises(NetworkError) as info:
        fetch_bytes(http_server.url("/slow"), timeout_s=1)
    elapsed = time.monotonic() - started
    assert elapsed < 2.5, f"the 1 s timeout was not applied (took {elapsed:.1f} s)"
    assert info.value.kind == "timeout"
    assert info.value.status is None
    assert str(info.value).startswith("Pas de réponse de 127.0.0.1 après 1 s")
    assert "augmentez le délai" in str(info.value)


def test_connection_refused_when_server_is_stopped():
    server = LocalHTTPServer().start()
    url = server.url("/schemas.json")
    server.stop()
    with pytest.raises(NetworkError) as info:
        fetch_bytes(url, timeout_s=5)
    assert info.value.kind == "refused"
    assert info.value.status is None
    assert str(info.value).startswith("Connexion refusée par 127.0.0.1")


def test_post_sends_body_and_returns_status_and_lowercase_headers(http_server):  # noqa: F811
    http_server.route(
        "/api/datasets/",
        handler=lambda req: (201, {"X-Dataset-Id": "abc"}, {"got": req.json()}),
        methods=["POST"],
    )
    status, headers, body = request(
        "POST",
        http_server.url("/api/datasets/"),
        data=b'{"title": "Stationnement"}',
        headers={"Content-Type": "application/json"},
        timeout_s=5,
    )
    assert status == 201
    assert headers["x-dataset-id"] == "abc"
    assert headers["content-type"] == "application/json"
    assert body == b'{"got": {"title": "Stationnement"}}'
    assert http_server.last_request.method == "POST"


def test_put_and_delete(http_server):  # noqa: F811
    http_server.route("/r", handler=lambda req: (200, {}, req.method))
    assert request("PUT", http_server.url("/r"), data="é", timeout_s=5)[2] == b"PUT"
    assert http_server.last_request.body == "é".encode()
    assert request("DELETE", http_server.url("/r"), timeout_s=5)[2] == b"DELETE"


def test_cancelled_feedback_aborts(http_server):  # noqa: F811
    http_server.route("/slow", body="late", delay=2)
    feedback = QgsFeedback()
    feedback.cancel()
    with pytest.raises(NetworkError) as info:
        fetch_bytes(http_server.url("/slow"), timeout_s=5, feedback=feedback)
    assert info.value.kind == "cancelled"
    assert str(info.value).startswith("Téléchargement annulé")
    assert http_server.requests == []


def test_cancel_during_request_aborts_quickly(http_server):  # noqa: F811
    http_server.route("/slow", body="late", delay=3)
    feedback = QgsFeedback()
    timer = threading.Timer(0.3, feedback.cancel)
    started = time.monotonic()
    timer.start()
    try:
        with pytest.raises(NetworkError) as info:
            fetch_bytes(http_server.url("/slow"), timeout_s=10, feedback=feedback)
    finally:
        timer.cancel()
    assert time.monotonic() - started < 2.5
    assert info.value.kind == "cancelled"


def test_unknown_authcfg_is_refused_before_sending(http_server):  # noqa: F811
    with pytest.raises(NetworkError) as info:
        fetch_bytes(http_server.url("/x"), authcfg="nope123", timeout_s=5)
    assert info.value.kind == "auth"
    assert "configuration d'authentification" in str(info.value)
    assert http_server.requests == []


def test_local_files_by_path_and_file_url(tmp_path):
    target = tmp_path / "schéma.json"
    target.write_bytes(b'{"fields": []}')
    assert fetch_bytes(str(target)) == b'{"fields": []}'
    assert fetch_bytes(QUrl.fromLocalFile(str(target)).toString()) == b'{"fields": []}'
    with pytest.raises(NetworkError) as info:
        fetch_bytes(str(tmp_path / "absent.json"))
    assert info.value.kind == "file"
    assert "Fichier introuvable" in str(info.value)


def test_unsupported_scheme():
    with pytest.raises(NetworkError) as info:
        request("GET", "ftp://example.org/a.json")
    assert info.value.kind == "unsupported"


def test_secrets_never_in_message():
    error = NetworkError("https://portal.example/api?apikey=S3CR3T&x=1", 401, body='{"token": "S3CR3T"}')
    assert "S3CR3T" not in str(error)
    assert "401 (authentification requise)" in str(error)


def test_redirect_is_followed(http_server):  # noqa: F811
    http_server.route("/old.json", status=301, headers={"Location": http_server.url("/new.json")})
    http_server.route("/new.json", body={"ok": True})
    assert fetch_bytes(http_server.url("/old.json"), timeout_s=5) == b'{"ok": true}'
    assert [r.path for r in http_server.requests] == ["/old.json", "/new.json"]


def test_post_is_never_sent_again_by_qt_after_the_connection_closed(closing_server):  # noqa: F811
    with pytest.raises(NetworkError) as info:
        request("POST", closing_server.url("/datasets/"), data=b'{"title": "x"}', timeout_s=10)
    assert closing_server.count == 1, "a POST that may have created something is sent once"
    assert info.value.kind == "refused"
