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


# --- download_to_file: size limit enforced during the download ------------------------------------------

MB = 1024 * 1024
LIMIT = 2 * MB
BIG = 300 * MB  # what the server would send if nobody stopped it
# kernel socket buffers on 127.0.0.1 (both ends) may hold a few MB the client never reads
SLACK = 16 * MB


@pytest.fixture
def streaming_server():
    from tests.helpers.streaming_server import StreamingServer

    with StreamingServer(total=BIG, body=b"id;nom\n1;petit fichier\n") as server:
        yield server


@pytest.mark.parametrize("path", ["/chunked.csv", "/lying.csv"])
def test_download_stops_at_the_limit_when_the_server_announces_no_size(streaming_server, tmp_path, path):
    """A chunked answer (no Content-Length) or a server whose HEAD announces 2 KB and whose GET sends without
    length until it closes: the download stops just past the limit, nothing stays on disk."""
    target = tmp_path / "ressource.csv"
    started = time.monotonic()
    with pytest.raises(NetworkError) as caught:
        network.download_to_file(streaming_server.url(path), target, max_bytes=LIMIT, timeout_s=20)
    error = caught.value
    assert error.kind == "too_large" and error.limit_bytes == LIMIT and error.announced_bytes is None
    assert LIMIT < error.received_bytes < LIMIT + MB  # what we read before stopping
    assert streaming_server.wait_done(path)
    assert streaming_server.sent[path] < LIMIT + SLACK  # the server could not push its 300 MB
    assert not target.exists()
    assert "de plus de 2 Mo" in str(error) and "arrêté" in str(error) and "rien n'a été gardé" in str(error)
    assert time.monotonic() - started < 15


def test_download_refuses_an_announced_size_over_the_limit_at_once(streaming_server, tmp_path):
    target = tmp_path / "ressource.csv"
    with pytest.raises(NetworkError) as caught:
        network.download_to_file(streaming_server.url("/announced.csv"), target, max_bytes=LIMIT, timeout_s=20)
    assert caught.value.kind == "too_large" and caught.value.announced_bytes == BIG
    assert caught.value.received_bytes == 0 and not target.exists()
    assert "Fichier de 300.0 Mo" in str(caught.value)
    assert streaming_server.wait_done("/announced.csv")
    assert streaming_server.sent["/announced.csv"] < SLACK


def test_download_under_the_limit_writes_the_whole_file(streaming_server, tmp_path, http_server):  # noqa: F811
    target = tmp_path / "ressource.csv"
    size = network.download_to_file(streaming_server.url("/small.csv"), target, max_bytes=LIMIT, timeout_s=10)
    assert target.read_bytes() == b"id;nom\n1;petit fichier\n" and size == len(target.read_bytes())
    assert network.download_to_file(streaming_server.url("/small.csv"), target, timeout_s=10) == size  # no limit
    http_server.route("/missing.csv", status=404, body="Ressource supprimée")
    with pytest.raises(NetworkError) as caught:
        network.download_to_file(http_server.url("/missing.csv"), target, max_bytes=LIMIT, timeout_s=10)
    assert caught.value.status == 404 and "Ressource supprimée" in str(caught.value)
    assert not target.exists()


def test_download_of_a_local_file_checks_its_size(tmp_path):
    source = tmp_path / "source.csv"
    source.write_bytes(b"x" * 5000)
    target = tmp_path / "copie.csv"
    assert network.download_to_file(source.as_uri(), target, max_bytes=10000) == 5000
    assert target.read_bytes() == source.read_bytes()
    with pytest.raises(NetworkError) as caught:
        network.download_to_file(str(source), tmp_path / "autre.csv", max_bytes=1000)
    assert caught.value.kind == "too_large" and not (tmp_path / "autre.csv").exists()


def test_download_can_be_cancelled(streaming_server, tmp_path):
    feedback = QgsFeedback()
    target = tmp_path / "ressource.csv"

    def cancel_once_data_arrived():
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not (target.exists() and target.stat().st_size > 512 * 1024):
            time.sleep(0.005)
        feedback.cancel()

    threading.Thread(target=cancel_once_data_arrived, daemon=True).start()
    with pytest.raises(NetworkError) as caught:
        network.download_to_file(streaming_server.url("/chunked.csv"), target, feedback=feedback, timeout_s=20)
    assert caught.value.kind == "cancelled" and not target.exists()


@pytest.mark.parametrize("path", ["/announced.csv", "/chunked.csv", "/lying.csv"])
def test_download_under_the_limit_keeps_every_byte_of_a_big_answer(tmp_path, path):
    """5 MB under a 20 MB limit, announced, chunked or until the connection closes: written whole (the small read
    buffer that bounds memory loses nothing)."""
    from tests.helpers.streaming_server import StreamingServer

    target = tmp_path / "ressource.csv"
    with StreamingServer(total=5 * MB) as server:
        size = network.download_to_file(server.url(path), target, max_bytes=20 * MB, timeout_s=20)
        assert server.wait_done(path)
        sent = server.sent[path]
    assert size == sent == target.stat().st_size >= 5 * MB
    assert target.read_bytes()[:14] == b"id;nom;valeur\n"


def test_download_that_cannot_be_written_fails_and_keeps_nothing(streaming_server, tmp_path, monkeypatch):
    """The disk fills up while the answer arrives: the error is not lost in Qt's slot (it used to be, and the
    cut file was returned as the whole download), the download stops, nothing stays on disk."""
    import errno
    import pathlib

    target = tmp_path / "ressource.csv"
    real_open = pathlib.Path.open

    class FullDisk:
        def __init__(self, stream):
            self.stream, self.written = stream, 0

        def write(self, data):
            if self.written + len(data) > 300_000:
                raise OSError(errno.ENOSPC, "No space left on device")
            self.written += len(data)
            return self.stream.write(data)

        def close(self):
            self.stream.close()

    def fake_open(self, *args, **kwargs):
        stream = real_open(self, *args, **kwargs)
        return FullDisk(stream) if self == target else stream

    monkeypatch.setattr(pathlib.Path, "open", fake_open)
    with pytest.raises(NetworkError) as caught:
        network.download_to_file(streaming_server.url("/chunked.csv"), target, max_bytes=LIMIT, timeout_s=20)
    assert caught.value.kind == "file" and not target.exists()
    assert streaming_server.wait_done("/chunked.csv")
