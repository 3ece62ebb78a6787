"""Page « Données ouvertes » of Préférences > Options: catalogue URL, cache folder, timeout, debug.

The factory is registered by the plugin (``iface.registerOptionsWidgetFactory``); QGIS calls
:meth:`OptionsPage.apply` when the user presses OK in the Options dialog.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Optional

from qgis.gui import QgsFileWidget, QgsOptionsPageWidget, QgsOptionsWidgetFactory
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..__about__ import PACKAGE_DIR
from ..toolbelt.settings import DEFAULT_CATALOGUE_URL, ENV_PREFIX, PluginSettings, default_cache_directory

PAGE_OBJECT_NAME = "OpenDataPublisherOptionsPage"

#: sub-folders of the cache written by the schema catalogue; "Vider le cache" removes only these, never
#: other files of a folder the user chose.
CACHE_SUBFOLDERS = ("catalogue", "schemas", "urls")


def clear_cache(cache_dir: Path) -> int:
    """Delete the catalogue's cached files under ``cache_dir``; returns how many files were removed."""
    removed = 0
    for name in CACHE_SUBFOLDERS:
        folder = cache_dir / name
        if folder.is_dir():
            removed += sum(1 for p in folder.rglob("*") if p.is_file())
            shutil.rmtree(folder, ignore_errors=True)
    return removed


