"""HTTP through the QGIS network stack (proxy, SSL exceptions and authentication of QGIS apply).

All requests go through ``QgsBlockingNetworkRequest``: call these functions from a background task
(``QgsTask.run``) or a Processing algorithm, not from a slot of the user interface (they block).

- :func:`fetch_bytes` — GET an ``http(s)://`` URL, or read a ``file://`` URL / a local path.
- :func:`request` — any of GET, HEAD, POST, PUT, DELETE; returns ``(status, headers, body)``.
- :func:`download_to_file` — GET streamed to a file, stopped as soon as more than ``max_bytes`` arrived
  (whatever the server announced, or did not), nothing left on disk when it fails.

Every failure raises :class:`NetworkError`, whose ``str()`` is a French sentence for the agent: what
went wrong and what to do. Non-2xx answers raise too, carrying the server's own text (``body``).

Details:

- User-Agent: ``opendata_publisher/<version>`` followed by the QGIS one. QGIS rewrites the User-Agent of
  every request, so a request preprocessor (registered on first use, removed by :func:`unload`) puts ours
  back on the requests this module sends, and only on those.
- Timeout: ``timeout_s`` (default: the ``request_timeout_s`` setting) is applied with
  ``QNetworkRequest.setTransferTimeout`` (Qt ≥ 5.15: time without any byte received); on older Qt a
  timer cancels the request instead.
- ``authcfg``: id of a QGIS authentication configuration (API key, login…), applied by the QGIS auth
  manager (``QgsApplication.authManager().updateNetworkRequest``, through
  ``QgsBlockingNetworkRequest.setAuthCfg``). Secrets never appear in error messages or logs.
"""

from __future__ import annotations

import html
import re
import threading
from pathlib import Path
from typing import Dict, List, Optional, Tuple
from urllib.parse import urlsplit

from qgis.core import QgsApplication, QgsBlockingNetworkRequest, QgsFeedback, QgsNetworkAccessManager
from qgis.PyQt.QtCore import QByteArray, QFile, QIODevice, QUrl
from qgis.PyQt.QtNetwork import QNetworkReply, QNetworkRequest

from ..__about__ import USER_AGENT
from ..compat import optional_int
from ..errors import UserFacingError
from .log import log, redact

DEFAULT_TIMEOUT_S = 30
BODY_EXCERPT_CHARS = 300

# Attribute carrying our User-Agent from request() to the preprocessor (value prefixed by a marker so
# a foreign use of the same attribute is left alone).
_UA_ATTRIBUTE = QNetworkRequest.Attribute.User
_UA_MARKER = "opendata_publisher-ua:"

_preprocessor_id: Optional[str] = None
_preprocessor_lock = threading.Lock()

_STATUS_LABELS = {
    400: "requête invalide",
    401: "authentification requise",
    403: "accès refusé",
    404: "introuvable",
    405: "méthode non autorisée",
    408: "délai dépassé",
    409: "conflit",
    410: "supprimé",
    413: "contenu trop volumineux",
    415: "format non accepté",
    422: "données refusées",
    429: "trop de requêtes",
    500: "erreur interne du serveur",
    502: "passerelle en erreur",
    503: "service indisponible",
    504: "délai dépassé côté serveur",
}

_STATUS_ADVICE = {
    400: "Vérifiez les informations envoyées ; le message du serveur ci-dessus indique souvent le champ en cause.",
    401: "Vérifiez la configuration d'authentification (clé d'API, identifiant et mot de passe) choisie pour ce "
    "portail dans QGIS.",
    403: "Votre compte n'a pas les droits nécessaires : vérifiez l'organisation choisie ou demandez l'accès à "
    "l'administrateur du portail.",
    404: "Vérifiez l'adresse (URL) : la ressource a peut-être été déplacée ou supprimée.",
    408: "Réessayez ; si cela se reproduit, augmentez le délai d'attente dans Préférences > Options > "
    "Données ouvertes.",
    413: "Le fichier est trop gros pour ce serveur : réduisez-le ou contactez l'administrateur du portail.",
    429: "Le serveur limite le nombre de requêtes : patientez quelques minutes puis réessayez.",
}
_ADVICE_4XX = "Vérifiez l'adresse et les informations envoyées, puis réessayez."
_ADVICE_5XX = (
    "Le problème vient du serveur : réessayez plus tard ; s'il persiste, contactez l'administrateur du service."
)


