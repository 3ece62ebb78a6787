"""CKAN (2.9 – 2.11) through its action API: ``/api/3/action/<action>``, header ``Authorization: <API token>``.

What the adapter does (see ../shared/guides/portal-apis.md §3):

- ``test_connection``: ``organization_list_for_user`` with ``permission=create_dataset`` (works without
  Solr); an empty list means the key is valid but may not publish anywhere;
- ``licences``: ``license_list``; our licence is matched against the instance's own list
  (:func:`core.metadata.licences.ckan_licence_id`). A default CKAN has no Licence Ouverte: then the
  generic "Other (Attribution)" / "Other (Open)" id is used, the licence's name and URL go in the extras
  and a French note says so (never a silent replacement);
- create: ``package_create`` (name = slug of the title, title, notes, tags, license_id, owner_org,
  private, maintainer, extras: frequency, spatial coverage, temporal coverage, schema), then one
  ``resource_create`` per file, streamed as multipart (field ``upload``);
- update: ``package_show`` → merge our fields into the full dictionary (every field and extra set on the
  portal side is kept, resources included) → ``package_update``; each file replaces the file of its
  resource (``resource_patch`` with the upload: the other resource fields are kept);
- a dataset deleted on the portal (``state: deleted`` or 404) → ``PortalError(kind="deleted")`` unless
  the agent agreed to recreate it;
- never a duplicate: reads are retried with backoff, writes never; a create interrupted after the portal
  committed it is found again on the next publication (same name, our marker extra, same organisation),
  and a resource is matched by id, then by name and format, before creating one;
- success only from the portal's last answer: the dataset is read back after the uploads.

Errors are :class:`PortalError` with a French message carrying CKAN's own text. The API key never appears
in a message, a log or a result.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import urlencode, urlsplit

from ...toolbelt import network
from ..metadata import licences as licence_lib
from ..metadata import vocabulary
from ..text import ascii_slug
from .base import (
    DatasetRef,
    Organisation,
    PortalAdapter,
    PortalError,
    PortalLicence,
    Progress,
    PublishRequest,
    PublishResult,
    schema_url,
)
from .http import PortalHttp

MARKER_KEY = "published_with"
MARKER_VALUE = "opendata_publisher"
#: the identity of the dataset (:func:`opendata_publisher.core.portals.udata.dataset_key`) in its extras, and
#: followed by ``:<format>`` as a field of each of its resources
KEY_EXTRA = "opendata_publisher_key"
#: extra set while a dataset we created is kept private until its files are attached (removed when made public)
PENDING_EXTRA = "opendata_publisher_private_until_published"
#: extras written (and only these are overwritten on update)
MANAGED_EXTRAS = (
    "frequency",
    "spatial_text",
    "spatial",
    "temporal_start",
    "temporal_end",
    "schema",
    "schema_version",
    "conforms_to",
    "licence_name",
    "licence_url",
    "identifier",
    MARKER_KEY,
    KEY_EXTRA,
)
FALLBACK_LICENCES = ("other-at", "other-open")
BACKOFF_S = (0.5, 1.5)
_FORMATS = {"csv": "CSV", "geojson": "GeoJSON", "gpkg": "GPKG", "shp.zip": "SHP", "json": "JSON", "zip": "ZIP"}
_MIMES = {
    "csv": "text/csv",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "shp.zip": "application/zip",
    "zip": "application/zip",
}

_STEP_LABELS = {
    "user_show": "la vérification de la clé d'API",
    "organization_list_for_user": "la lecture des organisations de votre compte",
    "license_list": "la lecture des licences du portail",
    "package_show": "la lecture du jeu de données",
    "package_create": "la création du jeu de données",
    "package_update": "la mise à jour du jeu de données",
    "resource_create": "l'envoi du fichier",
    "resource_patch": "le remplacement du fichier",
    "package_patch": "la mise en ligne du jeu de données",
    "package_search": "la recherche d'un jeu de données déjà publié",
}


def slugify(text: str, max_length: int = 90) -> str:
    """CKAN dataset name: lowercase ASCII letters, digits, ``-`` and ``_``; 2 to 100 characters."""
    slug = ascii_slug(text, max_length, keep="_")
    if len(slug) < 2:
        slug = f"jeu-de-donnees-{int(time.time())}"
    return slug


def clean_tag(text: str) -> str:
    """A CKAN tag: letters (accents allowed), digits, spaces, ``-``, ``_``, ``.``; 2 to 100 characters."""
    tag = re.sub(r"[^\w \-.]+", " ", str(text or ""), flags=re.UNICODE)
    tag = " ".join(tag.split())[:100]
    return tag if len(tag) >= 2 else ""


class CkanAdapter(PortalAdapter):
    portal_type = "ckan"

    # -- plumbing ------------------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self.connection.base_url.strip().rstrip("/")

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc or self.base_url

    def _token(self) -> str:
        from ...toolbelt.auth import AuthError, api_key

        try:
            return api_key(self.connection.authcfg)
        except AuthError as exc:
            raise PortalError(str(exc), kind="auth") from exc

    @property
    def http(self) -> PortalHttp:
        """The shared HTTP core (retry policy, origin check for the key, redaction)."""
        if getattr(self, "_http", None) is None:
            self._http = PortalHttp(
                self.connection,
                credentials=lambda: {"Authorization": self._token()},
                describe=lambda exc, action, write: self._error(action, exc, write, self._upload_size),
                step_label=lambda action: _STEP_LABELS.get(action, f"l'action {action}"),
                retry_delays=self.retry_delays,
            )
        self._http.retry_delays = tuple(self.retry_delays)
        return self._http

    _upload_size = 0
    #: seconds between the tries of a read (GET) that failed transiently
    retry_delays = BACKOFF_S

    def _action_url(self, action: str, params: Optional[Dict[str, Any]] = None) -> str:
        url = f"{self.base_url}/api/3/action/{action}"
        if params:
            url += "?" + urlencode(params)
        return url

    def _check_cancel(self, feedback) -> None:
        if feedback is not None and feedback.isCanceled():
            raise PortalError(
                "Publication annulée. Ce qui a déjà été envoyé reste sur le portail : publiez à nouveau pour "
                "terminer, le même jeu de données sera mis à jour (pas de doublon).",
                kind="cancelled",
            )

    def _read(self, action: str, params: Optional[Dict[str, Any]] = None, feedback=None) -> Any:
        """A read action (GET), retried by the HTTP core on timeouts, network errors, 429 and 5xx."""
        self._check_cancel(feedback)
        _status, _headers, body = self.http.send(
            "GET", self._action_url(action, params), step=action, feedback=feedback
        )
        return self._result(action, body)

    def _write(self, action: str, data: Dict[str, Any], feedback=None) -> Any:
        """A write action (POST JSON): sent once, never retried."""
        self._check_cancel(feedback)
        _status, _headers, body = self.http.send(
            "POST",
            self._action_url(action),
            data=json.dumps(data).encode("utf-8"),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            step=action,
            idempotent=False,
            feedback=feedback,
        )
        return self._result(action, body)

    def _upload(self, action: str, fields: Dict[str, Any], file, on_bytes, feedback=None) -> Any:
        """resource_create / resource_patch with the file streamed from disk (multipart field ``upload``)."""
        self._check_cancel(feedback)
        text_fields = {k: ("" if v is None else str(v)) for k, v in fields.items()}
        self._upload_size = _size(file.path)
        try:
            _status, _headers, body = self.http.upload(
                self._action_url(action),
                file.path,
                step=action,
                field_name="upload",
                fields=text_fields,
                progress=on_bytes,
                feedback=feedback,
                allow_resend=action == "resource_patch",  # replacing a file is safe to repeat, creating is not
            )
        finally:
            self._upload_size = 0
        return self._result(action, body)

    def _result(self, action: str, body: bytes) -> Any:
        try:
            envelope = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise PortalError(
                f"Le portail CKAN {self.host} a donné une réponse illisible pour {_STEP_LABELS.get(action, action)} "
                "(ce n'est pas du JSON). Vérifiez l'adresse du portail dans la connexion : elle doit être la racine "
                "du site CKAN (sans /api/3).",
                kind="other",
            ) from exc
        if not isinstance(envelope, dict) or not envelope.get("success", False) or "result" not in envelope:
            text = _portal_text(envelope.get("error") if isinstance(envelope, dict) else None)
            raise PortalError(
                f"Le portail CKAN {self.host} a refusé {_STEP_LABELS.get(action, action)} : {text or 'sans détail'}.",
                kind="other",
                portal_message=text,
            )
        return envelope["result"]

    def _error(self, action: str, exc: network.NetworkError, write: bool = False, size: int = 0) -> PortalError:
        step = _STEP_LABELS.get(action, f"l'action {action}")
        error_obj = None
        try:
            parsed = json.loads(exc.body) if exc.body else None
            if isinstance(parsed, dict):
                error_obj = parsed.get("error")
        except ValueError:
            parsed = None
        portal = _portal_text(error_obj) or exc.body_excerpt()
        said = f" Le portail a répondu : « {portal} »." if portal else ""
        status = exc.status
        retry_note = (
            " L'opération a peut-être abouti côté portail : publiez à nouveau, l'extension retrouvera le jeu de "
            "données et remplacera le fichier au lieu d'en créer un deuxième."
            if write
            else ""
        )
        if status is None:
            if exc.kind == "cancelled":
                kind, text = "cancelled", f"Publication annulée pendant {step}.{retry_note}"
            elif exc.kind == "timeout":
                delay = f" pendant {self.connection.timeout_s} s" if self.connection.timeout_s else ""
                kind = "timeout"
                text = (
                    f"Le portail CKAN {self.host} n'a pas répondu{delay} pendant {step}.{retry_note} Si cela se "
                    "reproduit, augmentez le délai d'attente de la connexion (Préférences > Options > Données "
                    "ouvertes) ou réessayez plus tard."
                )
            else:
                kind = "network"
                text = (
                    f"La connexion avec le portail CKAN {self.host} a été interrompue pendant {step} "
                    f"({exc.kind}).{retry_note} Vérifiez votre connexion Internet et le proxy, puis réessayez."
                )
            return PortalError(text, kind=kind, status=None, portal_message=portal)
        error_type = (error_obj or {}).get("__type", "") if isinstance(error_obj, dict) else ""
        too_large = status == 413 or "too large" in portal.lower()
        if too_large:
            size_text = f" ({_human_size(size)})" if size else ""
            kind = "too-large"
            text = (
                f"Le fichier est trop volumineux pour le portail CKAN {self.host}{size_text} : il a été refusé "
                f"pendant {step} (code {status}).{said} Réduisez-le (format compressé, moins de colonnes) ou "
                "demandez à l'administrateur du portail de relever la limite d'envoi (ckan.max_resource_size)."
            )
        elif status == 401 or (status == 403 and _looks_like_bad_token(portal)):
            kind = "auth"
            text = (
                f"Le portail CKAN {self.host} n'a pas accepté la clé d'API (code {status}) pendant {step}.{said} "
                "Vérifiez la clé enregistrée pour cette connexion (Préférences > Options > Données ouvertes) : elle "
                "est peut-être expirée ou révoquée ; créez-en une nouvelle dans votre profil CKAN (« Jetons d'API »)."
            )
        elif status == 403:
            kind = "forbidden"
            text = (
                f"Accès refusé par le portail CKAN {self.host} pendant {step} (code 403).{said} La clé d'API est "
                "peut-être expirée, ou votre compte n'a pas le droit de publier pour cette organisation : vérifiez "
                "la clé et l'organisation de la connexion, ou demandez le rôle « éditeur » à l'administrateur."
            )
        elif status == 404:
            kind = "not-found"
            text = (
                f"Introuvable sur le portail CKAN {self.host} pendant {step} (code 404).{said} Vérifiez l'adresse "
                "du portail ; si le jeu de données a été supprimé, publiez-le de nouveau pour le recréer."
            )
        elif status == 409 and error_type == "Validation Error":
            kind = "invalid"
            text = (
                f"Le portail CKAN {self.host} a refusé les informations envoyées pendant {step} (code 409).{said} "
                "Corrigez le champ indiqué dans l'étape « Décrire », puis publiez à nouveau."
            )
        elif status == 409:
            kind = "conflict"
            text = (
                f"Conflit sur le portail CKAN {self.host} pendant {step} (code 409).{said} Réessayez dans un "
                "instant ; si cela se reproduit, contactez l'administrateur du portail."
            )
        elif status == 400:
            kind = "invalid"
            text = (
                f"Le portail CKAN {self.host} a refusé la requête pendant {step} (code 400).{said} Vérifiez les "
                "informations de l'étape « Décrire » (titre, mots-clés, dates), puis publiez à nouveau."
            )
        elif status >= 500:
            kind = "server"
            text = (
                f"Le portail CKAN {self.host} est en erreur (code {status}) pendant {step}.{said}{retry_note} "
                "Réessayez plus tard ; si cela persiste, contactez l'administrateur du portail."
            )
        else:
            kind = "other"
            text = f"Le portail CKAN {self.host} a répondu {status} pendant {step}.{said} Réessayez plus tard."
        return PortalError(text, kind=kind, status=status, portal_message=portal)

    # -- interface -----------------------------------------------------------------------------------------

    def test_connection(self, feedback=None) -> List[Organisation]:
        self._check_key(feedback)
        orgs = self._read("organization_list_for_user", {"permission": "create_dataset"}, feedback)
        result = []
        for org in orgs or []:
            if isinstance(org, dict):
                result.append(
                    Organisation(
                        id=str(org.get("id", "")),
                        name=str(org.get("display_name") or org.get("title") or org.get("name") or ""),
                        slug=str(org.get("name", "")),
                    )
                )
        return result

    def _check_key(self, feedback=None) -> Dict[str, Any]:
        """CKAN treats an unknown token as an anonymous visitor (read actions answer normally): ``user_show``
        without id returns the key's account, or fails when nobody is recognised."""
        try:
            user = self._read("user_show", None, feedback)
        except PortalError as exc:
            if exc.status in (401, 403, 404):
                said = f" Le portail a répondu : « {exc.portal_message} »." if exc.portal_message else ""
                raise PortalError(
                    f"Le portail CKAN {self.host} n'a reconnu aucun compte avec la clé d'API de la connexion "
                    f"« {self.connection.name} » (code {exc.status}).{said} La clé est peut-être expirée, révoquée "
                    "ou mal copiée : créez-en une nouvelle dans votre profil CKAN (« Jetons d'API ») et "
                    "enregistrez-la dans Préférences > Options > Données ouvertes.",
                    kind="auth",
                    status=exc.status,
                    portal_message=exc.portal_message,
                ) from exc
            raise
        return user if isinstance(user, dict) else {}

    def licences(self, feedback=None) -> List[PortalLicence]:
        return [
            PortalLicence(id=str(item.get("id", "")), title=str(item.get("title", "")), url=str(item.get("url") or ""))
            for item in self._raw_licences(feedback)
        ]

    def _raw_licences(self, feedback=None) -> List[Dict[str, Any]]:
        items = self._read("license_list", None, feedback)
        return [item for item in items or [] if isinstance(item, dict) and item.get("id")]

    def dataset_exists(self, ref: DatasetRef, feedback=None) -> bool:
        return self._live_package(ref.dataset_id, feedback) is not None

    def dataset_page_url(self, ref: DatasetRef) -> str:
        return ref.dataset_url or f"{self.base_url}/dataset/{ref.dataset_id}"

    def _live_package(self, id_or_name: str, feedback=None) -> Optional[Dict[str, Any]]:
        """The dataset, or None when it was deleted (state "deleted") or purged (404)."""
        if not id_or_name:
            return None
        try:
            package = self._read("package_show", {"id": id_or_name}, feedback)
        except PortalError as exc:
            if exc.status == 404:
                return None
            raise
        if not isinstance(package, dict) or package.get("state") == "deleted":
            return None
        return package

    # -- publish -------------------------------------------------------------------------------------------

    def publish(self, request: PublishRequest, progress: Optional[Progress] = None, feedback=None) -> PublishResult:
        try:
            return self._publish(request, progress, feedback)
        except PortalError as exc:
            raise self.http.scrub(exc) from None

    def _publish(self, request: PublishRequest, progress: Optional[Progress], feedback) -> PublishResult:
        description = request.description
        messages: List[str] = []
        sizes = [_size(f.path) for f in request.files]
        total = sum(sizes)
        done = 0

        def report(label: str, extra: int = 0) -> None:
            if progress is not None:
                progress(min(done + extra, total), total, label)

        report("Lecture des licences du portail")
        licence_id, licence_notes, licence_extras = self._licence(description, feedback)
        messages.extend(licence_notes)

        package: Optional[Dict[str, Any]] = None
        if request.ref is not None and request.ref.dataset_id:
            report("Lecture du jeu de données sur le portail")
            package = self._live_package(request.ref.dataset_id, feedback)
            if package is None and not request.recreate_if_deleted:
                raise PortalError(
                    f"Le jeu de données publié sur le portail CKAN {self.host} (« {request.ref.dataset_id} ») "
                    "a été supprimé ou n'existe plus. Publiez de nouveau en acceptant de le recréer : un nouveau "
                    "jeu de données sera créé avec les mêmes informations.",
                    kind="deleted",
                    status=404,
                )
            if package is None:
                messages.append("Le jeu de données avait été supprimé du portail : il a été recréé.")

        fields = self._package_fields(description, licence_id, licence_extras)
        if package is None and request.ref is None:
            # no stored reference: a dataset of ours may exist already (published from elsewhere, title changed
            # since, or a publication whose answer was lost): find it by our key before creating one
            package = self._find_by_key(fields, feedback)
            if package is not None:
                messages.append(
                    f"Le jeu de données « {package.get('title')} » existait déjà sur le portail CKAN {self.host} : "
                    "il a été mis à jour au lieu d'être créé en double."
                )
        if request.dry_run:
            return self._dry_run_result(request, package, fields, messages)

        created = False
        if package is None:
            report("Création du jeu de données")
            package, created = self._create_package(description, fields, request, feedback, messages)
        else:
            report("Mise à jour des informations du jeu de données")
            package = self._write("package_update", merge_package(package, fields), feedback)
        # an empty private dataset of ours (created now, or left by an interrupted publication) goes public
        # once its first file is attached, unless the connection publishes privately
        # (a dataset made private on the portal by someone is left private)
        pending = _extras(package).get(PENDING_EXTRA) == "true"
        make_public = pending and not self.connection.private and bool(package.get("private"))

        ref = DatasetRef(
            portal_type=self.portal_type,
            base_url=self.base_url,
            dataset_id=str(package["id"]),
            resource_ids={},
            dataset_url=f"{self.base_url}/dataset/{package.get('name') or package['id']}",
        )
        known = dict(request.ref.resource_ids) if request.ref is not None else {}
        try:
            for file, size in zip(request.files, sizes):
                label = f"Envoi de {file.path.name}"
                report(label)
                offset = done

                def on_bytes(sent: int, _total: int, _offset=offset, _label=label) -> None:
                    if progress is not None:
                        progress(min(_offset + sent, total), total, _label)

                marker = f"{_key_of(fields)}:{file.format}"
                existing = _find_resource(package, known.get(file.format, ""), file, marker)
                resource_fields = self._resource_fields(file)
                resource_fields[KEY_EXTRA] = marker
                if existing is not None and file.unchanged:
                    resource_fields["id"] = existing["id"]  # same file as last time: its description only
                    resource = self._write("resource_patch", resource_fields, feedback)
                elif existing is not None:
                    resource_fields["id"] = existing["id"]
                    resource = self._upload("resource_patch", resource_fields, file, on_bytes, feedback)
                else:
                    resource_fields["package_id"] = ref.dataset_id
                    resource = self._upload("resource_create", resource_fields, file, on_bytes, feedback)
                ref.resource_ids[file.format] = str(resource["id"])
                package.setdefault("resources", []).append(resource)
                done += size
                report(label)
            if pending:
                extras = [e for e in package.get("extras") or [] if e.get("key") != PENDING_EXTRA]
                patch: Dict[str, Any] = {"id": ref.dataset_id, "extras": extras}
                if make_public:
                    patch["private"] = False
                self._write("package_patch", patch, feedback)
        except PortalError as exc:
            exc.ref = ref  # lets the caller store where the publication got to
            raise

        # success only from the portal's own final answer
        report("Vérification sur le portail")
        final = self._live_package(ref.dataset_id, feedback)
        if final is None:
            raise PortalError(
                f"Le portail CKAN {self.host} ne montre pas le jeu de données juste après sa publication. Ouvrez "
                f"{ref.dataset_url} pour vérifier, puis publiez à nouveau si besoin.",
                kind="other",
            )
        by_id = {str(r.get("id")): r for r in final.get("resources") or []}
        resource_urls: Dict[str, str] = {}
        for fmt, rid in ref.resource_ids.items():
            resource = by_id.get(rid)
            if resource is None:
                raise PortalError(
                    f"Le fichier {fmt} n'apparaît pas dans le jeu de données {ref.dataset_url} après son envoi. "
                    "Publiez à nouveau ; si cela se reproduit, contactez l'administrateur du portail.",
                    kind="other",
                )
            resource_urls[fmt] = str(resource.get("url") or f"{ref.dataset_url}/resource/{rid}")
        ref.dataset_url = f"{self.base_url}/dataset/{final.get('name') or final['id']}"
        report("Publication terminée")
        return PublishResult(
            ref=ref, dataset_url=ref.dataset_url, resource_urls=resource_urls, created=created, messages=messages
        )

    def _create_package(self, description, fields, request, feedback, messages) -> Tuple[Dict[str, Any], bool]:
        owner = self._owner_org(feedback)
        name = slugify(description.title or description.identifier)
        # private until its first file is attached: the public catalogue never shows an empty dataset of ours
        extras = list(fields.get("extras") or []) + [{"key": PENDING_EXTRA, "value": "true"}]
        payload = dict(fields, name=name, owner_org=owner, private=True, extras=extras)
        for attempt in range(10):
            try:
                return self._write("package_create", payload, feedback), True
            except PortalError as exc:
                if not (exc.status == 409 and "url is already in use" in exc.portal_message.lower()):
                    raise
            # The name is taken: our own interrupted creation (adopt it), or another dataset (new name).
            other = self._live_package(payload["name"], feedback)
            if other is not None and _is_ours(other, owner, fields):
                messages.append(
                    "Le jeu de données existait déjà sur le portail (publication précédente interrompue) : "
                    "il a été mis à jour au lieu d'être créé en double."
                )
                return self._write("package_update", merge_package(other, fields), feedback), False
            payload["name"] = f"{name[:85]}-{attempt + 2}"
        raise PortalError(
            f"Impossible de trouver une adresse libre pour le jeu de données « {description.title} » sur le "
            f"portail CKAN {self.host}. Modifiez le titre dans l'étape « Décrire », puis publiez à nouveau.",
            kind="conflict",
        )

    def _find_by_key(self, fields: Dict[str, Any], feedback) -> Optional[Dict[str, Any]]:
        """A live dataset of our organisation carrying our key: through the search index when the portal has
        one, else by the addresses our datasets get (slug of the title, of the identifier)."""
        key = _key_of(fields)
        owner = self._owner_org(feedback)
        candidates: List[Dict[str, Any]] = []
        try:
            found = self._read(
                "package_search",
                {
                    "fq": f'{KEY_EXTRA}:"{key}"',
                    "include_private": "true",
                    "include_drafts": "true",
                    "rows": 20,
                },
                feedback,
            )
            candidates = [p for p in (found or {}).get("results") or [] if isinstance(p, dict)]
        except PortalError as exc:
            if exc.kind in ("cancelled", "auth"):
                raise
            candidates = []  # no search index (or not this field): the addresses below still find ours
        names = [slugify(fields.get("title") or ""), slugify(_extras_of(fields).get("identifier") or "")]
        for name in dict.fromkeys(n for n in names if n and not n.startswith("jeu-de-donnees-")):
            package = self._live_package(name, feedback)
            if package is not None:
                candidates.append(package)
        for package in candidates:
            if _extras(package).get(KEY_EXTRA) == key and package.get("owner_org") == owner:
                return self._live_package(str(package["id"]), feedback)
        return None

    def _owner_org(self, feedback) -> str:
        wanted = (self.connection.organisation or "").strip()
        orgs = self.test_connection(feedback)
        if wanted:
            for org in orgs:
                if wanted in (org.id, org.slug) or wanted.lower() == org.name.lower():
                    return org.id
            names = ", ".join(o.slug or o.name for o in orgs) or "aucune"
            raise PortalError(
                f"Votre compte ne peut pas publier pour l'organisation « {wanted} » sur le portail CKAN "
                f"{self.host} (organisations possibles : {names}). Choisissez une de ces organisations dans la "
                "connexion (Préférences > Options > Données ouvertes) ou demandez le rôle « éditeur » à "
                "l'administrateur du portail.",
                kind="forbidden",
            )
        if not orgs:
            raise PortalError(
                f"Votre compte ne peut publier pour aucune organisation sur le portail CKAN {self.host}. Demandez "
                "à l'administrateur du portail le rôle « éditeur » dans l'organisation de votre collectivité.",
                kind="forbidden",
            )
        return orgs[0].id

    def _licence(self, description, feedback) -> Tuple[str, List[str], Dict[str, str]]:
        ours = description.licence or ""
        entry = licence_lib.licence_entry(ours) or licence_lib.recognise_licence(ours)
        if entry is None:
            raise PortalError(
                f"La licence « {ours or 'aucune'} » n'est pas reconnue. Choisissez une licence dans l'étape "
                "« Licence » (la Licence Ouverte 2.0 est recommandée), puis publiez à nouveau.",
                kind="licence",
            )
        portal = self._raw_licences(feedback)
        found = licence_lib.ckan_licence_id(entry["id"], portal)
        if found:
            return found, [], {}
        ids = {str(item["id"]) for item in portal}
        title = entry.get("title_fr") or entry["id"]
        for fallback in FALLBACK_LICENCES:
            if fallback in ids:
                label = next((str(i.get("title") or fallback) for i in portal if i["id"] == fallback), fallback)
                note = (
                    f"Le portail CKAN {self.host} ne propose pas la licence « {title} » : le jeu de données est "
                    f"publié avec la licence générique « {label} » du portail, et le nom et l'adresse de la "
                    "licence exacte sont indiqués dans ses informations complémentaires. Demandez à "
                    "l'administrateur du portail d'ajouter cette licence à sa liste."
                )
                extras = {"licence_name": title, "licence_url": entry.get("url") or description.licence_url or ""}
                return fallback, [note], extras
        raise PortalError(
            f"Le portail CKAN {self.host} ne propose pas la licence « {title} » ni de licence ouverte générique. "
            "Choisissez une licence de sa liste dans l'étape « Licence », ou demandez à l'administrateur du "
            "portail d'ajouter celle-ci.",
            kind="licence",
        )

    def _package_fields(self, description, licence_id: str, licence_extras: Dict[str, str]) -> Dict[str, Any]:
        """The fields we manage (core fields and extras), ready for package_create or a merge."""
        tags = []
        seen = set()
        for keyword in description.keywords or []:
            tag = clean_tag(keyword)
            if tag and tag.lower() not in seen:
                seen.add(tag.lower())
                tags.append({"name": tag})
        from .udata import dataset_key

        extras: Dict[str, str] = {MARKER_KEY: MARKER_VALUE, KEY_EXTRA: dataset_key(description)}
        if description.frequency:
            extras["frequency"] = _frequency_uri(description.frequency)
        areas = [a for a in description.spatial_coverage or [] if a.name or a.code]
        if areas:
            extras["spatial_text"] = "; ".join(
                f"{a.name} ({a.kind} {a.code})" if a.name and a.code else (a.name or a.code) for a in areas
            )
        if description.bbox:
            west, south, east, north = description.bbox
            ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
            extras["spatial"] = json.dumps({"type": "Polygon", "coordinates": [ring]})
        if description.temporal_start:
            extras["temporal_start"] = description.temporal_start
        if description.temporal_end:
            extras["temporal_end"] = description.temporal_end
        schema = description.schema
        if schema.name:
            extras["schema"] = schema.name
        if schema.version:
            extras["schema_version"] = schema.version
        if schema.url or schema.name:
            extras["conforms_to"] = schema_url(schema.name, schema.version, schema.url)
        if description.identifier:
            extras["identifier"] = description.identifier
        extras.update({k: v for k, v in licence_extras.items() if v})
        fields: Dict[str, Any] = {
            "title": description.title,
            "notes": description.description,
            "license_id": licence_id,
            "tags": tags,
            "extras": [{"key": k, "value": v} for k, v in extras.items()],
        }
        if description.contact.name:
            fields["maintainer"] = description.contact.name
        if description.contact.email:
            fields["maintainer_email"] = description.contact.email
        if description.producer.name:
            fields["author"] = description.producer.name
        return fields

    @staticmethod
    def _resource_fields(file) -> Dict[str, Any]:
        fmt = file.format.lower()
        fields = {
            "name": file.title or file.path.name,
            "description": file.description,
            "format": _FORMATS.get(fmt, fmt.upper()),
            "mimetype": file.mime if file.mime and file.mime != "application/octet-stream" else _MIMES.get(fmt, ""),
        }
        if file.schema_name:
            fields["schema_name"] = file.schema_name
        if file.schema_version:
            fields["schema_version"] = file.schema_version
        # an empty value would wipe what was written on the portal (resource_patch keeps absent keys)
        return {k: v for k, v in fields.items() if v}

    def _dry_run_result(self, request, package, fields, messages) -> PublishResult:
        if package is not None:
            ref = (
                DatasetRef.from_dict(request.ref.to_dict())
                if request.ref is not None
                else DatasetRef(portal_type=self.portal_type, base_url=self.base_url, dataset_id=str(package["id"]))
            )
            url = f"{self.base_url}/dataset/{package.get('name') or package['id']}"
        else:
            name = slugify(request.description.title or request.description.identifier)
            ref = DatasetRef(portal_type=self.portal_type, base_url=self.base_url, dataset_id="")
            url = f"{self.base_url}/dataset/{name}"
        ref.dataset_url = url
        action = "mis à jour" if package is not None else "créé"
        messages.append(
            f"Simulation : rien n'a été envoyé. Le jeu de données serait {action} sur {url} avec "
            f"{len(request.files)} fichier(s), licence « {fields['license_id']} »."
        )
        return PublishResult(ref=ref, dataset_url=url, resource_urls={}, created=package is None, messages=messages)


