"""Geometry checks shared by the reading engines (missing, invalid, mixed types, points outside France) and
the coordinate helpers (WKT points, longitude/latitude cells)."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any, List, Optional, Tuple

from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject

from ...compat import GEOMETRY_LINE, GEOMETRY_POINT, GEOMETRY_POLYGON
from ..checks import geo
from ..checks.finding import Finding
from ..reader import LayerInput
from ..schema.model import TableSchema
from .report import _layer_finding

WGS84 = "EPSG:4326"


class GeometryChecks:
    """The geometry part of :class:`~.plan._Plan`."""

    # geometry ------------------------------------------------------------
    def _geometry_setup(self):
        """Decide which geometry checks run; returns a per-feature checker or None."""
        layer_input = self.input
        if not layer_input.is_spatial:
            return None
        if not layer_input.crs.isValid():
            self.findings.append(
                _layer_finding(
                    "crs-unknown",
                    f"La couche « {layer_input.name} » n'a pas de système de coordonnées connu.",
                    "Définissez-le dans Propriétés de la couche > Source (Lambert-93 = EPSG:2154, WGS 84 = EPSG:4326).",
                )
            )
        if self.expect_points and not layer_input.is_point:
            self.findings.append(
                _layer_finding(
                    "geometry-type",
                    f"Le schéma attend des points, mais « {layer_input.name} » est une couche de "
                    f"{_geometry_label(layer_input.geometry_type)}.",
                    "Créez une couche de points (centroïdes ou points sur la surface) pour publier selon ce schéma.",
                )
            )
        transform = None
        locate_points = False
        if layer_input.is_point and layer_input.crs.isValid():
            wgs84 = QgsCoordinateReferenceSystem(WGS84)
            if layer_input.crs != wgs84:
                transform = QgsCoordinateTransform(layer_input.crs, wgs84, QgsProject.instance())
            extent = layer_input.extent
            try:
                box = transform.transformBoundingBox(extent) if transform else extent
                locate_points = _holds_points(box) and not geo.extent_inside_one_box(
                    box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum()
                )
            except Exception:  # noqa: BLE001 - a failing transform means: look at every point
                locate_points = True
        check_validity = not layer_input.is_point
        findings = self.findings
        self.locate_points = locate_points
        self.check_validity = check_validity
        self.geometry_missing = self._geometry_missing
        self.mixed_possible = _mixed_geometry_possible(layer_input)
        types = self.geometry_types
        expected_type = int(layer_input.geometry_type)

        def check_geometry(fid, geometry):
            if geometry is None or geometry.isNull() or geometry.isEmpty():
                self._geometry_missing(fid)
                return
            types[int(geometry.type())] += 1
            if int(geometry.type()) != expected_type:
                return  # counted, reported once for the layer (report_geometry_mix)
            if check_validity and not geometry.isGeosValid():
                error = geometry.validateGeometry()
                detail = f" ({error[0].what()})" if error else ""
                findings.append(
                    _layer_finding(
                        "geometry-invalid",
                        f"La géométrie de l'entité est invalide{detail}.",
                        "Utilisez Vecteur > Outils de géométrie > Réparer les géométries (la mise en conformité le "
                        "fait dans une nouvelle couche).",
                        feature_id=fid,
                    )
                )
            if locate_points:
                points = geometry.asMultiPoint() if geometry.isMultipart() else [geometry.asPoint()]
                for point in points:
                    lon, lat = point.x(), point.y()
                    if transform is not None:
                        try:
                            p = transform.transform(point)
                            lon, lat = p.x(), p.y()
                        except Exception:  # noqa: BLE001
                            continue
                    problem = geo.geo_problem(lon, lat)
                    if problem:
                        findings.append(Finding.from_problem(problem, None, fid, value=_point_text(lon, lat)))
                        break

        return check_geometry

    def _geometry_missing(self, fid):
        self.findings.append(
            _layer_finding(
                "geometry-missing",
                "L'entité n'a pas de géométrie.",
                "Numérisez sa géométrie ou retirez l'entité avant de publier.",
                feature_id=fid,
            )
        )

    def report_geometry_mix(self) -> None:
        """A layer holding several geometry types (a GeoJSON with points, lines and polygons)."""
        if len(self.geometry_types) < 2:
            return
        labels = {int(GEOMETRY_POINT): "point(s)", int(GEOMETRY_LINE): "ligne(s)", int(GEOMETRY_POLYGON): "polygone(s)"}
        counts = ", ".join(f"{n} {labels.get(t, 'autre(s)')}" for t, n in sorted(self.geometry_types.items()))
        self.findings.append(
            _layer_finding(
                "geometry-mixed",
                f"La couche « {self.input.name} » mélange plusieurs types de géométrie ({counts}) : QGIS la montre "
                f"comme une couche de {_geometry_label(self.input.geometry_type)}, et un fichier GeoPackage ou "
                "Shapefile ne peut en garder qu'un type.",
                "Séparez les entités par type de géométrie (ouvrez le fichier dans QGIS : il propose une couche par "
                "type) et publiez chaque couche séparément ; la mise en conformité ne reprend que les géométries du "
                "type de la couche.",
            )
        )


_WKT_START = re.compile(r"^\s*(?:SRID=\d+;\s*)?(MULTI)?(POINT|LINESTRING|POLYGON)\s*Z?M?\s*\(", re.IGNORECASE)
_WKT_PAIR = re.compile(r"(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)")


def wkt_fields(schema: TableSchema) -> List[str]:
    """Text fields that hold a geometry written as WKT (``geompoint``,
    ``GEOM_WKT``…): named so, or described as WKT."""
    names = []
    for descriptor in schema.fields:
        if descriptor.type not in ("string", "any"):
            continue
        text = f"{descriptor.name} {descriptor.title} {descriptor.description}".lower()
        if "wkt" in text or re.search(r"(^|_)geom", descriptor.name.lower()):
            names.append(descriptor.name)
    return names


def first_wkt_point(value: Any) -> Optional[Tuple[float, float]]:
    """The first coordinate pair of a WKT value (in WGS 84 per the schemas
    that use them), or None when the value is not WKT."""
    if not isinstance(value, str) or not _WKT_START.match(value):
        return None
    match = _WKT_PAIR.search(value)
    if match is None:
        return None
    return float(match.group(1)), float(match.group(2))


def _point_text(lon: float, lat: float) -> str:
    """WKT of a point for a report, rounded to about 10 cm (no « -0.000000 »)."""
    return f"POINT({round(lon, 6) + 0.0:.6f} {round(lat, 6) + 0.0:.6f})"


_DECIMAL_TEXT = re.compile(r"\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)\s*")


def _coordinate(value: Any) -> Optional[float]:
    """A longitude or latitude as a float: a number, or a text column holding a decimal number (BAL's
    ``long``/``lat`` are text); None otherwise."""
    if not (_is_number(value) or (isinstance(value, str) and _DECIMAL_TEXT.fullmatch(value))):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _mixed_geometry_possible(layer_input: LayerInput) -> bool:
    """Whether the file's layer declares no single geometry type (GeoJSON, GeoPackage « GEOMETRY »...):
    then every feature's geometry type is looked at."""
    source = layer_input.ogr
    if source is None:
        return False
    try:
        from osgeo import gdal, ogr

        dataset = gdal.OpenEx(source.path, gdal.OF_VECTOR | gdal.OF_READONLY)
        if dataset is None:
            return True
        layer = (
            dataset.GetLayerByName(source.layer_name)
            if source.layer_name
            else dataset.GetLayerByIndex(source.layer_index)
        )
        flat = ogr.GT_Flatten(layer.GetGeomType()) if layer is not None else ogr.wkbUnknown
        return flat in (ogr.wkbUnknown, ogr.wkbGeometryCollection)
    except Exception:  # noqa: BLE001 - when in doubt, look at each geometry
        return True


def _geometry_label(geometry_type: int) -> str:
    return {
        int(GEOMETRY_LINE): "lignes",
        int(GEOMETRY_POLYGON): "polygones",
        int(GEOMETRY_POINT): "points",
    }.get(geometry_type, "géométries d'un autre type")


def _holds_points(box) -> bool:
    """The extent holds at least one point. Not ``QgsRectangle.isEmpty()``: that is also true of a single point
    or of points in a row (zero width or height), which must still be located."""
    edges = (box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum())
    return all(math.isfinite(edge) for edge in edges) and edges[0] <= edges[2] and edges[1] <= edges[3]
