"""The legal publication gate (pure Python).

Usage by the publishing flow::

    from opendata_publisher.core.legal import gate, collect

    report = collect.legal_check(collect.LegalInput.from_layer(layer))      # or reuse the dock's report
    acks = gate.load_acknowledgements(layer)                                # keys recorded earlier
    checklist = checklist_module.load_checklist(layer)                      # optional
    result = gate.legal_gate(report.findings, acks, checklist)
    if result.blocked:       # BLOQUANT findings: no override, the data must change
        refuse(result.reasons)
    elif result.needs_ack:   # À VÉRIFIER findings not yet acknowledged
        ask the agent to confirm each one, then gate.record_acknowledgements(layer, result.needs_ack)
    else:
        publish()

Rules:

* a BLOQUANT finding (severity ``error``) blocks, whatever the acknowledgements;
  the only exception is ``legal-person-name``: when the checklist records a
  D312-1-3 category (data publishable without anonymisation: élus, associations,
  urbanisme…) and no legal secret, names become À VÉRIFIER and need an acknowledgement;
* an À VÉRIFIER finding (``warning``) needs an acknowledgement of its key
  (:func:`ack_key`: ``code|field``);
* INFO findings never stop anything.

Acknowledgements are stored in the layer (custom property, JSON) and each is
recorded in the layer's metadata history with who, when and which codes
(:func:`record_acknowledgements`; QGIS functions import qgis lazily).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable, List, Optional, Set

from ..checks.finding import ERROR, WARNING, Finding
from ..layer_properties import LEGAL_ACKNOWLEDGEMENTS_PROPERTY
from ..text import json_list_property
from .checklist import YES

ACK_PREFIX = "[opendata_publisher:legal-ack]"
EXEMPTABLE_CODES = {"legal-person-name"}


def ack_key(finding: Finding) -> str:
    """The key an acknowledgement refers to: ``legal-email|courriel``."""
    return f"{finding.code}|{finding.field or ''}"


@dataclass
class GateResult:
    blocked: bool
    needs_ack: List[Finding] = field(default_factory=list)
    reasons: List[str] = field(default_factory=list)
    acknowledged: List[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Publication allowed: nothing blocks and every À VÉRIFIER finding is acknowledged."""
        return not self.blocked and not self.needs_ack

    def status_text(self) -> str:
        """The French sentence the dock shows."""
        if self.blocked:
            # each reason is a sentence: joined as sentences (not « … ). ; Le champ … »)
            return "Publication bloquée : " + " ".join(
                r.strip() if r.strip().endswith((".", "!", "?")) else r.strip() + "." for r in self.reasons
            )
        if self.needs_ack:
            return (
                f"À vérifier : cochez pour confirmer {len(self.needs_ack)} point"
                f"{'s' if len(self.needs_ack) > 1 else ''} avant de publier."
            )
        return "Aucun obstacle juridique détecté."


def _keys(acknowledgements: Optional[Iterable[Any]]) -> Set[str]:
    keys: Set[str] = set()
    for item in acknowledgements or ():
        if isinstance(item, Finding):
            keys.add(ack_key(item))
        elif isinstance(item, dict):
            keys.add(str(item.get("key", "")))
        else:
            keys.add(str(item))
    return keys


def _exemption(checklist: Any) -> str:
    if checklist is None:
        return ""
    answers = getattr(checklist, "answers", checklist if isinstance(checklist, dict) else {})
    if not isinstance(answers, dict) or answers.get("legal_secret") == YES:
        return ""  # a legal secret (L311-5 / L311-6) is never published, whatever the category
    value = answers.get("exemption", "")
    return "" if value in ("", "none", None) else str(value)


def legal_gate(findings: Iterable[Finding], acknowledgements: Optional[Iterable[Any]] = None, checklist=None):
    """Decide whether the layer may be published (see module docstring). Returns a :class:`GateResult`."""
    keys = _keys(acknowledgements)
    exempt = bool(_exemption(checklist))
    result = GateResult(blocked=False)
    for finding in findings:
        severity = finding.severity
        if severity == ERROR and exempt and finding.code in EXEMPTABLE_CODES:
            severity = WARNING
        if severity == ERROR:
            result.blocked = True
            result.reasons.append(finding.message)
        elif severity == WARNING:
            if ack_key(finding) in keys:
                result.acknowledged.append(finding)
            else:
                result.needs_ack.append(finding)
    return result


# ------------------------------------------------------------------ storage in the layer (QGIS)


def ack_history_line(findings: Iterable[Finding], user: str, when: str) -> str:
    codes = "; ".join(f"{f.code}" + (f" ({f.field})" if f.field else "") for f in findings)
    return f"{ACK_PREFIX} {when} — {user} — points à vérifier confirmés : {codes}"


def record_acknowledgements(layer, findings: Iterable[Finding], user: Optional[str] = None, when: Optional[str] = None):
    """Record that ``user`` checked these À VÉRIFIER findings: history line + custom property. Returns the keys."""
    from .checklist import current_user, now_iso

    findings = list(findings)
    if not findings:
        return sorted(load_acknowledgements(layer))
    user = user or current_user()
    when = when or now_iso()
    metadata = layer.metadata()
    metadata.addHistoryItem(ack_history_line(findings, user, when))
    layer.setMetadata(metadata)
    stored = _read_property(layer)
    for finding in findings:
        stored = [s for s in stored if s.get("key") != ack_key(finding)]
        stored.append(
            {"key": ack_key(finding), "code": finding.code, "field": finding.field, "user": user, "date": when}
        )
    layer.setCustomProperty(LEGAL_ACKNOWLEDGEMENTS_PROPERTY, json.dumps(stored, ensure_ascii=False))
    return sorted(s["key"] for s in stored)


def _read_property(layer) -> List[dict]:
    return [d for d in json_list_property(layer, LEGAL_ACKNOWLEDGEMENTS_PROPERTY) if d.get("key")]


def load_acknowledgements(layer) -> Set[str]:
    """Keys acknowledged on this layer (see :func:`ack_key`)."""
    return {d["key"] for d in _read_property(layer)}
