"""data.gouv.fr (udata API v1) adapter.

Facts this module relies on (../shared/guides/portal-apis.md §1, checked against udata 17.18.0):

- header ``X-API-KEY``; JSON bodies need ``Content-Type: application/json``;
- ``PUT /datasets/{id}/`` is not a patch: omitted list fields (tags, temporal coverage…) are wiped, so an
  update reads the dataset, merges our fields into its full editable set and sends it all back;
- an unknown licence id is silently replaced by ``notspecified``: the id is checked against
  ``GET /datasets/licenses/`` before anything is written;
- upload: multipart ``POST /datasets/{id}/upload/`` (field ``file``) creates a resource,
  ``POST /datasets/{id}/resources/{rid}/upload/`` replaces its file; then ``PUT`` the resource for title,
  description, type and ``schema {name, version}``;
- chunked upload (above ``connection.chunk_size_mb``): parts ``uuid, filename, partindex, totalparts,
  chunksize`` each answered 200, then a final POST without ``file`` that combines them. Parts are stored
  without overwrite (re-sending a stored part gives 500), so a part is re-sent only when it never got a
  200, and when that re-send fails the whole upload restarts under a new uuid;
- a plain upload POST is never retried blindly: after a failure the dataset's resources are read back
  and a resource holding our file (same SHA-1) is adopted instead of uploading again;
- the create POST is never retried either, and its answer can be lost after udata stored the dataset
  (timeout, cut connection, 5xx from a front proxy). Every dataset we write carries the extra
  ``opendata_publisher:key`` (a hash of the dataset's identifier, else of its title, see :func:`dataset_key`).
  After such a failure, and before any create without a stored reference, ``GET /me/org_datasets/?q=<title>``
  (all datasets of the user and of their organisations, drafts included) and then the organisation's
  latest datasets are searched for a live dataset of the same owner carrying our key: it is adopted
  instead of creating a second one.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import quote

from ...toolbelt import network
from ...toolbelt.network import NetworkError
from .base import (
    DatasetRef,
    Organisation,
    PortalAdapter,
    PortalConnection,
    PortalError,
    PortalLicence,
    Progress,
    PublishFile,
    PublishRequest,
    PublishResult,
)
from .http import PortalHttp

API_PREFIX = "/api/1"
HEADER_API_KEY = "X-API-KEY"
TAG_MIN, TAG_MAX = 3, 96
ZONE_PREFIX = {
    "commune": "fr:commune",
    "epci": "fr:epci",
    "departement": "fr:departement",
    "region": "fr:region",
}
#: fields of udata's DatasetForm sent back on update (never ``resources``, ``deleted``, ``archived``)
EDITABLE_FIELDS = (
    "title",
    "acronym",
    "description",
    "description_short",
    "license",
    "frequency",
    "frequency_date",
    "temporal_coverage",
    "spatial",
    "tags",
    "private",
    "extras",
    "contact_points",
    "organization",
    "access_type",
    "access_audiences",
    "authorization_request_url",
    "access_type_reason_category",
    "access_type_reason",
)
#: extra written on every dataset we create or update: the identity key of :func:`dataset_key`
MARKER_KEY = "opendata_publisher:key"
#: extra set while a dataset we created is kept private until its files are attached (removed when made public)
PENDING_KEY = "opendata_publisher:private-until-published"
#: the same key, followed by ``:<format>``, in the ``extras`` of each resource we publish
RESOURCE_MARKER_KEY = MARKER_KEY
#: how many of the organisation's most recent datasets are searched for our key when the title search misses
RECENT_DATASETS_SEARCHED = 50
#: after these failures of a write, udata may have done it anyway: look it up
_UNKNOWN_OUTCOME_KINDS = {"timeout", "network", "server", "other"}
_CREATE_UNKNOWN_KINDS = _UNKNOWN_OUTCOME_KINDS
_STEP_LABELS = {
    "connect": "la vérification de la connexion",
    "licences": "la lecture des licences du portail",
    "read": "la lecture du jeu de données",
    "create": "la création du jeu de données",
    "update": "la mise à jour du jeu de données",
    "upload": "l'envoi du fichier",
    "chunk": "l'envoi d'une partie du fichier",
    "combine": "l'assemblage du fichier envoyé en plusieurs parties",
    "resource": "la mise à jour de la ressource",
    "confirm": "la vérification finale",
    "find": "la recherche d'un jeu de données déjà publié",
}


# --- helpers -------------------------------------------------------------------------------------------


def portal_message(body: str) -> str:
    """The portal's own error text from an udata answer (JSON ``message`` / ``errors`` / ``error``, or HTML)."""
    text = (body or "").strip()
    if not text:
        return ""
    try:
        data = json.loads(text)
    except ValueError:
        return network._excerpt(text, network.BODY_EXCERPT_CHARS)
    parts: List[str] = []
    if isinstance(data, dict):
        if data.get("message"):
            parts.append(str(data["message"]))
        if data.get("error"):
            parts.append(str(data["error"]))
        errors = data.get("errors")
        if isinstance(errors, dict):
            parts.extend(_flatten_errors(errors))
        elif errors:
            parts.append(str(errors))
    return " ; ".join(parts) if parts else network._excerpt(text, network.BODY_EXCERPT_CHARS)


def _flatten_errors(errors: Dict[str, Any], prefix: str = "") -> List[str]:
    out: List[str] = []
    for key, value in errors.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.extend(_flatten_errors(value, name + "."))
        elif isinstance(value, list):
            out.append(f"{name} : " + " ".join(str(v) for v in value))
        else:
            out.append(f"{name} : {value}")
    return out


