"""The checker of one field's values: Table Schema type and constraints, as frictionless v5 applies them.

:func:`checker_for` gives the shared :class:`ValueChecker` of a field; :meth:`ValueChecker.check`
returns the problems of one value (memoised per distinct value). It puts together the three parts
of the value engine, each in its module:

* :mod:`.parsing` reads a value as its Table Schema type (must match frictionless' cell readers);
* :mod:`.constraints` compiles ``enum``, ``pattern``, lengths and bounds (``unique`` is counted by
  the validator, not here);
* :mod:`.wording` writes each problem in French for the agents.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Tuple

from ..schema.model import FieldDescriptor, array_item_descriptor
from .constraints import ConstraintCheck, compile_constraints
from .finding import ValueProblem
from .parsing import FAIL, reader_for
from .wording import item_problem, item_type_problem, required_problem, type_problem

__all__ = ["ValueChecker", "checker_for"]

_MAX_CACHE = 200_000  # memoised distinct values per checker before the cache is reset


class ValueChecker:
    """Checks the values of one field. Build it once per field (see
    :func:`checker_for`), then call :meth:`check` for each distinct value.

    ``warnings`` lists French sentences about parts of the field definition
    that cannot be applied (invalid regular expression, unreadable bound…);
    those constraints are skipped.
    """

    def __init__(self, field: FieldDescriptor):
        self.field = field
        self.warnings: List[str] = []
        self._missing = frozenset(v for v in field.missing_values if isinstance(v, str))
        self._reader = reader_for(field)
        self._cache: Dict[Any, List[ValueProblem]] = {}
        self._constraint_checks: List[ConstraintCheck] = []
        item = array_item_descriptor(field)
        self._item_checker = ValueChecker(item) if item is not None else None
        try:
            self._constraint_checks = compile_constraints(field, self._reader, self.warnings)
        except Exception as exc:  # never let a strange schema break the validator
            self.warnings.append(
                f"Les contraintes du champ « {field.name} » n'ont pas pu être lues ({exc}) : elles sont ignorées."
            )
            self._constraint_checks = []

    # -- public API --------------------------------------------------------

    def is_missing(self, value: Any) -> bool:
        """None, or a text listed in the field's ``missingValues`` (exact match)."""
        return value is None or (isinstance(value, str) and value in self._missing)

    def cast(self, value: Any) -> Tuple[bool, Any]:
        """``(True, typed value)``, ``(True, None)`` for a missing value, ``(False, None)`` on a type error."""
        if self.is_missing(value):
            return True, None
        try:
            typed = self._reader(value)
        except Exception:
            typed = FAIL
        if typed is FAIL:
            return False, None
        return True, typed

    def check(self, value: Any) -> List[ValueProblem]:
        """Every problem of this value (empty list when it is fine). Memoised per hashable value."""
        try:
            key = (type(value), value)
            cached = self._cache.get(key)
        except TypeError:
            return self._compute(value)
        if cached is not None:
            return list(cached)
        problems = self._compute(value)
        if len(self._cache) >= _MAX_CACHE:
            self._cache.clear()
        self._cache[key] = problems
        return list(problems)

    # -- computing ---------------------------------------------------------

    def _compute(self, value: Any) -> List[ValueProblem]:
        try:
            if self.is_missing(value):
                return [required_problem(self.field, value)] if self.field.required else []
            ok, typed = self.cast(value)
            if not ok:
                return [type_problem(self.field, value)]
            problems = []
            for constraint_check in self._constraint_checks:
                problem = constraint_check(value, typed)
                if problem is not None:
                    problems.append(problem)
            if not problems and self._item_checker is not None and isinstance(typed, list):
                problems = self._item_problems(typed)
            return problems
        except Exception as exc:  # a bug here must not stop a whole layer check
            note = f"Une valeur du champ « {self.field.name} » n'a pas pu être vérifiée ({type(exc).__name__})."
            if note not in self.warnings:
                self.warnings.append(note)
            return []

    def _item_problems(self, items: List[Any]) -> List[ValueProblem]:
        """The items of an array against ``arrayItem``, as frictionless reads them: a wrong item is a type
        error of the whole cell, else one error per constraint some item breaks."""
        checker = self._item_checker
        found: Dict[str, ValueProblem] = {}
        for item in items:
            if checker.field.type == "string" and item is not None and not isinstance(item, str):
                problems = [type_problem(checker.field, item)]
            else:
                problems = checker._compute(item if not isinstance(item, (list, dict)) else json.dumps(item))
            for problem in problems:
                key = problem.constraint or problem.code
                if problem.code == "type-error":
                    return [item_type_problem(self.field, item, checker.field.type, problem)]
                if key not in found:
                    found[key] = item_problem(self.field, problem)
        return list(found.values())


# ---------------------------------------------------------------------------
# Shared checkers

_CHECKERS: Dict[int, Tuple[FieldDescriptor, Tuple[Any, ...], ValueChecker]] = {}
_MAX_CHECKERS = 512


def _fingerprint(field: FieldDescriptor) -> Tuple[Any, ...]:
    return (
        field.name,
        field.type,
        field.format,
        repr(field.constraints),
        tuple(field.true_values),
        tuple(field.false_values),
        field.decimal_char,
        field.group_char,
        field.bare_number,
        tuple(field.missing_values),
        repr(field.raw.get("floatNumber")),
        field.title,
        field.description,
        repr(field.example),
    )


def checker_for(field: FieldDescriptor) -> ValueChecker:
    """A shared :class:`ValueChecker` for this field (rebuilt if the field was changed)."""
    fingerprint = _fingerprint(field)
    entry = _CHECKERS.get(id(field))
    if entry is not None and entry[0] is field and entry[1] == fingerprint:
        return entry[2]
    checker = ValueChecker(field)
    if len(_CHECKERS) >= _MAX_CHECKERS:
        _CHECKERS.clear()
    _CHECKERS[id(field)] = (field, fingerprint, checker)
    return checker
