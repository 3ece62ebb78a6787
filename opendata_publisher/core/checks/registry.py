"""Every finding code the plugin can report, as data.

The dock (help per code), the reports and the Processing algorithms read the
same registry. Titles and help are French: they are shown to agents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict

from .finding import ERROR, INFO, WARNING


@dataclass(frozen=True)
class CheckInfo:
    code: str
    title: str
    help: str
    severity: str
    family: str = "schema"


_CHECKS = [
    # structure (fields)
    CheckInfo(
        "missing-label",
        "Champ manquant",
        "Un champ du schéma n'existe pas dans la couche. S'il est obligatoire, la couche n'est pas conforme. "
        "Si le champ existe sous un autre nom (nom tronqué d'un Shapefile, accents, majuscules), indiquez-le dans "
        "« Correspondance des champs » ; sinon ajoutez le champ (Propriétés de la couche > Champs) ou utilisez la "
        "mise en conformité.",
        ERROR,
    ),
    CheckInfo(
        "extra-label",
        "Champ en trop",
        "La couche a un champ que le schéma ne connaît pas. Ce n'est pas bloquant, mais il sera publié tel quel : "
        "retirez-le de l'export s'il est interne, ou faites-le correspondre à un champ du schéma.",
        WARNING,
    ),
    CheckInfo(
        "duplicate-label",
        "Nom de champ en double",
        "Deux colonnes portent le même nom : on ne peut pas savoir laquelle correspond au schéma. "
        "Renommez ou supprimez l'une des deux dans le fichier source.",
        ERROR,
    ),
    CheckInfo(
        "disordered-labels",
        "Champs dans le désordre",
        "Les champs sont tous là mais pas dans l'ordre du schéma. Ce n'est pas bloquant ; l'export vers le portail "
        "les remet dans l'ordre du schéma.",
        WARNING,
    ),
    # cells
    CheckInfo(
        "type-error",
        "Valeur au mauvais format",
        "La valeur ne respecte pas le type du champ (nombre, date, booléen, coordonnées…). Le message dit la forme "
        "attendue ; corrigez la valeur dans la table attributaire ou convertissez le champ.",
        ERROR,
    ),
    CheckInfo(
        "constraint-error",
        "Contrainte non respectée",
        "La valeur a le bon format mais ne respecte pas une règle du schéma : valeur obligatoire, liste de valeurs "
        "autorisées, motif, longueur ou bornes. Le message dit laquelle et ce qui est attendu.",
        ERROR,
    ),
    CheckInfo(
        "unique-error",
        "Valeur en double",
        "Ce champ doit avoir une valeur différente pour chaque entité. Les entités signalées reprennent une valeur "
        "déjà vue : donnez-leur un identifiant propre.",
        ERROR,
    ),
    CheckInfo(
        "primary-key",
        "Clé primaire en double",
        "La combinaison des champs de la clé primaire doit être unique. Les entités signalées reprennent une "
        "combinaison déjà vue.",
        ERROR,
    ),
    # custom checks
    CheckInfo(
        "siret",
        "SIRET invalide",
        "Un SIRET compte 14 chiffres et sa clé de contrôle doit être juste. Recopiez-le depuis "
        "annuaire-entreprises.data.gouv.fr.",
        ERROR,
        "custom",
    ),
    CheckInfo(
        "siren",
        "SIREN invalide",
        "Un SIREN compte 9 chiffres et sa clé de contrôle doit être juste. Recopiez-le depuis "
        "annuaire-entreprises.data.gouv.fr.",
        ERROR,
        "custom",
    ),
    CheckInfo(
        "code-postal",
        "Code postal invalide",
        "Un code postal français compte 5 chiffres : de 01000 à 95999 en métropole, 97xxx ou 98xxx en outre-mer. "
        "Gardez le zéro initial : le champ doit être de type texte.",
        ERROR,
        "custom",
    ),
    CheckInfo(
        "code-commune-insee",
        "Code INSEE de commune invalide",
        "Le code officiel géographique d'une commune compte 5 caractères (ex. 45234, 2A004). Ne le confondez pas "
        "avec le code postal.",
        ERROR,
        "custom",
    ),
    CheckInfo(
        "phone-number-value",
        "Numéro de téléphone invalide",
        "Écrivez un numéro français à 10 chiffres (02 38 79 22 22) ou au format international (+33 2 38 79 22 22).",
        ERROR,
        "custom",
    ),
    CheckInfo(
        "opening-hours-value",
        "Horaires d'ouverture illisibles",
        "Les horaires suivent la syntaxe OpenStreetMap, par exemple « Mo-Fr 08:00-12:00,14:00-18:00; Sa 09:00-12:00 ».",
        ERROR,
        "custom",
    ),
    CheckInfo(
        "cohesive-columns-value",
        "Champs à remplir ensemble",
        "Ces champs vont ensemble : remplissez-les tous ou laissez-les tous vides.",
        ERROR,
        "custom",
    ),
    CheckInfo(
        "compare-columns-value",
        "Comparaison entre champs fausse",
        "Deux champs doivent respecter un ordre (par exemple une date de début avant une date de fin).",
        ERROR,
        "custom",
    ),
    CheckInfo(
        "sum-columns-value",
        "Somme incohérente",
        "Un champ doit valoir la somme d'autres champs.",
        ERROR,
        "custom",
    ),
    CheckInfo(
        "year-interval-value",
        "Intervalle d'années invalide",
        "Écrivez l'intervalle sous la forme 2020/2024, l'année de début avant l'année de fin.",
        ERROR,
        "custom",
    ),
    CheckInfo(
        "one-of-required",
        "Un des deux champs est obligatoire",
        "Au moins un des deux champs doit être rempli pour chaque entité.",
        ERROR,
        "custom",
    ),
    CheckInfo(
        "nomenclature-acte",
        "Nature d'acte hors nomenclature",
        "La valeur doit commencer par une rubrique de la nomenclature des actes (ex. « Commande publique/Marchés "
        "publics »).",
        ERROR,
        "custom",
    ),
    CheckInfo(
        "numero-departement",
        "Numéro de département invalide",
        "Un numéro de département s'écrit sur 2 caractères (01 à 95, 2A, 2B) ou 3 chiffres en outre-mer (971 à 976).",
        ERROR,
        "custom",
    ),
    CheckInfo(
        "deprecated-custom-check",
        "Contrôle sous un ancien nom",
        "Le schéma désigne un contrôle complémentaire par son ancien nom (par exemple french-siret-value au lieu de "
        "siret). Le contrôle a bien été fait ; rien à faire sur la couche.",
        INFO,
        "custom",
    ),
    CheckInfo(
        "check-error",
        "Contrôle complémentaire non exécuté",
        "Le schéma demande un contrôle que le plugin ne connaît pas ou dont les paramètres sont illisibles : il a "
        "été ignoré. Les autres contrôles ont été faits.",
        WARNING,
        "custom",
    ),
    # geo
    CheckInfo(
        "reversed-french-gps-coordinates",
        "Coordonnées inversées",
        "La longitude et la latitude sont échangées : le point tombe en France une fois inversé. Échangez les deux "
        "valeurs (la longitude vaut environ 1,9 à Orléans, la latitude environ 47,9).",
        ERROR,
        "geo",
    ),
    CheckInfo(
        "french-gps-coordinates",
        "Coordonnées hors de France",
        "Le point ne tombe ni en métropole ni en outre-mer. Vérifiez que les coordonnées sont en degrés WGS 84 "
        "(EPSG:4326) et non en Lambert-93, et qu'elles ne sont pas à 0.",
        ERROR,
        "geo",
    ),
    CheckInfo(
        "geometry-missing",
        "Géométrie absente",
        "L'entité n'a pas de géométrie : elle n'apparaîtra pas sur la carte du portail. Numérisez-la ou retirez "
        "l'entité.",
        WARNING,
        "geo",
    ),
    CheckInfo(
        "geometry-invalid",
        "Géométrie invalide",
        "La géométrie se recoupe ou est mal fermée. Utilisez Vecteur > Outils de géométrie > Réparer les "
        "géométries, ou l'outil de vérification de géométrie.",
        ERROR,
        "geo",
    ),
    CheckInfo(
        "geometry-type",
        "Type de géométrie inattendu",
        "Le schéma décrit des points (longitude/latitude) mais la couche n'est pas une couche de points. Utilisez "
        "le centroïde ou un point sur la surface pour publier selon ce schéma.",
        WARNING,
        "geo",
    ),
    CheckInfo(
        "crs-unknown",
        "Système de coordonnées inconnu",
        "La couche n'a pas de système de coordonnées connu : on ne peut pas placer ses entités. Définissez-le dans "
        "Propriétés de la couche > Source.",
        ERROR,
        "geo",
    ),
    # layer and schema
    CheckInfo(
        "empty-layer",
        "Couche vide",
        "La couche (ou la sélection) ne contient aucune entité : il n'y a rien à vérifier ni à publier.",
        WARNING,
        "layer",
    ),
    CheckInfo(
        "schema-warning",
        "Remarque sur le schéma",
        "Le schéma lui-même a une imperfection ; la vérification a été faite au mieux. Rien à faire sur la couche.",
        INFO,
        "layer",
    ),
]

_BY_CODE: Dict[str, CheckInfo] = {info.code: info for info in _CHECKS}

CONSTRAINT_TITLES = {
    "required": "Valeur obligatoire manquante",
    "enum": "Valeur hors de la liste autorisée",
    "pattern": "Valeur qui ne suit pas le motif attendu",
    "minLength": "Texte trop court",
    "maxLength": "Texte trop long",
    "minimum": "Valeur trop petite",
    "maximum": "Valeur trop grande",
    "exclusiveMinimum": "Valeur trop petite",
    "exclusiveMaximum": "Valeur trop grande",
}


def describe(code: str) -> CheckInfo:
    """Title, help and default severity of a finding code.

    ``constraint-error/enum`` style codes get the constraint's own title.
    Unknown codes get a generic entry instead of an exception.
    """
    base, _, constraint = code.partition("/")
    info = _BY_CODE.get(base)
    if info is None:
        return CheckInfo(code, code, "Contrôle sans aide détaillée.", WARNING, "other")
    if constraint and constraint in CONSTRAINT_TITLES:
        return CheckInfo(code, CONSTRAINT_TITLES[constraint], info.help, info.severity, info.family)
    return info


def all_checks() -> Dict[str, CheckInfo]:
    return dict(_BY_CODE)
