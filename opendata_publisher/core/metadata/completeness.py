"""Completeness check of a :class:`DatasetDescription`, as :class:`Finding` objects (like the schema check).

Pure Python (no QGIS)::

    findings = check_completeness(description, targets=("dcat", "datagouv"))
    blocking = [f for f in findings if f.severity == ERROR]

``targets`` are among :data:`TARGETS`: ``dcat`` (DCAT-AP 3 mandatory + recommended properties, always
checked), ``datagouv``, ``opendatasoft``, ``ckan``, ``iso19139`` (INSPIRE / CNIG), ``scdl-catalogue``.
A property's severity is the strongest one among the chosen targets (error = blocks the publication,
warning = should be fixed, info = nice to have). Each finding has ``field`` = the description field
name (to highlight it in the form), a French ``message`` (what is wrong) and ``hint`` (what to do),
and ``extra["targets"]`` = the targets that want it. Codes are listed in ``core/checks/registry.py``
(family "metadata").
"""

from __future__ import annotations

import re
from typing import Dict, Iterable, List, Optional

from ..checks.custom import check_siren, check_siret
from ..checks.finding import ERROR, INFO, WARNING, Finding, severity_rank
from ..legal.vocabulary import GENERIC_LOCAL_PARTS
from . import vocabulary
from .licences import licence_entry, mentions_openstreetmap
from .model import OPEN_DATA_KEYWORD, DatasetDescription, is_email, is_iso_date

TARGETS = ("dcat", "datagouv", "opendatasoft", "ckan", "iso19139", "scdl-catalogue")
TARGET_LABELS = {
    "dcat": "DCAT-AP",
    "datagouv": "data.gouv.fr",
    "opendatasoft": "Opendatasoft",
    "ckan": "CKAN",
    "iso19139": "ISO 19139 / INSPIRE",
    "scdl-catalogue": "catalogue SCDL",
}

_URL_RE = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)
# personal-looking address: firstname.lastname@ or f.lastname@
_PERSONAL_EMAIL_RE = re.compile(r"^[a-z][a-z\-]*\.[a-z][a-z\-]+@", re.IGNORECASE)


def _severity(rules: Dict[str, str], targets: Iterable[str]) -> Optional[str]:
    found = [rules[t] for t in targets if t in rules]
    if not found:
        return None
    return min(found, key=severity_rank)


class _Collector:
    def __init__(self, targets: List[str]):
        self.targets = targets
        self.findings: List[Finding] = []

    def add(self, code: str, rules: Dict[str, str], field: str, message: str, hint: str, value=None) -> None:
        severity = _severity(rules, self.targets)
        if severity is None:
            return
        wanted = [t for t in self.targets if t in rules]
        labels = ", ".join(TARGET_LABELS[t] for t in wanted)
        self.findings.append(
            Finding(
                code=code,
                severity=severity,
                message=message,
                hint=hint + (f" (demandé par : {labels})" if labels else ""),
                field=field,
                value=value,
                extra={"targets": wanted},
            )
        )


ALL = dict.fromkeys(TARGETS, ERROR)


