"""Processing algorithm ``opendata_publisher:publish_layer``: the publishing pipeline of
:mod:`opendata_publisher.core.publish` (gate, exports, portal, history), the same code path as the dock."""

from __future__ import annotations

import json
from pathlib import Path

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFileDestination,
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
    SCHEMA = "SCHEMA"
    PORTAL_TYPE = "PORTAL_TYPE"
    PORTAL_URL = "PORTAL_URL"
    ORGANISATION = "ORGANISATION"
    AUTHCFG = "AUTHCFG"
    SUMMARY = "SUMMARY"
    STATUS = "STATUS"

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
            "keywords).\n"
            "Unattended runs (qgis_process, no project): the schema, field mapping, description, legal decisions and "
            "published dataset chosen in the dock travel with the data (GeoPackage metadata tables, or a sidecar "
            "file). SCHEMA overrides the stored schema. Instead of a saved connection, give PORTAL_TYPE (udata, "
            "ckan, opendatasoft, folder), PORTAL_URL, ORGANISATION and AUTHCFG (the id of a QGIS authentication "
            "configuration holding the key; unlock the authentication database with QGIS_AUTH_PASSWORD_FILE). "
            "SUMMARY writes a JSON report (status, files sent, dataset and resource links, check and legal "
            "counts). The algorithm fails (non-zero exit status) when nothing was published. Unchanged files "
            "(same checksums as last published) are not sent again: only the metadata is refreshed."
        )

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterVectorLayer(self.INPUT, self.tr("Layer to publish"), [SOURCE_VECTOR]))
        self.add_connection_parameters()
        self.addParameter(
            QgsProcessingParameterString(
                self.SCHEMA,
                self.tr("Schema (catalogue name[@version], path or URL; empty: the one chosen for the layer)"),
                optional=True,
            )
        )
        self.add_common_parameters()
        self.addOutput(QgsProcessingOutputString(self.DATASET_URL, self.tr("Dataset page")))
        self.addOutput(QgsProcessingOutputString(self.RESOURCE_URL, self.tr("Published file")))
        self.addOutput(QgsProcessingOutputString(self.STATUS, self.tr("Status")))

    def add_connection_parameters(self) -> None:
        self.addParameter(
            QgsProcessingParameterString(
                self.CONNECTION,
                self.tr(
                    "Connection (saved or shared profile connection name, or folder:<path>; empty: the portal below)"
                ),
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.PORTAL_TYPE, self.tr("Portal type (udata, ckan, opendatasoft, folder)"), optional=True
            )
        )
        self.addParameter(QgsProcessingParameterString(self.PORTAL_URL, self.tr("Portal address"), optional=True))
        self.addParameter(
            QgsProcessingParameterString(self.ORGANISATION, self.tr("Organisation on the portal"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.AUTHCFG, self.tr("QGIS authentication configuration id holding the key"), optional=True
            )
        )

    def add_common_parameters(self) -> None:
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
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.SUMMARY, self.tr("Summary report (JSON)"), "JSON (*.json)", optional=True, createByDefault=False
            )
        )

    def connection(self, parameters, context):
        """The portal connection of the run, or the French reason why there is none."""
        from ..core.portals.base import PortalError
        from ..core.portals.connections import connection_from_parts, resolve_connection

        name = (self.parameterAsString(parameters, self.CONNECTION, context) or "").strip()
        portal_type = (self.parameterAsString(parameters, self.PORTAL_TYPE, context) or "").strip()
        try:
            if name or not portal_type:
                connection = resolve_connection(name)
            else:
                connection = connection_from_parts(
                    portal_type,
                    self.parameterAsString(parameters, self.PORTAL_URL, context),
                    self.parameterAsString(parameters, self.ORGANISATION, context),
                    self.parameterAsString(parameters, self.AUTHCFG, context),
                )
        except PortalError as exc:
            return str(exc)
        if connection.portal_type != "folder":
            from ..core.portals.http import check_portal_url

            refused = check_portal_url(connection.base_url)  # https only (loopback excepted): the key is sent there
            if refused:
                return refused
        return connection

    def options(self, parameters, context):
        indices = self.parameterAsEnums(parameters, self.FORMAT, context) or [0]
        return {
            "formats": [FORMAT_OPTIONS[i] for i in indices if 0 <= i < len(FORMAT_OPTIONS)],
            "accept": self.parameterAsBoolean(parameters, self.ACCEPT_WARNINGS, context),
            "dry_run": self.parameterAsBoolean(parameters, self.DRY_RUN, context),
            "recreate": self.parameterAsBoolean(parameters, self.RECREATE, context),
        }

    def write_summary(self, parameters, context, summary, feedback) -> str:
        path = (self.parameterAsFileOutput(parameters, self.SUMMARY, context) or "").strip()
        if not path:
            return ""
        from ..core.safe_write import WriteError, write_text

        try:
            write_text(Path(path), json.dumps(summary, ensure_ascii=False, indent=2), "Le rapport")
        except WriteError as exc:
            feedback.reportError(str(exc))
            return ""
        return path

    def processAlgorithm(self, parameters, context, feedback):
        from ..core.publish import outcome_report

        layer = self.layer_with_settings(parameters, self.INPUT, context, feedback)
        name = layer.name() if layer is not None else ""
        connection = self.connection(parameters, context)
        if layer is None or not layer.isValid():
            reason = self.tr("The layer to publish cannot be opened.")
            report = outcome_report(None, None, name, error=reason)
        elif isinstance(connection, str):
            report, reason = outcome_report(None, None, name, layer.source(), error=connection), connection
        else:
            schema = (self.parameterAsString(parameters, self.SCHEMA, context) or "").strip()
            report, reason = publish_one(layer, connection, schema, self.options(parameters, context), feedback)
        path = self.write_summary(parameters, context, report, feedback)
        if reason:
            raise QgsProcessingException(reason)  # qgis_process exits with a non-zero status: nothing was published
        return {
            self.DATASET_URL: report["dataset_url"],
            self.RESOURCE_URL: next(iter(report["resource_urls"].values()), ""),
            self.STATUS: report["status"],
            self.SUMMARY: path,
        }


