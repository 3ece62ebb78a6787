"""Every finding code the plugin can report, as data.

The dock (help per code), the reports and the Processing algorithms read the
same registry. Titles and help are French: they are shown to agents.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Dict

from .custom import CUSTOM_CHECKS
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
        "blank-row",
        "Ligne vide",
        "Le fichier CSV contient une ligne sans aucune valeur. Supprimez-la dans le fichier.",
        ERROR,
    ),
    CheckInfo(
        "missing-cell",
        "Cellule manquante",
        "Une ligne du fichier CSV a moins de cellules que l'en-tête : un séparateur manque. Une cellule vide "
        "s'écrit avec deux séparateurs qui se suivent.",
        ERROR,
    ),
    CheckInfo(
        "extra-cell",
        "Cellule en trop",
        "Une ligne du fichier CSV a plus de cellules que l'en-tête : souvent un texte contenant le séparateur "
        "(virgule, point-virgule) sans guillemets. Mettez ce texte entre guillemets ou retirez la cellule.",
        ERROR,
    ),
    CheckInfo(
        "csv-encoding",
        "Fichier CSV qui n'est pas en UTF-8",
        "Le fichier n'est pas écrit en UTF-8 (souvent du Windows-1252, l'encodage d'Excel sous Windows). "
        "L'extension l'a détecté et lu dans cet encodage, mais data.gouv.fr et Validata attendent de l'UTF-8 : "
        "enregistrez le fichier en « CSV UTF-8 » (Excel : Enregistrer sous > CSV UTF-8 ; LibreOffice : jeu de "
        "caractères Unicode (UTF-8)) avant de le publier. Si QGIS affiche des accents abîmés, rouvrez la couche "
        "avec l'encodage indiqué.",
        WARNING,
    ),
    CheckInfo(
        "csv-dialect",
        "Espace après chaque séparateur",
        "Le fichier met une espace après chaque séparateur (« id, nom, code ») : ces espaces ne sont pas comptées "
        "dans les valeurs, comme le font frictionless et Validata pour ce type de fichier, que QGIS l'ouvre en "
        "texte délimité ou directement. Les autres espaces (au début d'une cellule après une autre cellule sans "
        "espace, en fin de cellule, espaces insécables, tabulations) font partie de la valeur.",
        INFO,
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
    # custom checks: their entries come with their specs (core/checks/custom.py)
    *(CheckInfo(spec.name, spec.title, spec.help, spec.severity, "custom") for spec in CUSTOM_CHECKS if spec.title),
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
        "(EPSG:4326) et non en Lambert-93, et qu'elles ne sont pas à 0. Nos zones diffèrent un peu de celles de "
        "Validata, là où les siennes sont géographiquement fausses : Saint-Pierre-et-Miquelon, la Polynésie, la "
        "Nouvelle-Calédonie, le nord de Dunkerque (51,10° N), la pointe de Brest (−5,20° E) et le sud de La "
        "Réunion (−20,87°) sont en France pour nous et hors de France pour Validata ; un point en Allemagne "
        "(8,70° E, 47,87° N) est en France pour Validata, pas pour nous.",
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
        "geometry-mixed",
        "Types de géométrie mélangés",
        "La couche mélange points, lignes et/ou polygones : un seul type peut être publié par couche (GeoPackage, "
        "Shapefile) et QGIS n'en montre qu'un. Séparez les entités par type de géométrie.",
        WARNING,
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
        "Règle du schéma non appliquée",
        "Le schéma lui-même a une imperfection : une de ses règles n'a pas pu être appliquée, la couche n'a donc "
        "pas été vérifiée sur ce point. Rien à corriger dans la couche ; signalez-le aux auteurs du schéma.",
        WARNING,
        "layer",
    ),
    # shared profile of the territory (rules of the common open data language; core/shared_profile.py)
    CheckInfo(
        "profile-missing-field",
        "Information exigée par le profil partagé",
        "Le profil partagé de la métropole rend cette information obligatoire pour tous les jeux de données.",
        ERROR,
        "metadata",
    ),
    CheckInfo(
        "profile-title-convention",
        "Titre hors convention de nommage",
        "Le profil partagé fixe la forme des titres (par exemple « Objet — Commune ») pour que le portail reste "
        "homogène.",
        ERROR,
        "metadata",
    ),
    CheckInfo(
        "profile-identifier-convention",
        "Identifiant hors convention",
        "Le profil partagé fixe la forme des identifiants des jeux de données (par exemple « SIREN-schéma »).",
        ERROR,
        "metadata",
    ),
    CheckInfo(
        "profile-licence-not-allowed",
        "Licence non retenue par le profil",
        "Le profil partagé n'autorise pas cette licence sur le portail du territoire.",
        ERROR,
        "metadata",
    ),
    CheckInfo(
        "profile-unavailable",
        "Profil partagé illisible",
        "Le profil partagé de la métropole n'a pas pu être lu : ses règles communes ne sont pas vérifiées.",
        WARNING,
        "metadata",
    ),
    CheckInfo(
        "profile-member-missing",
        "Membre du territoire non choisi",
        "Indiquez une fois pour quelle commune (ou pour la métropole) vous publiez : l'organisation, le contact "
        "et les conventions en découlent.",
        WARNING,
        "metadata",
    ),
    CheckInfo(
        "profile-schema-version",
        "Version de schéma différente de celle retenue",
        "Le profil partagé retient une autre version de ce schéma pour tout le territoire.",
        WARNING,
        "metadata",
    ),
    CheckInfo(
        "profile-schema-not-recommended",
        "Schéma hors de la liste du territoire",
        "Ce schéma ne fait pas partie des schémas retenus par le profil partagé (information).",
        INFO,
        "metadata",
    ),
    # metadata (completeness of the dataset description; opendata_publisher.core.metadata)
    CheckInfo(
        "metadata-missing-title",
        "Titre manquant",
        "Le jeu de données doit avoir un titre (obligatoire pour DCAT-AP et pour tous les portails).",
        ERROR,
        "metadata",
    ),
    CheckInfo(
        "metadata-too-long",
        "Texte trop long",
        "Un portail limite la longueur de ce texte : raccourcissez-le.",
        WARNING,
        "metadata",
    ),
    CheckInfo(
        "metadata-missing-description",
        "Description manquante",
        "Le jeu de données doit avoir une description (obligatoire pour DCAT-AP et pour tous les portails).",
        ERROR,
        "metadata",
    ),
    CheckInfo(
        "metadata-short-description",
        "Description trop courte",
        "Une description de quelques mots ne suffit pas aux réutilisateurs : dites ce que contient la donnée, "
        "son origine, sa mise à jour et ses limites.",
        WARNING,
        "metadata",
    ),
    CheckInfo(
        "metadata-missing-keywords",
        "Mots-clés manquants",
        "Ajoutez quelques mots-clés décrivant le contenu, et « données ouvertes ».",
        WARNING,
        "metadata",
    ),
    CheckInfo(
        "metadata-keyword-too-short",
        "Mot-clé trop court",
        "data.gouv.fr refuse les mots-clés de moins de 3 caractères.",
        WARNING,
        "metadata",
    ),
    CheckInfo(
        "metadata-missing-theme",
        "Thème manquant",
        "Choisissez au moins un thème européen pour classer la donnée sur les portails.",
        WARNING,
        "metadata",
    ),
    CheckInfo(
        "metadata-missing-iso-category",
        "Catégorie ISO manquante",
        "Les catalogues géographiques (INSPIRE) demandent une catégorie thématique ISO 19115.",
        WARNING,
        "metadata",
    ),
    CheckInfo(
        "metadata-unknown-code",
        "Valeur hors liste",
        "Un thème, une catégorie, une fréquence ou une langue n'est pas dans la liste commune : choisissez une "
        "valeur proposée.",
        ERROR,
        "metadata",
    ),
    CheckInfo(
        "metadata-missing-publisher",
        "Diffuseur manquant",
        "Indiquez l'organisme qui publie la donnée (profil de l'organisation).",
        WARNING,
        "metadata",
    ),
    CheckInfo(
        "metadata-missing-producer",
        "Producteur manquant",
        "Indiquez l'organisme qui produit la donnée (profil de l'organisation).",
        WARNING,
        "metadata",
    ),
    CheckInfo(
        "metadata-invalid-siren",
        "SIREN de l'organisation invalide",
        "Le SIREN compte 9 chiffres avec une clé de contrôle : recopiez-le depuis annuaire-entreprises.data.gouv.fr.",
        ERROR,
        "metadata",
    ),
    CheckInfo(
        "metadata-invalid-siret",
        "SIRET de l'organisation invalide",
        "Le SIRET compte 14 chiffres, commence par le SIREN et a une clé de contrôle : recopiez-le depuis "
        "annuaire-entreprises.data.gouv.fr.",
        ERROR,
        "metadata",
    ),
    CheckInfo(
        "metadata-missing-siret",
        "SIRET manquant",
        "Le catalogue SCDL demande le SIRET (14 chiffres) du producteur : ajoutez-le au profil de l'organisation.",
        WARNING,
        "metadata",
    ),
    CheckInfo(
        "metadata-missing-contact",
        "Point de contact manquant",
        "Indiquez le service à contacter et une adresse e-mail générique.",
        WARNING,
        "metadata",
    ),
    CheckInfo(
        "metadata-missing-contact-email",
        "E-mail du contact manquant",
        "data.gouv.fr et INSPIRE demandent une adresse e-mail pour le point de contact.",
        WARNING,
        "metadata",
    ),
    CheckInfo(
        "metadata-invalid-email",
        "Adresse e-mail invalide",
        "Écrivez une adresse de la forme service@organisme.fr.",
        ERROR,
        "metadata",
    ),
    CheckInfo(
        "metadata-generic-contact",
        "Contact personnel",
        "Une adresse personnelle devient fausse au départ de l'agent : préférez une adresse générique de "
        "service (sig@…, opendata@…).",
        WARNING,
        "metadata",
    ),
    CheckInfo(
        "metadata-missing-frequency",
        "Fréquence de mise à jour manquante",
        "Indiquez tous les combien la donnée est mise à jour ; data.gouv.fr en tient compte dans sa note de qualité.",
        WARNING,
        "metadata",
    ),
    CheckInfo(
        "metadata-missing-spatial",
        "Couverture géographique manquante",
        "Indiquez les communes ou l'EPCI couverts par la donnée.",
        WARNING,
        "metadata",
    ),
    CheckInfo(
        "metadata-missing-bbox",
        "Emprise manquante",
        "L'emprise en WGS 84 se calcule depuis la couche (« Préremplir »).",
        WARNING,
        "metadata",
    ),
    CheckInfo(
        "metadata-invalid-date",
        "Date invalide",
        "Écrivez les dates sous la forme AAAA-MM-JJ, la date de début avant la date de fin.",
        ERROR,
        "metadata",
    ),
    CheckInfo(
        "metadata-missing-temporal",
        "Période couverte manquante",
        "Indiquez la période couverte par la donnée (début, et fin si elle est close).",
        WARNING,
        "metadata",
    ),
    CheckInfo(
        "metadata-missing-date",
        "Date manquante",
        "Indiquez les dates de création, de publication et de dernière mise à jour.",
        WARNING,
        "metadata",
    ),
    CheckInfo(
        "metadata-missing-language",
        "Langue manquante",
        "Indiquez la langue des données (français).",
        INFO,
        "metadata",
    ),
    CheckInfo(
        "metadata-missing-lineage",
        "Généalogie manquante",
        "Dites d'où vient la donnée et comment elle a été produite ; INSPIRE l'exige.",
        INFO,
        "metadata",
    ),
    CheckInfo(
        "metadata-missing-identifier",
        "Identifiant manquant",
        "Donnez au jeu de données un identifiant stable.",
        INFO,
        "metadata",
    ),
    CheckInfo(
        "metadata-missing-format",
        "Format manquant",
        "Le format du fichier publié n'est pas indiqué : il est renseigné à la publication (CSV, GeoJSON…) ; pour "
        "le catalogue SCDL, indiquez-le.",
        INFO,
        "metadata",
    ),
    CheckInfo(
        "metadata-missing-url",
        "Adresse manquante",
        "L'adresse de la page ou du fichier publié est connue après publication.",
        INFO,
        "metadata",
    ),
    CheckInfo(
        "metadata-missing-schema",
        "Schéma non indiqué",
        "Si la couche suit un schéma de schema.data.gouv.fr, vérifiez-la avec ce schéma pour l'indiquer.",
        INFO,
        "metadata",
    ),
    CheckInfo(
        "metadata-missing-licence",
        "Licence manquante",
        "Choisissez une licence : la Licence Ouverte 2.0 est recommandée pour les administrations.",
        ERROR,
        "metadata",
    ),
    CheckInfo(
        "metadata-unknown-licence",
        "Licence non reconnue",
        "La licence saisie n'est pas dans la liste : choisissez-en une dans le sélecteur de licence.",
        ERROR,
        "metadata",
    ),
    CheckInfo(
        "metadata-licence-justification",
        "Justification de l'ODbL manquante",
        "L'ODbL impose le partage à l'identique : le choix doit être justifié en une phrase (ex. données "
        "dérivées d'OpenStreetMap).",
        ERROR,
        "metadata",
    ),
    CheckInfo(
        "metadata-licence-homologation",
        "Licence hors liste du CRPA",
        "Une administration ne peut utiliser qu'une licence de l'article D323-2-1 du CRPA (Licence Ouverte "
        "2.0, ODbL), sauf homologation par l'État (D323-2-2) dont la référence doit être indiquée.",
        ERROR,
        "metadata",
    ),
    CheckInfo(
        "metadata-licence-discouraged",
        "Licence déconseillée",
        "Cette licence est ancienne ou réservée à des cas particuliers : préférez la Licence Ouverte 2.0.",
        WARNING,
        "metadata",
    ),
    CheckInfo(
        "metadata-licence-odbl-suggested",
        "ODbL conseillée",
        "La donnée semble dérivée d'OpenStreetMap : une base dérivée d'OpenStreetMap doit être diffusée sous ODbL.",
        WARNING,
        "metadata",
    ),
    CheckInfo(
        "metadata-missing-attribution",
        "Attribution manquante",
        "Écrivez la mention de la source que les réutilisateurs doivent citer.",
        WARNING,
        "metadata",
    ),
    # --- legal pre-publication check (issue 4) — family "legal"; severity = level BLOQUANT (error),
    # À VÉRIFIER (warning), INFO (info): the default here, each finding carries its own level.
    CheckInfo(
        "legal-person-name",
        "Noms de personnes",
        "La couche contient des noms ou prénoms de personnes physiques. Sauf catégorie de l'article D312-1-3 "
        "(élus, associations, urbanisme…), ils ne se publient qu'après anonymisation : retirez la colonne ou "
        "remplacez-la par un identifiant pseudonyme.",
        ERROR,
        "legal",
    ),
    CheckInfo(
        "legal-email",
        "Adresses électroniques",
        "Une adresse électronique nominative est une donnée personnelle, même professionnelle. Publiez plutôt une "
        "adresse de service (contact@, accueil@, mairie@…), qui ne pose pas de problème.",
        WARNING,
        "legal",
    ),
    CheckInfo(
        "legal-phone",
        "Numéros de téléphone",
        "Un numéro de portable ou une ligne directe désigne une personne. Publiez le numéro du standard ou du "
        "service ; les numéros fixes d'accueil peuvent être publiés.",
        WARNING,
        "legal",
    ),
    CheckInfo(
        "legal-nir",
        "Numéro de sécurité sociale (NIR)",
        "Le NIR ne peut jamais être publié (décret n° 2019-341). Supprimez la colonne de la couche publiée.",
        ERROR,
        "legal",
    ),
    CheckInfo(
        "legal-iban",
        "Coordonnées bancaires (IBAN)",
        "Des coordonnées bancaires ne se publient pas. Supprimez la colonne de la couche publiée.",
        ERROR,
        "legal",
    ),
    CheckInfo(
        "legal-birth-date",
        "Dates de naissance ou âges",
        "Une date de naissance permet de reconnaître une personne. Retirez-la ou généralisez-la (année, tranches "
        "d'âge).",
        WARNING,
        "legal",
    ),
    CheckInfo(
        "legal-dwelling-points",
        "Points au logement liés à des personnes",
        "Des points à l'adresse avec des attributs personnels désignent des domiciles. Retirez les attributs "
        "personnels ou agrégez les points (IRIS, commune, carreau).",
        WARNING,
        "legal",
    ),
    CheckInfo(
        "legal-cadastre-owner",
        "Propriétaires de parcelles",
        "Les propriétaires personnes physiques des fichiers fonciers (MAJIC) ne se publient pas avec les parcelles. "
        "Supprimez les champs propriétaires ; les propriétaires personnes morales peuvent être publiés.",
        ERROR,
        "legal",
    ),
    CheckInfo(
        "legal-small-counts",
        "Petits effectifs à une maille fine",
        "Un effectif de 1 à 4 personnes à l'adresse, à l'IRIS ou par prénom permet de reconnaître quelqu'un. "
        "Regroupez à une maille plus large ou masquez les petites valeurs (« < 5 »).",
        WARNING,
        "legal",
    ),
    CheckInfo(
        "legal-free-text",
        "Texte libre",
        "Un champ de texte libre (observations, commentaires) peut citer des personnes ou leur situation. Relisez-le "
        "ou retirez-le avant de publier.",
        WARNING,
        "legal",
    ),
    CheckInfo(
        "legal-special-category",
        "Données sensibles (santé, convictions, infractions)",
        "Santé, religion, origine, vie sexuelle, appartenance syndicale, infractions : ces données sur des personnes "
        "identifiables ne se publient pas (RGPD art. 9 et 10). Agrégez ou ne publiez pas.",
        WARNING,
        "legal",
    ),
    CheckInfo(
        "legal-security-sensitive",
        "Équipements sensibles",
        "Réseaux de gaz, vannes, postes sources, caméras de vidéoprotection… Leur localisation précise peut relever "
        "du secret de la sécurité publique (CRPA L311-5). Vérifiez avec le service concerné.",
        WARNING,
        "legal",
    ),
    CheckInfo(
        "legal-third-party-source",
        "Données de tiers",
        "La couche semble issue de données d'un tiers (OpenStreetMap, IGN, Google…). Vérifiez vos droits de "
        "republication et citez la source ; les données dérivées d'OpenStreetMap se publient sous ODbL.",
        WARNING,
        "legal",
    ),
    CheckInfo(
        "legal-licence",
        "Licence",
        "Une administration publie sous Licence Ouverte 2.0 ou ODbL (D323-2-1) ; une autre licence doit être "
        "homologuée. Les données dérivées d'OpenStreetMap doivent être sous ODbL.",
        WARNING,
        "legal",
    ),
    CheckInfo(
        "legal-closed-format",
        "Format fermé",
        "La source est dans un format fermé (tableur, PDF…). Publiez dans un format ouvert : CSV, GeoJSON, GeoPackage.",
        INFO,
        "legal",
    ),
    CheckInfo(
        "legal-formula",
        "Valeurs qui ressemblent à des formules",
        "Des textes commencent par =, +, -, @ : un tableur qui ouvre le CSV publié pourrait les exécuter "
        "(injection de formule). Vérifiez-les ; la mise en conformité peut les neutraliser (apostrophe devant) "
        "si vous le demandez.",
        WARNING,
        "legal",
    ),
    # --- end of the legal check block
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


class UnknownCode(KeyError):
    """A finding code that is not in the registry: a typo in the code that emits it (a bug)."""


def describe(code: str) -> CheckInfo:
    """Title, help and default severity of a finding code.

    ``constraint-error/enum`` style codes get the constraint's own title. A code the registry does not know
    (or an unknown constraint) raises :class:`UnknownCode`: every code the plugin emits is registered
    (tests/unit/test_finding_codes.py), so this only happens for a typo or a report written by another tool
    (see :func:`describe_any`).
    """
    base, _, constraint = code.partition("/")
    info = _BY_CODE.get(base)
    if info is None:
        raise UnknownCode(code)
    if constraint:
        if base != "constraint-error" or constraint not in CONSTRAINT_TITLES:
            raise UnknownCode(code)
        return CheckInfo(code, CONSTRAINT_TITLES[constraint], info.help, info.severity, info.family)
    return info


class UnknownCodeWarning(UserWarning):
    """A finding code shown without its registry entry (:func:`describe_any`): harmless for a report written by
    another version, a bug when the plugin emitted it. The test configuration (pyproject.toml) makes it an
    error, so a test that shows an unregistered code fails."""


def describe_any(code: str) -> CheckInfo:
    """:func:`describe`, or a generic entry for a code the registry does not know (e.g. a report read from a
    file written by another version), with an :class:`UnknownCodeWarning`."""
    try:
        return describe(code)
    except UnknownCode:
        warn_unknown(code)
        return CheckInfo(code, code, "Contrôle sans aide détaillée.", WARNING, "other")


def warn_unknown(code: str) -> None:
    """Say that ``code`` is shown without its registry entry (see :class:`UnknownCodeWarning`)."""
    warnings.warn(f"finding code « {code} » is not in the registry", UnknownCodeWarning, stacklevel=3)


def all_checks() -> Dict[str, CheckInfo]:
    return dict(_BY_CODE)
