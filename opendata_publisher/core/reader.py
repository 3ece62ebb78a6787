"""Reading a QGIS vector layer for checking: the only place that knows about
providers.

:class:`LayerInput` is built on the main thread (it snapshots the layer with a
thread-safe ``QgsVectorLayerFeatureSource``) and is then read from a
background task or a Processing algorithm. Values are handed out as plain
Python objects (``None`` for NULL, ``datetime.date`` for a QDate…), so the
checks never see Qt types.
"""

from __future__ import annotations

import csv
import datetime
import os
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Optional, Sequence, Set, Tuple

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeatureRequest,
    QgsGeometry,
    QgsRectangle,
    QgsVectorLayer,
    QgsVectorLayerFeatureSource,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QTime, QUrl, QUrlQuery, QVariant

from ..compat import GEOMETRY_POINT
from .arrow_reader import OgrSource, ogr_source_for

_PLAIN = (str, int, float, bool)


def to_python(value: Any) -> Any:
    """A value read from a layer, as a hashable plain Python value; NULL and
    NaN (a Shapefile's empty number) are None."""
    if value is None or value.__class__ in _PLAIN:
        return None if value != value else value
    if isinstance(value, QVariant):
        if value.isNull():
            return None
        value = value.value()
        if value is None or value.__class__ in _PLAIN:
            return None if value != value else value
    if isinstance(value, QDateTime):
        return value.toPyDateTime() if value.isValid() else None
    if isinstance(value, QDate):
        return value.toPyDate() if value.isValid() else None
    if isinstance(value, QTime):
        return value.toPyTime() if value.isValid() else None
    if isinstance(value, (list, tuple)):
        return tuple(to_python(v) for v in value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), to_python(v)) for k, v in value.items()))
    try:
        hash(value)
    except TypeError:
        return str(value)
    return value


@dataclass
class CsvSource:
    """Where a layer comes from a CSV file: what is needed to give frictionless'
    row numbers and to read the real header (duplicate names)."""

    path: str
    provider: str  # "delimitedtext" or "ogr"
    delimiter: str = ","
    quotechar: str = '"'
    encoding: str = "utf-8"
    #: the file puts a space after each separator (``a, "b, c"``): the quote still opens a quoted cell
    skip_initial_space: bool = False

    def reader(self, handle):
        return csv.reader(
            handle,
            delimiter=self.delimiter,
            quotechar=self.quotechar or '"',
            skipinitialspace=self.skip_initial_space,
        )


@dataclass
class LayerInput:
    """A snapshot of a layer, safe to read from another thread."""

    name: str
    field_names: List[str]
    crs: QgsCoordinateReferenceSystem
    wkb_type: int
    is_spatial: bool
    provider: str
    source: str
    feature_count: int
    extent: QgsRectangle
    feature_source: Any = None
    selected_ids: Optional[Set[int]] = None
    csv: Optional[CsvSource] = None
    ogr: Optional[OgrSource] = None
    layer_id: str = ""
    #: fields the data source adds by itself (a GeoPackage's ``fid``): never reported as extra
    technical_fields: List[str] = field(default_factory=list)
    _field_index: Dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_layer(cls, layer: QgsVectorLayer, selected_only: bool = False) -> LayerInput:
        """Snapshot ``layer`` (main thread). With ``selected_only``, only the
        selected features are read."""
        selected = set(layer.selectedFeatureIds()) if selected_only else None
        count = len(selected) if selected is not None else max(int(layer.featureCount()), 0)
        names = [f.name() for f in layer.fields()]
        return cls(
            name=layer.name(),
            field_names=names,
            crs=QgsCoordinateReferenceSystem(layer.crs()),
            wkb_type=int(layer.wkbType()),
            is_spatial=bool(layer.isSpatial()),
            provider=layer.providerType(),
            source=layer.source(),
            feature_count=count,
            extent=QgsRectangle(layer.extent()),
            feature_source=QgsVectorLayerFeatureSource(layer),
            selected_ids=selected,
            csv=detect_csv_source(layer),
            ogr=None if selected_only else columnar_source(layer),
            layer_id=layer.id(),
            technical_fields=technical_fields(layer),
            _field_index={name: i for i, name in enumerate(names)},
        )

    def field_index(self, name: str) -> int:
        return self._field_index[name]

    @property
    def geometry_type(self) -> int:
        return int(QgsWkbTypes.geometryType(self.wkb_type))

    @property
    def is_point(self) -> bool:
        return self.geometry_type == int(GEOMETRY_POINT)

    def iter_features(
        self, field_names: Sequence[str], with_geometry: bool, feedback=None
    ) -> Iterator[Tuple[int, List[Any], Optional[QgsGeometry]]]:
        """Yield ``(feature id, [values of field_names], geometry or None)``.

        Only the requested attributes are fetched; values are plain Python.
        """
        indices = [self._field_index[name] for name in field_names]
        request = QgsFeatureRequest()
        request.setSubsetOfAttributes(indices)
        if not with_geometry:
            request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
        if self.selected_ids is not None:
            request.setFilterFids(list(self.selected_ids))
        if feedback is not None:
            request.setFeedback(feedback)
        plain = _PLAIN
        convert = to_python
        for feature in self.feature_source.getFeatures(request):
            attrs = feature.attributes()
            values = []
            append = values.append
            for index in indices:
                value = attrs[index]
                if value.__class__ is float:
                    if value != value:  # NaN: NULL, as the columnar reader has it
                        value = None
                elif value is not None and value.__class__ not in plain:
                    value = convert(value)
                append(value)
            yield feature.id(), values, (feature.geometry() if with_geometry else None)


