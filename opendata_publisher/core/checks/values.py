"""Table Schema value engine: type and constraint semantics for one value.

Pure Python (stdlib only). Reproduces what frictionless v5 does for one CSV cell
(``Field.create_cell_reader``): missing values, type casting and the
``required``/``enum``/``pattern``/``minLength``/``maxLength``/``minimum``/
``maximum``/``exclusiveMinimum``/``exclusiveMaximum`` constraints. ``unique`` is
counted by the validator, not here.

Values come from a QGIS layer after the reader converted Qt types: ``None``,
``str``, ``int``, ``float``, ``bool``, ``datetime.date``/``datetime``/``time``
and rarely ``list``/``dict``. A native value of the right kind satisfies the
type; a native value of another kind is written as text with
:func:`canonical_text` and parsed as if it were the CSV cell.

Known differences with frictionless, all deliberate:

* ``pattern`` is evaluated on every type (on the text as written), where
  frictionless refuses the schema when a non-text field declares one;
* enum/minimum/maximum values of the wrong JSON type (``enum: [1, 2]`` on a
  text field) are read like cells instead of never matching;
* the ``any`` format of dates and times (frictionless uses dateutil's fuzzy
  parser) accepts ISO 8601 and the usual numeric day/month/year layouts only;
* native values: an integral float satisfies ``integer`` and ``year``, a
  boolean never satisfies ``integer``/``number``/``year``.

Pattern semantics follow frictionless, not a strict full match: the pattern is
compiled as ``"^" + pattern + "$"`` and matched at the start. For patterns with
a top-level alternation (``a|b``, as in BAL's ``commune_nom``) this is what
validata.fr reports, so agents see the same verdicts here and there.
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

from ..schema.model import FieldDescriptor, array_item_descriptor
from .finding import ValueProblem
from .safe_regex import PatternBudgetExceeded, SafePattern

__all__ = [
    "IsoDuration",
    "ValueChecker",
    "YearMonth",
    "canonical_text",
    "checker_for",
]

_FAIL = object()  # a value that failed its type
_MAX_CACHE = 200_000  # memoised distinct values per checker before the cache is reset
_MAX_SHOWN = 60  # characters of a value quoted in a message

_BOUND_CONSTRAINTS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
_ORDERED = ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum")
_SUPPORTED = {
    "string": ("required", "minLength", "maxLength", "pattern", "enum"),
    "number": _ORDERED,
    "integer": _ORDERED,
    "date": _ORDERED,
    "time": _ORDERED,
    "datetime": _ORDERED,
    "year": _ORDERED,
    "yearmonth": _ORDERED,
    "boolean": ("required", "enum"),
    "duration": ("required", "enum"),
    "geopoint": ("required", "enum"),
    "geojson": ("required", "enum"),
    "any": ("required", "enum"),
    "array": ("required", "minLength", "maxLength", "enum"),
    "object": ("required", "minLength", "maxLength", "enum"),
}


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
# Readers: text (or native value) -> typed value or _FAIL


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
                return _FAIL
            text = text.replace(decimal_char, ".")
        try:
            return float(text) if float_number else Decimal(text)
        except Exception:
            return _FAIL

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
            return _FAIL

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
        return mapping.get(text, _FAIL)

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
            return _FAIL
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
        return _FAIL
    hours = _digits(text[1:3])
    minutes = 0 if len(text) == 3 else _digits(text[4:] if text[3] == ":" else text[3:])
    if hours is None or minutes is None:
        return _FAIL
    if hours == 0 and minutes == 0:
        return _dt.timezone.utc
    if minutes > 59 or hours > 23:
        return _FAIL
    sign = -1 if text[0] == "-" else 1
    return _dt.timezone(sign * _dt.timedelta(hours=hours, minutes=minutes))


_FRACTION_RE = re.compile(r"[.,]([0-9]+)")


def _iso_time_part(text: str) -> Any:
    """[hour, minute, second, microsecond, tzinfo] of an ISO 8601 time, or _FAIL."""
    size = len(text)
    if size < 2:
        return _FAIL
    parts: List[Any] = [0, 0, 0, 0, None]
    pos = 0
    index = -1
    colons = False
    while pos < size and index < 5:
        index += 1
        if text[pos] in "-+Zz":
            offset = _iso_offset(text[pos:])
            if offset is _FAIL:
                return _FAIL
            parts[4] = offset
            pos = size
            break
        if index == 1 and text[pos] == ":":
            colons = True
            pos += 1
        elif index == 2 and colons:
            if text[pos] != ":":
                return _FAIL
            pos += 1
        if index < 3:
            number = _digits(text[pos : pos + 2])
            if number is None:
                return _FAIL
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
        return _FAIL
    if parts[0] == 24 and any(parts[1:4]):
        return _FAIL
    return parts


def _iso_datetime(text: str) -> Any:
    """An ISO 8601 date-time (any one-character separator), like dateutil's isoparse."""
    if not text.isascii():
        return _FAIL
    date_part = _iso_date_part(text)
    if date_part is None:
        return _FAIL
    year, month, day, pos = date_part
    time_parts: List[Any] = [0, 0, 0, 0, None]
    if len(text) > pos:
        time_parts = _iso_time_part(text[pos + 1 :])
        if time_parts is _FAIL:
            return _FAIL
    hour, minute, second, micro, tzinfo = time_parts
    try:
        if hour == 24:
            return _dt.datetime(year, month, day, 0, minute, second, micro, tzinfo) + _dt.timedelta(days=1)
        return _dt.datetime(year, month, day, hour, minute, second, micro, tzinfo)
    except (ValueError, OverflowError):
        return _FAIL


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
        return _FAIL
    found = _iso_datetime(text)
    if found is not _FAIL:
        return found
    for date_format in _ANY_DATE_FORMATS:
        for suffix in ("",) + tuple(sep + t for sep in (" ", "T") for t in _ANY_TIME_FORMATS):
            try:
                return _dt.datetime.strptime(text, date_format + suffix)
            except ValueError:
                continue
    return _FAIL