class NetworkError(UserFacingError):
    """A request that did not succeed, with a French explanation for the agent.

    :ivar url: the URL (or local path) asked for.
    :ivar status: HTTP status code, or None when no HTTP answer came back (timeout, refused, SSL…).
    :ivar body: the server's answer decoded as text ("" when none).
    :ivar kind: "http", "timeout", "refused", "host", "ssl", "proxy", "network", "cancelled", "file",
        "auth", "unsupported", "redirect" (a redirect not followed: ``detail`` is its target), "too_large" (a
        download stopped at its size limit: ``limit_bytes``, ``received_bytes``, ``announced_bytes``) or
        "other".
    :ivar detail: technical detail (Qt's error text), for logs.
    :ivar headers: response headers (lower-case names), when there was an answer.
    """

    def __init__(
        self,
        url: str,
        status: Optional[int] = None,
        body: str = "",
        kind: str = "http",
        detail: str = "",
        headers: Optional[Dict[str, str]] = None,
        timeout_s: Optional[float] = None,
        limit_bytes: Optional[int] = None,
        received_bytes: int = 0,
        announced_bytes: Optional[int] = None,
    ) -> None:
        self.url = url
        self.limit_bytes = limit_bytes
        self.received_bytes = received_bytes
        self.announced_bytes = announced_bytes
        self.status = status
        self.body = body or ""
        self.kind = kind
        self.detail = detail
        self.headers = headers or {}
        self.timeout_s = timeout_s
        super().__init__(self.message())

    def __str__(self) -> str:
        return self.message()

    @property
    def host(self) -> str:
        try:
            return urlsplit(self.url).hostname or self.url
        except ValueError:
            return self.url

    def body_excerpt(self, limit: int = BODY_EXCERPT_CHARS) -> str:
        """The server's text on one line, HTML tags removed, cut to ``limit`` characters."""
        return _excerpt(self.body, limit)

    def message(self) -> str:
        """The French sentence shown to the agent (what went wrong, what to do)."""
        url = redact(self.url)
        host = redact(self.host)
        if self.kind == "http" and self.status is not None:
            label = _STATUS_LABELS.get(self.status, "erreur" if self.status >= 400 else "réponse inattendue")
            text = f"Le serveur a répondu {self.status} ({label}) pour {url}"
            excerpt = redact(self.body_excerpt())
            text += f" : {excerpt}" if excerpt else "."
            if self.status in _STATUS_ADVICE:
                advice = _STATUS_ADVICE[self.status]
            elif self.status >= 500:
                advice = _ADVICE_5XX
            else:
                advice = _ADVICE_4XX
            return f"{text}\n{advice}"
        if self.kind == "timeout":
            delay = f" après {self.timeout_s:g} s" if self.timeout_s else ""
            return (
                f"Pas de réponse de {host}{delay} pour {url}. Vérifiez votre connexion Internet et le proxy "
                "(Préférences > Options > Réseau), réessayez plus tard, ou augmentez le délai d'attente dans "
                "Préférences > Options > Données ouvertes."
            )
        if self.kind == "refused":
            return (
                f"Connexion refusée par {host} pour {url} (ou coupée avant sa réponse) : le service est arrêté "
                "ou surchargé, ou l'adresse (port) est fausse. Vérifiez l'adresse, puis réessayez plus tard."
            )
        if self.kind == "host":
            return (
                f"Serveur {host} introuvable pour {url}. Vérifiez l'orthographe de l'adresse, votre connexion "
                "Internet et le proxy (Préférences > Options > Réseau)."
            )
        if self.kind == "ssl":
            return (
                f"Connexion sécurisée (SSL/TLS) impossible avec {host} pour {url} : certificat refusé. Vérifiez "
                "la date et l'heure de l'ordinateur ; si votre réseau utilise son propre certificat, demandez à "
                "votre service informatique de l'ajouter dans QGIS (Préférences > Options > Authentification)."
            )
        if self.kind == "proxy":
            return (
                f"Le proxy a refusé ou n'a pas transmis la requête vers {url}. Vérifiez les réglages du proxy "
                "dans Préférences > Options > Réseau (adresse, identifiant) ou demandez-les à votre service "
                "informatique."
            )
        if self.kind == "network":
            return f"Le réseau est indisponible pour {url}. Vérifiez votre connexion Internet, puis réessayez."
        if self.kind == "cancelled":
            return f"Téléchargement annulé : {url}."
        if self.kind == "too_large":
            limit = f"{(self.limit_bytes or 0) / 1048576:g} Mo"
            if self.announced_bytes and self.announced_bytes > (self.limit_bytes or 0):
                size = f"de {self.announced_bytes / 1048576:.1f} Mo"
            else:
                size = f"de plus de {limit}"
            return (
                f"Fichier {size} pour {url} : au-delà de la limite de {limit}, le téléchargement a été arrêté "
                "et rien n'a été gardé. Relevez la limite si ce fichier doit être téléchargé."
            )
        if self.kind == "file":
            return f"Fichier introuvable ou illisible : {url}. Vérifiez le chemin et les droits de lecture."
        if self.kind == "auth":
            return (
                f"La configuration d'authentification demandée pour {url} est introuvable ou inutilisable. "
                "Choisissez-en une autre ou recréez-la dans Préférences > Options > Authentification."
            )
        if self.kind == "redirect":
            return (
                f"{host} a redirigé la requête {url} vers une autre adresse ({redact(self.detail)}). Vérifiez "
                "l'adresse indiquée."
            )
        if self.kind == "unsupported":
            return (
                f"Adresse non prise en charge : {url}. Utilisez une adresse http(s)://, file:// ou un chemin "
                "de fichier."
            )
        detail = f" ({redact(self.detail)})" if self.detail else ""
        return f"La requête vers {url} a échoué{detail}. Vérifiez l'adresse et votre connexion, puis réessayez."


