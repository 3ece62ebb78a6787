"""The layer choice of a dock page: a combo of the project's vector layers (and tables), the page told when
the agent picks another layer and when layers are about to leave the project, and one call to let go."""

from __future__ import annotations

import contextlib
from typing import Callable, Optional

from qgis.core import QgsProject, QgsVectorLayer
from qgis.gui import QgsMapLayerComboBox
from qgis.PyQt.QtWidgets import QWidget

from opendata_publisher.compat import LAYER_FILTER_VECTOR


def vector_layer_combo(parent: QWidget, object_name: str = "", tooltip: str = "") -> QgsMapLayerComboBox:
    combo = QgsMapLayerComboBox(parent)
    if object_name:
        combo.setObjectName(object_name)
    combo.setFilters(LAYER_FILTER_VECTOR)
    if tooltip:
        combo.setToolTip(tooltip)
    return combo


def chosen_layer(combo: QgsMapLayerComboBox) -> Optional[QgsVectorLayer]:
    """The vector layer shown in ``combo``, or None."""
    layer = combo.currentLayer()
    return layer if isinstance(layer, QgsVectorLayer) else None


class LayerPicker:
    """Connects a page to the project's ``layersWillBeRemoved`` (at once: a page built before its combo hears of
    a removal before the combo moves on) and, with :meth:`attach`, to its combo's ``layerChanged``;
    :meth:`disconnect` undoes both (safe to call twice)."""

    def __init__(self, on_removed: Callable):
        self._on_removed = on_removed
        self._combo: Optional[QgsMapLayerComboBox] = None
        self._on_changed: Optional[Callable] = None
        QgsProject.instance().layersWillBeRemoved.connect(on_removed)

    def attach(self, combo: QgsMapLayerComboBox, on_changed: Callable) -> None:
        self._combo, self._on_changed = combo, on_changed
        combo.layerChanged.connect(on_changed)

    def disconnect(self) -> None:
        with contextlib.suppress(TypeError, RuntimeError):
            QgsProject.instance().layersWillBeRemoved.disconnect(self._on_removed)
        if self._combo is not None:
            with contextlib.suppress(TypeError, RuntimeError):
                self._combo.layerChanged.disconnect(self._on_changed)
            self._combo = None