def _kind_for_status(status: Optional[int]) -> str:
    if status is None:
        return "network"
    return {
        400: "invalid",
        401: "auth",
        403: "forbidden",
        404: "not-found",
        409: "conflict",
        410: "deleted",
        413: "too-large",
        415: "invalid",
        422: "invalid",
    }.get(status, "server" if status >= 500 else "other")


_ADVICE = {
    "auth": "Vérifiez la clé d'API du portail (Préférences > Options > Données ouvertes) : elle est peut-être "
    "fausse, révoquée ou expirée ; créez-en une nouvelle dans votre compte sur le portail si besoin.",
    "forbidden": "Votre compte n'a pas le droit de modifier cet objet : vérifiez l'organisation choisie ou "
    "demandez à un administrateur de l'organisation de vous ajouter comme membre.",
    "not-found": "Vérifiez l'adresse du portail et que le jeu de données existe encore.",
    "deleted": "Le jeu de données a été supprimé sur le portail : publiez-le de nouveau pour le recréer.",
    "conflict": "Un autre changement a eu lieu en même temps : réessayez dans un moment.",
    "too-large": "Le fichier est trop gros pour un envoi en une fois : réduisez la taille des parties "
    "(« taille des parties » de la connexion) pour l'envoyer en plusieurs morceaux, puis réessayez.",
    "invalid": "Corrigez l'information signalée par le portail, puis publiez de nouveau.",
    "server": "Le portail a rencontré une erreur : réessayez plus tard ; si cela persiste, contactez son "
    "administrateur en lui donnant ce message.",
    "timeout": "Le portail n'a pas répondu à temps : réessayez plus tard, ou augmentez le délai d'attente de la "
    "connexion.",
    "network": "Vérifiez votre connexion Internet, le proxy (Préférences > Options > Réseau) et l'adresse du "
    "portail, puis réessayez.",
}


def _error_from_network(exc: NetworkError, step: str, host: str, write: bool = False) -> PortalError:
    label = _STEP_LABELS.get(step, step)
    maybe = (
        " L'opération a peut-être abouti sur le portail malgré tout : la prochaine publication le vérifiera et "
        "ne créera rien en double."
        if write
        else ""
    )
    if exc.kind == "cancelled":
        return PortalError(f"Publication annulée pendant {label}.", kind="cancelled")
    if exc.kind == "http" and exc.status is not None:
        kind = _kind_for_status(exc.status)
        text = portal_message(exc.body)
        said = f" : « {text} »" if text else ""
        message = f"{host} a répondu {exc.status} pendant {label}{said}. {_ADVICE.get(kind, _ADVICE['invalid'])}"
        if kind == "server":
            message += maybe
        return PortalError(message, kind=kind, status=exc.status, portal_message=text)
    if exc.kind == "timeout":
        return PortalError(f"Pas de réponse de {host} pendant {label}.{maybe} {_ADVICE['timeout']}", kind="timeout")
    return PortalError(
        f"La connexion avec {host} a échoué ou a été coupée pendant {label}.{maybe} {_ADVICE['network']}",
        kind="network",
    )


def dataset_key(description) -> str:
    """The stable identity of a dataset we publish, stored in its ``opendata_publisher:key`` extra.

    Derived from the description's identifier when there is one, else from its title (case and spacing
    ignored), so that a publication interrupted before its reference was stored finds its dataset again."""
    identifier = " ".join(str(getattr(description, "identifier", "") or "").split())
    if identifier:
        basis = "identifier:" + identifier
    else:
        basis = "title:" + " ".join(str(getattr(description, "title", "") or "").split()).lower()
    return "v1-" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


def _sha1(path: Path, block: int = 1 << 20) -> str:
    digest = hashlib.sha1()  # noqa: S324 - udata's own checksum type
    with open(path, "rb") as handle:
        while True:
            data = handle.read(block)
            if not data:
                break
            digest.update(data)
    return digest.hexdigest()


