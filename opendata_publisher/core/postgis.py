"""PostgreSQL/PostGIS layers checked on the server.

For a layer of QGIS's ``postgres`` provider (with its filter and its selection) the check does not pull
every row: the server computes what the check needs — the distinct values of each field and the distinct
tuples of the row checks with their counts (``GROUP BY``), and, for the geometries, the rows whose
geometry is missing, empty, invalid (``ST_IsValid``) or whose points fall outside the French boxes once in
EPSG:4326 (``ST_Transform``) — and only the rows that fail come back, to tie each finding to its feature.

Everything goes through QGIS's own connection to the layer's database (``QgsAbstractDatabaseProviderConnection``
built from the layer's data source: its ``authcfg``, its service, its SSL settings). The values come back
converted by QGIS as when it reads the layer — only for the column types where that is so
(:data:`SERVER_TYPES`, checked by the tests) — and the same Python checks judge them: the findings are the
QGIS reading's. When the server reads other rows than the layer shows, the layer is read through QGIS.

Every query is cancellable: when the user cancels (``QgsFeedback``), QGIS's connection asks the server to
cancel the running statement (``PQcancel``), the check stops within moments and reports « annulé »
(:class:`Cancelled`), leaving no statement running and no transaction open on the server.

Only layers whose features QGIS identifies by a single integer key (a ``serial`` column, the usual case)
are read this way: the feature id is then the key's value. Other layers are read through QGIS.
"""

from __future__ import annotations

import contextlib
import uuid
from array import array
from dataclasses import dataclass, field
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
    types: Dict[str, str] = field(default_factory=dict)  # column -> PostgreSQL type name (QgsField.typeName)

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
        types={f.name(): f.typeName().lower() for f in fields},
    )


def text_key(columns: Sequence[str]) -> str:
    """An SQL expression giving one exact text per distinct tuple of ``columns`` (NULL kept apart)."""
    return "json_build_array(" + ", ".join(f"{quote_ident(c)}::text" for c in columns) + ")::text"


def _connection(source: PostgisSource):
    """QGIS's own connection to the layer's database (its authcfg, service, SSL settings)."""
    from qgis.core import QgsProviderRegistry

    uri = QgsDataSourceUri(source.uri)
    uri.setDataSource("", "", None)
    uri.setSql("")
    metadata = QgsProviderRegistry.instance().providerMetadata("postgres")
    return metadata.createConnection(uri.uri(False), {})


class Cancelled(Exception):
    """The user cancelled (``feedback.isCanceled()``): the running statement was cancelled on the server."""


def _cancelled(feedback) -> bool:
    return feedback is not None and feedback.isCanceled()


def _run(connection, sql: str, feedback=None) -> List[List[Any]]:
    """``connection.executeSql`` made cancellable: QGIS's connection sends the server a cancel request
    (``PQcancel``) when ``feedback`` is cancelled, whatever the thread cancelling, and the statement stops
    at once. Raises :class:`Cancelled` when cancelled (before, during or right after the statement): a
    cancelled statement is never read as a result, even an empty one."""
    if _cancelled(feedback):
        raise Cancelled()
    try:
        rows = connection.executeSql(sql, feedback) if feedback is not None else connection.executeSql(sql)
    except Exception as exc:
        if _cancelled(feedback):
            raise Cancelled() from exc
        raise
    if _cancelled(feedback):
        raise Cancelled()
    return rows


def _execute(source: PostgisSource, sql: str, feedback=None) -> List[List[Any]]:
    """The rows of ``sql`` (one query, one round trip), values converted by QGIS's PostgreSQL connection;
    raises :class:`Cancelled` when ``feedback`` is cancelled (the server stops the statement)."""
    return _run(_connection(source), sql, feedback)


#: the server's working memory for one aggregate (``SET LOCAL``: that query only; PostgreSQL's default 4 MB
#: makes it sort each grouping set on disk)
WORK_MEM = "256MB"
#: rows fetched at once from a server-side cursor (client memory does not grow with the result)
FETCH_ROWS = 20000


