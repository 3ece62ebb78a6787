"""ISO 19139 XML export (INSPIRE / CNIG guide elements) of a :class:`DatasetDescription`.

Pure Python (``xml.etree``)::

    to_iso19139(description, file_identifier=None) -> str   # UTF-8 XML text with its declaration

Namespaces gmd / gco / gml (3.2) / gmx / xlink / xsi. Elements: file identifier, metadata language and
character set, hierarchy level (dataset), metadata contact, date stamp, reference system, citation
(title, creation / publication / revision dates, resource identifier), abstract, points of contact
with roles, maintenance frequency, keywords (free, « données ouvertes », INSPIRE themes with the GEMET
thesaurus citation), legal constraints (conditions of use + licence anchor, public access limitation),
language, topic categories, extent (WGS 84 bounding box, place codes, temporal period), distribution
(format, online resources), data quality (lineage, conformity to the data schema).
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from datetime import date
from typing import Optional

from . import vocabulary
from .licences import licence_entry
from .model import DatasetDescription

NS = {
    "gmd": "http://www.isotc211.org/2005/gmd",
    "gco": "http://www.isotc211.org/2005/gco",
    "gml": "http://www.opengis.net/gml/3.2",
    "gmx": "http://www.isotc211.org/2005/gmx",
    "xlink": "http://www.w3.org/1999/xlink",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
CODELISTS = "http://standards.iso.org/iso/19139/resources/gmxCodelists.xml"
INSPIRE_NO_LIMITATION = "http://inspire.ec.europa.eu/metadata-codelist/LimitationsOnPublicAccess/noLimitations"
CNIG_USE_CONDITION = (
    "Utilisation libre sous réserve de mentionner la source (a minima le nom du producteur) et la date de sa "
    "dernière mise à jour"
)

for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


#: characters XML 1.0 forbids (a vertical tab or form feed pasted from a spreadsheet makes the file unreadable)
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (vertical tab and form feed become line breaks)."""
    return _NOT_XML.sub("", str(text).replace("\x0b", "\n").replace("\x0c", "\n"))


def _el(parent, name: str, text: Optional[str] = None, **attrs) -> ET.Element:
    element = ET.SubElement(
        parent,
        _q(name),
        {(_q(k.replace("_", ":", 1)) if "_" in k else k): xml_safe(v) for k, v in attrs.items()},
    )
    if text is not None:
        element.text = xml_safe(text)
    return element


def _string(parent, name: str, text: str) -> ET.Element:
    wrapper = _el(parent, name)
    _el(wrapper, "gco:CharacterString", text)
    return wrapper


def _anchor(parent, name: str, text: str, href: str) -> ET.Element:
    wrapper = _el(parent, name)
    _el(wrapper, "gmx:Anchor", text, xlink_href=href)
    return wrapper


def _code(parent, name: str, code_name: str, value: str) -> ET.Element:
    wrapper = _el(parent, name)
    _el(wrapper, f"gmd:{code_name}", value, codeList=f"{CODELISTS}#{code_name}", codeListValue=value)
    return wrapper


def _ci_date(parent, value: str, kind: str) -> None:
    ci_date = _el(_el(parent, "gmd:date"), "gmd:CI_Date")
    _el(_el(ci_date, "gmd:date"), "gco:Date", value[:10])
    _code(ci_date, "gmd:dateType", "CI_DateTypeCode", kind)


def _party(parent, name: str, organisation: str, email: str, role: str, individual: str = "") -> None:
    party = _el(_el(parent, name), "gmd:CI_ResponsibleParty")
    if individual:
        _string(party, "gmd:individualName", individual)
    _string(party, "gmd:organisationName", organisation or individual or email)
    if email:
        info = _el(_el(party, "gmd:contactInfo"), "gmd:CI_Contact")
        address = _el(_el(info, "gmd:address"), "gmd:CI_Address")
        _string(address, "gmd:electronicMailAddress", email)
    _code(party, "gmd:role", "CI_RoleCode", role)


