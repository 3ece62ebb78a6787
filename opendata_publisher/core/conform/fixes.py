"""The fixes the conversion knows, as data: id, French title and help, the
finding codes each one answers, and whether it is applied by default.

Pure Python. The dialog, the Processing algorithm (``FIXES`` parameter) and
the check page (« Corriger… » on a finding row) read the same list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Tuple


@dataclass(frozen=True)
class FixInfo:
    id: str
    title: str
    help: str
    codes: Tuple[str, ...]  # full finding codes (``constraint-error/enum``) or base codes (``type-error``)
    safe: bool = True  # applied by default (never guesses)


FIELDS = "fields"
TRIM = "trim"
DATES = "dates"
NUMBERS = "numbers"
BOOLEANS = "booleans"
ENUMS = "enums"
FORMATS = "formats"
CONSTANTS = "constants"
COORDINATES = "coordinates"
SWAP = "swap"
REPROJECT = "reproject"
MAKE_VALID = "make-valid"
IDENTIFIERS = "identifiers"
FORMULAS = "formulas"

FIXES: List[FixInfo] = [
    FixInfo(
        FIELDS,
        "Champs renommés et remis dans l'ordre du schéma",
        "Chaque champ prend le nom du schéma (noms tronqués par le Shapefile, majuscules, accents, ou la "
        "correspondance que vous avez indiquée) ; les champs que le schéma ne connaît pas ne sont pas repris.",
        ("missing-label", "extra-label", "disordered-labels"),
    ),
    FixInfo(
        TRIM,
        "Espaces en trop retirés",
        "Les espaces au début et à la fin des textes sont retirés.",
        ("type-error", "constraint-error/enum", "constraint-error/pattern"),
    ),
    FixInfo(
        DATES,
        "Dates et heures écrites au format ISO 8601",
        "24/06/2019, 24-06-2019, 24 juin 2019 ou 24/06/2019 14h30 deviennent 2019-06-24 et 2019-06-24T14:30:00 "
        "(le jour est lu en premier, comme en France).",
        ("type-error",),
    ),
    FixInfo(
        NUMBERS,
        "Nombres avec un point décimal",
        "1 234,56 devient 1234.56 : virgule décimale remplacée par un point, séparateurs de milliers et « € » retirés.",
        ("type-error",),
    ),
    FixInfo(
        BOOLEANS,
        "Valeurs oui/non écrites comme le schéma le demande",
        "oui/non, vrai/faux, O/N, yes/no, true/false ou 1/0 deviennent les valeurs vrai/faux du schéma.",
        ("type-error",),
    ),
    FixInfo(
        ENUMS,
        "Valeurs de liste écrites exactement comme dans le schéma",
        "Une valeur qui ne diffère d'une valeur autorisée que par les majuscules, les accents, les espaces ou "
        "le séparateur de liste est remplacée par celle-ci. Une valeur inconnue n'est jamais devinée.",
        ("constraint-error/enum",),
    ),
    FixInfo(
        FORMATS,
        "Formats attendus : zéros initiaux, espaces, https://",
        "Zéro initial perdu (code INSEE 1053 → 01053, téléphone à 9 chiffres), espaces dans un numéro, "
        "« www. » sans « https:// », séparateurs de liste : la réécriture n'est gardée que si la valeur "
        "respecte alors le format du schéma.",
        (
            "constraint-error/pattern",
            "constraint-error/minLength",
            "code-postal",
            "code-commune-insee",
            "phone-number-value",
            "numero-departement",
            "siren",
            "siret",
            "type-error",
        ),
    ),
    FixInfo(
        CONSTANTS,
        "Champs remplis avec une valeur constante",
        "Les valeurs vides (ou le champ absent) sont remplies avec la valeur indiquée : celle du profil de "
        "l'organisation (nom, SIREN, SIRET) ou celle que vous tapez. Les valeurs déjà remplies ne changent pas.",
        ("missing-label", "constraint-error/required"),
        safe=False,
    ),
    FixInfo(
        COORDINATES,
        "Coordonnées calculées depuis la géométrie (WGS 84)",
        "Les champs longitude/latitude ou « geopoint » vides, absents ou faux sont calculés depuis la géométrie "
        "de l'entité, en degrés WGS 84 (EPSG:4326). Pour des lignes ou des polygones, un point sur la surface "
        "est pris.",
        (
            "missing-label",
            "constraint-error/required",
            "constraint-error/minimum",
            "constraint-error/maximum",
            "french-gps-coordinates",
            "type-error",
        ),
    ),
    FixInfo(
        SWAP,
        "Longitude et latitude inversées échangées",
        "Quand le point tombe en France une fois la longitude et la latitude échangées (et pas avant), les deux "
        "valeurs sont échangées.",
        ("reversed-french-gps-coordinates",),
    ),
    FixInfo(
        REPROJECT,
        "Géométries reprojetées en WGS 84 (EPSG:4326)",
        "La nouvelle couche est en WGS 84 (EPSG:4326), le système attendu pour publier des données ouvertes "
        "(GeoJSON, coordonnées en degrés).",
        ("french-gps-coordinates", "crs-unknown"),
    ),
    FixInfo(
        MAKE_VALID,
        "Géométries invalides réparées",
        "Les géométries qui se recoupent ou sont mal fermées sont réparées (comme « Réparer les géométries » de "
        "QGIS), sans perdre de sommet.",
        ("geometry-invalid",),
    ),
    FixInfo(
        IDENTIFIERS,
        "Identifiants construits selon le motif du schéma",
        "Les identifiants vides ou qui ne suivent pas le motif du schéma sont remplacés par un identifiant "
        "construit (ex. 45234-P-001 : code INSEE, lettre du schéma, numéro d'ordre par commune). À cocher "
        "seulement si ces identifiants ne sont pas déjà utilisés ailleurs.",
        ("constraint-error/pattern", "constraint-error/required", "unique-error", "primary-key"),
        safe=False,
    ),
    FixInfo(
        FORMULAS,
        "Valeurs qui ressemblent à des formules neutralisées",
        "Les textes qui commencent par =, +, -, @ (sauf les nombres et numéros de téléphone) sont précédés d'une "
        "apostrophe, pour qu'un tableur qui ouvre le fichier CSV les affiche au lieu de les exécuter. Les données "
        "publiées sont alors modifiées : à cocher seulement si ces valeurs ne sont pas des données voulues.",
        ("legal-formula",),
        safe=False,
    ),
]

_BY_ID: Dict[str, FixInfo] = {fix.id: fix for fix in FIXES}
FIX_IDS: Tuple[str, ...] = tuple(fix.id for fix in FIXES)
SAFE_FIX_IDS: Tuple[str, ...] = tuple(fix.id for fix in FIXES if fix.safe)


def fix_info(fix_id: str) -> FixInfo:
    """The fix ``fix_id``; KeyError with a French message for an unknown id."""
    try:
        return _BY_ID[fix_id]
    except KeyError:
        raise KeyError(f"Correction inconnue « {fix_id} ». Corrections possibles : {', '.join(FIX_IDS)}.") from None


def fixes_for_code(code: str) -> List[str]:
    """Ids of the fixes that may answer a finding code (``constraint-error/enum`` or ``type-error``)."""
    base = code.split("/", 1)[0]
    return [
        fix.id
        for fix in FIXES
        if code in fix.codes or (base != code and base in fix.codes and base != "constraint-error")
    ]


def has_remedy(code: str) -> bool:
    """True when some fix may answer this finding code (the check page offers « Corriger… »)."""
    return bool(fixes_for_code(code))


def parse_fix_ids(text: str) -> List[str]:
    """« dates, numbers » → ["dates", "numbers"]; « all » → every fix; « safe » or "" → the safe ones.

    Raises ValueError (French message) for an unknown id.
    """
    items = [item.strip().lower() for item in str(text or "").replace(";", ",").split(",") if item.strip()]
    if not items or items == ["safe"]:
        return list(SAFE_FIX_IDS)
    if items == ["all"]:
        return list(FIX_IDS)
    unknown = [item for item in items if item not in _BY_ID]
    if unknown:
        raise ValueError(
            f"Correction inconnue : {', '.join(unknown)}. Corrections possibles : {', '.join(FIX_IDS)} "
            "(ou « all », ou « safe »)."
        )
    return [fix_id for fix_id in FIX_IDS if fix_id in items]
