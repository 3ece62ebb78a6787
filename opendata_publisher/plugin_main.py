"""The plugin object QGIS loads: menu entry, toolbar button, dock, options page, Processing provider.

Start-up stays cheap (issue 18, QGIS's profiler group « Load plugins »): ``initGui()`` adds the menu
entries, the toolbar button, the layer context-menu entry, the Options page factory and an empty dock (so
that QGIS restores it where the agent left it and lists it under Vue › Panneaux), and registers the
Processing provider, whose algorithms import their core modules when they run. The dock's pages, and
what they import (checks, legal word lists, vocabularies, portal adapters), are built when the dock is
first shown (:meth:`OpenDataPublisherPlugin.ensure_dock`).

``unload()`` removes everything ``initGui()`` / ``initProcessing()`` added, so that disabling or
reloading the plugin leaves no widget, menu entry, provider or translator behind.
"""

from __future__ import annotations

import contextlib
from typing import Optional

from qgis.core import Qgis, QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, Qt, QTimer, QTranslator
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QMessageBox

from .__about__ import PACKAGE_DIR, __title__
from .compat import QAction
from .toolbelt import i18n
from .toolbelt.log import log

#: delay between QGIS start-up and the refresh of the shared profile (ms); see gui/profile_refresh.py
REFRESH_DELAY_MS = 4000

MENU_NAME = __title__  # sub-menu of the Web menu (product name, not translated)