def _stream(source: PostgisSource, sql: str, feedback=None) -> Iterator[List[Any]]:
    """The rows of ``sql`` by batches of :data:`FETCH_ROWS` from a server-side cursor (``WITH HOLD``: the
    server keeps the result, the client holds one batch). The pool hands the thread its last connection
    back; should it hand another one, ``FETCH`` fails and the caller reads the layer through QGIS.

    Cancellable: the aggregate (run when the cursor is declared) and each ``FETCH`` stop on the server as
    soon as ``feedback`` is cancelled; the transaction is rolled back, the cursor closed, and
    :class:`Cancelled` raised (no statement left running, no session left in a transaction)."""
    connection = _connection(source)
    name = f"odp_cursor_{uuid.uuid4().hex[:16]}"
    try:
        try:
            # the aggregate runs when the cursor is declared: memory enough to hash the groups, this query only
            _run(
                connection,
                f"BEGIN; SET LOCAL work_mem = '{WORK_MEM}'; DECLARE {name} NO SCROLL CURSOR WITH HOLD FOR {sql}; "
                "COMMIT",
                feedback,
            )
        except Cancelled:
            # cancelled before COMMIT: the transaction block would stay open (aborted) on the pooled connection
            with contextlib.suppress(Exception):
                connection.executeSql("ROLLBACK")
            raise
        while True:
            rows = _run(connection, f"FETCH FORWARD {FETCH_ROWS} FROM {name}", feedback)
            if not rows:
                return
            yield from rows
    finally:
        with contextlib.suppress(Exception):  # the cursor ends with its connection anyway
            connection.executeSql(f"CLOSE {name}")


#: column types whose values QGIS's connection converts exactly as the layer's provider does (checked by
#: tests/qgis/test_postgis.py); a checked column of another type sends the layer to the QGIS reading
SERVER_TYPES = {
    "text",
    "varchar",
    "int2",
    "int4",
    "int8",
    "float4",
    "float8",
    "numeric",
    "date",
    "timestamp",
    "timestamptz",
    "time",
    "bool",
    "uuid",
}


def distinct_sets(
    source: PostgisSource, sets: Sequence[Sequence[str]], convert, feedback=None, ordered: bool = False
) -> Iterator[Tuple[int, tuple, str, int]]:
    """``(index of the set, values, text key, count)`` for each distinct tuple of each set of columns, all
    sets in one query reading the table once (``GROUP BY GROUPING SETS``); with ``ordered``, each set's
    tuples in the order of the first feature holding them (by feature id). Raises ValueError when a
    column's type is not in :data:`SERVER_TYPES`."""
    unique: List[Tuple[str, ...]] = []
    for columns in sets:
        if tuple(columns) not in unique:
            unique.append(tuple(columns))
    if not unique:
        return
    names: List[str] = []
    for columns in unique:
        names.extend(c for c in columns if c not in names)
    for name in names:
        if source.types.get(name) not in SERVER_TYPES:
            raise ValueError(f"column {name} of type {source.types.get(name)} is read through QGIS")
    # the set a result row belongs to: the bits of GROUPING() over its columns (31 columns per call at most)
    chunks = [names[i : i + 31] for i in range(0, len(names), 31)]
    masks = ", ".join(
        f"GROUPING({', '.join(quote_ident(n) for n in chunk)}) AS _odp_g{i}" for i, chunk in enumerate(chunks)
    )
    whens = []
    for index, columns in enumerate(unique):
        tests = []
        for number, chunk in enumerate(chunks):
            mask = sum(1 << (len(chunk) - 1 - k) for k, name in enumerate(chunk) if name not in columns)
            tests.append(f"_odp_g{number} = {mask}")
        whens.append(f"WHEN {' AND '.join(tests)} THEN {index}")
    inner_values = ", ".join(f"{quote_ident(name)} AS _odp_v{i}" for i, name in enumerate(names))
    grouping = ", ".join("(" + ", ".join(quote_ident(c) for c in columns) + ")" for columns in unique)
    inner = (
        f"SELECT {masks}, {inner_values}, count(*) AS _odp_count, min({quote_ident(source.key)}) AS _odp_first "
        f"FROM {source.base()} GROUP BY GROUPING SETS ({grouping})"
    )
    middle = f"SELECT CASE {' '.join(whens)} END AS _odp_set, * FROM ({inner}) AS _odp_i"
    texts = " ".join(
        f"WHEN {index} THEN json_build_array(" + ", ".join(f"_odp_v{names.index(c)}::text" for c in columns) + ")::text"
        for index, columns in enumerate(unique)
    )
    # narrow rows: the columns of one type share output slots (a row holds one set's values)
    slots: Dict[Tuple[str, int], List[Tuple[int, int]]] = {}  # (type, rank) -> [(set, column number)]
    place: Dict[Tuple[int, int], int] = {}  # (set, position in the set) -> output slot
    for index, columns in enumerate(unique):
        ranks: Dict[str, int] = {}
        for position, name in enumerate(columns):
            kind = source.types[name]
            rank = ranks.get(kind, 0)
            ranks[kind] = rank + 1
            key = (kind, rank)
            if key not in slots:
                slots[key] = []
            slots[key].append((index, names.index(name)))
            place[(index, position)] = list(slots).index(key)
    outputs = []
    for members in slots.values():
        whens = " ".join(f"WHEN {index} THEN _odp_v{column}" for index, column in members)
        outputs.append(f"CASE _odp_set {whens} ELSE _odp_v{members[0][1]} END")
    sql = (
        f"SELECT _odp_set, {', '.join(outputs)}, CASE _odp_set {texts} END AS _odp_text, _odp_count "
        f"FROM ({middle}) AS _odp_g"
    )
    if ordered:
        sql += " ORDER BY _odp_set, _odp_first"
    width = len(outputs)
    consumers = {u: [i for i, columns in enumerate(sets) if tuple(columns) == u] for u in unique}
    for row in _stream(source, sql, feedback):
        index = int(row[0])
        columns = unique[index]
        values = tuple(convert(row[1 + place[(index, p)]]) for p in range(len(columns)))
        text, count = str(row[1 + width]), int(row[2 + width])
        for consumer in consumers[columns]:
            yield consumer, values, text, count


