"""Processing algorithm ``opendata_publisher:conform_layer``: a new layer that follows the schema.

The same code path as the dock's « Tout corriger… » (:mod:`opendata_publisher.core.conform`). The
input layer is never modified; the output has exactly the schema's fields, in its order, with the
QGIS types of the schema's types.
"""

from __future__ import annotations

import json

from qgis.core import (
    QgsDataProvider,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsProcessingUtils,
    QgsProviderRegistry,
    QgsVectorLayer,
)

from ..compat import SOURCE_VECTOR, SOURCE_VECTOR_ANY_GEOMETRY
from ..core.conform.fixes import FIX_IDS, SAFE_FIX_IDS, parse_fix_ids
from ..core.mapping import FieldMapping, load_mapping
from ..core.safe_write import WriteError, write_text
from .base import OpenDataAlgorithm
from .validate_layer import load_schema


def _with_layer_name(layer: QgsVectorLayer) -> QgsVectorLayer:
    """The OGR layer opened with ``|layername=`` (GeoPackage metadata can only be saved so)."""
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    sublayers = layer.dataProvider().subLayers()
    if parts.get("layerName") or len(sublayers) != 1:
        return layer
    name = sublayers[0].split(QgsDataProvider.sublayerSeparator())[1]
    named = QgsVectorLayer(f"{parts['path']}|layername={name}", layer.name(), "ogr")
    return named if named.isValid() else layer


