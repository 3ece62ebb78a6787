"""Opendatasoft (Huwise) portals through the Automation API v1.0 (``<portal>/api/automation/v1.0``).

Flow of a publication (operation ids of the official OpenAPI spec):

1. read the domain at run time: the active metadata templates and their fields (``list-metadata-templates``):
   which fields exist in ``default``, ``internal``, ``dcat``, ``inspire``…, and the domain's own ids of
   licences (``internal.license_id``) and themes (``internal.theme_id``) with their labels;
2. create the dataset with its metadata (``create-dataset``) — or, on update, read its metadata, merge ours in
   and write the whole set back (``list-all-dataset-metadata`` then ``update-all-dataset-metadata``: the PUT
   replaces everything, so nothing we do not manage is lost);
3. upload the file (``upload-resource-file``, multipart streamed from disk), ask the portal which extractor
   reads it and with which parameters (``guess-unsaved-resource-extractors`` / ``…-params``), then create the
   resource pointing at the uploaded file — or, on update, point the existing resource at the new file
   (``update-dataset-resource``): no duplicate;
4. publish (``publish-dataset``), poll ``get-dataset-status`` until the processing is over (``idle``) or failed
   (``error``, ``limit_reached``), with a time limit and cancel; read the dataset back (``retrieve-dataset``) for
   its public page ``<portal>/explore/dataset/<dataset_id>/``.

The API key (QGIS authentication database, :func:`opendata_publisher.toolbelt.auth.api_key`) goes in the header
``Authorization: apikey <KEY>``; it never appears in messages or logs. Only idempotent requests (GET, PUT) are
retried (timeouts, 5xx, network errors, with backoff). A dataset is one table on Opendatasoft: one data file is
sent (GeoJSON first, then CSV, zipped Shapefile, GeoPackage); the portal itself offers CSV, GeoJSON, Shapefile…
exports of it.
"""

from __future__ import annotations

import html
import json
import re
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import quote, urlencode, urlsplit

from ..metadata import vocabulary
from ..metadata.licences import licence_entry, match_portal_licence, recognise_licence
from ..text import ascii_slug
from ..text import fold_words as _norm
from .base import (
    DatasetRef,
    Organisation,
    PortalAdapter,
    PortalError,
    PortalLicence,
    PublishFile,
    PublishRequest,
    PublishResult,
    schema_url,
)

API_PATH = "/api/automation/v1.0"
PORTAL_NAME = "Opendatasoft"
MAX_FILE_BYTES = 240 * 1024 * 1024  # documented upload limit

#: preferred order of the file sent as the dataset's single resource
FORMAT_PREFERENCE = ("geojson", "csv", "shp.zip", "gpkg")
#: extractor types per format, best first (the portal's guess decides among those it proposes)
EXTRACTOR_HINTS = {
    "csv": ("csvfile", "csv"),
    "geojson": ("geojson", "json"),
    "shp.zip": ("shapefile", "shp"),
    "gpkg": ("geopackage", "gpkg", "ogr"),
}
#: Explore API v2.1 export format per published file format (the portal re-exports the records)
EXPORT_FORMATS = {"csv": "csv", "geojson": "geojson", "shp.zip": "shp", "gpkg": "geojson"}
REQUIRED_PERMISSIONS = ("create_dataset", "edit_dataset", "publish_dataset")
PERMISSION_LABELS = {
    "create_dataset": "créer des jeux de données",
    "edit_dataset": "modifier les jeux de données",
    "publish_dataset": "publier les jeux de données",
}
BUSY_STATUSES = ("queued", "processing", "aborting_processing", "deleting", "saving_version")
_THEME_STOPWORDS = {"et", "de", "des", "du", "la", "le", "les", "en", "and", "of", "the", "l", "d"}

_KIND_BY_STATUS = {
    400: "invalid",
    401: "auth",
    403: "forbidden",
    404: "not-found",
    409: "conflict",
    413: "too-large",
    422: "invalid",
}
_ADVICE = {
    "auth": "La clé d'API est refusée (invalide, révoquée ou expirée) : créez une nouvelle clé dans votre compte sur "
    "le portail, puis enregistrez-la dans la connexion (Préférences > Options > Données ouvertes).",
    "forbidden": "La clé d'API n'a pas les droits nécessaires (créer, modifier et publier des jeux de données) : "
    "demandez-les à l'administrateur du portail.",
    "not-found": "Vérifiez l'adresse du portail dans la connexion ; l'élément a peut-être été supprimé sur le portail.",
    "conflict": "Le portail est occupé avec ce jeu de données : attendez la fin du traitement en cours, puis relancez.",
    "too-large": "Le fichier dépasse la taille acceptée par le portail (240 Mo au plus sur Opendatasoft) : "
    "compressez-le (zip) ou publiez un format plus léger.",
    "invalid": "Le portail a refusé les informations envoyées : corrigez la description (champ cité ci-dessus), "
    "puis relancez.",
    "server": "Le problème vient du portail : réessayez plus tard ; s'il persiste, contactez son administrateur.",
    "timeout": "Le portail n'a pas répondu à temps : vérifiez votre connexion, réessayez plus tard ou augmentez le "
    "délai d'attente de la connexion.",
    "network": "Vérifiez votre connexion Internet, le proxy (Préférences > Options > Réseau) et l'adresse du portail.",
}