def check_completeness(description: DatasetDescription, targets: Iterable[str] = ("dcat",)) -> List[Finding]:
    """Findings about missing or wrong metadata for the chosen targets (``dcat`` is always included)."""
    chosen = ["dcat"] + [t for t in targets if t in TARGETS and t != "dcat"]
    unknown = [t for t in targets if t not in TARGETS]
    if unknown:
        raise ValueError(f"Cibles inconnues : {', '.join(unknown)} (attendu : {', '.join(TARGETS)})")
    d = description
    c = _Collector(chosen)

    # -- title, description ------------------------------------------------------------------------------
    if not d.title.strip():
        c.add(
            "metadata-missing-title",
            ALL,
            "title",
            "Le jeu de données n'a pas de titre.",
            "Donnez un titre court et parlant : ce que c'est, où, et l'année si utile",
        )
    elif len(d.title) > 350:
        c.add(
            "metadata-too-long",
            {"datagouv": ERROR, "dcat": WARNING},
            "title",
            f"Le titre compte {len(d.title)} caractères ; data.gouv.fr en accepte 350 au plus.",
            "Raccourcissez le titre et mettez les détails dans la description",
        )
    if not d.description.strip():
        c.add(
            "metadata-missing-description",
            ALL,
            "description",
            "Le jeu de données n'a pas de description.",
            "Expliquez en quelques phrases ce que contient la donnée, à quoi elle sert et comment elle est faite",
        )
    elif len(d.description.strip()) < 80:
        c.add(
            "metadata-short-description",
            {"dcat": WARNING, "datagouv": WARNING},
            "description",
            "La description est très courte : les réutilisateurs ne sauront pas ce que contient la donnée.",
            "Ajoutez ce que contient la donnée, son origine, sa mise à jour et ses limites",
        )

    # -- licence ---------------------------------------------------------------------------------------
    _check_licence(d, c)

    # -- keywords, themes --------------------------------------------------------------------------------
    free = [k for k in d.keywords if k.strip() and k.strip().lower() != OPEN_DATA_KEYWORD]
    if not any(k.strip().lower() == OPEN_DATA_KEYWORD for k in d.keywords):
        c.add(
            "metadata-missing-keywords",
            {"dcat": WARNING, "iso19139": WARNING},
            "keywords",
            "Le mot-clé « données ouvertes » manque.",
            "Ajoutez-le : le guide CNIG le demande pour toute donnée sous licence ouverte",
        )
    if not free:
        c.add(
            "metadata-missing-keywords",
            {"dcat": WARNING, "datagouv": WARNING, "opendatasoft": WARNING, "scdl-catalogue": ERROR},
            "keywords",
            "Aucun mot-clé ne décrit le contenu de la donnée.",
            "Ajoutez quelques mots-clés (en minuscules, au pluriel), par exemple « stationnements », « vélos »",
        )
    short = [k for k in d.keywords if 0 < len(k.strip()) < 3]
    if short:
        c.add(
            "metadata-keyword-too-short",
            {"datagouv": WARNING},
            "keywords",
            f"data.gouv.fr refuse les mots-clés de moins de 3 caractères : {', '.join(short)}.",
            "Écrivez-les en entier ou retirez-les",
            value=short,
        )
    if not d.eu_themes and not d.inspire_themes:
        c.add(
            "metadata-missing-theme",
            {"dcat": WARNING, "datagouv": WARNING, "scdl-catalogue": ERROR},
            "eu_themes",
            "Aucun thème n'est choisi.",
            "Choisissez au moins un thème européen (ex. « Transports »)",
        )
    _check_codes(d, c)
    if not d.iso_categories:
        c.add(
            "metadata-missing-iso-category",
            {"iso19139": ERROR},
            "iso_categories",
            "Aucune catégorie ISO n'est choisie.",
            "Choisissez la catégorie thématique ISO 19115 la plus proche (ex. « Transport »)",
        )

    # -- organisations, contact -------------------------------------------------------------------------
    if not d.publisher.name.strip():
        c.add(
            "metadata-missing-publisher",
            {"dcat": WARNING, "opendatasoft": WARNING, "scdl-catalogue": ERROR},
            "publisher",
            "Le diffuseur (l'organisme qui publie) n'est pas indiqué.",
            "Renseignez le profil de l'organisation dans les options de l'extension, ou saisissez-le ici",
        )
    if not d.producer.name.strip():
        c.add(
            "metadata-missing-producer",
            {"dcat": INFO, "iso19139": ERROR, "scdl-catalogue": ERROR},
            "producer",
            "Le producteur de la donnée n'est pas indiqué.",
            "Indiquez l'organisme qui produit la donnée (repris du profil de l'organisation)",
        )
    for role, org in (("producer", d.producer), ("publisher", d.publisher)):
        if org.siren:
            problem = check_siren(org.siren)
            if problem:
                c.add("metadata-invalid-siren", ALL, role, problem.message, problem.hint.rstrip("."), value=org.siren)
        if org.siret:
            problem = check_siret(org.siret)
            if problem:
                c.add("metadata-invalid-siret", ALL, role, problem.message, problem.hint.rstrip("."), value=org.siret)
            elif org.siren and not org.siret.startswith(org.siren):
                c.add(
                    "metadata-invalid-siret",
                    ALL,
                    role,
                    f"Le SIRET {org.siret} n'appartient pas au SIREN {org.siren}.",
                    "Le SIRET commence par les 9 chiffres du SIREN : vérifiez les deux",
                    value=org.siret,
                )
        elif org.name:  # the catalogue row needs the producer's SIRET and the publisher's (COLL_SIRET)
            c.add(
                "metadata-missing-siret",
                {"scdl-catalogue": ERROR},
                role,
                f"Le SIRET de « {org.name} » manque ; le catalogue SCDL le demande.",
                "Ajoutez le SIRET (14 chiffres) dans le profil de l'organisation, ou ici",
            )
    if d.contact.is_empty():
        c.add(
            "metadata-missing-contact",
            {"dcat": WARNING, "datagouv": WARNING, "opendatasoft": WARNING, "iso19139": ERROR},
            "contact",
            "Aucun point de contact n'est indiqué.",
            "Indiquez le service à contacter et une adresse e-mail générique (ex. sig@orleans-metropole.fr)",
        )
    elif not d.contact.email.strip():
        c.add(
            "metadata-missing-contact-email",
            {"dcat": WARNING, "datagouv": ERROR, "iso19139": ERROR},
            "contact",
            "Le point de contact n'a pas d'adresse e-mail.",
            "Ajoutez une adresse e-mail générique de service",
        )
    elif not is_email(d.contact.email):
        c.add(
            "metadata-invalid-email",
            ALL,
            "contact",
            f"« {d.contact.email} » n'est pas une adresse e-mail.",
            "Écrivez une adresse de la forme service@organisme.fr",
            value=d.contact.email,
        )
    elif is_personal_email(d.contact.email):
        c.add(
            "metadata-generic-contact",
            {"dcat": WARNING},
            "contact",
            f"L'adresse « {d.contact.email} » semble personnelle ; elle deviendra fausse au départ de l'agent.",
            "Préférez une adresse générique de service (sig@…, opendata@…)",
            value=d.contact.email,
        )

    # -- frequency, coverage, dates ---------------------------------------------------------------------
    if not d.frequency:
        c.add(
            "metadata-missing-frequency",
            {"dcat": WARNING, "datagouv": WARNING, "iso19139": WARNING, "scdl-catalogue": ERROR},
            "frequency",
            "La fréquence de mise à jour n'est pas indiquée.",
            "Choisissez-la ; si vous ne savez pas, « irrégulière » vaut mieux que rien",
        )
    if not d.spatial_coverage and not d.bbox:
        c.add(
            "metadata-missing-spatial",
            {"dcat": WARNING, "datagouv": WARNING, "iso19139": ERROR, "scdl-catalogue": ERROR},
            "spatial_coverage",
            "La couverture géographique n'est pas indiquée.",
            "Choisissez les communes ou l'EPCI couverts (par défaut : le territoire du profil)",
        )
    elif not d.spatial_coverage:
        c.add(
            "metadata-missing-spatial",
            {"datagouv": WARNING, "scdl-catalogue": ERROR},
            "spatial_coverage",
            "Seule l'emprise est connue : aucune commune ni EPCI n'est indiqué.",
            "Choisissez les communes ou l'EPCI couverts",
        )
    if not d.bbox:
        c.add(
            "metadata-missing-bbox",
            {"iso19139": ERROR},
            "bbox",
            "L'emprise géographique n'est pas connue.",
            "Utilisez « Préremplir depuis la couche » pour la calculer",
        )
    for name in ("temporal_start", "temporal_end", "created", "issued", "modified"):
        value = getattr(d, name)
        if value and not is_iso_date(value):
            c.add(
                "metadata-invalid-date",
                ALL,
                name,
                f"La date « {value} » n'est pas lisible.",
                "Écrivez-la sous la forme AAAA-MM-JJ (ex. 2025-03-31)",
                value=value,
            )
    if is_iso_date(d.temporal_start) and is_iso_date(d.temporal_end) and d.temporal_start > d.temporal_end:
        c.add(
            "metadata-invalid-date",
            ALL,
            "temporal_end",
            f"La période couverte finit ({d.temporal_end}) avant de commencer ({d.temporal_start}).",
            "Échangez les deux dates ou corrigez-les",
        )
    if not d.temporal_start:
        c.add(
            "metadata-missing-temporal",
            {"dcat": WARNING, "datagouv": WARNING, "scdl-catalogue": ERROR},
            "temporal_start",
            "La période couverte par la donnée n'est pas indiquée.",
            "Indiquez au moins la date de début (ex. le 1er janvier de l'année décrite)",
        )
    elif not d.temporal_end:
        c.add(
            "metadata-missing-temporal",
            {"scdl-catalogue": ERROR},
            "temporal_end",
            "La fin de la période couverte n'est pas indiquée.",
            "Indiquez la date de fin (pour une donnée tenue à jour, la date de la dernière mise à jour)",
        )
    if not d.modified:
        c.add(
            "metadata-missing-date",
            {"dcat": INFO, "opendatasoft": WARNING, "iso19139": ERROR, "scdl-catalogue": ERROR},
            "modified",
            "La date de dernière mise à jour n'est pas indiquée.",
            "Indiquez-la : la Licence Ouverte demande aux réutilisateurs de la citer",
        )
    if not d.issued:
        c.add(
            "metadata-missing-date",
            {"scdl-catalogue": ERROR},
            "issued",
            "La date de première publication n'est pas indiquée.",
            "Indiquez la date de publication",
        )
    if not d.created:
        c.add(
            "metadata-missing-date",
            {"iso19139": WARNING},
            "created",
            "La date de création n'est pas indiquée.",
            "Indiquez la date de création de la donnée",
        )

    # -- the rest ---------------------------------------------------------------------------------------
    if not d.language:
        c.add(
            "metadata-missing-language",
            {"dcat": INFO, "opendatasoft": WARNING, "iso19139": ERROR},
            "language",
            "La langue n'est pas indiquée.",
            "Choisissez « français »",
        )
    if not d.lineage.strip():
        c.add(
            "metadata-missing-lineage",
            {"dcat": INFO, "iso19139": ERROR},
            "lineage",
            "La généalogie (l'origine de la donnée) n'est pas décrite.",
            "Dites en une ou deux phrases d'où vient la donnée et comment elle a été produite",
        )
    if not d.identifier.strip():
        c.add(
            "metadata-missing-identifier",
            {"dcat": INFO, "iso19139": ERROR, "scdl-catalogue": ERROR},
            "identifier",
            "Le jeu de données n'a pas d'identifiant.",
            "Donnez un identifiant stable (ex. l'adresse de sa page ou un code court sans espace)",
        )
    if not d.landing_page.strip() and not d.download_url.strip():
        c.add(
            "metadata-missing-url",
            {"dcat": INFO, "scdl-catalogue": ERROR},
            "landing_page",
            "Aucune adresse (page ou téléchargement) n'est indiquée.",
            "Elle sera connue après la publication ; pour le catalogue SCDL, indiquez la page du jeu de données",
        )
    for name in ("landing_page", "download_url"):
        value = getattr(d, name).strip()
        if value and not _URL_RE.match(value):
            c.add(
                "metadata-missing-url",
                {"dcat": WARNING, "datagouv": WARNING, "scdl-catalogue": ERROR},
                name,
                f"« {value} » n'est pas une adresse web complète.",
                "Écrivez l'adresse entière, en commençant par https://",
                value=value,
            )
    if not d.file_format.strip():
        c.add(
            "metadata-missing-format",
            {"scdl-catalogue": ERROR},
            "file_format",
            "Le format du fichier publié n'est pas indiqué.",
            "Indiquez-le (CSV, GeoJSON, GPKG…) ; il est repris de la couche quand elle est un fichier",
        )
    if d.schema.is_empty():
        c.add(
            "metadata-missing-schema",
            {"dcat": INFO},
            "schema",
            "Aucun schéma de données n'est indiqué.",
            "Si la couche suit un schéma de schema.data.gouv.fr, vérifiez-la avec ce schéma pour l'indiquer",
        )
    c.findings.sort(key=lambda f: (severity_rank(f.severity), f.code))
    return c.findings


