"""« Décrire pour l'open data… » in the layer tree context menu of vector layers (issue 3).

Kept apart from :mod:`opendata_publisher.gui.describe_page` so that adding the entry at QGIS start-up
imports nothing heavy (issue 18): the page, and the dock holding it, are built when the entry is first used.
"""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Optional

from qgis.core import Qgis, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication

from opendata_publisher.compat import QAction


def _vector_layer_type():
    layer_type = getattr(getattr(Qgis, "LayerType", None), "Vector", None)  # QGIS >= 3.30
    if layer_type is None:
        from qgis.core import QgsMapLayerType

        layer_type = QgsMapLayerType.VectorLayer
    return layer_type


def add_layer_menu_action(iface, get_dock: Callable[[], Any], parent=None) -> QAction:  # noqa: QGS105
    """Add « Décrire pour l'open data… » to the layer tree context menu of vector layers.

    ``get_dock()`` returns the plugin's dock (or None), building it on first use. Remove it with
    :func:`remove_layer_menu_action`.
    """
    action = QAction(QCoreApplication.translate("DescribePage", "Describe for open data…"), parent)
    action.setObjectName("OpenDataPublisherDescribeAction")
    action.setToolTip(
        QCoreApplication.translate("DescribePage", "Open the « Describe » page of the Open data panel for this layer")
    )

    def triggered() -> None:
        dock = get_dock()
        if dock is None:
            return
        from .describe_page import open_in_dock

        layer = iface.activeLayer()
        open_in_dock(dock, layer if isinstance(layer, QgsVectorLayer) else None)

    action.triggered.connect(triggered)
    iface.addCustomActionForLayerType(action, "", _vector_layer_type(), True)
    return action


def remove_layer_menu_action(iface, action: Optional[QAction]) -> None:  # noqa: QGS105
    if action is None:
        return
    with contextlib.suppress(RuntimeError, TypeError):
        iface.removeCustomActionForLayerType(action)
    action.deleteLater()
