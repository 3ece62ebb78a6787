"""Fast reading of file layers (GeoPackage, Shapefile, CSV through OGR…) for
checking, through GDAL's columnar Arrow interface (GDAL ≥ 3.6).

QGIS builds one ``QgsFeature`` per row and one Python object per cell, which
costs far more than the checks themselves. Here each batch of rows arrives as
NumPy columns; per column, the distinct values and, for every row, the index
of its value (``encode``) are computed in C. The checker then works on the
distinct values only, exactly as on the QGIS path, and gets the same plain
Python values (``str``, ``int``, ``float``, ``bool``, ``datetime.date``,
``None`` for NULL). Anything unexpected makes the caller fall back to the
QGIS path, which reads every provider.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

try:  # numpy and the GDAL bindings ship with QGIS; still, never fail on import
    import numpy as np
    from osgeo import gdal, ogr, osr
except ImportError:  # pragma: no cover - depends on the installation
    np = None
    gdal = ogr = osr = None

#: rows handed to the checks at once (their per-batch work is amortised over it; 1M-feature GeoPackage:
#: 8192 is as fast as 16384 and keeps 13 MB less of each batch's distinct values and working arrays)
BATCH_SIZE = 8192
#: rows GDAL builds at once: its Arrow stream holds every row of a batch as a
#: feature object while it fills the arrays (about 1.6 kB a row on a 30-field
#: GeoPackage, freed but kept by the allocator), so it reads small batches that
#: are then put together, as compact NumPy arrays, into batches of BATCH_SIZE
READ_BATCH_SIZE = 4096


@dataclass
class OgrSource:
    path: str
    layer_name: Optional[str] = None
    layer_index: int = 0
    subset: str = ""


def arrow_supported() -> bool:
    if np is None or ogr is None:
        return False
    return hasattr(ogr.Layer, "GetArrowStreamAsNumPy") and int(gdal.VersionInfo()) >= 3060000


def ogr_source_for(provider: str, source: str, subset: str) -> Optional[OgrSource]:
    """Where a QGIS ``ogr`` layer's data lives, or None if not a plain file."""
    if provider != "ogr" or not arrow_supported():
        return None
    parts = source.split("|")
    path = parts[0]
    if not os.path.isfile(path):
        return None
    layer_name = None
    layer_index = 0
    for part in parts[1:]:
        key, _, value = part.partition("=")
        if key == "layername":
            layer_name = value
        elif key == "layerid":
            try:
                layer_index = int(value)
            except ValueError:
                return None
        elif key in ("subset",):
            subset = subset or value
        elif key:
            return None  # geometrytype=… and other options: let QGIS read it
    return OgrSource(path, layer_name, layer_index, subset or "")


class ArrowLayer:
    """One OGR layer opened read-only for columnar reading (any thread)."""

    def __init__(self, source: OgrSource):
        # Return codes are checked here: gdal/ogr.UseExceptions() would switch
        # the whole QGIS process (and every other plugin) to exceptions.
        self.dataset = gdal.OpenEx(source.path, gdal.OF_VECTOR | gdal.OF_READONLY)
        if self.dataset is None:
            raise OSError(f"cannot open {source.path}")
        layer = (
            self.dataset.GetLayerByName(source.layer_name)
            if source.layer_name
            else self.dataset.GetLayerByIndex(source.layer_index)
        )
        if layer is None:
            raise OSError(f"no layer in {source.path}")
        self.layer = layer
        if source.subset and _quietly(layer.SetAttributeFilter, source.subset) != 0:
            # e.g. a QGIS « SELECT … » filter: reading without it would check the whole file
            raise ValueError(f"filter not understood by OGR: {source.subset}")
        definition = layer.GetLayerDefn()
        self.field_names = [definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())]
        self.fid_column = layer.GetFIDColumn() or "OGC_FID"
        self.geometry_column = layer.GetGeometryColumn() or "wkb_geometry"
        driver = self.dataset.GetDriver()
        #: GDAL's generic Arrow writer (every driver but GeoPackage) shifts dates
        #: before 1970 by one day in GDAL 3.6 (seen with 3.6.2)
        self.dates_unsafe = (driver is None or driver.ShortName != "GPKG") and generic_dates_shifted()

    def batches(self, columns: Sequence[str], geometry: bool) -> Iterator[Dict[str, Any]]:
        """NumPy batches of ``columns`` (and the geometry). Raises, so that the
        caller reads the layer through QGIS, when a value cannot be trusted."""
        missing = [c for c in columns if c not in self.field_names]
        if missing:
            raise KeyError(", ".join(missing))
        ignored = [name for name in self.field_names if name not in columns]
        if not geometry:
            ignored.append("OGR_GEOMETRY")
        if self.layer.SetIgnoredFields(ignored) != 0:
            raise ValueError("SetIgnoredFields failed")
        self.layer.ResetReading()
        options = ["INCLUDE_FID=YES", f"MAX_FEATURES_IN_BATCH={min(READ_BATCH_SIZE, BATCH_SIZE)}"]
        parts: List[Dict[str, Any]] = []
        rows = 0
        for part in self.layer.GetArrowStreamAsNumPy(options=options):
            if self.dates_unsafe:
                for name in columns:
                    _refuse_early_dates(part.get(name))
            parts.append(part)
            rows += len(part[self.fid_column])
            if rows >= BATCH_SIZE:
                yield from _joined(parts)
                parts, rows = [], 0
        if parts:
            yield from _joined(parts)

    def close(self):
        self.layer = None
        self.dataset = None


