"""Every page of the dock fits a 1366×768 laptop screen (issue 11 item 1).

A main window of 1366×768 with QGIS-like chrome (menu bar, two rows of toolbars, status bar) holds the dock at
its default width, on the right like the plugin docks it. On each page, in a realistic state (a layer with a
check report, a description with gaps, a legal analysis), the window must not have grown past the screen and
every visible button must lie inside the screen and inside the visible part of its page (not scrolled away).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, QPoint, QRect, QSize, Qt
from qgis.PyQt.QtGui import QFont
from qgis.PyQt.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QLineEdit,
    QMainWindow,
    QScrollArea,
    QToolBar,
    QWidget,
)

from opendata_publisher.core.reader import LayerInput
from opendata_publisher.core.schema.catalogue import (
    DEFAULT_CATALOGUE_URL,
    CatalogueError,
    SchemaCatalogue,
    load_schema_file,
)
from opendata_publisher.core.validation import validate
from opendata_publisher.gui.dock import OpenDataDock
from tests.conftest import SCDL_DIR, require_shared

SCREEN = QRect(0, 0, 1366, 768)
DEFAULT_DOCK_WIDTH = 380  # what QGIS 3.22 gives the plugin's dock on a 1366 px wide screen


def qgis_like_window() -> QMainWindow:
    """A main window with the chrome of QGIS at 1366 px: menu bar, two toolbar rows of 24 px icons, status bar."""
    window = QMainWindow()
    window.setObjectName("FakeQgisMainWindow")
    for title in ("Projet", "Éditer", "Vue", "Couche", "Préférences", "Extensions", "Vecteur", "Raster", "Aide"):
        window.menuBar().addMenu(title)
    icon = QgsApplication.getThemeIcon("/mActionFileOpen.svg")
    for row in range(2):
        if row:
            window.addToolBarBreak()
        toolbar = QToolBar(f"toolbar {row}", window)
        toolbar.setIconSize(QSize(24, 24))
        for _ in range(20):
            toolbar.addAction(icon, "action")
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
    window.setCentralWidget(QLabel("carte", window))
    status = window.statusBar()
    status.addWidget(QLineEdit(status))
    status.addPermanentWidget(QLabel("EPSG:2154", status))
    return window


#: per page, the actions that must be entirely visible without scrolling (what the agent clicks to go on)
ACTIONS = {
    "OpenDataCheckPage": (
        "checkButton",
        "mappingButton",
        "selectErrorsButton",
        "fixButton",
        "fixAllButton",
        "exportButton",
    ),
    "OpenDataDescribePage": ("describePrefillButton", "describeSaveButton", "describeExportButton", "describeSaveFile"),
    "OpenDataLicencePage": ("licenceSaveButton",),
    "OpenDataLegalPage": ("legalAnalyseButton", "legalConfirmButton"),
    "OpenDataPublishPage": ("publishCheckButton", "publishButton"),
}


def window_rect(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def visible_rect(widget: QWidget, window: QWidget) -> QRect:
    """The part of ``widget`` that can be seen in ``window`` (clipped by every scroll area around it)."""
    rect = window_rect(widget, window)
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        holder = parent.parentWidget()
        if isinstance(holder, QAbstractScrollArea) and parent is holder.viewport():
            rect = rect.intersected(window_rect(parent, window))
        parent = parent.parentWidget()
    return rect


def layout_problems(page: QWidget, window: QWidget, scroll: QScrollArea):
    """What does not fit: the page scrolled inside the dock, a button outside the screen, an action not seen."""
    out = []
    dock_rect = window_rect(scroll, window)
    if page.minimumSizeHint().height() > scroll.viewport().height():
        out.append(f"the page needs {page.minimumSizeHint().height()} px, the dock has {scroll.viewport().height()}")
    for button in page.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or button.width() <= 0:
            continue
        if isinstance(button.parentWidget(), QAbstractScrollArea) or button.objectName().startswith("qt_"):
            continue  # scroll bar arrows, corner buttons
        full = window_rect(button, window)
        seen = visible_rect(button, window)
        across = QRect(full.x(), 0, full.width(), 1)
        if not SCREEN.contains(across) or not dock_rect.contains(QRect(full.x(), dock_rect.y(), full.width(), 1)):
            out.append(f"{button.objectName() or button.text()} cut on the side at {full.getRect()}")
        elif not seen.isEmpty() and not SCREEN.contains(seen):
            out.append(f"{button.objectName() or button.text()} outside the screen at {full.getRect()}")
    for name in ACTIONS[page.objectName()]:
        button = page.findChild(QAbstractButton, name)
        assert button is not None, name
        if button.isVisibleTo(window) and visible_rect(button, window) != window_rect(button, window):
            out.append(f"{name} not entirely visible: {window_rect(button, window).getRect()}")
    return out


def _no_network(url):
    raise CatalogueError(f"Pas de réseau pendant les tests ({url})")


@pytest.fixture
def laptop(qgis_iface, qgis_new_project, tmp_path):
    # the offscreen platform's default font is DejaVu 12 pt; QGIS on a laptop uses the desktop's (Segoe UI 9 pt on
    # Windows, 10-11 pt on Linux desktops): 10 pt, as under Xvfb where this test passes with the default 9 pt too
    font = QApplication.font()
    saved = QFont(font)
    font.setPointSizeF(10)
    QApplication.setFont(font)
    window = qgis_like_window()
    dock = OpenDataDock(qgis_iface, window)
    # no network in tests: the catalogue shipped with the plugin is listed (the page says so)
    dock.check_page.schema_picker._catalogue = SchemaCatalogue(DEFAULT_CATALOGUE_URL, tmp_path / "cache", _no_network)
    dock.check_page.run_inline = True
    dock.publish_page.run_inline = True
    dock.legal_page.run_inline = True
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.resize(SCREEN.size())
    window.show()
    window.resizeDocks([dock], [DEFAULT_DOCK_WIDTH], Qt.Orientation.Horizontal)
    QCoreApplication.processEvents()
    yield window, dock
    dock.cleanup()
    window.close()
    window.deleteLater()
    QCoreApplication.processEvents()
    QApplication.setFont(saved)


def checked_layer(dock) -> QgsVectorLayer:
    """The invalid example of the parking schema, checked: a long list of findings on the « Vérifier » page."""
    require_shared()
    folder = SCDL_DIR / "stationnement" / "0.1.5"
    csv = Path(folder / "exemple-invalide.csv")
    layer = QgsVectorLayer(f"file://{csv}?type=csv&detectTypes=no&geomType=none", "parkings", "delimitedtext")
    assert layer.isValid()
    QgsProject.instance().addMapLayer(layer)
    schema = load_schema_file(str(folder / "schema.json"))
    report = validate(LayerInput.from_layer(layer), schema)
    assert report.error_count
    dock.check_page.set_layer(layer)
    dock.check_page.show_report(report, layer.id(), schema)
    dock.check_page.validationFinished.emit(report)
    return layer


def test_every_page_fits_1366x768(laptop):
    window, dock = laptop
    layer = checked_layer(dock)
    dock.flow.set_layer(layer)
    problems = {}
    for index in range(dock.tabs.count()):
        page = dock.tabs.widget(index)
        dock.tabs.setCurrentWidget(page)
        if page is dock.legal_page:
            page.run_analysis()
        for _ in range(3):
            QCoreApplication.processEvents()
        assert window.size() == SCREEN.size(), f"the window grew past the screen on {page.objectName()}"
        assert dock.width() <= DEFAULT_DOCK_WIDTH + 40, "the dock is wider than its default width"
        out = layout_problems(page, window, dock.tabs.scroll_area(page))
        header = dock.flow.header
        if visible_rect(header.next_button, window) != window_rect(header.next_button, window):
            out.append("« Next step » is not visible")
        if out:
            problems[page.objectName()] = out
    assert not problems, "\n".join(f"{page}: {out}" for page, out in problems.items())


def test_pages_scroll_inside_the_dock_when_the_window_is_lower(laptop):
    """On an even smaller window the pages scroll inside the dock rather than growing the window."""
    window, dock = laptop
    checked_layer(dock)
    window.resize(QSize(1366, 600))
    QCoreApplication.processEvents()
    assert window.height() == 600
    page = dock.tabs.currentWidget()
    scroll = page.parentWidget().parentWidget()
    assert isinstance(scroll, QScrollArea)


def test_before_a_check_the_schema_choice_gets_the_room(laptop):
    """Nothing checked yet: the schema list and the catalogue status are seen without scrolling."""
    window, dock = laptop
    require_shared()
    csv = SCDL_DIR / "stationnement" / "0.1.5" / "exemple-valide.csv"
    layer = QgsVectorLayer(f"file://{csv}?type=csv&detectTypes=no&geomType=none", "propre", "delimitedtext")
    QgsProject.instance().addMapLayer(layer)
    page = dock.check_page
    page.set_layer(layer)
    dock.tabs.setCurrentWidget(page)
    QCoreApplication.processEvents()
    assert "shipped with the plugin" in page.schema_picker.catalogue_status.text()
    for widget in (
        page.schema_picker.schema_list,
        page.schema_picker.catalogue_status,
        page.schema_picker.other_button,
    ):
        assert visible_rect(widget, window) == window_rect(widget, window), widget.objectName()
