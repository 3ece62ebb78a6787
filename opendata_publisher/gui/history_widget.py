"""Publication history of a layer (``core.history.history(layer)``), shown in the « Publier » page.

One row per publication (newest first): date, portal, dataset URL, schema version, who; the resource URLs are
the row's children. « Ouvrir dans le navigateur » opens the selected dataset or file.
"""

from __future__ import annotations

import datetime
from typing import Any, Callable, Dict, List, Optional

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, Qt, QUrl
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from ..core.history import PORTAL_NAMES, history

URL_ROLE = Qt.ItemDataRole.UserRole + 1


def format_date(text: str) -> str:
    """``2024-06-01T10:12:00+02:00`` -> ``01/06/2024 10:12`` (the text itself when unreadable)."""
    try:
        when = datetime.datetime.fromisoformat(str(text))
    except ValueError:
        return str(text)
    return when.strftime("%d/%m/%Y %H:%M")


class HistoryWidget(QWidget):
    """The layer's publications; :meth:`set_layer` then :meth:`refresh` after a publication."""

    COLUMNS = 5

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("OpenDataHistoryWidget")
        self.layer = None
        self.entries: List[Dict[str, Any]] = []
        #: opens a URL (tests replace it)
        self.open_url: Callable[[str], Any] = lambda url: QDesktopServices.openUrl(QUrl(url))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("historyEmpty")
        self.empty_label.setWordWrap(True)
        layout.addWidget(self.empty_label)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("historyTree")
        self.tree.setColumnCount(self.COLUMNS)
        self.tree.setHeaderLabels(
            [self.tr("Date"), self.tr("Portal"), self.tr("Dataset"), self.tr("Schema"), self.tr("By")]
        )
        self.tree.setRootIsDecorated(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setMinimumHeight(90)
        self.tree.itemDoubleClicked.connect(lambda item, _column: self.open_selected())
        self.tree.currentItemChanged.connect(self._update_button)
        layout.addWidget(self.tree, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.open_button = QPushButton(
            QgsApplication.getThemeIcon("/mActionOpenTable.svg"), self.tr("Open in the browser"), self
        )
        self.open_button.setObjectName("historyOpen")
        self.open_button.setToolTip(self.tr("Open the selected dataset (or file) in your web browser"))
        self.open_button.clicked.connect(self.open_selected)
        row.addWidget(self.open_button)
        layout.addLayout(row)
        self.refresh()

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("HistoryWidget", text)

    def set_layer(self, layer) -> None:
        self.layer = layer
        self.refresh()

    def refresh(self) -> None:
        layer = self.layer
        try:
            self.entries = list(history(layer)) if layer is not None else []
        except RuntimeError:  # the layer was deleted
            self.layer, self.entries = None, []
        self.tree.clear()
        for entry in reversed(self.entries):
            self.tree.addTopLevelItem(self._item(entry))
        if self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self.tree.resizeColumnToContents(0)
        if self.layer is None:
            self.empty_label.setText(self.tr("Choose a layer to see its publications."))
        elif not self.entries:
            self.empty_label.setText(self.tr("This layer has never been published."))
        else:
            self.empty_label.setText(
                self.tr("{count} publication(s) of this layer, the latest first.").format(count=len(self.entries))
            )
        self.tree.setVisible(bool(self.entries))
        self._update_button()

    def _item(self, entry: Dict[str, Any]) -> QTreeWidgetItem:
        portal = PORTAL_NAMES.get(entry.get("portal_type", ""), entry.get("portal_type", ""))
        connection = str(entry.get("connection", ""))
        schema = " ".join(p for p in (entry.get("schema_name", ""), entry.get("schema_version", "")) if p)
        url = str(entry.get("dataset_url", ""))
        item = QTreeWidgetItem(
            [format_date(entry.get("date", "")), portal, url, schema or "—", str(entry.get("user", ""))]
        )
        item.setData(0, URL_ROLE, url)
        tip = [self.tr("Connection: {name}").format(name=connection), url]
        accepted = entry.get("accepted_warnings") or []
        if accepted:
            tip.append(self.tr("Published despite {count} warning(s):").format(count=len(accepted)))
            tip += [f"• {text}" for text in accepted]
        for column in range(self.COLUMNS):
            item.setToolTip(column, "\n".join(tip))
        for fmt, resource_url in (entry.get("resource_urls") or {}).items():
            child = QTreeWidgetItem([str(fmt).upper(), "", str(resource_url), "", ""])
            child.setData(0, URL_ROLE, str(resource_url))
            child.setToolTip(2, str(resource_url))
            item.addChild(child)
        return item

    def selected_url(self) -> str:
        item = self.tree.currentItem()
        return str(item.data(0, URL_ROLE) or "") if item is not None else ""

    def _update_button(self, *_args) -> None:
        self.open_button.setEnabled(bool(self.selected_url()))

    def open_selected(self) -> str:
        url = self.selected_url()
        if url:
            self.open_url(url)
        return url
