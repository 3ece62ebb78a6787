"""Processing algorithm ``opendata_publisher:publish_project``: every layer of a project file, or of a folder of
GeoPackages, that carries publication settings (schema, description, licence… chosen in the dock and kept with
the project or with the data) is published with :func:`publish_layer.publish_one`; one summary report. A layer
refused by its gate, or failing, is skipped and reported; the others go on. Made for unattended runs
(``qgis_process`` without ``--PROJECT_PATH``, which crashes QGIS 3.22 at exit: the project is read here)."""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFile,
)

from .publish_layer import PublishLayerAlgorithm, publish_one


class PublishProjectAlgorithm(PublishLayerAlgorithm):
    PROJECT = "PROJECT"
    FOLDER = "FOLDER"
    PUBLISHED_COUNT = "PUBLISHED_COUNT"
    SKIPPED_COUNT = "SKIPPED_COUNT"

    def name(self) -> str:
        return "publish_project"

    def displayName(self) -> str:
        return self.tr("Publish every layer of a project or folder")

    def shortHelpString(self) -> str:
        return self.tr(
            "Publishes every layer that carries publication settings (a schema, a description, a published "
            "dataset chosen in the dock) from a project file (.qgz/.qgs), or from every GeoPackage of a folder, to "
            "one portal connection (same parameters as « Publish a layer as open data »). Each layer goes through "
            "its own gate (schema, legal and metadata checks): a layer refused or failing is skipped and reported, "
            "the others are published. SUMMARY writes one JSON report with a line per layer. The algorithm fails "
            "(non-zero exit status) when a layer was not published; the report says which and why."
        )

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFile(self.PROJECT, self.tr("Project file (.qgz, .qgs)"), optional=True))
        self.addParameter(
            QgsProcessingParameterFile(
                self.FOLDER,
                self.tr("Folder of GeoPackages"),
                behavior=QgsProcessingParameterFile.Behavior.Folder,
                optional=True,
            )
        )
        self.add_connection_parameters()
        self.add_common_parameters()
        self.addOutput(QgsProcessingOutputNumber(self.PUBLISHED_COUNT, self.tr("Layers published")))
        self.addOutput(QgsProcessingOutputNumber(self.SKIPPED_COUNT, self.tr("Layers skipped")))
        self.addOutput(QgsProcessingOutputString(self.STATUS, self.tr("Status")))

    def processAlgorithm(self, parameters, context, feedback):
        from ..core.publish import DRY_RUN, PUBLISHED, outcome_report

        connection = self.connection(parameters, context)
        project_path = (self.parameterAsFile(parameters, self.PROJECT, context) or "").strip()
        folder = (self.parameterAsFile(parameters, self.FOLDER, context) or "").strip()
        reports, reason = [], ""
        if isinstance(connection, str):
            reason = connection
        elif not project_path and not folder:
            reason = self.tr("Give a project file (PROJECT) or a folder of GeoPackages (FOLDER).")
        else:
            project, layers, reason = self._layers(project_path, folder)
            options = self.options(parameters, context)
            for layer in layers:
                if feedback.isCanceled():
                    break
                feedback.pushInfo(f"— {layer.name()}")
                try:
                    report, why = publish_one(layer, connection, "", options, feedback)
                except Exception as exc:  # noqa: BLE001 - one broken layer never stops the others
                    report, why = outcome_report(None, None, layer.name(), layer.source(), str(exc)), str(exc)
                if why:
                    feedback.reportError(f"« {layer.name()} » non publiée : {why}")
                reports.append(report)
            del project  # the layers of the project read here live until the end of the run
        done = [r for r in reports if r["status"] in (PUBLISHED, DRY_RUN)]
        skipped = [r for r in reports if r not in done]
        if not reason and not reports:
            reason = "Aucune couche ne porte de réglages de publication (schéma, description, jeu publié)."
        status = "ok" if reports and not skipped and not reason else ("partial" if done else "failed")
        summary = {
            "status": status,
            "project": project_path,
            "folder": folder,
            "published": len(done),
            "skipped": len(skipped),
            "unchanged": len([r for r in done if r.get("unchanged")]),
            "error": reason,
            "layers": reports,
        }
        path = self.write_summary(parameters, context, summary, feedback)
        line = f"{len(done)} couche(s) publiée(s), {len(skipped)} non publiée(s)."
        feedback.pushInfo(line)
        if reason or skipped:
            names = ", ".join(f"« {r['layer']} »" for r in skipped)
            raise QgsProcessingException(" ".join(t for t in (reason, line, names) if t))
        return {
            self.PUBLISHED_COUNT: len(done),
            self.SKIPPED_COUNT: len(skipped),
            self.STATUS: status,
            self.SUMMARY: path,
        }

    def _layers(self, project_path: str, folder: str):
        """(project kept alive, layers with publication settings, French reason or "")."""
        from qgis.core import QgsProject, QgsVectorLayer

        from ..core.source_state import has_settings, restore_settings, tables_of

        project, layers = None, []
        if project_path:
            project = QgsProject()
            if not project.read(project_path):
                return None, [], f"Le projet « {project_path} » n'a pas pu être lu : {project.error()}"
            for layer in project.mapLayers().values():
                if isinstance(layer, QgsVectorLayer) and layer.isValid() and has_settings(layer):
                    restore_settings(layer)
                    layers.append(layer)
        if folder:
            root = Path(folder)
            if not root.is_dir():
                return project, layers, f"Le dossier « {folder} » n'existe pas."
            for gpkg in sorted(root.glob("*.gpkg")):
                tables = tables_of(gpkg)
                for table in tables:
                    name = gpkg.stem if len(tables) == 1 else f"{gpkg.stem} — {table}"  # named in the report
                    layer = QgsVectorLayer(f"{gpkg}|layername={table}", name, "ogr")
                    if layer.isValid() and has_settings(layer):
                        restore_settings(layer)
                        layers.append(layer)
        return project, layers, ""
