"""Round trip between :class:`DatasetDescription` and QGIS's ``QgsLayerMetadata`` (needs QGIS).

::

    to_layer_metadata(description, base=None) -> QgsLayerMetadata
    from_layer_metadata(metadata) -> DatasetDescription
    read_layer_description(layer) -> DatasetDescription      # layer.metadata() → description
    write_layer_description(layer, description) -> None      # description → layer.setMetadata(); project
                                                             # save keeps it (.qgs / .qgz)
    save_to_datasource(layer) -> (ok, message)               # GeoPackage: gpkg_metadata; others: .qmd beside
    export_qmd(layer_or_description, path) -> None           # QGIS metadata XML file (.qmd)

Native slots are used where QGIS has them (title, abstract, identifier, language, type, categories,
contacts with roles originator / publisher / pointOfContact, licenses, rights, history, links,
crs, encoding, spatial + temporal extent; dates too on QGIS ≥ 3.30). The rest is kept as keyword
vocabularies named ``opendata_publisher:<field>`` (see :data:`VOCAB`) so it travels in the project,
.qmd and GeoPackage and stays visible in QGIS's metadata tab.

Reading also understands metadata typed by hand in QGIS's metadata tab: a free-text licence
(« Licence Ouverte v2.0 », « ODbL », an URL) is recognised; contacts are read by role (a contact without
a known role becomes the contact point); keywords of any other vocabulary are free keywords.
"""

from __future__ import annotations

from typing import Optional, Tuple, Union

