"""PostgreSQL/PostGIS layers checked on the server.

For a layer of QGIS's ``postgres`` provider (with its filter and its selection) the check does not pull
every row: the server computes what the check needs — the distinct values of each field and the distinct
tuples of the row checks with their counts (``GROUP BY``), and, for the geometries, the rows whose
geometry is missing, empty, invalid (``ST_IsValid``) or whose points fall outside the French boxes once in
EPSG:4326 (``ST_Transform``) — and only the rows that fail come back, to tie each finding to its feature.

Everything goes through QGIS's own ``postgres`` provider: the layer's data source (its ``authcfg``, its SSL
settings, its service) is reused with a query as the table, so the values are converted exactly as when
QGIS reads the layer, and the same Python checks judge them: the findings are the QGIS reading's.

Only layers whose features QGIS identifies by a single integer key (a ``serial`` column, the usual case)
are read this way: the feature id is then the key's value. Other layers are read through QGIS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

from qgis.core import QgsDataSourceUri, QgsVectorLayer

from ..compat import field_type_name, is_null
from .checks import geo

#: wanted keys sent in one query at most (beyond, the failing rows are found by reading the key columns)
MAX_LITERAL_KEYS = 20000
#: the French boxes are shrunk by this much (degrees) on the server: a point near an edge is judged in Python
BOX_MARGIN = 0.001


@dataclass
class PostgisSource:
    """Where a ``postgres`` layer's rows are, as SQL (snapshot taken on the main thread)."""

    uri: str  # the layer's data source, with its authcfg / service / sslmode
    relation: str  # FROM item: "schema"."table" or (subquery)
    subset: str  # the layer's filter (SQL)
    key: str  # the integer primary key: the feature id
    geometry: str  # geometry column ("" for a table without geometry)
    selected: Optional[List[int]] = None

    def where(self) -> str:
        parts = []
        if self.subset.strip():
            parts.append(f"({self.subset})")
        if self.selected is not None:
            ids = ",".join(str(int(i)) for i in sorted(self.selected)) or "NULL"
            parts.append(f"{quote_ident(self.key)} IN ({ids})")
        return (" WHERE " + " AND ".join(parts)) if parts else ""

    def base(self) -> str:
        return f"{self.relation} AS _odp_t{self.where()}"


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def postgis_source_for(layer: QgsVectorLayer, selected_only: bool = False) -> Optional[PostgisSource]:
    """The server-side description of ``layer``, or None when it is not a ``postgres`` layer QGIS
    identifies by one integer key, or when it has unsaved edits (the server does not see them)."""
    if layer.providerType() != "postgres" or layer.isModified():
        return None
    provider = layer.dataProvider()
    if provider is None:
        return None
    keys = list(provider.pkAttributeIndexes())
    fields = layer.fields()
    if len(keys) != 1 or not 0 <= keys[0] < fields.count():
        return None
    key_field = fields.at(keys[0])
    if field_type_name(key_field) not in ("int", "longlong"):
        return None
    uri = QgsDataSourceUri(layer.source())
    table = uri.table()
    if not table:
        return None
    if table.startswith("("):
        relation = table
    else:
        relation = (quote_ident(uri.schema()) + "." if uri.schema() else "") + quote_ident(table)
    selected = sorted(int(i) for i in layer.selectedFeatureIds()) if selected_only else None
    return PostgisSource(
        uri=layer.source(),
        relation=relation,
        subset=layer.subsetString() or "",
        key=key_field.name(),
        geometry=uri.geometryColumn() if layer.isSpatial() else "",
        selected=selected,
    )


def text_key(columns: Sequence[str]) -> str:
    """An SQL expression giving one exact text per distinct tuple of ``columns`` (NULL kept apart)."""
    return "json_build_array(" + ", ".join(f"{quote_ident(c)}::text" for c in columns) + ")::text"


def _query_layer(source: PostgisSource, sql: str, key: str) -> QgsVectorLayer:
    uri = QgsDataSourceUri(source.uri)
    uri.setDataSource("", f"({sql})", None, "", key)
    uri.setUseEstimatedMetadata(True)
    uri.setParam("checkPrimaryKeyUnicity", "0")
    uri.setSql("")
    layer = QgsVectorLayer(uri.uri(False), "odp_query", "postgres")
    if not layer.isValid():
        error = layer.dataProvider().error().summary() if layer.dataProvider() else ""
        raise RuntimeError(f"the server refused the query: {error or sql}")
    return layer


def _rows(layer: QgsVectorLayer, feedback=None) -> Iterator[List[Any]]:
    from qgis.core import QgsFeatureRequest

    request = QgsFeatureRequest()
    request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
    if feedback is not None:
        request.setFeedback(feedback)
    for feature in layer.getFeatures(request):
        yield feature.attributes()