def slugify(text: str, max_length: int = 80) -> str:
    """An Opendatasoft ``dataset_id`` from a title: lower-case ASCII, digits and hyphens."""
    return ascii_slug(text, max_length) or "jeu-de-donnees"


def _html(text: str) -> str:
    """Plain text → the HTML Opendatasoft expects in ``default.description`` (paragraphs, line breaks)."""
    text = (text or "").strip()
    if not text:
        return ""
    if re.search(r"(?is)<(p|br|ul|ol|div|h[1-6])\b", text):
        return text  # already HTML
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)


def _value(item: Any) -> Dict[str, Any]:
    return {"value": item}


class OdsDomain:
    """What the domain says about itself at run time: templates → fields (name → field definition)."""

    def __init__(self, templates: List[Dict[str, Any]]):
        self.templates: Dict[str, Dict[str, Dict[str, Any]]] = {}
        for template in templates:
            name = template.get("name")
            if not name:
                continue
            self.templates[name] = {f["name"]: f for f in template.get("schema") or [] if f.get("name")}

    def field(self, template: str, name: str) -> Optional[Dict[str, Any]]:
        return self.templates.get(template, {}).get(name)

    def has(self, template: str, name: str) -> bool:
        return self.field(template, name) is not None

    def choices(self, template: str, name: str) -> List[Tuple[str, List[str]]]:
        """(id, labels in every language) of an enum field."""
        definition = self.field(template, name) or {}
        labels = definition.get("labels") or {}
        result = []
        for choice in definition.get("choices") or []:
            texts = [str(v) for v in (labels.get(choice) or {}).values() if v]
            result.append((str(choice), texts or [str(choice)]))
        return result