def _excerpt(body: str, limit: int) -> str:
    text = body or ""
    if "<" in text and ">" in text and re.search(r"(?is)<(html|body|head|p|h1|div|title)\b", text):
        text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
        text = re.sub(r"(?s)<[^>]+>", " ", text)
        text = html.unescape(text)
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


# --- User-Agent preprocessor --------------------------------------------------------------------------


def _restore_user_agent(req: QNetworkRequest) -> None:
    marker = req.attribute(_UA_ATTRIBUTE)
    if not isinstance(marker, str) or not marker.startswith(_UA_MARKER):
        return
    ours = marker[len(_UA_MARKER) :]
    current = bytes(req.rawHeader(b"User-Agent")).decode("latin-1")
    if not current.startswith(ours):
        req.setRawHeader(b"User-Agent", f"{ours} {current}".strip().encode("latin-1", "replace"))


def _ensure_preprocessor() -> None:
    global _preprocessor_id
    with _preprocessor_lock:
        if _preprocessor_id is None:
            _preprocessor_id = QgsNetworkAccessManager.setRequestPreprocessor(_restore_user_agent)


def unload() -> None:
    """Remove the User-Agent preprocessor (the plugin calls it in ``unload()``)."""
    global _preprocessor_id
    with _preprocessor_lock:
        if _preprocessor_id is not None:
            QgsNetworkAccessManager.removeRequestPreprocessor(_preprocessor_id)
            _preprocessor_id = None


# --- request bodies sent once -------------------------------------------------------------------------
#
# Qt's HTTP layer silently sends a request again (up to 3 more times) when the connection closes before any
# answer, rewinding the body with ``reset()``. The portal may have processed the first copy (a proxy or load
# balancer cutting a slow answer): for a POST that creates a dataset or a resource, that makes copies. Qt 5.15
# has no request attribute to turn this off; a body that refuses to be rewound once read makes Qt give up
# with ``ContentReSendError`` instead, and the adapters then check what the portal kept.


class _SendOnceBody(QIODevice):
    """An in-memory request body Qt may read only once (a rewind before any byte was read is allowed)."""

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self._data = data
        self._offset = 0
        self.open(QIODevice.OpenModeFlag.ReadOnly | QIODevice.OpenModeFlag.Unbuffered)

    def isSequential(self) -> bool:  # noqa: N802 - Qt override
        return False

    def size(self) -> int:
        return len(self._data)

    def readData(self, maxlen: int) -> bytes:  # noqa: N802 - Qt override
        chunk = self._data[self._offset : self._offset + maxlen]
        self._offset += len(chunk)
        return chunk

    def writeData(self, _data) -> int:  # noqa: N802 - Qt override
        return -1

    def reset(self) -> bool:
        return self._offset == 0 and super().reset()


class _SendOnceFile(QFile):
    """A file streamed as an upload body that Qt may read only once (see :class:`_SendOnceBody`)."""

    def reset(self) -> bool:
        return self.pos() == 0 and super().reset()


