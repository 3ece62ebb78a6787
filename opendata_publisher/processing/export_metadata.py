"""Processing algorithm ``opendata_publisher:export_metadata``: write a layer's dataset description
(stored in its QGIS metadata) as DCAT-AP JSON-LD / Turtle, ISO 19139 XML, a SCDL catalogue row (CSV) or .qmd.

``FORMAT`` is an enum index or one of the names of :data:`FORMATS` (``qgis_process run … --FORMAT=iso19139``).
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMapLayer,
)

from ..core.checks.finding import ERROR, WARNING
from ..core.metadata_formats import COMPLETENESS_TARGET, EXTENSIONS, FORMATS, format_name
from ..core.safe_write import WriteError, write_text
from .base import OpenDataAlgorithm


class ExportMetadataAlgorithm(OpenDataAlgorithm):
    INPUT = "INPUT"
    FORMAT = "FORMAT"
    OUTPUT = "OUTPUT"

    def name(self) -> str:
        return "export_metadata"

    def displayName(self) -> str:
        return self.tr("Export the metadata of a layer")

    def group(self) -> str:
        return self.tr("Describe")

    def groupId(self) -> str:
        return "describe"

    def shortHelpString(self) -> str:
        return self.tr(
            "Writes the description of a layer (filled in the « Décrire » page or QGIS's metadata tab) to a file: "
            "DCAT-AP 3 in JSON-LD (dcat-jsonld) or Turtle (dcat-turtle), ISO 19139 XML for geocatalogues "
            "(iso19139), one row of the SCDL simplified catalogue (scdl-catalogue, CSV) or a QGIS metadata "
            "file (qmd). Missing information is listed in the log; blocking gaps are reported as warnings."
        )

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterMapLayer(self.INPUT, self.tr("Layer")))
        param = QgsProcessingParameterEnum(self.FORMAT, self.tr("Format"), options=FORMATS, defaultValue=0)
        if hasattr(param, "setUsesStaticStrings"):  # QGIS >= 3.24: accept the names in qgis_process
            param.setUsesStaticStrings(True)
            param.setDefaultValue(FORMATS[0])
        self.addParameter(param)
        self.addParameter(QgsProcessingParameterFileDestination(self.OUTPUT, self.tr("Metadata file")))
        self.addOutput(QgsProcessingOutputNumber("ERROR_COUNT", self.tr("Blocking gaps")))
        self.addOutput(QgsProcessingOutputNumber("WARNING_COUNT", self.tr("Warnings")))

    def checkParameterValues(self, parameters, context):
        value = parameters.get(self.FORMAT)
        if value is not None:
            try:
                fmt = format_name(value)
            except ValueError as exc:
                return False, str(exc)
            # names and digit strings are validated here and read in processAlgorithm
            parameters = dict(parameters)
            static = hasattr(QgsProcessingParameterEnum, "setUsesStaticStrings")
            parameters[self.FORMAT] = fmt if static else FORMATS.index(fmt)
        return super().checkParameterValues(parameters, context)

    def processAlgorithm(self, parameters, context, feedback):
        from ..core.metadata.completeness import check_completeness
        from ..core.metadata.export import render
        from ..core.metadata.layer_metadata import read_layer_description

        layer = self.parameterAsLayer(parameters, self.INPUT, context)
        if layer is None or not layer.isValid():
            raise QgsProcessingException(self.tr("The layer cannot be opened."))
        from ..core.source_state import restore_settings

        notice = restore_settings(layer)  # the description kept with the data source (no project)
        if notice:
            feedback.pushWarning(notice)
        raw = parameters.get(self.FORMAT)
        try:
            fmt = format_name(raw if raw is not None else 0)
        except ValueError as exc:
            raise QgsProcessingException(str(exc)) from exc
        description = read_layer_description(layer)
        findings = check_completeness(description, [COMPLETENESS_TARGET[fmt]])
        for finding in findings:
            if finding.severity in (ERROR, WARNING):
                level = "ERREUR" if finding.severity == ERROR else "Avertissement"
                feedback.pushWarning(f"{level} : {finding.message} {finding.hint}")
        path = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        if not path:
            raise QgsProcessingException(self.tr("No output file given."))
        if not Path(path).suffix:
            path += EXTENSIONS[fmt]
        try:
            write_text(path, render(description, fmt, layer), "Le fichier de métadonnées")
        except WriteError as exc:
            raise QgsProcessingException(str(exc)) from exc
        errors = sum(1 for f in findings if f.severity == ERROR)
        warnings = sum(1 for f in findings if f.severity == WARNING)
        return {self.OUTPUT: path, "ERROR_COUNT": errors, "WARNING_COUNT": warnings}