def _joined(parts: List[Dict[str, Any]]) -> Iterator[Dict[str, Any]]:
    """Consecutive batches as one (each column concatenated, NULL masks kept);
    as they came when their columns cannot be joined (types that differ)."""
    if len(parts) == 1:
        yield parts[0]
        return
    joined: Dict[str, Any] = {}
    sizes = [len(next(iter(part.values()))) for part in parts]
    try:
        for key in list(parts[0]):
            columns = [part[key] for part in parts]
            masked = any(isinstance(column, np.ma.MaskedArray) for column in columns)
            joined[key] = np.ma.concatenate(columns) if masked else np.concatenate(columns)
            del columns
            for part in parts:  # each part's column is freed once copied
                del part[key]
    except (TypeError, ValueError):
        # the columns already joined are given back to their parts, cut where they were
        cuts = np.cumsum(sizes)[:-1]
        for key, column in joined.items():
            for part, piece in zip(parts, np.split(column, cuts)):
                part[key] = piece
        yield from parts
        return
    parts.clear()
    yield joined


def _quietly(call, *args):
    """``call(*args)`` without GDAL printing its error (GDAL error handlers are per thread)."""
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        return call(*args)
    finally:
        gdal.PopErrorHandler()


_GENERIC_DATES_SHIFTED: Optional[bool] = None


def generic_dates_shifted() -> bool:
    """Whether this GDAL's generic Arrow stream reads 1969-12-31 as another
    day (tested once on an in-memory layer)."""
    global _GENERIC_DATES_SHIFTED
    if _GENERIC_DATES_SHIFTED is None:
        try:
            dataset = ogr.GetDriverByName("Memory").CreateDataSource("dates")
            layer = dataset.CreateLayer("dates", geom_type=ogr.wkbNone)
            layer.CreateField(ogr.FieldDefn("d", ogr.OFTDate))
            feature = ogr.Feature(layer.GetLayerDefn())
            feature.SetField("d", "1969/12/31")
            layer.CreateFeature(feature)
            read = [value for batch in layer.GetArrowStreamAsNumPy() for value in batch["d"].tolist()]
            _GENERIC_DATES_SHIFTED = [str(value) for value in read] != ["1969-12-31"]
        except Exception:  # noqa: BLE001 - cannot tell: do not trust early dates
            _GENERIC_DATES_SHIFTED = True
    return _GENERIC_DATES_SHIFTED


def _refuse_early_dates(column) -> None:
    """Raise when a date column holds a day on or before 1970-01-01 (which
    the shifted reading cannot tell apart)."""
    if column is None:
        return
    data = column.data if isinstance(column, np.ma.MaskedArray) else column
    if data.dtype.kind != "M" or np.datetime_data(data.dtype)[0] != "D":
        return
    early = data.astype(np.int64) <= 0
    if isinstance(column, np.ma.MaskedArray):
        early &= ~np.ma.getmaskarray(column)
    if early.any():
        raise ValueError("dates before 1970 are misread by this GDAL's Arrow stream")


def _python(value: Any) -> Any:
    if isinstance(value, bytes):
        # strict: text that is not UTF-8 (a Shapefile in another encoding…)
        # raises, and QGIS, which knows the layer's encoding, reads it instead
        return value.decode("utf-8")
    return value


def encode(column) -> Tuple[List[Any], Any]:
    """Distinct plain-Python values of a column and, per row, the index of
    its value in that list (NULL is the value ``None``)."""
    values, codes, _uniques = encode_columns(column)
    return values, codes