def distinct_counts(source: PostgisSource, names: Sequence[str], feedback=None) -> Tuple[int, List[int]]:
    """The layer's number of rows, and each column's number of distinct values (NULL counted as one), in one
    reading of the table (``count(DISTINCT …)``: faster than one ``SELECT DISTINCT … LIMIT`` per column,
    which hashes the whole column anyway)."""
    counts = "".join(
        f", count(DISTINCT {quote_ident(name)}) + coalesce(max(CASE WHEN {quote_ident(name)} IS NULL THEN 1 END), 0)"
        for name in names
    )
    row = next(iter(_stream(source, f"SELECT count(*){counts} FROM {source.base()}", feedback)))
    return int(row[0]), [int(n) for n in row[1:]]


def sampled_rows(source: PostgisSource, names: Sequence[str], stride: int, feedback=None) -> Iterator[List[Any]]:
    """The values of ``names`` on every ``stride``-th row in feature id order (the first one, then…): the
    rows a reading of the layer in that order samples."""
    columns = ", ".join(quote_ident(n) for n in names)
    sql = (
        f"SELECT {columns} FROM (SELECT {columns}, row_number() OVER (ORDER BY {quote_ident(source.key)}) - 1 "
        f"AS _odp_rn FROM {source.base()}) AS _odp_s WHERE _odp_rn % {max(int(stride), 1)} = 0 ORDER BY _odp_rn"
    )
    for row in _stream(source, sql, feedback):
        yield list(row)


def formula_candidates(
    source: PostgisSource, names: Sequence[str], limit: int, feedback=None
) -> Iterator[Tuple[int, Any, int]]:
    """``(index of the column, value, count)`` for the text values that may be a spreadsheet formula (their
    first character other than a space is ``=``, ``@``, ``+``, ``-``, a tab or a carriage return), at most
    ``limit`` per column, in the order of their first feature; one reading of the table for all the columns;
    columns of other types have none."""
    texts = [
        (index, quote_ident(name)) for index, name in enumerate(names) if source.types.get(name) in ("text", "varchar")
    ]
    if not texts:
        return
    columns = ", ".join(column for _, column in texts)
    pairs = ", ".join(f"({index}, {column}::text)" for index, column in texts)
    grouped = (
        "SELECT _odp_set, _odp_v, count(*) AS _odp_n, min(_odp_k) AS _odp_first, "
        "row_number() OVER (PARTITION BY _odp_set ORDER BY min(_odp_k)) AS _odp_rn "
        f"FROM (SELECT {quote_ident(source.key)} AS _odp_k, {columns} FROM {source.base()}) AS _odp_r "
        f"CROSS JOIN LATERAL (VALUES {pairs}) AS _odp_c(_odp_set, _odp_v) "
        "WHERE ltrim(_odp_v, ' ') ~ '^[=@+\\t\\r-]' GROUP BY _odp_set, _odp_v"
    )
    sql = (
        f"SELECT _odp_set, _odp_v, _odp_n FROM ({grouped}) AS _odp_f WHERE _odp_rn <= {int(limit)} "
        "ORDER BY _odp_set, _odp_first"
    )
    for row in _stream(source, sql, feedback):
        yield int(row[0]), row[1], int(row[2])


def _shape_screen(value: str, integer: bool) -> str:
    """The screens of core/legal/patterns.screen_classes in SQL for the SQL expression ``value`` (PostgreSQL
    regular expressions, the same text as in Python)."""
    from .legal.patterns import IBAN_SCREEN, NIR_SCREEN, PHONE_SCREEN

    if integer:
        return f"(abs({value}) BETWEEN 1000000000000 AND 999999999999999)"
    return (
        f"(strpos({value}, '@') > 0 OR {value} ~ {quote_literal(PHONE_SCREEN)} OR {value} ~ "
        f"{quote_literal(NIR_SCREEN)} OR {value} ~ {quote_literal(IBAN_SCREEN)})"
    )


_INTEGER_TYPES = ("int2", "int4", "int8")


