"""The dataset description: one dataclass for the « Décrire » form, the exports and the portals.

Pure Python (no QGIS). Dates are ISO strings (``"2024-05-31"``); themes, frequency, language and
licence are codes of the shared vocabulary (:mod:`.vocabulary`). :data:`FIELD_LABELS` and
:data:`FIELD_HELP` give, for each field name, the French label and the help text the form shows.
"""

from __future__ import annotations

import copy
import re
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Dict, List, Optional, Tuple

OPEN_DATA_KEYWORD = "données ouvertes"
DEFAULT_LANGUAGE = "FRA"
DEFAULT_LICENCE = "etalab-2.0"

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class Organisation:
    """An organisation: name and French company identifiers (SIREN 9 digits, SIRET 14 digits)."""

    name: str = ""
    siren: str = ""
    siret: str = ""

    def is_empty(self) -> bool:
        return not (self.name or self.siren or self.siret)


@dataclass
class ContactPoint:
    """Who answers questions about the data: a service name and a generic e-mail address."""

    name: str = ""
    email: str = ""

    def is_empty(self) -> bool:
        return not (self.name or self.email)


@dataclass
class Area:
    """A place of the spatial coverage: ``kind`` is "commune" (INSEE code), "epci" (SIREN),
    "departement", "region" or "other"."""

    kind: str = "commune"
    code: str = ""
    name: str = ""


@dataclass
class SchemaRef:
    """The data schema the layer follows (schema.data.gouv.fr name, version, URL of schema.json)."""

    name: str = ""
    version: str = ""
    url: str = ""

    def is_empty(self) -> bool:
        return not (self.name or self.url)


@dataclass
class Distribution:
    """One published file: ``url`` may be relative to the metadata file (local publication folder)."""

    title: str = ""
    url: str = ""
    file_format: str = ""  # "csv", "geojson", "gpkg", "shp.zip"
    media_type: str = ""  # "text/csv"


@dataclass
class DatasetDescription:
    """Everything we say about one dataset. See :data:`FIELD_HELP` for what each field is for."""

    title: str = ""
    description: str = ""
    keywords: List[str] = field(default_factory=lambda: [OPEN_DATA_KEYWORD])
    eu_themes: List[str] = field(default_factory=list)  # EU data-theme codes ("TRAN")
    inspire_themes: List[str] = field(default_factory=list)  # INSPIRE theme codes ("tn")
    iso_categories: List[str] = field(default_factory=list)  # ISO 19115 topic categories ("transportation")
    producer: Organisation = field(default_factory=Organisation)
    publisher: Organisation = field(default_factory=Organisation)
    contact: ContactPoint = field(default_factory=ContactPoint)
    frequency: str = ""  # EU frequency code ("ANNUAL")
    spatial_coverage: List[Area] = field(default_factory=list)
    bbox: Optional[Tuple[float, float, float, float]] = None  # west, south, east, north (WGS 84)
    temporal_start: str = ""
    temporal_end: str = ""
    created: str = ""
    issued: str = ""
    modified: str = ""
    language: str = DEFAULT_LANGUAGE  # EU language code
    lineage: str = ""
    schema: SchemaRef = field(default_factory=SchemaRef)
    licence: str = ""  # licence id of metadata/licences.json (SPDX id when there is one)
    licence_url: str = ""
    licence_justification: str = ""  # required for ODbL
    licence_homologation: str = ""  # required for licences outside CRPA D323-2-1
    attribution: str = ""
    identifier: str = ""
    landing_page: str = ""
    download_url: str = ""
    file_format: str = ""
    history: List[str] = field(default_factory=list)
    distributions: List[Distribution] = field(default_factory=list)  # set when publishing, not stored in the layer
    crs: str = ""  # "EPSG:2154"
    feature_count: Optional[int] = None

    # -- helpers ---------------------------------------------------------------------------------------

    def copy(self) -> DatasetDescription:
        return copy.deepcopy(self)

    def to_dict(self) -> Dict[str, Any]:
        data = asdict(self)
        data["bbox"] = list(self.bbox) if self.bbox else None
        return data

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> DatasetDescription:
        data = dict(data or {})
        desc = cls()
        for f in fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            if f.name in ("producer", "publisher"):
                value = Organisation(**(value or {}))
            elif f.name == "contact":
                value = ContactPoint(**(value or {}))
            elif f.name == "schema":
                value = SchemaRef(**(value or {}))
            elif f.name == "spatial_coverage":
                value = [Area(**a) for a in value or []]
            elif f.name == "distributions":
                value = [Distribution(**a) for a in value or []]
            elif f.name == "bbox":
                value = tuple(float(v) for v in value) if value else None
            setattr(desc, f.name, value)
        return desc

    def ensure_open_data_keyword(self) -> None:
        """Add « données ouvertes » to the keywords if it is not there (CNIG rule for open data)."""
        if not any(k.strip().lower() == OPEN_DATA_KEYWORD for k in self.keywords):
            self.keywords.append(OPEN_DATA_KEYWORD)


