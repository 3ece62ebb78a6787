"""Tabs whose pages scroll: the dock never asks for more height than the screen has (issue 11).

:class:`ScrollingTabs` is a ``QTabWidget`` that puts each page in a frameless :class:`QScrollArea` which
resizes the page to the space available: on a tall screen the page fills the dock as before; on a 1366×768
laptop, when a page cannot shrink further, it scrolls inside the dock instead of pushing the QGIS window past
the bottom of the screen. The pages are still what :meth:`widget`, :meth:`currentWidget`, :meth:`indexOf` and
:meth:`setCurrentWidget` deal with, so callers never see the scroll areas.
"""

from __future__ import annotations

from typing import Optional

from qgis.PyQt.QtCore import QEvent, QSize, Qt
from qgis.PyQt.QtWidgets import QFrame, QScrollArea, QTabWidget, QWidget


class PageScrollArea(QScrollArea):
    """The frameless scroll area around one page.

    The page is sized by hand rather than with ``setWidgetResizable(True)``: Qt would give a page with
    word-wrapped labels its *preferred* height for the width (often twice the screen), where the page can
    live with its *minimum* height (its lists, splitters and inner scroll areas take what is left).
    """

    def __init__(self, page: QWidget, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName(f"{page.objectName() or 'page'}Scroll")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setWidget(page)
        page.installEventFilter(self)

    def page(self) -> Optional[QWidget]:
        return self.widget()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """The page's own width (the dock keeps its usual width), its height up to what a laptop has."""
        page = self.widget()
        if page is None:
            return super().sizeHint()
        hint = page.sizeHint()
        return QSize(min(hint.width(), 400) + self.verticalScrollBar().sizeHint().width(), min(hint.height(), 480))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """As wide as the page needs (the dock keeps its width), as low as a few lines (the page scrolls)."""
        page = self.widget()
        width = page.minimumSizeHint().width() if page is not None else 80
        return QSize(width + self.verticalScrollBar().sizeHint().width(), 80)

    def fit_page(self) -> None:
        """The page takes the visible area, or its minimum size when that is larger (then it scrolls)."""
        page = self.widget()
        if page is None:
            return
        minimum = page.minimumSizeHint().expandedTo(page.minimumSize())
        width = self.viewport().width()
        height = max(self.viewport().height(), minimum.height())
        if page.size() != QSize(width, height):
            page.resize(width, height)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self.fit_page()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.fit_page()
        return super().eventFilter(watched, event)


class ScrollingTabs(QTabWidget):
    """A tab widget whose pages scroll vertically when the dock is lower than they need (see module doc)."""

    def addTab(self, page: QWidget, *args) -> int:  # noqa: N802 - Qt API
        return super().addTab(PageScrollArea(page, self), *args)

    def insertTab(self, index: int, page: QWidget, *args) -> int:  # noqa: N802 - Qt API
        return super().insertTab(index, PageScrollArea(page, self), *args)

    @staticmethod
    def _page(holder: Optional[QWidget]) -> Optional[QWidget]:
        return holder.page() if isinstance(holder, PageScrollArea) else holder

    def widget(self, index: int) -> Optional[QWidget]:
        return self._page(super().widget(index))

    def currentWidget(self) -> Optional[QWidget]:  # noqa: N802 - Qt API
        return self._page(super().currentWidget())

    def scroll_area(self, page: QWidget) -> Optional[PageScrollArea]:
        """The scroll area holding ``page`` (None when it is not a page of these tabs)."""
        for index in range(self.count()):
            holder = super().widget(index)
            if isinstance(holder, PageScrollArea) and holder.page() is page:
                return holder
        return None

    def indexOf(self, page: QWidget) -> int:  # noqa: N802 - Qt API
        holder = self.scroll_area(page)
        return super().indexOf(holder if holder is not None else page)

    def setCurrentWidget(self, page: QWidget) -> None:  # noqa: N802 - Qt API
        holder = self.scroll_area(page)
        super().setCurrentWidget(holder if holder is not None else page)
