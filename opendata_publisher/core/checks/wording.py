"""French wording of the problems of one value (what agents read in the check report).

Each function returns the :class:`.finding.ValueProblem` (code, constraint, message, hint) of one
kind of problem: a missing required value, a value that is not of its Table Schema type, a value
outside an enum, a pattern, a length or a bound, an array item. Hints say how to correct the value
(day/month/year order, decimal comma, thousands separators, swapped or projected coordinates…).

Which value has which problem is decided by :mod:`.parsing` (types) and :mod:`.constraints`.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from decimal import Decimal
from typing import Any, List, Optional, Tuple

from ..schema.model import FieldDescriptor
from .finding import ValueProblem
from .parsing import FAIL, canonical_text, geopoint_from_text, reader_for

__all__ = [
    "bound_problem",
    "enum_problem",
    "item_problem",
    "item_type_problem",
    "join_quoted",
    "length_problem",
    "pattern_budget_warning",
    "pattern_problem",
    "required_problem",
    "show",
    "show_value",
    "type_problem",
]

_MAX_SHOWN = 60  # characters of a value quoted in a message


def show(text: str) -> str:
    text = text.replace("\n", " ").replace("\r", " ")
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


def show_value(value: Any) -> str:
    return show(value if isinstance(value, str) else canonical_text(value))


def join_quoted(values: List[Any], limit: int = 12) -> str:
    shown = [f"« {show_value(v)} »" for v in values[:limit]]
    text = ", ".join(shown)
    if len(values) > limit:
        text += f"… ({len(values)} valeurs en tout, voir la documentation du schéma)"
    return text


_MASKS = {"%Y": "aaaa", "%y": "aa", "%m": "mm", "%d": "jj", "%H": "hh", "%M": "mm", "%S": "ss", "%I": "hh"}
_SAMPLE = _dt.datetime(2016, 12, 5, 14, 30, 0)


def _format_mask(fmt: str) -> str:
    mask = fmt
    for directive, text in _MASKS.items():
        mask = mask.replace(directive, text)
    return mask


def _format_example(fmt: str) -> str:
    try:
        return _SAMPLE.strftime(fmt)
    except Exception:
        return ""


_DMY_RE = re.compile(r"\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*")


def _number_hint(text: str, decimal_char: str, integer: bool) -> str:
    stripped = text.strip()
    if not stripped:
        return "Écrivez un nombre, ou laissez la cellule vide si le champ n'est pas obligatoire."
    if stripped != text and _number_like(stripped, decimal_char):
        return "Retirez les espaces avant ou après le nombre."
    if decimal_char == "." and re.fullmatch(r"-?[\d\s\u00a0\u202f]*\d,\d+", stripped):
        fixed = re.sub(r"[\s\u00a0\u202f]", "", stripped).replace(",", ".")
        if integer:
            return f"Ce champ attend un nombre entier : « {show(fixed)} » n'en est pas un. Arrondissez la valeur."
        return f"Remplacez la virgule par un point : écrivez « {show(fixed)} »."
    if re.fullmatch(r"-?\d{1,3}([\s\u00a0\u202f.']\d{3})+([.,]\d+)?", stripped):
        return "Retirez les séparateurs de milliers (espaces, points) : écrivez le nombre d'un seul bloc, ex. 12500."
    if re.fullmatch(r"[^\d\-]*-?\d+([.,]\d+)?\s*\D+|\D+\s*-?\d+([.,]\d+)?", stripped):
        return "N'écrivez que le nombre, sans unité, symbole ni texte (pas de « € », « % », « m »…)."
    if integer and _number_like(stripped, "."):
        return (
            "Écrivez un nombre entier, sans décimale (ex. 12) : arrondissez la valeur, ou vérifiez que la bonne "
            "colonne est associée à ce champ."
        )
    if integer:
        return "Écrivez un nombre entier, sans décimale ni espace (ex. 12)."
    if decimal_char != ".":
        return f"Écrivez un nombre avec « {decimal_char} » comme séparateur décimal, sans espace ni unité."
    return "Écrivez un nombre avec un point comme séparateur décimal, sans espace ni unité (ex. 1234.5)."


def _number_like(text: str, decimal_char: str) -> bool:
    try:
        Decimal(text.replace(decimal_char, "."))
    except Exception:
        return False
    return True


def show_regex(pattern: str) -> str:
    return f"« {pattern} »" if len(pattern) <= 120 else f"« {pattern[:119]}… »"


# ---------------------------------------------------------------------------
# Problems


def required_problem(field: FieldDescriptor, value: Any) -> ValueProblem:
    what = f"« {field.name} »"
    if field.title and field.title != field.name:
        what += f" ({show(field.title)})"
    hint = f"Renseignez {what}"
    if field.description:
        description = " ".join(field.description.split())
        if len(description) > 160:
            description = description[:159] + "…"
        hint += f" : {description}"
    if not hint.endswith((".", "…")):
        hint += "."
    if isinstance(value, str) and value:
        hint += f" La valeur « {show(value)} » est comptée comme manquante par le schéma."
    return ValueProblem(
        code="constraint-error",
        constraint="required",
        message=f"Valeur obligatoire manquante pour le champ « {field.name} ».",
        hint=hint,
    )


def type_problem(field: FieldDescriptor, value: Any) -> ValueProblem:
    text = canonical_text(value)
    shown = show(text)
    name = field.name
    ftype, fmt = field.type, field.format
    message, hint = f"La valeur « {shown} » n'est pas valide pour « {name} ».", "Corrigez la valeur."
    if ftype == "string":
        message, hint = _string_type_texts(fmt, shown, name, text)
    elif ftype in ("number", "integer"):
        integer = ftype == "integer"
        kind = "un nombre entier" if integer else "un nombre"
        message = f"La valeur « {shown} » n'est pas {kind} (champ « {name} »)."
        if integer and _number_like(text.strip(), "."):
            message = f"La valeur « {shown} » n'est pas un nombre entier (champ « {name} ») : elle a des décimales."
        hint = _number_hint(text, field.decimal_char, integer)
    elif ftype == "boolean":
        message = f"La valeur « {shown} » n'est pas une valeur oui/non acceptée pour « {name} »."
        candidates = {v.casefold(): v for v in field.false_values + field.true_values}
        near = candidates.get(text.strip().casefold())
        if near is not None:
            hint = f"Écrivez exactement « {near} » (attention aux majuscules et aux espaces)."
        else:
            hint = (
                f"Pour « vrai », écrivez {join_quoted(field.true_values)} ; "
                f"pour « faux », écrivez {join_quoted(field.false_values)}."
            )
    elif ftype == "date":
        message, hint = _date_type_texts(fmt, shown, text)
    elif ftype == "datetime":
        if fmt == "default":
            message = (
                f"La date et heure « {shown} » n'est pas au format attendu aaaa-mm-jjThh:mm:ss "
                "(ex. 2016-12-05T14:30:00)."
            )
            hint = (
                "Écrivez la date et l'heure sous la forme 2016-12-05T14:30:00, éventuellement suivie du fuseau "
                "horaire (2016-12-05T14:30:00Z ou 2016-12-05T14:30:00+01:00), ou utilisez un champ de type "
                "Date et heure."
            )
            if reader_for(FieldDescriptor(name=name, type="date"))(text.strip()) is not FAIL:
                hint = f"Il manque l'heure : écrivez par exemple « {show(text.strip())}T00:00:00 »."
        else:
            message, hint = _custom_format_texts("La date et heure", fmt, shown, "Date et heure")
    elif ftype == "time":
        if fmt == "default":
            message = f"L'heure « {shown} » n'est pas au format attendu hh:mm:ss (ex. 14:30:00)."
            hint = "Écrivez l'heure sur 24 heures avec les secondes, sous la forme 14:30:00."
        else:
            message, hint = _custom_format_texts("L'heure", fmt, shown, "Heure")
    elif ftype == "year":
        message = f"« {shown} » n'est pas une année sur 4 chiffres (champ « {name} »)."
        hint = "Écrivez l'année seule, sur 4 chiffres, par exemple 2016."
    elif ftype == "yearmonth":
        message = f"« {shown} » n'est pas un mois au format aaaa-mm (champ « {name} »)."
        hint = "Écrivez l'année et le mois sous la forme 2016-12."
    elif ftype == "duration":
        message = f"« {shown} » n'est pas une durée au format ISO 8601 (champ « {name} »)."
        hint = (
            "Écrivez la durée sous la forme P1Y2M10DT2H30M : P, puis les années (Y), mois (M), jours (D), "
            "et après T les heures (H), minutes (M) et secondes (S). Ex. PT30M pour 30 minutes, P2D pour 2 jours."
        )
    elif ftype == "geopoint":
        message, hint = _geopoint_type_texts(fmt, shown, text, name)
    elif ftype == "geojson":
        kind = "TopoJSON" if fmt == "topojson" else "GeoJSON"
        message = f"La valeur « {shown} » n'est pas un objet {kind} valide (champ « {name} »)."
        hint = (
            'Écrivez un objet GeoJSON complet, par exemple {"type": "Point", "coordinates": [2.3522, 48.8566]} '
            "(longitude puis latitude, en WGS 84)."
            if kind == "GeoJSON"
            else "Écrivez un objet TopoJSON complet (type « Topology » avec « objects » et « arcs »)."
        )
    elif ftype == "array":
        message = f"La valeur « {shown} » n'est pas une liste JSON (champ « {name} »)."
        hint = 'Écrivez une liste entre crochets, par exemple ["valeur 1", "valeur 2"].'
    elif ftype == "object":
        message = f"La valeur « {shown} » n'est pas un objet JSON (champ « {name} »)."
        hint = 'Écrivez un objet entre accolades, par exemple {"nom": "valeur"}.'
    return ValueProblem(code="type-error", message=message, hint=hint)


def item_type_problem(field: FieldDescriptor, item: Any, item_type: str, problem: ValueProblem) -> ValueProblem:
    """An item of the array ``field`` is not of the item type: a type error of the whole cell."""
    text = show(json.dumps(item, ensure_ascii=False))
    return ValueProblem(
        code="type-error",
        message=f"L'élément {text} de la liste du champ « {field.name} » n'a pas le type attendu ({item_type}).",
        hint=problem.hint,
    )


def item_problem(field: FieldDescriptor, problem: ValueProblem) -> ValueProblem:
    """An item of the array ``field`` breaks a constraint of ``arrayItem``."""
    return ValueProblem(
        code=problem.code,
        constraint=problem.constraint,
        message=f"Un élément de la liste du champ « {field.name} » : {problem.message}",
        hint=problem.hint,
        severity=problem.severity,
    )


def enum_problem(field: FieldDescriptor, text: str, near: Optional[str], allowed: List[str]) -> ValueProblem:
    """``text`` is not one of ``allowed``; ``near`` is the allowed value it differs from by case or spaces."""
    message = f"La valeur « {show(text)} » ne fait pas partie des valeurs autorisées pour « {field.name} »."
    if near is not None:
        hint = f"Écrivez exactement « {show(near)} » (attention aux majuscules, accents et espaces)."
    else:
        hint = f"Choisissez l'une des valeurs autorisées : {join_quoted(allowed)}."
    return ValueProblem(code="constraint-error", constraint="enum", message=message, hint=hint)


def pattern_problem(field: FieldDescriptor, text: str, pattern: str, trimmed: bool, example: Any) -> ValueProblem:
    """``text`` does not match ``pattern`` (``trimmed``: it would without its outer spaces)."""
    message = f"La valeur « {show(text)} » n'a pas le format attendu pour « {field.name} »."
    if trimmed:
        hint = "Retirez les espaces au début ou à la fin de la valeur."
    else:
        hint = f"Le format attendu est décrit par l'expression régulière {show_regex(pattern)}."
        if example not in (None, ""):
            hint += f" Exemple de valeur correcte : « {show_value(example)} »."
    return ValueProblem(code="constraint-error", constraint="pattern", message=message, hint=hint)


def pattern_budget_warning(field: FieldDescriptor, pattern: str) -> str:
    """The warning when ``pattern`` is too costly to evaluate (exponential backtracking)."""
    return (
        f"Le motif (« pattern ») du champ « {field.name} » est trop coûteux à évaluer (expression "
        f"régulière {show_regex(pattern)} à retour arrière exponentiel) : cette règle n'a pas pu être "
        "appliquée, les valeurs de ce champ n'ont pas été vérifiées contre ce motif. Signalez-le aux "
        "auteurs du schéma."
    )


def length_problem(field: FieldDescriptor, name: str, value: Any, size: int, limit: int) -> ValueProblem:
    """``value`` has ``size`` characters (or items) against the ``minLength``/``maxLength`` ``limit``."""
    unit = "caractères" if field.type not in ("array", "object") else "éléments"
    shown = show(canonical_text(value))
    if name == "minLength":
        message = f"La valeur « {shown} » est trop courte ({size} {unit}) pour « {field.name} »."
        hint = f"Il faut au moins {limit} {unit}. Complétez la valeur (un zéro initial a-t-il été perdu ?)."
    else:
        message = f"La valeur « {shown} » est trop longue ({size} {unit}) pour « {field.name} »."
        hint = f"Il faut au plus {limit} {unit}. Raccourcissez la valeur."
    return ValueProblem(code="constraint-error", constraint=name, message=message, hint=hint)


_BOUND_WORDING = {
    "minimum": ("inférieure au minimum autorisé", "supérieure ou égale à"),
    "maximum": ("supérieure au maximum autorisé", "inférieure ou égale à"),
    "exclusiveMinimum": ("trop petite", "strictement supérieure à"),
    "exclusiveMaximum": ("trop grande", "strictement inférieure à"),
}


def bound_problem(field: FieldDescriptor, name: str, value: Any, raw_bound: Any, projected: bool) -> ValueProblem:
    """``value`` is outside the bound ``name`` (``raw_bound`` as the schema writes it); ``projected``: the
    value looks like projected coordinates against a bound in degrees."""
    shown_bound = show_value(raw_bound)
    what, should = _BOUND_WORDING[name]
    shown = show(canonical_text(value))
    message = f"La valeur « {shown} » est {what} ({shown_bound}) pour « {field.name} »."
    hint = f"La valeur doit être {should} {shown_bound}. Corrigez-la"
    if field.type in ("number", "integer") and projected:
        hint += (
            " ; une valeur aussi grande pour des coordonnées indique souvent une autre projection "
            "(ex. Lambert 93) : exportez en WGS 84 (EPSG:4326)"
        )
    hint += "."
    return ValueProblem(code="constraint-error", constraint=name, message=message, hint=hint)


# ---------------------------------------------------------------------------
# Helpers of the type problems


def _string_type_texts(fmt: str, shown: str, name: str, text: str) -> Tuple[str, str]:
    if fmt == "email":
        message = f"« {shown} » n'est pas une adresse électronique valide (champ « {name} »)."
        if text.count("@") > 1 or any(sep in text for sep in (";", ",", " / ")):
            hint = "Ne mettez qu'une seule adresse par cellule, de la forme nom@domaine.fr."
        elif text != text.strip() or " " in text.strip():
            hint = "Retirez les espaces : une adresse s'écrit d'un seul bloc, de la forme nom@domaine.fr."
        else:
            hint = "Écrivez une adresse complète de la forme nom@domaine.fr."
        return message, hint
    if fmt == "uri":
        message = f"« {shown} » n'est pas une adresse web complète (champ « {name} »)."
        if text.strip().lower().startswith("www."):
            hint = f"Ajoutez le protocole devant l'adresse : écrivez « https://{show(text.strip())} »."
        else:
            hint = "Écrivez l'adresse en entier avec son protocole, par exemple https://www.exemple.fr/page."
        return message, hint
    if fmt == "uuid":
        return (
            f"« {shown} » n'est pas un identifiant UUID (champ « {name} »).",
            "Un UUID s'écrit avec 32 chiffres hexadécimaux en 5 groupes, "
            "ex. 123e4567-e89b-12d3-a456-426614174000 ; générez-en un avec la fonction uuid() de QGIS.",
        )
    if fmt == "binary":
        return (
            f"La valeur « {shown} » n'est pas un contenu encodé en base64 (champ « {name} »).",
            "Encodez le contenu en base64 (lettres, chiffres, « + », « / », complété par « = »).",
        )
    return f"La valeur « {shown} » n'est pas un texte valide (champ « {name} »).", "Corrigez la valeur."


def _date_type_texts(fmt: str, shown: str, text: str) -> Tuple[str, str]:
    if fmt == "default":
        message = f"La date « {shown} » n'est pas au format attendu aaaa-mm-jj (ex. 2016-12-05)."
        hint = "Écrivez la date sous la forme 2016-12-05, ou utilisez un champ de type Date."
        match = _DMY_RE.fullmatch(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                fixed = _dt.date(year, month, day).isoformat()
                hint = f"Écrivez l'année d'abord : « {fixed} » au lieu de « {show(text.strip())} »."
            except ValueError:
                hint = f"Cette date n'existe pas. {hint}"
        elif re.fullmatch(r"\s*\d{4}-\d{1,2}-\d{1,2}\s*", text):
            hint = "Cette date n'existe pas ou contient des espaces : vérifiez le jour et le mois (ex. 2016-12-05)."
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ].*", text.strip()):
            hint = f"N'écrivez que la date, sans l'heure : « {text.strip()[:10]} »."
        return message, hint
    if fmt == "any":
        return (
            f"« {shown} » n'est pas une date reconnue.",
            "Écrivez la date sous la forme 2016-12-05, ou utilisez un champ de type Date.",
        )
    return _custom_format_texts("La date", fmt, shown, "Date")


def _custom_format_texts(what: str, fmt: str, shown: str, qgis_type: str) -> Tuple[str, str]:
    if fmt == "any":
        return (
            f"{what} « {shown} » n'est pas reconnue.",
            f"Écrivez la valeur au format ISO (ex. {_SAMPLE.isoformat()}), ou utilisez un champ de type {qgis_type}.",
        )
    mask, example = _format_mask(fmt), _format_example(fmt)
    sample = f" (ex. {example})" if example else ""
    return (
        f"{what} « {shown} » n'est pas au format attendu {mask}{sample}.",
        f"Écrivez la valeur sous la forme {example or mask}, ou utilisez un champ de type {qgis_type}.",
    )


_GEOPOINT_EXAMPLES = {
    "default": "2.3522, 48.8566",
    "array": "[2.3522, 48.8566]",
    "object": '{"lon": 2.3522, "lat": 48.8566}',
}


def _geopoint_type_texts(fmt: str, shown: str, text: str, name: str) -> Tuple[str, str]:
    example = _GEOPOINT_EXAMPLES.get(fmt, _GEOPOINT_EXAMPLES["default"])
    pair = geopoint_from_text(text, fmt)
    if pair is not FAIL:
        lon, lat = pair
        message = (
            f"Les coordonnées « {shown} » sont hors limites (champ « {name} ») : la longitude doit être "
            "entre -180 et 180, la latitude entre -90 et 90."
        )
        try:
            swapped = abs(lon) <= 90 < abs(lat) <= 180
            projected = abs(lon) > 1000 or abs(lat) > 1000
        except Exception:
            swapped = projected = False
        if projected:
            hint = (
                "Ces valeurs ressemblent à des mètres (Lambert 93 ou autre projection) : exportez les coordonnées "
                f"en degrés WGS 84 (EPSG:4326), longitude d'abord, ex. {example}."
            )
        elif swapped:
            hint = f"La latitude et la longitude semblent inversées : écrivez la longitude d'abord, ex. {example}."
        else:
            hint = f"Vérifiez les coordonnées : degrés décimaux WGS 84, longitude d'abord, ex. {example}."
        return message, hint
    message = f"« {shown} » n'est pas un point au format attendu (champ « {name} »)."
    hint = f"Écrivez la longitude puis la latitude en degrés décimaux, avec un point décimal : {example}."
    if fmt == "default" and text.count(",") > 1:
        hint = f"Utilisez le point comme séparateur décimal et la virgule seulement entre les deux nombres : {example}."
    return message, hint