def _check_licence(d: DatasetDescription, c: _Collector) -> None:
    if not d.licence:
        c.add(
            "metadata-missing-licence",
            ALL,
            "licence",
            "Aucune licence n'est choisie.",
            "Choisissez la Licence Ouverte 2.0, recommandée pour les administrations",
        )
        return
    entry = licence_entry(d.licence)
    if entry is None:
        c.add(
            "metadata-unknown-licence",
            ALL,
            "licence",
            f"La licence « {d.licence} » n'est pas reconnue.",
            "Choisissez une licence dans la liste (Licence Ouverte 2.0 recommandée)",
            value=d.licence,
        )
        return
    kind = entry.get("choice")
    if kind == "justify" and not d.licence_justification.strip():
        c.add(
            "metadata-licence-justification",
            ALL,
            "licence_justification",
            "L'ODbL est choisie sans justification.",
            "Indiquez en une phrase pourquoi le partage à l'identique est nécessaire "
            "(ex. « données dérivées d'OpenStreetMap »), ou choisissez la Licence Ouverte 2.0",
        )
    if kind == "homologation":
        if not d.licence_homologation.strip():
            c.add(
                "metadata-licence-homologation",
                ALL,
                "licence_homologation",
                f"La licence « {entry['short_fr']} » n'est pas autorisée pour une administration sans homologation "
                "(CRPA D323-2-1).",
                "Indiquez la référence de l'homologation par l'État (CRPA D323-2-2), sinon choisissez la Licence "
                "Ouverte 2.0",
            )
        else:
            c.add(
                "metadata-licence-homologation",
                dict.fromkeys(TARGETS, WARNING),
                "licence",
                f"La licence « {entry['short_fr']} » est hors de la liste du CRPA (homologation indiquée : "
                f"{d.licence_homologation}).",
                "Vérifiez que l'homologation couvre ces données et est toujours valable",
            )
    if kind in ("obsolete", "out-of-scope"):
        c.add(
            "metadata-licence-discouraged",
            dict.fromkeys(TARGETS, WARNING),
            "licence",
            f"La licence « {entry['short_fr']} » est déconseillée : {entry['explanation_fr']}",
            "Choisissez la Licence Ouverte 2.0, sauf raison particulière",
        )
    if not entry.get("share_alike") and mentions_openstreetmap(d):
        c.add(
            "metadata-licence-odbl-suggested",
            dict.fromkeys(TARGETS, WARNING),
            "licence",
            "La donnée semble dérivée d'OpenStreetMap, qui est sous ODbL.",
            "Une base dérivée d'OpenStreetMap doit être diffusée sous ODbL avec la mention « © les contributeurs "
            "d'OpenStreetMap » : choisissez l'ODbL",
        )
    if entry.get("share_alike") and entry.get("attribution") and not d.attribution.strip():
        c.add(
            "metadata-missing-attribution",
            dict.fromkeys(TARGETS, WARNING),
            "attribution",
            "La mention de la source (attribution) n'est pas indiquée.",
            "Écrivez la phrase que les réutilisateurs doivent citer (ex. « © les contributeurs d'OpenStreetMap »)",
        )


