"""The members of the territory and which portal organisations belong to them.

Members are the communes of ``metadata/territory.json`` (the 22 communes of Orléans Métropole).

Which organisation of the portal publishes for which commune is given, in this order, by:

1. a *member mapping*: ``{INSEE code: [organisation id, slug or name, …]}``, read from a JSON file
   (:func:`load_mapping_file`), else given by the shared profile of the territory for the same portal
   (:func:`mapping_from_profile`)::

       {"members": {"45234": ["ville-d-orleans"], "45147": ["Mairie de Fleury-les-Aubrais"]}}

   (a plain ``{"45234": "ville-d-orleans"}`` object is accepted too);
2. otherwise, the organisation's name matched to the commune's name once the usual prefixes are removed
   (« Ville de », « Commune de », « Mairie d' »…): « Ville d'Orléans » is Orléans, « Orléans Métropole » is
   not (it is the metropolis itself, not a commune).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

from ..text import fold
from .model import Member, PortalOrganisation

_PREFIX_RE = re.compile(r"^(ville|commune|mairie|municipalite|hotel de ville|cite)\s+(?P<link>du|des|de|d)\s+")
#: « Mairie du Mans » speaks of Le Mans, « Ville des Ulis » of Les Ulis
_ARTICLE_OF_LINK = {"du": "le ", "des": "les "}


def territory_members() -> List[Member]:
    """The communes of ``metadata/territory.json``, in file order."""
    from ..metadata import vocabulary

    return [
        Member(code=str(item["code"]), name=str(item["name"]))
        for item in vocabulary.territory()
        if item.get("kind") == "commune"
    ]


def territory_name() -> str:
    from ..metadata import vocabulary

    for item in vocabulary.territory():
        if item.get("kind") == "epci":
            return str(item.get("name") or "")
    return ""


def _norm(text: str) -> str:
    folded = fold(text).replace("'", " ").replace("’", " ").replace("-", " ")
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", folded).split())


def commune_keys(organisation_name: str) -> List[str]:
    """The commune names an organisation name may speak of, normalised: « Ville d'Orléans » -> [« orleans »,
    …], « Commune de La Chapelle-Saint-Mesmin » -> [« la chapelle saint mesmin », …]."""
    name = _norm(organisation_name)
    keys = [name]
    found = _PREFIX_RE.match(name)
    if found:
        rest = name[found.end() :].strip()
        keys.insert(0, _ARTICLE_OF_LINK.get(found.group("link"), "") + rest)
        keys.insert(1, rest)
    return keys


def commune_key(organisation_name: str) -> str:
    """The most likely commune an organisation name speaks of (first of :func:`commune_keys`)."""
    return commune_keys(organisation_name)[0]


def mapping_from_profile(profile, connection) -> Optional[Dict[str, List[str]]]:
    """The member mapping the metropolis' shared profile gives for the portal of ``connection``: each commune's
    organisation on the profile portal with the same address (None when the profile has no such portal)."""
    if profile is None or connection is None:
        return None
    wanted = str(getattr(connection, "base_url", "") or "").rstrip("/").lower()
    portal = next((p for p in profile.portals if p.url.rstrip("/").lower() == wanted), None)
    if portal is None:
        return None
    mapping = {
        m.insee: [m.organisations[portal.id]] for m in profile.members if m.insee and portal.id in m.organisations
    }
    return mapping or None


def configured_profile_mapping(connection) -> Optional[Dict[str, List[str]]]:
    """:func:`mapping_from_profile` with the shared profile of the settings (None without one)."""
    try:
        from ..shared_profile import configured_profile

        result = configured_profile()
    except Exception:  # noqa: BLE001 - no usable profile: organisations are matched by name
        return None
    return mapping_from_profile(result.profile, connection) if result.ok else None


def configured_profile_locations(offline: bool = False) -> Dict[str, Tuple[float, float]]:
    """``{INSEE code: (longitude, latitude)}`` (EPSG:4326) of the communes located by the shared profile of the
    settings ({} without a usable profile): the members layer is then a point layer when no commune layer is
    chosen. ``offline``: a profile at a web address is not read again (this session's copy or the last one kept
    on disk); a profile file on disk is always read."""
    try:
        from ...toolbelt.network import is_local
        from ...toolbelt.settings import PluginSettings
        from ..shared_profile import configured_profile

        settings = PluginSettings.load()
        source = settings.shared_profile.strip()
        if not source:  # no shared profile: the members are the built-in territory's, located by its own profile
            return builtin_territory_locations()
        result = configured_profile(settings, offline=offline and not is_local(source))
    except Exception:  # noqa: BLE001 - no usable profile: no points, the members layer stays a table
        return {}
    return result.profile.locations() if result.ok else {}


def builtin_territory_locations() -> Dict[str, Tuple[float, float]]:
    """``{INSEE code: (longitude, latitude)}`` of the built-in territory's communes (``metadata/territory.json``),
    from the example profile shipped for that same EPCI in ``metadata/profiles/`` ({} when none is shipped for
    it): without a shared profile, the dashboard's members are these communes and still get their points."""
    from ..metadata import vocabulary
    from ..shared_profile import parse_profile

    epci = str(vocabulary.load_file("territory.json").get("_about", {}).get("epci") or "")
    codes = {member.code for member in territory_members()}
    for path in sorted((vocabulary.vocabulary_dir() / "profiles").glob("*.json")):
        try:
            profile = parse_profile(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
        if epci and profile.epci_siren == epci:
            return {code: point for code, point in profile.locations().items() if code in codes}
    return {}


def load_mapping_file(path) -> Dict[str, List[str]]:
    """Read a member mapping JSON file (see the module docstring). Raises ValueError with a French message."""
    file = Path(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ValueError(f"Fichier de correspondance illisible : {file} ({exc.strerror or exc}).") from exc
    except ValueError as exc:
        raise ValueError(
            f"Le fichier de correspondance {file} n'est pas du JSON valide ({exc}). Attendu : "
            '{"members": {"45234": ["id ou nom de l\'organisation"]}}.'
        ) from exc
    if isinstance(data, dict) and isinstance(data.get("members"), dict):
        data = data["members"]
    if not isinstance(data, dict):
        raise ValueError(
            f"Le fichier de correspondance {file} doit être un objet JSON : "
            '{"members": {"code INSEE": ["id ou nom de l\'organisation"]}}.'
        )
    mapping: Dict[str, List[str]] = {}
    for code, value in data.items():
        values = value if isinstance(value, list) else [value]
        mapping[str(code).strip()] = [str(v).strip() for v in values if str(v).strip()]
    return mapping


def match_organisations(
    members: Iterable[Member],
    organisations: Iterable[PortalOrganisation],
    mapping: Optional[Dict[str, List[str]]] = None,
) -> Tuple[Dict[str, List[PortalOrganisation]], List[PortalOrganisation]]:
    """``({member code: [organisations]}, organisations matched to no member)``."""
    members = list(members)
    organisations = list(organisations)
    result: Dict[str, List[PortalOrganisation]] = {m.code: [] for m in members}
    used = set()
    if mapping:
        for member in members:
            for wanted in mapping.get(member.code, []):
                key = fold(wanted)
                for org in organisations:
                    if key in (fold(org.id), fold(org.slug), fold(org.name)) and org.id not in used:
                        result[member.code].append(org)
                        used.add(org.id)
    else:
        by_name = {_norm(m.name): m.code for m in members}
        for org in organisations:
            code = next((by_name[k] for k in commune_keys(org.name) if k in by_name), None)
            if code is not None:
                result[code].append(org)
                used.add(org.id)
    unmatched = [o for o in organisations if o.id not in used]
    return result, unmatched
