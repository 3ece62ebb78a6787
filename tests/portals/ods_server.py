"""A local Opendatasoft Automation API v1.0 for tests, held to the official OpenAPI contract.

Opendatasoft cannot run locally, so this server implements, with in-memory state, the endpoints the plugin
uses (``/api/automation/v1.0/…`` on 127.0.0.1, random port). **Every request and every response is validated
with openapi-core against**
``../shared/portals/opendatasoft/automation-api-v1.0.openapi-3.0.3.converted-with-fixes.json`` (the official
spec as converted to OpenAPI 3.0.3 by Opendatasoft's SDK team). A request that does not match the spec
(unknown path, missing field, read-only field sent, wrong type, no API key…) or a response of this fake that
does not match it is answered **500** with the validation error, and recorded in :attr:`OdsServer.violations`
(the fixture fails the test when it is not empty), so the fake cannot drift from the real contract.

Two in-memory adjustments are made to the spec document before use, both documented here:

- the down-conversion left 18 OpenAPI 3.1 ``{"type": "null"}`` alternatives in ``oneOf`` (e.g. ``previous``/
  ``next`` of paginated lists, ``choices``/``labels`` of template fields); they are rewritten to the 3.0 form
  ``{"enum": [null], "nullable": true}`` (same contract: the value may be null);
- ``servers`` becomes the relative ``/api/automation/v1.0`` so that requests to 127.0.0.1 match.

The document-level check of the spec itself is skipped: the official file has a few 3.0 non-conformities that do
not concern requests or responses (an empty ``required: []`` and example/default values that do not match their
own schema).

Fault injection (:meth:`OdsServer.fault`): an answer with a given status and Opendatasoft error body, a delay
(timeouts), a connection reset in the middle of the request body. Other knobs: :meth:`expire_key` (every request
gets 401), :meth:`delete_dataset` (the portal deletes a dataset), ``fail_next_processing`` (the next processing
ends in ``error`` with a message and record errors), ``processing_polls`` (how many status polls a processing
lasts).
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
import secrets
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import parse_qs, urlsplit

import pytest

SHARED_DIR = Path(__file__).resolve().parents[2].parent / "shared"
SPEC_PATH = SHARED_DIR / "portals" / "opendatasoft" / "automation-api-v1.0.openapi-3.0.3.converted-with-fixes.json"
API_PREFIX = "/api/automation/v1.0"


def require_spec() -> Path:
    if not SPEC_PATH.is_file():
        pytest.skip(f"Opendatasoft OpenAPI spec not found at {SPEC_PATH} (../shared is absent on this machine)")
    pytest.importorskip("openapi_core", reason="openapi-core is not installed (requirements/testing.txt)")
    return SPEC_PATH


def _null_to_30(node: Any) -> int:
    count = 0
    if isinstance(node, dict):
        for key in ("oneOf", "anyOf"):
            for i, alt in enumerate(node.get(key) or []):
                if alt == {"type": "null"}:
                    node[key][i] = {"enum": [None], "nullable": True}
                    count += 1
        for value in node.values():
            count += _null_to_30(value)
    elif isinstance(node, list):
        for value in node:
            count += _null_to_30(value)
    return count


@lru_cache(maxsize=1)
def load_openapi():
    """The openapi-core ``OpenAPI`` object of the official spec (see the module docstring)."""
    from openapi_core import Config, OpenAPI

    document = json.loads(require_spec().read_text(encoding="utf-8"))
    fixed = _null_to_30(document)
    assert fixed == 18, f"the spec changed: {fixed} 'type: null' alternatives (expected 18), review ods_server.py"
    document["servers"] = [{"url": API_PREFIX}]
    return OpenAPI.from_dict(document, config=Config(spec_validator_cls=None))


def validate_exchange(method: str, url: str, headers: Dict[str, str], body: bytes, response=None) -> List[str]:
    """Validate one request (and, when ``response=(status, headers, body)`` is given, its response) against
    the spec. Returns the list of validation error texts (empty: conforms)."""
    from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Request, Response

    api = load_openapi()
    split = urlsplit(url)
    builder = EnvironBuilder(
        path=split.path,
        base_url=f"{split.scheme}://{split.netloc}",
        query_string=split.query,
        method=method,
        headers=headers,
        data=body,
    )
    request = WerkzeugOpenAPIRequest(Request(builder.get_environ()))
    errors = []
    if response is None:
        try:
            api.validate_request(request)
        except Exception as exc:  # noqa: BLE001 - every validation failure is reported
            errors.append(_explain(exc))
        return errors
    status, resp_headers, resp_body = response
    wz_response = Response(resp_body, status=status, headers=resp_headers)
    try:
        api.validate_response(request, WerkzeugOpenAPIResponse(wz_response))
    except Exception as exc:  # noqa: BLE001
        errors.append(_explain(exc))
    return errors


def _explain(exc: BaseException) -> str:
    parts = [f"{type(exc).__name__}: {exc}"]
    cause = exc.__cause__
    while cause is not None:
        parts.append(f"{type(cause).__name__}: {cause}")
        for sub in getattr(cause, "schema_errors", None) or []:
            parts.append(f"  - {getattr(sub, 'message', sub)} at {list(getattr(sub, 'absolute_path', []))}")
        cause = cause.__cause__
    return "\n".join(parts)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _uid(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(3)}"


@dataclass
class Fault:
    method: str
    path_re: str  # regular expression on the path after /api/automation/v1.0
    status: Optional[int] = None
    body: Optional[Dict[str, Any]] = None
    delay: float = 0.0
    reset: bool = False  # reset the connection after reading part of the request body
    times: int = 1
    hits: int = 0


@dataclass
class Exchange:
    method: str
    path: str  # after the API prefix
    query: Dict[str, List[str]]
    status: int
    request_json: Any = None


@dataclass
class DomainConfig:
    """What the domain offers: licences and themes (ids are opaque, per domain) and the active templates."""

    licences: Dict[str, str] = field(
        default_factory=lambda: {
            "5sylls5": "CC BY 4.0",
            "9x2kq7h": "Licence Ouverte v2.0 (Etalab)",
            "4bj8ceb": "Open Database License (ODbL)",
        }
    )
    themes: Dict[str, str] = field(
        default_factory=lambda: {
            "t7aa1b2": "Transports, Déplacements",
            "t3cc4d5": "Environnement",
            "t9ee6f7": "Culture, Patrimoine",
        }
    )
    dcat: bool = True
    inspire: bool = False
    languages: Tuple[str, ...] = ("en", "fr", "nl", "pt", "it", "ar", "de", "es", "ca", "eu", "sv")


class OdsServer:
    """The fake portal. ``base_url`` is the portal root (what the agent types); the API is under
    ``/api/automation/v1.0``. ``api_key`` is generated at start (never written anywhere)."""

    def __init__(self, domain: Optional[DomainConfig] = None) -> None:
        load_openapi()
        self.domain = domain or DomainConfig()
        self.api_key = secrets.token_hex(28)
        self.username = "agent.sig"
        self.key_expired = False
        self.datasets: Dict[str, Dict[str, Any]] = {}
        self.files: Dict[str, Dict[str, Dict[str, Any]]] = {}  # dataset uid -> file uid -> DatasetFile + content
        self.resources: Dict[str, Dict[str, Dict[str, Any]]] = {}  # dataset uid -> resource uid -> Resource
        self.status: Dict[str, Dict[str, Any]] = {}
        self.processing_polls = 2
        self.fail_next_processing: Optional[str] = None
        self.faults: List[Fault] = []
        self.exchanges: List[Exchange] = []
        self.violations: List[str] = []
        self._lock = threading.RLock()
        self._httpd: Optional[ThreadingHTTPServer] = None
        self._thread: Optional[threading.Thread] = None

    # -- life cycle ------------------------------------------------------------------------------------

    def start(self) -> OdsServer:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):  # noqa: A002
                pass

            def _serve(self) -> None:
                server._handle(self)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve  # noqa: N815

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="ods-fake", daemon=True)
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

    @property
    def base_url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    # -- test knobs ------------------------------------------------------------------------------------

    def fault(self, method: str, path_re: str, **kwargs) -> Fault:
        fault = Fault(method=method.upper(), path_re=path_re, **kwargs)
        with self._lock:
            self.faults.append(fault)
        return fault

    def expire_key(self) -> None:
        self.key_expired = True

    def delete_dataset(self, uid: str) -> None:
        """The portal (an administrator) deletes the dataset."""
        with self._lock:
            for store in (self.datasets, self.files, self.resources, self.status):
                store.pop(uid, None)

    def calls(self, method: str, path_re: str) -> List[Exchange]:
        with self._lock:
            return [e for e in self.exchanges if e.method == method and re.fullmatch(path_re, e.path)]

    # -- HTTP plumbing ---------------------------------------------------------------------------------

    def _take_fault(self, method: str, path: str) -> Optional[Fault]:
        with self._lock:
            for fault in self.faults:
                if fault.hits < fault.times and fault.method == method and re.fullmatch(fault.path_re, path):
                    fault.hits += 1
                    return fault
        return None

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        split = urlsplit(handler.path)
        full_path = split.path
        path = full_path[len(API_PREFIX) :] if full_path.startswith(API_PREFIX) else full_path
        query = parse_qs(split.query)
        method = handler.command
        headers = dict(handler.headers.items())
        length = int(handler.headers.get("Content-Length") or 0)
        fault = self._take_fault(method, path)

        if fault is not None and fault.reset:
            handler.rfile.read(min(length, 1024))  # part of the body, then an abrupt reset (RST)
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            handler.close_connection = True
            handler.connection.close()
            with self._lock:
                self.exchanges.append(Exchange(method, path, query, 0))
            return

        body = handler.rfile.read(length) if length else b""
        url = f"{self.base_url}{handler.path}"
        request_errors = validate_exchange(method, url, headers, body)
        request_json = None
        if body and "json" in (handler.headers.get("Content-Type") or ""):
            with contextlib.suppress(ValueError):
                request_json = json.loads(body)
        if request_errors:
            with self._lock:
                self.violations.append(f"REQUEST {method} {path}: " + "\n".join(request_errors))
            status, payload = (
                500,
                {
                    "error_code": "spec_violation",
                    "message": "Request does not conform to the OpenAPI spec: " + request_errors[0][:500],
                },
            )
        elif fault is not None and fault.status is not None:
            status, payload = fault.status, fault.body or {"error_code": "internal_error", "message": "Injected."}
        elif self.key_expired or not self._authorised(headers, query):
            status, payload = (
                401,
                {
                    "error_code": "invalid_api_key",
                    "message": "The API key is invalid or has expired.",
                },
            )
        else:
            try:
                with self._lock:
                    status, payload = self._route(method, path, query, request_json, headers, body)
            except Exception as exc:  # noqa: BLE001 - a bug of the fake must be visible, not a hang
                with self._lock:
                    self.violations.append(f"FAKE CRASH {method} {path}: {exc!r}")
                status, payload = 500, {"error_code": "internal_error", "message": f"Fake crashed: {exc!r}"}

        data = b"" if payload is None else json.dumps(payload).encode("utf-8")
        resp_headers = {"Content-Type": "application/json"} if payload is not None else {}
        if not request_errors:
            response_errors = validate_exchange(method, url, headers, body, (status, resp_headers, data))
            if response_errors:
                with self._lock:
                    self.violations.append(f"RESPONSE {method} {path} {status}: " + "\n".join(response_errors))
                status = 500
                data = json.dumps(
                    {"error_code": "spec_violation", "message": "Response of the fake does not conform to the spec."}
                ).encode()
                resp_headers = {"Content-Type": "application/json"}
        with self._lock:
            self.exchanges.append(Exchange(method, path, query, status, request_json))
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        try:
            handler.send_response(status)
            for key, value in resp_headers.items():
                handler.send_header(key, value)
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _authorised(self, headers: Dict[str, str], query: Dict[str, List[str]]) -> bool:
        auth = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        if auth.lower().startswith("apikey ") and auth[7:].strip() == self.api_key:
            return True
        return (query.get("apikey") or [""])[0] == self.api_key

    # -- the API ---------------------------------------------------------------------------------------

    def _route(self, method, path, query, data, headers, body) -> Tuple[int, Any]:
        not_found = (404, {"error_code": "not_found", "message": "Not found."})
        m = re.fullmatch(r"/datasets/(?P<uid>[^/]+)/(?P<rest>.*)", path)
        if path == "/datasets/" and method == "GET":
            wanted = (query.get("dataset_id") or [None])[0]
            items = [d for d in self.datasets.values() if wanted is None or d["dataset_id"] == wanted]
            return 200, self._page(items, query)
        if path == "/datasets/" and method == "POST":
            return self._create_dataset(data)
        if path == "/metadata/templates/" and method == "GET":
            return 200, self._page(self._templates(), query)
        tm = re.fullmatch(r"/metadata/templates/(?P<name>[^/]+)/fields/", path)
        if tm and method == "GET":
            template = next((t for t in self._templates() if t["name"] == tm.group("name")), None)
            return (200, self._page(template["schema"], query)) if template else not_found
        if path == "/apikeys/" and method == "GET":
            key = {
                "uid": "ak_agent",
                "label": "QGIS",
                "permissions": ["create_dataset", "edit_dataset", "publish_dataset"],
                "created_at": _now(),
                "user": {"username": self.username},
                "is_revoked": False,
            }
            return 200, self._page([key], query)
        if path == "/extractors/" and method == "GET":
            return 200, self._extractors()
        if not m:
            return not_found
        uid, rest = m.group("uid"), m.group("rest")
        dataset = self.datasets.get(uid)
        if dataset is None:
            return not_found
        if rest == "" and method == "GET":
            return 200, dataset
        if rest == "metadata/" and method == "GET":
            return 200, dataset["metadata"]
        if rest == "metadata/" and method == "PUT":
            dataset["metadata"] = copy.deepcopy(data)
            dataset["updated_at"] = _now()
            return 200, dataset["metadata"]
        if rest == "resources/files/" and method == "POST":
            return self._upload(uid, headers, body)
        if rest == "resources/guess_extractors/" and method == "POST":
            return self._guess_extractors(uid, data)
        if rest == "resources/guess_extractor_params/" and method == "POST":
            return self._guess_params(uid, data)
        if rest == "resources/" and method == "GET":
            return 200, self._page(list(self.resources[uid].values()), query)
        if rest == "resources/" and method == "POST":
            return self._save_resource(uid, None, data)
        rm = re.fullmatch(r"resources/(?P<rid>[^/]+)/", rest)
        if rm and rm.group("rid") in self.resources[uid]:
            if method == "GET":
                return 200, self.resources[uid][rm.group("rid")]
            if method == "PUT":
                return self._save_resource(uid, rm.group("rid"), data)
        if rest == "publish/" and method == "POST":
            return self._publish(uid)
        if rest == "status/" and method == "GET":
            return 200, self._poll_status(uid)
        return not_found

    @staticmethod
    def _page(items: List[Any], query: Dict[str, List[str]]) -> Dict[str, Any]:
        offset = int(float((query.get("offset") or ["0"])[0]))
        limit = int(float((query.get("limit") or ["20"])[0]))
        page = items[offset : offset + limit]
        more = offset + limit < len(items)
        return {
            "total_count": len(items),
            "next": f"?limit={limit}&offset={offset + limit}" if more else None,
            "previous": None,
            "results": page,
        }

    def _templates(self) -> List[Dict[str, Any]]:
        def fld(name, ftype, label, **extra):
            item = {"name": name, "type": ftype, "label": label, "requirement_level": "optional"}
            item.update(extra)
            return item

        d = self.domain
        templates = [
            {
                "name": "default",
                "title": "Default",
                "type": "basic",
                "is_active": True,
                "schema": [
                    fld("title", "text", "Title", requirement_level="mandatory"),
                    fld("description", "html", "Description"),
                    fld("keyword", "list", "Keywords"),
                    fld("publisher", "text", "Publisher"),
                    fld("language", "enum", "Language", choices=list(d.languages)),
                    fld("modified", "datetime", "Modified"),
                ],
            },
            {
                "name": "internal",
                "title": "Internal",
                "type": "admin",
                "is_active": True,
                "schema": [
                    fld(
                        "license_id",
                        "enum",
                        "License",
                        choices=list(d.licences),
                        labels={k: {"fr": v, "en": v} for k, v in d.licences.items()},
                    ),
                    fld(
                        "theme_id",
                        "enumlist",
                        "Themes",
                        choices=list(d.themes),
                        labels={k: {"fr": v} for k, v in d.themes.items()},
                    ),
                    fld("draft", "boolean", "Draft"),
                ],
            },
        ]
        if d.dcat:
            freq = "http://publications.europa.eu/resource/authority/frequency/"
            templates.append(
                {
                    "name": "dcat",
                    "title": "DCAT",
                    "type": "interop",
                    "is_active": True,
                    "schema": [
                        fld("creator", "text", "Creator"),
                        fld("contact_name", "text", "Contact name"),
                        fld("contact_email", "text", "Contact email"),
                        fld(
                            "accrualperiodicity",
                            "uri_enum",
                            "Frequency",
                            choices=[freq + c for c in ("ANNUAL", "MONTHLY", "WEEKLY", "DAILY", "IRREG")],
                        ),
                        fld("created", "date", "Created"),
                        fld("issued", "date", "Issued"),
                        fld("conforms_to", "text", "Conforms to"),
                    ],
                }
            )
        if d.inspire:
            templates.append(
                {
                    "name": "inspire",
                    "title": "INSPIRE",
                    "type": "interop",
                    "is_active": True,
                    "schema": [fld("contact_email", "text", "Contact email")],
                }
            )
        return templates

    def _create_dataset(self, data) -> Tuple[int, Any]:
        dataset_id = data.get("dataset_id") or _uid("ds")
        if any(d["dataset_id"] == dataset_id for d in self.datasets.values()):
            return 400, {
                "error_code": "validation_error",
                "message": "Invalid input",
                "detail": {"dataset_id": ["A dataset with this identifier already exists."]},
            }
        problems = self._check_metadata(data.get("metadata") or {})
        if problems:
            return 400, {"error_code": "validation_error", "message": "Invalid input", "detail": problems}
        uid = _uid("da")
        now = _now()
        self.datasets[uid] = {
            "uid": uid,
            "dataset_id": dataset_id,
            "created_at": now,
            "updated_at": now,
            "is_published": False,
            "is_restricted": bool(data.get("is_restricted", False)),
            "metadata": copy.deepcopy(data["metadata"]),
        }
        self.files[uid] = {}
        self.resources[uid] = {}
        self.status[uid] = {"status": "idle", "since": now, "polls": 0, "target": "idle", "failure": None}
        return 201, self.datasets[uid]

    def _check_metadata(self, metadata: Dict[str, Any]) -> Dict[str, List[str]]:
        """Like the real portal: only ids of the domain are accepted for licence and themes."""
        problems: Dict[str, List[str]] = {}
        internal = metadata.get("internal") or {}
        licence = (internal.get("license_id") or {}).get("value")
        if licence is not None and licence not in self.domain.licences:
            problems["license_id"] = [f"'{licence}' is not a valid choice."]
        themes = (internal.get("theme_id") or {}).get("value")
        if themes is not None and any(t not in self.domain.themes for t in themes):
            problems["theme_id"] = ["Unknown theme."]
        return problems

    def _upload(self, uid: str, headers: Dict[str, str], body: bytes) -> Tuple[int, Any]:
        content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        boundary = re.search(r'boundary="?([^";]+)"?', content_type)
        if not boundary:
            return 400, {"error_code": "validation_error", "message": "Invalid input", "detail": {"file": ["?"]}}
        filename, content = None, b""
        for part in body.split(b"--" + boundary.group(1).encode()):
            head, _, payload = part.partition(b"\r\n\r\n")
            disposition = re.search(rb'name="file"; filename="([^"]*)"', head)
            if disposition:
                filename = disposition.group(1).decode("utf-8", "replace")
                content = payload[:-2] if payload.endswith(b"\r\n") else payload
        if filename is None:
            return 400, {"error_code": "validation_error", "message": "Invalid input", "detail": {"file": ["missing"]}}
        file_uid = f"{secrets.token_hex(4)}-{filename}"
        item = {"uid": file_uid, "filename": filename, "mimetype": "text/csv", "created_at": _now()}
        self.files[uid][file_uid] = dict(item, content=content)
        return 201, item

    @staticmethod
    def _extractors() -> List[Dict[str, Any]]:
        return [
            {
                "type": "csvfile",
                "label": "CSV",
                "parameters": [{"type": "string", "is_mandatory": False, "name": "separator"}],
            },
            {"type": "geojson", "label": "GeoJSON", "parameters": []},
            {"type": "shapefile", "label": "Shapefile", "parameters": []},
        ]

    def _file_of(self, uid: str, datasource: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        if datasource.get("type") != "uploaded_file":
            return None
        return self.files[uid].get((datasource.get("file") or {}).get("uid", ""))

    def _guess_extractors(self, uid: str, data) -> Tuple[int, Any]:
        stored = self._file_of(uid, data["datasource"])
        if stored is None:
            return 400, {"error_code": "validation_error", "message": "Invalid input", "detail": {"file": ["Unknown."]}}
        name = stored["filename"].lower()
        by_ext = {".csv": "csvfile", ".geojson": "geojson", ".json": "geojson", ".zip": "shapefile"}
        wanted = next((t for ext, t in by_ext.items() if name.endswith(ext)), None)
        return 200, [e for e in self._extractors() if e["type"] == wanted]

    def _guess_params(self, uid: str, data) -> Tuple[int, Any]:
        if self._file_of(uid, data["datasource"]) is None:
            return 400, {"error_code": "validation_error", "message": "Invalid input", "detail": {"file": ["Unknown."]}}
        params = {"separator": ",", "encoding": "utf-8", "headers_first_row": True} if data["type"] == "csvfile" else {}
        return 200, {"extractor": data["type"], "params": params}

    def _save_resource(self, uid: str, rid: Optional[str], data) -> Tuple[int, Any]:
        stored = self._file_of(uid, data.get("datasource") or {})
        if stored is None:
            return 400, {"error_code": "validation_error", "message": "Invalid input", "detail": {"datasource": ["?"]}}
        rid = rid or _uid("re")
        resource = {
            "uid": rid,
            "type": data["type"],
            "title": data["title"],
            "display_name": stored["filename"],
            "params": data.get("params") or {},
            "datasource": {"type": "uploaded_file", "file": {"uid": stored["uid"]}},
            "extraction_infos": {"label": data["type"], "type": data["type"]},
            "updated_at": _now(),
        }
        created = rid not in self.resources[uid]
        self.resources[uid][rid] = resource
        return (201 if created else 200), resource

    def _publish(self, uid: str) -> Tuple[int, Any]:
        state = self.status[uid]
        if state["status"] not in ("idle", "error", "limit_reached"):
            return 400, {
                "error_code": "invalid_dataset_status",
                "message": f"Invalid precondition, dataset status is '{state['status']}' but must be one of 'idle'",
            }
        state.update(status="queued", since=_now(), polls=0, failure=self.fail_next_processing)
        self.fail_next_processing = None
        return 200, {"detail": "ok"}

    def _poll_status(self, uid: str) -> Dict[str, Any]:
        state = self.status[uid]
        state["polls"] += 1
        previous = None
        if state["status"] in ("queued", "processing") and state["polls"] >= self.processing_polls:
            previous = state["status"]
            if state["failure"]:
                state["status"] = "error"
            else:
                state["status"] = "idle"
                self.datasets[uid]["is_published"] = True
            state["since"] = _now()
        elif state["status"] == "queued":
            previous, state["status"] = "queued", "processing"
        answer = {
            "status": state["status"],
            "previous": previous,
            "next": None,
            "since": state["since"],
            "is_published": self.datasets[uid]["is_published"],
            "message": None,
            "records_errors": [],
            "params": {},
        }
        if state["status"] == "error":
            answer["message"] = state["failure"]
            answer["records_errors"] = [
                {"record_id": "r1", "field_uid": "geo", "processor_uid": "", "message": "Invalid geometry"}
            ]
        return answer


@pytest.fixture
def ods_server():
    """A started :class:`OdsServer`; the test fails if any exchange violated the OpenAPI spec."""
    require_spec()
    server = OdsServer().start()
    try:
        yield server
    finally:
        server.stop()
    assert not server.violations, "exchanges violating the Opendatasoft OpenAPI spec:\n" + "\n\n".join(
        server.violations
    )
