"""What a check found: the report, and the findings every reading engine makes the same way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from ..checks.finding import Finding, SeverityCounts, severity_rank
from ..checks.registry import describe


@dataclass
class ValidationReport(SeverityCounts):
    """What :func:`validate` found, ready for the dock, the JSON report and
    the publishing gate."""

    schema_name: str
    schema_version: str
    schema_source: str
    schema_title: str
    layer_name: str
    feature_count: int
    findings: List[Finding] = field(default_factory=list)
    cancelled: bool = False
    mapping: Dict[str, str] = field(default_factory=dict)  # schema field -> layer field used
    layer_id: str = ""
    reader: str = "qgis"  # "arrow" when the columnar GDAL path read the data, "csv" when the file itself was read
    encoding: str = ""  # the encoding a CSV file was read in (detected from its bytes)

    @property
    def valid(self) -> bool:
        return not self.cancelled and self.error_count == 0

    def to_dict(self, findings: bool = True) -> Dict[str, Any]:
        """The JSON report's content (``findings=False``: without its last key, the findings)."""
        layer = {"name": self.layer_name, "feature_count": self.feature_count}
        if self.encoding:
            layer["encoding"] = self.encoding
        data = {
            "schema": {"name": self.schema_name, "version": self.schema_version, "source": self.schema_source},
            "layer": layer,
            "valid": self.valid,
            "cancelled": self.cancelled,
            "error_count": self.error_count,
            "warning_count": self.warning_count,
            "mapping": dict(self.mapping),
            "rules_not_applied": [f.message for f in self.findings if f.code in RULE_NOT_APPLIED_CODES],
        }
        if findings:
            data["findings"] = [f.to_dict() for f in self.findings]
        return data


#: findings saying that a rule of the schema could not be applied (the check is incomplete)
RULE_NOT_APPLIED_CODES = ("schema-warning", "check-error")


def _layer_finding(code: str, message: str, hint: str = "", severity: Optional[str] = None, **kwargs) -> Finding:
    return Finding(code=code, severity=severity or describe(code).severity, message=message, hint=hint, **kwargs)


def _duplicate_value_finding(name: str, value, fid, row_number) -> Finding:
    """A ``unique`` value already held by an earlier row (CSV read as a file: ``row_number``) or feature."""
    what = "ligne" if row_number is not None else "entité"
    return _layer_finding(
        "unique-error",
        f"La valeur « {value} » du champ « {name} » est déjà prise par une autre {what}.",
        f"Chaque {what} doit avoir sa propre valeur dans ce champ : corrigez le doublon.",
        field=name,
        feature_id=fid,
        row=row_number,
        value=value,
    )


def _duplicate_key_finding(fields, shown, fid, row_number) -> Finding:
    """A primary key already held by an earlier row (CSV read as a file: ``row_number``) or feature."""
    what = "ligne" if row_number is not None else "entité"
    return _layer_finding(
        "primary-key",
        f"La clé ({', '.join(fields)}) = ({', '.join(str(v) for v in shown)}) est déjà prise par une autre {what}.",
        f"Chaque {what} doit avoir une combinaison unique de ces champs.",
        field=", ".join(fields),
        feature_id=fid,
        row=row_number,
        value=list(shown),
    )


_POINT_CODES = ("french-gps-coordinates", "reversed-french-gps-coordinates")


def _merge_point_findings(findings: List[Finding]) -> None:
    """One mistake, one finding: when a feature's geometry and its longitude/latitude columns are both
    outside France (or both reversed), the column finding names the geometry too and the geometry one goes."""
    by_feature: Dict[tuple, List[Finding]] = {}
    for finding in findings:
        if finding.code in _POINT_CODES and finding.feature_id is not None:
            by_feature.setdefault((finding.feature_id, finding.code), []).append(finding)
    dropped = set()
    for group in by_feature.values():
        geometry = [f for f in group if f.field is None]
        columns = [f for f in group if f.field is not None]
        if not geometry or not columns:
            continue
        for finding in columns:
            finding.message += f" La géométrie de l'entité ({geometry[0].value}) a le même problème."
            finding.hint += " Corrigez aussi la géométrie (ou recalculez-la depuis les colonnes corrigées)."
        dropped.update(id(f) for f in geometry)
    if dropped:
        findings[:] = [f for f in findings if id(f) not in dropped]


def _sort_key(finding: Finding):
    return (
        finding.feature_id is not None,
        finding.feature_id if finding.feature_id is not None else -1,
        severity_rank(finding.severity),
        finding.field or "",
    )