# --- requests -----------------------------------------------------------------------------------------

_LOCAL_SCHEMES = {"file"}
_HTTP_SCHEMES = {"http", "https"}
_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://")


def _default_timeout() -> float:
    try:
        from .settings import PluginSettings

        return float(PluginSettings.load().request_timeout_s)
    except Exception:  # noqa: BLE001 - never fail a request because settings are unreadable
        return float(DEFAULT_TIMEOUT_S)


def is_local(url: str) -> bool:
    """True for ``file://`` URLs and plain paths (no ``scheme://``)."""
    match = _SCHEME_RE.match(url)
    return match is None or match.group(1).lower() in _LOCAL_SCHEMES


def local_path(url: str) -> Path:
    """The file a ``file://`` URL or a plain path points to."""
    if url.lower().startswith("file://"):
        return Path(QUrl(url).toLocalFile())
    return Path(url).expanduser()


def _read_local(url: str) -> bytes:
    path = local_path(url)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise NetworkError(url, kind="file", detail=exc.strerror or str(exc)) from exc


def fetch_bytes(
    url: str,
    headers: Optional[Dict[str, str]] = None,
    timeout_s: Optional[float] = None,
    authcfg: Optional[str] = None,
    feedback: Optional[QgsFeedback] = None,
) -> bytes:
    """Content of ``url``: GET for http(s) URLs, file read for ``file://`` URLs and local paths.

    Raises :class:`NetworkError` (French message) on any failure, including a non-2xx answer.
    """
    url = str(url).strip()
    if is_local(url):
        return _read_local(url)
    _status, _headers, body = request(
        "GET", url, headers=headers, timeout_s=timeout_s, authcfg=authcfg, feedback=feedback
    )
    return body


class _ReplyWatch:
    """Waits for a ``QNetworkReply`` in a local event loop, as the blocking request does: aborts it after
    ``timeout_s`` without activity (:meth:`active` restarts the clock) or once ``feedback`` is cancelled, and
    says which (``timed_out``, ``cancelled``)."""

    def __init__(self, reply: QNetworkReply, timeout_s: Optional[float], feedback: Optional[QgsFeedback]):
        from qgis.PyQt.QtCore import QEventLoop, QTimer

        self.reply, self.timeout_s, self.feedback = reply, timeout_s, feedback
        self.timed_out = self.cancelled = self._done = False
        self.loop = QEventLoop()
        self.idle = QTimer()
        self.idle.setSingleShot(True)
        self.idle.timeout.connect(self._expire)
        self.poll = QTimer()
        self.poll.setInterval(100)
        self.poll.timeout.connect(self._look_at_feedback)
        reply.finished.connect(self.loop.quit)

    def active(self, *_signal_args) -> None:
        """Something was sent or received: the time without activity starts again."""
        if self.timeout_s and self.timeout_s > 0 and not self._done:
            self.idle.start(int(self.timeout_s * 1000))

    def _expire(self) -> None:
        self.timed_out = True
        self.reply.abort()

    def _look_at_feedback(self) -> None:
        if self.feedback is not None and self.feedback.isCanceled() and not self.reply.isFinished():
            self.cancelled = True
            self.reply.abort()

    def wait(self) -> None:
        self.active()
        self.poll.start()
        try:
            if not self.reply.isFinished():
                self.loop.exec()
        finally:
            self._done = True
            self.idle.stop()
            self.poll.stop()


def _response_headers(reply) -> Dict[str, str]:
    """The answer's headers, names in lower case (a ``QNetworkReply`` or a ``QgsNetworkReplyContent``)."""
    return {
        bytes(name).decode("latin-1").lower(): bytes(reply.rawHeader(name)).decode("latin-1", "replace")
        for name in reply.rawHeaderList()
    }


def _authorise(req: QNetworkRequest, url: str, authcfg: Optional[str]) -> None:
    """Let QGIS's authentication manager add ``authcfg``'s credentials to ``req``."""
    if authcfg:
        manager = QgsApplication.authManager()
        if authcfg not in manager.configIds():
            raise NetworkError(url, kind="auth", detail=f"authcfg {authcfg} absent")
        manager.updateNetworkRequest(req, authcfg)


_DOWNLOAD_CHUNK = 256 * 1024  # bytes Qt keeps in memory before we write them out (back-pressure on the server)