class OpendatasoftAdapter(PortalAdapter):
    portal_type = "opendatasoft"

    #: seconds between two status polls, and the longest wait for a processing
    poll_interval_s = 2.0
    poll_timeout_s = 900.0
    #: waits before the retries of an idempotent request
    retry_delays = (1.0, 3.0, 9.0)

    def __init__(self, connection):
        super().__init__(connection)
        self.permissions: List[str] = []
        self._key: Optional[str] = None

    # -- plumbing --------------------------------------------------------------------------------------

    @property
    def root(self) -> str:
        return self.connection.base_url.rstrip("/")

    @property
    def api(self) -> str:
        root = self.root
        return root if root.endswith(API_PATH) else root + API_PATH

    @property
    def portal_root(self) -> str:
        root = self.root
        return root[: -len(API_PATH)] if root.endswith(API_PATH) else root

    def _api_key(self) -> str:
        if self._key is None:
            from ...toolbelt.auth import AuthError, api_key

            try:
                self._key = api_key(self.connection.authcfg)
            except AuthError as exc:
                raise PortalError(str(exc), kind="auth") from exc
        return self._key

    @staticmethod
    def _check_cancel(feedback) -> None:
        if feedback is not None and feedback.isCanceled():
            raise PortalError(
                "Publication annulée à votre demande. Rien d'autre n'a été envoyé au portail.", kind="cancelled"
            )

    @property
    def http(self):
        """The shared HTTP core (retry policy, origin check for the key, redaction)."""
        from .http import PortalHttp

        if getattr(self, "_http", None) is None:
            self._http = PortalHttp(
                self.connection,
                credentials=lambda: {"Authorization": f"apikey {self._api_key()}"},
                describe=lambda exc, step, write: self._error(exc, step, write),
            )
        self._http.retry_delays = tuple(self.retry_delays)
        return self._http

    def _call(
        self, method: str, path: str, step: str, body: Any = None, query: Optional[Dict[str, Any]] = None, feedback=None
    ) -> Any:
        """One JSON request through the HTTP core (GET, PUT, DELETE retried on timeouts, 429, 5xx, cut links)."""
        self._check_cancel(feedback)
        url = self.api + path + (("?" + urlencode(query)) if query else "")
        try:
            return self.http.request_json(
                method,
                url,
                body,
                step=step,
                feedback=feedback,
                unreadable=f"{step} : la réponse du portail {PORTAL_NAME} est illisible (ce n'est pas du JSON). "
                "Vérifiez l'adresse du portail dans la connexion (la racine du site, par exemple "
                "https://data.exemple.fr).",
            )
        except PortalError as exc:
            if exc.kind == "cancelled":
                self._check_cancel(feedback)
            raise

    def _sleep(self, seconds: float, feedback) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self._check_cancel(feedback)
            time.sleep(min(0.1, max(0.0, end - time.monotonic())))

    @staticmethod
    def portal_text(body: str) -> str:
        """The portal's own error text from an Opendatasoft error body (``message`` + ``detail``)."""
        try:
            data = json.loads(body)
        except (TypeError, ValueError):
            return " ".join((body or "").split())[:300]
        if not isinstance(data, dict):
            return str(data)[:300]
        text = str(data.get("message") or data.get("error") or data.get("detail") or "").strip()
        detail = data.get("detail")
        if isinstance(detail, dict) and detail:
            parts = []
            for key, value in detail.items():
                value = "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)
                parts.append(f"{key} : {value}")
            text = f"{text} ({', '.join(parts)})" if text else ", ".join(parts)
        return text[:500]

    def _error(self, exc, step: str, write: bool = False) -> PortalError:
        if exc.kind == "cancelled":
            return PortalError(f"{step} : annulé à votre demande.", kind="cancelled")
        if exc.kind == "timeout":
            kind = "timeout"
        elif exc.status is None:
            kind = "network"
        elif exc.status >= 500:
            kind = "server"
        else:
            kind = _KIND_BY_STATUS.get(exc.status, "other")
        portal = self.portal_text(exc.body) if exc.body else ""
        if exc.status is not None:
            said = f"le portail {PORTAL_NAME} a répondu {exc.status}"
            said += f" : « {portal} »" if portal else ""
        elif kind == "timeout":
            said = f"pas de réponse du portail {PORTAL_NAME} dans le délai ({self.connection.timeout_s} s)"
        else:
            said = f"la connexion au portail {PORTAL_NAME} a échoué ({exc.kind})"
        advice = _ADVICE.get(kind) or str(exc).split("\n")[-1]
        if write and kind in ("timeout", "network", "server"):
            advice = "L'opération a peut-être abouti sur le portail malgré tout. " + advice
        return PortalError(f"{step} : {said}. {advice}", kind=kind, status=exc.status, portal_message=portal)

    def _paged(self, path: str, step: str, query: Optional[Dict[str, Any]] = None, feedback=None) -> List[Any]:
        items: List[Any] = []
        offset = 0
        while True:
            page_query = dict(query or {}, limit=100, offset=offset)
            page = self._call("GET", path, step, query=page_query, feedback=feedback) or {}
            results = page.get("results") or []
            items.extend(results)
            total = page.get("total_count")
            offset += len(results)
            if not results or not page.get("next") or (isinstance(total, int) and offset >= total):
                return items

    # -- questions -------------------------------------------------------------------------------------

    def test_connection(self, feedback=None) -> List[Organisation]:
        """Check the key with a cheap authenticated call and read what it may do. On Opendatasoft the
        « organisation » is the portal's domain itself."""
        step = "Test de la connexion"
        self._call("GET", "/datasets/", step, query={"limit": 1}, feedback=feedback)
        try:
            keys = self._paged("/apikeys/", step, feedback=feedback)
        except PortalError as exc:
            if exc.kind not in ("forbidden", "not-found"):
                raise
            keys = []
        permissions = set()
        for item in keys:
            if isinstance(item, dict) and not item.get("is_revoked"):
                permissions.update(item.get("permissions") or [])
        self.permissions = sorted(permissions)
        missing = [p for p in REQUIRED_PERMISSIONS if keys and p not in permissions]
        if missing:
            needed = ", ".join(PERMISSION_LABELS[p] for p in missing)
            raise PortalError(
                f"La clé d'API est valide mais ne permet pas de {needed} sur ce portail. Demandez ces droits à "
                "l'administrateur du portail, ou créez une clé avec ces droits dans votre compte.",
                kind="forbidden",
            )
        host = urlsplit(self.portal_root).hostname or self.portal_root
        return [Organisation(id=host, name=host, slug=host)]

    def domain(self, feedback=None) -> OdsDomain:
        """The domain's active metadata templates and their fields, read now (never hard-coded)."""
        templates = self._paged(
            "/metadata/templates/", "Lecture des modèles de métadonnées du portail", {"is_active": "true"}, feedback
        )
        domain = OdsDomain(templates)
        for name in ("internal",):  # the licence and theme lists, when the listing did not include them
            if name in domain.templates and not domain.templates[name]:
                fields = self._paged(
                    f"/metadata/templates/{name}/fields/", "Lecture des licences du portail", None, feedback
                )
                domain.templates[name] = {f["name"]: f for f in fields if f.get("name")}
        return domain

    def licences(self, feedback=None) -> List[PortalLicence]:
        return self._licences_of(self.domain(feedback))

    @staticmethod
    def _licences_of(domain: OdsDomain) -> List[PortalLicence]:
        result = []
        for licence_id, labels in domain.choices("internal", "license_id"):
            urls = [t for t in labels if re.match(r"^https?://", t)]
            titles = [t for t in labels if t not in urls]
            result.append(
                PortalLicence(
                    id=licence_id,
                    title=titles[0] if titles else licence_id,
                    url=urls[0] if urls else "",
                    alternate_titles=titles[1:],
                    alternate_urls=urls[1:],
                )
            )
        return result

    def themes(self, feedback=None) -> List[Tuple[str, List[str]]]:
        """The domain's themes: (id, labels)."""
        return self.domain(feedback).choices("internal", "theme_id")

    def dataset_exists(self, ref: DatasetRef, feedback=None) -> bool:
        try:
            self._call("GET", f"/datasets/{quote(ref.dataset_id)}/", "Recherche du jeu de données", feedback=feedback)
        except PortalError as exc:
            if exc.status == 404:
                return False
            raise
        return True

    def dataset_page_url(self, ref: DatasetRef) -> str:
        return ref.dataset_url

    # -- metadata mapping ------------------------------------------------------------------------------

    def match_licence(self, licence: str, portal: List[PortalLicence]) -> Optional[PortalLicence]:
        """The domain licence that is our ``licence`` (ids, labels, URLs; labels also read as free text)."""
        items = [
            {
                "id": p.id,
                "label": p.title,
                "url": p.url,
                "alternate_titles": p.alternate_titles,
                "alternate_urls": p.alternate_urls,
            }
            for p in portal
        ]
        item = match_portal_licence(licence, items)
        if item is not None:
            return next(p for p in portal if p.id == item["id"])
        ours = licence_entry(licence) or recognise_licence(licence)
        if ours is None:
            return None
        for candidate in portal:
            for text in [candidate.title, candidate.url, *candidate.alternate_titles, *candidate.alternate_urls]:
                found = recognise_licence(text) if text else None
                if found is not None and found["id"] == ours["id"]:
                    return candidate
        return None

    @staticmethod
    def match_themes(codes: List[str], choices: List[Tuple[str, List[str]]]) -> Tuple[List[str], List[str]]:
        """Domain theme ids for our EU theme codes (by id, label, or a significant word in common); returns
        (ids, codes not matched)."""
        matched: List[str] = []
        missing: List[str] = []
        for code in codes:
            entry = vocabulary.by_code(vocabulary.eu_themes(), code) or {"code": code}
            ours = [entry.get("label_fr"), entry.get("label_en"), code]
            ours_norm = {_norm(t) for t in ours if t}
            ours_words = {w for t in ours_norm for w in t.split() if len(w) > 3 and w not in _THEME_STOPWORDS}
            found = None
            for theme_id, labels in choices:
                labels_norm = {_norm(t) for t in labels} | {_norm(theme_id)}
                if ours_norm & labels_norm:
                    found = theme_id
                    break
            if found is None:
                for theme_id, labels in choices:
                    words = {w for t in labels for w in _norm(t).split()}
                    if ours_words & words:
                        found = theme_id
                        break
            if found is None:
                missing.append(code)
            elif found not in matched:
                matched.append(found)
        return matched, missing

    def build_metadata(self, description, domain: OdsDomain, messages: List[str]) -> Dict[str, Dict[str, Any]]:
        """Our fields, for the templates and fields the domain has (only those)."""
        meta: Dict[str, Dict[str, Any]] = {"default": {}}

        def put(template: str, name: str, value: Any) -> None:
            if value in (None, "", []) or not domain.has(template, name):
                return
            meta.setdefault(template, {})[name] = _value(value)

        d = description
        meta["default"]["title"] = _value(d.title)
        put("default", "description", _html(d.description))
        put("default", "keyword", [k for k in (d.keywords or []) if str(k).strip()])
        publisher = d.publisher.name or d.producer.name
        put("default", "publisher", publisher)
        language = vocabulary.by_code(vocabulary.languages(), d.language) if d.language else None
        if language and language.get("iso639_1"):
            code = language["iso639_1"]
            allowed = [c for c, _ in domain.choices("default", "language")]
            if not allowed or code in allowed:
                put("default", "language", code)
        if d.modified:
            put("default", "modified", d.modified)

        if d.licence and domain.has("internal", "license_id"):
            portal = self._licences_of(domain)
            found = self.match_licence(d.licence, portal)
            if found is None:
                entry = licence_entry(d.licence) or recognise_licence(d.licence) or {}
                name = entry.get("title_fr") or d.licence
                offered = "; ".join(f"{p.title}" for p in portal) or "aucune"
                raise PortalError(
                    f"La licence « {name} » n'existe pas sur ce portail {PORTAL_NAME} (licences proposées : "
                    f"{offered}). Rien n'a été publié. Choisissez une licence de cette liste dans l'étape Licence, ou "
                    "demandez à l'administrateur du portail d'ajouter la vôtre.",
                    kind="licence",
                )
            put("internal", "license_id", found.id)
            messages.append(f"Licence : « {found.title} » du portail (identifiant {found.id}).")
        if d.eu_themes and domain.has("internal", "theme_id"):
            ids, missing = self.match_themes(list(d.eu_themes), domain.choices("internal", "theme_id"))
            put("internal", "theme_id", ids)
            if missing:
                messages.append(
                    "Thèmes sans équivalent sur le portail (à choisir sur le portail si besoin) : " + ", ".join(missing)
                )

        # interoperability templates, only for the fields present on this domain
        producer = d.producer.name or publisher
        for template in ("dcat", "dcat_ap", "inspire"):
            put(template, "creator", producer)
            put(template, "contact_name", d.contact.name)
            put(template, "contact_email", d.contact.email)
            put(template, "created", d.created)
            put(template, "issued", d.issued)
        # the data schema the file follows (schema.data.gouv.fr), where the domain's DCAT template has the field
        conforms_to = schema_url(d.schema.name, d.schema.version, d.schema.url)
        for template in ("dcat", "dcat_ap"):
            put(template, "conforms_to", conforms_to)
        put("inspire", "contact_individual_name", d.contact.name)
        if d.frequency:
            for template in ("dcat", "dcat_ap"):
                value = self._frequency(d.frequency, domain.choices(template, "accrualperiodicity"))
                put(template, "accrualperiodicity", value)
        if d.bbox:
            west, south, east, north = d.bbox
            put("inspire", "extend_bounding_box_westbound_longitude", west)
            put("inspire", "extend_bounding_box_southbound_latitude", south)
            put("inspire", "extend_bounding_box_eastbound_longitude", east)
            put("inspire", "extend_bounding_box_northbound_latitude", north)
        return meta

    @staticmethod
    def _frequency(code: str, choices: List[Tuple[str, List[str]]]) -> Optional[str]:
        entry = vocabulary.by_code(vocabulary.frequencies(), code) or {"code": code, "uri": ""}
        if not choices:
            return entry.get("uri") or code
        wanted = {str(entry.get("uri") or "").lower(), code.lower(), _norm(entry.get("label_fr"))}
        for choice, labels in choices:
            tail = choice.rstrip("/").rsplit("/", 1)[-1].lower()
            if choice.lower() in wanted or tail == code.lower() or {_norm(t) for t in labels} & wanted:
                return choice
        return None

    @staticmethod
    def merge_metadata(current: Dict[str, Any], ours: Dict[str, Dict[str, Any]]) -> Dict[str, Any]:
        """The full metadata to PUT back: everything the portal holds, our fields replaced. ``remote_value``
        (read-only) is dropped."""
        merged: Dict[str, Any] = {}
        for template, fields in (current or {}).items():
            if not isinstance(fields, dict):
                continue
            merged[template] = {}
            for name, item in fields.items():
                if isinstance(item, dict) and "value" in item:
                    merged[template][name] = {k: v for k, v in item.items() if k in ("value", "override_remote_value")}
        for template, fields in ours.items():
            merged.setdefault(template, {}).update(fields)
        merged.setdefault("default", {})
        return merged

    # -- publication -----------------------------------------------------------------------------------

    @staticmethod
    def choose_file(files: List[PublishFile]) -> Tuple[PublishFile, List[PublishFile]]:
        ranked = sorted(
            files,
            key=lambda f: (
                FORMAT_PREFERENCE.index(f.format) if f.format in FORMAT_PREFERENCE else len(FORMAT_PREFERENCE)
            ),
        )
        return ranked[0], ranked[1:]

    def publish(self, request: PublishRequest, progress=None, feedback=None) -> PublishResult:
        try:
            return self._publish(request, progress, feedback)
        except PortalError as exc:
            raise self.http.scrub(exc) from None

    def _publish(self, request: PublishRequest, progress=None, feedback=None) -> PublishResult:
        if not request.files:
            raise PortalError("Aucun fichier à publier : choisissez au moins un format.", kind="invalid")
        messages: List[str] = []
        main, others = self.choose_file(request.files)
        if others:
            messages.append(
                f"Opendatasoft garde un seul fichier source par jeu de données : {main.format} envoyé "
                f"({', '.join(f.format for f in others)} non envoyés : le portail propose lui-même ces exports)."
            )
        size = Path(main.path).stat().st_size
        if size > MAX_FILE_BYTES:
            raise PortalError(
                f"Le fichier {Path(main.path).name} pèse {size // (1024 * 1024)} Mo : Opendatasoft accepte 240 Mo "
                "au plus. Compressez-le (zip) ou publiez un format plus léger. Rien n'a été envoyé.",
                kind="too-large",
            )
        total = size + 1

        def report(done: int, label: str) -> None:
            if progress is not None:
                progress(min(done, total), total, label)

        report(0, "Lecture des modèles de métadonnées et des licences du portail")
        domain = self.domain(feedback)
        metadata = self.build_metadata(request.description, domain, messages)

        created = False
        dataset: Optional[Dict[str, Any]] = None
        ref = request.ref
        if ref is not None:
            dataset = self._existing(ref, feedback)
            if dataset is None:
                if not request.recreate_if_deleted:
                    raise PortalError(
                        f"Le jeu de données publié précédemment ({ref.dataset_url or ref.dataset_id}) n'existe plus "
                        f"sur le portail {PORTAL_NAME} : il a été supprimé. Confirmez pour le recréer.",
                        kind="deleted",
                        status=404,
                    )
                ref = None
                messages.append("Le jeu de données avait été supprimé sur le portail : il est recréé.")
        if request.dry_run:
            return self._dry_result(request, ref, metadata, messages)

        if dataset is None:
            self._check_cancel(feedback)
            report(0, "Création du jeu de données")
            dataset = self._create(request.description, metadata, feedback)
            created = True
        else:
            report(0, "Mise à jour des métadonnées")
            current = self._call(
                "GET", f"/datasets/{dataset['uid']}/metadata/", "Lecture des métadonnées", feedback=feedback
            )
            merged = self.merge_metadata(current or {}, metadata)
            self._call(
                "PUT", f"/datasets/{dataset['uid']}/metadata/", "Mise à jour des métadonnées", merged, feedback=feedback
            )

        uid = dataset["uid"]
        new_ref = DatasetRef(
            portal_type=self.portal_type,
            base_url=self.connection.base_url,
            dataset_id=uid,
            resource_ids=dict(ref.resource_ids) if ref else {},
            dataset_url=self._page_url(dataset),
        )
        try:
            resource_id = self._kept_resource(uid, main, new_ref, feedback)
            if not resource_id:
                resource_id = self._send_file(uid, main, new_ref, report, size, feedback)
            new_ref.resource_ids = {main.format: resource_id}
            report(size, "Publication et traitement par le portail")
            self._publish_and_wait(uid, feedback)
            final = self._call("GET", f"/datasets/{uid}/", "Lecture du jeu de données publié", feedback=feedback)
        except PortalError as exc:
            exc.ref = new_ref  # the caller stores it: trying again updates this dataset instead of duplicating it
            raise
        if not final.get("is_published"):
            error = PortalError(
                f"Le portail {PORTAL_NAME} n'indique pas le jeu de données comme publié. Ouvrez-le sur le portail "
                f"({self._page_url(final)}) pour voir son état, puis relancez.",
                kind="server",
            )
            error.ref = new_ref
            raise error
        new_ref.dataset_url = self._page_url(final)
        report(total, "Publication terminée")
        return PublishResult(
            ref=new_ref,
            dataset_url=new_ref.dataset_url,
            resource_urls=self._resource_urls(final, request.files),
            created=created,
            messages=messages,
        )

    def _existing(self, ref: DatasetRef, feedback) -> Optional[Dict[str, Any]]:
        try:
            return self._call(
                "GET", f"/datasets/{quote(ref.dataset_id)}/", "Recherche du jeu de données", feedback=feedback
            )
        except PortalError as exc:
            if exc.status == 404:
                return None
            raise

    def _page_url(self, dataset: Dict[str, Any]) -> str:
        return f"{self.portal_root}/explore/dataset/{quote(str(dataset.get('dataset_id') or dataset.get('uid')))}/"

    def _resource_urls(self, dataset: Dict[str, Any], files: List[PublishFile]) -> Dict[str, str]:
        dataset_id = quote(str(dataset.get("dataset_id") or ""))
        base = f"{self.portal_root}/api/explore/v2.1/catalog/datasets/{dataset_id}/exports/"
        return {f.format: base + EXPORT_FORMATS.get(f.format, "csv") for f in files}

    def _dry_result(self, request, ref, metadata, messages) -> PublishResult:
        messages.append(
            "Essai à blanc : rien n'a été envoyé au portail. Métadonnées prévues : "
            + json.dumps(metadata, ensure_ascii=False)
        )
        dataset_id = ref.dataset_id if ref else slugify(request.description.title)
        dry_ref = ref or DatasetRef(self.portal_type, self.connection.base_url, dataset_id)
        return PublishResult(
            ref=dry_ref, dataset_url=dry_ref.dataset_url, resource_urls={}, created=ref is None, messages=messages
        )

    def _create(self, description, metadata, feedback) -> Dict[str, Any]:
        step = "Création du jeu de données"
        base_slug = slugify(description.title)
        slug = base_slug
        for n in range(2, 50):
            found = self._call("GET", "/datasets/", step, query={"dataset_id": slug, "limit": 1}, feedback=feedback)
            existing = (found or {}).get("results") or []
            if not existing:
                break
            leftover = existing[0]
            if not leftover.get("is_published") and self._is_empty(leftover["uid"], feedback):
                # left by an interrupted publication (e.g. failed upload): reuse it rather than duplicate
                current = self._call("GET", f"/datasets/{leftover['uid']}/metadata/", step, feedback=feedback)
                merged = self.merge_metadata(current or {}, metadata)
                self._call("PUT", f"/datasets/{leftover['uid']}/metadata/", step, merged, feedback=feedback)
                return leftover
            slug = f"{base_slug[:75]}-{n}"
        body = {"dataset_id": slug, "is_restricted": bool(self.connection.private), "metadata": metadata}
        return self._call("POST", "/datasets/", step, body, feedback=feedback)

    def _is_empty(self, uid: str, feedback) -> bool:
        page = self._call(
            "GET", f"/datasets/{uid}/resources/", "Création du jeu de données", query={"limit": 1}, feedback=feedback
        )
        return not (page or {}).get("results")

    def _kept_resource(self, uid: str, item: PublishFile, ref: DatasetRef, feedback) -> str:
        """The resource already holding this very file (unchanged data, still on the portal), else "": its file
        is not sent again, only the metadata is refreshed."""
        resource_id = ref.resource_ids.get(item.format, "")
        if not item.unchanged or not resource_id:
            return ""
        resources = self._paged(f"/datasets/{uid}/resources/", "Lecture des ressources", feedback=feedback)
        return resource_id if any(r.get("uid") == resource_id for r in resources) else ""

    def _send_file(self, uid: str, item: PublishFile, ref: DatasetRef, report, size: int, feedback) -> str:
        step = f"Envoi du fichier {Path(item.path).name}"
        self._check_cancel(feedback)
        report(0, step)
        try:
            _status, _headers, raw = self.http.upload(
                f"{self.api}/datasets/{uid}/resources/files/",
                item.path,
                step=step,
                field_name="file",
                progress=lambda sent, _total: report(min(int(sent), size), step),
                feedback=feedback,
                allow_resend=True,  # a copy sent again by Qt is only an orphan file, never a second resource
            )
        except PortalError as error:  # never retried: a second upload would leave an orphan file
            if error.kind not in ("cancelled", "redirect"):
                error.args = (
                    str(error) + " Le jeu de données existe sur le portail : relancez la publication, il sera mis à "
                    "jour (pas de doublon).",
                )
            raise error from None
        uploaded = json.loads(raw.decode("utf-8"))
        datasource = {"type": "uploaded_file", "file": {"uid": uploaded["uid"]}}

        resource_id = ref.resource_ids.get(item.format, "")
        existing = None
        resources = self._paged(f"/datasets/{uid}/resources/", "Lecture des ressources", feedback=feedback)
        if resource_id:
            existing = next((r for r in resources if r.get("uid") == resource_id), None)
        if existing is None and resources:
            # a dataset holds one table: replace the file of its resource (same title first), never add another
            existing = next((r for r in resources if r.get("title") == item.title), resources[0])

        extractor, params = self._extractor(uid, datasource, item, existing, feedback)
        body = {
            "type": extractor,
            "title": item.title or Path(item.path).name,
            "params": params,
            "datasource": datasource,
        }
        if existing is not None:
            saved = self._call(
                "PUT",
                f"/datasets/{uid}/resources/{existing['uid']}/",
                "Remplacement du fichier",
                body,
                feedback=feedback,
            )
        else:
            saved = self._call(
                "POST", f"/datasets/{uid}/resources/", "Création de la ressource", body, feedback=feedback
            )
        return str(saved.get("uid") or "")

    def _extractor(self, uid, datasource, item: PublishFile, existing, feedback) -> Tuple[str, Dict[str, Any]]:
        step = "Choix du lecteur de fichier (extracteur)"
        guessed = (
            self._call(
                "POST",
                f"/datasets/{uid}/resources/guess_extractors/",
                step,
                {"datasource": datasource},
                feedback=feedback,
            )
            or []
        )
        types = [str(e.get("type")) for e in guessed if isinstance(e, dict) and e.get("type")]
        hints = EXTRACTOR_HINTS.get(item.format, ())
        chosen = next((t for h in hints for t in types if t == h), None)
        chosen = chosen or next((t for h in hints for t in types if h in t), None) or (types[0] if types else None)
        if chosen is None and existing is not None:
            chosen = existing.get("type")
        if not chosen:
            raise PortalError(
                f"{step} : le portail {PORTAL_NAME} ne sait lire le fichier {Path(item.path).name} avec aucun de ses "
                "extracteurs. Publiez un autre format (CSV ou GeoJSON).",
                kind="invalid",
            )
        answer = (
            self._call(
                "POST",
                f"/datasets/{uid}/resources/guess_extractor_params/",
                step,
                {"type": chosen, "datasource": datasource},
                feedback=feedback,
            )
            or {}
        )
        return str(answer.get("extractor") or chosen), dict(answer.get("params") or {})

    def _publish_and_wait(self, uid: str, feedback) -> None:
        step = "Publication"
        deadline = time.monotonic() + self.poll_timeout_s
        before = self._call("GET", f"/datasets/{uid}/status/", "Suivi du traitement", feedback=feedback) or {}
        while True:
            try:
                self._call("POST", f"/datasets/{uid}/publish/", step, feedback=feedback)
                break
            except PortalError as exc:
                # refused because a processing is running: nothing was accepted, wait and ask again
                if "invalid_dataset_status" not in (exc.portal_message + str(exc)) and not (
                    exc.status == 400 and "status" in exc.portal_message
                ):
                    raise
                if time.monotonic() > deadline:
                    raise
                self._sleep(self.poll_interval_s, feedback)
                # follow the running processing (e.g. a publish whose answer was lost): ask again once it is over
                self._call("GET", f"/datasets/{uid}/status/", "Suivi du traitement", feedback=feedback)
        seen_busy = False
        polls = 0
        while True:
            self._sleep(self.poll_interval_s, feedback)
            status = self._call("GET", f"/datasets/{uid}/status/", "Suivi du traitement", feedback=feedback) or {}
            state = status.get("status")
            polls += 1
            seen_busy = seen_busy or state in BUSY_STATUSES
            if state in ("error", "limit_reached"):
                errors = [str(e.get("message")) for e in status.get("records_errors") or [] if e.get("message")]
                text = str(status.get("message") or state)
                if errors:
                    text += " — " + "; ".join(errors[:3])
                raise PortalError(
                    f"Le traitement du fichier par le portail {PORTAL_NAME} a échoué : « {text} ». Corrigez la couche "
                    "(ou son format) puis relancez la publication : le même jeu de données sera mis à jour.",
                    kind="invalid" if state == "error" else "too-large",
                    portal_message=text,
                )
            # "idle" right after the publish request may still be the state from before it: accept it once the
            # processing was seen, or the status changed since, or it stayed idle and published for 3 polls
            fresh = seen_busy or status.get("since") != before.get("since") or polls >= 3
            if state == "idle" and status.get("is_published") and fresh:
                return
            if time.monotonic() > deadline:
                raise PortalError(
                    f"Le portail {PORTAL_NAME} traite toujours le fichier après {int(self.poll_timeout_s)} s (état "
                    f"« {state} »). La publication continue sur le portail : vérifiez-la plus tard sur la page du jeu "
                    "de données, ou relancez (le même jeu de données sera mis à jour).",
                    kind="timeout",
                )