def _check_codes(d: DatasetDescription, c: _Collector) -> None:
    checks = [
        ("eu_themes", d.eu_themes, vocabulary.eu_themes(), "thème européen"),
        ("inspire_themes", d.inspire_themes, vocabulary.inspire_themes(), "thème INSPIRE"),
        ("iso_categories", d.iso_categories, vocabulary.iso_categories(), "catégorie ISO"),
    ]
    if d.frequency:
        checks.append(("frequency", [d.frequency], vocabulary.frequencies(), "fréquence"))
    if d.language:
        checks.append(("language", [d.language], vocabulary.languages(), "langue"))
    for name, values, items, label in checks:
        for value in values:
            if vocabulary.by_code(items, value) is None:
                c.add(
                    "metadata-unknown-code",
                    ALL,
                    name,
                    f"« {value} » n'est pas une {label} connue.",
                    f"Choisissez une {label} dans la liste proposée",
                    value=value,
                )


def is_personal_email(email: str) -> bool:
    """True for addresses that look like prenom.nom@… (not a generic service address)."""
    local = email.strip().split("@")[0].lower()
    if any(local == g or local.startswith(g + ".") or local.startswith(g + "-") for g in GENERIC_LOCAL_PARTS):
        return False
    return bool(_PERSONAL_EMAIL_RE.match(email.strip()))
