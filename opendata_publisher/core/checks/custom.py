"""Validata's custom checks (the schema's ``custom_checks`` list), in pure Python.

A Table Schema published on schema.data.gouv.fr may list extra checks that
plain Table Schema validators ignore and that Validata (validata.fr) runs::

    "custom_checks": [{"name": "french-siret-value", "params": {"column": "COLL_SIRET"}}, ...]

:func:`build_custom_checks` turns that list into

* single-value checks per schema field (``value_checks``): they receive one
  non-missing value (a ``str`` as read, or a native ``int``/``float``/``Decimal``
  when the layer field is numeric) and return ``None`` or a :class:`ValueProblem`
  whose ``code`` is the current Validata name of the check;
* row checks (``row_checks``) that read several fields of one row: they receive
  ``{schema field: value}`` (values cast to Python types when they passed their
  type check, ``None`` when missing; a field absent from the layer is absent from
  the dict) and return ``[(field to blame, ValueProblem)]``;
* layer-level notes (``notes``): an unknown or not-yet-supported check is skipped
  (warning ``check-error``), unusable params are reported (warning
  ``check-error``), a former check name is accepted with an information
  (``deprecated-custom-check``). Building never raises.

Checks implemented (current name ← former names):

siret ← french-siret-value, siren ← french-siren-value, code-postal,
code-commune-insee, numero-departement, phone-number-value, opening-hours-value,
nomenclature-acte ← nomenclature-actes-value, year-interval-value,
french-gps-coordinates (alias coordonnees-gps-francaises), cohesive-columns-value,
compare-columns-value, sum-columns-value, one-of-required.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

from opendata_publisher.core.checks.finding import ERROR, INFO, WARNING, Finding, ValueProblem
from opendata_publisher.core.checks.geo import geo_problem, parse_geopoint
from opendata_publisher.core.checks.opening_hours import check_opening_hours
from opendata_publisher.core.schema.model import TableSchema
from opendata_publisher.core.text import fold

ValueCheck = Callable[[Any], Optional[ValueProblem]]

ANNUAIRE = "annuaire-entreprises.data.gouv.fr"


@dataclass
class RowCheck:
    """A custom check that reads several fields of one row."""

    name: str  # the custom check's name as written in the schema
    fields: List[str]  # schema field names it reads
    params: Dict[str, Any] = field(default_factory=dict)
    func: Optional[Callable[[Dict[str, Any]], List[Tuple[str, ValueProblem]]]] = field(default=None, repr=False)

    def check(self, row: Dict[str, Any]) -> List[Tuple[str, ValueProblem]]:
        """(field name to blame, problem) for one row."""
        if self.func is None:
            return []
        return self.func(row)

    @property
    def on_blank_rows(self) -> bool:
        """Also run on a blank row (its spec says so, see :class:`CustomCheckSpec`)."""
        spec = _SPECS.get(self.name)
        return spec is not None and spec.on_blank_rows


@dataclass
class CustomCheckSet:
    value_checks: Dict[str, List[ValueCheck]] = field(default_factory=dict)
    row_checks: List[RowCheck] = field(default_factory=list)
    notes: List[Finding] = field(default_factory=list)


class _BadParams(Exception):
    """Params of a custom check cannot be used (French message)."""


# ---------------------------------------------------------------------------
# helpers


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _as_text(value: Any) -> str:
    """The value as an agent would read it: 21920044100018.0 -> '21920044100018'."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return str(value.quantize(Decimal(1)))
        return format(value, "f")
    return str(value).strip()


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _show(value: Any, limit: int = 60) -> str:
    text = _as_text(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def luhn_ok(digits: str) -> bool:
    """True when the string of digits passes the Luhn check (key of SIREN and SIRET numbers)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        number = int(char)
        if index % 2 == 1:
            number *= 2
            if number > 9:
                number -= 9
        total += number
    return total % 10 == 0


def with_luhn_key(prefix: str) -> str:
    """``prefix`` followed by the one digit that makes it pass the Luhn check."""
    return next(prefix + key for key in "0123456789" if luhn_ok(prefix + key))


_NUMERIC_FIELD_HINT = (
    "le champ de la couche est sans doute numérique et a perdu le zéro initial : "
    "passez ce champ en texte (chaîne de caractères) et ressaisissez la valeur avec son zéro"
)


def _identifier_problem(value: Any, kind: str, length: int, code: str) -> Optional[ValueProblem]:
    """Shared part of the SIRET/SIREN checks: length and characters."""
    text = _as_text(value)
    shown = _show(value)
    if _is_number(value) and text.isdigit() and len(text) < length:
        return ValueProblem(
            code=code,
            message=f"Le numéro {kind} « {shown} » compte {len(text)} chiffres au lieu de {length}.",
            hint=f"Un {kind} peut commencer par 0 : {_NUMERIC_FIELD_HINT}.",
        )
    if not text.isdigit() or not text.isascii():
        compact = re.sub(r"[\s.\-\u00a0\u202f]", "", text)
        if compact.isdigit() and compact.isascii() and len(compact) == length:
            return ValueProblem(
                code=code,
                message=f"Le numéro {kind} « {shown} » contient des espaces ou des séparateurs.",
                hint=f"Écrivez les {length} chiffres collés, sans espace ni point : {compact}.",
            )
        return ValueProblem(
            code=code,
            message=f"Le numéro {kind} « {shown} » doit être composé de {length} chiffres.",
            hint=f"Recopiez le numéro {kind} depuis {ANNUAIRE} (uniquement des chiffres).",
        )
    if len(text) != length:
        hint = f"Recopiez-le depuis {ANNUAIRE}."
        if kind == "SIREN" and len(text) == 14:
            hint = f"C'est un numéro SIRET : le SIREN correspond à ses 9 premiers chiffres ({text[:9]})."
        elif kind == "SIRET" and len(text) == 9:
            hint = (
                f"C'est un numéro SIREN : le SIRET ajoute 5 chiffres (l'établissement) ; recopiez-le depuis {ANNUAIRE}."
            )
        return ValueProblem(
            code=code,
            message=f"Le numéro {kind} « {shown} » doit compter {length} chiffres (il en compte {len(text)}).",
            hint=hint,
        )
    return None


def siret_key_ok(digits: str) -> bool:
    """The keys of a 14-digit SIRET, as Validata checks them (python-stdnum's rules): the Luhn key of the
    whole number and of its SIREN part (9 first digits); La Poste's establishments (SIREN 356000000,
    except its head office) use another key: the sum of the digits is a multiple of 5."""
    if digits.startswith("356000000") and digits != "35600000000048":
        whole = sum(int(c) for c in digits) % 5 == 0
    else:
        whole = luhn_ok(digits)
    return whole and luhn_ok(digits[:9])


def _validata_compact(value: Any) -> Optional[str]:
    """The digits Validata reads in a SIRET/SIREN written with spaces, dots or full-width digits (it
    removes spaces and dots and reads any Unicode digit), or None when it is not such a text."""
    if not isinstance(value, str):
        return None
    compact = re.sub(r"[ .]", "", unicodedata.normalize("NFKC", value)).strip()
    return compact if compact.isascii() and compact.isdigit() else None


def _layout_warning(value: Any, kind: str, length: int, code: str) -> Optional[ValueProblem]:
    """A SIRET/SIREN Validata accepts although it is not written as plain digits: a warning only."""
    compact = _validata_compact(value)
    if compact is None or len(compact) != length:
        return None
    valid = siret_key_ok(compact) if kind == "SIRET" else luhn_ok(compact)
    if not valid:
        return None
    return ValueProblem(
        code=code,
        message=f"Le numéro {kind} « {_show(value)} » est valide mais n'est pas écrit en {length} chiffres collés.",
        hint=f"Validata l'accepte ; pour un fichier propre, écrivez {compact} (sans espace ni point).",
        severity=WARNING,
    )


def check_siret(value: Any) -> Optional[ValueProblem]:
    """14 digits whose key and whose SIREN's key are right (see :func:`siret_key_ok`)."""
    problem = _identifier_problem(value, "SIRET", 14, "siret")
    if problem:
        return _layout_warning(value, "SIRET", 14, "siret") or problem
    text = _as_text(value)
    if siret_key_ok(text):
        return None
    if luhn_ok(text) or text.startswith("356000000"):
        return ValueProblem(
            code="siret",
            message=f"Le numéro SIRET « {text} » n'existe pas : la clé de contrôle de son SIREN "
            f"(ses 9 premiers chiffres, {text[:9]}) est fausse.",
            hint=f"Un chiffre du SIREN a sans doute été mal recopié : reprenez le SIRET depuis {ANNUAIRE}.",
        )
    return ValueProblem(
        code="siret",
        message=f"Le numéro SIRET « {text} » n'existe pas : sa clé de contrôle est fausse.",
        hint=f"Un chiffre a sans doute été mal recopié : reprenez le SIRET depuis {ANNUAIRE}.",
    )


def check_siren(value: Any) -> Optional[ValueProblem]:
    """9 digits with a valid Luhn key."""
    problem = _identifier_problem(value, "SIREN", 9, "siren")
    if problem:
        return _layout_warning(value, "SIREN", 9, "siren") or problem
    text = _as_text(value)
    if luhn_ok(text):
        return None
    return ValueProblem(
        code="siren",
        message=f"Le numéro SIREN « {text} » n'existe pas : sa clé de contrôle est fausse.",
        hint=f"Un chiffre a sans doute été mal recopié : reprenez le SIREN depuis {ANNUAIRE}.",
    )


# --- official lists (shipped: resources/cog_communes.txt, ``make cog``) ----

_COG_FILE = Path(__file__).resolve().parents[2] / "resources" / "cog_communes.txt"
_COG: Dict[str, frozenset] = {}


def cog_lists() -> Dict[str, frozenset]:
    """``{"communes": INSEE codes, "postaux": postal codes}`` from the shipped list (empty sets when the
    file is missing: the checks then fall back to the shape of the codes)."""
    if not _COG:
        communes, postal = set(), set()
        try:
            with open(_COG_FILE, encoding="utf-8") as handle:
                for line in handle:
                    if line.startswith("#") or not line.strip():
                        continue
                    head, *codes = line.split()
                    if head == "CP":
                        postal.update(codes)
                    else:
                        communes.update(head + code for code in codes)
        except OSError:
            pass
        _COG["communes"] = frozenset(communes)
        _COG["postaux"] = frozenset(postal)
    return _COG


def _padded_problem(value: Any, code: str, what: str) -> Optional[ValueProblem]:
    """Validata compares the cell as written: a space before or after the code makes it unknown."""
    if isinstance(value, str) and value != value.strip() and value.strip():
        return ValueProblem(
            code=code,
            message=f"Le {what} « {value} » commence ou finit par une espace.",
            hint="Retirez les espaces autour du code : Validata ne reconnaît pas le code sinon.",
        )
    return None


# Département part of a French postal code: 01-95 (20 = Corse), 97x overseas, 98x Pacific/Monaco/TAAF.
_POSTAL_RE = re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-5])\d{3}$|^97[1-8]\d{2}$|^98[046-9]\d{2}$")


