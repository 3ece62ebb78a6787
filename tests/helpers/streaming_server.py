"""A local HTTP server (127.0.0.1, free port) that streams big answers, to test size limits during a download.

Routes (GET; HEAD answers the headers only):

- ``/chunked.csv``: ``Transfer-Encoding: chunked``, no ``Content-Length``, up to ``total`` bytes;
- ``/lying.csv``: its ``HEAD`` announces ``Content-Length: 2048`` but the ``GET`` sends up to ``total`` bytes with
  no length, until it closes the connection (HTTP/1.0 style);
- ``/announced.csv``: announces its real, big ``Content-Length`` and sends it;
- ``/small.csv``: ``body`` (a small file, announced honestly).

``sent[path]`` counts the bytes of body the server managed to write before the client went away (a client that
stops reading makes the next write fail: the server stops there). Pure standard library, no QGIS.

Usage::

    with StreamingServer(total=300 * 1024 * 1024, body=b"a;b\\n1;2\\n") as server:
        download(server.url("/chunked.csv"))
        assert server.sent["/chunked.csv"] < limit + 16 * 1024 * 1024
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict

CHUNK = 64 * 1024
LINE = b"id;nom;valeur\n" + b"1;texte de remplissage;42\n" * (CHUNK // 26)


class StreamingServer:
    def __init__(self, total: int, body: bytes = b"") -> None:
        self.total = total
        self.body = body
        self.sent: Dict[str, int] = {}
        self.done: Dict[str, threading.Event] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args) -> None:  # quiet
                pass

            def _stream(self, path: str, chunked: bool) -> None:
                server.sent[path] = 0
                block = (LINE * (CHUNK // len(LINE) + 1))[:CHUNK]
                try:
                    while server.sent[path] < server.total:
                        if chunked:
                            self.wfile.write(f"{len(block):x}\r\n".encode() + block + b"\r\n")
                        else:
                            self.wfile.write(block)
                        server.sent[path] += len(block)
                    if chunked:
                        self.wfile.write(b"0\r\n\r\n")
                except OSError:  # the client went away: stop writing
                    pass
                finally:
                    server.done.setdefault(path, threading.Event()).set()
                    self.close_connection = True

            def _answer(self, head_only: bool) -> None:
                path = self.path.split("?")[0]
                if path == "/chunked.csv":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/csv")
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    if not head_only:
                        self._stream(path, chunked=True)
                elif path == "/lying.csv":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/csv")
                    if head_only:
                        self.send_header("Content-Length", "2048")
                        self.end_headers()
                        return
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self._stream(path, chunked=False)
                elif path == "/announced.csv":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/csv")
                    self.send_header("Content-Length", str(server.total))
                    self.end_headers()
                    if not head_only:
                        self._stream(path, chunked=False)
                elif path == "/small.csv":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/csv")
                    self.send_header("Content-Length", str(len(server.body)))
                    self.end_headers()
                    if not head_only:
                        self.wfile.write(server.body)
                else:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()

            def do_GET(self) -> None:  # noqa: N802 - http.server API
                self._answer(head_only=False)

            def do_HEAD(self) -> None:  # noqa: N802 - http.server API
                self._answer(head_only=True)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}{path}"

    def wait_done(self, path: str, timeout: float = 20.0) -> bool:
        """Wait until the server stopped writing ``path`` (client gone or body complete)."""
        deadline = time.monotonic() + timeout
        while path not in self.done and time.monotonic() < deadline:
            time.sleep(0.01)
        return path in self.done and self.done[path].wait(max(0.0, deadline - time.monotonic()))

    def __enter__(self) -> StreamingServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
