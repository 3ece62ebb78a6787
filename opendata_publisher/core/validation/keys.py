"""What uniqueness and primary keys compare, and their 64-bit keys for the sets of values already met.

Typed values are compared as Python compares them (7 == 7.0 == Decimal("7.00"); "7" is not 7), except NaN,
which is equal to nothing, as in frictionless: a NaN is never a duplicate (:func:`comparable`).

:func:`value_key` gives each value a 64-bit key for :class:`~.columnar_pass._SeenHashes`. It cannot be
Python's ``hash()``: that one is not a random 64-bit value for numbers (``hash(-1) == hash(-2)``; ``n`` and
``n + 2**61 - 1`` share one), so two different numbers of a real column (-1 and -2) would be reported as
duplicates. Whole numbers (int, and floats or decimals with no fractional part) get a bijection of their
value (splitmix64's finaliser): two different ones never share a key; other values keep ``hash()``, which is
SipHash for texts and equal for equal values; tuples (keys of several fields) mix their parts' keys."""

from __future__ import annotations

import json
import math
import random
from decimal import Decimal
from typing import Any

_MASK = (1 << 64) - 1
#: splitmix64's finaliser: the increment, the two multipliers and the three shifts
_GAMMA, _M1, _M2 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
_S1, _S2, _S3 = 30, 27, 31
_LOW, _HIGH = -(1 << 63), 1 << 63


class NeverEqual:
    """Where a NaN stands in uniqueness and keys: equal to nothing but itself (identity), never a duplicate."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NaN"


def is_nan(value: Any) -> bool:
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, Decimal):
        return value.is_nan()
    return False


def comparable(typed: Any) -> Any:
    """The typed value as uniqueness and keys compare it: a NaN becomes a :class:`NeverEqual`; an object or an
    array (not hashable) its canonical JSON text."""
    try:
        hash(typed)
    except TypeError:
        return ("json", json.dumps(typed, sort_keys=True, default=str))
    return NeverEqual() if is_nan(typed) else typed


def never_equal(key: Any) -> bool:
    """True for a key holding a NaN (alone or in a tuple): it can repeat nothing, whatever a server's count says."""
    return isinstance(key, NeverEqual) or (isinstance(key, tuple) and any(isinstance(p, NeverEqual) for p in key))


def _mix(x: int) -> int:
    """splitmix64's finaliser: a bijection of the 64-bit integers that spreads their bits."""
    x = (x + _GAMMA) & _MASK
    x = ((x ^ (x >> _S1)) * _M1) & _MASK
    x = ((x ^ (x >> _S2)) * _M2) & _MASK
    return x ^ (x >> _S3)


def whole_number_keys(np, values) -> Any:
    """:func:`value_key` of a list of Python ints, at once (NumPy's uint64 arithmetic wraps like the mask);
    None when one does not fit in 64 bits or is not an int."""
    if not all(type(v) is int for v in values):
        return None
    try:
        x = np.array(values, dtype=np.int64).view(np.uint64)
    except OverflowError:
        return None
    with np.errstate(over="ignore"):
        x = x + np.uint64(_GAMMA)
        x = (x ^ (x >> np.uint64(_S1))) * np.uint64(_M1)
        x = (x ^ (x >> np.uint64(_S2))) * np.uint64(_M2)
        x = x ^ (x >> np.uint64(_S3))
    return x.view(np.int64)


def _signed(x: int) -> int:
    return x - (1 << 64) if x >= _HIGH else x


def value_key(value: Any) -> int:
    """A signed 64-bit key: equal values (as Python compares them) share it; different whole numbers never do."""
    kind = type(value)
    if kind is str:
        return hash(value)
    if kind is int or kind is bool:
        return _signed(_mix(value & _MASK)) if _LOW <= value < _HIGH else hash(value)
    if kind is float or kind is Decimal:
        if value != value:  # NaN (normally a NeverEqual by now): never met before
            return _signed(random.getrandbits(64))
        if not math.isinf(value) and value == int(value) and _LOW <= int(value) < _HIGH:
            return _signed(_mix(int(value) & _MASK))
        return hash(value)
    if kind is tuple:
        acc = len(value)
        for part in value:
            acc = _mix((acc * 0x100000001B3) ^ (value_key(part) & _MASK))
        return _signed(acc)
    if kind is NeverEqual:
        return _signed(random.getrandbits(64))
    return hash(value)
