"""DCAT-AP 3 export of a :class:`DatasetDescription`, as JSON-LD or Turtle, written by hand (no rdflib).

Pure Python (no QGIS)::

    to_turtle(description) -> str
    to_jsonld(description) -> str          # JSON text; jsonld_document(description) -> dict
    dataset_iri(description) -> str

One ``dcat:Dataset`` (+ one ``dcat:Distribution`` per published file of ``description.distributions``, or
one when a download URL or landing page is known), with
its publisher / creator (``foaf:Agent``), contact point (``vcard:Organization``), themes (EU data theme
and INSPIRE URIs), frequency, language, spatial coverage (places + WGS 84 bounding box), temporal
coverage, dates, provenance, schema (``dct:conformsTo``) and licence. Conforms to the DCAT-AP 3.0.1
SHACL shapes (tested with pyshacl).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple, Union

from . import vocabulary
from .licences import licence_entry
from .model import DatasetDescription, is_iso_date

PREFIXES: Dict[str, str] = {
    "adms": "http://www.w3.org/ns/adms#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "gsp": "http://www.opengis.net/ont/geosparql#",
    "locn": "http://www.w3.org/ns/locn#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


@dataclass(frozen=True)
class IRI:
    value: str


@dataclass(frozen=True)
class BNode:
    id: str


@dataclass(frozen=True)
class Literal:
    value: str
    lang: str = ""
    datatype: str = ""  # prefixed name ("xsd:date")


Node = Union[IRI, BNode]
Triple = Tuple[Node, str, Union[IRI, BNode, Literal]]


def _slug(text: str) -> str:
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", text.strip()).strip("-")
    return text or "jeu-de-donnees"


def dataset_iri(description: DatasetDescription) -> str:
    for candidate in (description.identifier, description.landing_page):
        if candidate and re.match(r"^https?://\S+$", candidate.strip()):
            return candidate.strip()
    return f"urn:opendata-publisher:dataset:{_slug(description.identifier or description.title)}"


def _date_literal(value: str) -> Literal:
    return Literal(value, datatype="xsd:date" if is_iso_date(value) else "xsd:dateTime")


def build_graph(d: DatasetDescription) -> List[Triple]:
    """The triples of the description (subjects are IRIs or blank nodes; predicates prefixed names)."""
    triples: List[Triple] = []
    counter = [0]

    def bnode() -> BNode:
        counter[0] += 1
        return BNode(f"b{counter[0]}")

    def add(s, p, o):
        triples.append((s, p, o))

    lang = (vocabulary.language_from_any(d.language) or {}).get("iso639_1") or "fr"
    ds = IRI(dataset_iri(d))
    add(ds, "rdf:type", IRI(PREFIXES["dcat"] + "Dataset"))
    add(ds, "dct:title", Literal(d.title, lang=lang))
    add(ds, "dct:description", Literal(d.description, lang=lang))
    if d.identifier:
        add(ds, "dct:identifier", Literal(d.identifier))
    for keyword in d.keywords:
        if keyword.strip():
            add(ds, "dcat:keyword", Literal(keyword.strip(), lang=lang))
    for items, codes in ((vocabulary.eu_themes(), d.eu_themes), (vocabulary.inspire_themes(), d.inspire_themes)):
        for code in codes:
            entry = vocabulary.by_code(items, code)
            if entry:
                theme = IRI(entry["uri"])
                add(ds, "dcat:theme", theme)
                add(theme, "rdf:type", IRI(PREFIXES["skos"] + "Concept"))
                add(theme, "skos:prefLabel", Literal(entry["label_fr"], lang="fr"))
    for _role, org, prop in (("publisher", d.publisher, "dct:publisher"), ("producer", d.producer, "dct:creator")):
        if not org.name:
            continue
        agent: Node = IRI(f"https://annuaire-entreprises.data.gouv.fr/entreprise/{org.siren}") if org.siren else bnode()
        add(ds, prop, agent)
        add(agent, "rdf:type", IRI(PREFIXES["foaf"] + "Organization"))
        add(agent, "rdf:type", IRI(PREFIXES["foaf"] + "Agent"))
        add(agent, "foaf:name", Literal(org.name))
        if org.siren:
            add(agent, "dct:identifier", Literal(org.siren))
    if not d.contact.is_empty():
        kind = bnode()
        add(ds, "dcat:contactPoint", kind)
        add(kind, "rdf:type", IRI(PREFIXES["vcard"] + "Organization"))
        add(kind, "vcard:fn", Literal(d.contact.name or d.contact.email))
        if d.contact.email:
            add(kind, "vcard:hasEmail", IRI("mailto:" + d.contact.email.strip()))
    freq = vocabulary.by_code(vocabulary.frequencies(), d.frequency)
    if freq:
        add(ds, "dct:accrualPeriodicity", IRI(freq["uri"]))
        add(IRI(freq["uri"]), "rdf:type", IRI(PREFIXES["dct"] + "Frequency"))
    language = vocabulary.language_from_any(d.language)
    if language:
        add(ds, "dct:language", IRI(language["uri"]))
        add(IRI(language["uri"]), "rdf:type", IRI(PREFIXES["dct"] + "LinguisticSystem"))
    for area in d.spatial_coverage:
        place = IRI(area_iri(area.kind, area.code))
        add(ds, "dct:spatial", place)
        add(place, "rdf:type", IRI(PREFIXES["dct"] + "Location"))
        if area.name:
            add(place, "skos:prefLabel", Literal(area.name, lang="fr"))
        if area.code:
            add(place, "dct:identifier", Literal(area.code))
    if d.bbox:
        box = bnode()
        add(ds, "dct:spatial", box)
        add(box, "rdf:type", IRI(PREFIXES["dct"] + "Location"))
        add(box, "dcat:bbox", Literal(bbox_wkt(d.bbox), datatype="gsp:wktLiteral"))
    if d.temporal_start or d.temporal_end:
        period = bnode()
        add(ds, "dct:temporal", period)
        add(period, "rdf:type", IRI(PREFIXES["dct"] + "PeriodOfTime"))
        if d.temporal_start:
            add(period, "dcat:startDate", _date_literal(d.temporal_start))
        if d.temporal_end:
            add(period, "dcat:endDate", _date_literal(d.temporal_end))
    for value, prop in ((d.created, "dct:created"), (d.issued, "dct:issued"), (d.modified, "dct:modified")):
        if value:
            add(ds, prop, _date_literal(value))
    if d.lineage:
        prov = bnode()
        add(ds, "dct:provenance", prov)
        add(prov, "rdf:type", IRI(PREFIXES["dct"] + "ProvenanceStatement"))
        add(prov, "rdfs:label", Literal(d.lineage, lang=lang))
    if d.schema.url:
        standard = IRI(d.schema.url)
        add(ds, "dct:conformsTo", standard)
        add(standard, "rdf:type", IRI(PREFIXES["dct"] + "Standard"))
        label = " ".join(p for p in (d.schema.name, d.schema.version) if p)
        if label:
            add(standard, "dct:title", Literal(label))
    if d.landing_page:
        add(ds, "dcat:landingPage", IRI(d.landing_page))
    for line in d.history:
        add(ds, "adms:versionNotes", Literal(line, lang=lang))

    entry = licence_entry(d.licence)
    licence_uri = (entry or {}).get("dcat_uri") or d.licence_url
    access = d.download_url or d.landing_page
    licence_node = IRI(licence_uri) if licence_uri else None

    def _rights(dist) -> None:
        if d.attribution:
            rights = bnode()
            add(dist, "dct:rights", rights)
            add(rights, "rdf:type", IRI(PREFIXES["dct"] + "RightsStatement"))
            add(rights, "rdfs:label", Literal(d.attribution, lang=lang))

    for item in d.distributions:
        dist = bnode()
        add(ds, "dcat:distribution", dist)
        add(dist, "rdf:type", IRI(PREFIXES["dcat"] + "Distribution"))
        add(dist, "dcat:accessURL", IRI(item.url))
        add(dist, "dcat:downloadURL", IRI(item.url))
        add(dist, "dct:title", Literal(item.title or d.title, lang=lang))
        if item.file_format:
            add(dist, "dct:format", IRI(format_iri(item.file_format)))
        if item.media_type:
            media = IRI(IANA_MEDIA_TYPES + item.media_type)
            add(dist, "dcat:mediaType", media)
            add(media, "rdf:type", IRI(PREFIXES["dct"] + "MediaType"))
        if licence_node:
            add(dist, "dct:license", licence_node)
        if d.schema.url and item.file_format == "csv":
            add(dist, "dct:conformsTo", IRI(d.schema.url))
        _rights(dist)
    if access and not d.distributions:
        dist = bnode()
        add(ds, "dcat:distribution", dist)
        add(dist, "rdf:type", IRI(PREFIXES["dcat"] + "Distribution"))
        add(dist, "dcat:accessURL", IRI(access))
        if d.download_url:
            add(dist, "dcat:downloadURL", IRI(d.download_url))
        add(dist, "dct:title", Literal(d.title, lang=lang))
        if d.file_format:
            add(dist, "dct:format", IRI(format_iri(d.file_format)))
        if licence_node:
            add(dist, "dct:license", licence_node)
        _rights(dist)
    elif licence_node and not d.distributions:  # no distribution yet: keep the licence on the dataset so it is not lost
        add(ds, "dct:license", licence_node)
    if licence_node:
        add(licence_node, "rdf:type", IRI(PREFIXES["dct"] + "LicenseDocument"))
        if entry:
            add(licence_node, "rdfs:label", Literal(entry["title_fr"], lang="fr"))
    return triples


def area_iri(kind: str, code: str) -> str:
    """A dereferenceable IRI for a French place: geo.api.gouv.fr for communes, EPCI, départements, régions."""
    path = {"commune": "communes", "epci": "epcis", "departement": "departements", "region": "regions"}.get(kind)
    if path and code:
        return f"https://geo.api.gouv.fr/{path}/{code}"
    return f"urn:opendata-publisher:place:{_slug(code or kind)}"


IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"


def format_iri(fmt: str) -> str:
    code = fmt.strip().upper().replace(".", "")
    code = {"GEOPACKAGE": "GPKG", "SHAPEFILE": "SHP", "SHPZIP": "SHP"}.get(code, code)
    return f"http://publications.europa.eu/resource/authority/file-type/{code}"


def bbox_wkt(bbox: Tuple[float, float, float, float]) -> str:
    w, s, e, n = bbox
    return f"POLYGON(({w} {s},{e} {s},{e} {n},{w} {n},{w} {s}))"


# -- Turtle ----------------------------------------------------------------------------------------------


def _ttl_string(text: str) -> str:
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return '"' + text.replace("\t", "\\t") + '"'


def _ttl_iri(value: str) -> str:
    for prefix, ns in PREFIXES.items():
        if value.startswith(ns) and re.match(r"^[A-Za-z][A-Za-z0-9_-]*$", value[len(ns) :]):
            return f"{prefix}:{value[len(ns) :]}"
    return "<" + value.replace(">", "%3E").replace(" ", "%20") + ">"


def _ttl_term(term) -> str:
    if isinstance(term, IRI):
        return _ttl_iri(term.value)
    if isinstance(term, BNode):
        return "_:" + term.id
    text = _ttl_string(term.value)
    if term.lang:
        return f"{text}@{term.lang}"
    if term.datatype:
        return f"{text}^^{term.datatype}"
    return text


def to_turtle(description: DatasetDescription) -> str:
    triples = build_graph(description)
    lines = [f"@prefix {p}: <{ns}> ." for p, ns in PREFIXES.items()]
    lines.append("")
    by_subject: Dict = {}
    for s, p, o in triples:
        by_subject.setdefault(s, []).append((p, o))
    for subject, pairs in by_subject.items():
        seen = set()
        parts = []
        for p, o in pairs:
            if (p, o) in seen:
                continue
            seen.add((p, o))
            parts.append(f"    {'a' if p == 'rdf:type' else p} {_ttl_term(o)}")
        lines.append(_ttl_term(subject) + "\n" + " ;\n".join(parts) + " .\n")
    return "\n".join(lines)


# -- JSON-LD ---------------------------------------------------------------------------------------------


def _jsonld_term(term) -> Dict[str, str]:
    if isinstance(term, IRI):
        return {"@id": term.value}
    if isinstance(term, BNode):
        return {"@id": "_:" + term.id}
    value: Dict[str, str] = {"@value": term.value}
    if term.lang:
        value["@language"] = term.lang
    elif term.datatype:
        value["@type"] = term.datatype
    return value


def jsonld_document(description: DatasetDescription) -> Dict:
    nodes: Dict[str, Dict] = {}
    for s, p, o in build_graph(description):
        sid = s.value if isinstance(s, IRI) else "_:" + s.id
        node = nodes.setdefault(sid, {"@id": sid})
        if p == "rdf:type":
            types = node.setdefault("@type", [])
            if o.value not in types:
                types.append(o.value)
            continue
        values = node.setdefault(p, [])
        term = _jsonld_term(o)
        if term not in values:
            values.append(term)
    return {"@context": dict(PREFIXES), "@graph": list(nodes.values())}


def to_jsonld(description: DatasetDescription, indent: Optional[int] = 2) -> str:
    return json.dumps(jsonld_document(description), ensure_ascii=False, indent=indent)
