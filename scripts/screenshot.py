"""Run inside QGIS (``qgis --code scripts/screenshot.py``) to take a picture of the plugin at work.

Opens the dock on the demo project, checks the parkings layer against its schema like an agent would
(layer, schema, « Vérifier »), waits for the background task and saves a screenshot of the main window
to the path in the environment variable ODP_SCREENSHOT (default: /tmp/opendata_publisher.png), then
quits QGIS. Used by ``make screenshot`` to look at the real window under Xvfb.
"""

import os

from qgis.core import QgsProject
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication
from qgis.utils import iface, plugins

OUT = os.environ.get("ODP_SCREENSHOT", "/tmp/opendata_publisher.png")
state = {"ticks": 0}


def _plugin():
    return plugins.get("opendata_publisher")


def start():
    # the whole screen, as on a laptop (xvfb-run -s "-screen 0 1366x768x24"; Xvfb has no window manager to maximise)
    iface.mainWindow().setGeometry(QApplication.primaryScreen().availableGeometry())
    plugin = _plugin()
    plugin.toggle_dock(True) if hasattr(plugin, "toggle_dock") else plugin.dock.show()
    dock = plugin.dock
    dock.show()
    dock.raise_()
    layers = [layer for layer in QgsProject.instance().mapLayers().values() if "stationnement" in layer.name().lower()]
    page = dock.check_page
    if layers:
        page.set_layer(layers[0])
        iface.setActiveLayer(layers[0])
    QTimer.singleShot(3000, lambda: choose_schema(page))


def choose_schema(page):
    page.select_reference(os.environ.get("ODP_SCHEMA", "etalab/schema-stationnement@0.1.5"))
    QTimer.singleShot(2000, lambda: before_check(page))


def before_check(page):
    """The page as the agent first sees it: layer and schema chosen, nothing checked yet (…-before.png)."""
    QApplication.processEvents()
    path = OUT.replace(".png", "-before.png")
    iface.mainWindow().grab().save(path)
    print(f"screenshot: {path}")
    check(page)


def check(page):
    page.run_check()
    QTimer.singleShot(1000, lambda: wait(page))


def wait(page):
    state["ticks"] += 1
    if page.running_tasks() and state["ticks"] < 60:
        QTimer.singleShot(500, lambda: wait(page))
        return
    QTimer.singleShot(1000, shoot)


def shoot():
    QApplication.processEvents()
    iface.mainWindow().grab().save(OUT)
    print(f"screenshot: {OUT}")
    if os.environ.get("ODP_ALL_PAGES"):
        QTimer.singleShot(500, lambda: shoot_page(1))
    else:
        QTimer.singleShot(500, iface.actionExit().trigger)


def shoot_page(index):
    """With ODP_ALL_PAGES set, also picture every other page of the guided flow (…-page2.png, …)."""
    dock = _plugin().dock
    if index >= dock.tabs.count():
        QTimer.singleShot(500, iface.actionExit().trigger)
        return
    dock.tabs.setCurrentIndex(index)
    QApplication.processEvents()

    def grab():
        QApplication.processEvents()
        path = OUT.replace(".png", f"-page{index + 1}.png")
        iface.mainWindow().grab().save(path)
        print(f"screenshot: {path}")
        shoot_page(index + 1)

    QTimer.singleShot(1500, grab)


QTimer.singleShot(4000, start)