def encode_columns(column) -> Tuple[List[Any], Any, Any]:
    """``encode`` plus the NumPy array of the distinct values (aligned with
    the list, without the final ``None``) for numeric and byte-string
    columns — for vectorised pre-tests —, else None."""
    mask = None
    data = column
    if isinstance(column, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(column)
        data = column.data
        if not mask.any():
            mask = None
    if data.dtype.kind == "O":
        index: Dict[Any, int] = {}
        values: List[Any] = []
        codes = np.empty(len(data), dtype=np.int64)
        for row, raw in enumerate(data.tolist()):
            value = None if (mask is not None and mask[row]) else _python(raw)
            code = index.get(value)
            if code is None:
                code = index[value] = len(values)
                values.append(value)
            codes[row] = code
        return values, codes, None
    if data.dtype.kind == "f":
        nan = np.isnan(data)
        if nan.any():  # NaN never equals itself: give every NaN one code
            mask = nan if mask is None else (mask | nan)
    uniques, codes = np.unique(data, return_inverse=True)
    codes = codes.astype(np.int64, copy=False)
    if uniques.dtype.kind == "S":
        values = np.char.decode(uniques, "utf-8").tolist()  # not UTF-8: raises (see _python)
    else:
        values = uniques.tolist()
    if mask is not None:
        values.append(None)
        codes[mask] = len(values) - 1
    return values, codes, (uniques if uniques.dtype.kind in "iufS" else None)


def row_value(column, row: int) -> Any:
    """The plain Python value of one row of a batch column (NULL and NaN: None)."""
    if isinstance(column, np.ma.MaskedArray):
        if np.ma.getmaskarray(column)[row]:
            return None
        column = column.data
    value = column[row]
    value = value.item() if hasattr(value, "item") else value
    if isinstance(value, float) and value != value:
        return None  # NaN is NULL, as in encode_columns and reader.to_python
    return _python(value)


def numeric_rows(column):
    """A float array (NaN for NULL) of a numeric batch column, else None."""
    data = column.data if isinstance(column, np.ma.MaskedArray) else column
    if data.dtype.kind not in "iuf":
        return None
    values = data.astype(float)
    if isinstance(column, np.ma.MaskedArray):
        values[np.ma.getmaskarray(column)] = np.nan
    return values


def point_coordinates(wkb_column) -> Tuple[Any, Any, Any]:
    """x, y arrays of a column of point WKB, and the mask of rows with no
    usable point (NULL, empty, or not a point)."""
    count = len(wkb_column)
    mask = np.ma.getmaskarray(wkb_column) if isinstance(wkb_column, np.ma.MaskedArray) else np.zeros(count, bool)
    data = wkb_column.data if isinstance(wkb_column, np.ma.MaskedArray) else wkb_column
    blobs = data.tolist()
    if not mask.any() and all(blob is not None and len(blob) == 21 for blob in blobs):
        raw = np.frombuffer(b"".join(bytes(b) for b in blobs), dtype=np.uint8).reshape(-1, 21)
        plain = (raw[:, 0] == 1) & (raw[:, 1] == 1) & (raw[:, 2] == 0) & (raw[:, 3] == 0) & (raw[:, 4] == 0)
        if plain.all():  # little-endian 2D points: read the doubles directly
            xs = raw[:, 5:13].copy().view("<f8").reshape(-1)
            ys = raw[:, 13:21].copy().view("<f8").reshape(-1)
            return xs, ys, np.isnan(xs) | np.isnan(ys)
    xs = np.full(count, np.nan)
    ys = np.full(count, np.nan)
    for row, blob in enumerate(blobs):
        if mask[row] or not blob:
            continue
        geometry = ogr.CreateGeometryFromWkb(bytes(blob))
        if geometry is None or geometry.IsEmpty():
            continue
        # a multipoint's first point; ``geometry`` must stay referenced while
        # its part is read (GDAL frees the part with its parent: segfault)
        part = geometry.GetGeometryRef(0) if geometry.GetGeometryCount() > 0 else geometry
        xs[row] = part.GetX()
        ys[row] = part.GetY()
    missing = mask | np.isnan(xs) | np.isnan(ys)
    return xs, ys, missing


def to_wgs84(xs, ys, crs_wkt: str):
    """Reproject coordinate arrays to longitude/latitude (WGS 84)."""
    source = osr.SpatialReference()
    source.ImportFromWkt(crs_wkt)
    source.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    target = osr.SpatialReference()
    target.ImportFromEPSG(4326)
    target.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    transform = osr.CoordinateTransformation(source, target)
    points = transform.TransformPoints(np.column_stack([xs, ys]).tolist())
    out = np.array(points, dtype=float).reshape(-1, 3) if points else np.zeros((0, 3))
    return out[:, 0], out[:, 1]


def inside_boxes(lons, lats, boxes) -> Any:
    inside = np.zeros(len(lons), dtype=bool)
    for _name, min_lon, min_lat, max_lon, max_lat in boxes:
        inside |= (lons >= min_lon) & (lons <= max_lon) & (lats >= min_lat) & (lats <= max_lat)
    return inside
