"""Processing algorithm ``opendata_publisher:territory_dashboard``: which commune of the territory publishes
which common-core data, how fresh and how conforming (:mod:`opendata_publisher.core.dashboard`), the same
code path as the dialog « Tableau de bord du territoire ». Runs every night from ``qgis_process`` too."""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsFeatureSink,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)

from ..compat import NUMBER_DOUBLE, SOURCE_VECTOR, SOURCE_VECTOR_POLYGON, WKB_NO_GEOMETRY
from .base import OpenDataAlgorithm


class _StyleMembers(QgsProcessingLayerPostProcessorInterface):
    """Gives the members layer its graduated style once QGIS loaded it in the project."""

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 - QGIS API
        from ..core.dashboard.layers import style_members

        if layer is not None and layer.isSpatial():
            style_members(layer)


class TerritoryDashboardAlgorithm(OpenDataAlgorithm):
    INPUT = "INPUT"
    MAPPING = "MAPPING"
    COMMUNES = "COMMUNES"
    JOIN_FIELD = "JOIN_FIELD"
    VALIDATE_DATA = "VALIDATE_DATA"
    MAX_SIZE_MB = "MAX_SIZE_MB"
    REFRESH = "REFRESH"
    MEMBERS = "MEMBERS"
    DATASETS = "DATASETS"
    REPORT_HTML = "REPORT_HTML"

    def __init__(self):
        super().__init__()
        self._post_processors = []

    def name(self) -> str:
        return "territory_dashboard"

    def displayName(self) -> str:
        return self.tr("Territory dashboard")

    def group(self) -> str:
        return self.tr("Territory")

    def groupId(self) -> str:
        return "territory"

    def shortHelpString(self) -> str:
        return self.tr(
            "Reads the catalogue of a portal (data.gouv.fr/udata, CKAN, Opendatasoft or a local publication folder) "
            "and measures, for each of the 22 communes of the territory, which datasets it publishes, which of them "
            "follow a common-core (SCDL) schema, whether they are up to date with their declared frequency and, "
            "with VALIDATE_DATA, whether their data really follows the schema (the file is downloaded and checked "
            "by the plugin's validator, up to MAX_SIZE_MB).\n"
            "INPUT: a saved connection name, or folder:<path>. MAPPING: optional JSON file giving the portal "
            'organisations of each commune ({"members": {"45234": ["ville-d-orleans"]}}); without it, '
            "organisations are matched to communes by name (« Ville d'Orléans » is Orléans).\n"
            "COMMUNES: optional commune layer; the members layer then takes the commune outlines, joined on the "
            "INSEE code field (JOIN_FIELD, guessed when empty), with a graduated style; without it, each commune is "
            "a point (EPSG:4326) at the town hall whose location the shared profile gives (without a shared profile: "
            "the example profile shipped for the built-in territory; communes without a "
            "location have no geometry, and the log names them). Outputs: the members layer "
            "(indicators per commune), the datasets layer (one row per dataset with its link) and REPORT_HTML, a "
            "self-contained report (map, commune × schema matrix, charts, indicators, date)."
        )

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterString(
                self.INPUT,
                self.tr("Portal (saved connection name, or folder:<path> for a local publication folder)"),
            )
        )
        self.addParameter(
            QgsProcessingParameterFile(
                self.MAPPING,
                self.tr("Communes → portal organisations (JSON file, optional)"),
                extension="json",
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                self.COMMUNES, self.tr("Commune layer (optional)"), [SOURCE_VECTOR_POLYGON], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.JOIN_FIELD,
                self.tr("INSEE code field of the commune layer (guessed when empty)"),
                parentLayerParameterName=self.COMMUNES,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.VALIDATE_DATA, self.tr("Download the data and check it against its schema"), defaultValue=False
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.MAX_SIZE_MB,
                self.tr("Largest file downloaded for the check (MB)"),
                type=NUMBER_DOUBLE,
                defaultValue=20,
                minValue=0.1,
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.REFRESH, self.tr("Read the portal again (ignore the catalogue cache)"), defaultValue=False
            )
        )
        self.addParameter(QgsProcessingParameterFeatureSink(self.MEMBERS, self.tr("Members of the territory")))
        self.addParameter(
            QgsProcessingParameterFeatureSink(self.DATASETS, self.tr("Datasets of the territory"), SOURCE_VECTOR)
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.REPORT_HTML, self.tr("HTML report"), self.tr("HTML files (*.html)"), optional=True
            )
        )
        self.addOutput(QgsProcessingOutputNumber("PUBLISHING_SHARE", self.tr("Share of communes publishing (%)")))
        self.addOutput(
            QgsProcessingOutputNumber("SCDL_SHARE", self.tr("Share of communes publishing common-core data (%)"))
        )

    def processAlgorithm(self, parameters, context, feedback):
        from ..core.dashboard.catalogues import Cancelled
        from ..core.dashboard.layers import datasets_layer, members_layer, render_map_png
        from ..core.dashboard.measure import DashboardOptions, measure_territory
        from ..core.dashboard.members import load_mapping_file
        from ..core.dashboard.report import report_html
        from ..core.portals.base import PortalError
        from ..core.portals.connections import resolve_connection
        from ..core.schema.catalogue import SchemaCatalogue
        from ..toolbelt.settings import PluginSettings

        reference = self.parameterAsString(parameters, self.INPUT, context)
        try:
            connection = resolve_connection(reference)
        except PortalError as exc:
            raise QgsProcessingException(str(exc)) from exc
        mapping = None
        mapping_path = self.parameterAsFile(parameters, self.MAPPING, context)
        if mapping_path:
            try:
                mapping = load_mapping_file(mapping_path)
            except ValueError as exc:
                raise QgsProcessingException(str(exc)) from exc
        if mapping is None:
            from ..core.dashboard.members import configured_profile_mapping

            mapping = configured_profile_mapping(connection)  # the shared profile's organisations, when it has them
            if mapping:
                feedback.pushInfo(self.tr("Organisations of the communes taken from the shared profile."))
        communes = self.parameterAsVectorLayer(parameters, self.COMMUNES, context)
        join_fields = self.parameterAsFields(parameters, self.JOIN_FIELD, context)
        settings = PluginSettings.load()
        catalogue = SchemaCatalogue(settings.catalogue_url, settings.cache_directory())
        options = DashboardOptions(
            validate_data=self.parameterAsBoolean(parameters, self.VALIDATE_DATA, context),
            max_download_mb=self.parameterAsDouble(parameters, self.MAX_SIZE_MB, context),
            mapping=mapping,
            cache_dir=settings.cache_directory(),
            refresh=self.parameterAsBoolean(parameters, self.REFRESH, context),
        )

        def progress(percent, text):
            feedback.setProgress(percent)
            feedback.setProgressText(text)

        try:
            dashboard = measure_territory(connection, catalogue, options, progress, feedback)
        except Cancelled as exc:
            raise QgsProcessingException(self.tr("Measure cancelled: nothing written.")) from exc
        except PortalError as exc:
            raise QgsProcessingException(str(exc)) from exc
        for message in dashboard.messages:
            feedback.pushWarning(message)

        locations = None
        if communes is None:
            from ..core.dashboard.members import configured_profile_locations

            locations = configured_profile_locations()  # points at the town halls the shared profile gives
        members, notes = members_layer(dashboard, communes, join_fields[0] if join_fields else "", locations)
        for note in notes:
            feedback.pushWarning(note)
        results = {}
        sink, members_id = self.parameterAsSink(
            parameters, self.MEMBERS, context, members.fields(), members.wkbType(), members.crs()
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.MEMBERS))
        for feature in members.getFeatures():
            sink.addFeature(feature, QgsFeatureSink.FastInsert)
        del sink
        results[self.MEMBERS] = members_id
        if members.isSpatial() and context.willLoadLayerOnCompletion(members_id):
            post = _StyleMembers()
            self._post_processors.append(post)
            context.layerToLoadOnCompletionDetails(members_id).setPostProcessor(post)

        datasets = datasets_layer(dashboard)
        sink, datasets_id = self.parameterAsSink(
            parameters, self.DATASETS, context, datasets.fields(), WKB_NO_GEOMETRY, members.crs()
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.DATASETS))
        for feature in datasets.getFeatures():
            sink.addFeature(feature, QgsFeatureSink.FastInsert)
        del sink
        results[self.DATASETS] = datasets_id

        report_path = self.parameterAsFileOutput(parameters, self.REPORT_HTML, context)
        if report_path:
            png = render_map_png([members]) if members.isSpatial() else b""
            Path(report_path).parent.mkdir(parents=True, exist_ok=True)
            Path(report_path).write_text(report_html(dashboard, png), encoding="utf-8")
            results[self.REPORT_HTML] = report_path

        indicators = dashboard.indicators()
        results["PUBLISHING_SHARE"] = indicators["publishing_share"]
        results["SCDL_SHARE"] = indicators["scdl_publishing_share"]
        feedback.pushInfo(
            self.tr("{publishing} of {members} communes publish open data, {scdl} publish common-core data.").format(
                publishing=indicators["publishing_count"],
                members=indicators["member_count"],
                scdl=indicators["scdl_publishing_count"],
            )
        )
        return results
