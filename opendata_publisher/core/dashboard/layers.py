"""QGIS layers of the dashboard: the members (with the commune outlines of the agent's layer when given) and
the datasets, a graduated style ready to print, and a map image rendered by QGIS."""

from __future__ import annotations

import json
from typing import Dict, List, Optional, Tuple

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFields,
    QgsGeometry,
    QgsGraduatedSymbolRenderer,
    QgsMapRendererCustomPainterJob,
    QgsMapSettings,
    QgsPalLayerSettings,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsRendererRange,
    QgsSymbol,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QBuffer, QByteArray, QIODevice, QSize
from qgis.PyQt.QtGui import QColor, QImage, QPainter

from ...compat import GEOMETRY_POINT, make_field
from .model import DECLARED, LEVEL_COLOURS, LEVEL_LABELS, TerritoryDashboard

MEMBER_FIELDS = (
    ("code_insee", "string"),
    ("nom", "string"),
    ("organisations", "string"),
    ("nb_jeux", "integer"),
    ("nb_socle", "integer"),
    ("nb_probables", "integer"),
    ("schemas", "string"),
    ("nb_a_jour", "integer"),
    ("nb_en_retard", "integer"),
    ("nb_verifies", "integer"),
    ("nb_conformes", "integer"),
    ("nb_erreurs", "integer"),
    ("derniere_maj", "string"),
    ("niveau", "integer"),
    ("niveau_libelle", "string"),
)
DATASET_FIELDS = (
    ("code_insee", "string"),
    ("commune", "string"),
    ("organisation", "string"),
    ("titre", "string"),
    ("url", "string"),
    ("schema", "string"),
    ("version", "string"),
    ("derniere_version", "string"),
    ("reconnaissance", "string"),
    ("socle_commun", "integer"),
    ("derniere_maj", "string"),
    ("frequence", "string"),
    ("fraicheur", "string"),
    ("retard_jours", "integer"),
    ("licence", "string"),
    ("conformite", "string"),
    ("nb_erreurs", "integer"),
    ("erreurs_par_code", "string"),
)


def _fields(spec) -> QgsFields:
    fields = QgsFields()
    for name, kind in spec:
        fields.append(make_field(name, kind))
    return fields


def member_fields() -> QgsFields:
    return _fields(MEMBER_FIELDS)


def dataset_fields() -> QgsFields:
    return _fields(DATASET_FIELDS)


def normalise_code(value) -> str:
    """An INSEE code as text on 5 characters (a number field gives 45234 or 45234.0)."""
    text = str(value if value is not None else "").strip()
    if text.endswith(".0"):
        text = text[:-2]
    return text.zfill(5) if text.isdigit() else text.upper()


def guess_join_field(layer: QgsVectorLayer, codes: List[str]) -> str:
    """The field of ``layer`` whose values hold the most of ``codes`` (INSEE codes), "" when none does."""
    wanted = set(codes)
    best: Tuple[int, str] = (0, "")
    for field in layer.fields():
        index = layer.fields().indexOf(field.name())
        values = {normalise_code(v) for v in layer.uniqueValues(index, 5000)}
        hits = len(values & wanted)
        if hits > best[0]:
            best = (hits, field.name())
    return best[1]


def member_attributes(summary) -> list:
    last = summary.last_update
    return [
        summary.member.code,
        summary.member.name,
        ", ".join(o.name for o in summary.organisations),
        summary.dataset_count,
        summary.scdl_count,
        summary.probable_count,
        ", ".join(summary.schemas),
        summary.fresh_count,
        summary.late_count,
        summary.checked_count,
        summary.valid_count,
        summary.error_count,
        last.date().isoformat() if last else "",
        summary.level,
        LEVEL_LABELS[summary.level],
    ]


def members_layer(
    dashboard: TerritoryDashboard,
    communes: Optional[QgsVectorLayer] = None,
    join_field: str = "",
    locations: Optional[Dict[str, Tuple[float, float]]] = None,
) -> Tuple[QgsVectorLayer, List[str]]:
    """``(memory layer of the members, French notes)``.

    With ``communes`` (and its INSEE code field, guessed when empty) each member takes its commune's outline.
    Otherwise, with ``locations`` (``{INSEE code: (longitude, latitude)}`` in EPSG:4326, from the shared
    profile), the layer is a point layer in EPSG:4326, one point per located commune (the others keep no
    geometry, and a note names them). With neither, the layer is a table (no geometry) that can be joined
    later on ``code_insee``."""
    notes: List[str] = []
    geometries: Dict[str, QgsGeometry] = {}
    uri = "None"
    if communes is not None and communes.isValid():
        codes = [m.member.code for m in dashboard.members]
        join_field = join_field or guess_join_field(communes, codes)
        if not join_field:
            notes.append(
                f"Aucun champ de la couche {communes.name()} ne contient les codes INSEE des communes : "
                "les membres sont écrits sans contour."
            )
        else:
            for feature in communes.getFeatures():
                geometries.setdefault(normalise_code(feature[join_field]), feature.geometry())
            missing = [m.member.name for m in dashboard.members if m.member.code not in geometries]
            if missing:
                notes.append(f"Communes absentes de la couche {communes.name()} : {', '.join(missing)}.")
        if geometries:
            wkb = QgsWkbTypes.displayString(QgsWkbTypes.multiType(communes.wkbType()))
            uri = f"{wkb}?crs={communes.crs().authid() or 'EPSG:4326'}"
    if not geometries and locations:
        for summary in dashboard.members:
            point = locations.get(summary.member.code)
            if point is not None:
                geometries[summary.member.code] = QgsGeometry.fromPointXY(QgsPointXY(point[0], point[1]))
        if geometries:
            uri = "Point?crs=EPSG:4326"
            unlocated = [m.member.name for m in dashboard.members if m.member.code not in geometries]
            if unlocated:
                notes.append(
                    "Communes sans emplacement dans le profil partagé (écrites sans point sur la carte) : "
                    f"{', '.join(unlocated)}."
                )
    if not geometries and (communes is None or not communes.isValid()):
        notes.append(
            "Ni couche de communes ni emplacement des communes dans le profil partagé : la couche des membres "
            "est une table sans géométrie (à joindre à une couche de communes sur code_insee)."
        )
    layer = QgsVectorLayer(uri, "Membres du territoire", "memory")
    provider = layer.dataProvider()
    provider.addAttributes(list(member_fields()))
    layer.updateFields()
    multi = uri != "None" and QgsWkbTypes.isMultiType(layer.wkbType())
    features = []
    for summary in dashboard.members:
        feature = QgsFeature(layer.fields())
        feature.setAttributes(member_attributes(summary))
        geometry = geometries.get(summary.member.code)
        if geometry is not None:
            geometry = QgsGeometry(geometry)
            if multi:
                geometry.convertToMultiType()
            feature.setGeometry(geometry)
        features.append(feature)
    provider.addFeatures(features)
    layer.updateExtents()
    if geometries:
        style_members(layer)
    return layer, notes


