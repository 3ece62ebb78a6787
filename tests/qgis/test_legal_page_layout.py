"""The « Contrôle juridique » page fits a narrow dock: the points to confirm wrap, the checklist never scrolls
sideways (its long exemption labels do not widen the form)."""

from __future__ import annotations

from qgis.core import QgsProject
from qgis.PyQt.QtCore import QCoreApplication

from opendata_publisher.gui.legal_page import LegalPage
from tests.qgis.test_legal_check import persons_layer  # noqa: F401 - pytest fixture


def test_points_and_checklist_fit_a_narrow_dock(qgis_iface, persons_layer):  # noqa: F811 - fixture
    project = QgsProject.instance()
    project.addMapLayer(persons_layer)
    page = LegalPage(qgis_iface, run_inline=True)
    try:
        page.resize(380, 900)
        page.show()
        page.set_layer(persons_layer)
        page.run_analysis()
        assert page.ack_list.count() > 0
        for _ in range(3):
            QCoreApplication.processEvents()
        ack = page.ack_list
        assert ack.horizontalScrollBar().maximum() == 0  # nothing cut on the right
        item = ack.item(0)
        one_line = ack.fontMetrics().height()
        assert ack.visualItemRect(item).height() > 1.5 * one_line  # the long sentence wraps
        assert ack.visualItemRect(item).right() <= ack.viewport().width()

        page.bottom_tabs.setCurrentIndex(1)
        for _ in range(3):
            QCoreApplication.processEvents()
        scroll = page.bottom_tabs.currentWidget()
        form = scroll.widget()
        assert form.width() <= scroll.viewport().width()
        for combo in page.answer_combos.values():
            assert combo.geometry().right() <= scroll.viewport().width()
    finally:
        page.hide()
        page.cleanup()
        project.removeMapLayer(persons_layer.id())