# -- helpers (pure) --------------------------------------------------------------------------------------------


def merge_package(portal: Dict[str, Any], ours: Dict[str, Any]) -> Dict[str, Any]:
    """The full dictionary for package_update: the portal's dataset with our fields over it.

    Everything we do not manage is kept as the portal has it (other extras, groups, resources, owner,
    visibility, version, URL…): package_update replaces the whole dataset, so nothing may be left out.
    """
    merged = json.loads(json.dumps(portal))
    for key in ("title", "notes", "license_id", "maintainer", "maintainer_email", "author"):
        if key in ours and (ours[key] or key in ("title", "license_id")):
            merged[key] = ours[key]
    # tags: the portal's (added there by anyone) plus ours, never replaced
    tags = [{"name": t["name"]} for t in portal.get("tags") or [] if isinstance(t, dict) and t.get("name")]
    known = {t["name"].lower() for t in tags}
    tags += [t for t in ours.get("tags") or [] if t["name"].lower() not in known]
    merged["tags"] = tags
    extras = {str(e.get("key")): e.get("value") for e in portal.get("extras") or [] if isinstance(e, dict)}
    for item in ours.get("extras") or []:
        extras[item["key"]] = item["value"]
    merged["extras"] = [{"key": k, "value": v} for k, v in extras.items()]
    return merged


