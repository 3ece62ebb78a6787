"""network.upload_multipart: streamed multipart upload against local HTTP servers (127.0.0.1 only)."""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from qgis.core import QgsFeedback

from opendata_publisher.toolbelt.network import NetworkError, upload_multipart
from tests.helpers.http_server import http_server  # noqa: F401


def parse_multipart(content_type: str, body: bytes):
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    parts = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        parts[name] = (part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
    return parts


def test_body_fields_and_file_arrive_complete(http_server, tmp_path):  # noqa: F811
    payload = bytes(range(256)) * 4000 + "é fin".encode()
    source = tmp_path / "données.csv"
    source.write_bytes(payload)
    http_server.route("/upload", handler=lambda req: (201, {}, {"id": "r1"}), methods=["POST"])
    seen = []
    status, headers, body = upload_multipart(
        http_server.url("/upload"),
        source,
        fields={"title": "Parkings « 2024 »"},
        headers={"X-API-KEY": "not-a-real-key"},
        progress=lambda sent, total: seen.append((sent, total)),
        timeout_s=10,
    )
    assert status == 201 and json.loads(body) == {"id": "r1"}
    request = http_server.last_request
    assert request.header("X-API-KEY") == "not-a-real-key"
    assert request.header("User-Agent").startswith("opendata_publisher/")
    assert int(request.header("Content-Length")) == len(request.body)
    parts = parse_multipart(request.header("Content-Type"), request.body)
    assert parts["title"][2].decode("utf-8") == "Parkings « 2024 »"
    filename, mime, data = parts["file"]
    assert filename == "données.csv" and mime == "text/csv"
    assert data == payload
    assert seen and seen[-1][0] == seen[-1][1] >= len(payload)
    assert [s for s, _t in seen] == sorted(s for s, _t in seen)


def test_http_error_carries_status_and_portal_text(http_server, tmp_path):  # noqa: F811
    source = tmp_path / "f.bin"
    source.write_bytes(b"x" * 1000)
    http_server.route("/upload", status=413, body={"message": "File too large"})
    with pytest.raises(NetworkError) as caught:
        upload_multipart(http_server.url("/upload"), source, timeout_s=10)
    assert caught.value.status == 413 and "File too large" in str(caught.value)
    assert "trop gros" in str(caught.value)


def test_timeout(http_server, tmp_path):  # noqa: F811
    source = tmp_path / "f.bin"
    source.write_bytes(b"x" * 1000)
    http_server.route("/slow", body="late", delay=4)
    start = time.monotonic()
    with pytest.raises(NetworkError) as caught:
        upload_multipart(http_server.url("/slow"), source, timeout_s=1)
    assert caught.value.kind == "timeout"
    assert time.monotonic() - start < 3.5


def test_cancel(http_server, tmp_path):  # noqa: F811
    source = tmp_path / "f.bin"
    source.write_bytes(b"x" * 1000)
    http_server.route("/slow", body="late", delay=4)
    feedback = QgsFeedback()
    timer = threading.Timer(0.3, feedback.cancel)
    timer.start()
    start = time.monotonic()
    with pytest.raises(NetworkError) as caught:
        upload_multipart(http_server.url("/slow"), source, timeout_s=30, feedback=feedback)
    timer.cancel()
    assert caught.value.kind == "cancelled"
    assert time.monotonic() - start < 3


STREAMING_SERVER = r"""
import hashlib, json, sys
from http.server import BaseHTTPRequestHandler, HTTPServer

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args):
        pass
    def do_POST(self):
        # hash the file part while it streams in: skip the part headers, hold back the closing boundary
        boundary = self.headers["Content-Type"].split("boundary=")[1].strip('"').encode()
        closing = b"\r\n--" + boundary + b"--\r\n"
        remaining = int(self.headers["Content-Length"])
        digest, size, head, tail = hashlib.sha256(), 0, b"", b""
        while remaining:
            block = self.rfile.read(min(remaining, 1 << 20))
            if not block:
                break
            remaining -= len(block)
            if head is not None:
                head += block
                if b"\r\n\r\n" not in head:
                    continue
                block = head[head.index(b"\r\n\r\n") + 4 :]
                head = None
            tail += block
            keep = len(closing)
            digest.update(tail[:-keep])
            size += len(tail[:-keep])
            tail = tail[-keep:]
        body = json.dumps({"size": size, "sha256": digest.hexdigest(), "closed": tail == closing}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

server = HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def _rss_peak_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux /proc to measure memory")
def test_large_upload_streams_in_constant_memory(tmp_path):
    size = 64 * 1024 * 1024
    source = tmp_path / "big.bin"
    with open(source, "wb") as handle:  # sparse file: nothing is held in memory by the test either
        handle.truncate(size)
    expected = hashlib.sha256()
    zeros = bytes(1 << 20)
    for _ in range(size >> 20):
        expected.update(zeros)
    server = subprocess.Popen([sys.executable, "-c", STREAMING_SERVER], stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline())
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak RSS of this process
        base = _rss_kb()
        status, _headers, body = upload_multipart(f"http://127.0.0.1:{port}/upload", source, timeout_s=30)
        peak = _rss_peak_kb()
    finally:
        server.terminate()
        server.wait(timeout=5)
    answer = json.loads(body)
    assert status == 201
    assert answer == {"size": size, "sha256": expected.hexdigest(), "closed": True}  # complete, intact
    growth_mb = (peak - base) / 1024
    assert growth_mb < 24, f"peak memory grew by {growth_mb:.0f} MB for a {size >> 20} MB upload"


class _ClosingServer:
    """Reads each whole request (the server "processed" it), then resets the connection without answering."""

    def __init__(self):
        import socket

        self.count = 0
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(8)
        threading.Thread(target=self._serve, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}{path}"

    def _serve(self):
        import socket
        import struct

        while True:
            try:
                conn, _addr = self._sock.accept()
            except OSError:
                return
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = next(
                (
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                ),
                0,
            )
            while len(body) < length:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                body += chunk
            self.count += 1
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()

    def close(self):
        self._sock.close()


@pytest.fixture
def closing_server():
    server = _ClosingServer()
    yield server
    server.close()


def test_qt_never_sends_an_upload_again_after_the_connection_closed(closing_server, tmp_path):
    # Qt re-sends on its own (up to 3 more times) a request whose connection closed before the answer: the
    # portal may have stored each copy. The upload is sent once and fails with a French message instead.
    source = tmp_path / "data.csv"
    source.write_bytes(b"a,b\n" * 50_000)
    with pytest.raises(NetworkError) as info:
        upload_multipart(closing_server.url("/upload"), source, timeout_s=10)
    assert closing_server.count == 1
    assert info.value.kind == "refused" and "coupée avant sa réponse" in str(info.value)


def test_an_upload_safe_to_repeat_may_be_sent_again_by_qt(closing_server, tmp_path):
    source = tmp_path / "data.csv"
    source.write_bytes(b"a,b\n" * 1000)
    with pytest.raises(NetworkError):
        upload_multipart(closing_server.url("/upload"), source, timeout_s=10, allow_resend=True)
    assert closing_server.count > 1