def download_to_file(
    url: str,
    path,
    max_bytes: Optional[int] = None,
    headers: Optional[Dict[str, str]] = None,
    timeout_s: Optional[float] = None,
    authcfg: Optional[str] = None,
    feedback: Optional[QgsFeedback] = None,
) -> int:
    """GET ``url`` (or copy a ``file://`` URL / local path) into ``path``, streamed; returns the bytes written.

    With ``max_bytes``, the download stops as soon as more than ``max_bytes`` arrived, or at once when the
    server announces a bigger ``Content-Length``: a server that announces nothing (chunked answer) or announces
    a wrong size cannot make us read more. Memory stays bounded (the reply's read buffer is small and emptied
    into the file as data arrives). On any failure ``path`` is removed and :class:`NetworkError` is raised
    (kind "too_large" for the size limit, with ``limit_bytes``, ``received_bytes`` and ``announced_bytes``).
    ``timeout_s`` is the time without any byte received; ``feedback`` cancels.
    """
    url = str(url).strip()
    target = Path(path)
    if is_local(url):
        source = local_path(url)
        try:
            size = source.stat().st_size
            if max_bytes is not None and size > max_bytes:
                raise NetworkError(url, kind="too_large", limit_bytes=max_bytes, announced_bytes=size)
            with source.open("rb") as reader, target.open("wb") as writer:
                while chunk := reader.read(_DOWNLOAD_CHUNK):
                    writer.write(chunk)
        except OSError as exc:
            target.unlink(missing_ok=True)
            raise NetworkError(url, kind="file", detail=exc.strerror or str(exc)) from exc
        return size
    match = _SCHEME_RE.match(url)
    if match is None or match.group(1).lower() not in _HTTP_SCHEMES:
        raise NetworkError(url, kind="unsupported")
    if timeout_s is None:
        timeout_s = _default_timeout()
    if feedback is not None and feedback.isCanceled():
        raise NetworkError(url, kind="cancelled")
    req = _new_request(url, headers)
    _authorise(req, url, authcfg)
    try:
        writer = target.open("wb")
    except OSError as exc:
        raise NetworkError(str(target), kind="file", detail=exc.strerror or str(exc)) from exc

    log(f"GET {url} -> {target.name} (limite {max_bytes} octets)", debug=True)
    reply = QgsNetworkAccessManager.instance().get(req)
    reply.setReadBufferSize(_DOWNLOAD_CHUNK)
    watch = _ReplyWatch(reply, timeout_s, feedback)
    state = {"received": 0, "announced": None, "too_large": False}
    write_error: List[OSError] = []  # a full disk, a size limit…: the download stops, nothing is kept
    error_body = bytearray()  # the text of a non-2xx answer (kept short)

    def _status() -> Optional[int]:
        return optional_int(reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute))

    def _stop_too_large() -> None:
        state["too_large"] = True
        reply.abort()

    def _on_headers() -> None:
        status = _status()
        announced = optional_int(reply.header(QNetworkRequest.KnownHeaders.ContentLengthHeader))
        if status is not None and 200 <= status < 300 and announced is not None:
            state["announced"] = announced
            if max_bytes is not None and announced > max_bytes:
                _stop_too_large()

    def _on_data() -> None:
        watch.active()
        if state["too_large"] or write_error or not reply.isOpen():
            return
        chunk = bytes(reply.readAll())
        status = _status()
        if status is None or not 200 <= status < 300:
            error_body.extend(chunk[: max(0, 65536 - len(error_body))])
            return
        state["received"] += len(chunk)
        if max_bytes is not None and state["received"] > max_bytes:
            _stop_too_large()
            return
        try:  # raised inside a Qt slot, an error would be lost (and the cut file taken for the whole one)
            writer.write(chunk)
        except OSError as exc:
            write_error.append(exc)
            reply.abort()

    reply.metaDataChanged.connect(_on_headers)
    reply.readyRead.connect(_on_data)
    try:
        watch.wait()
        if not state["too_large"] and reply.isOpen():
            _on_data()  # what arrived with the end of the answer
    finally:
        try:
            writer.close()
        except OSError as exc:
            write_error.append(exc)

    status = _status()
    response_headers = _response_headers(reply)
    qt_error = reply.error()
    detail = reply.errorString()
    reply.deleteLater()
    received = state["received"]
    log(f"GET {url} -> {status} ({received} octets gardés, erreur Qt {int(qt_error)})", debug=True)
    ok = status is not None and 200 <= status < 300 and qt_error == QNetworkReply.NetworkError.NoError
    if ok and not write_error and not (state["too_large"] or watch.timed_out or watch.cancelled):
        return received
    target.unlink(missing_ok=True)  # nothing half-downloaded stays on disk
    if write_error:
        error = write_error[0]
        raise NetworkError(str(target), status, kind="file", detail=error.strerror or str(error)) from error
    if state["too_large"]:
        raise NetworkError(
            url,
            status,
            kind="too_large",
            headers=response_headers,
            limit_bytes=max_bytes,
            received_bytes=received,
            announced_bytes=state["announced"],
        )
    if watch.cancelled:
        raise NetworkError(url, status, kind="cancelled", detail=detail)
    if watch.timed_out:
        raise NetworkError(url, status, kind="timeout", detail=detail, timeout_s=timeout_s)
    body = _decode(bytes(error_body))
    if status is not None and status >= 300:
        raise NetworkError(url, status, body, kind="http", detail=detail, headers=response_headers)
    raise NetworkError(
        url, status, body, kind=_kind_of(qt_error, False, False), detail=detail, headers=response_headers
    )


