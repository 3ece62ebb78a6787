"""The pre-publication checklist, following the CNIL–CADA decision path.

document achevé ? → secret légal (L311-5 / L311-6) ? → données personnelles ? →
catégorie publiable sans anonymisation (D312-1-3) ? → anonymisable sans effort
disproportionné ? → conclusion.

The answers, the date and the user are recorded in the layer's metadata
history as a readable French line with a machine-readable prefix::

    [opendata_publisher:legal-checklist] 2026-11-27T10:00 — Jean Dupont — document achevé : oui ; …

and as JSON in the layer custom property :data:`LEGAL_CHECKLIST_PROPERTY` to reload
the answers into the dock. :func:`save_checklist` / :func:`load_checklist` need
a QGIS layer; everything else is pure Python.
"""

from __future__ import annotations

import datetime
import getpass
import json
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from ..layer_properties import LEGAL_CHECKLIST_PROPERTY

CHECKLIST_PREFIX = "[opendata_publisher:legal-checklist]"

YES, NO, UNKNOWN = "oui", "non", "ne sais pas"


@dataclass(frozen=True)
class Question:
    key: str
    label: str  # short label used in the history line
    text: str  # the question, French
    help: str  # what it means, French
    basis: str


QUESTIONS: List[Question] = [
    Question(
        "achieved",
        "document achevé",
        "Les données sont-elles dans leur version définitive (document achevé) ?",
        "Un brouillon, une version de travail ou des données d'une décision en préparation ne sont pas à publier. "
        "Répondez « oui » si la couche est la version validée et à jour.",
        "CRPA L311-2 ; guide Etalab « obligation d'ouverture »",
    ),
    Question(
        "legal_secret",
        "secret légal",
        "Les données relèvent-elles d'un secret protégé par la loi ?",
        "Sécurité publique ou des personnes, sécurité des systèmes d'information, défense (L311-5) ; vie privée, "
        "secret médical, secret des affaires, appréciation ou jugement sur une personne (L311-6).",
        "CRPA L311-5 ; L311-6",
    ),
    Question(
        "personal_data",
        "données personnelles",
        "Les données contiennent-elles des informations sur des personnes physiques, même indirectement ?",
        "Noms, adresses de particuliers, courriels ou téléphones nominatifs, dates de naissance, propriétaires de "
        "parcelles, ou des petits effectifs qui permettent de reconnaître quelqu'un. L'analyse automatique en donne "
        "des indices.",
        "CRPA L312-1-2 ; RGPD art. 4",
    ),
    Question(
        "exemption",
        "catégorie D312-1-3",
        "Les données entrent-elles dans une catégorie publiable sans anonymisation (article D312-1-3) ?",
        "Seulement si elles sont communicables à tous et nécessaires à l'information du public, dans l'une des "
        "catégories de la liste. Sinon, choisissez « Aucune ».",
        "CRPA D312-1-3 (décret n° 2018-1117)",
    ),
    Question(
        "anonymisable",
        "anonymisable sans effort disproportionné",
        "Peut-on rendre les personnes non identifiables sans effort disproportionné ni vider les données "
        "de leur sens ?",
        "Retirer une colonne ou des lignes n'est pas un effort disproportionné. Généraliser (âge en tranches, commune "
        "au lieu de l'adresse) ou agréger suffit souvent.",
        "CRPA L312-1-2 ; guide CNIL–CADA",
    ),
]

#: Categories of D312-1-3 (key, French label).
EXEMPTIONS: List[Tuple[str, str]] = [
    ("none", "Aucune"),
    ("organisation", "Organisation et fonctionnement de l'administration (organigrammes, annuaires des services)"),
    ("economie", "Vie économique, associative et culturelle (répertoires des entreprises, des associations)"),
    ("sport", "Vie sportive"),
    ("politique", "Vie politique (répertoire des élus)"),
    ("tourisme", "Tourisme (gîtes, chambres d'hôtes, hébergements classés)"),
    ("professions", "Professions réglementées"),
    ("examens", "Résultats d'examens et de concours"),
    ("urbanisme", "Activités soumises à formalités : urbanisme, occupation du domaine public"),
]
EXEMPTION_LABELS = dict(EXEMPTIONS)


