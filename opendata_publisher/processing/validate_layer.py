"""Processing algorithm ``opendata_publisher:validate_layer``: a thin layer
over :mod:`opendata_publisher.core.validation`, the same code path as the dock."""

from __future__ import annotations

from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsFields,
    QgsProcessingException,
    QgsProcessingOutputBoolean,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)

from ..compat import SOURCE_VECTOR, SOURCE_VECTOR_ANY_GEOMETRY, make_field
from ..core.mapping import load_mapping
from ..core.safe_write import WriteError, write_text_chunks
from ..core.schema.model import SchemaError
from .base import OpenDataAlgorithm


class ValidateLayerAlgorithm(OpenDataAlgorithm):
    INPUT = "INPUT"
    SCHEMA = "SCHEMA"
    SELECTED_ONLY = "SELECTED_ONLY"
    OUTPUT_REPORT = "OUTPUT_REPORT"
    OUTPUT = "OUTPUT"

    def name(self) -> str:
        return "validate_layer"

    def displayName(self) -> str:
        return self.tr("Check a layer against a data schema")

    def group(self) -> str:
        return self.tr("Check")

    def groupId(self) -> str:
        return "check"

    def shortHelpString(self) -> str:
        return self.tr(
            "Checks every feature of a layer against a Table Schema from schema.data.gouv.fr (SCDL and others): "
            "fields, types, constraints, the schema's custom checks (SIRET, INSEE codes…) and coordinates in France.\n"
            "SCHEMA: a catalogue name such as etalab/schema-stationnement, optionally @version "
            "(etalab/schema-stationnement@0.1.5), or the path or URL of a schema.json.\n"
            "The JSON report lists each finding with its code, severity, field, feature id, row and message. "
            "The optional OUTPUT layer holds the features with errors, with their codes and messages."
        )

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterVectorLayer(self.INPUT, self.tr("Layer to check"), [SOURCE_VECTOR]))
        self.addParameter(
            QgsProcessingParameterString(
                self.SCHEMA,
                self.tr("Schema (catalogue name[@version], path or URL of schema.json; empty: the layer's own)"),
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(self.SELECTED_ONLY, self.tr("Selected features only"), defaultValue=False)
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.OUTPUT_REPORT, self.tr("Check report (JSON)"), self.tr("JSON files (*.json)")
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT,
                self.tr("Features with errors"),
                SOURCE_VECTOR_ANY_GEOMETRY,
                optional=True,
                createByDefault=False,
            )
        )
        self.addOutput(QgsProcessingOutputBoolean("VALID", self.tr("Layer follows the schema")))
        self.addOutput(QgsProcessingOutputNumber("ERROR_COUNT", self.tr("Number of errors")))
        self.addOutput(QgsProcessingOutputNumber("WARNING_COUNT", self.tr("Number of warnings")))

    def processAlgorithm(self, parameters, context, feedback):
        # imported when the algorithm runs, not when QGIS lists it (start-up, issue 18)
        from ..core.layer_properties import SCHEMA_PROPERTY
        from ..core.report import report_json_chunks, summary_sentence
        from ..core.validation import LayerInput, validate

        layer = self.layer_with_settings(parameters, self.INPUT, context, feedback)
        if layer is None or not layer.isValid():
            raise QgsProcessingException(self.tr("The layer to check cannot be opened."))
        reference = (self.parameterAsString(parameters, self.SCHEMA, context) or "").strip()
        if not reference:  # the schema chosen in the dock, kept with the layer or its data source
            reference = str(layer.customProperty(SCHEMA_PROPERTY, "") or "").strip()
        if not reference:
            raise QgsProcessingException(
                self.tr("No schema given: name a catalogue schema (etalab/schema-stationnement) or a schema.json.")
            )
        schema = load_schema(reference)
        selected_only = self.parameterAsBoolean(parameters, self.SELECTED_ONLY, context)
        feedback.pushInfo(
            self.tr("Schema: {} {} ({})").format(schema.title or schema.name, schema.version, schema.source)
        )
        layer_input = LayerInput.from_layer(layer, selected_only)
        report = validate(layer_input, schema, load_mapping(layer, schema), feedback)
        if report.cancelled:
            raise QgsProcessingException(self.tr("Check cancelled: no report written."))

        report_path = self.parameterAsFileOutput(parameters, self.OUTPUT_REPORT, context)
        results = {"VALID": report.valid, "ERROR_COUNT": report.error_count, "WARNING_COUNT": report.warning_count}
        if report_path:
            try:
                write_text_chunks(report_path, report_json_chunks(report), "Le rapport de vérification")
            except WriteError as exc:
                raise QgsProcessingException(str(exc)) from exc
            results[self.OUTPUT_REPORT] = report_path

        if parameters.get(self.OUTPUT) is not None:
            dest_id = self._write_error_features(layer, report, parameters, context, feedback)
            if dest_id is not None:
                results[self.OUTPUT] = dest_id

        feedback.pushInfo(summary_sentence(report))
        return results

    def _write_error_features(self, layer, report, parameters, context, feedback):
        by_feature = {}
        for finding in report.findings:
            if finding.feature_id is not None and finding.severity == "error":
                by_feature.setdefault(finding.feature_id, []).append(finding)
        fields = QgsFields(layer.fields())
        for name, kind in (("odp_codes", "string"), ("odp_messages", "string"), ("odp_errors", "integer")):
            fields.append(make_field(name, kind))
        sink, dest_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, layer.wkbType(), layer.sourceCrs()
        )
        if sink is None:
            return None
        if not by_feature:
            return dest_id
        request = QgsFeatureRequest().setFilterFids(sorted(by_feature))
        for feature in layer.getFeatures(request):
            if feedback.isCanceled():
                break
            items = by_feature.get(feature.id(), [])
            out = QgsFeature(fields)
            out.setGeometry(feature.geometry())
            attributes = list(feature.attributes())
            codes = sorted({f.full_code for f in items})
            messages = " | ".join((f"{f.field} : " if f.field else "") + f.message for f in items)
            attributes.extend([", ".join(codes), messages, len(items)])
            out.setAttributes(attributes)
            sink.addFeature(out, QgsFeatureSink.FastInsert)
        return dest_id


def load_schema(reference: str):
    """Resolve a schema reference with the plugin's catalogue and cache."""
    from ..core.schema.catalogue import SchemaCatalogue, load_schema_reference
    from ..toolbelt.settings import PluginSettings

    settings = PluginSettings.load()
    try:
        catalogue = SchemaCatalogue(settings.catalogue_url, settings.cache_directory())
        return load_schema_reference(reference, catalogue)
    except (SchemaError, Exception) as exc:  # CatalogueError, NetworkError: French messages
        raise QgsProcessingException(str(exc)) from exc