def columnar_source(layer: QgsVectorLayer) -> Optional[OgrSource]:
    """The file the columnar reader may read instead of QGIS, or None when it
    would not see what QGIS shows: unsaved edits, or text that QGIS decodes
    itself (a Shapefile whose encoding is not UTF-8, e.g. a .cpg « 1252 »)."""
    if layer.isModified():
        return None
    provider = layer.dataProvider()
    encoding = (provider.encoding() if provider is not None else "") or "UTF-8"
    if encoding.upper().replace("-", "").replace("_", "") != "UTF8":
        return None
    return ogr_source_for(layer.providerType(), layer.source(), layer.subsetString())


def technical_fields(layer: QgsVectorLayer) -> List[str]:
    """The columns a data source adds by itself, which are not data the agent publishes: the feature-id
    column of a GeoPackage or SpatiaLite file (``fid``), and the ``field_N`` columns the delimited-text
    provider makes of cells beyond a CSV header."""
    provider = layer.dataProvider()
    fields = layer.fields()
    if layer.providerType() == "delimitedtext":
        # cells beyond the header become fields named field_N: they are reported as extra cells
        source = detect_csv_source(layer)
        width = len(csv_header(source)) if source is not None else fields.count()
        return [f.name() for f in list(fields)[width:] if re.fullmatch(r"field_\d+", f.name())]
    if provider is None or layer.providerType() not in ("ogr", "spatialite"):
        return []
    names = []
    for index in provider.pkAttributeIndexes():
        if 0 <= index < fields.count():
            name = fields.at(index).name()
            if name.lower() in ("fid", "ogc_fid", "objectid", "id_fid"):
                names.append(name)
    return names


def detect_csv_source(layer: QgsVectorLayer) -> Optional[CsvSource]:
    provider = layer.providerType()
    if provider == "delimitedtext":
        url = QUrl(layer.source())
        path = url.toLocalFile()
        query = QUrlQuery(url)
        delimiter = ","
        kind = query.queryItemValue("type") or "csv"
        if kind == "regexp":
            return None
        if query.hasQueryItem("delimiter"):
            delimiter = QUrl.fromPercentEncoding(query.queryItemValue("delimiter").encode()) or ","
            delimiter = {"\\t": "\t", "tab": "\t"}.get(delimiter, delimiter)
        elif kind == "tab":
            delimiter = "\t"
        quote = '"'
        if query.hasQueryItem("quote"):
            quote = QUrl.fromPercentEncoding(query.queryItemValue("quote").encode()) or '"'
        encoding = query.queryItemValue("encoding") or layer.dataProvider().encoding() or "utf-8"
        if path and os.path.isfile(path):
            source = CsvSource(path, provider, delimiter[:1], quote[:1], encoding)
            source.skip_initial_space = query.queryItemValue("trimFields").lower() in ("yes", "true", "1") or (
                _spaced_header(source)
            )
            return source
        return None
    if provider == "ogr":
        path = layer.source().split("|")[0]
        if path.lower().endswith((".csv", ".tsv", ".txt")) and os.path.isfile(path):
            storage = layer.dataProvider().storageType() if layer.dataProvider() else ""
            if storage and "csv" not in storage.lower():
                return None
            delimiter = "\t" if path.lower().endswith(".tsv") else sniff_delimiter(path)
            source = CsvSource(path, provider, delimiter, '"', "utf-8")
            source.skip_initial_space = _spaced_header(source)
            return source
    return None