def current_user() -> str:
    """The QGIS user's full name, else the system login."""
    try:
        from qgis.core import QgsApplication

        name = QgsApplication.userFullName()
        if name:
            return str(name)
    except Exception:  # noqa: BLE001 - no QGIS (unit tests) or no application
        pass
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001
        return "utilisateur inconnu"


def now_iso() -> str:
    return datetime.datetime.now().strftime("%Y-%m-%dT%H:%M")


@dataclass
class Checklist:
    """Answers to :data:`QUESTIONS` (``oui`` / ``non`` / ``ne sais pas``; exemption: a key of :data:`EXEMPTIONS`)."""

    answers: Dict[str, str] = field(default_factory=dict)
    user: str = ""
    date: str = ""
    note: str = ""

    def answer(self, key: str) -> str:
        return self.answers.get(key, "")

    def outcome(self) -> Tuple[str, str]:
        """``(code, French sentence)``: publish / publish-anonymised / publish-exempt / do-not-publish / incomplete."""
        a = self.answer
        if a("achieved") == NO:
            return "not-required", (
                "Document inachevé : vous n'êtes pas tenu de le publier. Attendez la version définitive."
            )
        if a("legal_secret") == YES:
            return "do-not-publish", (
                "Secret légal : ne publiez pas, ou seulement après avoir occulté les mentions protégées."
            )
        if a("achieved") != YES or a("legal_secret") != NO or a("personal_data") not in (YES, NO):
            return "incomplete", "Répondez aux premières questions pour connaître la conclusion."
        if a("personal_data") == NO:
            return "publish", "Vous devez publier ces données : aucune donnée personnelle, aucun secret."
        exemption = a("exemption")
        if exemption and exemption != "none":
            label = EXEMPTION_LABELS.get(exemption, exemption)
            return "publish-exempt", f"Publiable sans anonymisation (article D312-1-3 : {label})."
        if a("anonymisable") == YES:
            return "publish-anonymised", (
                "Vous devez publier après anonymisation : retirez ou généralisez les données personnelles signalées "
                "par l'analyse, puis relancez-la."
            )
        if a("anonymisable") == NO:
            return "not-required", (
                "Vous n'êtes pas tenu de publier : l'anonymisation demanderait un effort disproportionné ou viderait "
                "les données de leur sens. Ne publiez pas les données personnelles."
            )
        return "incomplete", "Dites si les données peuvent être anonymisées pour connaître la conclusion."

    def history_line(self) -> str:
        parts = []
        for question in QUESTIONS:
            value = self.answer(question.key) or "sans réponse"
            if question.key == "exemption":
                value = EXEMPTION_LABELS.get(value, value)
            parts.append(f"{question.label} : {value}")
        parts.append(f"conclusion : {self.outcome()[1]}")
        if self.note:
            parts.append(f"note : {self.note}")
        return f"{CHECKLIST_PREFIX} {self.date} — {self.user} — " + " ; ".join(parts)

    def to_json(self) -> str:
        return json.dumps(
            {"answers": self.answers, "user": self.user, "date": self.date, "note": self.note}, ensure_ascii=False
        )

    @classmethod
    def from_json(cls, text: str) -> Optional[Checklist]:
        try:
            data = json.loads(text)
        except (TypeError, ValueError):
            return None
        if not isinstance(data, dict):
            return None
        answers = data.get("answers") if isinstance(data.get("answers"), dict) else {}
        return cls(
            answers={str(k): str(v) for k, v in answers.items()},
            user=str(data.get("user", "")),
            date=str(data.get("date", "")),
            note=str(data.get("note", "")),
        )


def save_checklist(layer, checklist: Checklist, user: Optional[str] = None, when: Optional[str] = None) -> str:
    """Record the answers in the layer: metadata history line + custom property. Returns the history line."""
    checklist.user = user or checklist.user or current_user()
    checklist.date = when or now_iso()
    line = checklist.history_line()
    metadata = layer.metadata()
    metadata.addHistoryItem(line)
    layer.setMetadata(metadata)
    layer.setCustomProperty(LEGAL_CHECKLIST_PROPERTY, checklist.to_json())
    return line


def load_checklist(layer) -> Optional[Checklist]:
    """The last answers saved on the layer, or None."""
    raw = layer.customProperty(LEGAL_CHECKLIST_PROPERTY, "")
    return Checklist.from_json(str(raw)) if raw else None
