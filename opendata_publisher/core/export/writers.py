"""Streamed exports of a layer snapshot to files: CSV (schema order), GeoJSON (RFC 7946), GeoPackage,
zipped Shapefile.

Features are read one at a time from the thread-safe snapshot (:class:`ExportInput`, built on the main
thread) and written as they come: memory does not grow with the layer. The source is never modified.
A GeoJSON of a whole file layer already in WGS 84 whose columns are its own fields (renamed at most) is
written by GDAL's own translate (:func:`_gdal_translate`): the same file, at GDAL's speed.
Each writer reports ``progress(done, total, French label)``, stops when ``feedback`` is cancelled
(:class:`ExportError` kind ``cancelled``, partial file removed) and turns disk problems into a French
:class:`ExportError` (``disk-full``, ``unwritable``, ``driver``).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Tuple

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProject,
    QgsVectorFileWriter,
    QgsWkbTypes,
)

from ...compat import WKB_NO_GEOMETRY, make_field
from ..mapping import FieldMapping
from ..reader import LayerInput, to_python
from ..schema.model import TableSchema
from .columns import (
    COORDINATE_DECIMALS,
    GEOPOINT,
    LAT,
    LON,
    VALUE,
    Column,
    csv_line,
    format_coordinate,
    format_geopoint,
    plan_columns,
    row_values,
)

WGS84 = "EPSG:4326"
#: format -> (file suffix, MIME type, French label)
FORMATS = {
    "csv": (".csv", "text/csv", "CSV"),
    "geojson": (".geojson", "application/geo+json", "GeoJSON"),
    "gpkg": (".gpkg", "application/geopackage+sqlite3", "GeoPackage"),
    "shp": (".shp.zip", "application/zip", "Shapefile (zip)"),
}

ExportProgress = Callable[[int, int, str], None]

#: field names GDAL's ``selectFields`` takes whole (it splits the list on spaces and commas)
_PLAIN_NAME = re.compile(r"\w+")


class ExportError(Exception):
    """An export failed or was cancelled. ``str()`` is French (what happened, what to do)."""

    def __init__(self, message: str, kind: str = "other", path: str = ""):
        super().__init__(message)
        self.kind = kind
        self.path = path


@dataclass
class ExportInput:
    """A snapshot of the layer for the exports, safe to read from a background task."""

    layer_input: LayerInput
    fields: QgsFields
    schema: Optional[TableSchema] = None
    mapping: Optional[FieldMapping] = None
    transform_context: QgsCoordinateTransformContext = field(default_factory=QgsCoordinateTransformContext)
    #: the file's own storage key (GeoPackage ``fid``): never a column of the published data
    storage_keys: Tuple[str, ...] = ()

    @classmethod
    def from_layer(cls, layer, schema=None, mapping=None, selected_only: bool = False) -> ExportInput:
        """Main thread: snapshot ``layer`` (and the project's datum transformations)."""
        keys: Tuple[str, ...] = ()
        if layer.providerType() == "ogr":
            names = layer.fields().names()
            keys = tuple(names[i] for i in layer.dataProvider().pkAttributeIndexes() if 0 <= i < len(names))
        return cls(
            layer_input=LayerInput.from_layer(layer, selected_only),
            fields=QgsFields(layer.fields()),
            schema=schema,
            mapping=mapping,
            transform_context=QgsCoordinateTransformContext(QgsProject.instance().transformContext()),
            storage_keys=keys,
        )

    @property
    def has_geometry(self) -> bool:
        return bool(self.layer_input.is_spatial) and int(self.layer_input.wkb_type) != int(WKB_NO_GEOMETRY)

    def columns(self) -> List[Column]:
        names = [n for n in self.layer_input.field_names if n not in self.storage_keys]
        return plan_columns(names, self.schema, self.mapping, self.has_geometry)

    def to_wgs84(self) -> Optional[QgsCoordinateTransform]:
        crs = self.layer_input.crs
        if not self.has_geometry or not crs.isValid():
            return None
        return QgsCoordinateTransform(crs, QgsCoordinateReferenceSystem(WGS84), self.transform_context)


# ------------------------------------------------------------------ errors


def _os_error(exc: OSError, path: Path) -> ExportError:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return ExportError(
            f"Le disque est plein : impossible d'écrire {path}. Libérez de la place (ou choisissez un autre dossier "
            "temporaire), puis relancez la publication.",
            "disk-full",
            str(path),
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ExportError(
            f"Le dossier {path.parent} n'est pas accessible en écriture. Choisissez un dossier où vous avez le droit "
            "d'écrire, ou demandez ce droit à votre service informatique.",
            "unwritable",
            str(path),
        )
    return ExportError(
        f"Écriture impossible de {path} ({exc.strerror or exc}). Vérifiez le dossier et la place disponible, puis "
        "réessayez.",
        "other",
        str(path),
    )


def _writer_error(path: Path, label: str, detail: str) -> ExportError:
    lowered = (detail or "").lower()
    if "no space" in lowered or "disk full" in lowered:
        return _os_error(OSError(errno.ENOSPC, detail), path)
    if "permission" in lowered or "read-only" in lowered or "not writable" in lowered:
        return _os_error(OSError(errno.EACCES, detail), path)
    if "[-180,180]" in lowered or "-180" in lowered or "extent" in lowered:
        return ExportError(
            f"L'export {label} de {path.name} a échoué : les coordonnées de la couche ne sont pas en degrés "
            "(longitude/latitude) et son système de coordonnées est inconnu ou faux. Définissez le bon système "
            "dans Propriétés de la couche > Source (Lambert-93 = EPSG:2154), puis réessayez.",
            "crs",
            str(path),
        )
    if "255" in lowered or "too many fields" in lowered or "maximum number of fields" in lowered:
        return ExportError(
            f"L'export {label} de {path.name} a échoué : le format Shapefile ne peut pas avoir plus de 255 champs. "
            "Retirez des champs ou publiez en CSV, GeoJSON ou GeoPackage.",
            "too-many-fields",
            str(path),
        )
    return ExportError(
        f"L'export {label} de {path.name} a échoué ({detail or 'erreur inconnue'}). Vérifiez la place disponible "
        "et les droits d'écriture, puis réessayez.",
        "driver",
        str(path),
    )


def _refuse_before_writing(inp, path: Path, driver: str, label: str, out_fields) -> None:
    """The known impossibilities, said with their real cause before GDAL fails with another message."""
    if driver == "GeoJSON" and inp.has_geometry and not inp.layer_input.crs.isValid():
        raise ExportError(
            f"L'export {label} de {path.name} est impossible : la couche « {inp.layer_input.name} » n'a pas de "
            "système de coordonnées connu. Définissez-le dans Propriétés de la couche > Source (Lambert-93 = "
            "EPSG:2154, WGS 84 = EPSG:4326), puis réessayez.",
            "crs",
            str(path),
        )
    if driver == "ESRI Shapefile" and out_fields.count() > 255:
        raise ExportError(
            f"L'export {label} de {path.name} est impossible : la couche a {out_fields.count()} champs et le format "
            "Shapefile n'en accepte que 255. Retirez des champs ou publiez en CSV, GeoJSON ou GeoPackage.",
            "too-many-fields",
            str(path),
        )


def _cancelled(path: Path, label: str) -> ExportError:
    return ExportError(f"Export {label} annulé : aucun fichier n'a été publié.", "cancelled", str(path))


def _prepare_folder(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _os_error(exc, path) from exc
    if not os.access(path.parent, os.W_OK):
        raise _os_error(OSError(errno.EACCES, "not writable"), path)


def _remove(path: Path) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        elif path.is_file():  # never a device or a fifo
            path.unlink()
    except OSError:
        pass


class _Ticker:
    def __init__(self, total: int, label: str, progress: Optional[ExportProgress], feedback):
        self.total = max(int(total), 0)
        self.label = label
        self.progress = progress
        self.feedback = feedback
        self.step = max(self.total // 100, 1)

    def __call__(self, done: int, force: bool = False) -> bool:
        """Report; False when cancelled."""
        if force or done % self.step == 0:
            if self.progress is not None:
                self.progress(done, self.total, f"Export {self.label} : {done} / {self.total} entités")
            if self.feedback is not None and self.total:
                self.feedback.setProgress(min(100.0, 100.0 * done / self.total))
        return not (self.feedback is not None and self.feedback.isCanceled())


# ------------------------------------------------------------------ geometry helpers


def point_of(geometry: Optional[QgsGeometry], transform: Optional[QgsCoordinateTransform]):
    """(lon, lat) in WGS 84 of a feature: the point itself, the first point of a multipoint, else the
    centroid. None without geometry."""
    if geometry is None or geometry.isNull() or geometry.isEmpty():
        return None
    geom = QgsGeometry(geometry)
    if transform is not None:
        try:
            geom.transform(transform)
        except Exception:  # noqa: BLE001 - QgsCsException: a point outside the CRS domain
            return None
    if QgsWkbTypes.geometryType(geom.wkbType()) == QgsWkbTypes.GeometryType.PointGeometry:
        if geom.isMultipart():
            points = geom.asMultiPoint()
            if not points:
                return None
            return points[0].x(), points[0].y()
        point = geom.asPoint()
        return point.x(), point.y()
    centroid = geom.centroid()
    if centroid.isNull():
        return None
    point = centroid.asPoint()
    return point.x(), point.y()


# ------------------------------------------------------------------ CSV


def export_csv(
    inp: ExportInput, path, feedback=None, progress: Optional[ExportProgress] = None, delimiter: str = ","
) -> Path:
    """CSV in UTF-8 (no BOM), comma separated, CRLF, header = the schema's field names in its order; cells quoted
    as :func:`~.columns.csv_line` says. A whole file layer whose columns GDAL writes exactly as we do
    (:func:`_csv_alike`) is written by GDAL's own translate: the same bytes, at GDAL's speed."""
    path = Path(path)
    if delimiter == "," and _gdal_translate(
        inp, path, "CSV", None, CSV_GDAL_OPTIONS, "CSV", feedback, progress, alike=_csv_alike
    ):
        return path
    _prepare_folder(path)
    columns = inp.columns()
    wanted = [c.layer_field for c in columns if c.layer_field]
    needs_point = inp.has_geometry and any(c.kind in (LON, LAT, GEOPOINT) for c in columns)
    transform = inp.to_wgs84() if needs_point else None
    ticker = _Ticker(inp.layer_input.feature_count, "CSV", progress, feedback)
    done = 0
    try:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            write = handle.write
            write(csv_line([c.name for c in columns], delimiter))
            for _fid, values, geometry in inp.layer_input.iter_features(wanted, needs_point, feedback):
                by_name = dict(zip(wanted, values))
                row = [by_name.get(c.layer_field) if c.layer_field else None for c in columns]
                point = point_of(geometry, transform) if needs_point else None
                write(csv_line(row_values(columns, row, point), delimiter))
                done += 1
                if not ticker(done):
                    break
    except OSError as exc:
        _remove(path)
        raise _os_error(exc, path) from exc
    if feedback is not None and feedback.isCanceled():
        _remove(path)
        raise _cancelled(path, "CSV")
    ticker(done, force=True)
    return path


#: GDAL's CSV writer set to write what :func:`export_csv` streams (see :func:`~.columns.csv_line`)
CSV_GDAL_OPTIONS = ["SEPARATOR=COMMA", "LINEFORMAT=CRLF", "STRING_QUOTING=IF_NEEDED", "WRITE_BOM=NO"]
#: 10 ** k, exact in binary for k <= 22
_POWERS_OF_TEN = [float(10**k) for k in range(23)]


def _csv_alike(source, fields) -> Optional[Dict[str, str]]:
    """How GDAL's CSV writer writes these fields ``[(name, (OGR type, subtype, width))]`` of the file
    ``source`` byte for byte as :func:`~.columns.csv_text` does: ``{field: SQL expression}`` for the fields
    written through an expression (SQLite dialect), the others as they are; None when it cannot. Text (no
    JSON/UUID subtype) and whole numbers (not booleans) as they are; reals as they are when GDAL's ``%.15g``
    prints each value as Python's shortest form (:func:`print_alike`), else printed with the decimals they
    have (:func:`_real_decimals`). Dates, times, booleans, lists, binaries: None (GDAL writes ``2024/01/31``,
    ``1``/``0``…), the file is streamed."""
    from osgeo import ogr

    reals = []
    for name, (kind, subtype, width) in fields:
        if kind == ogr.OFTString and subtype == ogr.OFSTNone:
            continue
        if kind == ogr.OFTInteger and subtype in (ogr.OFSTNone, ogr.OFSTInt16):
            continue
        if kind == ogr.OFTInteger64 and subtype == ogr.OFSTNone:
            continue
        if kind == ogr.OFTReal and subtype == ogr.OFSTNone:
            reals.append((name, width == 0))
            continue
        return None
    if not reals:
        return {}
    decimals = _real_decimals(source, [name for name, _plain in reals])
    if decimals is None:
        return None
    expressions = {}
    for name, plain in reals:
        places = decimals[name]
        if plain and places is None:
            continue
        if places is None:  # a width (Shapefile): GDAL would pad; printed with the decimals the values have
            places = decimals.get(f"{name}\0needed")
            if places is None:
                return None
        quoted = f'"{name}"'
        text = f"printf('%.{places}f', {quoted})"
        if places:  # never trim the zeros of a whole number (100)
            text = f"rtrim(rtrim({text}, '0'), '.')"
        expressions[name] = f"CASE WHEN {quoted} IS NULL THEN NULL ELSE {text} END"
    return expressions


def _real_decimals(source, names: List[str]) -> Optional[Dict[str, Optional[int]]]:
    """Per real field of the file ``source``: None when every value passes :func:`print_alike`, else the number
    of decimals D (0 to 15) with which ``printf('%.Df')`` (SQLite), trailing zeros trimmed, prints every value as
    :func:`~.columns.csv_text` does: each value is a decimal of at most D decimals and 14 significant digits
    (``-2.7e-05`` is ``-0.000027``). ``"<name>\\0needed"``: that D even when the values print alike. None
    overall when a field has neither. Read in columns (Arrow)."""
    try:
        import numpy as np

        from ..arrow_reader import ArrowLayer

        reader = ArrowLayer(source)
    except Exception:  # noqa: BLE001 - no NumPy, no Arrow: stream
        return None
    alike = dict.fromkeys(names, True)
    places = dict.fromkeys(names, 0)
    decimal = dict.fromkeys(names, True)  # every value so far has a number of decimals (0 to 15)
    largest = dict.fromkeys(names, 0.0)
    try:
        for batch in reader.batches(names, False):
            for name in names:
                column = batch[name]
                if isinstance(column, np.ma.MaskedArray):
                    column = column.compressed()
                x = np.asarray(column, dtype=np.float64)
                if not x.size:
                    continue
                if not np.isfinite(x).all() or np.signbit(x[x == 0]).any():
                    return None
                alike[name] = alike[name] and print_alike(x)
                needed = _decimals_needed(x) if decimal[name] else None
                if needed is None:
                    decimal[name] = False
                    if not alike[name]:
                        return None
                    continue
                places[name] = max(places[name], needed)
                largest[name] = max(largest[name], float(np.abs(x).max()))
    except Exception:  # noqa: BLE001 - a value the columnar reader refuses: stream
        return None
    finally:
        reader.close()
    result: Dict[str, Optional[int]] = {}
    for name in names:
        # every value, printed with the field's decimals, keeps at most 14 significant digits: SQLite's printf
        # (long double, or double where there is none) is exact to more than that
        fits = decimal[name] and largest[name] * _POWERS_OF_TEN[places[name]] < 1e14
        if not alike[name] and not fits:
            return None
        result[name] = None if alike[name] else places[name]
        if fits:
            result[f"{name}\0needed"] = places[name]
    return result


def _decimals_needed(x) -> Optional[int]:
    """The fewest decimals (0 to 15) with which every value of ``x`` is a decimal of at most 15 significant
    digits that gives the value back; None when one has none."""
    import numpy as np

    needed = np.full(x.shape, -1, dtype=np.int64)
    for places in range(16):
        scale = _POWERS_OF_TEN[places]
        digits = np.rint(x * scale)
        exact = (needed < 0) & (np.abs(digits) < 1e15) & (digits / scale == x)
        needed[exact] = places
        if (needed >= 0).all():
            return int(needed.max())
    return None


def _lonlat_expressions(
    inp: ExportInput, source, geometry_column: str, as_text: bool = True
) -> Optional[Tuple[str, str]]:
    """SQLite expressions (GeoPackage) giving the longitude and latitude columns as the streamed export does from
    each point, or None: only a point layer in WGS 84 whose every feature has a point. ``as_text`` (CSV):
    :func:`~.columns.format_coordinate`'s text, when SQLite's ``printf('%.7f')`` rounds every coordinate as
    Python does (:func:`coordinates_alike`); else (GeoJSON's numbers, ``float(format_coordinate(x))``) the
    coordinate itself, when every one has at most 7 decimals (it is then its own rounding)."""
    if not geometry_column or '"' in geometry_column or inp.layer_input.crs.authid() != WGS84:
        return None
    if int(inp.layer_input.wkb_type) != int(QgsWkbTypes.Type.Point):
        return None
    try:
        import numpy as np

        from ..arrow_reader import ArrowLayer, point_coordinates

        reader = ArrowLayer(source)
    except Exception:  # noqa: BLE001 - no NumPy, no Arrow: stream
        return None
    try:
        for batch in reader.batches([], True):
            column = batch.get(reader.geometry_column)
            if column is None:
                return None
            xs, ys, missing = point_coordinates(column)
            if np.asarray(missing).any() or not (coordinates_alike(xs, as_text) and coordinates_alike(ys, as_text)):
                return None
    except Exception:  # noqa: BLE001 - a geometry the columnar reader refuses: stream
        return None
    finally:
        reader.close()
    quoted = _quoted(geometry_column)
    if not as_text:
        return f"ST_MinX({quoted})", f"ST_MinY({quoted})"
    return tuple(
        f"rtrim(rtrim(printf('%.{COORDINATE_DECIMALS}f', {function}({quoted})), '0'), '.')"
        for function in ("ST_MinX", "ST_MinY")
    )


def coordinates_alike(values, rounded: bool = True) -> bool:
    """Whether SQLite's ``printf('%.7f')``, trailing zeros trimmed, writes each coordinate as
    :func:`~.columns.format_coordinate` does (Python's correctly rounded 7 decimals): finite, never written
    ``-0`` (between -1e-7 and 0), and either at most 7 decimals or far from a rounding tie (SQLite rounds in
    long double). ``rounded=False``: at most 7 decimals only (the coordinate is its own rounding)."""
    import numpy as np

    x = np.asarray(values, dtype=np.float64)
    if not np.isfinite(x).all() or (np.abs(x) > 360).any() or np.signbit(x[x == 0]).any():
        return False
    if ((x < 0) & (x > -1e-7)).any():
        return False
    scale = _POWERS_OF_TEN[COORDINATE_DECIMALS]
    scaled = x * scale
    digits = np.rint(scaled)
    exact = digits / scale == x
    if not rounded:
        return bool(exact.all())
    far = np.abs(scaled - np.floor(scaled) - 0.5) > 1e-6
    return bool((exact | far).all())


def print_alike(values) -> bool:
    """Whether GDAL's ``%.15g`` prints each of these (non-NULL) reals as :func:`~.columns.csv_text` does (Python's
    shortest form, without exponent): finite, not -0, whole below 1e15, or between 1e-4 and 1e15 with at most
    15 significant digits. Vectorised (NumPy); may say no for a value that would print alike, never the reverse."""
    import numpy as np

    x = np.asarray(values, dtype=np.float64)
    if not np.isfinite(x).all() or np.signbit(x[x == 0]).any():
        return False
    magnitude = np.abs(x)
    whole = x == np.floor(x)
    if (magnitude[whole] >= 1e15).any():
        return False
    x, magnitude = x[~whole], magnitude[~whole]
    if not x.size:
        return True
    if ((magnitude < 1e-4) | (magnitude >= 1e15)).any():
        return False
    exponent = np.clip(np.floor(np.log10(magnitude)).astype(np.int64), -4, 14)
    scale = np.array(_POWERS_OF_TEN)[14 - exponent]  # 15 significant digits: 14 - exponent in 0..18
    digits = np.rint(x * scale)
    # the decimal digits / 10**k (both exact, the division correctly rounded) gives x back, with at most 15
    # digits (an exponent misjudged by log10 only makes the test stricter): Python's shortest form then has at
    # most 15 significant digits, and %.15g prints the same ones
    return bool(((np.abs(digits) < 1e15) & (digits / scale == x)).all())


# ------------------------------------------------------------------ vector formats


def _output_fields(inp: ExportInput, columns: List[Column]) -> QgsFields:
    out = QgsFields()
    for column in columns:
        if column.kind in (LON, LAT):
            out.append(make_field(column.name, "double", 20, 7))
        elif column.kind == GEOPOINT:
            out.append(make_field(column.name, "string", 80))
        elif column.layer_field:
            source = QgsField(inp.fields.field(column.layer_field))
            source.setName(column.name)
            out.append(source)
        else:
            out.append(make_field(column.name, "string", 254))
    return out


def _write_vector(
    inp: ExportInput,
    path: Path,
    driver: str,
    label: str,
    crs: QgsCoordinateReferenceSystem,
    layer_options: Iterable[str] = (),
    layer_name: str = "",
    feedback=None,
    progress: Optional[ExportProgress] = None,
) -> Path:
    _prepare_folder(path)
    _remove(path)
    columns = inp.columns()
    out_fields = _output_fields(inp, columns)
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = driver
    options.fileEncoding = "UTF-8"
    options.layerOptions = list(layer_options)
    if layer_name:
        options.layerName = layer_name
    wkb = inp.layer_input.wkb_type if inp.has_geometry else WKB_NO_GEOMETRY
    _refuse_before_writing(inp, path, driver, label, out_fields)
    writer = QgsVectorFileWriter.create(
        str(path), out_fields, wkb, crs, inp.transform_context, options, QgsFeatureSink.SinkFlags()
    )
    if writer is None or writer.hasError() != QgsVectorFileWriter.WriterError.NoError:
        detail = writer.errorMessage() if writer is not None else ""
        del writer
        _remove(path)
        raise _writer_error(path, label, detail)

    to_crs = None
    if inp.has_geometry and inp.layer_input.crs.isValid() and crs.isValid() and inp.layer_input.crs != crs:
        to_crs = QgsCoordinateTransform(inp.layer_input.crs, crs, inp.transform_context)
    needs_point = inp.has_geometry and any(c.kind in (LON, LAT, GEOPOINT) for c in columns)
    to_wgs84 = inp.to_wgs84() if needs_point else None
    indices = [inp.layer_input.field_index(c.layer_field) if c.layer_field else None for c in columns]
    request = QgsFeatureRequest()
    request.setSubsetOfAttributes(sorted({i for i in indices if i is not None}))
    if not inp.has_geometry:
        request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
    if inp.layer_input.selected_ids is not None:
        request.setFilterFids(list(inp.layer_input.selected_ids))
    if feedback is not None:
        request.setFeedback(feedback)

    ticker = _Ticker(inp.layer_input.feature_count, label, progress, feedback)
    done = 0
    failure = ""
    out = QgsFeature(out_fields)
    for feature in inp.layer_input.feature_source.getFeatures(request):
        attributes = feature.attributes()
        point = point_of(feature.geometry(), to_wgs84) if needs_point else None
        values = []
        for column, index in zip(columns, indices):
            if point is not None and column.kind == LON:
                values.append(float(format_coordinate(point[0])))
            elif point is not None and column.kind == LAT:
                values.append(float(format_coordinate(point[1])))
            elif point is not None and column.kind == GEOPOINT:
                values.append(format_geopoint(point[0], point[1], column.schema_format))
            elif index is None:
                values.append(None)
            elif column.kind != "value":
                values.append(to_python(attributes[index]))
            else:
                values.append(attributes[index])
        out.setAttributes(values)
        if inp.has_geometry:
            geometry = QgsGeometry(feature.geometry())
            if to_crs is not None and not geometry.isNull():
                geometry.transform(to_crs)
            out.setGeometry(geometry)
        if not writer.addFeature(out, QgsFeatureSink.Flag.FastInsert):
            failure = writer.errorMessage() or "écriture refusée par le pilote"
            break
        done += 1
        if not ticker(done):
            break
    del writer  # closes the file
    if feedback is not None and feedback.isCanceled():
        _remove(path)
        raise _cancelled(path, label)
    if not failure:
        written = _written_count(path, driver)
        if written != done:  # QGIS's GeoJSON writer, too, reports success on a full disk with a cut file
            failure = f"{written} entités relues sur {done} : fichier incomplet (disque plein ?)"
    if failure:
        full = path.parent.is_dir() and _disk_full(path.parent)  # told before the cut file frees its place
        _remove(path)
        if full:
            raise _os_error(OSError(errno.ENOSPC, failure), path)
        raise _writer_error(path, label, failure)
    ticker(done, force=True)
    return path


def _gdal_translate(
    inp: ExportInput,
    path: Path,
    driver: str,
    crs: Optional[QgsCoordinateReferenceSystem],
    layer_options: List[str],
    label: str,
    feedback=None,
    progress: Optional[ExportProgress] = None,
    alike: Optional[Callable] = None,
) -> bool:
    """Write ``path`` with ``gdal.VectorTranslate`` from the layer's file; False (nothing written) when that
    would not give what streaming gives: a filter, a selection, unsaved edits or another encoding (no
    :attr:`LayerInput.ogr`), a reprojection (``crs``: the geometry is written in it; None: no geometry is
    written), columns that are not the layer's own fields, or fields ``alike(source, [(name, (OGR type,
    subtype, width))])`` refuses (None; else ``{field: SQL expression}`` for the fields written through an
    SQLite expression); longitude/latitude columns of a GeoPackage of points (:func:`_lonlat_expressions`).
    The written file is read back (:func:`_written_count`): a file with fewer features than the layer (a disk
    filled up while GDAL wrote) is removed and the export fails."""
    layer_input = inp.layer_input
    source = layer_input.ogr
    if source is None or source.subset or layer_input.selected_ids is not None:
        return False
    if crs is not None and (not inp.has_geometry or not crs.isValid() or layer_input.crs != crs):
        return False
    columns = inp.columns()
    from_geometry = [c for c in columns if c.kind != VALUE]
    if not columns or any(c.kind == VALUE and not c.layer_field for c in columns):
        return False
    if any(c.kind not in (LON, LAT) for c in from_geometry):
        return False  # geopoints: streamed
    if any('"' in c.name or '"' in (c.layer_field or "") for c in columns):
        return False
    if driver == "CSV" and len(columns) < 2:
        return False  # GDAL writes an empty line for a lone empty cell (read back as no record): streamed
    from osgeo import gdal

    dataset = gdal.OpenEx(source.path, gdal.OF_VECTOR | gdal.OF_READONLY)
    if dataset is None:
        return False
    # read what is needed from the layer, then drop it before its dataset (an OGR layer must never outlive the
    # dataset that owns it: GDAL 3.6's bindings do not keep the dataset alive for it)
    layer = (
        dataset.GetLayerByName(source.layer_name) if source.layer_name else dataset.GetLayerByIndex(source.layer_index)
    )
    if layer is None:
        dataset = None
        return False
    count = layer.GetFeatureCount()
    geometry_column = layer.GetGeometryColumn()
    native_sql = dataset.GetDriver().ShortName == "GPKG"  # SQLite with ST_MinX/ST_MinY/ST_IsEmpty
    definition = layer.GetLayerDefn()
    own = {}  # name -> (OGR type, subtype, width): plain values, nothing that lives with the layer
    for i in range(definition.GetFieldCount()):
        field_definition = definition.GetFieldDefn(i)
        own[field_definition.GetName()] = (
            field_definition.GetType(),
            field_definition.GetSubType(),
            field_definition.GetWidth(),
        )
    field_definition = None
    layer_name = layer.GetName()
    definition = layer = None
    values = [c for c in columns if c.kind == VALUE]
    if count != layer_input.feature_count or any(c.layer_field not in own for c in values):
        dataset = None
        return False
    expressions: Optional[Dict[str, str]] = {}
    if alike is not None:
        expressions = alike(source, [(c.layer_field, own[c.layer_field]) for c in values])
    own = None
    if expressions is not None and from_geometry:
        point = _lonlat_expressions(inp, source, geometry_column, driver == "CSV") if native_sql else None
        if point is None:
            expressions = None
        else:
            expressions.update({f"\0{c.name}": point[0] if c.kind == LON else point[1] for c in from_geometry})
    if expressions is None:
        dataset = None
        return False

    def selected(column: Column) -> str:
        if column.kind != VALUE:
            return expressions[f"\0{column.name}"]
        return expressions.get(column.layer_field) or _quoted(column.layer_field)

    select = ", ".join(f'{selected(c)} AS "{c.name}"' for c in columns)
    if expressions and crs is not None:  # SQLite selects the geometry only when told
        select += f", {_quoted(geometry_column)}"
    sql = f'SELECT {select} FROM "{layer_name}"'
    total = layer_input.feature_count

    def callback(ratio, _message, _data):
        if progress is not None:
            done = int(ratio * total)
            progress(done, total, f"Export {label} : {done} / {total} entités")
        return 0 if (feedback is not None and feedback.isCanceled()) else 1

    _prepare_folder(path)
    _remove(path)
    if not expressions and all(c.name == c.layer_field and _PLAIN_NAME.fullmatch(c.layer_field) for c in columns):
        # the layer's own fields, unrenamed: GDAL reads only them, without an SQL layer (same bytes, faster);
        # only plain names: GDAL splits the list of fields on spaces and commas (« Nom commune » would be « Nom »)
        chosen = {"selectFields": [c.layer_field for c in columns], "layers": [layer_name]}
    else:
        chosen = {"SQLStatement": sql, "SQLDialect": "SQLITE" if expressions else "OGRSQL"}
    options = gdal.VectorTranslateOptions(
        format=driver, layerCreationOptions=layer_options, callback=callback, **chosen
    )
    errors, restore = _quiet_gdal()
    try:
        out = gdal.VectorTranslate(str(path), dataset, options=options)
        ok = out is not None
        out = None  # closes the file
    finally:
        dataset = None
        restore()
    if feedback is not None and feedback.isCanceled():
        _remove(path)
        raise _cancelled(path, label)
    if ok:
        written = _written_count(path, driver)
        if written != total:
            errors.append(f"{written} entités relues sur {total} : fichier incomplet (disque plein ?)")
            ok = False
    if not ok:
        detail = "; ".join(errors) or "GDAL n'a pas pu écrire le fichier"
        full = path.parent.is_dir() and _disk_full(path.parent)  # told before the cut file frees its place
        _remove(path)
        if full:
            raise _os_error(OSError(errno.ENOSPC, detail), path)
        raise _writer_error(path, label, detail)
    if progress is not None:
        progress(total, total, f"Export {label} : {total} / {total} entités")
    return True


def _quoted(name: str) -> str:
    return f'"{name}"'


#: how GDAL's GeoJSON writer starts each feature: on its own line (a line end in a value is written ``\n``)
_GEOJSON_FEATURE = b'\n{ "type": "Feature"'
_GEOJSON_END = b"\n]\n}\n"


def _written_count(path: Path, driver: str) -> int:
    """The features in a file just written, read back from the disk (-1 when it cannot be read): GDAL's GeoJSON
    writer reports success on a full disk, leaving a cut file. GeoJSON: its feature lines counted (no parsing,
    no memory); other formats: OGR's count (a CSV parsed; a GeoPackage's or Shapefile's from its header)."""
    try:
        if driver == "GeoJSON":
            count, tail = 0, b""
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 22), b""):
                    count += (tail + block[: len(_GEOJSON_FEATURE) - 1]).count(_GEOJSON_FEATURE)
                    count += block.count(_GEOJSON_FEATURE)
                    tail = block[-(len(_GEOJSON_FEATURE) - 1) :]
                handle.seek(max(path.stat().st_size - len(_GEOJSON_END), 0))
                if handle.read() != _GEOJSON_END:
                    return -1  # not closed: the file was cut
            return count
    except OSError:
        return -1
    from osgeo import gdal

    opened = gdal.OpenEx(
        str(path), gdal.OF_VECTOR | gdal.OF_READONLY, [driver], ["HEADERS=YES"] if driver == "CSV" else []
    )
    if opened is None:
        return -1
    layer = opened.GetLayer(0)
    count = layer.GetFeatureCount() if layer is not None else -1
    layer = opened = None
    return count


def _disk_full(folder: Path) -> bool:
    try:
        stats = os.statvfs(folder)
    except (OSError, AttributeError):
        return False
    return stats.f_bavail * stats.f_frsize < (1 << 20)


def export_geojson(inp: ExportInput, path, feedback=None, progress: Optional[ExportProgress] = None) -> Path:
    """GeoJSON RFC 7946: WGS 84 longitude/latitude, no ``crs`` member, 7 decimals."""
    options = ["RFC7946=YES", "COORDINATE_PRECISION=7", "WRITE_NAME=NO"]
    if _gdal_translate(
        inp, Path(path), "GeoJSON", QgsCoordinateReferenceSystem(WGS84), options, "GeoJSON", feedback, progress
    ):
        return Path(path)
    return _write_vector(
        inp,
        Path(path),
        "GeoJSON",
        "GeoJSON",
        QgsCoordinateReferenceSystem(WGS84),
        ["RFC7946=YES", "COORDINATE_PRECISION=7", "WRITE_NAME=NO"],
        feedback=feedback,
        progress=progress,
    )


def export_gpkg(
    inp: ExportInput, path, layer_name: str = "", feedback=None, progress: Optional[ExportProgress] = None
) -> Path:
    """GeoPackage in the layer's own CRS."""
    path = Path(path)
    return _write_vector(
        inp,
        path,
        "GPKG",
        "GeoPackage",
        inp.layer_input.crs,
        [],
        layer_name or path.stem,
        feedback,
        progress,
    )


SHAPEFILE_NAME_LENGTH = 10
SHAPEFILE_TEXT_BYTES = 254


def shapefile_cuts(inp: ExportInput, feedback=None) -> List[str]:
    """What the Shapefile format will cut, in French sentences (said before exporting): field names longer
    than 10 characters, text values longer than 254 bytes (counted over the layer)."""
    columns = inp.columns()
    sentences = []
    long_names = [c.name for c in columns if len(c.name) > SHAPEFILE_NAME_LENGTH]
    if long_names:
        shown = ", ".join(f"{n} → {n[:SHAPEFILE_NAME_LENGTH]}" for n in long_names[:5])
        more = f" et {len(long_names) - 5} autre(s)" if len(long_names) > 5 else ""
        sentences.append(
            f"Le format Shapefile coupe les noms de champ à {SHAPEFILE_NAME_LENGTH} caractères : {shown}{more}."
        )
    wanted = [c.layer_field for c in columns if c.layer_field]
    long_values = {}
    for _fid, values, _geometry in inp.layer_input.iter_features(wanted, False, feedback):
        for name, value in zip(wanted, values):
            if (
                isinstance(value, str)
                and len(value) > SHAPEFILE_TEXT_BYTES // 4
                and (len(value.encode("utf-8")) > SHAPEFILE_TEXT_BYTES)
            ):
                long_values[name] = long_values.get(name, 0) + 1
    if long_values:
        detail = ", ".join(f"{count} dans « {name} »" for name, count in sorted(long_values.items()))
        sentences.append(
            f"Le format Shapefile coupe les textes à {SHAPEFILE_TEXT_BYTES} octets : {sum(long_values.values())} "
            f"valeur(s) seront tronquées ({detail}). Les formats CSV, GeoJSON et GeoPackage les gardent entières."
        )
    return sentences


def _quiet_gdal():
    """GDAL's messages (a truncated value is printed whole on stderr) kept out of the agent's way while a
    Shapefile is written: collected, not printed. Returns (messages, restore)."""
    messages: List[str] = []
    try:
        from osgeo import gdal
    except ImportError:  # pragma: no cover - GDAL ships with QGIS
        return messages, lambda: None

    def handler(_level, _number, text):
        if len(messages) < 20:
            messages.append(str(text)[:200])

    gdal.PushErrorHandler(handler)
    return messages, gdal.PopErrorHandler


def export_shapefile_zip(inp: ExportInput, path, feedback=None, progress: Optional[ExportProgress] = None) -> Path:
    """Shapefile (UTF-8, .cpg written) in the layer's CRS, zipped: ``<name>.shp.zip``."""
    path = Path(path)
    base = path.name[: -len(".shp.zip")] if path.name.endswith(".shp.zip") else path.stem
    staging = path.parent / f".{base}-shp"
    _remove(staging)
    shp = staging / f"{base}.shp"
    _messages, restore = _quiet_gdal()
    try:
        _write_vector(
            inp,
            shp,
            "ESRI Shapefile",
            "Shapefile",
            inp.layer_input.crs,
            ["ENCODING=UTF-8"],
            feedback=feedback,
            progress=progress,
        )
        restore()
        restore = None
        try:
            with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for member in sorted(staging.iterdir()):
                    archive.write(member, member.name)
        except OSError as exc:
            _remove(path)
            raise _os_error(exc, path) from exc
    finally:
        if restore is not None:
            restore()
        _remove(staging)
    return path


# ------------------------------------------------------------------ all formats


def export_formats(
    inp: ExportInput,
    formats: Iterable[str],
    folder,
    basename: str,
    feedback=None,
    progress: Optional[ExportProgress] = None,
) -> List[Tuple[str, Path]]:
    """Write each format to ``folder/basename<suffix>``; returns ``[(format, path)]`` in the given order."""
    folder = Path(folder)
    written: List[Tuple[str, Path]] = []
    for fmt in formats:
        if fmt not in FORMATS:
            raise ExportError(f"Format d'export inconnu « {fmt} » (attendu : {', '.join(FORMATS)}).", "other")
        target = folder / f"{basename}{FORMATS[fmt][0]}"
        if fmt == "csv":
            export_csv(inp, target, feedback, progress)
        elif fmt == "geojson":
            export_geojson(inp, target, feedback, progress)
        elif fmt == "gpkg":
            export_gpkg(inp, target, basename, feedback, progress)
        else:
            export_shapefile_zip(inp, target, feedback, progress)
        written.append((fmt, target))
    return written
