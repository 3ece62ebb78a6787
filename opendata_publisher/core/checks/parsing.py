"""Table Schema types: one cell read as frictionless v5 reads it (``Field.create_cell_reader``).

Pure Python (stdlib only). Each Table Schema type has a reader built from the field
(string formats email/uri/uuid/binary, number/integer with ``groupChar``/``decimalChar``/
``bareNumber``/``floatNumber``, boolean ``trueValues``/``falseValues``, date/time/datetime
formats, year, yearmonth, duration, geopoint, geojson/topojson, object, array, any). A reader
takes a text or a native value and returns the typed value, or :data:`FAIL` when the value
does not have the type.

Values come from a QGIS layer after the reader converted Qt types: ``None``, ``str``, ``int``,
``float``, ``bool``, ``datetime.date``/``datetime``/``time`` and rarely ``list``/``dict``. A
native value of the right kind satisfies the type; a native value of another kind is written
as text with :func:`canonical_text` and parsed as if it were the CSV cell.

Known differences with frictionless, all deliberate:

* the ``any`` format of dates and times (frictionless uses dateutil's fuzzy parser) accepts
  ISO 8601 and the usual numeric day/month/year layouts only;
* native values: an integral float satisfies ``integer`` and ``year``, a boolean never
  satisfies ``integer``/``number``/``year``.

Constraints are compiled in :mod:`.constraints`, problems worded in :mod:`.wording`, both
put together per field by :class:`.value_checker.ValueChecker`.
"""

from __future__ import annotations

import base64
import datetime as _dt
import json
import math
import re
import uuid
from decimal import Decimal
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

from ..schema.model import FieldDescriptor

__all__ = [
    "FAIL",
    "READERS",
    "IsoDuration",
    "YearMonth",
    "canonical_text",
    "geopoint_from_text",
    "reader_for",
]

FAIL = object()  # a value that failed its type


class YearMonth(NamedTuple):
    """A ``yearmonth`` value (compares like a tuple)."""

    year: int
    month: int


class IsoDuration(NamedTuple):
    """A ``duration`` with years or months (a plain duration is a ``timedelta``)."""

    years: Decimal
    months: Decimal
    delta: _dt.timedelta


# ---------------------------------------------------------------------------
# Text of a native value


def canonical_text(value: Any) -> str:
    """How a native value is written as text in a CSV file.

    ``45`` -> ``"45"``, ``1.5`` -> ``"1.5"``, an integral float ``45234.0`` ->
    ``"45234"`` (Shapefile/GPKG real columns often hold codes), ``True`` ->
    ``"true"``, dates and times -> ISO 8601, lists and dicts -> JSON,
    ``None`` -> ``""``. Never raises.
    """
    try:
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            if value != value:
                return "NaN"
            if math.isinf(value):
                return "INF" if value > 0 else "-INF"
            if value.is_integer() and abs(value) < 1e16:
                return str(int(value))
            return repr(value)
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
            return value.isoformat()
        if isinstance(value, _dt.timedelta):
            return _timedelta_text(value)
        if isinstance(value, (bytes, bytearray)):
            return bytes(value).decode("utf-8", "replace")
        if isinstance(value, (list, tuple, dict)):
            return json.dumps(value, ensure_ascii=False, default=str)
        return str(value)
    except Exception:
        try:
            return repr(value)
        except Exception:
            return ""


def _timedelta_text(delta: _dt.timedelta) -> str:
    sign = "-" if delta < _dt.timedelta(0) else ""
    delta = abs(delta)
    seconds = delta.seconds + delta.microseconds / 1_000_000
    text = f"{sign}P{delta.days}D" if delta.days else f"{sign}P"
    if seconds or not delta.days:
        text += "T" + (f"{seconds:g}" if delta.microseconds else str(delta.seconds)) + "S"
    return text


# ---------------------------------------------------------------------------
# Readers: text (or native value) -> typed value or FAIL