def distinct_tuples(
    source: PostgisSource, columns: Sequence[str], convert, feedback=None, ordered: bool = False
) -> Iterator[Tuple[tuple, str, int]]:
    """``(values as QGIS reads them, text key, count)`` for each distinct tuple of ``columns``; with
    ``ordered``, in the order of the first feature holding each (by feature id)."""
    selected = ", ".join(f"{quote_ident(c)} AS _odp_v{i}" for i, c in enumerate(columns))
    group = ", ".join(quote_ident(c) for c in columns)
    sql = (
        f"SELECT row_number() OVER () AS _odp_n, {selected}, {text_key(columns)} AS _odp_text, "
        f"count(*) AS _odp_count FROM {source.base()} GROUP BY {group}"
    )
    if ordered:
        sql += f" ORDER BY min({quote_ident(source.key)})"
    width = len(columns)
    for attributes in _rows(_query_layer(source, sql, "_odp_n"), feedback):
        values = tuple(convert(attributes[1 + i]) for i in range(width))
        yield values, attributes[1 + width], int(attributes[2 + width])


def failing_rows(
    source: PostgisSource, jobs: List[Tuple[List[str], set]], feedback=None
) -> Iterator[Tuple[int, List[Optional[str]]]]:
    """``(feature id, [text key of each job])`` for the rows where some job's text key is wanted; each job
    is (columns, wanted text keys). Rows come in the server's reading order, as QGIS reads them."""
    selected = ", ".join(f"{text_key(columns)} AS _odp_k{i}" for i, (columns, _w) in enumerate(jobs))
    base = f"SELECT {quote_ident(source.key)} AS _odp_fid, {selected} FROM {source.base()}"
    if sum(len(wanted) for _c, wanted in jobs) <= MAX_LITERAL_KEYS:
        if not any(wanted for _c, wanted in jobs):
            return
        sql = f"SELECT * FROM ({base}) AS _odp_s WHERE " + " OR ".join(
            f"_odp_k{i} IN ({', '.join(quote_literal(t) for t in sorted(wanted))})"
            for i, (_columns, wanted) in enumerate(jobs)
            if wanted
        )
    else:
        sql = base
    width = len(jobs)
    for attributes in _rows(_query_layer(source, sql, "_odp_fid"), feedback):
        texts = [attributes[1 + i] for i in range(width)]
        texts = [None if is_null(t) else str(t) for t in texts]
        if any(t is not None and t in wanted for t, (_c, wanted) in zip(texts, jobs)):
            yield int(attributes[0]), texts


_GEOMETRY_KIND = {
    "POINT": 0,
    "MULTIPOINT": 0,
    "LINESTRING": 1,
    "MULTILINESTRING": 1,
    "CIRCULARSTRING": 1,
    "COMPOUNDCURVE": 1,
    "MULTICURVE": 1,
    "POLYGON": 2,
    "MULTIPOLYGON": 2,
    "CURVEPOLYGON": 2,
    "MULTISURFACE": 2,
    "TRIANGLE": 2,
    "TIN": 2,
    "POLYHEDRALSURFACE": 2,
}


def geometry_types(source: PostgisSource, feedback=None) -> Dict[int, int]:
    """Count of non-empty geometries per QGIS geometry type (0 point, 1 line, 2 polygon, 3 other)."""
    column = quote_ident(source.geometry)
    where = f"{column} IS NOT NULL AND NOT ST_IsEmpty({column})"
    sql = (
        f"SELECT row_number() OVER () AS _odp_n, upper(GeometryType({column})) AS _odp_type, count(*) AS _odp_count "
        f"FROM {source.base()} {'AND' if source.where() else 'WHERE'} {where} GROUP BY 2"
    )
    counts: Dict[int, int] = {}
    for attributes in _rows(_query_layer(source, sql, "_odp_n"), feedback):
        kind = _GEOMETRY_KIND.get(str(attributes[1]).replace("ZM", "").rstrip("ZM"), 3)
        counts[kind] = counts.get(kind, 0) + int(attributes[2])
    return counts


def _inside_boxes(x: str, y: str) -> str:
    tests = []
    for _name, x0, y0, x1, y1 in geo.france_boxes():
        tests.append(
            f"({x} BETWEEN {x0 + BOX_MARGIN!r} AND {x1 - BOX_MARGIN!r} "
            f"AND {y} BETWEEN {y0 + BOX_MARGIN!r} AND {y1 - BOX_MARGIN!r})"
        )
    return "(" + " OR ".join(tests) + ")"


def geometry_suspects(source: PostgisSource, check_validity: bool, locate_points: bool, feedback=None) -> List[int]:
    """The feature ids whose geometry the QGIS checks must look at: missing or empty, invalid for GEOS
    (``ST_IsValid``, when validity is checked) or with a point not surely in France in EPSG:4326 (when
    points are located). A superset: the Python checks decide on these features."""
    column = quote_ident(source.geometry)
    tests = [f"{column} IS NULL", f"ST_IsEmpty({column})"]
    if check_validity:
        tests.append(f"NOT ST_IsValid({column})")
    if locate_points:
        inside = _inside_boxes("ST_X(_odp_d.geom)", "ST_Y(_odp_d.geom)")
        tests.append(f"EXISTS (SELECT 1 FROM ST_DumpPoints(ST_Transform({column}, 4326)) AS _odp_d WHERE NOT {inside})")
    sql = (
        f"SELECT {quote_ident(source.key)} AS _odp_fid FROM {source.base()} "
        f"{'AND' if source.where() else 'WHERE'} ({' OR '.join(tests)})"
    )
    return [int(a[0]) for a in _rows(_query_layer(source, sql, "_odp_fid"), feedback)]
