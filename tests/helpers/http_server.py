"""A small local HTTP server for tests (127.0.0.1, random free port, one background thread).

It serves files from a directory and/or programmable routes (status, body, headers, delay), and
records every request it receives (method, path, headers, body) so tests can assert what was sent.

Usage::

    from tests.helpers.http_server import LocalHTTPServer

    with LocalHTTPServer(directory=tmp_path) as server:       # files under tmp_path at server.url("/…")
        server.route("/missing", status=404, body="not here")  # fixed answer
        server.route("/slow", body=b"{}", delay=2.0)           # answers after 2 s
        server.route("/echo", handler=lambda req: (200, {"X-Seen": req.path}, req.body), methods=["POST"])
        fetch(server.url("/missing"))
        assert server.requests[-1].headers["User-Agent"].startswith("opendata_publisher/")

Or as a pytest fixture (import it into the test module)::

    from tests.helpers.http_server import http_server  # noqa: F401

    def test_x(http_server):
        http_server.route("/a", body="ok")

Routes win over files; a path matching neither answers 404. ``stop()`` closes the port (a later request
gets "connection refused"); ``start()`` may not be called again on a stopped server: make a new one.
Pure standard library, no QGIS.
"""

from __future__ import annotations

import json
import mimetypes
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Tuple, Union
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

Body = Union[bytes, str, dict, list]
HandlerResult = Tuple[int, Dict[str, str], Body]


@dataclass
class RecordedRequest:
    """One request received by the server."""

    method: str
    path: str  # without the query string, percent-decoded
    query: Dict[str, List[str]]
    headers: Dict[str, str]  # as sent (case preserved); use header() for a case-insensitive lookup
    body: bytes = b""

    def header(self, name: str, default: str = "") -> str:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return default

    def json(self):
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Route:
    status: int = 200
    body: Body = b""
    headers: Dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    handler: Optional[Callable[[RecordedRequest], HandlerResult]] = None
    methods: Optional[Tuple[str, ...]] = None  # None: any method


def _to_bytes(body: Body) -> Tuple[bytes, Optional[str]]:
    """Body as bytes plus a default content type."""
    if isinstance(body, bytes):
        return body, "application/octet-stream"
    if isinstance(body, str):
        return body.encode("utf-8"), "text/plain; charset=utf-8"
    return json.dumps(body).encode("utf-8"), "application/json"


class LocalHTTPServer:
    """Threaded HTTP server on 127.0.0.1 for tests. See the module docstring."""

    def __init__(self, directory: Optional[Union[str, Path]] = None) -> None:
        self.directory = Path(directory) if directory is not None else None
        self.routes: Dict[str, Route] = {}
        self.requests: List[RecordedRequest] = []
        self._lock = threading.Lock()
        self._httpd: Optional[ThreadingHTTPServer] = None
        self._thread: Optional[threading.Thread] = None

    # -- configuration ---------------------------------------------------------------------------------

    def route(
        self,
        path: str,
        body: Body = b"",
        status: int = 200,
        headers: Optional[Dict[str, str]] = None,
        delay: float = 0.0,
        handler: Optional[Callable[[RecordedRequest], HandlerResult]] = None,
        methods: Optional[Iterable[str]] = None,
    ) -> None:
        """Answer requests for ``path`` (exact, query string ignored).

        ``body`` may be bytes, str (sent as UTF-8 text) or a dict/list (sent as JSON). ``delay`` seconds
        are waited before answering. ``handler(request) -> (status, headers, body)`` replaces the fixed
        answer when given. ``methods`` limits the route to these HTTP methods (others get 405).
        """
        with self._lock:
            self.routes[path] = Route(
                status=status,
                body=body,
                headers=dict(headers or {}),
                delay=delay,
                handler=handler,
                methods=tuple(m.upper() for m in methods) if methods else None,
            )

    # -- life cycle ------------------------------------------------------------------------------------

    def start(self) -> LocalHTTPServer:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):  # noqa: A002 - silence the default stderr logging
                pass

            def _serve(self) -> None:
                server._handle(self)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _serve  # noqa: N815

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="test-http-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> LocalHTTPServer:
        return self.start() if self._httpd is None else self

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- addresses -------------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        """Absolute URL of ``path`` on this server."""
        return self.base_url + (path if path.startswith("/") else "/" + path)

    @property
    def last_request(self) -> RecordedRequest:
        with self._lock:
            return self.requests[-1]

    # -- request handling ------------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        split = urlsplit(handler.path)
        path = unquote(split.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        recorded = RecordedRequest(
            method=handler.command,
            path=path,
            query=parse_qs(split.query),
            headers=dict(handler.headers.items()),
            body=body,
        )
        with self._lock:
            self.requests.append(recorded)
            route = self.routes.get(path)

        if route is not None:
            if route.methods and handler.command not in route.methods:
                status, headers, payload = 405, {}, "method not allowed"
            elif route.handler is not None:
                status, headers, payload = route.handler(recorded)
            else:
                status, headers, payload = route.status, route.headers, route.body
            if route.delay:
                time.sleep(route.delay)
        else:
            status, headers, payload = self._from_directory(path)

        data, default_type = _to_bytes(payload)
        try:
            handler.send_response(status)
            sent = {k.lower() for k in headers}
            for key, value in headers.items():
                handler.send_header(key, value)
            if "content-type" not in sent and default_type:
                handler.send_header("Content-Type", default_type)
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            if handler.command != "HEAD":
                handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout tests): nothing to do

    def _from_directory(self, path: str) -> Tuple[int, Dict[str, str], Body]:
        if self.directory is None:
            return 404, {}, f"Not found: {path}"
        root = self.directory.resolve()
        target = (root / path.lstrip("/")).resolve()
        if root != target and root not in target.parents:
            return 403, {}, "Forbidden"
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return 404, {}, f"Not found: {path}"
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type == "application/json":
            content_type += "; charset=utf-8"
        return 200, {"Content-Type": content_type}, target.read_bytes()


@pytest.fixture
def http_server():
    """A started :class:`LocalHTTPServer` without directory, stopped after the test."""
    with LocalHTTPServer() as server:
        yield server
