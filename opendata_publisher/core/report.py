"""Write a validation report as JSON (machine) or Markdown (for a support
ticket or the publication folder)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Dict, Iterator, Tuple

from .checks.finding import ERROR, WARNING, severity_rank
from .checks.registry import describe_any

SEVERITY_LABELS = {"error": "Erreur", "warning": "Avertissement", "info": "Information"}


def report_to_json(report) -> str:
    """The report as documented for ``opendata_publisher:validate_layer``."""
    return "".join(report_json_chunks(report))


def report_json_chunks(report) -> Iterator[str]:
    """:func:`report_to_json`'s text in pieces, one a finding: the text of ``json.dumps(report.to_dict(),
    ensure_ascii=False, indent=2)`` without holding every finding's dictionary and the whole text at once
    (a million-feature check can have hundreds of thousands of findings)."""
    if not report.findings:
        yield json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
        return
    head = json.dumps(report.to_dict(findings=False), ensure_ascii=False, indent=2)
    yield head[: -len("\n}")] + ',\n  "findings": [\n    '
    for index, finding in enumerate(report.findings):
        # JSON strings hold no raw line break: every line of a finding is indented under the list
        text = json.dumps(finding.to_dict(), ensure_ascii=False, indent=2).replace("\n", "\n    ")
        yield text if index == 0 else ",\n    " + text
    yield "\n  ]\n}"


def _md_cell(value, limit: int = 80) -> str:
    """One table cell, escaped for Markdown/HTML; only the values are shortened (``limit=0``: the message and
    « Que faire » stay whole)."""
    from .markdown import md_text

    text = "" if value is None else str(value)
    text = text if not limit or len(text) <= limit else text[: limit - 3] + "…"
    return md_text(text)


def _verdict_word(report) -> str:
    if not report.valid:
        return "non conforme"
    if any(f.code in ("schema-warning", "check-error") for f in report.findings):
        return "conformité non établie (règles du schéma non appliquées)"
    return "conforme"


def summary_sentence(report) -> str:
    """« 12 erreurs, 3 avertissements sur 1 250 entités — … »"""
    errors, warnings = report.error_count, report.warning_count
    parts = [f"{errors} erreur{'s' if errors > 1 else ''}", f"{warnings} avertissement{'s' if warnings > 1 else ''}"]
    count = f"{report.feature_count:,}".replace(",", "\u202f")
    schema = report.schema_title or report.schema_name or "le schéma"
    version = f" {report.schema_version}" if report.schema_version else ""
    skipped = sum(1 for f in report.findings if f.code in ("schema-warning", "check-error"))
    if report.cancelled:
        verdict = "vérification interrompue : résultat incomplet"
    elif report.valid and skipped:
        rules = (
            "règle du schéma n'a pas pu être appliquée"
            if skipped == 1
            else "règles du schéma n'ont pas pu être appliquées"
        )
        verdict = (
            f"aucune erreur sur les règles vérifiées, mais {skipped} {rules} : conformité au schéma "
            f"{schema}{version} non établie"
        )
    elif report.valid:
        verdict = f"la couche est conforme au schéma {schema}{version}"
    else:
        verdict = f"la couche n'est pas conforme au schéma {schema}{version}"
    plural = "s" if report.feature_count > 1 else ""
    return f"{', '.join(parts)} sur {count} entité{plural} — {verdict}"


def report_to_markdown(report, max_rows_per_group: int = 50) -> str:
    from .markdown import md_code, md_text

    lines = [
        f"# Rapport de vérification — {md_text(report.layer_name)}",
        "",
        f"- Schéma : {md_text(f'{report.schema_title or report.schema_name} {report.schema_version}'.rstrip())}",
        f"- Source du schéma : {md_text(report.schema_source)}" if report.schema_source else "",
        f"- Entités vérifiées : {report.feature_count}",
        f"- Résultat : **{_verdict_word(report)}**",
        f"- {md_text(summary_sentence(report))}",
        "",
    ]
    lines = [line for line in lines if line != ""] + [""]
    groups: Dict[Tuple[str, str, str], list] = {}
    for finding in report.findings:
        groups.setdefault((finding.severity, finding.full_code, finding.field or ""), []).append(finding)
    if not groups:
        lines.append("Aucun problème trouvé.")
        return "\n".join(lines) + "\n"
    counts = Counter(f.severity for f in report.findings)
    lines.append("| Gravité | Nombre |")
    lines.append("|---|---|")
    for severity in (ERROR, WARNING, "info"):
        if counts.get(severity):
            lines.append(f"| {SEVERITY_LABELS[severity]} | {counts[severity]} |")
    lines.append("")
    for (severity, code, field), items in sorted(
        groups.items(), key=lambda kv: (severity_rank(kv[0][0]), kv[0][1], kv[0][2])
    ):
        info = describe_any(code)
        where = f" — champ {md_code(field)}" if field else ""
        lines.append(f"## {SEVERITY_LABELS.get(severity, severity)} : {info.title}{where} ({len(items)})")
        lines.append("")
        lines.append(f"Code `{code}`. {info.help}")
        lines.append("")
        lines.append("| Entité | Ligne | Valeur | Message | Que faire |")
        lines.append("|---|---|---|---|---|")
        for finding in items[:max_rows_per_group]:
            lines.append(
                "| "
                + " | ".join(
                    [_md_cell(v) for v in (finding.feature_id, finding.row, finding.value)]
                    + [_md_cell(finding.message, 0), _md_cell(finding.hint, 0)]
                )
                + " |"
            )
        if len(items) > max_rows_per_group:
            lines.append(f"| … | | | et {len(items) - max_rows_per_group} autres | |")
        lines.append("")
    return "\n".join(lines) + "\n"