def _new_request(url: str, headers: Optional[Dict[str, str]], follow_redirects: bool = True) -> QNetworkRequest:
    """A request carrying our User-Agent, no redirect to a less safe scheme (none at all unless
    ``follow_redirects``: the 3xx answer is then returned to the caller as a :class:`NetworkError`), and
    ``headers``."""
    _ensure_preprocessor()
    req = QNetworkRequest(QUrl(url))
    req.setAttribute(_UA_ATTRIBUTE, _UA_MARKER + USER_AGENT)
    policy = (
        QNetworkRequest.RedirectPolicy.NoLessSafeRedirectPolicy
        if follow_redirects
        else QNetworkRequest.RedirectPolicy.ManualRedirectPolicy
    )
    req.setAttribute(QNetworkRequest.Attribute.RedirectPolicyAttribute, policy)
    for name, value in (headers or {}).items():
        req.setRawHeader(name.encode("latin-1"), str(value).encode("utf-8"))
    return req


def request(
    method: str,
    url: str,
    data: Optional[bytes] = None,
    headers: Optional[Dict[str, str]] = None,
    timeout_s: Optional[float] = None,
    authcfg: Optional[str] = None,
    feedback: Optional[QgsFeedback] = None,
    follow_redirects: bool = True,
) -> Tuple[int, Dict[str, str], bytes]:
    """Send one HTTP request and return ``(status, headers, body)`` for a 2xx answer.

    :param method: GET, HEAD, POST, PUT or DELETE.
    :param data: request body for POST / PUT (bytes; a str is UTF-8 encoded).
    :param headers: extra request headers (``{"Content-Type": "application/json"}``).
    :param timeout_s: seconds without any data before giving up (default: the plugin setting).
    :param authcfg: QGIS authentication configuration id.
    :param feedback: a ``QgsFeedback`` whose cancellation aborts the request.
    :param follow_redirects: False to get a 3xx answer back as a :class:`NetworkError` (status and
        ``location`` header) instead of following it (requests carrying credentials).
    :returns: status code, response headers with **lower-case** names, raw body.
    :raises NetworkError: non-2xx answer (with the server's text), timeout, refused, SSL, proxy, cancel…
    """
    method = method.upper()
    url = str(url).strip()
    match = _SCHEME_RE.match(url)
    if match is None or match.group(1).lower() not in _HTTP_SCHEMES:
        raise NetworkError(url, kind="unsupported")
    if timeout_s is None:
        timeout_s = _default_timeout()
    if authcfg and authcfg not in QgsApplication.authManager().configIds():
        raise NetworkError(url, kind="auth", detail=f"authcfg {authcfg} absent")

    if feedback is not None and feedback.isCanceled():
        raise NetworkError(url, kind="cancelled")

    req = _new_request(url, headers, follow_redirects)

    blocking = QgsBlockingNetworkRequest()
    if authcfg:
        blocking.setAuthCfg(authcfg)

    timer: Optional[threading.Timer] = None
    timed_out = threading.Event()
    run_feedback = feedback
    if timeout_s and timeout_s > 0:
        if hasattr(req, "setTransferTimeout"):
            req.setTransferTimeout(int(timeout_s * 1000))
        else:  # Qt < 5.15: cancel through our own feedback after the delay
            run_feedback = QgsFeedback()
            if feedback is not None:
                feedback.canceled.connect(run_feedback.cancel)

            def _expire() -> None:
                timed_out.set()
                run_feedback.cancel()

            timer = threading.Timer(timeout_s, _expire)
            timer.daemon = True
            timer.start()

    raw = data.encode("utf-8") if isinstance(data, str) else (data or b"")
    payload = QByteArray(raw)
    log(f"{method} {url}", debug=True)
    try:
        # The returned code is kept for the logs only: the reply's status and Qt error decide (a transfer
        # timeout comes back as NoError from QgsBlockingNetworkRequest on 3.22).
        if method == "GET":
            code = blocking.get(req, True, run_feedback)
        elif method == "HEAD":
            code = blocking.head(req, True, run_feedback)
        elif method == "POST":  # never sent twice by Qt itself: a POST may create something
            code = blocking.post(req, _SendOnceBody(raw), True, run_feedback)
        elif method == "PUT":
            code = blocking.put(req, payload, run_feedback)
        elif method == "DELETE":
            code = blocking.deleteResource(req, run_feedback)
        else:
            raise ValueError(f"unsupported HTTP method {method}")
    finally:
        if timer is not None:
            timer.cancel()

    reply = blocking.reply()
    status = optional_int(reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute))
    body = bytes(reply.content())
    response_headers = _response_headers(reply)
    qt_error = reply.error()
    detail = reply.errorString() or blocking.errorMessage()
    log(f"{method} {url} -> {status} ({len(body)} octets, code {int(code)}, erreur Qt {int(qt_error)})", debug=True)

    final_url = reply.request().url()
    if not follow_redirects and final_url.isValid() and final_url != QUrl(url):
        # QgsBlockingNetworkRequest followed a redirect itself (without our headers): the caller decides
        raise NetworkError(url, status, "", kind="redirect", detail=final_url.toString(), headers=response_headers)
    if status is not None and 200 <= status < 300 and qt_error == QNetworkReply.NetworkError.NoError:
        return status, response_headers, body
    if status is not None and status >= 300:
        raise NetworkError(url, status, _decode(body), kind="http", detail=detail, headers=response_headers)
    user_cancelled = feedback is not None and feedback.isCanceled()
    kind = _kind_of(qt_error, user_cancelled, timed_out.is_set())
    raise NetworkError(
        url, status, _decode(body), kind=kind, detail=detail, headers=response_headers, timeout_s=timeout_s
    )


