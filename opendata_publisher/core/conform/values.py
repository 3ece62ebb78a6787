"""Mechanical value repairs: the same value, written the way the schema wants.

Pure Python (stdlib only). Each function takes one value as read from a layer
(``str``, ``int``, ``float``, ``datetime.date``…) and returns the repaired
value, or ``None`` when it cannot repair it *without guessing*. The pipeline
(:mod:`.pipeline`) only keeps a repair when the repaired value passes every
check of its schema field, so a function may propose a candidate freely.

* :func:`parse_french_date` / :func:`parse_french_datetime`: 24/06/2019,
  24-06-2019, 24.06.2019, 24 juin 2019, 1er janvier 2020, 2019/06/24,
  20190624, 24/06/2019 14h30, 2019-06-24 14:30:00… → ``date`` / ``datetime``;
* :func:`parse_french_number`: decimal comma, thousands separators (spaces,
  non-breaking spaces, points or commas), a trailing € → ``Decimal`` / ``int``;
* :func:`parse_boolean`: oui/non, vrai/faux, O/N, yes/no, true/false, 1/0 → ``bool``;
* :func:`match_enum`: the allowed value that differs only by case, accents,
  spaces or list separators;
* :func:`format_candidates`: rewrites tried against a ``pattern`` or a custom
  check (spaces removed, lost leading zeros, missing https://, list
  separators, capitals).
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Iterator, Optional, Sequence

from ..checks.parsing import canonical_text
from ..text import fold

TRUE_WORDS = frozenset({"oui", "o", "vrai", "v", "true", "t", "yes", "y", "1", "on"})
FALSE_WORDS = frozenset({"non", "n", "faux", "f", "false", "no", "0", "off"})

_MONTHS = {
    "janvier": 1,
    "janv": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "sep": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "dec": 12,
}

_SPACES = "\u00a0\u202f\u2007\u2009 \t"
_DMY_RE = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})$")
_YMD_RE = re.compile(r"^(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})$")
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_WORDS_RE = re.compile(r"^(\d{1,2})(?:er)?\s+([a-zéèûô.]+)\s+(\d{4})$")
_TIME_RE = re.compile(r"^(\d{1,2})\s*[:hH]\s*(\d{2})(?:\s*[:mM]\s*(\d{2})(?:[.,](\d{1,6}))?)?\s*[sS]?$")


def _text(value: Any) -> Optional[str]:
    if isinstance(value, str):
        text = value
    elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        text = canonical_text(value)
    else:
        return None
    for space in _SPACES:
        text = text.replace(space, " ")
    return text.strip()


def _valid_date(year: int, month: int, day: int) -> Optional[_dt.date]:
    if not 1000 <= year <= 2999:
        return None
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def parse_french_date(value: Any) -> Optional[_dt.date]:
    """A date written the French way (or ISO with a zero time), else None.

    Day first for 24/06/2019: 03/04/2020 is the 3rd of April, as everywhere in France.
    """
    if isinstance(value, _dt.datetime):
        return value.date() if value.time() == _dt.time(0, 0) else None
    if isinstance(value, _dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    head, _, tail = text.replace("T", " ").partition(" ")
    if tail and re.fullmatch(r"0{1,2}[:hH]0{2}(?::0{2}(?:\.0+)?)?", tail.strip()):
        text = head
    match = _DMY_RE.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return _valid_date(year, month, day)
    match = _YMD_RE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _valid_date(year, month, day)
    match = _COMPACT_RE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _valid_date(year, month, day) if 1900 <= year <= 2100 else None
    match = _WORDS_RE.match(fold(text))
    if match:
        month = _MONTHS.get(match.group(2).rstrip("."))
        if month:
            return _valid_date(int(match.group(3)), month, int(match.group(1)))
    return None


def _parse_time(text: str) -> Optional[_dt.time]:
    match = _TIME_RE.match(text.strip())
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    second = int(match.group(3) or 0)
    micro = int((match.group(4) or "0").ljust(6, "0")[:6])
    try:
        return _dt.time(hour, minute, second, micro)
    except ValueError:
        return None


def parse_french_datetime(value: Any) -> Optional[_dt.datetime]:
    """24/06/2019 14:30, 24/06/2019 14h30, 2019-06-24 14:30:00, a date alone (midnight)… else None."""
    if isinstance(value, _dt.datetime):
        return value
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day)
    text = _text(value)
    if not text:
        return None
    text = text.replace("T", " ")
    for separator in (" à ", " a ", " "):
        if separator in text:
            date_part, _, time_part = text.partition(separator)
            day = parse_french_date(date_part)
            moment = _parse_time(time_part)
            if day is not None and moment is not None:
                return _dt.datetime.combine(day, moment)
    day = parse_french_date(text)
    return _dt.datetime(day.year, day.month, day.day) if day is not None else None


def parse_french_number(value: Any, integer: bool = False) -> Any:
    """1 234,56 → Decimal('1234.56'); 1.234.567 → 1234567; « 12 € » → 12. None when not a number.

    A single comma is a decimal comma (French usage). With ``integer``, the
    result is an ``int`` and a value with decimals gives None.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, (float, Decimal)):
        number = Decimal(repr(value)) if isinstance(value, float) else value
    else:
        text = _text(value)
        if not text:
            return None
        text = re.sub(r"\s*(€|eur|euros?)$", "", text, flags=re.IGNORECASE)
        text = text.replace(" ", "").replace("'", "").replace("’", "")
        if not re.fullmatch(r"[-+]?[\d.,]*\d[\d.,]*", text):
            return None
        commas, points = text.count(","), text.count(".")
        if commas and points:
            decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
            group = "." if decimal_mark == "," else ","
            if text.count(decimal_mark) > 1:
                return None
            text = text.replace(group, "").replace(decimal_mark, ".")
        elif commas == 1:
            text = text.replace(",", ".")
        elif commas > 1:
            if not re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+", text):
                return None
            text = text.replace(",", "")
        elif points > 1:
            if not re.fullmatch(r"[-+]?\d{1,3}(\.\d{3})+", text):
                return None
            text = text.replace(".", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
    if not number.is_finite():
        return None
    if integer:
        if number != number.to_integral_value():
            return None
        return int(number)
    return number


def parse_boolean(value: Any, true_values: Sequence[str] = (), false_values: Sequence[str] = ()) -> Optional[bool]:
    """oui/non, vrai/faux, O/N, yes/no, true/false, 1/0 (and the schema's own words, any case) → bool."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = _text(value)
    if text is None:
        return None
    key = fold(text)
    trues = TRUE_WORDS | {fold(v) for v in true_values}
    falses = FALSE_WORDS | {fold(v) for v in false_values}
    if key in trues and key not in falses:
        return True
    if key in falses and key not in trues:
        return False
    return None


_LIST_SEPARATORS = re.compile(r"\s*[,;|/]\s*")


def match_enum(value: Any, allowed: Sequence[Any]) -> Optional[str]:
    """The one allowed value equal to ``value`` but for case, accents, spaces or list separators."""
    text = _text(value)
    if not text:
        return None
    texts = [a if isinstance(a, str) else str(a) for a in allowed]
    by_fold = {}
    for item in texts:
        by_fold.setdefault(fold(item), []).append(item)
    found = by_fold.get(fold(text))
    if found and len(found) == 1:
        return found[0]
    separators = {ch for item in texts for ch in ",;|" if ch in item}
    if separators and _LIST_SEPARATORS.search(text):
        parts = [p for p in _LIST_SEPARATORS.split(text) if p]
        for separator in sorted(separators):
            found = by_fold.get(fold(separator.join(parts)))
            if found and len(found) == 1:
                return found[0]
    return None


def format_candidates(value: Any) -> Iterator[str]:
    """Rewrites of a text value to try against the field's pattern or custom check, most cautious first.

    Spaces, dots and dashes removed (phone, SIRET: « 02 38 79 22 22 »); lost leading zeros
    (« 1053 » → « 01053 », a nine-digit phone number → 0 + number); « www. » without its
    protocol; list items joined with « | », « ; » or « , »; capitals (« 2a004 » → « 2A004 »).
    """
    text = _text(value)
    if not text:
        return
    seen = {text}

    def fresh(candidate: str) -> bool:
        if candidate and candidate not in seen:
            seen.add(candidate)
            return True
        return False

    compact = text
    if re.fullmatch(r"\+?\d{1,4}(?:[\s.\-]\d{1,4})+", text) and sum(ch.isdigit() for ch in text) >= 8:
        compact = re.sub(r"[\s.\-]", "", text)  # 02 38 79 22 22, 802 954 785 00028
        if fresh(compact):
            yield compact
    if re.fullmatch(r"\d+", compact):
        width = len(compact)
        widths = (2,) if width == 1 else (width + 1, width + 2) if width >= 4 else ()
        for target in widths:
            padded = compact.zfill(target)  # a leading zero lost in a spreadsheet
            if fresh(padded):
                yield padded
    if text.lower().startswith("www."):
        for scheme in ("https://", "http://"):
            if fresh(scheme + text):
                yield scheme + text
    if _LIST_SEPARATORS.search(text):
        parts = [p for p in _LIST_SEPARATORS.split(text) if p]
        for separator in ("|", ";", ","):
            joined = separator.join(parts)
            if fresh(joined):
                yield joined
    upper = text.upper()
    if fresh(upper):
        yield upper


def iso_text(value: Any) -> str:
    """How a repaired value is shown in the preview (ISO 8601 for dates, point for decimals)."""
    if value is None:
        return ""
    if isinstance(value, _dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, float):
        # 15 significant digits: what the number holds, without the binary noise (47.907500000000006)
        text = f"{value:.15g}"
        return text if ("e" in text or "." in text or "inf" in text or "nan" in text) else text + ".0"
    return str(value)


# -- formula-like values (CSV injection) --------------------------------------------------------------------

_NUMBER_OR_PHONE = re.compile(r"[+\-]?[\d\s.,()/]*\d[\d\s.,()/]*(?:[eE][+\-]?\d+)?")


def formula_like(value: Any) -> bool:
    """A text a spreadsheet would run as a formula when it opens the CSV: it starts with ``=``, ``@``, a
    tab or a carriage return, or with ``+``/``-`` without being a number or a phone number
    (``=HYPERLINK(…)``, ``+cmd|…``, ``@SUM(…)``, ``-2+3+cmd``)."""
    if not isinstance(value, str) or not value:
        return False
    text = value.lstrip(" ")
    if not text:
        return False
    first = text[0]
    if first in "=@\t\r":
        return True
    if first in "+-":
        return len(text) > 1 and not _NUMBER_OR_PHONE.fullmatch(text)
    return False


def neutralise_formula(value: str) -> str:
    """The usual neutralisation: an apostrophe in front, so that a spreadsheet shows the text as text."""
    return "'" + value
