"""The plugin's dock: a guided flow of pages (only « Vérifier » for now)."""

from __future__ import annotations

from typing import List, Optional

from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtWidgets import QVBoxLayout, QWidget

from .widgets.scroll_tabs import ScrollingTabs


class OpenDataDock(QgsDockWidget):
    """Dock widget holding the plugin's pages as tabs, in the order of the flow.

    Pages are added with :meth:`add_page`; each page may provide a ``cleanup()``
    method that the dock calls from :meth:`cleanup`. With ``build_pages=False`` (the plugin at QGIS
    start-up, issue 18) the dock starts empty and :meth:`build_pages` creates the pages on first use.
    """

    OBJECT_NAME = "OpenDataPublisherDock"

    def __init__(  # noqa: QGS105 - API asked by the plugin
        self, iface, parent: Optional[QWidget] = None, build_pages: bool = True
    ):
        super().__init__(parent)
        self.iface = iface
        self.setObjectName(self.OBJECT_NAME)
        self.setWindowTitle(self.tr("Open data publisher"))
        self.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)

        container = QWidget(self)
        layout = QVBoxLayout(container)
        layout.setContentsMargins(2, 2, 2, 2)
        self.tabs = ScrollingTabs(container)  # pages scroll inside the dock on a laptop screen (issue 11)
        self.tabs.setObjectName("OpenDataPublisherSteps")
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs)
        self.setWidget(container)

        self._pages: List[QWidget] = []
        self._cleaned = False
        self._pages_built = False
        if build_pages:
            self.build_pages()

    def pages_built(self) -> bool:
        return self._pages_built

    def build_pages(self) -> None:
        """Create the step pages, once (they import the checks, vocabularies, portal adapters…)."""
        if self._pages_built:
            return
        self._pages_built = True
        iface = self.iface

        from .check_page import CheckPage  # local import: keeps the dock importable on its own

        self.check_page = CheckPage(iface, self)
        self.add_page(self.check_page, self.tr("1. Check"))
        from .describe_page import add_to_dock as add_describe_page  # « Décrire » (issue 3)
        from .licence_page import add_to_dock as add_licence_page  # « Licence » (issue 3)

        add_describe_page(self, iface)
        add_licence_page(self, iface)
        from .legal_page import add_to_dock as add_legal_page  # « Contrôle juridique » (issue 4)

        add_legal_page(self, iface)
        from .publish_page import add_to_dock as add_publish_page  # « Publier » (issue 5)

        add_publish_page(self, iface)
        from .flow import add_to_dock as add_flow  # guided flow: step list with statuses (issue 5)

        self.flow = add_flow(self, iface)

    def tr(self, text: str) -> str:  # noqa: D401 - Qt translation helper
        return QCoreApplication.translate("OpenDataDock", text)

    def add_page(self, page: QWidget, title: str) -> int:
        """Append a step page; returns its index."""
        self._pages.append(page)
        return self.tabs.addTab(page, title)

    def pages(self) -> List[QWidget]:
        return list(self._pages)

    def cleanup(self) -> None:
        """Cancel running tasks and disconnect signals. Safe to call twice."""
        if self._cleaned:
            return
        self._cleaned = True
        flow = getattr(self, "flow", None)
        if flow is not None:
            flow.cleanup()
        for page in self._pages:
            page_cleanup = getattr(page, "cleanup", None)
            if callable(page_cleanup):
                page_cleanup()
