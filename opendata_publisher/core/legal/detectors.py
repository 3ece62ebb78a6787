"""The legal detectors: pure functions over a :class:`LegalContext` snapshot.

A :class:`LegalContext` holds, for every field, the *distinct* values of the
whole layer with their number of features (a ``Counter``; for a field with more
distinct values than a cap, those of a regular sample with estimated numbers:
see :class:`FieldProfile`), plus the layer-level texts (name, data source, metadata). It is built by
:func:`opendata_publisher.core.legal.collect.collect` in one pass over the
layer; the detectors below never read the layer, so they run in a background
task and are tested without QGIS.

Each detector returns :class:`~opendata_publisher.core.checks.finding.Finding`
objects with ``level`` (BLOQUANT / À VÉRIFIER / INFO), ``basis`` (legal
reference), ``field``, ``extra`` (``count`` features, ``distinct`` values,
up to three masked ``examples``), a French ``message`` and ``hint``.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from ..checks.finding import ERROR, INFO, WARNING, Finding, severity_rank
from . import patterns as p
from .vocabulary import (
    ACCESS_TOKENS,
    BIRTH_NAME_TOKENS,
    CATEGORY_TOKENS,
    CLOSED_EXTENSIONS,
    COUNT_TOKENS,
    FINE_TOKENS,
    FREE_TEXT_TOKENS,
    IBAN_FIELD_TOKENS,
    MAJIC_PERSON_TOKENS,
    NAME_TOKENS,
    NIR_FIELD_TOKENS,
    OWNER_TOKENS,
    PARCEL_FIELD_TOKENS,
    PEOPLE_TOKENS,
    ROLE_TOKENS,
    SECURITY_TOKENS,
    SOURCE_FIELD_TOKENS,
    SPECIAL_WORDS,
    STRONG_NAME_TOKENS,
    THIRD_PARTIES,
)

BLOQUANT = "BLOQUANT"
A_VERIFIER = "À VÉRIFIER"
LEVEL_INFO = "INFO"
SEVERITY_OF_LEVEL = {BLOQUANT: ERROR, A_VERIFIER: WARNING, LEVEL_INFO: INFO}

BASIS_PERSONAL = "CRPA L312-1-2 ; RGPD art. 4"
BASIS_CONTACT = "CRPA L312-1-2 ; RGPD art. 4 ; recommandation CNIL (contacts génériques)"
BASIS_NIR = "Décret n° 2019-341 ; RGPD art. 87 ; CRPA L312-1-2"
BASIS_BANK = "CRPA L311-6 (vie privée) ; RGPD art. 4"
BASIS_CADASTRE = "CRPA L312-1-2 ; avis CNIL sur les fichiers cadastraux (MAJIC)"
BASIS_REIDENT = "CRPA L312-1-2 ; avis G29 05/2014 sur l'anonymisation (risque de ré-identification)"
BASIS_SPECIAL = "RGPD art. 9 et 10 ; CRPA L311-6"
BASIS_SECURITY = "CRPA L311-5 (sécurité publique, sécurité des personnes et des systèmes d'information)"
BASIS_THIRD_PARTY = "CRPA L321-2 c et L322-5 ; ODbL 1.0 (partage à l'identique)"
BASIS_LICENCE = "CRPA L323-2 ; D323-2-1 ; D323-2-2 (homologation)"
BASIS_FORMULA = "Sécurité des réutilisateurs : injection de formules dans les fichiers CSV (recommandation OWASP)"
BASIS_FORMAT = "CRPA L300-4 et L312-1-1 (format ouvert et réutilisable)"

DROP_OR_PSEUDO = (
    "Retirez la colonne de l'export (ce n'est pas un effort disproportionné), ou remplacez-la par un "
    "identifiant pseudonyme. Si la donnée entre dans une catégorie de l'article D312-1-3 (élus, associations, "
    "autorisations d'urbanisme, occupation du domaine public…), dites-le dans la liste de contrôle."
)


@dataclass
class FieldProfile:
    """The values of one field over the whole layer, in bounded memory.

    *Exact* (``sample_rows == 0``, fields with at most the cap of distinct values): ``values`` maps every
    distinct value to its number of features. *Sampled* (more distinct values than the cap): ``values`` maps
    the values of a regular sample of ``sample_rows`` rows (every n-th feature) to their *estimated* number
    of features, ``distinct_over`` is the cap the field went past, and ``formulas`` holds the formula-like
    values found in every row (a rare value a sample would miss), ``shapes`` the values shaped like an e-mail,
    a phone number, a NIR or an IBAN (:func:`value_shapes`) found in every row with their exact counts, up to
    the cap per shape; a shape with more values than the cap is in ``shapes_over`` (the field is full of them:
    its detector reads the sample). Detectors read ``values`` the same way in both cases;
    :func:`run_detectors` says in French which findings were estimated."""

    name: str
    type_name: str = "string"
    values: Counter = field(default_factory=Counter)
    sample_rows: int = 0
    distinct_over: int = 0
    formulas: Counter = field(default_factory=Counter)
    shapes: Dict[str, Counter] = field(default_factory=dict)
    shapes_over: frozenset = frozenset()

    @property
    def sampled(self) -> bool:
        return self.sample_rows > 0

    @property
    def tokens(self) -> List[str]:
        return p.name_tokens(self.name)

    #: :meth:`strings`, made once (every detector reads it)
    _strings: Optional[List[Tuple[str, int]]] = field(default=None, repr=False, compare=False)

    def strings(self) -> List[Tuple[str, int]]:
        """Non-empty text values with their feature counts (a shared list: do not modify it)."""
        if self._strings is None:
            self._strings = [(v.strip(), n) for v, n in self.values.items() if isinstance(v, str) and v.strip()]
        return self._strings

    def non_empty(self) -> int:
        return sum(1 for v in self.values if v is not None and (not isinstance(v, str) or v.strip()))


@dataclass
class MetadataTexts:
    """The layer metadata the legal check reads (QgsLayerMetadata and the layer's attribution)."""

    title: str = ""
    abstract: str = ""
    history: List[str] = field(default_factory=list)
    rights: List[str] = field(default_factory=list)
    licenses: List[str] = field(default_factory=list)
    constraints: List[str] = field(default_factory=list)
    keywords: List[str] = field(default_factory=list)
    attribution: str = ""

    def sources(self) -> List[Tuple[str, str]]:
        """(French place name, text) pairs where a data source may be named."""
        items = [("titre", self.title), ("résumé", self.abstract), ("attribution", self.attribution)]
        items += [("historique", h) for h in self.history if not h.startswith("[opendata_publisher:")]
        items += [("droits", r) for r in self.rights] + [("licence", lic) for lic in self.licenses]
        items += [("contraintes", c) for c in self.constraints]
        return [(where, text) for where, text in items if text]


@dataclass
class LegalContext:
    """Everything the detectors read; pure data."""

    layer_name: str
    feature_count: int = 0
    fields: List[FieldProfile] = field(default_factory=list)
    geometry: Optional[str] = None  # "point", "line", "polygon" or None (table)
    source: str = ""
    provider: str = ""
    storage_type: str = ""
    metadata: MetadataTexts = field(default_factory=MetadataTexts)
    small_count_threshold: int = 5


def make_finding(
    code: str,
    level: str,
    message: str,
    hint: str,
    basis: str,
    field_name: Optional[str] = None,
    count: Optional[int] = None,
    distinct: Optional[int] = None,
    examples: Iterable[str] = (),
    **extra: Any,
) -> Finding:
    data: Dict[str, Any] = {}
    if count is not None:
        data["count"] = count
    if distinct is not None:
        data["distinct"] = distinct
    shown = list(dict.fromkeys(examples))[:3]
    if shown:
        data["examples"] = shown
    data.update(extra)
    return Finding(
        code=code,
        severity=SEVERITY_OF_LEVEL[level],
        message=message,
        hint=hint,
        field=field_name,
        value=", ".join(shown) if shown else None,
        level=level,
        basis=basis,
        extra=data,
    )


# ------------------------------------------------------------------ value shapes read in every row

#: the detectors of rare values (one NIR among a million rows matters): kind -> finding code
SHAPE_CODES = {"email": "legal-email", "phone": "legal-phone", "nir": "legal-nir", "iban": "legal-iban"}


def value_shapes(value: Any) -> Tuple[str, ...]:
    """The kinds of :data:`SHAPE_CODES` whose detector would count ``value`` (same tests as the detectors),
    for the values that pass :func:`.patterns.screen_classes`."""
    classes = p.screen_classes(value)
    if not classes:
        return ()
    kinds = []
    text = value.strip() if isinstance(value, str) else None
    if "@" in classes and p.EMAIL_RE.search(text):
        kinds.append("email")
    if "digits" in classes:
        if text and p.phone_numbers(text):
            kinds.append("phone")
        scalar = _scalar_text(value)
        if scalar and len(scalar) <= 25 and p.nir_shape(scalar):
            kinds.append("nir")
    if "iban" in classes and len(text) <= 50 and p.iban_ok(text):
        kinds.append("iban")
    return tuple(kinds)


def _shaped(prof: FieldProfile, kind: str) -> Tuple[Counter, bool]:
    """The values the ``kind`` detector reads, and True when they were counted in every row of a sampled
    field (exact counts, not an estimate)."""
    if prof.sampled and kind not in prof.shapes_over:
        return prof.shapes.get(kind, Counter()), True
    return prof.values, False


def _stripped(values: Counter) -> List[Tuple[str, int]]:
    """Like :meth:`FieldProfile.strings`, for the values of one shape."""
    return [(v.strip(), n) for v, n in values.items() if isinstance(v, str) and v.strip()]


def _every_row(exact: bool) -> Dict[str, Any]:
    """The marker :func:`_say_estimated` reads (and removes) on findings counted over every row."""
    return {"every_row": True} if exact else {}


def _plural(n: int, word: str, plural: Optional[str] = None) -> str:
    return f"{n} {word if n <= 1 else (plural or word + 's')}"


def _values_phrase(count: int, distinct: int) -> str:
    return f"{_plural(count, 'entité')}, {_plural(distinct, 'valeur distincte', 'valeurs distinctes')}"


# ------------------------------------------------------------------ person names


def _is_name_field(tokens: List[str]) -> bool:
    if any(t in CATEGORY_TOKENS for t in tokens):
        return False
    return any(t in NAME_TOKENS or t in ROLE_TOKENS for t in tokens)


def _is_strong_name_field(tokens: List[str]) -> bool:
    if any(t in STRONG_NAME_TOKENS for t in tokens):
        return True
    return "nom" in tokens and any(t in BIRTH_NAME_TOKENS for t in tokens)


def _is_first_name_field(tokens: List[str]) -> bool:
    return any(t in ("prenom", "prenoms", "firstname") for t in tokens)


def _place_tails(ctx: LegalContext) -> set:
    """Names carried by the place values (streets, squares…) of the layer's fields."""
    return p.place_name_tails(v for prof in ctx.fields for v, _ in prof.strings() if len(v) <= 120)


def detect_person_names(ctx: LegalContext) -> List[Finding]:
    findings: List[Finding] = []
    surname_fields: List[FieldProfile] = []
    first_names_found = False
    places = None
    for prof in ctx.fields:
        tokens = prof.tokens
        strings = prof.strings()
        distinct = len(strings)
        persons = [(v, n) for v, n in strings if p.looks_like_person(v)]
        if persons:  # « Victor Hugo » beside « Place Victor Hugo » is the place's name
            places = _place_tails(ctx) if places is None else places
            persons = [(v, n) for v, n in persons if " ".join(p.fold(v).split()) not in places]
        ratio = len(persons) / distinct if distinct else 0.0
        named = _is_name_field(tokens)
        strong = _is_strong_name_field(tokens)
        first_field = _is_first_name_field(tokens) and "nom" not in tokens
        firsts = [(v, n) for v, n in strings if p.looks_like_first_name(v)] if first_field else []
        first_ratio = len(firsts) / distinct if distinct else 0.0
        count = sum(n for _, n in persons)
        examples = [p.mask_name(v) for v, _ in persons]
        level = None
        if named and persons and ratio >= 0.5:
            level = BLOQUANT
            message = (
                f"Le champ « {prof.name} » contient des noms de personnes ({_values_phrase(count, len(persons))}"
                f" sur {distinct})."
            )
        elif first_field and firsts and first_ratio >= 0.5:
            level = BLOQUANT
            first_names_found = True
            count = sum(n for _, n in firsts)
            examples = [p.mask_name(v) for v, _ in firsts]
            message = f"Le champ « {prof.name} » contient des prénoms ({_values_phrase(count, len(firsts))})."
        elif (named and persons and (ratio >= 0.1 or len(persons) >= 3)) or (len(persons) >= 2 and ratio >= 0.5):
            level = A_VERIFIER
            message = (
                f"Le champ « {prof.name} » semble contenir des noms de personnes "
                f"({_values_phrase(count, len(persons))} sur {distinct})."
            )
        elif strong:
            level = A_VERIFIER
            count = sum(n for _, n in strings)
            examples = [p.mask_name(v) for v, _ in strings]
            message = f"Le nom du champ « {prof.name} » désigne l'identité d'une personne."
        else:
            if "nom" in tokens and len(tokens) <= 2 and not named_category(tokens):
                surname_fields.append(prof)
            continue
        findings.append(
            make_finding(
                "legal-person-name",
                level,
                message,
                DROP_OR_PSEUDO,
                BASIS_PERSONAL,
                prof.name,
                count,
                len(persons) if level != A_VERIFIER or persons else distinct,
                examples,
            )
        )
    if first_names_found:  # « nom » beside « prenom »: family names, whatever they look like
        for prof in surname_fields:
            strings = prof.strings()
            if not strings or all(p.is_legal_person(v) for v, _ in strings):
                continue
            findings.append(
                make_finding(
                    "legal-person-name",
                    BLOQUANT,
                    f"Le champ « {prof.name} » contient des noms de famille : la couche a aussi un champ de prénoms.",
                    DROP_OR_PSEUDO,
                    BASIS_PERSONAL,
                    prof.name,
                    sum(n for _, n in strings),
                    len(strings),
                    [p.mask_name(v) for v, _ in strings],
                )
            )
    return findings


def named_category(tokens: List[str]) -> bool:
    return any(t in CATEGORY_TOKENS for t in tokens)


# ------------------------------------------------------------------ e-mail and phone


def detect_emails(ctx: LegalContext) -> List[Finding]:
    findings = []
    for prof in ctx.fields:
        personal: Dict[str, int] = {}
        generic: Dict[str, int] = {}
        personal_features = generic_features = 0
        values, exact = _shaped(prof, "email")
        for value, n in prof.strings() if values is prof.values else _stripped(values):
            if "@" not in value:
                continue
            emails = p.EMAIL_RE.findall(value)
            if not emails:
                continue
            mine = [e for e in emails if not p.email_is_generic(e)]
            for email in emails:
                target = personal if email in mine else generic
                target[email] = target.get(email, 0) + n
            if mine:
                personal_features += n
            else:
                generic_features += n
        if personal:
            findings.append(
                make_finding(
                    "legal-email",
                    A_VERIFIER,
                    f"Le champ « {prof.name} » contient des adresses électroniques nominatives ou non génériques "
                    f"({_values_phrase(personal_features, len(personal))}).",
                    "Remplacez-les par une adresse de service (contact@…, accueil@…, mairie@…) ou retirez la colonne. "
                    "L'adresse professionnelle d'un agent est une donnée personnelle.",
                    BASIS_CONTACT,
                    prof.name,
                    personal_features,
                    len(personal),
                    [p.mask_email(e) for e in personal],
                    generic_count=generic_features,
                    **_every_row(exact),
                )
            )
        elif generic:
            findings.append(
                make_finding(
                    "legal-email",
                    LEVEL_INFO,
                    f"Le champ « {prof.name} » ne contient que des adresses génériques de service "
                    f"({_values_phrase(generic_features, len(generic))}).",
                    "Rien à faire : les adresses de service (contact@, accueil@…) peuvent être publiées.",
                    BASIS_CONTACT,
                    prof.name,
                    generic_features,
                    len(generic),
                    [p.mask_email(e) for e in generic],
                    **_every_row(exact),
                )
            )
    return findings


def detect_phones(ctx: LegalContext) -> List[Finding]:
    findings = []
    for prof in ctx.fields:
        mobiles: Dict[str, int] = {}
        landlines: Dict[str, int] = {}
        values, exact = _shaped(prof, "phone")
        for value, n in prof.strings() if values is prof.values else _stripped(values):
            for digits in p.phone_numbers(value):
                target = mobiles if p.is_mobile(digits) else landlines
                target[digits] = target.get(digits, 0) + n
        if mobiles:
            count = sum(mobiles.values())
            findings.append(
                make_finding(
                    "legal-phone",
                    A_VERIFIER,
                    f"Le champ « {prof.name} » contient des numéros de téléphone portable, très probablement "
                    f"personnels ({_values_phrase(count, len(mobiles))}).",
                    "Remplacez-les par le numéro du standard ou du service, ou retirez la colonne. La ligne directe "
                    "ou le portable d'un agent est une donnée personnelle.",
                    BASIS_CONTACT,
                    prof.name,
                    count,
                    len(mobiles),
                    [p.mask_phone(d) for d in mobiles],
                    mobile_count=count,
                    landline_count=sum(landlines.values()),
                    **_every_row(exact),
                )
            )
        elif landlines:
            count = sum(landlines.values())
            findings.append(
                make_finding(
                    "legal-phone",
                    LEVEL_INFO,
                    f"Le champ « {prof.name} » contient des numéros de téléphone fixe "
                    f"({_values_phrase(count, len(landlines))}).",
                    "Vérifiez que ce sont des numéros de service ou d'accueil, pas des lignes directes d'agents ou "
                    "des numéros de particuliers.",
                    BASIS_CONTACT,
                    prof.name,
                    count,
                    len(landlines),
                    [p.mask_phone(d) for d in landlines],
                    mobile_count=0,
                    landline_count=count,
                    **_every_row(exact),
                )
            )
    return findings


# ------------------------------------------------------------------ NIR and IBAN


def _scalar_text(value: Any) -> Optional[str]:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def detect_nir(ctx: LegalContext) -> List[Finding]:
    findings = []
    for prof in ctx.fields:
        valid: Dict[str, int] = {}
        shaped: Dict[str, int] = {}
        values, exact = _shaped(prof, "nir")
        for value, n in values.items():
            text = _scalar_text(value)
            if not text or len(text) > 25:
                continue
            nir = p.nir_shape(text)
            if nir is None:
                continue
            (valid if p.nir_key_ok(nir) else shaped)[nir] = n
        tokens = prof.tokens
        named = any(t in NIR_FIELD_TOKENS for t in tokens) or ("securite" in tokens and "sociale" in tokens)
        if valid:
            count = sum(valid.values())
            findings.append(
                make_finding(
                    "legal-nir",
                    BLOQUANT,
                    f"Le champ « {prof.name} » contient des numéros de sécurité sociale (NIR) avec une clé juste "
                    f"({_values_phrase(count, len(valid))}). Leur publication n'est jamais autorisée.",
                    "Supprimez la colonne de la couche publiée. Le NIR ne peut pas être publié, même pseudonymisé "
                    "par simple troncature.",
                    BASIS_NIR,
                    prof.name,
                    count,
                    len(valid),
                    [p.mask_digits(v) for v in valid],
                    **_every_row(exact),
                )
            )
        elif named and (shaped or prof.non_empty()):
            count = sum(shaped.values()) if shaped else sum(n for v, n in prof.values.items() if v is not None)
            findings.append(
                make_finding(
                    "legal-nir",
                    A_VERIFIER,
                    f"Le nom du champ « {prof.name} » évoque un numéro de sécurité sociale (NIR), sans numéro à "
                    "clé juste reconnu.",
                    "Vérifiez le contenu du champ ; s'il s'agit de NIR, même incomplets, supprimez la colonne.",
                    BASIS_NIR,
                    prof.name,
                    count,
                    len(shaped),
                    [p.mask_digits(v) for v in shaped],
                    **_every_row(exact and bool(shaped)),
                )
            )
    return findings


def detect_iban(ctx: LegalContext) -> List[Finding]:
    findings = []
    for prof in ctx.fields:
        valid: Dict[str, int] = {}
        values, exact = _shaped(prof, "iban")
        for value, n in prof.strings() if values is prof.values else _stripped(values):
            if len(value) > 50:
                continue
            if p.iban_ok(value):
                valid[p.compact(value)] = n
        if valid:
            count = sum(valid.values())
            findings.append(
                make_finding(
                    "legal-iban",
                    BLOQUANT,
                    f"Le champ « {prof.name} » contient des IBAN (coordonnées bancaires) à clé juste "
                    f"({_values_phrase(count, len(valid))}).",
                    "Supprimez la colonne de la couche publiée : des coordonnées bancaires ne se publient pas.",
                    BASIS_BANK,
                    prof.name,
                    count,
                    len(valid),
                    [v[:4] + "*" * (len(v) - 7) + v[-3:] for v in valid],
                    **_every_row(exact),
                )
            )
        elif any(t in IBAN_FIELD_TOKENS for t in prof.tokens) and prof.non_empty():
            findings.append(
                make_finding(
                    "legal-iban",
                    A_VERIFIER,
                    f"Le nom du champ « {prof.name} » évoque des coordonnées bancaires.",
                    "Vérifiez son contenu ; s'il contient des coordonnées bancaires, supprimez la colonne.",
                    BASIS_BANK,
                    prof.name,
                    sum(n for v, n in prof.values.items() if v is not None),
                    prof.non_empty(),
                )
            )
    return findings


# ------------------------------------------------------------------ birth dates


def _is_birth_field(tokens: List[str]) -> bool:
    for t in tokens:
        if t.startswith(("naiss", "datnais", "dtnais", "datenais")) or t in {"ddn", "jdatnss", "dob"}:
            return True
        if t.startswith("birth"):
            return True
    return False


def detect_birth_dates(ctx: LegalContext, person_data: bool) -> List[Finding]:
    findings = []
    for prof in ctx.fields:
        tokens = prof.tokens
        values = [(v, n) for v, n in prof.values.items() if v is not None and v != ""]
        if not values:
            continue
        if _is_birth_field(tokens) and "lieu" not in tokens:
            examples = []
            for v, _ in values[:3]:
                if isinstance(v, (datetime.date, datetime.datetime)):
                    examples.append(f"{v.year}-**-**")
                else:
                    examples.append(str(v)[:4] + "-**-**")
            count = sum(n for _, n in values)
            findings.append(
                make_finding(
                    "legal-birth-date",
                    A_VERIFIER,
                    f"Le champ « {prof.name} » contient des dates de naissance ({_values_phrase(count, len(values))}).",
                    "Retirez la colonne, ou généralisez-la (année seule, ou tranches d'âge de 10 ans).",
                    BASIS_REIDENT,
                    prof.name,
                    count,
                    len(values),
                    examples,
                )
            )
        elif person_data and "age" in tokens:
            ages = [(v, n) for v, n in values if _as_int(v) is not None and 0 <= _as_int(v) <= 120]
            if ages and len(ages) >= len(values) * 0.8:
                count = sum(n for _, n in ages)
                findings.append(
                    make_finding(
                        "legal-birth-date",
                        A_VERIFIER,
                        f"Le champ « {prof.name} » donne l'âge de personnes nommées dans la couche "
                        f"({_values_phrase(count, len(ages))}).",
                        "Publiez des tranches d'âge (0-17, 18-29…) plutôt que l'âge exact, ou retirez la colonne.",
                        BASIS_REIDENT,
                        prof.name,
                        count,
                        len(ages),
                    )
                )
    return findings


def _as_int(value: Any) -> Optional[int]:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


# ------------------------------------------------------------------ cadastre owners


def _is_parcel_field(prof: FieldProfile) -> bool:
    tokens = prof.tokens
    if any(t in PARCEL_FIELD_TOKENS for t in tokens) or ("ref" in tokens and "cad" in tokens):
        return True
    strings = prof.strings()
    if not strings:
        return False
    hits = sum(1 for v, _ in strings if all(p.is_parcel_id(x) for x in v.split("|") if x.strip()))
    return hits / len(strings) >= 0.5


def detect_cadastre_owner(ctx: LegalContext) -> List[Finding]:
    parcels = [prof for prof in ctx.fields if _is_parcel_field(prof)]
    if not parcels:
        return []
    findings = []
    parcel_names = ", ".join(f"« {prof.name} »" for prof in parcels)
    for prof in ctx.fields:
        tokens = prof.tokens
        if prof in parcels or not any(t in OWNER_TOKENS for t in tokens) or named_category(tokens):
            continue
        if "personne" in tokens and "nom" not in tokens:
            continue  # « proprio_personne » = personne morale / physique: a category
        strings = prof.strings()
        majic = any(t in MAJIC_PERSON_TOKENS for t in tokens)
        natural = [
            (v, n) for v, n in strings if majic or p.looks_like_person(v) or ("/" in v and not p.is_legal_person(v))
        ]
        legal = [(v, n) for v, n in strings if (v, n) not in natural and p.is_legal_person(v)]
        unknown = [(v, n) for v, n in strings if (v, n) not in natural and (v, n) not in legal]
        base = f"La couche associe des parcelles cadastrales ({parcel_names}) au champ propriétaire « {prof.name} »"
        if natural:
            count = sum(n for _, n in natural)
            findings.append(
                make_finding(
                    "legal-cadastre-owner",
                    BLOQUANT,
                    f"{base}, qui désigne des personnes physiques ({_values_phrase(count, len(natural))}).",
                    "Supprimez les champs propriétaires (et leurs dates de naissance, adresses) de la couche publiée : "
                    "les données des fichiers fonciers (MAJIC) sur les personnes physiques ne se publient pas. "
                    "La géométrie des parcelles seule peut l'être.",
                    BASIS_CADASTRE,
                    prof.name,
                    count,
                    len(natural),
                    [p.mask_name(v) for v, _ in natural],
                    parcel_fields=[x.name for x in parcels],
                )
            )
        elif unknown:
            count = sum(n for _, n in unknown)
            findings.append(
                make_finding(
                    "legal-cadastre-owner",
                    A_VERIFIER,
                    f"{base} ; certains propriétaires ne sont pas reconnus comme des personnes morales "
                    f"({_values_phrase(count, len(unknown))}).",
                    "Vérifiez qu'aucun propriétaire n'est une personne physique ; sinon retirez le champ propriétaire.",
                    BASIS_CADASTRE,
                    prof.name,
                    count,
                    len(unknown),
                    [p.mask_name(v) for v, _ in unknown],
                    parcel_fields=[x.name for x in parcels],
                )
            )
        elif legal:
            count = sum(n for _, n in legal)
            findings.append(
                make_finding(
                    "legal-cadastre-owner",
                    LEVEL_INFO,
                    f"{base} ; tous les propriétaires sont des personnes morales "
                    f"({_values_phrase(count, len(legal))}).",
                    "Rien à faire : les propriétaires personnes morales (commune, société, association) ne sont pas "
                    "des données personnelles.",
                    BASIS_CADASTRE,
                    prof.name,
                    count,
                    len(legal),
                    [v for v, _ in legal],
                    parcel_fields=[x.name for x in parcels],
                )
            )
    return findings


# ------------------------------------------------------------------ small counts


def detect_small_counts(ctx: LegalContext) -> List[Finding]:
    all_tokens = {t for prof in ctx.fields for t in prof.tokens}
    fine = ctx.geometry == "point" or bool(all_tokens & FINE_TOKENS)
    if not fine:
        return []
    where = "des points" if ctx.geometry == "point" else "une maille fine (adresse, IRIS, carreau, prénom…)"
    threshold = max(int(ctx.small_count_threshold), 2)
    findings = []
    for prof in ctx.fields:
        tokens = prof.tokens
        is_count = (any(t in COUNT_TOKENS for t in tokens) and any(t in PEOPLE_TOKENS for t in tokens)) or any(
            t in ("effectif", "effectifs", "naissances", "deces") for t in tokens
        )
        if not is_count:
            continue
        small = [(v, n) for v, n in prof.values.items() if (_as_int(v) is not None and 1 <= _as_int(v) < threshold)]
        if not small:
            continue
        count = sum(n for _, n in small)
        findings.append(
            make_finding(
                "legal-small-counts",
                A_VERIFIER,
                f"Le champ « {prof.name} » compte des personnes et vaut moins de {threshold} pour "
                f"{_plural(count, 'entité')}, à {where} : une personne peut être reconnue.",
                f"Regroupez les effectifs à une maille plus large (commune, IRIS) ou remplacez les valeurs de 1 à "
                f"{threshold - 1} par « < {threshold} » (secret statistique), et notez le seuil dans les métadonnées.",
                BASIS_REIDENT,
                prof.name,
                count,
                len(small),
                threshold=threshold,
            )
        )
    return findings


# ------------------------------------------------------------------ free text


def detect_free_text(ctx: LegalContext) -> List[Finding]:
    findings = []
    for prof in ctx.fields:
        strings = [(v, n) for v, n in prof.strings() if not v.lower().startswith(("http://", "https://"))]
        if not strings:
            continue
        lengths = [len(v) for v, _ in strings]
        longest = max(lengths)
        mean = sum(lengths) / len(lengths)
        named = any(t in FREE_TEXT_TOKENS for t in prof.tokens)
        if not ((named and (longest >= 100 or mean >= 40)) or (mean >= 120 and len(strings) >= 2)):
            continue
        long_values = [(v, n) for v, n in strings if len(v) >= 40]
        count = sum(n for _, n in long_values)
        findings.append(
            make_finding(
                "legal-free-text",
                A_VERIFIER,
                f"Le champ « {prof.name} » est du texte libre (jusqu'à {longest} caractères, "
                f"{_plural(count, 'entité')} avec un texte long) : il peut citer des personnes ou leur situation.",
                "Relisez ces textes avant de publier (noms, situations personnelles, appréciations) ou retirez la "
                "colonne : un texte libre ne peut pas être vérifié automatiquement.",
                BASIS_PERSONAL,
                prof.name,
                count,
                len(long_values),
                [p.mask_text(v) for v, _ in long_values],
                max_length=longest,
            )
        )
    return findings


# ------------------------------------------------------------------ special categories


def _special_hits(tokens: Iterable[str]) -> List[str]:
    tokens = list(tokens)
    if any(t in ACCESS_TOKENS for t in tokens):
        return []
    return [category for category, words in SPECIAL_WORDS.items() if any(t in words for t in tokens)]


def detect_special_categories(ctx: LegalContext, person_data: bool) -> List[Finding]:
    findings = []
    level = BLOQUANT if person_data else A_VERIFIER
    hint = (
        "Ces données concernent des personnes identifiables : ne les publiez pas, ou seulement agrégées à une maille "
        "où personne ne peut être reconnu."
        if person_data
        else "Vérifiez que la couche ne décrit pas la santé, les convictions ou les infractions de personnes "
        "identifiables ; si oui, agrégez ou ne publiez pas."
    )
    layer_hits = _special_hits(p.name_tokens(ctx.layer_name) + p.name_tokens(ctx.metadata.title))
    if layer_hits:
        findings.append(
            make_finding(
                "legal-special-category",
                level,
                f"Le nom de la couche « {ctx.layer_name} » évoque des données sensibles ({', '.join(layer_hits)}).",
                hint,
                BASIS_SPECIAL,
                None,
                categories=layer_hits,
            )
        )
    for prof in ctx.fields:
        hits = _special_hits(prof.tokens)
        examples: List[str] = []
        count = 0
        if not hits and person_data:
            strings = prof.strings()
            if 0 < len(strings) <= 50:
                for v, n in strings:
                    value_hits = _special_hits(p.name_tokens(v)) if len(v) <= 60 else []
                    if value_hits:
                        hits.extend(h for h in value_hits if h not in hits)
                        examples.append(v)
                        count += n
        if not hits:
            continue
        where = "Le nom du champ" if not examples else "Les valeurs du champ"
        findings.append(
            make_finding(
                "legal-special-category",
                level,
                f"{where} « {prof.name} » évoquent des données sensibles ({', '.join(hits)})"
                + (" dans une couche qui identifie des personnes." if person_data else "."),
                hint,
                BASIS_SPECIAL,
                prof.name,
                count or None,
                len(examples) or None,
                examples,
                categories=hits,
            )
        )
    return findings


# ------------------------------------------------------------------ security


def _security_hits(tokens: List[str]) -> List[str]:
    hits = [t for t in tokens if t in SECURITY_TOKENS]
    if "poste" in tokens and "source" in tokens:
        hits.append("poste source")
    if "reservoir" in tokens and "eau" in tokens:
        hits.append("réservoir d'eau")
    return hits


def detect_security(ctx: LegalContext) -> List[Finding]:
    places: List[Tuple[str, List[str]]] = []
    layer_tokens = p.name_tokens(ctx.layer_name) + p.name_tokens(ctx.metadata.title)
    for kw in ctx.metadata.keywords:
        layer_tokens += p.name_tokens(kw)
    hits = _security_hits(layer_tokens)
    if hits:
        places.append(("le nom ou les mots-clés de la couche", hits))
    for prof in ctx.fields:
        field_hits = _security_hits(prof.tokens)
        if field_hits:
            places.append((f"le champ « {prof.name} »", field_hits))
    if not places:
        return []
    words = sorted({w for _, ws in places for w in ws})
    where = " ; ".join(w for w, _ in places)
    return [
        make_finding(
            "legal-security-sensitive",
            A_VERIFIER,
            f"La couche semble décrire des équipements sensibles ({', '.join(words)} — dans {where}).",
            "Vérifiez avec le service concerné que la localisation précise de ces équipements peut être rendue "
            "publique (sécurité publique, sécurité des réseaux) ; sinon retirez-les ou généralisez leur position.",
            BASIS_SECURITY,
            None,
            words=words,
        )
    ]


# ------------------------------------------------------------------ third-party sources and licence


def third_party_mentions(ctx: LegalContext) -> Dict[str, List[str]]:
    """Provider -> places (French) where it is named. Field-name-only evidence (``id_osm``) is kept apart
    under the place ``"nom de champ"``."""
    found: Dict[str, List[str]] = {}
    texts = list(ctx.metadata.sources()) + [("nom de la couche", ctx.layer_name), ("source", ctx.source)]
    for prof in ctx.fields:
        if any(t in SOURCE_FIELD_TOKENS for t in prof.tokens):
            strings = prof.strings()
            if len(strings) <= 50:
                texts += [(f"champ « {prof.name} »", v) for v, _ in strings]
    for where, text in texts:
        folded = p.fold(text).replace("©", " ")
        for provider, pattern in THIRD_PARTIES:
            if pattern.search(folded) and where not in found.setdefault(provider, []):
                found[provider].append(where)
    for prof in ctx.fields:
        if "osm" in prof.tokens:
            found.setdefault("OpenStreetMap", []).append("nom de champ")
    return {k: v for k, v in found.items() if v}


def detect_third_party(ctx: LegalContext, mentions: Dict[str, List[str]]) -> List[Finding]:
    findings = []
    for provider, places in mentions.items():
        if provider == "OpenStreetMap":
            hint = (
                "Les données dérivées d'OpenStreetMap doivent être publiées sous licence ODbL, avec la mention "
                "« © les contributeurs d'OpenStreetMap ». Indiquez-le dans les métadonnées (licence, attribution)."
            )
        else:
            hint = (
                f"Vérifiez qui détient les droits sur les données issues de {provider} et sous quelle licence vous "
                "pouvez les republier ; citez la source dans les métadonnées (attribution)."
            )
        findings.append(
            make_finding(
                "legal-third-party-source",
                A_VERIFIER,
                f"La couche semble issue de données de {provider} (mentionné dans : {', '.join(places)}).",
                hint,
                BASIS_THIRD_PARTY,
                None,
                provider=provider,
                places=places,
            )
        )
    return findings


def classify_licence(text: str) -> str:
    """``etalab-2.0``, ``ODbL-1.0``, ``lo-1.0``, ``other`` (CC…, needs homologation) or ``unknown``."""
    folded = p.fold(text)
    if re.search(r"odbl|open database licen[cs]e", folded):
        return "ODbL-1.0"
    if re.search(r"etalab[- ]?2|lov2|licence ouverte.{0,12}2|open licen[cs]e.{0,12}2", folded):
        return "etalab-2.0"
    if re.search(r"licence ouverte|open licen[cs]e|fr-lo|etalab", folded):
        return "lo-1.0" if re.search(r"1\.0|v1\b|fr-lo|2011", folded) else "etalab-2.0"
    if re.search(r"creative commons|\bcc[- ]?(by|0|zero)|pddl|odc[- ]?by|\bgpl\b", folded):
        return "other"
    return "unknown"


def detect_licence(ctx: LegalContext, mentions: Dict[str, List[str]]) -> List[Finding]:
    texts = [t for t in ctx.metadata.licenses if t.strip()]
    texts += [t for t in ctx.metadata.rights if t.strip() and classify_licence(t) != "unknown"]
    kinds = {classify_licence(t) for t in texts}
    osm_places = mentions.get("OpenStreetMap", [])
    osm_in_metadata = any(place != "nom de champ" for place in osm_places)
    if not texts:
        return [
            make_finding(
                "legal-licence",
                LEVEL_INFO if not osm_places else A_VERIFIER,
                "Aucune licence n'est déclarée dans les métadonnées de la couche.",
                "Choisissez la Licence Ouverte 2.0 (recommandée) ou l'ODbL (données dérivées d'OpenStreetMap) "
                "dans les métadonnées avant de publier.",
                BASIS_LICENCE,
            )
        ]
    findings = []
    label = " ; ".join(texts)
    if osm_places and "ODbL-1.0" not in kinds:
        findings.append(
            make_finding(
                "legal-licence",
                BLOQUANT if osm_in_metadata else A_VERIFIER,
                f"La couche semble dérivée d'OpenStreetMap mais sa licence déclarée est « {label} ».",
                "L'ODbL impose de republier les bases dérivées d'OpenStreetMap sous ODbL : choisissez l'ODbL 1.0 "
                "dans les métadonnées, ou retirez les données issues d'OpenStreetMap.",
                BASIS_LICENCE,
                licences=texts,
            )
        )
    if len(kinds - {"unknown"}) > 1:
        findings.append(
            make_finding(
                "legal-licence",
                A_VERIFIER,
                f"Plusieurs licences différentes sont déclarées : « {label} ».",
                "Ne gardez qu'une licence dans les métadonnées.",
                BASIS_LICENCE,
                licences=texts,
            )
        )
    if "other" in kinds:
        findings.append(
            make_finding(
                "legal-licence",
                A_VERIFIER,
                f"La licence déclarée (« {label} ») ne figure pas sur la liste fixée par décret pour les "
                "administrations.",
                "Utilisez la Licence Ouverte 2.0 ou l'ODbL ; une autre licence doit d'abord être homologuée "
                "(article D323-2-2) : indiquez la référence de l'homologation dans les métadonnées.",
                BASIS_LICENCE,
                licences=texts,
            )
        )
    if "lo-1.0" in kinds:
        findings.append(
            make_finding(
                "legal-licence",
                A_VERIFIER,
                "La licence déclarée est l'ancienne Licence Ouverte 1.0.",
                "Choisissez la Licence Ouverte 2.0, qui la remplace.",
                BASIS_LICENCE,
                licences=texts,
            )
        )
    if kinds == {"unknown"}:
        findings.append(
            make_finding(
                "legal-licence",
                A_VERIFIER,
                f"La licence déclarée (« {label} ») n'est pas reconnue.",
                "Choisissez la Licence Ouverte 2.0 ou l'ODbL dans les métadonnées.",
                BASIS_LICENCE,
                licences=texts,
            )
        )
    if "ODbL-1.0" in kinds and not osm_places:
        justified = any("odbl" in p.fold(h) for h in ctx.metadata.history)
        if not justified:
            findings.append(
                make_finding(
                    "legal-licence",
                    LEVEL_INFO,
                    "La couche est sous ODbL sans origine OpenStreetMap détectée.",
                    "Le partage à l'identique doit être justifié (CRPA L323-2) : notez la raison du choix de l'ODbL "
                    "dans l'historique des métadonnées.",
                    BASIS_LICENCE,
                    licences=texts,
                )
            )
    return findings


# ------------------------------------------------------------------ format


def detect_closed_format(ctx: LegalContext) -> List[Finding]:
    path = (ctx.source or "").split("|")[0].split("?")[0]
    ext = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    storage = (ctx.storage_type or "").lower()
    if ext not in CLOSED_EXTENSIONS and not any(w in storage for w in ("excel", "xlsx", "pdf")):
        return []
    kind = ext.upper() if ext else ctx.storage_type
    return [
        make_finding(
            "legal-closed-format",
            LEVEL_INFO,
            f"La couche est lue dans un format fermé ou peu réutilisable ({kind}).",
            "Publiez les données dans un format ouvert (CSV, GeoJSON, GeoPackage) : le plugin exporte la couche "
            "dans ces formats ; ne publiez pas le fichier source tel quel.",
            BASIS_FORMAT,
            None,
            format=kind,
        )
    ]


# ------------------------------------------------------------------ all together

PERSON_CODES = {"legal-person-name", "legal-nir", "legal-iban", "legal-cadastre-owner"}


def _has_person_data(findings: List[Finding]) -> bool:
    for f in findings:
        if f.level == LEVEL_INFO:
            continue
        if f.code in PERSON_CODES and f.level == BLOQUANT:
            return True
        if f.code == "legal-person-name" and f.extra.get("count"):
            return True
    return False


def dwelling_points(ctx: LegalContext, findings: List[Finding]) -> List[Finding]:
    if ctx.geometry != "point":
        return []
    personal = [
        f
        for f in findings
        if f.level != LEVEL_INFO
        and f.code in {"legal-person-name", "legal-email", "legal-phone", "legal-nir", "legal-iban", "legal-birth-date"}
    ]
    if not personal:
        return []
    fields = sorted({f.field for f in personal if f.field})
    return [
        make_finding(
            "legal-dwelling-points",
            A_VERIFIER,
            "La couche localise des points (adresse ou logement) liés à des personnes "
            f"(champs : {', '.join(fields)}) : "
            "chaque point peut désigner le domicile d'une personne.",
            "Retirez les attributs personnels, ou agrégez les points à une maille plus large (IRIS, commune, carreau "
            "de 200 m) avant de publier.",
            BASIS_PERSONAL,
            None,
            ctx.feature_count,
            None,
            person_fields=fields,
        )
    ]


Detector = Callable[[LegalContext], List[Finding]]


def detect_formulas(ctx: LegalContext) -> List[Finding]:
    """Values a spreadsheet would run as formulas when it opens the published CSV. Open data is never
    changed silently: this warns, and the conversion offers the neutralisation as an explicit fix."""
    from ..conform.values import formula_like

    findings = []
    for prof in ctx.fields:
        candidates = prof.formulas if prof.sampled else prof.values
        hits = {value: n for value, n in candidates.items() if formula_like(value)}
        if not hits:
            continue
        count = sum(hits.values())
        findings.append(
            make_finding(
                "legal-formula",
                A_VERIFIER,
                f"Le champ « {prof.name} » contient des valeurs qui commencent comme une formule de tableur "
                f"(=, +, -, @) ({_values_phrase(count, len(hits))}) : un tableur qui ouvre le fichier CSV publié "
                "pourrait les exécuter.",
                "Vérifiez ces valeurs. Si ce ne sont pas des données voulues, neutralisez-les sans les perdre : "
                "étape Vérifier > « Tout corriger… », correction « Valeurs qui ressemblent à des formules "
                "neutralisées » (une apostrophe devant), ou option FIXES=formulas de l'algorithme de mise en "
                "conformité. Rien n'est modifié sans votre accord.",
                BASIS_FORMULA,
                prof.name,
                count,
                len(hits),
                [str(v)[:40] for v in hits],
            )
        )
    return findings


def run_detectors(ctx: LegalContext) -> List[Finding]:
    """Every detector on ``ctx``; findings sorted BLOQUANT first."""
    findings: List[Finding] = []
    findings += detect_person_names(ctx)
    findings += detect_emails(ctx)
    findings += detect_phones(ctx)
    findings += detect_nir(ctx)
    findings += detect_iban(ctx)
    findings += detect_cadastre_owner(ctx)
    person_data = _has_person_data(findings)
    findings += detect_birth_dates(ctx, person_data)
    findings += dwelling_points(ctx, findings)
    findings += detect_small_counts(ctx)
    findings += detect_free_text(ctx)
    findings += detect_special_categories(ctx, person_data)
    findings += detect_security(ctx)
    mentions = third_party_mentions(ctx)
    findings += detect_third_party(ctx, mentions)
    findings += detect_licence(ctx, mentions)
    findings += detect_closed_format(ctx)
    findings += detect_formulas(ctx)
    _say_estimated(ctx, findings)
    findings.sort(key=lambda f: (severity_rank(f.severity), f.code, f.field or ""))
    return findings


def _say_estimated(ctx: LegalContext, findings: List[Finding]) -> None:
    """Findings on a field read through a sample say so (numbers estimated from the sample); the formulas of
    such a field, and its e-mails, phones, NIR and IBAN (unless the field is full of them), are counted over
    every row and stay exact."""
    sampled = {prof.name: prof for prof in ctx.fields if prof.sampled}
    kinds = {code: kind for kind, code in SHAPE_CODES.items()}
    for finding in findings:
        every_row = finding.extra.pop("every_row", False)
        prof = sampled.get(finding.field or "")
        if prof is None or finding.code == "legal-formula" or every_row:
            continue
        finding.message += (
            f" Chiffres estimés sur un échantillon de {prof.sample_rows} entités sur {ctx.feature_count} (le champ "
            f"compte plus de {prof.distinct_over} valeurs distinctes ; les valeurs distinctes citées sont celles de "
            "l'échantillon)."
        )
        if kinds.get(finding.code) in prof.shapes_over:
            finding.message += (
                f" Toutes les entités ont été lues : le champ compte plus de {prof.distinct_over} valeurs "
                "différentes de cette forme, l'échantillon les représente."
            )
        finding.extra["estimated"] = True
        finding.extra["sample_rows"] = prof.sample_rows