def _multipart_body(
    fields: Dict[str, str], file_field: str = "", filename: str = "", content: bytes = b""
) -> Tuple[bytes, str]:
    boundary = "odp-" + uuid.uuid4().hex
    chunks: List[bytes] = []
    for name, value in fields.items():
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    if file_field:
        chunks.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
        )
        chunks.append(content)
        chunks.append(b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def _api_key(authcfg: str) -> str:
    from ...toolbelt.auth import AuthError, api_key

    try:
        return api_key(authcfg)
    except AuthError as exc:
        raise PortalError(str(exc), kind="auth") from exc


# --- adapter -------------------------------------------------------------------------------------------


class UdataAdapter(PortalAdapter):
    """Publish to data.gouv.fr or any udata portal (API v1)."""

    portal_type = "udata"
    #: seconds between retries of idempotent requests (GET / PUT)
    retry_delays: Tuple[float, ...] = (1.0, 3.0, 8.0)
    #: how many times a chunked upload may restart under a new uuid
    max_upload_restarts = 2

    def __init__(self, connection: PortalConnection):
        super().__init__(connection)
        self._licences_raw: Optional[List[Dict[str, Any]]] = None
        self._key: Optional[str] = None
        self._http: Optional[PortalHttp] = None
        self._schemas: Optional[Dict[str, List[str]]] = None

    # -- plumbing ----------------------------------------------------------------------------------------

    @property
    def host(self) -> str:
        return self.connection.base_url.rstrip("/").split("://", 1)[-1].split("/", 1)[0] or "le portail"

    def api_url(self, path: str) -> str:
        return self.connection.base_url.rstrip("/") + API_PREFIX + "/" + path.lstrip("/")

    def _credentials(self) -> Dict[str, str]:
        if self._key is None:
            self._key = _api_key(self.connection.authcfg)
        return {HEADER_API_KEY: self._key}

    @property
    def http(self) -> PortalHttp:
        """The shared HTTP core (retry policy, origin check for the key, redaction)."""
        if self._http is None:
            self._http = PortalHttp(
                self.connection,
                credentials=self._credentials,
                describe=lambda exc, step, write: _error_from_network(exc, step, self.host, write),
                step_label=lambda step: _STEP_LABELS.get(step, step),
            )
        self._http.retry_delays = tuple(self.retry_delays)
        return self._http

    def _check_cancel(self, feedback, step: str) -> None:
        self.http.check_cancel(feedback, step)

    def _call(self, method: str, path: str, payload: Any = None, *, step: str, auth: bool = True, feedback=None) -> Any:
        """One JSON request through the HTTP core (idempotent ones retried on timeouts, 429 and 5xx)."""
        url = path if path.startswith("http") else self.api_url(path)
        return self.http.request_json(
            method,
            url,
            payload,
            step=step,
            auth=auth,
            feedback=feedback,
            unreadable=f"{self.host} a envoyé une réponse illisible pendant {_STEP_LABELS.get(step, step)} : ce "
            "n'est peut-être pas un portail udata. Vérifiez l'adresse du portail.",
        )

    # -- reference lists ---------------------------------------------------------------------------------

    def test_connection(self, feedback=None) -> List[Organisation]:
        me = self._call("GET", "me/", step="connect", feedback=feedback) or {}
        return [
            Organisation(id=str(o.get("id", "")), name=str(o.get("name", "")), slug=str(o.get("slug", "")))
            for o in me.get("organizations") or []
        ]

    def _licences_list(self, feedback=None) -> List[Dict[str, Any]]:
        if self._licences_raw is None:
            data = self._call("GET", "datasets/licenses/", step="licences", auth=False, feedback=feedback)
            self._licences_raw = [item for item in data or [] if isinstance(item, dict)]
        return self._licences_raw

    def licences(self, feedback=None) -> List[PortalLicence]:
        return [
            PortalLicence(
                id=str(item.get("id", "")),
                title=str(item.get("title", "")),
                url=str(item.get("url") or ""),
                alternate_titles=[str(t) for t in item.get("alternate_titles") or []],
                alternate_urls=[str(u) for u in item.get("alternate_urls") or []],
            )
            for item in self._licences_list(feedback)
        ]

    def dataset_exists(self, ref: DatasetRef, feedback=None) -> bool:
        return self._read_dataset(ref.dataset_id, feedback) is not None

    def _read_dataset(self, dataset_id: str, feedback=None) -> Optional[Dict[str, Any]]:
        """The dataset, or None when it was deleted (404, 410 or ``deleted`` set)."""
        try:
            data = self._call("GET", f"datasets/{dataset_id}/", step="read", feedback=feedback)
        except PortalError as exc:
            if exc.status in (404, 410):
                return None
            raise
        if not isinstance(data, dict) or data.get("deleted"):
            return None
        return data

    # -- payload -----------------------------------------------------------------------------------------

    def _licence_id(self, description, feedback) -> str:
        from ..metadata.licences import licence_entry, udata_licence_id

        wanted = (getattr(description, "licence", "") or "").strip()
        portal = self._licences_list(feedback)
        found = udata_licence_id(wanted, portal) if wanted else None
        if not found and wanted and any(str(i.get("id")) == wanted for i in portal):
            found = wanted
        if not found:
            entry = licence_entry(wanted) if wanted else None
            name = (entry or {}).get("short_fr") or wanted or "(aucune)"
            available = ", ".join(str(i.get("id")) for i in portal) or "aucune"
            raise PortalError(
                f"La licence « {name} » n'existe pas sur {self.host} (licences proposées : {available}). Rien n'a "
                "été envoyé : sans cette vérification le portail l'aurait remplacée par « licence non spécifiée ». "
                "Choisissez une licence proposée par le portail (étape Licence), puis publiez de nouveau.",
                kind="licence",
            )
        return found

    def _frequency_id(self, description) -> str:
        from ..metadata import vocabulary

        item = vocabulary.by_code(vocabulary.frequencies(), getattr(description, "frequency", "") or "")
        return (item or {}).get("udata_id") or "unknown"

    def _spatial(self, description, messages: List[str], feedback) -> Optional[Dict[str, Any]]:
        zones: List[str] = []
        for area in getattr(description, "spatial_coverage", None) or []:
            prefix = ZONE_PREFIX.get(getattr(area, "kind", ""))
            code = (getattr(area, "code", "") or "").strip()
            if not prefix or not code:
                continue
            geoid = f"{prefix}:{code}"
            try:
                self._call("GET", f"spatial/zone/{geoid}/", step="read", auth=False, feedback=feedback)
            except PortalError as exc:
                if exc.status == 404:
                    messages.append(
                        f"Zone « {getattr(area, 'name', '') or geoid} » ({geoid}) inconnue de {self.host} : elle "
                        "n'a pas été indiquée dans la couverture géographique."
                    )
                    continue
                if exc.kind == "cancelled":
                    raise
            if geoid not in zones:
                zones.append(geoid)
        if zones:
            return {"zones": zones, "granularity": zones[0].rsplit(":", 1)[0]}
        bbox = getattr(description, "bbox", None)
        if bbox:
            west, south, east, north = (float(v) for v in bbox)
            ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
            return {"geom": {"type": "MultiPolygon", "coordinates": [[ring]]}}
        return None

    @staticmethod
    def _tags(description, messages: List[str]) -> List[str]:
        tags: List[str] = []
        for keyword in getattr(description, "keywords", None) or []:
            text = str(keyword).strip()
            if not text:
                continue
            if not TAG_MIN <= len(text) <= TAG_MAX:
                messages.append(
                    f"Mot-clé « {text} » non envoyé : data.gouv.fr n'accepte que des mots-clés de {TAG_MIN} à "
                    f"{TAG_MAX} caractères."
                )
                continue
            if text.lower() not in (t.lower() for t in tags):
                tags.append(text)
        return tags

    def build_payload(self, description, messages: List[str], organisation_id: str = "", feedback=None) -> Dict:
        """The dataset fields we manage, as udata expects them (licence checked against the portal)."""
        payload: Dict[str, Any] = {
            "title": description.title,
            "description": description.description or description.title,
            "tags": self._tags(description, messages),
            "license": self._licence_id(description, feedback),
            "frequency": self._frequency_id(description),
            "private": bool(self.connection.private),
        }
        spatial = self._spatial(description, messages, feedback)
        if spatial:
            payload["spatial"] = spatial
        if getattr(description, "temporal_start", ""):
            coverage = {"start": description.temporal_start}
            if getattr(description, "temporal_end", ""):
                coverage["end"] = description.temporal_end
            payload["temporal_coverage"] = coverage
        if organisation_id:
            payload["organization"] = organisation_id
        payload["extras"] = {MARKER_KEY: dataset_key(description)}
        return payload

    @staticmethod
    def merge(remote: Dict[str, Any], ours: Dict[str, Any]) -> Dict[str, Any]:
        """The full editable set of ``remote`` with our managed fields applied (tags: union; the portal's
        ``private`` and ``organization`` are kept)."""
        merged: Dict[str, Any] = {}
        for name in EDITABLE_FIELDS:
            value = remote.get(name)
            if value is None or value == [] and name == "access_audiences":
                continue
            if name == "organization" and isinstance(value, dict):
                value = value.get("id")
            elif name == "contact_points":
                value = [c.get("id") if isinstance(c, dict) else c for c in value]
            elif name == "spatial" and isinstance(value, dict):
                value = {k: v for k, v in value.items() if v not in (None, [], "")} or None
                if value is None:
                    continue
            merged[name] = value
        for name, value in ours.items():
            if name in ("private", "organization") and name in merged:
                continue
            if name == "tags":
                known = {str(t).lower() for t in merged.get("tags") or []}
                value = list(merged.get("tags") or []) + [t for t in value if t.lower() not in known]
            elif name == "extras" and isinstance(merged.get("extras"), dict):
                value = {**merged["extras"], **value}  # the portal's other extras are kept
            merged[name] = value
        return merged

    # -- publish -----------------------------------------------------------------------------------------

    def _organisation_id(self, feedback) -> str:
        wanted = (self.connection.organisation or "").strip()
        organisations = self.test_connection(feedback)  # also checks the key before anything is written
        if not wanted:
            return ""
        for org in organisations:
            if wanted in (org.id, org.slug, org.name):
                return org.id
        names = ", ".join(o.name for o in organisations) or "aucune"
        raise PortalError(
            f"Votre compte sur {self.host} ne peut pas publier pour l'organisation « {wanted} » (organisations de "
            f"votre compte : {names}). Choisissez une de ces organisations dans la connexion, ou demandez à être "
            "ajouté comme membre de l'organisation.",
            kind="forbidden",
        )

    def publish(self, request: PublishRequest, progress: Optional[Progress] = None, feedback=None) -> PublishResult:
        for item in request.files:
            if not Path(item.path).is_file():
                raise PortalError(
                    f"Le fichier à publier « {item.path} » est introuvable : relancez l'export, puis publiez.",
                    kind="other",
                )
        try:
            return self._publish(request, progress, feedback)
        except PortalError as exc:
            raise self.http.scrub(exc) from None

    def _publish(self, request: PublishRequest, progress: Optional[Progress], feedback) -> PublishResult:
        messages: List[str] = []
        org_id = self._organisation_id(feedback)
        ours = self.build_payload(request.description, messages, org_id, feedback)

        remote: Optional[Dict[str, Any]] = None
        if request.ref is not None and request.ref.dataset_id:
            remote = self._read_dataset(request.ref.dataset_id, feedback)
            if remote is None and not request.recreate_if_deleted:
                raise PortalError(
                    f"Le jeu de données publié précédemment ({request.ref.dataset_url or request.ref.dataset_id}) "
                    f"a été supprimé sur {self.host}. Acceptez de le recréer pour publier de nouveau.",
                    kind="deleted",
                    status=404,
                )
        key = dataset_key(request.description)
        if remote is None:
            # no usable reference: a previous publication may have created the dataset and lost the answer
            remote = self._find_ours_before_create(key, org_id, ours["title"], messages, feedback)
            if remote is not None:
                messages.append(
                    f"Le jeu de données « {remote.get('title') or ours['title']} » existait déjà sur {self.host} "
                    "(publié sans référence enregistrée, ou publication précédente interrompue) : il a été mis à "
                    "jour au lieu d'être créé en double."
                )
        if request.dry_run:
            url = (remote or {}).get("page") or (request.ref.dataset_url if request.ref and remote else "")
            messages.append("Essai à blanc : rien n'a été envoyé au portail.")
            ref = request.ref if remote and request.ref else DatasetRef(self.portal_type, self.connection.base_url, "")
            if remote and not ref.dataset_id:  # adopted from an interrupted publication
                ref.dataset_id, ref.dataset_url = str(remote.get("id", "")), str(remote.get("page") or "")
            return PublishResult(
                ref=ref, dataset_url=url or "", resource_urls={}, created=remote is None, messages=messages
            )

        created = remote is None
        if created:
            # created private: made public only once its first file is attached (never an empty public dataset)
            pending = dict(ours, private=True, extras=dict(ours["extras"], **{PENDING_KEY: True}))
            dataset = self._create(pending, key, org_id, messages, feedback)
            known_resources: Dict[str, str] = {}
        else:
            merged = self.merge(remote, ours)
            dataset = self._call("PUT", f"datasets/{remote['id']}/", merged, step="update", feedback=feedback)
            known_resources = dict(request.ref.resource_ids) if request.ref else {}
        # a dataset we created private (now, or in a publication interrupted before its files were attached)
        # becomes public once its files are attached, unless the connection publishes privately; one made
        # private on the portal by someone is left private
        pending = bool((dataset.get("extras") or {}).get(PENDING_KEY))
        make_public = pending and not self.connection.private and bool(dataset.get("private"))
        dataset_id = str(dataset["id"])
        resource_ids: Dict[str, str] = {}
        try:
            self._send_files(dataset, request, key, known_resources, resource_ids, progress, messages, feedback)
            if pending:
                current = self._read_dataset(dataset_id, feedback) or dataset
                final = self.merge(current, {})
                final["extras"] = {k: v for k, v in (final.get("extras") or {}).items() if k != PENDING_KEY}
                if make_public:
                    final["private"] = False
                self._call("PUT", f"datasets/{dataset_id}/", final, step="update", feedback=feedback)
            return self._confirm(dataset_id, request, resource_ids, created, messages, feedback)
        except PortalError as exc:
            # the dataset exists on the portal: give its reference back so that publishing again updates it
            # (PortalError.ref, read by the publication task) instead of creating a copy
            kept = dict(known_resources)
            kept.update(resource_ids)
            exc.ref = DatasetRef(
                portal_type=self.portal_type,
                base_url=self.connection.base_url,
                dataset_id=dataset_id,
                resource_ids=kept,
                dataset_url=str(dataset.get("page") or ""),
            )
            raise

    def _create(self, ours: Dict[str, Any], key: str, org_id: str, messages: List[str], feedback) -> Dict[str, Any]:
        """POST the new dataset, never twice: when the answer is lost, look the dataset up by our key (and wait
        a little for a slow portal that stores it after we gave up)."""
        self._check_cancel(feedback, "create")
        try:
            return self._call("POST", "datasets/", ours, step="create", feedback=feedback)
        except PortalError as exc:
            if exc.kind not in _CREATE_UNKNOWN_KINDS:
                raise  # refused (4xx) or cancelled: nothing was created by this request
            error = exc
        found = self._wait_for(lambda: self._find_ours(key, org_id, ours["title"], [], feedback), feedback)
        if found is not None:
            messages.append(
                f"La réponse de {self.host} à la création du jeu de données a été perdue, mais le jeu de données "
                "avait bien été créé : il a été retrouvé et utilisé, sans doublon."
            )
            return found
        raise PortalError(
            f"{error} Si le portail a tout de même créé le jeu de données, la prochaine publication le retrouvera "
            "et le mettra à jour au lieu d'en créer un second.",
            kind=error.kind,
            status=error.status,
            portal_message=error.portal_message,
        ) from None

    #: after a write whose answer was lost, how long (s) the portal is watched for a late result; None: the
    #: connection's timeout (a portal slower than the timeout usually finishes within the same delay again)
    late_write_grace_s: Optional[float] = None

    def _wait_for(self, lookup, feedback):
        """``lookup()`` until it finds something or the grace delay is over (lookup errors count as misses)."""
        grace = self.late_write_grace_s if self.late_write_grace_s is not None else float(self.connection.timeout_s)
        end = time.monotonic() + max(0.0, grace)
        while True:
            try:
                found = lookup()
            except PortalError as exc:
                if exc.kind == "cancelled":
                    raise
                found = None
            if found is not None or time.monotonic() >= end:
                return found
            self._check_cancel(feedback, "find")
            time.sleep(min(1.0, max(0.05, end - time.monotonic())))

    def _find_ours_before_create(
        self, key: str, org_id: str, title: str, messages: List[str], feedback
    ) -> Optional[Dict[str, Any]]:
        try:
            return self._find_ours(key, org_id, title, messages, feedback)
        except PortalError as exc:
            if exc.kind in ("cancelled", "auth", "forbidden"):
                raise
            raise PortalError(
                f"{exc} Rien n'a été créé : sans cette vérification, un jeu de données déjà publié (ou laissé par "
                "une publication interrompue) pourrait être créé en double. Réessayez dans un moment.",
                kind=exc.kind,
                status=exc.status,
                portal_message=exc.portal_message,
            ) from None

    def _find_ours(self, key: str, org_id: str, title: str, messages: List[str], feedback) -> Optional[Dict[str, Any]]:
        """A live dataset of the same owner (``org_id``, or the user when empty) carrying our key, re-read.

        When several carry it (a creation whose answer was lost, then a second one), the one holding our
        resources is used and the agent is told about the others, with their links."""
        candidates = self._call(
            "GET", "me/org_datasets/?q=" + quote(title.strip(), safe=""), step="find", feedback=feedback
        )
        found = self._matching(candidates, key, org_id)
        if org_id:  # the title may have changed since (the key follows the identifier): the latest ones
            page = self._call(
                "GET",
                f"organizations/{org_id}/datasets/?sort=-created&page_size={RECENT_DATASETS_SEARCHED}",
                step="find",
                feedback=feedback,
            )
            seen = {str(d["id"]) for d in found}
            found += [
                d
                for d in self._matching((page or {}).get("data") if isinstance(page, dict) else None, key, org_id)
                if str(d["id"]) not in seen
            ]
        if not found:
            return None
        datasets = [d for d in (self._read_dataset(str(item["id"]), feedback) for item in found) if d is not None]
        if not datasets:
            return None
        datasets.sort(key=lambda d: (len(d.get("resources") or []), str(d.get("created_at") or "")), reverse=True)
        if len(datasets) > 1:
            others = ", ".join(self._page(d) for d in datasets[1:])
            messages.append(
                f"Attention : {len(datasets)} jeux de données de {self.host} portent la marque de cette couche. "
                f"Celui qui contient les fichiers publiés a été mis à jour : {self._page(datasets[0])}. "
                f"Autre(s) jeu(x) de données en double, à supprimer sur le portail après vérification : {others}."
            )
        return datasets[0]

    def _page(self, dataset: Dict[str, Any]) -> str:
        return str(dataset.get("page") or f"{self.connection.base_url.rstrip('/')}/datasets/{dataset.get('id')}/")

    @staticmethod
    def _matching(items: Any, key: str, org_id: str) -> List[Dict[str, Any]]:
        found: List[Dict[str, Any]] = []
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict) or not item.get("id") or item.get("deleted"):
                continue
            if (item.get("extras") or {}).get(MARKER_KEY) != key:
                continue
            organisation = item.get("organization")
            owner_org = str(organisation.get("id", "")) if isinstance(organisation, dict) else str(organisation or "")
            if owner_org == org_id:  # both empty: a dataset of the user (me/org_datasets lists no one else's)
                found.append(item)
        return found

    def _send_files(self, dataset, request, key, known_resources, resource_ids, progress, messages, feedback) -> None:
        dataset_id = str(dataset["id"])
        total = sum(Path(f.path).stat().st_size for f in request.files) or 1
        done = 0
        for item in request.files:
            existing = {str(r.get("id")): r for r in dataset.get("resources") or []}
            marker = f"{key}:{item.format}"
            digest = _sha1(Path(item.path))
            rid = known_resources.get(item.format, "")
            if rid not in existing:
                rid = self._our_resource(existing.values(), item, marker, digest)

            def _progress(sent: int, _total: int, base=done, label=item.title) -> None:
                if progress is not None:
                    progress(base + sent, total, f"Envoi de « {label} »")

            held = existing.get(rid)
            if held is not None and (item.unchanged or (held.get("checksum") or {}).get("value") == digest):
                resource = held  # the portal already holds this very file (unchanged data, or an earlier try)
            else:
                resource = self._send_file(dataset_id, rid, item, digest, _progress, feedback)
            rid = str(resource["id"])
            resource_ids[item.format] = rid
            self._update_resource(dataset_id, rid, item, marker, messages, feedback)
            done += Path(item.path).stat().st_size
            if progress is not None:
                progress(done, total, f"« {item.title} » envoyé")
            dataset = self._call("GET", f"datasets/{dataset_id}/", step="confirm", feedback=feedback) or dataset
            self._drop_copies(dataset, rid, marker, digest, messages, feedback)

    @staticmethod
    def _our_resource(resources, item: PublishFile, marker: str, digest: str) -> str:
        """The resource to replace: ours by its marker, else one holding this very file (an upload whose
        answer was lost), else one with the same title and format; "" to create one."""
        resources = list(resources)
        for res in resources:
            if (res.get("extras") or {}).get(RESOURCE_MARKER_KEY) == marker:
                return str(res.get("id"))
        for res in resources:
            if (res.get("checksum") or {}).get("value") == digest:
                return str(res.get("id"))
        for res in resources:
            if res.get("title") == item.title and str(res.get("format", "")).lower() == item.format.lower():
                return str(res.get("id"))
        return ""

    def _drop_copies(self, dataset, kept: str, marker: str, digest: str, messages: List[str], feedback) -> None:
        """Delete the copies of our file that a late upload left (same content, or our marker on a resource
        of the same file): one resource per format."""
        for res in dataset.get("resources") or []:
            rid = str(res.get("id"))
            if rid == kept:
                continue
            same_file = (res.get("checksum") or {}).get("value") == digest
            ours = (res.get("extras") or {}).get(RESOURCE_MARKER_KEY) == marker
            if not (same_file or ours):
                continue
            try:
                self._call("DELETE", f"datasets/{dataset['id']}/resources/{rid}/", step="resource", feedback=feedback)
            except PortalError as exc:
                if exc.kind == "cancelled":
                    raise
                messages.append(
                    f"Une copie en double du fichier « {res.get('title') or rid} » est restée sur {self.host} "
                    f"(ressource {rid}) : supprimez-la sur le portail ({exc.kind})."
                )
                continue
            messages.append(
                f"Une copie en double du fichier « {res.get('title') or rid} », laissée par un envoi interrompu, a "
                "été supprimée du portail."
            )

    def _confirm(self, dataset_id, request, resource_ids, created, messages, feedback) -> PublishResult:
        dataset = self._call("GET", f"datasets/{dataset_id}/", step="confirm", feedback=feedback) or {}
        if dataset.get("deleted"):
            raise PortalError(f"{self.host} indique que le jeu de données a été supprimé.", kind="deleted")
        remote_resources = {str(r.get("id")): r for r in dataset.get("resources") or []}
        resource_urls: Dict[str, str] = {}
        for item in request.files:
            rid = resource_ids.get(item.format, "")
            res = remote_resources.get(rid)
            size = Path(item.path).stat().st_size
            if res is None or (res.get("filesize") is not None and int(res["filesize"]) != size):
                raise PortalError(
                    f"{self.host} n'a pas confirmé le fichier « {item.title} » (ressource absente ou de taille "
                    "différente après l'envoi). Publiez de nouveau : la ressource existante sera remplacée.",
                    kind="other",
                )
            resource_urls[item.format] = str(res.get("url") or res.get("latest") or "")
        page = dataset.get("page") or f"{self.connection.base_url.rstrip('/')}/datasets/{dataset.get('slug', '')}/"
        ref = DatasetRef(
            portal_type=self.portal_type,
            base_url=self.connection.base_url,
            dataset_id=dataset_id,
            resource_ids=resource_ids,
            dataset_url=page,
        )
        return PublishResult(ref=ref, dataset_url=page, resource_urls=resource_urls, created=created, messages=messages)

    def _portal_schemas(self, feedback) -> Optional[Dict[str, List[str]]]:
        """The portal's schema catalogue: name -> versions (None when it cannot be read)."""
        if self._schemas is None:
            try:
                data = self._call("GET", "datasets/schemas/", step="read", auth=False, feedback=feedback)
            except PortalError as exc:
                if exc.kind == "cancelled":
                    raise
                return None
            self._schemas = {
                str(item.get("name")): [str(v.get("version_name")) for v in item.get("versions") or []]
                for item in data or []
                if isinstance(item, dict) and item.get("name")
            }
        return self._schemas

    def _schema_field(self, item: PublishFile, messages: List[str], feedback) -> Optional[Dict[str, str]]:
        """``{name, version}`` for the resource, checked against the portal's own catalogue: a version it does
        not list is refused by udata, so the name is sent alone and the agent is told."""
        if not item.schema_name:
            return None
        catalogue = self._portal_schemas(feedback)
        if catalogue is not None and item.schema_name not in catalogue:
            messages.append(
                f"Le schéma « {item.schema_name} » n'est pas dans le catalogue de schémas de {self.host} : il n'a "
                f"pas pu être indiqué sur la ressource « {item.title} »."
            )
            return None
        versions = (catalogue or {}).get(item.schema_name, [])
        if item.schema_version and (catalogue is None or item.schema_version in versions):
            return {"name": item.schema_name, "version": item.schema_version}
        if item.schema_version:
            listed = ", ".join(versions) or "aucune"
            messages.append(
                f"La version {item.schema_version} du schéma « {item.schema_name} » n'est pas connue de {self.host} "
                f"(versions connues : {listed}) : le schéma est indiqué sur la ressource sans numéro de version."
            )
        return {"name": item.schema_name}

    def _update_resource(
        self, dataset_id: str, rid: str, item: PublishFile, marker: str, messages: List[str], feedback
    ) -> None:
        path = f"datasets/{dataset_id}/resources/{rid}/"
        current = self._call("GET", path, step="resource", feedback=feedback) or {}
        extras = dict(current.get("extras") or {}) if isinstance(current, dict) else {}
        extras[RESOURCE_MARKER_KEY] = marker
        payload: Dict[str, Any] = {
            "title": item.title,
            "description": item.description,
            "type": "main",
            "format": item.format,
            "extras": extras,
        }
        schema = self._schema_field(item, messages, feedback)
        if schema:
            payload["schema"] = schema
        self._call("PUT", path, payload, step="resource", feedback=feedback)

    # -- file transfer -----------------------------------------------------------------------------------

    def _upload_path(self, dataset_id: str, rid: str) -> str:
        if rid:
            return f"datasets/{dataset_id}/resources/{rid}/upload/"
        return f"datasets/{dataset_id}/upload/"

    def _send_file(self, dataset_id: str, rid: str, item: PublishFile, digest: str, progress, feedback):
        path = Path(item.path)
        chunk = max(1, int(self.connection.chunk_size_mb * 1024 * 1024))
        if path.stat().st_size > chunk:
            return self._chunked_upload(dataset_id, rid, item, digest, chunk, progress, feedback)
        return self._plain_upload(dataset_id, rid, item, digest, progress, feedback)

    def _find_uploaded(self, dataset_id: str, rid: str, sha1: str, feedback) -> Optional[Dict[str, Any]]:
        """After a failed upload: the resource that holds our file (same SHA-1), if the portal has it."""
        dataset = self._call("GET", f"datasets/{dataset_id}/", step="confirm", feedback=feedback) or {}
        for res in dataset.get("resources") or []:
            if rid and str(res.get("id")) != rid:
                continue
            if (res.get("checksum") or {}).get("value") == sha1:
                return res
        return None

    def _after_lost_upload(self, error: PortalError, dataset_id: str, rid: str, digest: str, feedback):
        """An upload whose answer was lost: the resource holding our file if the portal stored it (watched for
        a while: a slow portal may store it after we gave up), else a truthful error."""
        found = self._wait_for(lambda: self._find_uploaded(dataset_id, rid, digest, feedback), feedback)
        if found is not None:
            return found
        raise PortalError(
            f"{error} Le fichier n'apparaît pas encore sur le portail, mais l'envoi a peut-être abouti : publiez de "
            "nouveau, l'extension retrouvera le fichier s'il est arrivé (même contenu) au lieu de l'envoyer en "
            "double.",
            kind=error.kind,
            status=error.status,
            portal_message=error.portal_message,
        ) from None

    def _plain_upload(self, dataset_id: str, rid: str, item: PublishFile, digest: str, progress, feedback):
        try:
            _status, _headers, body = self.http.upload(
                self.api_url(self._upload_path(dataset_id, rid)),
                Path(item.path),
                step="upload",
                field_name="file",
                progress=progress,
                feedback=feedback,
                allow_resend=bool(rid),  # replacing a known resource's file is safe to repeat, creating one is not
            )
        except PortalError as error:
            if error.kind not in _UNKNOWN_OUTCOME_KINDS:
                raise
            # never re-send blindly: did the portal keep the file although the answer was lost?
            return self._after_lost_upload(error, dataset_id, rid, digest, feedback)
        return self._json(body, "upload")

    def _json(self, body: bytes, step: str) -> Dict[str, Any]:
        try:
            data = json.loads(body.decode("utf-8"))
        except ValueError:
            data = None
        if not isinstance(data, dict) or not data.get("id"):
            raise PortalError(
                f"{self.host} a envoyé une réponse inattendue pendant {_STEP_LABELS[step]}. Réessayez plus tard.",
                kind="other",
            )
        return data

    def _post_form(self, path: str, fields: Dict[str, str], content: Optional[bytes], filename: str, step, feedback):
        body, content_type = _multipart_body(fields, "file" if content is not None else "", filename, content or b"")
        return self.http.send(
            "POST",
            self.api_url(path),
            data=body,
            headers={"Content-Type": content_type, "Accept": "application/json"},
            step=step,
            idempotent=False,
            feedback=feedback,
        )

    def _chunked_upload(self, dataset_id, rid, item: PublishFile, digest, chunk: int, progress, feedback):
        path = Path(item.path)
        size = path.stat().st_size
        parts = math.ceil(size / chunk)
        upload_path = self._upload_path(dataset_id, rid)
        filename = path.name
        last_error: Optional[PortalError] = None
        abandoned = 0  # bytes of parts stored under an abandoned uuid (udata offers no way to delete them)
        for _restart in range(1 + self.max_upload_restarts):
            upload_id = str(uuid.uuid4())
            try:
                self._send_parts(upload_path, upload_id, filename, path, parts, chunk, size, progress, feedback)
            except _RestartUpload as restart:
                last_error = restart.error
                abandoned += restart.stored
                continue
            return self._combine(dataset_id, rid, upload_path, upload_id, filename, parts, digest, feedback)
        assert last_error is not None
        left = (
            f" Des parties déjà envoyées ({_human(abandoned)}) restent en attente sur le portail, qui ne permet pas "
            "de les supprimer ; il les efface lui-même après un délai."
            if abandoned
            else ""
        )
        raise PortalError(
            f"{last_error} L'envoi en plusieurs parties a échoué {1 + self.max_upload_restarts} fois ; aucune "
            f"ressource n'a été créée.{left} Réessayez plus tard.",
            kind=last_error.kind,
            status=last_error.status,
            portal_message=last_error.portal_message,
        )

    def _send_parts(self, upload_path, upload_id, filename, path, parts, chunk, size, progress, feedback) -> None:
        stored = 0
        with open(path, "rb") as handle:
            for index in range(parts):
                self._check_cancel(feedback, "chunk")
                handle.seek(index * chunk)
                content = handle.read(chunk)  # one part in memory at a time
                fields = {
                    "uuid": upload_id,
                    "filename": filename,
                    "partindex": str(index),
                    "totalparts": str(parts),
                    "chunksize": str(len(content)),
                }
                resent = False
                while True:
                    try:
                        self._post_form(upload_path, fields, content, "blob", "chunk", feedback)
                        break
                    except PortalError as error:
                        if error.kind == "cancelled" or (
                            error.status is not None and 400 <= error.status < 500 and error.status not in (408, 429)
                        ):
                            raise
                        if error.kind == "redirect":
                            raise
                        if resent:  # the part may have been stored without its 200: restart under a new uuid
                            raise _RestartUpload(error, stored + len(content)) from None
                        resent = True  # this part never got a 200: send it again once
                        time.sleep(self.retry_delays[0] if self.retry_delays else 0)
                stored += len(content)
                if progress is not None:
                    progress(min(size, (index + 1) * chunk), size)

    def _combine(self, dataset_id, rid, upload_path, upload_id, filename, parts, digest, feedback) -> Dict[str, Any]:
        fields = {"uuid": upload_id, "filename": filename, "totalparts": str(parts)}
        for attempt in range(2):
            try:
                _status, _headers, body = self._post_form(upload_path, fields, None, "", "combine", feedback)
                return self._json(body, "combine")
            except PortalError as error:
                if error.kind not in _UNKNOWN_OUTCOME_KINDS:
                    raise
                if attempt == 1:
                    return self._after_lost_upload(error, dataset_id, rid, digest, feedback)
                try:
                    found = self._find_uploaded(dataset_id, rid, digest, feedback)
                except PortalError:
                    found = None
                if found is not None:
                    return found
                # parts are kept by udata after a failed combination: asking again cannot duplicate
                time.sleep(self.retry_delays[0] if self.retry_delays else 0)
        raise AssertionError("unreachable")  # pragma: no cover


def _human(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")
    return f"{max(1, size // 1024)} ko"


class _RestartUpload(Exception):
    def __init__(self, error: PortalError, stored: int = 0):
        super().__init__(str(error))
        self.error = error
        self.stored = stored
