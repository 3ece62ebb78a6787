"""The new layer: memory or GeoPackage, its metadata history, its place in the project (main thread)."""

from __future__ import annotations

import contextlib
import datetime
import re
from typing import List, Optional

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFields,
    QgsProject,
    QgsVectorFileWriter,
    QgsVectorLayer,
    QgsWkbTypes,
)

from ...compat import WKB_NO_GEOMETRY
from ..layer_properties import CONFORM_SOURCE_PROPERTY, SCHEMA_PROPERTY
from .model import ConformAnalysis
from .pipeline import ListSink, OutputError

HISTORY_PREFIX = "[opendata_publisher:conform]"


def memory_uri(wkb_type: int, crs: QgsCoordinateReferenceSystem) -> str:
    if int(wkb_type) == int(WKB_NO_GEOMETRY):
        return "None"
    name = QgsWkbTypes.displayString(wkb_type)
    return f"{name}?crs={crs.authid()}" if crs.isValid() and crs.authid() else name


def memory_layer(sink: ListSink, name: str) -> QgsVectorLayer:
    """A temporary layer holding the features a :class:`ListSink` collected (main thread)."""
    layer = QgsVectorLayer(memory_uri(sink.wkb_type, sink.crs), name, "memory")
    if sink.crs.isValid() and int(sink.wkb_type) != int(WKB_NO_GEOMETRY):
        layer.setCrs(sink.crs)
    provider = layer.dataProvider()
    provider.addAttributes(list(sink.fields))
    layer.updateFields()
    provider.addFeatures(sink.features)
    layer.updateExtents()
    return layer


def gpkg_writer_factory(path: str, layer_name: str, transform_context):
    """A sink factory writing a GeoPackage layer (``convert``'s ``sink_factory``); the writer is kept
    on ``factory.writer`` so that the caller can close it (``del``) before opening the file."""

    def factory(fields: QgsFields, wkb_type: int, crs: QgsCoordinateReferenceSystem):
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = "GPKG"
        options.layerName = layer_name
        options.fileEncoding = "UTF-8"
        import os

        if os.path.exists(path):
            options.actionOnExistingFile = QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteLayer
        writer = QgsVectorFileWriter.create(path, fields, wkb_type, crs, transform_context, options)
        if writer.hasError() != QgsVectorFileWriter.WriterError.NoError:
            raise OutputError(
                f"Le fichier GeoPackage « {path} » n'a pas pu être écrit ({writer.errorMessage()}). "
                "Choisissez un autre dossier ou fermez le fichier s'il est ouvert ailleurs."
            )
        factory.writer = writer
        return writer

    factory.writer = None
    return factory


def layer_file(layer) -> str:
    """The file a layer reads (GeoPackage, Shapefile, CSV...), "" for a memory or database layer."""
    from qgis.core import QgsProviderRegistry

    try:
        parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source())
    except Exception:  # noqa: BLE001 - an unknown provider has no file
        return ""
    path = str(parts.get("path") or "")
    if path.startswith("file://"):
        from qgis.PyQt.QtCore import QUrl

        path = QUrl(path).toLocalFile()
    return path


def destination_file(destination: str) -> str:
    """The file of a Processing destination (``/x/y.gpkg``, ``ogr:dbname='/x/y.gpkg' table=...``)."""
    text = (destination or "").strip()
    if text.startswith("ogr:"):
        match = re.search(r"dbname='((?:[^'\\]|\\.)*)'", text)
        text = match.group(1) if match else text[4:]
    if text in ("", "memory:", "TEMPORARY_OUTPUT") or text.startswith(("memory:", "postgres:", "spatialite:")):
        return ""
    return text.split("|", 1)[0]


def same_file(first: str, second: str) -> bool:
    """Whether two paths name the same file (after resolving links; a file not yet created is compared
    by its resolved path)."""
    if not first or not second:
        return False
    import os

    try:
        if os.path.exists(first) and os.path.exists(second):
            return os.path.samefile(first, second)
        return os.path.normcase(os.path.realpath(first)) == os.path.normcase(os.path.realpath(second))
    except OSError:
        return False


def refuse_source_as_output(output: str, source: str) -> None:
    """Raise :class:`OutputError` when the output is the source's file: writing there would replace or
    damage the layer being converted (the other layers of a GeoPackage, a CSV)."""
    if same_file(output, source):
        raise OutputError(
            f"Le fichier de sortie « {output} » est le fichier de la couche à convertir : l'écrire détruirait la "
            "couche source (et les autres couches d'un GeoPackage). Choisissez un autre fichier : la couche "
            "source n'a pas été modifiée."
        )


