"""One logger for the whole plugin.

Everything goes to the QGIS message log (Vue > Panneaux > Journal des messages) under the tag
"Open Data Publisher"; ``push=True`` also shows it in the message bar of QGIS when there is one (not in
qgis_process, not from a background thread). Debug messages are written only when the "debug" setting
(or the ``QGIS_OPENDATA_PUBLISHER_DEBUG`` environment variable) is on.

Secrets never reach the log: API keys, tokens, passwords and ``Authorization`` headers found in a
message are masked by :func:`redact` before writing.
"""

from __future__ import annotations

import re
from typing import Optional

from qgis.core import Qgis, QgsMessageLog
from qgis.PyQt.QtCore import QCoreApplication, QThread

from . import settings as plugin_settings

LOG_TAG = "Open Data Publisher"

_DEFAULT_DURATIONS = {
    Qgis.MessageLevel.Info: 5,
    Qgis.MessageLevel.Success: 5,
    Qgis.MessageLevel.Warning: 10,
    Qgis.MessageLevel.Critical: 15,
}

# key=value pairs in URLs / text, JSON or Python members and HTTP headers that carry secrets, in every quoting
# style: ``api_key=K``, ``X-API-KEY: K``, ``Authorization: apikey K``, ``{'X-API-KEY': 'K'}``,
# ``{"authorization": "K"}``, ``"Authorization": "Bearer K"``
_SECRET_NAMES = (
    r"(?:x-api-key|api[_-]?key|apikey|authorization|access[_-]?token|token|password|passwd|pwd|secret|"
    r"authcfg_secret)"
)
_SECRET_PATTERNS = (
    re.compile(
        r"(?i)([\"']?\b" + _SECRET_NAMES + r"\b[\"']?\s*[:=]\s*[\"']?(?:(?:apikey|bearer|basic|token)\s+)?)"
        r"([^\s&\"',;}\]]+)"
    ),
    re.compile(r"(?i)(https?://[^/\s:@]+:)([^@\s/]+)(@)"),
)

_debug_enabled: Optional[bool] = None
_debug_revision = -1  # settings revision the cached switch was read at


def redact(text: str) -> str:
    """Mask secrets (API keys, tokens, passwords, Authorization headers, URL passwords) in ``text``."""
    text = _SECRET_PATTERNS[0].sub(lambda m: m.group(1) + "***", text)
    text = _SECRET_PATTERNS[1].sub(lambda m: m.group(1) + "***" + m.group(3), text)
    return text


def set_debug(enabled: Optional[bool]) -> None:
    """Turn debug messages on/off until the settings are saved again (``None``: read the setting on next use)."""
    global _debug_enabled, _debug_revision
    _debug_enabled = enabled
    _debug_revision = plugin_settings.revision()


def debug_enabled() -> bool:
    """Whether debug messages are written (the ``debug`` setting, read again after each save of the settings)."""
    global _debug_enabled, _debug_revision
    if _debug_enabled is None or _debug_revision != plugin_settings.revision():
        _debug_revision = plugin_settings.revision()
        try:
            _debug_enabled = plugin_settings.PluginSettings.load().debug
        except Exception:  # noqa: BLE001 - logging must never fail because settings cannot be read
            _debug_enabled = False
    return _debug_enabled


def _in_main_thread() -> bool:
    app = QCoreApplication.instance()
    return app is not None and QThread.currentThread() == app.thread()


def _message_bar():
    try:
        from qgis import utils as qgis_utils
    except ImportError:  # pragma: no cover - qgis.utils always ships with PyQGIS
        return None
    iface = getattr(qgis_utils, "iface", None)
    if iface is None:
        return None
    try:
        return iface.messageBar()
    except Exception:  # noqa: BLE001 - a half-initialised iface must not break logging
        return None


def log(
    message: str,
    level: Qgis.MessageLevel = Qgis.MessageLevel.Info,
    push: bool = False,
    duration: Optional[int] = None,
    debug: bool = False,
) -> None:
    """Write ``message`` to the QGIS message log, and to the message bar when ``push`` is True.

    :param message: the text (French when the user sees it); secrets are masked.
    :param level: a ``Qgis.MessageLevel`` (Info, Success, Warning, Critical).
    :param push: also show it in the QGIS message bar (ignored without a QGIS window or off the main thread).
    :param duration: seconds the message bar keeps it (default by level; 0 = until closed).
    :param debug: a developer message, written only when the debug setting is on (never pushed).
    """
    if debug and not debug_enabled():
        return
    text = redact(str(message))
    QgsMessageLog.logMessage(text, LOG_TAG, level, notifyUser=push and not debug)
    if not push or debug or not _in_main_thread():
        return
    bar = _message_bar()
    if bar is None:
        return
    if duration is None:
        duration = _DEFAULT_DURATIONS.get(level, 5)
    bar.pushMessage(LOG_TAG, text, level, duration)


def log_debug(message: str) -> None:
    """Shortcut for ``log(message, debug=True)``."""
    log(message, Qgis.MessageLevel.Info, debug=True)