def check_code_postal(value: Any) -> Optional[ValueProblem]:
    padded = _padded_problem(value, "code-postal", "code postal")
    if padded is not None:
        return padded
    text = _as_text(value)
    shown = _show(value)
    if _is_number(value) and text.isdigit() and len(text) == 4:
        return ValueProblem(
            code="code-postal",
            message=f"Le code postal « {shown} » ne compte que 4 chiffres.",
            hint=f"Un code postal compte 5 chiffres (01000, 97400…) : {_NUMERIC_FIELD_HINT}.",
        )
    if not re.fullmatch(r"\d{5}", text):
        return ValueProblem(
            code="code-postal",
            message=f"Le code postal « {shown} » doit être composé de 5 chiffres.",
            hint="Écrivez les 5 chiffres du code postal, sans espace ni nom de commune (ex. 35000, 97400).",
        )
    if not _POSTAL_RE.match(text):
        return ValueProblem(
            code="code-postal",
            message=f"Le code postal « {text} » n'existe pas en France : "
            f"ses deux premiers chiffres « {text[:2]} » ne correspondent à aucun département.",
            hint="Vérifiez le code sur laposte.fr (les codes vont de 01000 à 95999, "
            "puis 97xxx et 98xxx pour l'outre-mer).",
        )
    return None