def dataset_attributes(measure, member_name: str) -> list:
    from .freshness import frequency_label

    schema = measure.schema
    dataset = measure.dataset
    return [
        measure.member_code,
        member_name,
        measure.organisation_name,
        dataset.title,
        dataset.url,
        schema.name if schema else "",
        schema.version if schema else "",
        schema.latest_version if schema else "",
        ("déclaré" if schema.how == DECLARED else f"heuristique ({schema.reason})") if schema else "",
        1 if measure.is_scdl else 0,
        dataset.last_update.date().isoformat() if dataset.last_update else "",
        frequency_label(dataset.frequency) if dataset.frequency else "non déclarée",
        measure.freshness_text,
        measure.late_days,
        dataset.licence,
        measure.conformity_text or ("non vérifiée" if measure.conformity == "not-checked" else measure.conformity),
        measure.error_count,
        json.dumps(measure.errors_by_code, ensure_ascii=False) if measure.errors_by_code else "",
    ]


def datasets_layer(dashboard: TerritoryDashboard) -> QgsVectorLayer:
    """One row per dataset (no geometry), with its indicators and its link."""
    layer = QgsVectorLayer("None", "Jeux de données du territoire", "memory")
    provider = layer.dataProvider()
    provider.addAttributes(list(dataset_fields()))
    layer.updateFields()
    features = []
    for summary in dashboard.members:
        for measure in summary.datasets:
            feature = QgsFeature(layer.fields())
            feature.setAttributes(dataset_attributes(measure, summary.member.name))
            features.append(feature)
    provider.addFeatures(features)
    return layer


#: point size (mm) of each level when the members are points
POINT_SIZES_MM = (3.0, 4.5, 6.0, 7.5)


def style_members(layer: QgsVectorLayer) -> None:
    """Graduated colours on ``niveau`` (0 nothing published … 3 common core up to date), commune names as
    labels: ready for a print layout. Points grow with the level."""
    ranges = []
    for level in range(4):
        symbol = QgsSymbol.defaultSymbol(layer.geometryType())
        symbol.setColor(QColor(LEVEL_COLOURS[level]))
        if symbol.symbolLayerCount() and hasattr(symbol.symbolLayer(0), "setStrokeColor"):
            symbol.symbolLayer(0).setStrokeColor(QColor("#4d4d4d"))
        if layer.geometryType() == GEOMETRY_POINT:
            symbol.setSize(POINT_SIZES_MM[level])  # the more a commune publishes, the bigger its point
        ranges.append(QgsRendererRange(level - 0.5, level + 0.5, symbol, LEVEL_LABELS[level]))
    renderer = QgsGraduatedSymbolRenderer("niveau", ranges)
    layer.setRenderer(renderer)
    settings = QgsPalLayerSettings()
    settings.fieldName = "nom"
    text_format = QgsTextFormat()
    text_format.setSize(7)
    settings.setFormat(text_format)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)
    layer.triggerRepaint()


def render_map_png(layers: List[QgsVectorLayer], width: int = 900, height: int = 700) -> bytes:
    """PNG image of ``layers`` (first on top) rendered by QGIS on their joint extent; b"" when nothing to draw."""
    drawable = [layer for layer in layers if layer is not None and layer.isSpatial() and layer.featureCount()]
    if not drawable:
        return b""
    settings = QgsMapSettings()
    settings.setLayers(drawable)
    crs = drawable[0].crs()
    extent = QgsRectangle(drawable[0].extent())
    for layer in drawable[1:]:
        extent.combineExtentWith(layer.extent())
    if crs.isGeographic():  # degrees would stretch the map: drawn in a metric projection instead
        target = QgsCoordinateReferenceSystem("EPSG:3857")
        extent = QgsCoordinateTransform(crs, target, QgsProject.instance()).transformBoundingBox(extent)
        crs = target
    settings.setDestinationCrs(crs)
    if extent.width() == 0 or extent.height() == 0:  # a single point: a little room around it
        extent.grow(1000.0)
    extent.scale(1.15 if drawable[0].geometryType() == GEOMETRY_POINT else 1.05)
    settings.setExtent(extent)
    settings.setOutputSize(QSize(width, height))
    settings.setBackgroundColor(QColor("white"))
    image = QImage(QSize(width, height), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    job = QgsMapRendererCustomPainterJob(settings, painter)
    job.start()
    job.waitForFinished()
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)