def is_iso_date(text: str) -> bool:
    return bool(text) and bool(_DATE_RE.match(text))


def is_email(text: str) -> bool:
    return bool(text) and bool(_EMAIL_RE.match(text.strip()))


def dedupe(values: List[str]) -> List[str]:
    """Keep order, drop blanks and case-insensitive duplicates."""
    seen = set()
    result = []
    for value in values:
        text = str(value).strip()
        if text and text.lower() not in seen:
            seen.add(text.lower())
            result.append(text)
    return result


@dataclass
class OrganisationProfile:
    """The organisation profile from the plugin settings (what every description starts from)."""

    organisation_name: str = ""
    organisation_siren: str = ""
    organisation_siret: str = ""
    contact_name: str = ""
    contact_email: str = ""
    default_licence: str = DEFAULT_LICENCE
    default_keywords: List[str] = field(default_factory=list)
    territory_code: str = ""  # SIREN of the EPCI or INSEE code of the commune

    @classmethod
    def from_settings(cls, settings: Any) -> OrganisationProfile:
        """Read the ``organisation_*`` / ``contact_*`` / ``default_*`` / ``territory_code`` attributes of a
        ``PluginSettings`` (missing attributes keep the defaults; keywords may be a ";"/","-separated string)."""
        profile = cls()
        for f in fields(cls):
            if not hasattr(settings, f.name):
                continue
            value = getattr(settings, f.name)
            if f.name == "default_keywords":
                if isinstance(value, str):
                    value = [v for v in re.split(r"[;,]", value) if v.strip()]
                value = dedupe(list(value or []))
            else:
                value = str(value or "").strip()
            setattr(profile, f.name, value)
        profile.default_licence = profile.default_licence or DEFAULT_LICENCE
        return profile


FIELD_LABELS: Dict[str, str] = {
    "title": "Titre",
    "description": "Description",
    "keywords": "Mots-clés",
    "eu_themes": "Thèmes (Union européenne)",
    "inspire_themes": "Thèmes INSPIRE",
    "iso_categories": "Catégories ISO",
    "producer": "Producteur",
    "publisher": "Diffuseur",
    "contact": "Point de contact",
    "frequency": "Fréquence de mise à jour",
    "spatial_coverage": "Couverture géographique",
    "bbox": "Emprise (WGS 84)",
    "temporal_start": "Début de la période couverte",
    "temporal_end": "Fin de la période couverte",
    "created": "Date de création",
    "issued": "Date de première publication",
    "modified": "Date de dernière mise à jour",
    "language": "Langue",
    "lineage": "Généalogie (origine des données)",
    "schema": "Schéma de données",
    "licence": "Licence",
    "licence_url": "Adresse de la licence",
    "licence_justification": "Justification du choix de l'ODbL",
    "licence_homologation": "Référence de l'homologation",
    "attribution": "Mention de la source (attribution)",
    "identifier": "Identifiant",
    "landing_page": "Page de présentation",
    "download_url": "Adresse de téléchargement",
    "file_format": "Format du fichier",
    "history": "Historique",
    "distributions": "Fichiers publiés",
    "crs": "Système de coordonnées",
    "feature_count": "Nombre d'entités",
}