class OpenDataPublisherPlugin:
    """Entry point built by :func:`opendata_publisher.classFactory`."""

    def __init__(self, iface) -> None:  # noqa: QGS105 - QGIS gives iface to classFactory
        self.iface = iface
        self.translator: Optional[QTranslator] = None
        self._translator_done = False
        self.provider = None
        self.dock = None  # built empty at initGui, its pages on first show (ensure_dock)
        self.options_factory = None
        self.action_dock: Optional[QAction] = None
        self.action_options: Optional[QAction] = None
        self.action_describe: Optional[QAction] = None  # layer tree menu « Décrire pour l'open data… »
        self.action_dashboard: Optional[QAction] = None  # « Tableau de bord du territoire… » (issue 14)
        self.dashboard_dialog = None

    @staticmethod
    def tr(text: str) -> str:
        return QCoreApplication.translate("OpenDataPublisherPlugin", text)

    # -- translations ------------------------------------------------------------------------------

    def _install_translator(self) -> None:
        if self._translator_done:
            return
        self._translator_done = True
        try:
            self.translator = i18n.install_translator()
        except Exception as exc:  # noqa: BLE001 - no translation is better than no plugin
            log(f"Traduction non chargée : {exc}", Qgis.MessageLevel.Warning)
            self.translator = None

    # -- Processing --------------------------------------------------------------------------------

    def initProcessing(self) -> None:  # noqa: N802 - QGIS API
        """Register the Processing provider (also called alone by qgis_process, without initGui)."""
        self._install_translator()
        if self.provider is not None:
            return
        from .processing.provider import OpenDataProvider

        provider = OpenDataProvider()
        if QgsApplication.processingRegistry().addProvider(provider):
            self.provider = provider
        else:
            log(
                "Le fournisseur de traitements « Données ouvertes » n'a pas pu être ajouté (déjà présent ?). "
                "Redémarrez QGIS.",
                Qgis.MessageLevel.Warning,
            )

    # -- GUI ---------------------------------------------------------------------------------------

    def initGui(self) -> None:  # noqa: N802 - QGIS API
        self._install_translator()
        main_window = self.iface.mainWindow()
        icon = QIcon(str(PACKAGE_DIR / "resources" / "icon.svg"))

        self.action_dock = QAction(icon, self.tr("Open data"), main_window)
        self.action_dock.setObjectName("OpenDataPublisherAction")
        self.action_dock.setCheckable(True)
        self.action_dock.setToolTip(self.tr("Open data: check a layer against a data schema before publishing it"))
        self.action_dock.setStatusTip(self.action_dock.toolTip())
        self.action_dock.triggered.connect(self.toggle_dock)
        self.iface.addPluginToWebMenu(MENU_NAME, self.action_dock)
        self.iface.addWebToolBarIcon(self.action_dock)

        self.action_options = QAction(
            QgsApplication.getThemeIcon("/mActionOptions.svg"), self.tr("Settings…"), main_window
        )
        self.action_options.setObjectName("OpenDataPublisherOptionsAction")
        self.action_options.triggered.connect(self.show_options)
        self.iface.addPluginToWebMenu(MENU_NAME, self.action_options)

        self.action_dashboard = QAction(icon, self.tr("Territory dashboard…"), main_window)
        self.action_dashboard.setObjectName("OpenDataPublisherDashboardAction")
        self.action_dashboard.triggered.connect(self.show_territory_dashboard)
        self.iface.addPluginToWebMenu(MENU_NAME, self.action_dashboard)

        from .gui.options_page import OptionsFactory

        self.options_factory = OptionsFactory()
        self.iface.registerOptionsWidgetFactory(self.options_factory)

        self._create_dock()
        self._add_describe_action()
        self.initProcessing()
        # the shared profile of the territory is read again a few seconds later, in the background (issue 13)
        QTimer.singleShot(REFRESH_DELAY_MS, self._refresh_shared_profile)

    def _refresh_shared_profile(self) -> None:
        if self.action_dock is None:  # unloaded meanwhile
            return
        from .gui.profile_refresh import refresh_shared_profile

        try:
            refresh_shared_profile(self.iface)
        except Exception as exc:  # noqa: BLE001 - a refresh never breaks QGIS: the cached profile stays in use
            log(f"Profil partagé : relecture impossible ({type(exc).__name__} : {exc}).", Qgis.MessageLevel.Warning)

    def _create_dock(self) -> None:
        try:
            from .gui.dock import OpenDataDock

            dock = OpenDataDock(self.iface, self.iface.mainWindow(), build_pages=False)
        except Exception as exc:  # noqa: BLE001 - keep the rest of the plugin usable
            log(
                f"Le panneau « Données ouvertes » n'a pas pu être créé ({type(exc).__name__} : {exc}). "
                "Réinstallez l'extension ; si le problème persiste, signalez-le avec le journal des messages.",
                Qgis.MessageLevel.Critical,
                push=True,
            )
            return
        self.dock = dock
        self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        dock.hide()
        dock.visibilityChanged.connect(self._dock_visibility_changed)

    def ensure_dock(self):
        """The dock with its pages, built on first call; None (after telling the agent) when that fails."""
        dock = self.dock
        if dock is not None and not dock.pages_built():
            try:
                dock.build_pages()
            except Exception as exc:  # noqa: BLE001 - keep the rest of the plugin usable
                log(
                    f"Le panneau « Données ouvertes » n'a pas pu être créé ({type(exc).__name__} : {exc}). "
                    "Réinstallez l'extension ; si le problème persiste, signalez-le avec le journal des messages.",
                    Qgis.MessageLevel.Critical,
                )
                self._remove_dock()
                dock = None
        if dock is None:
            self._warn_no_dock()
        return dock

    def _add_describe_action(self) -> None:
        """« Décrire pour l'open data… » in the layer tree context menu of vector layers (issue 3)."""
        if self.dock is None:
            return
        try:
            from .gui.layer_menu import add_layer_menu_action

            self.action_describe = add_layer_menu_action(self.iface, self.ensure_dock, self.iface.mainWindow())
        except Exception as exc:  # noqa: BLE001 - the rest of the plugin stays usable
            log(f"Entrée « Décrire pour l'open data… » non ajoutée : {exc}", Qgis.MessageLevel.Warning)

    def _dock_visibility_changed(self, visible: bool) -> None:
        # shown by QGIS (window state restored at start, a tab of docks clicked) before the agent used it
        if visible and self.dock is not None and not self.dock.pages_built() and self.ensure_dock() is None:
            return
        if self.action_dock is not None:
            self.action_dock.setChecked(visible)

    def _warn_no_dock(self) -> None:
        if self.action_dock is not None:
            self.action_dock.setChecked(False)
        QMessageBox.warning(
            self.iface.mainWindow(),
            self.tr("Open data"),
            self.tr(
                "The Open data panel could not be created. Look at the « Open Data Publisher » tab of the "
                "message log for the reason, then reinstall the plugin."
            ),
        )

    def toggle_dock(self, checked: Optional[bool] = None) -> None:
        """Show / hide the dock (the toolbar button and the menu entry); its pages are built the first time."""
        if self.ensure_dock() is None:
            return
        visible = self.dock.isHidden() if checked is None else bool(checked)
        self.dock.setVisible(visible)
        if visible:
            self.dock.raise_()

    def _remove_dock(self) -> None:
        if self.dock is None:
            return
        dock, self.dock = self.dock, None
        with contextlib.suppress(TypeError, RuntimeError):
            dock.visibilityChanged.disconnect(self._dock_visibility_changed)
        try:
            dock.cleanup()
        except Exception as exc:  # noqa: BLE001 - unloading must go on
            log(f"Nettoyage du panneau incomplet : {exc}", Qgis.MessageLevel.Warning)
        self.iface.removeDockWidget(dock)
        dock.hide()
        dock.setParent(None)
        dock.deleteLater()

    def show_options(self) -> None:
        from .gui.options_page import PAGE_OBJECT_NAME

        self.iface.showOptionsDialog(self.iface.mainWindow(), currentPage=PAGE_OBJECT_NAME)

    def show_territory_dashboard(self) -> None:
        """Open « Tableau de bord du territoire » (imported on first use only)."""
        if self.dashboard_dialog is None:
            from .gui.territory_dashboard_dialog import TerritoryDashboardDialog

            self.dashboard_dialog = TerritoryDashboardDialog(self.iface.mainWindow())
        self.dashboard_dialog.show()
        self.dashboard_dialog.raise_()

    # -- unload ------------------------------------------------------------------------------------

    def unload(self) -> None:
        """Remove every trace of the plugin from QGIS."""
        if self.action_describe is not None:
            from .gui.layer_menu import remove_layer_menu_action

            remove_layer_menu_action(self.iface, self.action_describe)
            self.action_describe = None
        self._remove_dock()

        if self.action_dock is not None:
            self.iface.removeWebToolBarIcon(self.action_dock)
        if self.dashboard_dialog is not None:
            self.dashboard_dialog.reject()
            self.dashboard_dialog.deleteLater()
            self.dashboard_dialog = None
        for action in (self.action_dock, self.action_options, self.action_dashboard):
            if action is None:
                continue
            self.iface.removePluginWebMenu(MENU_NAME, action)
            action.deleteLater()
        self.action_dock = None
        self.action_options = None
        self.action_dashboard = None

        if self.options_factory is not None:
            self.iface.unregisterOptionsWidgetFactory(self.options_factory)
            self.options_factory = None

        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)  # noqa: QGS202 - False only if absent
            self.provider = None

        from .toolbelt import network

        network.unload()

        i18n.remove_translator(self.translator)
        self.translator = None
        self._translator_done = False