_E = QNetworkReply.NetworkError
_KIND_BY_ERROR = {
    _E.ConnectionRefusedError: "refused",
    _E.RemoteHostClosedError: "refused",
    _E.ContentReSendError: "refused",  # Qt wanted to send a POST again: refused by _SendOnceBody/_SendOnceFile
    _E.HostNotFoundError: "host",
    _E.TimeoutError: "timeout",
    _E.SslHandshakeFailedError: "ssl",
    _E.TemporaryNetworkFailureError: "network",
    _E.NetworkSessionFailedError: "network",
    _E.UnknownNetworkError: "network",
    _E.ProxyConnectionRefusedError: "proxy",
    _E.ProxyConnectionClosedError: "proxy",
    _E.ProxyNotFoundError: "proxy",
    _E.ProxyTimeoutError: "proxy",
    _E.ProxyAuthenticationRequiredError: "proxy",
    _E.UnknownProxyError: "proxy",
    _E.AuthenticationRequiredError: "auth",
}


def _kind_of(qt_error, user_cancelled: bool, timed_out: bool) -> str:
    if user_cancelled:
        return "cancelled"
    if timed_out or qt_error == _E.OperationCanceledError:
        # Qt reports a transfer timeout as "operation cancelled"
        return "timeout"
    return _KIND_BY_ERROR.get(qt_error, "other")


# --- streamed multipart upload ------------------------------------------------------------------------