def _is_plain_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _number_reader(field: FieldDescriptor) -> Callable[[Any], Any]:
    raw = field.raw
    processed = any(key in raw for key in ("groupChar", "decimalChar", "bareNumber"))
    strip_re = None if field.bare_number else re.compile(r"((^[^-\d]*)|(\D*$))")
    group_char = field.group_char
    decimal_char = field.decimal_char
    float_number = raw.get("floatNumber") is True

    def from_text(text: str) -> Any:
        text = text.strip()
        if processed:
            if strip_re is not None:
                text = strip_re.sub("", text)
            if group_char:
                text = text.replace(group_char, "")
            if decimal_char != "." and "." in text:
                return FAIL
            text = text.replace(decimal_char, ".")
        try:
            return float(text) if float_number else Decimal(text)
        except Exception:
            return FAIL

    def reader(value: Any) -> Any:
        if isinstance(value, str):
            return from_text(value)
        if isinstance(value, bool):
            return from_text(canonical_text(value))
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            return value if float_number else Decimal(repr(value))
        if isinstance(value, Decimal):
            return float(value) if float_number else value
        return from_text(canonical_text(value))

    return reader


def _integer_reader(field: FieldDescriptor) -> Callable[[Any], Any]:
    strip_re = None if field.bare_number else re.compile(r"((^[^-\d]*)|(\D*$))")

    def from_text(text: str) -> Any:
        text = text.strip()
        if strip_re is not None:
            text = strip_re.sub("", text)
        try:
            return int(text)
        except Exception:
            return FAIL

    def reader(value: Any) -> Any:
        if isinstance(value, str):
            return from_text(value)
        if isinstance(value, bool):
            return from_text(canonical_text(value))
        if isinstance(value, int):
            return value
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            return int(value)
        if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
            return int(value)
        return from_text(canonical_text(value))

    return reader


def _boolean_reader(field: FieldDescriptor) -> Callable[[Any], Any]:
    mapping: Dict[str, bool] = {}
    for text in field.true_values:
        mapping[text] = True
    for text in field.false_values:
        mapping[text] = False

    def reader(value: Any) -> Any:
        if value is True or value is False:
            return value
        text = value if isinstance(value, str) else canonical_text(value)
        return mapping.get(text, FAIL)

    return reader


def _string_reader(field: FieldDescriptor) -> Callable[[Any], Any]:
    fmt = field.format
    if fmt == "email":
        test = _is_email
    elif fmt == "uri":
        test = _is_uri
    elif fmt == "uuid":
        test = _is_uuid
    elif fmt == "binary":
        test = _is_base64
    else:
        test = None

    def reader(value: Any) -> Any:
        text = value if isinstance(value, str) else canonical_text(value)
        if test is not None and not test(text):
            return FAIL
        return text

    return reader


_EMAIL_LOCAL_RE = re.compile(
    r"[0-9a-z!#$%&'*+/=?^_`{}|~\-\u00a0-\u024f]+(?:\.[0-9a-z!#$%&'*+/=?^_`{}|~\-\u00a0-\u024f]+)*"
    r'|"(?:[\u0001-\u0008\u000b\u000c\u000e-\u001f!#-\[\]-\u007f\u00a0-\u024f]|\\[\t -~])*"',
    re.IGNORECASE,
)
_DOMAIN_LABEL_RE = re.compile(r"[^\W_](?:(?:[^\W_]|-){0,61}[^\W_])?")
_TLD_RE = re.compile(r"[^\W\d_]{2,63}|xn--[a-z0-9-]{1,59}", re.IGNORECASE)


def _is_email(text: str) -> bool:
    if not text or text.count("@") != 1:
        return False
    local, domain = text.split("@")
    if len(local) > 64 or len(domain) > 253 or not _EMAIL_LOCAL_RE.fullmatch(local):
        return False
    labels = domain.split(".")
    if len(labels) < 2 or not _TLD_RE.fullmatch(labels[-1]):
        return False
    return all(_DOMAIN_LABEL_RE.fullmatch(label) for label in labels[:-1])


_URI_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def _is_uri(text: str) -> bool:
    # frictionless (rfc3986) only requires a scheme: "https://", "mailto:", "urn:"...
    return bool(_URI_SCHEME_RE.match(text))