#: EU data theme -> ISO 19115 topic category, when the agent chose no category (INSPIRE requires one)
THEME_TOPICS = {
    "AGRI": "farming",
    "ECON": "economy",
    "EDUC": "society",
    "ENER": "utilitiesCommunication",
    "ENVI": "environment",
    "GOVE": "boundaries",
    "HEAL": "health",
    "JUST": "society",
    "REGI": "location",
    "SOCI": "society",
    "TECH": "utilitiesCommunication",
    "TRAN": "transportation",
}


def topic_categories_from_themes(d: DatasetDescription) -> list:
    """ISO topic categories inferred from the EU themes (for a description whose categories are empty)."""
    return list(dict.fromkeys(THEME_TOPICS[t.upper()] for t in d.eu_themes if t.upper() in THEME_TOPICS))


def default_lineage(d: DatasetDescription) -> str:
    """A lineage statement from what is known, when the agent wrote none."""
    producer = d.producer.name or d.publisher.name
    parts = [f"Données produites par {producer}." if producer else "Origine des données non précisée."]
    if d.schema.name:
        label = f"{d.schema.name} {d.schema.version}".strip()
        parts.append(f"Mises en forme selon le schéma de données {label}.")
    return " ".join(parts)


def to_iso19139(d: DatasetDescription, file_identifier: Optional[str] = None, today: Optional[str] = None) -> str:
    language = vocabulary.language_from_any(d.language) or vocabulary.language_from_any("FRA") or {}
    lang3 = language.get("iso639_2b") or "fre"
    root = ET.Element(_q("gmd:MD_Metadata"))
    _string(root, "gmd:fileIdentifier", file_identifier or d.identifier or str(uuid.uuid4()))
    _code(root, "gmd:language", "LanguageCode", lang3).find(_q("gmd:LanguageCode")).set(
        "codeList", "http://www.loc.gov/standards/iso639-2/"
    )
    _code(root, "gmd:characterSet", "MD_CharacterSetCode", "utf8")
    _code(root, "gmd:hierarchyLevel", "MD_ScopeCode", "dataset")
    contact_org = d.publisher.name or d.producer.name
    _party(root, "gmd:contact", contact_org, d.contact.email, "pointOfContact", d.contact.name)
    _el(_el(root, "gmd:dateStamp"), "gco:Date", today or date.today().isoformat())
    _string(root, "gmd:metadataStandardName", "ISO 19115")
    _string(root, "gmd:metadataStandardVersion", "2003/Cor 1:2006")
    if d.crs:
        rs = _el(_el(root, "gmd:referenceSystemInfo"), "gmd:MD_ReferenceSystem")
        rsid = _el(_el(rs, "gmd:referenceSystemIdentifier"), "gmd:RS_Identifier")
        code = d.crs.split(":")[-1]
        if d.crs.upper().startswith("EPSG:"):
            _anchor(rsid, "gmd:code", d.crs, f"http://www.opengis.net/def/crs/EPSG/0/{code}")
        else:
            _string(rsid, "gmd:code", d.crs)

    ident = _el(_el(root, "gmd:identificationInfo"), "gmd:MD_DataIdentification")
    citation = _el(_el(ident, "gmd:citation"), "gmd:CI_Citation")
    _string(citation, "gmd:title", d.title)
    for value, kind in ((d.created, "creation"), (d.issued, "publication"), (d.modified, "revision")):
        if value:
            _ci_date(citation, value, kind)
    if not (d.created or d.issued or d.modified):
        _ci_date(citation, today or date.today().isoformat(), "publication")
    if d.identifier:
        _string(_el(_el(citation, "gmd:identifier"), "gmd:MD_Identifier"), "gmd:code", d.identifier)
    _string(ident, "gmd:abstract", d.description)
    if d.producer.name:
        _party(ident, "gmd:pointOfContact", d.producer.name, "", "originator")
    if d.publisher.name:
        _party(ident, "gmd:pointOfContact", d.publisher.name, "", "publisher")
    if not d.contact.is_empty():
        _party(ident, "gmd:pointOfContact", contact_org, d.contact.email, "pointOfContact", d.contact.name)
    freq = vocabulary.by_code(vocabulary.frequencies(), d.frequency)
    if freq:
        maintenance = _el(_el(ident, "gmd:resourceMaintenance"), "gmd:MD_MaintenanceInformation")
        _code(
            maintenance,
            "gmd:maintenanceAndUpdateFrequency",
            "MD_MaintenanceFrequencyCode",
            freq.get("iso19139") or "unknown",
        )
    free = [k for k in d.keywords if k.strip()]
    if free:
        keywords = _el(_el(ident, "gmd:descriptiveKeywords"), "gmd:MD_Keywords")
        for keyword in free:
            _string(keywords, "gmd:keyword", keyword)
    inspire = [vocabulary.by_code(vocabulary.inspire_themes(), c) for c in d.inspire_themes]
    inspire = [t for t in inspire if t]
    if inspire:
        keywords = _el(_el(ident, "gmd:descriptiveKeywords"), "gmd:MD_Keywords")
        for theme in inspire:
            _anchor(keywords, "gmd:keyword", theme["label_fr"], theme["uri"])
        thesaurus = _el(_el(keywords, "gmd:thesaurusName"), "gmd:CI_Citation")
        _anchor(
            thesaurus,
            "gmd:title",
            "GEMET - INSPIRE themes, version 1.0",
            "http://www.eionet.europa.eu/gemet/inspire_themes",
        )
        _ci_date(thesaurus, "2008-06-01", "publication")
    eu = [vocabulary.by_code(vocabulary.eu_themes(), c) for c in d.eu_themes]
    eu = [t for t in eu if t]
    if eu:
        keywords = _el(_el(ident, "gmd:descriptiveKeywords"), "gmd:MD_Keywords")
        for theme in eu:
            _anchor(keywords, "gmd:keyword", theme["label_fr"], theme["uri"])
        thesaurus = _el(_el(keywords, "gmd:thesaurusName"), "gmd:CI_Citation")
        _anchor(thesaurus, "gmd:title", "Data theme", "http://publications.europa.eu/resource/authority/data-theme")
        _ci_date(thesaurus, "2015-10-01", "publication")
    # conditions of access and use (CNIG: one condition + one public access limitation)
    use = _el(_el(ident, "gmd:resourceConstraints"), "gmd:MD_LegalConstraints")
    _string(use, "gmd:useLimitation", d.attribution or CNIG_USE_CONDITION)
    _code(use, "gmd:useConstraints", "MD_RestrictionCode", "otherRestrictions")
    entry = licence_entry(d.licence)
    if entry or d.licence:
        title = entry["title_fr"] if entry else d.licence
        href = (entry or {}).get("url") or d.licence_url
        if href:
            _anchor(use, "gmd:otherConstraints", title, href)
        else:
            _string(use, "gmd:otherConstraints", title)
    access = _el(_el(ident, "gmd:resourceConstraints"), "gmd:MD_LegalConstraints")
    _code(access, "gmd:accessConstraints", "MD_RestrictionCode", "otherRestrictions")
    _anchor(access, "gmd:otherConstraints", "Pas de restriction d'accès public", INSPIRE_NO_LIMITATION)
    _code(ident, "gmd:language", "LanguageCode", lang3).find(_q("gmd:LanguageCode")).set(
        "codeList", "http://www.loc.gov/standards/iso639-2/"
    )
    _code(ident, "gmd:characterSet", "MD_CharacterSetCode", "utf8")
    for category in d.iso_categories or topic_categories_from_themes(d):
        _el(_el(ident, "gmd:topicCategory"), "gmd:MD_TopicCategoryCode", category)
    if d.bbox or d.spatial_coverage or d.temporal_start or d.temporal_end:
        extent = _el(_el(ident, "gmd:extent"), "gmd:EX_Extent")
        if d.bbox:
            box = _el(_el(extent, "gmd:geographicElement"), "gmd:EX_GeographicBoundingBox")
            for name, value in zip(("west", "east", "south", "north"), (d.bbox[0], d.bbox[2], d.bbox[1], d.bbox[3])):
                _el(
                    _el(box, f"gmd:{name}BoundLongitude" if name in ("west", "east") else f"gmd:{name}BoundLatitude"),
                    "gco:Decimal",
                    repr(float(value)),
                )
        for area in d.spatial_coverage:
            desc = _el(_el(extent, "gmd:geographicElement"), "gmd:EX_GeographicDescription")
            ident_el = _el(_el(desc, "gmd:geographicIdentifier"), "gmd:MD_Identifier")
            _string(ident_el, "gmd:code", f"{area.code} {area.name}".strip())
        if d.temporal_start or d.temporal_end:
            temporal = _el(_el(_el(extent, "gmd:temporalElement"), "gmd:EX_TemporalExtent"), "gmd:extent")
            period = _el(temporal, "gml:TimePeriod", **{"gml_id": "periode-couverte"})
            if d.temporal_start:
                _el(period, "gml:beginPosition", d.temporal_start)
            else:
                _el(period, "gml:beginPosition", indeterminatePosition="unknown")
            if d.temporal_end:
                _el(period, "gml:endPosition", d.temporal_end)
            else:
                _el(period, "gml:endPosition", indeterminatePosition="now")

    distribution = _el(_el(root, "gmd:distributionInfo"), "gmd:MD_Distribution")
    formats = [x.file_format for x in d.distributions if x.file_format] or [d.file_format or "inconnu"]
    for name in dict.fromkeys(f.upper() for f in formats):
        fmt = _el(_el(distribution, "gmd:distributionFormat"), "gmd:MD_Format")
        _string(fmt, "gmd:name", name if name != "INCONNU" else "inconnu")
        _string(fmt, "gmd:version", "inconnue")
    links = [(x.url, "WWW:DOWNLOAD-1.0-http--download", x.title) for x in d.distributions if x.url]
    links += [
        (u, p, "")
        for u, p in ((d.download_url, "WWW:DOWNLOAD-1.0-http--download"), (d.landing_page, "WWW:LINK-1.0-http--link"))
        if u and not (d.distributions and p.startswith("WWW:DOWNLOAD"))
    ]
    if links:
        transfer = _el(_el(distribution, "gmd:transferOptions"), "gmd:MD_DigitalTransferOptions")
        for url, protocol, title in links:
            online = _el(_el(transfer, "gmd:onLine"), "gmd:CI_OnlineResource")
            _el(_el(online, "gmd:linkage"), "gmd:URL", url)
            _string(online, "gmd:protocol", protocol)
            if title:
                _string(online, "gmd:name", title)

    quality = _el(_el(root, "gmd:dataQualityInfo"), "gmd:DQ_DataQuality")
    _code(_el(_el(quality, "gmd:scope"), "gmd:DQ_Scope"), "gmd:level", "MD_ScopeCode", "dataset")
    if not d.schema.is_empty():
        report = _el(_el(quality, "gmd:report"), "gmd:DQ_DomainConsistency")
        result = _el(_el(report, "gmd:result"), "gmd:DQ_ConformanceResult")
        spec = _el(_el(result, "gmd:specification"), "gmd:CI_Citation")
        label = " ".join(p for p in (d.schema.name, d.schema.version) if p) or d.schema.url
        if d.schema.url:
            _anchor(spec, "gmd:title", label, d.schema.url)
        else:
            _string(spec, "gmd:title", label)
        _ci_date(spec, d.modified or today or date.today().isoformat(), "publication")
        _string(result, "gmd:explanation", "Vérifié avec l'extension QGIS « Données ouvertes »")
        _el(_el(result, "gmd:pass"), "gco:Boolean", "true")
    lineage = _el(_el(quality, "gmd:lineage"), "gmd:LI_Lineage")
    _string(lineage, "gmd:statement", d.lineage or default_lineage(d))
    for step in d.history:
        process = _el(_el(lineage, "gmd:processStep"), "gmd:LI_ProcessStep")
        _string(process, "gmd:description", step)
    ET.indent(root) if hasattr(ET, "indent") else None
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
