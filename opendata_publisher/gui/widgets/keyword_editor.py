"""Keyword list editor: a line to type a keyword (Enter or « Ajouter »), the list, « Retirer ».

« données ouvertes » (:data:`OPEN_DATA_KEYWORD`) is always in the list and cannot be removed: the
CNIG guide asks for it on every open dataset. Several keywords can be typed at once, separated by
« ; » or « , ».
"""

from __future__ import annotations

import re
from typing import Iterable, List, Optional

from qgis.PyQt.QtCore import QCoreApplication, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from opendata_publisher.core.metadata.model import OPEN_DATA_KEYWORD, dedupe


class KeywordEditor(QWidget):
    """Edits a list of free keywords (see module docstring)."""

    changed = pyqtSignal()

    def __init__(self, parent: Optional[QWidget] = None, visible_rows: int = 4):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        line = QHBoxLayout()
        self.line_edit = QLineEdit(self)
        self.line_edit.setObjectName("keywordLine")
        self.line_edit.setPlaceholderText(self.tr("Type a keyword, then Enter (e.g. parkings; bicycles)"))
        self.line_edit.returnPressed.connect(self.add_from_line)
        line.addWidget(self.line_edit, 1)
        self.add_button = QPushButton(self.tr("Add"), self)
        self.add_button.setObjectName("keywordAdd")
        self.add_button.clicked.connect(self.add_from_line)
        line.addWidget(self.add_button)
        layout.addLayout(line)
        below = QHBoxLayout()
        self.list = QListWidget(self)
        self.list.setObjectName("keywordList")
        self.list.setFlow(QListWidget.Flow.LeftToRight)
        self.list.setWrapping(True)
        self.list.setSpacing(2)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        row = self.list.fontMetrics().height() + 10
        self.list.setFixedHeight(row * visible_rows // 2 + 10)
        below.addWidget(self.list, 1)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.setObjectName("keywordRemove")
        self.remove_button.setToolTip(self.tr("Remove the selected keyword (« données ouvertes » always stays)"))
        self.remove_button.clicked.connect(self.remove_selected)
        below.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(below)
        self.set_keywords([])

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("KeywordEditor", text)

    def keywords(self) -> List[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def all_keywords(self) -> List[str]:
        """The list plus what is typed in the line and not added yet (so saving never drops it)."""
        pending = [p.strip() for p in re.split(r"[;,]", self.line_edit.text() or "") if p.strip()]
        return dedupe(self.keywords() + pending)

    def set_keywords(self, keywords: Iterable[str]) -> None:
        values = dedupe(list(keywords))
        if not any(v.lower() == OPEN_DATA_KEYWORD for v in values):
            values.append(OPEN_DATA_KEYWORD)
        self.list.clear()
        for value in values:
            item = QListWidgetItem(value)
            if value.lower() == OPEN_DATA_KEYWORD:
                item.setToolTip(self.tr("Always present: asked for every open dataset"))
                font = item.font()
                font.setItalic(True)
                item.setFont(font)
            self.list.addItem(item)

    def add(self, text: str) -> List[str]:
        """Add one or several keywords (separated by ; or ,); returns those added."""
        parts = [p.strip() for p in re.split(r"[;,]", text or "") if p.strip()]
        before = {k.lower() for k in self.keywords()}
        added = [p for p in dedupe(parts) if p.lower() not in before]
        if added:
            self.set_keywords(self.keywords() + added)
            self.changed.emit()
        return added

    def add_from_line(self) -> None:
        self.add(self.line_edit.text())
        self.line_edit.clear()

    def remove(self, keyword: str) -> bool:
        if keyword.strip().lower() == OPEN_DATA_KEYWORD:
            return False
        values = [k for k in self.keywords() if k.lower() != keyword.strip().lower()]
        if len(values) == len(self.keywords()):
            return False
        self.set_keywords(values)
        self.changed.emit()
        return True

    def remove_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.remove(item.text())
