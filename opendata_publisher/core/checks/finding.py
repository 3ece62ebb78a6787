"""One type for every problem any check reports (schema, geo, legal, metadata).

Pure Python: no Qt, no QGIS. The dock, the reports, the Processing algorithms
and the publishing gate all read the same :class:`Finding`.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any, Dict, List, Optional

ERROR = "error"
WARNING = "warning"
INFO = "info"

SEVERITIES = (ERROR, WARNING, INFO)
_SEVERITY_RANK = {ERROR: 0, WARNING: 1, INFO: 2}


def severity_rank(severity: str) -> int:
    """Sort key: errors first, then warnings, then information."""
    return _SEVERITY_RANK.get(severity, 3)


@dataclass
class ValueProblem:
    """What a pure value check says about one value (no feature, no row yet).

    ``code`` is the stable finding code (``type-error``, ``constraint-error``,
    ``siret``…), ``constraint`` the Table Schema constraint name for
    ``constraint-error`` (``required``, ``enum``, ``pattern``…), ``message`` and
    ``hint`` are French sentences for the agent: what is wrong, what to do.
    """

    code: str
    message: str
    hint: str = ""
    constraint: Optional[str] = None
    severity: str = ERROR


@dataclass
class Finding:
    """A problem found in a layer, tied to a feature where there is one."""

    code: str
    severity: str
    message: str
    hint: str = ""
    field: Optional[str] = None
    feature_id: Optional[int] = None
    row: Optional[int] = None
    value: Any = None
    constraint: Optional[str] = None
    # legal checks only
    level: Optional[str] = None
    basis: Optional[str] = None
    extra: Dict[str, Any] = dc_field(default_factory=dict)

    @classmethod
    def from_problem(
        cls,
        problem: ValueProblem,
        field_name: Optional[str] = None,
        feature_id: Optional[int] = None,
        row: Optional[int] = None,
        value: Any = None,
    ) -> Finding:
        return cls(
            code=problem.code,
            severity=problem.severity,
            message=problem.message,
            hint=problem.hint,
            field=field_name,
            feature_id=feature_id,
            row=row,
            value=value,
            constraint=problem.constraint,
        )

    @property
    def full_code(self) -> str:
        """``constraint-error/enum`` for constraint errors, else the code."""
        if self.code == "constraint-error" and self.constraint:
            return f"{self.code}/{self.constraint}"
        return self.code

    def to_dict(self) -> Dict[str, Any]:
        data: Dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "field": self.field,
            "feature_id": self.feature_id,
            "row": self.row,
            "value": json_safe(self.value),
            "message": self.message,
            "hint": self.hint,
        }
        if self.constraint:
            data["constraint"] = self.constraint
        if self.level:
            data["level"] = self.level
        if self.basis:
            data["basis"] = self.basis
        if self.extra:
            data["extra"] = {k: json_safe(v) for k, v in self.extra.items()}
        return data


def json_safe(value: Any) -> Any:
    """Turn a value read from a layer into something ``json.dumps`` accepts."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    iso = getattr(value, "isoformat", None)
    if callable(iso):
        return iso()
    return str(value)


def count_by_severity(findings: List[Finding]) -> Dict[str, int]:
    counts = {ERROR: 0, WARNING: 0, INFO: 0}
    for finding in findings:
        counts[finding.severity] = counts.get(finding.severity, 0) + 1
    return counts


class SeverityCounts:
    """Counts of a report's ``findings`` by severity (for any report holding a ``findings`` list)."""

    findings: List[Finding]

    @property
    def error_count(self) -> int:
        return count_by_severity(self.findings)[ERROR]

    @property
    def warning_count(self) -> int:
        return count_by_severity(self.findings)[WARNING]

    @property
    def info_count(self) -> int:
        return count_by_severity(self.findings)[INFO]
