"""Reading a QGIS vector layer for checking: the only place that knows about
providers.

:class:`LayerInput` is built on the main thread (it snapshots the layer with a
thread-safe ``QgsVectorLayerFeatureSource``) and is then read from a
background task or a Processing algorithm. Values are handed out as plain
Python objects (``None`` for NULL, ``datetime.date`` for a QDate…), so the
checks never see Qt types.
"""

from __future__ import annotations

import codecs
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
from .postgis import PostgisSource, postgis_source_for

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


def plain_value(value: Any) -> Any:
    """A value as :meth:`LayerInput.iter_features` hands it out (NaN and NULL are None)."""
    if value.__class__ is float:
        return None if value != value else value
    if value is not None and value.__class__ not in _PLAIN:
        return to_python(value)
    return value


@dataclass
class CsvSource:
    """Where a layer comes from a CSV file: the file is read again here, with Python's csv module (RFC 4180,
    the rules frictionless follows), so the check does not depend on how QGIS opened it."""

    path: str
    provider: str  # "delimitedtext" or "ogr"
    delimiter: str = ","
    quotechar: str = '"'
    #: the encoding QGIS was told (delimited text); the file's own is :attr:`encoding`
    declared_encoding: str = ""
    #: the file puts a space after each separator (``a, "b, c"``): the quote still opens a quoted cell
    skip_initial_space: bool = False
    #: the delimited-text provider was told to trim the cells (it then skips records of spaces)
    trim_fields: bool = False
    #: the header line ends with CRLF: the delimited-text provider then counts only CRLF as line ends
    crlf: bool = False
    #: the check reads the file itself (False: QGIS was told to skip lines or that there is no header)
    readable: bool = True

    def reader(self, handle):
        return csv.reader(
            handle,
            delimiter=self.delimiter,
            quotechar=self.quotechar or '"',
            skipinitialspace=self.skip_initial_space,
        )

    _encoding: str = ""

    @property
    def encoding(self) -> str:
        """The encoding of the file, detected from its bytes on first use (in the background task: it
        reads the whole file), see :func:`detect_encoding`."""
        if not self._encoding:
            self._encoding = detect_encoding(self.path, self.declared_encoding)
        return self._encoding

    @property
    def encoding_label(self) -> str:
        """The encoding as an agent knows it (« UTF-8 », « Windows-1252 »…)."""
        return encoding_label(self.encoding)


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
    #: the check reads the CSV file itself (see :class:`CsvSource`)
    csv_direct: bool = False
    layer_id: str = ""
    #: fields the data source adds by itself (a GeoPackage's ``fid``): never reported as extra
    technical_fields: List[str] = field(default_factory=list)
    #: a PostgreSQL/PostGIS layer the check reads on the server (see core/postgis.py)
    postgis: Optional[PostgisSource] = None
    _field_index: Dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_layer(cls, layer: QgsVectorLayer, selected_only: bool = False) -> LayerInput:
        """Snapshot ``layer`` (main thread). With ``selected_only``, only the
        selected features are read."""
        selected = set(layer.selectedFeatureIds()) if selected_only else None
        count = len(selected) if selected is not None else max(int(layer.featureCount()), 0)
        names = [f.name() for f in layer.fields()]
        csv_source = detect_csv_source(layer)
        # the file itself is read unless QGIS shows something else: unsaved edits, a filter, skipped lines
        csv_direct = bool(
            csv_source is not None and csv_source.readable and not layer.isModified() and not layer.subsetString()
        )
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
            csv=csv_source,
            csv_direct=csv_direct,
            ogr=None if (selected_only or csv_direct) else columnar_source(layer),
            layer_id=layer.id(),
            technical_fields=technical_fields(layer),
            postgis=postgis_source_for(layer, selected_only),
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
        self, field_names: Sequence[str], with_geometry: bool, feedback=None, fids: Optional[Sequence[int]] = None
    ) -> Iterator[Tuple[int, List[Any], Optional[QgsGeometry]]]:
        """Yield ``(feature id, [values of field_names], geometry or None)``.

        Only the requested attributes are fetched; values are plain Python. ``fids``: only these features.
        """
        indices = [self._field_index[name] for name in field_names]
        request = QgsFeatureRequest()
        request.setSubsetOfAttributes(indices)
        if not with_geometry:
            request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
        if fids is not None:
            request.setFilterFids(list(fids))
        elif self.selected_ids is not None:
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
        width = len(csv_header(source, exact=False)) if source is not None else fields.count()
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
    """The CSV file behind ``layer`` and how to read it, or None when the layer is not a plain CSV file.

    The encoding is detected from the bytes of the file (see :func:`detect_encoding`) and the ``, ``
    dialect from the header, whatever options QGIS was given: the same file gets the same findings
    through the delimited-text provider and through OGR."""
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
        declared = query.queryItemValue("encoding") or layer.dataProvider().encoding() or ""
        if path and os.path.isfile(path):
            source = CsvSource(path, provider, delimiter[:1], quote[:1], declared)
            source.trim_fields = query.queryItemValue("trimFields").lower() in ("yes", "true", "1")
            skip_lines = query.queryItemValue("skipLines") or "0"
            source.readable = query.queryItemValue("useHeader").lower() not in ("no", "false", "0") and (
                skip_lines.strip() in ("", "0")
            )
            source.skip_initial_space = _spaced_header(source)
            source.crlf = _header_ends_with_crlf(path)
            return source
        return None
    if provider == "ogr":
        path = layer.source().split("|")[0]
        if path.lower().endswith((".csv", ".tsv", ".txt")) and os.path.isfile(path):
            storage = layer.dataProvider().storageType() if layer.dataProvider() else ""
            if storage and "csv" not in storage.lower():
                return None
            delimiter = "\t" if path.lower().endswith(".tsv") else sniff_delimiter(path)
            source = CsvSource(path, provider, delimiter, '"')
            source.skip_initial_space = _spaced_header(source)
            source.crlf = _header_ends_with_crlf(path)
            return source
    return None