def shape_candidates(source: PostgisSource, names: Sequence[str], feedback=None) -> Iterator[Tuple[int, Any, int]]:
    """``(index of the column, value, count)`` for the values that may be shaped like an e-mail, a phone
    number, a NIR or an IBAN (:func:`_shape_screen`; integers of 13 to 15 digits), in the order of their
    first feature; one reading of the table for all the text and integer columns, whose rows with a
    candidate only are then split by column (the caller keeps a bounded number of values)."""
    kept = [
        (index, quote_ident(name), source.types.get(name) in _INTEGER_TYPES)
        for index, name in enumerate(names)
        if source.types.get(name) in ("text", "varchar") + _INTEGER_TYPES
    ]
    if not kept:
        return
    columns = ", ".join(column for _, column, _integer in kept)
    rows = " OR ".join(_shape_screen(column, integer) for _, column, integer in kept)
    pairs = ", ".join(
        f"({index}, {column}::text, {'true' if integer else 'false'}, {_shape_screen(column, integer)})"
        for index, column, integer in kept
    )
    sql = (
        "SELECT _odp_set, _odp_v, count(*) AS _odp_n, bool_or(_odp_i) FROM "
        f"(SELECT * FROM (SELECT {quote_ident(source.key)} AS _odp_k, {columns} FROM {source.base()}) AS _odp_a "
        f"WHERE {rows}) AS _odp_r "
        f"CROSS JOIN LATERAL (VALUES {pairs}) AS _odp_c(_odp_set, _odp_v, _odp_i, _odp_w) WHERE _odp_w "
        "GROUP BY _odp_set, _odp_v ORDER BY _odp_set, min(_odp_k)"
    )
    for row in _stream(source, sql, feedback):
        yield int(row[0]), (int(row[1]) if row[3] else row[1]), int(row[2])


def too_many(wanted_counts: Sequence[int]) -> bool:
    """True when the failing rows are better found by reading the layer (too many keys for one query)."""
    return sum(wanted_counts) > MAX_LITERAL_KEYS


def failing_rows(
    source: PostgisSource, jobs: List[Tuple[List[str], set]], feedback=None
) -> Iterator[Tuple[int, List[Optional[str]]]]:
    """``(feature id, [text key of each job])`` for the rows where some job's text key is wanted; each job
    is (columns, wanted text keys; at most :data:`MAX_LITERAL_KEYS` in all, see :func:`too_many`). Rows come
    in the server's reading order, as QGIS reads them."""
    selected = ", ".join(f"{text_key(columns)} AS _odp_k{i}" for i, (columns, _w) in enumerate(jobs))
    base = f"SELECT {quote_ident(source.key)} AS _odp_fid, {selected} FROM {source.base()}"
    if not any(wanted for _c, wanted in jobs):
        return
    sql = f"SELECT * FROM ({base}) AS _odp_s WHERE " + " OR ".join(
        f"_odp_k{i} IN ({', '.join(quote_literal(t) for t in sorted(wanted))})"
        for i, (_columns, wanted) in enumerate(jobs)
        if wanted
    )
    width = len(jobs)
    for row in _stream(source, sql, feedback):
        texts = [None if is_null(row[1 + i]) else str(row[1 + i]) for i in range(width)]
        yield int(row[0]), texts


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
        f"SELECT upper(GeometryType({column})) AS _odp_type, count(*) AS _odp_count "
        f"FROM {source.base()} {'AND' if source.where() else 'WHERE'} {where} GROUP BY 1"
    )
    counts: Dict[int, int] = {}
    for row in _execute(source, sql, feedback):
        kind = _GEOMETRY_KIND.get(str(row[0]).upper().rstrip("ZM"), 3)
        counts[kind] = counts.get(kind, 0) + int(row[1])
    return counts


def _inside_boxes(x: str, y: str) -> str:
    tests = []
    for _name, x0, y0, x1, y1 in geo.france_boxes():
        tests.append(
            f"({x} BETWEEN {x0 + BOX_MARGIN!r} AND {x1 - BOX_MARGIN!r} "
            f"AND {y} BETWEEN {y0 + BOX_MARGIN!r} AND {y1 - BOX_MARGIN!r})"
        )
    return "(" + " OR ".join(tests) + ")"


def geometry_suspects(source: PostgisSource, check_validity: bool, locate_points: bool, feedback=None) -> Sequence[int]:
    """The feature ids whose geometry the QGIS checks must look at: missing or empty, invalid for GEOS
    (``ST_IsValid``, when validity is checked) or with a point not surely in France in EPSG:4326 (when
    points are located). A superset: the Python checks decide on these features.

    Fetched by batches from a server-side cursor into a compact array (8 bytes an id): a layer whose every
    geometry is suspect (a wrong CRS) does not fill the client's memory with the server's rows."""
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
    return array("q", (int(row[0]) for row in _stream(source, sql, feedback)))