_INSEE_RE = re.compile(r"^(?:0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5])\d{3}$|^97[1-8]\d{2}$|^98[46-9]\d{2}$")


def check_code_commune_insee(value: Any) -> Optional[ValueProblem]:
    padded = _padded_problem(value, "code-commune-insee", "code commune INSEE")
    if padded is not None:
        return padded
    text = _as_text(value)
    shown = _show(value)
    code = "code-commune-insee"
    if _is_number(value) and text.isdigit() and len(text) == 4:
        return ValueProblem(
            code=code,
            message=f"Le code commune INSEE « {shown} » ne compte que 4 chiffres.",
            hint=f"Un code INSEE compte 5 caractères (01004, 2A004…) : {_NUMERIC_FIELD_HINT}.",
        )
    if re.fullmatch(r"2[ab]\d{3}", text):
        return ValueProblem(
            code=code,
            message=f"Le code commune INSEE « {text} » doit s'écrire en majuscules.",
            hint=f"Écrivez « {text.upper()} ».",
        )
    if re.fullmatch(r"\d{5}", text) and text.startswith("20"):
        return ValueProblem(
            code=code,
            message=f"Le code commune INSEE « {text} » n'existe pas : les communes de Corse ont un code en 2A ou 2B.",
            hint="Remplacez « 20 » par « 2A » (Corse-du-Sud) ou « 2B » (Haute-Corse), "
            "en vous aidant du Code officiel géographique (insee.fr).",
        )
    if not re.fullmatch(r"[0-9][0-9AB]\d{3}", text):
        hint = "Écrivez les 5 caractères du code INSEE de la commune (ex. 35238, 2A004, 97411)."
        if re.fullmatch(r"\d{5}", text) is None and re.search(r"[^\W\d_]", text):
            hint += " Le nom de la commune va dans une autre colonne."
        return ValueProblem(
            code=code,
            message=f"Le code commune INSEE « {shown} » doit compter 5 caractères : "
            "2 chiffres (ou 2A/2B) puis 3 chiffres.",
            hint=hint,
        )
    known = cog_lists()["communes"]
    if not _INSEE_RE.match(text) or text.endswith("000") or (known and text not in known):
        hint = (
            "Ne confondez pas le code INSEE et le code postal : cherchez le code officiel de la commune "
            "sur insee.fr (Code officiel géographique)."
        )
        if text[:3] in ("975", "977", "978") or text[:2] == "98":
            hint = (
                "Les collectivités d'outre-mer (Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin, "
                "Polynésie, Nouvelle-Calédonie, Wallis-et-Futuna) ne figurent pas dans la liste des communes "
                "de l'INSEE que Validata utilise."
            )
        elif text in cog_lists()["postaux"]:
            hint = f"« {text} » est un code postal : " + hint[0].lower() + hint[1:]
        return ValueProblem(
            code=code,
            message=f"Le code commune INSEE « {text} » n'existe pas dans le Code officiel géographique.",
            hint=hint,
        )
    return None


_DEPARTEMENTS = {f"{n:02d}" for n in range(1, 96) if n != 20} | {"2A", "2B"} | {str(n) for n in range(971, 977)}


def check_numero_departement(value: Any) -> Optional[ValueProblem]:
    text = _as_text(value).upper()
    if _is_number(value) and len(text) == 1:
        text = "0" + text
    if text in _DEPARTEMENTS:
        return None
    return ValueProblem(
        code="numero-departement",
        message=f"« {_show(value)} » n'est pas un numéro de département.",
        hint="Écrivez le numéro sur 2 caractères (01 à 95, 2A, 2B) ou 3 pour l'outre-mer (971 à 976).",
    )


# --- phone numbers ---------------------------------------------------------

_SHORT_NUMBERS = re.compile(r"^(?:1[578]|11[0-9]|116\d{3}|118\d{3}|10\d{2}|3\d{3})$")
_OVERSEAS_CODES = ("262", "269", "508", "590", "594", "596", "681", "687", "689")


def _phone_problem(message: str, hint: str) -> ValueProblem:
    return ValueProblem(code="phone-number-value", message=message, hint=hint)