_UTF8_NAMES = ("utf8", "utf8sig", "system", "")
#: bytes Windows-1252 leaves undefined: a file holding them is Latin-1 (ISO-8859-1)
_CP1252_HOLES_RE = re.compile(b"[\x81\x8d\x8f\x90\x9d]")


def _normalised(encoding: str) -> str:
    return (encoding or "").lower().replace("-", "").replace("_", "")


def detect_encoding(path: str, declared: str = "") -> str:
    """The encoding the file is written in: UTF-8 when every byte sequence is valid UTF-8 (a text in any
    8-bit encoding with accents almost never is); otherwise the encoding declared to QGIS when it is an
    8-bit one, else Windows-1252 (French office software), or Latin-1 when the file holds bytes
    Windows-1252 does not define. frictionless' statistical detector takes some Windows-1252 files for
    Hebrew (cp1255); this rule does not."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    bom = False
    try:
        with open(path, "rb") as handle:
            first = True
            while True:
                chunk = handle.read(1 << 22)
                if first:
                    bom = chunk.startswith(codecs.BOM_UTF8)
                    first = False
                if not chunk:
                    decoder.decode(b"", final=True)
                    break
                if chunk.isascii():
                    decoder.decode(b"", final=True)  # a sequence cut at the previous chunk's end is an error
                    continue
                decoder.decode(chunk)
    except UnicodeDecodeError:
        name = _normalised(declared)
        if name not in _UTF8_NAMES and not name.startswith("utf"):
            try:
                codecs.lookup(declared)
                return declared
            except LookupError:
                pass
        if _has_cp1252_holes(path):
            return "latin-1"
        return "cp1252"
    except OSError:
        return "utf-8"
    return "utf-8-sig" if bom else "utf-8"


def _has_cp1252_holes(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            while True:
                chunk = handle.read(1 << 20)
                if not chunk:
                    return False
                if _CP1252_HOLES_RE.search(chunk):
                    return True
    except OSError:
        return False


def encoding_label(encoding: str) -> str:
    name = _normalised(encoding)
    if name in ("utf8", "utf8sig"):
        return "UTF-8"
    if name in ("cp1252", "windows1252"):
        return "Windows-1252"
    if name in ("latin1", "iso88591", "latin"):
        return "Latin-1 (ISO-8859-1)"
    return encoding


def _header_ends_with_crlf(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            line = handle.readline(1 << 20)
    except OSError:
        return False
    return line.endswith(b"\r\n")


def _spaced_header(source: CsvSource) -> bool:
    """True when every separator of the header line is followed by a space (``id, nom, adresse``): the
    file then uses the ``, `` dialect and the space after each separator is not data (the reading
    frictionless' sniffer and Python's csv module give such files)."""
    try:  # separators and spaces are ASCII: the header line needs no exact decoding
        with open(source.path, encoding="utf-8-sig", errors="replace", newline="") as handle:
            first = handle.readline().rstrip("\r\n")
    except OSError:
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


def _python_encoding(encoding: str) -> str:
    if _normalised(encoding) in _UTF8_NAMES:
        return "utf-8-sig"
    return encoding


def _open_csv(source: CsvSource):
    return open(source.path, encoding=_python_encoding(source.encoding), errors="replace", newline="")


def csv_header(source: CsvSource, exact: bool = True) -> List[str]:
    """The CSV header as written in the file (duplicates kept). ``exact=False``: its cells only counted,
    without detecting the file's encoding (which reads the whole file)."""
    try:
        with (
            _open_csv(source)
            if exact
            else open(source.path, encoding="utf-8-sig", errors="replace", newline="") as handle
        ):
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
    """Blank records and records with too few or too many cells, with their row numbers (used when the
    layer is read through QGIS: unsaved edits, a filter…)."""
    problems: List[CsvRowProblem] = []
    try:
        width = len(csv_header(source))
        for row_number, fid, record in iter_records(source):
            if not any(cell.strip() for cell in record):
                # the delimited-text provider skips such records; OGR makes a feature of them unless empty
                feature = None if (source.provider == "delimitedtext" or not record) else fid
                problems.append(CsvRowProblem(row_number, feature, "blank-row"))
            elif len(record) < width:
                for index in range(len(record), width):
                    problems.append(CsvRowProblem(row_number, fid, "missing-cell", index))
            elif len(record) > width:
                for index in range(width, len(record)):
                    problems.append(CsvRowProblem(row_number, fid, "extra-cell", index, record[index]))
    except (OSError, csv.Error, UnicodeError, LookupError):
        return problems
    return problems


