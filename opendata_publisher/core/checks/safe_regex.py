"""Schema patterns matched within a bounded cost: no schema can hang a check.

A ``pattern`` comes from a schema, and schemas come from URLs. Python's ``re`` backtracks without limit
and a running match cannot be interrupted (``"^(a+)+$"`` on 40 characters takes hours). So:

- an ordinary pattern (no nested or alternated repetition, few unbounded repetitions, no backreference)
  on a value of ordinary length is matched by ``re``, with frictionless's semantics
  (``re.match("^" + pattern + "$", text)``);
- a pattern whose shape can backtrack exponentially (found by parsing it), or a very long value, is
  matched by PCRE2 through ``QRegularExpression``, whose match limit stops a runaway match: the
  match is then *undecided* and :class:`PatternBudgetExceeded` is raised, for the caller to skip the rule
  and say so (a warning naming the field);
- a risky pattern PCRE2 cannot compile (Python-only syntax) is matched by ``re`` on short values only
  (:data:`SHORT_TEXT`), undecided otherwise.
"""

from __future__ import annotations

import re
import time

try:  # Python 3.11+
    import re._constants as _sre_constants
    import re._parser as _sre_parse
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _sre_constants
    import sre_parse as _sre_parse

#: values longer than this always go through the bounded engine
LONG_TEXT = 5000
#: a risky pattern only PCRE2 would bound, but PCRE2 cannot read: ``re`` is trusted up to this length
SHORT_TEXT = 12
#: a single match slower than this (seconds) also marks the pattern as too costly
TIME_BUDGET = 0.5

_REPEATS = {_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT}
_POSSESSIVE = getattr(_sre_constants, "POSSESSIVE_REPEAT", None)
if _POSSESSIVE is not None:
    _REPEATS.add(_POSSESSIVE)
_UNBOUNDED = _sre_constants.MAXREPEAT


class PatternBudgetExceeded(Exception):
    """The pattern could not decide on a value within its budget (the rule cannot be applied)."""


def _walk(items, inside_repeat: bool, stats: dict) -> None:
    for op, argument in items:
        if op in _REPEATS:
            low, high, sub = argument
            unbounded = high == _UNBOUNDED or high > 100
            if unbounded:
                stats["unbounded"] += 1
            if inside_repeat and (unbounded or high > 1):
                stats["nested"] = True
            _walk(sub, inside_repeat or high > 1, stats)
        elif op == _sre_constants.BRANCH:
            if inside_repeat:
                stats["nested"] = True
            for branch in argument[1]:
                _walk(branch, inside_repeat, stats)
        elif op == _sre_constants.SUBPATTERN:
            _walk(argument[-1], inside_repeat, stats)
        elif op in (_sre_constants.ASSERT, _sre_constants.ASSERT_NOT):
            _walk(argument[1], inside_repeat, stats)
        elif op == _sre_constants.GROUPREF or op == getattr(_sre_constants, "GROUPREF_EXISTS", None):
            stats["nested"] = True  # backreferences: no linear bound


def is_risky(pattern: str) -> bool:
    """Whether ``pattern`` can backtrack badly: a repetition inside a repetition, an alternation inside a
    repetition, a backreference, or more than two unbounded repetitions."""
    try:
        parsed = _sre_parse.parse(pattern)
    except Exception:  # noqa: BLE001 - re.compile reports it
        return True
    stats = {"unbounded": 0, "nested": False}
    try:
        _walk(list(parsed), False, stats)
    except Exception:  # noqa: BLE001 - an unknown node: be careful
        return True
    return stats["nested"] or stats["unbounded"] > 2


def _qt_expression(pattern: str):
    try:
        from qgis.PyQt.QtCore import QRegularExpression
    except ImportError:  # pragma: no cover - always there inside QGIS
        return None
    options = QRegularExpression.PatternOption.UseUnicodePropertiesOption
    expression = QRegularExpression("^" + pattern + "$", options)
    if not expression.isValid():
        return None
    expression.optimize()
    return expression


def _match_flags():
    try:
        from qgis.PyQt.QtCore import QRegularExpression
    except ImportError:  # pragma: no cover
        return None, None
    options = QRegularExpression.MatchOption
    anchored = getattr(options, "AnchorAtOffsetMatchOption", None) or options.AnchoredMatchOption
    return QRegularExpression.MatchType.NormalMatch, anchored


_NORMAL_MATCH, _ANCHORED = _match_flags()


class SafePattern:
    """``re.match("^" + pattern + "$", text)`` within a bounded cost (see the module docstring).
    Raises ``re.error`` like ``re.compile`` for an invalid pattern."""

    def __init__(self, pattern: str):
        self.pattern = pattern
        self.compiled = re.compile("^" + pattern + "$")
        self.risky = is_risky(pattern)
        self._qt = None
        self._qt_ready = False

    def _bounded(self):
        if not self._qt_ready:
            self._qt = _qt_expression(self.pattern)
            self._qt_ready = True
        return self._qt

    def match(self, text: str) -> bool:
        if not self.risky and len(text) <= LONG_TEXT:
            return self.compiled.match(text) is not None
        expression = self._bounded()
        if expression is None:
            if len(text) <= SHORT_TEXT:
                return self.compiled.match(text) is not None
            raise PatternBudgetExceeded(self.pattern)
        started = time.monotonic()
        result = expression.match(text, 0, _NORMAL_MATCH, _ANCHORED)
        if not result.isValid() or time.monotonic() - started > TIME_BUDGET:
            raise PatternBudgetExceeded(self.pattern)
        return result.hasMatch()
