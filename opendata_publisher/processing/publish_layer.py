"""Processing algorithm ``opendata_publisher:publish_layer``: the publishing pipeline of
:mod:`opendata_publisher.core.publish` (gate, exports, portal, history), the same code path as the dock."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)

from ..compat import ALG_FLAG_NO_THREADING, SOURCE_VECTOR
from .base import OpenDataAlgorithm

FORMAT_OPTIONS = ["csv", "geojson", "gpkg", "shp"]


class PublishLayerAlgorithm(OpenDataAlgorithm):
    INPUT = "INPUT"
    CONNECTION = "CONNECTION"
    FORMAT = "FORMAT"
    ACCEPT_WARNINGS = "ACCEPT_WARNINGS"
    DRY_RUN = "DRY_RUN"
    RECREATE = "RECREATE_IF_DELETED"
    DATASET_URL = "DATASET_URL"
    RESOURCE_URL = "RESOURCE_URL"

    def name(self) -> str:
        return "publish_layer"

    def displayName(self) -> str:
        return self.tr("Publish a layer as open data")

    def group(self) -> str:
        return self.tr("Publish")

    def groupId(self) -> str:
        return "publish"

    def flags(self):
        # the layer receives the dataset reference and the history: run on the thread that owns it
        return super().flags() | ALG_FLAG_NO_THREADING

    def shortHelpString(self) -> str:
        return self.tr(
            "Publishes a layer to an open data portal (a connection saved in Settings > Options > Open data: "
            "data.gouv.fr, Opendatasoft, CKAN) or to a local publication folder (folder:<path>).\n"
            "Publication is refused while the schema check, the legal check or the metadata check has a blocking "
            "problem; the log lists each one and the step to open. Warnings stop the publication unless "
            "ACCEPT_WARNINGS is set (« publish anyway », recorded in the layer's history); it never lifts a "
            "blocking problem.\n"
            "FORMAT: one or several of csv, geojson, gpkg, shp (zipped Shapefile). DRY_RUN runs the checks and "
            "exports without sending or writing anything. Publishing the same layer again updates the same "
            "dataset. The layer's metadata may come from QGIS's own metadata tab (licence as free text, contact, "
            "keywords)."
        )

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterVectorLayer(self.INPUT, self.tr("Layer to publish"), [SOURCE_VECTOR]))
        self.addParameter(
            QgsProcessingParameterString(
                self.CONNECTION,
                self.tr("Connection (saved connection name, or folder:<path> for a local publication folder)"),
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.FORMAT, self.tr("Formats"), options=FORMAT_OPTIONS, allowMultiple=True, defaultValue=[0]
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.ACCEPT_WARNINGS, self.tr("Publish anyway despite warnings (recorded)"), defaultValue=False
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.DRY_RUN, self.tr("Dry run (check and export, send nothing)"), defaultValue=False
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.RECREATE, self.tr("Recreate the dataset if it was deleted on the portal"), defaultValue=False
            )
        )
        self.addOutput(QgsProcessingOutputString(self.DATASET_URL, self.tr("Dataset page")))
        self.addOutput(QgsProcessingOutputString(self.RESOURCE_URL, self.tr("Published file")))

    def processAlgorithm(self, parameters, context, feedback):
        # _publish returns either the results or the French reason of a refusal or failure
        results = self._publish(parameters, context, feedback)
        if isinstance(results, str):
            raise QgsProcessingException(results)
        return results

    def _publish(self, parameters, context, feedback):
        from ..core.portals.base import PortalError
        from ..core.portals.connections import resolve_connection
        from ..core.publish import CANCELLED, DRY_RUN, PUBLISHED, REFUSED, finish, prepare, run

        layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        if layer is None or not layer.isValid():
            return self.tr("The layer to publish cannot be opened.")
        try:
            connection = resolve_connection(self.parameterAsString(parameters, self.CONNECTION, context))
        except PortalError as exc:
            return str(exc)
        if connection.portal_type != "folder":
            from ..core.portals.http import check_portal_url

            refused = check_portal_url(connection.base_url)  # https only (loopback excepted): the key is sent there
            if refused:
                return refused
        indices = self.parameterAsEnums(parameters, self.FORMAT, context) or [0]
        formats = [FORMAT_OPTIONS[i] for i in indices if 0 <= i < len(FORMAT_OPTIONS)]
        accept = self.parameterAsBoolean(parameters, self.ACCEPT_WARNINGS, context)
        dry_run = self.parameterAsBoolean(parameters, self.DRY_RUN, context)
        recreate = self.parameterAsBoolean(parameters, self.RECREATE, context)

        job = prepare(layer, connection, formats, accept, dry_run, recreate)

        def progress(done: int, total: int, label: str) -> None:
            if total <= 0 and label:
                feedback.pushInfo(label)

        outcome = run(job, feedback, progress)
        for note in outcome.gate.notes:
            feedback.pushWarning(note)
        if outcome.status == REFUSED:
            return outcome.gate.text(accept)
        if outcome.status == CANCELLED:
            if getattr(outcome.error, "ref", None) is not None:
                finish(layer, job, outcome)  # the dataset was created before the cancel: the next run updates it
                return str(outcome.error)
            return self.tr("Publication cancelled: nothing was published.")
        if outcome.status not in (PUBLISHED, DRY_RUN):
            finish(layer, job, outcome)  # keeps the reference of a dataset created before the failure
            return str(outcome.error)
        if outcome.gate.warnings:
            feedback.pushWarning(outcome.gate.text(True))
        finish(layer, job, outcome)
        for message in outcome.messages:
            feedback.pushInfo(message)
        feedback.pushInfo(outcome.summary().splitlines()[0])
        return {self.DATASET_URL: outcome.dataset_url, self.RESOURCE_URL: outcome.resource_url}