def _is_uuid(text: str) -> bool:
    if not text:
        return False
    try:
        uuid.UUID(text)
    except Exception:
        return False
    return True


def _is_base64(text: str) -> bool:
    try:
        base64.b64decode(text)
    except Exception:
        return False
    return True


# --- dates and times --------------------------------------------------------


def _digits(text: str) -> Optional[int]:
    if text and text.isascii() and text.isdigit():
        return int(text)
    return None


def _iso_date_part(text: str) -> Optional[Tuple[int, int, int, int]]:
    """(year, month, day, end position) of an ISO 8601 date at the start of text."""
    size = len(text)
    if size < 4:
        return None
    year = _digits(text[0:4])
    if year is None:
        return None
    common = _iso_common_date(text, year, size)
    if common is not None:
        return common
    # week dates (2020-W05-3, 2020W053) and ordinal dates (2020-035, 2020035)
    dash = text[4:5] == "-"
    pos = 4 + dash
    if text[pos : pos + 1] == "W":
        week = _digits(text[pos + 1 : pos + 3])
        pos += 3
        day = 1
        if week is None:
            return None
        if size > pos:
            if (text[pos : pos + 1] == "-") != dash:
                return None
            pos += dash
            day = _digits(text[pos : pos + 1])
            pos += 1
            if day is None:
                return None
        if not (1 <= week <= 53 and 1 <= day <= 7):
            return None
        try:
            found = _dt.date.fromisocalendar(year, week, day) if week < 53 else None
        except ValueError:
            found = None
        if found is None:  # week 53 of a 52-week year rolls over, like the ISO arithmetic
            jan4 = _dt.date(year, 1, 4)
            found = jan4 - _dt.timedelta(days=jan4.isoweekday() - 1) + _dt.timedelta(days=(week - 1) * 7 + day - 1)
        return found.year, found.month, found.day, pos
    ordinal = _digits(text[pos : pos + 3])
    if ordinal is None or len(text[pos : pos + 3]) != 3:
        return None
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if not 1 <= ordinal <= 365 + leap:
        return None
    try:
        found = _dt.date(year, 1, 1) + _dt.timedelta(days=ordinal - 1)
    except (ValueError, OverflowError):
        return None
    return found.year, found.month, found.day, pos + 3


def _iso_common_date(text: str, year: int, size: int) -> Optional[Tuple[int, int, int, int]]:
    pos = 4
    if pos >= size:
        return year, 1, 1, pos
    dash = text[pos] == "-"
    pos += dash
    if size - pos < 2:
        return None
    month = _digits(text[pos : pos + 2])
    if month is None:
        return None
    pos += 2
    if pos >= size:
        return (year, month, 1, pos) if dash else None
    if dash:
        if text[pos] != "-":
            return None
        pos += 1
    if size - pos < 2:
        return None
    day = _digits(text[pos : pos + 2])
    if day is None:
        return None
    return year, month, day, pos + 2


def _iso_offset(text: str) -> Any:
    if text in ("Z", "z"):
        return _dt.timezone.utc
    if len(text) not in (3, 5, 6) or text[0] not in "+-":
        return FAIL
    hours = _digits(text[1:3])
    minutes = 0 if len(text) == 3 else _digits(text[4:] if text[3] == ":" else text[3:])
    if hours is None or minutes is None:
        return FAIL
    if hours == 0 and minutes == 0:
        return _dt.timezone.utc
    if minutes > 59 or hours > 23:
        return FAIL
    sign = -1 if text[0] == "-" else 1
    return _dt.timezone(sign * _dt.timedelta(hours=hours, minutes=minutes))


_FRACTION_RE = re.compile(r"[.,]([0-9]+)")


