"""Check a layer against a Table Schema: :func:`validate` (a snapshot, from any thread) and
:func:`validate_layer` (a layer, on the main thread).

Speed comes from checking each *distinct* value once: a first pass counts the
distinct values of every schema field (and the distinct tuples that row checks
read); only the values that fail are looked for again, in a second pass that
ties each problem to its features. No widget here: the dock and the
Processing algorithm call :func:`validate` from a background thread.

The package: :mod:`.report` (the report and the findings made the same way by every engine),
:mod:`.structure` (fields against the schema), :mod:`.plan` (checkers, row groups, judging of values and
keys), one module per reading engine (:mod:`.csv_pass`, :mod:`.postgis_pass`, :mod:`.columnar_pass`,
:mod:`.qgis_pass`) and :mod:`.geometry`.
"""

from __future__ import annotations

from typing import Optional

from ..mapping import FieldMapping
from ..reader import LayerInput
from ..schema.model import TableSchema
from .csv_pass import _add_csv_row_problems, _add_row_numbers, _csv_notes, _use_file_labels
from .geometry import wkt_fields
from .plan import _Plan
from .report import RULE_NOT_APPLIED_CODES, ValidationReport, _layer_finding, _merge_point_findings, _sort_key
from .structure import _check_structure

__all__ = ["RULE_NOT_APPLIED_CODES", "LayerInput", "ValidationReport", "validate", "validate_layer", "wkt_fields"]


def validate(
    layer_input: LayerInput,
    schema: TableSchema,
    mapping: Optional[FieldMapping] = None,
    feedback=None,
) -> ValidationReport:
    """Check ``layer_input`` against ``schema``; never raises on bad data."""
    report = ValidationReport(
        schema_name=schema.name,
        schema_version=schema.version,
        schema_source=schema.source,
        schema_title=schema.title,
        layer_name=layer_input.name,
        feature_count=layer_input.feature_count,
        layer_id=layer_input.layer_id,
    )
    findings = report.findings
    for warning in schema.warnings:
        findings.append(_layer_finding("schema-warning", warning))
    if layer_input.csv is not None and layer_input.csv_direct:
        _use_file_labels(layer_input)

    resolved = _check_structure(layer_input, schema, mapping, findings)
    report.mapping = dict(resolved)

    if layer_input.feature_count == 0:
        findings.append(
            _layer_finding(
                "empty-layer",
                f"La couche « {layer_input.name} » ne contient aucune entité à vérifier.",
                "Vérifiez le filtre de la couche ou la sélection, ou choisissez une autre couche.",
            )
        )

    plan = _Plan(layer_input, schema, resolved, findings)
    cancelled = plan.run(feedback)
    plan.add_late_schema_warnings()
    if not cancelled:
        plan.report_geometry_mix()
    if layer_input.csv is not None and layer_input.csv_direct:
        report.encoding = layer_input.csv.encoding_label
        findings.extend(_csv_notes(layer_input))
    report.cancelled = cancelled
    report.reader = plan.reader_used
    _merge_point_findings(findings)
    if not cancelled:
        if layer_input.csv is not None and not layer_input.csv_direct:
            _add_csv_row_problems(layer_input, report.mapping, findings)
        _add_row_numbers(layer_input, findings)
    findings.sort(key=_sort_key)
    if feedback is not None:
        feedback.setProgress(100)
    return report


def validate_layer(
    layer, schema: TableSchema, mapping: Optional[FieldMapping] = None, selected_only=False, feedback=None
):
    """Convenience for the main thread: snapshot ``layer`` and validate it."""
    return validate(LayerInput.from_layer(layer, selected_only), schema, mapping, feedback)