def _extras(package: Dict[str, Any]) -> Dict[str, str]:
    return {str(e.get("key")): str(e.get("value")) for e in package.get("extras") or [] if isinstance(e, dict)}


def _is_ours(package: Dict[str, Any], owner_org: str, fields: Dict[str, Any]) -> bool:
    """A dataset left by our own interrupted publication: our marker, same organisation, same identity."""
    extras = _extras(package)
    if extras.get(MARKER_KEY) != MARKER_VALUE or package.get("owner_org") != owner_org:
        return False
    ours = {e["key"]: e["value"] for e in fields.get("extras") or []}
    if ours.get("identifier") or extras.get("identifier"):
        return ours.get("identifier") == extras.get("identifier")
    return package.get("title") == fields.get("title")


def _extras_of(fields: Dict[str, Any]) -> Dict[str, str]:
    return {str(e["key"]): str(e["value"]) for e in fields.get("extras") or []}


def _key_of(fields: Dict[str, Any]) -> str:
    return _extras_of(fields).get(KEY_EXTRA, "")


def _find_resource(package: Dict[str, Any], resource_id: str, file, marker: str = "") -> Optional[Dict[str, Any]]:
    """The resource to replace: the stored id, else ours by its marker, else one with the same name and format
    (left by an interrupted publication), else None (create it)."""
    resources = [r for r in package.get("resources") or [] if isinstance(r, dict) and r.get("state") != "deleted"]
    if resource_id:
        for resource in resources:
            if resource.get("id") == resource_id:
                return resource
    if marker:
        for resource in resources:
            if resource.get(KEY_EXTRA) == marker:
                return resource
    fmt = _FORMATS.get(file.format.lower(), file.format.upper()).lower()
    name = file.title or file.path.name
    for resource in resources:
        if resource.get("name") == name and str(resource.get("format") or "").lower() == fmt:
            return resource
    return None


def _frequency_uri(code: str) -> str:
    for item in vocabulary.frequencies():
        if str(item.get("code", "")).upper() == code.upper():
            return str(item.get("uri") or code)
    return code


def _portal_text(error: Any) -> str:
    """CKAN's error object as one line: ``Validation Error: name: That URL is already in use.``"""
    if not isinstance(error, dict):
        return str(error or "")
    parts = []
    message = error.get("message")
    for key, value in error.items():
        if key in ("__type", "message"):
            continue
        if isinstance(value, list):
            value = " ".join(str(v) for v in value)
        elif isinstance(value, dict):
            value = json.dumps(value, ensure_ascii=False)
        parts.append(f"{key} : {value}")
    text = "; ".join(parts)
    if message:
        text = f"{message}; {text}" if text else str(message)
    kind = error.get("__type")
    return f"{kind} – {text}" if kind and text else str(kind or text)


def _looks_like_bad_token(text: str) -> bool:
    lowered = text.lower()
    return "token" in lowered or "api key" in lowered or "authenticated user" in lowered


def _size(path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")
    if size >= 1024:
        return f"{size / 1024:.0f} ko"
    return f"{size} octets"