def phone_number_kind(value: Any) -> Optional[str]:
    """'fixe', 'mobile', 'special', 'court', 'outre-mer', 'international', or None when not a valid number."""
    text = _as_text(value)
    if text[:4].lower() == "tel:":  # RFC 3966 (libphonenumber, hence Validata, reads it)
        text = text[4:].strip()
    national = text.lstrip().startswith("(0)")
    compact = re.sub(r"[\s.\-/()\u00a0\u202f]", "", text.replace("(0)", ""))
    if national and re.fullmatch(r"[1-9]\d{8}", compact):  # (0)2 38 79 22 22
        compact = "0" + compact
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+33"):
        rest = compact[3:]
        if len(rest) == 10 and rest.startswith("0"):
            rest = rest[1:]
        compact = "0" + rest if re.fullmatch(r"[1-9]\d{8}", rest) else ""
        if not compact:
            return None
    if compact.startswith("+"):
        digits = compact[1:]
        if not digits.isdigit():
            return None
        if digits[:3] in _OVERSEAS_CODES:
            return "outre-mer" if 6 <= len(digits) - 3 <= 9 else None
        return "international" if 8 <= len(digits) <= 15 and digits[0] != "0" else None
    if not compact.isdigit():
        return None
    if len(compact) == 10 and compact[0] == "0" and compact[1] != "0":
        if compact[1] in "67":
            return "mobile"
        if compact[1] == "8":
            return "special"
        return "fixe"
    if _SHORT_NUMBERS.match(compact):
        return "court"
    return None


def check_phone_number(value: Any) -> Optional[ValueProblem]:
    if phone_number_kind(value) is not None:
        return None
    text = _as_text(value)
    shown = _show(value)
    digits = re.sub(r"\D", "", text)
    if len(digits) == 9 and not text.startswith(("0", "+")):
        return _phone_problem(
            f"Le numéro de téléphone « {shown} » ne compte que 9 chiffres.",
            "Un numéro français compte 10 chiffres et commence par 0 (ex. 04 76 54 42 54) : "
            + ("le zéro initial a été perdu ; " if _is_number(value) else "ajoutez le 0 initial ; ")
            + "le champ doit être du texte.",
        )
    return _phone_problem(
        f"« {shown} » n'est pas un numéro de téléphone valide.",
        "Écrivez un numéro français à 10 chiffres (01 23 45 67 89), un numéro international commençant par + "
        "(+33 1 23 45 67 89) ou un numéro court (15, 112, 3939) ; un seul numéro par cellule, sans texte.",
    )


# --- opening hours ---------------------------------------------------------


def check_opening_hours_value(value: Any) -> Optional[ValueProblem]:
    text = value if isinstance(value, str) else _as_text(value)
    if not text.strip():  # Validata's parser takes a cell of spaces for no opening hours at all
        return None
    error = check_opening_hours(text)
    if error is None:
        return None
    return ValueProblem(
        code="opening-hours-value",
        message=f"Les horaires « {_show(text, 80)} » ne suivent pas le format OpenStreetMap : {error}.",
        hint="Écrivez par exemple « Mo-Fr 08:00-12:00,14:00-18:00; Sa 09:00-12:00; PH off » "
        "(jours abrégés en anglais, heures sur deux chiffres, règles séparées par « ; ») ; "
        "aide : https://wiki.openstreetmap.org/wiki/FR:Key:opening_hours",
    )


# --- nomenclature ACTES ----------------------------------------------------

NOMENCLATURE_ACTES = (
    "Commande publique",
    "Urbanisme",
    "Domaine et patrimoine",
    "Fonction publique",
    "Institutions et vie politique",
    "Libertés publiques et pouvoirs de police",
    "Finances locales",
    "Domaines de compétences par thèmes",
    "Autres domaines de compétences",
)


_FOLDED_ACTES = {fold(name) for name in NOMENCLATURE_ACTES}


def check_nomenclature_acte(value: Any) -> Optional[ValueProblem]:
    """« matière de niveau 1/sous-matière »: the part before the first « / » must be
    one of the 9 level-1 headings of the ACTES nomenclature (case and accents free)."""
    text = _as_text(value)
    shown = _show(value, 80)
    allowed = ", ".join(f"« {name} »" for name in NOMENCLATURE_ACTES)
    if "/" not in text:
        return ValueProblem(
            code="nomenclature-acte",
            message=f"La matière « {shown} » ne contient pas la barre oblique « / » qui sépare la matière "
            "et la sous-matière de la nomenclature ACTES.",
            hint="Écrivez la matière de niveau 1, une barre oblique, puis la sous-matière "
            "(ex. « Urbanisme/Documents d'urbanisme »). Matières possibles : " + allowed + ".",
        )
    prefix = text.split("/", 1)[0]
    if fold(prefix) not in _FOLDED_ACTES:
        return ValueProblem(
            code="nomenclature-acte",
            message=f"« {prefix.strip()} » n'est pas une matière de la nomenclature ACTES.",
            hint="Commencez par l'une des matières : " + allowed + ".",
        )
    if " /" in text or "/ " in text:
        return ValueProblem(
            code="nomenclature-acte",
            message=f"La matière « {shown} » a des espaces autour de la barre oblique « / ».",
            hint="Collez la barre oblique aux deux intitulés (ex. « Urbanisme/Documents d'urbanisme »).",
        )
    return None


# --- year interval ---------------------------------------------------------


def make_year_interval_check(allow_year_only: bool) -> ValueCheck:
    def check(value: Any) -> Optional[ValueProblem]:
        text = _as_text(value)
        single = re.fullmatch(r"\d{4}", text)
        if single:
            if allow_year_only:
                return None
            return ValueProblem(
                code="year-interval-value",
                message=f"« {text} » est une année seule ; le schéma attend un intervalle d'années.",
                hint=f"Écrivez deux années séparées par une barre oblique (ex. {text}/{int(text) + 1}).",
            )
        match = re.fullmatch(r"(\d{4})/(\d{4})", text)
        if not match:
            expected = "une année (AAAA) ou un intervalle AAAA/AAAA" if allow_year_only else "un intervalle AAAA/AAAA"
            return ValueProblem(
                code="year-interval-value",
                message=f"« {_show(value)} » n'est pas {expected}.",
                hint="Écrivez par exemple « 2017/2018 »" + (" ou « 2017 »" if allow_year_only else "") + ".",
            )
        start, end = int(match.group(1)), int(match.group(2))
        if start > end:
            return ValueProblem(
                code="year-interval-value",
                message=f"L'intervalle « {text} » est à l'envers : {start} est après {end}.",
                hint=f"Écrivez d'abord l'année de début : « {end}/{start} ».",
            )
        return None

    return check