class ConformLayerAlgorithm(OpenDataAlgorithm):
    INPUT = "INPUT"
    SCHEMA = "SCHEMA"
    MAPPING = "MAPPING"
    FIXES = "FIXES"
    CONSTANTS = "CONSTANTS"
    OUTPUT = "OUTPUT"
    REPORT = "REPORT"

    def __init__(self):
        super().__init__()
        self._history = None

    def name(self) -> str:
        return "conform_layer"

    def displayName(self) -> str:
        return self.tr("Make a layer conform to a data schema")

    def group(self) -> str:
        return self.tr("Check")

    def groupId(self) -> str:
        return "check"

    def shortHelpString(self) -> str:
        return (
            self.tr(
                "Writes a NEW layer with exactly the fields of a Table Schema (names, order, types) and the mechanical "
                "fixes applied: field names, spaces, French dates to ISO 8601, decimal commas, yes/no values, list "
                "values, lost leading zeros, constant fields, coordinates from the geometry, reversed coordinates, "
                "WGS 84, invalid geometries, identifiers. The input layer is not modified.\n"
                "SCHEMA: a catalogue name such as etalab/schema-stationnement[@version], or the path or URL of a "
                "schema.json.\n"
                'MAPPING (optional): JSON object layer field → schema field, e.g. {"TYPE_USAGE": "type_usagers"}.\n'
                "FIXES: comma-separated fix ids among {ids}; empty = the safe ones ({safe}), « all » = every fix.\n"
                "CONSTANTS (optional): JSON object schema field → value, used where the value is empty.\n"
                "REPORT (optional): the check of the new layer (JSON): what remains to fix by hand."
            )
            .replace("{ids}", ", ".join(FIX_IDS))
            .replace("{safe}", ", ".join(SAFE_FIX_IDS))
        )

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterVectorLayer(self.INPUT, self.tr("Layer to convert"), [SOURCE_VECTOR]))
        self.addParameter(
            QgsProcessingParameterString(
                self.SCHEMA, self.tr("Schema (catalogue name[@version], path or URL of schema.json)")
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.MAPPING, self.tr("Field mapping (JSON: layer field → schema field)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.FIXES, self.tr("Fixes to apply (comma-separated ids; empty = the safe ones)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.CONSTANTS, self.tr("Constant values (JSON: schema field → value)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Conforming layer"), SOURCE_VECTOR_ANY_GEOMETRY)
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.REPORT,
                self.tr("Check of the new layer (JSON)"),
                self.tr("JSON files (*.json)"),
                optional=True,
                createByDefault=False,
            )
        )
        self.addOutput(QgsProcessingOutputNumber("FIXED_COUNT", self.tr("Number of values fixed")))
        self.addOutput(QgsProcessingOutputNumber("ERROR_COUNT", self.tr("Errors remaining in the new layer")))

    def _json(self, parameters, name, context, what):
        text = (self.parameterAsString(parameters, name, context) or "").strip()
        if not text:
            return {}
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise QgsProcessingException(
                self.tr("{what} is not valid JSON ({error}). Write an object such as {example}.").format(
                    what=what, error=exc, example='{"champ": "valeur"}'
                )
            ) from exc
        if not isinstance(data, dict):
            raise QgsProcessingException(
                self.tr("{what} must be a JSON object such as {example}.").format(what=what, example='{"a": "b"}')
            )
        return data

    def processAlgorithm(self, parameters, context, feedback):
        # imported when the algorithm runs, not when QGIS lists it (start-up, issue 18)
        from ..core.conform.model import ConformOptions
        from ..core.conform.output import (
            OutputError,
            check_written,
            destination_file,
            finish_layer,
            layer_file,
            refuse_source_as_output,
        )
        from ..core.conform.pipeline import convert
        from ..core.reader import LayerInput
        from ..core.report import report_to_json
        from ..core.validation import validate

        layer = self.layer_with_settings(parameters, self.INPUT, context, feedback)
        if layer is None or not layer.isValid():
            raise QgsProcessingException(self.tr("The layer to convert cannot be opened."))
        reference = (self.parameterAsString(parameters, self.SCHEMA, context) or "").strip()
        if not reference:
            raise QgsProcessingException(
                self.tr("No schema given: name a catalogue schema (etalab/schema-stationnement) or a schema.json.")
            )
        schema = load_schema(reference)
        mapping_data = self._json(parameters, self.MAPPING, context, "MAPPING")
        mapping = FieldMapping.from_json(json.dumps(mapping_data)) if mapping_data else load_mapping(layer, schema)
        constants = {str(k): v for k, v in self._json(parameters, self.CONSTANTS, context, "CONSTANTS").items()}
        fixes_text = (self.parameterAsString(parameters, self.FIXES, context) or "").strip()
        try:
            fixes = parse_fix_ids(fixes_text) if fixes_text else None
        except ValueError as exc:
            raise QgsProcessingException(str(exc)) from exc
        # fixes None: the safe ones, plus « constants » when values are given (ConformOptions.enabled)
        options = ConformOptions(fixes=fixes, mapping=mapping, constants=constants)
        destination = self.parameterAsOutputLayer(parameters, self.OUTPUT, context) or ""
        try:
            refuse_source_as_output(destination_file(destination), layer_file(layer))
        except OutputError as exc:
            raise QgsProcessingException(str(exc)) from exc
        holder = {}

        def sink_factory(fields, wkb_type, crs):
            sink, dest_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields, wkb_type, crs)
            if sink is None:
                raise QgsProcessingException(self.tr("The output layer cannot be created."))
            holder["dest_id"] = dest_id
            holder["sink"] = sink
            return sink

        layer_input = LayerInput.from_layer(layer)
        try:
            analysis = convert(layer_input, schema, options, sink_factory, feedback)
        except OutputError as exc:
            holder.pop("sink", None)
            raise QgsProcessingException(str(exc)) from exc
        if analysis.cancelled:
            raise QgsProcessingException(self.tr("Conversion cancelled: the output is incomplete."))
        for line in analysis.steps():
            feedback.pushInfo(line)
        dest_id = holder.get("dest_id")
        holder.pop("sink", None)  # flush the sink before reading the layer back
        results = {self.OUTPUT: dest_id, "FIXED_COUNT": analysis.fixed_count}
        output_layer = QgsProcessingUtils.mapLayerFromString(dest_id, context) if dest_id else None
        try:
            check_written(output_layer, analysis.written, destination_file(destination) or str(dest_id))
        except OutputError as exc:
            raise QgsProcessingException(str(exc)) from exc
        self._history = (analysis, layer.name(), reference)
        error_count = 0
        if output_layer is not None and output_layer.isValid():
            if dest_id not in context.layersToLoadOnCompletion() and output_layer.providerType() == "ogr":
                # a file nobody loads (qgis_process, a path given as text): its history is written in it now
                analysis.layer_name = layer.name()
                finish_layer(_with_layer_name(output_layer), analysis, None, reference)
            report = validate(LayerInput.from_layer(output_layer), schema, None, None)
            error_count = report.error_count
            report_path = self.parameterAsFileOutput(parameters, self.REPORT, context)
            if report_path:
                try:
                    write_text(report_path, report_to_json(report), "Le rapport de vérification de la nouvelle couche")
                except WriteError as exc:
                    raise QgsProcessingException(str(exc)) from exc
                results[self.REPORT] = report_path
            feedback.pushInfo(
                self.tr("{fixed} values fixed; {errors} errors remain to fix by hand in the new layer.").format(
                    fixed=analysis.fixed_count, errors=error_count
                )
            )
        results["ERROR_COUNT"] = error_count
        return results

    def postProcessAlgorithm(self, context, feedback):  # noqa: N802 - QGIS API
        """Record the steps in the metadata history of the loaded output layer (main thread)."""
        from ..core.conform.output import finish_layer

        if self._history is None:
            return {}
        analysis, source_name, reference = self._history
        for details_id in list(context.layersToLoadOnCompletion().keys()):
            layer = QgsProcessingUtils.mapLayerFromString(details_id, context)
            if layer is not None:
                analysis.layer_name = source_name
                finish_layer(layer, analysis, None, reference)
        return {}
