"""One HTTP core for the portal adapters (udata, Opendatasoft, CKAN).

Retries decide whether a dataset gets duplicated, so they live here, once:

- **retry policy** — only idempotent requests are retried (GET, HEAD, PUT of a full object, DELETE, or a
  request the adapter declares idempotent); on a timeout, a cut or refused connection, 429, 500, 502, 503
  or 504; waiting ``retry_delays`` between tries, or the portal's ``Retry-After`` (up to
  :data:`MAX_RETRY_AFTER_S`). A request that may create something (POST) is sent once: the adapter then
  looks up what the portal kept before doing anything else;
- :meth:`PortalHttp.request_json` — one JSON request, the answer decoded;
- :meth:`PortalHttp.upload` — one streamed multipart upload, never retried;
- **network error → PortalError** — the adapter gives one ``describe(exc, step, write)`` function (its own
  wording, the portal's error text and advice); the core adds what every adapter must say the same way:
  cancel, a redirect to another origin, and that a write whose answer was lost may have been done;
- **credentials go to the connection's own origin only** (scheme, host, port): Qt is told not to follow
  redirects for requests carrying the key; a redirect to the same origin is followed here with the key, one
  to another origin fails with a clear French message (no key sent there);
- **redaction** — every text that leaves the core (messages, portal texts, logs) is redacted by value
  (the key itself) and by pattern (:func:`redact_text`).

Also here: :func:`check_portal_url`, the rule that portal addresses use https (loopback addresses excepted).
"""

from __future__ import annotations

import ipaddress
import json
import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Optional, Tuple
from urllib.parse import urljoin, urlsplit

from ...toolbelt import network
from ...toolbelt.log import log, redact
from ...toolbelt.network import NetworkError
from .base import PortalConnection, PortalError

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE"})
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
TRANSIENT_KINDS = frozenset({"timeout", "refused", "network", "other"})
#: a ``Retry-After`` longer than this is not waited for: the error says when to try again
MAX_RETRY_AFTER_S = 30.0
#: same-origin redirects followed (with the key) before giving up
MAX_REDIRECTS = 3

#: Describe a network failure in the adapter's words: ``describe(exc, step, write) -> PortalError``
Describe = Callable[[NetworkError, str, bool], PortalError]


# --- origins and addresses ------------------------------------------------------------------------------


