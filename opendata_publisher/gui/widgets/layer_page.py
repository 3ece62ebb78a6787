"""Base class of the dock pages that edit the description of one layer at a time (« Décrire »,
« Licence »): layer picker that follows QGIS's current layer, unsaved-changes guard, status line.

Subclasses implement :meth:`load_layer` (fill the form from the layer) and :meth:`save` (write it;
return True on success) and call :meth:`mark_dirty` when the agent edits something. Before another
layer is shown, unsaved changes are never dropped silently: :meth:`ask_unsaved` asks « Enregistrer /
Ne pas enregistrer / Annuler » (tests replace it with a function returning "save", "discard" or
"cancel").
"""

from __future__ import annotations

import contextlib
from typing import Callable, Optional

from qgis.core import QgsMapLayer, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QVBoxLayout, QWidget

from .layer_picker import LayerPicker, vector_layer_combo

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


class LayerFormPage(QWidget):
    """Common plumbing of a per-layer form page (see module docstring)."""

    CONTEXT = "LayerFormPage"

    def __init__(self, iface, parent: Optional[QWidget] = None):  # noqa: QGS105 - the dock passes iface
        super().__init__(parent)
        self.iface = iface
        self.layer_id: Optional[str] = None
        self.dirty = False
        self._loading = False
        self._switching = False
        self._cleaned = False
        self.last_error = ""
        self.ask_unsaved_func: Optional[Callable[[str], str]] = None
        # connected before the combo exists, so that a removed layer is forgotten before the combo moves on
        self.layers = LayerPicker(self._layers_removed)

        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(4, 4, 4, 4)
        self.outer.setSpacing(4)
        top = QHBoxLayout()
        self.layer_label = QLabel(QCoreApplication.translate("LayerFormPage", "Layer"), self)
        top.addWidget(self.layer_label)
        self.layer_combo = vector_layer_combo(self)
        # fmt: off
        tooltip = QCoreApplication.translate("LayerFormPage", "The layer (or table) you describe; it follows the current layer")  # noqa: E501 - one line for pylupdate5
        # fmt: on
        self.layer_combo.setToolTip(tooltip)
        top.addWidget(self.layer_combo, 1)
        self.outer.addLayout(top)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label.setVisible(False)

    def start(self) -> None:
        """Connect the signals and show the combo's layer (call at the end of the subclass constructor)."""
        self.layers.attach(self.layer_combo, self._combo_changed)
        current_signal = getattr(self.iface, "currentLayerChanged", None)
        if current_signal is not None:
            with contextlib.suppress(TypeError, AttributeError):
                current_signal.connect(self.follow_layer)
        layer = self.layer_combo.currentLayer()
        self._show_layer(layer if isinstance(layer, QgsVectorLayer) else None)

    # -- layer -------------------------------------------------------------------------------------
    def current_layer(self) -> Optional[QgsVectorLayer]:
        layer = QgsProject.instance().mapLayer(self.layer_id) if self.layer_id else None
        return layer if isinstance(layer, QgsVectorLayer) else None

    def set_layer(self, layer: Optional[QgsMapLayer]) -> bool:
        """Show ``layer`` (asking first about unsaved changes); False when the agent cancelled."""
        if layer is not None and self.layer_id == layer.id():
            return True
        if not self.confirm_leave():
            return False
        self._switching = True
        try:
            self.layer_combo.setLayer(layer)
        finally:
            self._switching = False
        self._show_layer(layer if isinstance(layer, QgsVectorLayer) else None)
        return True

    def follow_layer(self, layer) -> None:
        """Slot of ``iface.currentLayerChanged``: follow the current vector layer when it changes."""
        if not isinstance(layer, QgsVectorLayer) or layer.id() == self.layer_id:
            return
        if self.dirty and not self.isVisible():
            return  # a hidden page with unsaved changes keeps its layer: no dialog out of nowhere
        self.set_layer(layer)

    def _combo_changed(self, layer) -> None:
        if self._switching:
            return
        layer_id = layer.id() if layer is not None else None
        if layer_id == self.layer_id:
            return
        if not self.confirm_leave():
            self._switching = True
            try:
                self.layer_combo.setLayer(self.current_layer())
            finally:
                self._switching = False
            return
        self._show_layer(layer if isinstance(layer, QgsVectorLayer) else None)

    def _show_layer(self, layer: Optional[QgsVectorLayer]) -> None:
        self._watch(layer)
        self.layer_id = layer.id() if layer is not None else None
        self._loading = True
        try:
            self.load_layer(layer)
        finally:
            self._loading = False
        self.dirty = False
        self.dirty_changed()

    def _watch(self, layer: Optional[QgsVectorLayer]) -> None:
        """Follow the metadata of ``layer`` (QGIS's metadata tab, another page) while the form shows it."""
        previous = self.current_layer()
        if previous is not None:
            with contextlib.suppress(TypeError, RuntimeError):
                previous.metadataChanged.disconnect(self._metadata_changed)
        if layer is not None:
            layer.metadataChanged.connect(self._metadata_changed)

    def _metadata_changed(self) -> None:
        """The layer's metadata changed elsewhere: show it again, unless the agent has unsaved changes."""
        if not self.dirty and not self._loading and self.current_layer() is not None:
            self.reload()

    def _layers_removed(self, layer_ids) -> None:
        if self.layer_id and self.layer_id in list(layer_ids):
            self._watch(None)
            self.layer_id = None
            self.dirty = False
            self._loading = True
            try:
                self.load_layer(None)
            finally:
                self._loading = False
            self.dirty_changed()

    def reload(self) -> None:
        """Show the current layer again from its metadata (drops unsaved changes)."""
        self._show_layer(self.current_layer())

    # -- unsaved changes -----------------------------------------------------------------------------
    def mark_dirty(self, *_args) -> None:
        if self._loading:
            return
        if not self.dirty:
            self.dirty = True
            self.dirty_changed()

    def dirty_changed(self) -> None:
        """Hook: the dirty flag changed (subclasses update their buttons)."""

    def confirm_leave(self) -> bool:
        """True when the current form may be left (saved, discarded, or nothing to save)."""
        if not self.dirty or self.current_layer() is None:
            return True
        answer = self.ask_unsaved(self.current_layer().name())
        if answer == SAVE:
            return bool(self.save())
        return answer == DISCARD

    def ask_unsaved(self, layer_name: str) -> str:
        if self.ask_unsaved_func is not None:
            return self.ask_unsaved_func(layer_name)
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(QCoreApplication.translate("LayerFormPage", "Unsaved changes"))
        # fmt: off
        question = QCoreApplication.translate("LayerFormPage", "The changes made to « {layer} » are not saved yet. Save them in the layer?")  # noqa: E501 - one line for pylupdate5
        # fmt: on
        box.setText(question.format(layer=layer_name))
        box.setStandardButtons(
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return SAVE
        if answer == QMessageBox.StandardButton.Discard:
            return DISCARD
        return CANCEL

    # -- to implement ----------------------------------------------------------------------------------
    def load_layer(self, layer: Optional[QgsVectorLayer]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def save(self) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- status ------------------------------------------------------------------------------------------
    def set_status(self, text: str, color: Optional[str] = None) -> None:
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))
        self.status_label.setStyleSheet(f"color: {color}; font-weight: bold;" if color else "")

    def show_error(self, message: str) -> None:
        self.last_error = message
        self.set_status(message, "#b00020")

    def cleanup(self) -> None:
        if self._cleaned:
            return
        self._cleaned = True
        self._watch(None)
        self.layers.disconnect()
        current_signal = getattr(self.iface, "currentLayerChanged", None)
        if current_signal is not None:
            with contextlib.suppress(TypeError, RuntimeError, AttributeError):
                current_signal.disconnect(self.follow_layer)