def _parse_any_time(text: str) -> Any:
    text = text.strip()
    for time_format in _ANY_TIME_FORMATS:
        try:
            return _dt.datetime.strptime(text, time_format).timetz()
        except ValueError:
            continue
    found = _iso_datetime("2000-01-01T" + text) if text else _FAIL
    return found.timetz() if found is not _FAIL else _FAIL


def _date_reader(field: FieldDescriptor) -> Callable[[Any], Any]:
    fmt = field.format

    def from_text(text: str) -> Any:
        try:
            if fmt == "default":
                return _dt.datetime.strptime(text, "%Y-%m-%d").date()
            if fmt == "any":
                found = _parse_any_datetime(text)
                return found.date() if found is not _FAIL else _FAIL
            return _dt.datetime.strptime(text, fmt).date()
        except Exception:
            return _FAIL

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
                    return _FAIL
                return _iso_datetime(text)
            if fmt == "any":
                return _parse_any_datetime(text)
            return _dt.datetime.strptime(text, fmt)
        except Exception:
            return _FAIL

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
                    return _FAIL
                found = _iso_datetime("2000-01-01T" + text)
                return found.timetz() if found is not _FAIL else _FAIL
            if fmt == "any":
                return _parse_any_time(text)
            return _dt.datetime.strptime(text, fmt).timetz()
        except Exception:
            return _FAIL

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
                return _FAIL
            try:
                year = int(text)
            except ValueError:
                return _FAIL
        return year if 0 <= year <= 9999 else _FAIL

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
            return _FAIL
        try:
            year, month = int(parts[0]), int(parts[1])
        except ValueError:
            return _FAIL
        if month < 1 or month > 12:
            return _FAIL
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
            return _FAIL
        try:
            year, month, day, hour, minute, second = (int(g) for g in alt.groups()[:6])
            _dt.datetime(year, month, day, hour, minute, second)
        except (ValueError, OverflowError):
            return _FAIL
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
        return _FAIL
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


def _geopoint_from_text(text: str, fmt: str) -> Any:
    try:
        if fmt == "array":
            lon, lat = json.loads(text)
        elif fmt == "object":
            data = json.loads(text)
            if len(data) != 2:
                return _FAIL
            lon, lat = data["lon"], data["lat"]
        else:
            lon, lat = text.split(",")
            lon, lat = lon.strip(), lat.strip()
        return Decimal(lon), Decimal(lat)
    except Exception:
        return _FAIL


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
            pair = _geopoint_from_text(value if isinstance(value, str) else canonical_text(value), fmt)
            if pair is _FAIL:
                return _FAIL
        lon, lat = pair
        if not _geopoint_in_range(lon, lat):
            return _FAIL
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
                return _FAIL
            if not isinstance(value, kind):
                return _FAIL
        if test is not None and not test(value):
            return _FAIL
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