class OptionsPage(QgsOptionsPageWidget):
    """The plugin's settings, edited in the QGIS Options dialog."""

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName(PAGE_OBJECT_NAME)
        self.settings = PluginSettings.load()
        self._build()
        self._show(self.settings)

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("OptionsPage", text)

    # -- layout ----------------------------------------------------------------------------------------

    def _build(self) -> None:
        # the sections scroll inside the page: QGIS's Options dialog does not, and would crush the fields of the
        # organisation profile under their help text to fit its height (issue 11)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("optionsScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(self.scroll)
        content = QWidget(self.scroll)
        content.setObjectName("optionsContent")
        self.scroll.setWidget(content)
        layout = QVBoxLayout(content)

        schemas = QGroupBox(self.tr("Schema catalogue"), self)
        form = QFormLayout(schemas)
        self.catalogue_url = QLineEdit(schemas)
        self.catalogue_url.setObjectName("catalogue_url")
        self.catalogue_url.setPlaceholderText(DEFAULT_CATALOGUE_URL)
        self.catalogue_url.setToolTip(
            self.tr(
                "Address of the list of data schemas (schema.data.gouv.fr format). "
                "Change it only if your organisation publishes its own catalogue."
            )
        )
        self.reset_url_button = QPushButton(self.tr("Reset"), schemas)
        self.reset_url_button.setObjectName("reset_url_button")
        self.reset_url_button.setToolTip(self.tr("Go back to the schema.data.gouv.fr catalogue"))
        self.reset_url_button.clicked.connect(self.reset_catalogue_url)
        url_row = QHBoxLayout()
        url_row.addWidget(self.catalogue_url, 1)
        url_row.addWidget(self.reset_url_button)
        form.addRow(self.tr("Catalogue URL"), url_row)

        self.cache_dir = QgsFileWidget(schemas)
        self.cache_dir.setObjectName("cache_dir")
        self.cache_dir.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        self.cache_dir.setDialogTitle(self.tr("Folder for downloaded schemas"))
        self.cache_dir.lineEdit().setPlaceholderText(str(default_cache_directory()))
        self.cache_dir.setToolTip(
            self.tr(
                "Downloaded catalogue and schemas are kept here so checks also work without Internet. "
                "Leave empty to use the QGIS profile folder."
            )
        )
        self.clear_cache_button = QPushButton(self.tr("Clear cache"), schemas)
        self.clear_cache_button.setObjectName("clear_cache_button")
        self.clear_cache_button.setToolTip(
            self.tr("Delete the downloaded catalogue and schemas; they are downloaded again when needed")
        )
        self.clear_cache_button.clicked.connect(self.ask_clear_cache)
        cache_row = QHBoxLayout()
        cache_row.addWidget(self.cache_dir, 1)
        cache_row.addWidget(self.clear_cache_button)
        form.addRow(self.tr("Cache folder"), cache_row)
        self.cache_status = QLabel(schemas)
        self.cache_status.setObjectName("cache_status")
        self.cache_status.setWordWrap(True)
        form.addRow("", self.cache_status)
        layout.addWidget(schemas)

        network = QGroupBox(self.tr("Network"), self)
        network_form = QFormLayout(network)
        self.timeout = QSpinBox(network)
        self.timeout.setObjectName("timeout")
        self.timeout.setRange(1, 600)
        self.timeout.setSuffix(self.tr(" s"))
        self.timeout.setToolTip(
            self.tr("How long to wait for a server before giving up. Increase it on a slow connection.")
        )
        network_form.addRow(self.tr("Timeout"), self.timeout)
        proxy_hint = QLabel(
            self.tr("Proxy and certificates are those of QGIS (Settings > Options > Network and Authentication)."),
            network,
        )
        proxy_hint.setWordWrap(True)
        network_form.addRow("", proxy_hint)
        layout.addWidget(network)

        checks = QGroupBox(self.tr("Checks"), self)
        checks_form = QVBoxLayout(checks)
        self.selected_only = QCheckBox(self.tr("Check only the selected features by default"), checks)
        self.selected_only.setObjectName("selected_only")
        checks_form.addWidget(self.selected_only)
        self.debug = QCheckBox(self.tr("Write debug messages to the message log"), checks)
        self.debug.setObjectName("debug")
        self.debug.setToolTip(
            self.tr("Useful to report a problem: details appear in the « Open Data Publisher » tab of the log.")
        )
        checks_form.addWidget(self.debug)
        layout.addWidget(checks)

        from .widgets.profile_box import OrganisationProfileBox  # « Profil de l'organisation » (issue 3)

        self.profile_box = OrganisationProfileBox(self)
        from .widgets.shared_profile_box import SharedProfileBox  # « Profil partagé du territoire » (issue 13)

        self.shared_profile_box = SharedProfileBox(self.profile_box, self)
        layout.addWidget(self.shared_profile_box)
        layout.addWidget(self.profile_box)

        from .connections_widget import ConnectionsGroup  # « Connexions aux portails » (issue 5), saved at once

        self.connections_box = ConnectionsGroup(self)
        layout.addWidget(self.connections_box)

        self.env_label = QLabel(self)
        self.env_label.setObjectName("env_label")
        self.env_label.setWordWrap(True)
        layout.addWidget(self.env_label)
        layout.addStretch(1)

    def _show(self, settings: PluginSettings) -> None:
        self.catalogue_url.setText(settings.catalogue_url)
        self.cache_dir.setFilePath(settings.cache_dir)
        self.timeout.setValue(settings.request_timeout_s)  # noqa: QGS202 - QSpinBox, nothing to check
        self.selected_only.setChecked(settings.selected_only_default)
        self.debug.setChecked(settings.debug)
        widgets = {
            "catalogue_url": (self.catalogue_url, self.reset_url_button),
            "cache_dir": (self.cache_dir,),
            "request_timeout_s": (self.timeout,),
            "selected_only_default": (self.selected_only,),
            "debug": (self.debug,),
        }
        overridden = PluginSettings.env_overrides()
        self.profile_box.show_settings(settings, overridden)
        self.shared_profile_box.show_settings(settings, overridden)
        for name, group in widgets.items():
            for widget in group:
                widget.setEnabled(name not in overridden)
        if overridden:
            names = ", ".join(ENV_PREFIX + name.upper() for name in sorted(overridden))
            self.env_label.setText(
                self.tr("Some settings are set by environment variables and cannot be changed here: {names}.").format(
                    names=names
                )
            )
        else:
            self.env_label.clear()

    # -- actions ---------------------------------------------------------------------------------------

    def reset_catalogue_url(self) -> None:
        self.catalogue_url.setText(DEFAULT_CATALOGUE_URL)

    def current_settings(self) -> PluginSettings:
        """The settings as shown in the page (not saved).

        Fields forced by an environment variable keep their stored value, so saving never writes the
        environment's value into the profile.
        """
        settings = PluginSettings.load(apply_env=False)
        shown = {
            "catalogue_url": self.catalogue_url.text().strip() or DEFAULT_CATALOGUE_URL,
            "cache_dir": self.cache_dir.filePath().strip(),
            "request_timeout_s": self.timeout.value(),
            "selected_only_default": self.selected_only.isChecked(),
            "debug": self.debug.isChecked(),
        }
        overridden = PluginSettings.env_overrides()
        for name, value in shown.items():
            if name not in overridden:
                setattr(settings, name, value)
        self.profile_box.apply_to(settings, overridden)
        self.shared_profile_box.apply_to(settings, overridden)
        return settings

    def effective_cache_directory(self) -> Path:
        """The cache folder shown in the page (environment override included)."""
        overridden = PluginSettings.env_overrides()
        if "cache_dir" in overridden:
            return PluginSettings(cache_dir=overridden["cache_dir"]).cache_directory(create=False)
        return self.current_settings().cache_directory(create=False)

    def ask_clear_cache(self) -> None:
        folder = self.effective_cache_directory()
        answer = QMessageBox.question(
            self,
            self.tr("Clear cache"),
            self.tr(
                "Delete the downloaded catalogue and schemas in {folder}?\n"
                "They will be downloaded again at the next check (Internet needed)."
            ).format(folder=folder),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.clear_cache()

    def clear_cache(self) -> int:
        """Empty the cache now (no confirmation); shows and returns the number of files removed."""
        removed = clear_cache(self.effective_cache_directory())
        self.cache_status.setText(self.tr("Cache cleared: {count} file(s) deleted.").format(count=removed))
        return removed

    def apply(self) -> None:
        """Called by QGIS when the Options dialog is accepted."""
        self.settings = self.current_settings()
        self.settings.save()


class OptionsFactory(QgsOptionsWidgetFactory):
    """Creates the plugin's page in the QGIS Options dialog."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(QCoreApplication.translate("OptionsPage", "Open data"))

    def icon(self) -> QIcon:
        return QIcon(str(PACKAGE_DIR / "resources" / "icon.svg"))

    def createWidget(self, parent: Optional[QWidget] = None) -> OptionsPage:  # noqa: N802 - QGIS API
        return OptionsPage(parent)
