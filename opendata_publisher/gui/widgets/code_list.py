"""A searchable list of checkable codes (EU / INSPIRE themes, ISO categories, communes and EPCI).

Each item is ``(code, label)``; the list shows « label (code) » with a check box, a filter line above
it (accents and case ignored) and the chosen labels under it. Codes that are not in the vocabulary
(read from older metadata) are kept as extra items, checked, so nothing is lost when saving.
"""

from __future__ import annotations

from typing import Iterable, List, Optional, Sequence, Tuple

from qgis.gui import QgsFilterLineEdit
from qgis.PyQt.QtCore import QCoreApplication, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from opendata_publisher.core.text import fold

CODE_ROLE = Qt.ItemDataRole.UserRole
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1


class CheckableCodeList(QWidget):
    """Filter line + checkable list + « Choisis : … » summary."""

    changed = pyqtSignal()

    def __init__(
        self,
        items: Sequence[Tuple[str, str]],
        parent: Optional[QWidget] = None,
        visible_rows: int = 6,
        show_codes: bool = True,
    ):
        super().__init__(parent)
        self._show_codes = show_codes
        self._updating = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.filter_edit = QgsFilterLineEdit(self)
        self.filter_edit.setShowSearchIcon(True)
        self.filter_edit.setPlaceholderText(self.tr("Search…"))
        self.filter_edit.valueChanged.connect(self.set_filter)
        layout.addWidget(self.filter_edit)
        self.list = QListWidget(self)
        self.list.setUniformItemSizes(True)
        row = self.list.fontMetrics().height() + 6
        self.list.setFixedHeight(row * visible_rows + 6)
        layout.addWidget(self.list)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        for code, label in items:
            self._add_item(code, label)
        self.list.itemChanged.connect(self._item_changed)
        self._update_summary()

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("CheckableCodeList", text)

    def _add_item(self, code: str, label: str) -> QListWidgetItem:
        text = f"{label} ({code})" if self._show_codes and label else (label or code)
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        item.setData(CODE_ROLE, code)
        item.setData(SEARCH_ROLE, fold(f"{label} {code}"))
        item.setToolTip(text)
        self.list.addItem(item)
        return item

    def _items(self) -> List[QListWidgetItem]:
        return [self.list.item(row) for row in range(self.list.count())]

    def item_for(self, code: str) -> Optional[QListWidgetItem]:
        wanted = str(code).strip().lower()
        for item in self._items():
            if str(item.data(CODE_ROLE)).lower() == wanted:
                return item
        return None

    # -- API ------------------------------------------------------------------------------------------
    def codes(self) -> List[str]:
        """Checked codes, in list order."""
        return [str(i.data(CODE_ROLE)) for i in self._items() if i.checkState() == Qt.CheckState.Checked]

    def labels(self) -> List[str]:
        return [i.text() for i in self._items() if i.checkState() == Qt.CheckState.Checked]

    def set_codes(self, codes: Iterable[str], labels: Optional[dict] = None) -> None:
        """Check exactly these codes; unknown codes are appended (``labels`` may name them)."""
        wanted = [str(c) for c in codes if str(c).strip()]
        self._updating = True
        try:
            for code in wanted:
                if self.item_for(code) is None:
                    self._add_item(code, (labels or {}).get(code, ""))
            lowered = {c.lower() for c in wanted}
            for item in self._items():
                checked = str(item.data(CODE_ROLE)).lower() in lowered
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        finally:
            self._updating = False
        self._update_summary()

    def set_checked(self, code: str, checked: bool = True) -> None:
        item = self.item_for(code)
        if item is not None:
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def set_filter(self, text: str) -> None:
        needle = fold(text or "").strip()
        for item in self._items():
            item.setHidden(bool(needle) and needle not in str(item.data(SEARCH_ROLE)))

    def visible_codes(self) -> List[str]:
        return [str(i.data(CODE_ROLE)) for i in self._items() if not i.isHidden()]

    # -- internals ------------------------------------------------------------------------------------
    def _item_changed(self, _item) -> None:
        if self._updating:
            return
        self._update_summary()
        self.changed.emit()

    def _update_summary(self) -> None:
        labels = self.labels()
        if labels:
            self.summary.setText(self.tr("Chosen: {items}").format(items=", ".join(labels)))
        else:
            self.summary.setText(self.tr("Nothing chosen."))