def _iso_time_part(text: str) -> Any:
    """[hour, minute, second, microsecond, tzinfo] of an ISO 8601 time, or FAIL."""
    size = len(text)
    if size < 2:
        return FAIL
    parts: List[Any] = [0, 0, 0, 0, None]
    pos = 0
    index = -1
    colons = False
    while pos < size and index < 5:
        index += 1
        if text[pos] in "-+Zz":
            offset = _iso_offset(text[pos:])
            if offset is FAIL:
                return FAIL
            parts[4] = offset
            pos = size
            break
        if index == 1 and text[pos] == ":":
            colons = True
            pos += 1
        elif index == 2 and colons:
            if text[pos] != ":":
                return FAIL
            pos += 1
        if index < 3:
            number = _digits(text[pos : pos + 2])
            if number is None:
                return FAIL
            parts[index] = number
            pos += 2
        elif index == 3:
            fraction = _FRACTION_RE.match(text, pos)
            if not fraction:
                continue
            digits = fraction.group(1)[:6]
            parts[3] = int(digits) * 10 ** (6 - len(digits))
            pos = fraction.end()
    if pos < size:
        return FAIL
    if parts[0] == 24 and any(parts[1:4]):
        return FAIL
    return parts


def _iso_datetime(text: str) -> Any:
    """An ISO 8601 date-time (any one-character separator), like dateutil's isoparse."""
    if not text.isascii():
        return FAIL
    date_part = _iso_date_part(text)
    if date_part is None:
        return FAIL
    year, month, day, pos = date_part
    time_parts: List[Any] = [0, 0, 0, 0, None]
    if len(text) > pos:
        time_parts = _iso_time_part(text[pos + 1 :])
        if time_parts is FAIL:
            return FAIL
    hour, minute, second, micro, tzinfo = time_parts
    try:
        if hour == 24:
            return _dt.datetime(year, month, day, 0, minute, second, micro, tzinfo) + _dt.timedelta(days=1)
        return _dt.datetime(year, month, day, hour, minute, second, micro, tzinfo)
    except (ValueError, OverflowError):
        return FAIL


_ANY_DATE_FORMATS = (
    "%Y-%m-%d",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%m/%d/%y",
    "%d/%m/%y",
    "%Y%m%d",
    "%d %m %Y",
)
_ANY_TIME_FORMATS = ("%H:%M:%S", "%H:%M", "%Hh%M", "%H:%M:%S.%f", "%I:%M %p", "%I:%M:%S %p")


def _parse_any_datetime(text: str) -> Any:
    text = text.strip()
    if not text:
        return FAIL
    found = _iso_datetime(text)
    if found is not FAIL:
        return found
    for date_format in _ANY_DATE_FORMATS:
        for suffix in ("",) + tuple(sep + t for sep in (" ", "T") for t in _ANY_TIME_FORMATS):
            try:
                return _dt.datetime.strptime(text, date_format + suffix)
            except ValueError:
                continue
    return FAIL


def _parse_any_time(text: str) -> Any:
    text = text.strip()
    for time_format in _ANY_TIME_FORMATS:
        try:
            return _dt.datetime.strptime(text, time_format).timetz()
        except ValueError:
            continue
    found = _iso_datetime("2000-01-01T" + text) if text else FAIL
    return found.timetz() if found is not FAIL else FAIL


def _date_reader(field: FieldDescriptor) -> Callable[[Any], Any]:
    fmt = field.format

    def from_text(text: str) -> Any:
        try:
            if fmt == "default":
                return _dt.datetime.strptime(text, "%Y-%m-%d").date()
            if fmt == "any":
                found = _parse_any_datetime(text)
                return found.date() if found is not FAIL else FAIL
            return _dt.datetime.strptime(text, fmt).date()
        except Exception:
            return FAIL

    def reader(value: Any) -> Any:
        if isinstance(value, _dt.datetime):
            if value.hour == 0 and value.minute == 0 and value.second == 0:
                return value.date()
            return from_text(canonical_text(value))
        if isinstance(value, _dt.date):
            return value
        return from_text(value if isinstance(value, str) else canonical_text(value))

    return reader


def _datetime_reader(field: FieldDescriptor) -> Callable[[Any], Any]:
    fmt = field.format

    def from_text(text: str) -> Any:
        try:
            if fmt == "default":
                if len(text) < 19 or text[16] != ":":
                    return FAIL
                return _iso_datetime(text)
            if fmt == "any":
                return _parse_any_datetime(text)
            return _dt.datetime.strptime(text, fmt)
        except Exception:
            return FAIL

    def reader(value: Any) -> Any:
        if isinstance(value, _dt.datetime):
            return value
        return from_text(value if isinstance(value, str) else canonical_text(value))

    return reader


