"""One interface for every publication target (data.gouv.fr/udata,
Opendatasoft, CKAN, the local publication folder).

An adapter answers a handful of questions — test the connection, list the
organisations and licences, find the dataset behind a stored reference,
create or update it with a description and files while reporting progress —
and hides everything else (payload shapes, chunking, status polling).

Rules every adapter follows:

- all HTTP goes through the shared core :mod:`.http` (itself on
  :mod:`opendata_publisher.toolbelt.network`, the QGIS network stack: proxy,
  SSL, auth): one retry policy, the key sent to the connection's own origin
  only (https, loopback excepted), every portal text redacted; the API key is
  read from the QGIS authentication database with
  :func:`opendata_publisher.toolbelt.auth.api_key`; it never appears in logs,
  settings, exceptions or results;
- only idempotent requests (GET, PUT of a full object, DELETE) are retried;
  a plain upload is never blindly retried (it would duplicate the resource):
  after a lost answer the adapter looks up what the portal kept (our key on
  datasets and resources, the file's checksum) before writing anything;
- every failure is raised as :class:`PortalError` whose ``str()`` is a French
  sentence saying what went wrong and what to do, including the portal's own
  error text;
- success is returned only once the portal's final answer confirms it
  (:class:`PublishResult` carries the dataset and resource URLs read back).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

PORTAL_TYPES = ("udata", "opendatasoft", "ckan", "folder")


def schema_url(name: str, version: str = "", url: str = "") -> str:
    """The address of the schema a file follows (``url`` when known, else schema.data.gouv.fr's address of
    ``name`` at ``version``), for the portals' "conforms to" fields; "" without a schema."""
    if url:
        return url
    if not name:
        return ""
    return f"https://schema.data.gouv.fr/schemas/{name}/{version or 'latest'}/schema.json"


class PortalError(Exception):
    """A publication step failed. ``str()`` is French and actionable.

    ``status`` is the HTTP status when there is one, ``ref`` the dataset
    already created when a later step failed, ``portal_message`` the
    portal's own error text, ``kind`` one of: auth, forbidden, not-found,
    conflict, too-large, invalid, server, timeout, network, cancelled,
    deleted (the dataset behind a stored reference no longer exists),
    licence (unknown licence id), other.
    """

    def __init__(
        self,
        message: str,
        *,
        kind: str = "other",
        status: Optional[int] = None,
        portal_message: str = "",
        ref: Optional[DatasetRef] = None,
    ):
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.portal_message = portal_message
        #: set when the dataset was created before the failure: store it, so that
        #: publishing again updates this dataset instead of creating a copy
        self.ref = ref


@dataclass
class PortalConnection:
    """What the agent configures once (Options page). No secret here: the key
    lives in the QGIS authentication database, ``authcfg`` is its id."""

    name: str
    portal_type: str  # one of PORTAL_TYPES
    base_url: str  # e.g. https://www.data.gouv.fr, https://data.orleans-metropole.fr, a CKAN root; folder: a path
    organisation: str = ""  # organisation id/slug/domain on the portal
    authcfg: str = ""
    chunk_size_mb: int = 10  # data.gouv.fr chunked upload above this size (and chunk size)
    timeout_s: int = 60
    private: bool = False  # create datasets as private / draft

    def to_dict(self) -> Dict[str, Any]:
        return {
            "name": self.name,
            "portal_type": self.portal_type,
            "base_url": self.base_url,
            "organisation": self.organisation,
            "authcfg": self.authcfg,
            "chunk_size_mb": self.chunk_size_mb,
            "timeout_s": self.timeout_s,
            "private": self.private,
        }

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> PortalConnection:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


@dataclass
class Organisation:
    id: str
    name: str
    slug: str = ""


@dataclass
class PortalLicence:
    id: str
    title: str
    url: str = ""
    alternate_titles: List[str] = field(default_factory=list)
    alternate_urls: List[str] = field(default_factory=list)