def publish_one(layer, connection, schema_reference: str, options, feedback):
    """Publish ``layer`` (its settings already read from its data source) and return ``(report, reason)``:
    the JSON report of :func:`~opendata_publisher.core.publish.outcome_report`, and the French reason when
    nothing was published ("" after a publication or a dry run)."""
    from ..core.publish import CANCELLED, DRY_RUN, PUBLISHED, REFUSED, SCHEMA_PROPERTY, finish, outcome_report, prepare
    from ..core.publish import run as run_publication
    from ..core.source_state import save_settings

    if schema_reference and schema_reference != str(layer.customProperty(SCHEMA_PROPERTY, "") or ""):
        layer.setCustomProperty(SCHEMA_PROPERTY, schema_reference)  # the schema of this publication, kept
        save_settings(layer)
    job = prepare(layer, connection, options["formats"], options["accept"], options["dry_run"], options["recreate"])

    def progress(done: int, total: int, label: str) -> None:
        if total <= 0 and label:
            feedback.pushInfo(label)

    outcome = run_publication(job, feedback, progress)
    for note in outcome.gate.notes:
        feedback.pushWarning(note)
    source = layer.source()
    reason = ""
    if outcome.status == REFUSED:
        reason = outcome.gate.text(options["accept"])
    elif outcome.status == CANCELLED:
        if getattr(outcome.error, "ref", None) is not None:
            finish(layer, job, outcome)  # the dataset was created before the cancel: the next run updates it
            reason = str(outcome.error)
        else:
            reason = "Publication annulée : rien n'a été publié."
    elif outcome.status not in (PUBLISHED, DRY_RUN):
        finish(layer, job, outcome)  # keeps the reference of a dataset created before the failure
        reason = str(outcome.error)
    else:
        if outcome.gate.warnings:
            feedback.pushWarning(outcome.gate.text(True))
        finish(layer, job, outcome)
        for message in outcome.messages:
            feedback.pushInfo(message)
        feedback.pushInfo(outcome.summary().splitlines()[0])
    return outcome_report(job, outcome, layer.name(), source, reason), reason
