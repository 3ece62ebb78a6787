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
from .base import OpenDataAlgorithm

FORMATS = ["dcat-jsonld", "dcat-turtle", "iso19139", "scdl-catalogue", "qmd"]
EXTENSIONS = {
    "dcat-jsonld": ".jsonld",
    "dcat-turtle": ".ttl",
    "iso19139": ".xml",
    "scdl-catalogue": ".csv",
    "qmd": ".qmd",
}
COMPLETENESS_TARGET = {
    "dcat-jsonld": "dcat",
    "dcat-turtle": "dcat",
    "iso19139": "iso19139",
    "scdl-catalogue": "scdl-catalogue",
    "qmd": "dcat",
}


def format_name(value) -> str:
    """Enum index (int or digit string) or format name → format name; raises ValueError (French)."""
    text = str(value).strip().lower() if value is not None else ""
    if text.isdigit() and int(text) < len(FORMATS):
        return FORMATS[int(text)]
    if text in FORMATS:
        return text
    raise ValueError(f"Format « {value} » inconnu : choisissez parmi {', '.join(FORMATS)}.")


def render(description, fmt: str, layer=None) -> str:
    """The exported text of a description in one of :data:`FORMATS`."""
    from ..core.metadata import dcat, iso19139, scdl_catalogue
    from ..core.metadata.public import public_description

    if fmt in ("dcat-jsonld", "dcat-turtle", "iso19139"):
        description = public_description(description)  # for catalogues: without the plugin's internal log
    if fmt == "dcat-jsonld":
        return dcat.to_jsonld(description)
    if fmt == "dcat-turtle":
        return dcat.to_turtle(description)
    if fmt == "iso19139":
        return iso19139.to_iso19139(description)
    if fmt == "scdl-catalogue":
        return scdl_catalogue.catalogue_csv(description)
    from ..core.metadata.layer_metadata import metadata_xml, to_layer_metadata

    md = to_layer_metadata(description, layer.metadata() if layer is not None else None)
    return metadata_xml(md)


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
        from ..core.metadata.layer_metadata import read_layer_description

        layer = self.parameterAsLayer(parameters, self.INPUT, context)
        if layer is None or not layer.isValid():
            raise QgsProcessingException(self.tr("The layer cannot be opened."))
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
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(render(description, fmt, layer), encoding="utf-8")
        errors = sum(1 for f in findings if f.severity == ERROR)
        warnings = sum(1 for f in findings if f.severity == WARNING)
        return {self.OUTPUT: path, "ERROR_COUNT": errors, "WARNING_COUNT": warnings}