FIELD_HELP: Dict[str, str] = {
    "title": "Le nom du jeu de données tel qu'il apparaîtra sur les portails. Court et parlant : ce que c'est, "
    "où, et l'année si utile (ex. « Stationnements vélo d'Orléans Métropole »). Obligatoire.",
    "description": "Expliquez en quelques phrases ce que contient la donnée, à quoi elle sert, comment elle est "
    "produite et ses limites. C'est ce que lisent les réutilisateurs pour décider s'ils s'en servent. Obligatoire.",
    "keywords": "Quelques mots pour retrouver la donnée dans les moteurs de recherche des portails : en minuscules, "
    "au pluriel, avec accents (ex. « stationnements », « vélos »). « données ouvertes » est toujours ajouté.",
    "eu_themes": "Le ou les grands thèmes européens de la donnée : ils servent à la classer sur data.gouv.fr et "
    "data.europa.eu. Choisissez-en au moins un.",
    "inspire_themes": "Seulement si la donnée relève de la directive INSPIRE : le thème INSPIRE (un seul de "
    "préférence). Laissez vide sinon.",
    "iso_categories": "Catégorie thématique ISO 19115, demandée par les catalogues géographiques (géocatalogues, "
    "INSPIRE).",
    "producer": "L'organisme qui produit la donnée, avec son SIREN (9 chiffres) ; le SIRET (14 chiffres) sert au "
    "catalogue SCDL. Repris du profil de l'organisation.",
    "publisher": "L'organisme qui publie la donnée (souvent le même que le producteur, ou la métropole qui publie "
    "pour une commune).",
    "contact": "Le service à contacter pour une question sur la donnée, avec une adresse e-mail générique "
    "(sig@…, opendata@…) plutôt que personnelle : elle reste valable quand les agents changent de poste.",
    "frequency": "Tous les combien la donnée est mise à jour. data.gouv.fr en tient compte dans sa note de qualité : "
    "choisissez « irrégulière » ou « ponctuelle » plutôt que « inconnue » si vous ne savez pas.",
    "spatial_coverage": "Le territoire couvert : les communes (code INSEE) ou l'EPCI (SIREN). Par défaut, le "
    "territoire du profil de l'organisation.",
    "bbox": "Le rectangle qui englobe la couche, en degrés WGS 84. Calculé depuis la couche.",
    "temporal_start": "Première date couverte par la donnée (ex. le 1er janvier de l'année décrite). Laissez vide "
    "pour une donnée de référence sans période.",
    "temporal_end": "Dernière date couverte par la donnée. Laissez vide si la donnée est tenue à jour en continu.",
    "created": "Date à laquelle la donnée a été créée.",
    "issued": "Date de la première publication en données ouvertes.",
    "modified": "Date de la dernière mise à jour du contenu. La Licence Ouverte demande de la citer avec la source.",
    "language": "Langue des textes de la donnée (noms de champs, valeurs).",
    "lineage": "D'où vient la donnée et comment elle a été faite (levés terrain, saisie sur orthophoto, extraction "
    "d'OpenStreetMap…). Si elle dérive d'OpenStreetMap, la licence ODbL s'impose.",
    "schema": "Le schéma de données (schema.data.gouv.fr) que la couche respecte, repris de la vérification.",
    "licence": "Ce que les réutilisateurs ont le droit de faire. La Licence Ouverte 2.0 est recommandée ; "
    "l'ODbL demande une justification ; toute autre licence demande une homologation par l'État.",
    "licence_url": "Adresse du texte de la licence. Remplie automatiquement.",
    "licence_justification": "Une phrase qui dit pourquoi l'ODbL (partage à l'identique) plutôt que la Licence "
    "Ouverte, par exemple « données dérivées d'OpenStreetMap ».",
    "licence_homologation": "Pour une licence hors liste (CRPA D323-2-1) : la référence de l'homologation par l'État "
    "(CRPA D323-2-2). Sans homologation, choisissez la Licence Ouverte 2.0.",
    "attribution": "La phrase que les réutilisateurs doivent citer (ex. « Orléans Métropole — mise à jour du "
    "12/03/2025 »). Obligatoire avec des données OpenStreetMap : « © les contributeurs d'OpenStreetMap ».",
    "identifier": "Un identifiant stable du jeu de données (adresse ou code), qui ne change pas d'une mise à jour "
    "à l'autre.",
    "landing_page": "L'adresse de la page du jeu de données sur le portail, une fois publié.",
    "download_url": "L'adresse où télécharger le fichier publié.",
    "file_format": "Le format du fichier publié (CSV, GeoJSON, GPKG…).",
    "history": "Les étapes de la vie de la donnée (création, corrections, mises à jour importantes), une par ligne.",
    "distributions": "Les fichiers publiés (format, adresse), ajoutés à la publication.",
    "crs": "Le système de coordonnées de la couche (ex. EPSG:2154, Lambert-93). Repris de la couche.",
    "feature_count": "Le nombre d'entités de la couche. Repris de la couche.",
}