def check_written(layer: Optional[QgsVectorLayer], expected: int, where: str) -> None:
    """Raise :class:`OutputError` unless ``layer`` opens and holds ``expected`` features: a write that
    failed without saying so (full disk, file removed) is never reported as a success."""
    if layer is None or not layer.isValid():
        raise OutputError(
            f"La couche conforme « {where} » ne peut pas être relue après l'écriture : elle n'a pas été créée "
            "correctement (disque plein, dossier en lecture seule ?). Libérez de la place ou choisissez un autre "
            "emplacement, puis relancez. La couche source n'a pas été modifiée."
        )
    count = int(layer.featureCount())
    if count != int(expected):
        raise OutputError(
            f"La couche conforme « {where} » ne contient que {max(count, 0)} entité(s) sur {expected} : l'écriture "
            "n'a pas abouti (disque plein ?). Libérez de la place ou choisissez un autre emplacement, puis "
            "relancez. La couche source n'a pas été modifiée."
        )


def safe_layer_name(text: str) -> str:
    return re.sub(r"[^\w\-]+", "_", text, flags=re.UNICODE).strip("_") or "couche_conforme"


def history_line(analysis: ConformAnalysis, source_name: str, when: Optional[str] = None) -> str:
    """One line of the metadata history: when, from which layer, to which schema, and each step."""
    when = when or datetime.datetime.now().isoformat(timespec="minutes")
    schema = analysis.schema_title or analysis.schema_name
    version = f" {analysis.schema_version}" if analysis.schema_version else ""
    steps = analysis.steps()
    text = (
        f"{HISTORY_PREFIX} {when} — Mise en conformité de « {source_name} » avec le schéma « {schema} »"
        f"{version} ({analysis.written} entités ; couche source inchangée)"
    )
    if steps:
        text += " : " + " ; ".join(steps)
    return text + "."


def finish_layer(
    layer: QgsVectorLayer,
    analysis: ConformAnalysis,
    source: Optional[QgsVectorLayer] = None,
    schema_reference: str = "",
    when: Optional[str] = None,
) -> str:
    """Copy the source's metadata to the new layer, add the history line, remember the schema.
    Returns the history line."""
    metadata = source.metadata() if source is not None else layer.metadata()
    metadata = type(metadata)(metadata)
    line = history_line(analysis, source.name() if source is not None else analysis.layer_name, when)
    metadata.addHistoryItem(line)
    if metadata.crs().isValid() or layer.crs().isValid():
        metadata.setCrs(layer.crs())
    layer.setMetadata(metadata)
    if schema_reference:
        layer.setCustomProperty(SCHEMA_PROPERTY, schema_reference)
    if source is not None:
        layer.setCustomProperty(CONFORM_SOURCE_PROPERTY, source.id())
    if layer.providerType() == "ogr":
        with contextlib.suppress(Exception):  # the history is in the project anyway
            layer.saveDefaultMetadata()
    from ..source_state import save_settings

    save_settings(layer)  # the schema and the history of the fixes travel with the new file (no project needed)
    return line


def add_next_to(layer: QgsVectorLayer, source: Optional[QgsVectorLayer], project: Optional[QgsProject] = None) -> None:
    """Add ``layer`` to the project just above ``source`` in the layer tree (at the top otherwise)."""
    project = project or QgsProject.instance()
    project.addMapLayer(layer, False)
    root = project.layerTreeRoot()
    node = root.findLayer(source.id()) if source is not None else None
    if node is not None and node.parent() is not None:
        parent = node.parent()
        index = parent.children().index(node)
        parent.insertLayer(index, layer)
    else:
        root.insertLayer(0, layer)


CONFORM_SUFFIX = " (conforme)"
TO_FIX_SUFFIX = " (à corriger)"


def conform_layer_name(source_name: str, remaining_errors: int = 0) -> str:
    """« parkings (conforme) »; a layer already converted keeps one suffix; with errors left after the
    conversion, « parkings (à corriger) »."""
    base = source_name
    while base.endswith(CONFORM_SUFFIX) or base.endswith(TO_FIX_SUFFIX):
        base = base[: -len(CONFORM_SUFFIX)] if base.endswith(CONFORM_SUFFIX) else base[: -len(TO_FIX_SUFFIX)]
    return base + (TO_FIX_SUFFIX if remaining_errors else CONFORM_SUFFIX)


def history_lines(layer: QgsVectorLayer) -> List[str]:
    """The conversion lines of a layer's metadata history."""
    return [line for line in layer.metadata().history() if line.startswith(HISTORY_PREFIX)]
