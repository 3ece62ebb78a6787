"""Table Schema constraints of one field compiled into checks of one value.

``required`` is checked by :class:`.value_checker.ValueChecker` (on missing values) and ``unique``
is counted by the validator; this module compiles the others, as frictionless v5 applies them:
``enum``, ``pattern``, ``minLength``/``maxLength`` and ``minimum``/``maximum``/``exclusiveMinimum``/
``exclusiveMaximum``. A compiled check takes the value as written and its typed value (read by
:mod:`.parsing`) and returns a :class:`.finding.ValueProblem` worded by :mod:`.wording`, or ``None``.

Parts of the field definition that cannot be applied (invalid regular expression, unreadable bound,
constraint that does not apply to the type…) are skipped with a French sentence in ``warnings``.

Known differences with frictionless, all deliberate:

* ``pattern`` is evaluated on every type (on the text as written), where frictionless refuses the
  schema when a non-text field declares one;
* enum/minimum/maximum values of the wrong JSON type (``enum: [1, 2]`` on a text field) are read
  like cells instead of never matching.

Pattern semantics follow frictionless, not a strict full match: the pattern is compiled as
``"^" + pattern + "$"`` and matched at the start. For patterns with a top-level alternation
(``a|b``, as in BAL's ``commune_nom``) this is what validata.fr reports, so agents see the same
verdicts here and there.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Callable, Dict, List, Optional

from ..schema.model import FieldDescriptor
from .finding import ValueProblem
from .parsing import FAIL, canonical_text
from .safe_regex import PatternBudgetExceeded, SafePattern
from .wording import (
    bound_problem,
    enum_problem,
    length_problem,
    pattern_budget_warning,
    pattern_problem,
    show_value,
)

__all__ = ["SUPPORTED", "ConstraintCheck", "compile_constraints"]

#: a compiled constraint: (value as written, typed value) -> problem or None
ConstraintCheck = Callable[[Any, Any], Optional[ValueProblem]]
Reader = Callable[[Any], Any]

_BOUND_CONSTRAINTS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
_ORDERED = ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum")
#: the constraints frictionless applies to each type
SUPPORTED = {
    "string": ("required", "minLength", "maxLength", "pattern", "enum"),
    "number": _ORDERED,
    "integer": _ORDERED,
    "date": _ORDERED,
    "time": _ORDERED,
    "datetime": _ORDERED,
    "year": _ORDERED,
    "yearmonth": _ORDERED,
    "boolean": ("required", "enum"),
    "duration": ("required", "enum"),
    "geopoint": ("required", "enum"),
    "geojson": ("required", "enum"),
    "any": ("required", "enum"),
    "array": ("required", "minLength", "maxLength", "enum"),
    "object": ("required", "minLength", "maxLength", "enum"),
}

_COMPARE: Dict[str, Callable[[Any, Any], bool]] = {
    "minimum": lambda a, b: a >= b,
    "maximum": lambda a, b: a <= b,
    "exclusiveMinimum": lambda a, b: a > b,
    "exclusiveMaximum": lambda a, b: a < b,
}


def compile_constraints(field: FieldDescriptor, reader: Reader, warnings: List[str]) -> List[ConstraintCheck]:
    """The checks of ``field``'s constraints, in the order their problems are reported. ``reader`` reads
    enum values and bounds as cells of the field's type; sentences about skipped constraints are appended
    to ``warnings`` (also later, by a pattern too costly to evaluate)."""
    constraints = field.constraints
    supported = SUPPORTED.get(field.type, SUPPORTED["string"])
    for name in constraints:
        if name in ("required", "unique", "pattern") or name in supported:
            continue
        warnings.append(
            f"La contrainte « {name} » du champ « {field.name} » ne s'applique pas au type « {field.type} » : "
            "elle est ignorée."
        )
    checks: List[Optional[ConstraintCheck]] = []
    if "enum" in constraints:
        checks.append(_enum_check(field, reader, constraints["enum"], warnings))
    if constraints.get("pattern") is not None:
        checks.append(_pattern_check(field, constraints["pattern"], warnings))
    for name in ("minLength", "maxLength"):
        if name in supported and constraints.get(name) is not None:
            checks.append(_length_check(field, name, constraints[name], warnings))
    for name in _BOUND_CONSTRAINTS:
        if name in supported and constraints.get(name) is not None:
            checks.append(_bound_check(field, reader, name, constraints[name], warnings))
    return [check for check in checks if check is not None]


def _enum_check(field: FieldDescriptor, reader: Reader, raw: Any, warnings: List[str]) -> Optional[ConstraintCheck]:
    if not isinstance(raw, list):
        warnings.append(f"La liste de valeurs autorisées du champ « {field.name} » est illisible : ignorée.")
        return None
    allowed = []
    for item in raw:
        try:
            typed = reader(item)
        except Exception:
            typed = FAIL
        if typed is not FAIL:
            allowed.append(typed)
    try:
        lookup: Any = frozenset(allowed)
    except TypeError:
        lookup = allowed
    texts = [canonical_text(item) for item in raw]
    folded: Dict[str, str] = {}
    for text in texts:
        folded.setdefault(text.strip().casefold(), text)

    def check_enum(value: Any, typed: Any) -> Optional[ValueProblem]:
        try:
            if typed in lookup:
                return None
        except Exception:
            pass
        text = canonical_text(value)
        return enum_problem(field, text, folded.get(text.strip().casefold()), texts)

    return check_enum


def _pattern_check(field: FieldDescriptor, raw: Any, warnings: List[str]) -> Optional[ConstraintCheck]:
    if not isinstance(raw, str):
        warnings.append(f"Le motif (« pattern ») du champ « {field.name} » n'est pas un texte : ignoré.")
        return None
    try:
        compiled = SafePattern(raw)
    except (re.error, RecursionError, OverflowError) as exc:
        warnings.append(
            f"Le motif (« pattern ») du champ « {field.name} » n'est pas une expression régulière valide "
            f"({exc}) : il est ignoré. Signalez-le aux auteurs du schéma."
        )
        return None
    example = field.example
    if example is None and isinstance(field.raw.get("examples"), list) and field.raw["examples"]:
        example = field.raw["examples"][0]

    skipped = []

    def check_pattern(value: Any, typed: Any) -> Optional[ValueProblem]:
        if skipped:
            return None
        text = canonical_text(value)
        try:
            if compiled.match(text):
                return None
            trimmed = bool(text != text.strip() and compiled.match(text.strip()))
        except PatternBudgetExceeded:
            skipped.append(True)
            warnings.append(pattern_budget_warning(field, raw))
            return None
        return pattern_problem(field, text, raw, trimmed, example)

    return check_pattern


def _length_check(field: FieldDescriptor, name: str, raw: Any, warnings: List[str]) -> Optional[ConstraintCheck]:
    if not isinstance(raw, int) or isinstance(raw, bool):
        warnings.append(f"La contrainte « {name} » du champ « {field.name} » n'est pas un entier : ignorée.")
        return None
    is_min = name == "minLength"

    def check_length(value: Any, typed: Any) -> Optional[ValueProblem]:
        try:
            size = len(typed)
        except TypeError:
            return None
        if (size >= raw) if is_min else (size <= raw):
            return None
        return length_problem(field, name, value, size, raw)

    return check_length


def _bound_check(
    field: FieldDescriptor, reader: Reader, name: str, raw: Any, warnings: List[str]
) -> Optional[ConstraintCheck]:
    try:
        bound = reader(raw)
    except Exception:
        bound = FAIL
    if bound is FAIL or isinstance(bound, bool):
        warnings.append(
            f"La borne « {name} » ({show_value(raw)}) du champ « {field.name} » ne peut pas être lue comme "
            f"une valeur de type « {field.type} » : elle est ignorée."
        )
        return None
    compare = _COMPARE[name]

    def check_bound(value: Any, typed: Any) -> Optional[ValueProblem]:
        if _within(typed, bound, compare):
            return None
        return bound_problem(field, name, value, raw, _looks_projected(typed, bound))

    return check_bound


def _within(typed: Any, bound: Any, compare: Callable[[Any, Any], bool]) -> bool:
    try:
        if typed != typed:  # NaN never satisfies a bound (as frictionless)
            return False
    except Exception:
        return False
    try:
        return bool(compare(typed, bound))
    except TypeError:
        # naive vs aware date-times: read the naive one as UTC
        if isinstance(typed, (_dt.datetime, _dt.time)) and isinstance(bound, type(typed)):
            try:
                return bool(compare(_as_utc(typed), _as_utc(bound)))
            except Exception:
                return True
        return True
    except Exception:
        return False


def _as_utc(value: Any) -> Any:
    if value.tzinfo is None:
        return value.replace(tzinfo=_dt.timezone.utc)
    return value


def _looks_projected(typed: Any, bound: Any) -> bool:
    try:
        return abs(bound) <= 180 and abs(typed) > 1000
    except Exception:
        return False
