"""The shared profile of a territory: one common open data language for an EPCI and its communes.

A versioned JSON document published by the metropolis' SIG team (URL or shared-drive path), checked
against ``metadata/profile.schema.json``. It holds the territory (members with INSEE code, SIREN,
postal codes), the shared portal(s) and each member's organisation on them (never a key), defaults
(licence, keywords, themes, frequency per schema, publisher) and the rules of the common language
(mandatory fields, naming convention of titles and identifiers, recommended schemas, locked fields).

Pure Python (no QGIS)::

    profile = parse_profile(data)                      # raises ProfileError (French) when unusable
    issues = check_profile_document(data)              # every problem, for the SIG team writing it
    member = profile.member("saran")
    org = organisation_profile(profile, member)        # what prefill uses (OrganisationProfile)
    findings = check_description(description, profile, member)   # rules → Finding (completeness, gate)
    connections = profile_connections(profile, member) # PortalConnection list (the agent adds the key)

    store = ProfileStore(cache_dir, fetcher)           # fetcher(url) -> bytes (QGIS network in the plugin)
    result = store.load(source)                        # network/file, else the last good cached copy
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

from .checks.custom import check_siren
from .checks.finding import ERROR, INFO, WARNING, Finding
from .json_schema import validate
from .metadata import vocabulary
from .schema.catalogue import _french_json_error
from .text import fold_words as fold

SCHEMA_FILE = "profile.schema.json"
LOCKED_LABEL = "défini par le profil de la métropole"

#: description fields a profile may declare mandatory → (label, how to read it on a DatasetDescription)
MANDATORY_FIELDS: Dict[str, Tuple[str, Callable[[Any], Any]]] = {
    "title": ("le titre", lambda d: d.title.strip()),
    "description": ("la description", lambda d: d.description.strip()),
    "keywords": ("des mots-clés", lambda d: [k for k in d.keywords if k.strip().lower() != "données ouvertes"]),
    "eu_themes": ("un thème européen", lambda d: d.eu_themes),
    "inspire_themes": ("un thème INSPIRE", lambda d: d.inspire_themes),
    "iso_categories": ("une catégorie ISO", lambda d: d.iso_categories),
    "contact_name": ("le nom du point de contact", lambda d: d.contact.name.strip()),
    "contact_email": ("le courriel du point de contact", lambda d: d.contact.email.strip()),
    "frequency": ("la fréquence de mise à jour", lambda d: d.frequency),
    "spatial_coverage": ("la couverture géographique", lambda d: d.spatial_coverage),
    "temporal_start": ("le début de la période couverte", lambda d: d.temporal_start),
    "lineage": ("la généalogie (origine de la donnée)", lambda d: d.lineage.strip()),
    "schema": ("le schéma de données", lambda d: d.schema.name or d.schema.url),
    "attribution": ("la mention d'attribution", lambda d: d.attribution.strip()),
    "landing_page": ("la page de présentation", lambda d: d.landing_page.strip()),
    "identifier": ("l'identifiant", lambda d: d.identifier.strip()),
}

#: description field (form) of each mandatory-rule name
RULE_FIELD = {"contact_name": "contact", "contact_email": "contact"}


class ProfileError(ValueError):
    """The profile cannot be used (French message)."""


# -- model -------------------------------------------------------------------------------------------


@dataclass
class Contact:
    name: str = ""
    email: str = ""

    @classmethod
    def from_dict(cls, data: Optional[Dict[str, Any]]) -> Contact:
        data = data or {}
        return cls(name=str(data.get("name", "")).strip(), email=str(data.get("email", "")).strip())


@dataclass
class Member:
    id: str
    kind: str
    name: str
    siren: str
    insee: str = ""
    siret: str = ""
    postal_codes: List[str] = field(default_factory=list)
    organisations: Dict[str, str] = field(default_factory=dict)  # portal id → organisation on that portal
    contact: Contact = field(default_factory=Contact)
    location: Optional[Tuple[float, float]] = None  # (longitude, latitude) EPSG:4326 of the town hall
    location_source: str = ""

    @property
    def territory_code(self) -> str:
        """INSEE code of a commune, SIREN otherwise (what the description's coverage uses)."""
        return self.insee or self.siren

    @property
    def label(self) -> str:
        return f"{self.name} ({self.insee})" if self.insee else self.name


@dataclass
class Portal:
    id: str
    name: str
    type: str
    url: str
    placeholder: bool = False
    private: bool = False


@dataclass
class RecommendedSchema:
    name: str
    version: str


@dataclass
class Profile:
    name: str
    version: str
    date: str
    epci_name: str
    epci_siren: str
    members: List[Member]
    portals: List[Portal]
    maintainer: Contact = field(default_factory=Contact)
    licence: str = ""
    odbl_allowed: bool = True
    keywords: List[str] = field(default_factory=list)
    eu_themes: List[str] = field(default_factory=list)
    publisher: str = "member"
    frequency_by_schema: Dict[str, str] = field(default_factory=dict)
    mandatory_fields: List[str] = field(default_factory=list)
    title_pattern: str = ""
    identifier_pattern: str = ""
    naming_severity: str = ERROR
    locked_fields: List[str] = field(default_factory=list)
    recommended_schemas: List[RecommendedSchema] = field(default_factory=list)
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def label(self) -> str:
        return f"{self.name} (version {self.version} du {self.date})"

    def member(self, member_id: str) -> Optional[Member]:
        wanted = (member_id or "").strip()
        for member in self.members:
            if member.id == wanted:
                return member
        folded = fold(wanted)
        for member in self.members:
            if folded and folded in (fold(member.name), member.insee, member.siren):
                return member
        return None

    def epci_member(self) -> Member:
        """The EPCI as a member (the one listed, else one made from ``territory.epci``)."""
        for member in self.members:
            if member.kind == "epci" or member.siren == self.epci_siren:
                return member
        return Member(id="epci", kind="epci", name=self.epci_name, siren=self.epci_siren)

    def portal(self, portal_id: str) -> Optional[Portal]:
        return next((p for p in self.portals if p.id == portal_id), None)

    def recommended(self, schema_name: str) -> Optional[RecommendedSchema]:
        return next((s for s in self.recommended_schemas if s.name == schema_name), None)

    def locations(self) -> Dict[str, Tuple[float, float]]:
        """``{INSEE code: (longitude, latitude)}`` of the communes whose location the profile gives (EPSG:4326)."""
        return {m.insee: m.location for m in self.members if m.insee and m.location is not None}


# -- reading and checking the document -----------------------------------------------------------------


def profile_schema() -> Dict[str, Any]:
    return vocabulary.load_file(SCHEMA_FILE)


def decode_profile(data: bytes, source: str) -> Dict[str, Any]:
    """The JSON object of a profile file (ProfileError with line and column when it is not JSON)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProfileError(f"Le profil {source} n'est pas un texte UTF-8 (octet {exc.start}).") from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProfileError(
            f"Le profil {source} n'est pas un JSON valide : ligne {exc.lineno}, colonne {exc.colno} "
            f"({_french_json_error(exc)}). Corrigez-le à cet endroit, ou demandez au service SIG de la métropole."
        ) from exc
    if not isinstance(document, dict):
        raise ProfileError(f"Le profil {source} doit être un objet JSON.")
    return document


def check_profile_document(document: Any, communes: Optional[Dict[str, str]] = None) -> List[str]:
    """Every problem of a profile document, in French (empty list: usable).

    ``communes`` (INSEE code → name, e.g. the official COG list) adds the check that every commune
    member has a code of the official list, with its name.
    """
    problems = [str(issue) for issue in validate(document, profile_schema())]
    if problems or not isinstance(document, dict):
        return problems
    territory = document["territory"]
    portal_ids = [p["id"] for p in document.get("portals", [])]
    if len(set(portal_ids)) != len(portal_ids):
        problems.append("portals : deux portails ont le même identifiant")
    seen_ids = set()
    if check_siren(territory["epci"]["siren"]) is not None:
        problems.append(f"territory.epci.siren : {territory['epci']['siren']} n'est pas un SIREN valide (clé)")
    for index, member in enumerate(territory["members"]):
        where = f"territory.members[{index}] ({member['name']})"
        if member["id"] in seen_ids:
            problems.append(f"{where} : identifiant {member['id']!r} en double")
        seen_ids.add(member["id"])
        if check_siren(member["siren"]) is not None:
            problems.append(f"{where} : {member['siren']} n'est pas un SIREN valide (clé de contrôle)")
        if member["kind"] == "commune":
            insee = member.get("insee", "")
            if not insee:
                problems.append(f"{where} : une commune doit avoir son code INSEE")
            elif communes is not None:
                official = communes.get(insee)
                if official is None:
                    problems.append(f"{where} : le code INSEE {insee} n'est pas dans la liste officielle des communes")
                elif official and fold(official) != fold(member["name"]):
                    problems.append(f"{where} : le code INSEE {insee} est celui de {official}, pas de {member['name']}")
        for portal_id in member.get("organisations", {}):
            if portal_id not in portal_ids:
                problems.append(f"{where} : organisation sur un portail non déclaré ({portal_id!r})")
    defaults = document.get("defaults", {})
    licence = defaults.get("licence")
    if licence and vocabulary.by_code(vocabulary.licences(), licence) is None:
        known = ", ".join(item["id"] for item in vocabulary.licences())
        problems.append(f"defaults.licence : licence {licence!r} inconnue (connues : {known})")
    if licence == "ODbL-1.0" and defaults.get("odbl_allowed") is False:
        problems.append("defaults.licence : l'ODbL est la licence par défaut mais le profil l'interdit")
    frequencies = {item["code"] for item in vocabulary.frequencies()}
    for schema_name, code in defaults.get("frequency_by_schema", {}).items():
        if code not in frequencies:
            problems.append(f"defaults.frequency_by_schema.{schema_name} : fréquence {code!r} inconnue")
    themes = {item["code"] for item in vocabulary.eu_themes()}
    for code in defaults.get("eu_themes", []):
        if code not in themes:
            problems.append(f"defaults.eu_themes : thème {code!r} inconnu")
    rules = document.get("rules", {})
    for key in ("title_pattern", "identifier_pattern"):
        pattern = rules.get(key, "")
        unknown = [p for p in re.findall(r"\{([^}]*)\}", pattern) if p not in _PLACEHOLDERS]
        if unknown:
            problems.append(
                f"rules.{key} : repère(s) inconnu(s) {', '.join('{' + u + '}' for u in unknown)} "
                f"(possibles : {', '.join('{' + p + '}' for p in _PLACEHOLDERS)})"
            )
    return problems


def parse_profile(document: Dict[str, Any], communes: Optional[Dict[str, str]] = None) -> Profile:
    """A :class:`Profile` from a checked document (ProfileError listing the problems otherwise)."""
    problems = check_profile_document(document, communes)
    if problems:
        shown = "\n".join(f"- {p}" for p in problems[:10])
        more = f"\n… et {len(problems) - 10} autre(s)" if len(problems) > 10 else ""
        raise ProfileError(f"Le profil partagé n'est pas valide ({len(problems)} problème(s)) :\n{shown}{more}")
    territory = document["territory"]
    defaults = document.get("defaults", {})
    rules = document.get("rules", {})
    members = [
        Member(
            id=m["id"],
            kind=m["kind"],
            name=m["name"],
            siren=m["siren"],
            insee=m.get("insee", ""),
            siret=m.get("siret", ""),
            postal_codes=list(m.get("postal_codes", [])),
            organisations=dict(m.get("organisations", {})),
            contact=Contact.from_dict(m.get("contact")),
            location=(float(m["location"]["longitude"]), float(m["location"]["latitude"])) if "location" in m else None,
            location_source=str(m.get("location", {}).get("source", "")),
        )
        for m in territory["members"]
    ]
    portals = [
        Portal(
            id=p["id"],
            name=p["name"],
            type=p["type"],
            url=p["url"].rstrip("/"),
            placeholder=bool(p.get("placeholder", False)),
            private=bool(p.get("private", False)),
        )
        for p in document.get("portals", [])
    ]
    return Profile(
        name=document["name"],
        version=document["version"],
        date=document["date"],
        epci_name=territory["epci"]["name"],
        epci_siren=territory["epci"]["siren"],
        members=members,
        portals=portals,
        maintainer=Contact.from_dict(document.get("maintainer")),
        licence=defaults.get("licence", ""),
        odbl_allowed=bool(defaults.get("odbl_allowed", True)),
        keywords=list(defaults.get("keywords", [])),
        eu_themes=list(defaults.get("eu_themes", [])),
        publisher=defaults.get("publisher", "member"),
        frequency_by_schema=dict(defaults.get("frequency_by_schema", {})),
        mandatory_fields=list(rules.get("mandatory_fields", [])),
        title_pattern=rules.get("title_pattern", ""),
        identifier_pattern=rules.get("identifier_pattern", ""),
        naming_severity=WARNING if rules.get("naming_severity") == "warning" else ERROR,
        locked_fields=list(rules.get("locked_fields", [])),
        recommended_schemas=[RecommendedSchema(s["name"], s["version"]) for s in rules.get("recommended_schemas", [])],
        raw=document,
    )


# -- what follows for an agent who publishes for one member ------------------------------------------


def organisation_profile(profile: Profile, member: Member):
    """The :class:`OrganisationProfile` prefill uses for ``member`` (publisher per the profile's rule)."""
    from .metadata.model import OrganisationProfile

    publisher = member
    if profile.publisher == "epci":
        publisher = profile.epci_member() or member
    contact = member.contact
    if not (contact.name or contact.email):
        # a member without its own contact: the publisher's, else the metropolis' shared service
        epci = profile.epci_member()
        contact = publisher.contact if publisher.contact.email else (epci.contact if epci else Contact())
    return OrganisationProfile(
        organisation_name=publisher.name,
        organisation_siren=publisher.siren,
        organisation_siret=publisher.siret,
        contact_name=contact.name,
        contact_email=contact.email,
        default_licence=profile.licence or "etalab-2.0",
        default_keywords=list(dict.fromkeys(profile.keywords + ([member.name] if member.kind == "commune" else []))),
        territory_code=member.territory_code,
    )


def locked_fields(profile: Profile, member: Member) -> Dict[str, Any]:
    """Description field → value fixed by the profile (shown locked in the form, with LOCKED_LABEL)."""
    org = organisation_profile(profile, member)
    values: Dict[str, Any] = {}
    for name in profile.locked_fields:
        if name in ("publisher", "producer"):
            values[name] = (org.organisation_name, org.organisation_siren)
        elif name == "contact" and (org.contact_name or org.contact_email):
            values[name] = (org.contact_name, org.contact_email)
        elif name == "licence" and profile.licence:
            values[name] = profile.licence
        elif name == "keywords" and org.default_keywords:
            values[name] = list(org.default_keywords)
        elif name == "spatial_coverage":
            values[name] = member.territory_code
    return values


def apply_profile(description, profile: Profile, member: Member, schema_name: str = ""):
    """Fill the description from the profile (copy): locked fields are forced, defaults fill only gaps."""
    from .metadata.licences import apply_licence
    from .metadata.model import Area, dedupe

    d = description.copy()
    org = organisation_profile(profile, member)
    locked = locked_fields(profile, member)
    for role in ("publisher", "producer"):
        target = getattr(d, role)
        if role in locked or not target.name:
            target.name, target.siren = org.organisation_name, org.organisation_siren
            target.siret = org.organisation_siret or (target.siret if role not in locked else "")
    if ("contact" in locked or d.contact.is_empty()) and (org.contact_name or org.contact_email):
        d.contact.name, d.contact.email = org.contact_name, org.contact_email
    if profile.licence and ("licence" in locked or not d.licence):
        apply_licence(d, profile.licence)
    d.keywords = dedupe(d.keywords + org.default_keywords)
    if not d.eu_themes and profile.eu_themes:
        d.eu_themes = list(profile.eu_themes)
    schema_name = schema_name or d.schema.name
    if not d.frequency and schema_name in profile.frequency_by_schema:
        d.frequency = profile.frequency_by_schema[schema_name]
    if "spatial_coverage" in locked or not d.spatial_coverage:
        entry = vocabulary.territory_area(member.territory_code)
        if entry is not None:
            areas = [Area(kind=entry["kind"], code=entry["code"], name=entry["name"])]
        else:
            kind = member.kind if member.kind in ("epci", "commune") else "commune"
            areas = [Area(kind=kind, code=member.territory_code, name=member.name)]
        d.spatial_coverage = areas
    if not d.identifier and profile.identifier_pattern and schema_name:
        d.identifier = expected_identifier(profile, member, schema_name)
    return d


_PLACEHOLDERS = ("objet", "membre", "commune", "insee", "siren", "schema", "annee")


def schema_short_name(schema_name: str) -> str:
    """« etalab/schema-stationnement » → « stationnement » (what identifiers use)."""
    slug = schema_name.rsplit("/", 1)[-1]
    return slug[len("schema-") :] if slug.startswith("schema-") else slug


def expected_identifier(profile: Profile, member: Member, schema_name: str) -> str:
    values = {
        "siren": member.siren,
        "insee": member.insee,
        "schema": schema_short_name(schema_name),
        "membre": member.id,
        "commune": member.id,
    }
    return re.sub(r"\{([^}]*)\}", lambda m: values.get(m.group(1), m.group(0)), profile.identifier_pattern)


def title_regex(profile: Profile, member: Member) -> Optional[re.Pattern]:
    """The profile's title pattern for ``member`` as a regular expression (None: no rule)."""
    if not profile.title_pattern:
        return None
    parts = re.split(r"(\{[^}]*\})", profile.title_pattern)
    out = []
    for part in parts:
        if part in ("{membre}", "{commune}"):
            out.append(re.escape(member.name))
        elif part == "{insee}":
            out.append(re.escape(member.insee))
        elif part == "{siren}":
            out.append(re.escape(member.siren))
        elif part == "{annee}":
            out.append(r"\d{4}")
        elif part in ("{objet}", "{schema}"):
            out.append(r".*\S.*")
        elif not part:
            continue
        else:
            # separators typed by hand: any dash, any spacing
            text = re.escape(part.strip())
            text = re.sub(r"(?:\\-|—|–)", "[-—–]", text)
            out.append(r"\s*" + text + r"\s*" if part.strip() else r"\s+")
    return re.compile("^" + "".join(out) + "$", re.IGNORECASE)


def example_title(profile: Profile, member: Member, subject: str = "Stationnement") -> str:
    values = {
        "objet": subject,
        "membre": member.name,
        "commune": member.name,
        "insee": member.insee,
        "siren": member.siren,
        "schema": subject,
        "annee": str(datetime.now().year),
    }
    return re.sub(r"\{([^}]*)\}", lambda m: values.get(m.group(1), m.group(0)), profile.title_pattern)


def _finding(code: str, severity: str, field_name: str, message: str, hint: str, value=None) -> Finding:
    return Finding(
        code=code,
        severity=severity,
        message=message,
        hint=hint,
        field=field_name,
        value=value,
        extra={"targets": ["profile"], "rule": code},
    )


def check_description(description, profile: Profile, member: Optional[Member]) -> List[Finding]:
    """The profile's rules applied to a description (codes ``profile-*``, French messages naming the rule)."""
    d = description
    findings: List[Finding] = []
    source = f"profil « {profile.name} »"
    for name in profile.mandatory_fields:
        label, read = MANDATORY_FIELDS[name]
        if not read(d):
            findings.append(
                _finding(
                    "profile-missing-field",
                    ERROR,
                    RULE_FIELD.get(name, name),
                    f"Le {source} rend obligatoire {label}, qui n'est pas renseigné(e).",
                    f"Renseignez {label} dans Décrire (règle du langage commun de la métropole)",
                )
            )
    if member is not None:
        regex = title_regex(profile, member)
        if regex is not None and d.title.strip() and not regex.match(d.title.strip()):
            findings.append(
                _finding(
                    "profile-title-convention",
                    profile.naming_severity,
                    "title",
                    f"Le titre ne suit pas la convention de nommage du {source} : « {profile.title_pattern} » "
                    f"(par exemple « {example_title(profile, member)} »).",
                    f"Par exemple : « {example_title(profile, member)} »",
                    d.title,
                )
            )
        schema_name = d.schema.name
        if profile.identifier_pattern and schema_name:
            expected = expected_identifier(profile, member, schema_name)
            if d.identifier.strip() and d.identifier.strip() != expected:
                findings.append(
                    _finding(
                        "profile-identifier-convention",
                        profile.naming_severity,
                        "identifier",
                        f"L'identifiant ne suit pas la convention du {source} « {profile.identifier_pattern} ».",
                        f"Identifiant attendu : « {expected} »",
                        d.identifier,
                    )
                )
    if d.licence == "ODbL-1.0" and not profile.odbl_allowed:
        findings.append(
            _finding(
                "profile-licence-not-allowed",
                ERROR,
                "licence",
                f"Le {source} n'autorise pas l'ODbL sur le portail du territoire.",
                "Choisissez la Licence Ouverte 2.0, ou voyez avec le service SIG de la métropole",
                d.licence,
            )
        )
    if profile.recommended_schemas and d.schema.name:
        wanted = profile.recommended(d.schema.name)
        if wanted is None:
            findings.append(
                _finding(
                    "profile-schema-not-recommended",
                    INFO,
                    "schema",
                    f"Le schéma {d.schema.name} ne fait pas partie des schémas retenus par le {source}.",
                    "Rien d'obligatoire : vérifiez seulement qu'aucun schéma retenu ne convient mieux",
                    d.schema.name,
                )
            )
        elif d.schema.version and d.schema.version != wanted.version:
            findings.append(
                _finding(
                    "profile-schema-version",
                    WARNING,
                    "schema",
                    f"Le {source} retient la version {wanted.version} du schéma {wanted.name} ; "
                    f"la couche suit la version {d.schema.version}.",
                    f"Vérifiez la couche avec la version {wanted.version} du schéma",
                    d.schema.version,
                )
            )
    return findings


def profile_connections(profile: Profile, member: Member, authcfgs: Optional[Dict[str, str]] = None):
    """The profile's portals as ready-to-use :class:`PortalConnection` (organisation of ``member``)."""
    from .portals.base import PortalConnection

    authcfgs = authcfgs or {}
    result = []
    for portal in profile.portals:
        organisation = member.organisations.get(portal.id, "")
        result.append(
            PortalConnection(
                name=connection_name(portal),
                portal_type=portal.type,
                base_url=portal.url,
                organisation=organisation,
                authcfg=authcfgs.get(portal.id, ""),
                private=portal.private,
            )
        )
    return result


def connection_name(portal: Portal) -> str:
    return f"{portal.name} [profil]"


# -- loading with a cache -------------------------------------------------------------------------------


@dataclass
class LoadResult:
    profile: Optional[Profile]
    origin: str  # "source" (just read), "cache" (last good copy), "none"
    message: str = ""  # French: what happened (empty when all went well)
    fetched_at: str = ""

    @property
    def ok(self) -> bool:
        return self.profile is not None


def _utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class ProfileStore:
    """Reads the shared profile from its source and keeps the last good copy in ``cache_dir/profile``.

    A broken or unreachable profile never replaces the last good one: :meth:`load` then returns the
    cached copy with a message saying why.
    """

    def __init__(self, cache_dir, fetcher: Callable[[str], bytes], communes: Optional[Dict[str, str]] = None):
        self.folder = Path(cache_dir) / "profile"
        self.fetcher = fetcher
        self.communes = communes

    @property
    def cached_path(self) -> Path:
        return self.folder / "profile.json"

    @property
    def meta_path(self) -> Path:
        return self.folder / "meta.json"

    def cached(self) -> LoadResult:
        try:
            document = decode_profile(self.cached_path.read_bytes(), str(self.cached_path))
            meta = json.loads(self.meta_path.read_text(encoding="utf-8")) if self.meta_path.exists() else {}
            profile = parse_profile(document, self.communes)
        except (OSError, ProfileError, ValueError):
            return LoadResult(None, "none")
        return LoadResult(profile, "cache", fetched_at=str(meta.get("fetched_at", "")))

    def load(self, source: str, offline: bool = False) -> LoadResult:
        source = (source or "").strip()
        if not source:
            return LoadResult(None, "none")
        if offline:
            result = self.cached()
            if result.ok:
                return result
            return LoadResult(None, "none", "Aucune copie du profil partagé n'est encore disponible hors ligne.")
        try:
            data = self.fetcher(source)
            document = decode_profile(data, source)
            profile = parse_profile(document, self.communes)
        except Exception as exc:  # noqa: BLE001 - any failure keeps the last good profile
            reason = getattr(exc, "message", None) or str(exc)
            fallback = self.cached()
            if fallback.ok:
                when = f" du {fallback.fetched_at[:10]}" if fallback.fetched_at else ""
                fallback.message = (
                    f"Le profil partagé n'a pas pu être relu ({source}) : {reason}\n"
                    f"La dernière version valide{when} est utilisée ({fallback.profile.label})."
                )
                return fallback
            return LoadResult(None, "none", f"Le profil partagé n'a pas pu être lu ({source}) : {reason}")
        self._save(data, source)
        return LoadResult(profile, "source", fetched_at=_utc_now())

    def _save(self, data: bytes, source: str) -> None:
        from .safe_write import WriteError, write_bytes

        try:
            write_bytes(self.cached_path, data, "Le profil partagé gardé hors ligne")
            meta = json.dumps({"source": source, "fetched_at": _utc_now()}).encode("utf-8")
            write_bytes(self.meta_path, meta, "La date du profil partagé gardé hors ligne")
        except WriteError:
            pass  # no cache: the profile still works for this session


# -- the profile of the plugin settings (QGIS) ------------------------------------------------------------

_SESSION: Dict[str, LoadResult] = {}


def official_communes() -> Optional[Dict[str, str]]:
    """INSEE code → name ("" when the list gives no name) of the official commune list shipped with the
    plugin (``resources/cog_communes.txt``, ``make cog``); None when it is missing."""
    from .checks.custom import cog_lists

    codes = cog_lists().get("communes") or frozenset()
    return dict.fromkeys(codes, "") if codes else None


def _qgis_fetcher(url: str) -> bytes:
    from ..toolbelt.network import fetch_bytes

    return fetch_bytes(url)


def store_for_settings(settings=None) -> ProfileStore:
    if settings is None:
        from ..toolbelt.settings import PluginSettings

        settings = PluginSettings.load()
    return ProfileStore(settings.cache_directory(), _qgis_fetcher, official_communes())


def configured_profile(settings=None, refresh: bool = False, offline: bool = False) -> LoadResult:
    """The shared profile of the settings (``shared_profile``), read once per session (``refresh``: again).

    Returns a :class:`LoadResult` whose ``profile`` is None when no profile is configured or none could
    ever be read; ``message`` says why in French.
    """
    if settings is None:
        from ..toolbelt.settings import PluginSettings

        settings = PluginSettings.load()
    source = settings.shared_profile.strip()
    if not source:
        return LoadResult(None, "none")
    if not refresh and source in _SESSION:
        return _SESSION[source]
    result = store_for_settings(settings).load(source, offline=offline)
    if result.ok or source not in _SESSION:
        _SESSION[source] = result
    return result


def forget_session() -> None:
    _SESSION.clear()


def current_member(settings=None) -> Tuple[Optional[Profile], Optional[Member]]:
    """The configured profile and the member the agent publishes for (None, None without a profile)."""
    if settings is None:
        from ..toolbelt.settings import PluginSettings

        settings = PluginSettings.load()
    result = configured_profile(settings)
    if not result.ok:
        return None, None
    return result.profile, result.profile.member(settings.profile_member)


def findings_for(description, settings=None) -> List[Finding]:
    """The shared profile's rules for ``description`` with the configured profile and member ([] without
    a configured profile). A profile that cannot be read, or no member chosen, is one warning finding."""
    if settings is None:
        from ..toolbelt.settings import PluginSettings

        settings = PluginSettings.load()
    if not settings.shared_profile.strip():
        return []
    result = configured_profile(settings)
    if not result.ok:
        return [
            _finding(
                "profile-unavailable",
                WARNING,
                "",
                result.message or "Le profil partagé de la métropole n'a pas pu être lu.",
                "Les règles communes ne sont pas vérifiées : voyez Options › Données ouvertes › Profil partagé",
            )
        ]
    member = result.profile.member(settings.profile_member)
    findings = check_description(description, result.profile, member)
    if member is None:
        findings.insert(
            0,
            _finding(
                "profile-member-missing",
                WARNING,
                "publisher",
                "Vous n'avez pas indiqué pour quel membre du territoire vous publiez.",
                "Choisissez-le une fois dans Options › Données ouvertes › « Je publie pour »",
            ),
        )
    return findings


def organisation_profile_for_settings(settings=None):
    """The agent's organisation profile: their own settings, overridden by the shared profile's member
    wherever the shared profile says something."""
    from .metadata.model import OrganisationProfile

    if settings is None:
        from ..toolbelt.settings import PluginSettings

        settings = PluginSettings.load()
    own = OrganisationProfile.from_settings(settings)
    if not settings.shared_profile.strip():
        return own
    try:
        profile, member = current_member(settings)
    except Exception:  # noqa: BLE001 - a profile problem never breaks the agent's own settings
        return own
    if profile is None or member is None:
        return own
    shared = organisation_profile(profile, member)
    for name in (
        "organisation_name",
        "organisation_siren",
        "organisation_siret",
        "contact_name",
        "contact_email",
        "default_licence",
        "territory_code",
    ):
        value = getattr(shared, name)
        if value:
            setattr(own, name, value)
    own.default_keywords = list(dict.fromkeys(list(own.default_keywords) + list(shared.default_keywords)))
    return own


def apply_configured_profile(description, schema_name: str = "", settings=None):
    """``apply_profile`` with the configured profile and member (the description unchanged without them)."""
    try:
        profile, member = current_member(settings)
    except Exception:  # noqa: BLE001
        return description
    if profile is None or member is None:
        return description
    return apply_profile(description, profile, member, schema_name)