_READERS: Dict[str, Callable[[FieldDescriptor], Callable[[Any], Any]]] = {
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


# ---------------------------------------------------------------------------
# Messages


def _show(text: str) -> str:
    text = text.replace("\n", " ").replace("\r", " ")
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


def _show_value(value: Any) -> str:
    return _show(value if isinstance(value, str) else canonical_text(value))


def _join_quoted(values: List[Any], limit: int = 12) -> str:
    shown = [f"« {_show_value(v)} »" for v in values[:limit]]
    text = ", ".join(shown)
    if len(values) > limit:
        text += f"… ({len(values)} valeurs en tout, voir la documentation du schéma)"
    return text


_MASKS = {"%Y": "aaaa", "%y": "aa", "%m": "mm", "%d": "jj", "%H": "hh", "%M": "mm", "%S": "ss", "%I": "hh"}
_SAMPLE = _dt.datetime(2016, 12, 5, 14, 30, 0)


def _format_mask(fmt: str) -> str:
    mask = fmt
    for directive, text in _MASKS.items():
        mask = mask.replace(directive, text)
    return mask


def _format_example(fmt: str) -> str:
    try:
        return _SAMPLE.strftime(fmt)
    except Exception:
        return ""


_DMY_RE = re.compile(r"\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*")


def _number_hint(text: str, decimal_char: str, integer: bool) -> str:
    stripped = text.strip()
    if not stripped:
        return "Écrivez un nombre, ou laissez la cellule vide si le champ n'est pas obligatoire."
    if stripped != text and _number_like(stripped, decimal_char):
        return "Retirez les espaces avant ou après le nombre."
    if decimal_char == "." and re.fullmatch(r"-?[\d\s\u00a0\u202f]*\d,\d+", stripped):
        fixed = re.sub(r"[\s\u00a0\u202f]", "", stripped).replace(",", ".")
        if integer:
            return f"Ce champ attend un nombre entier : « {_show(fixed)} » n'en est pas un. Arrondissez la valeur."
        return f"Remplacez la virgule par un point : écrivez « {_show(fixed)} »."
    if re.fullmatch(r"-?\d{1,3}([\s\u00a0\u202f.']\d{3})+([.,]\d+)?", stripped):
        return "Retirez les séparateurs de milliers (espaces, points) : écrivez le nombre d'un seul bloc, ex. 12500."
    if re.fullmatch(r"[^\d\-]*-?\d+([.,]\d+)?\s*\D+|\D+\s*-?\d+([.,]\d+)?", stripped):
        return "N'écrivez que le nombre, sans unité, symbole ni texte (pas de « € », « % », « m »…)."
    if integer and _number_like(stripped, "."):
        return (
            "Écrivez un nombre entier, sans décimale (ex. 12) : arrondissez la valeur, ou vérifiez que la bonne "
            "colonne est associée à ce champ."
        )
    if integer:
        return "Écrivez un nombre entier, sans décimale ni espace (ex. 12)."
    if decimal_char != ".":
        return f"Écrivez un nombre avec « {decimal_char} » comme séparateur décimal, sans espace ni unité."
    return "Écrivez un nombre avec un point comme séparateur décimal, sans espace ni unité (ex. 1234.5)."


def _number_like(text: str, decimal_char: str) -> bool:
    try:
        Decimal(text.replace(decimal_char, "."))
    except Exception:
        return False
    return True


# ---------------------------------------------------------------------------
# The checker


class ValueChecker:
    """Checks the values of one field. Build it once per field (see
    :func:`checker_for`), then call :meth:`check` for each distinct value.

    ``warnings`` lists French sentences about parts of the field definition
    that cannot be applied (invalid regular expression, unreadable bound…);
    those constraints are skipped.
    """

    def __init__(self, field: FieldDescriptor):
        self.field = field
        self.warnings: List[str] = []
        self._missing = frozenset(v for v in field.missing_values if isinstance(v, str))
        self._reader = _READERS.get(field.type, _string_reader)(field)
        self._cache: Dict[Any, List[ValueProblem]] = {}
        self._constraint_checks: List[Callable[[Any, Any], Optional[ValueProblem]]] = []
        item = array_item_descriptor(field)
        self._item_checker = ValueChecker(item) if item is not None else None
        try:
            self._compile_constraints()
        except Exception as exc:  # never let a strange schema break the validator
            self.warnings.append(
                f"Les contraintes du champ « {field.name} » n'ont pas pu être lues ({exc}) : elles sont ignorées."
            )
            self._constraint_checks = []

    # -- public API --------------------------------------------------------

    def is_missing(self, value: Any) -> bool:
        """None, or a text listed in the field's ``missingValues`` (exact match)."""
        return value is None or (isinstance(value, str) and value in self._missing)

    def cast(self, value: Any) -> Tuple[bool, Any]:
        """``(True, typed value)``, ``(True, None)`` for a missing value, ``(False, None)`` on a type error."""
        if self.is_missing(value):
            return True, None
        try:
            typed = self._reader(value)
        except Exception:
            typed = _FAIL
        if typed is _FAIL:
            return False, None
        return True, typed

    def check(self, value: Any) -> List[ValueProblem]:
        """Every problem of this value (empty list when it is fine). Memoised per hashable value."""
        try:
            key = (type(value), value)
            cached = self._cache.get(key)
        except TypeError:
            return self._compute(value)
        if cached is not None:
            return list(cached)
        problems = self._compute(value)
        if len(self._cache) >= _MAX_CACHE:
            self._cache.clear()
        self._cache[key] = problems
        return list(problems)

    # -- computing ---------------------------------------------------------

    def _compute(self, value: Any) -> List[ValueProblem]:
        try:
            if self.is_missing(value):
                return [self._required_problem(value)] if self.field.required else []
            ok, typed = self.cast(value)
            if not ok:
                return [self._type_problem(value)]
            problems = []
            for constraint_check in self._constraint_checks:
                problem = constraint_check(value, typed)
                if problem is not None:
                    problems.append(problem)
            if not problems and self._item_checker is not None and isinstance(typed, list):
                problems = self._item_problems(typed)
            return problems
        except Exception as exc:  # a bug here must not stop a whole layer check
            note = f"Une valeur du champ « {self.field.name} » n'a pas pu être vérifiée ({type(exc).__name__})."
            if note not in self.warnings:
                self.warnings.append(note)
            return []

    def _text(self, value: Any) -> str:
        return value if isinstance(value, str) else canonical_text(value)

    def _item_problems(self, items: List[Any]) -> List[ValueProblem]:
        """The items of an array against ``arrayItem``, as frictionless reads them: a wrong item is a type
        error of the whole cell, else one error per constraint some item breaks."""
        checker = self._item_checker
        name = self.field.name
        found: Dict[str, ValueProblem] = {}
        for item in items:
            if checker.field.type == "string" and item is not None and not isinstance(item, str):
                problems = [checker._type_problem(item)]
            else:
                problems = checker._compute(item if not isinstance(item, (list, dict)) else json.dumps(item))
            for problem in problems:
                key = problem.constraint or problem.code
                if problem.code == "type-error":
                    text = _show(json.dumps(item, ensure_ascii=False))
                    return [
                        ValueProblem(
                            code="type-error",
                            message=f"L'élément {text} de la liste du champ « {name} » n'a pas le type attendu "
                            f"({checker.field.type}).",
                            hint=problem.hint,
                        )
                    ]
                if key not in found:
                    found[key] = ValueProblem(
                        code=problem.code,
                        constraint=problem.constraint,
                        message=f"Un élément de la liste du champ « {name} » : {problem.message}",
                        hint=problem.hint,
                        severity=problem.severity,
                    )
        return list(found.values())

    # -- constraints -------------------------------------------------------

    def _compile_constraints(self) -> None:
        field = self.field
        constraints = field.constraints
        supported = _SUPPORTED.get(field.type, _SUPPORTED["string"])
        for name in constraints:
            if name in ("required", "unique", "pattern") or name in supported:
                continue
            self.warnings.append(
                f"La contrainte « {name} » du champ « {field.name} » ne s'applique pas au type « {field.type} » : "
                "elle est ignorée."
            )
        if "enum" in constraints:
            self._add_enum(constraints["enum"])
        if constraints.get("pattern") is not None:
            self._add_pattern(constraints["pattern"])
        for name in ("minLength", "maxLength"):
            if name in supported and constraints.get(name) is not None:
                self._add_length(name, constraints[name])
        for name in _BOUND_CONSTRAINTS:
            if name in supported and constraints.get(name) is not None:
                self._add_bound(name, constraints[name])

    def _add_enum(self, raw: Any) -> None:
        field = self.field
        if not isinstance(raw, list):
            self.warnings.append(f"La liste de valeurs autorisées du champ « {field.name} » est illisible : ignorée.")
            return
        allowed = []
        for item in raw:
            try:
                typed = self._reader(item)
            except Exception:
                typed = _FAIL
            if typed is not _FAIL:
                allowed.append(typed)
        try:
            lookup: Any = frozenset(allowed)
        except TypeError:
            lookup = allowed
        texts = [item if isinstance(item, str) else canonical_text(item) for item in raw]
        folded: Dict[str, str] = {}
        for text in texts:
            folded.setdefault(text.strip().casefold(), text)

        def check_enum(value: Any, typed: Any) -> Optional[ValueProblem]:
            try:
                if typed in lookup:
                    return None
            except Exception:
                pass
            text = self._text(value)
            message = f"La valeur « {_show(text)} » ne fait pas partie des valeurs autorisées pour « {field.name} »."
            near = folded.get(text.strip().casefold())
            if near is not None:
                hint = f"Écrivez exactement « {_show(near)} » (attention aux majuscules, accents et espaces)."
            else:
                hint = f"Choisissez l'une des valeurs autorisées : {_join_quoted(texts)}."
            return ValueProblem(code="constraint-error", constraint="enum", message=message, hint=hint)

        self._constraint_checks.append(check_enum)

    def _add_pattern(self, raw: Any) -> None:
        field = self.field
        if not isinstance(raw, str):
            self.warnings.append(f"Le motif (« pattern ») du champ « {field.name} » n'est pas un texte : ignoré.")
            return
        try:
            compiled = SafePattern(raw)
        except (re.error, RecursionError, OverflowError) as exc:
            self.warnings.append(
                f"Le motif (« pattern ») du champ « {field.name} » n'est pas une expression régulière valide "
                f"({exc}) : il est ignoré. Signalez-le aux auteurs du schéma."
            )
            return
        example = field.example
        if example is None and isinstance(field.raw.get("examples"), list) and field.raw["examples"]:
            example = field.raw["examples"][0]

        skipped = []

        def check_pattern(value: Any, typed: Any) -> Optional[ValueProblem]:
            if skipped:
                return None
            text = self._text(value)
            try:
                if compiled.match(text):
                    return None
                trimmed = text != text.strip() and compiled.match(text.strip())
            except PatternBudgetExceeded:
                skipped.append(True)
                self.warnings.append(
                    f"Le motif (« pattern ») du champ « {field.name} » est trop coûteux à évaluer (expression "
                    f"régulière {_show_regex(raw)} à retour arrière exponentiel) : cette règle n'a pas pu être "
                    "appliquée, les valeurs de ce champ n'ont pas été vérifiées contre ce motif. Signalez-le aux "
                    "auteurs du schéma."
                )
                return None
            message = f"La valeur « {_show(text)} » n'a pas le format attendu pour « {field.name} »."
            if trimmed:
                hint = "Retirez les espaces au début ou à la fin de la valeur."
            else:
                hint = f"Le format attendu est décrit par l'expression régulière {_show_regex(raw)}."
                if example not in (None, ""):
                    hint += f" Exemple de valeur correcte : « {_show_value(example)} »."
            return ValueProblem(code="constraint-error", constraint="pattern", message=message, hint=hint)

        self._constraint_checks.append(check_pattern)

    def _add_length(self, name: str, raw: Any) -> None:
        field = self.field
        if not isinstance(raw, int) or isinstance(raw, bool):
            self.warnings.append(f"La contrainte « {name} » du champ « {field.name} » n'est pas un entier : ignorée.")
            return
        is_min = name == "minLength"
        unit = "caractères" if field.type not in ("array", "object") else "éléments"

        def check_length(value: Any, typed: Any) -> Optional[ValueProblem]:
            try:
                size = len(typed)
            except TypeError:
                return None
            if (size >= raw) if is_min else (size <= raw):
                return None
            shown = _show(self._text(value))
            if is_min:
                message = f"La valeur « {shown} » est trop courte ({size} {unit}) pour « {field.name} »."
                hint = f"Il faut au moins {raw} {unit}. Complétez la valeur (un zéro initial a-t-il été perdu ?)."
            else:
                message = f"La valeur « {shown} » est trop longue ({size} {unit}) pour « {field.name} »."
                hint = f"Il faut au plus {raw} {unit}. Raccourcissez la valeur."
            return ValueProblem(code="constraint-error", constraint=name, message=message, hint=hint)

        self._constraint_checks.append(check_length)

    def _add_bound(self, name: str, raw: Any) -> None:
        field = self.field
        try:
            bound = self._reader(raw)
        except Exception:
            bound = _FAIL
        if bound is _FAIL or isinstance(bound, bool):
            self.warnings.append(
                f"La borne « {name} » ({_show_value(raw)}) du champ « {field.name} » ne peut pas être lue comme "
                f"une valeur de type « {field.type} » : elle est ignorée."
            )
            return
        compare = {
            "minimum": lambda a, b: a >= b,
            "maximum": lambda a, b: a <= b,
            "exclusiveMinimum": lambda a, b: a > b,
            "exclusiveMaximum": lambda a, b: a < b,
        }[name]
        shown_bound = _show_value(raw)
        wording = {
            "minimum": ("inférieure au minimum autorisé", f"supérieure ou égale à {shown_bound}"),
            "maximum": ("supérieure au maximum autorisé", f"inférieure ou égale à {shown_bound}"),
            "exclusiveMinimum": ("trop petite", f"strictement supérieure à {shown_bound}"),
            "exclusiveMaximum": ("trop grande", f"strictement inférieure à {shown_bound}"),
        }[name]

        def check_bound(value: Any, typed: Any) -> Optional[ValueProblem]:
            if _within(typed, bound, compare):
                return None
            shown = _show(self._text(value))
            message = f"La valeur « {shown} » est {wording[0]} ({shown_bound}) pour « {field.name} »."
            hint = f"La valeur doit être {wording[1]}. Corrigez-la"
            if field.type in ("number", "integer") and _looks_projected(typed, bound):
                hint += (
                    " ; une valeur aussi grande pour des coordonnées indique souvent une autre projection "
                    "(ex. Lambert 93) : exportez en WGS 84 (EPSG:4326)"
                )
            hint += "."
            return ValueProblem(code="constraint-error", constraint=name, message=message, hint=hint)

        self._constraint_checks.append(check_bound)

    # -- problems ----------------------------------------------------------

    def _required_problem(self, value: Any) -> ValueProblem:
        field = self.field
        what = f"« {field.name} »"
        if field.title and field.title != field.name:
            what += f" ({_show(field.title)})"
        hint = f"Renseignez {what}"
        if field.description:
            description = " ".join(field.description.split())
            if len(description) > 160:
                description = description[:159] + "…"
            hint += f" : {description}"
        if not hint.endswith((".", "…")):
            hint += "."
        if isinstance(value, str) and value:
            hint += f" La valeur « {_show(value)} » est comptée comme manquante par le schéma."
        return ValueProblem(
            code="constraint-error",
            constraint="required",
            message=f"Valeur obligatoire manquante pour le champ « {field.name} ».",
            hint=hint,
        )

    def _type_problem(self, value: Any) -> ValueProblem:
        field = self.field
        text = self._text(value)
        shown = _show(text)
        name = field.name
        ftype, fmt = field.type, field.format
        message, hint = f"La valeur « {shown} » n'est pas valide pour « {name} ».", "Corrigez la valeur."
        if ftype == "string":
            message, hint = _string_type_texts(fmt, shown, name, text)
        elif ftype in ("number", "integer"):
            integer = ftype == "integer"
            kind = "un nombre entier" if integer else "un nombre"
            message = f"La valeur « {shown} » n'est pas {kind} (champ « {name} »)."
            if integer and _number_like(text.strip(), "."):
                message = f"La valeur « {shown} » n'est pas un nombre entier (champ « {name} ») : elle a des décimales."
            hint = _number_hint(text, field.decimal_char, integer)
        elif ftype == "boolean":
            message = f"La valeur « {shown} » n'est pas une valeur oui/non acceptée pour « {name} »."
            candidates = {v.casefold(): v for v in field.false_values + field.true_values}
            near = candidates.get(text.strip().casefold())
            if near is not None:
                hint = f"Écrivez exactement « {near} » (attention aux majuscules et aux espaces)."
            else:
                hint = (
                    f"Pour « vrai », écrivez {_join_quoted(field.true_values)} ; "
                    f"pour « faux », écrivez {_join_quoted(field.false_values)}."
                )
        elif ftype == "date":
            message, hint = _date_type_texts(fmt, shown, text)
        elif ftype == "datetime":
            if fmt == "default":
                message = (
                    f"La date et heure « {shown} » n'est pas au format attendu aaaa-mm-jjThh:mm:ss "
                    "(ex. 2016-12-05T14:30:00)."
                )
                hint = (
                    "Écrivez la date et l'heure sous la forme 2016-12-05T14:30:00, éventuellement suivie du fuseau "
                    "horaire (2016-12-05T14:30:00Z ou 2016-12-05T14:30:00+01:00), ou utilisez un champ de type "
                    "Date et heure."
                )
                if _date_reader(FieldDescriptor(name=name, type="date"))(text.strip()) is not _FAIL:
                    hint = f"Il manque l'heure : écrivez par exemple « {_show(text.strip())}T00:00:00 »."
            else:
                message, hint = _custom_format_texts("La date et heure", fmt, shown, "Date et heure")
        elif ftype == "time":
            if fmt == "default":
                message = f"L'heure « {shown} » n'est pas au format attendu hh:mm:ss (ex. 14:30:00)."
                hint = "Écrivez l'heure sur 24 heures avec les secondes, sous la forme 14:30:00."
            else:
                message, hint = _custom_format_texts("L'heure", fmt, shown, "Heure")
        elif ftype == "year":
            message = f"« {shown} » n'est pas une année sur 4 chiffres (champ « {name} »)."
            hint = "Écrivez l'année seule, sur 4 chiffres, par exemple 2016."
        elif ftype == "yearmonth":
            message = f"« {shown} » n'est pas un mois au format aaaa-mm (champ « {name} »)."
            hint = "Écrivez l'année et le mois sous la forme 2016-12."
        elif ftype == "duration":
            message = f"« {shown} » n'est pas une durée au format ISO 8601 (champ « {name} »)."
            hint = (
                "Écrivez la durée sous la forme P1Y2M10DT2H30M : P, puis les années (Y), mois (M), jours (D), "
                "et après T les heures (H), minutes (M) et secondes (S). Ex. PT30M pour 30 minutes, P2D pour 2 jours."
            )
        elif ftype == "geopoint":
            message, hint = _geopoint_type_texts(fmt, shown, text, name)
        elif ftype == "geojson":
            kind = "TopoJSON" if fmt == "topojson" else "GeoJSON"
            message = f"La valeur « {shown} » n'est pas un objet {kind} valide (champ « {name} »)."
            hint = (
                'Écrivez un objet GeoJSON complet, par exemple {"type": "Point", "coordinates": [2.3522, 48.8566]} '
                "(longitude puis latitude, en WGS 84)."
                if kind == "GeoJSON"
                else "Écrivez un objet TopoJSON complet (type « Topology » avec « objects » et « arcs »)."
            )
        elif ftype == "array":
            message = f"La valeur « {shown} » n'est pas une liste JSON (champ « {name} »)."
            hint = 'Écrivez une liste entre crochets, par exemple ["valeur 1", "valeur 2"].'
        elif ftype == "object":
            message = f"La valeur « {shown} » n'est pas un objet JSON (champ « {name} »)."
            hint = 'Écrivez un objet entre accolades, par exemple {"nom": "valeur"}.'
        return ValueProblem(code="type-error", message=message, hint=hint)


# ---------------------------------------------------------------------------
# Helpers for constraints and messages


def _within(typed: Any, bound: Any, compare: Callable[[Any, Any], bool]) -> bool:
    try:
        if typed != typed:  # NaN never satisfies a bound (as frictionless)
            return False
    except Exception:
        return False
    try:
        return bool(compare(typed, bound))
    except TypeError:
        # naive vs aware date-times: read the naive one as UTC
        if isinstance(typed, (_dt.datetime, _dt.time)) and isinstance(bound, type(typed)):
            try:
                return bool(compare(_as_utc(typed), _as_utc(bound)))
            except Exception:
                return True
        return True
    except Exception:
        return False


def _as_utc(value: Any) -> Any:
    if value.tzinfo is None:
        return value.replace(tzinfo=_dt.timezone.utc)
    return value


def _looks_projected(typed: Any, bound: Any) -> bool:
    try:
        return abs(bound) <= 180 and abs(typed) > 1000
    except Exception:
        return False


def _show_regex(pattern: str) -> str:
    return f"« {pattern} »" if len(pattern) <= 120 else f"« {pattern[:119]}… »"


def _string_type_texts(fmt: str, shown: str, name: str, text: str) -> Tuple[str, str]:
    if fmt == "email":
        message = f"« {shown} » n'est pas une adresse électronique valide (champ « {name} »)."
        if text.count("@") > 1 or any(sep in text for sep in (";", ",", " / ")):
            hint = "Ne mettez qu'une seule adresse par cellule, de la forme nom@domaine.fr."
        elif text != text.strip() or " " in text.strip():
            hint = "Retirez les espaces : une adresse s'écrit d'un seul bloc, de la forme nom@domaine.fr."
        else:
            hint = "Écrivez une adresse complète de la forme nom@domaine.fr."
        return message, hint
    if fmt == "uri":
        message = f"« {shown} » n'est pas une adresse web complète (champ « {name} »)."
        if text.strip().lower().startswith("www."):
            hint = f"Ajoutez le protocole devant l'adresse : écrivez « https://{_show(text.strip())} »."
        else:
            hint = "Écrivez l'adresse en entier avec son protocole, par exemple https://www.exemple.fr/page."
        return message, hint
    if fmt == "uuid":
        return (
            f"« {shown} » n'est pas un identifiant UUID (champ « {name} »).",
            "Un UUID s'écrit avec 32 chiffres hexadécimaux en 5 groupes, "
            "ex. 123e4567-e89b-12d3-a456-426614174000 ; générez-en un avec la fonction uuid() de QGIS.",
        )
    if fmt == "binary":
        return (
            f"La valeur « {shown} » n'est pas un contenu encodé en base64 (champ « {name} »).",
            "Encodez le contenu en base64 (lettres, chiffres, « + », « / », complété par « = »).",
        )
    return f"La valeur « {shown} » n'est pas un texte valide (champ « {name} »).", "Corrigez la valeur."


def _date_type_texts(fmt: str, shown: str, text: str) -> Tuple[str, str]:
    if fmt == "default":
        message = f"La date « {shown} » n'est pas au format attendu aaaa-mm-jj (ex. 2016-12-05)."
        hint = "Écrivez la date sous la forme 2016-12-05, ou utilisez un champ de type Date."
        match = _DMY_RE.fullmatch(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                fixed = _dt.date(year, month, day).isoformat()
                hint = f"Écrivez l'année d'abord : « {fixed} » au lieu de « {_show(text.strip())} »."
            except ValueError:
                hint = f"Cette date n'existe pas. {hint}"
        elif re.fullmatch(r"\s*\d{4}-\d{1,2}-\d{1,2}\s*", text):
            hint = "Cette date n'existe pas ou contient des espaces : vérifiez le jour et le mois (ex. 2016-12-05)."
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ].*", text.strip()):
            hint = f"N'écrivez que la date, sans l'heure : « {text.strip()[:10]} »."
        return message, hint
    if fmt == "any":
        return (
            f"« {shown} » n'est pas une date reconnue.",
            "Écrivez la date sous la forme 2016-12-05, ou utilisez un champ de type Date.",
        )
    return _custom_format_texts("La date", fmt, shown, "Date")


def _custom_format_texts(what: str, fmt: str, shown: str, qgis_type: str) -> Tuple[str, str]:
    if fmt == "any":
        return (
            f"{what} « {shown} » n'est pas reconnue.",
            f"Écrivez la valeur au format ISO (ex. {_SAMPLE.isoformat()}), ou utilisez un champ de type {qgis_type}.",
        )
    mask, example = _format_mask(fmt), _format_example(fmt)
    sample = f" (ex. {example})" if example else ""
    return (
        f"{what} « {shown} » n'est pas au format attendu {mask}{sample}.",
        f"Écrivez la valeur sous la forme {example or mask}, ou utilisez un champ de type {qgis_type}.",
    )


_GEOPOINT_EXAMPLES = {
    "default": "2.3522, 48.8566",
    "array": "[2.3522, 48.8566]",
    "object": '{"lon": 2.3522, "lat": 48.8566}',
}


def _geopoint_type_texts(fmt: str, shown: str, text: str, name: str) -> Tuple[str, str]:
    example = _GEOPOINT_EXAMPLES.get(fmt, _GEOPOINT_EXAMPLES["default"])
    pair = _geopoint_from_text(text, fmt)
    if pair is not _FAIL:
        lon, lat = pair
        message = (
            f"Les coordonnées « {shown} » sont hors limites (champ « {name} ») : la longitude doit être "
            "entre -180 et 180, la latitude entre -90 et 90."
        )
        try:
            swapped = abs(lon) <= 90 < abs(lat) <= 180
            projected = abs(lon) > 1000 or abs(lat) > 1000
        except Exception:
            swapped = projected = False
        if projected:
            hint = (
                "Ces valeurs ressemblent à des mètres (Lambert 93 ou autre projection) : exportez les coordonnées "
                f"en degrés WGS 84 (EPSG:4326), longitude d'abord, ex. {example}."
            )
        elif swapped:
            hint = f"La latitude et la longitude semblent inversées : écrivez la longitude d'abord, ex. {example}."
        else:
            hint = f"Vérifiez les coordonnées : degrés décimaux WGS 84, longitude d'abord, ex. {example}."
        return message, hint
    message = f"« {shown} » n'est pas un point au format attendu (champ « {name} »)."
    hint = f"Écrivez la longitude puis la latitude en degrés décimaux, avec un point décimal : {example}."
    if fmt == "default" and text.count(",") > 1:
        hint = f"Utilisez le point comme séparateur décimal et la virgule seulement entre les deux nombres : {example}."
    return message, hint


# ---------------------------------------------------------------------------
# Shared checkers

_CHECKERS: Dict[int, Tuple[FieldDescriptor, Tuple[Any, ...], ValueChecker]] = {}
_MAX_CHECKERS = 512


def _fingerprint(field: FieldDescriptor) -> Tuple[Any, ...]:
    return (
        field.name,
        field.type,
        field.format,
        repr(field.constraints),
        tuple(field.true_values),
        tuple(field.false_values),
        field.decimal_char,
        field.group_char,
        field.bare_number,
        tuple(field.missing_values),
        repr(field.raw.get("floatNumber")),
        field.title,
        field.description,
        repr(field.example),
    )


def checker_for(field: FieldDescriptor) -> ValueChecker:
    """A shared :class:`ValueChecker` for this field (rebuilt if the field was changed)."""
    fingerprint = _fingerprint(field)
    entry = _CHECKERS.get(id(field))
    if entry is not None and entry[0] is field and entry[1] == fingerprint:
        return entry[2]
    checker = ValueChecker(field)
    if len(_CHECKERS) >= _MAX_CHECKERS:
        _CHECKERS.clear()
    _CHECKERS[id(field)] = (field, fingerprint, checker)
    return checker