from qgis.core import (
    QgsBox3d,
    QgsCoordinateReferenceSystem,
    QgsDateTimeRange,
    QgsLayerMetadata,
    QgsMapLayer,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QTime
from qgis.PyQt.QtXml import QDomDocument

from . import vocabulary
from .licences import licence_entry, recognise_licence
from .model import Area, DatasetDescription, dedupe

PREFIX = "opendata_publisher:"
VOCAB = {
    name: PREFIX + name
    for name in (
        "keywords", "eu-theme", "inspire-theme", "frequency", "spatial-coverage", "schema", "licence",
        "licence-justification", "licence-homologation", "lineage", "created", "issued", "modified",
        "producer-siren", "producer-siret", "publisher-siren", "publisher-siret", "feature-count", "file-format",
    )
}  # fmt: skip
LINK_LANDING = PREFIX + "landing-page"
LINK_DOWNLOAD = PREFIX + "download"
LINK_LICENCE = PREFIX + "licence"
LINK_SCHEMA = PREFIX + "schema"
ROLE_PRODUCER = "originator"
ROLE_PUBLISHER = "publisher"
ROLE_CONTACT = "pointOfContact"
_TOPIC = "gmd:topicCategory"


def _date_type(name: str):
    enum = getattr(getattr(__import__("qgis.core", fromlist=["Qgis"]).Qgis, "MetadataDateType", None), name, None)
    return enum


def to_layer_metadata(d: DatasetDescription, base: Optional[QgsLayerMetadata] = None) -> QgsLayerMetadata:
    """A ``QgsLayerMetadata`` holding the description; what ``base`` has that we do not manage is kept
    (other keyword vocabularies, constraints, fees, other contacts and links)."""
    md = QgsLayerMetadata(base) if base is not None else QgsLayerMetadata()
    md.setTitle(d.title)
    md.setAbstract(d.description)
    md.setIdentifier(d.identifier)
    md.setType("dataset")
    language = vocabulary.language_from_any(d.language)
    md.setLanguage(language["iso639_2b"] if language else d.language)
    md.setEncoding("UTF-8")
    md.setHistory(list(d.history))
    md.setRights([d.attribution] if d.attribution else [])
    entry = licence_entry(d.licence)
    md.setLicenses([entry["id"] if entry else d.licence] if d.licence else [])

    keywords = {k: v for k, v in md.keywords().items() if not k.startswith(PREFIX) and k != _TOPIC}
    # free keywords typed in QGIS under other vocabularies are now ours
    keywords = {k: v for k, v in keywords.items() if not _is_free_vocabulary(k)}

    def put(name: str, values):
        values = [str(v) for v in values if v not in (None, "")]
        if values:
            keywords[VOCAB[name]] = values

    put("keywords", dedupe(d.keywords))
    put("eu-theme", d.eu_themes)
    put("inspire-theme", d.inspire_themes)
    put("frequency", [d.frequency])
    put("spatial-coverage", [f"{a.kind}:{a.code}|{a.name}" for a in d.spatial_coverage])
    if not d.schema.is_empty():
        put("schema", [f"name={d.schema.name}", f"version={d.schema.version}", f"url={d.schema.url}"])
    put("licence", [d.licence, d.licence_url] if d.licence else [])
    put("licence-justification", [d.licence_justification])
    put("licence-homologation", [d.licence_homologation])
    put("lineage", [d.lineage])
    put("created", [d.created])
    put("issued", [d.issued])
    put("modified", [d.modified])
    put("producer-siren", [d.producer.siren])
    put("producer-siret", [d.producer.siret])
    put("publisher-siren", [d.publisher.siren])
    put("publisher-siret", [d.publisher.siret])
    put("feature-count", [d.feature_count] if d.feature_count is not None else [])
    put("file-format", [d.file_format])
    md.setKeywords(keywords)
    md.setCategories(list(d.iso_categories))

    contacts = [c for c in md.contacts() if _role(c) not in _OUR_ROLES]  # read as ours: replaced
    for role, org in ((ROLE_PRODUCER, d.producer), (ROLE_PUBLISHER, d.publisher)):
        if org.name:
            contact = QgsLayerMetadata.Contact(org.name)
            contact.organization = org.name
            contact.role = role
            contacts.append(contact)
    if not d.contact.is_empty():
        contact = QgsLayerMetadata.Contact(d.contact.name)
        contact.email = d.contact.email
        if d.contact.name:  # without a name, the organisation would be read back as the contact's name
            contact.organization = d.publisher.name or d.producer.name
        contact.role = ROLE_CONTACT
        contacts.append(contact)
    md.setContacts(contacts)

    ours = (LINK_LANDING, LINK_DOWNLOAD, LINK_LICENCE, LINK_SCHEMA)
    links = [link for link in md.links() if link.name not in ours]
    for name, url, kind, fmt in (
        (LINK_LANDING, d.landing_page, "WWW:LINK", ""),
        (LINK_DOWNLOAD, d.download_url, "WWW:DOWNLOAD", d.file_format),
        (LINK_LICENCE, d.licence_url, "WWW:LINK", ""),
        (LINK_SCHEMA, d.schema.url, "WWW:LINK", "application/json"),
    ):
        if url:
            link = QgsLayerMetadata.Link(name, kind, url)
            link.format = fmt
            links.append(link)
    md.setLinks(links)

    if d.crs:
        md.setCrs(QgsCoordinateReferenceSystem(d.crs))
    extent = QgsLayerMetadata.Extent()
    if d.bbox:
        spatial = QgsLayerMetadata.SpatialExtent()
        spatial.extentCrs = QgsCoordinateReferenceSystem("EPSG:4326")
        spatial.bounds = QgsBox3d(d.bbox[0], d.bbox[1], 0, d.bbox[2], d.bbox[3], 0)
        extent.setSpatialExtents([spatial])
    if d.temporal_start or d.temporal_end:
        extent.setTemporalExtents([QgsDateTimeRange(_qdatetime(d.temporal_start), _qdatetime(d.temporal_end))])
    md.setExtent(extent)

    if hasattr(md, "setDateTime"):  # QGIS >= 3.30
        for value, name in ((d.created, "Created"), (d.issued, "Published"), (d.modified, "Revised")):
            kind = _date_type(name)
            if kind is not None and value:
                md.setDateTime(kind, _qdatetime(value))
    return md


_CONTACT_ROLES = (ROLE_CONTACT.lower(), "point of contact")
_OUR_ROLES = (ROLE_PRODUCER, ROLE_PUBLISHER, *_CONTACT_ROLES)
_OTHER_CONTACT_ROLES = ("contact", "custodian", "distributor")


def _role(contact) -> str:
    """The contact's role, lower case (QGIS's metadata tab may store « Point of contact »)."""
    return (contact.role or "").strip().lower()


def _is_free_vocabulary(name: str) -> bool:
    return not name.startswith(PREFIX) and name != _TOPIC


def _qdatetime(value: str) -> QDateTime:
    if not value:
        return QDateTime()
    qdate = QDate.fromString(value[:10], "yyyy-MM-dd")
    return QDateTime(qdate, QTime(0, 0, 0)) if qdate.isValid() else QDateTime()


def _iso(value: QDateTime) -> str:
    if value is None or not value.isValid():
        return ""
    return value.date().toString("yyyy-MM-dd")


def from_layer_metadata(md: QgsLayerMetadata) -> DatasetDescription:
    """Read a description from layer metadata, whether written by us or typed in QGIS's metadata tab."""
    d = DatasetDescription(keywords=[])
    d.title = md.title() or ""
    d.description = md.abstract() or ""
    d.identifier = md.identifier() or ""
    language = vocabulary.language_from_any(md.language())
    d.language = language["code"] if language else (md.language() or "")
    d.history = list(md.history())
    rights = [r for r in md.rights() if r]
    d.attribution = "\n".join(rights)
    keywords = md.keywords()

    def get(name: str):
        return list(keywords.get(VOCAB[name], []))

    def one(name: str) -> str:
        values = get(name)
        return values[0] if values else ""

    free = get("keywords")
    for vocab, values in keywords.items():
        if _is_free_vocabulary(vocab):
            free.extend(values)
    d.keywords = dedupe(free)
    d.eu_themes = get("eu-theme")
    d.inspire_themes = get("inspire-theme")
    d.iso_categories = list(md.categories())
    d.frequency = one("frequency")
    for item in get("spatial-coverage"):
        head, _, name = item.partition("|")
        kind, colon, code = head.partition(":")
        if not colon:  # typed by hand without a kind
            kind, code = "other", head
        d.spatial_coverage.append(Area(kind=kind, code=code, name=name))
    for item in get("schema"):
        key, _, value = item.partition("=")
        if key in ("name", "version", "url"):
            setattr(d.schema, key, value)
    d.licence_justification = one("licence-justification")
    d.licence_homologation = one("licence-homologation")
    d.lineage = one("lineage")
    d.created, d.issued, d.modified = one("created"), one("issued"), one("modified")
    d.producer.siren, d.producer.siret = one("producer-siren"), one("producer-siret")
    d.publisher.siren, d.publisher.siret = one("publisher-siren"), one("publisher-siret")
    count = one("feature-count")
    d.feature_count = int(count) if count.isdigit() else None
    d.file_format = one("file-format")
    if hasattr(md, "dateTime"):
        for attr, name in (("created", "Created"), ("issued", "Published"), ("modified", "Revised")):
            kind = _date_type(name)
            if kind is not None and not getattr(d, attr):
                setattr(d, attr, _iso(md.dateTime(kind)))

    # licence: our vocabulary first, then the native licences / links, recognised from free text
    licence_values = get("licence")
    candidates = licence_values[:1] + list(md.licenses())
    links = {link.name: link for link in md.links()}
    if LINK_LICENCE in links:
        candidates.append(links[LINK_LICENCE].url)
    for candidate in candidates:
        entry = recognise_licence(candidate)
        if entry:
            d.licence = entry["id"]
            d.licence_url = entry.get("url") or ""
            break
    else:
        if candidates:
            d.licence = candidates[0]
    if len(licence_values) > 1 and licence_values[1]:
        d.licence_url = licence_values[1]
    elif LINK_LICENCE in links:
        d.licence_url = links[LINK_LICENCE].url or d.licence_url

    d.landing_page = links[LINK_LANDING].url if LINK_LANDING in links else ""
    if LINK_DOWNLOAD in links:
        d.download_url = links[LINK_DOWNLOAD].url
        d.file_format = d.file_format or links[LINK_DOWNLOAD].format
    if LINK_SCHEMA in links and not d.schema.url:
        d.schema.url = links[LINK_SCHEMA].url

    unknown_role_contact = None
    contact_roles = (_CONTACT_ROLES, _OTHER_CONTACT_ROLES)  # a point of contact wins over a custodian
    chosen_rank = len(contact_roles)
    for contact in md.contacts():
        role = _role(contact)
        rank = next((i for i, roles in enumerate(contact_roles) if role in roles), None)
        if role == ROLE_PRODUCER:
            d.producer.name = contact.organization or contact.name
        elif role == ROLE_PUBLISHER:
            d.publisher.name = contact.organization or contact.name
        elif rank is not None:
            if rank < chosen_rank:
                chosen_rank = rank
                d.contact.name = contact.name or contact.organization
                d.contact.email = contact.email
        elif unknown_role_contact is None:
            unknown_role_contact = contact
    if d.contact.is_empty() and unknown_role_contact is not None:
        d.contact.name = unknown_role_contact.name or unknown_role_contact.organization
        d.contact.email = unknown_role_contact.email
        if not d.publisher.name and unknown_role_contact.organization:
            d.publisher.name = unknown_role_contact.organization

    crs = md.crs()
    d.crs = crs.authid() if crs.isValid() else ""
    extent = md.extent()
    for spatial in extent.spatialExtents():
        if spatial.extentCrs.isValid() and spatial.extentCrs.authid() == "EPSG:4326" and spatial.bounds.width() >= 0:
            b = spatial.bounds
            d.bbox = (b.xMinimum(), b.yMinimum(), b.xMaximum(), b.yMaximum())
            break
    temporal = extent.temporalExtents()
    if temporal:
        d.temporal_start = _iso(temporal[0].begin())
        d.temporal_end = _iso(temporal[0].end())
    return d


def read_layer_description(layer: QgsMapLayer) -> DatasetDescription:
    return from_layer_metadata(layer.metadata())


def write_layer_description(layer: QgsMapLayer, description: DatasetDescription) -> None:
    """Store the description in the layer's metadata (saved with the project)."""
    layer.setMetadata(to_layer_metadata(description, layer.metadata()))


def save_to_datasource(layer: QgsMapLayer) -> Tuple[bool, str]:
    """Save the layer's metadata with its data: inside a GeoPackage (``gpkg_metadata``), else a .qmd file
    beside the data file. Returns (ok, French message)."""
    message, ok = layer.saveDefaultMetadata()
    if ok:
        return True, "Métadonnées enregistrées avec la donnée."
    return False, (
        f"Les métadonnées n'ont pas pu être enregistrées avec la donnée ({message}). Elles restent dans le projet : "
        "enregistrez le projet, ou exportez-les en fichier .qmd."
    )


def metadata_xml(md: QgsLayerMetadata) -> str:
    document = QDomDocument("qgis")
    root = document.createElement("qgis")
    document.appendChild(root)
    md.writeMetadataXml(root, document)
    return document.toString(2)


def export_qmd(source: Union[QgsMapLayer, DatasetDescription, QgsLayerMetadata], path: str) -> None:
    """Write a QGIS metadata file (.qmd) from a layer, a description or a ``QgsLayerMetadata``."""
    if isinstance(source, QgsMapLayer):
        md = source.metadata()
    elif isinstance(source, DatasetDescription):
        md = to_layer_metadata(source)
    else:
        md = source
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(metadata_xml(md))


def read_qmd(path: str) -> DatasetDescription:
    """Read a .qmd file written by :func:`export_qmd` (or by QGIS)."""
    document = QDomDocument("qgis")
    with open(path, encoding="utf-8") as handle:
        document.setContent(handle.read())
    md = QgsLayerMetadata()
    md.readMetadataXml(document.documentElement())
    return from_layer_metadata(md)