def _time_reader(field: FieldDescriptor) -> Callable[[Any], Any]:
    fmt = field.format

    def from_text(text: str) -> Any:
        try:
            if fmt == "default":
                if len(text) < 8 or text[5] != ":":
                    return FAIL
                found = _iso_datetime("2000-01-01T" + text)
                return found.timetz() if found is not FAIL else FAIL
            if fmt == "any":
                return _parse_any_time(text)
            return _dt.datetime.strptime(text, fmt).timetz()
        except Exception:
            return FAIL

    def reader(value: Any) -> Any:
        if isinstance(value, _dt.time):
            return value
        return from_text(value if isinstance(value, str) else canonical_text(value))

    return reader


def _year_reader(field: FieldDescriptor) -> Callable[[Any], Any]:
    def reader(value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            year = value
        else:
            text = value if isinstance(value, str) else canonical_text(value)
            if len(text) != 4:
                return FAIL
            try:
                year = int(text)
            except ValueError:
                return FAIL
        return year if 0 <= year <= 9999 else FAIL

    return reader


def _yearmonth_reader(field: FieldDescriptor) -> Callable[[Any], Any]:
    def reader(value: Any) -> Any:
        if isinstance(value, (list, tuple)) and len(value) == 2:
            year, month = value
            if isinstance(year, int) and isinstance(month, int) and 1 <= month <= 12:
                return YearMonth(year, month)
        text = value if isinstance(value, str) else canonical_text(value)
        parts = text.split("-")
        if len(parts) != 2:
            return FAIL
        try:
            year, month = int(parts[0]), int(parts[1])
        except ValueError:
            return FAIL
        if month < 1 or month > 12:
            return FAIL
        return YearMonth(year, month)

    return reader


_NUM = r"([0-9]+(?:[.,][0-9]+)?)"
_DURATION_RE = re.compile(
    rf"([+-])?P(?=\w)(?:{_NUM}Y)?(?:{_NUM}M)?(?:{_NUM}W)?(?:{_NUM}D)?(?:T(?:{_NUM}H)?(?:{_NUM}M)?(?:{_NUM}S)?)?$"
)
_DURATION_ALT_RE = re.compile(
    r"P([0-9]{4})-?([0-9]{2})-?([0-9]{2})T([0-9]{2}):?([0-9]{2}):?([0-9]{2})(?:[.,]([0-9]{1,6}))?$"
)


def _parse_duration(text: str) -> Any:
    match = _DURATION_RE.match(text)
    if match is None:
        alt = _DURATION_ALT_RE.match(text)
        if alt is None:
            return FAIL
        try:
            year, month, day, hour, minute, second = (int(g) for g in alt.groups()[:6])
            _dt.datetime(year, month, day, hour, minute, second)
        except (ValueError, OverflowError):
            return FAIL
        delta = _dt.timedelta(days=day, hours=hour, minutes=minute, seconds=second)
        return IsoDuration(Decimal(year), Decimal(month), delta)
    sign, years, months, weeks, days, hours, minutes, seconds = match.groups()

    def num(group: Optional[str]) -> float:
        return float(group.replace(",", ".")) if group else 0.0

    try:
        delta = _dt.timedelta(
            weeks=num(weeks), days=num(days), hours=num(hours), minutes=num(minutes), seconds=num(seconds)
        )
        if sign == "-":
            delta = -delta
    except (OverflowError, ValueError):
        return FAIL
    year_count = Decimal(years.replace(",", ".")) if years else Decimal(0)
    month_count = Decimal(months.replace(",", ".")) if months else Decimal(0)
    if year_count == 0 and month_count == 0:
        return delta
    if sign == "-":
        year_count, month_count = -year_count, -month_count
    return IsoDuration(year_count, month_count, delta)


def _duration_reader(field: FieldDescriptor) -> Callable[[Any], Any]:
    def reader(value: Any) -> Any:
        if isinstance(value, (_dt.timedelta, IsoDuration)):
            return value
        return _parse_duration(value if isinstance(value, str) else canonical_text(value))

    return reader


# --- geo ---------------------------------------------------------------------


def geopoint_from_text(text: str, fmt: str) -> Any:
    try:
        if fmt == "array":
            lon, lat = json.loads(text)
        elif fmt == "object":
            data = json.loads(text)
            if len(data) != 2:
                return FAIL
            lon, lat = data["lon"], data["lat"]
        else:
            lon, lat = text.split(",")
            lon, lat = lon.strip(), lat.strip()
        return Decimal(lon), Decimal(lat)
    except Exception:
        return FAIL


def _geopoint_in_range(lon: Any, lat: Any) -> bool:
    try:
        return bool(-180 <= lon <= 180 and -90 <= lat <= 90)
    except Exception:
        return False


def _geopoint_reader(field: FieldDescriptor) -> Callable[[Any], Any]:
    fmt = field.format

    def reader(value: Any) -> Any:
        if isinstance(value, (list, tuple)) and len(value) == 2 and all(_is_plain_number(v) for v in value):
            pair = value
        else:
            pair = geopoint_from_text(value if isinstance(value, str) else canonical_text(value), fmt)
            if pair is FAIL:
                return FAIL
        lon, lat = pair
        if not _geopoint_in_range(lon, lat):
            return FAIL
        return float(lon), float(lat)

    return reader


def _is_json_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_json_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _list_of(value: Any, test: Callable[[Any], bool], min_items: int = 0) -> bool:
    return isinstance(value, list) and len(value) >= min_items and all(test(item) for item in value)


def _gj_position(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and _is_json_number(value[0]) and _is_json_number(value[1])


def _gj_line(value: Any) -> bool:
    return _list_of(value, _gj_position, 2)


def _gj_polygon(value: Any) -> bool:
    return _list_of(value, lambda ring: _list_of(ring, _gj_position, 4))


_GJ_COORDINATES = {
    "Point": _gj_position,
    "MultiPoint": lambda c: _list_of(c, _gj_position),
    "LineString": _gj_line,
    "MultiLineString": lambda c: _list_of(c, _gj_line),
    "Polygon": _gj_polygon,
    "MultiPolygon": lambda c: _list_of(c, _gj_polygon),
}


def _gj_geometry(value: Any) -> bool:
    if not isinstance(value, dict) or "type" not in value or "coordinates" not in value:
        return False
    test = _GJ_COORDINATES.get(value["type"]) if isinstance(value["type"], str) else None
    return bool(test and test(value["coordinates"]))


def _gj_feature(value: Any) -> bool:
    if not isinstance(value, dict) or "geometry" not in value or "properties" not in value:
        return False
    if "type" in value and value["type"] != "Feature":
        return False
    geometry, properties = value["geometry"], value["properties"]
    return (geometry is None or _gj_geometry(geometry)) and (properties is None or isinstance(properties, dict))


def _gj_crs(value: Any) -> bool:
    if value is None:
        return True
    if not isinstance(value, dict) or set(value) != {"type", "properties"}:
        return False
    kind, properties = value["type"], value["properties"]
    if not isinstance(properties, dict):
        return False
    if kind == "name":
        return set(properties) == {"name"} and isinstance(properties["name"], str)
    if kind == "link":
        return (
            isinstance(properties.get("href"), str)
            and "href" in properties
            and isinstance(properties.get("type", ""), str)
        )
    return False


def _is_geojson(value: Any) -> bool:
    if not isinstance(value, dict) or "type" not in value:
        return False
    if "crs" in value and not _gj_crs(value["crs"]):
        return False
    if "bbox" in value and not _list_of(value["bbox"], _is_json_number):
        return False
    kind = value["type"]
    if kind == "Feature":
        return _gj_feature(value)
    if kind == "FeatureCollection":
        return "features" in value and _list_of(value["features"], _gj_feature)
    if kind == "GeometryCollection":
        return "geometries" in value and _list_of(value["geometries"], _gj_geometry)
    return _gj_geometry(value)


def _tj_position(value: Any) -> bool:
    return _list_of(value, _is_json_number, 2)


def _tj_arcs_of_depth(depth: int) -> Callable[[Any], bool]:
    if depth == 1:
        return lambda v: _list_of(v, _is_json_int)
    inner = _tj_arcs_of_depth(depth - 1)
    return lambda v: _list_of(v, inner)


_TJ_GEOMETRY = {
    "Point": ("coordinates", _tj_position),
    "MultiPoint": ("coordinates", lambda c: _list_of(c, _tj_position)),
    "LineString": ("arcs", _tj_arcs_of_depth(1)),
    "MultiLineString": ("arcs", _tj_arcs_of_depth(2)),
    "Polygon": ("arcs", _tj_arcs_of_depth(2)),
    "MultiPolygon": ("arcs", _tj_arcs_of_depth(3)),
}


def _tj_geometry(value: Any) -> bool:
    if not isinstance(value, dict) or "type" not in value:
        return False
    if "id" in value and not (isinstance(value["id"], str) or _is_json_int(value["id"])):
        return False
    if "properties" in value and not isinstance(value["properties"], dict):
        return False
    kind = value["type"]
    if kind == "GeometryCollection":
        return "geometries" in value and _list_of(value["geometries"], _tj_geometry)
    rule = _TJ_GEOMETRY.get(kind) if isinstance(kind, str) else None
    return bool(rule and rule[0] in value and rule[1](value[rule[0]]))


def _is_topojson(value: Any) -> bool:
    if not isinstance(value, dict) or "type" not in value:
        return False
    bbox = value.get("bbox")
    if "bbox" in value and not (_list_of(bbox, lambda d: _list_of(d, _is_json_number)) and len(bbox) == 2):
        return False
    if value["type"] != "Topology":
        return _tj_geometry(value)
    objects, arcs = value.get("objects"), value.get("arcs")
    if not isinstance(objects, dict) or not all(_tj_geometry(g) for g in objects.values()):
        return False
    if not _list_of(arcs, lambda arc: _list_of(arc, lambda p: p is None or _tj_position(p), 2)):
        return False
    transform = value.get("transform")
    if "transform" in value:
        if not isinstance(transform, dict) or "scale" not in transform or "translate" not in transform:
            return False
        if not (_tj_position(transform["scale"]) and _tj_position(transform["translate"])):
            return False
    return True


def _json_reader(kind: type, test: Optional[Callable[[Any], bool]] = None) -> Callable[[Any], Any]:
    def reader(value: Any) -> Any:
        if isinstance(value, tuple) and kind is list:
            value = list(value)
        if not isinstance(value, kind):
            text = value if isinstance(value, str) else canonical_text(value)
            try:
                value = json.loads(text)
            except Exception:
                return FAIL
            if not isinstance(value, kind):
                return FAIL
        if test is not None and not test(value):
            return FAIL
        return value

    return reader


def _geojson_reader(field: FieldDescriptor) -> Callable[[Any], Any]:
    if field.format == "topojson":
        return _json_reader(dict, _is_topojson)
    if field.format == "default":
        return _json_reader(dict, _is_geojson)
    return _json_reader(dict)


def _any_reader(field: FieldDescriptor) -> Callable[[Any], Any]:
    return lambda value: value


READERS: Dict[str, Callable[[FieldDescriptor], Callable[[Any], Any]]] = {
    "string": _string_reader,
    "number": _number_reader,
    "integer": _integer_reader,
    "boolean": _boolean_reader,
    "date": _date_reader,
    "datetime": _datetime_reader,
    "time": _time_reader,
    "year": _year_reader,
    "yearmonth": _yearmonth_reader,
    "duration": _duration_reader,
    "geopoint": _geopoint_reader,
    "geojson": _geojson_reader,
    "array": lambda field: _json_reader(list),
    "object": lambda field: _json_reader(dict),
    "any": _any_reader,
}


def reader_for(field: FieldDescriptor) -> Callable[[Any], Any]:
    """The reader of this field's type (an unknown type is read as a string, as frictionless does)."""
    return READERS.get(field.type, _string_reader)(field)