class _CountedLines:
    """The lines of a file handed to csv.reader, counted the way the delimited-text provider numbers its
    features: in a file whose lines end with CRLF, a bare LF inside quotes is not a line end for it."""

    def __init__(self, handle, crlf: bool):
        self.handle = handle
        self.crlf = crlf
        self.count = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self.handle)
        if not self.crlf or line.endswith("\r\n"):
            self.count += 1
        return line


def iter_records(source: CsvSource) -> Iterator[Tuple[int, Optional[int], List[str]]]:
    """Every record after the header as ``(row number, feature id, cells)``.

    Row numbers are frictionless' (records counted from the header = 1; a line break inside quotes stays
    in its record; empty lines are records). The feature id is the one QGIS gave the record: the
    delimited-text provider numbers features by the line where the record starts and skips records
    without any value (after trimming when it trims); OGR numbers the records from 1, skipping empty
    lines only. None when QGIS made no feature of the record. Raises OSError or csv.Error."""
    delimited = source.provider == "delimitedtext"
    trim = source.trim_fields
    with _open_csv(source) as handle:
        # the csv module counts the lines it reads (line_num); only CRLF files need lines counted by hand
        lines = _CountedLines(handle, source.crlf) if source.crlf else None
        reader = source.reader(lines if lines is not None else handle)
        data_index = 0
        row_number = 0
        while True:
            start_line = (lines.count if lines is not None else reader.line_num) + 1
            try:
                record = next(reader)
            except StopIteration:
                return
            row_number += 1
            if row_number == 1:
                continue
            if delimited:
                filled = any(cell.strip() for cell in record) if trim else any(record)
                fid = start_line if filled else None
            else:
                fid = None
                if record:
                    data_index += 1
                    fid = data_index
            yield row_number, fid, record


def csv_row_numbers(source: CsvSource, wanted: Set[int]) -> Dict[int, int]:
    """Map feature ids to the row number frictionless reports (header = 1)."""
    result: Dict[int, int] = {}
    if not wanted:
        return result
    try:
        for row_number, fid, _record in iter_records(source):
            if fid is not None and fid in wanted:
                result[fid] = row_number
                if len(result) == len(wanted):
                    break
    except (OSError, csv.Error, UnicodeError, LookupError):
        return result
    return result
