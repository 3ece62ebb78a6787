"""A fault-injecting HTTP proxy for the portal tests (127.0.0.1 only, standard library).

It sits in front of a real portal (udata served by ``udata_server.py``) and forwards every request,
unless a rule says otherwise. Rules match on the method, a regular expression on the path and an optional
byte string inside the request body, and fire a given number of times (after letting the first ``skip``
matching requests through untouched; not for ``reset`` rules):

- ``delay``: wait ``seconds`` and then forward (the client may have given up: timeout);
- ``stall``: read the request, wait ``seconds``, close without forwarding (nothing reaches the portal);
- ``status``: answer ``status`` / ``body`` without forwarding (e.g. 500 on one chunk, a proxy's HTML 413);
- ``status_after``: forward (the portal stores it) but answer ``status`` instead of the portal's answer;
- ``reset``: read part of the body, then reset the TCP connection (RST) without forwarding;
- ``forward_reset``: forward (the portal stores it), then reset the connection instead of answering (a front
  proxy cutting a slow answer: Qt would silently send the request again).

Every request is recorded (method, path, body, action taken) for the assertions. HTTP/1.0-style: one
request per connection (``Connection: close``), the ``Host`` header is rewritten to the upstream.
"""

from __future__ import annotations

import contextlib
import re
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from typing import List, Optional, Tuple


@dataclass
class Rule:
    action: str  # delay, stall, status, status_after, reset, forward_reset
    method: str = ""
    path: str = ""  # regular expression searched in the path
    body_contains: bytes = b""
    times: int = 1
    seconds: float = 0.0
    status: int = 500
    body: bytes = b'{"message": "Internal Server Error"}'
    content_type: str = "application/json"
    skip: int = 0  # matching requests forwarded untouched before the rule fires
    headers: Tuple[Tuple[str, str], ...] = ()  # extra answer headers of "status" (e.g. Location, Retry-After)
    fired: int = 0
    skipped: int = 0

    def matches(self, method: str, path: str, body: bytes) -> bool:
        if self.fired >= self.times:
            return False
        if self.method and self.method != method:
            return False
        if self.path and not re.search(self.path, path):
            return False
        if self.body_contains and self.body_contains not in body:
            return False
        if self.skipped < self.skip:
            self.skipped += 1
            return False
        return True


@dataclass
class Seen:
    method: str
    path: str
    body: bytes
    action: str = "forward"
    status: Optional[int] = None

    def form_field(self, name: str) -> str:
        """Value of a text field of a multipart body ("" when absent)."""
        match = re.search(rb'name="' + name.encode() + rb'"\r\n\r\n([^\r]*)\r\n', self.body)
        return match.group(1).decode() if match else ""


@dataclass
class FaultProxy:
    upstream_host: str
    upstream_port: int
    rules: List[Rule] = field(default_factory=list)
    seen: List[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.port = self._sock.getsockname()[1]
        self._lock = threading.Lock()
        self._stop = False
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def add(self, rule: Rule) -> Rule:
        with self._lock:
            self.rules.append(rule)
        return rule

    def reset(self) -> None:
        with self._lock:
            self.rules.clear()
            self.seen.clear()

    def requests(self, method: str = "", path: str = "") -> List[Seen]:
        with self._lock:
            return [
                s for s in self.seen if (not method or s.method == method) and (not path or re.search(path, s.path))
            ]

    def close(self) -> None:
        self._stop = True
        with contextlib.suppress(OSError):
            self._sock.close()

    # -- internals ---------------------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._stop:
            try:
                conn, _addr = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    @staticmethod
    def _read_head(conn: socket.socket) -> Tuple[bytes, bytes]:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        return head, rest

    def _handle(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(60)
            head, body = self._read_head(conn)
            if not head:
                conn.close()
                return
            lines = head.split(b"\r\n")
            method, target, _version = lines[0].decode("latin-1").split(" ", 2)
            headers = []
            length = 0
            for line in lines[1:]:
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value.strip())
                if name.lower() in ("host", "connection", "keep-alive", "proxy-connection"):
                    continue
                headers.append(f"{name}:{value}")
            # the body is needed to match rules on it, except for "reset", decided after a partial read
            with self._lock:
                reset_rule = next(
                    (r for r in self.rules if r.action == "reset" and r.matches(method, target, b"")), None
                )
                if reset_rule is not None:
                    reset_rule.fired += 1
            if reset_rule is not None:
                while len(body) < min(length, 4096):
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    body += chunk
                self._record(Seen(method, target, body, "reset"))
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                conn.close()
                return
            while len(body) < length:
                chunk = conn.recv(min(1 << 20, length - len(body)))
                if not chunk:
                    break
                body += chunk
            with self._lock:
                rule = next((r for r in self.rules if r.matches(method, target, body)), None)
                if rule is not None:
                    rule.fired += 1
            seen = Seen(method, target, body, rule.action if rule else "forward")
            self._record(seen)
            if rule is not None and rule.action == "stall":
                time.sleep(rule.seconds)
                conn.close()
                return
            if rule is not None and rule.action == "status":
                seen.status = rule.status
                self._answer(conn, rule.status, rule.body, rule.content_type, rule.headers)
                return
            if rule is not None and rule.action == "delay":
                time.sleep(rule.seconds)
            request = f"{method} {target} HTTP/1.1\r\n".encode("latin-1")
            request += f"Host: {self.upstream_host}:{self.upstream_port}\r\nConnection: close\r\n".encode("latin-1")
            request += "".join(h + "\r\n" for h in headers).encode("latin-1") + b"\r\n" + body
            response = self._forward(request)
            if rule is not None and rule.action == "forward_reset":
                match = re.match(rb"HTTP/\S+ (\d+)", response)
                seen.status = int(match.group(1)) if match else None
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                conn.close()
                return
            if rule is not None and rule.action == "status_after":
                seen.status = rule.status
                self._answer(conn, rule.status, rule.body, rule.content_type)
                return
            match = re.match(rb"HTTP/\S+ (\d+)", response)
            seen.status = int(match.group(1)) if match else None
            with contextlib.suppress(OSError):
                conn.sendall(response)
            conn.close()
        except OSError:
            with contextlib.suppress(OSError):
                conn.close()

    def _record(self, seen: Seen) -> None:
        with self._lock:
            self.seen.append(seen)

    def _forward(self, request: bytes) -> bytes:
        with socket.create_connection((self.upstream_host, self.upstream_port), timeout=60) as up:
            up.sendall(request)
            chunks = []
            while True:
                data = up.recv(65536)
                if not data:
                    break
                chunks.append(data)
        return b"".join(chunks)

    @staticmethod
    def _answer(conn: socket.socket, status: int, body: bytes, content_type: str, headers=()) -> None:
        extra = "".join(f"{name}: {value}\r\n" for name, value in headers)
        head = (
            f"HTTP/1.1 {status} Injected\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
            f"{extra}Connection: close\r\n\r\n"
        ).encode("latin-1")
        with contextlib.suppress(OSError):
            conn.sendall(head + body)
        conn.close()
