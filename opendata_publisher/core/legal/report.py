"""The result of the legal check, as the dock, the JSON report and the gate read it (pure Python)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List

from ..checks.finding import Finding, SeverityCounts

FINDING_KEYS = ("code", "severity", "level", "basis", "field", "feature_id", "row", "value", "message", "hint", "extra")


def finding_dict(finding: Finding) -> Dict[str, Any]:
    """``Finding.to_dict()`` with every key of the legal report present (None / {} when empty)."""
    data = finding.to_dict()
    ordered = {key: data.get(key) for key in FINDING_KEYS}
    if ordered["extra"] is None:
        ordered["extra"] = {}
    return ordered


@dataclass
class LegalReport(SeverityCounts):
    """What :func:`opendata_publisher.core.legal.collect.legal_check` found."""

    layer_name: str
    feature_count: int = 0
    findings: List[Finding] = field(default_factory=list)
    cancelled: bool = False
    layer_id: str = ""

    @property
    def blocking_count(self) -> int:
        """BLOQUANT findings (severity error)."""
        return self.error_count

    @property
    def valid(self) -> bool:
        """No BLOQUANT finding (À VÉRIFIER findings still need an acknowledgement, see the gate)."""
        return not self.cancelled and self.blocking_count == 0

    def to_dict(self) -> Dict[str, Any]:
        return {
            "check": "legal",
            "layer": {"name": self.layer_name, "feature_count": self.feature_count},
            "valid": self.valid,
            "cancelled": self.cancelled,
            "blocking_count": self.blocking_count,
            "warning_count": self.warning_count,
            "info_count": self.info_count,
            "findings": [finding_dict(f) for f in self.findings],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def summary(self) -> str:
        """« 1 point bloquant, 2 points à vérifier, 1 information sur 120 entités »"""
        b, w, i = self.blocking_count, self.warning_count, self.info_count
        parts = [
            f"{b} point{'s' if b > 1 else ''} bloquant{'s' if b > 1 else ''}",
            f"{w} point{'s' if w > 1 else ''} à vérifier",
            f"{i} information{'s' if i > 1 else ''}",
        ]
        text = ", ".join(parts) + f" sur {self.feature_count} entité{'s' if self.feature_count > 1 else ''}"
        if self.cancelled:
            text += " — analyse interrompue : résultat incomplet"
        return text