def origin(url: str) -> Tuple[str, str, int]:
    """``(scheme, host, port)`` of ``url``, the port made explicit (80 / 443 by default)."""
    parts = urlsplit(str(url or "").strip())
    scheme = (parts.scheme or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None:
        port = {"http": 80, "https": 443}.get(scheme, 0)
    return scheme, (parts.hostname or "").lower(), port


def same_origin(url: str, other: str) -> bool:
    return origin(url) == origin(other)


def is_loopback(host: str) -> bool:
    host = (host or "").strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_portal_url(url: str) -> str:
    """ "" when ``url`` may receive an API key, else a French sentence saying why not and what to do.

    https is required; http is accepted only for loopback addresses (tests, a portal on this computer)."""
    text = str(url or "").strip()
    scheme, host, _port = origin(text)
    if scheme not in ("http", "https") or not host:
        return (
            f"L'adresse du portail « {text} » n'est pas une adresse web complète : indiquez-la en entier, par "
            "exemple https://www.data.gouv.fr."
        )
    if scheme == "http" and not is_loopback(host):
        return (
            f"L'adresse du portail « {text} » n'est pas sécurisée (http://) : la clé d'API circulerait en clair. "
            "Indiquez l'adresse en https:// (Préférences > Options > Données ouvertes)."
        )
    return ""


# --- redaction --------------------------------------------------------------------------------------------


def redact_text(text: Any, secrets: Iterable[str] = ()) -> str:
    """``text`` with every secret masked: the given values wherever they appear, then the patterns of
    :func:`opendata_publisher.toolbelt.log.redact` (``name: value`` pairs in every quoting style:
    ``Authorization: apikey K``, ``{'X-API-KEY': 'K'}``, ``{"authorization": "K"}``…)."""
    out = "" if text is None else str(text)
    for secret in secrets:
        if secret and len(secret) >= 4:
            out = out.replace(secret, "***")
    return redact(out)


def redacted_error(error: PortalError, secrets: Iterable[str]) -> PortalError:
    """``error`` with its message and portal text redacted (same object)."""
    secrets = list(secrets)
    error.args = (redact_text(str(error), secrets),) + tuple(error.args[1:])
    error.portal_message = redact_text(error.portal_message, secrets)
    return error


# --- the core ---------------------------------------------------------------------------------------------


class PortalHttp:
    """The HTTP side of one adapter: ``PortalHttp(connection, credentials=..., describe=...)``.

    :param credentials: returns the headers that carry the key (called lazily, once per request);
    :param describe: the adapter's ``describe(exc, step, write) -> PortalError``;
    :param step_label: ``step -> French label`` used by the core's own sentences.
    """

    def __init__(
        self,
        connection: PortalConnection,
        *,
        credentials: Callable[[], Dict[str, str]],
        describe: Describe,
        step_label: Callable[[str], str] = lambda step: step,
        retry_delays: Tuple[float, ...] = (1.0, 3.0, 8.0),
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.connection = connection
        self._credentials = credentials
        self._describe = describe
        self._label = step_label
        self.retry_delays = tuple(retry_delays)
        self._sleep = sleep
        self._secret_values: Tuple[str, ...] = ()

    # -- secrets and messages -------------------------------------------------------------------------

    @property
    def host(self) -> str:
        return urlsplit(self.connection.base_url.strip()).netloc or "le portail"

    def auth_headers(self) -> Dict[str, str]:
        headers = self._credentials()
        values = []
        for value in headers.values():
            value = str(value)
            values.append(value)
            values.extend(part for part in value.split() if len(part) >= 8)  # "apikey K": K alone too
        self._secret_values = tuple(sorted(set(values), key=len, reverse=True))
        return headers

    def redact(self, text: Any) -> str:
        return redact_text(text, self._secret_values)

    def scrub(self, error: PortalError) -> PortalError:
        return redacted_error(error, self._secret_values)

    def check_address(self) -> None:
        """The key goes over https only (loopback addresses excepted): checked before each request that carries
        it, so a connection edited by hand in the settings is refused too."""
        refused = check_portal_url(self.connection.base_url)
        if refused:
            raise PortalError(refused, kind="invalid")

    def check_cancel(self, feedback, step: str) -> None:
        if feedback is not None and feedback.isCanceled():
            raise PortalError(f"Publication annulée pendant {self._label(step)}.", kind="cancelled")

    def _wait(self, seconds: float, feedback, step: str) -> None:
        end = time.monotonic() + max(0.0, seconds)
        while True:
            self.check_cancel(feedback, step)
            left = end - time.monotonic()
            if left <= 0:
                return
            self._sleep(min(0.1, left))

    def _redirect_error(self, url: str, target: str, step: str) -> PortalError:
        scheme, host, port = origin(target)
        where = f"{scheme}://{host}:{port}" if host else "une autre adresse"
        return PortalError(
            f"{self.host} a redirigé {self._label(step)} vers une autre adresse ({where}) : l'extension n'y "
            "envoie pas votre clé d'API, et rien n'a été envoyé là-bas. Vérifiez l'adresse du portail dans la "
            "connexion (Préférences > Options > Données ouvertes) : indiquez directement l'adresse du portail, "
            "en https.",
            kind="redirect",
            status=None,
        )

    def error(self, exc: NetworkError, step: str, write: bool) -> PortalError:
        """The adapter's description of ``exc``, redacted; a cancel is said the same way everywhere."""
        if exc.kind == "cancelled":
            return PortalError(f"Publication annulée pendant {self._label(step)}.", kind="cancelled")
        exc.body = self.redact(exc.body)
        exc.url = self.redact(exc.url)
        return self.scrub(self._describe(exc, step, write))

    # -- requests -----------------------------------------------------------------------------------------

    def send(
        self,
        method: str,
        url: str,
        *,
        data: Optional[bytes] = None,
        headers: Optional[Dict[str, str]] = None,
        step: str,
        idempotent: Optional[bool] = None,
        auth: bool = True,
        feedback=None,
    ) -> Tuple[int, Dict[str, str], bytes]:
        """One request with the retry policy; ``(status, headers, body)`` of the 2xx answer, else PortalError."""
        method = method.upper()
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        attempts = 1 + (len(self.retry_delays) if idempotent else 0)
        attempt = 0
        redirects = 0
        self.check_address()
        while True:
            self.check_cancel(feedback, step)
            all_headers = dict(headers or {})
            if auth:
                if not same_origin(url, self.connection.base_url):
                    raise self._redirect_error(self.connection.base_url, url, step)
                all_headers.update(self.auth_headers())
            try:
                return network.request(
                    method,
                    url,
                    data=data,
                    headers=all_headers,
                    timeout_s=self.connection.timeout_s,
                    feedback=feedback,
                    follow_redirects=False,
                )
            except NetworkError as exc:
                target = _redirect_target(exc, url)
                if target:
                    if not same_origin(target, url):
                        raise self._redirect_error(url, target, step) from None
                    redirects += 1
                    if redirects > MAX_REDIRECTS:
                        raise self.error(exc, step, not idempotent) from None
                    url = target
                    continue
                wait = self._retry_wait(exc, attempt) if attempt + 1 < attempts else None
                if wait is None:
                    raise self.error(exc, step, not idempotent) from None
                log(f"{method} {self.redact(url)} : nouvel essai dans {wait:g} s ({exc.kind} {exc.status})", debug=True)
                self._wait(wait, feedback, step)
                attempt += 1

    def _retry_wait(self, exc: NetworkError, attempt: int) -> Optional[float]:
        """Seconds to wait before the next try of an idempotent request, None when it must not be retried."""
        if exc.kind == "cancelled":
            return None
        if exc.kind == "http":
            if exc.status not in RETRYABLE_STATUS:
                return None
        elif exc.kind not in TRANSIENT_KINDS:
            return None
        delay = self.retry_delays[min(attempt, len(self.retry_delays) - 1)] if self.retry_delays else 0.0
        if exc.status in (429, 503):
            after = _retry_after(exc.headers.get("retry-after", ""))
            if after is not None:
                if after > MAX_RETRY_AFTER_S:
                    return None
                delay = max(delay, after)
        return delay

    def request_json(
        self,
        method: str,
        url: str,
        payload: Any = None,
        *,
        step: str,
        idempotent: Optional[bool] = None,
        auth: bool = True,
        feedback=None,
        unreadable: str = "",
    ) -> Any:
        """One JSON request (``payload`` sent as JSON); the decoded answer, None for an empty one."""
        data = json.dumps(payload).encode("utf-8") if payload is not None else None
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        _status, _headers, body = self.send(
            method, url, data=data, headers=headers, step=step, idempotent=idempotent, auth=auth, feedback=feedback
        )
        if not body:
            return None
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise PortalError(
                unreadable
                or f"{self.host} a envoyé une réponse illisible pendant {self._label(step)} (ce n'est pas du JSON). "
                "Vérifiez l'adresse du portail dans la connexion.",
                kind="other",
            ) from None

    def upload(
        self,
        url: str,
        path: Path,
        *,
        step: str,
        field_name: str = "file",
        fields: Optional[Dict[str, str]] = None,
        allow_resend: bool = False,
        progress=None,
        feedback=None,
    ) -> Tuple[int, Dict[str, str], bytes]:
        """A streamed multipart upload with the key, sent once (never retried here)."""
        self.check_cancel(feedback, step)
        self.check_address()
        if not same_origin(url, self.connection.base_url):
            raise self._redirect_error(self.connection.base_url, url, step)
        headers = {"Accept": "application/json"}
        headers.update(self.auth_headers())
        try:
            return network.upload_multipart(
                url,
                Path(path),
                field_name=field_name,
                fields=fields,
                headers=headers,
                timeout_s=self.connection.timeout_s,
                progress=progress,
                feedback=feedback,
                allow_resend=allow_resend,
                follow_redirects=False,
            )
        except NetworkError as exc:
            target = _redirect_target(exc, url)
            if target and not same_origin(target, url):
                raise self._redirect_error(url, target, step) from None
            raise self.error(exc, step, True) from None


def _redirect_target(exc: NetworkError, url: str) -> str:
    """The absolute URL a 3xx answer (or a redirect QGIS followed itself) points to, "" otherwise."""
    if exc.kind == "redirect":
        return exc.detail or ""
    if exc.kind == "http" and exc.status in (301, 302, 303, 307, 308):
        location = exc.headers.get("location", "")
        return urljoin(url, location) if location else ""
    return ""


def _retry_after(value: str) -> Optional[float]:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
