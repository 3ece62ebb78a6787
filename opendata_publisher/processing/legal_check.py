"""Processing algorithm ``opendata_publisher:legal_check``: the legal pre-publication check,
the same code path as the « Contrôle juridique » page of the dock."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterVectorLayer,
)

from ..compat import SOURCE_VECTOR
from ..core.safe_write import WriteError, write_text
from .base import OpenDataAlgorithm


class LegalCheckAlgorithm(OpenDataAlgorithm):
    INPUT = "INPUT"
    OUTPUT_REPORT = "OUTPUT_REPORT"
    BLOCKING_COUNT = "BLOCKING_COUNT"
    WARNING_COUNT = "WARNING_COUNT"

    def name(self) -> str:
        return "legal_check"

    def displayName(self) -> str:
        return self.tr("Legal check before publishing (personal and sensitive data)")

    def group(self) -> str:
        return self.tr("Check")

    def groupId(self) -> str:
        return "check"

    def shortHelpString(self) -> str:
        return self.tr(
            "Looks, in every feature of the layer and in its metadata, for data that must not be published as it "
            "is: names of persons, personal e-mails and mobile phones, social security numbers (NIR), IBAN, birth "
            "dates, cadastre owners, small counts, free text, sensitive categories (health, offences…), "
            "security-sensitive equipment, third-party sources (OpenStreetMap, IGN…), licence and format.\n"
            "Each point has a level: BLOQUANT (must be removed before publishing), À VÉRIFIER (a person must "
            "confirm) or INFO, and its legal basis.\n"
            "The JSON report lists each point with its code, severity, level, basis, field, message, what to do "
            "and its evidence (number of values, masked examples). BLOCKING_COUNT and WARNING_COUNT give the "
            "number of blocking points and of points to check. This is an aid, not legal advice."
        )

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterVectorLayer(self.INPUT, self.tr("Layer to check"), [SOURCE_VECTOR]))
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.OUTPUT_REPORT, self.tr("Legal check report (JSON)"), self.tr("JSON files (*.json)")
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.BLOCKING_COUNT, self.tr("Number of blocking points")))
        self.addOutput(QgsProcessingOutputNumber(self.WARNING_COUNT, self.tr("Number of points to check")))

    def processAlgorithm(self, parameters, context, feedback):
        # imported when the algorithm runs, not when QGIS lists it (start-up, issue 18)
        from ..core.legal.collect import LegalInput, legal_check

        layer = self.layer_with_settings(parameters, self.INPUT, context, feedback)
        if layer is None or not layer.isValid():
            raise QgsProcessingException(self.tr("The layer to check cannot be opened."))
        report = legal_check(LegalInput.from_layer(layer), feedback)
        if report.cancelled:
            raise QgsProcessingException(self.tr("Check cancelled: no report written."))
        results = {self.BLOCKING_COUNT: report.blocking_count, self.WARNING_COUNT: report.warning_count}
        report_path = self.parameterAsFileOutput(parameters, self.OUTPUT_REPORT, context)
        if report_path:
            try:
                write_text(report_path, report.to_json(), "Le rapport du contrôle juridique")
            except WriteError as exc:
                raise QgsProcessingException(str(exc)) from exc
            results[self.OUTPUT_REPORT] = report_path
        for finding in report.findings:
            feedback.pushInfo(f"{finding.level} — {finding.message}")
        feedback.pushInfo(report.summary())
        return results