# --- GPS coordinates in a geopoint field ------------------------------------


def make_gps_check(fmt: str) -> ValueCheck:
    def check(value: Any) -> Optional[ValueProblem]:
        point = parse_geopoint(value, fmt)
        if point is None:
            return None  # the geopoint type check reports unreadable values
        return geo_problem(point[0], point[1])

    return check


# ---------------------------------------------------------------------------
# row checks


def _coerce(value: Any) -> Any:
    """A comparable Python value: Decimal, float, date or datetime; None when unusable."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            number = None
        if number is not None:
            return number if number.is_finite() else None
        for parser in (_dt.date.fromisoformat, _dt.datetime.fromisoformat):
            try:
                return parser(text.replace("Z", "+00:00"))
            except ValueError:
                continue
    return None


def _pair(a: Any, b: Any) -> Optional[Tuple[Any, Any]]:
    """Make two coerced values comparable, or None."""
    a, b = _coerce(a), _coerce(b)
    if a is None or b is None:
        return None
    numbers = (Decimal, float)
    if isinstance(a, numbers) and isinstance(b, numbers):
        if isinstance(a, float) or isinstance(b, float):
            return float(a), float(b)
        return a, b
    if isinstance(a, _dt.date) and isinstance(b, _dt.date):
        if isinstance(a, _dt.datetime) != isinstance(b, _dt.datetime):
            a = a.date() if isinstance(a, _dt.datetime) else a
            b = b.date() if isinstance(b, _dt.datetime) else b
        return a, b
    return None


_OPS: Dict[str, Tuple[Callable[[Any, Any], bool], str, str]] = {
    "<": (lambda a, b: a < b, "strictement inférieur à", "antérieur à"),
    "<=": (lambda a, b: a <= b, "inférieur ou égal à", "antérieur ou égal à"),
    "==": (lambda a, b: a == b, "égal à", "égal à"),
    ">=": (lambda a, b: a >= b, "supérieur ou égal à", "postérieur ou égal à"),
    ">": (lambda a, b: a > b, "strictement supérieur à", "postérieur à"),
}


def _make_compare(column: str, column2: str, op: str) -> Callable[[Dict[str, Any]], List[Tuple[str, ValueProblem]]]:
    test, words, date_words = _OPS[op]

    def check(row: Dict[str, Any]) -> List[Tuple[str, ValueProblem]]:
        if _is_missing(row.get(column)) or _is_missing(row.get(column2)):
            return []
        pair = _pair(row[column], row[column2])
        if pair is None:
            return []
        try:
            ok = test(*pair)
        except TypeError:  # e.g. aware vs naive datetimes
            return []
        if ok:
            return []
        relation = date_words if isinstance(pair[0], _dt.date) else words
        left, right = _show(row[column]), _show(row[column2])
        return [
            (
                column,
                ValueProblem(
                    code="compare-columns-value",
                    message=f"« {column} » ({left}) devrait être {relation} « {column2} » ({right}).",
                    hint=f"Vérifiez ces deux valeurs sur cette ligne : l'une d'elles est sans doute fausse ou "
                    f"inversée (règle du schéma : {column} {op} {column2}).",
                ),
            )
        ]

    return check


def _make_cohesive(column: str, others: List[str]) -> Callable[[Dict[str, Any]], List[Tuple[str, ValueProblem]]]:
    columns = [column] + [c for c in others if c != column]

    def check(row: Dict[str, Any]) -> List[Tuple[str, ValueProblem]]:
        present = [c for c in columns if c in row]
        if len(present) < 2:
            return []
        filled = [c for c in present if not _is_missing(row[c])]
        if not filled or len(filled) == len(present):
            return []
        empty = [c for c in present if c not in filled]
        listing = ", ".join(f"« {c} »" for c in present)
        return [
            (
                column,
                ValueProblem(
                    code="cohesive-columns-value",
                    message=f"Les colonnes {listing} vont ensemble : "
                    + ", ".join(f"« {c} »" for c in filled)
                    + (" est rempli" if len(filled) == 1 else " sont remplies")
                    + " mais "
                    + ", ".join(f"« {c} »" for c in empty)
                    + (" est vide." if len(empty) == 1 else " sont vides."),
                    hint="Renseignez toutes ces colonnes sur cette ligne, ou laissez-les toutes vides.",
                ),
            )
        ]

    return check


def _make_sum(column: str, parts: List[str]) -> Callable[[Dict[str, Any]], List[Tuple[str, ValueProblem]]]:
    def check(row: Dict[str, Any]) -> List[Tuple[str, ValueProblem]]:
        if any(c not in row or _is_missing(row[c]) for c in [column, *parts]):
            return []
        total = _coerce(row[column])
        values = [_coerce(row[c]) for c in parts]
        numbers = (Decimal, float)
        if not isinstance(total, numbers) or not all(isinstance(v, numbers) for v in values):
            return []
        if isinstance(total, float) or any(isinstance(v, float) for v in values):
            computed = math.fsum(float(v) for v in values)
            ok = math.isclose(float(total), computed, rel_tol=1e-9, abs_tol=1e-6)
        else:
            computed = sum(values, Decimal(0))
            ok = total == computed
        if ok:
            return []
        shown_parts = " + ".join(f"{c} ({_show(row[c])})" for c in parts)
        return [
            (
                column,
                ValueProblem(
                    code="sum-columns-value",
                    message=f"« {column} » vaut {_show(row[column])} alors que la somme {shown_parts} "
                    f"fait {_show(computed)}.",
                    hint=f"Corrigez « {column} » ou l'une des valeurs additionnées : « {column} » doit être égal à "
                    "leur somme.",
                ),
            )
        ]

    return check


def _make_one_of(column1: str, column2: str) -> Callable[[Dict[str, Any]], List[Tuple[str, ValueProblem]]]:
    def check(row: Dict[str, Any]) -> List[Tuple[str, ValueProblem]]:
        if column1 not in row and column2 not in row:
            return [
                (
                    column1,
                    ValueProblem(
                        code="one-of-required",
                        message=f"Les colonnes « {column1} » et « {column2} » manquent toutes les deux : "
                        "l'une des deux est obligatoire.",
                        hint=f"Ajoutez à la couche la colonne « {column1} » ou « {column2} » "
                        "(ou associez-la à un champ existant dans la correspondance des champs) et remplissez-la.",
                    ),
                )
            ]
        if not _is_missing(row.get(column1)) or not _is_missing(row.get(column2)):
            return []
        blame = column1 if column1 in row else column2
        return [
            (
                blame,
                ValueProblem(
                    code="one-of-required",
                    message=f"« {column1} » et « {column2} » sont vides : l'une des deux doit être renseignée.",
                    hint=f"Renseignez « {column1} » ou « {column2} » sur cette ligne.",
                ),
            )
        ]

    return check


# ---------------------------------------------------------------------------
# registry and builder

VALUE, ROW = "value", "row"


def _luhn_ok_bytes(np, uniques, length: int):
    """Vectorised: the byte strings that are exactly ``length`` ASCII digits
    with a valid Luhn key. La Poste's SIRET (356000000…, another key) are left
    to the full check."""
    ok = np.char.str_len(uniques) == length
    fixed = uniques.astype(f"S{length}")
    digits = np.frombuffer(fixed.tobytes(), dtype=np.uint8).reshape(-1, length).astype(np.int16) - 48
    ok &= ((digits >= 0) & (digits <= 9)).all(axis=1)
    doubled = digits.copy()
    doubled[:, -2::-2] *= 2
    doubled = np.where(doubled > 9, doubled - 9, doubled)
    ok &= doubled.sum(axis=1) % 10 == 0
    if length == 14:
        ok &= ~np.char.startswith(fixed, b"356000000")
        siren = digits[:, :9].copy()  # the SIREN part has its own key
        siren[:, -2::-2] *= 2
        siren = np.where(siren > 9, siren - 9, siren)
        ok &= siren.sum(axis=1) % 10 == 0
    return ok


def _simple(check: ValueCheck) -> Callable[[_Builder, str, Dict[str, Any]], None]:
    def build(builder: _Builder, name: str, params: Dict[str, Any]) -> None:
        builder.add_value_check(builder.column(params, "column", name), check)

    return build


def _build_year_interval(builder: _Builder, name: str, params: Dict[str, Any]) -> None:
    column = builder.column(params, "column", name)
    allow = next((params[k] for k in ("allow-year-only", "allow_year_only", "allowYearOnly") if k in params), False)
    builder.add_value_check(column, make_year_interval_check(_truthy(allow)))


def _build_gps(builder: _Builder, name: str, params: Dict[str, Any]) -> None:
    column = builder.column(params, "column", name)
    descriptor = builder.schema.get_field(column)
    builder.add_value_check(column, make_gps_check(descriptor.format if descriptor else "default"))


def _build_compare(builder: _Builder, name: str, params: Dict[str, Any]) -> None:
    column = builder.column(params, "column", name)
    column2 = builder.column(params, "column2", name)
    op = params.get("op")
    if op not in _OPS:
        raise _BadParams(f"l'opérateur « {op} » n'est pas l'un de {', '.join(_OPS)}")
    builder.result.row_checks.append(
        RowCheck(name, [column, column2], dict(params), _make_compare(column, column2, op))
    )


def _build_cohesive(builder: _Builder, name: str, params: Dict[str, Any]) -> None:
    column = builder.column(params, "column", name)
    others = builder.columns(params, "othercolumns", name)
    builder.result.row_checks.append(
        RowCheck(name, [column] + [c for c in others if c != column], dict(params), _make_cohesive(column, others))
    )


def _build_sum(builder: _Builder, name: str, params: Dict[str, Any]) -> None:
    column = builder.column(params, "column", name)
    parts = builder.columns(params, "columns", name)
    builder.result.row_checks.append(RowCheck(name, [column, *parts], dict(params), _make_sum(column, parts)))


def _build_one_of(builder: _Builder, name: str, params: Dict[str, Any]) -> None:
    column1 = builder.column(params, "column1", name)
    column2 = builder.column(params, "column2", name)
    builder.result.row_checks.append(RowCheck(name, [column1, column2], dict(params), _make_one_of(column1, column2)))


@dataclass(frozen=True)
class CustomCheckSpec:
    """Everything the plugin knows of one custom check of a schema's ``custom_checks``: adding a check is
    adding one spec to :data:`CUSTOM_CHECKS` (the builder, the finding registry and the columnar engine
    read them)."""

    name: str  # its name in schema.json, also the code of its findings
    kind: str  # VALUE: one value of a field at a time; ROW: several fields of a feature
    build: Callable[[_Builder, str, Dict[str, Any]], None]  # adds it to a CustomCheckSet from its params
    title: str = ""  # registry entry (French): title and help of its findings; "" when its findings have
    help: str = ""  # codes of their own (french-gps-coordinates: the geo codes)
    severity: str = ERROR
    former_names: Tuple[str, ...] = ()  # older names: checked all the same, with an INFO note
    synonyms: Tuple[str, ...] = ()  # other spellings, accepted silently
    value_check: Optional[ValueCheck] = None  # the check of a VALUE spec without parameters
    #: vectorised pre-filter for the columnar engine: (numpy, distinct values as byte strings) -> mask of
    #: the values the check surely accepts (never one it would reject); a VALUE spec must say it, or say
    #: CHECK_EVERY_VALUE (the engine checks every distinct value); a ROW spec has none (None)
    prefilter: Any = None
    on_blank_rows: bool = False  # ROW: also run on a blank row (Validata: one-of-required; others skip it)

    def __post_init__(self) -> None:
        if self.kind == VALUE and not (callable(self.prefilter) or self.prefilter is CHECK_EVERY_VALUE):
            raise ValueError(f"custom check {self.name}: a VALUE spec gives its prefilter or CHECK_EVERY_VALUE")
        if self.kind == ROW and (self.prefilter is not None or self.value_check is not None):
            raise ValueError(f"custom check {self.name}: a ROW spec has no prefilter nor value_check")
        if self.on_blank_rows and self.kind != ROW:
            raise ValueError(f"custom check {self.name}: only a ROW spec runs on blank rows")


class _CheckEveryValue:
    def __repr__(self) -> str:
        return "CHECK_EVERY_VALUE"


#: the prefilter of a VALUE spec the columnar engine cannot pre-test: every distinct value is checked
CHECK_EVERY_VALUE = _CheckEveryValue()


def _value_spec(
    name: str, check: ValueCheck, title: str, help_text: str, prefilter: Any = CHECK_EVERY_VALUE, **more: Any
) -> CustomCheckSpec:
    return CustomCheckSpec(
        name, VALUE, _simple(check), title, help_text, value_check=check, prefilter=prefilter, **more
    )


#: the custom checks the plugin performs, in the order of the finding registry
CUSTOM_CHECKS: Tuple[CustomCheckSpec, ...] = (
    _value_spec(
        "siret",
        check_siret,
        "SIRET invalide",
        "Un SIRET compte 14 chiffres et sa clé de contrôle doit être juste. Recopiez-le depuis "
        "annuaire-entreprises.data.gouv.fr.",
        former_names=("french-siret-value",),
        prefilter=lambda np, uniques: _luhn_ok_bytes(np, uniques, 14),
    ),
    _value_spec(
        "siren",
        check_siren,
        "SIREN invalide",
        "Un SIREN compte 9 chiffres et sa clé de contrôle doit être juste. Recopiez-le depuis "
        "annuaire-entreprises.data.gouv.fr.",
        former_names=("french-siren-value",),
        prefilter=lambda np, uniques: _luhn_ok_bytes(np, uniques, 9),
    ),
    _value_spec(
        "code-postal",
        check_code_postal,
        "Code postal invalide",
        "Un code postal français compte 5 chiffres : de 01000 à 95999 en métropole, 97xxx ou 98xxx en outre-mer. "
        "Gardez le zéro initial : le champ doit être de type texte.",
    ),
    _value_spec(
        "code-commune-insee",
        check_code_commune_insee,
        "Code INSEE de commune invalide",
        "Le code officiel géographique d'une commune compte 5 caractères (ex. 45234, 2A004). Ne le confondez pas "
        "avec le code postal.",
    ),
    _value_spec(
        "phone-number-value",
        check_phone_number,
        "Numéro de téléphone invalide",
        "Écrivez un numéro français à 10 chiffres (02 38 79 22 22) ou au format international (+33 2 38 79 22 22).",
    ),
    _value_spec(
        "opening-hours-value",
        check_opening_hours_value,
        "Horaires d'ouverture illisibles",
        "Les horaires suivent la syntaxe OpenStreetMap, par exemple « Mo-Fr 08:00-12:00,14:00-18:00; Sa 09:00-12:00 ».",
    ),
    CustomCheckSpec(
        "cohesive-columns-value",
        ROW,
        _build_cohesive,
        "Champs à remplir ensemble",
        "Ces champs vont ensemble : remplissez-les tous ou laissez-les tous vides.",
    ),
    CustomCheckSpec(
        "compare-columns-value",
        ROW,
        _build_compare,
        "Comparaison entre champs fausse",
        "Deux champs doivent respecter un ordre (par exemple une date de début avant une date de fin).",
    ),
    CustomCheckSpec(
        "sum-columns-value",
        ROW,
        _build_sum,
        "Somme incohérente",
        "Un champ doit valoir la somme d'autres champs.",
    ),
    CustomCheckSpec(
        "year-interval-value",
        VALUE,
        _build_year_interval,
        "Intervalle d'années invalide",
        "Écrivez l'intervalle sous la forme 2020/2024, l'année de début avant l'année de fin.",
        prefilter=CHECK_EVERY_VALUE,
    ),
    CustomCheckSpec(
        "one-of-required",
        ROW,
        _build_one_of,
        "Un des deux champs est obligatoire",
        "Au moins un des deux champs doit être rempli pour chaque entité.",
        on_blank_rows=True,
    ),
    _value_spec(
        "nomenclature-acte",
        check_nomenclature_acte,
        "Nature d'acte hors nomenclature",
        "La valeur doit commencer par une rubrique de la nomenclature des actes (ex. « Commande publique/Marchés "
        "publics »).",
        former_names=("nomenclature-actes-value",),
    ),
    _value_spec(
        "numero-departement",
        check_numero_departement,
        "Numéro de département invalide",
        "Un numéro de département s'écrit sur 2 caractères (01 à 95, 2A, 2B) ou 3 chiffres en outre-mer (971 à 976).",
    ),
    CustomCheckSpec(
        "french-gps-coordinates",
        VALUE,
        _build_gps,
        synonyms=("coordonnees-gps-francaises",),
        prefilter=CHECK_EVERY_VALUE,
    ),
)
_SPECS: Dict[str, CustomCheckSpec] = {spec.name: spec for spec in CUSTOM_CHECKS}
# former name -> current name (Validata rewrites them with a deprecation warning)
DEPRECATED_NAMES = {old: spec.name for spec in CUSTOM_CHECKS for old in spec.former_names}
# other spellings of the same check, accepted silently
SYNONYMS = {other: spec.name for spec in CUSTOM_CHECKS for other in spec.synonyms}
_PREFILTERS = {
    spec.value_check: spec.prefilter for spec in CUSTOM_CHECKS if spec.value_check and callable(spec.prefilter)
}


def vectorised_prefilter(check: ValueCheck) -> Optional[Callable[[Any, Any], Any]]:
    """The pre-filter of the custom value check ``check`` (see :class:`CustomCheckSpec`), None when it has none."""
    return _PREFILTERS.get(check)


# frformat formats that Validata knows but that need reference lists (COG, FANTOIR…) the plugin does not ship
NOT_SUPPORTED = {
    "commune",
    "departement",
    "region",
    "code-region",
    "canton",
    "pays",
    "code-pays-iso2",
    "code-pays-iso3",
    "code-fantoir",
    "code-rna",
}

KNOWN_CHECKS = tuple(_SPECS)


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("yes", "true", "oui", "1", "y", "o")
    return bool(value)


class _Builder:
    def __init__(self, schema: TableSchema):
        self.schema = schema
        self.result = CustomCheckSet()
        self.deprecated_seen: Dict[str, int] = {}

    def note(self, code: str, severity: str, message: str, hint: str, check: str) -> None:
        self.result.notes.append(
            Finding(code=code, severity=severity, message=message, hint=hint, extra={"check": check})
        )

    def column(self, params: Dict[str, Any], key: str, check: str) -> str:
        value = params.get(key)
        if not isinstance(value, str) or not value:
            raise _BadParams(f"le paramètre « {key} » est absent ou n'est pas un nom de colonne")
        if self.schema.get_field(value) is not None:
            return value
        matches = [n for n in self.schema.field_names() if n.lower() == value.lower()]
        if len(matches) == 1:
            return matches[0]
        raise _BadParams(f"la colonne « {value} » (paramètre « {key} ») n'est pas déclarée par le schéma")

    def columns(self, params: Dict[str, Any], key: str, check: str) -> List[str]:
        value = params.get(key)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            raise _BadParams(f"le paramètre « {key} » doit être une liste de noms de colonnes")
        return [self.column({key: v}, key, check) for v in value]

    def add_value_check(self, column: str, check: ValueCheck) -> None:
        self.result.value_checks.setdefault(column, []).append(check)

    def build(self) -> CustomCheckSet:
        for index, entry in enumerate(self.schema.custom_checks):
            self.one(index, entry)
        for old, count in self.deprecated_seen.items():
            new = DEPRECATED_NAMES[old]
            times = f" ({count} fois)" if count > 1 else ""
            self.note(
                "deprecated-custom-check",
                INFO,
                f"Le schéma utilise l'ancien nom de contrôle « {old} »{times}, remplacé par « {new} » : "
                "le contrôle est fait quand même.",
                "Rien à faire de votre côté ; l'auteur du schéma peut le mettre à jour.",
                old,
            )
        return self.result

    def one(self, index: int, entry: Any) -> None:
        raw_name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(raw_name, str) or not raw_name.strip():
            self.note(
                "check-error",
                WARNING,
                f"Le contrôle complémentaire n°{index + 1} du schéma n'a pas de nom : il est ignoré.",
                "Signalez-le à l'auteur du schéma ; les autres contrôles sont faits.",
                "",
            )
            return
        written = raw_name.strip()
        name = written
        if name in DEPRECATED_NAMES:
            self.deprecated_seen[name] = self.deprecated_seen.get(name, 0) + 1
            name = DEPRECATED_NAMES[name]
        name = SYNONYMS.get(name, name)
        if name not in KNOWN_CHECKS:
            if name in NOT_SUPPORTED:
                message = (
                    f"Le contrôle complémentaire « {written} » demandé par le schéma n'est pas encore fait par "
                    "l'extension (il demande des listes officielles qu'elle n'embarque pas) : il est ignoré."
                )
                hint = "Vérifiez ces valeurs sur validata.fr avant de publier."
            else:
                message = f"Le contrôle complémentaire « {written} » est inconnu : il est ignoré."
                hint = (
                    "Le schéma est peut-être plus récent que l'extension : mettez-la à jour, ou vérifiez le fichier "
                    "sur validata.fr."
                )
            self.note("check-error", WARNING, message, hint, written)
            return
        params = entry.get("params", {})
        if params is None:
            params = {}
        try:
            if not isinstance(params, dict):
                raise _BadParams("ses paramètres (« params ») ne sont pas un objet JSON")
            self.add(name, params)
        except _BadParams as exc:
            self.note(
                "check-error",
                WARNING,
                f"Le contrôle complémentaire « {written} » ne peut pas être fait : {exc}. Il est ignoré.",
                "Signalez-le à l'auteur du schéma ; les autres contrôles sont faits.",
                written,
            )

    def add(self, name: str, params: Dict[str, Any]) -> None:
        _SPECS[name].build(self, name, params)


def build_custom_checks(schema: TableSchema) -> CustomCheckSet:
    """The checks a schema's ``custom_checks`` asks for. Never raises."""
    try:
        return _Builder(schema).build()
    except Exception as exc:  # a defect here must not stop the whole validation
        result = CustomCheckSet()
        result.notes.append(
            Finding(
                code="check-error",
                severity=WARNING,
                message=f"Les contrôles complémentaires du schéma n'ont pas pu être préparés ({exc}) : "
                "ils sont ignorés.",
                hint="Vérifiez le fichier sur validata.fr et signalez le problème aux auteurs de l'extension.",
            )
        )
        return result