def upload_multipart(
    url: str,
    file_path,
    field_name: str = "file",
    fields: Optional[Dict[str, str]] = None,
    headers: Optional[Dict[str, str]] = None,
    method: str = "POST",
    timeout_s: Optional[float] = None,
    progress=None,
    feedback: Optional[QgsFeedback] = None,
    filename: Optional[str] = None,
    authcfg: Optional[str] = None,
    allow_resend: bool = False,
    follow_redirects: bool = True,
) -> Tuple[int, Dict[str, str], bytes]:
    """Send ``file_path`` as ``multipart/form-data`` (part ``field_name``), streamed from disk.

    The file is read by Qt as it is sent (``QHttpMultiPart`` + ``QFile`` on ``QgsNetworkAccessManager``): memory
    stays constant whatever the size. ``fields`` are extra text parts sent before the file. ``progress(sent,
    total)`` is called as bytes go out. ``timeout_s`` is the time without any byte sent or received. Never
    retried here (a second POST could duplicate the resource), and Qt's own silent re-send of a request
    whose connection closed before the answer is refused too, unless ``allow_resend`` (an upload that is
    safe to repeat, such as replacing the file of a known resource). Returns ``(status, headers, body)`` for
    a 2xx answer, else raises :class:`NetworkError` (French message with the server's text).
    """
    import mimetypes

    from qgis.PyQt.QtNetwork import QHttpMultiPart, QHttpPart

    method = method.upper()
    url = str(url).strip()
    match = _SCHEME_RE.match(url)
    if match is None or match.group(1).lower() not in _HTTP_SCHEMES:
        raise NetworkError(url, kind="unsupported")
    path = Path(file_path)
    if not path.is_file():
        raise NetworkError(str(path), kind="file", detail="fichier absent")
    if timeout_s is None:
        timeout_s = _default_timeout()
    if feedback is not None and feedback.isCanceled():
        raise NetworkError(url, kind="cancelled")

    multipart = QHttpMultiPart(QHttpMultiPart.ContentType.FormDataType)
    for name, value in (fields or {}).items():
        part = QHttpPart()
        part.setHeader(QNetworkRequest.KnownHeaders.ContentDispositionHeader, f'form-data; name="{name}"')
        part.setBody(str(value).encode("utf-8"))
        multipart.append(part)
    file_part = QHttpPart()
    shown_name = (filename or path.name).replace('"', "'")
    disposition = f'form-data; name="{field_name}"; filename="{shown_name}"'
    file_part.setRawHeader(b"Content-Disposition", disposition.encode("utf-8"))
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    file_part.setHeader(QNetworkRequest.KnownHeaders.ContentTypeHeader, mime)
    device = QFile(str(path)) if allow_resend else _SendOnceFile(str(path))
    if not device.open(QIODevice.OpenModeFlag.ReadOnly):
        raise NetworkError(str(path), kind="file", detail=device.errorString())
    file_part.setBodyDevice(device)
    device.setParent(multipart)  # deleted with the multipart
    multipart.append(file_part)

    req = _new_request(url, headers, follow_redirects)
    _authorise(req, url, authcfg)

    nam = QgsNetworkAccessManager.instance()
    log(f"{method} {url} (envoi de {path.name}, {path.stat().st_size} octets)", debug=True)
    if method == "POST":
        reply = nam.post(req, multipart)
    elif method == "PUT":
        reply = nam.put(req, multipart)
    else:
        raise ValueError(f"unsupported HTTP method for an upload: {method}")
    multipart.setParent(reply)  # kept alive until the reply is deleted

    watch = _ReplyWatch(reply, timeout_s, feedback)

    def _on_upload(sent: int, total: int) -> None:
        watch.active()
        if progress is not None and total > 0:
            progress(int(sent), int(total))

    reply.uploadProgress.connect(_on_upload)
    reply.downloadProgress.connect(watch.active)
    watch.wait()

    status = optional_int(reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute))
    body = bytes(reply.readAll()) if reply.isOpen() else b""  # an aborted reply is closed: no Qt warning
    response_headers = _response_headers(reply)
    qt_error = reply.error()
    detail = reply.errorString()
    reply.deleteLater()
    log(f"{method} {url} -> {status} ({len(body)} octets, erreur Qt {int(qt_error)})", debug=True)

    if watch.cancelled:
        raise NetworkError(url, status, _decode(body), kind="cancelled", detail=detail)
    if watch.timed_out:
        raise NetworkError(url, status, "", kind="timeout", detail=detail, timeout_s=timeout_s)
    if status is not None and 200 <= status < 300 and qt_error == QNetworkReply.NetworkError.NoError:
        return status, response_headers, body
    if status is not None and status >= 300:
        raise NetworkError(url, status, _decode(body), kind="http", detail=detail, headers=response_headers)
    kind = _kind_of(qt_error, False, False)
    raise NetworkError(
        url, status, _decode(body), kind=kind, detail=detail, headers=response_headers, timeout_s=timeout_s
    )
