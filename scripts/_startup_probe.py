"""Start-up probe, run inside QGIS by ``scripts/bench_startup.py`` (``PYQGIS_STARTUP``): not a plugin module.

Once the main window is shown, it reads QGIS's own start-up profiler (``QgsApplication.profiler()``, group
« Load plugins », the figures of Paramètres › Options › Système), then opens the Open data dock the way the
agent does (its toolbar button) and times that first opening, writes everything as JSON to the path in
``ODP_STARTUP_PROBE_OUT`` and ends QGIS. Errors are written to the same file, so the bench can say why.
"""

import builtins
import json
import os
import time
import traceback

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QModelIndex, Qt, QTimer

OUT = os.environ.get("ODP_STARTUP_PROBE_OUT", "")
PLUGIN = "opendata_publisher"
GROUP = "Load plugins"
POLL_MS = 100
GIVE_UP_S = 120.0
DIALOG_WAIT_S = 20.0


def _profiler_tree(profiler, parent=None, depth=0):
    """[{name, seconds, children}] of QGIS's start-up profiler (its item model, the one the Options page shows)."""
    parent = parent if parent is not None else QModelIndex()
    rows = []
    for row in range(profiler.rowCount(parent)):
        index = profiler.index(row, 0, parent)
        name = profiler.data(index, Qt.ItemDataRole.DisplayRole)
        seconds = profiler.data(profiler.index(row, 1, parent), Qt.ItemDataRole.DisplayRole)
        children = _profiler_tree(profiler, index, depth + 1) if depth < 2 else []
        rows.append({"name": str(name), "seconds": float(seconds or 0.0), "children": children})
    return rows


def _write(data) -> None:
    with open(OUT, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1)


def _finish(data) -> None:
    _write(data)
    # QgsApplication.exit() is ignored while QGIS finishes starting (its main loop is not running yet), and a
    # clean exit would save the window state: the profile is thrown away, so leave at once.
    os._exit(0)


def _time_first_dock_opening(result) -> None:
    from qgis.PyQt.QtWidgets import QApplication
    from qgis.utils import plugins

    plugin = plugins.get(PLUGIN)
    if plugin is None:
        result["error"] = f"plugin {PLUGIN} not loaded"
        return

    def close_dialog() -> None:  # a modal message would block the bench: report it instead
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            result["error"] = f"a dialog opened with the dock: « {dialog.windowTitle()} »"
            dialog.close()

    STATE["watchdog"] = QTimer()
    STATE["watchdog"].setSingleShot(True)
    STATE["watchdog"].timeout.connect(close_dialog)
    STATE["watchdog"].start(int(DIALOG_WAIT_S * 1000))
    start = time.perf_counter()
    plugin.action_dock.trigger()  # the toolbar button
    QApplication.processEvents()  # layout and paint of the dock
    result["dock_first_open_s"] = time.perf_counter() - start
    result["dock_visible"] = bool(plugin.dock is not None and plugin.dock.isVisible())
    start = time.perf_counter()
    plugin.action_dock.trigger()
    plugin.action_dock.trigger()
    QApplication.processEvents()
    result["dock_second_open_s"] = time.perf_counter() - start
    STATE["watchdog"].stop()


def _poll() -> None:
    try:
        import qgis.utils

        iface = qgis.utils.iface
        if time.perf_counter() - STATE["start"] > GIVE_UP_S:
            _finish({"error": "QGIS did not finish starting in time"})
            return
        if iface is None or iface.mainWindow() is None or not iface.mainWindow().isVisible():
            return
        profiler = QgsApplication.profiler()
        tree = _profiler_tree(profiler)
        group = next((row for row in tree if row["name"] == GROUP), None)
        if group is None:
            return
        STATE["timer"].stop()
        result = {
            "load_plugins_s": group["seconds"],
            "plugins": {child["name"]: child["seconds"] for child in group["children"]},
        }
        _time_first_dock_opening(result)
        _finish(result)
    except Exception:  # noqa: BLE001 - the bench reports it
        STATE["timer"].stop()
        _finish({"error": traceback.format_exc()})


# QGIS 3.22 runs the PYQGIS_STARTUP file twice in the same namespace: one probe, one shared state.
STATE = builtins.__dict__.setdefault("_odp_startup_probe", {"start": time.perf_counter(), "timer": None})
if OUT and STATE["timer"] is None:
    STATE["timer"] = QTimer()
    STATE["timer"].timeout.connect(_poll)
    STATE["timer"].start(POLL_MS)