@dataclass
class DatasetRef:
    """Where a layer was published, stored in the layer (custom property) so
    that publishing again updates the same dataset."""

    portal_type: str
    base_url: str
    dataset_id: str
    resource_ids: Dict[str, str] = field(default_factory=dict)  # format ("csv", "geojson"…) -> resource id
    dataset_url: str = ""
    checksums: Dict[str, str] = field(default_factory=dict)  # format -> SHA-256 of the file last published

    def to_dict(self) -> Dict[str, Any]:
        return {
            "portal_type": self.portal_type,
            "base_url": self.base_url,
            "dataset_id": self.dataset_id,
            "resource_ids": dict(self.resource_ids),
            "dataset_url": self.dataset_url,
            "checksums": dict(self.checksums),
        }

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> DatasetRef:
        return cls(
            portal_type=str(data.get("portal_type", "")),
            base_url=str(data.get("base_url", "")),
            dataset_id=str(data.get("dataset_id", "")),
            resource_ids={str(k): str(v) for k, v in (data.get("resource_ids") or {}).items()},
            dataset_url=str(data.get("dataset_url", "")),
            checksums={str(k): str(v) for k, v in (data.get("checksums") or {}).items()},
        )


@dataclass
class PublishFile:
    """A file to publish as a resource (already written on disk)."""

    path: Path
    format: str  # "csv", "geojson", "gpkg", "shp.zip"
    title: str
    description: str = ""
    mime: str = "application/octet-stream"
    schema_name: str = ""  # e.g. etalab/schema-stationnement (set on the resource where the portal supports it)
    schema_version: str = ""
    #: the same bytes as the file last published in this format (same checksum): the adapter keeps the
    #: resource's file and refreshes only its description (a nightly job does not re-send unchanged data)
    unchanged: bool = False
    #: SHA-256 of the file, when the pipeline has computed it already (not read again)
    sha256: str = ""
    #: a temporary file of the pipeline, removed after the publication: an adapter may move it instead of copying
    movable: bool = False


@dataclass
class PublishRequest:
    """Everything an adapter needs to create or update one dataset."""

    description: Any  # core.metadata.model.DatasetDescription
    files: List[PublishFile]
    ref: Optional[DatasetRef] = None  # None: create; else update this dataset
    recreate_if_deleted: bool = False  # the agent agreed to recreate a dataset deleted on the portal
    dry_run: bool = False  # build and validate payloads, send nothing that writes


@dataclass
class PublishResult:
    ref: DatasetRef
    dataset_url: str
    resource_urls: Dict[str, str]  # format -> URL of the resource (download/page)
    created: bool  # True when a new dataset was created
    messages: List[str] = field(default_factory=list)  # French notes for the agent (e.g. licence mapped to …)


#: progress(bytes_done, bytes_total, French step label)
Progress = Callable[[int, int, str], None]


class PortalAdapter:
    """Base class of the four adapters. ``feedback`` is a QgsFeedback (or
    None): adapters check ``feedback.isCanceled()`` between steps and chunks
    and raise ``PortalError(kind="cancelled")``."""

    portal_type = ""

    def __init__(self, connection: PortalConnection):
        self.connection = connection

    def test_connection(self, feedback=None) -> List[Organisation]:
        """Check the URL and the key; return the organisations the key can
        publish for. Raises PortalError (auth, network…)."""
        raise NotImplementedError

    def licences(self, feedback=None) -> List[PortalLicence]:
        """The portal's own licence list (ids are per portal)."""
        raise NotImplementedError

    def dataset_exists(self, ref: DatasetRef, feedback=None) -> bool:
        """False when the dataset behind ``ref`` was deleted on the portal."""
        raise NotImplementedError

    def publish(self, request: PublishRequest, progress: Optional[Progress] = None, feedback=None) -> PublishResult:
        """Create (``request.ref is None``) or update the dataset and replace
        its resources' files. On update, metadata is merged (never wipe a
        field the portal holds and we do not manage). If ``ref`` points at a
        deleted dataset, raise ``PortalError(kind="deleted")`` unless
        ``request.recreate_if_deleted``."""
        raise NotImplementedError

    def dataset_page_url(self, ref: DatasetRef) -> str:
        return ref.dataset_url
