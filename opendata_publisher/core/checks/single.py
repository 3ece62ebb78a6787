"""Check one value typed by the agent against one schema field, the way :func:`core.validation.validate` does
(type, constraints, the schema's single-value custom checks such as SIRET or opening hours).

Pure Python::

    checker = SingleValueChecker(schema, "siret")
    checker.problems("213 501 016 00012")   # -> [ValueProblem(...)] (empty when the value passes)
"""

from __future__ import annotations

from typing import Any, List, Optional

from .custom import build_custom_checks
from .finding import ValueProblem
from .value_checker import checker_for


class SingleValueChecker:
    """The value checks of one field of a :class:`TableSchema` (row and uniqueness checks need the whole layer)."""

    def __init__(self, schema, field_name: str):
        self.descriptor = schema.get_field(field_name) if schema is not None else None
        self.checker = checker_for(self.descriptor) if self.descriptor is not None else None
        self.custom = []
        if self.descriptor is not None:
            self.custom = list(build_custom_checks(schema).value_checks.get(field_name, ()))

    @property
    def known(self) -> bool:
        return self.checker is not None

    def normalised(self, text: Optional[str]) -> Optional[str]:
        """The typed text as the checks read it: surrounding blanks removed, empty text is a missing value."""
        if text is None:
            return None
        text = str(text).strip()
        return text or None

    def problems(self, text: Optional[str]) -> List[ValueProblem]:
        if self.checker is None:
            return []
        value: Any = self.normalised(text)
        found = list(self.checker.check(value))
        if self.checker.is_missing(value) or any(p.code == "type-error" for p in found):
            return found
        for check in self.custom:
            problem = check(value)
            if problem is not None:
                found.append(problem)
        return found