def _spaced_header(source: CsvSource) -> bool:
    """True when every separator of the header line is followed by a space (``id, nom, adresse``)."""
    try:
        with _open_csv(source) as handle:
            first = handle.readline().rstrip("\r\n")
    except (OSError, UnicodeError, LookupError):
        return False
    count = first.count(source.delimiter)
    return count > 0 and first.count(source.delimiter + " ") == count


def sniff_delimiter(path: str) -> str:
    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
            first = handle.readline()
    except OSError:
        return ","
    counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _open_csv(source: CsvSource):
    encoding = source.encoding or "utf-8"
    if encoding.lower().replace("-", "") in ("utf8", "system"):
        encoding = "utf-8-sig"
    return open(source.path, encoding=encoding, errors="replace", newline="")


def csv_header(source: CsvSource) -> List[str]:
    """The CSV header as written in the file (duplicates kept)."""
    try:
        with _open_csv(source) as handle:
            reader = source.reader(handle)
            for row in reader:
                return [cell.strip() for cell in row]
    except (OSError, csv.Error, UnicodeError, LookupError):
        return []
    return []


@dataclass
class CsvRowProblem:
    """A record of a CSV file whose shape is wrong (frictionless' blank-row, missing-cell, extra-cell)."""

    row: int  # as frictionless counts (header = 1)
    feature_id: Optional[int]  # the feature QGIS made of it (None: the provider skipped the record)
    kind: str  # "blank-row", "missing-cell", "extra-cell"
    cell_index: int = -1  # 0-based position of the missing / extra cell
    value: str = ""


def csv_row_problems(source: CsvSource) -> List[CsvRowProblem]:
    """Blank records and records with too few or too many cells, with their row numbers.

    One streaming pass over the file, done only for layers read from a CSV file.
    """
    problems: List[CsvRowProblem] = []
    try:
        with _open_csv(source) as handle:
            reader = source.reader(handle)
            width = None
            data_index = 0
            start_line = 1
            for row_number, record in enumerate(reader, start=1):
                end_line = reader.line_num
                if width is None:
                    width = len(record)
                    start_line = end_line + 1
                    continue
                if source.provider == "delimitedtext":
                    key: Optional[int] = start_line
                else:
                    key = None
                    if record:
                        data_index += 1
                        key = data_index
                if not any(cell.strip() for cell in record):
                    # the delimited-text provider skips such records; OGR makes a feature of them unless empty
                    feature = None if (source.provider == "delimitedtext" or not record) else key
                    problems.append(CsvRowProblem(row_number, feature, "blank-row"))
                elif len(record) < width:
                    for index in range(len(record), width):
                        problems.append(CsvRowProblem(row_number, key, "missing-cell", index))
                elif len(record) > width:
                    for index in range(width, len(record)):
                        problems.append(CsvRowProblem(row_number, key, "extra-cell", index, record[index]))
                start_line = end_line + 1
    except (OSError, csv.Error, UnicodeError, LookupError):
        return problems
    return problems


def csv_row_numbers(source: CsvSource, wanted: Set[int]) -> Dict[int, int]:
    """Map feature ids to the row number frictionless reports (header = 1).

    The delimited text provider numbers features by the line where the record
    starts; OGR numbers the data records from 1, skipping only empty lines (a
    line of delimiters or spaces is a feature). frictionless counts records
    (a quoted line break stays in one record), blank ones included.
    """
    result: Dict[int, int] = {}
    if not wanted:
        return result
    try:
        with _open_csv(source) as handle:
            reader = source.reader(handle)
            data_index = 0
            start_line = 1
            for row_number, record in enumerate(reader, start=1):
                end_line = reader.line_num
                if row_number > 1:
                    if source.provider == "delimitedtext":
                        key = start_line
                    else:
                        key = None
                        if record:  # csv.reader gives [] for an empty line only
                            data_index += 1
                            key = data_index
                    if key is not None and key in wanted:
                        result[key] = row_number
                        if len(result) == len(wanted):
                            break
                start_line = end_line + 1
    except (OSError, csv.Error, UnicodeError, LookupError):
        return result
    return result
